/* indexer.c - keep the SQLite index in step with the quarantine Maildirs:
 * read each new file's signed X-ESafety-* block, and purge what is older than
 * the retention period. The Maildirs are the truth; the index can be rebuilt. */
#include "config.h"
#include "ui.h"
#include "log.h"
#include "quarantine.h"

#include <string.h>
#include <errno.h>
#include <gmime/gmime.h>

/* One parsed X-ESafety-* block. */
typedef struct {
	GHashTable *one;	/* header name (lower case, without prefix) -> value */
	GPtrArray *findings;	/* char *: raw X-ESafety-Finding values */
	GPtrArray *to;		/* char *: X-ESafety-Envelope-To values */
	char *subject;
} qhead;

/* qhead_free - free a parsed block */
static void qhead_free(qhead *h)
{
	g_hash_table_unref(h->one);
	g_ptr_array_unref(h->findings);
	g_ptr_array_unref(h->to);
	g_free(h->subject);
}

/* header_subject - the decoded Subject of the original message, or "" */
static char *header_subject(const char *hdrs, gsize len)
{
	const char *end = hdrs + len, *p = hdrs;
	GString *v = NULL;
	char *dec;

	while (p < end && *p != '\n' && *p != '\r') {
		const char *eol = memchr(p, '\n', (gsize)(end - p));

		if (!eol)
			eol = end;
		if (v && (*p == ' ' || *p == '\t'))
			g_string_append_len(v, p, eol - p);
		else if (v)
			break;
		else if (g_ascii_strncasecmp(p, "Subject:", 8) == 0)
			v = g_string_new_len(p + 8, eol - p - 8);
		p = eol + 1;
	}
	if (!v)
		return g_strdup("");
	g_strdelimit(v->str, "\r\n", ' ');
	dec = g_mime_utils_header_decode_text(NULL, g_strstrip(v->str));
	g_string_free(v, TRUE);
	return dec;
}

/* qhead_parse - read the leading X-ESafety-* lines of a stored message */
static void qhead_parse(qhead *h, const char *msg, gsize len)
{
	const char *p = msg, *end = msg + len;

	h->one = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	h->findings = g_ptr_array_new_with_free_func(g_free);
	h->to = g_ptr_array_new_with_free_func(g_free);
	while (p < end && g_ascii_strncasecmp(p, "X-ESafety-", 10) == 0) {
		const char *eol = memchr(p, '\n', (gsize)(end - p)), *colon;
		char *name, *value;

		if (!eol)
			eol = end;
		colon = memchr(p, ':', (gsize)(eol - p));
		if (!colon)
			break;
		name = g_ascii_strdown(p + 10, colon - p - 10);
		value = g_strstrip(g_strndup(colon + 1, eol - colon - 1));
		if (strcmp(name, "finding") == 0)
			g_ptr_array_add(h->findings, value);
		else if (strcmp(name, "envelope-to") == 0)
			g_ptr_array_add(h->to, value);
		else
			g_hash_table_replace(h->one, g_strdup(name), value), value = NULL;
		p = eol + 1;
		/* the signature closes the signed block: X-ESafety lines after it
		 * are not covered by it and must not override what it covers */
		if (strcmp(name, "hmac") == 0) {
			g_free(name);
			break;
		}
		g_free(name);
	}
	h->subject = header_subject(p, (gsize)(end - p));
}

/* field_at - the first KEY= in F before LIM that starts a field, or NULL */
static const char *field_at(const char *f, const char *lim, const char *key)
{
	char *pat = g_strdup_printf("%s=", key);
	const char *p = f, *v = NULL;

	for (; (p = strstr(p, pat)) && p < lim; p++)
		if (p == f || p[-1] == ' ' || p[-1] == ';') {
			v = p + strlen(pat);
			break;
		}
	g_free(pat);
	return v;
}

/* finding_field - value of KEY=... in a finding line ("" if absent); the
 * excerpt is quoted and last, so it is taken whole. Other keys are looked
 * for only before it: the excerpt is the sender's text, and "type=..." in
 * it must not pass for the finding's own field. */
