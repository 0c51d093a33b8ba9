/* xls.c - the cells of a legacy Excel (BIFF8) workbook stream as text, one
 * row a line and cells split by tabs, so a class list saved as .xls reads
 * as the table it is rather than as loose strings */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

#define REC_BOF 0x0809
#define REC_SST 0x00fc
#define REC_CONTINUE 0x003c
#define REC_LABELSST 0x00fd
#define REC_LABEL 0x0204
#define REC_NUMBER 0x0203
#define REC_RK 0x027e
#define REC_MULRK 0x00bd
#define MAX_XLS_COLS 256

typedef struct {
	guint sheet, row, col;
	char *text;
	gboolean owned;		/* else a shared string's, held by the SST */
} xls_cell;

/* A record's body and where the SST's CONTINUE records carry it on. */
typedef struct {
	const guchar *d;
	gsize len, pos, rec_end;	/* whole stream; read position; end of the current record */
} sst_reader;

static guint u16(const guchar *p) { return p[0] | (guint)p[1] << 8; }
static guint32 u32(const guchar *p) { return u16(p) | (guint32)u16(p + 2) << 16; }

/* sst_next_record - step into the CONTINUE record after the current one; FALSE if none */
static gboolean sst_next_record(sst_reader *r)
{
	if (r->rec_end + 4 > r->len || u16(r->d + r->rec_end) != REC_CONTINUE)
		return FALSE;
	r->pos = r->rec_end + 4;
	r->rec_end = MIN(r->len, r->pos + u16(r->d + r->rec_end + 2));
	return TRUE;
}

/* sst_skip - skip N bytes of string data, across records */
static gboolean sst_skip(sst_reader *r, gsize n)
{
	while (n) {
		gsize here = MIN(n, r->rec_end - r->pos);

		r->pos += here, n -= here;
		if (n && !sst_next_record(r))
			return FALSE;
	}
	return TRUE;
}

/* sst_string - one XLUnicodeRichExtendedString as UTF-8; NULL at the end
 * of the data. Characters that cross into a CONTINUE record start again
 * with a byte saying whether they are one byte or two. */
static char *sst_string(sst_reader *r)
{
	guint cch, runs = 0;
	guint32 ext = 0;
	guchar flags;
	GString *s;

	if (r->pos == r->rec_end && !sst_next_record(r))
		return NULL;
	if (r->pos + 3 > r->rec_end)
		return NULL;
	cch = u16(r->d + r->pos), flags = r->d[r->pos + 2], r->pos += 3;
	if ((flags & 0x08) && r->pos + 2 <= r->rec_end)
		runs = u16(r->d + r->pos), r->pos += 2;
	if ((flags & 0x04) && r->pos + 4 <= r->rec_end)
		ext = u32(r->d + r->pos), r->pos += 4;
	s = g_string_sized_new(MIN(cch, r->len - r->pos));	/* cch is the file's word */
	for (guint i = 0; i < cch; i++) {
		gunichar c;

		if (r->pos >= r->rec_end) {
			if (!sst_next_record(r) || r->pos >= r->rec_end)
				break;
			flags = r->d[r->pos++];
			if (r->pos >= r->rec_end)	/* a CONTINUE of that one byte */
				break;
		}
		if (flags & 0x01) {
			if (r->pos + 2 > r->rec_end)
				break;
			c = u16(r->d + r->pos), r->pos += 2;
		} else {
			c = r->d[r->pos++];	/* Latin-1: the high byte dropped */
		}
		if (c == '\t' || c == '\n' || c == '\r')
			c = ' ';
		if (g_unichar_validate(c) && c)
			g_string_append_unichar(s, c);
	}
	sst_skip(r, (gsize)runs * 4 + ext);
	return g_string_free(s, FALSE);
}

/* read_sst - the shared strings of the SST record at OFF */
static GPtrArray *read_sst(const guchar *d, gsize len, gsize off)
{
	sst_reader r = { d, len, off + 4 + 8, MIN(len, off + 4 + u16(d + off + 2)) };
	guint32 unique = off + 12 <= len ? u32(d + off + 8) : 0;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char *s;

	while (out->len < unique && (s = sst_string(&r)))
		g_ptr_array_add(out, s);
	return out;
}

/* rk_text - an RK number as text */
static char *rk_text(guint32 rk)
{
	double v;

	if (rk & 0x02) {
		v = (double)((gint32)rk >> 2);
	} else {
		guint64 bits = (guint64)(rk & 0xfffffffc) << 32;

		memcpy(&v, &bits, sizeof v);
	}
	if (rk & 0x01)
		v /= 100;
	return g_strdup_printf("%.15g", v);
}

