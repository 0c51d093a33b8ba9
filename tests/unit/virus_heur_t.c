/* virus_heur_t.c - the virus detector's switches and bad input: a missing
 * database at start, running without AV, encrypted archives, Office macros,
 * image fuzzy hashes, phishing links, executables in archives, broken executables, limits
 * exceeded, a scan that times out, scanning off */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../lib/tap.h"
#include "../virus/virus_test.h"
#include "../virus/vba_doc.h"
#include "../virus/png_image.h"
#include "clamav_engine.h"

static char *tmp, *db;

/* load_with - the detector loaded with EXTRA [clamav] lines (and DIR) */
static void *load_with(const char *dir, const char *extra, es_conf **conf, GError **err)
{
	*conf = vt_conf(tmp, dir ? dir : db, extra);
	return es_detector_virus.load(*conf, err);
}

/* run - scan RAW with a fresh load of EXTRA; returns the scan, sets *done, *err */
static es_scan *run(const char *extra, GBytes *raw, gboolean *done, GError **err)
{
	es_conf *conf;
	void *st = load_with(NULL, extra, &conf, NULL);
	es_scan *s = vt_check(st, conf, raw, done, err);

	es_detector_virus.unload(st);
	es_conf_unref(conf);
	return s;
}

/* test_db_missing - refuse to start, or run without AV until a database appears */
static void test_db_missing(void)
{
	char *empty = g_build_filename(tmp, "db-empty", NULL);
	GError *err = NULL;
	es_conf *conf;
	void *st;
	GBytes *m = vt_mail(VT_EICAR, NULL, NULL, 0);
	gboolean done = FALSE;
	es_scan *s;

	g_mkdir(empty, 0700);
	st = load_with(empty, NULL, &conf, &err);
	ok(st == NULL && err && strstr(err->message, "on_db_missing"),
	   "empty database directory: load refuses (%s)", err ? err->message : "no error");
	g_clear_error(&err);
	es_conf_unref(conf);

	st = load_with(empty, "on_db_missing = run_without_av\ncheck_interval = 100ms", &conf, &err);
	ok(st != NULL, "on_db_missing = run_without_av: loads without a database");
	s = vt_check(st, conf, m, &done, &err);
	ok(done && !s->virus && g_hash_table_lookup(s->inputs, "virus.scanned"),
	   "without a database mail passes, marked virus.scanned = %s",
	   (char *)g_hash_table_lookup(s->inputs, "virus.scanned"));
	es_scan_free(s);

	/* freshclam's first download: the watcher loads it */
	char *src = g_build_filename(db, "es-test.ndb", NULL), *dst = g_build_filename(empty, "es-test.ndb", NULL);
	char *text;
	g_file_get_contents(src, &text, NULL, NULL);
	g_file_set_contents(dst, text, -1, NULL);
	gboolean found = FALSE;
	for (int i = 0; i < 300 && !found; i++) {
		g_usleep(100000);
		s = vt_check(st, conf, m, &done, &err);
		found = done && s->virus != NULL;
		es_scan_free(s);
	}
	ok(found, "a database written later is picked up by the watcher and scans start");
	es_detector_virus.unload(st);
	es_conf_unref(conf);
	g_free(text);
	g_unlink(dst);
	g_rmdir(empty);
	g_free(src);
	g_free(dst);
	g_free(empty);
	g_bytes_unref(m);
}

/* test_encrypted - an encrypted zip sets s->encrypted, it is not a virus */
static void test_encrypted(void)
{
	GBytes *z = vt_zip("pupils.csv", "name,dob\n", 9, "secret");
	GBytes *m = vt_mail("the list", "pupils.zip", g_bytes_get_data(z, NULL), g_bytes_get_size(z));
	gboolean done;
	es_scan *s = run(NULL, m, &done, NULL);

	ok(done && s->encrypted && !s->virus && !vt_finding(s, "virus"),
	   "encrypted zip: encrypted = true, no virus");
	es_scan_free(s);
	s = run("heuristic_encrypted = no", m, &done, NULL);
	ok(done && !s->encrypted && !s->virus, "heuristic_encrypted = no: not marked");
	es_scan_free(s);
	g_bytes_unref(m);
	g_bytes_unref(z);
}

