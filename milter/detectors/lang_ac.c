/* lang_ac.c - build the Aho-Corasick automaton of the language patterns as a
 * complete DFA: one table lookup per character of normalised text */
#include "config.h"
#include <string.h>
#include "lang.h"

#define NONE G_MAXUINT32

typedef struct {
	guint32 *go;		/* [state * LANG_NSYM + sym], NONE: no edge yet */
	guint32 n, cap;
	guint32 *head;		/* first pattern ending in each state, NONE: none */
} trie;

/* new_state - add a state with no edges */
static guint32 new_state(trie *t)
{
	if (t->n == t->cap) {
		t->cap *= 2;
		t->go = g_realloc_n(t->go, (gsize)t->cap * LANG_NSYM, sizeof(guint32));
		t->head = g_realloc_n(t->head, t->cap, sizeof(guint32));
	}
	memset(t->go + (gsize)t->n * LANG_NSYM, 0xff, LANG_NSYM * sizeof(guint32));
	t->head[t->n] = NONE;
	return t->n++;
}

/* build_trie - every pattern as a path from the root; NEXT chains patterns per state */
static void build_trie(trie *t, const lang_set *set, guint32 *next)
{
	t->cap = 1024;
	t->go = g_new(guint32, (gsize)t->cap * LANG_NSYM);
	t->head = g_new(guint32, t->cap);
	new_state(t);
	for (guint32 i = 0; i < set->pats->len; i++) {
		const lang_pat *p = &g_array_index(set->pats, lang_pat, i);
		guint32 s = 0;

		for (guint k = 0; k < p->clen; k++) {
			guint32 *edge = &t->go[(gsize)s * LANG_NSYM + p->syms[k]];

			if (*edge == NONE) {
				guint32 fresh = new_state(t);

				edge = &t->go[(gsize)s * LANG_NSYM + p->syms[k]];	/* go may have moved */
				*edge = fresh;
			}
			s = *edge;
		}
		next[i] = t->head[s];
		t->head[s] = i;
	}
}

/* fill_failures - breadth first: failure links, missing edges follow them,
 * and each state's output count includes its failure state's */
static void fill_failures(trie *t, guint32 *order, guint32 *fail, guint32 *count, const guint32 *next)
{
	guint32 qh = 0, qt = 0;

	for (guint a = 0; a < LANG_NSYM; a++) {
		guint32 c = t->go[a];

		if (c == NONE) {
			t->go[a] = 0;
		} else {
			fail[c] = 0;
			order[qt++] = c;
		}
	}
	count[0] = 0;
	while (qh < qt) {
		guint32 s = order[qh++], own = 0;

		for (guint32 p = t->head[s]; p != NONE; p = next[p])
			own++;
		count[s] = own + count[fail[s]];
		for (guint a = 0; a < LANG_NSYM; a++) {
			guint32 *edge = &t->go[(gsize)s * LANG_NSYM + a];

			if (*edge == NONE) {
				*edge = t->go[(gsize)fail[s] * LANG_NSYM + a];
			} else {
				fail[*edge] = t->go[(gsize)fail[s] * LANG_NSYM + a];
				order[qt++] = *edge;
			}
		}
	}
}

/* renumber - store the automaton with states in breadth-first order, so the
 * shallow states ordinary text keeps visiting sit together in the cache;
 * output lists per state, and a flag on each edge into a state that has any */
static void renumber(lang_set *set, const trie *t, const guint32 *order, const guint32 *fail,
		     const guint32 *count, const guint32 *next)
{
	guint32 *id = g_new(guint32, t->n), *byid = g_new(guint32, t->n);

	id[0] = byid[0] = 0;
	for (guint32 i = 0; i + 1 < t->n; i++) {
		id[order[i]] = i + 1;
		byid[i + 1] = order[i];
	}
	g_free(set->out_off);
	g_free(set->out_list);
	set->out_off = g_new(guint32, t->n + 1);
	set->out_off[0] = 0;
	for (guint32 n = 0; n < t->n; n++)
		set->out_off[n + 1] = set->out_off[n] + count[byid[n]];
	set->out_list = g_new(guint32, MAX(set->out_off[t->n], 1));
	for (guint32 n = 1; n < t->n; n++) {	/* a failure state is shallower: filled first */
		guint32 s = byid[n], w = set->out_off[n];

		for (guint32 p = t->head[s]; p != NONE; p = next[p])
			set->out_list[w++] = p;
		memcpy(set->out_list + w, set->out_list + set->out_off[id[fail[s]]],
		       count[fail[s]] * sizeof(guint32));
	}
	g_free(set->delta);
	set->delta = g_new(guint32, (gsize)t->n * LANG_NSYM);
	for (guint32 n = 0; n < t->n; n++) {
		for (guint a = 0; a < LANG_NSYM; a++) {
			guint32 to = id[t->go[(gsize)byid[n] * LANG_NSYM + a]];

			if (set->out_off[to + 1] > set->out_off[to])
				to |= LANG_HAS_OUTPUT;
			set->delta[(gsize)n * LANG_NSYM + a] = to;
		}
	}
	set->nstates = t->n;
	g_free(set->delta16);
	set->delta16 = NULL;
	if (t->n < 0x8000) {
		set->delta16 = g_new(guint16, (gsize)t->n * LANG_NSYM);
		for (gsize e = 0; e < (gsize)t->n * LANG_NSYM; e++)
			set->delta16[e] = (guint16)((set->delta[e] & 0x7fff) | (set->delta[e] >> 16 & 0x8000));
	}
	g_free(id);
	g_free(byid);
}

/* lang_compile - build the automaton of set->pats into set->delta and outputs */
void lang_compile(lang_set *set)
{
	guint32 npats = set->pats->len;
	guint32 *next = g_new(guint32, MAX(npats, 1));
	trie t = { 0 };
	guint32 *order, *fail, *count;

	build_trie(&t, set, next);
	order = g_new(guint32, t.n);
	fail = g_new0(guint32, t.n);
	count = g_new0(guint32, t.n);
	fill_failures(&t, order, fail, count, next);

	renumber(set, &t, order, fail, count, next);
	/* which words of up to three letters are ordinary short words */
	g_free(set->short3);
	set->short3 = g_malloc0(LANG_SHORT3_BITS / 8 + 1);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, set->short_words);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		int x = lang_short3_index(key, strlen(key));

		if (x >= 0)
			set->short3[x / 8] |= (guint8)(1u << (x % 8));
	}
	g_free(t.go);
	g_free(t.head);
	g_free(order);
	g_free(fail);
	g_free(count);
	g_free(next);
}
