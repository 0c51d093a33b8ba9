/* msgbuf.h - the message as it arrives from the MTA: in memory up to a
 * limit, then in a private, already-unlinked temporary file */
#ifndef ES_MSGBUF_H
#define ES_MSGBUF_H

#include <glib.h>

typedef struct es_msgbuf es_msgbuf;

/* es_msgbuf_new - keep up to MEM_LIMIT bytes in memory, then spill into TMPDIR */
es_msgbuf *es_msgbuf_new(gsize mem_limit, const char *tmpdir);
/* es_msgbuf_append - add bytes, turning CRLF into LF; FALSE and *err if the spill file failed */
gboolean es_msgbuf_append(es_msgbuf *b, const void *data, gsize len, GError **err);
/* es_msgbuf_bytes - the whole message (memory or a read-only mapping); NULL and *err */
GBytes *es_msgbuf_bytes(es_msgbuf *b, GError **err);
gsize es_msgbuf_size(const es_msgbuf *b);
gboolean es_msgbuf_spilled(const es_msgbuf *b);
/* es_msgbuf_free - close and forget; NULL is fine */
void es_msgbuf_free(es_msgbuf *b);

#endif
