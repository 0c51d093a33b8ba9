/* redis_conn.c - a pool of hiredis connections with short timeouts, Sentinel
 * master discovery and a circuit breaker (see redis_conn.h) */
#include "config.h"
#include <string.h>
#include <stdlib.h>
#include "redis_conn.h"
#include "redis_breaker.h"
#include "log.h"

typedef struct {
	redisContext *c;
	guint generation;	/* breaker generation it was made in */
} conn;

struct es_redis {
	char *host, *password, *master;
	int port, db;
	char **sentinels;
	struct timeval connect_tv, command_tv;
	guint pool_size;
	GMutex lock;		/* guards idle */
	GPtrArray *idle;	/* conn * */
	es_breaker breaker;
	es_redis_stats st;	/* updated with atomics */
};

G_DEFINE_QUARK(es-redis-error-quark, es_redis_error)

/* ms_tv - milliseconds as a timeval */
static struct timeval ms_tv(gint64 ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000) };

	return tv;
}

/* count - add to a counter shared by all threads */
static void count(guint64 *counter, guint64 n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

/* conn_free - close one connection; NULL is fine */
static void conn_free(gpointer p)
{
	conn *k = p;

	if (!k)
		return;
	if (k->c)
		redisFree(k->c);
	g_free(k);
}

/* es_redis_new - copy the options; no connection is made until first use */
es_redis *es_redis_new(const es_redis_opts *o)
{
	es_redis *r = g_new0(es_redis, 1);
	GPtrArray *s = g_ptr_array_new();

	r->host = g_strdup(o->host ? o->host : "127.0.0.1");
	r->port = o->port;
	r->password = g_strdup(o->password && *o->password ? o->password : NULL);
	r->db = o->db;
	r->master = g_strdup(o->sentinel_master ? o->sentinel_master : "mymaster");
	for (char *const *p = o->sentinels; p && *p; p++)
		if (**p)
			g_ptr_array_add(s, g_strdup(*p));
	g_ptr_array_add(s, NULL);
	r->sentinels = (char **)g_ptr_array_free(s, FALSE);
	r->connect_tv = ms_tv(o->connect_timeout);
	r->command_tv = ms_tv(o->command_timeout);
	r->pool_size = MAX(o->pool_size, 1);
	g_mutex_init(&r->lock);
	r->idle = g_ptr_array_new_with_free_func(conn_free);
	es_breaker_init(&r->breaker, o->breaker_failures, o->retry_min, o->retry_max, o->log_interval);
	return r;
}

/* es_redis_free - close the pool */
void es_redis_free(es_redis *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->idle);
	g_mutex_clear(&r->lock);
	es_breaker_clear(&r->breaker);
	g_free(r->host);
	g_free(r->password);
	g_free(r->master);
	g_strfreev(r->sentinels);
	g_free(r);
}

/* open_tcp - connect with both timeouts set; NULL with *why */
static redisContext *open_tcp(es_redis *r, const char *host, int port, char **why)
{
	redisContext *c = redisConnectWithTimeout(host, port, r->connect_tv);

	if (!c || c->err) {
		*why = g_strdup_printf("connect %s:%d: %s", host, port, c ? c->errstr : "out of memory");
		if (c)
			redisFree(c);
		return NULL;
	}
	if (redisSetTimeout(c, r->command_tv) != REDIS_OK) {
		*why = g_strdup_printf("%s:%d: cannot set timeout", host, port);
		redisFree(c);
		return NULL;
	}
	return c;
}

/* command - one round trip of ARGV; NULL with *why on I/O or error reply */
static redisReply *command(es_redis *r, redisContext *c, int argc, const char **argv,
			   const size_t *lens, char **why)
{
	redisReply *rep = redisCommandArgv(c, argc, argv, lens);

	count(&r->st.round_trips, 1);
	count(&r->st.commands, 1);
	if (!rep) {
		*why = g_strdup_printf("%s: %s", argv[0], c->errstr[0] ? c->errstr : "no reply");
		return NULL;
	}
	if (rep->type == REDIS_REPLY_ERROR) {
		*why = g_strdup_printf("%s: %.*s", argv[0], (int)MIN(rep->len, 200), rep->str);
		freeReplyObject(rep);
		return NULL;
	}
	return rep;
}

