/* mktoken.c - print a release token for a quarantine id, as the UI makes
 * them, so the milter's side of releasing can be tested on its own.
 * Usage: mktoken KEYFILE ID TTL_SECONDS */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "quarantine.h"

int main(int argc, char **argv)
{
	GError *err = NULL;
	GBytes *key;
	char *token;

	if (argc != 4) {
		fprintf(stderr, "usage: mktoken KEYFILE ID TTL_SECONDS\n");
		return 2;
	}
	if (!(key = es_hmac_key_load(argv[1], &err))) {
		fprintf(stderr, "mktoken: %s\n", err->message);
		return 1;
	}
	token = es_release_token(argv[2], atoll(argv[3]), key);
	printf("%s\n", token);
	g_free(token);
	g_bytes_unref(key);
	return 0;
}
