/* textnorm_lookalike.h - letters of other scripts and symbol blocks that
 * pass for plain Latin ones, for textnorm.c */
#ifndef ES_TEXTNORM_LOOKALIKE_H
#define ES_TEXTNORM_LOOKALIKE_H

#include <glib.h>

/* es_tn_lookalike - the lower-case Latin letter that C (already decomposed
 * and lower-cased) is drawn to look like, or 0 */
char es_tn_lookalike(gunichar c);
/* es_tn_turned - the letter that C is upside down ("ʞ" is a turned k), or 0:
 * a word with one is upside-down text, written backwards (textnorm.c) */
char es_tn_turned(gunichar c);

#endif
