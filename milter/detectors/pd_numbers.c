/* pd_numbers.c - personal data written as numbers: UK phone numbers, NHS
 * numbers, ULNs, card numbers, sort codes and account numbers. Every
 * candidate is a short run of digit groups; anything longer is skipped whole,
 * so thousands of digits cost one pass. A digit written as a letter ("94O 476
 * 5919") is read where a checksum confirms it. */
#include "config.h"
#include <string.h>
#include "ukid.h"
#include "pd_internal.h"

#define MAX_GROUPS 8
#define MAX_DIGITS 19	/* the longest card number */

typedef struct {
	gsize start, end;	/* offsets of the group's digits */
	int looks;		/* letters in it written for digits (PD_LOOK) */
} group;

/* sep_len - bytes of what may separate two digit groups of one number at
 * I: a space, a dash or a dot (the Unicode spaces and dashes too); 0 if none */
static gsize sep_len(const pd_ctx *c, gsize i)
{
	gsize n;

	if (pd_at(c, i) == '.')
		return 1;
	n = pd_space_len(c, i);
	return n ? n : pd_dash_len(c, i);
}

/* digit_run - offset just past the digits starting at I */
static gsize digit_run(const pd_ctx *c, gsize i)
{
	while (i < c->len && PD_DIGIT(c->t[i]))
		i++;
	return i;
}

/* group_end - offset past the digits from I and the letters among them
 * written for digits (PD_LOOK), counted in *LOOKS. The second loop runs only
 * where such a letter follows digits, or starts the group. */
static gsize group_end(const pd_ctx *c, gsize i, int *looks)
{
	gsize e = digit_run(c, i);

	*looks = 0;
	if (!PD_DIGITLIKE(pd_at(c, e)))
		return e;
	for (; e < c->len && PD_DIGITLIKE(c->t[e]); e++)
		*looks += !PD_DIGIT(c->t[e]);
	return e;
}

/* phone_class - confidence bonus for a UK national number NSN (10 digits),
 * or G_MININT if it is not a number a person has: mobiles are the most
 * personal, 03 numbers belong to organisations, 05/08/09 are corporate,
 * freephone and premium-rate services */
static int phone_class(const char *nsn)
{
	switch (nsn[0]) {
	case '7':
		return (nsn[1] == '0' || nsn[1] == '6') ? -20 : 10;
	case '1': case '2':
		return 0;
	case '3':
		return -20;
	default:
		return G_MININT;
	}
}

/* phone_prefix - skip +44, 0044 and a "(0)"; sets *intl. Returns the
 * offset of the national number, or POS if this is not a UK number. */
static gsize phone_prefix(const pd_ctx *c, gsize pos, gboolean *intl)
{
	gsize i = pos;

	*intl = TRUE;
	if (pd_at(c, i) == '+' && pd_at(c, i + 1) == '4' && pd_at(c, i + 2) == '4')
		i += 3;
	else if (c->len - i >= 4 && memcmp(c->t + i, "0044", 4) == 0)
		i += 4;
	else {
		*intl = FALSE;
		return pos;
	}
	i += sep_len(c, i);
	if (c->len - i >= 3 && memcmp(c->t + i, "(0)", 3) == 0) {
		i += 3;
		i += sep_len(c, i);
	}
	return i;
}

/* scan_phone - a UK phone number at POS: 0 or +44, then groups of digits
 * split by spaces, dots, dashes or brackets. Returns its end or POS. */
