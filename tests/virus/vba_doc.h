/* vba_doc.h - Office documents with a VBA macro project, built by the test
 * itself (no sample to download or ship): an OLE2 Word document written with
 * libgsf, holding Macros/VBA/{_VBA_PROJECT, dir, Module1} as MS-OVBA lays
 * them out, and a .docm (OOXML zip) carrying the same project as
 * word/vbaProject.bin. libclamav's macro heuristic needs the VBA storage and
 * a "dir" stream it can decompress; the rest makes the project well formed. */
#ifndef ES_VBA_DOC_H
#define ES_VBA_DOC_H

#include <glib.h>
#include <gsf/gsf.h>
#include "virus_test.h"

#define VBA_MODULE_SOURCE "Attribute VB_Name = \"Module1\"\r\n" \
	"Sub AutoOpen()\r\n    MsgBox \"Homework reminder\"\r\nEnd Sub\r\n"

/* vba_compress - DATA in MS-OVBA's compressed container (2.4.1), using
 * literal tokens only: valid, and all a decompressor needs to accept */
static inline GByteArray *vba_compress(const guint8 *data, gsize len)
{
	GByteArray *out = g_byte_array_new();
	guint8 signature = 0x01, flags = 0x00;

	g_byte_array_append(out, &signature, 1);
	for (gsize off = 0; off < len; off += 4096) {
		gsize n = MIN(4096, len - off);
		/* chunk header: size - 3 in 12 bits, signature 0b011, "compressed" */
		guint16 h = (guint16)((2 + n + (n + 7) / 8 - 3) | 0x3000 | 0x8000);
		guint8 hb[2] = { h & 0xff, h >> 8 };

		g_byte_array_append(out, hb, 2);
		for (gsize i = 0; i < n; i += 8) {
			g_byte_array_append(out, &flags, 1);	/* next 8 tokens: literals */
			g_byte_array_append(out, data + off + i, (guint)MIN(8, n - i));
		}
	}
	return out;
}

/* vba_record - one dir stream record: id, size, data */
static inline void vba_record(GByteArray *d, guint16 id, const void *data, guint32 size)
{
	guint8 h[6] = { id & 0xff, id >> 8, size & 0xff, (size >> 8) & 0xff,
			(size >> 16) & 0xff, size >> 24 };

	g_byte_array_append(d, h, 6);
	if (size)
		g_byte_array_append(d, data, size);
}

/* vba_record_u32 - a record holding one little-endian 32-bit number */
static inline void vba_record_u32(GByteArray *d, guint16 id, guint32 v)
{
	guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	vba_record(d, id, b, 4);
}

/* vba_record_u16 - a record holding one little-endian 16-bit number */
static inline void vba_record_u16(GByteArray *d, guint16 id, guint16 v)
{
	guint8 b[2] = { v & 0xff, v >> 8 };

	vba_record(d, id, b, 2);
}

/* vba_record_utf16 - a record holding ASCII TEXT as UTF-16LE */
static inline void vba_record_utf16(GByteArray *d, guint16 id, const char *text)
{
	gsize n = strlen(text);
	guint8 *u = g_malloc0(2 * n + 1);

	for (gsize i = 0; i < n; i++)
		u[2 * i] = (guint8)text[i];
	vba_record(d, id, u, (guint32)(2 * n));
	g_free(u);
}

/* vba_dir - the dir stream (MS-OVBA 2.3.4.2) of a project with one module */
static inline GByteArray *vba_dir(void)
{
	GByteArray *d = g_byte_array_new();
	/* PROJECTVERSION: its size field says 4 but 6 bytes follow */
	static const guint8 version[12] = { 0x09, 0, 4, 0, 0, 0, 0x9a, 0xb1, 0x0c, 0, 0x06, 0 };

	vba_record_u32(d, 0x0001, 1);			/* PROJECTSYSKIND: Win32 */
	vba_record_u32(d, 0x0002, 0x0809);		/* PROJECTLCID: en-GB */
	vba_record_u32(d, 0x0014, 0x0809);		/* PROJECTLCIDINVOKE */
	vba_record_u16(d, 0x0003, 1252);		/* PROJECTCODEPAGE */
	vba_record(d, 0x0004, "Project", 7);		/* PROJECTNAME */
	vba_record(d, 0x0005, NULL, 0);			/* PROJECTDOCSTRING */
	vba_record(d, 0x0040, NULL, 0);
	vba_record(d, 0x0006, NULL, 0);			/* PROJECTHELPFILEPATH */
	vba_record(d, 0x003d, NULL, 0);
	vba_record_u32(d, 0x0007, 0);			/* PROJECTHELPCONTEXT */
	vba_record_u32(d, 0x0008, 0);			/* PROJECTLIBFLAGS */
	g_byte_array_append(d, version, sizeof version);
	vba_record(d, 0x000c, NULL, 0);			/* PROJECTCONSTANTS */
	vba_record(d, 0x003c, NULL, 0);
	vba_record_u16(d, 0x000f, 1);			/* PROJECTMODULES: one */
	vba_record_u16(d, 0x0013, 0xffff);		/* PROJECTCOOKIE */
	vba_record(d, 0x0019, "Module1", 7);		/* MODULENAME */
	vba_record_utf16(d, 0x0047, "Module1");
	vba_record(d, 0x001a, "Module1", 7);		/* MODULESTREAMNAME */
	vba_record_utf16(d, 0x0032, "Module1");
	vba_record(d, 0x001c, NULL, 0);			/* MODULEDOCSTRING */
	vba_record(d, 0x0048, NULL, 0);
	vba_record_u32(d, 0x0031, 0);			/* MODULEOFFSET: source at 0 */
	vba_record_u32(d, 0x001e, 0);			/* MODULEHELPCONTEXT */
	vba_record_u16(d, 0x002c, 0xffff);		/* MODULECOOKIE */
	vba_record(d, 0x0021, NULL, 0);			/* MODULETYPE: procedural */
	vba_record(d, 0x002b, NULL, 0);			/* module terminator */
	vba_record(d, 0x0010, NULL, 0);			/* dir terminator */
	return d;
}

