/* notice.h - the text people see when their mail is refused or held, from
 * templates under rules/templates/, by reason and audience */
#ifndef ES_NOTICE_H
#define ES_NOTICE_H

#include <glib.h>
#include "scan.h"
#include "policy.h"

/* every audience a template can be written for */
extern const char *const es_notice_audiences[4];

/* es_notice_audience - primary_pupil, secondary_pupil, staff or external */
const char *es_notice_audience(const es_scan *s);

/* es_notice_cache_new - every template (*.txt) in the folders of every
 * school of CONF and of mail of no school, path -> text, read now: what a
 * notice says is fixed at start and reload, like the rest of the config,
 * and a template being rewritten in place is never read half-written.
 * Templates over 64 KiB, or added since, are read from disk when needed. */
GHashTable *es_notice_cache_new(const es_conf *conf);
/* es_notice_render - the notice NAME for S's sender as lines (NULL-terminated,
 * g_strfreev), at most 30 lines of at most 400 bytes, ASCII-safe for SMTP.
 * Looks in local_rules_dir/templates/SCHOOL/, local_rules_dir/templates/,
 * rules_dir/templates/ for NAME.AUDIENCE.txt, then (if USE_DEFAULT) default.AUDIENCE.txt.
 * Placeholders: {school} {contact} {secure_route} {categories} {virus}
 * {queue_id} {reason}. NULL and *err if no template was found. */
char **es_notice_render(const es_scan *s, const es_verdict *v, const char *name,
			gboolean use_default, GError **err);

/* es_notice_exists - a template NAME.AUDIENCE.txt exists for some audience
 * in SCHOOL's folders (NULL: mail of no school), defaults not counted: a
 * policy's notice=NAME would otherwise never be shown */
gboolean es_notice_exists(const es_conf *conf, const es_school *school, const char *name);
/* es_notice_dirs - the folders searched, most local first, comma-separated (g_free) */
char *es_notice_dirs(const es_conf *conf, const es_school *school);

#endif
