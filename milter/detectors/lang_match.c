/* lang_match.c - run the language automaton over normalised text: word
 * anchors, repeated letters, ambiguous leetspeak, phrases with gaps, words
 * split by spaces ("fu ck"), the allow list and [context] words */
#include "config.h"
#include <string.h>
#include "lang_match.h"

#define MAX_STATES 4		/* automaton states followed at once (ambiguous leetspeak) */
#define MAX_CANDIDATES 4096	/* per chunk; more are not looked at */
#define GLUE_WORDS 8		/* most pieces glued into one word */
#define GLUE_MAX 24		/* longest glued word */

/* The automaton's walk over one chunk. Usually one state, stepped in a
 * tight loop (run_plain) that leaves repeated letters to the automaton;
 * after ambiguous leetspeak (1, 7) several, stepped with care (slow_step). */
typedef struct {
	guint32 st[MAX_STATES];	/* the states followed */
	guint nst;
	gboolean out;		/* a pattern may end in one of the states (slow_step) */
} walk;

typedef struct {
	gint64 end[LANG_MAXPARTS];	/* word number where part j last ended, -1: not yet */
	gsize start[LANG_MAXPARTS];	/* where the chain ending with part j started */
} phrase;

typedef struct {
	gsize start, end;	/* original offsets */
} span;

typedef struct {
	lang_hit hit;
	gint64 word;		/* the word it ends in */
	guint ctx;		/* its [context] (index + 1), 0: none */
} cand;

typedef struct {
	gint64 word;		/* where a [context] word was seen */
	guint ctx;
} ctx_seen;

struct lang_matcher {
	const lang_set *set;
	gint32 *slot;		/* rule -> index into ph, -1 for single-part rules */
	phrase *ph;
	gint64 word_base;	/* words in earlier chunks */
	GArray *cands;		/* cand */
	GArray *allows;		/* span */
	GArray *ctxs;		/* ctx_seen, in word order */
	guint32 *tokstart;	/* where each word of the chunk starts */
	gsize atok;
	guint32 tok;		/* the word being read */
	gint64 last_frag;	/* the last fragment's word, -1: none yet */
	guint32 glue_until;	/* past this offset no glued word can reach it */
	gint64 open_until;	/* a phrase may go on up to this word, -1: none */
	guint32 thr;		/* states from here on stop run_plain: out_state while
				 * a phrase may go on, else eager_state */
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
	m->cands = g_array_new(FALSE, FALSE, sizeof(cand));
	m->allows = g_array_new(FALSE, FALSE, sizeof(span));
	m->ctxs = g_array_new(FALSE, FALSE, sizeof(ctx_seen));
	m->open_until = -1;
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
	g_array_free(m->ctxs, TRUE);
	g_free(m->tokstart);
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
	cand c = { { p->rule, p->form, s.start, s.end, p->masked }, m->word_base + m->tok, p->ctx };

	if (m->cands->len < MAX_CANDIDATES)
		g_array_append_val(m->cands, c);
}

/* phrase_ready - part P of a phrase rule, starting in word WS, would
 * follow the part before closely enough. Most words that are parts ("a",
 * "you") come with no phrase begun: this test spares them the rest. */
static inline gboolean phrase_ready(const lang_matcher *m, const lang_pat *p, gint64 ws)
{
	const phrase *ph = &m->ph[m->slot[p->rule]];
	guint j = p->part;

	return j == 0 || (ph->end[j - 1] >= 0 && ws > ph->end[j - 1] && ws - ph->end[j - 1] - 1 <= LANG_GAP);
}

/* phrase_open - a part of a phrase ended in word WE: the next part may
 * come within LANG_GAP words, so run_plain stops at lazy states till then */
static inline void phrase_open(lang_matcher *m, gint64 we)
{
	m->open_until = MAX(m->open_until, we + LANG_GAP + 1 + m->set->part_spaces);
	m->thr = m->set->out_state;
}

/* phrase_check - if no phrase can go on past the current word: lazy states
 * need not stop run_plain */
