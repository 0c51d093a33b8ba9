/* policy_t.c - policy files: parsing, first match wins, same-finding
 * conditions, message conditions, inputs, and the shipped presets */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "policy.h"

static es_conf *conf;

/* scan_with - a scan with ROLE/DIR and one finding (or none when CATEGORY is NULL) */
static es_scan *scan_with(es_role role, es_direction dir, const char *category, int sev)
{
	es_scan *s = es_scan_new(conf, "T");

	s->sender_role = role;
	s->direction = dir;
	if (category)
		es_scan_add_finding(s, "language", category, sev, "1", "r1", "x");
	return s;
}

/* decide - verdict of POLICY for S, as "action/rule" (g_free) */
static char *decide(const es_policy *p, es_scan *s)
{
	es_verdict v = { 0 };
	char *out;

	es_policy_decide(p, s, &v);
	out = g_strdup_printf("%s/%s", es_action_name(v.action), v.rule);
	es_verdict_clear(&v);
	es_scan_free(s);
	return out;
}

/* expect - decide and compare */
static void expect(const es_policy *p, es_scan *s, const char *want, const char *what)
{
	char *got = decide(p, s);

	is_str(got, want, "%s", what);
	g_free(got);
}

/* load_text - a policy from TEXT; NULL and the error message in *msg */
static es_policy *load_text(const char *text, char **msg)
{
	char *path = g_build_filename(g_get_tmp_dir(), "policy_t.policy", NULL);
	GError *err = NULL;
	es_policy *p;

	g_file_set_contents(path, text, -1, NULL);
	p = es_policy_load(path, &err);
	*msg = err ? g_strdup(err->message) : NULL;
	g_clear_error(&err);
	unlink(path);
	g_free(path);
	return p;
}

static void test_own_policy(void)
{
	char *msg = NULL;
	es_policy *p = load_text(
		"# comment\n"
		"severe: category=threat severity>=4 => reject notice=threat\n"
		"pupil-bully: category=bullying role=pupil => copy\n"
		"same-finding: category=profanity severity>=5 => hold\n"
		"repeat: role=pupil input.reputation.bullying_7d>=3 => copy\n"
		"contact: input.first_contact=yes rcpt_role=* => hold\n"
		"enc: encrypted=yes direction=outbound => accept\n"
		"quiet: category=bullying role=external => hold notify=no\n"
		"rest: severity>=1 => copy\n", &msg);
	es_scan *s;

	ok(p != NULL, "policy parses%s%s", msg ? ": " : "", msg ? msg : "");
	expect(p, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "threat", 4), "reject/severe", "first matching rule wins");
	expect(p, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "threat", 3), "copy/rest", "severity bound respected");
	expect(p, scan_with(ES_ROLE_STAFF, ES_DIR_INTERNAL, "bullying", 2), "copy/rest", "role condition respected");
	expect(p, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, NULL, 0), "accept/default", "no finding, no rule: accept");
	s = scan_with(ES_ROLE_STAFF, ES_DIR_INTERNAL, "profanity", 2);
	es_scan_add_finding(s, "language", "sexual", 5, "1", "r2", "y");
	expect(p, s, "copy/rest", "category and severity must hold for the same finding");
	s = scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, NULL, 0);
	es_scan_set_input(s, "reputation.bullying_7d", "3");
	expect(p, s, "copy/repeat", "input >= bound, with no finding needed");
	s = scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, NULL, 0);
	es_scan_set_input(s, "reputation.bullying_7d", "2");
	expect(p, s, "accept/default", "input below bound");
	s = scan_with(ES_ROLE_STAFF, ES_DIR_OUTBOUND, NULL, 0);
	s->encrypted = TRUE;
	expect(p, s, "accept/enc", "encrypted condition");
	{
		es_verdict v = { 0 };

		s = scan_with(ES_ROLE_EXTERNAL, ES_DIR_INBOUND, "bullying", 2);
		es_policy_decide(p, s, &v);
		ok(v.action == ES_ACTION_HOLD && v.silent, "notify=no marks the hold silent");
		es_verdict_clear(&v);
		es_scan_free(s);
	}
	es_policy_free(p);
}

