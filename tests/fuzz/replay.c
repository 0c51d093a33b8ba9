/* replay.c - main() for the fuzz targets in a build without libFuzzer: runs
 * the target once on each file named, so seeds and regressions are replayed
 * by make check in every build (and under --enable-sanitizers) */
#include "config.h"
#include <stdio.h>
#include "fuzz_common.h"

/* main - each argument is one input; exit 1 if one cannot be read */
int main(int argc, char **argv)
{
	int status = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		char *data = NULL;
		gsize len = 0;

		if (!g_file_get_contents(argv[i], &data, &len, NULL)) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			status = 1;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		g_free(data);
	}
	printf("replayed %d input(s)\n", argc - 1);
	return status;
}
