/* pii_bench.c - driver of tests/bench/pii-bench.sh: run the personal-data
 * scanner alone on texts and report its matches, or its speed beside a
 * memcpy baseline measured in the same run.
 *   pii_bench match RULESDIR [LOCALDIR]  < records separated by NUL bytes
 *       prints "RECORD TYPE START END CONFIDENCE" for every match
 *   pii_bench speed RULESDIR FILE...
 *       prints MB/s of the scanner and of memcpy over the files' bytes */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "pd_scan.h"

/* match_records - scan each NUL-separated record of stdin */
static int match_records(const pd_rules *r)
{
	GString *rec = g_string_new(NULL);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(pd_match));
	int ch, idx = 0;

	do {
		ch = getchar();
		if (ch != EOF && ch != '\0') {
			g_string_append_c(rec, (char)ch);
			continue;
		}
		if (ch == EOF && rec->len == 0)
			break;
		g_array_set_size(out, 0);
		pd_scan_text(r, rec->str, rec->len, out);
		for (guint i = 0; i < out->len; i++) {
			pd_match *m = &g_array_index(out, pd_match, i);

			printf("%d %s %zu %zu %d\n", idx, pd_type_names[m->type], m->start, m->end, m->confidence);
		}
		g_string_truncate(rec, 0);
		idx++;
	} while (ch != EOF);
	g_array_free(out, TRUE);
	g_string_free(rec, TRUE);
	return 0;
}

/* speed - the scanner and memcpy over the same bytes, best of several rounds */
static int speed(const pd_rules *r, int nfiles, char **files)
{
	GString *all = g_string_new(NULL);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(pd_match));
	double best_scan = 1e9, best_copy = 1e9, mb;
	char *copy;
	guint matches = 0;

	for (int i = 0; i < nfiles; i++) {
		char *text;
		gsize len;

		if (g_file_get_contents(files[i], &text, &len, NULL)) {
			g_string_append_len(all, text, (gssize)len);
			g_string_append_c(all, '\n');
			g_free(text);
		}
	}
	copy = g_malloc(all->len + 1);
	mb = all->len / 1e6;
	for (int round = 0; round < 5; round++) {
		gint64 t0 = g_get_monotonic_time();

		g_array_set_size(out, 0);
		pd_scan_text(r, all->str, all->len, out);
		matches = out->len;
		gint64 t1 = g_get_monotonic_time();
		for (int k = 0; k < 20; k++) {
			memcpy(copy, all->str, all->len);
			__asm__ volatile("" : : "r"(copy) : "memory");	/* keep the copy */
		}
		gint64 t2 = g_get_monotonic_time();
		best_scan = MIN(best_scan, (t1 - t0) / 1e6);
		best_copy = MIN(best_copy, (t2 - t1) / 20e6);
	}
	printf("bytes %zu files %d matches %u\n", all->len, nfiles, matches);
	printf("scanner_MBps %.1f\nmemcpy_MBps %.1f\nratio_scanner_to_memcpy %.5f\n",
	       mb / best_scan, mb / best_copy, best_copy / best_scan);
	g_free(copy);
	g_array_free(out, TRUE);
	g_string_free(all, TRUE);
	return 0;
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	pd_rules *r;
	int rc;

	if (argc < 3 || (strcmp(argv[1], "match") && strcmp(argv[1], "speed"))) {
		fprintf(stderr, "usage: pii_bench match RULESDIR [LOCALDIR] | speed RULESDIR FILE...\n");
		return 2;
	}
	if (!(r = pd_rules_load(argv[2], strcmp(argv[1], "match") == 0 && argc > 3 ? argv[3] : NULL, &err))) {
		fprintf(stderr, "pii_bench: %s\n", err->message);
		return 2;
	}
	rc = strcmp(argv[1], "match") == 0 ? match_records(r) : speed(r, argc - 3, argv + 3);
	pd_rules_free(r);
	return rc;
}
