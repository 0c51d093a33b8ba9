/* page_held.c - acting on the stored message: download an attachment (after
 * a warning; never one with a virus), release held mail to its original
 * recipients through the MTA with a one-time token, or delete it. Each needs
 * a confirmation page first and each is audited. */
#include "config.h"
#include "ui.h"
#include "scan.h"
#include "mime.h"
#include "quarantine.h"
#include "log.h"

#include <string.h>
#include <errno.h>
#include <glib/gstdio.h>

/* load_or_error - the incident, or an error page and NULL */
static ui_incident *load_or_error(ui_req *r, ui_resp *p, const char *id)
{
	unsigned code;
	ui_incident *inc = ui_incident_load(r, id, &code);

	if (!inc)
		ui_error_page(r, p, code, code == 403 ? "This incident belongs to another school."
						      : "No such incident.");
	return inc;
}

/* safe_name - a download file name made of harmless characters only */
static char *safe_name(const char *name)
{
	char *s = g_strdup(name && *name ? name : "attachment");

	for (char *c = s; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '.' && *c != '-' && *c != '_')
			*c = '_';
	if (s[0] == '.')
		s[0] = '_';
	return s;
}

/* ui_page_attachment - GET /incident/ID/attachment/N[?confirm=yes] */
void ui_page_attachment(ui_req *r, ui_resp *p, const char *id, const char *n)
{
	ui_incident *inc = load_or_error(r, p, id);
	GBytes *raw;
	es_scan *s;
	guint64 i;
	const es_attachment *a;

	if (!inc)
		return;
	raw = ui_incident_read(r->ui, inc, NULL);
	if (!raw || !g_ascii_string_to_unsigned(n, 10, 0, G_MAXUINT, &i, NULL)) {
		if (raw)
			g_bytes_unref(raw);
		ui_error_page(r, p, 404, "No such attachment.");
		ui_incident_free(inc);
		return;
	}
	s = es_scan_new(r->ui->conf, inc->id);
	s->raw = raw;
	es_mime_parse(s);
	a = i < s->attachments->len ? s->attachments->pdata[i] : NULL;
	if (!a)
		ui_error_page(r, p, 404, "No such attachment.");
	else if (ui_incident_has_virus(r->ui, inc)) {
		ui_error_page(r, p, 403, "This attachment carries a virus and cannot be downloaded.");
		ui_audit(r->ui, r->user->name, r->ip, "download-refused", id, "attachment %s: virus", n);
		p->audited = TRUE;
	} else if (g_strcmp0(ui_arg(r, "confirm"), "yes") != 0) {
		ui_page_start(r, p, "Download an attachment");
		g_string_append(p->body, "<p class=\"warning\">This file came in a message flagged by the"
				" e-safety filter. It may contain harmful content. Open it only on a"
				" school device, and never forward it to pupils.</p><p>File: <strong>");
		ui_esc(p->body, a->filename ? a->filename : "(no name)");
		g_string_append_printf(p->body, "</strong></p><p><a class=\"button\" id=\"confirm-download\""
				       " href=\"/incident/%s/attachment/%s?confirm=yes\">I understand, download"
				       "</a> <a href=\"/incident/%s\">Cancel</a></p>", id, n, id);
		ui_page_end(p);
	} else {
		gsize len = 0;
		const char *data = a->data ? g_bytes_get_data(a->data, &len) : "";

		g_string_append_len(p->body, data, (gssize)len);
		p->ctype = "application/octet-stream";
		p->filename = safe_name(a->filename);
		ui_audit(r->ui, r->user->name, r->ip, "download", id, "attachment %s (%s)", n, p->filename);
	}
	es_scan_free(s);
	ui_incident_free(inc);
}

/* confirm_page - "are you sure" with a POST button carrying the CSRF token */
static void confirm_page(ui_req *r, ui_resp *p, const ui_incident *inc, const char *what,
			 const char *explain)
{
	ui_page_start(r, p, strcmp(what, "release") == 0 ? "Release held message" : "Delete stored message");
	g_string_append(p->body, "<p class=\"warning\">");
	ui_esc(p->body, explain);
	g_string_append(p->body, "</p><p>Subject: <strong>");
	ui_esc(p->body, inc->subject);
	g_string_append(p->body, "</strong><br>Sender: ");
	ui_esc(p->body, inc->env_from);
	g_string_append(p->body, "<br>Recipients: ");
	ui_esc(p->body, inc->env_to);
	g_string_append_printf(p->body, "</p><form method=\"post\" action=\"/incident/%s/%s\">", inc->id, what);
	ui_csrf_field(r, p->body);
	g_string_append_printf(p->body, "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
			       "<button type=\"submit\" id=\"confirm-%s\">Yes, %s</button> "
			       "<a href=\"/incident/%s\">Cancel</a></form>", what, what, inc->id);
	ui_page_end(p);
	/* it shows the subject, sender and recipients: a view like any other */
	ui_audit(r->ui, r->user->name, r->ip, "view", inc->id, "%s confirmation", what);
}

/* set_held - remember that the stored message was released or deleted;
 * FALSE (logged with the incident id) if it could not be written */
static gboolean set_held(ui_state *ui, const char *id, const char *state)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, "INSERT INTO review(incident, held) VALUES(?1, ?2)"
				      " ON CONFLICT(incident) DO UPDATE SET held = ?2");
	gboolean ok;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	ok = st && sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		es_log(LOG_ERR, NULL, "incident %s: could not record that it was %s: %s", id, state,
		       sqlite3_errmsg(ui->db));
	sqlite3_finalize(st);
	return ok;
}

