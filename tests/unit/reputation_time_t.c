/* reputation_time_t.c - decay (half-life), window counts, record expiry and
 * concurrent updates, with short timings, against a real redis-server this
 * test starts on 127.0.0.1:10203 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "reputation.h"
#include "log.h"
#include "../redis/redis_helper.h"

#define PORT 10203
#define THREADS 8
#define PER_THREAD 50

static es_conf *conf;

#define msg(from, role, to, cat, sev) es_test_msg(conf, from, role, to, cat, sev)
#define update es_test_send
#define input es_test_input

/* with - a reputation object for the test config plus REDIS_LINES */
static es_reputation *with(const char *redis_lines)
{
	es_conf_unref(conf);
	conf = es_test_conf(PORT, redis_lines);
	return es_test_reputation(conf);
}

/* num - an input as a number (-1 if missing) */
static long num(const es_scan *s, const char *name)
{
	const char *v = input(s, name);

	return v ? atol(v) : -1;
}

/* test_decay - with a 1 s half-life a score of 8 is 4 a second later */
static void test_decay(void)
{
	es_reputation *r = with("key_prefix = decay:\nhalf_life = 1s\nclean_ttl = 1m\nwindow = 1m\n");
	es_scan *s;

	es_scan_free(update(r, msg("d@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "hate", 4)));
	s = update(r, msg("d@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "hate", 4));
	is_int(num(s, "reputation.score"), 8, "two severity-4 incidents: score 8");
	es_scan_free(s);
	g_usleep(1000 * 1000);
	s = update(r, msg("d@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	ok(num(s, "reputation.score") == 4 || num(s, "reputation.score") == 3,
	   "one half-life later the score has halved (got %ld)", num(s, "reputation.score"));
	is_int(num(s, "reputation.hate_1m"), 2, "window counts do not decay");
	es_scan_free(s);
	es_reputation_free(r);
}

/* test_window - incidents older than the window are no longer counted */
static void test_window(void)
{
	es_reputation *r = with("key_prefix = window:\nwindow = 1s\nclean_ttl = 1m\n");
	es_scan *s;

	es_scan_free(update(r, msg("w@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "drugs", 3)));
	s = update(r, msg("w@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "drugs", 3));
	is_int(num(s, "reputation.drugs_1s"), 2, "two incidents inside a 1 s window (input named after the window)");
	es_scan_free(s);
	g_usleep(1200 * 1000);
	s = update(r, msg("w@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "drugs", 3));
	is_int(num(s, "reputation.drugs_1s"), 1, "1.2 s later only the new one is inside the window");
	es_scan_free(s);
	es_reputation_free(r);
}

/* pttl - milliseconds left on KEY, or a negative Redis code */
static long long pttl(const char *key)
{
	redisReply *rep = es_test_redis_cmd(PORT, "PTTL %s", key);
	long long v = rep && rep->type == REDIS_REPLY_INTEGER ? rep->integer : -100;

	freeReplyObject(rep);
	return v;
}

/* test_expiry - a record goes clean_ttl after its last incident, even if
 * clean mail keeps coming; a new incident keeps it */
static void test_expiry(void)
{
	const char *key = "ttl:hill:{from:t@pupils.hill.sch.uk}:rep";
	es_reputation *r = with("key_prefix = ttl:\nclean_ttl = 2s\nwindow = 1s\n");
	es_scan *s;
	long long left;

	es_scan_free(update(r, msg("t@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "threat", 5)));
	left = pttl(key);
	ok(left > 1000 && left <= 2000, "a flagged message sets the TTL to clean_ttl (%lld ms)", left);
	g_usleep(1000 * 1000);
	es_scan_free(update(r, msg("t@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0)));
	left = pttl(key);
	ok(left > 0 && left < 1100, "a clean message does not extend it (%lld ms left)", left);
	g_usleep(1300 * 1000);
	is_int(pttl(key), -2, "clean_ttl after the last incident the record is gone");
	s = update(r, msg("t@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(input(s, "reputation.new"), "yes", "the next message starts a new record");
	is_int(num(s, "reputation.score"), 0, "with score 0");
	es_scan_free(s);
	left = pttl(key);
	ok(left > 1000 && left <= 2000, "a new clean record also expires after clean_ttl (%lld ms)", left);
	es_reputation_free(r);
}

/* hammer - one thread's share of the concurrent updates */
static gpointer hammer(gpointer data)
{
	es_reputation *r = data;
	int failed = 0;

	for (int i = 0; i < PER_THREAD; i++) {
		es_scan *s = msg("shared@hill.sch.uk", ES_ROLE_STAFF, NULL, "profanity", 1);

		failed += !es_reputation_update(r, s, NULL);
		es_scan_free(s);
	}
	return GINT_TO_POINTER(failed);
}

/* test_concurrency - many threads, one sender: no update is lost */
static void test_concurrency(void)
{
	es_reputation *r = with("key_prefix = conc:\nrate_staff_minute = 0\nrate_staff_hour = 0\npool_size = 8\n"
				"command_timeout = 2s\n");
	GThread *t[THREADS];
	int failed = 0;
	es_reputation_stats st;
	es_scan *s;

	for (int i = 0; i < THREADS; i++)
		t[i] = g_thread_new("hammer", hammer, r);
	for (int i = 0; i < THREADS; i++)
		failed += GPOINTER_TO_INT(g_thread_join(t[i]));
	is_int(failed, 0, "%d threads x %d updates all succeeded", THREADS, PER_THREAD);
	s = update(r, msg("shared@hill.sch.uk", ES_ROLE_STAFF, NULL, NULL, 0));
	is_int(num(s, "reputation.messages"), THREADS * PER_THREAD + 1, "every message was counted");
	is_int(num(s, "reputation.score"), THREADS * PER_THREAD, "every incident added to the score");
	is_int(num(s, "reputation.profanity_7d"), 100, "the window list is capped at 100 entries");
	es_scan_free(s);
	es_reputation_get_stats(r, &st);
	ok(st.connects <= THREADS, "connections were pooled (%llu made)", (unsigned long long)st.connects);
	es_reputation_free(r);
}

/* main - the behaviours that need time to pass */
int main(void)
{
	es_test_redis *srv;

	es_log_open("reputation_time_t", NULL, 1);
	srv = es_test_redis_start(PORT, 0);
	test_decay();
	test_window();
	test_expiry();
	test_concurrency();
	es_test_redis_stop(srv);
	es_conf_unref(conf);
	return done_testing();
}
