/* incident.c - one incident as the pages need it: loaded only for a user of
 * its school, its stored file read by the path the index holds (never one
 * built from the URL), and decisions recorded with who and when */
#include "config.h"
#include "ui.h"
#include "log.h"

#include <string.h>

/* ui_incident_load - the incident, or NULL with *status_out 404 (unknown) or
 * 403 (another school's) */
ui_incident *ui_incident_load(ui_req *r, const char *id, unsigned *status_out)
{
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT i.id, i.school, i.file, i.subject, i.verdict,"
		" i.env_from, i.env_to, COALESCE(v.status, 'new'), COALESCE(v.outcome, ''),"
		" COALESCE(v.notes, ''), COALESCE(v.held, ''), i.time, COALESCE(i.virus, ''),"
		" COALESCE(i.policy_school, ''), " UI_REP_ROLE("i")
		" FROM incidents i"
		" LEFT JOIN review v ON v.incident = i.id WHERE i.id = ?");
	ui_incident *inc = NULL;

	*status_out = 404;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*status_out = 403;
		if (ui_can_see_school(r->user, ui_col(st, 1))) {
			inc = g_new0(ui_incident, 1);
			inc->id = g_strdup(ui_col(st, 0));
			inc->school = g_strdup(ui_col(st, 1));
			inc->file = g_strdup(ui_col(st, 2));
			inc->subject = g_strdup(ui_col(st, 3));
			inc->verdict = g_strdup(ui_col(st, 4));
			inc->env_from = g_strdup(ui_col(st, 5));
			inc->env_to = g_strdup(ui_col(st, 6));
			inc->status = g_strdup(ui_col(st, 7));
			inc->outcome = g_strdup(ui_col(st, 8));
			inc->notes = g_strdup(ui_col(st, 9));
			inc->held = g_strdup(ui_col(st, 10));
			inc->time = sqlite3_column_int64(st, 11);
			inc->virus = g_strdup(ui_col(st, 12));
			inc->policy_school = g_strdup(ui_col(st, 13));
			inc->rep_role = g_strdup(ui_col(st, 14));
			*status_out = 200;
		}
	}
	sqlite3_finalize(st);
	return inc;
}

/* ui_incident_has_virus - see ui.h */
gboolean ui_incident_has_virus(ui_state *ui, const ui_incident *inc)
{
	sqlite3_stmt *st;
	gboolean v;

	if (*inc->virus)
		return TRUE;
	st = ui_db_prep(ui->db, "SELECT 1 FROM findings WHERE incident = ? AND detector = 'virus'");
	sqlite3_bind_text(st, 1, inc->id, -1, SQLITE_TRANSIENT);
	v = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return v;
}

/* ui_incident_free - free an incident (NULL is fine) */
void ui_incident_free(ui_incident *inc)
{
	if (!inc)
		return;
	g_free(inc->id);
	g_free(inc->school);
	g_free(inc->file);
	g_free(inc->subject);
	g_free(inc->verdict);
	g_free(inc->env_from);
	g_free(inc->env_to);
	g_free(inc->policy_school);
	g_free(inc->rep_role);
	g_free(inc->virus);
	g_free(inc->status);
	g_free(inc->outcome);
	g_free(inc->notes);
	g_free(inc->held);
	g_free(inc);
}

/* stored_path - the stored file's path; the relative path came from the
 * indexer's own directory walk and is checked again to stay under root
 * (NULL if it would not) */
static char *stored_path(ui_state *ui, const ui_incident *inc)
{
	if (strstr(inc->file, "..") || inc->file[0] == '/')
		return NULL;
	return g_build_filename(ui->root, inc->file, NULL);
}

/* ui_incident_read - the stored file */
GBytes *ui_incident_read(ui_state *ui, const ui_incident *inc, GError **err)
{
	char *path = stored_path(ui, inc), *data;
	gsize len;

	if (!path) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM, "refusing path %s", inc->file);
		return NULL;
	}
	if (!g_file_get_contents(path, &data, &len, err)) {
		g_free(path);
		return NULL;
	}
	g_free(path);
	return g_bytes_new_take(data, len);
}

/* ui_incident_stored - see ui.h */
gboolean ui_incident_stored(ui_state *ui, const ui_incident *inc)
{
	char *path = *inc->held == 'd' ? NULL : stored_path(ui, inc);
	gboolean there = path && g_file_test(path, G_FILE_TEST_EXISTS);

	g_free(path);
	return there;
}

