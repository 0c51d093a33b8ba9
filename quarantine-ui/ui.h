/* ui.h - internals of esafety-quarantine, the e-safety lead's web UI: the
 * shared state, the SQLite store, the request/response types and the pages */
#ifndef ES_UI_H
#define ES_UI_H

#include <glib.h>
#include <sqlite3.h>
#include <microhttpd.h>
#include "conf.h"
#include "reputation.h"

/* The server's state, one per process. The HTTP thread owns db; the indexer
 * thread opens its own connection (SQLite serialises writers). */
typedef struct {
	es_conf *conf;
	GBytes *key;		/* [quarantine] hmac_key_file */
	char *root;		/* [quarantine] root */
	char *db_path;
	char *static_dir;
	sqlite3 *db;
	es_reputation *rep;	/* sender reputation in Redis; NULL when [redis] enabled = no */
	gboolean tls;		/* cookies get Secure */
	gint64 session_s, retention_s, release_ttl_s, lockout_s;
	int max_failures, page_size, repeat_threshold;
	char *const *trusted_proxies;	/* [ui] trusted_proxies (the config's own list) */
	gint64 redis_logged_us;	/* when a page last logged that Redis could not be read (monotonic) */
} ui_state;

/* A logged-in user. role is "lead", "admin" or "governor"; school is NULL
 * for an admin or governor of every school. */
typedef struct {
	char *name, *role, *school;
} ui_user;

/* One HTTP request being answered. */
typedef struct {
	ui_state *ui;
	struct MHD_Connection *conn;
	const char *method, *path;
	GString *post;		/* raw body of a POST (form-urlencoded) */
	GHashTable *form;	/* decoded POST fields */
	ui_user *user;
	char *session;		/* session token hash (hex) or NULL */
	char *csrf;		/* the session's CSRF token */
	char ip[64];
	gboolean https;		/* TLS to the browser: ours, or a trusted proxy's (X-Forwarded-Proto) */
} ui_req;

/* What a page produced; http.c turns it into an MHD response. */
typedef struct {
	unsigned status;
	GString *body;
	const char *ctype;
	char *location;		/* redirect target */
	char *cookie[2];	/* Set-Cookie values */
	char *filename;		/* Content-Disposition: attachment */
	char *error;		/* what ui_error_page said, for the audit of a 403 */
	gboolean audited;	/* the page audited its own refusal: no "denied" row too */
} ui_resp;

/* db.c */
sqlite3 *ui_db_open(const char *path, GError **err);
gboolean ui_db_exec(sqlite3 *db, const char *sql, GError **err);
sqlite3_stmt *ui_db_prep(sqlite3 *db, const char *sql);
const char *ui_col(sqlite3_stmt *st, int i);
void ui_audit(ui_state *ui, const char *user, const char *ip, const char *action,
	      const char *incident, const char *fmt, ...) G_GNUC_PRINTF(6, 7);
gboolean ui_user_add(sqlite3 *db, const char *name, const char *password, const char *role,
		     const char *school, gboolean replace, GError **err);
gboolean ui_user_del(sqlite3 *db, const char *name, GError **err);
ui_user *ui_user_check(ui_state *ui, const char *name, const char *password, const char *ip,
		       gboolean *throttled, gboolean *locked_now);
ui_user *ui_user_get(sqlite3 *db, const char *name);
void ui_user_free(ui_user *u);
char *ui_session_new(ui_state *ui, const char *user, char **csrf_out);
ui_user *ui_session_get(ui_state *ui, const char *token, char **hash_out, char **csrf_out);
void ui_session_end(ui_state *ui, const char *hash);

/* indexer.c */
gboolean ui_index_scan(ui_state *ui, sqlite3 *db, int *added, GError **err);
gboolean ui_index_rebuild(ui_state *ui, sqlite3 *db, int *added, GError **err);
int ui_purge(ui_state *ui, sqlite3 *db, gint64 now, const char *who);
typedef struct ui_indexer ui_indexer;
ui_indexer *ui_indexer_start(ui_state *ui, gint64 interval_ms);
void ui_indexer_stop(ui_indexer *ix);

