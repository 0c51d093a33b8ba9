/* lang_match.c - run the language automaton over normalised text: word
 * anchors, repeated letters, ambiguous leetspeak, phrases with gaps, words
 * split by spaces ("fu ck"), and the allow list */
#include "config.h"
#include <string.h>
#include "lang_match.h"

#define MAX_STATES 4		/* automaton states followed at once (ambiguous leetspeak) */
#define MAX_CANDIDATES 4096	/* per chunk; more are not looked at */
#define GLUE_WORDS 8		/* most pieces glued into one word */
#define GLUE_MAX 24		/* longest glued word */

/* The automaton's walk over one chunk. Repeated letters are stepped over
 * ("fuuuck" walks f,u,c,k); their counts are read back from the text only
 * when a pattern ends, so the loop stays one compare and one table load. */
typedef struct {
	guint32 st[MAX_STATES];	/* more than one after ambiguous leetspeak (1, 7) */
	guint nst;
	int last;		/* last character taken (-1: none) */
	guint32 out;		/* a pattern may end in one of the states */
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
 * may also be doubled by what follows: "shitty". */
static gboolean runs_ok(const lang_pat *p, const guint32 *runs)
{
	for (guint j = 0; j < p->clen; j++) {
		gboolean open = (j == 0 && !p->anch_start) || (j + 1U == p->clen && !p->anch_end);

		if (runs[j] != p->runs[j] && (runs[j] < p->runs[j] || (runs[j] < 3 && !open)))
			return FALSE;
	}
	return TRUE;
}

/* close_main - the walk's last letter run ended at normalised offset END:
 * report the patterns ending there. TOK is the word it is in. */
static void close_main(lang_matcher *m, const walk *w, guint32 end, gboolean at_word_end, guint32 tok)
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
			start = runs_back(t, end, p->clen, runs);
			if (start < 0 || (p->anch_start && start > 0 && t[start - 1] != ' ') || !runs_ok(p, runs))
				continue;
			span s = orig_span(m, (guint32)start, end);
			if (p->kind == LP_ALLOW) {
				g_array_append_val(m->allows, s);
			} else if (p->kind == LP_PART) {
				phrase_step(m, p, m->word_base + tok - p->nspaces, m->word_base + tok, s);
			} else {
				const lang_rule *r = g_ptr_array_index(m->set->rules, p->rule);

				if (r->severity >= m->set->min_severity)
					add_candidate(m, p, s);
			}
		}
	}
}

/* is_fragment - word K of the chunk is a piece of a word rather than a word:
 * up to 3 characters and not an ordinary short word ("ck" in "fu ck") */
static gboolean is_fragment(const lang_matcher *m, guint32 k)
{
	const guint32 *ts = (const guint32 *)(void *)m->tokstart->data;
	guint32 end = k + 1 < m->tokstart->len ? ts[k + 1] - 1 : (guint32)m->tn->len;
	int x;

	if (end - ts[k] > 3)
		return FALSE;
	x = lang_short3_index(m->tn->text + ts[k], end - ts[k]);
	return x < 0 || !(m->set->short3[x / 8] & (1u << (x % 8)));
}

/* glued - word K just ended: do it and the words before it, glued
 * together, make exactly a one-word term, with a fragment among them? Then
 * "fu ck", "bit ch", "as s" are read as words, and "pen is" is not. */
static void glued(lang_matcher *m, guint32 k, const guint8 *frag)
{
	const guint32 *ts = (const guint32 *)(void *)m->tokstart->data;
	guint32 end = k + 1 < m->tokstart->len ? ts[k + 1] - 1 : (guint32)m->tn->len;
	char buf[GLUE_MAX + 1];
	gboolean any = frag[k % GLUE_WORDS];

	for (guint32 j = k; j > 0 && k - j + 1 < GLUE_WORDS; ) {
		gsize len = 0;
		gpointer hit;

		j--;
		any |= frag[j % GLUE_WORDS];
		if (end - ts[j] - (k - j) > GLUE_MAX)
			break;
		if (!any)
			continue;
		for (guint32 w = j; w <= k; w++) {
			guint32 we = w < k ? ts[w + 1] - 1 : end;

			memcpy(buf + len, m->tn->text + ts[w], we - ts[w]);
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

/* step_ambiguous - follow C when it could be several letters (leetspeak 1
 * and 7) or the walk already follows several states */
static void step_ambiguous(const lang_set *set, walk *w, guchar c)
{
	guint8 alts[3] = { lang_sym(c), 0, 0 };
	guint nalt = 1, n = 0;
	guint32 next[MAX_STATES];

	if (c == '1' || c == '7') {
		alts[1] = c == '1' ? 'i' - 'a' : 't' - 'a';
		alts[2] = 'l' - 'a';
		nalt = 3;
	}
	for (guint si = 0; si < w->nst; si++) {
		for (guint a = 0; a < nalt; a++) {
			guint32 s = lang_next(set->delta, w->st[si], alts[a]);
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

/* walk_reset - start of a chunk */
static void walk_reset(walk *w)
{
	w->st[0] = 0;
	w->nst = 1;
	w->last = -1;
	w->out = 0;
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
	guint32 n = (guint32)tn->len, tok = 0, nfrag = 0;
	guint8 frag[GLUE_WORDS] = { 0 };
	const guint32 *delta = m->set->delta;
	const guint16 *d16 = m->set->delta16;
	walk mw;

	m->tn = tn;
	m->in = in;
	m->len = len;
	m->base = base;
	g_array_set_size(m->cands, 0);
	g_array_set_size(m->allows, 0);
	g_array_set_size(m->tokstart, 0);
	g_array_append_val(m->tokstart, tok);
	walk_reset(&mw);
	for (guint32 i = 0; i <= n; i++) {
		int c = i < n ? t[i] : -1;

		if (c == mw.last && c != ' ')
			continue;	/* a repeated letter */
		if (mw.out)
			close_main(m, &mw, i, c < 0 || c == ' ', tok);
		if (c == ' ' || c < 0) {	/* word TOK ended */
			gboolean f = is_fragment(m, tok);

			nfrag += f;
			nfrag -= frag[tok % GLUE_WORDS];
			frag[tok % GLUE_WORDS] = (guint8)f;
			if (nfrag > 0 && tok > 0)
				glued(m, tok, frag);
			if (c < 0)
				break;
			g_array_append_val(m->tokstart, (guint32){ i + 1 });
			tok++;
		}
		mw.last = c;
		if (G_LIKELY(mw.nst == 1 && c != '1' && c != '7' && d16)) {
			guint16 v = d16[(gsize)mw.st[0] * LANG_NSYM + lang_sym((guchar)c)];

			mw.st[0] = v & 0x7fff;
			mw.out = v & 0x8000;
		} else if (mw.nst == 1 && c != '1' && c != '7') {
			guint32 v = delta[(gsize)mw.st[0] * LANG_NSYM + lang_sym((guchar)c)];

			mw.st[0] = v & ~LANG_HAS_OUTPUT;
			mw.out = v & LANG_HAS_OUTPUT;
		} else {
			step_ambiguous(m->set, &mw, (guchar)c);
		}
	}
	m->word_base += tok + 1;
	for (guint i = 0; i < m->cands->len; i++) {
		const lang_hit *h = &g_array_index(m->cands, lang_hit, i);

		if (!covered(m, h))
			g_array_append_val(hits, *h);
	}
}
