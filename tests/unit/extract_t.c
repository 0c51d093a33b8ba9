/* extract_t.c - attachments generated from recipes (tests/pupil_data/mk*)
 * go through es_extract_all and the pupil-data detector: pupil lists are
 * counted in every format, encrypted copies are reported as encrypted and
 * never counted, ordinary attachments are not flagged, and bad input ends
 * in a defined outcome within bounded memory */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include "../lib/tap.h"
#include "scan.h"
#include "extract.h"
#include "detector.h"
#include "detectors/pupil_data.h"
#include "extract/extract_priv.h"

extern const es_detector es_detector_pupil_data;

static es_conf *conf;
static pk_rules *rules;
static char *dir;

typedef struct {
	int records;		/* most pupils in one pupil_data finding */
	char *excerpt;		/* of that finding */
	gboolean encrypted;
	GString *limits;	/* categories of limits findings, space-separated */
	guint errors;
	char *error;		/* the first one, or NULL */
	gsize text_bytes;	/* text handed to the detectors from attachments */
	GString *xml_members;	/* archive members named *.xml that went back into the walk */
} outcome;

/* scan_bytes - DATA, named NAME, as an attachment of type CTYPE through
 * extraction and the detector */
static outcome scan_bytes(const char *name, const char *ctype, GBytes *data, void (*tweak)(es_scan *))
{
	outcome o = { 0, NULL, FALSE, g_string_new(NULL), 0, NULL, 0, g_string_new(NULL) };
	es_scan *s = es_scan_new(conf, "TESTQID");
	GError *err = NULL;

	es_scan_add_attachment(s, "2", name, ctype, data, 1);
	if (tweak)
		tweak(s);
	es_extract_all(s);
	if (!es_detector_pupil_data.check(rules, s, &err))
		diag("check failed: %s", err ? err->message : "?");
	for (guint i = 0; i < s->findings->len; i++) {
		es_finding *f = g_ptr_array_index(s->findings, i);

		if (g_str_equal(f->detector, "pupil_data") && f->records > o.records) {
			o.records = f->records;
			g_free(o.excerpt);
			o.excerpt = g_strdup(f->excerpt);
		} else if (g_str_equal(f->detector, "limits")) {
			g_string_append_printf(o.limits, "%s ", f->category);
		}
	}
	for (guint i = 0; i < s->texts->len; i++) {
		es_text *t = g_ptr_array_index(s->texts, i);

		if (t->attachment)
			o.text_bytes += t->len;
	}
	for (guint i = 1; i < s->attachments->len; i++) {
		es_attachment *m = g_ptr_array_index(s->attachments, i);

		if (m->filename && g_str_has_suffix(m->filename, ".xml"))
			g_string_append_printf(o.xml_members, "%s ", m->filename);
	}
	o.encrypted = s->encrypted;
	o.errors = s->errors->len;
	o.error = s->errors->len ? g_strdup(g_ptr_array_index(s->errors, 0)) : NULL;
	es_scan_free(s);
	return o;
}

/* fixture - the bytes of generated fixture FILE */
static GBytes *fixture(const char *file)
{
	char *path = g_build_filename(dir, file, NULL), *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, NULL))
		diag("cannot read %s", path);
	g_free(path);
	return g_bytes_new_take(data, len);
}

/* scan_file - generated fixture FILE as an attachment of type CTYPE */
static outcome scan_file(const char *file, const char *ctype, void (*tweak)(es_scan *))
{
	GBytes *b = fixture(file);
	outcome o = scan_bytes(file, ctype, b, tweak);

	g_bytes_unref(b);
	return o;
}

static void outcome_free(outcome *o)
{
	g_free(o->excerpt);
	g_free(o->error);
	g_string_free(o->limits, TRUE);
	g_string_free(o->xml_members, TRUE);
}

/* expect_pupils - FILE holds N pupils in plain form */
static void expect_pupils(const char *file, const char *ctype, int n)
{
	outcome o = scan_file(file, ctype, NULL);

	is_int(o.records, n, "%s: %d pupil(s) counted", file, n);
	ok(!o.encrypted && o.limits->len == 0, "%s: not encrypted, no limit hit", file);
	if (o.records != n || o.limits->len)
		diag("excerpt '%s' limits '%s'", o.excerpt ? o.excerpt : "", o.limits->str);
	outcome_free(&o);
}

/* expect_encrypted - FILE is encrypted content and not counted */
static void expect_encrypted(const char *file, const char *ctype)
{
	outcome o = scan_file(file, ctype, NULL);

	ok(o.encrypted, "%s: reported as encrypted", file);
	is_int(o.records, 0, "%s: not counted as plain pupil data", file);
	outcome_free(&o);
}

/* expect_encrypted_bytes - DATA, sent as message.asc, is encrypted and not counted */
static void expect_encrypted_bytes(GBytes *data, const char *what)
{
	outcome o = scan_bytes("message.asc", "application/octet-stream", data, NULL);

	ok(o.encrypted && o.records == 0, "%s: reported as encrypted, not counted", what);
	outcome_free(&o);
}

/* expect_ordinary - FILE must not be flagged */
static void expect_ordinary(const char *file, const char *ctype)
{
	outcome o = scan_file(file, ctype, NULL);

	ok(o.records == 0 && !o.encrypted && o.limits->len == 0, "%s: ordinary attachment not flagged", file);
	if (o.records)
		diag("flagged as '%s'", o.excerpt);
	outcome_free(&o);
}

/* expect_bad - FILE ends with a defined outcome (a LIMIT finding, or with
 * LIMIT NULL an error recorded), no pupils counted from garbage, bounded memory */
static void expect_bad(const char *file, const char *ctype, const char *limit)
{
	struct rusage before, after;
	gint64 t0 = g_get_monotonic_time();
	outcome o;

	getrusage(RUSAGE_SELF, &before);
	o = scan_file(file, ctype, NULL);
	getrusage(RUSAGE_SELF, &after);
	if (limit)
		ok(strstr(o.limits->str, limit) != NULL, "%s: limits finding '%s' (got '%s')", file, limit, o.limits->str);
	else
		ok(o.errors > 0 || o.limits->len > 0, "%s: recorded as unreadable (%u errors, limits '%s')",
		   file, o.errors, o.limits->str);
	is_int(o.records, 0, "%s: nothing counted from it", file);
	ok(after.ru_maxrss - before.ru_maxrss < 512 * 1024, "%s: peak memory grew by %ld KiB (< 512 MiB)",
	   file, after.ru_maxrss - before.ru_maxrss);
	diag("%s took %.0f ms", file, (g_get_monotonic_time() - t0) / 1000.0);
	outcome_free(&o);
}

static void depth_two(es_scan *s) { s->limits.max_depth = 2; }
static void parts_two(es_scan *s) { s->limits.max_parts = 2; }
static void no_time(es_scan *s) { s->limits.deadline_us = g_get_monotonic_time() - 1; }
static void many_parts(es_scan *s) { s->limits.max_parts = 1000000; s->limits.max_extracted = 20 << 20; }

/* limits - each configured limit, set low, stops its branch with a finding */
static void limits(void)
{
	outcome o = scan_file("pupils_5_nested.zip", "application/zip", depth_two);
	gint64 t0;

	ok(strstr(o.limits->str, "depth") != NULL, "max_depth: nested zip stops with a depth finding");
	outcome_free(&o);
	o = scan_file("pupils_5_nested.zip", "application/zip", parts_two);
	ok(strstr(o.limits->str, "parts") != NULL, "max_parts: a parts finding");
	outcome_free(&o);
	t0 = g_get_monotonic_time();
	o = scan_file("bomb_nested.zip", "application/zip", many_parts);
	diag("nested bomb, max_parts raised: %.0f ms", (g_get_monotonic_time() - t0) / 1000.0);
	ok(strstr(o.limits->str, "extracted_bytes") || strstr(o.limits->str, "ratio"),
	   "nested bomb with max_parts raised: stopped by extracted bytes or ratio ('%s')", o.limits->str);
	outcome_free(&o);
	o = scan_file("pupils_200.csv", "text/csv", no_time);
	ok(strstr(o.limits->str, "time") != NULL && o.records == 0, "scan_time: a time finding, nothing read");
	outcome_free(&o);
}

/* Inputs the recipes cannot make (damaged members, crafted tar headers,
 * shared-string bombs) are built here with libarchive's writer. */
typedef struct {
	const char *name;
	GBytes *data;
} packed;

static la_ssize_t pack_write(struct archive *w, void *out, const void *data, size_t n)
{
	(void)w;
	g_byte_array_append(out, data, (guint)n);
	return (la_ssize_t)n;
}

