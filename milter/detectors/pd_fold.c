/* pd_fold.c - identifiers written in other digits: every Unicode decimal
 * digit (fullwidth, Arabic-Indic, Devanagari, mathematical bold...) and the
 * fullwidth forms of ASCII are read as the ASCII they stand for, in a copy
 * the scanner reads, with a way back to the offsets of the original. Texts
 * reach the scanner as sent (es_scan_add_text only makes them valid UTF-8),
 * and most have nothing to fold: one cheap pass tells, and they are scanned
 * as they are. */
#include "config.h"
#include <string.h>
#include "pd_internal.h"

/* A folded character ends here: OUT bytes of the copy stand for IN of the text. */
typedef struct {
	gsize out, in;
} fold_point;

/* Which characters may fold, by their UTF-8 bytes, from GLib's own tables
 * (fold_tables): a first filter that most characters of most scripts fail
 * at once, where decoding each would cost more than the rest of the scan */
static guint8 lead_len[256];		/* 2, 3, 4: a folding character may begin with this byte */
static gboolean skip_blocks;		/* plain() knows every such byte */
static guint64 last2[32];		/* [lead & 0x1f]: bit (last & 0x3f) for two-byte ones */
static guint64 last3[16][64];		/* [lead & 0x0f][second & 0x3f]: the same for three bytes */

/* folds_to - the ASCII byte U is read as, or '\0' */
static char folds_to(gunichar u)
{
	int d;

	if (u >= 0xff01 && u <= 0xff5e)
		return (char)(u - 0xfee0);	/* fullwidth ASCII */
	d = g_unichar_digit_value(u);
	return d >= 0 ? (char)('0' + d) : '\0';
}

/* fold_tables - fill the filter once from the BMP (64K look-ups, well under
 * a millisecond); four-byte characters (emoji, plane-1 digits) are decoded */
static gpointer fold_tables(gpointer unused)
{
	(void)unused;
	for (gunichar u = 0x80; u < 0x10000; u++) {
		char b[4];
		int n;

		if ((u >= 0xd800 && u < 0xe000) || !folds_to(u))
			continue;
		n = g_unichar_to_utf8(u, b);
		lead_len[(guchar)b[0]] = (guint8)n;
		if (n == 2)
			last2[b[0] & 0x1f] |= G_GUINT64_CONSTANT(1) << (b[1] & 0x3f);
		else
			last3[b[0] & 0x0f][b[1] & 0x3f] |= G_GUINT64_CONSTANT(1) << (b[2] & 0x3f);
	}
	for (int l = 0xf0; l <= 0xf4; l++)
		lead_len[l] = 4;
	return NULL;
}


/* may_fold - the character at U (N bytes left, a lead byte of lead_len)
 * passes the filter; four-byte ones always do */
static inline gboolean may_fold(const guchar *u, gsize n)
{
	switch (lead_len[u[0]]) {
	case 2:
		return n >= 2 && (last2[u[0] & 0x1f] >> (u[1] & 0x3f) & 1);
	case 3:
		return n >= 3 && (last3[u[0] & 0x0f][u[1] & 0x3f] >> (u[2] & 0x3f) & 1);
	default:
		return TRUE;
	}
}

/* fold_char - the ASCII byte the character at T (N bytes left) is read as,
 * its length in *CLEN; '\0' if it stays */
static char fold_char(const char *t, gsize n, gsize *clen)
{
	gunichar c;

	if (!lead_len[(guchar)*t] || !may_fold((const guchar *)t, n))
		return '\0';
	c = g_utf8_get_char_validated(t, (gssize)MIN(n, 4));
	if (c >= 0x110000)		/* (gunichar)-1 or -2: not UTF-8 */
		return '\0';
	*clen = (gsize)g_utf8_skip[(guchar)*t];
	return folds_to(c);
}

#define BLOCK 32

/* Sixteen bytes at once, in GCC's and clang's generic vectors (SSE2, NEON
 * or plain code, as the target has). */
typedef guchar bytes16 __attribute__((vector_size(16)));

/* plain - no byte of the BLOCK at T begins a character that may fold: the
 * lead bytes of the blocks with digits (U+0660, U+06F0, U+07C0,
 * U+0800..U+1FFF, U+A000..U+AFFF, U+FF00 and the supplementary planes),
 * written out so that the compiler can compare 16 at once; fold_setup
 * checks them against lead_len */
