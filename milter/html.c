/* html.c - the visible text of an HTML part, so detectors read what a person
 * reads and tags cannot split a word ("f<b></b>uck" reads "fuck") */
#include "config.h"
#include <string.h>
#include "mime.h"

static const struct { const char *name; const char *text; } entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", " " }, { "shy", "" }, { "zwj", "" }, { "zwnj", "" }, { "ndash", "-" },
	{ "mdash", "-" }, { "lsquo", "'" }, { "rsquo", "'" }, { "ldquo", "\"" },
	{ "rdquo", "\"" }, { "hellip", "..." }, { "pound", "\xc2\xa3" }, { "copy", "\xc2\xa9" },
};

/* Tags after which a person sees a line break, so words do not run together. */
static const char *const block_tags[] = {
	"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "table", "blockquote", "pre", "hr", "title", "section", "article",
};

/* entity - decode the entity at P (after '&'); returns bytes consumed, 0 if none */
static gsize entity(const char *p, const char *end, GString *out)
{
	const char *semi = memchr(p, ';', (gsize)MIN(end - p, 12));
	gsize n;

	if (!semi)
		return 0;
	n = (gsize)(semi - p);
	if (n > 1 && *p == '#') {
		gboolean hex = p[1] == 'x' || p[1] == 'X';
		char *num = g_strndup(p + 1 + hex, n - 1 - hex), *e;
		guint64 cp = g_ascii_strtoull(num, &e, hex ? 16 : 10);
		gboolean ok = *num && *e == '\0' && cp > 0 && cp <= 0x10FFFF && g_unichar_validate((gunichar)cp);

		g_free(num);
		if (!ok)
			return 0;
		/* zero-width and soft-hyphen characters are dropped by the language
		 * normaliser; here they are kept as characters like any other */
		g_string_append_unichar(out, (gunichar)cp);
		return n + 1;
	}
	for (guint i = 0; i < G_N_ELEMENTS(entities); i++)
		if (strlen(entities[i].name) == n && strncmp(p, entities[i].name, n) == 0) {
			g_string_append(out, entities[i].text);
			return n + 1;
		}
	return 0;
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