/* one_of - V is one of CHOICES */
static gboolean one_of(const char *v, const char *const *choices)
{
	for (; v && *choices; choices++)
		if (strcmp(v, *choices) == 0)
			return TRUE;
	return FALSE;
}

const char *const ui_statuses[] = { "new", "in review", "actioned", "false positive", NULL };
const char *const ui_outcomes[] = { "", "spoken to pupil", "parents informed", "referred to DSL",
	"referred to police / LA", "no action", NULL };

/* ui_page_decision - POST /incident/ID/decision: new status, outcome, notes */
void ui_page_decision(ui_req *r, ui_resp *p, const char *id)
{
	unsigned code;
	ui_incident *inc = ui_incident_load(r, id, &code);
	const char *status = ui_field(r, "status"), *outcome = ui_field(r, "outcome");
	const char *notes = ui_field(r, "notes") ? ui_field(r, "notes") : "";
	sqlite3_stmt *st;
	char *to;
	gboolean saved;

	if (!inc) {
		ui_error_page(r, p, code, code == 403 ? "This incident belongs to another school." : "No such incident.");
		return;
	}
	if (!one_of(status, ui_statuses) || !one_of(outcome ? outcome : "", ui_outcomes)) {
		ui_error_page(r, p, 400, "Unknown status or outcome.");
		ui_incident_free(inc);
		return;
	}
	/* every step checked: a decision the lead believes saved must be saved */
	saved = ui_db_exec(r->ui->db, "BEGIN IMMEDIATE", NULL);
	st = saved ? ui_db_prep(r->ui->db, "INSERT INTO review(incident, status, outcome, notes) VALUES(?1,?2,?3,?4)"
			" ON CONFLICT(incident) DO UPDATE SET status = ?2, outcome = ?3, notes = ?4") : NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, outcome ? outcome : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, notes, -1, SQLITE_TRANSIENT);
	saved = saved && st && sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	st = saved ? ui_db_prep(r->ui->db, "INSERT INTO decisions(incident, time, user, status, outcome, notes)"
				" VALUES(?,?,?,?,?,?)") : NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, g_get_real_time() / G_USEC_PER_SEC);
	sqlite3_bind_text(st, 3, r->user->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, outcome ? outcome : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, notes, -1, SQLITE_TRANSIENT);
	saved = saved && st && sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	saved = saved && ui_db_exec(r->ui->db, "COMMIT", NULL);
	if (!saved) {
		es_log(LOG_ERR, NULL, "incident %s: decision by %s NOT saved: %s", id, r->user->name,
		       sqlite3_errmsg(r->ui->db));
		ui_db_exec(r->ui->db, "ROLLBACK", NULL);
		ui_audit(r->ui, r->user->name, r->ip, "decision-failed", id, "status=%s outcome=%s", status,
			 outcome ? outcome : "");
		ui_error_page(r, p, 503, "Your decision was NOT saved: the database is busy. Go back and try again.");
		ui_incident_free(inc);
		return;
	}
	ui_audit(r->ui, r->user->name, r->ip, "decision", id, "status=%s outcome=%s", status,
		 outcome ? outcome : "");
	to = g_strdup_printf("/incident/%s", id);
	ui_redirect(p, to);
	g_free(to);
	ui_incident_free(inc);
}

/* ui_decision_history - the table of past decisions, oldest first */
void ui_decision_history(ui_req *r, GString *o, const char *id)
{
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT time, user, status, outcome, notes"
				      " FROM decisions WHERE incident = ? ORDER BY seq");
	char when[32];
	int n = 0;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	g_string_append(o, "<h2>History</h2><table class=\"history\" id=\"history\"><thead><tr><th>When (UTC)</th>"
			"<th>Who</th><th>Status</th><th>Outcome</th><th>Notes</th></tr></thead><tbody>");
	while (sqlite3_step(st) == SQLITE_ROW) {
		g_string_append_printf(o, "<tr><td>%s</td>",
				       ui_fmt_time(sqlite3_column_int64(st, 0), when, sizeof(when)));
		for (int i = 1; i <= 4; i++) {
			g_string_append(o, "<td>");
			ui_esc(o, ui_col(st, i));
			g_string_append(o, "</td>");
		}
		g_string_append(o, "</tr>");
		n++;
	}
	g_string_append(o, "</tbody></table>");
	if (!n)
		g_string_append(o, "<p class=\"empty\">No decisions yet.</p>");
	sqlite3_finalize(st);
}
