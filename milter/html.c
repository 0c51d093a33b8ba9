/* html.c - the visible text of an HTML part, so detectors read what a person
 * reads and tags cannot split a word ("f<b></b>uck" reads "fuck") */
#include "config.h"
#include <string.h>
#include "mime.h"

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

/* Tags after which a person sees a line break, so words do not run together. */
static const char *const block_tags[] = {
	"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "table", "blockquote", "pre", "hr", "title", "section", "article",
	"dl", "dt", "dd", "header", "footer", "nav", "main", "aside", "figure",
	"figcaption", "address", "details", "summary", "caption", "center", "form",
	"fieldset", "legend",
};

/* What browsers show for &#128; to &#159;: Windows-1252, as the HTML spec
 * says: "a&#154;&#154;" shows "a" and two s-carons, which the normaliser
 * reads "ass"; control characters would split the word */
static const guint16 c1_chars[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

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
	else if (cp >= 0x80 && cp <= 0x9f)
		cp = c1_chars[cp - 0x80];
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

/* tag_name - lower-case name of the tag starting at P (after '<' and an optional '/') */
static void tag_name(const char *p, const char *end, char *name, gsize size)
{
	gsize i = 0;

	if (p < end && *p == '/')
		p++;
	while (p < end && i + 1 < size && (g_ascii_isalnum(*p)))
		name[i++] = g_ascii_tolower(*p++);
	name[i] = '\0';
}

/* skip_to - end of the element whose content is not shown (script, style) */
static const char *skip_to(const char *p, const char *end, const char *close)
{
	gsize cl = strlen(close);

	for (; p + cl <= end; p++)
		if (*p == '<' && g_ascii_strncasecmp(p, close, cl) == 0)
			return p;
	return end;
}

/* is_block - a tag that breaks the line */
static gboolean is_block(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(block_tags); i++)
		if (strcmp(name, block_tags[i]) == 0)
			return TRUE;
	return FALSE;
}

/* comment_end - where the text resumes after a comment whose body starts at P
 * (after "<!--"). As in the HTML comment states, "<!-->" and "<!--->" are
 * whole comments and "--!>" ends one as "-->" does: mail clients show what
 * follows them, so the detectors must read it. */
static const char *comment_end(const char *p, const char *end)
{
	if (p < end && *p == '>')
		return p + 1;
	if (end - p >= 2 && p[0] == '-' && p[1] == '>')
		return p + 2;
	for (; end - p >= 3; p++) {
		if (p[0] != '-' || p[1] != '-')
			continue;
		if (p[2] == '>')
			return p + 3;
		if (p[2] == '!' && end - p >= 4 && p[3] == '>')
			return p + 4;
	}
	return end;
}

/* starts_markup - whether the '<' at P opens a tag, an end tag, a comment or a
 * declaration, as the HTML tokenizer decides; any other '<' is text a person
 * sees ("<3 you", "a < b"), and taking it for a tag would hide what follows */
static gboolean starts_markup(const char *p, const char *end)
{
	if (end - p < 2)
		return FALSE;
	/* "</" before anything but the end is an end tag or a bogus comment */
	return g_ascii_isalpha(p[1]) || p[1] == '!' || p[1] == '?' || (p[1] == '/' && end - p > 2);
}

/* markup - read the markup at P ('<'), adding the break it makes; returns
 * where the text resumes */
static const char *markup(const char *p, const char *end, GString *out)
{
	char name[16];
	const char *gt;

	if (end - p >= 4 && strncmp(p, "<!--", 4) == 0)
		return comment_end(p + 4, end);
	gboolean closing = p[1] == '/';

	tag_name(p + 1, end, name, sizeof(name));
	gt = memchr(p, '>', (gsize)(end - p));
	p = gt ? gt + 1 : end;
	if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0))
		p = skip_to(p, end, strcmp(name, "script") == 0 ? "</script" : "</style");
	else if (is_block(name))
		g_string_append_c(out, '\n');
	else if (closing && (strcmp(name, "td") == 0 || strcmp(name, "th") == 0))
		g_string_append_c(out, '\t');	/* keep a pasted table's rows and columns */
	return p;
}

/* es_html_to_text - visible text; linear in the input */
char *es_html_to_text(const char *html, gsize len)
{
	const char *p = html, *end = html + len;
	GString *out = g_string_sized_new(len / 2 + 16);

	while (p < end) {
		if (*p == '<' && starts_markup(p, end)) {
			p = markup(p, end, out);
			continue;
		}
		if (*p == '&') {
			gsize used = entity(p + 1, end, out);

			if (used) {
				p += used + 1;
				continue;
			}
		}
		g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}
