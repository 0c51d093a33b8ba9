/* actions.h - what happens at the end of a message */
#ifndef ES_ACTIONS_H
#define ES_ACTIONS_H

#include <libmilter/mfapi.h>
#include "callbacks.h"

/* es_milter_decide - scan message M from CLIENT and carry out the verdict;
 * the return value is the libmilter status for end of message */
sfsistat es_milter_decide(SMFICTX *ctx, const char *client, es_mctx *m);

#endif
