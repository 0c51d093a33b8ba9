/* pd_scan.h - the personal-data scanner: rules (types, severities, context
 * words, phrases) and one pass over a text that lists validated matches.
 * Independent of es_scan so tests and benchmarks can drive it directly. */
#ifndef ES_PD_SCAN_H
#define ES_PD_SCAN_H

#include <glib.h>

/* The types of ARCHITECTURE.md, in the order of pd_type_names. */
typedef enum {
	PD_UPN, PD_ULN, PD_NHS, PD_NINO, PD_CARD, PD_BANK, PD_IBAN, PD_PASSPORT,
	PD_LICENCE, PD_PHONE, PD_POSTCODE, PD_ADDRESS, PD_DOB, PD_EMAIL,
	PD_CREDENTIALS, PD_MEETING, PD_N_TYPES
} pd_type;

extern const char *const pd_type_names[PD_N_TYPES + 1];	/* and a NULL */
/* pd_type_parse - type name to pd_type; -1 if unknown */
int pd_type_parse(const char *name);

/* How one type is reported, from [TYPE] in personal_data.rules. */
typedef struct {
	gboolean enabled;
	int severity;		/* 1..5 */
	int base;		/* confidence 0..100 of a bare match */
	gboolean identity;	/* identifies a person: several in one message is sensitive_data */
	char **raise;		/* context words (lower case) that make it likelier */
	char **lower;		/* context words that make it unlikely */
	guint8 raise_first[32], lower_first[32];	/* bit set: the bytes those words start with */
} pd_type_rule;

#define PD_PHRASE_BITS 65536	/* filter in front of the phrase table: 8 KiB */

typedef struct {
	pd_type_rule types[PD_N_TYPES];
	int threshold;		/* matches at or above this confidence are reported */
	int raise_by, lower_by;	/* confidence change for a raise / lower word nearby */
	int window;		/* bytes before a match searched for context words */
	int several;		/* distinct identifiers of one type that make sensitive_data */
	int sensitive_severity;	/* least severity of a sensitive_data finding */
	char **street_types;	/* Road, Street, ... (lower case) */
	char **credential_words;	/* password, pin, ... (lower case) */
	char **credential_stop;	/* words after "password is" that are not a password */
	GPtrArray *meeting;	/* char *: lower-case phrases */
	GHashTable *phrases;	/* first three bytes -> GPtrArray of credential words and meeting phrases */
	guint64 phrase_bits[PD_PHRASE_BITS / 64];	/* phrase_bit (pd_phrases.c) of each key of phrases */
} pd_rules;

/* pd_rules_load - read DIR/personal_data/ (the shipped rules), then
 * LOCAL_DIR/personal_data/ if it exists (keys there override, phrases add).
 * NULL and *err naming the file on error. */
pd_rules *pd_rules_load(const char *dir, const char *local_dir, GError **err);
void pd_rules_free(pd_rules *r);

typedef struct {
	pd_type type;
	gsize start, end;	/* byte offsets of the value in the text */
	int confidence;
} pd_match;

/* pd_scan_text - append to OUT (GArray of pd_match) every match in TEXT
 * whose type is enabled and whose confidence reaches the threshold, in text
 * order, none inside another. Linear in LEN; never fails. */
void pd_scan_text(const pd_rules *r, const char *text, gsize len, GArray *out);

/* pd_normalise - the value of M with separators removed and letters in
 * upper case (for counting distinct values); g_free it */
char *pd_normalise(const char *text, const pd_match *m);

#endif
