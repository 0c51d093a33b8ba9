/* pd_words.c - personal data written as a word of letters and digits:
 * National Insurance numbers, UPNs, passport and driving licence numbers,
 * IBANs (and postcodes and month-name dates, via their own files). */
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

/* nino_digits - read six digits from *I, in pairs that may be split by single
 * spaces (only if SPACED; pd_space_len's), into BUF; FALSE if they are not there */
static gboolean nino_digits(const pd_ctx *c, gsize *i, gboolean spaced, char *buf)
{
	for (int pair = 0; pair < 3; pair++) {
		if (pair > 0 && spaced)
			*i += pd_space_len(c, *i);
		if (!PD_DIGIT(pd_at(c, *i)) || !PD_DIGIT(pd_at(c, *i + 1)))
			return FALSE;
		buf[pair * 2] = c->t[*i];
		buf[pair * 2 + 1] = c->t[*i + 1];
		*i += 2;
	}
	return !PD_DIGIT(pd_at(c, *i));
}

/* try_nino - "AB123456C", "AB 12 34 56 C" (any of pd_space_len's spaces),
 * suffix optional; end or 0 */
static gsize try_nino(pd_ctx *c, gsize pos)
{
	char buf[10];
	gsize i = pos + 2, n = 8, end, sp = pd_space_len(c, i);

	if (!PD_ALPHA(pd_at(c, pos + 1)))
		return 0;
	i += sp;
	if (!nino_digits(c, &i, sp > 0, buf + 2))
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
	if (!es_nino_valid(buf, n))
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

/* try_fixed - the fixed-length words: UPN (13), passport (9), licence (16) */
static gsize try_fixed(pd_ctx *c, gsize pos, gsize w)
{
	char buf[20];

	if (w != 9 && w != 13 && w != 16)
		return 0;
	upcase_copy(c, pos, w, buf);
	if (w == 13 && PD_UPPER(c->t[pos]) && es_upn_valid(c->t + pos, w))
		pd_emit(c, PD_UPN, pos, pos + w, 0);
	else if (w == 9 && PD_ALPHA(buf[0]) && PD_ALPHA(buf[1]) && strspn(buf + 2, "0123456789") == 7)
		pd_emit(c, PD_PASSPORT, pos, pos + w, 0);
	else if (w == 16 && licence_ok(buf))
		pd_emit(c, PD_LICENCE, pos, pos + w, 0);
	else
		return 0;
	return pos + w;
}

/* pd_scan_word - what a word starting at POS is, if anything */
gsize pd_scan_word(pd_ctx *c, gsize pos)
{
	gsize w = word_end(c, pos) - pos, end;

	if (w > 34)			/* longer than any identifier */
		return pos + w;
	if ((end = try_iban(c, pos, w)) > 0)
		return end;
	if ((end = pd_postcode_at(c, pos)) > 0) {
		pd_emit(c, PD_POSTCODE, pos, pos + end, 0);
		return pos + end;
	}
	if ((end = try_fixed(c, pos, w)) > 0)
		return end;
	if ((w == 2 || w == 8 || w == 9) && (end = try_nino(c, pos)) > 0)
		return end;
	if ((end = pd_scan_date(c, pos)) > pos)
		return end;
	return pos + w;
}