static inline void phrase_check(lang_matcher *m)
{
	if (m->word_base + m->tok > m->open_until)
		m->thr = m->set->eager_state;
}

/* phrase_step - part PART of a phrase rule matched over words [ws, we],
 * having passed phrase_ready */
static void phrase_step(lang_matcher *m, const lang_pat *p, gint64 we, span s)
{
	const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);
	phrase *ph = &m->ph[m->slot[p->rule]];
	guint j = p->part;

	if (j == 0) {
		ph->end[0] = we;
		ph->start[0] = s.start;
		phrase_open(m, we);
		return;
	}
	ph->end[j] = we;
	phrase_open(m, we);
	ph->start[j] = ph->start[j - 1];
	if (j + 1 == r->nparts)
		add_candidate(m, p, (span){ ph->start[j], s.end });
}

/* runs_back - read back the CLEN collapsed positions ending before normalised
 * offset END: how often each letter repeats, into RUNS. Returns where the
 * first starts, or -1 if the chunk starts sooner. */
static gint64 runs_back(const char *t, guint32 end, guint clen, guint32 *runs)
{
	gint64 p = (gint64)end - 1;

	for (gint j = (gint)clen - 1; j >= 0; j--) {
		guint32 run = 1;

		if (p < 0)
			return -1;
		while (p > 0 && t[p - 1] == t[p] && t[p] != ' ') {
			p--;
			run++;
		}
		runs[j] = run;
		p--;
	}
	return p + 1;
}

/* runs_ok - each letter repeats as often in the text as in the pattern, or
 * is stretched (3 times or more): "fuuuck", "asss" match; "rapped" is not
 * "raped" and "assess" is not "asses". At an open end ("*shit*") the letter
 * may also be doubled by what follows: "shitty". A digit is never stretched:
 * 111488 is not 1488. A masked run hides one to three letters however many
 * stars it has: "f**k" as much as "f*ck" and "f***k". */
static gboolean runs_ok(const lang_pat *p, const guint32 *runs)
{
	for (guint j = 0; j < p->clen; j++) {
		gboolean open = (j == 0 && !p->anch_start) || (j + 1U == p->clen && !p->anch_end);
		gboolean digit = p->syms[j] >= LANG_SYM_DIGIT && p->syms[j] < LANG_SYM_DIGIT + 10;

		if (p->syms[j] == LANG_SYM_MASK)
			continue;
		if (runs[j] != p->runs[j] && (digit || runs[j] < p->runs[j] || (runs[j] < 3 && !open)))
			return FALSE;
	}
	return TRUE;
}

/* close_main - the walk's last letter run ended at normalised offset END:
 * report the patterns ending there, in word m->tok */
static void close_main(lang_matcher *m, const walk *w, guint32 end, gboolean at_word_end)
{
	const char *t = m->tn->text;
	guint32 runs[LANG_MAXPAT];

	for (guint si = 0; si < w->nst; si++) {
		guint32 st = w->st[si];

		for (guint32 o = m->set->out_off[st]; o < m->set->out_off[st + 1]; o++) {
			const lang_pat *p = &g_array_index(m->set->pats, lang_pat, m->set->out_list[o]);
			gint64 start;

			if (p->anch_end && !at_word_end)
				continue;
			if (p->kind == LP_PART && !phrase_ready(m, p, m->word_base + m->tok - p->nspaces))
				continue;
			start = runs_back(t, end, p->clen, runs);
			if (start < 0 || (p->anch_start && start > 0 && t[start - 1] != ' ') || !runs_ok(p, runs))
				continue;
			if (p->kind == LP_CONTEXT) {	/* only its word counts */
				ctx_seen c = { m->word_base + m->tok, p->rule + 1 };

				g_array_append_val(m->ctxs, c);
				continue;
			}
			span s = orig_span(m, (guint32)start, end);
			if (p->kind == LP_ALLOW) {
				g_array_append_val(m->allows, s);
			} else if (p->kind == LP_PART) {
				phrase_step(m, p, m->word_base + m->tok, s);
			} else {
				const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);

				if (r->severity >= m->set->min_severity)
					add_candidate(m, p, s);
			}
		}
	}
}

