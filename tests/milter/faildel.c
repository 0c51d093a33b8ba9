/* faildel.c - a fault for tests, loaded with LD_PRELOAD into the real
 * esafety-milter: smfi_delrcpt fails for any recipient containing "faildel"
 * and is libmilter's own for the rest, so the milter's path for a held
 * message whose recipient cannot be removed runs against the real library
 * (miltertest has no way to make a removal fail). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <libmilter/mfapi.h>

int smfi_delrcpt(SMFICTX *ctx, char *rcpt)
{
	int (*real)(SMFICTX *, char *);

	if (rcpt && strstr(rcpt, "faildel"))
		return MI_FAILURE;
	*(void **)&real = dlsym(RTLD_NEXT, "smfi_delrcpt");
	return real ? real(ctx, rcpt) : MI_FAILURE;
}
