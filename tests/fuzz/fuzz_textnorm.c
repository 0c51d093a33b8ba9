/* fuzz_textnorm.c - libFuzzer target: the text normaliser with every flag
 * combination; checks the promises of textnorm.h on its output, and that
 * plain words taken sixteen bytes at a time come out as one at a time */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"
#include "textnorm.h"

static es_textnorm tn, slow;

/* LLVMFuzzerInitialize - nothing to load */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	es_textnorm_init(&tn);
	es_textnorm_init(&slow);
	return 0;
}

/* check - abort (a crash libFuzzer reports) when a promise is broken */
static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "textnorm: %s\n", what);
		abort();
	}
}

/* LLVMFuzzerTestOneInput - first byte: flags; the rest: the text */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in;
	gsize len, start, end;
	guint flags;

	if (size < 1)
		return 0;
	flags = data[0] & (ES_TN_LEET | ES_TN_JOIN_LETTERS | ES_TN_SKIP_ADDRESSES);
	in = (const char *)data + 1;
	len = size - 1;
	es_textnorm_run(&tn, in, len, flags);	/* reused buffers, as the detectors do */
	check(tn.text[tn.len] == '\0', "output not NUL-terminated");
	check(tn.len == 0 || (tn.text[0] != ' ' && tn.text[tn.len - 1] != ' '), "leading or trailing space");
	check(strstr(tn.text, "  ") == NULL, "two spaces in a row");
	check(g_utf8_validate(tn.text, tn.len, NULL), "output not UTF-8");
	for (gsize i = 0; i < tn.len; i++) {
		check(tn.map[i] < len || len == 0, "map points outside the input");
		check(!g_ascii_isupper(tn.text[i]) || ((flags & ES_TN_LEET) &&
		      (tn.text[i] == ES_TN_LEET_1 || tn.text[i] == ES_TN_LEET_7)),
		      "upper case other than a leetspeak 1 or 7");
	}
	if (tn.len > 0) {
		es_textnorm_span(&tn, in, len, 0, tn.len, &start, &end);
		check(start <= end && end <= len, "span outside the input");
	}
	es_textnorm_run(&slow, in, len, flags | ES_TN_NO_BLOCKS);
	check(slow.len == tn.len && memcmp(slow.text, tn.text, tn.len) == 0, "blocks of plain words differ in text");
	check(memcmp(slow.map, tn.map, tn.len * sizeof(*tn.map)) == 0, "blocks of plain words differ in map");
	g_free(es_textnorm_string(in, len, flags));
	if (tn.rtl_override) {	/* the language detector then reads it as shown */
		gsize n;
		char *shown = es_textnorm_as_shown(in, len, &n);

		check(n <= len, "text as shown longer than the input");
		check(shown[n] == '\0', "text as shown not NUL-terminated");
		check(!g_utf8_validate(in, len, NULL) || g_utf8_validate(shown, n, NULL), "text as shown not UTF-8");
		g_free(shown);
	}
	return 0;
}
