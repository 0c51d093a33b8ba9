/* page_report.c - termly and monthly figures for the e-safety lead and the
 * governors: counts by category, severity, action, sender role, direction
 * and year group, against the previous period, drawn as inline SVG. The
 * governor view (forced for governors) has no names or addresses at all; a
 * year group alone names nobody, so it is in both views. In a small school
 * a count of one (this month's one incident, its category, year group and
 * sender role) can still name a pupil, so the governor view shows counts of
 * 1 and 2 as "fewer than 3" and rounds the others to the nearest 5 (so that
 * a hidden count cannot be worked out from a total or its neighbours), and
 * shows no breakdown at all of periods with fewer than 3. */
#include "config.h"
#include "ui.h"

#include <string.h>

/* One breakdown: label -> count now and in the previous period. */
typedef struct {
	const char *title;
	GHashTable *now, *prev;	/* char * -> GINT_TO_POINTER(count) */
} breakdown;

/* period_bounds - [start, end) and the previous period for PERIOD ("month"
 * or "term": autumn Sep-Dec, spring Jan-Mar, summer Apr-Aug) around DATE */
static void period_bounds(const char *period, GDateTime *date, GDateTime **start,
			  GDateTime **end, GDateTime **prev, char **name)
{
	int y = g_date_time_get_year(date), m = g_date_time_get_month(date);

	if (strcmp(period, "term") == 0) {
		static const char *const terms[] = { "Spring", "Summer", "Autumn" };
		int t = m >= 9 ? 2 : m >= 4 ? 1 : 0, first[] = { 1, 4, 9 }, len[] = { 3, 5, 4 };

		*start = g_date_time_new_utc(y, first[t], 1, 0, 0, 0);
		*end = g_date_time_add_months(*start, len[t]);
		*prev = g_date_time_add_months(*start, -len[(t + 2) % 3]);
		*name = g_strdup_printf("%s term %d", terms[t], y);
	} else {
		*start = g_date_time_new_utc(y, m, 1, 0, 0, 0);
		*end = g_date_time_add_months(*start, 1);
		*prev = g_date_time_add_months(*start, -1);
		*name = g_date_time_format(*start, "%B %Y");
	}
}

/* Counts below this are not shown in the governor view. */
#define GOV_MIN 3

/* hidden - N is a count the governor view does not show */
static gboolean hidden(int n, gboolean governor)
{
	return governor && n > 0 && n < GOV_MIN;
}

/* shown - N as the view shows it: in the governor view, 0, hidden (drawn as
 * GOV_MIN - 1), or rounded to the nearest 5 (3 and 4 to 5) */
static int shown(int n, gboolean governor)
{
	if (!governor || n == 0)
		return n;
	if (hidden(n, governor))
		return GOV_MIN - 1;
	return MAX(5, (n + 2) / 5 * 5);
}

/* number - N as shown, "<3" where the governor view hides it */
static void number(GString *o, int n, gboolean governor)
{
	if (hidden(n, governor))
		g_string_append_printf(o, "&lt;%d", GOV_MIN);
	else
		g_string_append_printf(o, "%d", shown(n, governor));
}

/* count - add one to KEY in TABLE */
static void count(GHashTable *t, const char *key)
{
	gpointer old = g_hash_table_lookup(t, key);

	g_hash_table_replace(t, g_strdup(*key ? key : "(none)"), GINT_TO_POINTER(GPOINTER_TO_INT(old) + 1));
}

#define YEAR_UNKNOWN "not known"
/* ?3 is the school, or NULL for all: a message stored for several schools
 * counts in each school's own report, and once (the deciding school's copy,
 * the one with no policy_school) across all of them */
#define ONE_COPY "(?3 IS NULL AND policy_school IS NULL OR school = ?3)"

/* gather - fill the breakdowns for [from, to) into the NOW (or PREV) tables */
static int gather(ui_req *r, const char *school, gint64 from, gint64 to, breakdown *b, gboolean now)
{
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT categories, severity, verdict, sender_role,"
		" direction, COALESCE(NULLIF(year_group, ''), '" YEAR_UNKNOWN "') FROM incidents"
		" WHERE time >= ? AND time < ? AND " ONE_COPY);
	int total = 0;

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_text(st, 3, school, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char **cats = g_strsplit(ui_col(st, 0), ",", -1);

		for (char **c = cats; *c; c++)
			if (*g_strstrip(*c))
				count(now ? b[0].now : b[0].prev, *c);
		g_strfreev(cats);
		for (int i = 1; i <= 5; i++)
			count(now ? b[i].now : b[i].prev, ui_col(st, i));
		total++;
	}
	sqlite3_finalize(st);
	return total;
}

/* merge_keys - every label of the previous period also appears (with 0) now */
static void merge_keys(breakdown *b)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, b->prev);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!g_hash_table_contains(b->now, k))
			g_hash_table_insert(b->now, g_strdup(k), NULL);
}

/* svg_bars - a horizontal bar chart of B (this period dark, previous light),
 * of the numbers as shown (a hidden count as long as GOV_MIN - 1) */