static void test_errors(void)
{
	char *msg = NULL;

	ok(!load_text("ok: any => accept\nbad: category=profanity => explode\n", &msg) && msg && strstr(msg, ":2:") &&
	   strstr(msg, "explode"), "unknown action: file and line");
	diag("%s", msg ? msg : "");
	g_free(msg);
	ok(!load_text("bad: colour=red => accept\n", &msg) && msg && strstr(msg, ":1:") && strstr(msg, "colour"),
	   "unknown condition named");
	g_free(msg);
	ok(!load_text("no arrow here\n", &msg) && msg && strstr(msg, ":1:"), "rule without => refused");
	g_free(msg);
	ok(!load_text("x: role=pupils => hold\n", &msg) && msg && strstr(msg, ":1:") && strstr(msg, "'pupils'") &&
	   strstr(msg, "pupil, staff"), "a typo in a role is refused, naming the word and the choices");
	g_free(msg);
	ok(!load_text("x: category=self-harm => copy\n", &msg) && msg && strstr(msg, "'self-harm'"),
	   "a category that does not exist (self-harm for self_harm) is refused");
	g_free(msg);
	ok(!load_text("x: direction=outgoing => copy\n", &msg) && msg && strstr(msg, "'outgoing'"),
	   "a direction that does not exist is refused");
	g_free(msg);
	{
		es_policy *any = load_text("x: category=* detector=* role=* => copy\n", &msg);

		ok(any != NULL, "* is taken for any name");
		es_policy_free(any);
	}
	g_free(msg);
	ok(!load_text("x: severity>=high => accept\n", &msg) && msg, "non-numeric bound refused");
	g_free(msg);
	ok(!load_text("x: severity>=9 => hold\n", &msg) && msg && strstr(msg, "severity is 1 to 5"),
	   "a severity bound no finding can reach is refused");
	g_free(msg);
	ok(!load_text("same: category=threat => reject\nother: any => copy\nsame: category=drugs => hold\n", &msg) &&
	   msg && strstr(msg, ":3:") && strstr(msg, "rule name 'same' is used on line 1 too"),
	   "a rule name used twice is refused, naming both lines");
	g_free(msg);
	ok(!load_text("x: input.reputation.score>=lots => accept\n", &msg) && msg && strstr(msg, "number"),
	   "non-numeric input bound refused");
	g_free(msg);
	ok(!load_text("x: any => reject notice=../../etc/motd\n", &msg) && msg && strstr(msg, ":1:") &&
	   strstr(msg, "template name"), "a notice name that is not a plain name is refused");
	g_free(msg);
	ok(!load_text("x: any => reject notice=a notice=b\n", &msg) && msg && strstr(msg, "notice= is given twice"),
	   "two notices on one rule are refused");
	g_free(msg);
	ok(!load_text("x: category=virus => reject\n\ny: category=threat => copy notice=threat\n", &msg) && msg && strstr(msg, ":3:") &&
	   strstr(msg, "notice= does nothing on copy"), "a notice on copy (never sent) is refused, with its line");
	g_free(msg);
	ok(!load_text("x: any => accept notice=threat\n", &msg) && msg && strstr(msg, "notice= does nothing on accept"),
	   "... and on accept");
	g_free(msg);
	ok(!load_text("phone-out: detector=personal_data type=phones => reject\n", &msg) && msg &&
	   strstr(msg, ":1:") && strstr(msg, "unknown name 'phones'") && strstr(msg, "phone"),
	   "a personal-data type that does not exist (type=phones) is refused, listing the types");
	g_free(msg);
	{
		es_policy *p = load_text("phone-out: detector=personal_data type=phone,nhs_number => reject\n", &msg);

		ok(p != NULL, "known personal-data types pass (%s)", msg ? msg : "ok");
		es_policy_free(p);
		g_clear_pointer(&msg, g_free);
	}
}

/* only_virus - a template folder holding virus.*.txt and nothing else */
static gboolean only_virus(const char *name, void *data)
{
	(void)data;
	return strcmp(name, "virus") == 0;
}

/* shipped_template - NAME.AUDIENCE.txt is in the source tree's rules/templates/ for some audience */
static gboolean shipped_template(const char *name, void *data)
{
	static const char *const audiences[] = { "primary_pupil", "secondary_pupil", "staff", "external" };
	const char *top = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
	gboolean found = FALSE;

	(void)data;
	for (gsize i = 0; i < G_N_ELEMENTS(audiences) && !found; i++) {
		char *path = g_strdup_printf("%s/rules/templates/%s.%s.txt", top, name, audiences[i]);

		found = g_file_test(path, G_FILE_TEST_IS_REGULAR);
		g_free(path);
	}
	return found;
}

/* test_notices - every notice=NAME must have a template: the check names the rule's line */
static void test_notices(void)
{
	char *msg = NULL;
	es_policy *p = load_text("a: category=virus => reject notice=virus\n"
				 "b: category=threat => reject notice=threats\n", &msg);
	GError *err = NULL;

	ok(p != NULL, "a policy naming two notices loads");
	ok(p && !es_policy_check_notices(p, only_virus, NULL, &err) && err &&
	   strstr(err->message, ":2: notice=threats: no template threats.AUDIENCE.txt"),
	   "a notice with no template is found, naming line and template%s%s", err ? ": " : "",
	   err ? err->message : "");
	g_clear_error(&err);
	es_policy_free(p);
	p = load_text("a: category=virus => reject notice=virus\n", &msg);
	ok(p && es_policy_check_notices(p, only_virus, NULL, NULL), "notices that have templates pass");
	es_policy_free(p);
	g_free(msg);
	for (gsize i = 0; i < 2; i++) {
		const char *name = i ? "primary" : "secondary";
		char *path = g_strdup_printf("%s/rules/policies/%s.policy",
					     g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".", name);

		p = es_policy_load(path, NULL);
		ok(p && es_policy_check_notices(p, shipped_template, NULL, &err),
		   "every notice the shipped %s policy names has a shipped template%s%s", name,
		   err ? ": " : "", err ? err->message : "");
		g_clear_error(&err);
		es_policy_free(p);
		g_free(path);
	}
}

