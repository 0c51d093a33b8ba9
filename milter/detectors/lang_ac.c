/* lang_ac.c - build the Aho-Corasick automaton of the language patterns as a
 * complete DFA over byte classes: one table lookup per character */
#include "config.h"
#include <string.h>
#include "textnorm.h"
#include "lang.h"

#define NONE G_MAXUINT32

typedef struct {
	guint32 *go;		/* [state * LANG_NSYM + sym], NONE: no edge yet */
	guint32 n, cap;
	guint32 *head;		/* first pattern ending in each state, NONE: none */
	guint8 *insym;		/* the symbol on the edge into each state */
} trie;

/* new_state - add a state entered by SYM, with no edges */
static guint32 new_state(trie *t, guint8 sym)
{
	if (t->n == t->cap) {
		t->cap *= 2;
		t->go = g_realloc_n(t->go, (gsize)t->cap * LANG_NSYM, sizeof(guint32));
		t->head = g_realloc_n(t->head, t->cap, sizeof(guint32));
		t->insym = g_realloc(t->insym, t->cap);
	}
	memset(t->go + (gsize)t->n * LANG_NSYM, 0xff, LANG_NSYM * sizeof(guint32));
	t->head[t->n] = NONE;
	t->insym[t->n] = sym;
	return t->n++;
}

/* edge - the state after SYM from S, made if missing */
static guint32 edge(trie *t, guint32 s, guint8 sym)
{
	if (t->go[(gsize)s * LANG_NSYM + sym] == NONE) {
		guint32 fresh = new_state(t, sym);

		t->go[(gsize)s * LANG_NSYM + sym] = fresh;	/* after new_state: go may have moved */
	}
	return t->go[(gsize)s * LANG_NSYM + sym];
}

/* build_trie - every pattern as a path from the root; NEXT chains patterns
 * per state. A pattern that must start a word starts with a space, so inside
 * words the automaton follows only the few patterns that may start there. */
static void build_trie(trie *t, const lang_set *set, guint32 *next)
{
	t->cap = 1024;
	t->go = g_new(guint32, (gsize)t->cap * LANG_NSYM);
	t->head = g_new(guint32, t->cap);
	t->insym = g_new(guint8, t->cap);
	new_state(t, LANG_SYM_SPACE);
	for (guint32 i = 0; i < set->pats->len; i++) {
		const lang_pat *p = &g_array_index(set->pats, lang_pat, i);
		guint32 s = p->anch_start ? edge(t, 0, LANG_SYM_SPACE) : 0;

		for (guint k = 0; k < p->clen; k++)
			s = edge(t, s, p->syms[k]);
		next[i] = t->head[s];
		t->head[s] = i;
	}
}

/* fill_failures - breadth first: failure links, missing edges follow them,
 * and each state's output count includes its failure state's */
static void fill_failures(trie *t, guint32 *order, guint32 *fail, guint32 *count, const guint32 *next)
{
	guint32 qh = 1, qt = 0;

	order[qt++] = 0;	/* the root first; its children are queued below */
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
			guint32 *e = &t->go[(gsize)s * LANG_NSYM + a];

			if (*e == NONE) {
				*e = t->go[(gsize)fail[s] * LANG_NSYM + a];
			} else {
				fail[*e] = t->go[(gsize)fail[s] * LANG_NSYM + a];
				order[qt++] = *e;
			}
		}
	}
}

/* repeat_in_place - a letter written again stays in the state it led to
 * ("fuuuck" walks like "fuck"): patterns are stored with repeats collapsed
 * and their counts are checked where a pattern ends, so the scan needs no
 * compare with the last letter. After fill_failures: other states' edges
 * were computed from the plain ones. */
static void repeat_in_place(trie *t)
{
	for (guint32 s = 1; s < t->n; s++)
		if (t->insym[s] != LANG_SYM_SPACE)
			t->go[(gsize)s * LANG_NSYM + t->insym[s]] = s;
}

/* make_classes - give each symbol a pattern uses a column of the table,
 * and the rest one shared column (they all lead back to the root).
 * the scan must take with care (space, and the ambiguous leetspeak digits
 * 1 and 7, written I and T) are marked LANG_CLS_CARE in set->cls. Returns the number of
 * columns. */
