/* lang_match.c - run the language automaton over normalised text: word
 * anchors, repeated letters, ambiguous leetspeak, phrases with gaps, words
 * split by spaces ("fu ck"), and the allow list */
#include "config.h"
#include <string.h>
#include "lang_match.h"

#define RING 64			/* > LANG_MAXPAT, a power of two */
#define MAX_STATES 4		/* automaton states followed at once (ambiguous leetspeak) */
#define MAX_CANDIDATES 4096	/* per chunk; more are not looked at */

typedef struct {
	guint32 pos;		/* normalised offset of the first character of the run */
	guint32 run;		/* how many times it repeats */
	guint32 tok;		/* word number (in the chunk) it starts in */
} ringent;

/* One walk of the automaton: over the text as it is, or with the spaces left out. */
typedef struct {
	guint32 st[MAX_STATES];
	guint nst;
	ringent ring[RING];
	guint32 k;		/* collapsed positions so far */
	int last;		/* last character taken (-1: none) */
	guint32 last_i;		/* its offset */
	guint32 last_tok;	/* its word number */
} walk;

typedef struct {
	gint64 end[LANG_MAXPARTS];	/* word number where part j last ended, -1: not yet */
	gsize start[LANG_MAXPARTS];	/* where the chain ending with part j started */
} phrase;

typedef struct {
	gsize start, end;	/* original offsets */
} span;

struct lang_matcher {
	const lang_set *set;
	gint32 *slot;		/* rule -> index into ph, -1 for single-part rules */
	phrase *ph;
	gint64 word_base;	/* words in earlier chunks */
	GArray *cands;		/* lang_hit */
	GArray *allows;		/* span */
	GArray *tokstart;	/* guint32: where each word of the chunk starts */
	/* the chunk being scanned */
	const es_textnorm *tn;
	const char *in;
	gsize len, base;
};

/* lang_matcher_new - matcher state for one text */
lang_matcher *lang_matcher_new(const lang_set *set)
{
	lang_matcher *m = g_new0(lang_matcher, 1);
	guint nph = 0;

	m->set = set;
	m->slot = g_new(gint32, MAX(set->rules->len, 1));
	for (guint i = 0; i < set->rules->len; i++) {
		const lang_rule *r = g_ptr_array_index(set->rules, i);

		m->slot[i] = r->nparts > 1 ? (gint32)nph++ : -1;
	}
	m->ph = g_new(phrase, MAX(nph, 1));
	for (guint i = 0; i < nph; i++)
		for (guint j = 0; j < LANG_MAXPARTS; j++)
			m->ph[i].end[j] = -1;
	m->cands = g_array_new(FALSE, FALSE, sizeof(lang_hit));
	m->allows = g_array_new(FALSE, FALSE, sizeof(span));
	m->tokstart = g_array_new(FALSE, FALSE, sizeof(guint32));
	return m;
}

/* lang_matcher_free - free (NULL is fine) */
void lang_matcher_free(lang_matcher *m)
{
	if (!m)
		return;
	g_free(m->slot);
	g_free(m->ph);
	g_array_free(m->cands, TRUE);
	g_array_free(m->allows, TRUE);
	g_array_free(m->tokstart, TRUE);
	g_free(m);
}

/* orig_span - original offsets (whole text) of normalised [from, to) */
static span orig_span(const lang_matcher *m, guint32 from, guint32 to)
{
	span s;

	es_textnorm_span(m->tn, m->in, m->len, from, to, &s.start, &s.end);
	s.start += m->base;
	s.end += m->base;
	return s;
}

/* add_candidate - a rule matched at S, to be checked against the allow list */
static void add_candidate(lang_matcher *m, const lang_pat *p, span s)
{
	lang_hit h = { p->rule, p->form, s.start, s.end, p->masked };

	if (m->cands->len < MAX_CANDIDATES)
		g_array_append_val(m->cands, h);
}

