/* redis_helper.c - private redis-server / redis-sentinel processes for tests */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include "redis_helper.h"

/* die_with_parent - a crashed test must not leave servers behind */
static void die_with_parent(gpointer unused)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* spawn - run ARGV with output to DIR/log; exits the test on failure */
static es_test_redis *spawn(char **argv, int port, char *dir)
{
	es_test_redis *t = g_new0(es_test_redis, 1);
	GError *e = NULL;

	t->port = port;
	t->dir = dir;
	if (!g_spawn_async(dir, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			   G_SPAWN_STDOUT_TO_DEV_NULL, die_with_parent, NULL, &t->pid, &e)) {
		printf("Bail out! cannot start %s: %s\n", argv[0], e->message);
		exit(1);
	}
	if (!es_test_redis_ping(port, 10000)) {
		printf("Bail out! %s on port %d does not answer (see %s)\n", argv[0], port, dir);
		exit(1);
	}
	return t;
}

/* es_test_redis_start - a redis-server with no persistence */
es_test_redis *es_test_redis_start(int port, int replica_of)
{
	char *dir = g_dir_make_tmp("es-redis-XXXXXX", NULL);
	char p[16], r[16];
	char *argv[] = { "redis-server", "--port", p, "--bind", "127.0.0.1", "--save", "",
			 "--appendonly", "no", "--logfile", "redis.log", "--daemonize", "no",
			 replica_of > 0 ? "--replicaof" : NULL, "127.0.0.1", r, NULL };

	g_snprintf(p, sizeof(p), "%d", port);
	g_snprintf(r, sizeof(r), "%d", replica_of);
	return spawn(argv, port, dir);
}

/* es_test_sentinel_start - a sentinel that declares a master down after 500 ms */
es_test_redis *es_test_sentinel_start(int port, int master_port)
{
	char *dir = g_dir_make_tmp("es-sentinel-XXXXXX", NULL);
	char *conf = g_build_filename(dir, "sentinel.conf", NULL);
	char *text = g_strdup_printf("port %d\nbind 127.0.0.1\nlogfile sentinel.log\n"
				     "sentinel monitor mymaster 127.0.0.1 %d 1\n"
				     "sentinel down-after-milliseconds mymaster 500\n"
				     "sentinel failover-timeout mymaster 5000\n", port, master_port);
	char *argv[] = { "redis-sentinel", conf, NULL };
	es_test_redis *t;

	g_file_set_contents(conf, text, -1, NULL);
	t = spawn(argv, port, dir);
	g_free(text);
	g_free(conf);
	return t;
}

/* es_test_redis_kill - signal the server; reap it if it dies */
void es_test_redis_kill(es_test_redis *t, int sig)
{
	if (!t || t->pid <= 0)
		return;
	kill(t->pid, sig);
	if (sig == SIGKILL || sig == SIGTERM) {
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
}

/* rm_dir - remove the server's temporary directory and its files */
static void rm_dir(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

/* es_test_redis_stop - kill and clean up */
void es_test_redis_stop(es_test_redis *t)
{
	if (!t)
		return;
	if (t->pid > 0) {
		kill(t->pid, SIGCONT);
		es_test_redis_kill(t, SIGKILL);
	}
	rm_dir(t->dir);
	g_free(t->dir);
	g_free(t);
}

/* es_test_redis_ping - poll until PING answers */
gboolean es_test_redis_ping(int port, int ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

	do {
		redisReply *rep = es_test_redis_cmd(port, "PING");
		gboolean ok = rep && rep->type == REDIS_REPLY_STATUS;

		if (rep)
			freeReplyObject(rep);
		if (ok)
			return TRUE;
		g_usleep(50000);
	} while (g_get_monotonic_time() < end);
	return FALSE;
}

/* es_test_redis_cmd - connect, run one command, disconnect */
redisReply *es_test_redis_cmd(int port, const char *fmt, ...)
{
	struct timeval tv = { 1, 0 };
	redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
	redisReply *rep = NULL;
	va_list ap;

	if (c && !c->err) {
		redisSetTimeout(c, tv);
		va_start(ap, fmt);
		rep = redisvCommand(c, fmt, ap);
		va_end(ap);
	}
	if (c)
		redisFree(c);
	return rep;
}

/* es_test_conf - write a config file for the test and load it */
es_conf *es_test_conf(int port, const char *redis_lines)
{
	char *path = NULL;
	int fd = g_file_open_tmp("es-redis-conf-XXXXXX", &path, NULL);
	char *text = g_strdup_printf("[redis]\nenabled = %s\nhost = 127.0.0.1\nport = %d\n%s\n"
				     "[school:hill]\ndomains = hill.sch.uk\n"
				     "esafety_mailbox = esafety@hill.sch.uk\n"
				     "pupils = *@pupils.hill.sch.uk\nstaff = *@hill.sch.uk\n"
				     /* a second school of the trust */
				     "[school:vale]\ndomains = vale.sch.uk\nesafety_mailbox = esafety@vale.sch.uk\n"
				     "pupils = *@pupils.vale.sch.uk\n",
				     port > 0 ? "yes" : "no", MAX(port, 1), redis_lines ? redis_lines : "");
	GError *e = NULL;
	es_conf *c;

	close(fd);
	g_file_set_contents(path, text, -1, NULL);
	c = es_conf_load(path, &e);
	if (!c) {
		printf("Bail out! test config: %s\n", e->message);
		exit(1);
	}
	g_unlink(path);
	g_free(path);
	g_free(text);
	return c;
}

/* es_test_reputation - a reputation object or the end of the test */
es_reputation *es_test_reputation(const es_conf *conf)
{
	GError *e = NULL;
	es_reputation *r = es_reputation_new(conf, &e);

	if (!r) {
		printf("Bail out! es_reputation_new: %s\n", e->message);
		exit(1);
	}
	return r;
}

/* es_test_msg - one message as the engine would hand it over */
es_scan *es_test_msg(const es_conf *conf, const char *sender, es_role role, const char *rcpt,
		     const char *cat, int sev)
{
	es_scan *s = es_scan_new(conf, "TESTQID");

	g_free(s->sender);
	s->sender = g_strdup(sender);
	s->school = es_conf_school_by_name(conf, "hill");
	s->sender_role = role;
	g_ptr_array_add(s->rcpts, g_strdup(rcpt ? rcpt : "friend@pupils.hill.sch.uk"));
	if (cat)
		es_scan_add_finding(s, "language", cat, sev, "1", "test", "...");
	return s;
}

/* es_test_send - update, saying why in a TAP comment when it fails */
es_scan *es_test_send(es_reputation *r, es_scan *s)
{
	GError *e = NULL;

	if (!es_reputation_update(r, s, &e)) {
		printf("# update failed: %s\n", e ? e->message : "?");
		g_clear_error(&e);
	}
	return s;
}

/* es_test_input - an input of S, or NULL */
const char *es_test_input(const es_scan *s, const char *name)
{
	return g_hash_table_lookup(s->inputs, name);
}