/* html.c */
void ui_esc(GString *out, const char *s);
void ui_escf(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void ui_page_start(ui_req *r, ui_resp *p, const char *title);
void ui_page_end(ui_resp *p);
void ui_csrf_field(ui_req *r, GString *out);
void ui_error_page(ui_req *r, ui_resp *p, unsigned status, const char *msg);
char *ui_url_encode(const char *s);
void ui_csv_field(GString *out, const char *s, gboolean last);
const char *ui_fmt_time(gint64 t, char *buf, gsize len);
GHashTable *ui_form_parse(const char *body);
/* ui_valid_id - ID is a quarantine id (16 lower-case hex digits) */
gboolean ui_valid_id(const char *id);
/* ui_parse_time - RFC 3339 UTC to unix seconds; -1 if not one */
gint64 ui_parse_time(const char *s);


/* http.c */
const char *ui_arg(ui_req *r, const char *name);	/* query string */
const char *ui_field(ui_req *r, const char *name);	/* POST form */
void ui_redirect(ui_resp *p, const char *to);
gboolean ui_can_see_school(const ui_user *u, const char *school);
int ui_http_bind(ui_state *ui, GError **err);
gboolean ui_http_tls_read(ui_state *ui, char **certpem, char **keypem, GError **err);
struct MHD_Daemon *ui_http_start(ui_state *ui, int fd, char *certpem, char *keypem, GError **err);

/* page_*.c: each fills P for R; id is a checked quarantine id */
void ui_page_login(ui_req *r, ui_resp *p);
void ui_page_login_post(ui_req *r, ui_resp *p);
void ui_page_logout(ui_req *r, ui_resp *p);
void ui_page_inbox(ui_req *r, ui_resp *p);
void ui_page_export(ui_req *r, ui_resp *p);
void ui_page_incident(ui_req *r, ui_resp *p, const char *id);
void ui_page_decision(ui_req *r, ui_resp *p, const char *id);
void ui_page_attachment(ui_req *r, ui_resp *p, const char *id, const char *n);
void ui_page_release(ui_req *r, ui_resp *p, const char *id);
void ui_page_delete(ui_req *r, ui_resp *p, const char *id);
void ui_page_report(ui_req *r, ui_resp *p);
void ui_page_audit(ui_req *r, ui_resp *p);

/* the longest account name and password accepted, at login and by adduser */
#define UI_MAX_NAME 64
#define UI_MAX_PASSWORD 1024

/* UI_REP_ROLE(T) - SQL for the sender's role where its reputation is kept,
 * for incidents row T: the deciding school's view on another school's copy
 * (X-ESafety-Policy-Sender-Role), else the copy's own sender role. A copy
 * stored before that header existed has neither: '' (not external) */
#define UI_REP_ROLE(T) "COALESCE(" T ".policy_sender_role, CASE WHEN COALESCE(" T ".policy_school, '') = ''" \
	" THEN " T ".sender_role END, '')"

/* incident.c: loading one incident the user may see */
typedef struct {
	char *id, *school, *file, *subject, *verdict, *env_from, *env_to;
	char *status, *outcome, *notes, *held;
	char *virus;		/* the signed virus name, "" if none */
	char *policy_school;	/* the school whose policy decided, "" if this one's */
	char *rep_role;		/* the sender's role where its reputation is kept: as the
				 * deciding school saw it (X-ESafety-Policy-Sender-Role),
				 * else X-ESafety-Sender-Role */
	gint64 time;
} ui_incident;
/* ui_incident_load - the incident, or NULL (*status_out 404, or 403 for a school not the user's) */
ui_incident *ui_incident_load(ui_req *r, const char *id, unsigned *status_out);
void ui_incident_free(ui_incident *inc);
/* ui_incident_has_virus - the message carries a virus: the signed virus name,
 * or a virus finding on any part (the milter names the part "message" when
 * it cannot tell which). Nothing of such a message is handed out or released. */
gboolean ui_incident_has_virus(ui_state *ui, const ui_incident *inc);
/* ui_incident_stored - the stored file is still in the quarantine (not
 * deleted here, nor removed outside the UI: by hand, or a delete whose
 * record the database could not take) */
gboolean ui_incident_stored(ui_state *ui, const ui_incident *inc);
/* ui_incident_read - the stored file's bytes (path built from the index, never the URL) */
GBytes *ui_incident_read(ui_state *ui, const ui_incident *inc, GError **err);

/* ui_decision_history - append the table of past decisions of ID */
void ui_decision_history(ui_req *r, GString *o, const char *id);
extern const char *const ui_statuses[];
extern const char *const ui_outcomes[];

/* repeat.c: repeat senders and sender history, from the Redis reputation
 * where it is enabled, else (or when Redis cannot be read) from the index */
typedef struct {
	const char *school, *sender;	/* in: one inbox row's */
	gboolean forged;		/* in: a school's address from outside (es_reputation_forged) */
	gboolean private_record;	/* in: the record is another school's own person's (ui_record_private) */
	int index_count;		/* in: the sender's incidents in 30 days up to the row (index) */
	char *mark;			/* out: why the sender is a repeat sender (badge title), or NULL */
} ui_sender_mark;
/* ui_mark_repeats - set each mark; appends to O how senders were marked (and
 * a notice if Redis could not be read, which is also logged) */
void ui_mark_repeats(ui_req *r, GString *o, ui_sender_mark *m, guint n);
void ui_sender_marks_clear(ui_sender_mark *m, guint n);
/* ui_record_private - SENDER's reputation is kept under REP_SCHOOL (the
 * deciding school) for one of its own people (REP_ROLE not external; on a
 * copy stored before the role was recorded, "", an address at that school),
 * and the request's user may not see that school: its history stays with
 * its own lead */
gboolean ui_record_private(ui_req *r, const char *rep_school, const char *rep_role, const char *sender);
/* ui_sender_history - the incident page's section on the sender */
void ui_sender_history(ui_req *r, GString *o, const ui_incident *inc);

/* release.c */
/* ui_release_send - SMTP MESSAGE to RCPTS via HOSTPORT; TRUE if the MTA took
 * it for every recipient. *report gets what the MTA said, for the lead. */
gboolean ui_release_send(const char *hostport, const char *from, char **rcpts,
			 const char *message, gsize len, char **report);
/* ui_release_message - the stored file without X-ESafety-* headers, with TOKEN */
char *ui_release_message(const char *stored, gsize len, const char *token, gsize *len_out);

#endif
