/* fuzz_ukid.c - libFuzzer target: every UK identifier validator on the same
 * bytes, and a valid result only for the lengths each identifier can have */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_common.h"
#include "ukid.h"

/* LLVMFuzzerInitialize - nothing to load */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* LLVMFuzzerTestOneInput - DATA (not NUL-terminated, copied to a tight buffer) */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = g_memdup2(data, size);	/* exact size: ASan sees any over-read */

	if ((es_upn_valid(s, size) && size != 13) || (es_uln_valid(s, size) && size != 10) ||
	    (es_nhs_valid(s, size) && size != 10) || (es_nino_valid(s, size) && size != 8 && size != 9)) {
		fprintf(stderr, "ukid: valid with impossible length %zu\n", size);
		abort();
	}
	if (es_card_valid(s, size) && !es_luhn_valid(s, size)) {
		fprintf(stderr, "ukid: card valid but Luhn fails\n");
		abort();
	}
	(void)es_iban_valid(s, size);
	g_free(s);
	return 0;
}