/* simple - a command made of C strings whose reply is only checked */
static gboolean simple(es_redis *r, redisContext *c, char **why, int argc, const char **argv)
{
	redisReply *rep = command(r, c, argc, argv, NULL, why);

	if (rep)
		freeReplyObject(rep);
	return rep != NULL;
}

/* ask_sentinel - the master's address from the first Sentinel that knows it */
static gboolean ask_sentinel(es_redis *r, char **host, int *port, char **why)
{
	const char *argv[] = { "SENTINEL", "get-master-addr-by-name", r->master };

	for (char **s = r->sentinels; *s; s++) {
		const char *colon = strrchr(*s, ':');
		char *shost = colon ? g_strndup(*s, (gsize)(colon - *s)) : g_strdup(*s);
		redisContext *c = open_tcp(r, shost, colon ? atoi(colon + 1) : 26379, why);
		redisReply *rep = c ? command(r, c, 3, argv, NULL, why) : NULL;

		g_free(shost);
		if (rep && rep->type == REDIS_REPLY_ARRAY && rep->elements == 2 &&
		    rep->element[0]->type == REDIS_REPLY_STRING && rep->element[1]->type == REDIS_REPLY_STRING) {
			*host = g_strdup(rep->element[0]->str);
			*port = atoi(rep->element[1]->str);
			freeReplyObject(rep);
			redisFree(c);
			return TRUE;
		}
		if (rep && !*why)
			*why = g_strdup_printf("sentinel %s does not know master %s", *s, r->master);
		if (rep)
			freeReplyObject(rep);
		if (c)
			redisFree(c);
		if (s[1]) {
			g_free(*why);
			*why = NULL;
		}
	}
	if (!*why)
		*why = g_strdup("no sentinel configured");
	return FALSE;
}

/* is_master - after a fail-over a Sentinel may still name a demoted node for a moment */
static gboolean is_master(es_redis *r, redisContext *c, char **why)
{
	const char *argv[] = { "ROLE" };
	redisReply *rep = command(r, c, 1, argv, NULL, why);
	gboolean ok;

	if (!rep)
		return FALSE;
	ok = rep->type == REDIS_REPLY_ARRAY && rep->elements > 0 &&
	     rep->element[0]->type == REDIS_REPLY_STRING && strcmp(rep->element[0]->str, "master") == 0;
	freeReplyObject(rep);
	if (!ok)
		*why = g_strdup("the node the sentinel named is not a master (fail-over in progress)");
	return ok;
}

/* connect_master - a new, authenticated connection to the master; NULL with *why */
static redisContext *connect_master(es_redis *r, char **why)
{
	char *host = NULL, db[16];
	int port = r->port;
	redisContext *c;
	gboolean ok = TRUE;

	if (r->sentinels[0] && !ask_sentinel(r, &host, &port, why))
		return NULL;
	c = open_tcp(r, host ? host : r->host, port, why);
	g_free(host);
	if (!c)
		return NULL;
	if (r->password)
		ok = simple(r, c, why, 2, (const char *[]){ "AUTH", r->password });
	g_snprintf(db, sizeof(db), "%d", r->db);
	if (ok && r->db)
		ok = simple(r, c, why, 2, (const char *[]){ "SELECT", db });
	if (ok && r->sentinels[0])
		ok = is_master(r, c, why);
	if (!ok) {
		redisFree(c);
		return NULL;
	}
	count(&r->st.connects, 1);
	return c;
}

