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

/* es_log_level_parse - "debug", "info", "notice", "warning", "err"; -1 if unknown */
int es_log_level_parse(const char *name);

#endif