/* pack - N files in FORMAT ("zip"; "raw" for one file) through FILTER (NULL
 * or "gzip") with writer OPTIONS (NULL or e.g. "zip:compression=store") */
static GBytes *pack(const char *format, const char *filter, const char *options, const packed *files, gsize n)
{
	struct archive *w = archive_write_new();
	GByteArray *out = g_byte_array_new();

	if (archive_write_set_format_by_name(w, format) != ARCHIVE_OK ||
	    (filter && archive_write_add_filter_by_name(w, filter) != ARCHIVE_OK) ||
	    (options && archive_write_set_options(w, options) != ARCHIVE_OK) ||
	    archive_write_set_bytes_in_last_block(w, 1) != ARCHIVE_OK ||
	    archive_write_open(w, out, NULL, pack_write, NULL) != ARCHIVE_OK)
		diag("archive writer: %s", archive_error_string(w));
	for (gsize i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		gsize len;
		const void *d = g_bytes_get_data(files[i].data, &len);

		archive_entry_set_pathname_utf8(e, files[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		if (archive_write_header(w, e) != ARCHIVE_OK || archive_write_data(w, d, len) != (la_ssize_t)len)
			diag("archive writer: %s", archive_error_string(w));
		archive_entry_free(e);
	}
	archive_write_close(w);
	archive_write_free(w);
	return g_byte_array_free_to_bytes(out);
}

/* text_bytes - a GBytes of string S */
static GBytes *text_bytes(const char *s)
{
	return g_bytes_new(s, strlen(s));
}

static void one_mib_budget(es_scan *s) { s->limits.max_extracted = 1 << 20; }

/* shared_string_bomb - 40 sheets each citing one 64 KiB shared string five
 * times: 12.5 MiB of text out of a few KiB. The text counts against
 * max_extracted like decompressed bytes, so it stops at the budget. */
static void shared_string_bomb(void)
{
	GString *sst = g_string_new("<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/"
				    "spreadsheetml/2006/main\"><si><t>");
	GString *sheet = g_string_new("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
				      "spreadsheetml/2006/main\"><sheetData><row r=\"1\">");
	packed files[42];
	GBytes *xlsx;
	outcome o;

	for (int i = 0; i < 65536 / 8; i++)
		g_string_append(sst, "ha ha ha");
	g_string_append(sst, "</t></si></sst>");
	for (int i = 0; i < 5; i++)
		g_string_append(sheet, "<c t=\"s\"><v>0</v></c>");
	g_string_append(sheet, "</row></sheetData></worksheet>");
	files[0] = (packed){ "[Content_Types].xml", text_bytes("<?xml version=\"1.0\"?><Types xmlns=\"http://"
				"schemas.openxmlformats.org/package/2006/content-types\"/>") };
	files[1] = (packed){ "xl/sharedStrings.xml", g_string_free_to_bytes(sst) };
	for (gsize i = 2; i < G_N_ELEMENTS(files); i++)
		files[i] = (packed){ g_strdup_printf("xl/worksheets/sheet%zu.xml", i - 1), text_bytes(sheet->str) };
	xlsx = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));
	o = scan_bytes("bomb.xlsx", "application/octet-stream", xlsx, one_mib_budget);
	ok(strstr(o.limits->str, "extracted_bytes") != NULL,
	   "shared-string bomb: an extracted_bytes finding (got '%s')", o.limits->str);
	ok(o.text_bytes <= 1 << 20, "shared-string bomb: %zu bytes of text, within max_extracted", o.text_bytes);
	outcome_free(&o);
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		if (i >= 2)
			g_free((char *)files[i].name);
		g_bytes_unref(files[i].data);
	}
	g_bytes_unref(xlsx);
	g_string_free(sheet, TRUE);
}

/* is_records - DATA named NAME, of type CTYPE, counts WANT pupils */
static void is_records(const char *name, const char *ctype, GBytes *data, int want, const char *what)
{
	outcome o = scan_bytes(name, ctype, data, NULL);

	is_int(o.records, want, "%s", what);
	outcome_free(&o);
}

/* expect_zip_pupils - FILES zipped (writer OPTIONS) hold 5 pupils, and nothing is wrong with them */
static void expect_zip_pupils(const char *what, const char *options, const packed *files, gsize n)
{
	GBytes *zip = pack("zip", NULL, options, files, n);
	outcome o = scan_bytes("notes.zip", "application/zip", zip, NULL);

	is_int(o.records, 5, "%s: 5 pupils counted", what);
	ok(o.errors == 0 && o.limits->len == 0, "%s: no error (%s), no limit hit ('%s')", what,
	   o.error ? o.error : "none", o.limits->str);
	outcome_free(&o);
	g_bytes_unref(zip);
}

/* planted_xml - an XML file the package does not name (no relationship
 * targets it, the manifest does not list it) is read like any member, even
 * in a folder of the document's own, and so is a file that only borrows the
 * name of a structural member; what the package names is not */
static void planted_xml(GBytes *types, GBytes *mimetype)
{
	GBytes *ctf = fixture("ctf_5.xml");
	GBytes *root_rels = text_bytes("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
				       "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" "
				       "Type=\"x\" Target=\"word/document.xml\"/><Relationship Id=\"r2\" "
				       "Type=\"x\" Target=\"http://example.org/a.xml\" TargetMode=\"External\"/>"
				       "</Relationships>");
	GBytes *doc_rels = text_bytes("<Relationships><Relationship Id=\"r1\" Target=\"theme/../theme/theme%201.xml\"/>"
				      "<Relationship Id=\"r2\" Target=\"/word/styles.xml\"/></Relationships>");
	GBytes *doc = text_bytes("<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:p>"
				 "</w:body></w:document>");
	GBytes *manifest = text_bytes("<m:manifest xmlns:m=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
				      "<m:file-entry m:full-path=\"/\"/><m:file-entry m:full-path=\"content.xml\"/>"
				      "<m:file-entry m:full-path=\"Configurations2/\"/></m:manifest>");
	GBytes *content = text_bytes("<office:document-content xmlns:office=\"o\"/>");
	packed ooxml_folder[] = { { "[Content_Types].xml", types }, { "export/ctf.xml", ctf } };
	packed ooxml_inside[] = {
		{ "[Content_Types].xml", types }, { "_rels/.rels", root_rels }, { "word/document.xml", doc },
		{ "word/_rels/document.xml.rels", doc_rels }, { "word/styles.xml", doc },
		{ "word/theme/theme 1.xml", doc }, { "word/ctf.xml", ctf },
	};
	packed odf[] = {
		{ "mimetype", mimetype }, { "META-INF/manifest.xml", manifest }, { "content.xml", content },
		{ "Configurations2/accelerator/current.xml", content }, { "data/ctf.xml", ctf },
	};
	GBytes *csv = fixture("pupils_5.csv");
	packed ctf_as_types[] = { { "[Content_Types].xml", ctf }, { "word/document.xml", doc } };
	packed ctf_as_rels[] = { { "[Content_Types].xml", types }, { "word/_rels/notes.xml.rels", ctf } };
	packed csv_as_mimetype[] = { { "mimetype", csv }, { "content.xml", content } };
	GBytes *zip = pack("zip", NULL, NULL, ooxml_inside, G_N_ELEMENTS(ooxml_inside));
	outcome o;

	expect_zip_pupils("zip with [Content_Types].xml: a CTF in a folder of its own", NULL, ooxml_folder,
			  G_N_ELEMENTS(ooxml_folder));
	expect_zip_pupils("OOXML package: a CTF in word/ that no relationship targets", NULL, ooxml_inside,
			  G_N_ELEMENTS(ooxml_inside));
	expect_zip_pupils("ODF package: a CTF the manifest does not list", NULL, odf, G_N_ELEMENTS(odf));
	expect_zip_pupils("a CTF named [Content_Types].xml", NULL, ctf_as_types, G_N_ELEMENTS(ctf_as_types));
	expect_zip_pupils("a CTF named as the relationships of a part that is not there", NULL, ctf_as_rels,
			  G_N_ELEMENTS(ctf_as_rels));
	expect_zip_pupils("a CSV named mimetype", NULL, csv_as_mimetype, G_N_ELEMENTS(csv_as_mimetype));
	{
		/* a long member name cost a copy and a hash per folder above it */
		GString *deep = g_string_new(NULL);
		GBytes *tar;

		for (int i = 0; i < 100000; i++)
			g_string_append(deep, "a/");
		g_string_append(deep, "ctf.xml");
		packed long_name[] = { { "[Content_Types].xml", types }, { deep->str, ctf } };
		tar = pack("pax", NULL, NULL, long_name, G_N_ELEMENTS(long_name));
		o = scan_bytes("export.tar", "application/x-tar", tar, NULL);
		is_int(o.records, 5, "a CTF under a 200 KB path beside [Content_Types].xml: read, in bounded time");
		outcome_free(&o);
		g_bytes_unref(tar);
		g_string_free(deep, TRUE);
	}
	{
		/* named by a relationship, yet data: a CTF, and custom XML */
		GBytes *rels = text_bytes("<Relationships><Relationship Id=\"r1\" Target=\"word/document.xml\"/>"
					  "<Relationship Id=\"r2\" Target=\"data/export.xml\"/></Relationships>");
		packed named_ctf[] = {
			{ "[Content_Types].xml", types }, { "_rels/.rels", rels }, { "word/document.xml", doc },
			{ "data/export.xml", ctf },
		};
		packed custom[] = {
			{ "[Content_Types].xml", types }, { "_rels/.rels", rels }, { "word/document.xml", doc },
			{ "customXml/item1.xml", csv },
		};

		expect_zip_pupils("OOXML: a CTF a relationship names is still read", NULL, named_ctf,
				  G_N_ELEMENTS(named_ctf));
		expect_zip_pupils("OOXML: a custom XML item is read", NULL, custom, G_N_ELEMENTS(custom));
		g_bytes_unref(rels);
	}
	o = scan_bytes("notes.docx", "application/octet-stream", zip, NULL);
	is_str(o.xml_members->str, "word/ctf.xml ", "OOXML: parts a relationship targets (relative, absolute, "
	       "%%-encoded) stay out of the walk; the planted one goes in");
	outcome_free(&o);
	g_bytes_unref(zip);
	zip = pack("zip", NULL, NULL, odf, G_N_ELEMENTS(odf));
	o = scan_bytes("notes.odt", "application/octet-stream", zip, NULL);
	is_str(o.xml_members->str, "data/ctf.xml ", "ODF: listed parts and what is under a listed folder stay out "
	       "of the walk; the planted one goes in");
	outcome_free(&o);
	g_bytes_unref(zip);
	g_bytes_unref(csv);
	g_bytes_unref(content);
	g_bytes_unref(manifest);
	g_bytes_unref(doc);
	g_bytes_unref(doc_rels);
	g_bytes_unref(root_rels);
	g_bytes_unref(ctf);
}