/* acquire - an idle connection of the current generation (*REUSED), or a new one */
static conn *acquire(es_redis *r, gboolean *reused, char **why)
{
	guint gen = es_breaker_generation(&r->breaker);
	conn *k = NULL;

	g_mutex_lock(&r->lock);
	while (!k && r->idle->len > 0) {
		k = g_ptr_array_steal_index_fast(r->idle, r->idle->len - 1);
		if (k->generation != gen) {
			conn_free(k);
			k = NULL;
		}
	}
	g_mutex_unlock(&r->lock);
	*reused = k != NULL;
	if (k)
		return k;
	k = g_new0(conn, 1);
	k->generation = gen;
	if (!(k->c = connect_master(r, why))) {
		g_free(k);
		return NULL;
	}
	return k;
}

/* release - back to the pool, unless broken, stale or the pool is full */
static void release(es_redis *r, conn *k, gboolean broken)
{
	guint gen = es_breaker_generation(&r->breaker);
	gboolean keep;

	g_mutex_lock(&r->lock);
	keep = !broken && !k->c->err && r->idle->len < r->pool_size && k->generation == gen;
	if (keep)
		g_ptr_array_add(r->idle, k);
	g_mutex_unlock(&r->lock);
	if (!keep)
		conn_free(k);
}

/* run_script - EVALSHA, then EVAL if the script is not loaded yet */
static redisReply *run_script(es_redis *r, redisContext *c, const char *script, const char *sha1,
			      int nkeys, int argc, const char **argv, const size_t *lens, char **why)
{
	const char **av = g_new(const char *, (gsize)argc + 3);
	size_t *al = g_new(size_t, (gsize)argc + 3);
	char nk[16];
	redisReply *rep;

	g_snprintf(nk, sizeof(nk), "%d", nkeys);
	av[0] = "EVALSHA", al[0] = 7;
	av[1] = sha1, al[1] = strlen(sha1);
	av[2] = nk, al[2] = strlen(nk);
	for (int i = 0; i < argc; i++)
		av[i + 3] = argv[i], al[i + 3] = lens ? lens[i] : strlen(argv[i]);
	rep = command(r, c, argc + 3, av, al, why);
	if (!rep && !c->err && *why && strstr(*why, "NOSCRIPT")) {
		g_clear_pointer(why, g_free);
		av[0] = "EVAL", al[0] = 4;
		av[1] = script, al[1] = strlen(script);
		rep = command(r, c, argc + 3, av, al, why);
	}
	g_free(av);
	g_free(al);
	return rep;
}

/* drop_idle - close every pooled connection: one was found closed by the
 * server (a restart, its idle timeout), so the others are too */
static void drop_idle(es_redis *r)
{
	GPtrArray *old;

	g_mutex_lock(&r->lock);
	old = r->idle;
	r->idle = g_ptr_array_new_with_free_func(conn_free);
	g_mutex_unlock(&r->lock);
	g_ptr_array_unref(old);	/* its free function closes each one */
}

/* closed_by_server - C failed because the server had closed it (end of
 * file, reset, broken pipe), not by a timeout: on a pooled connection that
 * means it went stale while idle, not that Redis is failing now */
static gboolean closed_by_server(const redisContext *c)
{
	return c->err == REDIS_ERR_EOF ||
	       (c->err == REDIS_ERR_IO && (strstr(c->errstr, "reset") || strstr(c->errstr, "Broken pipe")));
}

/* message_error - an error reply about this call's own data or script
 * (WRONGTYPE on one sender's key, a script error), from a server that works:
 * it fails this message only, and must not open the breaker for everyone */
