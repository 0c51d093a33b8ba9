/* page_incident.c - one incident: the headers that matter, each text with
 * its findings highlighted and explained, attachments, the decision form and
 * history. Mail HTML is never rendered: texts come from the same MIME parser
 * the milter uses (HTML already turned into text) and are escaped. */
#include "config.h"
#include "ui.h"
#include "scan.h"
#include "mime.h"

#include <string.h>

typedef struct {
	char *detector, *category, *type, *part, *rule, *excerpt;
	int severity;
} finding;

/* finding_free - free one loaded finding */
static void finding_free(gpointer data)
{
	finding *f = data;

	g_free(f->detector); g_free(f->category); g_free(f->type);
	g_free(f->part); g_free(f->rule); g_free(f->excerpt);
	g_free(f);
}

/* load_findings - the incident's findings from the index */
static GPtrArray *load_findings(ui_state *ui, const char *id)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, "SELECT detector, category, type, severity, part, rule,"
				      " excerpt FROM findings WHERE incident = ? ORDER BY severity DESC");
	GPtrArray *a = g_ptr_array_new_with_free_func(finding_free);

	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		finding *f = g_new0(finding, 1);

		f->detector = g_strdup(ui_col(st, 0));
		f->category = g_strdup(ui_col(st, 1));
		f->type = g_strdup(ui_col(st, 2));
		f->severity = sqlite3_column_int(st, 3);
		f->part = g_strdup(ui_col(st, 4));
		f->rule = g_strdup(ui_col(st, 5));
		f->excerpt = g_strdup(ui_col(st, 6));
		g_ptr_array_add(a, f);
	}
	sqlite3_finalize(st);
	return a;
}

/* meta_rows - the signed facts about the message, from the index */
static void meta_rows(ui_req *r, GString *o, const char *id)
{
	static const char *const label[] = { "Time (UTC)", "School", "Action", "Policy rule",
		"Categories", "Sender role", "Year group", "Direction", "Envelope sender",
		"Original recipients", "Queue ID", "Virus", "Decided by the policy of",
		"Stored for the schools" };
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT strftime('%Y-%m-%d %H:%M:%S', time, 'unixepoch'),"
		" school, verdict, reason, categories, sender_role, year_group, direction, env_from, env_to,"
		" queue_id, virus, policy_school, stored_for FROM incidents WHERE id = ?");

	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	g_string_append(o, "<table class=\"meta\">");
	if (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < (int)G_N_ELEMENTS(label); i++) {
			if ((i == 6 || i >= 11) && !*ui_col(st, i))
				continue;	/* year group, virus and other schools only when there are */
			g_string_append_printf(o, "<tr><th>%s</th><td>", label[i]);
			ui_esc(o, ui_col(st, i));
			g_string_append(o, "</td></tr>");
		}
	g_string_append(o, "</table>");
	sqlite3_finalize(st);
}

/* findings_table - every finding with its rule, category and severity */
static void findings_table(GString *o, GPtrArray *fs)
{
	g_string_append(o, "<h2>Findings</h2><table class=\"findings\"><thead><tr><th>Severity</th>"
			"<th>Category</th><th>Detector</th><th>Rule</th><th>Where</th><th>Excerpt</th>"
			"</tr></thead><tbody>");
	for (guint i = 0; i < fs->len; i++) {
		finding *f = fs->pdata[i];
		const char *cells[] = { f->category, f->detector, f->rule, f->part, f->excerpt };

		g_string_append_printf(o, "<tr class=\"sev%d\"><td>%d</td>", f->severity, f->severity);
		for (gsize c = 0; c < G_N_ELEMENTS(cells); c++) {
			g_string_append(o, "<td>");
			ui_esc(o, cells[c]);
			if (c == 0 && *f->type) {
				g_string_append(o, " (");
				ui_esc(o, f->type);
				g_string_append(o, ")");
			}
			g_string_append(o, "</td>");
		}
		g_string_append(o, "</tr>");
	}
	g_string_append(o, "</tbody></table>");
}

