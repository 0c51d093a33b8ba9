/* conf_t.c - the config loader: defaults, typed values, schools, roles,
 * and errors that name the file, line and key */
#include "config.h"
#include <glib/gstdio.h>
#include <string.h>
#include "tap.h"
#include "conf.h"

static char *dir;

/* write_conf - TEXT into a new file; returns its path (g_free) */
static char *write_conf(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
	return path;
}

/* load_error - the error message loading TEXT gives, or NULL if it loads */
static char *load_error(const char *text)
{
	char *path = write_conf("bad.conf", text);
	GError *err = NULL;
	es_conf *c = es_conf_load(path, &err);
	char *msg = err ? g_strdup(err->message) : NULL;

	es_conf_unref(c);
	g_clear_error(&err);
	g_free(path);
	return msg;
}

/* has_error - loading TEXT fails and the message contains every WANT */
static void has_error(const char *text, const char *want1, const char *want2, const char *what)
{
	char *msg = load_error(text);

	ok(msg && strstr(msg, want1) && (!want2 || strstr(msg, want2)), "%s", what);
	if (msg)
		diag("message: %s", msg);
	g_free(msg);
}

static const char *good =
	"# test config\n"
	"[milter]\n"
	"socket = unix:/tmp/x.sock\n"
	"max_message_size = 10M\n"
	"timeout = 2m\n"
	"on_oversize = reject\n"
	"add_headers = no\n"
	"[limits]\n"
	"max_depth = 7\n"
	"[school:hill]\n"
	"domains = hill.sch.uk, hill-school.org.uk\n"
	"esafety_mailbox = esafety@hill.sch.uk\n"
	"pupils = *@pupils.hill.sch.uk, file:pupils.list\n"
	"staff = *@hill.sch.uk\n"
	"phase = primary\n";