static gboolean message_error(const redisContext *c, const char *why)
{
	static const char *const server[] = { "READONLY", "OOM", "MASTERDOWN", "LOADING", "BUSY", "NOAUTH",
		"NOPERM", "CLUSTERDOWN", "MOVED", "ASK", "TRYAGAIN", NULL };
	const char *code;

	if (c->err || !why || !(code = strchr(why, ':')))
		return FALSE;
	/* Redis 7 wraps an error raised inside the script as "CODE ... script:
	 * ... @user_script": the code says whose fault it is. A server state
	 * (a replica after a fail-over, maxmemory) is the server's, and this
	 * connection must go. */
	for (code++; *code == ' '; code++)
		;
	for (const char *const *s = server; *s; s++)
		if (g_str_has_prefix(code, *s) && !g_ascii_isalnum(code[strlen(*s)]))
			return FALSE;
	return g_str_has_prefix(code, "WRONGTYPE") || g_str_has_prefix(code, "ERR Error running script") ||
	       (g_str_has_prefix(code, "ERR ") && strstr(code, "user_script"));
}

/* es_redis_eval - one script call through the pool, guarded by the breaker */
redisReply *es_redis_eval(es_redis *r, const char *qid, const char *script, const char *sha1,
			  int nkeys, int argc, const char **argv, const size_t *lens, GError **err)
{
	gboolean probe, reused = FALSE;
	char *why = NULL;
	redisReply *rep = NULL;
	conn *k;

	count(&r->st.calls, 1);
	if (!es_breaker_allow(&r->breaker, qid, &probe)) {
		count(&r->st.skipped, 1);
		g_set_error(err, ES_REDIS_ERROR, ES_REDIS_ERROR_UNAVAILABLE,
			    "redis unavailable (circuit breaker open)");
		return NULL;
	}
	if ((k = acquire(r, &reused, &why)) != NULL) {
		rep = run_script(r, k->c, script, sha1, nkeys, argc, argv, lens, &why);
		if (!rep && reused && closed_by_server(k->c)) {
			/* stale: the server closed it while it sat in the pool (it
			 * restarted, or its idle timeout). Once more on a new one. */
			conn_free(k);
			drop_idle(r);
			g_clear_pointer(&why, g_free);
			if ((k = acquire(r, &reused, &why)) != NULL)
				rep = run_script(r, k->c, script, sha1, nkeys, argc, argv, lens, &why);
		}
		if (k && !rep && message_error(k->c, why)) {
			release(r, k, FALSE);
			/* the server answered: for the breaker that is a success */
			es_breaker_success(&r->breaker, qid, probe);
			count(&r->st.failures, 1);
			g_set_error(err, ES_REDIS_ERROR, ES_REDIS_ERROR_FAILED, "redis: %s", why);
			g_free(why);
			return NULL;
		}
		/* an error reply from a working node (READONLY after a fail-over,
		 * LOADING) also means this connection should not be reused */
		if (k)
			release(r, k, rep == NULL);
	}
	if (rep) {
		es_breaker_success(&r->breaker, qid, probe);
		return rep;
	}
	count(&r->st.failures, 1);
	es_breaker_failure(&r->breaker, qid, probe, why ? why : "unknown error");
	g_set_error(err, ES_REDIS_ERROR, ES_REDIS_ERROR_FAILED, "redis: %s", why ? why : "unknown error");
	g_free(why);
	return NULL;
}

/* es_redis_get_stats - a snapshot of the counters */
void es_redis_get_stats(es_redis *r, es_redis_stats *st)
{
	st->calls = __atomic_load_n(&r->st.calls, __ATOMIC_RELAXED);
	st->round_trips = __atomic_load_n(&r->st.round_trips, __ATOMIC_RELAXED);
	st->commands = __atomic_load_n(&r->st.commands, __ATOMIC_RELAXED);
	st->connects = __atomic_load_n(&r->st.connects, __ATOMIC_RELAXED);
	st->failures = __atomic_load_n(&r->st.failures, __ATOMIC_RELAXED);
	st->skipped = __atomic_load_n(&r->st.skipped, __ATOMIC_RELAXED);
	g_mutex_lock(&r->breaker.lock);
	st->breaker_opened = r->breaker.opened;
	g_mutex_unlock(&r->breaker.lock);
}
