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

/* pd_scan_credentials - "my password is ...", "username: ... password: ..." */
void pd_scan_credentials(pd_ctx *c)
{
	for (char **w = c->r->credential_words; w && *w; w++) {
		gsize wl = strlen(*w);
		const char *p = c->lower, *end = c->lower + c->len, *hit;

		while (wl && (hit = memmem(p, (size_t)(end - p), *w, wl)) != NULL) {
			gsize s = (gsize)(hit - c->lower), e;

			p = hit + wl;
			if ((s > 0 && PD_ALNUM(c->t[s - 1])) || !pd_boundary(c, s + wl))
				continue;
			if ((e = secret_after(c, s + wl)) > 0)
				pd_emit(c, PD_CREDENTIALS, s, e, 0);
		}
	}
}

/* pd_scan_meetings - every phrase of the meeting list, on word boundaries */
void pd_scan_meetings(pd_ctx *c)
{
	for (guint k = 0; c->r->meeting && k < c->r->meeting->len; k++) {
		const char *ph = g_ptr_array_index(c->r->meeting, k);
		gsize pl = strlen(ph);
		const char *p = c->lower, *end = c->lower + c->len, *hit;

		while (pl && (hit = memmem(p, (size_t)(end - p), ph, pl)) != NULL) {
			gsize s = (gsize)(hit - c->lower);

			p = hit + 1;
			if ((s > 0 && PD_ALNUM(c->t[s - 1])) || !pd_boundary(c, s + pl))
				continue;
			pd_emit(c, PD_MEETING, s, s + pl, 0);
			p = hit + pl;
		}
	}
}
