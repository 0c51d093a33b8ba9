/* virus_t.c - the virus detector finds EICAR and the clamav-testfiles
 * sample in every format the issue names, through the MIME parser and the
 * real libclamav with the project's own test signatures */
#include "config.h"
#include <stdio.h>
#include "../lib/tap.h"
#include "../virus/virus_test.h"

#define TESTFILES "/usr/share/clamav-testfiles"

static es_conf *conf;
static void *state;

/* expect_virus - RAW parsed and scanned: infected with a NAME_PREFIX
 * signature, and the finding names WHERE (when given) */
static void expect_virus(const char *what, GBytes *raw, const char *name_prefix, const char *where)
{
	GError *err = NULL;
	gboolean done;
	es_scan *s = vt_check(state, conf, raw, &done, &err);
	es_finding *f = vt_finding(s, "virus");

	ok(done && s->virus && g_str_has_prefix(s->virus, name_prefix),
	   "%s: detected as %s", what, s->virus ? s->virus : "(nothing)");
	if (err)
		diag("error: %s", err->message);
	ok(f && strcmp(f->category, "virus") == 0 && f->severity == 5 && f->rule &&
	   strcmp(f->rule, s->virus) == 0, "%s: finding virus/virus severity 5, rule = name", what);
	if (where)
		ok(f && f->excerpt && strstr(f->excerpt, where), "%s: finding names %s (got %s)",
		   what, where, f && f->excerpt ? f->excerpt : "(none)");
	g_clear_error(&err);
	es_scan_free(s);
}

/* test_testfiles - every format of the Debian sample, as a base64 attachment */
static void test_testfiles(void)
{
	static const char *const files[] = {
		"clam.zip", "clam.7z", "clam.cab", "clam.arj", "clam.tar.gz",
		"clam.bin-be.cpio", "clam.bin-le.cpio", "clam.newc.cpio", "clam.odc.cpio",
		"clam.exe.rtf", "clam.pdf", "clam.ole.doc", "clam.ppt", "clam.tnef",
		"clam.exe", "clam.bz2.zip", "clam.exe.bz2", "clam.chm", "clam-upx.exe", NULL
	};

	for (int i = 0; files[i]; i++) {
		char *path = g_build_filename(TESTFILES, files[i], NULL);
		GBytes *f = vt_read(path);
		GBytes *m = vt_mail("see attached", files[i], g_bytes_get_data(f, NULL),
				    g_bytes_get_size(f));

		expect_virus(files[i], m, "Es.Test.ClamAV-Test-File", files[i]);
		g_bytes_unref(m);
		g_bytes_unref(f);
		g_free(path);
	}
}

/* test_mail_encodings - the samples that are mail already (base64, uuencoded
 * mbox) and BinHex text pasted into a message body: found by the raw scan */
static void test_mail_encodings(void)
{
	static const char *const files[] = { "clam.mail", "clam.exe.mbox.base64", "clam.exe.mbox.uu", NULL };
	char *path;
	GBytes *f, *m;

	for (int i = 0; files[i]; i++) {
		path = g_build_filename(TESTFILES, files[i], NULL);
		f = vt_read(path);
		expect_virus(files[i], f, "Es.Test.ClamAV-Test-File", NULL);
		g_bytes_unref(f);
		g_free(path);
	}
	path = g_build_filename(TESTFILES, "clam.exe.binhex", NULL);
	f = vt_read(path);
	m = vt_mail(g_bytes_get_data(f, NULL), NULL, NULL, 0);
	expect_virus("BinHex in the body", m, "Es.Test.ClamAV-Test-File", NULL);
	g_bytes_unref(m);
	g_bytes_unref(f);
	g_free(path);
}

