/* html_css.c - whether CSS keeps a reader from seeing an element of an HTML
 * part: the declarations of its style attribute and of the rules
 * html_sheet.c keeps, ranked as the cascade ranks them, and what its
 * parent's give it */
#include "config.h"
#include <string.h>
#include "html_css.h"
#include "html_css_priv.h"

/* below this opacity or colour alpha text is too faint to read on the page */
#define FAINT 0.1

enum { DISPLAY, VISIBILITY, FONT_SIZE, OPACITY, COLOR };
static const char *const props[ES_CSS_PROPS] = { "display", "visibility", "font-size", "opacity", "color" };

/* font_size_says - what a font-size VALUE says; a size relative to the
 * parent's (em, %) keeps the parent's unless it is 0: 0 of anything is 0 */
static int font_size_says(const char *v)
{
	char *unit;
	double size = g_ascii_strtod(v, &unit);

	if (unit == v)
		return es_html_word_in(" inherit unset larger smaller ", v) ? -1 : 0;
	if (size < 0 || (size > 0 && es_html_word_in(" em ex ch % ", unit)))
		return -1;
	/* below a pixel nothing can be read */
	return size == 0 || (size < 1 && es_html_word_in(" px pt ", unit));
}

/* faint_says - what an opacity or alpha V (a number or percentage) says;
 * -1 if it is no number */
static int faint_says(const char *v)
{
	char *unit;
	double a = g_ascii_strtod(v, &unit);

	if (unit == v)
		return -1;
	if (*unit == '%')
		a /= 100;
	return a < FAINT;
}

/* color_says - what a color V says: 1 for transparent or an alpha too low
 * to see ("#0000", "rgba(0,0,0,0)", "rgb(0 0 0 / 0%)"), as the text is
 * drawn in it */
static int color_says(const char *v)
{
	gsize hex = strspn(v + (*v != '\0'), "0123456789abcdef");
	const char *open = strchr(v, '('), *alpha = NULL;
	guint commas = 0;

	if (es_html_word_in(" inherit unset currentcolor revert revert-layer ", v))
		return -1;
	if (strcmp(v, "transparent") == 0)
		return 1;
	if (v[0] == '#' && v[hex + 1] == '\0' && (hex == 4 || hex == 8))
		return (hex == 4 ? g_ascii_xdigit_value(v[4]) / 15.0
			: (g_ascii_xdigit_value(v[7]) * 16 + g_ascii_xdigit_value(v[8])) / 255.0) < FAINT;
	for (const char *p = open; p && *p; p++) {
		/* "f(a, b, c, alpha)" or "f(a b c / alpha)" */
		commas += *p == ',';
		if (*p == '/' || (*p == ',' && commas == 3))
			alpha = p + 1;
	}
	return alpha ? faint_says(alpha) == 1 : 0;
}

/* value_says - what VALUE of props[PROP] says */
static int value_says(guint prop, const char *v)
{
	switch (prop) {
	case DISPLAY:
		return strcmp(v, "none") == 0;
	case VISIBILITY:
		return es_html_word_in(" hidden collapse ", v) ? 1 : strcmp(v, "visible") == 0 ? 0 : -1;
	case FONT_SIZE:
		return font_size_says(v);
	case OPACITY:
		return faint_says(v);
	default:
		return color_says(v);
	}
}

/* css_declaration - add DECL ("name: value [!important]", lower case) to B;
 * a plain one does not override one set !important */
static void css_declaration(char *decl, es_css_says *b)
{
	char *colon = strchr(decl, ':'), *bang, *v;
	gboolean imp = FALSE;

	if (!colon)
		return;
	*colon = '\0';
	v = g_strstrip(colon + 1);
	bang = strchr(v, '!');
	if (bang) {
		if (strcmp(g_strstrip(bang + 1), "important") != 0)
			return;	/* not valid CSS: browsers drop it */
		imp = TRUE;
		*bang = '\0';
		g_strchomp(v);
	}
	decl = g_strstrip(decl);
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (strcmp(decl, props[i]) == 0 && (imp || !(b->rank[i] & RANK_IMPORTANT))) {
			b->rank[i] = DECLARED | (imp ? RANK_IMPORTANT : 0);
			b->says[i] = value_says(i, v);
		}
}

/* es_css_declarations - add the declarations from P to END (';'-separated) to B;
 * names and keywords in any case */
