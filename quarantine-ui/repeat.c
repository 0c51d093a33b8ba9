/* repeat.c - who is a repeat sender, and what is known about a sender: the
 * sender's reputation record in Redis where [redis] is enabled (what every
 * MTA node counted, quarantined or not), otherwise the quarantine's own
 * index. If Redis cannot be read the page falls back to the index and says
 * so, and the failure is logged: the lead always gets a working page. */
#include "config.h"
#include "ui.h"
#include "log.h"
#include "redis_conn.h"

#include <string.h>

#define INDEX_DAYS 30	/* the index's repeat window, as the inbox query counts */

/* index_mark - at least [ui] repeat_sender_threshold incidents in the index */
static void index_mark(ui_state *ui, ui_sender_mark *m)
{
	if (m->index_count >= ui->repeat_threshold)
		m->mark = g_strdup_printf("%d incidents from this sender in %d days (this quarantine)",
					  m->index_count, INDEX_DAYS);
}

/* index_marks - index_mark for each */
static void index_marks(ui_state *ui, ui_sender_mark *m, guint n)
{
	for (guint i = 0; i < n; i++)
		index_mark(ui, &m[i]);
}

/* ui_record_private - see ui.h */
gboolean ui_record_private(ui_req *r, const char *rep_school, const char *rep_role, const char *sender)
{
	const es_school *own;

	if (ui_can_see_school(r->user, rep_school) || g_strcmp0(rep_role, "external") == 0)
		return FALSE;
	if (rep_role && *rep_role)
		return TRUE;
	own = es_conf_school_for_address(r->ui->conf, sender);
	return own && g_strcmp0(es_school_name(own), rep_school) == 0;
}

/* redis_marks - at least [ui] repeat_sender_threshold flagged messages in the
 * [redis] window, by one lookup for the whole page; FALSE and *err */
static gboolean redis_marks(ui_state *ui, ui_sender_mark *m, guint n, GError **err)
{
	es_reputation_query *q = g_new0(es_reputation_query, n);
	gboolean ok;

	for (guint i = 0; i < n; i++) {
		q[i].school = m[i].school;
		q[i].sender = m[i].private_record ? "" : m[i].sender;	/* "": not looked up */
		q[i].forged = m[i].forged;
	}
	ok = es_reputation_lookup(ui->rep, q, n, err);
	for (guint i = 0; i < n; i++) {
		const es_reputation_record *rec = &q[i].rec;

		if (ok && m[i].private_record)
			index_mark(ui, &m[i]);	/* another school's record: this quarantine's own count */
		else if (ok && rec->found && rec->incidents_window >= (guint)ui->repeat_threshold)
			m[i].mark = g_strdup_printf("%u flagged messages from this sender in the last %s"
						    " (Redis reputation, score %.0f)", rec->incidents_window,
						    es_reputation_window_label(ui->rep), rec->score);
		es_reputation_record_clear(&q[i].rec);
	}
	g_free(q);
	return ok;
}

/* fallback_notice - Redis is configured but could not be read: log why, and
 * tell the lead what the page shows instead */
static void fallback_notice(ui_state *ui, GString *o, const GError *e, const char *instead)
{
	gint64 now = g_get_monotonic_time();
	gint64 every = es_conf_int(ui->conf, "redis", "log_interval") * 1000;

	/* while the breaker is open every page would say it again, and so would
	 * each of the breaker's tries that fails: the Redis layer logs the
	 * outage once per log_interval itself, and the pages' line says why at
	 * most as often */
	if ((!e || !g_error_matches(e, ES_REDIS_ERROR, ES_REDIS_ERROR_UNAVAILABLE)) &&
	    (ui->redis_logged_us == 0 || now - ui->redis_logged_us >= every)) {
		ui->redis_logged_us = now;
		es_log(LOG_WARNING, NULL, "reputation: cannot read sender records from Redis (%s); using the"
		       " quarantine index instead", e ? e->message : "unknown error");
	}
	g_string_append_printf(o, "<p class=\"notice\" id=\"reputation-fallback\">Sender reputation (Redis)"
			       " cannot be read just now, so %s. The details are in the log.</p>", instead);
}

/* ui_mark_repeats - see ui.h */
void ui_mark_repeats(ui_req *r, GString *o, ui_sender_mark *m, guint n)
{
	ui_state *ui = r->ui;
	GError *e = NULL;

	if (ui->rep && redis_marks(ui, m, n, &e)) {
		g_string_append_printf(o, "<p class=\"legend\" id=\"repeat-source\">Marked <em>repeat</em>: at least"
				       " %d flagged messages from the sender in the last %s, by its reputation in"
				       " Redis.</p>", ui->repeat_threshold, es_reputation_window_label(ui->rep));
		return;
	}
	if (ui->rep)
		fallback_notice(ui, o, e, "repeat senders are marked from this quarantine's own records");
	g_clear_error(&e);
	index_marks(ui, m, n);
	g_string_append_printf(o, "<p class=\"legend\" id=\"repeat-source\">Marked <em>repeat</em>: at least %d"
			       " incidents from the sender in %d days in this quarantine.</p>",
			       ui->repeat_threshold, INDEX_DAYS);
}

/* ui_sender_marks_clear - free the marks */
void ui_sender_marks_clear(ui_sender_mark *m, guint n)
{
	for (guint i = 0; i < n; i++)
		g_clear_pointer(&m[i].mark, g_free);
}

