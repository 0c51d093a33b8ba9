/* html.c - the visible text of an HTML part, so detectors read what a person
 * reads and tags cannot split a word ("f<b></b>uck" reads "fuck") */
#include "config.h"
#include <string.h>
#include "mime.h"
#include "html_css.h"
#include "html_entity.h"

/* Tags after which a person sees a line break, so words do not run together. */
static const char *const block_tags[] = {
	"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "table", "blockquote", "pre", "hr", "title", "section", "article",
	"dl", "dt", "dd", "header", "footer", "nav", "main", "aside", "figure",
	"figcaption", "address", "details", "summary", "caption", "center", "form",
	"fieldset", "legend",
};

/* tag_name - lower-case name of the tag at P (after '<' and any '/'), which
 * runs to white space, '/' or '>' as in the tokenizer; returns its end */
static const char *tag_name(const char *p, const char *end, char *name, gsize size)
{
	gsize i = 0;

	for (; p < end && !g_ascii_isspace(*p) && *p != '/' && *p != '>'; p++)
		if (i + 1 < size)
			name[i++] = g_ascii_tolower(*p);
	name[i] = '\0';
	return p;
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

/* es_html_word_in - whether NAME is one of the space-separated WORDS (" a b ") */
gboolean es_html_word_in(const char *words, const char *name)
{
	gsize n = strlen(name);

	if (n == 0)
		return FALSE;
	for (const char *w = strstr(words, name); w; w = strstr(w + 1, name))
		if (w > words && w[-1] == ' ' && w[n] == ' ')
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

/* Hidden elements. A reader does not see them, so decoy letters inside them
 * ("f<span style=display:none>x</span>uck") split words only for the
 * detectors; the text is also given without them. */

#define OPEN_MAX 64		/* open elements tracked (mail nests tables ~30 deep); a deeper one replaces the innermost */
#define TAG_NAME_SIZE 16
#define ATTR_NAME_SIZE 64	/* attribute names read in full for attribute selectors */

/* Attributes. Some hold text a reader sees, in place of an image, as a
 * tooltip, in a box or read aloud; the detectors read them too. */

static const char *const said_attrs = " alt title placeholder aria-label ";
/* input types whose value is not shown as text */
static const char *const valueless_inputs = " hidden checkbox radio file image password color range ";

/* attr_value - the raw value after '=' at P (*V, *LEN); returns its end. A
 * quote never closed ends at the next '>', so the rest is still read. */
static const char *attr_value(const char *p, const char *end, const char **v, gsize *len)
{
	const char *stop;

	while (p < end && g_ascii_isspace(*p))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		stop = memchr(p + 1, *p, (gsize)(end - p - 1));
		*v = p + 1;
		if (stop) {
			*len = (gsize)(stop - p - 1);
			return stop + 1;
		}
		stop = memchr(*v, '>', (gsize)(end - *v));
		stop = stop ? stop : end;
	} else {
		*v = p;
		for (stop = p; stop < end && !g_ascii_isspace(*stop) && *stop != '>'; stop++)
			;
	}
	*len = (gsize)(stop - *v);
	return stop;
}

/* es_html_attr - see mime.h */
gboolean es_html_attr(const char **pp, const char *end, char *name, gsize size, const char **v, gsize *len)
{
	const char *p = *pp;
	gsize i = 0;

	while (p < end && (g_ascii_isspace(*p) || *p == '/'))
		p++;
	if (p >= end || *p == '>') {
		*pp = p < end ? p + 1 : end;
		return FALSE;
	}
	do {
		if (i + 1 < size)
			name[i++] = g_ascii_tolower(*p);
		p++;
	} while (p < end && !g_ascii_isspace(*p) && *p != '/' && *p != '>' && *p != '=');
	name[i] = '\0';
	while (p < end && g_ascii_isspace(*p))
		p++;
	*v = p;
	*len = 0;
	if (p < end && *p == '=')
		p = attr_value(p + 1, end, v, len);
	*pp = p;
	return TRUE;
}

/* lower - S in lower case, in place */
static char *lower(char *s)
{
	for (char *c = s; *c; c++)
		*c = g_ascii_tolower(*c);
	return s;
}

/* skip_attrs - where the text resumes after the attributes at P, which an
 * end tag may have but which mean nothing */
static const char *skip_attrs(const char *p, const char *end)
{
	char name[TAG_NAME_SIZE];
	const char *v;
	gsize len;

	while (es_html_attr(&p, end, name, sizeof(name), &v, &len))
		;
	return p;
}

/* say - add an attribute's text to SAID as a line of its own */
static void say(const char *v, gsize len, GString *said)
{
	char *text = es_html_decoded(v, len);

	if (*g_strstrip(text))
		g_string_append_printf(said, "%s\n", text);
	g_free(text);
}

/* the attributes CSS is matched on and those that colour text or its
 * background; as in browsers only the first of each counts, so a second
 * style="display:inline" does not undo the first */
enum { STYLE, CLASS, ID, COLOR, TEXT, BGCOLOR, BACKGROUND, HREF };
static const char *const css_attrs[] = { "style", "class", "id", "color", "text", "bgcolor", "background", "href" };

/* elements whose bgcolor and background attributes are their background */
static const char *const grounded_tags = " body table tr td th ";
/* elements the browser draws on a background of its own */
static const char *const boxed_tags = " button input select textarea ";

/* hints - what the attributes of element NAME (values in CSS) and the
 * browser's own style say of its colours, into SAYS */
static void hints(const char *name, char *const *css, es_css_says *says)
{
	gboolean grounded = es_html_word_in(grounded_tags, name);

	if (strcmp(name, "a") == 0 && css[HREF])
		es_css_hint(says, "color", 0);	/* a link's colour, which visits change */
	else if (strcmp(name, "mark") == 0) {
		es_css_hint(says, "color", ES_CSS_INK(0x000000));
		es_css_hint(says, "background-color", ES_CSS_INK(0xffff00));
	} else if (es_html_word_in(boxed_tags, name))
		es_css_hint(says, "background-color", 0);
	if (css[COLOR] && strcmp(name, "font") == 0)
		es_css_hint(says, "color", es_html_color(css[COLOR]));
	if (css[TEXT] && strcmp(name, "body") == 0)
		es_css_hint(says, "color", es_html_color(css[TEXT]));
	if (css[BGCOLOR] && grounded)
		es_css_hint(says, "background-color", es_html_color(css[BGCOLOR]));
	if (css[BACKGROUND] && grounded && *g_strstrip(css[BACKGROUND]))
		es_css_hint(says, "background-image", 1);
}

/* css_attr - where attribute NAME is in css_attrs, or -1 */
static int css_attr(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(css_attrs); i++)
		if (strcmp(name, css_attrs[i]) == 0)
			return (int)i;
	return -1;
}

