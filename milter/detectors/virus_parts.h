/* virus_parts.h - what of one message libclamav is given: each decoded MIME
 * part from memory, and the message as received only where that finds more
 * ([clamav] scan_raw) */
#ifndef ES_VIRUS_PARTS_H
#define ES_VIRUS_PARTS_H

#include "scan.h"
#include "virus_scan.h"

/* es_virus_raw_reason - why the raw message is scanned as well under
 * o->scan_raw ("always", "not parsed", "uuencode", "binhex"), or NULL */
const char *es_virus_raw_reason(const es_scan *s, const es_virus_options *o);
/* es_virus_scan_parts - scan every decoded leaf part of s->mime, within the
 * per-message limits in O; the first error ends the walk */
cl_error_t es_virus_scan_parts(es_clamav_engine *e, es_scan *s, const es_virus_options *o,
			       es_virus_result *r);

#endif
