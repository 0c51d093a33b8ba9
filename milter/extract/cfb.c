/* cfb.c - OLE2 / Compound File Binary through libgsf: password-protected
 * OOXML (EncryptionInfo + EncryptedPackage streams), password-protected
 * legacy Word and Excel, and the readable strings of legacy Office files
 * (an Excel 97 workbook as its rows of cells: xls.c) */
#include "config.h"
#include <string.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-utils.h>
#include "extract_priv.h"

/* read_stream - up to MAX bytes of child NAME, or NULL */
static GBytes *read_stream(GsfInfile *ole, const char *name, gsize max)
{
	GsfInput *in = gsf_infile_child_by_name(ole, name);
	GBytes *out = NULL;
	gsize size;

	if (!in)
		return NULL;
	size = (gsize)MIN((gsf_off_t)max, gsf_input_size(in));
	if (size > 0) {
		guint8 *buf = g_malloc(size);

		if (gsf_input_read(in, size, buf))
			out = g_bytes_new_take(buf, size);
		else
			g_free(buf);
	}
	g_object_unref(in);
	return out;
}

/* word_encrypted - FIB flag fEncrypted (bit 8 of the flags word at offset 10) */
static gboolean word_encrypted(GBytes *wd)
{
	gsize len;
	const guchar *d = g_bytes_get_data(wd, &len);

	return len >= 12 && (d[11] & 0x01);
}

/* excel_encrypted - a FILEPASS record (0x002F) among the first records of the workbook */
static gboolean excel_encrypted(GBytes *wb)
{
	gsize len, off = 0;
	const guchar *d = g_bytes_get_data(wb, &len);

	for (int n = 0; n < 64 && off + 4 <= len; n++) {
		guint type = d[off] | (d[off + 1] << 8), size = d[off + 2] | (d[off + 3] << 8);

		if (type == 0x002f)
			return TRUE;
		if (type == 0x00e1 || type == 0x0042)	/* InterfaceHdr / CodePage: past FILEPASS */
			break;
		off += 4 + size;
	}
	return FALSE;
}

/* append_strings - runs of 4+ printable characters, 8-bit or UTF-16LE, one a line */
static void append_strings(GString *out, const guchar *d, gsize len, gsize max)
{
	gsize i = 0;

	while (i < len && out->len < max) {
		gsize j = i;

		if (i + 1 < len && d[i] >= 0x20 && d[i] < 0x7f && d[i + 1] == 0) {
			while (j + 1 < len && d[j] >= 0x20 && d[j] < 0x7f && d[j + 1] == 0)
				j += 2;
			if ((j - i) / 2 >= 4) {
				for (gsize k = i; k < j; k += 2)
					g_string_append_c(out, (char)d[k]);
				g_string_append_c(out, '\n');
			}
		} else {
			while (j < len && ((d[j] >= 0x20 && d[j] < 0x7f) || d[j] == '\t'))
				j++;
			if (j - i >= 4) {
				g_string_append_len(out, (const char *)d + i, (gssize)(j - i));
				g_string_append_c(out, '\n');
			}
		}
		i = j > i ? j : i + 1;
	}
}

/* word_text - a Word 97 document's text by its piece table (doc.c), from
 * its WordDocument stream WD and the table stream it names; NULL if none.
 * *WHOLE: the text with field codes too, if some were left out, or NULL */
static GString *word_text(es_xctx *x, es_attachment *a, GsfInfile *ole, const guchar *wd, gsize len, gsize max,
			  GString **whole)
{
	const char *name = es_x_word_table_stream(wd, len);
	GString *text = NULL;
	GBytes *tbl;
	gsize tlen;
	const guchar *t;

	*whole = NULL;
	if (!name || !(tbl = read_stream(ole, name, (gsize)es_x_budget(x, a))))
		return NULL;
	t = g_bytes_get_data(tbl, &tlen);
	if (es_x_charge(x, a, tlen))
		text = es_x_word_text(wd, len, t, tlen, max, whole);
	g_bytes_unref(tbl);
	return text;
}

