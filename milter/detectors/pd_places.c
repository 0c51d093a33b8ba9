/* pd_places.c - where someone lives: UK postcodes (by the Royal Mail's
 * letter rules) and street addresses (house number + street + postcode or town). */
#include "config.h"
#include <string.h>
#include "pd_internal.h"

/* outward_ok - S[0..n) is a postcode's outward code: A9 A99 AA9 AA99 A9A AA9A */
static gboolean outward_ok(const char *s, gsize n)
{
	if (n < 2 || n > 4 || !PD_UPPER(s[0]) || strchr("QVX", s[0]))
		return FALSE;
	if (PD_DIGIT(s[1])) {			/* A9, A99, A9A */
		if (n == 2)
			return TRUE;
		if (n == 3)
			return PD_DIGIT(s[2]) || (s[2] && strchr("ABCDEFGHJKPSTUW", s[2]));
		return FALSE;
	}
	if (!PD_UPPER(s[1]) || strchr("IJZ", s[1]) || !PD_DIGIT(s[2]))
		return FALSE;
	if (n == 3)				/* AA9 */
		return TRUE;
	return PD_DIGIT(s[3]) || strchr("ABEHMNPRVWXY", s[3]);	/* AA99, AA9A */
}

/* inward_ok - S[0..3) is a postcode's inward code: 9AA, no C I K M O V */
static gboolean inward_ok(const char *s)
{
	return PD_DIGIT(s[0]) && PD_UPPER(s[1]) && PD_UPPER(s[2]) &&
	       !strchr("CIKMOV", s[1]) && !strchr("CIKMOV", s[2]);
}

/* pd_postcode_at - "SW1A 1AA" or "SW1A1AA" (upper case) at POS, as a whole word */
gsize pd_postcode_at(const pd_ctx *c, gsize pos)
{
	gsize w = pos;
	const char *s = c->t + pos;

	if (!PD_UPPER(*s))
		return 0;
	while (w < c->len && w - pos < 8 && PD_ALNUM(c->t[w]))
		w++;
	w -= pos;
	if (!pd_boundary(c, pos + w))
		return 0;
	if (w >= 2 && w <= 4 && pd_at(c, pos + w) == ' ' && pos + w + 4 <= c->len &&
	    pd_boundary(c, pos + w + 4) && (outward_ok(s, w) || memcmp(s, "GIR", 3) == 0) &&
	    inward_ok(s + w + 1))
		return w + 4;
	if (w >= 5 && w <= 7 && (outward_ok(s, w - 3) || (w == 6 && memcmp(s, "GIR", 3) == 0)) &&
	    inward_ok(s + w - 3))
		return w;
	return 0;
}

/* street_word - a word of a street name at I (letters, ' and -); its end or I */
static gsize street_word(const pd_ctx *c, gsize i)
{
	gsize e = i;

	if (!PD_ALPHA(pd_at(c, i)))
		return i;
	while (e < c->len && e - i < 24 && (PD_ALPHA(c->t[e]) || c->t[e] == '\'' || c->t[e] == '-'))
		e++;
	return pd_boundary(c, e) ? e : i;
}

/* is_street_type - LOWER[s, e) is one of the rules' street types */
static gboolean is_street_type(const pd_ctx *c, gsize s, gsize e)
{
	for (char **t = c->r->street_types; t && *t; t++)
		if (strlen(*t) == e - s && memcmp(*t, c->lower + s, e - s) == 0)
			return TRUE;
	return FALSE;
}

/* after_street - bonus for a postcode or ", Town" just after a street ending
 * at END; *end moves past a postcode so the address covers it */
static int after_street(const pd_ctx *c, gsize *end)
{
	gsize i = *end, n;

	for (; i < c->len && i < *end + 48; i++) {
		if (pd_boundary(c, i) || (i > 0 && PD_ALNUM(c->t[i - 1])))
			continue;
		if ((n = pd_postcode_at(c, i)) > 0) {
			*end = i + n;
			return 20;
		}
	}
	i = *end;
	if (pd_at(c, i) == ',' && pd_at(c, i + 1) == ' ' && PD_UPPER(pd_at(c, i + 2)))
		return 15;
	return 0;
}

/* pd_scan_address - "12 Acacia Avenue" (+ town or postcode) at POS; its
 * street's end, or POS if there is no street here */
gsize pd_scan_address(pd_ctx *c, gsize pos)
{
	gsize i = pos, e, end;
	int bonus;

	while (i < c->len && i - pos < 4 && PD_DIGIT(c->t[i]))
		i++;
	if (PD_ALPHA(pd_at(c, i)) && !PD_ALNUM(pd_at(c, i + 1)))
		i++;				/* 12a */
	if (pd_at(c, i) != ' ' || !PD_ALPHA(pd_at(c, i + 1)))
		return pos;
	for (int words = 0; words < 5; words++) {
		e = street_word(c, i + 1);
		if (e == i + 1)
			return pos;
		if (words > 0 && is_street_type(c, i + 1, e)) {
			end = e;
			bonus = after_street(c, &end) + (PD_UPPER(c->t[i + 1]) ? 0 : -10);
			pd_emit(c, PD_ADDRESS, pos, end, bonus);
			return e;
		}
		if (pd_at(c, e) != ' ')
			return pos;
		i = e;
	}
	return pos;
}
