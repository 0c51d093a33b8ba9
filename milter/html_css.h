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
	ES_CSS_CLEAR = 8,	/* color:transparent */
	ES_CSS_FADED = 16,	/* opacity:0 */
};

#define ES_CSS_PROPS 5		/* display, visibility, font-size, opacity, color */

/* what the style of an element says: per property 1 hides, 0 shows, -1
 * keeps the parent's; RANK orders the declarations that said it as the
 * cascade does (0: none did) */
typedef struct {
	int says[ES_CSS_PROPS];
	guint32 rank[ES_CSS_PROPS];
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
/* es_css_hides - why an element is not seen: its parent's reasons PARENT
 * and what C says; HIDDEN_ATTR is the hidden attribute */
guint8 es_css_hides(guint8 parent, const es_css_says *c, gboolean hidden_attr);

/* es_html_word_in - whether NAME is one of the space-separated WORDS
 * (" a b "); html.c's, which CSS keywords are looked up with too */
gboolean es_html_word_in(const char *words, const char *name);

#endif