/* renamed_text - a text file read whatever its name and type say; binary
 * data is not read as text */
static void renamed_text(void)
{
	static const guchar png_head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	GBytes *csv = fixture("pupils_5.csv");
	GByteArray *bin = g_byte_array_new();
	GBytes *binary, *cert;
	GString *pem;
	outcome o;

	is_records("pupils.dat", "application/octet-stream", csv, 5, "a CSV renamed pupils.dat is read: 5 pupils");
	is_records("class", "image/png", csv, 5, "a CSV with no extension sent as image/png is read: 5 pupils");
	g_byte_array_append(bin, png_head, sizeof png_head);
	for (int i = 0; i < 4096; i++) {
		guint8 b = (guint8)g_random_int_range(1, 256);

		g_byte_array_append(bin, &b, 1);
	}
	binary = g_byte_array_free_to_bytes(bin);
	o = scan_bytes("photo.dat", "application/octet-stream", binary, NULL);
	is_int((int)o.text_bytes, 0, "binary data after a PNG header is not read as text");
	outcome_free(&o);
	pem = g_string_new("-----BEGIN CERTIFICATE-----\n");
	for (int i = 0; i < 40; i++) {
		char *line = g_base64_encode((const guchar *)g_bytes_get_data(binary, NULL) + i * 48, 48);

		g_string_append_printf(pem, "%s\n", line);
		g_free(line);
	}
	g_string_append(pem, "-----END CERTIFICATE-----\n");
	cert = g_bytes_new(pem->str, pem->len);
	o = scan_bytes("school.crt", "application/x-x509-ca-cert", cert, NULL);
	is_int((int)o.text_bytes, 0, "a PEM certificate (base64 lines) is not read as text");
	outcome_free(&o);
	g_bytes_unref(cert);
	g_string_free(pem, TRUE);
	g_bytes_unref(binary);
	g_bytes_unref(csv);
}

/* real_packages - documents made by office software walk none of their XML parts */
static void real_packages(void)
{
	static const char *const files[] = {
		"pupils_5.xlsx", "pupils_5.docx", "pupils_5.ods", "pupils_5.pptx", "pupils_5_report.docx",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		outcome o = scan_file(files[i], "application/octet-stream", NULL);

		is_str(o.xml_members->str, "", "%s: the package names every XML part it holds", files[i]);
		outcome_free(&o);
	}
}

/* office_lookalikes - a zip is not an office document just because it holds
 * a mimetype or [Content_Types].xml: its other members are still read */
static void office_lookalikes(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *mimetype = text_bytes("application/vnd.oasis.opendocument.text");
	GBytes *types = text_bytes("<?xml version=\"1.0\"?><Types/>");
	packed inner[] = { { "pupils.csv", csv } };
	GBytes *inner_zip = pack("zip", NULL, NULL, inner, 1);
	packed odf[] = { { "mimetype", mimetype }, { "notes.csv", csv } };
	packed ooxml[] = { { "[Content_Types].xml", types }, { "docs/inner.zip", inner_zip } };
	packed manifest[] = { { "META-INF/manifest.xml", types }, { "Pictures/list.csv", csv } };

	expect_zip_pupils("zip with a mimetype member: its CSV", NULL, odf, G_N_ELEMENTS(odf));
	expect_zip_pupils("zip with [Content_Types].xml: its nested zip", NULL, ooxml, G_N_ELEMENTS(ooxml));
	expect_zip_pupils("zip with META-INF/manifest.xml: a CSV in a folder", NULL, manifest, G_N_ELEMENTS(manifest));
	g_bytes_unref(inner_zip);
	planted_xml(types, mimetype);
	g_bytes_unref(types);
	g_bytes_unref(mimetype);
	g_bytes_unref(csv);
}

/* utf8_names - in the C locale libarchive could not show a name flagged
 * UTF-8: the name came back NULL, and a CSV without a name is not read */
static void utf8_names(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *notes = text_bytes("see the list\n");
	packed files[] = { { "\xc3\xa9l\xc3\xa8ves.csv", csv }, { "notes.txt", notes } };

	expect_zip_pupils("zip member with a UTF-8 name", "zip:hdrcharset=UTF-8", files, G_N_ELEMENTS(files));
	g_bytes_unref(notes);
	g_bytes_unref(csv);
}

/* with_prefix - PREFIX_LEN bytes of PREFIX (repeated) followed by DATA */
static GBytes *with_prefix(char prefix, gsize prefix_len, GBytes *data)
{
	GByteArray *out = g_byte_array_sized_new((guint)(prefix_len + g_bytes_get_size(data)));
	gsize len;
	const guint8 *d = g_bytes_get_data(data, &len);

	g_byte_array_set_size(out, (guint)prefix_len);
	memset(out->data, prefix, prefix_len);
	g_byte_array_append(out, d, (guint)len);
	return g_byte_array_free_to_bytes(out);
}

/* pdf_after_junk - poppler opens a PDF whose header is not at byte 0: after
 * a NUL (sniffed), or after more junk than sniff() looks at (type or name) */
static void pdf_after_junk(void)
{
	GBytes *pdf = fixture("pupils_5.pdf"), *nul = with_prefix('\0', 1, pdf), *junk = with_prefix(' ', 1100, pdf);

	is_records("scan", "application/octet-stream", nul, 5, "PDF after a NUL byte, no type or name: read");
	is_records("scan", "application/pdf", junk, 5, "PDF after 1100 bytes of junk, typed application/pdf: read");
	is_records("scan.pdf", "application/octet-stream", junk, 5, "PDF after 1100 bytes of junk, named .pdf: read");
	g_bytes_unref(junk);
	g_bytes_unref(nul);
	g_bytes_unref(pdf);
}

/* damaged_member - a stored member whose CRC does not match: unzip extracts
 * it with a warning, so what was read is scanned and the damage recorded */
