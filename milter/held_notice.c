/* held_notice.c - the "your message is waiting for review" mail, sent
 * through the local MTA so it is queued, retried and logged like any mail */
#include "config.h"
#include <string.h>
#include <gio/gio.h>
#include "held_notice.h"
#include "notice.h"
#include "log.h"

/* wanted - a hold, a school that sends notices, a rule that allows it, a sender to tell */
static gboolean wanted(const es_scan *s, const es_verdict *v)
{
	return v->action == ES_ACTION_HOLD && !v->silent && s->school && es_school_bool(s->school, "hold_notice") &&
	       s->sender && strchr(s->sender, '@') && s->sender_role != ES_ROLE_EXTERNAL;
}

/* compose - the notice as a message (g_free) */
static char *compose(const es_scan *s, char **lines)
{
	GString *m = g_string_new(NULL);
	GDateTime *now = g_date_time_new_now_utc();
	char *date = g_date_time_format(now, "%a, %d %b %Y %H:%M:%S +0000");

	g_string_append_printf(m, "From: E-safety <%s>\nTo: <%s>\nSubject: Your message is waiting for review\n"
			       "Date: %s\nAuto-Submitted: auto-generated\nX-ESafety-Notice: held %s\n"
			       "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n",
			       es_school_string(s->school, "esafety_mailbox"), s->sender, date, s->qid);
	for (char **l = lines; *l; l++)
		g_string_append_printf(m, "%s\n", *l);
	g_free(date);
	g_date_time_unref(now);
	return g_string_free(m, FALSE);
}

/* es_held_notice_send - see held_notice.h */
void es_held_notice_send(const es_scan *s, const es_verdict *v)
{
	GError *err = NULL;
	char **argv = NULL, **lines, *msg;
	GSubprocess *p = NULL;

	if (!wanted(s, v))
		return;
	if (!(lines = es_notice_render(s, v, v->notice ? v->notice : "held", TRUE, &err))) {
		es_log(LOG_WARNING, s->qid, "hold notice not sent: %s", err->message);
		g_error_free(err);
		return;
	}
	msg = compose(s, lines);
	if (g_shell_parse_argv(es_conf_string(s->conf, "milter", "notice_command"), NULL, &argv, &err) &&
	    (p = g_subprocess_newv((const char *const *)argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &err)) &&
	    g_subprocess_communicate_utf8(p, msg, NULL, NULL, NULL, &err) && g_subprocess_get_if_exited(p) &&
	    g_subprocess_get_exit_status(p) == 0)
		es_log(LOG_INFO, s->qid, "hold notice sent to <%s>", s->sender);
	else
		es_log(LOG_WARNING, s->qid, "hold notice to <%s> not sent: %s", s->sender,
		       err ? err->message : "notice_command failed");
	g_clear_error(&err);
	if (p)
		g_object_unref(p);
	g_strfreev(argv);
	g_strfreev(lines);
	g_free(msg);
}
