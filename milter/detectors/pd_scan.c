/* pd_scan.c - one pass of the personal-data scanner over a text: walk it
 * once, hand each word or number to the scanner for its shape, score every
 * candidate by the context words around it. */
#include "config.h"
#include <string.h>
#include "pd_internal.h"
#include "textnorm.h"

/* letters 1; digits and the letters written for them (PD_LOOK) 3 */
#define L1(x) [x] = 1
#define L2(x) L1(x), L1(x + 1)
#define L4(x) L2(x), L2(x + 2)
#define L8(x) L4(x), L4(x + 4)
#define D1(x) [x] = 3
#define D2(x) D1(x), D1(x + 1)
#define D10(x) D2(x), D2(x + 2), D2(x + 4), D2(x + 6), D2(x + 8)
const guint8 pd_alnum_table[256] = {
	D10('0'), L8('A'), D1('I'), L4('J'), L1('N'), D1('O'), L8('P'), L2('X'), L1('Z'),
	L8('a'), L2('i'), L1('k'), D1('l'), L2('m'), D1('o'), L8('p'), L2('x'), L1('z'),
};
#undef D10
#undef D2
#undef D1
#undef L8
#undef L4
#undef L2
#undef L1

const char *const pd_type_names[PD_N_TYPES + 1] = {
	"upn", "uln", "nhs_number", "nino", "card", "bank_account", "iban",
	"passport", "driving_licence", "phone", "postcode", "address", "dob",
	"email", "credentials", "meeting", NULL,
};

/* pd_type_parse - type name to pd_type; -1 if unknown */
int pd_type_parse(const char *name)
{
	for (int i = 0; i < PD_N_TYPES; i++)
		if (g_strcmp0(pd_type_names[i], name) == 0)
			return i;
	return -1;
}

/* pd_has_word - WORD occurs in LOWER[from, to) and is not part of a
 * longer word. A plain loop: windows are short, and memmem's set-up costs
 * more than the search there. */
gboolean pd_has_word(const pd_ctx *c, gsize from, gsize to, const char *word)
{
	gsize wl = strlen(word);
	const char *l = c->lower;

	to = MIN(to, c->len);
	if (wl == 0 || to < from + wl)
		return FALSE;
	for (gsize at = from; at + wl <= to; at++) {
		if (l[at] != word[0] || memcmp(l + at, word, wl) != 0)
			continue;
		if ((!PD_ALNUM(word[0]) || at == 0 || !PD_ALNUM(l[at - 1])) &&
		    (!PD_ALNUM(word[wl - 1]) || pd_boundary(c, at + wl)))
			return TRUE;
	}
	return FALSE;
}

/* any_word - one of WORDS, whose first bytes are the bits of FIRST, occurs
 * in LOWER[from, to) on word boundaries. One walk over the window, looking
 * further only where a word starts with one of those bytes: this runs for
 * every candidate, and once over a whole text (pd_dob_anywhere), so it must
 * be cheap. */
static gboolean any_word(const pd_ctx *c, gsize from, gsize to, char **words, const guint8 *first)
{
	const char *l = c->lower;

	to = MIN(to, c->len);
	for (gsize at = from; at < to; at++) {
		guchar b = (guchar)l[at];

		if (!(first[b >> 3] >> (b & 7) & 1) || !PD_ALNUM(b) || (at > 0 && PD_ALNUM(l[at - 1])))
			continue;
		for (char **w = words; w && *w; w++) {
			gsize wl;

			if ((guchar)(*w)[0] != b)
				continue;
			wl = strlen(*w);
			if (at + wl <= to && memcmp(l + at, *w, wl) == 0 &&
			    (!PD_ALNUM((*w)[wl - 1]) || pd_boundary(c, at + wl)))
				return TRUE;
		}
	}
	return FALSE;
}

/* pd_emit - score a candidate by the words before and just after it */
void pd_emit(pd_ctx *c, pd_type type, gsize start, gsize end, int bonus)
{
	const pd_type_rule *tr = &c->r->types[type];
	gsize w = (gsize)c->r->window;
	gsize from = start > w ? start - w : 0, to = MIN(c->len, end + w / 2);
	int conf = tr->base + bonus;
	pd_match m;

	/* most candidates (a date, a number) cannot reach the threshold even
	 * with a context word: skip looking for one */
	if (!tr->enabled || conf + MAX(c->r->raise_by, 0) < c->r->threshold)
		return;
	if (any_word(c, from, start, tr->raise, tr->raise_first) ||
	    any_word(c, end, to, tr->raise, tr->raise_first))
		conf += c->r->raise_by;
	if (any_word(c, from, start, tr->lower, tr->lower_first) ||
	    any_word(c, end, to, tr->lower, tr->lower_first))
		conf -= c->r->lower_by;
	if (conf < c->r->threshold)
		return;
	m.type = type;
	m.start = start;
	m.end = end;
	m.confidence = CLAMP(conf, 0, 100);
	g_array_append_val(c->out, m);
}

/* pd_dob_anywhere - a DOB context word anywhere in the text; asked only
 * when a date turns up, then remembered */
