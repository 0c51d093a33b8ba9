/* scan.h - one message going through the pipeline: its envelope, the text and
 * attachments taken out of it, the findings the detectors add, the verdict */
#ifndef ES_SCAN_H
#define ES_SCAN_H

#include <glib.h>
#include <gmime/gmime.h>
#include "conf.h"

typedef enum { ES_DIR_INBOUND = 0, ES_DIR_OUTBOUND, ES_DIR_INTERNAL, ES_DIR_EXTERNAL } es_direction;
const char *es_direction_name(es_direction d);

/* One piece of text a detector reads: the subject, a text part (HTML already
 * turned into text), or text taken out of an attachment. Always valid UTF-8. */
typedef struct {
	char *part;		/* "subject", a MIME part path such as "1.2", "2/3" inside an archive */
	char *label;		/* what a person would call it: "subject", "body", "class.xlsx" */
	char *text;		/* UTF-8, NUL-terminated */
	gsize len;
	gboolean attachment;	/* came from an attachment, not the message body */
} es_text;

/* One attachment (or archive member), decoded from its transfer encoding. */
typedef struct {
	char *part;		/* MIME part path; members of archives get "PART/N" */
	char *filename;		/* may be NULL */
	char *content_type;	/* lower case "type/subtype" */
	char *charset;		/* charset a text part declares, or NULL */
	GBytes *data;		/* decoded bytes */
	guint depth;		/* nesting level: +1 per multipart, attached message or archive */
	gboolean encrypted;	/* set by an extractor: content is encrypted */
} es_attachment;

/* One thing a detector found. Names follow ARCHITECTURE.md's vocabulary. */
typedef struct {
	char *detector;		/* language, personal_data, pupil_data, virus, limits */
	char *category;		/* profanity, ..., personal_info, sensitive_data, pupil_data */
	char *type;		/* personal-data type (upn, nhs_number, ...) or NULL */
	int severity;		/* 1 (low) .. 5 (most serious) */
	char *part;		/* es_text/es_attachment part it was found in */
	char *rule;		/* id of the rule that matched, for the lead and X-ESafety-Reason */
	char *excerpt;		/* short, REDACTED where it shows personal data */
	int records;		/* pupil_data: how many people; otherwise 0 */
} es_finding;

/* Resource limits for one message, from [limits] in the config. */
typedef struct {
	gint64 max_depth;		/* MIME/archive nesting */
	gint64 max_parts;		/* MIME parts + archive members */
	gint64 max_extracted;		/* total bytes taken out of archives */
	gint64 max_ratio;		/* decompression ratio per member */
	gint64 max_text;		/* bytes of text handed to detectors, per text */
	gint64 deadline_us;		/* g_get_monotonic_time() after which to stop */
} es_limits;

typedef struct es_scan es_scan;
struct es_scan {
	const es_conf *conf;
	const char *qid;		/* Postfix queue ID, or the file name in esafety-scan */

	/* envelope */
	char *sender;			/* envelope sender, without <> ("" for the null sender) */
	GPtrArray *rcpts;		/* char *, without <> */
	char *auth_user;		/* SASL login ({auth_authen}) or NULL */
	char *client_addr;		/* client IP as text or NULL (esafety-scan) */

	/* who and which way, decided before detectors run */
	const es_school *school;	/* the school whose policy applies; NULL: none of ours */
	es_role sender_role;
	es_direction direction;
	const char *year_group;		/* of the pupil concerned (owned by conf), or NULL */

	/* the message */
	GMimeMessage *mime;		/* NULL if it could not be parsed */
	char *message_id;
	char *subject;
	GPtrArray *texts;		/* es_text * */
	GPtrArray *attachments;		/* es_attachment * */
	GBytes *raw;			/* the whole message as received: always set, in memory or
					 * a read-only mapping of the private spill file */
	es_limits limits;
	GHashTable *notices;		/* templates read at (re)load (es_notice_cache_new), reffed; NULL: from disk */
	guint32 mime_warned;		/* GMime parser warnings logged (1 << code), each once */

	/* results */
	GPtrArray *findings;		/* es_finding * */
	GPtrArray *errors;		/* char *: what could not be done, shown in JSON and logs */
	gboolean encrypted;		/* some content is encrypted (S/MIME, PGP, zip, Office, PDF) */
	char *virus;			/* name of the first virus found, or NULL */
	GHashTable *inputs;		/* char * -> char *: reputation and other policy inputs, shown in JSON */
	gboolean reputation_unused;	/* Redis was on but could not be used for this message */
	char *new_contacts;		/* pupil hashes this message contacted first (reputation.c) */
};

/* es_scan_new - empty scan for one message under CONF (reffed for its life) */
es_scan *es_scan_new(const es_conf *conf, const char *qid);
void es_scan_free(es_scan *s);

/* es_scan_add_finding - add a finding; strings are copied. Returns it so the
 * caller can set type or records. EXCERPT must already be redacted. */
es_finding *es_scan_add_finding(es_scan *s, const char *detector, const char *category,
				int severity, const char *part, const char *rule,
				const char *excerpt);
/* es_scan_error - record (and log with the queue ID) something that could not be done */
void es_scan_error(es_scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* es_scan_add_text - hand a piece of text to the detectors (copied; made valid UTF-8) */
es_text *es_scan_add_text(es_scan *s, const char *part, const char *label,
			  const char *text, gssize len, gboolean attachment);
/* es_scan_add_attachment - add an attachment (takes a ref on DATA) */
es_attachment *es_scan_add_attachment(es_scan *s, const char *part, const char *filename,
				      const char *content_type, GBytes *data, guint depth);
/* es_scan_out_of_time - the per-message time limit has passed */
gboolean es_scan_out_of_time(const es_scan *s);
/* es_scan_set_input - record a policy input (e.g. "reputation.score" = "12") */
void es_scan_set_input(es_scan *s, const char *name, const char *value);
/* es_scan_max_severity - highest severity among findings matching CATEGORY (NULL: any) */
int es_scan_max_severity(const es_scan *s, const char *category);

#endif