/* legacy_text - strings of the main streams of Word, Excel and PowerPoint
 * files; and an Excel 97 workbook's cells as rows, a text of their own, so
 * a class list reads as the table it is (the strings still bring what is
 * shown outside cells: a formula's result, a sheet's name, a text box).
 * A Word 97 document is read by its piece table instead of its strings:
 * that is all its text (body, headers, notes, text boxes), tables as rows,
 * and its letters past ASCII are not lost; if fields hid some of it, the
 * whole text follows as a text of its own */
static void legacy_text(es_xctx *x, es_attachment *a, GsfInfile *ole)
{
	static const char *const streams[] = { "WordDocument", "Workbook", "Book", "PowerPoint Document" };
	gsize max = es_x_text_room(x);
	GString *out = g_string_new(NULL), *cells = NULL, *word = NULL, *whole = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(streams); i++) {
		GBytes *b = read_stream(ole, streams[i], (gsize)es_x_budget(x, a));
		gsize len;
		const guchar *d;

		if (!b)
			continue;
		d = g_bytes_get_data(b, &len);
		if (es_x_charge(x, a, len)) {
			if (!cells && strcmp(streams[i], "Workbook") == 0)
				cells = es_x_xls_cells(d, len, max);
			if (strcmp(streams[i], "WordDocument") == 0)
				word = word_text(x, a, ole, d, len, max, &whole);
			if (!word || strcmp(streams[i], "WordDocument") != 0)
				append_strings(out, d, len, max);
		}
		g_bytes_unref(b);
	}
	es_x_add_text(x, a, out->str, out->len);
	if (word && es_x_next_ok(x, a))
		es_x_add_text(x, a, word->str, word->len);
	if (whole && es_x_next_ok(x, a))
		es_x_add_text(x, a, whole->str, whole->len);
	if (cells && es_x_next_ok(x, a))
		es_x_add_text(x, a, cells->str, MIN(cells->len, max));
	if (cells)
		g_string_free(cells, TRUE);
	if (word)
		g_string_free(word, TRUE);
	if (whole)
		g_string_free(whole, TRUE);
	g_string_free(out, TRUE);
}

/* encryption_kind - what kind of password protection OLE holds, or NULL */
static const char *encryption_kind(GsfInfile *ole)
{
	GsfInput *child = gsf_infile_child_by_name(ole, "EncryptedPackage");
	const char *kind = NULL;
	GBytes *b;

	if (child) {
		g_object_unref(child);
		return "password-protected Office document (EncryptedPackage)";
	}
	if ((b = read_stream(ole, "WordDocument", 64))) {
		if (word_encrypted(b))
			kind = "password-protected Word document";
		g_bytes_unref(b);
	}
	if (!kind && (b = read_stream(ole, "Workbook", 4096))) {
		if (excel_encrypted(b))
			kind = "password-protected Excel workbook";
		g_bytes_unref(b);
	}
	return kind;
}

/* es_x_cfb - open A as a compound file */
void es_x_cfb(es_xctx *x, es_attachment *a)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(a->data, &len);
	GsfInput *mem;
	GsfInfile *ole;
	const char *kind;
	static gsize inited;

	if (g_once_init_enter(&inited)) {	/* libgsf's type set-up, once for all threads */
		gsf_init();
		g_once_init_leave(&inited, 1);
	}
	mem = gsf_input_memory_new(d, (gsf_off_t)len, FALSE);
	ole = gsf_infile_msole_new(mem, NULL);
	g_object_unref(mem);
	if (!ole) {
		es_scan_error(x->s, "part %s: not a readable OLE2 compound file", a->part);
		return;
	}
	if ((kind = encryption_kind(ole)))
		es_x_mark_encrypted(x, a, kind);
	else
		legacy_text(x, a, ole);
	g_object_unref(ole);
}
