/* redis_conn.h - Redis connections for worker threads: a pool of hiredis
 * contexts (one thread per context at a time), short timeouts, Sentinel
 * master discovery, and a circuit breaker so a dead Redis costs nothing. */
#ifndef ES_REDIS_CONN_H
#define ES_REDIS_CONN_H

#include <glib.h>
#include <hiredis/hiredis.h>

/* Where and how to reach Redis; copied by es_redis_new. Times in ms. */
typedef struct {
	const char *host;
	int port;
	const char *password;		/* "" or NULL: no AUTH */
	int db;
	char *const *sentinels;		/* NULL-terminated "host:port" list, or NULL/empty */
	const char *sentinel_master;
	gint64 connect_timeout, command_timeout;
	guint pool_size;
	guint breaker_failures;		/* consecutive failures that open the breaker */
	gint64 retry_min, retry_max;	/* wait before a new try while open (doubles) */
	gint64 log_interval;		/* one summary log line per interval while open */
} es_redis_opts;

/* Counters since start, for logs, tests and the bench. */
typedef struct {
	guint64 calls;		/* es_redis_eval calls */
	guint64 round_trips;	/* requests sent and answered or timed out (setup included) */
	guint64 commands;	/* Redis commands sent (setup included) */
	guint64 connects;	/* new connections to a Redis master */
	guint64 failures;	/* calls that tried Redis and failed */
	guint64 skipped;	/* calls refused at once by the open breaker */
	guint64 breaker_opened;	/* times the breaker opened */
} es_redis_stats;

typedef struct es_redis es_redis;

#define ES_REDIS_ERROR es_redis_error_quark()
GQuark es_redis_error_quark(void);
typedef enum {
	ES_REDIS_ERROR_UNAVAILABLE,	/* breaker open: Redis was not tried */
	ES_REDIS_ERROR_FAILED,		/* Redis was tried and failed (timeout, refused, error reply) */
} es_redis_error_code;

es_redis *es_redis_new(const es_redis_opts *o);
/* es_redis_free - close every idle connection; none may be in use. NULL is fine. */
void es_redis_free(es_redis *r);

/* es_redis_eval - run a Lua script: EVALSHA, and EVAL only if Redis does not
 * know it yet (NOSCRIPT). ARGV holds the keys then the arguments (binary
 * safe, LENS their lengths). Returns the reply (freeReplyObject it) or NULL
 * with *err. QID is for log lines. Thread-safe. */
redisReply *es_redis_eval(es_redis *r, const char *qid, const char *script, const char *sha1,
			  int nkeys, int argc, const char **argv, const size_t *lens, GError **err);

void es_redis_get_stats(es_redis *r, es_redis_stats *st);

#endif