static void damaged_member(void)
{
	GBytes *csv = fixture("pupils_5.csv");
	GString *text = g_string_new_len(g_bytes_get_data(csv, NULL), (gssize)g_bytes_get_size(csv));
	packed files[] = { { "pupils.csv", NULL } };
	GBytes *zip, *bad;
	gsize len, text_len;
	guint8 *d, *at;
	outcome o;

	g_string_append(text, "\r\n");
	text_len = text->len;
	files[0].data = g_string_free_to_bytes(text);
	zip = pack("zip", NULL, "zip:compression=store", files, 1);
	d = g_bytes_unref_to_data(zip, &len);
	if ((at = memmem(d, len, g_bytes_get_data(files[0].data, NULL), text_len)))
		at[text_len - 2] = '\n';	/* an extra blank line, and the CRC no longer matches */
	bad = g_bytes_new_take(d, len);
	o = scan_bytes("pupils.zip", "application/zip", bad, NULL);
	ok(at != NULL, "damaged member: a byte of the stored data changed");
	is_int(o.records, 5, "member with a bad CRC: what was read is scanned");
	ok(o.error && strstr(o.error, "damaged"), "member with a bad CRC: recorded as damaged ('%s')",
	   o.error ? o.error : "no error");
	outcome_free(&o);
	g_bytes_unref(bad);
	g_bytes_unref(files[0].data);
	g_bytes_unref(csv);
}

/* tar_entry - a ustar header for NAME of TYPE, then DATA padded to 512 bytes */
static void tar_entry(GByteArray *tar, const char *name, char type, const void *data, gsize len)
{
	char h[512] = { 0 };
	guint sum = 0;

	g_strlcpy(h, name, 100);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	g_snprintf(h + 124, 12, "%011zo", len);
	memcpy(h + 136, "00000000000", 11);
	memset(h + 148, ' ', 8);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (gsize i = 0; i < sizeof h; i++)
		sum += (guchar)h[i];
	g_snprintf(h + 148, 8, "%06o", sum);
	h[155] = ' ';
	g_byte_array_append(tar, (const guint8 *)h, sizeof h);
	g_byte_array_append(tar, data, (guint)len);
	g_byte_array_set_size(tar, (tar->len + 511) / 512 * 512);
}

/* tar_gz - the pupils CSV and a GNU dumpdir ('D') entry of DIR_LEN bytes
 * (CSV first when CSV_FIRST), gzipped */
static GBytes *tar_gz(gsize dir_len, gboolean csv_first)
{
	GBytes *csv = fixture("pupils_5.csv"), *tar;
	GByteArray *t = g_byte_array_new();
	guint8 *listing = g_malloc0(dir_len);
	packed file = { "x.tar", NULL };
	GBytes *gz;

	if (csv_first)
		tar_entry(t, "pupils.csv", '0', g_bytes_get_data(csv, NULL), g_bytes_get_size(csv));
	tar_entry(t, "dir/", 'D', listing, dir_len);
	if (!csv_first)
		tar_entry(t, "pupils.csv", '0', g_bytes_get_data(csv, NULL), g_bytes_get_size(csv));
	g_byte_array_set_size(t, t->len + 1024);	/* end of archive: two zero blocks */
	memset(t->data + t->len - 1024, 0, 1024);
	file.data = tar = g_byte_array_free_to_bytes(t);
	gz = pack("raw", "gzip", NULL, &file, 1);
	g_bytes_unref(tar);
	g_bytes_unref(csv);
	g_free(listing);
	return gz;
}

/* header_warning - libarchive reads an entry after a malformed pax header
 * with a warning; that warning stopped the walk, unscanned */
static void header_warning(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *tar;
	GByteArray *t = g_byte_array_new();
	outcome o;

	tar_entry(t, "PaxHeader", 'x', "garbage\n", 8);
	tar_entry(t, "pupils.csv", '0', g_bytes_get_data(csv, NULL), g_bytes_get_size(csv));
	g_byte_array_set_size(t, t->len + 1024);
	memset(t->data + t->len - 1024, 0, 1024);
	tar = g_byte_array_free_to_bytes(t);
	o = scan_bytes("list.tar", "application/x-tar", tar, NULL);
	is_int(o.records, 5, "tar member after a malformed pax header: read");
	outcome_free(&o);
	g_bytes_unref(tar);
	g_bytes_unref(csv);
}

static void small_budget(es_scan *s) { s->limits.max_extracted = 128 << 10; }

/* tar_skipped_entries - the data of a directory entry is read through the
 * budget, not inflated unseen by libarchive on its way to the next header */
static void tar_skipped_entries(void)
{
	GBytes *big = tar_gz(256 << 10, TRUE), *small = tar_gz(16, FALSE);
	outcome o = scan_bytes("d.tar.gz", "application/gzip", big, small_budget);

	ok(strstr(o.limits->str, "extracted_bytes") != NULL,
	   "tar 'D' entry of 256 KiB, max_extracted 128 KiB: an extracted_bytes finding (got '%s')", o.limits->str);
	is_int(o.records, 5, "tar 'D' entry: the member before it was read");
	outcome_free(&o);
	o = scan_bytes("d.tar.gz", "application/gzip", small, NULL);
	is_int(o.records, 5, "tar with a small 'D' entry: the member after it is read");
	ok(o.limits->len == 0, "tar with a small 'D' entry: no limit hit ('%s')", o.limits->str);
	outcome_free(&o);
	g_bytes_unref(small);
	g_bytes_unref(big);
}

/* make_fixtures - run the recipes; a missing tool fails the whole test */
/* nul_in_attached_message - a NUL in an attached message's text part does
 * not hide what follows it (GMime's text reader stops at a NUL) */
static void nul_in_attached_message(void)
{
	static const char body[] = "hello\0 what a bellend\n";
	char *b64 = g_base64_encode((const guchar *)body, sizeof(body) - 1);
	char *eml = g_strdup_printf("From: a@b.example\nSubject: fwd\nMIME-Version: 1.0\nContent-Type: text/plain\n"
				    "Content-Transfer-Encoding: base64\n\n%s\n", b64);
	GBytes *msg = g_bytes_new_take(eml, strlen(eml));
	outcome o = scan_bytes("fwd.eml", "message/rfc822", msg, NULL);

	/* the subject (3 bytes) and all of the body (22) */
	is_int((int)o.text_bytes, 3 + (int)sizeof(body) - 1, "a NUL in an attached message's text does not hide what follows it");
	outcome_free(&o);
	g_bytes_unref(msg);
	g_free(b64);
}

static gboolean make_fixtures(void)
{
	const char *src = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
	char *cmd = g_strdup_printf("python3 '%s/tests/pupil_data/mkfixtures.py' '%s' && "
				    "sh '%s/tests/pupil_data/mkencrypted.sh' '%s'", src, dir, src, dir);
	int rc = system(cmd);
	char *path = g_build_filename(src, "rules", "pupil_data", "headers.txt", NULL);
	GError *err = NULL;

	g_free(cmd);
	rules = pk_rules_load(path, &err);
	g_free(path);
	if (!rules)
		diag("rules: %s", err->message);
	return ok(rc == 0 && rules, "fixtures generated and rules loaded");
}