static char *finding_field(const char *f, const char *key)
{
	const char *excerpt = field_at(f, f + strlen(f), "excerpt");
	const char *v = strcmp(key, "excerpt") == 0 ? excerpt : field_at(f, excerpt ? excerpt : f + strlen(f), key);
	char *out;

	if (!v)
		return g_strdup("");
	if (*v == '"') {
		const char *q = strrchr(v + 1, '"');
		GString *s = g_string_new(NULL);

		for (const char *c = v + 1; c < (q ? q : v + strlen(v)); c++) {
			if (*c == '\\' && c[1])
				c++;
			g_string_append_c(s, *c);
		}
		return g_string_free(s, FALSE);
	}
	out = g_strndup(v, strcspn(v, ";"));
	return g_strstrip(out);
}

/* insert_findings - one row per X-ESafety-Finding; returns the highest severity */
static int insert_findings(sqlite3 *db, const char *id, GPtrArray *findings)
{
	sqlite3_stmt *st = ui_db_prep(db, "INSERT INTO findings(incident, detector, category,"
				      " type, severity, part, rule, excerpt) VALUES(?,?,?,?,?,?,?,?)");
	static const char *const keys[] = { "detector", "category", "type", "severity",
					    "part", "rule", "excerpt" };
	int max = 0;

	for (guint i = 0; st && i < findings->len; i++) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		for (int k = 0; k < 7; k++) {
			char *v = finding_field(findings->pdata[i], keys[k]);

			if (k == 3) {
				int sev = (int)g_ascii_strtoll(v, NULL, 10);

				max = MAX(max, sev);
				sqlite3_bind_int(st, k + 2, sev);
			} else
				sqlite3_bind_text(st, k + 2, v, -1, SQLITE_TRANSIENT);
			g_free(v);
		}
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return max;
}

/* bind_head - bind header NAME (or NULL) to parameter I */
static void bind_head(sqlite3_stmt *st, int i, qhead *h, const char *name)
{
	sqlite3_bind_text(st, i, g_hash_table_lookup(h->one, name), -1, SQLITE_TRANSIENT);
}

/* index_file - add one stored message; FALSE if it is not a trusted quarantine file */
static gboolean index_file(ui_state *ui, sqlite3 *db, const char *rel, const char *msg, gsize len)
{
	qhead h;
	const char *id;
	sqlite3_stmt *st;
	char *to;
	gboolean good = FALSE;

	if (!es_quarantine_verify(msg, len, ui->key))
		return FALSE;
	qhead_parse(&h, msg, len);
	id = g_hash_table_lookup(h.one, "id");
	if (ui_valid_id(id) && g_hash_table_lookup(h.one, "school") &&
	    ui_parse_time(g_hash_table_lookup(h.one, "time")) > 0) {
		g_ptr_array_add(h.to, NULL);
		to = g_strjoinv(", ", (char **)h.to->pdata);
		g_ptr_array_remove_index(h.to, h.to->len - 1);
		st = ui_db_prep(db, "INSERT OR IGNORE INTO incidents(id, school, file, time, verdict,"
				" reason, categories, severity, sender_role, direction, env_from, env_to,"
				" subject, queue_id, virus, size, year_group, policy_school, stored_for,"
				" policy_sender_role) VALUES(?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?,?,?,?,?)");
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		bind_head(st, 2, &h, "school");
		sqlite3_bind_text(st, 3, rel, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, ui_parse_time(g_hash_table_lookup(h.one, "time")));
		bind_head(st, 5, &h, "verdict");
		bind_head(st, 6, &h, "reason");
		bind_head(st, 7, &h, "categories");
		bind_head(st, 8, &h, "sender-role");
		bind_head(st, 9, &h, "direction");
		bind_head(st, 10, &h, "envelope-from");
		sqlite3_bind_text(st, 11, to, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 12, h.subject, -1, SQLITE_TRANSIENT);
		bind_head(st, 13, &h, "queue-id");
		bind_head(st, 14, &h, "virus");
		sqlite3_bind_int64(st, 15, (sqlite3_int64)len);
		bind_head(st, 16, &h, "year-group");
		bind_head(st, 17, &h, "policy-school");
		bind_head(st, 18, &h, "stored-for");
		bind_head(st, 19, &h, "policy-sender-role");
		if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) > 0) {
			char *sql = sqlite3_mprintf("UPDATE incidents SET severity = %d WHERE id = %Q",
						    insert_findings(db, id, h.findings), id);

			ui_db_exec(db, sql, NULL);
			sqlite3_free(sql);
		}
		sqlite3_finalize(st);
		g_free(to);
		good = TRUE;
	}
	qhead_free(&h);
	return good;
}