/* phrase_step - part PART of a phrase rule matched over words [ws, we] */
static void phrase_step(lang_matcher *m, const lang_pat *p, gint64 ws, gint64 we, span s)
{
	const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);
	phrase *ph = &m->ph[m->slot[p->rule]];
	guint j = p->part;

	if (j == 0) {
		ph->end[0] = we;
		ph->start[0] = s.start;
		return;
	}
	if (ph->end[j - 1] < 0 || ws <= ph->end[j - 1] || ws - ph->end[j - 1] - 1 > LANG_GAP)
		return;
	ph->end[j] = we;
	ph->start[j] = ph->start[j - 1];
	if (j + 1 == r->nparts)
		add_candidate(m, p, (span){ ph->start[j], s.end });
}

/* runs_ok - the text repeats each letter at least as often as the pattern */
static gboolean runs_ok(const walk *w, const lang_pat *p, guint32 first)
{
	for (guint j = 0; j < p->clen; j++)
		if (w->ring[(first + j) & (RING - 1)].run < p->runs[j])
			return FALSE;
	return TRUE;
}

/* close_main - the run at the walk's last position is complete: report what ends there */
static void close_main(lang_matcher *m, walk *w, guint32 end, gboolean at_word_end)
{
	const char *t = m->tn->text;

	for (guint si = 0; si < w->nst; si++) {
		guint32 st = w->st[si];

		for (guint32 o = m->set->out_off[st]; o < m->set->out_off[st + 1]; o++) {
			const lang_pat *p = &g_array_index(m->set->pats, lang_pat, m->set->out_list[o]);
			guint32 first = w->k - p->clen;
			const ringent *e0 = &w->ring[first & (RING - 1)];

			if (p->clen > w->k || (p->anch_end && !at_word_end) ||
			    (p->anch_start && e0->pos > 0 && t[e0->pos - 1] != ' ') || !runs_ok(w, p, first))
				continue;
			span s = orig_span(m, e0->pos, end);
			if (p->kind == LP_ALLOW) {
				g_array_append_val(m->allows, s);
			} else if (p->kind == LP_PART) {
				phrase_step(m, p, m->word_base + e0->tok, m->word_base + w->last_tok, s);
			} else {
				const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);

				if (r->severity >= m->set->min_severity)
					add_candidate(m, p, s);
			}
		}
	}
}

/* glued_ok - words FROM..TO joined make the term only if one of them is a
 * fragment (up to 3 letters and not an ordinary short word): "fu ck", "bit
 * ch" are read as one word, "pen is" and "an us" are not */
static gboolean glued_ok(const lang_matcher *m, guint32 from, guint32 to)
{
	const char *t = m->tn->text;

	for (guint32 k = from; k <= to; k++) {
		guint32 a = g_array_index(m->tokstart, guint32, k);
		guint32 b = k + 1 < m->tokstart->len ? g_array_index(m->tokstart, guint32, k + 1) - 1 : m->tn->len;
		char word[4];

		if (b - a > 3)
			continue;
		memcpy(word, t + a, b - a);
		word[b - a] = '\0';
		if (!g_hash_table_contains(m->set->short_words, word))
			return TRUE;
	}
	return FALSE;
}

/* close_glued - as close_main for the walk without spaces: only whole words
 * glued together count ("as s", "pe ni s") */
static void close_glued(lang_matcher *m, walk *w)
{
	const char *t = m->tn->text;
	gboolean at_word_end = w->last_i + 1 >= m->tn->len || t[w->last_i + 1] == ' ';

	if (!at_word_end)
		return;
	for (guint si = 0; si < w->nst; si++) {
		guint32 st = w->st[si];

		for (guint32 o = m->set->out_off[st]; o < m->set->out_off[st + 1]; o++) {
			const lang_pat *p = &g_array_index(m->set->pats, lang_pat, m->set->out_list[o]);
			guint32 first = w->k - p->clen;
			const ringent *e0 = &w->ring[first & (RING - 1)];
			const lang_rule *r;

			if (p->kind != LP_TERM || p->masked || p->nspaces || p->clen > w->k ||
			    e0->tok == w->last_tok || (e0->pos > 0 && t[e0->pos - 1] != ' ') ||
			    !runs_ok(w, p, first) || !glued_ok(m, e0->tok, w->last_tok))
				continue;
			r = g_ptr_array_index(m->set->rules, p->rule);
			if (r->severity >= m->set->min_severity)
				add_candidate(m, p, orig_span(m, e0->pos, w->last_i + 1));
		}
	}
}

