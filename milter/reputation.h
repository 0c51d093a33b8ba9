/* reputation.h - sender reputation, first contact and rate limits in Redis.
 * One call per message, after the detectors and before the policy, reads and
 * updates the sender's record atomically and publishes what the policy may
 * use as inputs (es_scan_set_input).
 *
 * Inputs set for the policy (all values are decimal integers or yes/no; see
 * rules/redis/README.md):
 *   reputation.score        decayed sum of severities of past incidents (this one included)
 *   reputation.messages     decayed count of messages from this sender
 *   reputation.new          yes: no record existed before this message
 *   reputation.age_days     days since the record was created
 *   reputation.CATEGORY_W   messages with CATEGORY in the last window W, named
 *                           after [redis] window ("7d" by default), e.g.
 *                           reputation.bullying_7d; only categories with a count
 *   reputation.CATEGORY     the same count, by a name that does not change
 *                           with the window (what the shipped policies use)
 *   reputation.incidents_W  messages with any finding in the window (and
 *                           reputation.incidents)
 *   first_contact           yes: an external sender writes to a pupil it has
 *                           never written to before; otherwise no
 *   contact.pupils          pupils of this school the external sender has written to
 *   rate.minute, rate.hour  messages (or recipients) counted in the last minute/hour,
 *                           this one included unless it was over the limit
 *   rate_limited            yes/no; yes also adds a finding limits/rate_limit
 *                           (rule rate.minute or rate.hour), severity 4
 * The sender is the SASL user if any, else the envelope sender, else (null
 * sender) the client's network (/24 or /64), within the school's key prefix. */
#ifndef ES_REPUTATION_H
#define ES_REPUTATION_H

#include <glib.h>
#include "conf.h"
#include "scan.h"

typedef struct es_reputation es_reputation;

/* es_reputation_new - from [redis]; a disabled config gives an object whose
 * update does nothing. NULL and *err only for a config it cannot use. */
es_reputation *es_reputation_new(const es_conf *conf, GError **err);
void es_reputation_free(es_reputation *r);

/* es_reputation_update - count this message's findings for its sender and
 * set the policy inputs (for example "reputation.score",
 * "reputation.bullying_7d", "first_contact", "rate_limited"). A sender over
 * its rate limit gets a finding detector=limits category=rate_limit.
 * Returns FALSE with *err when Redis could not be used; the caller then
 * applies [redis] on_redis_error. The error is in ES_REDIS_ERROR
 * (redis_conn.h): code ES_REDIS_ERROR_UNAVAILABLE means the circuit breaker
 * is open and Redis was not tried; that case has been logged once per
 * log_interval already, so the caller should not log it per message.
 * Thread-safe. */
gboolean es_reputation_update(es_reputation *r, es_scan *s, GError **err);
/* es_reputation_note_tempfail - S, counted by es_reputation_update, was
 * tempfailed in the end: when the MTA offers it again (same Message-ID and
 * recipients) it is not counted again. Failures are only logged. */
void es_reputation_note_tempfail(es_reputation *r, const es_scan *s);
/* es_reputation_note_refused - S was refused (reject): the pupils it wrote
 * to for the first time are forgotten again, so a stranger cannot use up
 * first_contact with a message that never reached anyone */
void es_reputation_note_refused(es_reputation *r, const es_scan *s);

/* Counters since es_reputation_new, for logs, tests and the bench. */
typedef struct {
	guint64 updates;	/* messages that reached Redis and were counted */
	guint64 failures;	/* messages for which Redis was tried and failed */
	guint64 skipped;	/* messages refused at once by the open breaker */
	guint64 breaker_opened;	/* times the breaker opened */
	guint64 round_trips;	/* requests to Redis, connection set-up included */
	guint64 commands;	/* Redis commands sent, set-up included (a script counts one) */
	guint64 connects;	/* connections made to a Redis master */
	guint64 rate_limited;	/* messages over a rate limit */
	guint64 first_contacts;	/* first contacts from external senders to pupils */
} es_reputation_stats;

/* es_reputation_get_stats - snapshot; all zero for a disabled object */
void es_reputation_get_stats(es_reputation *r, es_reputation_stats *st);
/* es_reputation_enabled - [redis] enabled was set */
gboolean es_reputation_enabled(const es_reputation *r);

/* Reading records back (reputation_lookup.c), for the quarantine UI. */

/* One category of a sender's record. */
typedef struct {
	char *category;
	double weighted;	/* messages with it, decayed by half_life to now */
	guint window;		/* messages with it in the last [redis] window */
} es_reputation_category;

/* A sender's record as it stands now. Times are unix milliseconds (Redis's clock). */
typedef struct {
	gboolean found;		/* FALSE: no record (never seen, or expired by clean_ttl) */
	double score;		/* reputation.score unrounded: decayed sum of severities */
	double messages;	/* decayed count of messages */
	double flagged;		/* decayed count of messages with findings */
	guint incidents_window;	/* messages with findings in the last window */
	gint64 first_seen, last_incident, last_seen;	/* last_incident 0: none */
	GPtrArray *categories;	/* es_reputation_category *, most in the window first; NULL if !found */
} es_reputation_record;

/* One sender to look up: its school and envelope address. */
typedef struct {
	const char *school;		/* a school name; "_none" for mail of no school */
	const char *sender;		/* envelope sender; "" (null sender) is never found */
	es_reputation_record rec;	/* the answer; es_reputation_record_clear it */
	gboolean forged;		/* a school's address from outside, not logged in
					 * (es_reputation_forged): only the record the milter
					 * keeps apart for such mail is read, never the
					 * address's own */
} es_reputation_query;

/* es_reputation_lookup - read the records of the N senders in Q in one round
 * trip, changing nothing. A sender's mail is kept under "from:ADDR" or, when
 * it authenticated, under its SASL login "user:LOGIN"; both are read with
 * LOGIN = ADDR (the usual set-up) and the record with more incidents in the
 * window is returned. A disabled object finds nothing and succeeds. FALSE
 * with *err (in ES_REDIS_ERROR, as es_reputation_update) when Redis could not
 * be read. Thread-safe. */
gboolean es_reputation_lookup(es_reputation *r, es_reputation_query *q, guint n, GError **err);
/* es_reputation_forged - mail from SENDER in role ROLE ("pupil", "staff",
 * "external", as X-ESafety-Sender-Role) is counted apart from the address's
 * own record: the address is a school's, but the route did not let it speak
 * for the school (from outside, not logged in), so it may be forged */
gboolean es_reputation_forged(const es_conf *conf, const char *sender, const char *role);
/* es_reputation_record_clear - free what a lookup put in REC; safe twice */
void es_reputation_record_clear(es_reputation_record *rec);
/* es_reputation_input_known - NAME is an input the update sets: one of its
 * fixed names, or reputation.CATEGORY[_WINDOW] for a finding category (or
 * "incidents") with WINDOW as es_reputation_window_name gives it */
gboolean es_reputation_input_known(const char *name, const char *window);
/* es_reputation_window_name - [redis] window of CONF as the input names
 * write it ("7d"), enabled or not (g_free) */
char *es_reputation_window_name(const es_conf *conf);
/* es_reputation_window_label - [redis] window as people write it ("7d"); "" if disabled */
const char *es_reputation_window_label(const es_reputation *r);

#endif
