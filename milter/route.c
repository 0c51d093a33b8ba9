/* route.c - school, sender role and direction of a message */
#include "config.h"
#include <string.h>
#include <gio/gio.h>
#include "route.h"

/* es_addr_in_networks - CIDR match with GIO's parser, IPv4 and IPv6 */
gboolean es_addr_in_networks(const char *addr, char *const *nets)
{
	GInetAddress *a = addr ? g_inet_address_new_from_string(addr) : NULL;
	gboolean in = FALSE;

	for (char *const *n = nets; a && !in && *n; n++) {
		GInetAddressMask *m = g_inet_address_mask_new_from_string(*n, NULL);

		if (m) {
			in = g_inet_address_mask_matches(m, a);
			g_object_unref(m);
		}
	}
	if (a)
		g_object_unref(a);
	return in;
}

/* sender_trusted - the client may speak for a school address */
static gboolean sender_trusted(const es_scan *s)
{
	if (s->auth_user && *s->auth_user)
		return TRUE;
	if (!s->client_addr)
		return TRUE;
	return es_addr_in_networks(s->client_addr, es_conf_list(s->conf, "milter", "internal_networks"));
}

/* es_rcpts_year_group - see route.h */
const char *es_rcpts_year_group(const es_conf *conf, GPtrArray *rcpts)
{
	const char *group = NULL;

	for (guint i = 0; i < rcpts->len; i++) {
		const char *rcpt = g_ptr_array_index(rcpts, i), *g;

		if (es_rcpt_role(conf, rcpt) != ES_ROLE_PUPIL ||
		    !(g = es_school_year_group(es_conf_school_for_address(conf, rcpt), rcpt)))
			continue;
		if (group && strcmp(group, g) != 0)
			return NULL;
		group = g;
	}
	return group;
}

/* pupil_year_group - the year group of the pupil the message is about: the
 * sender if a pupil sends, else the pupil recipients' if they agree, so an
 * incident is never counted under a group it does not belong to */
static const char *pupil_year_group(const es_scan *s)
{
	if (!s->school)
		return NULL;
	if (s->sender_role == ES_ROLE_PUPIL)
		return es_school_year_group(s->school, s->sender);
	return es_rcpts_year_group(s->conf, s->rcpts);
}

/* es_route - see route.h */
void es_route(es_scan *s)
{
	const es_school *from = es_conf_school_for_address(s->conf, s->sender);
	const es_school *first_rcpt_school = NULL;
	gboolean all_same = s->rcpts->len > 0;

	if (from && !sender_trusted(s))
		from = NULL;
	for (guint i = 0; i < s->rcpts->len; i++) {
		const es_school *r = es_conf_school_for_address(s->conf, g_ptr_array_index(s->rcpts, i));

		if (r && !first_rcpt_school)
			first_rcpt_school = r;
		if (r != from)
			all_same = FALSE;
	}
	if (from) {
		s->school = from;
		s->sender_role = es_school_role(from, s->sender);
		s->direction = all_same ? ES_DIR_INTERNAL : ES_DIR_OUTBOUND;
	} else {
		s->school = first_rcpt_school;
		s->sender_role = ES_ROLE_EXTERNAL;
		s->direction = first_rcpt_school ? ES_DIR_INBOUND : ES_DIR_EXTERNAL;
	}
	s->year_group = pupil_year_group(s);
}
