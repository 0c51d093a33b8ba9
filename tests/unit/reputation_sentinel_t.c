/* reputation_sentinel_t.c - Sentinel fail-over: the master is found through
 * redis-sentinel, and when it dies writes resume on the promoted replica.
 * Real redis-server x2 and redis-sentinel on 127.0.0.1:10210-10212. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include "tap.h"
#include "reputation.h"
#include "log.h"
#include "../redis/redis_helper.h"

#define MASTER 10210
#define REPLICA 10211
#define SENTINEL 10212

/* wait_for - poll PORT with COMMAND until the reply contains WANT (up to 30 s) */
static gboolean wait_for(int port, const char *command, const char *want)
{
	for (int i = 0; i < 300; i++) {
		redisReply *rep = es_test_redis_cmd(port, command);
		gboolean found = FALSE;

		if (rep && rep->type == REDIS_REPLY_STRING)
			found = strstr(rep->str, want) != NULL;
		else if (rep && rep->type == REDIS_REPLY_ARRAY)
			found = rep->elements > 0 && (!*want || (rep->element[0]->type == REDIS_REPLY_STRING &&
								 strstr(rep->element[0]->str, want)));
		freeReplyObject(rep);
		if (found)
			return TRUE;
		g_usleep(100 * 1000);
	}
	return FALSE;
}

/* messages_on - the record's decayed message count on the server at PORT */
static double messages_on(int port)
{
	redisReply *rep = es_test_redis_cmd(port, "HGET sent:hill:{from:s@pupils.hill.sch.uk}:rep msgs");
	double v = rep && rep->type == REDIS_REPLY_STRING ? g_ascii_strtod(rep->str, NULL) : -1;

	freeReplyObject(rep);
	return v;
}

/* main - master, replica and sentinel; kill the master */
int main(void)
{
	es_test_redis *master, *replica, *sentinel;
	es_conf *conf;
	es_reputation *r;
	es_scan *s;
	gboolean done = FALSE;
	int tries;

	signal(SIGPIPE, SIG_IGN);
	es_log_open("reputation_sentinel_t", NULL, 1);
	master = es_test_redis_start(MASTER, 0);
	replica = es_test_redis_start(REPLICA, MASTER);
	ok(wait_for(REPLICA, "INFO replication", "master_link_status:up"), "replica in sync with the master");
	sentinel = es_test_sentinel_start(SENTINEL, MASTER);
	ok(wait_for(SENTINEL, "SENTINEL replicas mymaster", ""), "sentinel has found the replica");
	conf = es_test_conf(1, "key_prefix = sent:\nsentinels = 127.0.0.1:10219, 127.0.0.1:10212\n"
			    "sentinel_master = mymaster\nretry_min = 100ms\nretry_max = 500ms\n");
	r = es_test_reputation(conf);
	s = es_test_send(r, es_test_msg(conf, "s@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "bullying", 2));
	is_str(es_test_input(s, "reputation.bullying_7d"), "1", "through the sentinel (the first one is not running): counted");
	es_scan_free(s);
	ok(messages_on(MASTER) > 0.99, "the record is on the master");
	ok(wait_for(REPLICA, "HGET sent:hill:{from:s@pupils.hill.sch.uk}:rep msgs", "1"), "and replicated");

	es_test_redis_kill(master, SIGKILL);
	for (tries = 0; tries < 600 && !done; tries++) {
		s = es_test_msg(conf, "s@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "bullying", 2);
		done = es_reputation_update(r, s, NULL);
		if (done)
			is_str(es_test_input(s, "reputation.bullying_7d"), "2", "after fail-over the count carries on");
		es_scan_free(s);
		if (!done)
			g_usleep(50 * 1000);
	}
	ok(done, "master killed: writes resume after the fail-over (%d refused tries)", tries);
	ok(wait_for(REPLICA, "ROLE", "master"), "the replica was promoted");
	ok(messages_on(REPLICA) > 1.99, "and holds the updated record");
	es_reputation_free(r);
	es_test_redis_stop(sentinel);
	es_test_redis_stop(replica);
	es_test_redis_stop(master);
	es_conf_unref(conf);
	return done_testing();
}