/* short3_fragment - the word T[from, i), of at most 3 bytes, is not an
 * ordinary short word: its bit in short3 is clear (a byte other than a-z
 * takes x to LANG_SHORT3_BITS, whose bit always is) */
static inline gboolean short3_fragment(const lang_set *set, const guchar *t, guint32 from, guint32 i)
{
	guint32 x = 0;

	for (; from < i; from++)
		x = MIN(x * 27 + set->short3_val[t[from]], LANG_SHORT3_BITS);
	return !(set->short3[x >> 3] >> (x & 7) & 1);
}

/* is_fragment - word K, ending at normalised offset END, is a piece of a
 * word rather than a word: up to 3 characters and not an ordinary short
 * word ("ck" in "fu ck") */
static gboolean is_fragment(const lang_matcher *m, guint32 k, guint32 end)
{
	guint32 start = m->tokstart[k];

	return end - start <= 3 && short3_fragment(m->set, (const guchar *)m->tn->text, start, end);
}

/* glued - word K just ended at END: do it and the words before it, glued
 * together, make exactly a one-word term, with a fragment among them? Then
 * "fu ck", "bit ch", "as s" are read as words, and "pen is" is not. */
static void glued(lang_matcher *m, guint32 k, guint32 end)
{
	const guint32 *ts = m->tokstart;
	const char *t = m->tn->text;
	char buf[GLUE_MAX + 1];
	gboolean any = (gint64)k == m->last_frag;
	guint64 h = 0, pw = 1;
	guint glue_max = MIN(m->set->glue_max, GLUE_MAX);

	if (end - ts[k] >= glue_max)
		return;		/* no room for another piece */
	lang_glue_hash(t + ts[k], end - ts[k], &h, &pw);
	for (guint32 j = k; j > 0 && k - j + 1 < GLUE_WORDS; ) {
		gsize len = 0;
		gpointer hit;

		j--;
		any |= (gint64)j == m->last_frag;
		if (end - ts[j] - (k - j) > glue_max)
			break;
		lang_glue_hash(t + ts[j], ts[j + 1] - 1 - ts[j], &h, &pw);
		if (!any || !lang_bloom_has(m->set->glue_bloom, h))
			continue;
		for (guint32 w = j; w <= k; w++) {
			guint32 we = w < k ? ts[w + 1] - 1 : end;

			memcpy(buf + len, t + ts[w], we - ts[w]);
			len += we - ts[w];
		}
		buf[len] = '\0';
		hit = g_hash_table_lookup(m->set->glued, buf);
		if (hit) {
			const lang_pat *p = &g_array_index(m->set->pats, lang_pat, GPOINTER_TO_UINT(hit) - 1);
			const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);

			if (r->severity >= m->set->min_severity)
				add_candidate(m, p, orig_span(m, ts[j], end));
		}
	}
}

/* word_end - word m->tok ended at normalised offset END (a space or the end
 * of the chunk): note a fragment, and glue while one is near enough to be
 * part of a glued term (within GLUE_WORDS words and glue_max letters) */
static void word_end(lang_matcher *m, guint32 end)
{
	guint32 k = m->tok, f;

	if (is_fragment(m, k, end)) {
		m->last_frag = k;
		m->glue_until = m->tokstart[k] + m->set->glue_max + GLUE_WORDS;
	}
	if (m->last_frag < 0 || k - m->last_frag >= GLUE_WORDS)
		return;
	f = (guint32)m->last_frag;
	if (k > 0 && end - m->tokstart[f] - (k - f) <= m->set->glue_max)
		glued(m, k, end);
}

/* next_word - the space at normalised offset I ends a word, another starts.
 * Most words are long and have no fragment near: nothing to do for them. */
static inline void next_word(lang_matcher *m, guint32 i)
{
	if (i - m->tokstart[m->tok] <= 3 || i <= m->glue_until)
		word_end(m, i);
	m->tokstart[++m->tok] = i + 1;
}

