/* redis_helper.h - start and stop private redis-server and redis-sentinel
 * processes on loopback for the tests (no persistence, temporary directory) */
#ifndef ES_REDIS_HELPER_H
#define ES_REDIS_HELPER_H

#include <glib.h>
#include <hiredis/hiredis.h>
#include "conf.h"
#include "scan.h"
#include "reputation.h"

typedef struct {
	GPid pid;
	int port;
	char *dir;	/* temporary directory: config, log; removed by stop */
} es_test_redis;

/* es_test_redis_start - redis-server on 127.0.0.1:PORT, ready to answer;
 * REPLICA_OF > 0 makes it a replica of that port. Exits the test on failure. */
es_test_redis *es_test_redis_start(int port, int replica_of);
/* es_test_sentinel_start - redis-sentinel on PORT watching "mymaster" at MASTER_PORT */
es_test_redis *es_test_sentinel_start(int port, int master_port);
/* es_test_redis_kill - send SIG (SIGSTOP, SIGCONT, SIGKILL...); SIGKILL also reaps it */
void es_test_redis_kill(es_test_redis *t, int sig);
/* es_test_redis_stop - kill, reap, remove the directory; NULL is fine */
void es_test_redis_stop(es_test_redis *t);
/* es_test_redis_ping - the server on PORT answers PING within MS */
gboolean es_test_redis_ping(int port, int ms);
/* es_test_redis_cmd - one command on a fresh connection (printf-style, as redisCommand) */
redisReply *es_test_redis_cmd(int port, const char *fmt, ...);
/* es_test_conf - a config with one school ("hill": pupils *@pupils.hill.sch.uk,
 * staff *@hill.sch.uk) and [redis] enabled on PORT (PORT 0: enabled = no)
 * plus REDIS_LINES ("key = value\n"...) */
es_conf *es_test_conf(int port, const char *redis_lines);

/* es_test_reputation - es_reputation_new(CONF), exiting the test on error */
es_reputation *es_test_reputation(const es_conf *conf);
/* es_test_msg - a scan under CONF for school "hill" from SENDER (ROLE) to RCPT
 * (NULL: a pupil) with one language finding CAT/SEV (CAT NULL: clean) */
es_scan *es_test_msg(const es_conf *conf, const char *sender, es_role role, const char *rcpt,
		     const char *cat, int sev);
/* es_test_send - es_reputation_update, printing a TAP comment on failure; returns S */
es_scan *es_test_send(es_reputation *r, es_scan *s);
/* es_test_input - input NAME of S, or NULL */
const char *es_test_input(const es_scan *s, const char *name);

#endif