static void svg_bars(GString *o, breakdown *b, gboolean governor)
{
	GList *keys = g_list_sort(g_hash_table_get_keys(b->now), (GCompareFunc)strcmp);
	int max = 1, n = 0, y = 0;

	for (GList *k = keys; k; k = k->next, n++)
		max = MAX(max, MAX(shown(GPOINTER_TO_INT(g_hash_table_lookup(b->now, k->data)), governor),
				   shown(GPOINTER_TO_INT(g_hash_table_lookup(b->prev, k->data)), governor)));
	g_string_append_printf(o, "<figure class=\"chart\"><figcaption>%s</figcaption>"
			       "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"520\" height=\"%d\""
			       " viewBox=\"0 0 520 %d\"><title>%s</title>", b->title, n * 30 + 4, n * 30 + 4, b->title);
	for (GList *k = keys; k; k = k->next, y += 30) {
		int now = GPOINTER_TO_INT(g_hash_table_lookup(b->now, k->data));
		int prev = GPOINTER_TO_INT(g_hash_table_lookup(b->prev, k->data));
		int wnow = shown(now, governor) * 300 / max, wprev = shown(prev, governor) * 300 / max;

		g_string_append_printf(o, "<text x=\"0\" y=\"%d\" font-size=\"12\">", y + 16);
		ui_esc(o, k->data);
		g_string_append_printf(o, "</text><rect x=\"130\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"#1f5f8b\"/>"
			"<rect x=\"130\" y=\"%d\" width=\"%d\" height=\"6\" fill=\"#9cc3de\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"12\">", y + 4, wnow, y + 18, wprev, 136 + wnow, y + 15);
		number(o, now, governor);
		g_string_append(o, " (before: ");
		number(o, prev, governor);
		g_string_append(o, ")</text>");
	}
	g_string_append(o, "</svg></figure>");
	g_list_free(keys);
}

/* table_of - the same numbers as a table, with the change */
static void table_of(GString *o, breakdown *b, gboolean governor)
{
	GList *keys = g_list_sort(g_hash_table_get_keys(b->now), (GCompareFunc)strcmp);

	g_string_append_printf(o, "<table class=\"report\"><thead><tr><th>%s</th><th>This period</th>"
			       "<th>Previous</th><th>Change</th></tr></thead><tbody>", b->title);
	for (GList *k = keys; k; k = k->next) {
		int now = GPOINTER_TO_INT(g_hash_table_lookup(b->now, k->data));
		int prev = GPOINTER_TO_INT(g_hash_table_lookup(b->prev, k->data));

		g_string_append(o, "<tr><td>");
		ui_esc(o, k->data);
		g_string_append(o, "</td><td>");
		number(o, now, governor);
		g_string_append(o, "</td><td>");
		number(o, prev, governor);
		if (hidden(now, governor) || hidden(prev, governor))
			g_string_append(o, "</td><td>&ndash;</td></tr>");	/* it would give the hidden one away */
		else
			g_string_append_printf(o, "</td><td>%+d</td></tr>", shown(now, governor) - shown(prev, governor));
	}
	g_string_append(o, "</tbody></table>");
	g_list_free(keys);
}

/* top_senders - the lead's view only: who was flagged most often */
static void top_senders(ui_req *r, GString *o, const char *school, gint64 from, gint64 to)
{
	sqlite3_stmt *st = ui_db_prep(r->ui->db, "SELECT env_from, COUNT(*) AS n FROM incidents"
		" WHERE time >= ? AND time < ? AND " ONE_COPY " GROUP BY env_from"
		" HAVING n > 1 ORDER BY n DESC LIMIT 10");

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_text(st, 3, school, -1, SQLITE_TRANSIENT);
	g_string_append(o, "<h2>Repeat senders (not in the governor view)</h2><table class=\"report\">"
			"<thead><tr><th>Sender</th><th>Incidents</th></tr></thead><tbody>");
	while (sqlite3_step(st) == SQLITE_ROW) {
		g_string_append(o, "<tr><td>");
		ui_esc(o, ui_col(st, 0));
		g_string_append_printf(o, "</td><td>%d</td></tr>", sqlite3_column_int(st, 1));
	}
	g_string_append(o, "</tbody></table>");
	sqlite3_finalize(st);
}

/* year_groups_known - some incident of either period has a year group */
static gboolean year_groups_known(const breakdown *b)
{
	guint n = g_hash_table_size(b->now);

	return n > 1 || (n == 1 && !g_hash_table_contains(b->now, YEAR_UNKNOWN));
}

/* period_links - choose month/term and step back or forward */
static void period_links(GString *o, const char *period, GDateTime *prev, GDateTime *end,
			 gboolean governor)
{
	char *p = g_date_time_format(prev, "%Y-%m-%d"), *n = g_date_time_format(end, "%Y-%m-%d");
	const char *v = governor ? "&amp;view=governor" : "";

	g_string_append_printf(o, "<p class=\"periods noprint\"><a href=\"/report?period=month%s\">This month</a> "
		"<a href=\"/report?period=term%s\">This term</a> <a href=\"/report?period=%s&amp;date=%s%s\">"
		"&larr; Previous</a> <a href=\"/report?period=%s&amp;date=%s%s\">Next &rarr;</a> ", v, v,
		period, p, v, period, n, v);
	if (!governor)
		g_string_append_printf(o, "<a id=\"governor-view\" href=\"/report?period=%s&amp;view=governor\">"
				       "Governor view</a> ", period);
	g_string_append(o, "<button type=\"button\" id=\"print\">Print</button></p>");
	g_free(p);
	g_free(n);
}