/* keep_attr - keep attribute NAME and its value V (LEN bytes) in *ATTRS,
 * for attribute selectors, unless it is there: only the first counts. A
 * name cut short could be another's, so it is not kept. */
static void keep_attr(GHashTable **attrs, const char *name, const char *v, gsize len)
{
	if (!*attrs)
		*attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (strlen(name) + 1 < ATTR_NAME_SIZE && !g_hash_table_contains(*attrs, name))
		g_hash_table_insert(*attrs, g_strdup(name), es_html_decoded(v, len));
}

/* start_attrs - read the attributes of start tag NAME from P: add what a
 * reader sees of them to SAID and give in *SEEN how the element is seen,
 * by its attributes, its own style, the rules of SHEET (NULL for none) and
 * how its parent is seen there; returns where the text resumes */
static const char *start_attrs(const char *p, const char *end, const char *name, GString *said,
			       const es_css_sheet *sheet, es_css_seen *seen)
{
	char an[ATTR_NAME_SIZE], *css[G_N_ELEMENTS(css_attrs)] = { NULL };
	GHashTable *attrs = NULL;	/* name -> value, of those attribute selectors name */
	GHashTableIter it;
	gpointer an_kept, v_kept;
	const char *v, *value = NULL;
	gsize len, value_len = 0;
	es_css_says says;
	gboolean hidden_attr = FALSE, shows_value = strcmp(name, "input") == 0;

	while (es_html_attr(&p, end, an, sizeof(an), &v, &len)) {
		int k = css_attr(an);

		hidden_attr |= strcmp(an, "hidden") == 0;
		if (es_css_sheet_keys_attr(sheet, an))
			keep_attr(&attrs, an, v, len);
		if (k >= 0 && !css[k] && ((k != CLASS && k != ID) || sheet))
			css[k] = k != CLASS && k != ID ? lower(es_html_decoded(v, len)) : es_html_decoded(v, len);	/* class and id as written */
		else if (strcmp(an, "type") == 0) {
			char *type = lower(es_html_decoded(v, len));

			shows_value &= !es_html_word_in(valueless_inputs, g_strstrip(type));
			g_free(type);
		} else if (strcmp(an, "value") == 0) {
			value = v;
			value_len = len;
		} else if (es_html_word_in(said_attrs, an))
			say(v, len, said);
	}
	if (value && shows_value)
		say(value, value_len, said);
	es_css_says_init(&says);
	hints(name, css, &says);
	if (sheet)
		es_css_match(sheet, name, css[CLASS], css[ID], &says);
	if (attrs)
		for (g_hash_table_iter_init(&it, attrs); g_hash_table_iter_next(&it, &an_kept, &v_kept);)
			es_css_match_attr(sheet, name, an_kept, v_kept, &says);
	if (css[STYLE])
		es_css_style(css[STYLE], &says);
	*seen = es_css_hides(seen, &says, hidden_attr);
	for (guint i = 0; i < G_N_ELEMENTS(css); i++)
		g_free(css[i]);
	if (attrs)
		g_hash_table_destroy(attrs);
	return p;
}

