/* held_notice.c - the "your message is waiting for review" mail, sent
 * through the local MTA so it is queued, retried and logged like any mail */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib.h>
#include "held_notice.h"
#include "notice.h"
#include "log.h"

/* wanted - a hold, a school that sends notices, a rule that allows it, a
 * sender to tell. Not an outside sender: the address may be forged, and the
 * notice would go to whoever it names (backscatter). */
static gboolean wanted(const es_scan *s, const es_verdict *v)
{
	if (v->action != ES_ACTION_HOLD || v->silent || !s->school || !es_school_bool(s->school, "hold_notice") ||
	    !s->sender || !strchr(s->sender, '@'))
		return FALSE;
	if (s->sender_role == ES_ROLE_EXTERNAL) {
		es_log(LOG_INFO, s->qid, "hold notice not sent to <%s>: an outside sender (the address may be forged)",
		       s->sender);
		return FALSE;
	}
	return TRUE;
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

/* drain - read what the command wrote to stderr so far (non-blocking, so it
 * never stalls on a full pipe), keeping the start for the log line */
static void drain(int fd, GString *keep)
{
	char buf[4096];
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		if (keep->len < 300)
			g_string_append_len(keep, buf, MIN((gsize)n, 300 - keep->len));
}

/* with_stderr - WHY, and the command's first line of stderr if it said anything */
static char *with_stderr(char *why, GString *said)
{
	char *nl, *out;

	g_strstrip(said->str);
	if ((nl = strchr(said->str, '\n')))
		*nl = '\0';
	if (!*said->str)
		return why;
	for (char *p = said->str; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	out = g_strdup_printf("%s: it said \"%s\"", why, said->str);
	g_free(why);
	return out;
}

/* run_notice - ARGV with MSG on its standard input; TRUE if it exited 0
 * within TIMEOUT_MS. It runs in the message's worker thread before the
 * verdict is answered, so one that hangs (a full maildrop, say) is killed
 * rather than holding the thread. *WHY says what went wrong otherwise. */
static gboolean run_notice(char **argv, const char *msg, gint64 timeout_ms, char **why)
{
	GError *err = NULL;
	GPid pid;
	int in = -1, errfd = -1, status = 0;
	GString *said = g_string_new(NULL);
	gsize left = strlen(msg);
	gint64 until = g_get_monotonic_time() + timeout_ms * 1000;
	pid_t r;

	if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, NULL, NULL, &pid, &in,
				      NULL, &errfd, &err)) {
		*why = g_strdup(err->message);
		g_error_free(err);
		g_string_free(said, TRUE);
		return FALSE;
	}
	/* non-blocking, so a command that never reads cannot outlast the timeout */
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_NONBLOCK);
	fcntl(errfd, F_SETFL, fcntl(errfd, F_GETFL) | O_NONBLOCK);
	while (left > 0 && g_get_monotonic_time() < until) {
		ssize_t n = write(in, msg, left);
		int saved = errno;	/* drain() reads, which sets errno too */

		drain(errfd, said);
		if (n < 0 && (saved == EINTR || saved == EAGAIN)) {
			if (saved == EAGAIN)
				g_usleep(10 * 1000);
			continue;
		}
		if (n <= 0)
			break;	/* the command went away; its exit status tells */
		msg += n;
		left -= (gsize)n;
	}
	close(in);
	while (((r = waitpid(pid, &status, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) &&
	       g_get_monotonic_time() < until) {
		drain(errfd, said);
		g_usleep(10 * 1000);
	}
	if (r != pid) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		*why = g_strdup_printf("notice_command still running after %" G_GINT64_FORMAT " ms ([milter] notice_timeout); killed",
				       timeout_ms);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		*why = g_strdup_printf("notice_command failed (%s %d)", WIFSIGNALED(status) ? "signal" : "status",
				       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	drain(errfd, said);
	close(errfd);
	if (*why)
		*why = with_stderr(*why, said);
	g_string_free(said, TRUE);
	return *why == NULL;
}

/* es_held_notice_send - see held_notice.h */
void es_held_notice_send(const es_scan *s, const es_verdict *v)
{
	GError *err = NULL;
	char **argv = NULL, **lines, *msg, *why = NULL;

	if (!wanted(s, v))
		return;
	if (!(lines = es_notice_render(s, v, v->notice ? v->notice : "held", TRUE, &err))) {
		es_log(LOG_WARNING, s->qid, "hold notice not sent: %s", err->message);
		g_error_free(err);
		return;
	}
	msg = compose(s, lines);
	if (!g_shell_parse_argv(es_conf_string(s->conf, "milter", "notice_command"), NULL, &argv, &err)) {
		why = g_strdup(err->message);
		g_clear_error(&err);
	}
	if (argv && run_notice(argv, msg, es_conf_int(s->conf, "milter", "notice_timeout"), &why))
		es_log(LOG_INFO, s->qid, "hold notice sent to <%s>", s->sender);
	else
		es_log(LOG_WARNING, s->qid, "hold notice to <%s> not sent ([milter] notice_command): %s", s->sender, why);
	g_free(why);
	g_strfreev(argv);
	g_strfreev(lines);
	g_free(msg);
}