/* ui_page_report - GET /report?period=month|term&date=YYYY-MM-DD[&view=governor][&school=S] */
void ui_page_report(ui_req *r, ui_resp *p)
{
	const char *period = g_strcmp0(ui_arg(r, "period"), "term") == 0 ? "term" : "month";
	gboolean governor = strcmp(r->user->role, "governor") == 0 ||
			    g_strcmp0(ui_arg(r, "view"), "governor") == 0;
	const char *school = r->user->school ? r->user->school :
			     (ui_arg(r, "school") && *ui_arg(r, "school") ? ui_arg(r, "school") : NULL);
	char *ds = g_strdup_printf("%sT00:00:00Z", ui_arg(r, "date") ? ui_arg(r, "date") : "");
	GDateTime *date = g_date_time_new_from_iso8601(ds, NULL), *start, *end, *prev;
	breakdown b[] = { { "Category", NULL, NULL }, { "Severity", NULL, NULL }, { "Action", NULL, NULL },
			  { "Sender role", NULL, NULL }, { "Direction", NULL, NULL }, { "Year group", NULL, NULL } };
	char *name, *title;
	int total, ptotal;
	gboolean withheld;
	GString *o = p->body;

	/* years 2..9998 only: a period and the one before it must be dates GLib
	 * can make (9999-12 has no next month, 0001-01 no previous one) */
	if (date && (g_date_time_get_year(date) < 2 || g_date_time_get_year(date) > 9998))
		g_clear_pointer(&date, g_date_time_unref);
	if (!date)
		date = g_date_time_new_now_utc();
	period_bounds(period, date, &start, &end, &prev, &name);
	for (gsize i = 0; i < G_N_ELEMENTS(b); i++) {
		b[i].now = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		b[i].prev = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	}
	total = gather(r, school, g_date_time_to_unix(start), g_date_time_to_unix(end), b, TRUE);
	ptotal = gather(r, school, g_date_time_to_unix(prev), g_date_time_to_unix(start), b, FALSE);
	title = g_strdup_printf("%s report: %s", governor ? "Governors'" : "E-safety", name);
	ui_page_start(r, p, title);
	g_string_append(o, "<p class=\"scope\">");
	ui_escf(o, "School: %s. ", school ? school : "all schools");
	if (governor)
		g_string_append(o, "<strong id=\"anonymised\">Anonymised: no names or addresses.</strong> ");
	g_string_append(o, "</p><p class=\"total\">Incidents this period: <strong id=\"total\">");
	number(o, total, governor);
	g_string_append(o, "</strong> (previous period: ");
	number(o, ptotal, governor);
	if (hidden(total, governor) || hidden(ptotal, governor))
		g_string_append(o, ").</p>");
	else
		g_string_append_printf(o, ", change %+d).</p>", shown(total, governor) - shown(ptotal, governor));
	period_links(o, period, prev, end, governor);
	if (governor)
		g_string_append_printf(o, "<p class=\"note\" id=\"rounded\">So that no pupil can be told from them,"
				       " counts are rounded to the nearest 5 (3 and 4 count as 5), and 1 or 2 is"
				       " shown as &lt;%d.</p>", GOV_MIN);
	/* one or two incidents, now or before: any breakdown would describe them */
	withheld = hidden(total, governor) || hidden(ptotal, governor);
	if (withheld)
		g_string_append_printf(o, "<p class=\"note\" id=\"withheld\">Fewer than %d incidents in this period or"
				       " the one before: the breakdowns are withheld in the governor view.</p>", GOV_MIN);
	for (gsize i = 0; i < G_N_ELEMENTS(b) && !withheld; i++) {
		merge_keys(&b[i]);
		if (strcmp(b[i].title, "Year group") == 0 && !year_groups_known(&b[i])) {
			g_string_append(o, "<p class=\"note\" id=\"no-year-groups\">No incident of these periods has"
					" a year group (the school's year_groups setting lists them).</p>");
			continue;
		}
		svg_bars(o, &b[i], governor);
		table_of(o, &b[i], governor);
	}
	if (!governor)
		top_senders(r, o, school, g_date_time_to_unix(start), g_date_time_to_unix(end));
	ui_page_end(p);
	ui_audit(r->ui, r->user->name, r->ip, "report", NULL, "%s%s", name, governor ? " (governor view)" : "");
	for (gsize i = 0; i < G_N_ELEMENTS(b); i++) {
		g_hash_table_unref(b[i].now);
		g_hash_table_unref(b[i].prev);
	}
	g_date_time_unref(date); g_date_time_unref(start); g_date_time_unref(end); g_date_time_unref(prev);
	g_free(ds); g_free(name); g_free(title);
}