/* Open elements, so the end of a hidden one is found */

typedef struct {
	char name[TAG_NAME_SIZE];
	es_css_seen seen;	/* how it is seen, by its own style and its parent's */
	gboolean structural;	/* is_structural, kept as end tags ask it often */
} open_element;

typedef struct {
	GString *all, *shown;	/* the text; without hidden elements' (NULL if not asked for) */
	GString *said_all, *said_shown;	/* attributes' texts, the same two ways */
	open_element open[OPEN_MAX];
	guint depth;
	es_css_sheet *sheet;	/* the document's style sheets' rules; NULL if none or not asked for */
	es_css_seen page;	/* how the page under all elements is seen */
	gboolean hid;		/* some element was hidden */
} html_state;

/* elements with no content and no end tag */
static const char *const void_tags = " area base br col embed hr img input keygen link meta param source track wbr ";
/* formatting elements: their end tag closes what was left open in them */
static const char *const formatting_tags = " a b big code em font i nobr s small strike strong tt u ";

/* start tags that close an open element (the last of CLOSES found before one
 * of STOP): "<li>a<li>b" are two items */
static const struct { const char *tag, *closes, *stop; } implied_ends[] = {
	{ "li", " li ", " ul ol " }, { "dt", " dt dd ", " dl " }, { "dd", " dt dd ", " dl " },
	{ "tr", " tr td th ", " table " }, { "td", " td th ", " tr table " },
	{ "th", " td th ", " tr table " }, { "option", " option ", " select " },
};

/* seen_now - how text here is seen */
static const es_css_seen *seen_now(const html_state *h)
{
	return h->depth ? &h->open[h->depth - 1].seen : &h->page;
}

/* hidden_now - why text here is not seen */
static guint8 hidden_now(const html_state *h)
{
	return seen_now(h)->hide;
}

/* mirror - copy what FROM got since MARK to TO, if there is a TO and it is SEEN */
static void mirror(const GString *from, GString *to, gsize mark, gboolean seen)
{
	if (to && seen)
		g_string_append_len(to, from->str + mark, (gssize)(from->len - mark));
}

/* is_structural - an element that an inline end tag does not close */
static gboolean is_structural(const char *name)
{
	return is_block(name) || es_html_word_in(" td th tbody thead tfoot body html ", name);
}

