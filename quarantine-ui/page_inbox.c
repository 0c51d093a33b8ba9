/* page_inbox.c - the list of incidents, newest first, with filters, search
 * and paging, and the same selection exported as the school's e-safety
 * incident log (CSV) */
#include "config.h"
#include "ui.h"

#include <string.h>

/* The filters, by query-string name; each adds one condition with one parameter. */
static const struct { const char *arg, *sql; } filters[] = {
	{ "school", "i.school = ?" },
	{ "category", "(',' || replace(i.categories, ' ', '') || ',') LIKE '%,' || ? || ',%'" },
	{ "severity", "i.severity >= ?" },
	{ "action", "i.verdict = ?" },
	{ "status", "COALESCE(r.status, 'new') = ?" },
	{ "from", "i.time >= strftime('%s', ?)" },
	{ "to", "i.time < strftime('%s', ?, '+1 day')" },
	{ "sender", "i.env_from LIKE '%' || ? || '%'" },
	{ "recipient", "i.env_to LIKE '%' || ? || '%'" },
	{ "q", "(i.subject LIKE '%' || ?1 || '%' OR i.env_from LIKE '%' || ?1 || '%' OR i.env_to"
	       " LIKE '%' || ?1 || '%' OR i.id IN (SELECT incident FROM findings WHERE excerpt LIKE"
	       " '%' || ?1 || '%' OR rule LIKE '%' || ?1 || '%'))" },
};

/* where_clause - WHERE for the request's filters and the user's school;
 * fills VALS with the parameters in order */
static GString *where_clause(ui_req *r, GPtrArray *vals)
{
	GString *w = g_string_new(" WHERE 1");

	if (r->user->school) {
		g_ptr_array_add(vals, r->user->school);
		g_string_append_printf(w, " AND i.school = ?%u", vals->len);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(filters); i++) {
		const char *v = ui_arg(r, filters[i].arg);
		char *cond;

		if (!v || !*v)
			continue;
		g_ptr_array_add(vals, (gpointer)v);
		/* number the parameter so ?1 in the search clause means this value */
		cond = g_strdup(filters[i].sql);
		if (strstr(cond, "?1")) {
			char **parts = g_strsplit(cond, "?1", -1), *num = g_strdup_printf("?%u", vals->len);

			g_free(cond);
			cond = g_strjoinv(num, parts);
			g_strfreev(parts);
			g_free(num);
		} else {
			char *q = strchr(cond, '?'), *num = g_strdup_printf("%.*s?%u%s", (int)(q - cond),
									    cond, vals->len, q + 1);

			g_free(cond);
			cond = num;
		}
		g_string_append_printf(w, " AND %s", cond);
		g_free(cond);
	}
	return w;
}

/* filters_text - the request's filters as "name=value ..." for the audit
 * log: who listed or exported which incidents is part of the record */
static char *filters_text(ui_req *r)
{
	GString *t = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(filters); i++) {
		const char *v = ui_arg(r, filters[i].arg);

		if (v && *v)
			g_string_append_printf(t, "%s%s=%s", t->len ? " " : "", filters[i].arg, v);
	}
	if (!t->len)
		g_string_append(t, "no filter");
	return g_string_free(t, FALSE);
}

/* bind_all - bind VALS as text, in order */
static void bind_all(sqlite3_stmt *st, GPtrArray *vals)
{
	for (guint i = 0; i < vals->len; i++)
		sqlite3_bind_text(st, (int)i + 1, vals->pdata[i], -1, SQLITE_TRANSIENT);
}

/* select_field - a <select> of CHOICES ("" = any), keeping the current value */
static void select_field(ui_req *r, GString *o, const char *name, const char *label,
			 const char *const *choices)
{
	const char *cur = ui_arg(r, name);

	g_string_append_printf(o, "<label>%s <select name=\"%s\"><option value=\"\">any</option>", label, name);
	for (; *choices; choices++) {
		g_string_append(o, "<option");
		if (cur && strcmp(cur, *choices) == 0)
			g_string_append(o, " selected");
		g_string_append(o, ">");
		ui_esc(o, *choices);
		g_string_append(o, "</option>");
	}
	g_string_append(o, "</select></label>");
}