static gsize scan_phone(pd_ctx *c, gsize pos)
{
	char nsn[16];
	gsize i, n = 0, best = 0;
	gboolean intl;

	i = phone_prefix(c, pos, &intl);
	if (!intl && !(pd_at(c, i) == '0' || (pd_at(c, i) == '(' && pd_at(c, i + 1) == '0')))
		return pos;
	for (int g = 0; g < MAX_GROUPS && n <= 11; g++) {
		gboolean bracket = pd_at(c, i) == '(';
		gsize s = i + bracket, e = digit_run(c, s), sl;

		if (e == s || (bracket && pd_at(c, e) != ')'))
			break;
		if (e - s < (g == 0 && !bracket && !intl ? 3u : 2u))
			return pos;	/* "0.20.12": version numbers, not phones */
		for (gsize k = s; k < e && n < sizeof(nsn) - 1; k++)
			if (!(n == 0 && c->t[k] == '0'))	/* the trunk 0 */
				nsn[n++] = c->t[k];
		i = e + bracket;
		if (n == 10 && pd_boundary(c, i))
			best = i;
		sl = sep_len(c, i);
		if (sl && (PD_DIGIT(pd_at(c, i + sl)) || pd_at(c, i + sl) == '('))
			i += sl;
		else if (!(bracket && PD_DIGIT(pd_at(c, i))))
			break;
	}
	if (best == 0 || n < 10)
		return pos;
	nsn[10] = '\0';
	if (phone_class(nsn) == G_MININT)
		return pos;
	pd_emit(c, PD_PHONE, pos, best, phone_class(nsn));
	return best;
}

/* sort_code_account - offset past an 8-digit account number within a short
 * distance after a sort code ending at END, or 0 */
static gsize sort_code_account(const pd_ctx *c, gsize end)
{
	for (gsize i = end; i < c->len && i < end + 40; i++)
		if (PD_DIGIT(c->t[i]) && !PD_ALNUM(c->t[i - 1])) {
			gsize e = digit_run(c, i);

			return (e - i == 8 && pd_boundary(c, e)) ? e : 0;
		}
	return 0;
}

/* card_grouping - written as cards are: one run, fours, or Amex/Diners 4-6-5 / 4-6-4 */
static gboolean card_grouping(const group *g, int k)
{
	gboolean fours = TRUE;

	for (int j = 0; j < k - 1; j++)
		fours = fours && g[j].end - g[j].start == 4;
	if (k == 1 || fours)
		return TRUE;
	return k == 3 && g[0].end - g[0].start == 4 && g[1].end - g[1].start == 6;
}

/* in_disguise - a number with LOOKS letters written for digits is one only
 * if most of it is digits and it is written in its type's own grouping:
 * 10 digits as one run or 3-3-4 (cards: card_grouping), so "3.91l1.41" in
 * an SVG path or "l0l 101 1337" is no NHS number */
static gboolean in_disguise(const group *g, int k, gsize n, int looks)
{
	if (looks * 2 > (int)n)
		return FALSE;
	return n != 10 || k == 1 ||
	       (k == 3 && g[0].end - g[0].start == 3 && g[1].end - g[1].start == 3);
}

/* try_digits - report the number in groups G[0..k) (digits D, N of them,
 * LOOKS of them written as letters) if some type validates it. Returns the
 * end of what was used up (a validated shape is used up whether or not its
 * context reports it), or 0. "0123456789" passes mod 11 but is the digits
 * listed (a character table, a test string, in any script), no NHS number. */
static gsize try_digits(pd_ctx *c, const group *g, int k, const char *d, gsize n, int looks)
{
	gsize start = g[0].start, end = g[k - 1].end, acct;

	if (looks > 0 && !in_disguise(g, k, n, looks))
		return 0;
	if (n >= 13 && card_grouping(g, k) && es_card_valid(d, n))
		pd_emit(c, PD_CARD, start, end, 0);
	else if (n == 10 && es_nhs_valid(d, n) && strcmp(d, "0123456789") != 0)
		pd_emit(c, PD_NHS, start, end, k == 3 ? 10 : 0);
	else if (n == 10 && es_uln_valid(d, n))
		pd_emit(c, PD_ULN, start, end, 0);
	else if (looks > 0)
		return 0;	/* the shapes below have no checksum to confirm a letter */
	else if (k == 3 && n == 6 && g[0].end - g[0].start == 2 && g[1].end - g[1].start == 2) {
		acct = sort_code_account(c, end);	/* sort code, with its account */
		end = acct ? acct : end;
		pd_emit(c, PD_BANK, start, end, acct ? 30 : 0);
	} else if (k == 1 && n == 8)
		pd_emit(c, PD_BANK, start, end, 0);	/* base is low: it needs "account" */
	else if (k == 1 && n == 9)
		pd_emit(c, PD_PASSPORT, start, end, -30);	/* old 9-digit passports too */
	else
		return 0;
	return end;
}