/* expect_flagged - run RAW with EXTRA: flagged as NAME_PREFIX in PART */
static void expect_flagged(const char *what, const char *extra, GBytes *raw,
			   const char *name_prefix, const char *part)
{
	gboolean done;
	es_scan *s = run(extra, raw, &done, NULL);
	es_finding *f = vt_finding(s, "virus");

	ok(done && s->virus && g_str_has_prefix(s->virus, name_prefix) && f &&
	   strcmp(f->part, part) == 0, "%s: %s in part %s", what,
	   s->virus ? s->virus : "(nothing)", f ? f->part : "(none)");
	es_scan_free(s);
}

/* expect_passes - run RAW with EXTRA: scanned, nothing flagged */
static void expect_passes(const char *what, const char *extra, GBytes *raw)
{
	gboolean done;
	es_scan *s = run(extra, raw, &done, NULL);

	ok(done && !s->virus && !vt_finding(s, "virus"), "%s: passes (%s)", what,
	   s->virus ? s->virus : "nothing found");
	es_scan_free(s);
}

/* test_macros - a Word document with a VBA project (.doc, and .docm with
 * vbaProject.bin) is flagged with heuristic_macros on and passes with it
 * off; the same .doc without the project passes, so the macros are what
 * is flagged */
static void test_macros(void)
{
	GBytes *doc = vba_doc(TRUE), *plain = vba_doc(FALSE), *docm = vba_docm();
	GBytes *m_doc = vt_mail("homework", "homework.doc", g_bytes_get_data(doc, NULL),
				g_bytes_get_size(doc));
	GBytes *m_plain = vt_mail("homework", "homework.doc", g_bytes_get_data(plain, NULL),
				  g_bytes_get_size(plain));
	GBytes *m_docm = vt_mail("homework", "homework.docm", g_bytes_get_data(docm, NULL),
				 g_bytes_get_size(docm));

	expect_flagged(".doc with a VBA project", NULL, m_doc, "Heuristics.OLE2.ContainsMacros", "2");
	expect_passes(".doc with a VBA project, heuristic_macros = no", "heuristic_macros = no", m_doc);
	expect_flagged(".docm with vbaProject.bin", NULL, m_docm, "Heuristics.OLE2.ContainsMacros", "2");
	expect_passes(".docm, heuristic_macros = no", "heuristic_macros = no", m_docm);
	expect_passes("the same .doc without macros", NULL, m_plain);
	g_bytes_unref(m_doc);
	g_bytes_unref(m_plain);
	g_bytes_unref(m_docm);
	g_bytes_unref(doc);
	g_bytes_unref(plain);
	g_bytes_unref(docm);
}

/* html_mail - text and HTML alternatives (the HTML quoted-printable, as
 * mail clients send it) with one link: text A, going to HREF */
static GBytes *html_mail(const char *href, const char *a)
{
	char *m = g_strdup_printf(
		"From: office@schoolbank.example.com\r\nTo: parent@example.org\r\n"
		"Subject: Top up your school meals account\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/alternative; boundary=\"vt-alt\"\r\n\r\n"
		"--vt-alt\r\nContent-Type: text/plain\r\n\r\nPlease top up at %s\r\n"
		"--vt-alt\r\nContent-Type: text/html; charset=utf-8\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
		"<html><body><p>Please top up your account at <a href=3D\"%s\">%s</a>=\r\n"
		" today.</p></body></html>\r\n--vt-alt--\r\n", a, href, a);

	return g_bytes_new_take(m, strlen(m));
}

/* test_phishing - the test database protects schoolbank.example.com
 * (es-test.pdb) and allows its newsletter host (es-test.wdb): a link whose
 * text shows it but leads elsewhere is flagged with heuristic_phishing on,
 * also without the raw-message scan, and passes with it off; an honest
 * link and an allowed one pass */