typedef struct { gsize start, end; finding *f; } mark;

/* mark_cmp - order marks by start */
static gint mark_cmp(gconstpointer a, gconstpointer b)
{
	const mark *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* find_marks - where each finding of PART occurs in TEXT (case-insensitive
 * match of its excerpt, with any "..." trimmed) */
static GArray *find_marks(const char *text, const char *part, GPtrArray *fs)
{
	GArray *marks = g_array_new(FALSE, FALSE, sizeof(mark));
	char *lower = g_ascii_strdown(text, -1);

	for (guint i = 0; i < fs->len; i++) {
		finding *f = fs->pdata[i];
		char *needle;
		const char *at;

		if (strcmp(f->part, part) != 0)
			continue;
		needle = g_ascii_strdown(f->excerpt, -1);
		g_strstrip(g_strdelimit(needle, ".\xe2\x80\xa6", ' '));
		for (at = lower; *needle && strlen(needle) >= 2 && (at = strstr(at, needle)); at++) {
			mark m = { (gsize)(at - lower), (gsize)(at - lower) + strlen(needle), f };

			g_array_append_val(marks, m);
		}
		g_free(needle);
	}
	g_free(lower);
	g_array_sort(marks, mark_cmp);
	return marks;
}

/* text_block - one text (subject, body, extracted attachment text) with marks */
static void text_block(GString *o, const es_text *t, GPtrArray *fs)
{
	GArray *marks = find_marks(t->text, t->part, fs);
	gsize pos = 0;

	g_string_append(o, "<section class=\"text\"><h3>");
	ui_esc(o, t->label);
	g_string_append(o, " <small>(part ");
	ui_esc(o, t->part);
	g_string_append(o, ")</small></h3><pre class=\"mailtext\">");
	for (guint i = 0; i < marks->len; i++) {
		mark *m = &g_array_index(marks, mark, i);
		char *seg;

		if (m->start < pos)
			continue;	/* overlaps the previous mark */
		seg = g_strndup(t->text + pos, m->start - pos);
		ui_esc(o, seg);
		g_free(seg);
		g_string_append_printf(o, "<mark class=\"sev%d\" title=\"", m->f->severity);
		ui_escf(o, "%s, severity %d, rule %s", m->f->category, m->f->severity, m->f->rule);
		g_string_append(o, "\">");
		seg = g_strndup(t->text + m->start, m->end - m->start);
		ui_esc(o, seg);
		g_free(seg);
		g_string_append(o, "</mark>");
		pos = m->end;
	}
	ui_esc(o, t->text + pos);
	g_string_append(o, "</pre></section>");
	g_array_unref(marks);
}

/* attachment_row - one attachment, its findings, and a download link unless
 * the message carries a virus (VIRUS) */
static void attachment_row(GString *o, const char *id, guint n, const es_attachment *a,
			   GPtrArray *fs, gboolean virus)
{
	g_string_append(o, "<tr><td>");
	ui_esc(o, a->filename ? a->filename : "(no name)");
	g_string_append(o, "</td><td>");
	ui_esc(o, a->content_type);
	g_string_append_printf(o, "</td><td>%" G_GSIZE_FORMAT " bytes</td><td>",
			       a->data ? g_bytes_get_size(a->data) : 0);
	for (guint i = 0; i < fs->len; i++) {
		finding *f = fs->pdata[i];

		if (strcmp(f->part, a->part) != 0 && !g_str_has_prefix(f->part, a->part))
			continue;
		ui_escf(o, "%s (severity %d, %s) ", f->category, f->severity, f->rule);
	}
	g_string_append(o, "</td><td>");
	if (virus)
		g_string_append(o, "<span class=\"badge virus\">virus: no download</span>");
	else
		g_string_append_printf(o, "<a href=\"/incident/%s/attachment/%u\">Download&hellip;</a>", id, n);
	g_string_append(o, "</td></tr>");
}

/* decision_form - status, outcome and notes, with the CSRF token */
static void decision_form(ui_req *r, GString *o, const ui_incident *inc)
{
	g_string_append_printf(o, "<h2>Decision</h2><form class=\"decision\" method=\"post\""
			       " action=\"/incident/%s/decision\">", inc->id);
	ui_csrf_field(r, o);
	g_string_append(o, "<label>Status <select name=\"status\" id=\"status\">");
	for (const char *const *s = ui_statuses; *s; s++)
		g_string_append_printf(o, "<option%s>%s</option>",
				       strcmp(*s, inc->status) == 0 ? " selected" : "", *s);
	g_string_append(o, "</select></label><label>Outcome <select name=\"outcome\" id=\"outcome\">");
	for (const char *const *s = ui_outcomes; *s; s++)
		g_string_append_printf(o, "<option value=\"%s\"%s>%s</option>", *s,
				       strcmp(*s, inc->outcome) == 0 ? " selected" : "", **s ? *s : "(none yet)");
	g_string_append(o, "</select></label><label>Notes <textarea name=\"notes\" id=\"notes\" rows=\"4\">");
	ui_esc(o, inc->notes);
	g_string_append(o, "</textarea></label><button type=\"submit\" id=\"save-decision\">Save decision</button></form>");
}

/* held_actions - release/delete buttons, or what already happened; STORED:
 * the file is still in the quarantine */
static void held_actions(GString *o, const ui_incident *inc, gboolean stored)
{
	g_string_append(o, "<h2>Stored message</h2><p class=\"held\">");
	if (*inc->held) {
		g_string_append(o, "This message was ");
		ui_esc(o, inc->held);
		g_string_append(o, ".");
	} else if (!stored) {
		/* no button that can only fail */
		g_string_append(o, "<span id=\"not-stored\">The stored message is no longer in the quarantine"
				" (removed outside this page, or deleted when the incident log could not"
				" record it), so it cannot be released.</span>");
	} else {
		if (strcmp(inc->verdict, "hold") == 0 && !*inc->env_to)
			g_string_append(o, "Held. It went only to other schools' recipients: each of those "
					"schools keeps its own copy, and its lead decides on release. ");
		else if (strcmp(inc->verdict, "hold") == 0)
			g_string_append_printf(o, "Held for review. <a class=\"button\" id=\"release\""
					       " href=\"/incident/%s/release\">Release&hellip;</a> ", inc->id);
		g_string_append_printf(o, "<a class=\"button danger\" id=\"delete\" href=\"/incident/%s/delete\">"
				       "Delete&hellip;</a>", inc->id);
	}
	g_string_append(o, "</p>");
}

/* header_rows - the message's own From, To, Cc, Date and Message-ID (as the
 * sender wrote them: unlike the envelope above, these are not signed) */
static void header_rows(GString *o, GMimeMessage *m)
{
	static const char *const names[] = { "From", "To", "Cc", "Reply-To", "Date", "Message-ID" };
	GMimeHeaderList *h = m ? g_mime_object_get_header_list(GMIME_OBJECT(m)) : NULL;

	g_string_append(o, "<h2>Message headers <small>(as written by the sender)</small></h2>"
			"<table class=\"meta headers\">");
	for (gsize i = 0; h && i < G_N_ELEMENTS(names); i++) {
		GMimeHeader *hd = g_mime_header_list_get_header(h, names[i]);
		char *v;

		if (!hd)
			continue;
		v = g_mime_utils_header_decode_text(NULL, g_mime_header_get_raw_value(hd));
		g_string_append_printf(o, "<tr><th>%s</th><td>", names[i]);
		ui_esc(o, g_strstrip(g_strdelimit(v, "\r\n\t", ' ')));
		g_string_append(o, "</td></tr>");
		g_free(v);
	}
	g_string_append(o, "</table>");
}

/* message_parts - texts and attachments of the stored file, via the milter's parser */
static void message_parts(ui_req *r, GString *o, const ui_incident *inc, GPtrArray *fs)
{
	GError *err = NULL;
	GBytes *raw = *inc->held == 'd' ? NULL : ui_incident_read(r->ui, inc, &err);
	es_scan *s;

	if (!raw) {
		g_string_append(o, "<p class=\"error\">The stored message is not available");
		if (err)
			ui_escf(o, ": %s", err->message);
		g_string_append(o, ".</p>");
		g_clear_error(&err);
		return;
	}
	s = es_scan_new(r->ui->conf, inc->id);
	s->raw = raw;
	es_mime_parse(s);
	header_rows(o, s->mime);
	g_string_append(o, "<h2>Text</h2>");
	for (guint i = 0; i < s->texts->len; i++)
		text_block(o, s->texts->pdata[i], fs);
	g_string_append(o, "<h2>Attachments</h2>");
	if (!s->attachments->len)
		g_string_append(o, "<p class=\"empty\">None.</p>");
	else {
		g_string_append(o, "<table class=\"attachments\"><thead><tr><th>Name</th><th>Type</th>"
				"<th>Size</th><th>Findings</th><th></th></tr></thead><tbody>");
		gboolean virus = ui_incident_has_virus(r->ui, inc);

		for (guint i = 0; i < s->attachments->len; i++)
			attachment_row(o, inc->id, i, s->attachments->pdata[i], fs, virus);
		g_string_append(o, "</tbody></table>");
	}
	es_scan_free(s);
}

/* own_copy - the id of the copy of incident ID's message that the user's
 * school holds (one message stored for several schools: the same queue ID,
 * time, sender and list of schools with a copy, all signed), or NULL */
static char *own_copy(ui_req *r, const char *id)
{
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT b.id, b.school FROM incidents a JOIN incidents b"
				      " ON b.queue_id = a.queue_id AND b.time = a.time AND b.env_from = a.env_from"
				      " AND b.stored_for = a.stored_for AND b.id != a.id"
				      " WHERE a.id = ? AND COALESCE(a.queue_id, '') != ''"
				      " AND COALESCE(a.stored_for, '') != '' ORDER BY b.school");
	char *found = NULL;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while (!found && st && sqlite3_step(st) == SQLITE_ROW)
		if (ui_can_see_school(r->user, ui_col(st, 1)))
			found = g_strdup(ui_col(st, 0));
	sqlite3_finalize(st);
	return found;
}

