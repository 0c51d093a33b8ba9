/* attachments_bench.c - attachments per second through es_extract_all and the
 * pupil-data detector, by file, beside a baseline that only copies and sums
 * the same bytes, measured in the same run. Usage: attachments_bench RULES SECONDS FILE... */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "scan.h"
#include "extract.h"
#include "detector.h"
#include "detectors/pupil_data.h"
#include "log.h"

extern const es_detector es_detector_pupil_data;

/* baseline - what any scan must do at least: copy the bytes in and read each once */
static void baseline(GBytes *b, guint64 *sink)
{
	gsize len;
	const guchar *d = g_bytes_get_data(b, &len);
	GBytes *copy = g_bytes_new(d, len);
	const guchar *c = g_bytes_get_data(copy, &len);

	for (gsize i = 0; i < len; i++)
		*sink += c[i];
	g_bytes_unref(copy);
}

/* extract - one attachment through extraction and the pupil-data detector */
static void extract(const es_conf *conf, pk_rules *rules, const char *name, GBytes *b)
{
	es_scan *s = es_scan_new(conf, "BENCH");

	es_scan_add_attachment(s, "2", name, "application/octet-stream", b, 1);
	es_extract_all(s);
	es_detector_pupil_data.check(rules, s, NULL);
	es_scan_free(s);
}

/* rate - runs per second of ONE over at least SECONDS */
static double rate(double seconds, void (*one)(void *), void *arg)
{
	gint64 t0 = g_get_monotonic_time(), t;
	long n = 0;

	do {
		one(arg);
		n++;
	} while ((t = g_get_monotonic_time()) - t0 < (gint64)(seconds * 1e6));
	return n / ((t - t0) / 1e6);
}

typedef struct { es_conf *conf; pk_rules *rules; const char *name; GBytes *b; guint64 sink; } job;

static void run_base(void *p) { job *j = p; baseline(j->b, &j->sink); }
static void run_extract(void *p) { job *j = p; extract(j->conf, j->rules, j->name, j->b); }

int main(int argc, char **argv)
{
	job j = { 0 };

	if (argc < 4) {
		fprintf(stderr, "usage: %s RULES_HEADERS SECONDS FILE...\n", argv[0]);
		return 2;
	}
	g_mime_init();
	es_log_open("attachments_bench", "mail", 1);
	es_log_set_level(LOG_ERR);	/* "encrypted" notices once per run would drown the table */
	j.conf = es_conf_new_defaults();
	if (!(j.rules = pk_rules_load(argv[1], NULL)))
		return 2;
	printf("%-24s %10s %14s %14s %10s\n", "file", "bytes", "baseline/s", "extract/s", "slowdown");
	for (int i = 3; i < argc; i++) {
		char *data;
		gsize len;
		double base, ext;

		if (!g_file_get_contents(argv[i], &data, &len, NULL))
			return 3;
		j.b = g_bytes_new_take(data, len);
		j.name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		base = rate(atof(argv[2]), run_base, &j);
		ext = rate(atof(argv[2]), run_extract, &j);
		printf("%-24s %10zu %14.0f %14.1f %9.0fx\n", j.name, len, base, ext, base / ext);
		g_bytes_unref(j.b);
	}
	pk_rules_free(j.rules);
	es_conf_unref(j.conf);
	return 0;
}