static void test_phishing(void)
{
	GBytes *spoof = html_mail("http://collect.evil-host.example.net/login",
				  "http://www.schoolbank.example.com/login");
	GBytes *honest = html_mail("https://www.schoolbank.example.com/login",
				   "https://www.schoolbank.example.com/login");
	GBytes *allowed = html_mail("http://news.schoolmail.example.net/t?u=1",
				    "http://www.schoolbank.example.com/login");
	expect_flagged("link shows schoolbank.example.com, goes elsewhere", NULL, spoof,
		       "Heuristics.Phishing.Email.SpoofedDomain", "2");
	expect_flagged("the same with scan_raw = never", "scan_raw = never", spoof,
		       "Heuristics.Phishing.Email.SpoofedDomain", "2");
	expect_passes("the same with heuristic_phishing = no", "heuristic_phishing = no", spoof);
	expect_passes("honest link to schoolbank.example.com", NULL, honest);
	expect_passes("link to an allowed host (es-test.wdb)", NULL, allowed);
	g_bytes_unref(spoof);
	g_bytes_unref(honest);
	g_bytes_unref(allowed);
}

/* test_exe_in_archive - a harmless program inside a zip */
static void test_exe_in_archive(void)
{
	GBytes *exe = vt_read("/bin/true");
	GBytes *z = vt_zip("game.exe", g_bytes_get_data(exe, NULL), g_bytes_get_size(exe), NULL);
	GBytes *m = vt_mail("fun", "game.zip", g_bytes_get_data(z, NULL), g_bytes_get_size(z));
	gboolean done;
	es_scan *s = run(NULL, m, &done, NULL);
	es_finding *f = vt_finding(s, "virus");

	is_str(s->virus, "Heuristics.Executable.InArchive", "executable in a zip: flagged");
	ok(f && strcmp(f->excerpt, "game.zip/game.exe") == 0, "finding names game.zip/game.exe");
	es_scan_free(s);
	/* libclamav remembers files it found clean and does not open them
	 * again: the same zip, sent again to the same engine, must still be
	 * opened and flagged (it once passed the second time) */
	{
		es_conf *conf;
		void *st = load_with(NULL, NULL, &conf, NULL);

		for (int i = 1; i <= 3; i++) {
			s = vt_check(st, conf, m, &done, NULL);
			f = vt_finding(s, "virus");
			ok(done && g_strcmp0(s->virus, "Heuristics.Executable.InArchive") == 0 && f &&
			   strcmp(f->excerpt, "game.zip/game.exe") == 0,
			   "the same zip to the same engine, time %d: flagged as game.zip/game.exe (%s)", i,
			   s->virus ? s->virus : "passed");
			es_scan_free(s);
		}
		es_detector_virus.unload(st);
		es_conf_unref(conf);
	}
	s = run("heuristic_exe_in_archive = no", m, &done, NULL);
	ok(done && !s->virus, "heuristic_exe_in_archive = no: passes");
	es_scan_free(s);
	g_bytes_unref(m);
	g_bytes_unref(z);
	/* a Word document is a zip too: libclamav types it as OOXML, not ZIP */
	{
		static const char types[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
			"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
		static const char document[] = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
			"<w:body><w:p><w:r><w:t>Homework</w:t></w:r></w:p></w:body></w:document>";

		z = vt_zip_members((const vt_member[]) {
			{ "[Content_Types].xml", types, sizeof types - 1 },
			{ "word/document.xml", document, sizeof document - 1 },
			{ "word/media/game.exe", g_bytes_get_data(exe, NULL), g_bytes_get_size(exe) },
			{ NULL, NULL, 0 } }, NULL);
		m = vt_mail("homework", "homework.docx", g_bytes_get_data(z, NULL), g_bytes_get_size(z));
		s = run(NULL, m, &done, NULL);
		f = vt_finding(s, "virus");
		is_str(s->virus, "Heuristics.Executable.InArchive", "executable in a .docx: flagged");
		ok(f && g_str_has_suffix(f->excerpt, "game.exe"), "finding names the program (%s)",
		   f ? f->excerpt : "none");
		es_scan_free(s);
		g_bytes_unref(m);
		g_bytes_unref(z);
	}
	g_bytes_unref(exe);
}

/* test_tmpdir_gone_then_back - a zip libclamav could not unpack (its
 * tmpdir gone) is a scan error; once the folder is back, the same zip sent
 * to the same engine is opened and its virus found: libclamav must not have
 * remembered it as clean */
static void test_tmpdir_gone_then_back(void)
{
	GBytes *inner = vt_zip("eicar.com", VT_EICAR, strlen(VT_EICAR), NULL);
	GBytes *outer = vt_zip("inner.zip", g_bytes_get_data(inner, NULL), g_bytes_get_size(inner), NULL);
	GBytes *m = vt_mail("see attached", "work.zip", g_bytes_get_data(outer, NULL), g_bytes_get_size(outer));
	char *dir = g_build_filename(tmp, "clamtmp", NULL), *extra;
	GError *err = NULL;
	gboolean done;
	es_conf *conf;
	void *st;
	es_scan *s;

	g_mkdir(dir, 0700);
	extra = g_strdup_printf("tmpdir = %s", dir);
	st = load_with(NULL, extra, &conf, NULL);
	g_rmdir(dir);
	s = vt_check(st, conf, m, &done, &err);
	ok(!done && err && !s->virus, "tmpdir gone: the nested zip is a scan error (%s)",
	   err ? err->message : s->virus ? s->virus : "clean");
	es_scan_free(s);
	g_clear_error(&err);
	g_mkdir(dir, 0700);
	s = vt_check(st, conf, m, &done, &err);
	ok(done && s->virus && g_str_has_prefix(s->virus, "Es.Test.EICAR"),
	   "tmpdir back: the same zip to the same engine is opened, its virus found (%s)",
	   s->virus ? s->virus : err ? err->message : "clean");
	es_scan_free(s);
	g_clear_error(&err);
	es_detector_virus.unload(st);
	es_conf_unref(conf);
	g_bytes_unref(m);
	g_bytes_unref(outer);
	g_bytes_unref(inner);

	/* the same with a tmpdir that is full (a small tmpfs), then grown:
	 * here libclamav makes its files and fails to write them */
	{
		char *cmd = g_strdup_printf("mount -t tmpfs -o size=64k esafety-test %s", dir);
		GString *big = g_string_new(NULL);
		GBytes *zip;

		if (geteuid() != 0 || system(cmd) != 0) {
			ok(0, "tmpdir full, then grown (needs root to mount a tmpfs)");
			ok(0, "tmpdir full, then grown: not run");
			g_free(cmd);
			g_string_free(big, TRUE);
			g_free(extra);
			g_free(dir);
			return;
		}
		for (guint32 i = 0, x = 1; big->len < 2000000; i++) {
			x = x * 1103515245u + 12345u;	/* text that deflates poorly */
			g_string_append_c(big, (char)('A' + (x >> 16) % 26));
			if (i % 76 == 75)
				g_string_append_c(big, '\n');
		}
		zip = vt_zip_members((const vt_member[]) {
			{ "big.txt", big->str, big->len },
			{ "eicar.com", VT_EICAR, strlen(VT_EICAR) },
			{ NULL, NULL, 0 } }, NULL);
		m = vt_mail("see attached", "full.zip", g_bytes_get_data(zip, NULL), g_bytes_get_size(zip));
		st = load_with(NULL, extra, &conf, NULL);
		s = vt_check(st, conf, m, &done, &err);
		ok(!done && err && !s->virus, "tmpdir full: the zip is a scan error (%s)",
		   err ? err->message : s->virus ? s->virus : "clean");
		es_scan_free(s);
		g_clear_error(&err);
		g_free(cmd);
		cmd = g_strdup_printf("mount -o remount,size=64m %s", dir);
		if (system(cmd) != 0)
			printf("# %s failed\n", cmd);
		s = vt_check(st, conf, m, &done, &err);
		ok(done && s->virus && g_str_has_prefix(s->virus, "Es.Test.EICAR"),
		   "tmpdir grown: the same zip to the same engine is opened, its virus found (%s)",
		   s->virus ? s->virus : err ? err->message : "clean");
		es_scan_free(s);
		g_clear_error(&err);
		es_detector_virus.unload(st);
		es_conf_unref(conf);
		g_free(cmd);
		cmd = g_strdup_printf("umount %s", dir);
		if (system(cmd) != 0)
			printf("# %s failed\n", cmd);
		g_free(cmd);
		g_bytes_unref(m);
		g_bytes_unref(zip);
		g_string_free(big, TRUE);
	}
	g_free(extra);
	g_free(dir);
}

/* test_broken_exe - the clamav-testfiles program with its signature bytes
 * overwritten (so no signature names it) and a PE header that lies */
static void test_broken_exe(void)
{
	GBytes *orig = vt_read("/usr/share/clamav-testfiles/clam.exe");
	gsize len = g_bytes_get_size(orig);
	guint8 *pe = g_memdup2(g_bytes_get_data(orig, NULL), len);
	GBytes *m;
	gboolean done;
	es_scan *s;

	memset(pe + 0xe6, 'X', 14);		/* "CLAMessageBoxA": no signature matches */
	pe[0x100 + 0x14] = 0x10;		/* SizeOfOptionalHeader far too small */
	pe[0x100 + 0x15] = 0;
	m = vt_mail("run this", "setup.exe", pe, len);
	s = run(NULL, m, &done, NULL);
	is_str(s->virus, "Heuristics.Broken.Executable", "broken executable: flagged");
	es_scan_free(s);
	s = run("heuristic_broken_exe = no", m, &done, NULL);
	ok(done && !s->virus, "heuristic_broken_exe = no: passes");
	es_scan_free(s);
	g_bytes_unref(m);
	g_bytes_unref(orig);
	g_free(pe);
}

/* test_limits - too deep: a limits finding (on_limit decides); with
 * heuristic_limits = no the unscanned part passes, as documented */
static void test_limits(void)
{
	GBytes *z1 = vt_zip("eicar.com", VT_EICAR, strlen(VT_EICAR), NULL);
	GBytes *z2 = vt_zip("inner.zip", g_bytes_get_data(z1, NULL), g_bytes_get_size(z1), NULL);
	GBytes *z3 = vt_zip("middle.zip", g_bytes_get_data(z2, NULL), g_bytes_get_size(z2), NULL);
	GBytes *m = vt_mail("deep", "outer.zip", g_bytes_get_data(z3, NULL), g_bytes_get_size(z3));
	gboolean done;
	es_scan *s = run("max_recursion = 2", m, &done, NULL);
	es_finding *f = vt_finding(s, "limits");

	ok(done && f && g_str_has_prefix(f->rule, "Heuristics.Limits.Exceeded.MaxRecursion"),
	   "max_recursion exceeded: limits finding %s", f ? f->rule : "(none)");
	es_scan_free(s);
	s = run("max_recursion = 2\nheuristic_limits = no", m, &done, NULL);
	ok(done && !vt_finding(s, "limits") && !s->virus,
	   "heuristic_limits = no: the part too deep passes unscanned");
	es_scan_free(s);
	g_bytes_unref(m);
	char *pad = g_strnfill(8192, 'x');
	m = vt_mail("big", "big.txt", pad, 8192);
	s = run("max_filesize = 1K", m, &done, NULL);
	f = vt_finding(s, "limits");
	ok(done && f && g_str_has_prefix(f->rule, "Heuristics.Limits.Exceeded.MaxFileSize"),
	   "max_filesize exceeded: limits finding %s", f ? f->rule : "(none)");
	es_scan_free(s);
	g_bytes_unref(m);
	g_free(pad);
	g_bytes_unref(z1);
	g_bytes_unref(z2);
	g_bytes_unref(z3);
}

/* parts_mail - a message with COUNT attachments of LEN bytes each, from DATA on */
static GBytes *parts_mail(const guint8 *data, gsize len, int count)
{
	GString *m = g_string_new("From: pupil@example.sch.uk\r\nTo: friend@example.org\r\n"
				  "Subject: photos\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: multipart/mixed; boundary=\"vt-b\"\r\n\r\n");

	for (int i = 0; i < count; i++) {
		char *b64 = g_base64_encode(data + i * len, len);

		g_string_append_printf(m, "--vt-b\r\nContent-Type: application/octet-stream\r\n"
				       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", b64);
		g_free(b64);
	}
	g_string_append(m, "--vt-b--\r\n");
	return g_string_free_to_bytes(m);
}

/* expect_timeout - RAW scanned under EXTRA fails with a timeout */
static void expect_timeout(const char *what, const char *extra, GBytes *raw)
{
	GError *err = NULL;
	gboolean done;
	es_scan *s = run(extra, raw, &done, &err);

	ok(!done && g_error_matches(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_TIMEOUT),
	   "%s: check fails with a timeout (%s)", what, err ? err->message : "no error");
	g_clear_error(&err);
	es_scan_free(s);
}

/* test_timeout - a scan past max_scantime fails (on_scan_error applies),
 * whether one part takes too long or many parts together do */
static void test_timeout(void)
{
	gsize n = 32 * 1024 * 1024;
	guint32 *noise = g_malloc(n);
	GRand *r = g_rand_new_with_seed(6);
	GBytes *m;

	for (gsize i = 0; i < n / 4; i++)
		noise[i] = g_rand_int(r);
	m = vt_mail("big", "noise.bin", noise, n / 2);
	expect_timeout("one part past max_scantime", "max_scantime = 100ms", m);
	expect_timeout("the same with heuristic_limits = no",
		       "max_scantime = 100ms\nheuristic_limits = no", m);
	g_bytes_unref(m);
	/* distinct parts: libclamav's cache would make repeats free */
	m = parts_mail((const guint8 *)noise, n / 32, 32);
	expect_timeout("32 parts of 1 MiB, together past max_scantime", "max_scantime = 100ms", m);
	g_bytes_unref(m);
	g_rand_free(r);
	g_free(noise);
}

/* test_image_hash - es-test.ldb holds the fuzzy hash of png_image's picture:
 * it matches the picture attached, encoded otherwise (so the hash is of the
 * picture, not the bytes), and inside a zip; with image_fuzzy_hash = no it
 * never matches. */
static void test_image_hash(void)
{
	GBytes *png = png_image(9), *png1 = png_image(1);
	GBytes *zip = vt_zip("logo.png", g_bytes_get_data(png, NULL), g_bytes_get_size(png), NULL);
	GBytes *m = vt_mail("our logo", "logo.png", g_bytes_get_data(png, NULL), g_bytes_get_size(png));
	GBytes *m1 = vt_mail("our logo", "logo.png", g_bytes_get_data(png1, NULL), g_bytes_get_size(png1));
	GBytes *mz = vt_mail("our logo", "logo.zip", g_bytes_get_data(zip, NULL), g_bytes_get_size(zip));

	ok(!g_bytes_equal(png, png1), "the picture encoded at two levels differs in its bytes");
	expect_flagged("the picture", NULL, m, "Es.Test.FuzzyImage", "2");
	expect_flagged("the picture deflated otherwise", NULL, m1, "Es.Test.FuzzyImage", "2");
	expect_flagged("the picture in a zip", NULL, mz, "Es.Test.FuzzyImage", "2");
	expect_passes("the picture, image_fuzzy_hash = no", "image_fuzzy_hash = no", m);
	expect_passes("the picture in a zip, image_fuzzy_hash = no", "image_fuzzy_hash = no", mz);
	g_bytes_unref(m);
	g_bytes_unref(m1);
	g_bytes_unref(mz);
	g_bytes_unref(zip);
	g_bytes_unref(png);
	g_bytes_unref(png1);
}

/* test_disabled - enabled = no: nothing scanned, nothing loaded */
static void test_disabled(void)
{
	GBytes *m = vt_mail(VT_EICAR, NULL, NULL, 0);
	gboolean done;
	es_scan *s = run("enabled = no", m, &done, NULL);

	ok(done && !s->virus && s->findings->len == 0, "enabled = no: EICAR passes unscanned");
	es_scan_free(s);
	g_bytes_unref(m);
}

int main(void)
{
	g_mime_init();
	tmp = vt_tmpdir();
	db = vt_fixture_db();
	test_db_missing();
	test_encrypted();
	test_macros();
	test_image_hash();
	test_phishing();
	test_exe_in_archive();
	test_tmpdir_gone_then_back();
	test_broken_exe();
	test_limits();
	test_timeout();
	test_disabled();
	vt_rm_rf(tmp);
	g_free(tmp);
	g_free(db);
	return done_testing();
}
