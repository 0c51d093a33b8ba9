/* ui_t.c - unit tests of the quarantine UI's pure parts: HTML and CSV
 * escaping, form parsing, ids and times, and the message a release sends
 * (no X-ESafety-* header but a token the milter's check accepts) */
#include "config.h"
#include <string.h>
#include "../lib/tap.h"
#include "ui.h"
#include "quarantine.h"

/* esc - ui_esc into a new string */
static char *esc(const char *s)
{
	GString *o = g_string_new(NULL);

	ui_esc(o, s);
	return g_string_free(o, FALSE);
}

/* test_escaping - markup and CSV injection are defused */
static void test_escaping(void)
{
	char *e = esc("<script>alert('x')</script> & \"q\"");
	GString *csv = g_string_new(NULL);

	is_str(e, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", "HTML escaping covers < > & \" '");
	g_free(e);
	ui_csv_field(csv, "=HYPERLINK(\"http://x\")", FALSE);
	ui_csv_field(csv, "plain, text", FALSE);
	ui_csv_field(csv, "", TRUE);
	is_str(csv->str, "\"'=HYPERLINK(\"\"http://x\"\")\",\"plain, text\",\"\"\r\n",
	       "CSV quotes fields, doubles quotes and defuses formulas");
	g_string_free(csv, TRUE);
	csv = g_string_new(NULL);
	ui_csv_field(csv, "\n=HYPERLINK(\"http://x\")", FALSE);
	ui_csv_field(csv, "  +1", FALSE);
	ui_csv_field(csv, "a\r\nb", TRUE);
	is_str(csv->str, "\"' =HYPERLINK(\"\"http://x\"\")\",\"'  +1\",\"a  b\"\r\n",
	       "CSV: a formula behind a line break or spaces is defused too; control characters become spaces");
	g_string_free(csv, TRUE);
}

/* test_forms - urlencoded bodies */
static void test_forms(void)
{
	GHashTable *f = ui_form_parse("csrf=ab12&notes=a+b%26c%3D%0Ad&empty=&flag&status=in+review");

	is_str(g_hash_table_lookup(f, "csrf"), "ab12", "form: plain value");
	is_str(g_hash_table_lookup(f, "notes"), "a b&c=\nd", "form: + and %%XX decoded");
	is_str(g_hash_table_lookup(f, "empty"), "", "form: empty value");
	is_str(g_hash_table_lookup(f, "flag"), "", "form: name without =");
	is_str(g_hash_table_lookup(f, "status"), "in review", "form: spaces");
	g_hash_table_unref(f);
	f = ui_form_parse("bad=%00x&x=%zz");
	is_str(g_hash_table_lookup(f, "bad"), "", "form: a NUL byte is refused, not truncated");
	g_hash_table_unref(f);
}

/* test_ids - quarantine ids and times */
static void test_ids(void)
{
	ok(ui_valid_id("0123456789abcdef"), "a 16-hex id is valid");
	ok(!ui_valid_id("0123456789ABCDEF"), "upper case is not");
	ok(!ui_valid_id("../../etc/passwd"), "a path is not");
	ok(!ui_valid_id("0123456789abcde"), "15 digits are not");
	ok(!ui_valid_id(NULL), "NULL is not");
	is_int(ui_parse_time("2026-11-23T18:00:00Z"), 1795456800, "RFC 3339 UTC time");
	is_int(ui_parse_time("2026-11-23T18:00:00.123456Z"), 1795456800, "... with microseconds");
	is_int(ui_parse_time("yesterday"), -1, "not a time");
}

/* test_release_message - what release.c hands to the MTA */
static void test_release_message(void)
{
	const char *stored = "X-ESafety-Id: 0123456789abcdef\nX-ESafety-Finding: detector=language;\n"
			     "X-ESafety-HMAC: 00\nFrom: a@b\nX-ESafety-Forged: x\n  continued\n"
			     "Subject: hi\n\nbody X-ESafety-Id: stays in the body\n";
	GBytes *key = g_bytes_new_static("0123456789abcdef0123456789abcdef", 32);
	char *token = es_release_token("0123456789abcdef", 3600, key), *id = NULL, *msg, *want;
	gsize len;

	msg = ui_release_message(stored, strlen(stored), token, &len);
	want = g_strdup_printf("X-ESafety-Release: %s\nFrom: a@b\nSubject: hi\n\n"
			       "body X-ESafety-Id: stays in the body\n", token);
	is_str(msg, want, "release drops every X-ESafety header (with continuations), adds the token");
	is_int(len, strlen(want), "... and reports the length");
	ok(es_release_token_check(token, key, &id), "the milter's check accepts the token");
	is_str(id, "0123456789abcdef", "... for this incident");
	g_free(msg);
	g_free(want);
	g_free(token);
	g_free(id);
	g_bytes_unref(key);
}

/* main - run them all */
int main(void)
{
	test_escaping();
	test_forms();
	test_ids();
	test_release_message();
	return done_testing();
}
