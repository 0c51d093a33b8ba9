/* quarantine.h - the quarantine store shared by the milter and the UI.
 *
 * Format (fixed; ARCHITECTURE.md):
 *   ROOT/<school>/{tmp,new,cur}: one Maildir per school. Messages of no
 *   configured school go to ROOT/_none. Delivery writes tmp/, fsyncs,
 *   renames into new/ and fsyncs the directory. The file name is
 *   "<time>.<id>.<host>" where <id> is the quarantine id (hex, 16 chars).
 *
 *   The file is the original message (forged X-ESafety-* removed) with these
 *   headers prepended, in this order, one per line, values unfolded:
 *     X-ESafety-Id: <id>
 *     X-ESafety-School: <school>
 *     X-ESafety-Policy-School: <school>              (another school's copy: the school that decided)
 *     X-ESafety-Policy-Sender-Role: <role>           (with Policy-School: the sender as that school saw them)
 *     X-ESafety-Stored-For: <school>, <school>, ...  (a copy in each: every one, the decider's first)
 *     X-ESafety-Verdict: accept|copy|hold|reject|tempfail
 *     X-ESafety-Reason: <policy rule name>
 *     X-ESafety-Categories: <comma-separated, may be empty>
 *     X-ESafety-Finding: detector=D; category=C; severity=N; part=P; rule=R;
 *                        [type=T; ][records=N; ]excerpt="E"     (one per finding)
 *     X-ESafety-Sender-Role: pupil|staff|external|other
 *     X-ESafety-Direction: inbound|outbound|internal|external
 *     X-ESafety-Year-Group: <group>                  (only when known; es_route)
 *     X-ESafety-Envelope-From: <addr>
 *     X-ESafety-Envelope-To: <addr>                  (one per original recipient)
 *     X-ESafety-Queue-Id: <postfix queue id>
 *     X-ESafety-Time: <RFC 3339 UTC>
 *     X-ESafety-Virus: <name>                        (only when a virus was found)
 *     X-ESafety-HMAC: <hex HMAC-SHA256>
 *   The HMAC key is the contents of [quarantine] hmac_key_file. The HMAC is
 *   over every X-ESafety-* line above it, each as "Name: value\n" exactly as
 *   written. A file whose HMAC does not verify is not trusted by the UI.
 *   Readers ignore X-ESafety-* names they do not know and treat a missing
 *   optional header as unknown, so files written before a header was added
 *   stay valid.
 *
 * Release: the UI re-submits the stored file (X-ESafety-* headers removed) to
 * the MTA for the original recipients with one header
 *     X-ESafety-Release: <id>.<expiry unix seconds>.<hex HMAC-SHA256 of "release:<id>.<expiry>">
 * The milter accepts a valid, unexpired token once (it creates
 * ROOT/<school>/.released/<id> with O_EXCL; an existing file means reuse),
 * delivers the message without holding it again and removes the header. */
#ifndef ES_QUARANTINE_H
#define ES_QUARANTINE_H

#include <glib.h>
#include "scan.h"
#include "policy.h"

/* es_hmac_key_load - read the key file (refuses one others can write); NULL and *err */
GBytes *es_hmac_key_load(const char *path, GError **err);
/* es_hmac_hex - hex HMAC-SHA256 of DATA under KEY (g_free it) */
char *es_hmac_hex(GBytes *key, const char *data, gsize len);

/* es_finding_format - one finding as in X-ESafety-Finding (g_free it) */
char *es_finding_format(const es_finding *f);

/* es_quarantine_copy - one school's copy of a message: a message to pupils of
 * two schools is stored once in each, with that school's recipients and as
 * that school sees it, so each lead reviews and releases the mail of their
 * own pupils only */
typedef struct {
	const es_school *school;	/* NULL: mail of none of our schools (folder "_none") */
	GPtrArray *rcpts;		/* char *: the envelope recipients this copy is for */
	const char *year_group;		/* of this school's pupil, or NULL */
	es_role sender_role;		/* the sender, as this school sees them */
	es_direction direction;
	const es_school *policy_school;	/* another school's policy decided; NULL: this one's */
	es_role policy_sender_role;	/* with policy_school: the sender as that school saw them */
	char *stored_for;		/* "a, b": every school with a copy, the policy's first; NULL: one copy */
} es_quarantine_copy;

/* es_quarantine_copies - the copies to store of S (es_quarantine_copy *;
 * g_ptr_array_unref): first the school whose policy applied, with the
 * recipients of no school (none, if the message is only to other schools:
 * its lead still sees what its pupil or staff sent); then one for each other
 * school with recipients, in the order they first appear */
GPtrArray *es_quarantine_copies(const es_scan *s);

/* es_quarantine_headers - the X-ESafety-* block (with HMAC) of copy C of S
 * (NULL: the whole message, its school, recipients and year group) */
char *es_quarantine_headers(const es_scan *s, const es_verdict *v, const es_quarantine_copy *c,
			    const char *id, GBytes *key);
/* es_quarantine_store - deliver copy C (NULL: the whole message) into its
 * school's Maildir; fills *id_out (g_free). FALSE and *err if it was not
 * stored durably. */
gboolean es_quarantine_store(const es_scan *s, const es_verdict *v, const es_quarantine_copy *c,
			     const char *root, GBytes *key, char **id_out, GError **err);
/* es_quarantine_store_copies - deliver every copy of COPIES, all or none:
 * each is written to its tmp/ first, and only when all are there are they
 * moved to new/; a failure removes what was written. *ids_out (g_free) gets
 * their ids, comma-separated, in order; with several, each is logged with its
 * school. FALSE and *err if none was stored. */
gboolean es_quarantine_store_copies(const es_scan *s, const es_verdict *v, GPtrArray *copies,
				    const char *root, GBytes *key, char **ids_out, GError **err);

/* es_quarantine_verify - check the HMAC of a stored file's X-ESafety-* block */
gboolean es_quarantine_verify(const char *msg, gsize len, GBytes *key);

/* es_release_token - make a token for quarantine id ID valid for TTL seconds (g_free) */
char *es_release_token(const char *id, gint64 ttl, GBytes *key);
/* es_release_token_check - TRUE if TOKEN is genuine and unexpired; *id_out gets the id */
gboolean es_release_token_check(const char *token, GBytes *key, char **id_out);
/* es_release_claim - mark ID used (ROOT/.released/ID); FALSE if it was used before */
gboolean es_release_claim(const char *root, const char *id, GError **err);

#endif