/* ui_page_incident - GET /incident/ID */
void ui_page_incident(ui_req *r, ui_resp *p, const char *id)
{
	unsigned code;
	ui_incident *inc = ui_incident_load(r, id, &code);
	GPtrArray *fs;
	GString *o = p->body;

	if (!inc) {
		char *mine = code == 403 ? own_copy(r, id) : NULL;

		if (mine) {
			/* the message is stored for this lead's school too (the id
			 * came from X-ESafety-Quarantine-Id, which lists every copy) */
			char *to = g_strdup_printf("/incident/%s", mine);

			ui_redirect(p, to);
			g_free(to);
			g_free(mine);
		} else
			ui_error_page(r, p, code, code == 403 ? "This incident belongs to another school." : "No such incident.");
		return;
	}
	fs = load_findings(r->ui, id);
	ui_page_start(r, p, *inc->subject ? inc->subject : "(no subject)");
	g_string_append(o, "<p class=\"back\"><a href=\"/\">&larr; Incidents</a></p>");
	meta_rows(r, o, id);
	g_string_append(o, "<p class=\"status\">Status: <strong id=\"current-status\">");
	ui_esc(o, inc->status);
	g_string_append(o, "</strong>");
	if (*inc->outcome) {
		g_string_append(o, "; outcome: <strong>");
		ui_esc(o, inc->outcome);
		g_string_append(o, "</strong>");
	}
	g_string_append(o, "</p>");
	held_actions(o, inc, ui_incident_stored(r->ui, inc));
	findings_table(o, fs);
	ui_sender_history(r, o, inc);
	message_parts(r, o, inc, fs);
	decision_form(r, o, inc);
	ui_decision_history(r, o, id);
	ui_page_end(p);
	ui_audit(r->ui, r->user->name, r->ip, "view", id, "%s", "");
	g_ptr_array_unref(fs);
	ui_incident_free(inc);
}
