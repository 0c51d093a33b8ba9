/* pd_words.c - personal data written as a word of letters and digits:
 * National Insurance numbers, UPNs (also in groups), passport and driving
 * licence numbers, IBANs (and postcodes and month-name dates, via their own
 * files), and numbers whose first digit is written as a letter. */
#include "config.h"
#include <string.h>
#include "ukid.h"
#include "pd_internal.h"

/* word_end - offset past the letters and digits from POS */
static gsize word_end(const pd_ctx *c, gsize pos)
{
	while (pos < c->len && PD_ALNUM(c->t[pos]))
		pos++;
	return pos;
}

/* upcase_copy - the N bytes at POS in upper case into BUF (NUL-terminated) */
static void upcase_copy(const pd_ctx *c, gsize pos, gsize n, char *buf)
{
	for (gsize i = 0; i < n; i++)
		buf[i] = g_ascii_toupper(c->t[pos + i]);
	buf[n] = '\0';
}

/* nino_digit - the digit at I, or '0' for a letter O written for one
 * (counted in *LOOKS); '\0' if neither */
static char nino_digit(const pd_ctx *c, gsize i, int *looks)
{
	char ch = pd_at(c, i);

	if (PD_DIGIT(ch))
		return ch;
	if (ch != 'O' && ch != 'o')
		return '\0';
	(*looks)++;
	return '0';
}

/* nino_digits - read six digits from *I, in pairs that may be split by single
 * spaces (only if SPACED; pd_space_len's), into BUF, O for 0 counted in
 * *LOOKS; FALSE if they are not there */
static gboolean nino_digits(const pd_ctx *c, gsize *i, gboolean spaced, char *buf, int *looks)
{
	for (int pair = 0; pair < 3; pair++) {
		if (pair > 0 && spaced)
			*i += pd_space_len(c, *i);
		if (!(buf[pair * 2] = nino_digit(c, *i, looks)) ||
		    !(buf[pair * 2 + 1] = nino_digit(c, *i + 1, looks)))
			return FALSE;
		*i += 2;
	}
	return !PD_DIGIT(pd_at(c, *i));
}

/* try_nino - "AB123456C", "AB 12 34 56 C" (any of pd_space_len's spaces),
 * suffix optional; end or 0. A NINO has no check digit: an O written for a
 * 0 is read only with the suffix and at most three of them, so that the
 * shape stays as rare in words as a NINO's own. */
static gsize try_nino(pd_ctx *c, gsize pos)
{
	char buf[10];
	gsize i = pos + 2, n = 8, end, sp = pd_space_len(c, i);
	int looks = 0;

	if (!PD_ALPHA(pd_at(c, pos + 1)))
		return 0;
	i += sp;
	if (!nino_digits(c, &i, sp > 0, buf + 2, &looks))
		return 0;
	end = i;
	sp = pd_space_len(c, i);
	if (PD_ALPHA(pd_at(c, i)) && pd_boundary(c, i + 1)) {
		buf[n++] = g_ascii_toupper(c->t[i]);		/* suffix written on */
		end = i + 1;
	} else if (PD_ALPHA(pd_at(c, i)))
		return 0;
	else if (sp && PD_ALNUM(pd_at(c, i + sp)) && pd_boundary(c, i + sp + 1)) {
		buf[n++] = g_ascii_toupper(c->t[i + sp]);	/* a lone letter after: the suffix */
		end = i + sp + 1;
	} else if (sp && PD_DIGIT(pd_at(c, i + sp)))
		return 0;					/* more number follows */
	buf[0] = g_ascii_toupper(c->t[pos]);
	buf[1] = g_ascii_toupper(c->t[pos + 1]);
	if (!es_nino_valid(buf, n) || (looks > 0 && (n == 8 || looks > 3)))
		return 0;
	pd_emit(c, PD_NINO, pos, end, n == 8 ? -30 : 0);	/* no suffix: needs context */
	return end;
}

/* licence_ok - DVLA driving licence number: surname (5, padded with 9),
 * decade, month (+50 for women), day, year, initials (padded with 9), a
 * digit and two check characters */
