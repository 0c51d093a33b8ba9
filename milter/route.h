/* route.h - which school a message belongs to, the sender's role and the
 * direction (inbound, outbound, internal), from the envelope */
#ifndef ES_ROUTE_H
#define ES_ROUTE_H

#include "scan.h"

/* es_route - set s->school, s->sender_role and s->direction from s->sender,
 * s->rcpts, s->auth_user and s->client_addr:
 *  - the sender counts as the school's only if its domain is the school's AND
 *    the client authenticated or is in [milter] internal_networks (or there is
 *    no client, as in esafety-scan); otherwise it is external (maybe forged);
 *  - internal: a school sender and every recipient in the same school;
 *  - outbound: a school sender and some recipient outside that school;
 *  - inbound: an external sender and some recipient in one of our schools
 *    (the first such recipient's school applies);
 *  - external: neither side is ours.
 * and s->year_group, by the school's year_groups, for the pupil concerned:
 * the sender if a pupil sends; otherwise the school's pupil recipients, when
 * those whose year group is known all share one (else NULL). */
void es_route(es_scan *s);

/* es_rcpts_year_group - the year group the pupils among RCPTS share, each by
 * their own school's year_groups; NULL if none is known or they differ */
const char *es_rcpts_year_group(const es_conf *conf, GPtrArray *rcpts);

/* es_addr_in_networks - ADDR (text IP) is inside one of the CIDR NETS */
gboolean es_addr_in_networks(const char *addr, char *const *nets);

#endif