int main(void)
{
	GError *err = NULL;
	es_conf *c;
	const es_school *s;
	char *path, *msg;

	dir = g_dir_make_tmp("conf_t.XXXXXX", NULL);
	g_free(write_conf("pupils.list", "# pupils with addresses outside the pupil domain\nAmy.Pond@hill.sch.uk\n"));
	path = write_conf("good.conf", good);
	c = es_conf_load(path, &err);
	ok(c != NULL, "a valid config loads%s%s", err ? ": " : "", err ? err->message : "");
	if (!c)
		return done_testing();
	is_str(es_conf_string(c, "milter", "socket"), "unix:/tmp/x.sock", "string value read");
	is_int(es_conf_int(c, "milter", "max_message_size"), 10 * 1024 * 1024, "size with M suffix");
	is_int(es_conf_int(c, "milter", "timeout"), 120000, "duration in minutes is milliseconds");
	is_int(es_conf_action(c, "milter", "on_oversize"), ES_ACTION_REJECT, "action value");
	ok(!es_conf_bool(c, "milter", "add_headers"), "boolean no");
	is_int(es_conf_int(c, "limits", "max_depth"), 7, "int value");
	is_int(es_conf_int(c, "limits", "max_parts"), 1000, "unset key gets the table default");
	is_int(es_conf_action(c, "milter", "on_parse_error"), ES_ACTION_ACCEPT, "default on_parse_error is accept");
	is_str(es_conf_string(c, "milter", "user"), "esafety", "the milter drops to the esafety user by default");
	is_str(es_conf_string(c, "ui", "user"), "esafety", "so does the UI");
	is_int(es_conf_n_schools(c), 1, "one school");
	s = es_conf_school(c, 0);
	is_str(es_school_name(s), "hill", "school name");
	is_str(es_school_string(s, "policy"), "primary", "a primary school that sets no policy gets the primary preset");
	ok(es_conf_school_for_address(c, "head@HILL.sch.uk") == s, "domain match ignores case");
	ok(es_conf_school_for_address(c, "a@pupils.hill.sch.uk") == s, "subdomain belongs to the school");
	ok(es_conf_school_for_address(c, "a@nothill.sch.uk") == NULL, "a domain that only ends alike does not");
	is_int(es_school_role(s, "tom@pupils.hill.sch.uk"), ES_ROLE_PUPIL, "pupil by pattern");
	is_int(es_school_role(s, "amy.pond@hill.sch.uk"), ES_ROLE_PUPIL, "pupil by list file, case-insensitive");
	is_int(es_school_role(s, "head@hill.sch.uk"), ES_ROLE_STAFF, "staff by pattern");
	is_int(es_school_role(s, "office@hill-school.org.uk"), ES_ROLE_OTHER, "school address in neither list is other");
	is_int(es_school_role(s, "someone@gmail.com"), ES_ROLE_EXTERNAL, "outside address is external");
	es_conf_unref(c);
	g_free(path);

	has_error("[milter]\nsocket = unix:/run/x.sock\n\nbogus_key = 1\n", "bad.conf:4:", "bogus_key", "unknown key: file, line and key");
	has_error("[milter]\nmax_message_size = lots\n", "bad.conf:2:", "max_message_size", "bad size: line and key");
	has_error("[limits]\nmax_depth = 0\n", ":2:", "out of range", "int below its minimum");
	has_error("[milter]\non_error = maybe\n", "on_error", "not one of", "action not in its choices");
	has_error("[milter]\nadd_headers = perhaps\n", "add_headers", "yes or no", "bad boolean");
	has_error("[quarantine]\nstore = copy, hodl\n", "store", "'hodl' is not one of", "a list of fixed words refuses a typo");
	has_error("[nosuch]\nx = 1\n", "bad.conf:1:", "unknown section", "unknown section");
	has_error("[milter]\nthis line has no equals\n", "bad.conf:2:", "key = value", "syntax error names the line");
	has_error("[milter]\n; an old-style comment\n", "bad.conf:2:", "comments start with #",
		  "a ; comment (which the file reader does not take) names its line");
	has_error("[school:hill]\nesafety_mailbox = e@hill.sch.uk\n", "domains", "required", "school without domains");
	has_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = not-an-address\n", "bad.conf:3:",
		  "esafety_mailbox: 'not-an-address' is not an email address", "bad e-safety mailbox: its own line");
	has_error("[school:hill]\ndomains = hill.sch.uk pupils.hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n",
		  "bad.conf:2:", "separate domains with commas", "domains split by a space, not a comma, is refused");
	has_error("[school:hill]\nesafety_mailbox = e@hill.sch.uk\ndomains = hill.sch.uk, uk\n", "bad.conf:3:",
		  "'uk' is not a mail domain", "a bare top-level domain is refused (it would own every .uk address)");
	has_error("[school:hill]\ndomains = @hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n", "domains",
		  "'@hill.sch.uk' is not a mail domain", "a domain written with @ is refused");
	has_error("[school:hill]\ndomains = sch.uk\nesafety_mailbox = e@hill.sch.uk\n", "bad.conf:2:",
		  "'sch.uk' is a suffix many organisations share", "a public suffix (sch.uk) is refused as a school's domain");
	has_error("[school:hill]\ndomains = hill.sch.uk, co.uk\nesafety_mailbox = e@hill.sch.uk\n", "bad.conf:2:",
		  "'co.uk' is a suffix", "... co.uk too");
	for (gsize i = 0; i < 4; i++) {
		static const char *const boxes[] = { "mailto:esafety@hill.sch.uk", "esafety@hill",
			"esafety@hill..sch.uk", "e?afety@hill.sch.uk" };
		char *text = g_strdup_printf("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = %s\n", boxes[i]);

		msg = load_error(text);
		ok(msg && strstr(msg, "bad.conf:3:") && strstr(msg, "is not an email address"),
		   "an e-safety mailbox '%s' is refused (%s)", boxes[i], msg ? msg : "loaded");
		g_free(msg);
		g_free(text);
	}
	has_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\npupils = *@hillpupils.org.uk\n",
		  "bad.conf:4: [school:hill] pupils:", "'*@hillpupils.org.uk' is not at one of the school's domains",
		  "a pupil pattern outside the school's domains (it could never match) is refused");
	has_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
		  "pupils = *@pupils.hill.sch.uk\nyear_groups = Year 7=*@y7.pupils.hill.sch.uk\n",
		  "bad.conf:5: [school:hill] year_groups:", "matches no pupil",
		  "a year group of addresses that are not pupils (*@pupils does not cover a subdomain) is refused");
	msg = load_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
			 "pupils = *@pupils.hill.sch.uk, *@*.pupils.hill.sch.uk\nstaff = *@*.hill.sch.uk\n"
			 "year_groups = Year 7=*@y7.pupils.hill.sch.uk\n");
	ok(msg == NULL, "patterns below the school's domains, and a year group within the pupils, pass (%s)",
	   msg ? msg : "ok");
	g_free(msg);
	/* forms schools really use, which must not be refused */
	g_free(write_conf("mis.list", "2019jsmith@hill.sch.uk\n2020abrown@hill.sch.uk\n"));
	msg = load_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
			 "pupils = file:mis.list\nyear_groups = Year 7=2019*@hill.sch.uk\n");
	ok(msg == NULL, "a year group matching pupils listed by full address (an MIS export) passes (%s)", msg ? msg : "ok");
	g_free(msg);
	msg = load_error("[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
			 "pupils = ????@hill.sch.uk\nyear_groups = Year 7=19*@hill.sch.uk\n");
	ok(msg == NULL, "a year group against a ?-length pupil pattern passes (%s)", msg ? msg : "ok");
	g_free(msg);
	msg = load_error("[school:hill]\ndomains = staff.hill.sch.uk, pupils.hill.sch.uk\nesafety_mailbox = e@staff.hill.sch.uk\n"
			 "staff = *@*.hill.sch.uk\n");
	ok(msg == NULL, "*@*.D passes when the school's domains are below D (%s)", msg ? msg : "ok");
	g_free(msg);
	has_error("[school:hill]\ndomains = hill.sch.uk, trust.org.uk\nesafety_mailbox = e@hill.sch.uk\n"
		  "[school:dale]\nesafety_mailbox = e@dale.sch.uk\ndomains = dale.sch.uk, TRUST.org.uk\n",
		  "bad.conf:6: [school:dale] domains:", "domain 'TRUST.org.uk' is [school:hill]'s too (line 2)",
		  "a domain two schools list is refused, naming both (which school's mail it is would depend on order)");
	has_error("[milter]\ninternal_networks = 10.0.0.0/8 192.168.0.0/16\n", "bad.conf:2: [milter] internal_networks:",
		  "'10.0.0.0/8 192.168.0.0/16' is not a network", "internal networks split by a space are refused");
	has_error("[milter]\ninternal_networks = 10.0.0.0/8, 10.0.0.0/33\n", "internal_networks",
		  "'10.0.0.0/33' is not a network", "... and a prefix past /32");
	path = write_conf("phase.conf", "[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
			  "phase = primary\npolicy = secondary\n[school:dale]\ndomains = dale.sch.uk\n"
			  "esafety_mailbox = e@dale.sch.uk\n");
	c = es_conf_load(path, NULL);
	ok(c && strcmp(es_school_string(es_conf_school(c, 0), "policy"), "secondary") == 0 &&
	   strcmp(es_school_string(es_conf_school(c, 1), "policy"), "secondary") == 0,
	   "a policy that is set wins over the phase; a school with neither is secondary");
	es_conf_unref(c);
	g_free(path);
	/* a list saved as "CSV UTF-8" starts with a byte-order mark */
	g_free(write_conf("bom.list", "\xef\xbb\xbf" "amy@pupils.hill.sch.uk\ncarl@pupils.hill.sch.uk\n"));
	path = write_conf("bom.conf", "[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = e@hill.sch.uk\n"
			  "pupils = file:bom.list\n");
	c = es_conf_load(path, NULL);
	ok(c && es_school_role(es_conf_school(c, 0), "amy@pupils.hill.sch.uk") == ES_ROLE_PUPIL,
	   "the first entry of a list file that starts with a byte-order mark still counts");
	es_conf_unref(c);
	g_free(path);
	msg = load_error("[milter]\ninternal_networks = 10.0.0.0/8, 192.0.2.7, 2001:db8::/32, ::1\n");
	ok(msg == NULL, "networks, single addresses and IPv6 pass (%s)", msg ? msg : "ok");
	g_free(msg);
	msg = load_error("[school:hill]\ndomains = \xc3\xa9" "cole.example, xn--cole-9oa.example\nesafety_mailbox = e@h.uk\n");
	ok(msg == NULL, "an international domain passes, as UTF-8 or punycode (%s)", msg ? msg : "ok");
	g_free(msg);
	has_error("[school:hill]\ndomains = h.uk\nesafety_mailbox = e@h.uk\n\nstaff = [unclosed\n", "bad.conf:5:",
		  "staff: '[unclosed'", "a bad staff pattern names its key and line");
	has_error("[school:hill]\ndomains = h.uk\nesafety_mailbox = e@h.uk\npupils = file:missing.list\n",
		  "missing.list", NULL, "missing pupil list file");
	has_error("[school:Hill School]\ndomains = h.uk\nesafety_mailbox = e@h.uk\n", "school name", NULL,
		  "school name with spaces refused");
	has_error("[school:_none]\ndomains = h.uk\nesafety_mailbox = e@h.uk\n", "_none is kept", NULL,
		  "the name of mail of no school (_none) is refused");
	has_error("[milter]\nsocket = a\nsocket = b\n", ":3:", "twice", "duplicate key");
	has_error("[milter]\nsocket = unix:relative.sock\n", ":2:", "absolute path", "a relative unix socket is refused");
	has_error("[milter]\nsocket = inet:70000@127.0.0.1\n", ":2:", "1 to 65535", "a port past 65535 is refused");
	msg = load_error("[milter]\nsocket = INET:milter@localhost\n");
	ok(msg == NULL, "libmilter's own forms pass: any case, a service name, a host name (%s)", msg ? msg : "ok");
	g_free(msg);
	msg = load_error("[milter]\n");
	ok(msg == NULL, "an almost empty config is valid");
	g_free(msg);
	ok(es_conf_load("/nonexistent/esafety.conf", &err) == NULL && err && strstr(err->message, "/nonexistent/esafety.conf"),
	   "missing file: error names it");
	g_clear_error(&err);
	return done_testing();
}
