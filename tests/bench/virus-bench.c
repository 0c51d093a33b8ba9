/* virus-bench.c - what in-process virus scanning costs: time per message on
 * a corpus with the virus detector against the same parse with scanning off,
 * and resident memory of one engine and of old + new during a reload */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include "conf.h"
#include "scan.h"
#include "mime.h"
#include "detector.h"
#include "clamav_engine.h"

extern const es_detector es_detector_virus;

/* rss_kb - a line of /proc/self/status ("VmRSS:", "VmHWM:") in KiB */
static long rss_kb(const char *field)
{
	char *text = NULL, *p;
	long kb = -1;

	if (g_file_get_contents("/proc/self/status", &text, NULL, NULL) && (p = strstr(text, field)))
		kb = strtol(p + strlen(field), NULL, 10);
	g_free(text);
	return kb;
}

/* load_corpus - every *.eml in DIR, read into memory */
static GPtrArray *load_corpus(const char *dir)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;

	while (d && (n = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, n, NULL), *data;
		gsize len;

		if (g_str_has_suffix(n, ".eml") && g_file_get_contents(path, &data, &len, NULL))
			g_ptr_array_add(msgs, g_bytes_new_take(data, len));
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	return msgs;
}

static gboolean parts_only;

/* run_pass - parse (and with STATE, virus-scan) every message ROUNDS times;
 * seconds taken, *found = infected messages in one round */
static double run_pass(const es_conf *conf, void *state, GPtrArray *msgs, int rounds, int *found)
{
	gint64 t0 = g_get_monotonic_time();

	*found = 0;
	for (int r = 0; r < rounds; r++)
		for (guint i = 0; i < msgs->len; i++) {
			es_scan *s = es_scan_new(conf, "BENCH");
			GError *err = NULL;

			s->raw = g_bytes_ref(g_ptr_array_index(msgs, i));
			es_mime_parse(s);
			if (parts_only)	/* what scanning the decoded parts alone would cost */
				g_clear_pointer(&s->raw, g_bytes_unref);
			if (state && !es_detector_virus.check(state, s, &err))
				fprintf(stderr, "scan error: %s\n", err->message);
			if (r == 0 && s->virus)
				(*found)++;
			g_clear_error(&err);
			es_scan_free(s);
		}
	return (g_get_monotonic_time() - t0) / 1e6;
}

static volatile gint reloading;

/* reloader - one reload of the shared engine, as SIGHUP or the watcher does */
static gpointer reloader(gpointer data)
{
	es_clamav_reload(data, NULL);
	g_atomic_int_set(&reloading, 0);
	return NULL;
}

/* measure_reload - peak RSS sampled while a reload compiles the new engine
 * beside the old one (which a scan holds, as in production) */
static void measure_reload(void)
{
	es_clamav *h = es_clamav_get();
	es_clamav_engine *held = es_clamav_acquire(h);
	long before = rss_kb("VmRSS:"), peak = before;
	GThread *t;

	g_atomic_int_set(&reloading, 1);
	t = g_thread_new("reload", reloader, h);
	while (g_atomic_int_get(&reloading)) {
		long now = rss_kb("VmRSS:");

		peak = MAX(peak, now);
		g_usleep(2000);
	}
	g_thread_join(t);
	peak = MAX(peak, rss_kb("VmRSS:"));
	es_clamav_release(held);	/* the last scan on the old engine ends */
	printf("rss_reload_peak_kb %ld\nrss_after_old_freed_kb %ld\nlive_engines_after %u\n",
	       peak, rss_kb("VmRSS:"), es_clamav_live_engines());
	es_clamav_close(h);
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[3]) : 3, found_off, found_on;
	char *conf_path, *text, *tmp;
	GError *err = NULL;
	es_conf *conf;
	void *state;
	GPtrArray *msgs;
	long rss0, rss1;
	double off, on;

	if (argc < 3) {
		fprintf(stderr, "usage: virus-bench DBDIR CORPUSDIR [ROUNDS [CLAMAV_TMPDIR]]\n");
		return 2;
	}
	g_mime_init();
	msgs = load_corpus(argv[2]);
	tmp = g_dir_make_tmp("es-vbench-XXXXXX", NULL);
	conf_path = g_build_filename(tmp, "bench.conf", NULL);
	text = g_strdup_printf("[clamav]\ndatabase = %s\ncheck_interval = 0\ntmpdir = %s\n", argv[1],
			       argc > 4 ? argv[4] : "");
	g_file_set_contents(conf_path, text, -1, NULL);
	if (!(conf = es_conf_load(conf_path, &err))) {
		fprintf(stderr, "%s\n", err->message);
		return 2;
	}
	rss0 = rss_kb("VmRSS:");
	if (!(state = es_detector_virus.load(conf, &err))) {
		fprintf(stderr, "%s\n", err->message);
		return 2;
	}
	rss1 = rss_kb("VmRSS:");
	printf("libclamav %s\nmessages %u\nrounds %d\nclamav_tmpdir %s\n", es_clamav_version(),
	       msgs->len, rounds, argc > 4 ? argv[4] : "(default)");
	printf("rss_before_engine_kb %ld\nrss_one_engine_kb %ld\nengine_kb %ld\n", rss0, rss1, rss1 - rss0);
	run_pass(conf, NULL, msgs, 1, &found_off);	/* warm the page cache and GMime */
	off = run_pass(conf, NULL, msgs, rounds, &found_off);
	on = run_pass(conf, state, msgs, rounds, &found_on);
	printf("parse_only_ms_per_msg %.3f\nparse_and_virus_ms_per_msg %.3f\n",
	       off * 1000 / (msgs->len * rounds), on * 1000 / (msgs->len * rounds));
	printf("virus_scan_ms_per_msg %.3f\nratio_with_scan %.2f\ninfected %d\n",
	       (on - off) * 1000 / (msgs->len * rounds), on / off, found_on);
	parts_only = TRUE;
	on = run_pass(conf, state, msgs, rounds, &found_on);
	printf("parts_only_virus_ms_per_msg %.3f\nparts_only_infected %d\n",
	       (on - off) * 1000 / (msgs->len * rounds), found_on);
	measure_reload();
	es_detector_virus.unload(state);
	es_conf_unref(conf);
	g_unlink(conf_path);
	g_rmdir(tmp);
	g_free(conf_path);
	g_free(text);
	g_free(tmp);
	g_ptr_array_unref(msgs);
	return 0;
}
