/* pdf.c - PDF text through poppler-glib; a PDF that needs a password to open
 * is encrypted content. Pages are read until the scan's time runs out. A
 * table's page is also read as it looks, line by line, cells split by tabs. */
#include "config.h"
#include <string.h>
#include <poppler.h>
#include "extract_priv.h"

/* keep_globals - poppler builds its global parameters (font tables and
 * more) when the first document opens and drops them when the last one
 * closes, so one PDF at a time paid that set-up every time. A one-page PDF
 * held open for the life of the process keeps them. Volatile: it is never
 * read, and the compiler dropped the store, so memcheck found the document
 * unreachable (a definite leak to valgrind.sh). */
static PopplerDocument *volatile keep;

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

/* One character of a page's text and where it is drawn. */
typedef struct {
	double x1, x2, mid, height;
	const char *p;
	int len;
} glyph;

/* by_line, by_x - sort orders: top to bottom, then left to right */
static gint by_line(gconstpointer pa, gconstpointer pb)
{
	const glyph *a = pa, *b = pb;

	return a->mid < b->mid ? -1 : a->mid > b->mid ? 1 : a->x1 < b->x1 ? -1 : a->x1 > b->x1;
}

static gint by_x(gconstpointer pa, gconstpointer pb)
{
	const glyph *a = pa, *b = pb;

	return a->x1 < b->x1 ? -1 : a->x1 > b->x1;
}

/* Cells of one line are further apart than this many character heights. */
#define CELL_GAP 0.9

/* append_line - glyphs G[0..N) of one drawn line, left to right, onto OUT;
 * how many cell gaps (tabs) it has */
static int append_line(GString *out, glyph *g, gsize n)
{
	int tabs = 0;

	qsort(g, n, sizeof *g, by_x);
	for (gsize i = 0; i < n; i++) {
		double gap = i ? g[i].x1 - g[i - 1].x2 : 0;

		if (i && gap > CELL_GAP * MAX(g[i].height, 1)) {
			while (out->len && out->str[out->len - 1] == ' ')
				g_string_truncate(out, out->len - 1);
			g_string_append_c(out, '\t');
			tabs++;
		} else if (i && gap > 0.2 * MAX(g[i].height, 1) && g[i].p[0] != ' ' && g[i - 1].p[0] != ' ') {
			g_string_append_c(out, ' ');
		}
		if (g[i].p[0] != ' ' || (out->len && out->str[out->len - 1] != '\t'))
			g_string_append_len(out, g[i].p, g[i].len);
	}
	g_string_append_c(out, '\n');
	return tabs;
}

/* page_as_drawn - TEXT (poppler's reading order, which takes a table's
 * columns one after another) rebuilt as the lines it is drawn on, onto
 * OUT; how many lines have three cells or more */
static int page_as_drawn(PopplerPage *page, const char *text, GString *out)
{
	PopplerRectangle *rects = NULL;
	guint n = 0;
	GArray *g = g_array_new(FALSE, FALSE, sizeof(glyph));
	int tabular = 0;
	const char *p = text;

	if (!poppler_page_get_text_layout(page, &rects, &n) || (glong)n != g_utf8_strlen(text, -1)) {
		g_free(rects);
		g_array_free(g, TRUE);
		return 0;
	}
	for (guint i = 0; i < n; i++, p = g_utf8_next_char(p)) {
		glyph one = { rects[i].x1, rects[i].x2, (rects[i].y1 + rects[i].y2) / 2,
			      rects[i].y2 - rects[i].y1, p, (int)(g_utf8_next_char(p) - p) };

		if (*p != '\n' && *p != '\r')
			g_array_append_val(g, one);
	}
	g_free(rects);
	g_array_sort(g, by_line);
	for (guint i = 1, start = 0; i <= g->len; i++) {	/* none: no line (and no pointer into no array) */
		glyph *first = &g_array_index(g, glyph, start);

		if (i < g->len && g_array_index(g, glyph, i).mid - first->mid <= first->height / 2)
			continue;
		tabular += append_line(out, first, i - start) >= 2;
		start = i;
	}
	g_array_free(g, TRUE);
	return tabular;
}

/* Pages with this many lines of three or more cells are tables. */
#define TABLE_LINES 3

/* short_lines - TEXT, a page in poppler's reading order, is many short
 * lines, as a table read a column at a time is (a cell a line): only then
 * is the page laid out again, which costs as much as reading its text;
 * prose comes in lines of 60 characters or more */
static gboolean short_lines(const char *text)
{
	gsize lines = 1, len = 0;

	for (const char *p = text; *p; p++, len++)
		lines += *p == '\n';
	return lines >= TABLE_LINES * 3 && len / lines <= 32;	/* three lines of three cells */
}

/* es_x_pdf - text of every page, one page after another; and, when pages
 * hold tables, their text as drawn too */
void es_x_pdf(es_xctx *x, es_attachment *a)
{
	GError *err = NULL;
	PopplerDocument *doc;
	gsize max = es_x_text_room(x);
	GString *out, *drawn;
	int pages, tabular = 0;	/* pages that hold a table */

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
	drawn = g_string_new(NULL);
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
			if (drawn->len < max && short_lines(text)) {
				/* only a page that holds a table: the drawn
				 * text of the others is theirs already */
				gsize at = drawn->len;

				if (page_as_drawn(page, text, drawn) >= TABLE_LINES)
					tabular++;
				else
					g_string_truncate(drawn, at);
			}
			g_string_append(out, text);
			g_string_append_c(out, '\n');
			g_free(text);
		}
		g_object_unref(page);
	}
	es_x_add_text(x, a, out->str, out->len);
	if (tabular && es_x_next_ok(x, a))
		es_x_add_text(x, a, drawn->str, drawn->len);
	g_string_free(out, TRUE);
	g_string_free(drawn, TRUE);
	g_object_unref(doc);
}
