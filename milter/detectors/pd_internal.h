/* pd_internal.h - shared by the scanner's files (pd_*.c), not by callers */
#ifndef ES_PD_INTERNAL_H
#define ES_PD_INTERNAL_H

#include "pd_scan.h"

/* One scan of one text. LOWER is an ASCII-lower-cased copy (same offsets). */
typedef struct {
	const pd_rules *r;
	const char *t, *lower;
	gsize len;
	GArray *out;
	int dob_anywhere;	/* a DOB context word appears somewhere in the text: -1 not looked yet */
	int this_year;		/* dates of birth are before it */
} pd_ctx;

/* pd_dob_anywhere - some DOB context word is somewhere in the text (looked up once) */
gboolean pd_dob_anywhere(pd_ctx *c);
/* pd_emit - score a candidate by its context (BONUS added) and keep it if it
 * reaches the threshold */
void pd_emit(pd_ctx *c, pd_type type, gsize start, gsize end, int bonus);
/* pd_has_word - WORD (lower case, may hold spaces) occurs in LOWER[from, to) on word boundaries */
gboolean pd_has_word(const pd_ctx *c, gsize from, gsize to, const char *word);

/* Scanners; each returns the offset to go on from (> POS). */
gsize pd_scan_number(pd_ctx *c, gsize pos);	/* at a digit, '+' or '(' */
/* pd_scan_lookalike - a number whose first digit is written as a letter
 * ("O32 698 8674") at POS; its end, or POS if it is none */
gsize pd_scan_lookalike(pd_ctx *c, gsize pos);
gsize pd_scan_word(pd_ctx *c, gsize pos);	/* at a letter starting a word */
gsize pd_scan_date(pd_ctx *c, gsize pos);	/* a date at POS, or POS if none */
gsize pd_scan_address(pd_ctx *c, gsize pos);	/* house number + street at POS, or POS */
/* pd_postcode_at - length of a valid postcode at POS (ends on a word boundary), 0 if none */
gsize pd_postcode_at(const pd_ctx *c, gsize pos);
void pd_scan_emails(pd_ctx *c);
/* pd_phrases_at - credential words and meeting phrases starting at word start S */
void pd_phrases_at(pd_ctx *c, gsize s);
/* pd_phrases_index - index R's credential words and meeting phrases by their first bytes */
void pd_phrases_index(pd_rules *r);

/* A text with its other digits and fullwidth forms read as ASCII (pd_fold.c). */
typedef struct {
	char *text;	/* the folded copy, NUL-terminated */
	gsize len;
	GArray *points;	/* private: where folded characters end */
} pd_fold;

/* pd_fold_run - fold T (LEN bytes) into F; FALSE (F untouched) if it has
 * nothing to fold, as most texts have not */
gboolean pd_fold_run(pd_fold *f, const char *t, gsize len);
/* pd_fold_offset - the offset in T of offset OFF (a character's start, or
 * the end) of F's copy */
gsize pd_fold_offset(const pd_fold *f, gsize off);
/* pd_fold_clear - free what pd_fold_run made (safe to call twice) */
void pd_fold_clear(pd_fold *f);
/* pd_fold_char - the ASCII byte the character at T (N bytes left) is read
 * as, its length in *CLEN; '\0' if it stays as it is */
char pd_fold_char(const char *t, gsize n, gsize *clen);

/* character classes on bytes (ASCII only; other bytes are not alnum) */
#define PD_DIGIT(ch) ((ch) >= '0' && (ch) <= '9')
#define PD_UPPER(ch) ((ch) >= 'A' && (ch) <= 'Z')
#define PD_ALPHA(ch) (PD_UPPER(ch) || ((ch) >= 'a' && (ch) <= 'z'))
#define PD_ALNUM(ch) (pd_alnum_table[(guchar)(ch)] != 0)
/* a letter written for a digit: O or o for 0, l or I for 1. Read as one only
 * in identifiers whose check digit or letter then still holds (and in a
 * NINO's digits, O only), so words are not */
#define PD_LOOK(ch) ((ch) == 'O' || (ch) == 'o' || (ch) == 'l' || (ch) == 'I')
#define PD_LOOK_DIGIT(ch) ((ch) == 'O' || (ch) == 'o' ? '0' : '1')
/* a digit or PD_LOOK: one table look-up, asked at every word */
#define PD_DIGITLIKE(ch) (pd_alnum_table[(guchar)(ch)] & 2)

/* days in each month (February 29: any year) */
extern const int pd_month_days[12];

/* 1 for ASCII letters and digits, 3 for digits and PD_LOOK: the scanner
 * asks this of every byte */
extern const guint8 pd_alnum_table[256];

/* pd_at - byte at I, or NUL past the end */
static inline char pd_at(const pd_ctx *c, gsize i)
{
	return i < c->len ? c->t[i] : '\0';
}

/* pd_boundary - no letter or digit at I (a word ends before it) */
static inline gboolean pd_boundary(const pd_ctx *c, gsize i)
{
	return !PD_ALNUM(pd_at(c, i));
}

/* pd_month_initial - the word at POS begins with a letter a month's name
 * begins with (a d f j m n o s): a word that does not is no worded date, and
 * asking costs less than the call */
static inline gboolean pd_month_initial(const pd_ctx *c, gsize pos)
{
	guint ch = (guint)((guchar)c->lower[pos] - 'a');

	return ch < 26 && (0x47229u >> ch & 1);
}

/* pd_wide_sep - bytes of the Unicode space (U+00A0, U+2007, U+202F) or,
 * with *DASH set, hyphen or dash (U+2010..U+2013) at T[I], T being LEN
 * bytes; 0 if none */
static inline gsize pd_wide_sep(const char *t, gsize len, gsize i, gboolean *dash)
{
	const guchar *u = (const guchar *)t + i;

	*dash = FALSE;
	if (i + 2 <= len && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (i + 3 > len || u[0] != 0xe2 || u[1] != 0x80)
		return 0;
	*dash = u[2] >= 0x90 && u[2] <= 0x93;
	return (*dash || u[2] == 0x87 || u[2] == 0xaf) ? 3 : 0;
}

/* pd_sep_len - bytes of the separator at I that may split an identifier's
 * groups, a dash when DASH, else a space: ' ' or '-', or a no-break, figure
 * or narrow no-break space (what word processors put there to keep a number
 * on one line, and a reader sees as a space) or a Unicode hyphen or dash;
 * 0 if none. Inline: asked at every group of every number. */
static inline gsize pd_sep_len(const pd_ctx *c, gsize i, gboolean dash)
{
	gboolean is_dash;
	gsize n;

	if (i >= c->len || (guchar)c->t[i] < 0x80)
		return pd_at(c, i) == (dash ? '-' : ' ');
	n = pd_wide_sep(c->t, c->len, i, &is_dash);
	return is_dash == dash ? n : 0;
}

/* pd_space_len, pd_dash_len - pd_sep_len for a space, for a dash */
static inline gsize pd_space_len(const pd_ctx *c, gsize i)
{
	return pd_sep_len(c, i, FALSE);
}

static inline gsize pd_dash_len(const pd_ctx *c, gsize i)
{
	return pd_sep_len(c, i, TRUE);
}

#endif
