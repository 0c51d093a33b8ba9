/* language.c - the offensive and harmful language detector: word lists from
 * rules/language (and the school's local rules) matched over normalised text */
#include "config.h"
#include <string.h>
#include "detector.h"
#include "log.h"
#include "textnorm.h"
#include "lang.h"
#include "lang_match.h"

#define CHUNK (64 * 1024)	/* normalise and scan this much original text at a time */
#define CHUNK_SLACK 4096	/* look this far on for white space to end a chunk at */
#define CONTEXT 40		/* bytes of text shown either side of a match */
#define MAX_FINDINGS 32		/* per text: enough for the lead, bounded for a flood */

/* language_load - read shipped then local rules; a broken file is an error */
static void *language_load(const es_conf *conf, GError **err)
{
	lang_set *set = lang_set_new();
	const char *local = es_conf_string(conf, "milter", "local_rules_dir");
	char *dir;
	gboolean good;

	set->enabled = es_conf_bool(conf, "language", "enabled");
	set->min_severity = (int)es_conf_int(conf, "language", "min_severity");
	if (!set->enabled)
		return set;
	dir = g_build_filename(es_conf_string(conf, "milter", "rules_dir"), "language", NULL);
	good = lang_load_dir(set, dir, TRUE, err);
	g_free(dir);
	if (good && local && *local) {
		dir = g_build_filename(local, "language", NULL);
		good = lang_load_dir(set, dir, FALSE, err);
		g_free(dir);
	}
	if (!good) {
		lang_set_free(set);
		return NULL;
	}
	lang_compile(set);
	es_log(LOG_INFO, NULL, "language: %u rules, %u patterns, %u automaton states",
	       set->rules->len, set->pats->len, set->nstates);
	return set;
}

/* language_unload - free the rules */
static void language_unload(void *state)
{
	lang_set_free(state);
}

static inline gboolean is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* solid - at least 3 bytes of word run from I towards STEP (+1 or -1) in
 * T[0..LEN) before white space */
static gboolean solid(const char *t, gsize len, gsize i, int step)
{
	for (int n = 0; n < 3; n++, i += (gsize)step)
		if (i >= len || is_space(t[i]))
			return FALSE;
	return TRUE;
}

/* chunk_end - where the chunk from START should end: after CHUNK bytes, at
 * white space between two words of three or more bytes, so the letters of
 * "f u c k" or the pieces of "fu ck" are never cut apart (they are joined
 * within a chunk); else at any white space near; else at a character boundary */
static gsize chunk_end(const char *t, gsize len, gsize start)
{
	gsize end = start + CHUNK, i, any = 0;

	if (end + CHUNK_SLACK >= len)
		return len;	/* the rest is short: no cut at all */
	for (i = end; i < end + CHUNK_SLACK; i++) {
		if (!is_space(t[i]))
			continue;
		if (i >= 3 && solid(t, len, i - 1, -1) && solid(t, len, i + 1, 1))
			return i + 1;
		if (!any)
			any = i + 1;
	}
	/* no such place ahead: back to the end of the last long word, so a run
	 * of single letters that crosses END starts the next chunk whole */
	for (i = end; i > start + 3 && i + CHUNK_SLACK > end; i--)
		if (is_space(t[i]) && solid(t, len, i - 1, -1))
			return i + 1;
	if (any)
		return any;
	while (end > start + 1 && ((guchar)t[end] & 0xc0) == 0x80)
		end--;
	return end;
}

/* excerpt - the match [start, end) of T with some text either side, on one line */
static char *excerpt(const char *t, gsize len, gsize start, gsize end)
{
	gsize from = start > CONTEXT ? start - CONTEXT : 0, to = MIN(len, end + CONTEXT);
	GString *out = g_string_sized_new(to - from + 8);
	char *valid;

	while (from < start && ((guchar)t[from] & 0xc0) == 0x80)
		from++;
	while (to > end && to < len && ((guchar)t[to] & 0xc0) == 0x80)
		to--;
	for (gsize i = from; i < to; i++) {
		char c = t[i];

		if ((guchar)c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && out->len > 0 && out->str[out->len - 1] == ' ')
			continue;
		g_string_append_c(out, c);
	}
	valid = g_utf8_make_valid(out->str, out->len);
	g_string_free(out, TRUE);
	return g_strstrip(valid);
}

/* masked_pick - "s**t" fits several words (shit, sext, slut); of the masked
 * hits over the same span from I on, pick the one to report: people mask
 * swear words, so a profanity rule first, then the first rule loaded.
 * *LAST is set to the last hit of that span. */
