/* route_t.c - which school, role, direction and year group a message gets */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "route.h"
#include "policy.h"
#include <unistd.h>

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

/* check_year - the year group a message is counted under */
static void check_year(const char *sender, const char *rcpts, const char *client, const char *group,
		       const char *what)
{
	es_scan *s = route(sender, rcpts, client, NULL);

	is_str(s->year_group, group, "year group: %s", what);
	es_scan_free(s);
}

/* test_year_groups - [school:NAME] year_groups, and the pupil it is resolved for */
static void test_year_groups(void)
{
	check_year("cat@pupils.hill.oaktrust.org.uk", "b@pupils.hill.oaktrust.org.uk", "10.1.2.3", "Year 9",
		   "a Year 9 pupil (from a file: list) sends: the sender's group");
	check_year("amy@y7.pupils.hill.oaktrust.org.uk", "cat@pupils.hill.oaktrust.org.uk", "10.1.2.3", "Year 7",
		   "the sender's group, not the recipient's");
	check_year("Dan.2017@Pupils.Hill.oaktrust.org.uk", "x@gmail.com", "10.1.2.3", "Year 9",
		   "patterns match whatever the case");
	check_year("stranger@example.com", "cat@pupils.hill.oaktrust.org.uk", "203.0.113.9", "Year 9",
		   "inbound to a pupil: the recipient's group");
	check_year("t@staff.hill.oaktrust.org.uk", "t2@staff.hill.oaktrust.org.uk,cat@pupils.hill.oaktrust.org.uk,zed@pupils.hill.oaktrust.org.uk", "10.1.2.3",
		   "Year 9", "staff to a pupil: the pupil's group (pupils of no group ignored)");
	check_year("stranger@example.com", "cat@pupils.hill.oaktrust.org.uk,amy@y7.pupils.hill.oaktrust.org.uk", "203.0.113.9", NULL,
		   "pupils of two year groups: none, so no group counts it wrongly");
	check_year("zed@pupils.hill.oaktrust.org.uk", "cat@pupils.hill.oaktrust.org.uk", "10.1.2.3", NULL,
		   "a pupil sender of no group: none (not the recipient's)");
	check_year("cat@pupils.hill.oaktrust.org.uk", "amy@y7.pupils.hill.oaktrust.org.uk", "203.0.113.9", "Year 7",
		   "a pupil address from outside is external (maybe forged): the recipient's group");
}

/* test_bad_year_groups - a bad entry stops loading, naming the file, line and key */
static void test_bad_year_groups(const char *dir)
{
	static const char *const bad[][2] = {
		{ "year_groups = Year 9\n", "not GROUP=PATTERN" },
		{ "year_groups = =*@pupils.hill.oaktrust.org.uk\n", "not a year group name" },
		{ "year_groups = Year<9>=*@pupils.hill.oaktrust.org.uk\n", "not a year group name" },
		{ "year_groups = Year 9=nobody\n", "not an address or pattern" },
		{ "year_groups = Year 9=file:/nonexistent/y9.list\n", "cannot read list file" },
	};
	char *path = g_build_filename(dir, "bad.conf", NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *text = g_strdup_printf("[school:hill]\ndomains = hill.oaktrust.org.uk\nesafety_mailbox = e@hill.oaktrust.org.uk\n%s",
					     bad[i][0]);
		GError *e = NULL;
		es_conf *c;

		g_file_set_contents(path, text, -1, NULL);
		c = es_conf_load(path, &e);
		ok(!c && e && strstr(e->message, ":4: [school:hill] year_groups: ") && strstr(e->message, bad[i][1]),
		   "refused: %.*s (%s)", (int)strlen(bad[i][0]) - 1, bad[i][0], e ? e->message : "loaded");
		g_clear_error(&e);
		es_conf_unref(c);
		g_free(text);
	}
	g_free(path);
}

