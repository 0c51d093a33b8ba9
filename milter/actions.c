/* actions.c - end of message: run the pipeline, keep the quarantine copy,
 * and carry out the verdict through libmilter (headers, recipients, reply) */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "scan_gate.h"
#include "engine.h"
#include "notice.h"
#include "quarantine.h"
#include "route.h"
#include "clamav_engine.h"
#include "held_notice.h"
#include "log.h"

/* scan_for - a scan of message M under the current engine */
static es_scan *scan_for(es_engine *e, const char *client, es_mctx *m, GBytes *raw)
{
	es_scan *s = es_scan_new(es_engine_conf(e), m->qid);

	g_free(s->sender);
	s->sender = g_strdup(m->sender);
	for (guint i = 0; i < m->rcpts->len; i++)
		g_ptr_array_add(s->rcpts, g_strdup(g_ptr_array_index(m->rcpts, i)));
	s->auth_user = g_strdup(m->auth_user);
	s->client_addr = g_strdup(client);
	s->raw = raw;
	if (es_engine_notices(e))
		s->notices = g_hash_table_ref(es_engine_notices(e));
	return s;
}

/* strip_forged - remove every X-ESafety-* header the message arrived with.
 * Highest index first, so removing one does not renumber the others. */
static void strip_forged(SMFICTX *ctx, es_mctx *m)
{
	for (guint i = m->forged->len; i-- > 0;) {
		char **nv = g_strsplit(g_ptr_array_index(m->forged, i), "\n", 2);

		if (smfi_chgheader(ctx, nv[0], atoi(nv[1]), NULL) != MI_SUCCESS)
			es_log(LOG_WARNING, m->qid, "could not remove forged header %s", nv[0]);
		g_strfreev(nv);
	}
}