/* skip_digit_run - past digit groups split by single separators from POS */
static gsize skip_digit_run(const pd_ctx *c, gsize pos)
{
	gsize i = digit_run(c, pos), sl;

	while ((sl = sep_len(c, i)) > 0 && PD_DIGIT(pd_at(c, i + sl)))
		i = digit_run(c, i + sl);
	return i;
}

/* copy_digits - the digits of groups G[0..k) into D (NUL-terminated), the
 * letters written for digits as those digits; their count */
static gsize copy_digits(const pd_ctx *c, const group *g, int k, char *d)
{
	gsize m = 0;

	for (int j = 0; j < k; j++) {
		memcpy(d + m, c->t + g[j].start, g[j].end - g[j].start);
		for (gsize x = m; g[j].looks && x < m + (g[j].end - g[j].start); x++)
			if (!PD_DIGIT(d[x]))
				d[x] = PD_LOOK_DIGIT(d[x]);
		m += g[j].end - g[j].start;
	}
	d[m] = '\0';
	return m;
}

/* scan_groups - up to MAX_GROUPS digit groups (each with a real digit);
 * the longest leading run of them that validates as some type is reported.
 * Returns where to go on: POS if POS starts no group. */
static gsize scan_groups(pd_ctx *c, gsize pos)
{
	group g[MAX_GROUPS];
	char d[MAX_DIGITS + 1];
	int k = 0, looks = 0;
	gsize i = pos, n = 0;

	while (k < MAX_GROUPS) {
		gsize e = group_end(c, i, &g[k].looks), sl;

		if (n + (e - i) > MAX_DIGITS || PD_ALPHA(pd_at(c, e)) || (gsize)g[k].looks == e - i)
			break;
		g[k].start = i;
		g[k++].end = e;
		n += e - i;
		sl = sep_len(c, e);
		if (!(sl && PD_DIGITLIKE(pd_at(c, e + sl))))
			break;
		i = e + sl;
	}
	for (int j = 0; j < k; j++)
		looks += g[j].looks;
	for (; k > 0; looks -= g[--k].looks) {
		gsize m = copy_digits(c, g, k, d);

		if ((i = try_digits(c, g, k, d, m, looks)) > 0)
			return i;
	}
	return skip_digit_run(c, pos);	/* nothing here: none of its groups starts an identifier */
}

/* skip_run - past the letters and digits from POS (at least one byte) */
static gsize skip_run(const pd_ctx *c, gsize pos)
{
	gsize i = pos + 1;

	while (i < c->len && PD_ALNUM(c->t[i]))
		i++;
	return i;
}

/* pd_scan_lookalike - a number starting with a letter written for a digit */
gsize pd_scan_lookalike(pd_ctx *c, gsize pos)
{
	return scan_groups(c, pos);
}

/* pd_scan_number - what a number starting at POS is, if anything */
gsize pd_scan_number(pd_ctx *c, gsize pos)
{
	gsize end;

	if ((end = scan_phone(c, pos)) > pos)
		return end;
	if (!PD_DIGIT(c->t[pos]))
		return pos + 1;
	if ((end = pd_scan_date(c, pos)) > pos)
		return end;
	if ((end = pd_scan_address(c, pos)) > pos)
		return end;
	if ((end = scan_groups(c, pos)) > pos)
		return end;
	return skip_run(c, pos);
}
