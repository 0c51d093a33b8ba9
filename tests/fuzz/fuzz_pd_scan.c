/* fuzz_pd_scan.c - libFuzzer target: the personal-data scanner on a text with
 * the shipped rules; matches must be in order, inside the text, not nested */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_common.h"
#include "detectors/pd_scan.h"

static pd_rules *rules;

/* LLVMFuzzerInitialize - the shipped personal-data rules from the source tree */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	GError *err = NULL;
	char *dir = g_build_filename(es_fuzz_srcdir(), "rules", NULL);

	rules = pd_rules_load(dir, "/nonexistent", &err);
	if (!rules) {
		fprintf(stderr, "fuzz: personal-data rules: %s\n", err ? err->message : "?");
		exit(1);
	}
	g_free(dir);
	return 0;
}

/* LLVMFuzzerTestOneInput - DATA as the text (NUL-terminated copy, as es_text is) */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = g_malloc(size + 1);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(pd_match));
	gsize prev_end = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	pd_scan_text(rules, text, size, out);
	for (guint i = 0; i < out->len; i++) {
		pd_match *m = &g_array_index(out, pd_match, i);

		if (m->start >= m->end || m->end > size || m->start < prev_end || m->type >= PD_N_TYPES) {
			fprintf(stderr, "pd_scan: bad match %u [%zu,%zu) after %zu\n", i, m->start, m->end, prev_end);
			abort();
		}
		prev_end = m->end;
		g_free(pd_normalise(text, m));
	}
	g_array_unref(out);
	g_free(text);
	return 0;
}