/* test_eicar - EICAR in the body, as an attachment, in zips three deep */
static void test_eicar(void)
{
	static const char html_eicar[] = "From: a@example.org\r\nMIME-Version: 1.0\r\n"
		"Content-Type: text/html\r\n\r\n<html><body><p>" VT_EICAR "</p></body></html>\r\n";
	GBytes *m, *z1, *z2, *z3;

	m = vt_mail(VT_EICAR, NULL, NULL, 0);
	expect_virus("EICAR in a text body", m, "Es.Test.EICAR", NULL);
	g_bytes_unref(m);

	m = vt_mail("hi", "eicar.com", VT_EICAR, strlen(VT_EICAR));
	expect_virus("EICAR as a base64 attachment", m, "Es.Test.EICAR", "eicar.com");
	g_bytes_unref(m);

	/* an HTML part goes to libclamav as a small mail (for its phishing checks) */
	m = g_bytes_new_static(html_eicar, sizeof html_eicar - 1);
	expect_virus("EICAR in an HTML body", m, "Es.Test.EICAR", NULL);
	g_bytes_unref(m);

	z1 = vt_zip("eicar.com", VT_EICAR, strlen(VT_EICAR), NULL);
	z2 = vt_zip("inner.zip", g_bytes_get_data(z1, NULL), g_bytes_get_size(z1), NULL);
	z3 = vt_zip("middle.zip", g_bytes_get_data(z2, NULL), g_bytes_get_size(z2), NULL);
	m = vt_mail("homework", "outer.zip", g_bytes_get_data(z3, NULL), g_bytes_get_size(z3));
	expect_virus("EICAR in zip in zip in zip", m, "Es.Test.EICAR",
		     "outer.zip/middle.zip/inner.zip/eicar.com");
	g_bytes_unref(m);
	g_bytes_unref(z1);
	g_bytes_unref(z2);
	g_bytes_unref(z3);
}

/* test_clean - clean mail: no virus, no finding, no error */
static void test_clean(void)
{
	GError *err = NULL;
	gboolean okc;
	GBytes *z = vt_zip("notes.txt", "spelling list\n", 14, NULL);
	GBytes *m = vt_mail("Please find the spelling list.", "notes.zip",
			    g_bytes_get_data(z, NULL), g_bytes_get_size(z));
	es_scan *s = vt_check(state, conf, m, &okc, &err);

	ok(okc && !s->virus && s->findings->len == 0 && !s->encrypted,
	   "clean mail with a zip: no virus, no findings");
	es_scan_free(s);
	g_bytes_unref(m);
	g_bytes_unref(z);
}

/* test_parts_only - without the raw bytes each decoded part is scanned,
 * and the finding names the attachment and its MIME part */
static void test_parts_only(void)
{
	GError *err = NULL;
	gboolean okc;
	GBytes *m = vt_mail("hi", "report.doc", VT_EICAR, strlen(VT_EICAR));
	es_scan *s = es_scan_new(conf, "VTQID2");
	es_finding *f;

	s->raw = g_bytes_ref(m);
	es_mime_parse(s);
	g_clear_pointer(&s->raw, g_bytes_unref);
	okc = es_detector_virus.check(state, s, &err);
	f = vt_finding(s, "virus");
	ok(okc && s->virus && f && strcmp(f->excerpt, "report.doc") == 0 && strcmp(f->part, "2") == 0,
	   "no raw message: attachment scanned, finding names report.doc in part %s",
	   f ? f->part : "?");
	es_scan_free(s);
	g_bytes_unref(m);
}

int main(void)
{
	char *db = vt_fixture_db(), *tmp = vt_tmpdir();
	GError *err = NULL;

	g_mime_init();
	conf = vt_conf(tmp, db, NULL);
	state = es_detector_virus.load(conf, &err);
	if (!ok(state != NULL, "detector loads the test database"))
		diag("%s", err ? err->message : "?");
	if (!state)
		return done_testing();
	test_testfiles();
	test_mail_encodings();
	test_eicar();
	test_clean();
	test_parts_only();
	es_detector_virus.unload(state);
	es_conf_unref(conf);
	vt_rm_rf(tmp);
	g_free(tmp);
	g_free(db);
	return done_testing();
}
