/* log.h - logging for the milter, esafety-scan and the UI: syslog or stderr */
#ifndef ES_LOG_H
#define ES_LOG_H

#include <syslog.h>
#include <stdarg.h>

/* es_log_open - start logging as IDENT to syslog (facility name such as
 * "mail") or, when to_stderr is set, to standard error. */
void es_log_open(const char *ident, const char *facility, int to_stderr);

/* es_log_set_level - drop messages less important than PRIO (LOG_DEBUG..) */
void es_log_set_level(int prio);

/* es_log - log one line. QID is the Postfix queue ID (or NULL for lines
 * that are not about one message); it starts the line as "QID: ", so every
 * message line can be found with grep QID, like Postfix's own. */
void es_log(int prio, const char *qid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void es_logv(int prio, const char *qid, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* es_log_set_thread_qid - the message this thread is scanning now (NULL
 * when done), so lines that libraries log while it scans carry its ID */
void es_log_set_thread_qid(const char *qid);
/* es_log_library - a library's own diagnostic (libxml2, libgsf, GMime,
 * poppler through GLib) as one of our lines, under the thread's queue ID:
 * they are about the sender's file, so warning at most */
void es_log_library(int prio, const char *library, const char *msg);
/* es_log_capture_libraries - route GLib's log (libraries that use it) to
 * es_log_library; once, at start-up. Without it they write to stderr, which
 * the daemon has closed. */
void es_log_capture_libraries(void);

/* es_log_level_parse - "debug", "info", "notice", "warning", "err"; -1 if unknown */
int es_log_level_parse(const char *name);

#endif
