/* page_audit.c - the audit log (logins, views, downloads, releases, deletes,
 * decisions, exports, purges), newest first, for admins only */
#include "config.h"
#include "ui.h"

#include <string.h>

/* ui_page_audit - GET /audit[?page=N][&action=A] */
void ui_page_audit(ui_req *r, ui_resp *p)
{
	const char *action = ui_arg(r, "action");
	/* bounded, as the inbox's: (page - 1) * page_size and page + 1 cannot overflow */
	int page = (int)CLAMP(g_ascii_strtoll(ui_arg(r, "page") ? ui_arg(r, "page") : "1", NULL, 10), 1, 1000000);
	sqlite3_stmt *st;
	GString *o = p->body;
	char when[32];
	int n = 0;

	if (strcmp(r->user->role, "admin") != 0) {
		ui_error_page(r, p, 403, "The audit log is for admins.");
		return;
	}
	st = ui_db_prep(r->ui->db, "SELECT time, user, ip, action, incident, detail FROM audit"
			" WHERE (?1 IS NULL OR action = ?1) ORDER BY seq DESC LIMIT ?2 OFFSET ?3");
	sqlite3_bind_text(st, 1, action && *action ? action : NULL, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, r->ui->page_size + 1);
	sqlite3_bind_int(st, 3, (page - 1) * r->ui->page_size);
	ui_page_start(r, p, "Audit log");
	g_string_append(o, "<form class=\"filters\" method=\"get\" action=\"/audit\"><label>Action"
			" <input name=\"action\" value=\"");
	ui_esc(o, action);
	g_string_append(o, "\"></label><button type=\"submit\">Filter</button></form>"
			"<table class=\"audit\" id=\"audit\"><thead><tr><th>When (UTC)</th><th>User</th>"
			"<th>Address</th><th>Action</th><th>Incident</th><th>Detail</th></tr></thead><tbody>");
	while (sqlite3_step(st) == SQLITE_ROW && ++n <= r->ui->page_size) {
		g_string_append_printf(o, "<tr><td>%s</td>",
				       ui_fmt_time(sqlite3_column_int64(st, 0), when, sizeof(when)));
		for (int i = 1; i <= 5; i++) {
			g_string_append(o, "<td>");
			ui_esc(o, ui_col(st, i));
			g_string_append(o, "</td>");
		}
		g_string_append(o, "</tr>");
	}
	g_string_append(o, "</tbody></table><p class=\"paging\">");
	if (page > 1)
		g_string_append_printf(o, "<a href=\"/audit?page=%d\">&larr; Newer</a> ", page - 1);
	if (n > r->ui->page_size)
		g_string_append_printf(o, "<a href=\"/audit?page=%d\">Older &rarr;</a>", page + 1);
	g_string_append(o, "</p>");
	ui_page_end(p);
	sqlite3_finalize(st);
}
