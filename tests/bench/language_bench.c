/* language_bench.c - drive the language detector alone for the benchmark
 * script: label files, word lists, and speed against a memcpy baseline */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include "conf.h"
#include "scan.h"
#include "detector.h"

extern const es_detector es_detector_language;

/* load_conf - a config whose rules_dir is RULES and with no local rules;
 * MIN_SEVERITY, when set, is [language] min_severity (the script measures
 * each setting a school might choose) */
static es_conf *load_conf(const char *rules, const char *min_severity)
{
	GError *err = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("lang-bench-XXXXXX.conf", &path, &err);
	char *text = g_strdup_printf("[milter]\nrules_dir = %s\nlocal_rules_dir = /nonexistent\n"
				     "[language]\nmin_severity = %s\n", rules,
				     min_severity && *min_severity ? min_severity : "1");
	es_conf *conf;

	if (fd < 0 || !g_file_set_contents(path, text, -1, &err)) {
		fprintf(stderr, "language-bench: %s\n", err->message);
		exit(2);
	}
	close(fd);
	conf = es_conf_load(path, &err);
	g_unlink(path);
	g_free(path);
	g_free(text);
	if (!conf) {
		fprintf(stderr, "language-bench: %s\n", err->message);
		exit(2);
	}
	return conf;
}

/* scan_one - findings for TEXT as "category:rule;..." (g_free), NULL if none */
static char *scan_one(es_conf *conf, void *state, const char *text, gsize len)
{
	es_scan *s = es_scan_new(conf, "bench");
	GString *out = g_string_new(NULL);
	GError *err = NULL;

	es_scan_add_text(s, "1", "body", text, (gssize)len, FALSE);
	if (!es_detector_language.check(state, s, &err)) {
		fprintf(stderr, "language-bench: %s\n", err ? err->message : "check failed");
		exit(1);
	}
	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		g_string_append_printf(out, "%s%s[%s]", out->len ? ";" : "", f->rule, f->excerpt);
	}
	es_scan_free(s);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* cmd_lines - every line of FILE (or "-") is one text: print FLAGGED<TAB>LINE<TAB>FINDINGS */
static void cmd_lines(es_conf *conf, void *state, const char *file)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		perror(file);
		exit(2);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		char *found;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		found = scan_one(conf, state, line, (gsize)n);
		printf("%d\t%s\t%s\n", found != NULL, line, found ? found : "");
		g_free(found);
	}
	free(line);
	if (f != stdin)
		fclose(f);
}

/* cpu_us - CPU time of this thread: the machine may be shared, and the
 * figure wanted is per core, so wall-clock time would mislead */
static gint64 cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* cmd_speed - scan FILE REPEAT times; print MB/s (per core: CPU time) for the detector and for memcpy */
static void cmd_speed(es_conf *conf, void *state, const char *file, int repeat)
{
	char *text, *copy;
	gsize len;
	GError *err = NULL;
	gint64 t0, t1;
	double det, cpy;
	es_scan *s;

	if (!g_file_get_contents(file, &text, &len, &err)) {
		fprintf(stderr, "language-bench: %s\n", err->message);
		exit(2);
	}
	s = es_scan_new(conf, "bench");
	s->limits.max_text = (gint64)len + 1;
	s->limits.deadline_us = G_MAXINT64;
	es_scan_add_text(s, "1", "body", text, (gssize)len, FALSE);
	t0 = cpu_us();
	for (int r = 0; r < repeat; r++)
		es_detector_language.check(state, s, &err);
	t1 = cpu_us();
	det = (double)len * repeat / (double)(t1 - t0);
	copy = g_malloc(len);
	t0 = cpu_us();
	for (int r = 0; r < repeat * 20; r++) {
		memcpy(copy, text, len);
		__asm__ volatile("" : : "r"(copy) : "memory");
	}
	t1 = cpu_us();
	cpy = (double)len * repeat * 20 / (double)(t1 - t0);
	printf("bytes %zu repeat %d findings %u\n", (size_t)len, repeat, s->findings->len);
	printf("language_MBps %.1f\nmemcpy_MBps %.1f\nratio %.4f\n", det, cpy, det / cpy);
	es_scan_free(s);
	g_free(copy);
	g_free(text);
}

/* main - language-bench RULES_DIR lines FILE | speed FILE REPEAT;
 * environment LANGUAGE_BENCH_MIN_SEVERITY sets [language] min_severity */
int main(int argc, char **argv)
{
	es_conf *conf;
	void *state;
	GError *err = NULL;

	if (argc < 4) {
		fprintf(stderr, "usage: language-bench RULES_DIR lines FILE|-\n"
			"       language-bench RULES_DIR speed FILE REPEAT\n");
		return 2;
	}
	conf = load_conf(argv[1], g_getenv("LANGUAGE_BENCH_MIN_SEVERITY"));
	state = es_detector_language.load(conf, &err);
	if (!state) {
		fprintf(stderr, "language-bench: %s\n", err->message);
		return 2;
	}
	if (strcmp(argv[2], "lines") == 0)
		cmd_lines(conf, state, argv[3]);
	else if (strcmp(argv[2], "speed") == 0 && argc > 4)
		cmd_speed(conf, state, argv[3], atoi(argv[4]));
	else
		return 2;
	es_detector_language.unload(state);
	es_conf_unref(conf);
	return 0;
}
