/* doc.c - the text of a legacy Word (Word 97-2003) document through its
 * piece table, with a table's cells split by tabs and its rows as lines,
 * so a class list in a .doc reads as the table it is rather than as loose
 * strings, and letters past ASCII are read as Word shows them */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

#define FIB_IDENT 0xa5ec
#define FIB_FLAGS 0x0a		/* fWhichTblStm: bit 0x0200 */
#define FIB_RG_FC_LCB 0x98	/* cbRgFcLcb, then the fc/lcb pairs */
#define FIB_CLX 0x01a2		/* fcClx, lcbClx */
#define CLX_PCDT 0x02
#define CLX_PRC 0x01
#define CELL_MARK 0x07
#define FIELD_BEGIN 0x13
#define FIELD_SEP 0x14
#define FIELD_END 0x15
#define FIELD_DEPTH 16		/* nested fields followed (a bit each); real documents nest a few */

static guint u16(const guchar *p) { return p[0] | (guint)p[1] << 8; }
static guint32 u32(const guchar *p) { return u16(p) | (guint32)u16(p + 2) << 16; }

/* Windows-1252's letters at 0x80-0x9f, the 8-bit pieces' code page (0: none) */
static const gunichar cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Where a character goes: cells and rows are known by their marks only, so
 * the header row (whose cells are seldom empty) gives the table's width, by
 * which the mark after the last cell of each row is told from an empty cell's. */
typedef struct {
	GString *out;
	gsize max;
	int cells;		/* cell marks in the current row */
	int ncols;		/* the table's width; 0 until a row has ended */
	gboolean after_mark;	/* the last character was a cell mark */
	gboolean all_fields;	/* show field codes too: the document as stored */
	guint fields;		/* fields open (past FIELD_DEPTH counted, not followed) */
	guint32 in_code;	/* bit I: open field I is in its code (HYPERLINK "..."),
				 * not yet in its shown result (after 0x14) */
	gboolean hid;		/* some character was left out as a field's code */
	gsize left;		/* characters still to read: pieces of a forged table may
				 * overlap, and a character takes a byte of the stream at least */
} doc_text;

/* field_mark - follow field mark C: a field begins in its code, 0x14 turns
 * the innermost open one to its result, 0x15 closes it; fields nested past
 * FIELD_DEPTH only count: what is in them is shown as what is around them */
static void field_mark(doc_text *t, gunichar c)
{
	guint top = MIN(t->fields, FIELD_DEPTH);

	if (c == FIELD_BEGIN) {
		if (t->fields < FIELD_DEPTH)
			t->in_code |= 1u << t->fields;
		t->fields++;
	} else if (t->fields && t->fields <= FIELD_DEPTH) {
		t->in_code &= ~(1u << (top - 1));	/* a result, or closed */
		t->fields -= c == FIELD_END;
	} else if (t->fields && c == FIELD_END) {
		t->fields--;
	}			/* a stray separator or end outside any field: nothing to do */
}

/* put - one character of the document */
static void put(doc_text *t, gunichar c)
{
	gboolean mark = c == CELL_MARK;

	if (c == FIELD_BEGIN || c == FIELD_SEP || c == FIELD_END) {
		if (!t->all_fields)
			field_mark(t, c);
	} else if (t->in_code && !t->all_fields) {
		t->hid = TRUE;	/* shown only when every open field is in its result */
	} else if (mark && ((t->ncols && t->cells == t->ncols) || (!t->ncols && t->after_mark))) {
		if (!t->ncols)		/* a row ends with a mark after its last cell's */
			t->ncols = t->cells;
		t->cells = 0;
		g_string_append_c(t->out, '\n');
	} else if (mark) {
		t->cells++;
		g_string_append_c(t->out, '\t');
	} else if (c == '\r' || c == 0x0b || c == 0x0c) {
		if (t->cells) {		/* a paragraph inside a cell */
			g_string_append_c(t->out, ' ');
		} else {		/* outside a table: the next table sets its own width. Or
					 * in a row's first cell: only the paragraph properties
					 * (sprmPFInTable) tell, and then the row's width is found
					 * again from its end, which an empty cell may misplace */
			g_string_append_c(t->out, '\n');
			t->ncols = 0;
		}
	} else if (c == '\t') {
		g_string_append_c(t->out, ' ');
	} else if (c >= 0x20 && g_unichar_validate(c)) {
		g_string_append_unichar(t->out, c);
	}
	t->after_mark = mark;
}

