/* personal_data_t.c - the personal-data detector through its descriptor:
 * findings with type, category (personal_info / sensitive_data), severity
 * from rules and config, per-school changes, local rules, switched off, bad
 * config, and evidence that never shows a whole value */
#include "config.h"
#include <string.h>
#include <glib/gstdio.h>
#include "detector.h"
#include "scan.h"
#include "tap.h"
#include "keep_path.h"

extern const es_detector es_detector_personal_data;
static char *tmpdir;

/* conf_with - a config file with rules from the source tree plus EXTRA */
static es_conf *conf_with(const char *extra, GError **err)
{
	const char *srcdir = g_getenv("top_srcdir");
	char *path = g_build_filename(tmpdir, "esafety.conf", NULL);
	char *text = g_strdup_printf("[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/local\n%s",
				     srcdir ? srcdir : ".", tmpdir, extra);
	es_conf *c;

	g_file_set_contents(path, text, -1, NULL);
	c = es_conf_load(path, err);
	g_free(text);
	g_free(path);
	return c;
}

/* run - scan TEXT (as the body) under CONF for SCHOOL (or none) */
static es_scan *run(es_conf *conf, const char *school, const char *text)
{
	GError *err = NULL;
	void *st = es_detector_personal_data.load(conf, &err);
	es_scan *s = es_scan_new(conf, "TESTQID");

	if (!st)
		diag("load: %s", err->message);
	s->school = school ? es_conf_school_by_name(conf, school) : NULL;
	es_scan_add_text(s, "1", "body", text, -1, FALSE);
	if (st && !es_detector_personal_data.check(st, s, &err))
		diag("check: %s", err->message);
	es_detector_personal_data.unload(st);
	return s;
}

/* find - the finding of TYPE, or NULL */
static const es_finding *find(const es_scan *s, const char *type)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		if (g_strcmp0(f->type, type) == 0)
			return f;
	}
	return NULL;
}

/* shows_whole - some field of some finding holds VALUE */
static gboolean shows_whole(const es_scan *s, const char *value)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);
		const char *fields[] = { f->detector, f->category, f->type, f->part, f->rule, f->excerpt };

		for (gsize k = 0; k < G_N_ELEMENTS(fields); k++)
			if (fields[k] && strstr(fields[k], value))
				return TRUE;
	}
	return FALSE;
}

/* test_categories - own details vs identifiers of several people */
static void test_categories(es_conf *c)
{
	es_scan *s = run(c, NULL, "hiya text me on 07700 900123 x");
	const es_finding *f = find(s, "phone");

	ok(f && !strcmp(f->detector, "personal_data") && !strcmp(f->category, "personal_info"),
	   "a pupil's own mobile number is personal_info, type phone");
	is_int(f ? f->severity : 0, 5, "severity from [personal_data] severity = phone:5");
	is_str(f ? f->excerpt : NULL, "tel 07*** ***123", "excerpt is redacted");
	is_str(f ? f->part : NULL, "1", "part is the text's part");
	es_scan_free(s);

	s = run(c, NULL, "NHS numbers: 401 023 2137, 943 476 5919");
	f = find(s, "nhs_number");
	ok(f && !strcmp(f->category, "sensitive_data") && f->severity >= 4,
	   "two people's NHS numbers are sensitive_data, severity 4 or more");
	is_str(f ? f->excerpt : NULL, "NHS *** *** 2137 (+1 more)", "one finding names the count");
	ok(f && strstr(f->rule, "several"), "rule says several (%s)", f ? f->rule : "");
	es_scan_free(s);

	s = run(c, NULL, "my NHS number is 401 023 2137, yes 401-023-2137");
	f = find(s, "nhs_number");
	ok(f && !strcmp(f->category, "personal_info"), "one NHS number written twice is one person's");
	es_scan_free(s);

	s = run(c, NULL, "NHS 401 023 2137, again \uff14\uff10\uff11 \uff10\uff12\uff13 \uff12\uff11\uff13\uff17"
		 " and 4O1 O23 2l37");
	f = find(s, "nhs_number");
	ok(f && !strcmp(f->category, "personal_info"),
	   "one NHS number in ASCII, fullwidth digits and letters for digits is one person's");
	is_str(f ? f->excerpt : NULL, "NHS *** *** 2137 (+2 more)", "... found three times");
	es_scan_free(s);

	s = run(c, NULL, "UPN B801 2000 05001; DOB 12\u20131\u20132010, NHS \uff14\uff10\uff11 \uff10\uff12\uff13 "
		 "\uff12\uff11\uff13\uff17");
	f = find(s, "nhs_number");
	is_str(f ? f->excerpt : NULL, "NHS *** *** \uff12\uff11\uff13\uff17",
	       "evidence of fullwidth digits is cut from the text as sent");
	f = find(s, "upn");
	is_str(f ? f->excerpt : NULL, "UPN **** **** **001", "a grouped UPN keeps its grouping in the evidence");
	f = find(s, "dob");
	is_str(f ? f->excerpt : NULL, "DOB *******10", "a date with en dashes is a date of birth (masked whole)");
	es_scan_free(s);

	s = run(c, NULL, "NHS numbers: 401 023 2138, 943 476 5918");
	is_int(s->findings->len, 0, "numbers failing their check digit are not reported at all");
	es_scan_free(s);
}

