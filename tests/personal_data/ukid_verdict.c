/* ukid_verdict.c - for the oracle test: read "TYPE VALUE" lines on stdin,
 * print 1 (valid) or 0 for each, by the checks in ukid.c */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "ukid.h"

/* verdict - the ukid.c check for TYPE on VALUE; -1 for an unknown type */
static int verdict(const char *type, const char *v)
{
	size_t n = strlen(v);

	if (!strcmp(type, "upn"))
		return es_upn_valid(v, n);
	if (!strcmp(type, "uln"))
		return es_uln_valid(v, n);
	if (!strcmp(type, "nhs"))
		return es_nhs_valid(v, n);
	if (!strcmp(type, "nino"))
		return es_nino_valid(v, n);
	if (!strcmp(type, "luhn"))
		return es_luhn_valid(v, n);
	if (!strcmp(type, "iban"))
		return es_iban_valid(v, n);
	return -1;
}

int main(void)
{
	char line[256], type[16], value[200];

	while (fgets(line, sizeof(line), stdin)) {
		value[0] = '\0';
		if (sscanf(line, "%15s %199s", type, value) < 1)
			continue;
		printf("%d\n", verdict(type, value));
	}
	return 0;
}
