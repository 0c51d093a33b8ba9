/* lang_match.h - scanning normalised text with a compiled language rule set */
#ifndef ES_LANG_MATCH_H
#define ES_LANG_MATCH_H

#include <glib.h>
#include "textnorm.h"
#include "lang.h"

/* One rule that matched, after the allow list. */
typedef struct {
	guint32 rule;		/* index into set->rules */
	guint32 form;		/* index into set->forms */
	gsize start, end;	/* original offsets in the whole text */
	gboolean masked;	/* matched with masked letters ("f*ck") */
} lang_hit;

typedef struct lang_matcher lang_matcher;

/* lang_matcher_new - state for scanning one text with SET (phrases can span chunks) */
lang_matcher *lang_matcher_new(const lang_set *set);
/* lang_matcher_chunk - scan TN, the normalisation of IN[0..LEN), which starts
 * at offset BASE of the whole text; append hits to HITS (lang_hit). Chunks
 * should end at white space so no word is cut. */
void lang_matcher_chunk(lang_matcher *m, const es_textnorm *tn, const char *in, gsize len,
			gsize base, GArray *hits);
void lang_matcher_free(lang_matcher *m);

#endif
