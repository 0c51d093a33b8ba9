/* mime.h - parse a message with GMime into texts and attachments */
#ifndef ES_MIME_H
#define ES_MIME_H

#include "scan.h"

/* es_mime_parse - parse S->raw; fills s->mime,
 * message_id, subject, texts, attachments, encrypted. FALSE if the message
 * could not be parsed at all (an error is recorded; caller applies on_parse_error). */
gboolean es_mime_parse(es_scan *s);
/* es_mime_parse_stream - the same from an open GMime stream (mbox members) */
gboolean es_mime_parse_message(es_scan *s, GMimeMessage *msg);
/* es_html_to_text - visible text of an HTML document (script/style dropped,
 * entities decoded, block tags become line breaks); g_free the result */
char *es_html_to_text(const char *html, gsize len);

#endif
