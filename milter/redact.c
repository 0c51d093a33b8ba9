/* redact.c - redacted evidence of personal data: keep a few characters so a
 * reviewer can recognise the value, mask the rest, label it by type. */
#include "config.h"
#include <string.h>
#include "redact.h"

/* How each type is shown: label, characters kept at the head and the tail. */
static const struct {
	const char *type, *label;
	guint head, tail;
} redact_rules[] = {
	{ "upn", "UPN", 0, 3 },
	{ "uln", "ULN", 0, 3 },
	{ "nhs_number", "NHS", 0, 4 },
	{ "nino", "NINO", 0, 3 },
	{ "card", "card", 0, 4 },
	{ "bank_account", "account", 0, 3 },
	{ "iban", "IBAN", 2, 4 },
	{ "passport", "passport", 0, 3 },
	{ "driving_licence", "licence", 0, 2 },
	{ "phone", "tel", 2, 3 },
	{ "dob", "DOB", 0, 2 },
	{ "address", "address", 0, 0 },
	{ "postcode", "postcode", 0, 0 },
	{ "email", "email", 0, 0 },
	{ "credentials", "password", 0, 0 },
	{ "meeting", "meeting", 0, 0 },
};

/* is_separator - C is shown as it is: it carries no data */
static gboolean is_separator(char c)
{
	return c != '\0' && strchr(" -./(),:+", c) != NULL;
}

/* next_char - the UTF-8 character after P, or END */
static const char *next_char(const char *p, const char *end)
{
	const char *next = g_utf8_find_next_char(p, end);

	return next ? next : end;
}

/* count_significant - how many characters of V are not separators */
static guint count_significant(const char *v, const char *end)
{
	guint n = 0;

	for (const char *p = v; p < end; p = next_char(p, end))
		if (!is_separator(*p))
			n++;
	return n;
}

/* es_redact_mask - mask all but HEAD leading and TAIL trailing characters */
char *es_redact_mask(const char *value, gssize len, guint head, guint tail)
{
	const char *end, *p, *next;
	GString *out;
	guint n, i = 0;

	if (!value)
		return g_strdup("");
	end = value + (len < 0 ? (gssize)strlen(value) : len);
	n = count_significant(value, end);
	while (head + tail > 0 && (head + tail) * 2 >= n) {
		/* short value: always mask more than half of it */
		if (head > 0)
			head--;
		else
			tail--;
	}
	out = g_string_sized_new((gsize)(end - value) + 1);
	for (p = value; p < end; p = next) {
		next = next_char(p, end);
		if (is_separator(*p)) {
			g_string_append_c(out, *p);
			continue;
		}
		if (i < head || i >= n - tail)
			g_string_append_len(out, p, next - p);
		else
			g_string_append_c(out, '*');
		i++;
	}
	return g_string_free(out, FALSE);
}

/* redact_email - first character of the local part, then the domain */
static char *redact_email(const char *v, const char *end)
{
	const char *at = memchr(v, '@', (size_t)(end - v));

	if (!at || at == v)
		return es_redact_mask(v, end - v, 0, 0);
	return g_strdup_printf("email %c***%.*s", g_ascii_isalnum(*v) ? *v : '*',
			       (int)(end - at), at);
}

/* redact_postcode - the outward code (district) and a masked inward code */
static char *redact_postcode(const char *v, const char *end)
{
	gssize n = end - v;
	const char *sp = memchr(v, ' ', (size_t)n);
	gssize outward = sp ? sp - v : n - 3;

	if (outward < 1 || outward > 4)
		return es_redact_mask(v, n, 0, 0);
	return g_strdup_printf("postcode %.*s ***", (int)outward, v);
}

/* redact_address - every word masked except street types (Road, Close) and
 * the outward code of a postcode at the end */
static char *redact_address(const char *v, const char *end)
{
	static const char *const keep[] = {
		"road", "street", "lane", "avenue", "close", "drive", "way", "crescent",
		"gardens", "place", "court", "terrace", "grove", "hill", "park", "row",
		"walk", "mews", "square", "rise", "view", "green", "st", "rd",
	};
	GString *out = g_string_new("address ");
	const char *p = v, *w;
	gssize outward = end - v >= 6 && end[-4] == ' ' && g_ascii_isdigit(end[-3]) ? end - 4 - v : -1;

	while (p < end) {
		gboolean shown = FALSE;
		char *word, *masked;

		for (w = p; w < end && !is_separator(*w); w++)
			;
		word = g_ascii_strdown(p, w - p);
		for (gsize i = 0; i < G_N_ELEMENTS(keep) && !shown; i++)
			shown = strcmp(word, keep[i]) == 0;
		if (outward >= 0 && p > v && w == v + outward && p[-1] == ' ')
			shown = w - p <= 4;	/* the postcode district, as for "postcode" */
		masked = es_redact_mask(p, w - p, 0, 0);
		/* the mask is a star per character, shorter than the word in bytes
		 * when the word has accented letters */
		if (shown)
			g_string_append_len(out, p, w - p);
		else
			g_string_append(out, masked);
		g_free(masked);
		g_free(word);
		for (p = w; p < end && is_separator(*p); p++)
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* es_redact - labelled, redacted evidence for VALUE of TYPE */
char *es_redact(const char *type, const char *value, gssize len)
{
	const char *end;
	char *masked, *out;

	if (!value)
		return g_strdup("");
	end = value + (len < 0 ? (gssize)strlen(value) : len);
	if (g_strcmp0(type, "email") == 0)
		return redact_email(value, end);
	if (g_strcmp0(type, "postcode") == 0)
		return redact_postcode(value, end);
	if (g_strcmp0(type, "address") == 0)
		return redact_address(value, end);
	if (g_strcmp0(type, "credentials") == 0)
		return g_strdup("password ********");
	for (gsize i = 0; type && i < G_N_ELEMENTS(redact_rules); i++) {
		if (strcmp(redact_rules[i].type, type) != 0)
			continue;
		if (strcmp(type, "meeting") == 0)	/* a phrase from the rules, not data */
			return g_strdup_printf("meeting \"%.*s\"", (int)MIN(end - value, 60), value);
		masked = es_redact_mask(value, end - value, redact_rules[i].head, redact_rules[i].tail);
		out = g_strdup_printf("%s %s", redact_rules[i].label, masked);
		g_free(masked);
		return out;
	}
	return es_redact_mask(value, end - value, 0, 2);
}