/* shipped - load rules/policies/NAME.policy from the source tree */
static es_policy *shipped(const char *name)
{
	char *path = g_strdup_printf("%s/rules/policies/%s.policy", g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".", name);
	GError *err = NULL;
	es_policy *p = es_policy_load(path, &err);

	ok(p != NULL, "shipped %s policy loads%s%s", name, err ? ": " : "", err ? err->message : "");
	g_clear_error(&err);
	g_free(path);
	return p;
}

/* encrypted_part - S gets an attachment at PART that an extractor found encrypted */
static void encrypted_part(es_scan *s, const char *part)
{
	GBytes *b = g_bytes_new_static("x", 1);

	es_scan_add_attachment(s, part, "secret.zip", "application/zip", b, 1)->encrypted = TRUE;
	s->encrypted = TRUE;
	g_bytes_unref(b);
}

static void test_presets(void)
{
	/* ENC: an encrypted attachment at that part ("" none, "body" a PGP block in the body) */
	static const struct { const char *enc, *list, *want, *what; } leaving[] = {
		{ "", "2", "reject/pupil-data-leaving", "plain pupil data leaving is refused" },
		{ "2", "2/1", "copy/pupil-data-encrypted", "pupil data inside an encrypted file is not refused" },
		/* encryption elsewhere in the message does not cover a plain list */
		{ "2", "3", "reject/pupil-data-leaving", "a plain list beside an encrypted file is refused" },
		{ "2", "20", "reject/pupil-data-leaving", "part 20 is not inside encrypted part 2" },
		{ "body", "1", "reject/pupil-data-leaving", "a plain list in a body that also holds PGP armour is refused" },
	};
	es_policy *sec = shipped("secondary"), *pri = shipped("primary");
	es_scan *s;

	if (!sec || !pri)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(leaving); i++) {
		char *what = g_strdup_printf("secondary: %s", leaving[i].what);

		s = scan_with(ES_ROLE_STAFF, ES_DIR_OUTBOUND, NULL, 0);
		if (strcmp(leaving[i].enc, "body") == 0)
			s->encrypted = TRUE;
		else if (*leaving[i].enc)
			encrypted_part(s, leaving[i].enc);
		es_scan_add_finding(s, "pupil_data", "pupil_data", 4, leaving[i].list, "pupil-records", "34 pupils")->records = 34;
		expect(sec, s, leaving[i].want, what);
		g_free(what);
	}
	s = scan_with(ES_ROLE_STAFF, ES_DIR_INTERNAL, NULL, 0);
	es_scan_add_finding(s, "pupil_data", "pupil_data", 4, "2", "pupil-records", "34 pupils");
	expect(sec, s, "copy/pupil-data-internal", "secondary: pupil data inside the school is copied");
	expect(sec, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "bullying", 3), "copy/bullying",
	       "secondary: pupil bullying a pupil is delivered and copied");
	s = scan_with(ES_ROLE_EXTERNAL, ES_DIR_INBOUND, NULL, 0);
	es_scan_add_finding(s, "virus", "virus", 5, "2", "Eicar-Test-Signature", "eicar.com");
	expect(sec, s, "reject/virus", "secondary: a virus is refused");
	expect(pri, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "profanity", 2), "copy/flagged",
	       "primary: mild profanity from a pupil is copied");
	expect(sec, scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "profanity", 2), "accept/default",
	       "secondary: mild profanity only gets headers");
	/* adding to a message cannot soften it: holds and refusals come before copies */
	s = scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "sexual", 4);
	es_scan_add_finding(s, "language", "self_harm", 5, "1", "kys", "kys");
	expect(sec, s, "hold/pupil-sexual", "secondary: sexual violence from a pupil is held though it also says kys");
	s = scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "hate", 4);
	es_scan_add_finding(s, "language", "threat", 4, "1", "threat", "x");
	expect(sec, s, "hold/pupil-hate", "secondary: top-severity hate from a pupil is held though it also threatens");
	s = scan_with(ES_ROLE_PUPIL, ES_DIR_INTERNAL, "hate", 3);
	es_scan_add_finding(s, "language", "self_harm", 5, "1", "kys", "kys");
	expect(pri, s, "hold/pupil-serious", "primary: a pupil's hateful message is held though it also says kys");
	s = scan_with(ES_ROLE_STAFF, ES_DIR_OUTBOUND, "sensitive_data", 4);
	encrypted_part(s, "2");
	es_scan_add_finding(s, "pupil_data", "pupil_data", 4, "2/1", "pupil-records", "34 pupils")->records = 34;
	expect(sec, s, "reject/sensitive-data-leaving",
	       "secondary: sensitive data leaving is refused though an encrypted pupil list rides along");
	es_policy_free(sec);
	es_policy_free(pri);
}

int main(void)
{
	conf = es_conf_new_defaults();
	test_own_policy();
	test_errors();
	test_notices();
	test_presets();
	es_conf_unref(conf);
	return done_testing();
}
