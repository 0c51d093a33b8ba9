/* html_entity.h - character references, decoded for html.c (html_entity.c) */
#ifndef ES_HTML_ENTITY_H
#define ES_HTML_ENTITY_H

#include <glib.h>

/* es_html_decode - add the character or reference at P (before END) to OUT,
 * as a browser reads it; returns what follows */
const char *es_html_decode(const char *p, const char *end, GString *out);
/* es_html_decoded - the value V (LEN bytes) with its references decoded; g_free it */
char *es_html_decoded(const char *v, gsize len);

#endif