/* close_implied - close what start tag NAME closes: an open item, cell or row
 * of the same list or table, a paragraph before a block */
static void close_implied(html_state *h, const char *name)
{
	const char *closes = " p ", *stop = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(implied_ends); i++)
		if (strcmp(name, implied_ends[i].tag) == 0) {
			closes = implied_ends[i].closes;
			stop = implied_ends[i].stop;
		}
	if (!stop && (!is_block(name) || es_html_word_in(" br tr title caption legend ", name)))
		return;
	guint found = h->depth;

	for (guint i = h->depth; i-- > 0;) {
		if (es_html_word_in(closes, h->open[i].name))
			found = i;
		else if (stop ? es_html_word_in(stop, h->open[i].name) : h->open[i].structural)
			break;
	}
	h->depth = found;
}

/* end_tag - close NAME's element and those left open in it; returns why its
 * end is not seen. An end tag with no open element is ignored, as is an
 * inline one outside the block its element is in. */
static guint8 end_tag(html_state *h, const char *name)
{
	gboolean inline_end = !is_structural(name) && !es_html_word_in(formatting_tags, name);

	if (es_html_word_in(" body html ", name))
		return hidden_now(h);	/* what follows is still in the body, on its background */
	for (guint i = h->depth; i-- > 0;) {
		if (strcmp(h->open[i].name, name) == 0) {
			h->depth = i;
			return h->open[i].seen.hide;
		}
		if (inline_end && h->open[i].structural)
			break;
	}
	return hidden_now(h);
}

/* start_tag - read start tag NAME's attributes at P and open its element;
 * returns where its content starts and in *HIDE why it is not seen */
static const char *start_tag(html_state *h, const char *p, const char *end, const char *name, guint8 *hide)
{
	gboolean is_void = es_html_word_in(void_tags, name) || strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
	gsize mark = h->said_all->len;
	es_css_seen seen;

	close_implied(h, name);
	if (!is_void && h->depth == OPEN_MAX)
		h->depth--;	/* beyond the cap, a sibling of the innermost */
	seen = *seen_now(h);
	p = start_attrs(p, end, name, h->said_all, h->sheet, &seen);
	if (strcmp(name, "template") == 0)
		seen.hide |= ES_CSS_GONE;	/* its content is never shown */
	*hide = seen.hide;
	h->hid |= *hide != 0;
	mirror(h->said_all, h->said_shown, mark, *hide == 0);
	if (!is_void) {
		g_strlcpy(h->open[h->depth].name, name, TAG_NAME_SIZE);
		h->open[h->depth].structural = is_structural(name);
		h->open[h->depth++].seen = seen;
	}
	return p;
}

/* markup - read the markup at P ('<'), adding the break it makes; returns
 * where the text resumes */
static const char *markup(html_state *h, const char *p, const char *end)
{
	char name[TAG_NAME_SIZE];
	gboolean closing = p[1] == '/';
	gsize mark = h->all->len;
	guint8 hide;
	const char *gt;

	if (end - p >= 4 && strncmp(p, "<!--", 4) == 0)
		return comment_end(p + 4, end);
	if (p[1] == '!' || p[1] == '?' || (closing && !g_ascii_isalpha(p[2]))) {
		gt = memchr(p, '>', (gsize)(end - p));	/* a declaration or bogus comment */
		return gt ? gt + 1 : end;
	}
	p = tag_name(p + 1 + closing, end, name, sizeof(name));
	if (closing) {
		p = skip_attrs(p, end);
		hide = end_tag(h, name);
	} else
		p = start_tag(h, p, end, name, &hide);
	if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0))
		return skip_to(p, end, strcmp(name, "script") == 0 ? "</script" : "</style");
	if (is_block(name))
		g_string_append_c(h->all, '\n');
	else if (closing && (strcmp(name, "td") == 0 || strcmp(name, "th") == 0))
		g_string_append_c(h->all, '\t');	/* keep a pasted table's rows and columns */
	/* a hidden element's box still breaks the line unless it is gone */
	mirror(h->all, h->shown, mark, !(hide & ES_CSS_GONE));
	return p;
}