/* do_release - re-submit the message with a release token and report truthfully */
static void do_release(ui_req *r, ui_resp *p, const ui_incident *inc)
{
	GError *err = NULL;
	GBytes *raw = ui_incident_read(r->ui, inc, &err);
	char **rcpts = g_strsplit(inc->env_to, ", ", -1), *token, *msg = NULL, *report = NULL;
	gsize len = 0, mlen;
	gboolean sent = FALSE;

	if (raw) {
		const char *data = g_bytes_get_data(raw, &len);

		token = es_release_token(inc->id, r->ui->release_ttl_s, r->ui->key);
		msg = ui_release_message(data, len, token, &mlen);
		sent = ui_release_send(es_conf_string(r->ui->conf, "ui", "release_smtp"), inc->env_from,
				       rcpts, msg, mlen, &report);
		g_free(token);
		g_bytes_unref(raw);
	} else
		report = g_strdup_printf("cannot read the stored message: %s", err->message);
	g_clear_error(&err);
	/* the MTA has it: if the database cannot say so now, the page must, or
	 * the lead would see it still held and release it again (which the
	 * milter would hold once more: an id is released once) */
	if (sent && !set_held(r->ui, inc->id, "released")) {
		char *more = g_strdup_printf("%s\n(The release could not be recorded in the incident log: the page"
					     " may still show the message as held. Do not release it again.)", report);

		g_free(report);
		report = more;
	}
	ui_audit(r->ui, r->user->name, r->ip, sent ? "release" : "release-failed", inc->id,
		 "to %s: %s", inc->env_to, report);
	p->status = sent ? 200 : 502;
	ui_page_start(r, p, sent ? "Message released" : "Release failed");
	g_string_append_printf(p->body, "<p class=\"%s\" id=\"release-result\">", sent ? "ok" : "error");
	g_string_append(p->body, sent ? "The mail server accepted the message for: " :
			"The message was NOT released. It is still held. Recipients: ");
	ui_esc(p->body, inc->env_to);
	g_string_append(p->body, "</p><h2>What the mail server said</h2><pre class=\"smtp\">");
	ui_esc(p->body, report);
	g_string_append_printf(p->body, "</pre><p><a href=\"/incident/%s\">Back to the incident</a></p>", inc->id);
	ui_page_end(p);
	g_free(report);
	g_free(msg);
	g_strfreev(rcpts);
}

/* ui_page_release - GET: confirm; POST: release a held message once */
void ui_page_release(ui_req *r, ui_resp *p, const char *id)
{
	ui_incident *inc = load_or_error(r, p, id);

	if (!inc)
		return;
	if (strcmp(inc->verdict, "hold") != 0 || *inc->held)
		ui_error_page(r, p, 409, *inc->held ? "This message was already released or deleted."
						    : "Only held messages can be released.");
	else if (!*inc->env_to)
		/* a message to another school's pupils only: that school holds its
		 * own copy with them, and its lead decides */
		ui_error_page(r, p, 409, "This school's copy has no recipients to release to: the message "
			      "went only to other schools, and each keeps its own copy for its lead to decide.");
	else if (!ui_incident_stored(r->ui, inc))
		ui_error_page(r, p, 410, "The stored message is no longer in the quarantine, so it cannot be released.");
	else if (ui_incident_has_virus(r->ui, inc)) {
		ui_error_page(r, p, 403, "This message carries a virus and cannot be released.");
		ui_audit(r->ui, r->user->name, r->ip, "release-refused", id, "virus");
		p->audited = TRUE;
	} else if (strcmp(r->method, "POST") != 0 || g_strcmp0(ui_field(r, "confirm"), "yes") != 0)
		confirm_page(r, p, inc, "release", "The message will be delivered to its original "
			     "recipients. This cannot be undone.");
	else
		do_release(r, p, inc);
	ui_incident_free(inc);
}

/* ui_page_delete - GET: confirm; POST: remove the stored message (the incident stays in the log) */
void ui_page_delete(ui_req *r, ui_resp *p, const char *id)
{
	ui_incident *inc = load_or_error(r, p, id);
	char *path, *to;

	if (!inc)
		return;
	if (*inc->held == 'd')
		ui_error_page(r, p, 409, "This message was already deleted.");
	else if (strcmp(r->method, "POST") != 0 || g_strcmp0(ui_field(r, "confirm"), "yes") != 0)
		confirm_page(r, p, inc, "delete", "The stored message will be deleted for good. The "
			     "incident, its findings and decisions stay in the incident log.");
	else {
		path = g_build_filename(r->ui->root, inc->file, NULL);
		if (strstr(inc->file, "..") || (g_unlink(path) != 0 && errno != ENOENT)) {
			ui_error_page(r, p, 500, "The stored message could not be deleted.");
			ui_audit(r->ui, r->user->name, r->ip, "delete-failed", id, "%s", g_strerror(errno));
		} else {
			/* the file is gone either way; if the log cannot say so, the
			 * incident page sees the file missing and offers no release */
			gboolean recorded = set_held(r->ui, id, "deleted");

			ui_audit(r->ui, r->user->name, r->ip, "delete", id, "%s%s", inc->file,
				 recorded ? "" : " (not recorded in the incident log)");
			to = g_strdup_printf("/incident/%s", id);
			ui_redirect(p, to);
			g_free(to);
		}
		g_free(path);
	}
	ui_incident_free(inc);
}
