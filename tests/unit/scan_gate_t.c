/* scan_gate_t.c - the scan gate: the limit a setting means, no more than the
 * limit inside at once, and turns given in the order messages came */
#include "config.h"
#include "../lib/tap.h"
#include "scan_gate.h"

#define N 6

static GMutex mu;
static int inside, most, order[N], norder;
static int limit;

/* worker - one message: wait for a turn, note it, hold it a little, leave */
static gpointer worker(gpointer id)
{
	es_scan_gate_enter(limit);
	g_mutex_lock(&mu);
	order[norder++] = GPOINTER_TO_INT(id);
	inside++;
	most = MAX(most, inside);	/* not MAX(most, ++inside): a macro */
	g_mutex_unlock(&mu);
	g_usleep(20000);
	g_mutex_lock(&mu);
	inside--;
	g_mutex_unlock(&mu);
	es_scan_gate_leave();
	return NULL;
}

/* round_of - take every turn (LIM of them), queue N-1 workers one after
 * another, each holding its ticket before the next starts, then let them in */
static void round_of(int lim)
{
	GThread *t[N];

	limit = lim;
	most = norder = inside = 0;
	for (int i = 0; i < lim; i++)
		es_scan_gate_enter(limit);	/* would never return if the gate let fewer in */
	for (int i = 1; i < N; i++) {
		t[i] = g_thread_new("worker", worker, GINT_TO_POINTER(i));
		while (es_scan_gate_queued() < (guint)(lim + i))
			g_usleep(1000);
	}
	g_mutex_lock(&mu);
	is_int(norder, 0, "while every turn is taken, nobody goes in");
	g_mutex_unlock(&mu);
	for (int i = 0; i < lim; i++)
		es_scan_gate_leave();
	for (int i = 1; i < N; i++)
		g_thread_join(t[i]);
}

int main(void)
{
	is_int(es_scan_gate_limit(3), 3, "scan_threads = 3 lets three in");
	is_int(es_scan_gate_limit(0), (int)g_get_num_processors() + 1, "scan_threads = 0 means one per core, and one more");

	round_of(1);
	is_int(norder, N - 1, "limit 1: every waiting message got its turn");
	is_int(most, 1, "limit 1: never two inside at once");
	ok(order[0] == 1 && order[1] == 2 && order[2] == 3 && order[3] == 4 && order[4] == 5,
	   "limit 1: turns in the order the messages came");
	is_int((int)es_scan_gate_queued(), 0, "nobody left inside or waiting");

	round_of(2);
	is_int(norder, N - 1, "limit 2: two turns taken at once, then every waiting message got its turn");
	ok(most >= 1 && most <= 2, "limit 2: never more than two inside at once");
	is_int((int)es_scan_gate_queued(), 0, "nobody left inside or waiting");
	return done_testing();
}