static guint make_classes(lang_set *set)
{
	gboolean used[LANG_NSYM] = { FALSE };
	guint n = 0;

	used[LANG_SYM_SPACE] = TRUE;
	for (guint32 i = 0; i < set->pats->len; i++) {
		const lang_pat *p = &g_array_index(set->pats, lang_pat, i);

		for (guint k = 0; k < p->clen; k++)
			used[p->syms[k]] = TRUE;
	}
	for (guint a = 0; a < LANG_NSYM; a++)
		if (used[a])
			set->sym_cls[a] = (guint8)n++;
	for (guint a = 0; a < LANG_NSYM; a++)
		if (!used[a])
			set->sym_cls[a] = (guint8)n;
	n++;
	for (guint c = 0; c < 256; c++)
		set->cls[c] = set->sym_cls[lang_sym((guchar)c)];
	set->cls[ES_TN_LEET_1] = set->cls[ES_TN_LEET_7] = LANG_CLS_CARE;
	return n;
}

/* class_sym - a symbol of column K (every symbol of a column moves alike) */
static guint8 class_sym(const lang_set *set, guint k)
{
	for (guint a = 0; a < LANG_NSYM; a++)
		if (set->sym_cls[a] == k)
			return (guint8)a;
	return LANG_SYM_OTHER;
}

/* fill_outputs - output lists per state (numbered by ID); filled breadth
 * first, so a failure state's list is there to copy */
static void fill_outputs(lang_set *set, const trie *t, const guint32 *order, const guint32 *fail,
			 const guint32 *count, const guint32 *next, const guint32 *id)
{
	g_free(set->out_off);
	g_free(set->out_list);
	set->out_off = g_new0(guint32, t->n + 1);
	for (guint32 s = 0; s < t->n; s++)
		set->out_off[id[s] + 1] = count[s];
	for (guint32 n = 0; n < t->n; n++)
		set->out_off[n + 1] += set->out_off[n];
	set->out_list = g_new(guint32, MAX(set->out_off[t->n], 1));
	for (guint32 q = 1; q < t->n; q++) {
		guint32 s = order[q], w = set->out_off[id[s]];

		for (guint32 p = t->head[s]; p != NONE; p = next[p])
			set->out_list[w++] = p;
		memcpy(set->out_list + w, set->out_list + set->out_off[id[fail[s]]],
		       count[fail[s]] * sizeof(guint32));
	}
}

/* lazy_states - LAZY[s]: every pattern ending in state s is a later part
 * of a phrase ("a" in "i ll buy you ... a ... phone"), which matters only
 * after the part before it. Common words are such parts: the scan passes
 * these states by while no phrase is under way (lang_match.c). */
static guint8 *lazy_states(const lang_set *set, const trie *t, const guint32 *order,
			   const guint32 *fail, const guint32 *count, const guint32 *next)
{
	guint8 *lazy = g_new0(guint8, t->n);

	for (guint32 q = 1; q < t->n; q++) {	/* breadth first: fail[s] is done */
		guint32 s = order[q];

		if (count[s] == 0)
			continue;
		lazy[s] = count[fail[s]] == 0 || lazy[fail[s]];
		for (guint32 p = t->head[s]; p != NONE && lazy[s]; p = next[p]) {
			const lang_pat *pat = &g_array_index(set->pats, lang_pat, p);

			lazy[s] = pat->kind == LP_PART && pat->part > 0;
		}
	}
	return lazy;
}

/* renumber - store the automaton as rows of 1 << shift cells, one per
 * state: breadth-first, so the shallow states ordinary text keeps visiting
 * sit together in the cache, and the states where patterns end after all
 * others (the lazy ones first), so "a pattern may end here" is one
 * compare. In 16-bit cells when there are few enough states and columns
 * (a row is then one cache line); larger sets take 32-bit cells and the
 * general walk. */
static void renumber(lang_set *set, const trie *t, const guint32 *order, const guint32 *fail,
		     const guint32 *count, const guint32 *next, guint ncols)
{
	guint32 *id = g_new(guint32, t->n), *byid = g_new(guint32, t->n), nid = 0;
	guint8 syms[LANG_NSYM + 1], *lazy = lazy_states(set, t, order, fail, count, next);
	gsize cells;

	for (guint pass = 0; pass < 3; pass++) {	/* none, lazy, the rest */
		for (guint32 q = 0; q < t->n; q++) {
			guint32 s = order[q];
			guint group = count[s] == 0 ? 0 : lazy[s] ? 1 : 2;

			if (group == pass) {
				id[s] = nid;
				byid[nid++] = s;
			}
		}
		if (pass == 0)
			set->out_state = nid;
		else if (pass == 1)
			set->eager_state = nid;
	}
	g_free(lazy);
	for (set->shift = LANG_FAST_SHIFT; (1u << set->shift) < ncols; set->shift++)
		;
	for (guint k = 0; k < ncols; k++)
		syms[k] = class_sym(set, k);
	fill_outputs(set, t, order, fail, count, next, id);
	cells = (gsize)t->n << set->shift;
	g_aligned_free(set->delta16);
	g_aligned_free(set->delta32);
	/* rows start on cache lines: a step touches one line, not two */
	set->delta16 = t->n <= G_MAXUINT16 + 1 && set->shift <= LANG_FAST_SHIFT ?
		       g_aligned_alloc0(cells, sizeof(guint16), 64) : NULL;
	set->delta32 = set->delta16 ? NULL : g_aligned_alloc0(cells, sizeof(guint32), 64);
	for (guint32 n = 0; n < t->n; n++) {
		for (guint k = 0; k < ncols; k++) {
			guint32 to = id[t->go[(gsize)byid[n] * LANG_NSYM + syms[k]]];
			gsize e = ((gsize)n << set->shift) + k;

			if (set->delta16)
				set->delta16[e] = (guint16)to;
			else
				set->delta32[e] = to;
		}
	}
	set->start_state = id[t->go[LANG_SYM_SPACE]];
	set->nstates = t->n;
	g_free(id);
	g_free(byid);
}

