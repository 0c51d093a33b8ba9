/* pd_scan.c - one pass of the personal-data scanner over a text: walk it
 * once, hand each word or number to the scanner for its shape, score every
 * candidate by the context words around it. */
#include "config.h"
#include <string.h>
#include "pd_internal.h"

const char *const pd_type_names[PD_N_TYPES] = {
	"upn", "uln", "nhs_number", "nino", "card", "bank_account", "iban",
	"passport", "driving_licence", "phone", "postcode", "address", "dob",
	"email", "credentials", "meeting",
};

/* pd_type_parse - type name to pd_type; -1 if unknown */
int pd_type_parse(const char *name)
{
	for (int i = 0; i < PD_N_TYPES; i++)
		if (g_strcmp0(pd_type_names[i], name) == 0)
			return i;
	return -1;
}

/* pd_has_word - WORD occurs in LOWER[from, to) and is not part of a longer word */
gboolean pd_has_word(const pd_ctx *c, gsize from, gsize to, const char *word)
{
	gsize wl = strlen(word);
	const char *p = c->lower + from, *end = c->lower + MIN(to, c->len);

	while (wl > 0 && p + wl <= end) {
		const char *hit = memmem(p, (size_t)(end - p), word, wl);
		gsize at;

		if (!hit)
			return FALSE;
		at = (gsize)(hit - c->lower);
		if ((!PD_ALNUM(word[0]) || at == 0 || !PD_ALNUM(c->lower[at - 1])) &&
		    (!PD_ALNUM(word[wl - 1]) || pd_boundary(c, at + wl)))
			return TRUE;
		p = hit + 1;
	}
	return FALSE;
}

/* any_word - one of WORDS occurs in LOWER[from, to) */
static gboolean any_word(const pd_ctx *c, gsize from, gsize to, char **words)
{
	for (char **w = words; w && *w; w++)
		if (pd_has_word(c, from, to, *w))
			return TRUE;
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

	if (!tr->enabled)
		return;
	if (any_word(c, from, start, tr->raise) || any_word(c, end, to, tr->raise))
		conf += c->r->raise_by;
	if (any_word(c, from, start, tr->lower) || any_word(c, end, to, tr->lower))
		conf -= c->r->lower_by;
	if (conf < c->r->threshold)
		return;
	m.type = type;
	m.start = start;
	m.end = end;
	m.confidence = CLAMP(conf, 0, 100);
	g_array_append_val(c->out, m);
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
		else if (starts && PD_ALPHA(ch))
			i = pd_scan_word(c, i);
		else
			i++;
	}
}

/* pd_scan_text - every reported match in TEXT, in order, none overlapping */
void pd_scan_text(const pd_rules *r, const char *text, gsize len, GArray *out)
{
	pd_ctx c = { r, text, NULL, len, out, FALSE, 0 };
	guint first = out->len;
	char *lower = g_malloc(len + 1);
	GDateTime *now = g_date_time_new_now_utc();

	c.this_year = g_date_time_get_year(now);
	g_date_time_unref(now);
	for (gsize i = 0; i < len; i++)
		lower[i] = g_ascii_tolower(text[i]);
	lower[len] = '\0';
	c.lower = lower;
	c.dob_anywhere = any_word(&c, 0, len, r->types[PD_DOB].raise);
	walk(&c);
	pd_scan_emails(&c);
	pd_scan_credentials(&c);
	pd_scan_meetings(&c);
	keep_outermost(out, first);
	g_free(lower);
}

/* pd_normalise - letters and digits of the match, upper case */
char *pd_normalise(const char *text, const pd_match *m)
{
	GString *s = g_string_sized_new(m->end - m->start);

	for (gsize i = m->start; i < m->end; i++)
		if (g_ascii_isalnum(text[i]) || text[i] == '@' || (guchar)text[i] >= 0x80)
			g_string_append_c(s, g_ascii_toupper(text[i]));
	return g_string_free(s, FALSE);
}
