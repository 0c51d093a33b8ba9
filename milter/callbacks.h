/* callbacks.h - the libmilter callbacks and the two contexts they keep */
#ifndef ES_CALLBACKS_H
#define ES_CALLBACKS_H

#include <glib.h>
#include <libmilter/mfapi.h>
#include "msgbuf.h"

/* One message (MAIL FROM to end of message or abort). */
typedef struct {
	es_msgbuf *buf;
	char *sender;
	GPtrArray *rcpts;		/* char *, without <> */
	char *auth_user;
	char *qid;
	GPtrArray *forged;		/* X-ESafety-* headers that came in: "name\nindex" */
	GHashTable *forged_counts;	/* lower-case name -> count so far */
	char *release_token;		/* X-ESafety-Release value, if any */
	GError *error;			/* the buffer failed: the message gets on_error */
} es_mctx;

/* One SMTP connection. */
typedef struct {
	char *client_addr;
	es_mctx *msg;
	unsigned long proto;		/* SMFIP_* agreed with the MTA for this connection */
} es_cctx;

extern struct smfiDesc es_milter_desc;

/* es_milter_in_flight - messages between MAIL FROM and their end right now */
int es_milter_in_flight(void);
/* es_milter_drain - tempfail new messages from now on (shutdown) */
void es_milter_drain(void);

#endif