/* plain_lists - 1, 5 and 200 pupils in each format, CTFs, and other carriers */
static void plain_lists(void)
{
	static const char *const fmts[][2] = {
		{ "csv", "text/csv" }, { "xlsx", "application/octet-stream" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "pdf", "application/pdf" }, { "rtf", "application/rtf" },
	};
	static const int sizes[] = { 1, 5, 200 };
	outcome o;

	for (gsize f = 0; f < G_N_ELEMENTS(fmts); f++)
		for (gsize n = 0; n < G_N_ELEMENTS(sizes); n++) {
			char *file = g_strdup_printf("pupils_%d.%s", sizes[n], fmts[f][0]);

			expect_pupils(file, fmts[f][1], sizes[n]);
			g_free(file);
		}
	for (gsize n = 0; n < G_N_ELEMENTS(sizes); n++) {
		char *file = g_strdup_printf("ctf_%d.xml", sizes[n]);

		o = scan_file(file, "application/xml", NULL);
		is_int(o.records, sizes[n], "%s: CTF is pupil data, %d pupils", file, sizes[n]);
		outcome_free(&o);
		g_free(file);
	}
	o = scan_file("pupils_200.csv", "text/csv", NULL);
	is_str(o.excerpt, "200 pupils: name, DOB, UPN, year, class, SEN, FSM", "excerpt names the kinds, no values");
	outcome_free(&o);
	expect_pupils("pupils_5_utf16.csv", "application/vnd.ms-excel", 5);
	/* no header row: names beside school-age dates of birth */
	expect_pupils("pupils_5_headerless.csv", "text/csv", 5);
	expect_pupils("pupils_5_utf16_nobom.csv", "text/csv", 5);
	expect_pupils("pupils_5_utf16be_nobom.csv", "application/octet-stream", 5);
	expect_pupils("pupils_5_utf16_stray.csv", "text/csv", 5);
	expect_pupils("pupils_5_utf16_surrogate.csv", "text/csv", 5);
	expect_pupils("pupils_5.html", "text/html", 5);
	expect_pupils("pupils_5_report.docx", "application/octet-stream", 5);
	expect_pupils("pupils_5.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 5);
	expect_pupils("pupils_5_nested.zip", "application/zip", 5);
	expect_pupils("pupils_5_eml.zip", "application/zip", 5);
	expect_pupils("pupils_5_fwd_eml.zip", "application/zip", 5);
	expect_pupils("winmail.dat", "application/ms-tnef", 5);
	expect_pupils("plain.7z", "application/x-7z-compressed", 5);
	/* a table printed to PDF cell by cell: poppler reads it column by column */
	expect_pupils("pupils_5_cells.pdf", "application/pdf", 5);
	/* Excel 97: cells are records, each string once in a table of its own */
	expect_pupils("pupils_5.xls", "application/vnd.ms-excel", 5);
	/* Word 97: a table's cells end with a mark, its text is in pieces, 8-bit or UTF-16 */
	expect_pupils("pupils_5.doc", "application/msword", 5);
	/* ... behind a field begin that never ends, or a field whose code is the table */
	expect_pupils("pupils_5_field_open.doc", "application/msword", 5);
	expect_pupils("pupils_5_field_closed.doc", "application/msword", 5);
}

/* encrypted_and_ordinary - every supported encryption; attachments that must pass */
static void encrypted_and_ordinary(void)
{
	expect_encrypted("enc_zipcrypto.zip", "application/zip");
	expect_encrypted("enc_aes.zip", "application/zip");
	expect_encrypted("enc_names.7z", "application/x-7z-compressed");
	expect_encrypted("enc_mhe.7z", "application/x-7z-compressed");
	expect_encrypted("enc.pdf", "application/pdf");
	expect_encrypted("enc_office.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	expect_encrypted("enc_odf.ods", "application/vnd.oasis.opendocument.spreadsheet");
	expect_encrypted("enc_smime.p7m", "application/pkcs7-mime");
	expect_encrypted("enc.gpg", "application/octet-stream");
	expect_encrypted("enc.asc", "application/pgp-encrypted");

	/* signed, not encrypted: the list inside an opaque S/MIME signature is read */
	expect_pupils("signed_smime.p7m", "application/pkcs7-mime", 5);
	expect_pupils("signed_smime_ber.p7m", "application/pkcs7-mime", 5);
	expect_ordinary("signed_detached.p7s", "application/pkcs7-signature");
	/* a file signed as it is: read by its name without .p7m, or by its bytes */
	expect_pupils("pupils_5.csv.p7m", "application/pkcs7-mime", 5);
	expect_pupils("signed_file.bin", "application/octet-stream", 5);

	expect_ordinary("timetable.csv", "text/csv");
	expect_ordinary("timetable.xlsx", "application/octet-stream");
	expect_ordinary("newsletter.docx", "application/octet-stream");
	expect_ordinary("invoice.pdf", "application/pdf");
	expect_ordinary("timetable_cells.pdf", "application/pdf");
	expect_ordinary("timetable.xls", "application/vnd.ms-excel");
	expect_ordinary("staff_rota.csv", "text/csv");
	expect_ordinary("staff_rota.xlsx", "application/octet-stream");
	/* staff HR data is personal data (personal_data reports it), not pupils */
	expect_ordinary("staff_hr.csv", "text/csv");
	expect_ordinary("photo.png", "image/png");
}

/* joined - the bytes of A, then S, then B (either may be NULL) */
static GBytes *joined(GBytes *a, const char *s, GBytes *b)
{
	GByteArray *out = g_byte_array_new();

	if (a)
		g_byte_array_append(out, g_bytes_get_data(a, NULL), (guint)g_bytes_get_size(a));
	g_byte_array_append(out, (const guint8 *)s, (guint)strlen(s));
	if (b)
		g_byte_array_append(out, g_bytes_get_data(b, NULL), (guint)g_bytes_get_size(b));
	return g_byte_array_free_to_bytes(out);
}

/* expect_plain_as - DATA, sent as NAME of type CTYPE, is read (5 pupils at
 * least: base64 lines right below the rows may count as more) and is not encrypted */
static void expect_plain_as(GBytes *data, const char *name, const char *ctype, const char *what)
{
	outcome o = scan_bytes(name, ctype, data, NULL);

	ok(o.records >= 5 && !o.encrypted, "%s: 5 pupils read, not encrypted (%d, %s)", what, o.records,
	   o.encrypted ? "encrypted" : "plain");
	outcome_free(&o);
}

/* expect_plain_csv - DATA, sent as pupils.csv, is read and not encrypted */
static void expect_plain_csv(GBytes *data, const char *what)
{
	expect_plain_as(data, "pupils.csv", "text/csv", what);
}

/* pgp_armour_lookalikes - only a file that is one armoured PGP message is
 * encrypted; the BEGIN line as a CSV's first row, or CSV rows before, after
 * or inside a real block, leave the rows to be read */
static void pgp_armour_lookalikes(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *asc = fixture("enc.asc"), *b;
	gsize len;
	const char *d = g_bytes_get_data(asc, &len);
	const char *body = g_strstr_len(d, (gssize)len, "\n\n");
	char *head = body ? g_strndup(d, (gsize)(body - d) + 2) : g_strdup("");
	GBytes *tail = g_bytes_new(body ? body + 2 : "", body ? len - (gsize)(body + 2 - d) : 0);
	GBytes *rows = joined(csv, "", tail);

	b = joined(NULL, "-----BEGIN PGP MESSAGE-----\n", csv);
	expect_plain_csv(b, "CSV whose first line is the PGP BEGIN line");
	g_bytes_unref(b);
	b = joined(csv, "", asc);
	expect_plain_csv(b, "CSV rows before a real armoured block");
	g_bytes_unref(b);
	b = joined(asc, "", csv);
	expect_plain_csv(b, "CSV rows after a real armoured block");
	g_bytes_unref(b);
	b = joined(NULL, head, rows);
	expect_plain_csv(b, "CSV rows inside an armoured block, before its base64");
	g_bytes_unref(b);
	b = joined(NULL, "\n  \r\n", asc);
	expect_encrypted_bytes(b, "armoured block after white space");
	g_bytes_unref(b);
	g_bytes_unref(rows);
	g_bytes_unref(tail);
	g_free(head);
	g_bytes_unref(asc);
	g_bytes_unref(csv);
}

/* binary_crypto_lookalikes - an OpenPGP or CMS header is believed only
 * when what follows is ciphertext: a CSV behind a session-key packet and an
 * encrypted-data packet header whose lengths fit, behind a CMS
 * ContentInfo naming enveloped data, or sent as application/pgp-encrypted,
 * is read. A real encrypted file is recognised by its packets, whatever
 * its name or type. */
static void binary_crypto_lookalikes(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *big = fixture("pupils_200.csv"), *gpg = fixture("enc.gpg"), *b;
	gsize n = g_bytes_get_size(csv);
	/* tag 3 (symmetric session key), 4 bytes; tag 18 (encrypted data) with
	 * a two-octet length (192..8383, no NUL in it) running to the end */
	char pgp[16] = { (char)0xc3, 4, 'a', 'b', 'c', 'd', (char)0xd2,
			 (char)(192 + ((n - 192) >> 8)), (char)((n - 192) & 0xff), 0 };
	static const char cms[] = "\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03\xa0\x80";
	outcome o;

	g_assert(n >= 192 && n < 8384 && (n - 192) % 256 != 0);
	b = joined(NULL, pgp, csv);
	expect_plain_as(b, "pupils.gpg", "application/octet-stream", "CSV behind OpenPGP packet headers, as pupils.gpg");
	g_bytes_unref(b);
	b = joined(NULL, cms, big);	/* long enough that its 4 control bytes pass for text */
	expect_plain_as(b, "pupils.p7m", "application/pkcs7-mime", "CSV behind a CMS enveloped-data header, as .p7m");
	g_bytes_unref(b);
	expect_plain_as(csv, "pupils.csv", "application/pgp-encrypted", "CSV sent as application/pgp-encrypted");
	o = scan_bytes("export.dat", "application/octet-stream", gpg, NULL);
	ok(o.encrypted && o.records == 0, "gpg -c output named export.dat: encrypted, by its packets");
	outcome_free(&o);
	b = g_bytes_new_from_bytes(gpg, 0, g_bytes_get_size(gpg) - 1);
	o = scan_bytes("export.gpg", "application/octet-stream", b, NULL);
	ok(!o.encrypted, "gpg -c output cut short by a byte: its packets do not fit, not reported as encrypted");
	outcome_free(&o);
	g_bytes_unref(b);
	b = g_bytes_new_static("Version: 1\r\n", 12);
	o = scan_bytes("", "application/pgp-encrypted", b, NULL);
	ok(o.encrypted, "the PGP/MIME control part (Version: 1) still marks the message encrypted");
	outcome_free(&o);
	g_bytes_unref(b);
	g_bytes_unref(gpg);
	g_bytes_unref(big);
	g_bytes_unref(csv);
}

/* magic_lookalikes - a CSV whose first bytes hold a format's magic (so
 * sniff() hands it to that reader, which finds nothing) is read as text */
static void magic_lookalikes(void)
{
	GBytes *csv = fixture("pupils_5.csv");
	char *pad = g_strnfill(256, 'x');
	char *ustar = g_strdup_printf("%s\nustar export\n", pad);
	static const struct { const char *head, *what; } heads[] = {
		{ "Ref %PDF-1.7 export\n", "\"%PDF-\" in its first line" },
		{ "BZh class list\n", "starting \"BZh\"" },
		{ "x\x9f>\" list\n", "starting with the TNEF signature (Windows-1252)" },
		{ "{\\rtf}\n", "starting \"{\\rtf\"" },
		{ NULL, "\"ustar\" at byte 257" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(heads); i++) {
		GBytes *b = joined(NULL, heads[i].head ? heads[i].head : ustar, csv);
		char *what = g_strdup_printf("CSV %s, as text/csv: read", heads[i].what);

		is_records("pupils.csv", "text/csv", b, 5, what);
		g_free(what);
		what = g_strdup_printf("CSV %s, as pupils.dat: read", heads[i].what);
		is_records("pupils.dat", "application/octet-stream", b, 5, what);
		g_free(what);
		g_bytes_unref(b);
	}
	g_free(ustar);
	g_free(pad);
	g_bytes_unref(csv);
}

/* tnef_record - one TNEF attribute: level, id (type << 16 | id), length,
 * data, checksum (the sum of the data bytes) */
static void tnef_record(GByteArray *t, guint8 level, guint32 id, const void *data, gsize len)
{
	guint8 head[9] = { level, id & 0xff, id >> 8 & 0xff, id >> 16 & 0xff, id >> 24 & 0xff,
			   len & 0xff, len >> 8 & 0xff, len >> 16 & 0xff, len >> 24 & 0xff };
	guint sum = 0;
	guint8 check[2];

	for (gsize i = 0; i < len; i++)
		sum += ((const guint8 *)data)[i];
	check[0] = sum & 0xff;
	check[1] = sum >> 8 & 0xff;
	g_byte_array_append(t, head, sizeof(head));
	g_byte_array_append(t, data, (guint)len);
	g_byte_array_append(t, check, 2);
}

/* put32 - V as 4 little-endian bytes */
static void put32(GByteArray *b, guint32 v)
{
	guint8 le[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff };

	g_byte_array_append(b, le, 4);
}

/* put_counted - a counted MAPI value: count 1, length, DATA, padding to 4 */
static void put_counted(GByteArray *b, const void *data, gsize len)
{
	static const guint8 pad[3] = { 0 };

	put32(b, 1);
	put32(b, (guint32)len);
	g_byte_array_append(b, data, (guint)len);
	g_byte_array_append(b, pad, (guint)((4 - len % 4) % 4));
}

/* mapi_body - a MAPI property list as Outlook writes one: a long, a named
 * property, a binary, then the body BODY as property TAG */
static GBytes *mapi_body(guint32 tag, const void *body, gsize len)
{
	GByteArray *b = g_byte_array_new();
	static const guint8 guid[16] = { 0x08, 0x20, 0x06 };
	static const char name[] = "x\0n\0\0\0";	/* UTF-16 "xn", NUL-terminated */

	put32(b, 4);
	put32(b, 0x0e070003);			/* PR_MESSAGE_FLAGS, PT_LONG */
	put32(b, 1);
	put32(b, 0x80010102);			/* a named property, PT_BINARY */
	g_byte_array_append(b, guid, sizeof(guid));
	put32(b, 1);				/* named by a string */
	put32(b, sizeof(name) - 1);
	g_byte_array_append(b, (const guint8 *)name, sizeof(name) - 1);
	g_byte_array_append(b, (const guint8 *)"\0\0", 2);
	put_counted(b, "\1\2\3", 3);
	put32(b, 0x0037001e);			/* PR_SUBJECT, PT_STRING8 */
	put_counted(b, "list\0", 5);
	put32(b, tag);
	put_counted(b, body, len);
	return g_byte_array_free_to_bytes(b);
}

/* tnef_with - a winmail.dat holding only the message-level attribute ID
 * with DATA (no attachments) */
static GBytes *tnef_with(guint32 id, GBytes *data)
{
	static const guint8 head[6] = { 0x78, 0x9f, 0x3e, 0x22, 0x01, 0x01 };
	GByteArray *t = g_byte_array_new();

	g_byte_array_append(t, head, sizeof(head));
	tnef_record(t, 1, 0x00089006, "\1\0\0\0", 4);	/* attTnefVersion */
	tnef_record(t, 1, id, g_bytes_get_data(data, NULL), g_bytes_get_size(data));
	return g_byte_array_free_to_bytes(t);
}

/* tnef_bodies - the message text Outlook keeps in a winmail.dat (attBody,
 * PR_BODY in 8 bits or UTF-16, PR_HTML) is read like its attachments are */
static void tnef_bodies(void)
{
	GBytes *csv = fixture("pupils_5.csv"), *html = fixture("pupils_5.html");
	gsize len;
	const char *d = g_bytes_get_data(csv, &len);
	gsize wlen = 0;
	char *wide = g_convert(d, (gssize)len, "UTF-16LE", "UTF-8", NULL, &wlen, NULL);
	struct { guint32 id; GBytes *data; const char *what; } cases[] = {
		{ 0x0001800c, g_bytes_ref(csv), "attBody" },
		{ 0x00069003, mapi_body(0x1000001e, d, len), "PR_BODY (PT_STRING8)" },
		{ 0x00069003, mapi_body(0x1000001f, wide, wlen), "PR_BODY (PT_UNICODE)" },
		{ 0x00069003, mapi_body(0x10130102, g_bytes_get_data(html, NULL), g_bytes_get_size(html)),
		  "PR_HTML" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		GBytes *tnef = tnef_with(cases[i].id, cases[i].data);
		char *what = g_strdup_printf("winmail.dat whose %s holds 5 pupils: read", cases[i].what);

		is_records("winmail.dat", "application/ms-tnef", tnef, 5, what);
		g_free(what);
		g_bytes_unref(tnef);
		g_bytes_unref(cases[i].data);
	}
	g_free(wide);
	g_bytes_unref(html);
	g_bytes_unref(csv);
}

/* rows_xml - OPEN, each line of CSV as the text of one ROW element, CLOSE */
static GBytes *rows_xml(const char *open, const char *row, const char *close, GBytes *csv)
{
	GString *out = g_string_new(open);
	char *text = g_strndup(g_bytes_get_data(csv, NULL), g_bytes_get_size(csv));
	char **lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		if (**l)
			g_string_append_printf(out, "<%s>%s</%s>", row, g_strchomp(*l), row);
	g_string_append(out, close);
	g_strfreev(lines);
	g_free(text);
	return g_string_free_to_bytes(out);
}

/* package_rels - a package relationships part naming parts A and B, so
 * they are the document's own and stay out of the walk */
static GBytes *package_rels(const char *a, const char *b)
{
	char *x = g_strdup_printf("<Relationships><Relationship Id=\"r1\" Target=\"/%s\"/>"
				  "<Relationship Id=\"r2\" Target=\"/%s\"/></Relationships>", a, b);

	return g_bytes_new_take(x, strlen(x));
}

/* xlsx_elsewhere - a sheet and shared strings under names of their own,
 * the strings part found by its content type, as Excel finds it */
static void xlsx_elsewhere(GBytes *csv)
{
	GString *sst = g_string_new("<sst>"), *sheet = g_string_new("<worksheet><sheetData>");
	char *text = g_strndup(g_bytes_get_data(csv, NULL), g_bytes_get_size(csv));
	char **lines = g_strsplit(text, "\n", -1);
	guint n = 0;
	GBytes *types = text_bytes("<Types><Override PartName=\"/xl/strings.xml\" ContentType=\"application/"
				   "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
	GBytes *rels = package_rels("xl/strings.xml", "xl/pupils/list.xml");
	packed files[] = { { "[Content_Types].xml", types }, { "_rels/.rels", rels }, { "xl/strings.xml", NULL },
			   { "xl/pupils/list.xml", NULL } };
	GBytes *zip;

	for (char **l = lines; *l && **l; l++) {
		char **cells = g_strsplit(*l, ",", -1);

		g_string_append(sheet, "<row>");
		for (char **c = cells; *c; c++, n++) {
			g_string_append_printf(sst, "<si><t>%s</t></si>", *c);
			g_string_append_printf(sheet, "<c t=\"s\"><v>%u</v></c>", n);
		}
		g_string_append(sheet, "</row>");
		g_strfreev(cells);
	}
	g_string_append(sst, "</sst>");
	g_string_append(sheet, "</sheetData></worksheet>");
	files[2].data = g_string_free_to_bytes(sst);
	files[3].data = g_string_free_to_bytes(sheet);
	zip = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));
	is_records("list.xlsx", "application/octet-stream", zip, 5,
		   "XLSX whose sheet and shared strings have other part names: 5 pupils");
	g_bytes_unref(zip);
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++)
		g_bytes_unref(files[i].data);
	g_strfreev(lines);
	g_free(text);
}

/* office_hidden_parts - text a reader shows outside the main part:
 * footnotes, comments, speaker notes, sheet names, ODF headers, titles */
/* texts_have - some text of S holds NEEDLE */
static gboolean texts_have(const es_scan *s, const char *needle)
{
	for (guint i = 0; i < s->texts->len; i++)
		if (strstr(((const es_text *)g_ptr_array_index(s->texts, i))->text, needle))
			return TRUE;
	return FALSE;
}

/* word_hidden_runs - a decoy in a hidden Word run (w:vanish) splits a word
 * only for the detectors: the text as Word shows it is read too, and the
 * hidden text itself still is */
static void word_hidden_runs(void)
{
	GBytes *types = text_bytes("<Types/>");
	GBytes *doc = text_bytes("<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>you bel</w:t></w:r>"
				 "<w:r><w:rPr><w:vanish/></w:rPr><w:t>xq</w:t></w:r><w:r><w:t>lend</w:t></w:r>"
				 "</w:p></w:body></w:document>");
	GBytes *rels = package_rels("word/document.xml", "word/document.xml");
	packed files[] = { { "[Content_Types].xml", types }, { "_rels/.rels", rels }, { "word/document.xml", doc } };
	GBytes *zip = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));
	es_scan *s = es_scan_new(conf, "TESTQID");

	es_scan_add_attachment(s, "2", "note.docx", "application/octet-stream", zip, 1);
	es_extract_all(s);
	ok(texts_have(s, "you bellend"), "a hidden Word run between letters: the text as shown is read");
	ok(texts_have(s, "you belxqlend"), "... and the whole text, hidden run and all");
	es_scan_free(s);
	g_bytes_unref(zip);
	g_bytes_unref(doc);
	/* w:val="0" switches it off: the run is shown, no second reading */
	doc = text_bytes("<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>you bel</w:t></w:r>"
			 "<w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>xq</w:t></w:r><w:r><w:t>lend</w:t></w:r>"
			 "</w:p></w:body></w:document>");
	files[2].data = doc;
	zip = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));
	s = es_scan_new(conf, "TESTQID");
	es_scan_add_attachment(s, "2", "note.docx", "application/octet-stream", zip, 1);
	es_extract_all(s);
	ok(!texts_have(s, "you bellend"), "w:vanish w:val=\"0\" is not hidden: no reading without the run");
	es_scan_free(s);
	g_bytes_unref(zip);
	g_bytes_unref(rels);
	g_bytes_unref(doc);
	g_bytes_unref(types);
}