/* text_field - an <input> keeping the current value */
static void text_field(ui_req *r, GString *o, const char *name, const char *label, const char *type)
{
	g_string_append_printf(o, "<label>%s <input type=\"%s\" name=\"%s\" value=\"", label, type, name);
	ui_esc(o, ui_arg(r, name));
	g_string_append(o, "\"></label>");
}

/* filter_form - the filter bar */
static void filter_form(ui_req *r, GString *o)
{
	static const char *const cats[] = { "profanity", "sexual", "hate", "bullying", "threat",
		"self_harm", "grooming", "extremism", "drugs", "personal_info", "sensitive_data",
		"pupil_data", "virus", "limits", NULL };
	static const char *const sev[] = { "1", "2", "3", "4", "5", NULL };
	static const char *const act[] = { "copy", "hold", "reject", "tempfail", "accept", NULL };
	static const char *const st[] = { "new", "in review", "actioned", "false positive", NULL };

	g_string_append(o, "<form class=\"filters\" method=\"get\" action=\"/\">");
	text_field(r, o, "q", "Search", "search");
	if (!r->user->school)
		text_field(r, o, "school", "School", "text");
	select_field(r, o, "category", "Category", cats);
	select_field(r, o, "severity", "Severity at least", sev);
	select_field(r, o, "action", "Action", act);
	select_field(r, o, "status", "Status", st);
	text_field(r, o, "from", "From date", "date");
	text_field(r, o, "to", "To date", "date");
	text_field(r, o, "sender", "Sender", "text");
	text_field(r, o, "recipient", "Recipient", "text");
	g_string_append(o, "<button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></form>");
}

/* page_link - link to page N keeping the filters */
static void page_link(ui_req *r, GString *o, int n, const char *label)
{
	g_string_append_printf(o, "<a class=\"pager\" href=\"/?page=%d", n);
	for (gsize i = 0; i < G_N_ELEMENTS(filters); i++) {
		const char *v = ui_arg(r, filters[i].arg);
		char *e;

		if (!v || !*v)
			continue;
		e = ui_url_encode(v);
		g_string_append_printf(o, "&amp;%s=", filters[i].arg);
		ui_esc(o, e);
		g_free(e);
	}
	g_string_append_printf(o, "\">%s</a> ", label);
}

/* One incident of the page, read before any is shown so that the senders
 * can be looked up together. */
typedef struct {
	char *id, *school, *subject, *from, *to, *cats, *verdict, *status, *held;
	char *rep_school;	/* whose Redis record the sender has: the deciding school's */
	char *rep_role;		/* the sender's role where its reputation is kept (ui_incident's) */
	gint64 time;
	int severity;
} inbox_item;

/* item_read - the current row of the inbox query; *index_count gets the
 * sender's incidents in 30 days up to it */
static void item_read(sqlite3_stmt *st, inbox_item *it, int *index_count)
{
	it->id = g_strdup(ui_col(st, 0));
	it->time = sqlite3_column_int64(st, 1);
	it->school = g_strdup(ui_col(st, 2));
	it->subject = g_strdup(ui_col(st, 3));
	it->from = g_strdup(ui_col(st, 4));
	it->to = g_strdup(ui_col(st, 5));
	it->cats = g_strdup(ui_col(st, 6));
	it->severity = sqlite3_column_int(st, 7);
	it->verdict = g_strdup(ui_col(st, 8));
	it->status = g_strdup(ui_col(st, 9));
	it->held = g_strdup(ui_col(st, 10));
	*index_count = sqlite3_column_int(st, 11);
	it->rep_school = g_strdup(ui_col(st, 12));
	it->rep_role = g_strdup(ui_col(st, 13));
}

/* item_clear - free one item's strings */
static void item_clear(inbox_item *it)
{
	g_free(it->id); g_free(it->school); g_free(it->subject); g_free(it->from); g_free(it->to);
	g_free(it->cats); g_free(it->verdict); g_free(it->status); g_free(it->held); g_free(it->rep_school);
	g_free(it->rep_role);
}

