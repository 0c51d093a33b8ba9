/* pdf.c - PDF text through poppler-glib; a PDF that needs a password to open
 * is encrypted content. Pages are read until the scan's time runs out. */
#include "config.h"
#include <string.h>
#include <poppler.h>
#include "extract_priv.h"

/* keep_globals - poppler builds its global parameters (font tables and
 * more) when the first document opens and drops them when the last one
 * closes, so one PDF at a time paid that set-up every time. A one-page PDF
 * held open for the life of the process keeps them. */
static PopplerDocument *keep;

static void keep_globals(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		static const char *const objs[] = {
			"<</Type/Catalog/Pages 2 0 R>>",
			"<</Type/Pages/Kids[3 0 R]/Count 1>>",
			"<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>",
		};
		GString *pdf = g_string_new("%PDF-1.4\n");
		gsize off[G_N_ELEMENTS(objs)], xref;
		GBytes *bytes;

		for (gsize i = 0; i < G_N_ELEMENTS(objs); i++) {
			off[i] = pdf->len;
			g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
		}
		xref = pdf->len;
		g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS(objs) + 1);
		for (gsize i = 0; i < G_N_ELEMENTS(objs); i++)
			g_string_append_printf(pdf, "%010zu 00000 n \n", off[i]);
		g_string_append_printf(pdf, "trailer\n<</Size %zu/Root 1 0 R>>\nstartxref\n%zu\n%%%%EOF\n",
				       G_N_ELEMENTS(objs) + 1, xref);
		bytes = g_string_free_to_bytes(pdf);
		keep = poppler_document_new_from_bytes(bytes, NULL, NULL);
		g_bytes_unref(bytes);
		g_once_init_leave(&done, 1);
	}
}

/* es_x_pdf - text of every page, one page after another */
void es_x_pdf(es_xctx *x, es_attachment *a)
{
	GError *err = NULL;
	PopplerDocument *doc;
	gsize max = es_x_text_room(x);
	GString *out;
	int pages;

	keep_globals();
	doc = poppler_document_new_from_bytes(a->data, NULL, &err);
	if (!doc) {
		if (err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			es_x_mark_encrypted(x, a, "PDF needs a password to open");
		else
			es_scan_error(x->s, "part %s: PDF unreadable: %s", a->part, err ? err->message : "?");
		g_clear_error(&err);
		return;
	}
	out = g_string_new(NULL);
	pages = poppler_document_get_n_pages(doc);
	/* poppler "reconstructs" a damaged file quietly; with no page left, say
	 * so, or a PDF none of whose text was read looks like a clean one */
	if (pages <= 0)
		es_scan_error(x->s, "part %s: PDF damaged: no page could be read, so none of its text was scanned",
			      a->part);
	for (int i = 0; i < pages && out->len < max; i++) {
		PopplerPage *page;
		char *text;

		if (es_scan_out_of_time(x->s)) {
			es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out inside a PDF");
			break;
		}
		if (!(page = poppler_document_get_page(doc, i)))
			continue;
		if ((text = poppler_page_get_text(page))) {
			g_string_append(out, text);
			g_string_append_c(out, '\n');
			g_free(text);
		}
		g_object_unref(page);
	}
	es_x_add_text(x, a, out->str, out->len);
	g_string_free(out, TRUE);
	g_object_unref(doc);
}
