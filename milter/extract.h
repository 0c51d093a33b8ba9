/* extract.h - turn attachments into text for the detectors and find what is
 * encrypted: text/CSV/HTML here; office files, PDF, archives, attached
 * messages and TNEF in the files of extract/. Bounded by s->limits; a limit hit is a
 * "limits" finding, never a crash or a silent pass. */
#ifndef ES_EXTRACT_H
#define ES_EXTRACT_H

#include "scan.h"

/* es_extract_all - offer every attachment in s->attachments (including ones
 * added while running, such as archive members) to the extractors */
void es_extract_all(es_scan *s);

/* es_smime_signed_content - what an S/MIME opaque signature (CMS SignedData,
 * DER or BER) in D[0..LEN) wraps, signed but not encrypted: a MIME entity
 * in mail, any file otherwise (es_mime_entity_like tells); NULL if D is not
 * that, or is a detached signature (extract/crypto.c) */
GBytes *es_smime_signed_content(const guchar *d, gsize len);

/* es_mime_entity_like - D[0..LEN) starts with a header field, as a MIME
 * entity does */
gboolean es_mime_entity_like(const guchar *d, gsize len);

#endif
