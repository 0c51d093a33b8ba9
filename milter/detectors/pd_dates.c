/* pd_dates.c - dates of birth: a date in any common written form
 * (12/03/2011, 2011-03-12, 12.3.11, 12th March 2011, March 12, 2011, with
 * the Unicode slashes, dashes and spaces a reader takes for those) that
 * has a birth context ("DOB", "born") or sits in a text that has one. */
#include "config.h"
#include <string.h>
#include "pd_internal.h"

const int pd_month_days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

/* number_at - up to MAX digits at *I as a number (count in *n); -1 if none */
static int number_at(const pd_ctx *c, gsize *i, int max, int *n)
{
	int v = 0;

	for (*n = 0; *n < max && PD_DIGIT(pd_at(c, *i)); (*n)++, (*i)++)
		v = v * 10 + (c->t[*i] - '0');
	return *n ? v : -1;
}

/* month_at - month (1-12) named at I in full or by three letters ("Sept",
 * "Mar."); *end past it; 0 if none */
static int month_at(const pd_ctx *c, gsize i, gsize *end)
{
	gsize e = i;
	char b, d;

	if (i + 2 >= c->len)
		return 0;
	/* the first three letters of a month: most words stop here, before the
	 * twelve comparisons below (this runs for every word of every text,
	 * and "ma", "de", "se" begin many words that are no month) */
	b = c->lower[i + 1];
	d = c->lower[i + 2];
	switch (c->lower[i]) {
	case 'j': if (!(b == 'a' && d == 'n') && !(b == 'u' && (d == 'n' || d == 'l'))) return 0; break;
	case 'a': if (!(b == 'p' && d == 'r') && !(b == 'u' && d == 'g')) return 0; break;
	case 'f': if (b != 'e' || d != 'b') return 0; break;
	case 's': if (b != 'e' || d != 'p') return 0; break;
	case 'd': if (b != 'e' || d != 'c') return 0; break;
	case 'm': if (b != 'a' || (d != 'r' && d != 'y')) return 0; break;
	case 'o': if (b != 'c' || d != 't') return 0; break;
	case 'n': if (b != 'o' || d != 'v') return 0; break;
	default: return 0;
	}
	while (e < c->len && e - i < 10 && PD_ALPHA(c->t[e]))
		e++;
	if (e - i < 3 || !pd_boundary(c, e))
		return 0;
	for (int m = 0; m < 12; m++)
		if (strncmp(months[m], c->lower + i, e - i) == 0 &&
		    (e - i == 3 || e - i == strlen(months[m]) || (m == 8 && e - i == 4))) {
			*end = e + (pd_at(c, e) == '.');
			return m + 1;
		}
	return 0;
}

/* full_year - a two-digit year as the most recent year it can be */
static int full_year(int y, int digits, int this_year)
{
	if (digits == 4)
		return y;
	return 2000 + y <= this_year ? 2000 + y : 1900 + y;
}

/* emit_dob - report a date Y-M-D spanning [s, e) if it is a real date a
 * living person could be born on; context decides the rest */
static void emit_dob(pd_ctx *c, gsize s, gsize e, int y, int m, int d)
{
	if (m < 1 || m > 12 || d < 1 || d > pd_month_days[m - 1] || y > c->this_year - 2 || y < c->this_year - 110)
		return;
	pd_emit(c, PD_DOB, s, e, pd_dob_anywhere(c) ? c->r->raise_by : 0);
}

/* date_sep - the separator of a numeric date at I, read as '/', '.' or '-':
 * those, or a Unicode form a reader takes for one (fraction or division
 * slash, one dot leader, pd_dash_len's hyphens and dashes, minus sign); its
 * bytes in *N. '\0' if none. */
static char date_sep(const pd_ctx *c, gsize i, gsize *n)
{
	const guchar *u = (const guchar *)c->t + i;
	char ch = pd_at(c, i);

	*n = 1;
	if (ch == '/' || ch == '.' || ch == '-')
		return ch;
	if ((guchar)ch < 0x80)
		return '\0';
	if ((*n = pd_dash_len(c, i)) > 0)
		return '-';
	*n = 3;
	if (i + 3 > c->len || u[0] != 0xe2)
		return '\0';
	if ((u[1] == 0x81 && u[2] == 0x84) || (u[1] == 0x88 && u[2] == 0x95))
		return '/';			/* U+2044, U+2215 */
	if (u[1] == 0x80 && u[2] == 0xa4)
		return '.';			/* U+2024 */
	return u[1] == 0x88 && u[2] == 0x92 ? '-' : '\0';	/* U+2212 */
}