void es_css_declarations(const char *p, const char *end, es_css_says *b)
{
	char *text = g_ascii_strdown(p, end - p);
	char **decls = g_strsplit(text, ";", -1);

	for (char **d = decls; *d; d++)
		css_declaration(*d, b);
	g_strfreev(decls);
	g_free(text);
}

/* es_css_ranked - what B declares, ranked BASE (its !important ones above); if
 * HIDE_ONLY, only what hides */
es_css_says es_css_ranked(const es_css_says *b, guint32 base, gboolean hide_only)
{
	es_css_says out = *b;

	for (guint i = 0; i < ES_CSS_PROPS; i++)
		out.rank[i] = !b->rank[i] || (hide_only && b->says[i] != 1) ? 0 : base | (b->rank[i] & RANK_IMPORTANT);
	return out;
}

/* es_css_merge - what FROM says, into TO where it ranks no lower */
void es_css_merge(const es_css_says *from, es_css_says *to)
{
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (from->rank[i] && from->rank[i] >= to->rank[i]) {
			to->says[i] = from->says[i];
			to->rank[i] = from->rank[i];
		}
}

/* es_css_says_init - nothing said yet */
void es_css_says_init(es_css_says *c)
{
	static const es_css_says nothing = { { -1, -1, -1, -1, -1 }, { 0 } };

	*c = nothing;
}

/* es_css_string_end - the quote or line end that ends the CSS string opening at P */
const char *es_css_string_end(const char *p, const char *end)
{
	for (const char *q = p + 1; q < end; q++) {
		if (*q == '\\')
			q++;
		else if (*q == *p || *q == '\n')
			return MIN(q, end - 1);
	}
	return end - 1;
}

/* es_css_without_comments - CSS without its comments (a string holds
 * none) and the "<!--" and "-->" old mail wraps a style sheet in, which CSS
 * ignores; a comment never closed runs to the end */
GString *es_css_without_comments(const char *css, gsize len)
{
	GString *out = g_string_sized_new(len);
	const char *end = css + len, *q;

	for (const char *p = css; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			q = es_css_string_end(p, end);
			g_string_append_len(out, p, q + 1 - p);
			p = q;
		} else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			for (q = p + 2; end - q >= 2 && !(q[0] == '*' && q[1] == '/'); q++)
				;
			if (end - q < 2)
				break;
			p = q + 1;
		} else if ((end - p >= 4 && memcmp(p, "<!--", 4) == 0) || (end - p >= 3 && memcmp(p, "-->", 3) == 0)) {
			g_string_append_c(out, ' ');
			p += p[0] == '<' ? 3 : 2;
		} else
			g_string_append_c(out, *p);
	}
	for (gsize i = 0; i < out->len; i++)
		if (!out->str[i])
			out->str[i] = ' ';
	return out;
}

/* es_css_style - apply the style attribute STYLE to C; its comments are
 * dropped first, as one inside "display:none" still hides */
void es_css_style(const char *style, es_css_says *c)
{
	GString *css = es_css_without_comments(style, strlen(style));
	es_css_says b, said;

	es_css_says_init(&b);
	es_css_declarations(css->str, css->str + css->len, &b);
	said = es_css_ranked(&b, RANK_INLINE, FALSE);
	es_css_merge(&said, c);
	g_string_free(css, TRUE);
}

/* es_css_hides - the reasons an element is not seen: its parent's PARENT and
 * those C gives; the hidden attribute is display:none in the browser's own
 * style sheet, which the element's display overrides. display:none and
 * opacity hide all within, whatever it says; the others it may undo. */
guint8 es_css_hides(guint8 parent, const es_css_says *c, gboolean hidden_attr)
{
	static const guint8 undoable[] = { 0, ES_CSS_INVISIBLE, ES_CSS_NO_FONT, 0, ES_CSS_CLEAR };
	guint8 hide = parent;

	if (c->says[DISPLAY] == 1 || (c->says[DISPLAY] < 0 && hidden_attr))
		hide |= ES_CSS_GONE;
	if (c->says[OPACITY] == 1)
		hide |= ES_CSS_FADED;
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (undoable[i] && c->says[i] >= 0)
			hide = c->says[i] ? hide | undoable[i] : hide & ~undoable[i];
	return hide;
}
