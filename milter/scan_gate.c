/* scan_gate.c - see scan_gate.h. Tickets keep the order: a message may go in
 * once fewer than the limit of the tickets before it are still unfinished. */
#include "config.h"
#include "scan_gate.h"

static GMutex mu;
static GCond cond;
static guint64 issued;		/* tickets handed out */
static guint64 finished;	/* messages that have left */
static int cur_limit = 1;

int es_scan_gate_limit(gint64 configured)
{
	static gsize cores;	/* asked once: g_get_num_processors is a system call */

	if (g_once_init_enter(&cores))
		g_once_init_leave(&cores, MAX(1u, g_get_num_processors()));
	/* one more than the cores: a scan preempted by the MTA-facing threads
	 * (reading bodies, writing the quarantine) should not leave a core idle */
	return configured > 0 ? (int)configured : (int)cores + 1;
}

gint64 es_scan_gate_enter(int limit)
{
	gint64 t0 = g_get_monotonic_time();
	guint64 ticket;

	g_mutex_lock(&mu);
	if (limit != cur_limit) {	/* a reload changed it: the waiting re-check */
		cur_limit = MAX(limit, 1);
		g_cond_broadcast(&cond);
	}
	ticket = issued++;
	while (ticket >= finished + (guint64)cur_limit)
		g_cond_wait(&cond, &mu);
	g_mutex_unlock(&mu);
	return g_get_monotonic_time() - t0;
}

void es_scan_gate_leave(void)
{
	g_mutex_lock(&mu);
	finished++;
	g_cond_broadcast(&cond);	/* few wait; the next ticket's owner goes in */
	g_mutex_unlock(&mu);
}

guint es_scan_gate_queued(void)
{
	guint n;

	g_mutex_lock(&mu);
	n = (guint)(issued - finished);
	g_mutex_unlock(&mu);
	return n;
}