static guint masked_pick(const lang_set *set, const GArray *hits, guint i, guint *last)
{
	const lang_hit *h = &g_array_index(hits, lang_hit, i);
	guint best = i, j;

	for (j = i; j < hits->len; j++) {
		const lang_hit *o = &g_array_index(hits, lang_hit, j);
		const lang_rule *ro = g_ptr_array_index(set->rules, o->rule);
		const lang_rule *rb = g_ptr_array_index(set->rules, g_array_index(hits, lang_hit, best).rule);
		gboolean o_prof = strcmp(ro->category, "profanity") == 0;
		gboolean b_prof = strcmp(rb->category, "profanity") == 0;

		if (!o->masked || o->start != h->start || o->end != h->end)
			break;
		if ((o_prof && !b_prof) || (o_prof == b_prof && o->rule < g_array_index(hits, lang_hit, best).rule))
			best = j;
	}
	*last = j - 1;
	return best;
}

/* report - turn the hits of one text into findings, one per rule */
static void report(const lang_set *set, es_scan *s, const es_text *text, gsize len,
		   GArray *hits, guint8 *seen, guint *nfound)
{
	for (guint i = 0; i < hits->len && *nfound < MAX_FINDINGS; i++) {
		guint pick = i;
		const lang_hit *h;
		const lang_rule *r;
		char *ex;

		if (g_array_index(hits, lang_hit, i).masked)
			pick = masked_pick(set, hits, i, &i);
		h = &g_array_index(hits, lang_hit, pick);
		r = g_ptr_array_index(set->rules, h->rule);
		if (seen[h->rule])
			continue;
		seen[h->rule] = 1;
		ex = excerpt(text->text, len, h->start, h->end);
		es_scan_add_finding(s, "language", r->category, r->severity, text->part,
				    g_ptr_array_index(set->forms, h->form), ex);
		g_free(ex);
		(*nfound)++;
	}
	g_array_set_size(hits, 0);
}

/* scan_text - one text, a chunk at a time; FALSE if the time ran out.
 * SEEN marks the rules already reported for it; *RTL is set if it has a
 * right-to-left override (scan_shown). */
static gboolean scan_text(const lang_set *set, es_scan *s, const es_text *text,
			  es_textnorm *tn, guint8 *seen, gboolean *rtl)
{
	gsize len = text->len, start = 0;
	lang_matcher *m = lang_matcher_new(set);
	GArray *hits = g_array_new(FALSE, FALSE, sizeof(lang_hit));
	guint nfound = 0;
	gboolean in_time = TRUE;

	if (s->limits.max_text > 0 && len > (gsize)s->limits.max_text)
		len = (gsize)s->limits.max_text;
	*rtl = FALSE;
	while (start < len) {	/* past MAX_FINDINGS keep going: later parts may matter to phrases, and the cost is bounded */
		gsize end = chunk_end(text->text, len, start);

		if (es_scan_out_of_time(s)) {
			in_time = FALSE;
			break;
		}
		es_textnorm_run(tn, text->text + start, end - start, ES_TN_LEET | ES_TN_JOIN_LETTERS | ES_TN_SKIP_ADDRESSES);
		*rtl |= tn->rtl_override;
		lang_matcher_chunk(m, tn, text->text + start, end - start, start, hits);
		report(set, s, text, len, hits, seen, &nfound);
		start = end;
	}
	g_array_free(hits, TRUE);
	lang_matcher_free(m);
	return in_time;
}

/* scan_shown - TEXT again as a reader sees it, when a right-to-left override
 * turns some of it round ("\u202ekcuf" shows "fuck"): rules SEEN already are
 * not reported twice, and the excerpt is what the reader saw. Rare, and the
 * normaliser only notes the override, so other text costs nothing. */
static gboolean scan_shown(const lang_set *set, es_scan *s, const es_text *text, es_textnorm *tn, guint8 *seen)
{
	es_text shown = *text;
	gboolean again, in_time;

	shown.text = es_textnorm_as_shown(text->text, text->len, &shown.len);
	in_time = scan_text(set, s, &shown, tn, seen, &again);
	g_free(shown.text);
	return in_time;
}

/* language_check - scan the subject, every text part and text attachment */
static gboolean language_check(void *state, es_scan *s, GError **err)
{
	const lang_set *set = state;
	es_textnorm tn;
	guint8 *seen;

	if (!set || !set->enabled || !s->texts)
		return TRUE;
	es_textnorm_init(&tn);
	seen = g_malloc(MAX(set->rules->len, 1));
	for (guint i = 0; i < s->texts->len; i++) {
		const es_text *text = g_ptr_array_index(s->texts, i);

		gboolean rtl = FALSE, in_time;

		memset(seen, 0, MAX(set->rules->len, 1));
		in_time = text->text && scan_text(set, s, text, &tn, seen, &rtl);
		if (in_time && rtl)
			in_time = scan_shown(set, s, text, &tn, seen);
		if (!in_time) {
			if (text->text) {
				es_scan_error(s, "language: scan time limit reached in part %s; %u part(s) not scanned",
					      text->part, s->texts->len - i);
				break;
			}
		}
	}
	g_free(seen);
	es_textnorm_clear(&tn);
	return TRUE;
}

const es_detector es_detector_language = {
	.name = "language",
	.load = language_load,
	.check = language_check,
	.unload = language_unload,
};
