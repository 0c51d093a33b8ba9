/* lang.h - internals of the language detector shared by its files: the
 * compiled rule set (rules, patterns, automaton) and how it is built */
#ifndef ES_LANG_H
#define ES_LANG_H

#include <glib.h>

/* The automaton's alphabet: what normalised text is made of (textnorm.h). */
#define LANG_SYM_DIGIT	26	/* '0'..'9' are 26..35 */
#define LANG_SYM_MASK	36	/* '*', a masked letter */
#define LANG_SYM_SPACE	37	/* between words */
#define LANG_SYM_OTHER	38	/* a byte of a letter of another script */
#define LANG_NSYM	39

#define LANG_MAXPAT	48	/* longest pattern, in collapsed symbols */
#define LANG_MAXPARTS	8	/* most parts in a phrase rule ("a ... b ... c") */
#define LANG_GAP	3	/* most words between the parts of a phrase */

/* One rule a finding can name: a line of a .rules file. */
typedef struct {
	char *id;		/* "profanity/bitch{,es}": category and pattern as written */
	char *category;
	int severity;
	guint nparts;		/* 1 for a word or fixed phrase; more with "..." */
} lang_rule;

enum { LP_TERM = 0, LP_ALLOW, LP_PART };

/* One string the automaton looks for, with repeated letters collapsed
 * ("ass" is a,s with runs 1,2); matches are checked against the runs. */
typedef struct {
	guint32 rule;		/* index into rules (TERM, PART) */
	guint32 form;		/* index into forms: the id findings show */
	guint8 kind;		/* LP_* */
	guint8 anch_start;	/* must start at a word start (no leading '*') */
	guint8 anch_end;	/* must end at a word end (no trailing '*') */
	guint8 masked;		/* a variant with masked letters ("f*ck") */
	guint8 part;		/* LP_PART: which part of the phrase */
	guint8 nspaces;		/* spaces inside the pattern */
	guint8 clen;		/* collapsed length */
	guint8 syms[LANG_MAXPAT];
	guint8 runs[LANG_MAXPAT];	/* least repeat count at each position */
} lang_pat;

typedef struct {
	GPtrArray *rules;	/* lang_rule * */
	GPtrArray *forms;	/* char *: "profanity/asshole", the form of a rule that matched */
	GArray *pats;		/* lang_pat */
	GHashTable *short_words;	/* normalised ordinary short words ("an", "is") */
	GHashTable *glued;	/* normalised one-word term -> its pattern index + 1 */
	guint8 *short3;		/* bitmap of short words of up to 3 letters a-z (lang_short3_index) */
	gboolean enabled;
	int min_severity;
	/* the automaton: a complete DFA over LANG_NSYM symbols */
	guint32 nstates;
	guint32 *delta;		/* [state * LANG_NSYM + sym]; LANG_HAS_OUTPUT set if patterns end there */
	guint16 *delta16;	/* the same in 16 bits (flag 0x8000) when under 32768 states: half the cache */
	guint32 *out_off;	/* patterns ending in state s: out_list[out_off[s] .. out_off[s+1]) */
	guint32 *out_list;
} lang_set;

#define LANG_HAS_OUTPUT 0x80000000u

/* lang_next - the state after symbol SYM from STATE, without the output flag */
static inline guint32 lang_next(const guint32 *delta, guint32 state, guint8 sym)
{
	return delta[(gsize)state * LANG_NSYM + sym] & ~LANG_HAS_OUTPUT;
}

/* lang_short3_index - bit number of a word of 1-3 letters a-z, -1 for others */
static inline int lang_short3_index(const char *w, gsize len)
{
	int x = 0;

	if (len == 0 || len > 3)
		return -1;
	for (gsize i = 0; i < len; i++) {
		if (w[i] < 'a' || w[i] > 'z')
			return -1;
		x = x * 27 + (w[i] - 'a' + 1);
	}
	return x;
}
#define LANG_SHORT3_BITS (27 * 27 * 27)

/* lang_sym - the automaton symbol for one byte of normalised text */
static inline guint8 lang_sym(guchar c)
{
	if (G_LIKELY(c >= 'a' && c <= 'z'))
		return (guint8)(c - 'a');
	if (c == ' ')
		return LANG_SYM_SPACE;
	if (c >= 'a' && c <= 'z')
		return (guint8)(c - 'a');
	if (c >= '0' && c <= '9')
		return (guint8)(LANG_SYM_DIGIT + c - '0');
	if (c == '*')
		return LANG_SYM_MASK;
	if (c == ' ')
		return LANG_SYM_SPACE;
	return LANG_SYM_OTHER;
}

/* lang_set_new - empty set (enabled, min_severity 1) */
lang_set *lang_set_new(void);
void lang_set_free(lang_set *set);
/* lang_load_dir - read DIR/ *.rules in name order; a missing directory is an
 * error only if REQUIRED. Errors name the file and line. */
gboolean lang_load_dir(lang_set *set, const char *dir, gboolean required, GError **err);
/* lang_load_file - read one rules file */
gboolean lang_load_file(lang_set *set, const char *path, GError **err);
/* lang_load_string - read rules from TEXT, NAME used in errors (tests) */
gboolean lang_load_string(lang_set *set, const char *name, const char *text, GError **err);
/* lang_compile - build the automaton once every file is read */
void lang_compile(lang_set *set);

#endif