static gboolean licence_ok(const char *s)
{
	int month = (s[6] - '0') * 10 + (s[7] - '0'), day, i;

	if (!PD_UPPER(s[0]))
		return FALSE;
	for (i = 1; i < 5 && PD_UPPER(s[i]); i++)
		;
	for (; i < 5; i++)
		if (s[i] != '9')
			return FALSE;
	for (i = 5; i < 11; i++)
		if (!PD_DIGIT(s[i]))
			return FALSE;
	if (month > 50)
		month -= 50;
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > pd_month_days[month - 1])
		return FALSE;
	if (!PD_UPPER(s[11]) || !(PD_UPPER(s[12]) || s[12] == '9') || !PD_DIGIT(s[13]))
		return FALSE;
	return PD_ALNUM(s[14]) && PD_ALNUM(s[15]);
}

/* same_sep - the SL bytes at I are the separator at REF */
static gboolean same_sep(const pd_ctx *c, gsize i, gsize ref, gsize sl)
{
	return i + sl <= c->len && memcmp(c->t + i, c->t + ref, sl) == 0;
}

/* space_or_dash - bytes of the space (pd_space_len) or dash (pd_dash_len) at I; 0 if none */
static gsize space_or_dash(const pd_ctx *c, gsize i)
{
	gsize n = pd_space_len(c, i);

	return n ? n : pd_dash_len(c, i);
}

/* try_iban - "GB82WEST12345698765432" or in groups of four split by spaces
 * or dashes, the same all along (upper case, as IBANs are written). Returns
 * the end of a valid IBAN, or of an IBAN-shaped run of groups (so its
 * digits are not read as other numbers), or 0 */
static gsize try_iban(pd_ctx *c, gsize pos, gsize w)
{
	char buf[35];
	gsize n = 0, i = pos, best = 0, sl = space_or_dash(c, pos + 4);

	if (!PD_UPPER(c->t[pos]) || !PD_UPPER(pd_at(c, pos + 1)) ||
	    !PD_DIGIT(pd_at(c, pos + 2)) || !PD_DIGIT(pd_at(c, pos + 3)))
		return 0;
	if (w >= 15 && w <= 34) {
		best = es_iban_valid(c->t + pos, w) ? pos + w : 0;
		i = pos + w;
	} else if (w == 4 && sl > 0) {
		for (gsize g = 4; n + g <= 34 && g > 0; ) {
			memcpy(buf + n, c->t + i, g);
			n += g;
			i += g;
			if (n >= 15 && es_iban_valid(buf, n))
				best = i;
			if (g < 4 || !same_sep(c, i, pos + 4, sl) || !PD_ALNUM(pd_at(c, i + sl)))
				break;
			g = word_end(c, i + sl) - (i + sl);
			i += sl;
			if (g > 4) {
				i -= sl;
				break;
			}
		}
	}
	if (best)
		pd_emit(c, PD_IBAN, pos, best, 0);
	return best ? best : n >= 12 ? i : 0;
}

/* upn_group - copy the characters of the group at *I into BUF from *N, as
 * a UPN's digits (a letter written for a digit read as it, counted in
 * *LOOKS), its 12th perhaps a temporary UPN's letter; move *I past it.
 * FALSE if it is no such group: too short, no real digit, too long. */
static gboolean upn_group(const pd_ctx *c, gsize *i, char *buf, gsize *n, int *looks)
{
	gsize s = *i, real = 0;

	for (; *i < c->len && PD_ALNUM(c->t[*i]); (*i)++) {
		char ch = c->t[*i];

		if (*n == 13)
			return FALSE;
		if (PD_DIGIT(ch))
			real++;
		else if (PD_LOOK(ch))
			(*looks)++, ch = PD_LOOK_DIGIT(ch);
		else if (*n != 12 || !PD_UPPER(ch))
			return FALSE;
		buf[(*n)++] = ch;
	}
	return *i - s >= 2 && real > 0;
}

