/* virus_reload_t.c - reload under load: threads scan without pause while
 * the database directory is replaced twice (the watcher notices), then
 * corrupted; every scan gets a verdict, new signatures go live, the old
 * engine stays on a bad reload, and no more than two engines ever exist */
#include "config.h"
#include <stdio.h>
#include "../lib/tap.h"
#include "../virus/virus_test.h"
#include "clamav_engine.h"

#define SCANNERS 2

static es_conf *conf;
static void *state;
static GBytes *eicar_mail;
static gint stop, scans, failures, misses, max_live;

/* scanner - scan the EICAR message until told to stop; count what went wrong */
static gpointer scanner(gpointer data)
{
	(void)data;
	while (!g_atomic_int_get(&stop)) {
		GError *err = NULL;
		gboolean done;
		es_scan *s = vt_check(state, conf, eicar_mail, &done, &err);
		gint live = es_clamav_live_engines();

		if (!done)
			g_atomic_int_inc(&failures);
		else if (!s->virus || !g_str_has_prefix(s->virus, "Es.Test.EICAR"))
			g_atomic_int_inc(&misses);
		g_atomic_int_inc(&scans);
		while (live > g_atomic_int_get(&max_live))
			g_atomic_int_set(&max_live, live);
		g_clear_error(&err);
		es_scan_free(s);
	}
	return NULL;
}

/* write_db - replace DIR's signatures with EICAR plus marker N (as freshclam
 * does: write a temporary file, rename it over the old one) */
static void write_db(const char *dir, int n, gboolean corrupt)
{
	char *mark = g_strdup_printf("ESAFETY-RELOAD-MARKER-%d", n);
	char *hex = g_malloc0(2 * strlen(mark) + 1);
	char *text, *path = g_build_filename(dir, "es-test.ndb", NULL), *tmp;

	for (gsize i = 0; mark[i]; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned char)mark[i]);
	text = g_strdup_printf("Es.Test.EICAR:0:*:%s\nEs.Test.Marker%d:0:*:%s\n%s",
			       "58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a",
			       n, hex, corrupt ? "Es.Test.Broken:0:*:zz-not-hex\n" : "");
	tmp = g_strconcat(dir, "/.es-test.ndb.tmp", NULL);
	g_file_set_contents(tmp, text, -1, NULL);
	g_rename(tmp, path);
	g_free(tmp);
	g_free(text);
	g_free(path);
	g_free(hex);
	g_free(mark);
}

/* detects - does a mail with marker N get flagged now? */
static gboolean detects(int n)
{
	char *body = g_strdup_printf("hello ESAFETY-RELOAD-MARKER-%d", n);
	GBytes *m = vt_mail(body, NULL, NULL, 0);
	gboolean done;
	char name[32];
	es_scan *s = vt_check(state, conf, m, &done, NULL);
	gboolean hit;

	g_snprintf(name, sizeof(name), "Es.Test.Marker%d", n);
	hit = done && s->virus && g_str_has_prefix(s->virus, name);
	es_scan_free(s);
	g_bytes_unref(m);
	g_free(body);
	return hit;
}

/* wait_generation - wait (up to 30 s) for the watcher to swap past GEN */
static gboolean wait_generation(es_clamav *h, guint gen)
{
	for (int i = 0; i < 300; i++) {
		if (es_clamav_generation(h) > gen)
			return TRUE;
		g_usleep(100000);
	}
	return FALSE;
}

/* under_load - start the scanners, run SWAP, stop them, report */
static void under_load(const char *what, void (*swap)(es_clamav *, const char *), es_clamav *h,
		       const char *dir, gint want_live)
{
	GThread *t[SCANNERS];

	g_atomic_int_set(&stop, 0);
	scans = failures = misses = max_live = 0;
	for (int i = 0; i < SCANNERS; i++)
		t[i] = g_thread_new("scanner", scanner, NULL);
	swap(h, dir);
	g_atomic_int_set(&stop, 1);
	for (int i = 0; i < SCANNERS; i++)
		g_thread_join(t[i]);
	diag("%s: %d scans during the reloads", what, scans);
	ok(scans > 0 && failures == 0, "%s: every scan got a verdict (%d failed)", what, failures);
	ok(misses == 0, "%s: EICAR found in every scan (%d missed)", what, misses);
	ok(max_live <= want_live, "%s: at most %d engine(s) alive (saw %d)", what, want_live, max_live);
}