gboolean pd_dob_anywhere(pd_ctx *c)
{
	if (c->dob_anywhere < 0)
		c->dob_anywhere = any_word(c, 0, c->len, c->r->types[PD_DOB].raise,
					   c->r->types[PD_DOB].raise_first);
	return c->dob_anywhere;
}

/* by_position - earlier first; at the same start the longer first */
static gint by_position(gconstpointer a, gconstpointer b)
{
	const pd_match *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end ? 1 : 0;
}

/* keep_outermost - sort OUT[first..] and drop matches overlapping an earlier one */
static void keep_outermost(GArray *out, guint first)
{
	guint n = out->len - first, kept = 0;
	pd_match *m;

	if (n == 0)
		return;
	m = &g_array_index(out, pd_match, first);
	qsort(m, n, sizeof(*m), by_position);
	for (guint i = 0; i < n; i++)
		if (kept == 0 || m[i].start >= m[kept - 1].end)
			m[kept++] = m[i];
	g_array_set_size(out, first + kept);
}

/* walk - one pass: each word or number is looked at once from its start */
static void walk(pd_ctx *c)
{
	gsize i = 0;

	while (i < c->len) {
		char ch = c->t[i];
		gboolean starts = i == 0 || !PD_ALNUM(c->t[i - 1]);

		if (starts && (PD_DIGIT(ch) || ((ch == '+' || ch == '(') && PD_DIGIT(pd_at(c, i + 1)))))
			i = pd_scan_number(c, i);
		else if (starts && PD_ALPHA(ch)) {
			pd_phrases_at(c, i);
			i = pd_scan_word(c, i);
		}
		else
			i++;
	}
}

/* scan - every reported match in TEXT, in order, none overlapping */
static void scan(const pd_rules *r, const char *text, gsize len, GArray *out)
{
	pd_ctx c = { r, text, NULL, len, out, -1, 0 };
	guint first = out->len;
	char *lower = es_ascii_lower(text, len);
	GDateTime *now = g_date_time_new_now_utc();

	c.this_year = g_date_time_get_year(now);
	g_date_time_unref(now);
	c.lower = lower;
	walk(&c);
	pd_scan_emails(&c);
	keep_outermost(out, first);
	g_free(lower);
}

/* pd_scan_text - scan TEXT, or its folded copy if it has other digits or
 * fullwidth forms, the matches then moved back onto TEXT's offsets */
void pd_scan_text(const pd_rules *r, const char *text, gsize len, GArray *out)
{
	pd_fold f;
	guint first = out->len;

	if (!pd_fold_run(&f, text, len)) {
		scan(r, text, len, out);
		return;
	}
	scan(r, f.text, f.len, out);
	for (guint i = first; i < out->len; i++) {
		pd_match *m = &g_array_index(out, pd_match, i);

		m->start = pd_fold_offset(&f, m->start);
		m->end = pd_fold_offset(&f, m->end);
	}
	pd_fold_clear(&f);
}

/* digit_position - the Ith letter or digit of a value of TYPE is written
 * for a digit: the scanner read a look-alike (PD_LOOK) there as one */
static gboolean digit_position(pd_type type, gsize i)
{
	switch (type) {
	case PD_UPN:
		return i >= 1;	/* a temporary UPN's last letter is never O, I or l */
	case PD_NINO:
		return i >= 2 && i < 8;
	case PD_NHS: case PD_ULN: case PD_CARD:
		return TRUE;
	default:
		return FALSE;
	}
}

/* other_char - bytes of the character at T (N bytes left) that is not
 * ASCII and that pd_fold_char leaves, appended to S if it is a letter or
 * digit (an invalid byte is kept as it is, alone) */
static gsize other_char(GString *s, const char *t, gsize n)
{
	gunichar u = g_utf8_get_char_validated(t, (gssize)MIN(n, 4));
	gsize w = u < 0x110000 ? (gsize)g_utf8_skip[(guchar)*t] : 1;

	if (u >= 0x110000 || g_unichar_isalnum(u))
		g_string_append_len(s, t, (gssize)w);
	return w;
}

/* pd_normalise - letters and digits of the match, upper case; Unicode
 * spaces, dashes and slashes are separators too, other digits and fullwidth
 * forms are their ASCII, and a letter the scanner read as a digit is that
 * digit, so one value written in several ways counts once */
char *pd_normalise(const char *text, const pd_match *m)
{
	GString *s = g_string_sized_new(m->end - m->start);
	gsize w, n = 0;

	for (gsize i = m->start; i < m->end; i += w) {
		char ch = text[i];

		w = 1;
		if ((guchar)ch >= 0x80 && !(ch = pd_fold_char(text + i, m->end - i, &w))) {
			w = other_char(s, text + i, m->end - i);
			continue;
		}
		if (!g_ascii_isalnum(ch) && ch != '@')
			continue;
		if (PD_LOOK(ch) && digit_position(m->type, n))
			ch = PD_LOOK_DIGIT(ch);
		g_string_append_c(s, g_ascii_toupper(ch));
		n++;
	}
	return g_string_free(s, FALSE);
}