/* step - follow character C (ambiguous leetspeak 1 and 7 follow each reading) */
static void step(const lang_set *set, walk *w, guchar c, guint32 i, guint32 tok)
{
	guint8 alts[3] = { lang_sym(c), 0, 0 };
	guint nalt = 1, n = 0;
	guint32 next[MAX_STATES];

	if (c == '1') {
		alts[1] = 'i' - 'a';
		alts[2] = 'l' - 'a';
		nalt = 3;
	} else if (c == '7') {
		alts[1] = 't' - 'a';
		alts[2] = 'l' - 'a';
		nalt = 3;
	}
	for (guint si = 0; si < w->nst; si++) {
		for (guint a = 0; a < nalt; a++) {
			guint32 s = set->delta[(gsize)w->st[si] * LANG_NSYM + alts[a]];
			guint x;

			for (x = 0; x < n && next[x] != s; x++)
				;
			if (x == n && n < MAX_STATES)
				next[n++] = s;
		}
	}
	memcpy(w->st, next, n * sizeof(guint32));
	w->nst = n;
	w->ring[w->k & (RING - 1)] = (ringent){ i, 1, tok };
	w->k++;
	w->last = c;
	w->last_i = i;
	w->last_tok = tok;
}

/* walk_reset - start of a chunk */
static void walk_reset(walk *w)
{
	w->st[0] = 0;
	w->nst = 1;
	w->k = 0;
	w->last = -1;
}

/* has_output - some pattern ends in a state of the walk */
static inline gboolean has_output(const lang_set *set, const walk *w)
{
	return w->nst > 1 || set->out_off[w->st[0] + 1] != set->out_off[w->st[0]];
}

/* covered - an allow-list match spans the candidate. Allow matches come in
 * order of their end, so look only at those ending at or just after it. */
static gboolean covered(const lang_matcher *m, const lang_hit *h)
{
	const span *a = (const span *)(void *)m->allows->data;
	guint lo = 0, hi = m->allows->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (a[mid].end < h->end)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (guint i = lo > 8 ? lo - 8 : 0; i < m->allows->len && a[i].end <= h->end + 256; i++)
		if (a[i].start <= h->start && a[i].end >= h->end)
			return TRUE;
	return FALSE;
}

/* lang_matcher_chunk - scan one normalised chunk */
void lang_matcher_chunk(lang_matcher *m, const es_textnorm *tn, const char *in, gsize len,
			gsize base, GArray *hits)
{
	const guchar *t = (const guchar *)tn->text;
	guint32 n = (guint32)tn->len, tok = 0;
	walk mw, gw;

	m->tn = tn;
	m->in = in;
	m->len = len;
	m->base = base;
	g_array_set_size(m->cands, 0);
	g_array_set_size(m->allows, 0);
	g_array_set_size(m->tokstart, 0);
	g_array_append_val(m->tokstart, tok);
	walk_reset(&mw);
	walk_reset(&gw);
	for (guint32 i = 0; i <= n; i++) {
		int c = i < n ? t[i] : -1;

		if (c == ' ') {
			g_array_append_val(m->tokstart, (guint32){ i + 1 });
			tok++;
		}
		if (c >= 0 && c != ' ' && c == mw.last) {
			mw.ring[(mw.k - 1) & (RING - 1)].run++;
		} else {
			if (mw.k > 0 && has_output(m->set, &mw))
				close_main(m, &mw, i, c < 0 || c == ' ');
			if (c >= 0)
				step(m->set, &mw, (guchar)c, i, tok);
		}
		if (c == ' ')
			continue;
		if (c >= 0 && c == gw.last) {
			gw.ring[(gw.k - 1) & (RING - 1)].run++;
			gw.last_i = i;
			gw.last_tok = tok;
			continue;
		}
		if (gw.k > 0 && gw.last_tok > 0 && has_output(m->set, &gw))
			close_glued(m, &gw);
		if (c >= 0)
			step(m->set, &gw, (guchar)c, i, tok);
	}
	m->word_base += tok + 1;
	for (guint i = 0; i < m->cands->len; i++) {
		const lang_hit *h = &g_array_index(m->cands, lang_hit, i);

		if (!covered(m, h))
			g_array_append_val(hits, *h);
	}
}