/* finish - TEXT and, on lines after it, the attributes' texts SAID */
static char *finish(GString *text, GString *said)
{
	if (said->len)
		g_string_append_printf(text, "\n%s", said->str);
	g_string_free(said, TRUE);
	return g_string_free(text, FALSE);
}

/* conditional_media - the <style> whose attributes run from P to END
 * applies only at times: its media attribute names something other than
 * all or screen ("print", "(min-width: 9999px)") */
static gboolean conditional_media(const char *p, const char *end)
{
	char an[TAG_NAME_SIZE];
	const char *v;
	gsize len;
	gboolean conditional = FALSE;

	while (es_html_attr(&p, end, an, sizeof(an), &v, &len))
		if (strcmp(an, "media") == 0) {
			char *media = g_strstrip(lower(es_html_decoded(v, len)));

			conditional = *media && strcmp(media, "all") != 0 && strcmp(media, "screen") != 0;
			g_free(media);
			break;
		}
	return conditional;
}

/* style_sheet - the rules of the document's <style> elements, which apply
 * to elements before them too; NULL if it has none */
static es_css_sheet *style_sheet(const char *p, const char *end)
{
	es_css_sheet *sheet = NULL;

	while (p < end && (p = memchr(p, '<', (gsize)(end - p)))) {
		const char *css;
		gboolean conditional;

		if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
			p = comment_end(p + 4, end);
			continue;
		}
		if (end - p < 7 || g_ascii_strncasecmp(p + 1, "style", 5) != 0 ||
		    !(g_ascii_isspace(p[6]) || p[6] == '/' || p[6] == '>')) {
			p++;
			continue;
		}
		css = skip_attrs(p + 6, end);
		conditional = conditional_media(p + 6, css);
		p = skip_to(css, end, "</style");
		if (!sheet)
			sheet = es_css_sheet_new();
		es_css_sheet_add(sheet, css, (gsize)(p - css), conditional);
	}
	return sheet;
}

/* page_seen - how the page is seen: the rules of SHEET (or NULL) for the
 * html and body elements apply to it, which a browser adds where the mail
 * has no tag for them, and a body's background is the page's */
static es_css_seen page_seen(const es_css_sheet *sheet)
{
	es_css_seen page = es_css_page();
	es_css_says says;

	for (int i = 0; sheet && i < 2; i++) {
		es_css_says_init(&says);
		es_css_match(sheet, i ? "body" : "html", NULL, NULL, &says);
		page = es_css_hides(&page, &says, FALSE);
	}
	return page;
}

/* es_html_texts - visible text, as es_html_to_text; linear in the input */
char *es_html_texts(const char *html, gsize len, char **shown)
{
	const char *p = html, *end = html + len;
	html_state *h = g_new0(html_state, 1);
	char *text;

	h->all = g_string_sized_new(len / 2 + 16);
	h->said_all = g_string_new(NULL);
	if (shown) {
		h->shown = g_string_sized_new(len / 2 + 16);
		h->said_shown = g_string_new(NULL);
		h->sheet = style_sheet(html, end);
	}
	h->page = page_seen(h->sheet);
	h->hid = h->page.hide != 0;
	while (p < end) {
		gsize mark = h->all->len;

		if (*p == '<' && starts_markup(p, end)) {
			p = markup(h, p, end);
			continue;
		}
		p = es_html_decode(p, end, h->all);
		mirror(h->all, h->shown, mark, hidden_now(h) == 0);
	}
	text = finish(h->all, h->said_all);
	if (shown) {
		*shown = finish(h->shown, h->said_shown);
		if (!h->hid || strcmp(*shown, text) == 0)
			g_clear_pointer(shown, g_free);
	}
	es_css_sheet_free(h->sheet);
	g_free(h);
	return text;
}

/* es_html_to_text - visible text; linear in the input */
char *es_html_to_text(const char *html, gsize len)
{
	return es_html_texts(html, len, NULL);
}