/* mark_short_words - which words of up to three letters are ordinary short words */
static void mark_short_words(lang_set *set)
{
	GHashTableIter it;
	gpointer key;

	g_free(set->short3);
	set->short3 = g_malloc0(LANG_SHORT3_BITS / 8 + 1);	/* bit LANG_SHORT3_BITS stays clear */
	for (int c = 0; c < 256; c++)
		set->short3_val[c] = c >= 'a' && c <= 'z' ? (guint16)(c - 'a' + 1) : LANG_SHORT3_BITS;
	g_hash_table_iter_init(&it, set->short_words);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		int x = lang_short3_index(key, strlen(key));

		if (x >= 0)
			set->short3[x / 8] |= (guint8)(1u << (x % 8));
	}
}

/* mark_glued - the filter of glued terms, so that most runs of short words
 * are turned down before a hash table lookup */
static void mark_glued(lang_set *set)
{
	GHashTableIter it;
	gpointer key;

	memset(set->glue_bloom, 0, sizeof(set->glue_bloom));
	set->glue_max = 0;
	g_hash_table_iter_init(&it, set->glued);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint64 h = 0, pw = 1;

		set->glue_max = MAX(set->glue_max, strlen(key));
		lang_glue_hash(key, strlen(key), &h, &pw);
		for (guint i = 0; i < 2; i++) {
			guint b = lang_bloom_bit(h, i);

			set->glue_bloom[b / 64] |= 1ull << (b % 64);
		}
	}
}

/* mark_contexts - tie each term to its [context] words, by its form; the
 * parts of a phrase share the rule's id as their form, and the last part
 * is the one that reports it */
static void mark_contexts(lang_set *set)
{
	for (guint32 i = 0; i < set->pats->len; i++) {
		lang_pat *p = &g_array_index(set->pats, lang_pat, i);
		const char *form, *slash;
		char *norm;

		p->ctx = 0;
		if ((p->kind != LP_TERM && p->kind != LP_PART) || set->contexts->len == 0)
			continue;
		form = g_ptr_array_index(set->forms, p->form);
		slash = strchr(form, '/');
		norm = es_textnorm_string(slash ? slash + 1 : form, -1, 0);
		p->ctx = (guint16)GPOINTER_TO_UINT(g_hash_table_lookup(set->context_of, norm));
		g_free(norm);
	}
}

/* lang_compile - build the automaton of set->pats into set->delta and outputs */
void lang_compile(lang_set *set)
{
	guint32 npats = set->pats->len;
	guint32 *next = g_new(guint32, MAX(npats, 1));
	trie t = { 0 };
	guint32 *order, *fail, *count;
	guint ncls;

	mark_contexts(set);
	set->part_spaces = 0;
	for (guint32 i = 0; i < npats; i++) {
		const lang_pat *p = &g_array_index(set->pats, lang_pat, i);

		if (p->kind == LP_PART)
			set->part_spaces = MAX(set->part_spaces, p->nspaces);
	}
	build_trie(&t, set, next);
	order = g_new(guint32, t.n);
	fail = g_new0(guint32, t.n);
	count = g_new0(guint32, t.n);
	fill_failures(&t, order, fail, count, next);
	repeat_in_place(&t);
	ncls = make_classes(set);
	renumber(set, &t, order, fail, count, next, ncls);
	mark_short_words(set);
	mark_glued(set);
	g_free(t.go);
	g_free(t.head);
	g_free(t.insym);
	g_free(order);
	g_free(fail);
	g_free(count);
	g_free(next);
}
