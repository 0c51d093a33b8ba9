/* html_entity.c - character references in HTML text and attribute values,
 * decoded as browsers decode them, so "f&#117;ck" and "f&shyuck" read as a
 * person reads them */
#include "config.h"
#include <string.h>
#include "mime.h"
#include "html_entity.h"

#define ZWSP "\xe2\x80\x8b"	/* U+200B */

/* Named references. LEGACY ones are read without their ';' too, as browsers
 * do in text ("f&shyuck"). Invisible ones become their own code points, which
 * the language normaliser drops inside words; a space would split the word. */
static const struct { const char *name, *text; gboolean legacy; } entities[] = {
	{ "amp", "&", TRUE }, { "lt", "<", TRUE }, { "gt", ">", TRUE }, { "quot", "\"", TRUE },
	{ "AMP", "&", TRUE }, { "LT", "<", TRUE }, { "GT", ">", TRUE }, { "QUOT", "\"", TRUE },
	{ "apos", "'", FALSE }, { "nbsp", " ", TRUE }, { "ndash", "-", FALSE }, { "mdash", "-", FALSE },
	{ "lsquo", "'", FALSE }, { "rsquo", "'", FALSE }, { "ldquo", "\"", FALSE },
	{ "rdquo", "\"", FALSE }, { "hellip", "...", FALSE }, { "pound", "\xc2\xa3", TRUE },
	{ "copy", "\xc2\xa9", TRUE }, { "COPY", "\xc2\xa9", TRUE },
	{ "shy", "\xc2\xad", TRUE }, { "zwnj", "\xe2\x80\x8c", FALSE }, { "zwj", "\xe2\x80\x8d", FALSE },
	{ "lrm", "\xe2\x80\x8e", FALSE }, { "rlm", "\xe2\x80\x8f", FALSE },
	{ "ZeroWidthSpace", ZWSP, FALSE }, { "NegativeVeryThinSpace", ZWSP, FALSE },
	{ "NegativeThinSpace", ZWSP, FALSE }, { "NegativeMediumSpace", ZWSP, FALSE },
	{ "NegativeThickSpace", ZWSP, FALSE }, { "NoBreak", "\xe2\x81\xa0", FALSE },
	{ "ApplyFunction", "\xe2\x81\xa1", FALSE }, { "af", "\xe2\x81\xa1", FALSE },
	{ "InvisibleTimes", "\xe2\x81\xa2", FALSE }, { "it", "\xe2\x81\xa2", FALSE },
	{ "InvisibleComma", "\xe2\x81\xa3", FALSE }, { "ic", "\xe2\x81\xa3", FALSE },
};

/* the longest name HTML defines ("CounterClockwiseContourIntegral") */
#define ENTITY_NAME_MAX 31

/* numeric - decode the reference at P ('#', after '&') as browsers do: the
 * digits run to the first non-digit and the ';' is optional ("&#102uck");
 * returns bytes consumed, 0 if there are no digits */
static gsize numeric(const char *p, const char *end, GString *out)
{
	const char *q = p + 1, *digits;
	gboolean hex = q < end && (*q == 'x' || *q == 'X');
	guint32 cp = 0;

	q += hex;
	for (digits = q; q < end && (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q)); q++)
		cp = MIN(cp * (hex ? 16 : 10) + (guint32)g_ascii_xdigit_value(*q), 0x110000);
	if (q == digits)
		return 0;
	if (q < end && *q == ';')
		q++;
	if (cp == 0 || !g_unichar_validate(cp))
		cp = 0xfffd;	/* what a browser shows for NUL, surrogates, too large */
	else if (cp >= 0x80 && cp <= 0x9f && es_cp1252_char((guchar)cp))
		/* what browsers show for &#128; to &#159;: Windows-1252, as the
		 * HTML spec says ("a&#154;&#154;" is "ašš", read "ass"); the five
		 * bytes it leaves undefined stay the control they name */
		cp = es_cp1252_char((guchar)cp);
	/* zero-width and soft-hyphen characters are dropped by the language
	 * normaliser; here they are kept as characters like any other */
	g_string_append_unichar(out, cp);
	return (gsize)(q - p);
}

/* named - decode the reference at P (after '&'): the whole name if a ';'
 * ends it, else the longest legacy name it starts with ("&ampx" is "&x");
 * returns bytes consumed, 0 if none */
static gsize named(const char *p, const char *end, GString *out)
{
	gsize n = 0, best = 0;
	const char *text = NULL;

	while (p + n < end && n <= ENTITY_NAME_MAX && g_ascii_isalnum(p[n]))
		n++;
	for (guint i = 0; i < G_N_ELEMENTS(entities); i++) {
		gsize len = strlen(entities[i].name);

		if (len > n || strncmp(p, entities[i].name, len) != 0)
			continue;
		if (len == n && p + n < end && p[n] == ';') {
			g_string_append(out, entities[i].text);
			return n + 1;
		}
		if (entities[i].legacy && len > best) {
			best = len;
			text = entities[i].text;
		}
	}
	if (text)
		g_string_append(out, text);
	return best;
}

/* entity - decode the reference at P (after '&'); returns bytes consumed, 0 if none */
static gsize entity(const char *p, const char *end, GString *out)
{
	if (p < end && *p == '#')
		return numeric(p, end, out);
	return named(p, end, out);
}

/* es_html_decode - add the character or reference at P to OUT; returns what follows */
const char *es_html_decode(const char *p, const char *end, GString *out)
{
	if (*p == '&') {
		gsize used = entity(p + 1, end, out);

		if (used)
			return p + used + 1;
	}
	g_string_append_c(out, *p);
	return p + 1;
}

/* es_html_decoded - the value V (LEN bytes) with its references decoded; g_free it */
char *es_html_decoded(const char *v, gsize len)
{
	GString *out = g_string_sized_new(len);

	for (const char *end = v + len; v < end;)
		v = es_html_decode(v, end, out);
	return g_string_free(out, FALSE);
}
