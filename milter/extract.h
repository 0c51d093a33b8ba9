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

#endif
