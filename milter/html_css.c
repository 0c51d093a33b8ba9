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

enum { DISPLAY, VISIBILITY, FONT_SIZE, OPACITY, COLOR, BG_COLOR, BG_IMAGE };
static const char *const props[ES_CSS_PROPS] = {
	"display", "visibility", "font-size", "opacity", "color", "background-color", "background-image",
};

/* px_per - pixels in one of absolute length UNIT (CSS's 96 to the inch), 0 if UNIT is none */
static double px_per(const char *unit)
{
	static const struct { const char *unit; double px; } units[] = {
		{ "px", 1 }, { "pt", 4.0 / 3 }, { "pc", 16 }, { "in", 96 },
		{ "cm", 37.8 }, { "mm", 3.78 }, { "q", 0.945 },	/* lowercased with the style */
	};

	for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
		if (strcmp(unit, units[i].unit) == 0)
			return units[i].px;
	return 0;
}

/* font_size_says - what a font-size VALUE says; a size relative to the
 * parent's (em, ex, ch, %) keeps the parent's unless it is 0 (0 of
 * anything is 0) or a fifth of it or less */
static int font_size_says(const char *v)
{
	char *unit;
	double size = g_ascii_strtod(v, &unit);

	if (unit == v)
		return es_html_word_in(" inherit unset larger smaller ", v) ? -1 : 0;
	if (size < 0)
		return -1;
	if (size == 0)
		return 1;
	/* letters a few pixels high are specks, not letters: a pupil hides
	 * decoys in them ("fu<span style=font-size:1px>zz</span>ck") */
	if (es_html_word_in(" em rem % ", unit))
		return size <= (*unit == '%' ? 20 : 0.2) ? 1 : -1;
	if (es_html_word_in(" ex ch ", unit))	/* about half an em */
		return size * 0.5 <= 0.2 ? 1 : -1;
	/* 0.2vw is 3px of a 1500px-wide window, under 4 of a 1920px screen's: a speck */
	if (es_html_word_in(" vw vh vmin vmax ", unit))
		return size <= 0.2;
	/* under 3 pixels; points keep their older bound, under 3pt (4px): the
	 * hidden text is still read as a whole, so a 3.9px speck counted as
	 * hidden loses nothing, and lowering it would let 2.5pt decoys through */
	if (strcmp(unit, "pt") == 0)
		return size < 3;
	return px_per(unit) > 0 && size * px_per(unit) < 3;
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
	case BG_IMAGE:
		return !es_html_word_in(" none initial unset ", v);
	case BG_COLOR:
		/* transparent or faint: what is behind shows through */
		return es_css_color(v) == 1 ? -1 : es_css_color(v);
	default:
		return es_css_color(v);
	}
}

/* background_says - what the background shorthand V says of P (BG_COLOR
 * or BG_IMAGE): an image if it has a function not a colour's (url(),
 * gradients), the colour of the word that is one; what it leaves out is
 * reset (no image, transparent) */
static int background_says(guint prop, const char *v)
{
	char **words = g_strsplit_set(v, " \t\r\n\f", -1);
	int color = -1, image = 0;

	if (es_html_word_in(" inherit unset revert revert-layer ", v))
		color = image = -1;
	for (char **w = words; *w && image >= 0; w++) {
		int c = **w && !es_html_word_in(" none initial ", *w) ? es_css_color(*w) : -1;

		if (strchr(*w, '(') && !(c > 0 || g_str_has_prefix(*w, "rgb") || g_str_has_prefix(*w, "hsl")))
			image = 1;	/* "url(a.png)", "linear-gradient(...)", or a function read as neither */
		else if (c != -1)
			color = c == 1 ? -1 : c;
	}
	g_strfreev(words);
	return prop == BG_IMAGE ? image : color;
}

/* custom_says - what var() of a custom property of value V says in each
 * property, into SAYS */
static void custom_says(const char *v, int *says)
{
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		says[i] = i == BG_COLOR || i == BG_IMAGE ? background_says(i, v) : value_says(i, v);
}

/* unknown_says - what var() of a custom property not known says: nothing
 * that hides */
static void unknown_says(int *says)
{
	/* custom_says("unset"): display inline, the rest the parent's */
	static const int unset[ES_CSS_PROPS] = { 0, -1, -1, -1, -1, -1, -1 };

	memcpy(says, unset, sizeof(unset));
}

/* custom_name - the name of custom property NAME ("--h") as kept */
static guint32 custom_name(const char *name)
{
	guint32 h = g_str_hash(name);

	return h ? h : 1;
}

/* put_custom - put custom property C in the N kept at KEPT, in place of
 * one of its name where RANK allows; FALSE if there is no room */