/* row - one <tr> of a two-column table; VALUE is escaped */
static void row(GString *o, const char *label, const char *value)
{
	g_string_append_printf(o, "<tr><th>%s</th><td>", label);
	ui_esc(o, value);
	g_string_append(o, "</td></tr>");
}

/* time_row - a row for unix milliseconds MS (0: none) */
static void time_row(GString *o, const char *label, gint64 ms)
{
	char when[32];

	row(o, label, ms > 0 ? ui_fmt_time(ms / 1000, when, sizeof(when)) : "none");
}

/* reputation_tables - the sender's record: score, counts, times, categories */
static void reputation_tables(ui_state *ui, GString *o, const es_reputation_record *rec)
{
	const char *win = es_reputation_window_label(ui->rep);
	char buf[64];

	g_string_append(o, "<table class=\"meta\" id=\"reputation\">");
	g_snprintf(buf, sizeof(buf), "%.1f", rec->score);
	row(o, "Reputation score", buf);
	g_snprintf(buf, sizeof(buf), "%u", rec->incidents_window);
	g_string_append_printf(o, "<tr><th>Flagged messages, last %s</th><td id=\"reputation-window\">%s</td></tr>",
			       win, buf);
	g_snprintf(buf, sizeof(buf), "%.1f of %.1f", rec->flagged, rec->messages);
	row(o, "Flagged of all messages (weighted)", buf);
	time_row(o, "First seen", rec->first_seen);
	time_row(o, "Last incident", rec->last_incident);
	time_row(o, "Last message", rec->last_seen);
	g_string_append_printf(o, "</table><table class=\"report\" id=\"reputation-categories\"><thead><tr>"
			       "<th>Category</th><th>Last %s</th><th>Weighted</th></tr></thead><tbody>", win);
	for (guint i = 0; i < rec->categories->len; i++) {
		const es_reputation_category *c = rec->categories->pdata[i];

		g_string_append(o, "<tr><td>");
		ui_esc(o, c->category);
		g_string_append_printf(o, "</td><td>%u</td><td>%.1f</td></tr>", c->window, c->weighted);
	}
	g_string_append(o, "</tbody></table><p class=\"note\">From the milter's record of this sender in Redis,"
			" counting all its mail through every mail server. Weighted counts fade with age"
			" ([redis] half_life); the score is the weighted sum of severities.</p>");
}

/* index_history - what the quarantine itself holds from the sender */
static void index_history(ui_state *ui, GString *o, const ui_incident *inc)
{
	/* mail with the address from outside (external) is counted apart from
	 * the address's own, as the milter does in Redis */
	sqlite3_stmt *st = ui_db_prep(ui->db, "SELECT COUNT(*) FROM incidents WHERE school = ?"
				      " AND env_from = ? AND time <= ? AND time > ?"
				      " AND (" UI_REP_ROLE("incidents") " = 'external') = ?");

	sqlite3_bind_text(st, 1, inc->school, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, inc->env_from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, inc->time);
	sqlite3_bind_int64(st, 4, inc->time - INDEX_DAYS * 86400);
	sqlite3_bind_int(st, 5, g_strcmp0(inc->rep_role, "external") == 0);
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0);

		g_string_append_printf(o, "<p id=\"index-history\">This quarantine holds %d incident%s from this"
				       " sender in the %d days up to this one.</p>", n, n == 1 ? "" : "s", INDEX_DAYS);
	}
	sqlite3_finalize(st);
}

/* ui_sender_history - see ui.h */
void ui_sender_history(ui_req *r, GString *o, const ui_incident *inc)
{
	/* the milter keeps the sender's record under the school whose policy decided */
	es_reputation_query q = { *inc->policy_school ? inc->policy_school : inc->school, inc->env_from, { 0 },
				  es_reputation_forged(r->ui->conf, inc->env_from, inc->rep_role) };
	GError *e = NULL;

	g_string_append(o, "<h2>Sender history</h2>");
	if (!*inc->env_from) {
		g_string_append(o, "<p class=\"empty\">No sender address (a bounce or notification).</p>");
		return;
	}
	/* a pupil or member of staff of the school that decided: their
	 * safeguarding history is that school's, not shown to another one */
	if (ui_record_private(r, q.school, inc->rep_role, inc->env_from)) {
		g_string_append(o, "<p class=\"empty\" id=\"reputation-private\">This sender is one of ");
		ui_esc(o, q.school);
		g_string_append(o, "'s own people, and that school's policy decided: their reputation record is"
				" kept there, for its own e-safety lead.</p>");
		index_history(r->ui, o, inc);
		return;
	}
	/* the milter counted it apart, so that a forger cannot fill a pupil's
	 * record (or empty it of meaning): the lead sees which one this is */
	if (q.forged)
		g_string_append(o, "<p class=\"notice\" id=\"forged-sender\">This message came from outside the school"
				" with a school address, without logging in, so the address may be forged. The"
				" record below counts only such mail, kept apart from the address's own.</p>");
	if (r->ui->rep && es_reputation_lookup(r->ui->rep, &q, 1, &e)) {
		if (q.rec.found)
			reputation_tables(r->ui, o, &q.rec);
		else
			g_string_append(o, "<p class=\"empty\" id=\"reputation\">No reputation record in Redis for this"
					" sender: none yet, or it expired ([redis] clean_ttl) after a quiet spell.</p>");
	} else if (r->ui->rep)
		fallback_notice(r->ui, o, e, "only this quarantine's own records are shown");
	index_history(r->ui, o, inc);
	es_reputation_record_clear(&q.rec);
	g_clear_error(&e);
}