/* vba_stream - write one stream NAME into storage DIR */
static inline void vba_stream(GsfOutfile *dir, const char *name, const guint8 *data, gsize len)
{
	GsfOutput *o = gsf_outfile_new_child(dir, name, FALSE);

	gsf_output_write(o, len, data);
	gsf_output_close(o);
	g_object_unref(o);
}

/* vba_project - write Macros/VBA (or, for vbaProject.bin, VBA at the root)
 * and the PROJECT stream into ROOT */
static inline void vba_project(GsfOutfile *root)
{
	static const guint8 vba_project_header[7] = { 0xcc, 0x61, 0xff, 0xff, 0x00, 0x03, 0x00 };
	static const char project[] = "ID=\"{5B1A3C52-64D0-4A7E-9F10-2C1D3E4F5A6B}\"\r\n"
				      "Module=Module1\r\nName=\"Project\"\r\n";
	GsfOutfile *vba = GSF_OUTFILE(gsf_outfile_new_child(root, "VBA", TRUE));
	GByteArray *dir = vba_dir();
	GByteArray *cdir = vba_compress(dir->data, dir->len);
	GByteArray *src = vba_compress((const guint8 *)VBA_MODULE_SOURCE, strlen(VBA_MODULE_SOURCE));

	vba_stream(vba, "_VBA_PROJECT", vba_project_header, sizeof vba_project_header);
	vba_stream(vba, "dir", cdir->data, cdir->len);
	vba_stream(vba, "Module1", src->data, src->len);
	gsf_output_close(GSF_OUTPUT(vba));
	g_object_unref(vba);
	vba_stream(root, "PROJECT", (const guint8 *)project, strlen(project));
	g_byte_array_unref(dir);
	g_byte_array_unref(cdir);
	g_byte_array_unref(src);
}

/* vba_ole2 - an OLE2 file: a Word document (WITH_MACROS: its Macros
 * storage), or with VBA_BIN_ONLY the vbaProject.bin an OOXML file carries */
static inline GBytes *vba_ole2(gboolean with_macros, gboolean vba_bin_only)
{
	/* a WordDocument stream starts with the FIB's magic number */
	static const guint8 word_fib[16] = { 0xec, 0xa5, 0xc1, 0x00, 0xc1, 0x00 };
	GsfOutput *sink = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(sink);
	GBytes *out;

	if (!vba_bin_only)
		vba_stream(root, "WordDocument", word_fib, sizeof word_fib);
	if (with_macros && vba_bin_only) {
		vba_project(root);
	} else if (with_macros) {
		GsfOutfile *macros = GSF_OUTFILE(gsf_outfile_new_child(root, "Macros", TRUE));

		vba_project(macros);
		gsf_output_close(GSF_OUTPUT(macros));
		g_object_unref(macros);
	}
	gsf_output_close(GSF_OUTPUT(root));
	g_object_unref(root);
	out = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink)),
			  (gsize)gsf_output_size(sink));
	g_object_unref(sink);
	return out;
}

/* vba_doc - a Word 97-2003 document, with or without a macro project */
static inline GBytes *vba_doc(gboolean with_macros)
{
	gsf_init();
	return vba_ole2(with_macros, FALSE);
}

/* vba_docm - a macro-enabled Word document (.docm): an OOXML zip */
static inline GBytes *vba_docm(void)
{
	static const char types[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"
		"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>";
	static const char document[] = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:body><w:p><w:r><w:t>Homework</w:t></w:r></w:p></w:body></w:document>";
	GBytes *bin;
	GBytes *zip;

	gsf_init();
	bin = vba_ole2(TRUE, TRUE);
	zip = vt_zip_members((const vt_member[]) {
		{ "[Content_Types].xml", types, sizeof types - 1 },
		{ "word/document.xml", document, sizeof document - 1 },
		{ "word/vbaProject.bin", g_bytes_get_data(bin, NULL), g_bytes_get_size(bin) },
		{ NULL, NULL, 0 } }, NULL);
	g_bytes_unref(bin);
	return zip;
}

#endif
