/* virus_heur_t.c - the virus detector's switches and bad input: a missing
 * database at start, running without AV, encrypted archives, executables
 * in archives, broken executables, limits exceeded, a scan that times out,
 * scanning off */
#include "config.h"
#include <stdio.h>
#include "../lib/tap.h"
#include "../virus/virus_test.h"
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
	s = run("heuristic_exe_in_archive = no", m, &done, NULL);
	ok(done && !s->virus, "heuristic_exe_in_archive = no: passes");
	es_scan_free(s);
	g_bytes_unref(m);
	g_bytes_unref(z);
	g_bytes_unref(exe);
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

/* test_timeout - a scan past max_scantime fails (on_scan_error applies) */
static void test_timeout(void)
{
	gsize n = 16 * 1024 * 1024;
	guint32 *noise = g_malloc(n);
	GRand *r = g_rand_new_with_seed(6);
	GBytes *m;
	GError *err = NULL;
	gboolean done;
	es_scan *s;

	for (gsize i = 0; i < n / 4; i++)
		noise[i] = g_rand_int(r);
	m = vt_mail("big", "noise.bin", noise, n);
	s = run("max_scantime = 100ms", m, &done, &err);
	ok(!done && g_error_matches(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_TIMEOUT),
	   "scan past max_scantime: check fails with a timeout (%s)", err ? err->message : "no error");
	g_clear_error(&err);
	es_scan_free(s);
	s = run("max_scantime = 100ms\nheuristic_limits = no", m, &done, &err);
	ok(!done && g_error_matches(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_TIMEOUT),
	   "the same with heuristic_limits = no");
	g_clear_error(&err);
	es_scan_free(s);
	g_bytes_unref(m);
	g_rand_free(r);
	g_free(noise);
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
	test_exe_in_archive();
	test_broken_exe();
	test_limits();
	test_timeout();
	test_disabled();
	vt_rm_rf(tmp);
	g_free(tmp);
	g_free(db);
	return done_testing();
}