static gboolean put_custom(es_css_custom *kept, guint n, const es_css_custom *c)
{
	for (guint k = 0; k < n; k++)
		if (kept[k].name == c->name || !kept[k].name) {
			if (!kept[k].name || c->rank >= kept[k].rank)
				kept[k] = *c;
			return TRUE;
		}
	return FALSE;
}

/* declare_custom - the declaration of custom property NAME as V in B */
static void declare_custom(es_css_says *b, const char *name, const char *v, gboolean imp)
{
	es_css_custom c = { custom_name(name), { 0 }, DECLARED | (imp ? RANK_IMPORTANT : 0) };

	custom_says(v, c.says);
	for (guint k = 0; k < ES_CSS_CUSTOM_MAX; k++)
		if (b->custom[k].name == c.name && !imp && (b->custom[k].rank & RANK_IMPORTANT))
			return;	/* a plain one does not override one set !important */
	b->custom_lost |= !put_custom(b->custom, ES_CSS_CUSTOM_MAX, &c);
}

/* var_of - if V is "var(--name)" or "var(--name, fallback)", the name,
 * and in *FALLBACK the fallback ("unset" if none); g_free it */
static char *var_of(const char *v, const char **fallback)
{
	gsize n = strlen(v), name_end;
	char *name;

	if (!g_str_has_prefix(v, "var(") || v[n - 1] != ')')
		return NULL;
	v += 4;
	while (g_ascii_isspace(*v))
		v++;
	name_end = strcspn(v, ",) \t\r\n\f");
	if (!g_str_has_prefix(v, "--"))
		return NULL;
	name = g_strndup(v, name_end);
	v += name_end;
	while (g_ascii_isspace(*v))
		v++;
	*fallback = "unset";
	if (*v == ',') {
		char *fb = g_strstrip(g_strndup(v + 1, strlen(v + 1) - 1));

		/* kept for the caller in the name's buffer */
		name = g_realloc(name, name_end + 1 + strlen(fb) + 1);
		strcpy(name + name_end + 1, fb);
		*fallback = name + name_end + 1;
		g_free(fb);
	} else if (strcmp(v, ")") != 0) {
		g_free(name);
		return NULL;
	}
	return name;
}

/* declare - set what B says of PROP to SAYS, ranked IMP if !important */
static void declare(es_css_says *b, guint prop, int says, guint32 var, gboolean imp)
{
	if (imp || !(b->rank[prop] & RANK_IMPORTANT)) {
		b->rank[prop] = DECLARED | (imp ? RANK_IMPORTANT : 0);
		b->says[prop] = says;
		b->var[prop] = var;
	}
}

/* css_declaration - add DECL ("name: value [!important]", lower case) to B;
 * a plain one does not override one set !important */