/* try_upn - a UPN at POS: its check letter, then twelve characters written
 * as one word (B801200005001) or in groups of two or more split by a space
 * or a dash (B801 2000 05001, B-8012-0000-5001, any of pd_sep_len's),
 * a digit perhaps written as a letter (B8O1200005001): the check letter
 * and the local authority decide. A letter standing alone before a space
 * needs context: "A 2019 2020 2021" passes both checks. End or 0. */
static gsize try_upn(pd_ctx *c, gsize pos)
{
	char buf[14];
	gsize i = pos + 1, n = 1, sl;
	int looks = 0, bonus = pd_space_len(c, i) ? -10 : 0;

	buf[0] = c->t[pos];
	if (buf[0] == 'I' || buf[0] == 'O' || buf[0] == 'S')
		return 0;			/* never check letters; "I" is a common word */
	i += space_or_dash(c, i);		/* "A-1234-5678-9012" */
	for (;;) {
		if (!upn_group(c, &i, buf, &n, &looks))
			return 0;
		if (n == 13)
			break;
		if (!(sl = space_or_dash(c, i)))
			return 0;
		i += sl;
	}
	if (looks > 6 || !es_upn_valid(buf, n))
		return 0;
	pd_emit(c, PD_UPN, pos, i, bonus);
	return i;
}

/* try_fixed - the fixed-length words: passport (9), licence (16) */
static gsize try_fixed(pd_ctx *c, gsize pos, gsize w)
{
	char buf[20];

	if (w != 9 && w != 16)
		return 0;
	upcase_copy(c, pos, w, buf);
	if (w == 9 && PD_ALPHA(buf[0]) && PD_ALPHA(buf[1]) && strspn(buf + 2, "0123456789") == 7)
		pd_emit(c, PD_PASSPORT, pos, pos + w, 0);
	else if (w == 16 && licence_ok(buf))
		pd_emit(c, PD_LICENCE, pos, pos + w, 0);
	else
		return 0;
	return pos + w;
}

/* digit_start - the word of W characters at POS may start a number written
 * with letters for digits, or a UPN: a lone capital (its check letter), a
 * digit second (a real UPN's local authority begins 2-9), or two letters
 * written for digits ("OO3"). Few words pass: this runs for every one. */
static inline gboolean digit_start(const pd_ctx *c, gsize pos, gsize w)
{
	if (w == 1)
		return PD_UPPER(c->t[pos]);
	return PD_DIGITLIKE(c->t[pos + 1]) && (PD_DIGIT(c->t[pos + 1]) || PD_DIGITLIKE(c->t[pos]));
}

/* digit_word - a word that passed digit_start: a number whose first digit
 * is written as a letter ("O32 698 8674"), or a UPN; end or 0 */
static gsize digit_word(pd_ctx *c, gsize pos, gsize w)
{
	gsize end;

	if (w > 1 && PD_DIGITLIKE(c->t[pos]) && (end = pd_scan_lookalike(c, pos)) > pos)
		return end;
	if (w <= 13 && PD_UPPER(c->t[pos]))
		return try_upn(c, pos);
	return 0;
}

/* pd_scan_word - what a word starting at POS is, if anything */
gsize pd_scan_word(pd_ctx *c, gsize pos)
{
	gsize w = word_end(c, pos) - pos, end;

	if (w > 34)			/* longer than any identifier */
		return pos + w;
	if ((end = try_iban(c, pos, w)) > 0)
		return end;
	if (digit_start(c, pos, w) && (end = digit_word(c, pos, w)) > 0)
		return end;
	if (PD_UPPER(c->t[pos]) && (end = pd_postcode_at(c, pos)) > 0) {
		pd_emit(c, PD_POSTCODE, pos, pos + end, 0);
		return pos + end;
	}
	if ((end = try_fixed(c, pos, w)) > 0)
		return end;
	if ((w == 2 || w == 8 || w == 9) && (end = try_nino(c, pos)) > 0)
		return end;
	if (pd_month_initial(c, pos) && (end = pd_scan_date(c, pos)) > pos)
		return end;
	return pos + w;
}