/* word_fields - a Word 97 field's code (HYPERLINK "...", a field nested in
 * it) is left out of the text as Word shows it, and read in a text of its own */
static void word_fields(void)
{
	GBytes *b = fixture("letter_fields.doc");
	es_scan *s = es_scan_new(conf, "TESTQID");

	es_scan_add_attachment(s, "2", "letter.doc", "application/msword", b, 1);
	es_extract_all(s);
	ok(texts_have(s, "Dear parent carer"), "Word 97 fields: the text as shown, no code of a nested field");
	ok(!texts_have(s, "Dear \""), "... the outer field's code does not leak after the nested one ends");
	ok(texts_have(s, "HYPERLINK \" PAGE  3\" parent"), "... and the codes are read in the whole text");
	es_scan_free(s);
	g_bytes_unref(b);
}

/* rtf_hidden_text - the same with RTF's hidden text (\\v ... \\v0, or a group) */
static void rtf_hidden_text(void)
{
	static const char *const docs[] = {
		"{\\rtf1\\ansi you bel{\\v xq}lend}",
		"{\\rtf1\\ansi you bel\\v xq\\v0 lend}",
	};

	for (gsize d = 0; d < G_N_ELEMENTS(docs); d++) {
		GBytes *rtf = text_bytes(docs[d]);
		es_scan *s = es_scan_new(conf, "TESTQID");

		es_scan_add_attachment(s, "2", "note.rtf", "application/rtf", rtf, 1);
		es_extract_all(s);
		ok(texts_have(s, "you bellend") && texts_have(s, "you belxqlend"),
		   "RTF hidden text between letters (%s): read as shown and whole", docs[d]);
		es_scan_free(s);
		g_bytes_unref(rtf);
	}
}