/* swap_twice - the watcher sees the directory replaced twice */
static void swap_twice(es_clamav *h, const char *dir)
{
	guint gen = es_clamav_generation(h);

	write_db(dir, 2, FALSE);
	ok(wait_generation(h, gen), "first swap: the watcher reloaded");
	ok(detects(2) && !detects(1), "first swap: marker 2 live, marker 1 gone");
	gen = es_clamav_generation(h);
	write_db(dir, 3, FALSE);
	ok(wait_generation(h, gen), "second swap: the watcher reloaded");
	ok(detects(3) && !detects(2), "second swap: marker 3 live, marker 2 gone");
}

/* swap_corrupt - a corrupt database: reload fails, the old engine stays */
static void swap_corrupt(es_clamav *h, const char *dir)
{
	guint gen = es_clamav_generation(h);
	GError *err = NULL;

	gboolean reloaded;

	write_db(dir, 4, TRUE);
	reloaded = es_clamav_reload(h, &err);
	ok(!reloaded && g_error_matches(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_LOAD),
	   "corrupt database: reload fails (%s)", err ? err->message : "no error");
	g_clear_error(&err);
	g_usleep(500000);	/* the watcher tries too, and fails the same way */
	ok(es_clamav_generation(h) == gen && detects(3) && !detects(4),
	   "corrupt database: the old engine (marker 3) is still the one scanning");
	write_db(dir, 5, FALSE);
	ok(wait_generation(h, gen) && detects(5), "a good database after it goes live");
}

/* swap_sighup - SIGHUP path: load the detector again while scanning */
static void swap_sighup(es_clamav *h, const char *dir)
{
	guint gen = es_clamav_generation(h);
	GError *err = NULL;
	void *again;

	write_db(dir, 6, FALSE);
	again = es_detector_virus.load(conf, &err);
	ok(again && es_clamav_generation(h) > gen && detects(6),
	   "loading the detector again (SIGHUP) reloads at once");
	es_detector_virus.unload(again);
	gen = es_clamav_generation(h);
	ok(es_clamav_reload(h, NULL) && es_clamav_generation(h) > gen, "and again");
}

/* unchanged_no_reload - with many files in the directory, ten checks of
 * an unchanged database reload nothing (the directory stamp is stable) */
static void unchanged_no_reload(es_clamav *h, const char *dir)
{
	guint gen = es_clamav_generation(h);
	char *path;

	for (int i = 0; i < 12; i++) {
		path = g_strdup_printf("%s/notes-%02d.txt", dir, i);
		g_file_set_contents(path, "not a signature file\n", -1, NULL);
		g_free(path);
	}
	ok(wait_generation(h, gen), "new files in the database directory: reloaded");
	gen = es_clamav_generation(h);
	g_usleep(1000 * 1000);
	ok(es_clamav_generation(h) == gen, "unchanged for ten checks: no further reload (%u swaps)",
	   es_clamav_generation(h) - gen);
	gen = es_clamav_generation(h);
	for (int i = 0; i < 12; i++) {
		path = g_strdup_printf("%s/notes-%02d.txt", dir, i);
		g_unlink(path);
		g_free(path);
	}
	ok(wait_generation(h, gen), "files removed: reloaded");
}

int main(void)
{
	char *tmp = vt_tmpdir(), *dir = g_build_filename(tmp, "db", NULL);
	GError *err = NULL;
	es_clamav *h;

	g_mime_init();
	g_mkdir(dir, 0700);
	write_db(dir, 1, FALSE);
	eicar_mail = vt_mail("hi", "eicar.com", VT_EICAR, strlen(VT_EICAR));
	conf = vt_conf(tmp, dir, "check_interval = 100ms");
	state = es_detector_virus.load(conf, &err);
	if (!ok(state != NULL, "detector loads"))
		return done_testing();
	/* the same process-wide holder the detector uses, to watch it */
	h = es_clamav_get();
	ok(detects(1), "marker 1 detected before any swap");
	unchanged_no_reload(h, dir);
	under_load("concurrent reload", swap_twice, h, dir, 2);
	under_load("corrupt database", swap_corrupt, h, dir, 2);
	es_clamav_close(h);

	es_detector_virus.unload(state);
	es_conf_unref(conf);
	conf = vt_conf(tmp, dir, "check_interval = 100ms\nconcurrent_reload = no");
	state = es_detector_virus.load(conf, &err);
	h = es_clamav_get();
	under_load("concurrent_reload = no", swap_sighup, h, dir, 1);
	es_clamav_close(h);

	es_detector_virus.unload(state);
	es_conf_unref(conf);
	g_bytes_unref(eicar_mail);
	vt_rm_rf(dir);
	vt_rm_rf(tmp);
	g_free(dir);
	g_free(tmp);
	return done_testing();
}
