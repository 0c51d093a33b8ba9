/* fuzz_html.c - libFuzzer target: HTML turned into text, all of it and as
 * shown (style sheets, colours, attribute selectors, var()), on hostile
 * markup; checks what mime.h promises of the two texts */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_common.h"
#include "mime.h"

/* LLVMFuzzerInitialize - nothing to load */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* check - abort (a crash libFuzzer reports) when a promise is broken */
static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "html: %s\n", what);
		abort();
	}
}

/* LLVMFuzzerTestOneInput - DATA as an HTML part */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *shown = NULL;
	char *text = es_html_texts((const char *)data, size, &shown);

	check(text != NULL, "no text");
	check(shown == NULL || strcmp(shown, text) != 0, "a text as shown that is the text itself");
	g_free(text);
	g_free(shown);
	return 0;
}