static void office_hidden_parts(void)
{
	GBytes *csv = fixture("pupils_5.csv");
	GBytes *types = text_bytes("<Types/>"), *mimetype = text_bytes("application/vnd.oasis.opendocument.text");
	GBytes *doc = text_bytes("<w:document xmlns:w=\"w\"><w:body><w:p>Minutes</w:p></w:body></w:document>");
	GBytes *in_p = rows_xml("<w:footnotes xmlns:w=\"w\">", "w:p", "</w:footnotes>", csv);
	GBytes *notes = rows_xml("<p:notes xmlns:p=\"p\" xmlns:a=\"a\">", "a:p", "</p:notes>", csv);
	GBytes *styles = rows_xml("<office:document-styles xmlns:office=\"o\" xmlns:text=\"t\">", "text:p",
				  "</office:document-styles>", csv);
	GBytes *content = text_bytes("<office:document-content xmlns:office=\"o\"/>");
	GBytes *manifest = text_bytes("<m:manifest xmlns:m=\"m\"><m:file-entry m:full-path=\"content.xml\"/>"
				      "<m:file-entry m:full-path=\"styles.xml\"/></m:manifest>");
	GBytes *workbook = text_bytes("<workbook><sheets><sheet name=\"B821400114001\"/><sheet name=\"Q821400114002\"/>"
				      "<sheet name=\"E821400114003\"/></sheets></workbook>");
	GBytes *core = text_bytes("<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>B821400114001 and "
				  "Q821400114002</dc:title></cp:coreProperties>");
	struct { const char *file, *part, *what; GBytes *data; int want; } cases[] = {
		{ "notes.docx", "word/footnotes.xml", "DOCX footnotes", in_p, 5 },
		{ "notes.docx", "word/endnotes.xml", "DOCX endnotes", in_p, 5 },
		{ "notes.docx", "word/comments.xml", "DOCX comments", in_p, 5 },
		{ "notes.docx", "word/main.xml", "DOCX with its main part renamed", in_p, 5 },
		{ "talk.pptx", "ppt/notesSlides/notesSlide1.xml", "PPTX speaker notes", notes, 5 },
		{ "list.xlsx", "xl/comments1.xml", "XLSX comments", in_p, 5 },
		{ "list.xlsx", "xl/workbook.xml", "XLSX sheet names", workbook, 3 },
		{ "notes.docx", "docProps/core.xml", "DOCX title", core, 2 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		GBytes *rels = package_rels("word/document.xml", cases[i].part);
		packed files[] = { { "[Content_Types].xml", types }, { "_rels/.rels", rels },
				   { "word/document.xml", doc }, { cases[i].part, cases[i].data } };
		GBytes *zip = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));
		char *what = g_strdup_printf("%s: %d pupils", cases[i].what, cases[i].want);

		is_records(cases[i].file, "application/octet-stream", zip, cases[i].want, what);
		g_free(what);
		g_bytes_unref(zip);
		g_bytes_unref(rels);
	}
	{
		packed odt[] = { { "mimetype", mimetype }, { "META-INF/manifest.xml", manifest },
				 { "content.xml", content }, { "styles.xml", styles } };
		GBytes *zip = pack("zip", NULL, NULL, odt, G_N_ELEMENTS(odt));

		is_records("notes.odt", "application/octet-stream", zip, 5, "ODT header in styles.xml: 5 pupils");
		g_bytes_unref(zip);
	}
	xlsx_elsewhere(csv);
	{
		/* [Content_Types].xml naming the document's own text as shared
		 * strings must not hide it from the walk */
		GBytes *liar = text_bytes("<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/"
					  "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
		GBytes *body = rows_xml("<w:document xmlns:w=\"w\"><w:body>", "w:p", "</w:body></w:document>", csv);
		GBytes *rels = package_rels("word/document.xml", "word/document.xml");
		packed files[] = { { "[Content_Types].xml", liar }, { "_rels/.rels", rels },
				   { "word/document.xml", body } };
		GBytes *zip = pack("zip", NULL, NULL, files, G_N_ELEMENTS(files));

		is_records("notes.docx", "application/octet-stream", zip, 5,
			   "DOCX whose content types call its body the shared strings: 5 pupils");
		g_bytes_unref(zip);
		g_bytes_unref(rels);
		g_bytes_unref(body);
		g_bytes_unref(liar);
	}
	g_bytes_unref(core);
	g_bytes_unref(workbook);
	g_bytes_unref(manifest);
	g_bytes_unref(content);
	g_bytes_unref(styles);
	g_bytes_unref(notes);
	g_bytes_unref(in_p);
	g_bytes_unref(doc);
	g_bytes_unref(mimetype);
	g_bytes_unref(types);
	g_bytes_unref(csv);
}