/* test_no_leaks - a message full of personal data shows none of it whole */
static void test_no_leaks(es_conf *c)
{
	static const char *const values[] = {
		"07700 900123", "4010232137", "401 023 2137", "B801200005001", "PR 123612C",
		"4111 1111 1111 1111", "GB82WEST12345698765432", "12 Acacia Avenue", "SW1A 1AA",
		"12/03/2011", "jo.bloggs@example.com", "hunter2", "MORGA607054SM9IJ", "12345678",
	};
	es_scan *s = run(c, NULL,
		"text me 07700 900123. NHS 401 023 2137 (4010232137), UPN B801200005001, NI PR 123612C, "
		"card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, I live at 12 Acacia Avenue, "
		"Springfield SW1A 1AA, DOB 12/03/2011, my email is jo.bloggs@example.com, password: hunter2, "
		"licence MORGA607054SM9IJ, account number 12345678");
	int leaks = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
		if (shows_whole(s, values[i])) {
			diag("shown whole: %s", values[i]);
			leaks++;
		}
	ok(s->findings->len >= 12, "%u findings in a message of 14 kinds of data", s->findings->len);
	is_int(leaks, 0, "no finding field holds any value whole");
	es_scan_free(s);
}

/* test_school - per-school changes apply only to that school's mail */
static void test_school(es_conf *c)
{
	const char *text = "my email is jo.bloggs@example.com, meet me at the park";
	es_scan *s = run(c, NULL, text);

	ok(find(s, "email") != NULL, "without a school, the email address is reported");
	is_int(find(s, "meeting") ? find(s, "meeting")->severity : 0, 4, "meeting has the rules' severity 4");
	es_scan_free(s);
	s = run(c, "oak", text);
	ok(find(s, "email") == NULL, "school oak switched email off");
	is_int(find(s, "meeting") ? find(s, "meeting")->severity : 0, 2, "school oak set meeting:2");
	es_scan_free(s);
}