/* step_ambiguous - follow C when it could be several letters (leetspeak 1
 * and 7) or the walk already follows several states */
static void step_ambiguous(const lang_set *set, walk *w, guchar c)
{
	guint8 alts[3] = { set->sym_cls[lang_sym(c)], 0, 0 };
	guint nalt = 1, n = 0;
	guint32 next[MAX_STATES];

	if (c == ES_TN_LEET_1 || c == ES_TN_LEET_7) {
		alts[1] = set->sym_cls[c == ES_TN_LEET_1 ? 'i' - 'a' : 't' - 'a'];
		alts[2] = set->sym_cls['l' - 'a'];
		nalt = 3;
	}
	for (guint si = 0; si < w->nst; si++) {
		for (guint a = 0; a < nalt; a++) {
			guint32 s = lang_step(set, w->st[si], alts[a]);
			guint x;

			for (x = 0; x < n && next[x] != s; x++)
				;
			if (x == n && n < MAX_STATES)
				next[n++] = s;
		}
	}
	memcpy(w->st, next, n * sizeof(guint32));
	w->nst = n;
	w->out = TRUE;		/* rare: let close_main look */
}

/* slow_step - take character I of text T with care: a repeat is skipped by
 * hand (the walk may follow several states), patterns are closed when the
 * next different character comes, a leetspeak 1 or 7 (I, T) is followed as each letter */
static void slow_step(lang_matcher *m, walk *w, const guchar *t, guint32 i)
{
	const lang_set *set = m->set;
	guchar c = t[i];

	if (i > 0 && c == t[i - 1] && c != ' ')
		return;
	if (w->out)
		close_main(m, w, i, c == ' ');
	if (c == ' ')
		next_word(m, i);
	if (w->nst == 1 && c != ES_TN_LEET_1 && c != ES_TN_LEET_7) {
		w->st[0] = lang_step(set, w->st[0], set->sym_cls[lang_sym(c)]);
		w->out = w->st[0] >= set->out_state;
	} else {
		step_ambiguous(set, w, c);
	}
}

/* run_plain - step the automaton from I over characters that need no care
 * (anything but a leetspeak 1 or 7) until a pattern may end. Returns where it stopped:
 * after the character that reached *ST >= m->thr, else at one that needs
 * care or the end (*ST is then below m->thr unless nothing was stepped).
 * This loop is where the time goes: one load from a 16-bit row per byte,
 * and no branch on spaces, whose places no predictor can guess: a word's
 * start is written at every byte and kept at spaces; only a short word or
 * a fragment just before (rare in ordinary text) leaves the inner loop, and
 * of short words only a fragment calls word_end: "of", "the" and the like
 * (is_fragment's test, here without a call) have nothing to do there.
 * Two things keep the inner loop short (measured: 188 -> 196 MB/s on prose):
 * the call to word_end is outside it, so what the loop keeps stays in
 * registers rather than being saved around a call it seldom makes; and a
 * row is found by shifting the state to its byte offset (rows of 32 16-bit
 * cells) and adding the column's offset, worked out off the chain of
 * loads, so each step waits for one shift and one load. */
static inline guint32 run_plain(lang_matcher *m, const guchar *t, guint32 i, guint32 n, guint32 *stp)
{
	const guchar *delta = (const guchar *)(const void *)m->set->delta16;
	const guint8 *cls = m->set->cls;
	guint32 *ts = m->tokstart;
	guint32 out = m->thr, tok = m->tok, glue = m->glue_until, ws = ts[tok];
	gsize st = *stp;

	G_STATIC_ASSERT(sizeof(*m->set->delta16) == 2);
	for (;;) {
		guint k = 0;

		while (i < n) {
			guint c = t[i], sp = c == ' ';

			k = cls[c];
			if (k == LANG_CLS_CARE)
				goto stop;
			if (G_UNLIKELY((sp << 1 | (i - ws <= 3) | (i <= glue)) == 3))
				break;		/* one branch: a space after a short word or near a fragment */
			ts[tok + 1] = i + 1;
			tok += sp;
			ws = sp ? i + 1 : ws;
			st = *(const guint16 *)(const void *)(delta + 2 * k + (st << (LANG_FAST_SHIFT + 1)));
			i++;
			if (G_UNLIKELY(st >= out))
				goto stop;
		}
		if (i >= n)
			break;
		/* the space at I ends a short word or one near a fragment */
		if (i <= glue || short3_fragment(m->set, t, ws, i)) {
			m->tok = tok;
			word_end(m, i);
			glue = m->glue_until;
		}
		ts[++tok] = ws = i + 1;
		st = *(const guint16 *)(const void *)(delta + 2 * k + (st << (LANG_FAST_SHIFT + 1)));
		i++;
		if (st >= out)
			break;
	}
stop:
	m->tok = tok;
	*stp = (guint32)st;
	return i;
}