/* ascii_header - header values we add to live mail stay 7-bit */
static char *ascii_header(const char *v)
{
	char *a = g_str_to_ascii(v ? v : "", "C");

	for (char *p = a; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return a;
}

/* add_header - smfi_addheader with an ASCII-only value */
static void add_header(SMFICTX *ctx, const char *qid, const char *name, const char *value)
{
	char *v = ascii_header(value);

	if (smfi_addheader(ctx, (char *)name, v) != MI_SUCCESS)
		es_log(LOG_WARNING, qid, "could not add header %s", name);
	g_free(v);
}

/* add_headers - the X-ESafety-* headers a reader (and the lead) sees */
static void add_headers(SMFICTX *ctx, const es_scan *s, const es_verdict *v, const char *qid_store)
{
	GString *summary = g_string_new(NULL);

	add_header(ctx, s->qid, "X-ESafety-Verdict", es_action_name(v->action));
	add_header(ctx, s->qid, "X-ESafety-Reason", v->rule);
	add_header(ctx, s->qid, "X-ESafety-Categories", v->categories);
	for (guint i = 0; i < s->findings->len && i < 20; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		g_string_append_printf(summary, "%s%s/%s/%d", summary->len ? ", " : "", f->detector,
				       f->type ? f->type : f->category, f->severity);
	}
	add_header(ctx, s->qid, "X-ESafety-Findings", summary->str);
	if (s->virus) {
		char *name = g_strdup_printf("%s (libclamav %s)", s->virus, es_clamav_version());

		add_header(ctx, s->qid, "X-ESafety-Virus", name);
		g_free(name);
	}
	if (qid_store)
		add_header(ctx, s->qid, "X-ESafety-Quarantine-Id", qid_store);
	g_string_free(summary, TRUE);
}

/* add_box - SCHOOL's e-safety mailbox to OUT, once; for a hold (HELD) only
 * if the school takes held mail there: each school decides for its lead */
static void add_box(GPtrArray *out, const es_school *school, gboolean held)
{
	const char *box = school ? es_school_string(school, "esafety_mailbox") : NULL;

	if (box && (!held || es_school_bool(school, "hold_to_mailbox")) &&
	    !g_ptr_array_find_with_equal_func(out, box, g_str_equal, NULL))
		g_ptr_array_add(out, (char *)box);
}

/* mailboxes - the e-safety mailbox of every school the message touches */
static GPtrArray *mailboxes(const es_scan *s, gboolean held)
{
	GPtrArray *out = g_ptr_array_new();

	add_box(out, s->school, held);
	for (guint i = 0; i < s->rcpts->len; i++)
		add_box(out, es_conf_school_for_address(s->conf, g_ptr_array_index(s->rcpts, i)), held);
	return out;
}

/* copy_to_mailboxes - add each e-safety mailbox as a recipient */
static void copy_to_mailboxes(SMFICTX *ctx, const es_scan *s, GPtrArray *boxes)
{
	for (guint i = 0; i < boxes->len; i++) {
		char *rcpt = g_strdup_printf("<%s>", (char *)g_ptr_array_index(boxes, i));

		if (smfi_addrcpt(ctx, rcpt) != MI_SUCCESS)
			es_log(LOG_ERR, s->qid, "could not add e-safety mailbox %s", rcpt);
		g_free(rcpt);
	}
}

/* hold - only the quarantine and the e-safety mailboxes of the schools whose
 * hold_to_mailbox is on get it */
static sfsistat hold(SMFICTX *ctx, const es_scan *s)
{
	GPtrArray *boxes = mailboxes(s, TRUE);
	sfsistat r = SMFIS_ACCEPT;

	/* no mailbox: stored in the quarantine already, that is its delivery */
	if (!boxes->len)
		r = SMFIS_DISCARD;
	for (guint i = 0; r == SMFIS_ACCEPT && i < s->rcpts->len; i++) {
		char *rcpt = g_strdup_printf("<%s>", (char *)g_ptr_array_index(s->rcpts, i));

		if (smfi_delrcpt(ctx, rcpt) != MI_SUCCESS) {
			/* a held message must not reach its recipients: the quarantine
			 * has it, so it goes nowhere else, the mailbox copy included */
			es_log(LOG_ERR, s->qid, "could not remove recipient %s from a held message: discarded "
			       "instead (it is in the quarantine; no e-safety mailbox copy)", rcpt);
			r = SMFIS_DISCARD;
		}
		g_free(rcpt);
	}
	if (r == SMFIS_ACCEPT)
		copy_to_mailboxes(ctx, s, boxes);
	g_ptr_array_unref(boxes);
	return r;
}

/* refuse - a 5xx or 4xx with the notice's lines as a multi-line reply */
static sfsistat refuse(SMFICTX *ctx, const es_scan *s, const es_verdict *v)
{
	gboolean temp = v->action == ES_ACTION_TEMPFAIL;
	const char *code = temp ? "451" : "550", *xcode = temp ? "4.7.1" : "5.7.1";
	GError *err = NULL;
	/* a temporary failure is our problem, not the sender's: no policy text
	 * unless a template for exactly this failure exists */
	char **lines = es_notice_render(s, v, v->notice, !temp, &err);
	guint n = lines ? g_strv_length(lines) : 0;
	char *l[32] = { 0 };

	if (!lines || !n) {
		if (!temp)
			es_log(LOG_WARNING, s->qid, "notice %s: %s", v->notice ? v->notice : "default",
			       err ? err->message : "empty template");
		g_clear_error(&err);
		smfi_setreply(ctx, (char *)code, (char *)xcode,
			      temp ? "Message not accepted now; please try again later"
				   : "Message refused by the school's e-safety policy");
	} else {
		for (guint i = 0; i < n && i < 31; i++)
			l[i] = *lines[i] ? lines[i] : " ";
		/* libmilter takes the lines as varargs; a fixed count ending in NULL is portable */
		smfi_setmlreply(ctx, code, xcode, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9],
				l[10], l[11], l[12], l[13], l[14], l[15], l[16], l[17], l[18], l[19], l[20],
				l[21], l[22], l[23], l[24], l[25], l[26], l[27], l[28], l[29], l[30], NULL);
	}
	g_strfreev(lines);
	return temp ? SMFIS_TEMPFAIL : SMFIS_REJECT;
}

/* incident_line - one structured line per flagged message for log shippers */
static void incident_line(const es_scan *s, const es_verdict *v, const char *qid_store)
{
	es_log(LOG_NOTICE, s->qid,
	       "esafety: school=%s role=%s direction=%s action=%s reason=%s categories=%s findings=%u quarantine=%s%s%s",
	       s->school ? es_school_name(s->school) : "-", es_role_name(s->sender_role),
	       es_direction_name(s->direction), es_action_name(v->action), v->rule,
	       v->categories && *v->categories ? v->categories : "-", s->findings->len,
	       qid_store ? qid_store : "-", s->virus ? " virus=" : "", s->virus ? s->virus : "");
}

