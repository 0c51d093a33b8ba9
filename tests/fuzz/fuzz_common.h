/* fuzz_common.h - shared set-up for the libFuzzer targets: a test config
 * and a loaded engine built once per process from the source tree */
#ifndef ES_FUZZ_COMMON_H
#define ES_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include "engine.h"

/* The libFuzzer entry points every target defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* es_fuzz_srcdir - the source tree: $top_srcdir, else the configured one */
const char *es_fuzz_srcdir(void);
/* es_fuzz_engine - the engine for the test school (loaded on first call;
 * WITH_VIRUS: libclamav with the test signatures); exits if it cannot load,
 * because a fuzzer without its engine would test nothing */
es_engine *es_fuzz_engine(gboolean with_virus);
#endif