/* The cells read and what their text adds up to. */
typedef struct {
	GArray *cells;		/* xls_cell */
	gsize bytes, max;	/* text so far; past MAX no more cells are kept */
} cell_list;

/* add_cell - a cell of SHEET at (ROW, COL) with TEXT (NULL: a record too
 * short to hold its string, no cell); TEXT is taken when OWNED. A shared
 * string is not copied per cell: 60,000 cells naming one of 60 KB made a
 * message of 200 KB take gigabytes. */
static void add_cell(cell_list *l, guint sheet, guint row, guint col, char *text, gboolean owned)
{
	xls_cell c = { sheet, row, col, text, owned };

	if (text && col < MAX_XLS_COLS && l->bytes <= l->max) {
		l->bytes += strlen(text) + 1;
		g_array_append_val(l->cells, c);
	} else if (owned) {
		g_free(text);
	}
}

/* label_text - a LABEL record's XLUnicodeString at P (LEN bytes) */
static char *label_text(const guchar *p, gsize len)
{
	sst_reader r = { p, len, 0, len };

	return sst_string(&r);
}

/* by_place - sheet, row, column */
static gint by_place(gconstpointer pa, gconstpointer pb)
{
	const xls_cell *a = pa, *b = pb;

	if (a->sheet != b->sheet)
		return a->sheet < b->sheet ? -1 : 1;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* read_cells - every text and number cell of the stream's sheets, into L;
 * the shared strings they name (g_ptr_array_unref), NULL if none */
static GPtrArray *read_cells(const guchar *d, gsize len, cell_list *l)
{
	GPtrArray *sst = NULL;
	guint sheet = 0;

	for (gsize off = 0; off + 4 <= len && l->bytes <= l->max;) {
		guint type = u16(d + off), size = u16(d + off + 2);
		const guchar *p = d + off + 4;

		if (off + 4 + size > len)
			break;
		if (type == REC_BOF)
			sheet++;
		else if (type == REC_SST && !sst)
			sst = read_sst(d, len, off);
		else if (type == REC_LABELSST && size >= 10 && sst && u32(p + 6) < sst->len)
			add_cell(l, sheet, u16(p), u16(p + 2), g_ptr_array_index(sst, u32(p + 6)), FALSE);
		else if (type == REC_LABEL && size > 6)
			add_cell(l, sheet, u16(p), u16(p + 2), label_text(p + 6, size - 6), TRUE);
		else if (type == REC_RK && size >= 10)
			add_cell(l, sheet, u16(p), u16(p + 2), rk_text(u32(p + 6)), TRUE);
		else if (type == REC_NUMBER && size >= 14) {
			double v;

			memcpy(&v, p + 6, sizeof v);	/* little-endian IEEE, as on the hosts we build for */
			add_cell(l, sheet, u16(p), u16(p + 2), g_strdup_printf("%.15g", v), TRUE);
		} else if (type == REC_MULRK && size >= 12) {
			for (guint i = 0; 4 + i * 6 + 6 <= size - 2; i++)
				add_cell(l, sheet, u16(p), u16(p + 2) + i, rk_text(u32(p + 4 + i * 6 + 2)), TRUE);
		}
		off += 4 + size;
	}
	return sst;
}

/* es_x_xls_cells - see extract_priv.h */
GString *es_x_xls_cells(const guchar *d, gsize len, gsize max)
{
	cell_list l = { g_array_new(FALSE, FALSE, sizeof(xls_cell)), 0, max };
	GPtrArray *sst = read_cells(d, len, &l);
	GArray *cells = l.cells;
	GString *out = NULL;

	g_array_sort(cells, by_place);
	if (cells->len)
		out = g_string_new(NULL);
	/* MAX bounds the tabs and line ends too: a cell in the last column of
	 * each of many rows is 14 bytes of record and 256 of text */
	for (guint i = 0, col = 0; i < cells->len && out->len < max; i++) {
		xls_cell *c = &g_array_index(cells, xls_cell, i);

		if (i && (c->sheet != c[-1].sheet || c->row != c[-1].row)) {
			g_string_append_c(out, '\n');
			col = 0;
		}
		for (; col < c->col; col++)
			g_string_append_c(out, '\t');
		g_string_append(out, c->text);
	}
	if (out)
		g_string_append_c(out, '\n');
	for (guint i = 0; i < cells->len; i++)
		if (g_array_index(cells, xls_cell, i).owned)
			g_free(g_array_index(cells, xls_cell, i).text);
	g_array_free(cells, TRUE);
	if (sst)
		g_ptr_array_unref(sst);
	return out;
}