/* should_store - the verdict is one [quarantine] store lists, or a hold:
 * a held message is discarded from the MTA, so the quarantine copy is its
 * only delivery and may never be skipped */
static gboolean should_store(const es_conf *c, const es_verdict *v)
{
	return v->action == ES_ACTION_HOLD ||
	       g_strv_contains((const char *const *)es_conf_list(c, "quarantine", "store"), es_action_name(v->action));
}

/* defang - the message's headers and a note in place of a body carrying
 * malware, so the quarantine keeps the incident but no deliverable copy */
static GBytes *defang(const es_scan *s)
{
	gsize len;
	const char *raw = g_bytes_get_data(s->raw, &len);
	const char *end = g_strstr_len(raw, (gssize)len, "\n\n");
	gsize head = end ? (gsize)(end - raw) + 1 : len;
	char *text = g_strdup_printf("%.*s\n[esafety-milter: the body was not stored because it contains malware (%s);"
				     " [clamav] store_infected = no]\n", (int)head, raw, s->virus);

	return g_bytes_new_take(text, strlen(text));
}

/* store_copies - one copy per school the message is for, all or none;
 * *ids gets their ids, comma-separated, the policy's school first */
static gboolean store_copies(const es_scan *s, const es_verdict *v, const char *root, GBytes *key,
			     char **ids, GError **err)
{
	GPtrArray *copies = es_quarantine_copies(s);
	gboolean ok = es_quarantine_store_copies(s, v, copies, root, key, ids, err);

	g_ptr_array_unref(copies);
	return ok;
}

/* store - keep the quarantine copy before answering; failure follows on_store_error */
static char *store(es_engine *e, es_scan *s, es_verdict *v)
{
	const es_conf *c = es_engine_conf(e);
	GError *err = NULL;
	char *id = NULL;
	GBytes *whole = NULL;
	gboolean ok;

	if (!should_store(c, v))
		return NULL;
	if (s->virus && !es_conf_bool(c, "clamav", "store_infected")) {
		whole = s->raw;
		s->raw = defang(s);
	}
	ok = store_copies(s, v, es_conf_string(c, "quarantine", "root"), es_engine_key(e), &id, &err);
	if (whole) {
		g_bytes_unref(s->raw);
		s->raw = whole;
	}
	if (!ok) {
		es_action fail = es_conf_action(c, "quarantine", "on_store_error");

		/* a hold is delivered to the quarantine alone: with no quarantine
		 * copy it would be lost, or delivered, so it waits in the MTA */
		if (v->action == ES_ACTION_HOLD && es_action_strictness(fail) < es_action_strictness(ES_ACTION_TEMPFAIL))
			fail = ES_ACTION_TEMPFAIL;
		/* tempfail (the default) always applies, a refusal included, so the
		 * incident is stored when the MTA tries again; any other choice
		 * only when stricter: on_store_error = accept must not deliver a
		 * message the policy refused or copy one without its mailbox copy */
		if (fail != ES_ACTION_TEMPFAIL && es_action_strictness(fail) <= es_action_strictness(v->action))
			fail = v->action;
		es_log(LOG_ERR, s->qid, "quarantine store failed (%s): on_store_error=%s, verdict %s",
		       err->message, es_action_name(es_conf_action(c, "quarantine", "on_store_error")),
		       es_action_name(fail));
		g_error_free(err);
		if (fail != v->action) {
			v->action = fail;
			g_free(v->rule);
			v->rule = g_strdup("on_store_error");
			g_free(v->notice);
			v->notice = g_strdup("on_store_error");
			if (fail == ES_ACTION_TEMPFAIL)
				es_engine_note_tempfail(e, s);
			else if (fail == ES_ACTION_REJECT)
				es_engine_note_refused(e, s);
		}
	}
	return id;
}

/* released - a valid, unused release token from the UI: deliver as it is */
static gboolean released(es_engine *e, es_scan *s, const char *token)
{
	const es_conf *c = es_engine_conf(e);
	char *id = NULL;
	GError *err = NULL;
	gboolean ok;

	if (!token || !es_release_token_check(token, es_engine_key(e), &id)) {
		if (token)
			es_log(LOG_WARNING, s->qid, "ignoring an invalid or expired X-ESafety-Release token");
		return FALSE;
	}
	ok = es_release_claim(es_conf_string(c, "quarantine", "root"), id, &err);
	if (!ok)
		es_log(LOG_WARNING, s->qid, "release token for %s %s", id, err ? err->message : "was used before; ignored");
	else
		es_log(LOG_NOTICE, s->qid, "esafety: released quarantine=%s school=%s", id,
		       s->school ? es_school_name(s->school) : "-");
	g_clear_error(&err);
	g_free(id);
	return ok;
}

