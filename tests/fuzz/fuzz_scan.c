/* fuzz_scan.c - libFuzzer target: the whole pipeline (route, parse,
 * extract, every detector, policy) on one raw message, as esafety-scan runs it */
#include "config.h"
#include "fuzz_common.h"
#include "policy.h"

/* LLVMFuzzerInitialize - load the engine (with the test virus signatures) once */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	es_fuzz_engine(TRUE);
	return 0;
}

/* LLVMFuzzerTestOneInput - DATA as a message from a pupil to a pupil */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	es_engine *e = es_fuzz_engine(TRUE);
	es_scan *s = es_scan_new(es_engine_conf(e), "FUZZ0001");
	es_verdict v = { 0 };

	s->raw = g_bytes_new(data, size);
	g_free(s->sender);
	s->sender = g_strdup("tom@pupils.school.example");
	g_ptr_array_add(s->rcpts, g_strdup("amy@pupils.school.example"));
	es_engine_run(e, s, NULL, &v);
	es_verdict_clear(&v);
	es_scan_free(s);
	return 0;
}
