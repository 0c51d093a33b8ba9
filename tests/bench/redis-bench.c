/* redis-bench.c - what reputation costs per message: Redis round trips and
 * commands, and the latency it adds (p50/p99), against the same messages
 * with reputation off, in the same run. Starts its own redis-server on
 * 127.0.0.1:10250. Usage: redis-bench [MESSAGES] [THREADS] */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include "reputation.h"
#include "log.h"
#include "../redis/redis_helper.h"

#define PORT 10250

static const char *const cats[] = { "bullying", "profanity", "sexual", "threat" };

typedef struct {
	es_reputation *r;
	const es_conf *conf;
	int first, n;
	double *us;		/* per message, filled in */
} job;

/* one_message - a realistic mix: 200 senders, pupils/staff/external, 1 in 4 flagged */
static es_scan *one_message(const es_conf *conf, int i)
{
	static const char *const domains[] = { "pupils.hill.sch.uk", "hill.sch.uk", "example.com" };
	static const es_role roles[] = { ES_ROLE_PUPIL, ES_ROLE_STAFF, ES_ROLE_EXTERNAL };
	char from[64], to[64];
	int who = i % 200, kind = who % 3;

	g_snprintf(from, sizeof(from), "user%d@%s", who, domains[kind]);
	g_snprintf(to, sizeof(to), "pupil%d@pupils.hill.sch.uk", (i * 7) % 500);
	return es_test_msg(conf, from, roles[kind], to, i % 4 == 0 ? cats[(i / 4) % 4] : NULL, 1 + i % 5);
}

/* run - time es_reputation_update for this thread's messages */
static gpointer run(gpointer data)
{
	job *j = data;

	for (int i = j->first; i < j->first + j->n; i++) {
		es_scan *s = one_message(j->conf, i);
		gint64 t0 = g_get_monotonic_time();

		es_reputation_update(j->r, s, NULL);
		j->us[i] = (double)(g_get_monotonic_time() - t0);
		es_scan_free(s);
	}
	return NULL;
}

/* cmp - for qsort */
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* measure - per-message times over N messages on T threads; sorted into US */
static void measure(es_reputation *r, const es_conf *conf, int n, int t, double *us)
{
	GThread **th = g_new(GThread *, t);
	job *jobs = g_new(job, t);

	for (int k = 0; k < t; k++) {
		jobs[k] = (job){ r, conf, k * (n / t), n / t, us };
		th[k] = g_thread_new("bench", run, &jobs[k]);
	}
	for (int k = 0; k < t; k++)
		g_thread_join(th[k]);
	qsort(us, (size_t)(n / t * t), sizeof(double), cmp);
	g_free(th);
	g_free(jobs);
}

/* main - off then on, same messages, same run */
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000, t = argc > 2 ? atoi(argv[2]) : 4;
	es_test_redis *srv;
	es_conf *on, *off;
	es_reputation *ron, *roff;
	es_reputation_stats st;
	double *a, *b;
	int m;

	signal(SIGPIPE, SIG_IGN);
	es_log_open("redis-bench", NULL, 1);
	es_log_set_level(LOG_WARNING);
	if (n < 100 || t < 1) {
		fprintf(stderr, "usage: redis-bench [MESSAGES>=100] [THREADS>=1]\n");
		return 2;
	}
	m = n / t * t;
	srv = es_test_redis_start(PORT, 0);
	on = es_test_conf(PORT, "key_prefix = bench:\ncommand_timeout = 1s\n");
	off = es_test_conf(0, "key_prefix = bench:\n");	/* the same, with enabled = no */
	ron = es_test_reputation(on);
	roff = es_test_reputation(off);
	a = g_new0(double, n);
	b = g_new0(double, n);
	measure(roff, off, n, t, a);		/* reputation off: the baseline */
	measure(ron, on, n, t, b);
	es_reputation_get_stats(ron, &st);
	printf("messages %d threads %d\n", m, t);
	printf("redis round trips per message %.4f (%llu for %d messages, set-up included: %llu connects)\n",
	       (double)st.round_trips / m, (unsigned long long)st.round_trips, m, (unsigned long long)st.connects);
	printf("redis commands per message %.4f (%llu)\n", (double)st.commands / m, (unsigned long long)st.commands);
	printf("failures %llu\n", (unsigned long long)st.failures);
	printf("latency off   p50 %.1f us  p99 %.1f us\n", a[m / 2], a[m * 99 / 100]);
	printf("latency on    p50 %.1f us  p99 %.1f us\n", b[m / 2], b[m * 99 / 100]);
	printf("added         p50 %.1f us  p99 %.1f us\n", b[m / 2] - a[m / 2], b[m * 99 / 100] - a[m * 99 / 100]);
	es_reputation_free(ron);
	es_reputation_free(roff);
	es_conf_unref(on);
	es_conf_unref(off);
	es_test_redis_stop(srv);
	g_free(a);
	g_free(b);
	return 0;
}