/* bad_input - bombs, corrupt and truncated files, entity expansion, a looping PDF */
static void bad_input(void)
{
	outcome o;

	expect_bad("bomb_flat.zip", "application/zip", "ratio");
	expect_bad("bomb_nested.zip", "application/zip", "parts");
	expect_bad("corrupt.zip", "application/zip", NULL);
	expect_bad("truncated.xlsx", "application/octet-stream", NULL);
	expect_bad("billion_laughs.xml", "application/xml", "xml");
	/* poppler breaks the page-tree and xref loops itself: the PDF opens, the loop is not followed */
	o = scan_file("loop.pdf", "application/pdf", NULL);
	ok(o.records == 0 && o.limits->len == 0, "loop.pdf: read without looping, nothing flagged");
	outcome_free(&o);
	{
		/* a page tree that is a number: poppler opens it with no page, quietly */
		static const char nopages[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
			"2 0 obj\n5\nendobj\ntrailer\n<< /Size 3 /Root 1 0 R >>\n%%EOF\n";
		GBytes *b = g_bytes_new_static(nopages, sizeof nopages - 1);

		o = scan_bytes("nopages.pdf", "application/pdf", b, NULL);
		ok(o.error && strstr(o.error, "PDF damaged: no page could be read"),
		   "a PDF poppler opens with no page is reported, not passed as read: %s", o.error ? o.error : "(none)");
		outcome_free(&o);
		g_bytes_unref(b);
	}
}

/* biff - append one BIFF8 record of TYPE with SIZE bytes of BODY */
static void biff(GByteArray *a, guint type, const void *body, guint size)
{
	guint8 head[4] = { type & 0xff, type >> 8, size & 0xff, size >> 8 };

	g_byte_array_append(a, head, 4);
	g_byte_array_append(a, body, size);
}

/* xls_cells - es_x_xls_cells on A's bytes, copied to a buffer of exactly
 * their size (so a read past the end is one the sanitizers see), with
 * GLib's critical warnings fatal */
static GString *xls_cells(GByteArray *a, gsize max)
{
	guchar *d = g_memdup2(a->data, a->len);
	GLogLevelFlags was = g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
	GString *out = es_x_xls_cells(d, a->len, max);

	g_log_set_always_fatal(was);
	g_free(d);
	return out;
}

/* xls_records - a Workbook stream's damaged or hostile records */
static void xls_records(void)
{
	static const guint8 short_label[] = { 0, 0, 0, 0, 0, 0, 5 };	/* row, col, xf, then 1 byte of a string */
	static const guint8 sst[] = { 1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 'a', 'b' };	/* "ab..." of 5 */
	static const guint8 cont_flag[] = { 0 };	/* the string goes on: only its flags byte */
	GByteArray *a = g_byte_array_new();
	GString *out;

	biff(a, 0x0204, short_label, sizeof(short_label));
	out = xls_cells(a, 4096);
	ok(out == NULL, "xls: a LABEL too short for its string is no cell (and no critical warning)");
	if (out)
		g_string_free(out, TRUE);
	g_byte_array_set_size(a, 0);
	biff(a, 0x00fc, sst, sizeof(sst));
	biff(a, 0x003c, cont_flag, sizeof(cont_flag));
	out = xls_cells(a, 4096);
	ok(out == NULL, "xls: a shared string cut short by a CONTINUE of its flags byte alone is read to the end of the stream, no further");
	if (out)
		g_string_free(out, TRUE);
	g_byte_array_set_size(a, 0);
	for (guint row = 0; row < 20000; row++) {
		guint8 rk[10] = { row & 0xff, row >> 8, 255, 0, 0, 0, 0x02, 0, 0, 0 };	/* the integer 0 in the last column */

		biff(a, 0x027e, rk, sizeof(rk));
	}
	out = xls_cells(a, 4096);
	ok(out && out->len < 2 * 4096, "xls: 20000 cells in the last column give about MAX bytes of text, not 256 a row (%zu)",
	   out ? out->len : 0);
	if (out)
		g_string_free(out, TRUE);
	g_byte_array_set_size(a, 0);
	{
		/* one shared string of 60,000 letters and 3,000 cells naming it:
		 * in a child, whose peak memory is its own to read */
		GByteArray *body = g_byte_array_new();
		guint8 head[11] = { 1, 0, 0, 0, 1, 0, 0, 0, 0x60, 0xea, 0 };	/* 1 string, cch 60000, 8-bit */
		guint8 cell[10] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };	/* LABELSST of string 0 */
		struct rusage ru;
		long rss_kib = sysconf(_SC_PAGESIZE) / 1024, pages = 0, size_pages;
		FILE *statm = fopen("/proc/self/statm", "r");
		int status = 0;
		pid_t pid;

		if (statm) {
			if (fscanf(statm, "%ld %ld", &size_pages, &pages) != 2)
				pages = 0;
			fclose(statm);
		}
		g_byte_array_append(body, head, sizeof(head));
		for (int i = 0; i < 60000; i++)
			g_byte_array_append(body, (const guint8 *)"a", 1);
		biff(a, 0x00fc, body->data, body->len);
		for (guint row = 0; row < 3000; row++) {
			cell[0] = row & 0xff, cell[1] = row >> 8;
			biff(a, 0x00fd, cell, sizeof(cell));
		}
		g_byte_array_unref(body);
		fflush(NULL);
		if ((pid = fork()) == 0) {
			out = es_x_xls_cells(a->data, a->len, 1 << 20);
			_exit(out && out->len > 60000 ? 0 : 1);
		}
		memset(&ru, 0, sizeof(ru));
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
			status = -1;
		ok(status == 0 && ru.ru_maxrss - pages * rss_kib < 64 * 1024,
		   "xls: 3000 cells naming one 60 KB shared string are not 180 MB of copies (peak %ld KiB over the start)",
		   ru.ru_maxrss - pages * rss_kib);
	}
	g_byte_array_unref(a);
	{
		/* what a sheet shows outside its cells is still read */
		char *path = g_build_filename(dir, "formula.xls", NULL);
		gchar *data;
		gsize len;
		es_scan *s = es_scan_new(conf, "TESTQID");

		if (g_file_get_contents(path, &data, &len, NULL)) {
			GBytes *b = g_bytes_new_take(data, len);

			es_scan_add_attachment(s, "2", "notes.xls", "application/vnd.ms-excel", b, 1);
			g_bytes_unref(b);
			es_extract_all(s);
		}
		ok(texts_have(s, "you are a bellend"), "xls: a formula's shown result, beside the cells, is read");
		es_scan_free(s);
		g_free(path);
	}
}

int main(void)
{
	char *rm;

	g_mime_init();
	conf = es_conf_new_defaults();
	dir = g_dir_make_tmp("extract_t-XXXXXX", NULL);
	if (!make_fixtures())
		return done_testing();
	plain_lists();
	encrypted_and_ordinary();
	bad_input();
	limits();
	shared_string_bomb();
	office_lookalikes();
	real_packages();
	renamed_text();
	utf8_names();
	pdf_after_junk();
	damaged_member();
	tar_skipped_entries();
	header_warning();
	nul_in_attached_message();
	pgp_armour_lookalikes();
	binary_crypto_lookalikes();
	magic_lookalikes();
	office_hidden_parts();
	word_hidden_runs();
	word_fields();
	rtf_hidden_text();
	tnef_bodies();
	xls_records();

	rm = g_strdup_printf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		diag("could not remove %s", dir);
	g_free(rm);
	pk_rules_free(rules);
	es_conf_unref(conf);
	return done_testing();
}
