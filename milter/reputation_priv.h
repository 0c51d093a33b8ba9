/* reputation_priv.h - what reputation.c (update) and reputation_lookup.c
 * (read-only lookup) share: the object and the key names */
#ifndef ES_REPUTATION_PRIV_H
#define ES_REPUTATION_PRIV_H

#include "reputation.h"
#include "redis_conn.h"

struct es_reputation {
	gboolean enabled;
	es_redis *redis;
	char *prefix;		/* key_prefix */
	char *sha1;		/* of es_redis_script */
	char *lookup_sha1;	/* of es_redis_lookup_script */
	char *tempfail_sha1;	/* of es_redis_tempfail_script */
	char *forget_sha1;	/* of es_redis_forget_script */
	char *window_label;	/* "7d", for input names */
	gint64 half_life, clean_ttl, window, contact_ttl;
	gint64 limit[4][2];	/* [es_role][0 minute, 1 hour] */
	gboolean count_rcpts;
	guint64 updates, rate_limited, first_contacts;
};

/* es_reputation_base_key - "PREFIX SCHOOL:{KIND:ID}", the start of every key
 * of one sender (KIND user, from or net); SCHOOL and RAW are made key-safe */
char *es_reputation_base_key(const es_reputation *r, const char *school, const char *kind, const char *raw);

#endif