/* piece - the COUNT characters of the piece PCD describes, from the WordDocument stream WD */
static void piece(doc_text *t, const guchar *wd, gsize wdlen, const guchar *pcd, guint32 count)
{
	guint32 fc = u32(pcd + 2);
	gboolean compressed = (fc & 0x40000000) != 0;
	gsize off = compressed ? (fc & 0x3fffffff) / 2 : fc;

	for (guint32 i = 0; i < count && t->out->len < t->max && t->left; i++, t->left--) {
		gunichar c;

		if (compressed) {
			if (off + i >= wdlen)
				return;
			c = wd[off + i];
			if (c >= 0x80 && c < 0xa0)
				c = cp1252[c - 0x80];
		} else {
			gsize at = off + 2 * (gsize)i;

			if (at + 2 > wdlen)
				return;
			c = u16(wd + at);
			if (c >= 0xd800 && c < 0xdc00 && i + 1 < count && at + 4 <= wdlen &&
			    u16(wd + at + 2) >= 0xdc00 && u16(wd + at + 2) < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (u16(wd + at + 2) - 0xdc00);
				i++;
			}
		}
		put(t, c);
	}
}

/* plc_pcd - the piece table in the CLX TBL[FC..FC+LCB): skip the property
 * modifiers (Prc), return the PlcPcd and its length in *LEN, or NULL */
static const guchar *plc_pcd(const guchar *tbl, gsize tbllen, guint32 fc, guint32 lcb, gsize *len)
{
	gsize pos = fc, end;

	if (fc > tbllen || lcb > tbllen - fc)
		return NULL;
	end = (gsize)fc + lcb;
	while (pos < end && tbl[pos] == CLX_PRC) {
		if (pos + 3 > end)
			return NULL;
		pos += 3 + u16(tbl + pos + 1);
	}
	if (pos + 5 > end || tbl[pos] != CLX_PCDT || u32(tbl + pos + 1) > end - pos - 5)
		return NULL;
	*len = u32(tbl + pos + 1);
	return tbl + pos + 5;
}

/* es_x_word_table_stream - the name of the table stream the FIB of WD names, or NULL if WD is no Word 97 FIB */
const char *es_x_word_table_stream(const guchar *wd, gsize wdlen)
{
	if (wdlen < FIB_CLX + 8 || u16(wd) != FIB_IDENT || u16(wd + FIB_RG_FC_LCB) < 0x5d)
		return NULL;
	return u16(wd + FIB_FLAGS) & 0x0200 ? "1Table" : "0Table";
}

/* read_text - the text of the N pieces of PLC, field codes too if ALL_FIELDS;
 * *HID says whether some were left out; NULL if there is none */
static GString *read_text(const guchar *wd, gsize wdlen, const guchar *plc, gsize n, gsize max,
			  gboolean all_fields, gboolean *hid)
{
	doc_text t = { .out = g_string_new(NULL), .max = max, .left = wdlen, .all_fields = all_fields };

	for (gsize i = 0; i < n && t.out->len < max; i++) {
		guint32 start = u32(plc + 4 * i), end = u32(plc + 4 * (i + 1));

		if (end > start)
			piece(&t, wd, wdlen, plc + 4 * (n + 1) + 8 * i, end - start);
	}
	*hid = t.hid;
	if (t.out->len > max) {	/* the last character may run past MAX: cut before it */
		gsize cut = max;

		while (cut && ((guchar)t.out->str[cut] & 0xc0) == 0x80)
			cut--;
		g_string_truncate(t.out, cut);
	}
	if (!t.out->len) {
		g_string_free(t.out, TRUE);
		return NULL;
	}
	return t.out;
}

/* es_x_word_text - see extract_priv.h */
GString *es_x_word_text(const guchar *wd, gsize wdlen, const guchar *tbl, gsize tbllen, gsize max, GString **whole)
{
	const guchar *plc;
	gboolean hid;
	GString *shown;
	gsize len, n;

	*whole = NULL;
	if (!es_x_word_table_stream(wd, wdlen) ||
	    !(plc = plc_pcd(tbl, tbllen, u32(wd + FIB_CLX), u32(wd + FIB_CLX + 4), &len)) || len < 16)
		return NULL;
	n = (len - 4) / 12;	/* n + 1 character positions, n descriptors of 8 bytes */
	shown = read_text(wd, wdlen, plc, n, max, FALSE, &hid);
	/* a forged field begin with no end, or a closed field whose "code" is a
	 * class list, hides text as Word would: read it all once more, so what
	 * the file holds still reaches the detectors (as HTML's hidden text does) */
	if (hid)
		*whole = read_text(wd, wdlen, plc, n, max, TRUE, &hid);
	return shown;
}