/* cell - "<td>VALUE</td>", escaped */
static void cell(GString *o, const char *value)
{
	g_string_append(o, "<td>");
	ui_esc(o, value);
	g_string_append(o, "</td>");
}

/* inbox_row - one incident in the table; MARK says why its sender is a repeat sender */
static void inbox_row(GString *o, const inbox_item *it, const char *mark)
{
	char when[32];

	g_string_append_printf(o, "<tr class=\"sev%d\"><td>%s</td>", it->severity,
			       ui_fmt_time(it->time, when, sizeof(when)));
	g_string_append(o, "<td><a class=\"incident\" href=\"/incident/");
	ui_esc(o, it->id);
	g_string_append(o, "\">");
	ui_esc(o, *it->subject ? it->subject : "(no subject)");
	g_string_append(o, "</a></td><td>");
	ui_esc(o, it->from);
	if (mark) {
		g_string_append(o, " <span class=\"badge repeat\" title=\"");
		ui_esc(o, mark);
		g_string_append(o, "\">repeat</span>");
	}
	g_string_append(o, "</td>");
	cell(o, it->to);
	cell(o, it->school);
	cell(o, it->cats);
	g_string_append_printf(o, "<td>%d</td><td>", it->severity);
	ui_esc(o, it->verdict);
	if (*it->held) {
		g_string_append(o, " (");
		ui_esc(o, it->held);
		g_string_append(o, ")");
	}
	g_string_append(o, "</td>");
	cell(o, it->status);
	g_string_append(o, "</tr>");
}

/* inbox_table - the page's incidents, their senders marked together */
static void inbox_table(ui_req *r, GString *o, inbox_item *items, ui_sender_mark *marks, guint n)
{
	for (guint i = 0; i < n; i++) {
		marks[i].school = items[i].rep_school;
		marks[i].sender = items[i].from;
		marks[i].forged = es_reputation_forged(r->ui->conf, items[i].from, items[i].rep_role);
		marks[i].private_record = ui_record_private(r, items[i].rep_school, items[i].rep_role,
								   items[i].from);
	}
	ui_mark_repeats(r, o, marks, n);
	g_string_append(o, "<table class=\"inbox\"><thead><tr><th>Time (UTC)</th><th>Subject</th>"
			"<th>Sender</th><th>Recipients</th><th>School</th><th>Categories</th>"
			"<th>Severity</th><th>Action</th><th>Status</th></tr></thead><tbody>");
	for (guint i = 0; i < n; i++)
		inbox_row(o, &items[i], marks[i].mark);
	g_string_append(o, "</tbody></table>");
	if (n == 0)
		g_string_append(o, "<p class=\"empty\">No incidents match.</p>");
}