static inline gboolean plain(const guchar *t)
{
	bytes16 b[BLOCK / 16], any = { 0 };
	guint64 w[2];

	memcpy(b, t, BLOCK);
	for (int k = 0; k < BLOCK / 16; k++)
		any |= b[k];
	memcpy(w, &any, 16);
	if (!((w[0] | w[1]) & G_GUINT64_CONSTANT(0x8080808080808080)))
		return TRUE;		/* all ASCII: most blocks of most texts */
	any = (bytes16){ 0 };
	for (int k = 0; k < BLOCK / 16; k++)
		any |= (bytes16)((b[k] == 0xd9) | (b[k] == 0xdb) | (b[k] == 0xdf) | ((b[k] & 0xfe) == 0xe0) |
				 (b[k] == 0xea) | (b[k] == 0xef) | (b[k] >= 0xf0));
	memcpy(w, &any, 16);
	return (w[0] | w[1]) == 0;
}

/* fold_setup - fold_tables, then whether plain() passes over none of the
 * bytes they name (if a later GLib has digits elsewhere, every text is read
 * a byte at a time rather than one of them missed) */
static gpointer fold_setup(gpointer unused)
{
	guchar block[BLOCK];

	fold_tables(unused);
	skip_blocks = TRUE;
	for (int b = 0x80; b < 0x100; b++) {
		memset(block, b, sizeof(block));
		if (lead_len[b] && plain(block))
			skip_blocks = FALSE;
	}
	return NULL;
}

/* fold_init - fold_setup, once per process */
static void fold_init(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, fold_setup, NULL);
}

/* first_fold - offset of the first character to fold in T, or LEN. It runs
 * over every text: a block at a time where none may fold (all of most
 * texts, Latin, Greek, Cyrillic, CJK), else a byte at a time to the block's
 * end (scripts with digits of their own: Arabic, Devanagari, Thai...) */
static gsize first_fold(const char *t, gsize len)
{
	const guchar *u = (const guchar *)t;
	gsize i = 0, clen;

	while (i < len) {
		gsize end = MIN(len, (i | (BLOCK - 1)) + 1);

		if (skip_blocks && end - i == BLOCK && plain(u + i)) {
			i = end;
			continue;
		}
		for (; i < end; i++)
			if (G_UNLIKELY(lead_len[u[i]]) && fold_char(t + i, len - i, &clen))
				return i;
	}
	return len;
}

/* pd_fold_run - see pd_internal.h */
gboolean pd_fold_run(pd_fold *f, const char *t, gsize len)
{
	gsize i, clen;
	GString *s;
	char ch;

	fold_init();
	if ((i = first_fold(t, len)) == len)
		return FALSE;
	s = g_string_sized_new(len);
	g_string_append_len(s, t, (gssize)i);
	f->points = g_array_new(FALSE, FALSE, sizeof(fold_point));
	while (i < len) {
		if (lead_len[(guchar)t[i]] && (ch = fold_char(t + i, len - i, &clen))) {
			fold_point p = { s->len + 1, i + clen };

			g_string_append_c(s, ch);
			g_array_append_val(f->points, p);
			i += clen;
		} else
			g_string_append_c(s, t[i++]);
	}
	f->len = s->len;
	f->text = g_string_free(s, FALSE);
	return TRUE;
}

/* pd_fold_offset - the last fold point at or before OFF (binary search),
 * then as many bytes again: between folded characters bytes are copied */
gsize pd_fold_offset(const pd_fold *f, gsize off)
{
	const fold_point *p = (const fold_point *)(void *)f->points->data;
	guint lo = 0, hi = f->points->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (p[mid].out <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? off : p[lo - 1].in + (off - p[lo - 1].out);
}

/* pd_fold_clear - free what pd_fold_run made */
void pd_fold_clear(pd_fold *f)
{
	g_free(f->text);
	if (f->points)
		g_array_free(f->points, TRUE);
	f->text = NULL;
	f->points = NULL;
}

/* pd_fold_char - see pd_internal.h */
char pd_fold_char(const char *t, gsize n, gsize *clen)
{
	fold_init();
	return fold_char(t, n, clen);
}