int main(void)
{
	char *dir = g_dir_make_tmp("route_t.XXXXXX", NULL);
	char *path = g_build_filename(dir, "t.conf", NULL);
	char *list = g_build_filename(dir, "year9.list", NULL);

	g_file_set_contents(list, "# Year 9, from the MIS\ncat@pupils.hill.oaktrust.org.uk\n*.2017@pupils.hill.oaktrust.org.uk\n", -1, NULL);
	g_file_set_contents(path,
		"[milter]\ninternal_networks = 10.0.0.0/8, 127.0.0.0/8\n"
		/* a trust-wide domain above its schools' own: the longer domain wins */
		"[school:trust]\ndomains = oaktrust.org.uk\nesafety_mailbox = esafety@trust.oaktrust.org.uk\n"
		"[school:hill]\ndomains = hill.oaktrust.org.uk\nesafety_mailbox = esafety@hill.oaktrust.org.uk\n"
		"pupils = *@pupils.hill.oaktrust.org.uk, *@*.pupils.hill.oaktrust.org.uk\nstaff = *@staff.hill.oaktrust.org.uk\n"
		"year_groups = Year 7=*@y7.pupils.hill.oaktrust.org.uk, Year 9=file:year9.list\n"
		"[school:vale]\ndomains = vale.oaktrust.org.uk\nesafety_mailbox = esafety@vale.oaktrust.org.uk\n", -1, NULL);
	conf = es_conf_load(path, NULL);
	ok(conf != NULL, "config loads");
	check("a@pupils.hill.oaktrust.org.uk", "b@pupils.hill.oaktrust.org.uk", "10.1.2.3", NULL, "hill", ES_ROLE_PUPIL,
	      ES_DIR_INTERNAL, "pupil to pupil from inside is internal");
	check("t@staff.hill.oaktrust.org.uk", "x@gmail.com", "203.0.113.9", "t", "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "authenticated staff to outside is outbound");
	check("t@staff.hill.oaktrust.org.uk", "x@gmail.com,b@pupils.hill.oaktrust.org.uk", "127.0.0.1", NULL, "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "one outside recipient makes it outbound");
	check("stranger@example.com", "b@pupils.hill.oaktrust.org.uk", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "outside to pupil is inbound");
	check("t@staff.hill.oaktrust.org.uk", "b@pupils.hill.oaktrust.org.uk", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "a school sender from outside, unauthenticated, is treated as external (forged)");
	check("t@staff.hill.oaktrust.org.uk", "h@vale.oaktrust.org.uk", "10.0.0.5", NULL, "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "mail to another school of the trust leaves the school: outbound");
	check("x@example.com", "y@example.org", "203.0.113.9", NULL, NULL, ES_ROLE_EXTERNAL,
	      ES_DIR_EXTERNAL, "neither side ours is external");
	check("a@pupils.hill.oaktrust.org.uk", "b@pupils.hill.oaktrust.org.uk", NULL, NULL, "hill", ES_ROLE_PUPIL,
	      ES_DIR_INTERNAL, "no client (local submission, esafety-scan) is trusted");
	/* spellings the MTA delivers to the same mailbox route the same way */
	check("stranger@example.com", "amy@pupils.hill.oaktrust.org.uk.", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "a trailing dot on the recipient's domain: still the school's pupil, inbound");
	check("t@staff.hill.oaktrust.org.uk..", "x@gmail.com", "10.1.2.3", NULL, "hill", ES_ROLE_STAFF,
	      ES_DIR_OUTBOUND, "trailing dots on the sender's domain: still staff, outbound");
	check("stranger@example.com", "amy%pupils.hill.oaktrust.org.uk@relay.example", "203.0.113.9", NULL, "hill",
	      ES_ROLE_EXTERNAL, ES_DIR_INBOUND, "the percent hack names the pupil's domain");
	check("stranger@example.com", "@relay.example,@b.example:AMY@Pupils.Hill.Oaktrust.Org.UK", "203.0.113.9", NULL,
	      "hill", ES_ROLE_EXTERNAL, ES_DIR_INBOUND, "a source route and capitals: the pupil's domain");
	{
		es_scan *s = route("stranger@example.com", "amy@pupils.hill.oaktrust.org.uk.", "203.0.113.9", NULL);

		is_int(es_school_role(s->school, "amy@pupils.hill.oaktrust.org.uk."), ES_ROLE_PUPIL,
		       "a trailing dot does not stop a pupil being a pupil");
		es_scan_free(s);
	}
	{
		static const char *const cases[][2] = {
			{ "<Amy@Pupils.Hill.Oaktrust.Org.UK.>", "amy@pupils.hill.oaktrust.org.uk" },
			{ "@r1,@r2:amy@hill.oaktrust.org.uk", "amy@hill.oaktrust.org.uk" },
			{ "amy%hill.oaktrust.org.uk@relay.example", "amy@hill.oaktrust.org.uk" },
			{ "amy%@relay.example", "amy%@relay.example" },
			{ "no-at-sign.", "no-at-sign." },
			{ "", "" },
		};

		for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
			char *c = es_addr_canonical(cases[i][0]);

			is_str(c, cases[i][1], "canonical address of '%s'", cases[i][0]);
			g_free(c);
		}
	}
	check("stranger@example.com", "amy@pupils.hill.oaktrust.org.uk", "203.0.113.9", NULL, "hill", ES_ROLE_EXTERNAL,
	      ES_DIR_INBOUND, "a school's own domain wins over the trust's domain listed above it");
	check("head@trust.oaktrust.org.uk", "x@gmail.com", "10.1.2.3", NULL, "trust", ES_ROLE_OTHER,
	      ES_DIR_OUTBOUND, "the trust's own address is the trust's");
	{
		/* recipients of two schools: each judged in its own school */
		es_scan *s = route("stranger@example.com", "bob@vale.oaktrust.org.uk,amy@pupils.hill.oaktrust.org.uk", "203.0.113.9", NULL);
		char *ppath = g_build_filename(dir, "t.policy", NULL);
		es_policy *p;
		es_verdict v = { 0 };

		is_str(es_school_name(s->school), "vale", "mixed schools: the first recipient's school is the message's");
		is_int(es_rcpt_role(conf, "amy@pupils.hill.oaktrust.org.uk"), ES_ROLE_PUPIL, "hill's pupil is a pupil");
		g_file_set_contents(ppath, "outside-to-pupil: role=external rcpt_role=pupil => hold\n", -1, NULL);
		p = es_policy_load(ppath, NULL);
		es_policy_decide(p, s, &v);
		is_str(es_action_name(v.action), "hold",
		       "rcpt_role=pupil holds for a pupil of the second school on the message");
		es_verdict_clear(&v);
		es_policy_free(p);
		unlink(ppath);
		g_free(ppath);
		es_scan_free(s);
	}
	test_year_groups();
	test_bad_year_groups(dir);
	ok(es_addr_in_networks("::1", (char *[]){ "::1/128", NULL }), "IPv6 network match");
	ok(!es_addr_in_networks("not-an-ip", (char *[]){ "0.0.0.0/0", NULL }), "garbage address matches nothing");
	es_conf_unref(conf);
	g_free(path);
	g_free(list);
	g_free(dir);
	return done_testing();
}