/* test_config - switched off, bad values, local rules */
static void test_config(void)
{
	GError *err = NULL;
	es_conf *c = conf_with("[personal_data]\nenabled = no\n", &err);
	es_scan *s = run(c, NULL, "text me on 07700 900123");

	is_int(s->findings->len, 0, "enabled = no: nothing reported");
	es_scan_free(s);
	es_conf_unref(c);

	c = conf_with("[personal_data]\nseverity = phone:9\n", &err);
	ok(c && !es_detector_personal_data.load(c, &err) && err && strstr(err->message, "[personal_data] severity: 'phone:9'"),
	   "severity phone:9 fails to load, naming [personal_data] severity: %s", err ? err->message : "");
	g_clear_error(&err);
	es_conf_unref(c);

	c = conf_with("[personal_data]\ndisabled = phones\n", &err);
	ok(c && !es_detector_personal_data.load(c, &err) && err && strstr(err->message, "[personal_data] disabled: 'phones'"),
	   "an unknown type fails to load, naming it and the key: %s", err ? err->message : "");
	g_clear_error(&err);
	es_conf_unref(c);

	g_mkdir_with_parents(keep_path(g_build_filename(tmpdir, "local", "personal_data", NULL)), 0700);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[phone]\nenabled = false\n", -1, NULL);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "meeting.txt", NULL)),
			    "# ours\nsee you behind the sports hall\n", -1, NULL);
	c = conf_with("", &err);
	s = run(c, NULL, "text me on 07700 900123, see you behind the sports hall");
	ok(!find(s, "phone"), "local personal_data.rules switches phone off");
	ok(find(s, "meeting") != NULL, "local meeting.txt adds a phrase");
	es_scan_free(s);

	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[phones]\nenabled = false\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err && strstr(err->message, "personal_data.rules:1: [phones]"),
	   "a local rules group that is no type fails to load, naming its line: %s", err ? err->message : "");
	g_clear_error(&err);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "# ours\n[general]\nraise_by = 30\n\nraise_byy = 30\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err &&
	   strstr(err->message, "local/personal_data/personal_data.rules:5: [general] raise_byy is not a key"),
	   "a misspelt key fails to load, not silently ignored: %s", err ? err->message : "");
	g_clear_error(&err);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[phone]\nenable = false\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err && strstr(err->message, "it may have: enabled"),
	   "... in a type's group too, listing the keys it may have: %s", err ? err->message : "");
	g_clear_error(&err);
	/* a bad value, and a line GKeyFile cannot read: in the local file, with its line */
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[general]\nthreshold = 50\n[phone]\nbase = 40\nseverity = 9\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err &&
	   strstr(err->message, "local/personal_data/personal_data.rules:5: [phone] severity must be a whole number from 1 to 5"),
	   "an out-of-range value names the local file and its line: %s", err ? err->message : "");
	g_clear_error(&err);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[phone]\nidentity = maybe\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err &&
	   strstr(err->message, "personal_data.rules:2: [phone] identity must be true or false"),
	   "a yes/no value that is neither names its line: %s", err ? err->message : "");
	g_clear_error(&err);
	g_file_set_contents(keep_path(g_build_filename(tmpdir, "local", "personal_data", "personal_data.rules", NULL)),
			    "[phone]\nbase = 40\n  no equals sign here\n", -1, NULL);
	ok(!es_detector_personal_data.load(c, &err) && err &&
	   strstr(err->message, "local/personal_data/personal_data.rules:3: ") && strstr(err->message, "no equals sign here"),
	   "a line that is no key, group or comment names the local file (not the shipped one) and line: %s",
	   err ? err->message : "");
	g_clear_error(&err);
	es_conf_unref(c);
}

int main(void)
{
	GError *err = NULL;
	es_conf *c;

	tmpdir = g_dir_make_tmp("pd_t.XXXXXX", NULL);
	c = conf_with("[personal_data]\nseverity = phone:5\n"
		      "[school:oak]\ndomains = oak.sch.uk\nesafety_mailbox = esafety@oak.sch.uk\n"
		      "pupils = *@pupils.oak.sch.uk\npersonal_data_disabled = email\n"
		      "personal_data_severity = meeting:2\n", &err);
	if (!ok(c != NULL, "config loads")) {
		diag("%s", err->message);
		return done_testing();
	}
	test_categories(c);
	test_no_leaks(c);
	test_school(c);
	es_conf_unref(c);
	test_config();
	{
		char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);

		ok(system(cmd) == 0, "temporary directory removed");
		g_free(cmd);
	}
	return done_testing();
}
