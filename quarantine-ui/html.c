/* html.c - building pages safely: every value from mail or users goes
 * through ui_esc, so a subject, sender or filename can never become markup;
 * and the small parsers of what comes in (forms, ids, times) */
#include "config.h"
#include "ui.h"

#include <string.h>

/* ui_esc - append S with &, <, >, " and ' escaped (NULL appends nothing) */
void ui_esc(GString *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&#39;"); break;
		default: g_string_append_c(out, *s);
		}
	}
}

/* ui_escf - printf, then escape the whole result */
void ui_escf(GString *out, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ui_esc(out, s);
	g_free(s);
}

/* ui_url_encode - percent-encode S for a query string (g_free) */
char *ui_url_encode(const char *s)
{
	return g_uri_escape_string(s ? s : "", NULL, FALSE);
}

/* ui_csv_field - one CSV field, quoted; a leading = + - @ is defused so a
 * spreadsheet never runs a formula that came from a mail, also behind
 * leading spaces or control characters (which become spaces: a subject can
 * be encoded to hold a line break) */
void ui_csv_field(GString *out, const char *s, gboolean last)
{
	const char *t = s ? s : "";

	while (*t && ((guchar)*t < 0x20 || *t == ' ' || *t == 0x7f))
		t++;
	g_string_append_c(out, '"');
	if (*t && strchr("=+-@", *t))
		g_string_append_c(out, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, (guchar)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	}
	g_string_append(out, last ? "\"\r\n" : "\",");
}

/* ui_fmt_time - unix seconds as "YYYY-MM-DD HH:MM" UTC in BUF */
const char *ui_fmt_time(gint64 t, char *buf, gsize len)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(t);
	char *s = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : g_strdup("?");

	g_strlcpy(buf, s, len);
	g_free(s);
	if (dt)
		g_date_time_unref(dt);
	return buf;
}

/* ui_csrf_field - the hidden CSRF input every POST form carries */
void ui_csrf_field(ui_req *r, GString *out)
{
	g_string_append(out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	ui_esc(out, r->csrf);
	g_string_append(out, "\">");
}

/* nav - the menu, by role: governors see reports only */
static void nav(ui_req *r, GString *o)
{
	const ui_user *u = r->user;

	g_string_append(o, "<header class=\"top\"><span class=\"brand\">e-safety quarantine</span><nav>");
	if (strcmp(u->role, "governor") != 0)
		g_string_append(o, "<a href=\"/\">Incidents</a><a href=\"/export.csv\">Export CSV</a>");
	g_string_append(o, "<a href=\"/report\">Reports</a>");
	if (strcmp(u->role, "admin") == 0)
		g_string_append(o, "<a href=\"/audit\">Audit log</a>");
	g_string_append(o, "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">");
	ui_csrf_field(r, o);
	g_string_append(o, "<span class=\"who\">");
	ui_esc(o, u->name);
	g_string_append(o, " (");
	ui_esc(o, u->role);
	if (u->school) {
		g_string_append(o, ", ");
		ui_esc(o, u->school);
	}
	g_string_append(o, ")</span> <button type=\"submit\" id=\"logout\">Log out</button></form></header>");
}

/* ui_page_start - an HTML page with the stylesheet, script and menu */
void ui_page_start(ui_req *r, ui_resp *p, const char *title)
{
	GString *o = p->body;

	p->ctype = "text/html; charset=utf-8";
	g_string_append(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			"<title>");
	ui_esc(o, title);
	g_string_append(o, " - e-safety quarantine</title><link rel=\"stylesheet\" href=\"/static/ui.css\">"
			"<script src=\"/static/ui.js\" defer></script></head><body>");
	if (r->user)
		nav(r, o);
	g_string_append(o, "<main><h1>");
	ui_esc(o, title);
	g_string_append(o, "</h1>");
}

/* ui_page_end - close the page */
void ui_page_end(ui_resp *p)
{
	g_string_append(p->body, "</main></body></html>\n");
}

/* ui_error_page - a short page saying what went wrong, with STATUS */
void ui_error_page(ui_req *r, ui_resp *p, unsigned status, const char *msg)
{
	g_string_truncate(p->body, 0);
	p->status = status;
	g_free(p->error);
	p->error = g_strdup(msg);
	ui_page_start(r, p, status == 403 ? "Not allowed" : status == 404 ? "Not found" : "Error");
	g_string_append(p->body, "<p class=\"error\">");
	ui_esc(p->body, msg);
	g_string_append(p->body, "</p>");
	ui_page_end(p);
}

/* form_decode - one urlencoded token: '+' is a space, %XX a byte */
static char *form_decode(const char *s, gssize len)
{
	char *t = len < 0 ? g_strdup(s) : g_strndup(s, (gsize)len), *d;

	g_strdelimit(t, "+", ' ');
	d = g_uri_unescape_string(t, NULL);
	g_free(t);
	return d ? d : g_strdup("");
}

/* ui_form_parse - application/x-www-form-urlencoded to a table */
GHashTable *ui_form_parse(const char *body)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **pairs = g_strsplit(body ? body : "", "&", -1);

	for (char **p = pairs; *p; p++) {
		const char *eq = strchr(*p, '=');

		if (!**p)
			continue;
		if (eq)
			g_hash_table_replace(h, form_decode(*p, eq - *p), form_decode(eq + 1, -1));
		else
			g_hash_table_replace(h, form_decode(*p, -1), g_strdup(""));
	}
	g_strfreev(pairs);
	return h;
}

/* ui_valid_id - ID is a quarantine id (16 lower-case hex digits) */
gboolean ui_valid_id(const char *id)
{
	if (!id || strlen(id) != 16)
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
			return FALSE;
	return TRUE;
}

/* ui_parse_time - RFC 3339 UTC to unix seconds; -1 if not one */
gint64 ui_parse_time(const char *s)
{
	GDateTime *dt = s ? g_date_time_new_from_iso8601(s, NULL) : NULL;
	gint64 t = dt ? g_date_time_to_unix(dt) : -1;

	if (dt)
		g_date_time_unref(dt);
	return t;
}