/* ui_page_inbox - GET / */
void ui_page_inbox(ui_req *r, ui_resp *p)
{
	GPtrArray *vals = g_ptr_array_new();
	GString *w = where_clause(r, vals), *o = p->body;
	/* bounded, so that (page - 1) * page_size cannot overflow */
	int page = (int)CLAMP(g_ascii_strtoll(ui_arg(r, "page") ? ui_arg(r, "page") : "1", NULL, 10), 1, 1000000);
	char *sql = g_strdup_printf("SELECT i.id, i.time, i.school, i.subject, i.env_from, i.env_to,"
		" i.categories, i.severity, i.verdict, COALESCE(r.status, 'new'), COALESCE(r.held, ''),"
		" (SELECT COUNT(*) FROM incidents j WHERE j.school = i.school AND j.env_from = i.env_from"
		"  AND j.time <= i.time AND j.time > i.time - 30 * 86400"
		"  AND (" UI_REP_ROLE("j") " = 'external') = (" UI_REP_ROLE("i") " = 'external')),"
		" COALESCE(i.policy_school, i.school), " UI_REP_ROLE("i")
		" FROM incidents i LEFT JOIN review r ON r.incident = i.id%s"
		" ORDER BY i.time DESC, i.id LIMIT %d OFFSET %d", w->str, r->ui->page_size + 1,
		(page - 1) * r->ui->page_size);
	sqlite3_stmt *st = ui_db_prep(r->ui->db, sql);
	inbox_item *items = g_new0(inbox_item, r->ui->page_size);
	ui_sender_mark *marks = g_new0(ui_sender_mark, r->ui->page_size);
	int n = 0;
	gboolean more = FALSE;

	bind_all(st, vals);
	while (st && sqlite3_step(st) == SQLITE_ROW && !(more = n == r->ui->page_size)) {
		item_read(st, &items[n], &marks[n].index_count);
		n++;
	}
	ui_page_start(r, p, "Incidents");
	filter_form(r, o);
	inbox_table(r, o, items, marks, (guint)n);
	g_string_append(o, "<p class=\"paging\">");
	if (page > 1)
		page_link(r, o, page - 1, "&larr; Newer");
	g_string_append_printf(o, "Page %d ", page);
	if (more)
		page_link(r, o, page + 1, "Older &rarr;");
	g_string_append(o, "</p>");
	ui_page_end(p);
	{
		/* the list shows subjects, senders and recipients: a view like any other */
		char *f = filters_text(r);

		ui_audit(r->ui, r->user->name, r->ip, "inbox", NULL, "page %d, %d incidents listed; %s", page, n, f);
		g_free(f);
	}
	ui_sender_marks_clear(marks, (guint)n);
	for (int i = 0; i < n; i++)
		item_clear(&items[i]);
	g_free(items);
	g_free(marks);
	sqlite3_finalize(st);
	g_free(sql);
	g_string_free(w, TRUE);
	g_ptr_array_unref(vals);
}

/* ui_page_export - GET /export.csv: the incident log (same filters), one row per incident */
void ui_page_export(ui_req *r, ui_resp *p)
{
	static const char *const head[] = { "id", "time_utc", "school", "action", "reason",
		"categories", "severity", "sender_role", "year_group", "direction", "sender", "recipients",
		"subject", "status", "outcome", "notes", "held", "decided_by", "decided_at",
		/* added last, so the columns before keep their places: the queue ID
		 * ties a row to the mail logs, and the copies of one message stored
		 * for several schools to each other */
		"queue_id", "policy_school", "stored_for" };
	GPtrArray *vals = g_ptr_array_new();
	GString *w = where_clause(r, vals);
	char *sql = g_strdup_printf("SELECT i.id, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', i.time, 'unixepoch'),"
		" i.school, i.verdict, i.reason, i.categories, i.severity, i.sender_role, i.year_group, i.direction,"
		" i.env_from, i.env_to, i.subject, COALESCE(r.status, 'new'), r.outcome, r.notes, r.held,"
		" d.user, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', d.time, 'unixepoch'),"
		" i.queue_id, i.policy_school, i.stored_for"
		" FROM incidents i LEFT JOIN review r ON r.incident = i.id LEFT JOIN decisions d ON"
		" d.seq = (SELECT MAX(seq) FROM decisions WHERE incident = i.id)%s ORDER BY i.time", w->str);
	sqlite3_stmt *st = ui_db_prep(r->ui->db, sql);
	int rows = 0;

	p->ctype = "text/csv; charset=utf-8";
	p->filename = g_strdup("esafety-incident-log.csv");
	for (gsize i = 0; i < G_N_ELEMENTS(head); i++)
		ui_csv_field(p->body, head[i], i + 1 == G_N_ELEMENTS(head));
	bind_all(st, vals);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < (int)G_N_ELEMENTS(head); i++)
			ui_csv_field(p->body, ui_col(st, i), i + 1 == (int)G_N_ELEMENTS(head));
		rows++;
	}
	{
		char *f = filters_text(r);

		ui_audit(r->ui, r->user->name, r->ip, "export", NULL, "%d incidents; %s", rows, f);
		g_free(f);
	}
	sqlite3_finalize(st);
	g_free(sql);
	g_string_free(w, TRUE);
	g_ptr_array_unref(vals);
}
