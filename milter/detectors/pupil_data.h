/* pupil_data.h - the pupil-data detector's rules (column-header words of
 * school management system exports) and its analysis of one text: how many
 * distinct pupils it describes and which kinds of data it holds. Independent
 * of es_scan so unit tests and benchmarks can drive it directly. */
#ifndef ES_PUPIL_DATA_H
#define ES_PUPIL_DATA_H

#include <glib.h>

/* Kinds of column, in the order of pd_kind_labels. */
typedef enum {
	PK_NAME, PK_SURNAME, PK_FORENAME, PK_DOB, PK_UPN, PK_ULN, PK_NHS, PK_YEAR, PK_CLASS,
	PK_SEN, PK_FSM, PK_PP, PK_ETHNICITY, PK_MEDICAL, PK_ADDRESS, PK_CONTACT, PK_LAC,
	PK_CP, PK_GENDER, PK_EAL, PK_RELIGION, PK_N
} pk_kind;

extern const char *const pk_names[PK_N];	/* names used in headers.txt: "surname" */
extern const char *const pk_labels[PK_N];	/* shown in excerpts: "SEN" */

#define PK_FIRST_BITS 4096

typedef struct {
	GHashTable *phrases;	/* normalised header phrase -> GINT_TO_POINTER(kind + 1) */
	guint64 first[PK_FIRST_BITS / 64];	/* hashes of the words a phrase (or a prefix) starts with */
	guint special;		/* bit per kind that is special category or sensitive */
	guint pupil;		/* bit per kind that marks a list as about pupils */
	gboolean enabled;	/* [pupil_data] enabled */
} pk_rules;

/* pk_rules_load - read headers.txt (PATH); NULL with *err on a bad line */
pk_rules *pk_rules_load(const char *path, GError **err);
void pk_rules_free(pk_rules *r);

/* What one text holds. */
typedef struct {
	int records;		/* distinct pupils; 0: not pupil data */
	guint kinds;		/* bit per pk_kind present */
	const char *rule;	/* "pupil_table", "pupil_ids", "name_dob", "name_dob_rows" or "pupil_records" */
} pk_result;

/* pk_analyse - count pupils in TEXT (valid UTF-8, LEN bytes) */
void pk_analyse(const pk_rules *r, const char *text, gsize len, pk_result *out);

/* pk_kind_of - the kind a header cell names (-1: none); CELL need not be normalised */
int pk_kind_of(const pk_rules *r, const char *cell, gsize len);

/* pk_excerpt - "34 pupils: name, DOB, UPN, SEN" (never values); g_free */
char *pk_excerpt(int records, guint kinds);

/* Shared by the table rules (pupil_data_table.c) and the headerless rows
 * rule (pupil_data_rows.c). */
typedef struct { const char *p; gsize len; } pk_cell;

/* pk_split - cells of LINE by DELIM (' ': spaces and tabs), "quoted, cells" kept whole */
int pk_split(const char *line, gsize len, char delim, pk_cell *out, int max);

/* pk_adult_title - a name cell starts with the title an adult goes by ("Mr Smith") */
gboolean pk_adult_title(const char *p, gsize len);

/* pk_date_year - the year of a cell that is a date written in figures
 * (03/09/2014, 3-9-2014, 03.09.2014, 2014-09-03); 0 if it is not one */
int pk_date_year(const char *p, gsize len);

/* Ages (in years, by year of birth) a pupil can have: two in a nursery
 * class, up to 25 with an EHC plan. A row under a DOB header whose DOB is
 * older is an adult's (a staff list), not a pupil's. */
#define PK_PUPIL_MAX_AGE 25

/* The headerless rows rule (pupil_data_rows.c): blocks of delimited lines
 * with a name and a date of birth of school age in the same columns. */
typedef struct pk_rows pk_rows;

pk_rows *pk_rows_new(int this_year);
/* pk_rows_line - one line of text: DELIM its separator (' ': none), DIGITS how many it has */
void pk_rows_line(pk_rows *b, const char *line, gsize len, char delim, int digits);
/* pk_rows_header - the line was a header row of NCOLS cells: the block below it is not headerless */
void pk_rows_header(pk_rows *b, int ncols);
/* pk_rows_count - distinct pupils in the blocks that qualified (ends the text) */
int pk_rows_count(pk_rows *b);
void pk_rows_free(pk_rows *b);

#endif
