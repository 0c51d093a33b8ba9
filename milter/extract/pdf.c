/* pdf.c - PDF text through poppler-glib; a PDF that needs a password to open
 * is encrypted content. Pages are read until the scan's time runs out. */
#include "config.h"
#include <string.h>
#include <poppler.h>
#include "extract_priv.h"

/* es_x_pdf - text of every page, one page after another */
void es_x_pdf(es_xctx *x, es_attachment *a)
{
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(a->data, NULL, &err);
	gsize max = x->s->limits.max_text > 0 ? (gsize)x->s->limits.max_text + 1 : G_MAXSIZE;
	GString *out;
	int pages;

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
