/* redis_breaker.h - circuit breaker for Redis: after a run of failures stop
 * trying for a while (doubling the wait), let one caller probe, and log once
 * per interval instead of once per message. */
#ifndef ES_REDIS_BREAKER_H
#define ES_REDIS_BREAKER_H

#include <glib.h>

typedef struct {
	GMutex lock;
	guint threshold;	/* consecutive failures that open it */
	gint64 min_us, max_us;	/* first and longest wait while open */
	gint64 log_us;		/* summary log interval while open */
	guint failures;		/* consecutive, while closed */
	gboolean open;
	gboolean probing;	/* one caller is trying Redis while open */
	gint64 retry_at;	/* monotonic time of the next probe */
	gint64 wait_us;		/* current wait */
	gint64 opened_at, last_log;
	guint64 skipped_since_log, skipped_since_open;
	guint64 opened;		/* times it opened */
	guint generation;	/* bumped on opening: pooled connections older than it are dropped */
	char *why;		/* last failure, for the summary line */
} es_breaker;

void es_breaker_init(es_breaker *b, guint threshold, gint64 min_ms, gint64 max_ms, gint64 log_ms);
void es_breaker_clear(es_breaker *b);
/* es_breaker_allow - TRUE if the caller may use Redis now; *probe is set when
 * it is the one probe of an open breaker (report back with success/failure) */
gboolean es_breaker_allow(es_breaker *b, const char *qid, gboolean *probe);
void es_breaker_success(es_breaker *b, const char *qid, gboolean probe);
void es_breaker_failure(es_breaker *b, const char *qid, gboolean probe, const char *why);
guint es_breaker_generation(es_breaker *b);

#endif
