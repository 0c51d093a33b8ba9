/* scan_gate.h - how many messages the milter scans at once. libmilter runs
 * a thread per connection; when more messages are ready than there are
 * cores, they would share the cores and each would take as long as all of
 * them. The gate lets LIMIT in at a time, the rest in the order they came,
 * so under load a message waits its turn, then gets a whole core. */
#ifndef ES_SCAN_GATE_H
#define ES_SCAN_GATE_H

#include <glib.h>

/* es_scan_gate_limit - the limit a [milter] scan_threads value means (0: the cores + 1) */
int es_scan_gate_limit(gint64 configured);

/* es_scan_gate_enter - wait for a turn (first come, first in), at most LIMIT
 * inside; returns how long it waited, in microseconds */
gint64 es_scan_gate_enter(int limit);

/* es_scan_gate_leave - give the turn to the next one waiting */
void es_scan_gate_leave(void);

/* es_scan_gate_queued - messages that entered or wait, not yet left */
guint es_scan_gate_queued(void);

#endif
