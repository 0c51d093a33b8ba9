/* html_css.h - what the HTML reader (html.c) asks of CSS (html_css.c):
 * whether an element's style attribute or a rule of the document's <style>
 * elements keeps a reader from seeing its text */
#ifndef ES_HTML_CSS_H
#define ES_HTML_CSS_H

#include <glib.h>

/* why an element's text is not seen */
enum {
	ES_CSS_GONE = 1,	/* display:none, the hidden attribute; no box at all */
	ES_CSS_INVISIBLE = 2,	/* visibility:hidden */
	ES_CSS_NO_FONT = 4,	/* font-size:0 */
	ES_CSS_CLEAR = 8,	/* color:transparent, or that of the background */
	ES_CSS_FADED = 16,	/* opacity:0 */
};

/* display, visibility, font-size, opacity, color, background-color,
 * background-image */
#define ES_CSS_PROPS 7

/* A colour CSS or HTML gives text or its background, as an int: an opaque
 * one as ES_CSS_INK(0xrrggbb); 1 transparent (or too faint to see); 0 one
 * that is not known (partly transparent, an image, a function not read);
 * -1 none given (the parent's) */
#define ES_CSS_INK(rgb) ((int)(0x1000000u | (guint32)(rgb)))
#define ES_CSS_IS_INK(c) ((c) >= 0x1000000)

/* what the style of an element says: per property 1 hides, 0 shows, -1
 * keeps the parent's (colours as above; for background-image 1 is an
 * image); RANK orders the declarations that said it as the cascade does
 * (0: none did) */
/* A custom property ("--h: none"), as what var() of it would say */
typedef struct {
	guint32 name;		/* its name's hash (1 for 0); 0 for none */
	int says[ES_CSS_PROPS];	/* what var(--name) says in each property */
	guint32 rank;		/* of the declaration, as below */
} es_css_custom;

#define ES_CSS_CUSTOM_MAX 4	/* custom properties kept of one rule or style attribute */
#define ES_CSS_CUSTOM_SEEN 16	/* custom properties an element inherits that are kept */

typedef struct {
	int says[ES_CSS_PROPS];
	guint32 rank[ES_CSS_PROPS];
	guint32 var[ES_CSS_PROPS];	/* the name of the custom property a value is var() of, 0
					 * if none; SAYS is then what its fallback says */
	es_css_custom custom[ES_CSS_CUSTOM_MAX];
	gboolean custom_lost;	/* a custom property was declared that is not kept */
} es_css_says;

/* the rules of a document's <style> elements that say anything of the above */
typedef struct es_css_sheet es_css_sheet;

es_css_sheet *es_css_sheet_new(void);
/* es_css_sheet_add - add the rules of a <style> element's text CSS (LEN
 * bytes); linear in LEN, memory bounded whatever it holds. CONDITIONAL:
 * the sheet applies only at times (media="print"): its rules only hide. */
void es_css_sheet_add(es_css_sheet *sheet, const char *css, gsize len, gboolean conditional);
void es_css_sheet_free(es_css_sheet *sheet);

/* es_css_says_init - nothing said yet */
void es_css_says_init(es_css_says *c);
/* es_css_style - apply the style attribute STYLE (references decoded) to C */
void es_css_style(const char *style, es_css_says *c);
/* es_css_match - apply to C the rules of SHEET that match an element TAG
 * (lower case) whose class attribute is CLASSES and id ID (either NULL, as
 * written: case matters for what shows) */
void es_css_match(const es_css_sheet *sheet, const char *tag, const char *classes, const char *id, es_css_says *c);
/* how an element is seen */
typedef struct {
	guint8 hide;		/* why it is not (ES_CSS_GONE...) */
	int ink;		/* the colour of its text, as above */
	int ground;		/* the colour it is drawn on, as above */
	es_css_custom custom[ES_CSS_CUSTOM_SEEN];	/* the custom properties it has */
	gboolean custom_lost;	/* some it has are not kept: var() of any hides nothing */
} es_css_seen;

/* es_css_page - how a page is seen: black text on white */
es_css_seen es_css_page(void);
/* es_css_hint - in C, what an HTML attribute (<font color>, bgcolor,
 * background) or the browser's own style for the element says of
 * property PROP ("color", "background-color", "background-image"):
 * SAYS, ranked below any style sheet rule */
void es_css_hint(es_css_says *c, const char *prop, int says);
/* es_css_sheet_keys_attr - whether a rule of SHEET (or NULL) is keyed by
 * attribute NAME (lower case): es_css_match_attr is asked only for those */
gboolean es_css_sheet_keys_attr(const es_css_sheet *sheet, const char *name);
/* es_css_match_attr - apply to C the rules of SHEET keyed by attribute
 * NAME (lower case) of an element TAG, whose value is VALUE (as written;
 * references decoded) */
void es_css_match_attr(const es_css_sheet *sheet, const char *tag, const char *name, const char *value,
		       es_css_says *c);
/* es_css_hides - how an element is seen: its parent's PARENT and what C
 * says; HIDDEN_ATTR is the hidden attribute */
es_css_seen es_css_hides(const es_css_seen *parent, const es_css_says *c, gboolean hidden_attr);

/* es_css_color - the colour a CSS colour value V (lower case) gives, as
 * above (html_color.c) */
int es_css_color(const char *v);
/* es_html_color - the colour an HTML attribute VALUE (color, bgcolor)
 * gives, as above */
int es_html_color(const char *value);
/* es_css_same_ink - whether a reader cannot tell colour A from colour B
 * (both ES_CSS_INK) */
gboolean es_css_same_ink(int a, int b);

/* es_html_word_in - whether NAME is one of the space-separated WORDS
 * (" a b "); html.c's, which CSS keywords are looked up with too */
gboolean es_html_word_in(const char *words, const char *name);

#endif