/* apply - carry out the verdict */
static sfsistat apply(SMFICTX *ctx, es_engine *e, es_scan *s, es_verdict *v, es_mctx *m)
{
	char *qid_store = NULL;
	sfsistat r = SMFIS_ACCEPT;

	if (v->action != ES_ACTION_ACCEPT && v->action != ES_ACTION_TEMPFAIL)
		qid_store = store(e, s, v);
	if (v->action != ES_ACTION_ACCEPT || s->findings->len)
		incident_line(s, v, qid_store);
	strip_forged(ctx, m);
	if (v->action != ES_ACTION_REJECT && v->action != ES_ACTION_TEMPFAIL &&
	    (s->findings->len || v->action != ES_ACTION_ACCEPT) && es_conf_bool(s->conf, "milter", "add_headers"))
		add_headers(ctx, s, v, qid_store);
	switch (v->action) {
	case ES_ACTION_COPY: {
		GPtrArray *boxes = mailboxes(s, FALSE);

		copy_to_mailboxes(ctx, s, boxes);
		g_ptr_array_unref(boxes);
		break;
	}
	case ES_ACTION_HOLD:
		r = hold(ctx, s);
		es_held_notice_send(s, v);
		break;
	case ES_ACTION_REJECT: case ES_ACTION_TEMPFAIL: r = refuse(ctx, s, v); break;
	default: break;
	}
	g_free(qid_store);
	return r;
}

/* es_milter_decide - see actions.h */
sfsistat es_milter_decide(SMFICTX *ctx, const char *client, es_mctx *m)
{
	es_engine *e = es_engine_current();
	GError *err = NULL;
	GBytes *raw;
	es_scan *s;
	es_verdict v = { 0 };
	sfsistat r;

	if (!e) {	/* the stop outwaited shutdown_timeout and dropped the engine */
		es_log(LOG_WARNING, m->qid, "stopping: message not scanned; the MTA will retry it");
		smfi_setreply(ctx, "451", "4.3.2", "Mail filter restarting; please try again shortly");
		return SMFIS_TEMPFAIL;
	}
	raw = m->error ? NULL : es_msgbuf_bytes(m->buf, &err);
	s = scan_for(e, client, m, raw);
	if (!raw) {
		es_log(LOG_ERR, m->qid, "message not buffered (%s): applying on_error",
		       m->error ? m->error->message : err->message);
		g_clear_error(&err);
		v.action = es_conf_action(s->conf, "milter", "on_error");
		v.rule = g_strdup("on_error");
		v.notice = g_strdup("on_error");
		if (v.action == ES_ACTION_REJECT || v.action == ES_ACTION_TEMPFAIL) {
			r = refuse(ctx, s, &v);
		} else {
			strip_forged(ctx, m);	/* unscanned, but never with a verdict it forged */
			r = SMFIS_ACCEPT;
		}
	} else if (m->release_token && (es_route(s), released(e, s, m->release_token))) {
		/* routed early only here: the release is logged with the message's school */
		strip_forged(ctx, m);
		add_header(ctx, s->qid, "X-ESafety-Verdict", "released");
		r = SMFIS_ACCEPT;
	} else {
		gint64 waited = es_scan_gate_enter(es_scan_gate_limit(es_conf_int(s->conf, "milter", "scan_threads")));

		if (waited > 1000000)
			es_log(LOG_NOTICE, m->qid, "waited %" G_GINT64_FORMAT " ms for a scan slot ([milter] scan_threads)",
			       waited / 1000);
		es_engine_run(e, s, NULL, &v);
		es_scan_gate_leave();
		r = apply(ctx, e, s, &v, m);
	}
	/* a message decided without its sender's reputation (Redis down, its
	 * breaker open) says so, so it can be found by queue ID */
	es_log(LOG_INFO, m->qid, "from=<%s> rcpts=%u size=%zu action=%s reason=%s%s", m->sender, m->rcpts->len,
	       es_msgbuf_size(m->buf), es_action_name(v.action), v.rule ? v.rule : "released",
	       s->reputation_unused ? " reputation=unused" : "");
	es_verdict_clear(&v);
	es_scan_free(s);
	es_engine_unref(e);
	return r;
}
