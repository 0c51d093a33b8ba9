/* route_t.c - which school, role and direction a message gets */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "route.h"

static es_conf *conf;

/* route - route a message from SENDER to RCPTS (comma list) from CLIENT */
static es_scan *route(const char *sender, const char *rcpts, const char *client, const char *auth)
{
	es_scan *s = es_scan_new(conf, "TEST");
	char **r = g_strsplit(rcpts, ",", -1);

	g_free(s->sender);
	s->sender = g_strdup(sender);
	for (char **p = r; *p; p++)
		g_ptr_array_add(s->rcpts, g_strdup(*p));
	g_strfreev(r);
	s->client_addr = g_strdup(client);
	s->auth_user = g_strdup(auth);
	es_route(s);
	return s;
}

/* check - one routing case */
static void check(const char *sender, const char *rcpts, const char *client, const char *auth,
		  const char *school, es_role role, es_direction dir, const char *what)
{
	es_scan *s = route(sender, rcpts, client, auth);

	ok(g_strcmp0(s->school ? es_school_name(s->school) : NULL, school) == 0 && s->sender_role == role &&
	   s->direction == dir, "%s (got %s/%s/%s)", what, s->school ? es_school_name(s->school) : "none",
	   es_role_name(s->sender_role), es_direction_name(s->direction));
	es_scan_free(s);
}

int main(void)
{
	char *dir = g_dir_make_tmp("route_t.XXXXXX", NULL);
	char *path = g_build_filename(dir, "t.conf", NULL);

	g_file_set_contents(path,
		"[milter]\ninternal_networks = 10.0.0.0/8, 127.0.0.0/8\n"
		"[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = esafety@hill.sch.uk\n"
		"pupils = *@pupils.hill.sch.uk\nstaff = *@staff.hill.sch.uk\n"
		"[school:vale]\ndomains = vale.sch.uk\nesafety_mailbox = esafety@vale.sch.uk\n", -1, NULL);
	conf = es_conf_load(path, NULL);
	ok(conf != NULL, "config loads");
	check("a@pupils.hill.sch.uk", "b@pupils.hill.sch.uk", "10.1.2.3", NULL, "hill", ES_ROLE_PUPIL,
	      ES_DIR_INTERNAL, "pupil to pupil from inside is internal");
	check("t@staff.hill.sch.uk", "x@gmail.com", "203.0.113.9", "t", "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "authenticated staff to outside is outbound");
	check("t@staff.hill.sch.uk", "x@gmail.com,b@pupils.hill.sch.uk", "127.0.0.1", NULL, "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "one outside recipient makes it outbound");
	check("stranger@example.com", "b@pupils.hill.sch.uk", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "outside to pupil is inbound");
	check("t@staff.hill.sch.uk", "b@pupils.hill.sch.uk", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "a school sender from outside, unauthenticated, is treated as external (forged)");
	check("t@staff.hill.sch.uk", "h@vale.sch.uk", "10.0.0.5", NULL, "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "mail to another school of the trust leaves the school: outbound");
	check("x@example.com", "y@example.org", "203.0.113.9", NULL, NULL, ES_ROLE_EXTERNAL,
	      ES_DIR_EXTERNAL, "neither side ours is external");
	check("a@pupils.hill.sch.uk", "b@pupils.hill.sch.uk", NULL, NULL, "hill", ES_ROLE_PUPIL,
	      ES_DIR_INTERNAL, "no client (local submission, esafety-scan) is trusted");
	ok(es_addr_in_networks("::1", (char *[]){ "::1/128", NULL }), "IPv6 network match");
	ok(!es_addr_in_networks("not-an-ip", (char *[]){ "0.0.0.0/0", NULL }), "garbage address matches nothing");
	es_conf_unref(conf);
	g_free(path);
	g_free(dir);
	return done_testing();
}
