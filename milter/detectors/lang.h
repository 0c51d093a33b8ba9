/* lang.h - internals of the language detector shared by its files: the
 * compiled rule set (rules, patterns, automaton) and how it is built */
#ifndef ES_LANG_H
#define ES_LANG_H

#include <glib.h>
#include "textnorm.h"

/* The automaton's alphabet: what normalised text is made of (textnorm.h). */
#define LANG_SYM_DIGIT	26	/* '0'..'9' are 26..35 */
#define LANG_SYM_MASK	36	/* '*', a masked letter */
#define LANG_SYM_SPACE	37	/* between words */
#define LANG_SYM_OTHER	38	/* a byte of a letter of another script */
#define LANG_NSYM	39

#define LANG_MAXPAT	48	/* longest pattern, in collapsed symbols */
#define LANG_MAXPARTS	8	/* most parts in a phrase rule ("a ... b ... c") */
#define LANG_GAP	3	/* most words between the parts of a phrase */
#define LANG_NEAR	4	/* [context] words count this many words either side */
#define LANG_BLOOM_BITS	65536	/* filter in front of the glued-term lookup */

/* One rule a finding can name: a line of a .rules file. */
typedef struct {
	char *id;		/* "profanity/bitch{,es}": category and pattern as written */
	char *category;
	int severity;
	guint nparts;		/* 1 for a word or fixed phrase; more with "..." */
} lang_rule;

enum { LP_TERM = 0, LP_ALLOW, LP_PART, LP_CONTEXT };

/* One string the automaton looks for, with repeated letters collapsed
 * ("ass" is a,s with runs 1,2); matches are checked against the runs. */
typedef struct {
	guint32 rule;		/* index into rules (TERM, PART), into contexts (CONTEXT) */
	guint32 form;		/* index into forms: the id findings show */
	guint8 kind;		/* LP_* */
	guint8 anch_start;	/* must start at a word start (no leading '*') */
	guint8 anch_end;	/* must end at a word end (no trailing '*') */
	guint8 masked;		/* a variant with masked letters ("f*ck") */
	guint8 part;		/* LP_PART: which part of the phrase */
	guint8 nspaces;		/* spaces inside the pattern */
	guint8 clen;		/* collapsed length */
	guint16 ctx;		/* LP_TERM, LP_PART: its context (index into contexts + 1), 0: none */
	guint8 syms[LANG_MAXPAT];
	guint8 runs[LANG_MAXPAT];	/* least repeat count at each position */
} lang_pat;

typedef struct {
	GPtrArray *rules;	/* lang_rule * */
	GPtrArray *forms;	/* char *: "profanity/asshole", the form of a rule that matched */
	GArray *pats;		/* lang_pat */
	GHashTable *short_words;	/* normalised ordinary short words ("an", "is") */
	GHashTable *glued;	/* normalised one-word term -> its pattern index + 1 */
	GPtrArray *contexts;	/* char *: normalised terms with words that show an innocent sense */
	GHashTable *context_of;	/* the same -> index into contexts + 1 */
	guint8 *short3;		/* bitmap of short words of up to 3 letters a-z (lang_short3_index) */
	guint16 short3_val[256];	/* byte of normalised text -> its digit in lang_short3_index
					 * (a-z), or LANG_SHORT3_BITS: not a short word */
	guint64 glue_bloom[LANG_BLOOM_BITS / 64];	/* lang_glue_hash of glued terms (two bits each) */
	guint glue_max;		/* letters in the longest glued term */
	gboolean enabled;
	int min_severity;
	/* the automaton: a complete DFA over columns of symbols (lang_ac.c) */
	guint32 nstates;
	guint shift;		/* a state's row has 1 << shift cells */
	guint16 *delta16;	/* [state << shift | column]: the next state, if under 65537 states
				 * and 32 columns (shift is then LANG_FAST_SHIFT) */
	guint32 *delta32;	/* the same for larger sets */
	guint32 out_state;	/* states from here on are where patterns end */
	guint32 eager_state;	/* ... and from here on not only later parts of phrases */
	guint part_spaces;	/* most spaces in a part of a phrase */
	guint32 start_state;	/* the state after a space, where a text starts */
	guint8 cls[256];	/* byte of normalised text -> column, or LANG_CLS_CARE */
	guint8 sym_cls[LANG_NSYM];	/* symbol -> column */
	guint32 *out_off;	/* patterns ending in state s: out_list[out_off[s] .. out_off[s+1]) */
	guint32 *out_list;
} lang_set;

#define LANG_FAST_SHIFT 5	/* rows of 32 cells: one cache line in 16 bits */
#define LANG_CLS_CARE 0xff	/* 1, 7: not stepped by the fast loop */

/* lang_step - the state after column K from state ST */
static inline guint32 lang_step(const lang_set *set, guint32 st, guint k)
{
	gsize e = ((gsize)st << set->shift) + k;

	return set->delta16 ? set->delta16[e] : set->delta32[e];
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

/* lang_glue_hash - fold bytes T[0..N) in front of a string whose hash is
 * *H and whose weight is *PW (31 to the power of its length; 1 for empty),
 * so the hash of words glued right to left costs one step per letter */
static inline void lang_glue_hash(const char *t, gsize n, guint64 *h, guint64 *pw)
{
	while (n-- > 0) {
		*h += (guchar)t[n] * *pw;
		*pw *= 31;
	}
}

/* lang_bloom_bit - bit I (0 or 1) of the filter for hash H */
static inline guint lang_bloom_bit(guint64 h, guint i)
{
	return (guint)((h * 0x9e3779b97f4a7c15ull) >> (i ? 16 : 48)) & (LANG_BLOOM_BITS - 1);
}

/* lang_bloom_has - the filter may hold hash H */
static inline gboolean lang_bloom_has(const guint64 *bloom, guint64 h)
{
	guint a = lang_bloom_bit(h, 0), b = lang_bloom_bit(h, 1);

	return (bloom[a / 64] >> (a % 64) & 1) && (bloom[b / 64] >> (b % 64) & 1);
}

/* lang_sym - the automaton symbol for one byte of normalised text */
static inline guint8 lang_sym(guchar c)
{
	if (c >= 'a' && c <= 'z')
		return (guint8)(c - 'a');
	if (c >= '0' && c <= '9')
		return (guint8)(LANG_SYM_DIGIT + c - '0');
	if (c == '*')
		return LANG_SYM_MASK;
	if (c == ' ')
		return LANG_SYM_SPACE;
	if (c == ES_TN_LEET_1)	/* in a pattern, the digit; in text, lang_match tries each letter */
		return LANG_SYM_DIGIT + 1;
	if (c == ES_TN_LEET_7)
		return LANG_SYM_DIGIT + 7;
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
