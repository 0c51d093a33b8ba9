/* held_notice.h - tell a sender their message is waiting for review */
#ifndef ES_HELD_NOTICE_H
#define ES_HELD_NOTICE_H

#include "scan.h"
#include "policy.h"

/* es_held_notice_send - if the school wants it and the rule allows it, mail
 * the sender the hold notice through [milter] notice_command. Failures are
 * logged with the queue ID; the held message itself is safe either way. */
void es_held_notice_send(const es_scan *s, const es_verdict *v);

#endif
