/* html_css_priv.h - what the CSS reader of style attributes (html_css.c)
 * shares with the one of <style> elements (html_sheet.c) */
#ifndef ES_HTML_CSS_PRIV_H
#define ES_HTML_CSS_PRIV_H

#include "html_css.h"

/* Ranks as the cascade orders declarations: !important, then a style
 * attribute's, then a rule's by specificity (3 bits each of ids, classes,
 * tags), then by the rule's place in the document */
#define RANK_IMPORTANT (1u << 31)
#define RANK_INLINE (1u << 30)
#define RANK_SPEC_SHIFT 21
#define RANK_SPEC_MAX 0x1ffu
#define RANK_ORDER_MAX ((1u << RANK_SPEC_SHIFT) - 1)

/* What one style attribute or rule declares is an es_css_says ranked
 * DECLARED, or DECLARED | RANK_IMPORTANT, until the cascade ranks it */
#define DECLARED 1u

/* es_css_declarations - add the declarations from P to END (';'-separated)
 * to B; names and keywords in any case */
void es_css_declarations(const char *p, const char *end, es_css_says *b);
/* es_css_only_hides - keep in B only what hides (and a background colour
 * as one not known) */
void es_css_only_hides(es_css_says *b);
/* es_css_ranked - what B declares, ranked BASE (its !important ones
 * above); if HIDE_ONLY, only what hides */
es_css_says es_css_ranked(const es_css_says *b, guint32 base, gboolean hide_only);
/* es_css_merge - what FROM says, into TO where it ranks no lower */
void es_css_merge(const es_css_says *from, es_css_says *to);
/* es_css_string_end - the quote or line end that ends the CSS string
 * opening at P */
const char *es_css_string_end(const char *p, const char *end);
/* es_css_without_comments - CSS (LEN bytes) without its comments and the
 * "<!--" and "-->" old mail wraps a style sheet in; g_string_free it */
GString *es_css_without_comments(const char *css, gsize len);

#endif
