/* extract_t.c - attachments generated from recipes (tests/pupil_data/mk*)
 * go through es_extract_all and the pupil-data detector: pupil lists are
 * counted in every format, encrypted copies are reported as encrypted and
 * never counted, ordinary attachments are not flagged, and bad input ends
 * in a defined outcome within bounded memory */
#include "config.h"
#include <stdlib.h>
#include <sys/resource.h>
#include "../lib/tap.h"
#include "scan.h"
#include "extract.h"
#include "detector.h"
#include "detectors/pupil_data.h"

extern const es_detector es_detector_pupil_data;

static es_conf *conf;
static pk_rules *rules;
static char *dir;

typedef struct {
	int records;		/* most pupils in one pupil_data finding */
	char *excerpt;		/* of that finding */
	gboolean encrypted;
	GString *limits;	/* categories of limits findings, space-separated */
	guint errors;
} outcome;

/* scan_file - FILE as an attachment of type CTYPE through extraction and the detector */
static outcome scan_file(const char *file, const char *ctype, void (*tweak)(es_scan *))
{
	char *path = g_build_filename(dir, file, NULL), *data = NULL;
	gsize len = 0;
	outcome o = { 0, NULL, FALSE, g_string_new(NULL), 0 };
	es_scan *s = es_scan_new(conf, "TESTQID");
	GError *err = NULL;
	GBytes *b;

	if (!g_file_get_contents(path, &data, &len, NULL))
		diag("cannot read %s", path);
	b = g_bytes_new_take(data, len);
	es_scan_add_attachment(s, "2", file, ctype, b, 1);
	g_bytes_unref(b);
	if (tweak)
		tweak(s);
	es_extract_all(s);
	if (!es_detector_pupil_data.check(rules, s, &err))
		diag("check failed: %s", err ? err->message : "?");
	for (guint i = 0; i < s->findings->len; i++) {
		es_finding *f = g_ptr_array_index(s->findings, i);

		if (g_str_equal(f->detector, "pupil_data") && f->records > o.records) {
			o.records = f->records;
			g_free(o.excerpt);
			o.excerpt = g_strdup(f->excerpt);
		} else if (g_str_equal(f->detector, "limits")) {
			g_string_append_printf(o.limits, "%s ", f->category);
		}
	}
	o.encrypted = s->encrypted;
	o.errors = s->errors->len;
	es_scan_free(s);
	g_free(path);
	return o;
}

static void outcome_free(outcome *o)
{
	g_free(o->excerpt);
	g_string_free(o->limits, TRUE);
}

/* expect_pupils - FILE holds N pupils in plain form */
static void expect_pupils(const char *file, const char *ctype, int n)
{
	outcome o = scan_file(file, ctype, NULL);

	is_int(o.records, n, "%s: %d pupil(s) counted", file, n);
	ok(!o.encrypted && o.limits->len == 0, "%s: not encrypted, no limit hit", file);
	if (o.records != n || o.limits->len)
		diag("excerpt '%s' limits '%s'", o.excerpt ? o.excerpt : "", o.limits->str);
	outcome_free(&o);
}

/* expect_encrypted - FILE is encrypted content and not counted */
static void expect_encrypted(const char *file, const char *ctype)
{
	outcome o = scan_file(file, ctype, NULL);

	ok(o.encrypted, "%s: reported as encrypted", file);
	is_int(o.records, 0, "%s: not counted as plain pupil data", file);
	outcome_free(&o);
}

/* expect_ordinary - FILE must not be flagged */
static void expect_ordinary(const char *file, const char *ctype)
{
	outcome o = scan_file(file, ctype, NULL);

	ok(o.records == 0 && !o.encrypted && o.limits->len == 0, "%s: ordinary attachment not flagged", file);
	if (o.records)
		diag("flagged as '%s'", o.excerpt);
	outcome_free(&o);
}

/* expect_bad - FILE ends with a defined outcome (a LIMIT finding, or with
 * LIMIT NULL an error recorded), no pupils counted from garbage, bounded memory */
