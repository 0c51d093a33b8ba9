/* reputation_fault_t.c - Redis stopped (SIGSTOP), killed and restarted: each
 * update returns within the timeouts, the breaker opens and logs once per
 * interval, and reputation resumes after the restart. Real redis-server on
 * 127.0.0.1:10202 (and 10206, a master it is turned into a replica of). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "reputation.h"
#include "redis_conn.h"
#include "log.h"
#include "../redis/redis_helper.h"

#define PORT 10202
#define OTHER 10206	/* a master PORT is made a replica of */

static es_conf *conf;
static char *log_path;

/* try - one update; returns the GError code, or -1 on success; *ms its duration */
static int try(es_reputation *r, double *ms)
{
	es_scan *s = es_test_msg(conf, "f@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "bullying", 3);
	GError *e = NULL;
	gint64 t0 = g_get_monotonic_time();
	int code = es_reputation_update(r, s, &e) ? -1 : e->code;

	if (ms)
		*ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
	g_clear_error(&e);
	es_scan_free(s);
	return code;
}

/* burst - a few updates from one of several threads */
static gpointer burst(gpointer r)
{
	for (int i = 0; i < 25; i++)
		try(r, NULL);
	return NULL;
}

/* log_count - lines of the captured log containing WHAT */
static int log_count(const char *what)
{
	char *text = NULL, **lines;
	int n = 0;

	fflush(stderr);
	g_file_get_contents(log_path, &text, NULL, NULL);
	lines = g_strsplit(text ? text : "", "\n", -1);
	for (char **l = lines; *l; l++)
		n += strstr(*l, what) != NULL;
	g_strfreev(lines);
	g_free(text);
	return n;
}

/* capture_log - es_log writes to stderr: send it to a file the test reads */
static void capture_log(void)
{
	int fd = g_file_open_tmp("es-redis-log-XXXXXX", &log_path, NULL);

	dup2(fd, 2);
	close(fd);
}

/* while_open - N messages while Redis is unusable: almost all refused at once */
static void while_open(es_reputation *r, const char *state)
{
	es_reputation_stats a, b;
	int refused = 0, failed = 0, other = 0;
	gint64 t0 = g_get_monotonic_time();
	long most;

	es_reputation_get_stats(r, &a);
	for (int i = 0; i < 150; i++) {
		int code = try(r, NULL);

		refused += code == ES_REDIS_ERROR_UNAVAILABLE;
		failed += code == ES_REDIS_ERROR_FAILED;
		other += code != ES_REDIS_ERROR_UNAVAILABLE && code != ES_REDIS_ERROR_FAILED;
		g_usleep(10 * 1000);
	}
	es_reputation_get_stats(r, &b);
	/* at most one probe per retry_min (300 ms) of the time it took, plus one */
	most = (long)((g_get_monotonic_time() - t0) / 300000) + 1;
	is_int(other, 0, "%s: no message got through", state);
	ok(failed >= 1 && failed <= most, "%s: only the breaker's probes tried Redis (%d of 150, at most %ld)",
	   state, failed, most);
	is_int(b.skipped - a.skipped, refused, "%s: the others were refused without trying and counted (%d)", state, refused);
}

/* main - stop, kill and restart Redis under the reputation layer */
int main(void)
{
	es_test_redis *srv;
	es_reputation *r;
	double ms;
	int code = 0, tries;
	es_scan *s;
	es_reputation_stats st;
	gint64 opened;

	signal(SIGPIPE, SIG_IGN);	/* as the daemon does: a dead peer is an error, not a signal */
	es_log_open("reputation_fault_t", NULL, 1);
	capture_log();
	srv = es_test_redis_start(PORT, 0);
	conf = es_test_conf(PORT, "connect_timeout = 100ms\ncommand_timeout = 100ms\nbreaker_failures = 2\n"
			    "retry_min = 300ms\nretry_max = 600ms\nlog_interval = 1s\n");
	r = es_test_reputation(conf);
	is_int(try(r, NULL), -1, "Redis up: update succeeds");

	es_test_redis_kill(srv, SIGSTOP);
	code = try(r, &ms);
	is_int(code, ES_REDIS_ERROR_FAILED, "Redis stopped: update fails");
	/* not a speed test: without the command timeout this call never returns */
	ok(ms < 2000, "and returns after the command timeout, not never (%.0f ms)", ms);
	is_int(log_count("redis failed"), 1, "a failure below breaker_failures is logged with the queue ID");
	is_int(try(r, &ms), ES_REDIS_ERROR_FAILED, "second failure");
	es_reputation_get_stats(r, &st);
	opened = g_get_monotonic_time();
	is_int(st.breaker_opened, 1, "breaker_failures = 2 failures open the breaker");
	is_int(log_count("redis unavailable"), 1, "opening is logged once");
	is_int(log_count("TESTQID: redis"), 2, "both lines carry the queue ID");
	while_open(r, "stopped");
	is_int(log_count("redis unavailable"), 1, "still one opening line after 150 messages");
	ok(log_count("redis still unavailable") >= 1 &&
	   log_count("redis still unavailable") <= (g_get_monotonic_time() - opened) / G_USEC_PER_SEC,
	   "and at most one summary line per log_interval (%d)", log_count("redis still unavailable"));

	es_test_redis_kill(srv, SIGKILL);
	while_open(r, "killed");

	es_test_redis_stop(srv);
	srv = es_test_redis_start(PORT, 0);
	for (tries = 0; tries < 200 && (code = try(r, NULL)) != -1; tries++)
		g_usleep(50 * 1000);
	is_int(code, -1, "Redis restarted: updates resume (after %d refused tries)", tries);
	is_int(log_count("redis available again"), 1, "recovery is logged once");
	s = es_test_send(r, es_test_msg(conf, "f@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(es_test_input(s, "reputation.messages"), "2", "the new (empty) server keeps counting");
	es_scan_free(s);

	/* a restart between two messages, with connections in the pool: the
	 * stale one is noticed and the call made again on a new connection,
	 * instead of failing the message and counting towards the breaker.
	 * Messages from several threads at once first leave more than one
	 * connection in the pool, so the others are closed with it (each once:
	 * under the sanitizers a double close or a lost one fails this test). */
	es_reputation_get_stats(r, &st);
	opened = (gint64)st.breaker_opened;
	{
		guint64 before = st.connects;

		for (int round = 0; round < 20 && st.connects - before < 2; round++) {
			GThread *th[4];

			for (int i = 0; i < 4; i++)
				th[i] = g_thread_new("burst", burst, r);
			for (int i = 0; i < 4; i++)
				g_thread_join(th[i]);
			es_reputation_get_stats(r, &st);
		}
		ok(st.connects - before >= 2, "messages in parallel opened %d more connections for the pool",
		   (int)(st.connects - before));
	}
	es_test_redis_stop(srv);
	srv = es_test_redis_start(PORT, 0);
	is_int(try(r, NULL), -1, "a restart while a connection sat in the pool: the next message still gets its reputation");
	is_int(try(r, NULL), -1, "... and so does the one after");
	es_reputation_get_stats(r, &st);
	is_int((int)(st.breaker_opened - (guint64)opened), 0, "... and the breaker did not open");

	/* one sender's key of the wrong type: that sender's messages fail, the
	 * breaker stays shut for everyone else */
	{
		redisReply *rep = es_test_redis_cmd(PORT, "KEYS *{from:f@pupils.hill.sch.uk}:rep");
		char *key = rep && rep->elements == 1 ? g_strdup(rep->element[0]->str) : NULL;

		if (rep)
			freeReplyObject(rep);
		ok(key != NULL, "the sender's record key is found (%s)", key ? key : "none");
		if (key) {
			freeReplyObject(es_test_redis_cmd(PORT, "DEL %s", key));
			freeReplyObject(es_test_redis_cmd(PORT, "SET %s x", key));
		}
		g_free(key);
	}
	for (int i = 0; i < 4; i++)
		code = try(r, NULL);
	is_int(code, ES_REDIS_ERROR_FAILED, "a record of the wrong type fails that sender's message");
	es_reputation_get_stats(r, &st);
	is_int((int)(st.breaker_opened - (guint64)opened), 0, "... four times, and the breaker stays shut");
	s = es_test_send(r, es_test_msg(conf, "g@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(es_test_input(s, "reputation.new"), "yes", "... and other senders keep their reputation");
	es_scan_free(s);

	/* the node turns into a replica (a fail-over without a sentinel in the
	 * config): READONLY is the server's state, not this message's fault, so
	 * it counts towards the breaker like an outage, and when the node takes
	 * writes again reputation resumes */
	{
		es_test_redis *other = es_test_redis_start(OTHER, 0);
		guint64 connects;

		/* not the wrong-type record of above: its WRONGTYPE would hide the recovery */
		freeReplyObject(es_test_redis_cmd(PORT, "FLUSHALL"));
		freeReplyObject(es_test_redis_cmd(PORT, "REPLICAOF 127.0.0.1 %d", OTHER));
		es_reputation_get_stats(r, &st);
		opened = (gint64)st.breaker_opened;
		connects = st.connects;
		code = try(r, NULL);
		is_int(code, ES_REDIS_ERROR_FAILED, "a node that became a replica (READONLY) fails the update");
		for (int i = 0; i < 3; i++)
			code = try(r, NULL);
		es_reputation_get_stats(r, &st);
		is_int((int)(st.breaker_opened - (guint64)opened), 1, "... and READONLY opens the breaker");
		ok(st.connects - connects >= 1, "... its connection is not reused (%d new)", (int)(st.connects - connects));
		ok(log_count("READONLY") >= 1, "... the log says READONLY");
		freeReplyObject(es_test_redis_cmd(PORT, "REPLICAOF NO ONE"));
		for (tries = 0; tries < 100 && (code = try(r, NULL)) != -1; tries++)
			g_usleep(50 * 1000);
		is_int(code, -1, "writable again: updates resume (after %d refused tries)", tries);
		es_test_redis_stop(other);
	}

	es_reputation_get_stats(r, &st);
	diag("updates %llu failures %llu skipped %llu opened %llu connects %llu",
	     (unsigned long long)st.updates, (unsigned long long)st.failures, (unsigned long long)st.skipped,
	     (unsigned long long)st.breaker_opened, (unsigned long long)st.connects);
	es_reputation_free(r);
	es_test_redis_stop(srv);
	es_conf_unref(conf);
	g_unlink(log_path);
	g_free(log_path);
	return done_testing();
}
