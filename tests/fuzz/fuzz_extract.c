/* fuzz_extract.c - libFuzzer target: es_extract_all on one attachment of
 * fuzzed bytes. Built once per format: FUZZ_CTYPE, FUZZ_NAME and FUZZ_MAGIC
 * (the leading bytes the extractor is chosen by, put back when a mutation
 * removed them, so the fuzzer spends its time inside that extractor). */
#include "config.h"
#include "fuzz_common.h"
#include "extract.h"

/* LLVMFuzzerInitialize - the engine gives the config and its limits */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	es_fuzz_engine(FALSE);
	return 0;
}

/* LLVMFuzzerTestOneInput - DATA as attachment "2" of FUZZ_CTYPE */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char magic[] = FUZZ_MAGIC;
	gsize mlen = sizeof(magic) - 1;
	es_scan *s = es_scan_new(es_engine_conf(es_fuzz_engine(FALSE)), "FUZZ0001");
	GBytes *b;

	if (mlen && (size < mlen || memcmp(data, magic, mlen) != 0)) {
		GByteArray *a = g_byte_array_sized_new(size + mlen);

		g_byte_array_append(a, (const guint8 *)magic, mlen);
		g_byte_array_append(a, data, size);
		b = g_byte_array_free_to_bytes(a);
	} else {
		b = g_bytes_new(data, size);
	}
	es_scan_add_attachment(s, "2", FUZZ_NAME, FUZZ_CTYPE, b, 1);
	g_bytes_unref(b);
	es_extract_all(s);
	es_scan_free(s);
	return 0;
}