static void expect_bad(const char *file, const char *ctype, const char *limit)
{
	struct rusage before, after;
	gint64 t0 = g_get_monotonic_time();
	outcome o;

	getrusage(RUSAGE_SELF, &before);
	o = scan_file(file, ctype, NULL);
	getrusage(RUSAGE_SELF, &after);
	if (limit)
		ok(strstr(o.limits->str, limit) != NULL, "%s: limits finding '%s' (got '%s')", file, limit, o.limits->str);
	else
		ok(o.errors > 0 || o.limits->len > 0, "%s: recorded as unreadable (%u errors, limits '%s')",
		   file, o.errors, o.limits->str);
	is_int(o.records, 0, "%s: nothing counted from it", file);
	ok(after.ru_maxrss - before.ru_maxrss < 512 * 1024, "%s: peak memory grew by %ld KiB (< 512 MiB)",
	   file, after.ru_maxrss - before.ru_maxrss);
	diag("%s took %.0f ms", file, (g_get_monotonic_time() - t0) / 1000.0);
	outcome_free(&o);
}

static void depth_two(es_scan *s) { s->limits.max_depth = 2; }
static void parts_two(es_scan *s) { s->limits.max_parts = 2; }
static void no_time(es_scan *s) { s->limits.deadline_us = g_get_monotonic_time() - 1; }
static void many_parts(es_scan *s) { s->limits.max_parts = 1000000; s->limits.max_extracted = 20 << 20; }

/* limits - each configured limit, set low, stops its branch with a finding */
static void limits(void)
{
	outcome o = scan_file("pupils_5_nested.zip", "application/zip", depth_two);
	gint64 t0;

	ok(strstr(o.limits->str, "depth") != NULL, "max_depth: nested zip stops with a depth finding");
	outcome_free(&o);
	o = scan_file("pupils_5_nested.zip", "application/zip", parts_two);
	ok(strstr(o.limits->str, "parts") != NULL, "max_parts: a parts finding");
	outcome_free(&o);
	t0 = g_get_monotonic_time();
	o = scan_file("bomb_nested.zip", "application/zip", many_parts);
	diag("nested bomb, max_parts raised: %.0f ms", (g_get_monotonic_time() - t0) / 1000.0);
	ok(strstr(o.limits->str, "extracted_bytes") || strstr(o.limits->str, "ratio"),
	   "nested bomb with max_parts raised: stopped by extracted bytes or ratio ('%s')", o.limits->str);
	outcome_free(&o);
	o = scan_file("pupils_200.csv", "text/csv", no_time);
	ok(strstr(o.limits->str, "time") != NULL && o.records == 0, "scan_time: a time finding, nothing read");
	outcome_free(&o);
}

/* make_fixtures - run the recipes; a missing tool fails the whole test */
static gboolean make_fixtures(void)
{
	const char *src = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
	char *cmd = g_strdup_printf("python3 '%s/tests/pupil_data/mkfixtures.py' '%s' && "
				    "sh '%s/tests/pupil_data/mkencrypted.sh' '%s'", src, dir, src, dir);
	int rc = system(cmd);
	char *path = g_build_filename(src, "rules", "pupil_data", "headers.txt", NULL);
	GError *err = NULL;

	g_free(cmd);
	rules = pk_rules_load(path, &err);
	g_free(path);
	if (!rules)
		diag("rules: %s", err->message);
	return ok(rc == 0 && rules, "fixtures generated and rules loaded");
}