/* close_run - the character at I led where a pattern may end: skip its
 * repeats (the automaton stays put), report, and return where to go on */
static guint32 close_run(lang_matcher *m, walk *w, const guchar *t, guint32 i, guint32 n)
{
	guint32 j = i + 1;

	while (j < n && t[j] == t[i])
		j++;
	close_main(m, w, j, j == n || t[j] == ' ');
	phrase_check(m);
	return j;
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

/* innocent_near - a [context] word of C's term is within LANG_NEAR words
 * of it ("hoe" among Dutch words is "how"; "tranny" near "engine" a gearbox) */
static gboolean innocent_near(const lang_matcher *m, const cand *c)
{
	const ctx_seen *a = (const ctx_seen *)(void *)m->ctxs->data;
	guint lo = 0, hi = m->ctxs->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (a[mid].word < c->word - LANG_NEAR)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (guint i = lo; i < m->ctxs->len && a[i].word <= c->word + LANG_NEAR; i++)
		if (a[i].ctx == c->ctx)
			return TRUE;
	return FALSE;
}

/* begin_chunk - reset the per-chunk state for normalised text TN */
static void begin_chunk(lang_matcher *m, const es_textnorm *tn, const char *in, gsize len, gsize base)
{
	m->tn = tn;
	m->in = in;
	m->len = len;
	m->base = base;
	g_array_set_size(m->cands, 0);
	g_array_set_size(m->allows, 0);
	g_array_set_size(m->ctxs, 0);
	if (m->atok < tn->len / 2 + 3) {	/* words are a letter and a space; run_plain writes one ahead */
		m->atok = tn->len / 2 + 3;
		g_free(m->tokstart);
		m->tokstart = g_new(guint32, m->atok);
	}
	m->tok = 0;
	m->tokstart[0] = 0;
	m->last_frag = -1;
	m->glue_until = 0;
	m->thr = m->set->out_state;
	phrase_check(m);
}

/* lang_matcher_chunk - scan one normalised chunk; a text starts as after a space */
void lang_matcher_chunk(lang_matcher *m, const es_textnorm *tn, const char *in, gsize len,
			gsize base, GArray *hits)
{
	const lang_set *set = m->set;
	const guchar *t = (const guchar *)tn->text;
	guint32 n = (guint32)tn->len, i = 0;
	walk w = { .st = { set->start_state }, .nst = 1, .out = FALSE };

	begin_chunk(m, tn, in, len, base);
	while (i < n) {
		if (w.nst == 1 && !w.out && set->delta16) {
			guint32 from = i;

			i = run_plain(m, t, i, n, &w.st[0]);
			if (i > from && w.st[0] >= m->thr) {
				i = close_run(m, &w, t, i - 1, n);
				continue;
			}
			if (i == n)
				break;
		}
		slow_step(m, &w, t, i++);
	}
	if (w.out)
		close_main(m, &w, n, TRUE);
	word_end(m, n);
	m->word_base += m->tok + 1;
	for (guint k = 0; k < m->cands->len; k++) {
		const cand *c = &g_array_index(m->cands, cand, k);

		if (!covered(m, &c->hit) && !(c->ctx && innocent_near(m, c)))
			g_array_append_val(hits, c->hit);
	}
}
