/* redis_breaker.c - circuit breaker for Redis (see redis_breaker.h) */
#include "config.h"
#include "redis_breaker.h"
#include "log.h"

/* es_breaker_init - a closed breaker */
void es_breaker_init(es_breaker *b, guint threshold, gint64 min_ms, gint64 max_ms, gint64 log_ms)
{
	g_mutex_init(&b->lock);
	b->threshold = MAX(threshold, 1);
	b->min_us = MAX(min_ms, 1) * 1000;
	b->max_us = MAX(max_ms * 1000, b->min_us);
	b->log_us = log_ms * 1000;
	b->wait_us = b->min_us;
}

/* es_breaker_clear - free what init and use allocated */
void es_breaker_clear(es_breaker *b)
{
	g_free(b->why);
	b->why = NULL;
	g_mutex_clear(&b->lock);
}

/* note_missed - count a message that went without reputation while open
 * (refused at once, or a failed probe); log a summary once per interval */
static void note_missed(es_breaker *b, const char *qid, gint64 now)
{
	b->skipped_since_open++;
	b->skipped_since_log++;
	if (now - b->last_log < b->log_us)
		return;
	es_log(LOG_WARNING, qid, "redis still unavailable (%s) for %llds: %llu messages without reputation since the last report",
	       b->why ? b->why : "unknown", (long long)((now - b->opened_at) / G_USEC_PER_SEC),
	       (unsigned long long)b->skipped_since_log);
	b->last_log = now;
	b->skipped_since_log = 0;
}

/* es_breaker_allow - closed: yes; open: only the first caller after the wait */
gboolean es_breaker_allow(es_breaker *b, const char *qid, gboolean *probe)
{
	gint64 now = g_get_monotonic_time();
	gboolean ok = TRUE;

	*probe = FALSE;
	g_mutex_lock(&b->lock);
	if (b->open) {
		if (!b->probing && now >= b->retry_at)
			b->probing = *probe = TRUE;
		else {
			note_missed(b, qid, now);
			ok = FALSE;
		}
	}
	g_mutex_unlock(&b->lock);
	return ok;
}

/* es_breaker_success - Redis answered: close the breaker if it was open */
void es_breaker_success(es_breaker *b, const char *qid, gboolean probe)
{
	g_mutex_lock(&b->lock);
	b->failures = 0;
	if (b->open && probe) {
		es_log(LOG_NOTICE, qid, "redis available again after %llds; %llu messages went without reputation",
		       (long long)((g_get_monotonic_time() - b->opened_at) / G_USEC_PER_SEC),
		       (unsigned long long)b->skipped_since_open);
		b->open = b->probing = FALSE;
		b->wait_us = b->min_us;
	}
	g_mutex_unlock(&b->lock);
}

/* es_breaker_failure - count a failure and log it while closed; open after
 * the threshold (logged once); a failed probe waits longer, silently */
void es_breaker_failure(es_breaker *b, const char *qid, gboolean probe, const char *why)
{
	gint64 now = g_get_monotonic_time();

	g_mutex_lock(&b->lock);
	g_free(b->why);
	b->why = g_strdup(why);
	if (b->open && probe) {
		/* the probe's message went without reputation too; the summary counts it */
		note_missed(b, qid, now);
		b->probing = FALSE;
		b->wait_us = MIN(b->wait_us * 2, b->max_us);
		b->retry_at = now + b->wait_us;
	} else if (!b->open && ++b->failures < b->threshold) {
		/* rare while Redis is healthy: worth a line with the queue ID */
		es_log(LOG_WARNING, qid, "redis failed (%s): going on without reputation for this message (%u of %u failures before the breaker opens)",
		       why, b->failures, b->threshold);
	} else if (!b->open) {
		b->open = TRUE;
		b->opened++;
		b->generation++;
		b->opened_at = b->last_log = now;
		b->skipped_since_log = b->skipped_since_open = 0;
		b->wait_us = b->min_us;
		b->retry_at = now + b->wait_us;
		es_log(LOG_WARNING, qid, "redis unavailable (%s) after %u failures: going on without reputation, "
		       "trying again in %lldms; one summary line per interval from now on",
		       why, b->failures, (long long)(b->wait_us / 1000));
		b->failures = 0;
	}
	g_mutex_unlock(&b->lock);
}

/* es_breaker_generation - connections made before the last opening are stale */
guint es_breaker_generation(es_breaker *b)
{
	guint g;

	g_mutex_lock(&b->lock);
	g = b->generation;
	g_mutex_unlock(&b->lock);
	return g;
}