/* plain_lists - 1, 5 and 200 pupils in each format, CTFs, and other carriers */
static void plain_lists(void)
{
	static const char *const fmts[][2] = {
		{ "csv", "text/csv" }, { "xlsx", "application/octet-stream" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "pdf", "application/pdf" }, { "rtf", "application/rtf" },
	};
	static const int sizes[] = { 1, 5, 200 };
	outcome o;

	for (gsize f = 0; f < G_N_ELEMENTS(fmts); f++)
		for (gsize n = 0; n < G_N_ELEMENTS(sizes); n++) {
			char *file = g_strdup_printf("pupils_%d.%s", sizes[n], fmts[f][0]);

			expect_pupils(file, fmts[f][1], sizes[n]);
			g_free(file);
		}
	for (gsize n = 0; n < G_N_ELEMENTS(sizes); n++) {
		char *file = g_strdup_printf("ctf_%d.xml", sizes[n]);

		o = scan_file(file, "application/xml", NULL);
		is_int(o.records, sizes[n], "%s: CTF is pupil data, %d pupils", file, sizes[n]);
		outcome_free(&o);
		g_free(file);
	}
	o = scan_file("pupils_200.csv", "text/csv", NULL);
	is_str(o.excerpt, "200 pupils: name, DOB, UPN, year, class, SEN, FSM", "excerpt names the kinds, no values");
	outcome_free(&o);
	expect_pupils("pupils_5_utf16.csv", "application/vnd.ms-excel", 5);
	expect_pupils("pupils_5.html", "text/html", 5);
	expect_pupils("pupils_5_report.docx", "application/octet-stream", 5);
	expect_pupils("pupils_5.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 5);
	expect_pupils("pupils_5_nested.zip", "application/zip", 5);
	expect_pupils("pupils_5_eml.zip", "application/zip", 5);
	expect_pupils("pupils_5_fwd_eml.zip", "application/zip", 5);
	expect_pupils("winmail.dat", "application/ms-tnef", 5);
	expect_pupils("plain.7z", "application/x-7z-compressed", 5);
}

/* encrypted_and_ordinary - every supported encryption; attachments that must pass */
static void encrypted_and_ordinary(void)
{
	expect_encrypted("enc_zipcrypto.zip", "application/zip");
	expect_encrypted("enc_aes.zip", "application/zip");
	expect_encrypted("enc_names.7z", "application/x-7z-compressed");
	expect_encrypted("enc_mhe.7z", "application/x-7z-compressed");
	expect_encrypted("enc.pdf", "application/pdf");
	expect_encrypted("enc_office.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	expect_encrypted("enc_odf.ods", "application/vnd.oasis.opendocument.spreadsheet");
	expect_encrypted("enc_smime.p7m", "application/pkcs7-mime");
	expect_encrypted("enc.gpg", "application/octet-stream");
	expect_encrypted("enc.asc", "application/pgp-encrypted");

	expect_ordinary("timetable.csv", "text/csv");
	expect_ordinary("timetable.xlsx", "application/octet-stream");
	expect_ordinary("newsletter.docx", "application/octet-stream");
	expect_ordinary("invoice.pdf", "application/pdf");
	expect_ordinary("staff_rota.csv", "text/csv");
	expect_ordinary("staff_rota.xlsx", "application/octet-stream");
	expect_ordinary("photo.png", "image/png");
}

/* bad_input - bombs, corrupt and truncated files, entity expansion, a looping PDF */
static void bad_input(void)
{
	outcome o;

	expect_bad("bomb_flat.zip", "application/zip", "ratio");
	expect_bad("bomb_nested.zip", "application/zip", "parts");
	expect_bad("corrupt.zip", "application/zip", NULL);
	expect_bad("truncated.xlsx", "application/octet-stream", NULL);
	expect_bad("billion_laughs.xml", "application/xml", "xml");
	/* poppler breaks the page-tree and xref loops itself: the PDF opens, the loop is not followed */
	o = scan_file("loop.pdf", "application/pdf", NULL);
	ok(o.records == 0 && o.limits->len == 0, "loop.pdf: read without looping, nothing flagged");
	outcome_free(&o);
}

int main(void)
{
	char *rm;

	g_mime_init();
	conf = es_conf_new_defaults();
	dir = g_dir_make_tmp("extract_t-XXXXXX", NULL);
	if (!make_fixtures())
		return done_testing();
	plain_lists();
	encrypted_and_ordinary();
	bad_input();
	limits();

	rm = g_strdup_printf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		diag("could not remove %s", dir);
	g_free(rm);
	pk_rules_free(rules);
	es_conf_unref(conf);
	return done_testing();
}
