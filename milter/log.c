/* log.c - one logging entry point so every line carries the queue ID */
#include "config.h"
#include "log.h"
#include <glib.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdlib.h>

static int log_to_stderr = 1;
static int log_to_journal;	/* stderr is systemd's journal: lines start "<N>" */
static int log_level = LOG_INFO;
static const char *log_ident = "esafety";
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct { const char *name; int facility; } facilities[] = {
	{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static const struct { const char *name; int prio; } levels[] = {
	{ "debug", LOG_DEBUG }, { "info", LOG_INFO }, { "notice", LOG_NOTICE },
	{ "warning", LOG_WARNING }, { "err", LOG_ERR }, { "error", LOG_ERR },
	{ "crit", LOG_CRIT },
};

/* stderr_is_journal - systemd's journal reads our stderr (a unit running
 * in the foreground): it says so in JOURNAL_STREAM, "DEVICE:INODE" of the
 * stream, which must be stderr itself, not a file a test redirected it to */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* es_log_open - choose syslog or stderr once, at start-up */
void es_log_open(const char *ident, const char *facility, int to_stderr)
{
	int fac = LOG_MAIL;

	log_ident = ident;
	log_to_stderr = to_stderr;
	log_to_journal = to_stderr && stderr_is_journal();
	for (size_t i = 0; facility && i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcasecmp(facility, facilities[i].name) == 0)
			fac = facilities[i].facility;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, fac);
}

/* es_log_level_parse - map a level name to a syslog priority */
int es_log_level_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcasecmp(name, levels[i].name) == 0)
			return levels[i].prio;
	return -1;
}

/* es_log_set_level - set the least important priority still logged */
void es_log_set_level(int prio)
{
	g_atomic_int_set(&log_level, prio);	/* a reload sets it while workers log */
}

/* es_logv - format one line with the queue ID first */
void es_logv(int prio, const char *qid, const char *fmt, va_list ap)
{
	char line[2048];
	int off = 0;

	if (prio > g_atomic_int_get(&log_level))
		return;
	/* snprintf returns what it would have written: a queue ID (or a file
	 * name, for esafety-scan) as long as the line must not push OFF past it */
	if (qid && *qid)
		off = snprintf(line, sizeof(line), "%s: ", qid);
	if (off < 0 || off >= (int)sizeof(line))
		off = (int)sizeof(line) - 1;
	vsnprintf(line + off, sizeof(line) - (size_t)off, fmt, ap);
	if (!log_to_stderr) {
		syslog(prio, "%s", line);
		return;
	}
	pthread_mutex_lock(&stderr_lock);
	/* "<N>" gives the journal the line's priority (journalctl -p warning) */
	if (log_to_journal)
		fprintf(stderr, "<%d>", prio);
	fprintf(stderr, "%s[%ld]: %s\n", log_ident, (long)getpid(), line);
	pthread_mutex_unlock(&stderr_lock);
}

/* es_log - printf-style wrapper around es_logv */
void es_log(int prio, const char *qid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	es_logv(prio, qid, fmt, ap);
	va_end(ap);
}

/* The queue ID of the message this thread scans; libraries' lines borrow it */
static _Thread_local const char *thread_qid;

/* es_log_set_thread_qid - see log.h */
void es_log_set_thread_qid(const char *qid)
{
	thread_qid = qid;
}

/* es_log_library - see log.h */
void es_log_library(int prio, const char *library, const char *msg)
{
	gsize n = strlen(msg ? msg : "");

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
		n--;
	if (n)
		es_log(prio < LOG_WARNING ? LOG_WARNING : prio, thread_qid, "%s: %.*s", library, (int)n, msg);
}

/* glib_line - GLib's default handler, replaced: warnings and criticals (a
 * library's assertion on a broken file) at warning, the rest at debug; the
 * label is GLib's own ("libgsf-CRITICAL"), so a grep for it still finds it */
static void glib_line(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	const char *what = level & G_LOG_LEVEL_ERROR ? "ERROR" : level & G_LOG_LEVEL_CRITICAL ? "CRITICAL"
			   : level & G_LOG_LEVEL_WARNING ? "WARNING" : level & G_LOG_LEVEL_MESSAGE ? "Message"
			   : level & G_LOG_LEVEL_INFO ? "INFO" : "DEBUG";
	char *label = g_strdup_printf("%s-%s", domain ? domain : "GLib", what);

	(void)data;
	es_log_library(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING) ? LOG_WARNING
		       : level & G_LOG_LEVEL_MESSAGE ? LOG_NOTICE : LOG_DEBUG, label, msg);
	g_free(label);
}

/* es_log_capture_libraries - see log.h */
void es_log_capture_libraries(void)
{
	g_log_set_default_handler(glib_line, NULL);
}
