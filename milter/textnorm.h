/* textnorm.h - fold text into a plain form for matching word lists, keeping a
 * map from every output byte back to the byte of the original it came from.
 *
 * What the output looks like: lower-case ASCII letters and digits (and, with
 * ES_TN_LEET, 'I' and 'T' below; a '.' joins the digits of "14.88"), words
 * separated by exactly one space, no leading or trailing space. On the way:
 *  - Unicode compatibility forms (fullwidth, ligatures, circled letters) are
 *    decomposed (NFKD per character, like NFKC for matching) and diacritics
 *    dropped: "fučk" -> "fuck", "ＡＢＣ" -> "abc";
 *  - Cyrillic and Greek look-alikes, and the letters of other scripts and
 *    symbol blocks that fancy-text generators use (textnorm_lookalike.c),
 *    become the Latin letter they imitate;
 *  - a word with a turned letter is upside-down text, written backwards:
 *    it is read right way up ("ʞɔnɟ" -> "fuck");
 *  - zero-width characters and soft hyphens vanish without splitting a word;
 *  - punctuation inside a word joins it when it separates single letters
 *    ("f.u_ck", "don't" -> "fuck", "dont") and splits it otherwise
 *    ("end.Then", "who're" -> "end then", "who re");
 *  - letters of other scripts are kept, case-folded, as UTF-8.
 * With ES_TN_LEET, inside a word that has letters (and is not a number with a
 * unit such as "45s" or "3rd"): 0 3 4 5 6 8 9 @ $ ! + () become o e a s g b g a
 * s i t o; "1" and "|" are written as 'I' (ES_TN_LEET_1) and "7" as 'T'
 * (ES_TN_LEET_7) because each could be more than one letter (1, i or l; 7, t
 * or l) - a matcher decides; so is an upper-case I after a lower-case letter
 * of the same word, which many fonts draw as an l ("kiII", "sIut"); digits
 * of numbers ("1971", and pieces of two or more digits between punctuation,
 * "widget-1977") stay plain digits;
 * '*' and '#' inside a word are kept as '*' (a masked letter, as in "f*ck"),
 * except between each of three or more single characters, where they
 * separate letters instead ("f*u*c*k" is "fuck"), as the same leetspeak
 * symbol there does ("f|u|c|k", "f+u+c+k"); one to three dots, dashes,
 * underscores, tildes, carets or equals signs inside a short word of two
 * pieces of letters (the first of one or two, five letters in all, not two
 * common words) are masked letters ("c.nt" is "c*nt"; "is.it" and "Yes,it"
 * are not).
 * With ES_TN_JOIN_LETTERS, three or more single characters in a row separated
 * by spaces, at least two of them letters, become one word ("f u c k").
 * With ES_TN_SKIP_ADDRESSES, words that are URLs ("http://...", "www...."),
 * e-mail addresses and @handles are left out: they name things, and random
 * link text would otherwise spell words.
 * Never fails: invalid UTF-8 bytes and control characters count as spaces. */
#ifndef ES_TEXTNORM_H
#define ES_TEXTNORM_H

#include <glib.h>

/* the two upper-case bytes the output can hold: a leetspeak 1 (or |) and 7 */
#define ES_TN_LEET_1 'I'
#define ES_TN_LEET_7 'T'

enum {
	ES_TN_LEET = 1 << 0,		/* read leetspeak and masked letters */
	ES_TN_JOIN_LETTERS = 1 << 1,	/* join letters separated by spaces */
	ES_TN_SKIP_ADDRESSES = 1 << 2,	/* leave out URLs, e-mail addresses, @handles */
	ES_TN_NO_BLOCKS = 1 << 3,	/* tests: plain words one at a time, never sixteen bytes at once */
};

typedef struct {
	char *text;	/* normalised text, NUL-terminated */
	guint32 *map;	/* map[i]: offset in the input of the character that gave text[i] */
	gsize len;	/* bytes in text (and entries in map) */
	gboolean rtl_override;	/* the input has a right-to-left override (es_textnorm_as_shown) */
	gsize alloc;	/* private */
	void *priv;	/* private: scratch space reused between runs */
} es_textnorm;

/* es_textnorm_init - an empty normaliser; buffers are reused across runs */
void es_textnorm_init(es_textnorm *tn);
/* es_textnorm_run - normalise IN[0..LEN) (LEN < 4 GiB) with FLAGS, replacing
 * tn->text and tn->map */
void es_textnorm_run(es_textnorm *tn, const char *in, gsize len, guint flags);
/* es_textnorm_span - the input bytes [*start, *end) that gave output bytes
 * [from, to) (from < to <= tn->len) of the last run over IN of LEN bytes */
void es_textnorm_span(const es_textnorm *tn, const char *in, gsize len,
		      gsize from, gsize to, gsize *start, gsize *end);
/* es_textnorm_clear - free the buffers (safe to call twice) */
void es_textnorm_clear(es_textnorm *tn);
/* es_textnorm_string - convenience: the normalised form of IN (LEN -1: NUL-terminated); g_free it */
char *es_textnorm_string(const char *in, gssize len, guint flags);

/* es_textnorm_as_shown - a copy of IN[0..LEN) as a reader sees it when it
 * has right-to-left overrides (U+202E): what follows one, to the end of its
 * line, a pop (U+202C) or a left-to-right override (U+202D), is shown
 * backwards ("\u202ekcuf" is "fuck"); the override characters are left
 * out. Sets *OUT_LEN; g_free the result. Isolates (U+2066-2069) turn no
 * Latin letters round, so they are left as they are. */
char *es_textnorm_as_shown(const char *in, gsize len, gsize *out_len);

/* es_ascii_lower - a copy of the LEN bytes at S with A-Z lower-cased and a
 * NUL after them (other bytes as they are: offsets stay the same); g_free */
char *es_ascii_lower(const char *s, gsize len);

#endif