/* numeric_date - 12/03/2011, 12.3.11, 2011-03-12 at POS; end or POS */
static gsize numeric_date(pd_ctx *c, gsize pos)
{
	gsize i = pos, sl;
	int a, b, y, na, nb, ny;
	char sep;

	if ((a = number_at(c, &i, 4, &na)) < 0 || na == 3 || !(sep = date_sep(c, i, &sl)))
		return pos;
	i += sl;
	if ((b = number_at(c, &i, 2, &nb)) < 0 || date_sep(c, i, &sl) != sep)
		return pos;
	i += sl;
	if ((y = number_at(c, &i, na == 4 ? 2 : 4, &ny)) < 0 || ny == 1 || ny == 3 || !pd_boundary(c, i) ||
	    (date_sep(c, i, &sl) && PD_DIGIT(pd_at(c, i + sl))))
		return pos;
	if (sep == '-' && ny == 2 && pd_has_word(c, pos > 40 ? pos - 40 : 0, pos, "sort"))
		return pos;			/* 12-03-56 after "sort code" is not a date */
	if (na == 4)				/* year first: y-m-d */
		emit_dob(c, pos, i, a, b, y);
	else if (b <= 12)			/* UK order first, then US */
		emit_dob(c, pos, i, full_year(y, ny, c->this_year), b, a);
	else
		emit_dob(c, pos, i, full_year(y, ny, c->this_year), a, b);
	return i;
}

/* ordinal - skip st/nd/rd/th after a day number at *I */
static void ordinal(const pd_ctx *c, gsize *i)
{
	const char *l = c->lower + *i;

	if (*i + 2 <= c->len && (!strncmp(l, "st", 2) || !strncmp(l, "nd", 2) ||
				 !strncmp(l, "rd", 2) || !strncmp(l, "th", 2)))
		*i += 2;
}

/* year_after - ", 2011" or " 2011" at *I (four digits, whole word); -1 if none */
static int year_after(const pd_ctx *c, gsize *i)
{
	gsize j = *i + (pd_at(c, *i) == ','), sp = pd_space_len(c, j);
	int y, n;

	if (!sp)
		return -1;
	j += sp;
	if ((y = number_at(c, &j, 4, &n)) < 0 || n != 4 || !pd_boundary(c, j))
		return -1;
	*i = j;
	return y;
}

/* worded_date - "12th (of) March 2011" at a digit, "March 12(th), 2011" at a
 * letter, the spaces any of pd_space_len's (a no-break space keeps a date on
 * one line); end or POS */
static gsize worded_date(pd_ctx *c, gsize pos)
{
	gsize i = pos, e, sp;
	int d, m, y, n;

	if (PD_DIGIT(c->t[pos])) {
		if ((d = number_at(c, &i, 2, &n)) < 0)
			return pos;
		ordinal(c, &i);
		if (!(sp = pd_space_len(c, i)))
			return pos;
		i += sp;
		if (c->len - i > 3 && strncmp(c->lower + i, "of", 2) == 0 && (sp = pd_space_len(c, i + 2)))
			i += 2 + sp;
		if (!(m = month_at(c, i, &e)))
			return pos;
		i = e;
	} else {
		if (!(m = month_at(c, pos, &e)) || !(sp = pd_space_len(c, e)))
			return pos;
		i = e + sp;
		if ((d = number_at(c, &i, 2, &n)) < 0)
			return pos;
		ordinal(c, &i);
	}
	if ((y = year_after(c, &i)) < 0)
		return pos;
	emit_dob(c, pos, i, y, m, d);
	return i;
}

/* pd_scan_date - a date at POS (reported if it is a date of birth); end or POS */
gsize pd_scan_date(pd_ctx *c, gsize pos)
{
	gsize end;

	if (PD_DIGIT(c->t[pos]) && (end = numeric_date(c, pos)) > pos)
		return end;
	return worded_date(c, pos);
}
