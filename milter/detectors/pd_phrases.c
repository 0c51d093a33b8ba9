/* pd_phrases.c - personal data found by words rather than shape: email
 * addresses, passwords and logins given out, arranging to meet. */
#include "config.h"
#include <string.h>
#include "pd_internal.h"

#define MAX_LOCAL 64
#define MAX_DOMAIN 253
#define MAX_SECRET 64

/* local_char - may be in the local part of an address */
static gboolean local_char(char ch)
{
	return PD_ALNUM(ch) || (ch && strchr("._%+-'", ch));
}

/* domain_end - end of a domain name starting at I (letters, digits, - and
 * dots, last label two or more letters or an xn-- label); 0 if none */
static gsize domain_end(const pd_ctx *c, gsize i)
{
	gsize e = i, last = i;

	while (e < c->len && e - i < MAX_DOMAIN && (PD_ALNUM(c->t[e]) || c->t[e] == '-' || c->t[e] == '.'))
		e++;
	while (e > i && c->t[e - 1] == '.')	/* the full stop ending a sentence */
		e--;
	for (gsize k = i; k < e; k++) {
		if (c->t[k] != '.')
			continue;
		if (k == i || c->t[k - 1] == '.')
			return 0;
		last = k + 1;
	}
	if (last == i || e - last < 2)
		return 0;
	if (strncmp(c->lower + last, "xn--", 4) != 0)
		for (gsize k = last; k < e; k++)
			if (!PD_ALPHA(c->t[k]))
				return 0;
	return e;
}

/* pd_scan_emails - every user@domain.tld; each '@' looks a bounded distance either way */
void pd_scan_emails(pd_ctx *c)
{
	const char *p = c->t, *end = c->t + c->len, *at;

	while (p < end && (at = memchr(p, '@', (size_t)(end - p))) != NULL) {
		gsize a = (gsize)(at - c->t), s = a, e;

		while (s > 0 && a - s < MAX_LOCAL && local_char(c->t[s - 1]))
			s--;
		while (s < a && !PD_ALNUM(c->t[s]))
			s++;
		if (s < a && (e = domain_end(c, a + 1)) > 0) {
			pd_emit(c, PD_EMAIL, s, e, 0);
			p = c->t + e;
		} else
			p = at + 1;
	}
}

/* in_list - LOWER[s, e) is one of WORDS */
static gboolean in_list(const pd_ctx *c, gsize s, gsize e, char **words)
{
	for (char **w = words; w && *w; w++)
		if (strlen(*w) == e - s && memcmp(*w, c->lower + s, e - s) == 0)
			return TRUE;
	return FALSE;
}

/* secret_after - after a credential word ending at I: ":", "=", "is" or
 * "is:", then a secret on the same line that is not a stop word. Returns
 * the secret's end, or 0. */
static gsize secret_after(const pd_ctx *c, gsize i)
{
	gsize s, e, n = 0;

	while (pd_at(c, i) == ' ' && n++ < 3)
		i++;
	if (pd_at(c, i) == ':' || pd_at(c, i) == '=')
		i++;
	else if (c->len - i >= 3 && strncmp(c->lower + i, "is", 2) == 0 && !PD_ALNUM(c->t[i + 2]))
		i += 2 + (pd_at(c, i + 2) == ':');
	else
		return 0;
	for (n = 0; pd_at(c, i) == ' ' && n < 3; n++)
		i++;
	for (s = e = i; e < c->len && e - s < MAX_SECRET && !g_ascii_isspace(c->t[e]); e++)
		;
	while (e > s && strchr(".,;!?)\"'", c->t[e - 1]))
		e--;
	if (e == s || (e - s == MAX_SECRET && e < c->len && !g_ascii_isspace(c->t[e])) ||
	    in_list(c, s, e, c->r->credential_stop))
		return 0;
	return e;
}

/* One indexed phrase: a credential word (a secret must follow) or a meeting phrase. */
typedef struct {
	const char *text;	/* owned by the rules' lists */
	gsize len;
	pd_type type;		/* PD_CREDENTIALS or PD_MEETING */
} pd_phrase;

/* key3 - the first three bytes of P as a hash key */
static gpointer key3(const char *p)
{
	return GUINT_TO_POINTER((guint)(guchar)p[0] | (guint)(guchar)p[1] << 8 | (guint)(guchar)p[2] << 16);
}

/* phrase_bit - where key K sits in the filter: most words start with no
 * phrase's first bytes, and a bit test is cheaper than a hash lookup */
static inline guint phrase_bit(gpointer k)
{
	return (GPOINTER_TO_UINT(k) * 2654435761u) >> (32 - 16);
}

/* index_one - add TEXT of TYPE to R's index (phrases shorter than 3 bytes are not indexed) */
static void index_one(pd_rules *r, const char *text, pd_type type)
{
	GHashTable *idx = r->phrases;
	GPtrArray *list;
	pd_phrase *ph;
	gpointer key;
	guint b;

	if (strlen(text) < 3)
		return;
	key = key3(text);
	b = phrase_bit(key);
	r->phrase_bits[b / 64] |= 1ull << (b % 64);
	if (!(list = g_hash_table_lookup(idx, key))) {
		list = g_ptr_array_new_with_free_func(g_free);
		g_hash_table_insert(idx, key, list);
	}
	ph = g_new(pd_phrase, 1);
	ph->text = text;
	ph->len = strlen(text);
	ph->type = type;
	g_ptr_array_add(list, ph);
}

/* pd_phrases_index - one table from first bytes to phrases, so a text is read once */
void pd_phrases_index(pd_rules *r)
{
	r->phrases = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					   (GDestroyNotify)g_ptr_array_unref);
	memset(r->phrase_bits, 0, sizeof(r->phrase_bits));
	for (char **w = r->credential_words; w && *w; w++)
		index_one(r, *w, PD_CREDENTIALS);
	for (guint k = 0; k < r->meeting->len; k++)
		index_one(r, g_ptr_array_index(r->meeting, k), PD_MEETING);
}

/* pd_phrases_at - every phrase starting at word start S */
void pd_phrases_at(pd_ctx *c, gsize s)
{
	GPtrArray *list;
	gpointer key;
	guint b;

	if (s + 3 > c->len)
		return;
	key = key3(c->lower + s);
	b = phrase_bit(key);
	if (!(c->r->phrase_bits[b / 64] & (1ull << (b % 64))))
		return;
	list = g_hash_table_lookup(c->r->phrases, key);
	for (guint k = 0; list && k < list->len; k++) {
		const pd_phrase *ph = g_ptr_array_index(list, k);
		gsize e = s + ph->len;

		if (e > c->len || memcmp(c->lower + s, ph->text, ph->len) != 0 || !pd_boundary(c, e))
			continue;
		if (ph->type == PD_MEETING)
			pd_emit(c, PD_MEETING, s, e, 0);
		else if ((e = secret_after(c, e)) > 0)
			pd_emit(c, PD_CREDENTIALS, s, e, 0);
	}
}