/* known - the file REL is already in the index */
static gboolean known(sqlite3 *db, const char *rel)
{
	sqlite3_stmt *st = ui_db_prep(db, "SELECT 1 FROM incidents WHERE file = ?");
	gboolean found;

	sqlite3_bind_text(st, 1, rel, -1, SQLITE_TRANSIENT);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Files that failed verification, so each is logged once, not every pass. */
static GHashTable *untrusted;
G_LOCK_DEFINE_STATIC(untrusted);

/* Unreadable files and folders already logged: each is logged once, and
 * still tried on every pass, so it is indexed once its owner or mode is fixed */
static GHashTable *reported;
G_LOCK_DEFINE_STATIC(reported);

/* report_once - log WHAT about PATH at LOG_ERR, the first time only */
static void report_once(const char *path, const char *what)
{
	gboolean first;

	G_LOCK(reported);
	if (!reported)
		reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	first = g_hash_table_add(reported, g_strdup(path));
	G_UNLOCK(reported);
	if (first)
		es_log(LOG_ERR, NULL, "%s: %s; the lead cannot see it until the UI's user ([ui] user) can read it",
		       path, what);
}

/* scan_dir - index the files of one Maildir subfolder (SCHOOL/new or cur) */
static void scan_dir(ui_state *ui, sqlite3 *db, const char *school, const char *sub, int *added)
{
	char *dir = g_build_filename(ui->root, school, sub, NULL);
	GError *err = NULL;
	GDir *d = g_dir_open(dir, 0, &err);
	const char *name;

	if (!d && !g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
		report_once(dir, err->message);
	g_clear_error(&err);
	while (d && (name = g_dir_read_name(d))) {
		char *rel = g_build_filename(school, sub, name, NULL), *path, *msg;
		gsize len;
		gboolean skip;

		G_LOCK(untrusted);
		skip = name[0] == '.' || g_hash_table_contains(untrusted, rel);
		G_UNLOCK(untrusted);
		if (skip || known(db, rel)) {
			g_free(rel);
			continue;
		}
		path = g_build_filename(ui->root, rel, NULL);
		if (!g_file_get_contents(path, &msg, &len, &err)) {
			report_once(path, err->message);
			g_clear_error(&err);
		} else {
			if (index_file(ui, db, rel, msg, len))
				(*added)++;
			else {
				es_log(LOG_WARNING, NULL, "%s: not a trusted quarantine file (its HMAC does not match,"
				       " or its id, school or time is missing), ignored", path);
				G_LOCK(untrusted);
				g_hash_table_add(untrusted, g_strdup(rel));
				G_UNLOCK(untrusted);
			}
			g_free(msg);
		}
		g_free(path);
		g_free(rel);
	}
	if (d)
		g_dir_close(d);
	g_free(dir);
}

/* ui_index_scan - index every new file of every school's Maildir */
gboolean ui_index_scan(ui_state *ui, sqlite3 *db, int *added, GError **err)
{
	GDir *d = g_dir_open(ui->root, 0, err);
	const char *school;

	*added = 0;
	if (!d)
		return FALSE;
	G_LOCK(untrusted);
	if (!untrusted)
		untrusted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	G_UNLOCK(untrusted);
	ui_db_exec(db, "BEGIN", NULL);
	while ((school = g_dir_read_name(d))) {
		if (school[0] == '.')
			continue;
		scan_dir(ui, db, school, "new", added);
		scan_dir(ui, db, school, "cur", added);
	}
	ui_db_exec(db, "COMMIT", NULL);
	g_dir_close(d);
	return TRUE;
}

/* ui_index_rebuild - drop the index and read every Maildir again; review
 * state and decisions are kept (they are keyed by quarantine id) */
gboolean ui_index_rebuild(ui_state *ui, sqlite3 *db, int *added, GError **err)
{
	if (!ui_db_exec(db, "DELETE FROM incidents; DELETE FROM findings;", err))
		return FALSE;
	return ui_index_scan(ui, db, added, err);
}