static void css_declaration(char *decl, es_css_says *b)
{
	char *colon = strchr(decl, ':'), *bang, *v, *var;
	const char *fallback;
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
	if (g_str_has_prefix(decl, "--")) {
		declare_custom(b, decl, v, imp);
		return;
	}
	var = var_of(v, &fallback);
	if (strcmp(decl, "background") == 0) {
		declare(b, BG_COLOR, background_says(BG_COLOR, var ? fallback : v), var ? custom_name(var) : 0, imp);
		declare(b, BG_IMAGE, background_says(BG_IMAGE, var ? fallback : v), var ? custom_name(var) : 0, imp);
	}
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (strcmp(decl, props[i]) == 0)
			declare(b, i, value_says(i, var ? fallback : v), var ? custom_name(var) : 0, imp);
	g_free(var);
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

/* es_css_only_hides - keep in B only what hides. A background colour may
 * show text of its colour elsewhere, so it is kept as one not known: text
 * on it is never taken for the colour of its background; so are custom
 * properties, and var() of one is dropped. */
void es_css_only_hides(es_css_says *b)
{
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (b->var[i])
			b->rank[i] = 0;
		else if (i == BG_COLOR)
			b->says[i] = 0;
		else if (b->says[i] != 1)
			b->rank[i] = 0;
	for (guint k = 0; k < ES_CSS_CUSTOM_MAX && b->custom[k].name; k++)
		unknown_says(b->custom[k].says);
}

/* es_css_ranked - what B declares, ranked BASE (its !important ones above); if
 * HIDE_ONLY, only what hides */
es_css_says es_css_ranked(const es_css_says *b, guint32 base, gboolean hide_only)
{
	es_css_says out = *b;

	if (hide_only)
		es_css_only_hides(&out);
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		out.rank[i] = !out.rank[i] ? 0 : base | (b->rank[i] & RANK_IMPORTANT);
	for (guint k = 0; k < ES_CSS_CUSTOM_MAX; k++)
		if (out.custom[k].name)
			out.custom[k].rank = base | (b->custom[k].rank & RANK_IMPORTANT);
	return out;
}

/* es_css_merge - what FROM says, into TO where it ranks no lower */
void es_css_merge(const es_css_says *from, es_css_says *to)
{
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (from->rank[i] && from->rank[i] >= to->rank[i]) {
			to->says[i] = from->says[i];
			to->rank[i] = from->rank[i];
			to->var[i] = from->var[i];
		}
	for (guint k = 0; k < ES_CSS_CUSTOM_MAX && from->custom[k].name; k++)
		to->custom_lost |= !put_custom(to->custom, ES_CSS_CUSTOM_MAX, &from->custom[k]);
	to->custom_lost |= from->custom_lost;
}

/* es_css_says_init - nothing said yet */
void es_css_says_init(es_css_says *c)
{
	static const es_css_says nothing = { { -1, -1, -1, -1, -1, -1, -1 }, { 0 }, { 0 }, { { 0, { 0 }, 0 } }, FALSE };

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

/* es_css_page - black text on a white page, as mail is read */
es_css_seen es_css_page(void)
{
	es_css_seen page;

	memset(&page, 0, sizeof(page));
	page.ink = ES_CSS_INK(0x000000);
	page.ground = ES_CSS_INK(0xffffff);
	return page;
}

/* es_css_hint - what an HTML attribute or the browser's own style says of
 * PROP; rules rank from 1 up and replace what ranks the same */
void es_css_hint(es_css_says *c, const char *prop, int says)
{
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (strcmp(prop, props[i]) == 0 && c->rank[i] <= 1) {
			c->says[i] = says;
			c->rank[i] = 1;
		}
}

/* resolve_vars - the custom properties C declares, added to those SEEN
 * has from its parent; and what C's var() values say by them, as a
 * browser resolves them for the element: a property not declared gives
 * the fallback */
static void resolve_vars(es_css_seen *seen, es_css_says *c)
{
	if (c->custom_lost) {
		/* one it declares may be one it has: none is known */
		for (guint k = 0; k < ES_CSS_CUSTOM_SEEN && seen->custom[k].name; k++)
			unknown_says(seen->custom[k].says);
		seen->custom_lost = TRUE;
	}
	for (guint k = 0; k < ES_CSS_CUSTOM_MAX && c->custom[k].name; k++)
		seen->custom_lost |= !put_custom(seen->custom, ES_CSS_CUSTOM_SEEN, &c->custom[k]);
	for (guint i = 0; i < ES_CSS_PROPS; i++) {
		int unknown[ES_CSS_PROPS];
		guint k = 0;

		if (!c->rank[i] || !c->var[i])
			continue;
		while (k < ES_CSS_CUSTOM_SEEN && seen->custom[k].name && seen->custom[k].name != c->var[i])
			k++;
		if (k < ES_CSS_CUSTOM_SEEN && seen->custom[k].name)
			c->says[i] = seen->custom[k].says[i];
		else if (seen->custom_lost) {
			unknown_says(unknown);
			c->says[i] = unknown[i];
		}
	}
}

/* es_css_hides - how an element is seen: its parent's PARENT and what C
 * gives; the hidden attribute is display:none in the browser's own style
 * sheet, which the element's display overrides. display:none and opacity
 * hide all within, whatever it says; the others it may undo. Its text is
 * clear when transparent or the colour of the nearest background. */
es_css_seen es_css_hides(const es_css_seen *parent, const es_css_says *said, gboolean hidden_attr)
{
	static const guint8 undoable[] = { 0, ES_CSS_INVISIBLE, ES_CSS_NO_FONT, 0, 0, 0, 0 };
	es_css_seen seen = *parent;
	es_css_says resolved = *said, *c = &resolved;

	resolve_vars(&seen, c);

	if (c->says[DISPLAY] == 1 || (c->says[DISPLAY] < 0 && hidden_attr))
		seen.hide |= ES_CSS_GONE;
	if (c->says[OPACITY] == 1)
		seen.hide |= ES_CSS_FADED;
	for (guint i = 0; i < ES_CSS_PROPS; i++)
		if (undoable[i] && c->says[i] >= 0)
			seen.hide = c->says[i] ? seen.hide | undoable[i] : seen.hide & ~undoable[i];
	if (c->says[COLOR] >= 0)
		seen.ink = c->says[COLOR];
	if (c->says[BG_IMAGE] == 1)
		seen.ground = 0;
	else if (c->says[BG_COLOR] >= 0)
		seen.ground = c->says[BG_COLOR];
	seen.hide &= ~ES_CSS_CLEAR;
	if (seen.ink == 1 || (ES_CSS_IS_INK(seen.ink) && ES_CSS_IS_INK(seen.ground) &&
			      es_css_same_ink(seen.ink, seen.ground)))
		seen.hide |= ES_CSS_CLEAR;
	return seen;
}
