/* textnorm_priv.h - what textnorm.c (the loop over characters) and
 * textnorm_word.h (how a word with more than letters is written) share */
#ifndef ES_TEXTNORM_PRIV_H
#define ES_TEXTNORM_PRIV_H

#include "textnorm.h"

/* What one character is to the tokeniser. */
enum { C_SP = 0, C_L, C_D, C_S, C_M, C_P };

typedef struct {
	char c;		/* folded ASCII character (or one byte of a folded UTF-8 letter) */
	guint8 cls;
	guint32 off;	/* input offset of the character it came from */
} atom;

typedef struct {
	atom *tok;	/* the word being read */
	gsize ntok, atok;
	atom *run;	/* single characters in a row ("f u c k"), waiting to be joined */
	gsize nrun, arun;
	guint nrun_letters;
	char *mch;	/* emit_word scratch: mapped characters ... */
	guint8 *mkind;	/* ... and what they are: 1 letter, 0 punctuation, 2 dropped */
	gsize amapped;
	gboolean sep;	/* a space is due before the next output character */
	gboolean plain;	/* the word being read is only letters so far */
	gboolean lower;	/* the word being read has had a lower-case ASCII letter (mixed_i) */
	gboolean turned;	/* the word being read has a turned letter: upside-down text */
	guint flags;
	gsize pc_start, pc_end;	/* output of the last word, if shaped as a postcode's first half */
	gboolean pc;
	gsize blocks;	/* blocks plain_blocks wrote in this run (textnorm_t looks) */
} scratch;

#define RUN_MAX 64

/* es_tn_out_grow - room for the next output byte, its space and the NUL */
void es_tn_out_grow(es_textnorm *tn);

/* out_char - append one output byte from input offset OFF (inline: every
 * byte of every text comes through here) */
static inline void out_char(es_textnorm *tn, scratch *sc, char c, guint32 off)
{
	if (G_UNLIKELY(tn->len + 3 > tn->alloc))
		es_tn_out_grow(tn);
	if (sc->sep && tn->len > 0) {
		tn->text[tn->len] = ' ';
		tn->map[tn->len++] = off;
	}
	sc->sep = FALSE;
	tn->text[tn->len] = c;
	tn->map[tn->len++] = off;
}

#endif
