/* pupil_data_table.c - how many distinct pupils one text describes: rows of
 * tables under a header row of pupil columns, distinct valid UPN/ULN/NHS
 * numbers, and lines holding a name and a date of birth */
#include "config.h"
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "pupil_data.h"
#include "ukid.h"
#include "textnorm.h"

#define BIT(k) (1u << (k))
#define NAME_KINDS (BIT(PK_NAME) | BIT(PK_SURNAME) | BIT(PK_FORENAME))
#define ID_KINDS (BIT(PK_UPN) | BIT(PK_ULN) | BIT(PK_NHS))
/* DOB and the special kinds: what makes a titled row or a labelled record a pupil's */
#define SENSITIVE(r) ((r)->special | BIT(PK_DOB))
#define MAX_COLS 256

typedef struct {
	const pk_rules *r;
	char delim;		/* of the current header; ' ' when cells are split by spaces */
	int ncols;
	int kind[MAX_COLS];	/* per column, -1: none */
	gboolean in_table;	/* a pupil header is active */
	gboolean serious;	/* ... and names DOB or a special kind (SEN, FSM, medical...) */
	guint kinds;		/* kinds of every pupil header seen */
	GHashTable *rows, *ids[3], *name_dob;
	GHashTable *profiles;	/* names of "Name: ... / DOB: ... / SEN: ..." records */
	GString *prof_name;	/* the record being read: its name cells */
	guint prof_kinds;	/* ... and the kinds of its labels */
	guint prof_seen;	/* kinds of the records counted */
	gboolean want_uln, want_nhs, dob_word;
	GRegex *date;
	int this_year;
	pk_rows *bare;		/* class lists with no header row */
} analysis;

/* pk_split - see pupil_data.h */
int pk_split(const char *line, gsize len, char delim, pk_cell *out, int max)
{
	int n = 0;
	gsize i = 0;

	while (i <= len && n < max) {
		gboolean quoted = delim != '\t' && i < len && line[i] == '"';
		gsize start = i + quoted, j = start;

		while (j < len && (quoted ? line[j] != '"' : line[j] != delim &&
				   !(delim == ' ' && line[j] == '\t')))
			j++;
		out[n].p = line + start;
		out[n].len = j - start;
		while (out[n].len && g_ascii_isspace(out[n].p[out[n].len - 1]))
			out[n].len--;
		while (out[n].len && g_ascii_isspace(*out[n].p))
			out[n].p++, out[n].len--;
		n++;
		if (quoted)
			while (j < len && line[j] != delim)
				j++;
		i = j + 1;
	}
	return n;
}

#ifdef __SSE2__
/* sum_bytes - the sum of the sixteen bytes of V */
static inline int sum_bytes(__m128i v, __m128i zero)
{
	__m128i s = _mm_sad_epu8(v, zero);

	return _mm_cvtsi128_si32(s) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s));
}
#endif

/* A header in text that has no separators (PDF) is a few words, not a sentence. */
#define MAX_SPACED_HEADER 16

/* guess_delim - the separator a header line uses most, and in *DIGITS how
 * many digits the line has (one pass: every line of every text comes here) */
static char guess_delim(const char *line, gsize len, int *digits)
{
	int tab = 0, semi = 0, comma = 0, bar = 0, best = 0, dig = 0;
	char pick = ' ';
	gsize i = 0;

#ifdef __SSE2__
	/* sixteen bytes at a time: every line of every text comes here. Each
	 * match subtracts -1 from a byte counter; the sixteen counters are
	 * summed (psadbw) before any can pass 255. */
	while (i + 16 <= len) {
		__m128i t = _mm_setzero_si128(), se = t, co = t, ba = t, dg = t, zero = t;

		for (int k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
			/* a digit: x - '0' is 0..9 as an unsigned byte */
			__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));

			t = _mm_sub_epi8(t, _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
			se = _mm_sub_epi8(se, _mm_cmpeq_epi8(x, _mm_set1_epi8(';')));
			co = _mm_sub_epi8(co, _mm_cmpeq_epi8(x, _mm_set1_epi8(',')));
			ba = _mm_sub_epi8(ba, _mm_cmpeq_epi8(x, _mm_set1_epi8('|')));
			dg = _mm_sub_epi8(dg, _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
		}
		tab += sum_bytes(t, zero);
		semi += sum_bytes(se, zero);
		comma += sum_bytes(co, zero);
		bar += sum_bytes(ba, zero);
		dig += sum_bytes(dg, zero);
	}
#endif
	for (; i < len; i++)
		switch (line[i]) {
		case '\t': tab++; break;
		case ';': semi++; break;
		case ',': comma++; break;
		case '|': bar++; break;
		default: dig += g_ascii_isdigit(line[i]); break;
		}
	*digits = dig;
	/* ties go to the earlier of tab, semicolon, comma, bar */
	if (tab > best)
		best = tab, pick = '\t';
	if (semi > best)
		best = semi, pick = ';';
	if (comma > best)
		best = comma, pick = ',';
	if (bar > best)
		pick = '|';
	return pick;
}

/* try_header - is LINE, whose separator is DELIM, a header row naming pupil
 * columns? If so it becomes the current one */
static gboolean try_header(analysis *an, const char *line, gsize len, char delim)
{
	pk_cell cells[MAX_COLS];
	/* one cell past the limit is enough to know a spaced line is too long */
	int n = pk_split(line, len, delim, cells, delim == ' ' ? MAX_SPACED_HEADER + 1 : MAX_COLS);
	int matched = 0, filled = 0;
	int kind[MAX_COLS];
	guint kinds = 0;

	/* Every line of every text comes through here, so give up early: prose
	 * split on spaces is many words, and a line with more than half its
	 * cells unmatched can never be a header (the test below). */
	if (delim == ' ' && n > MAX_SPACED_HEADER)
		return FALSE;
	for (int i = 0; i < n; i++) {
		int k = cells[i].len ? pk_kind_of(an->r, cells[i].p, cells[i].len) : -1;

		kind[i] = k;
		filled += cells[i].len > 0;
		if (k >= 0)
			matched++, kinds |= BIT(k);
		if ((filled - matched) * 2 > n)
			return FALSE;
	}
	if (matched < 2 || matched * 2 < filled)
		return FALSE;
	an->delim = delim;
	an->ncols = n;
	memcpy(an->kind, kind, sizeof kind[0] * (gsize)n);
	an->in_table = ((kinds & NAME_KINDS) && (kinds & an->r->pupil)) || (kinds & ID_KINDS);
	an->serious = (kinds & SENSITIVE(an->r)) != 0;
	if (an->in_table)
		an->kinds |= kinds;
	return TRUE;
}

/* pk_adult_title - a name cell P[0..LEN) starts with the title an adult goes
 * by ("Mr Smith", "Mrs. Jones", "Dr A Patel"): a staff duty rota or a list
 * of heads of year has names and year groups too, and pupils are never
 * listed so */
gboolean pk_adult_title(const char *p, gsize len)
{
	static const char *const titles[] = { "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev", "revd", NULL };

	while (len && (*p == ' ' || *p == '"'))
		p++, len--;
	for (const char *const *t = titles; *t; t++) {
		gsize n = strlen(*t);

		if (len > n + 1 && g_ascii_strncasecmp(p, *t, n) == 0 && (p[n] == ' ' || (p[n] == '.' && p[n + 1] == ' ')))
			return TRUE;
	}
	return FALSE;
}

/* table_row - a data row under a pupil header: keyed by its name, DOB and ID
 * cells; not a pupil when its name carries an adult's title and neither the
 * row (an ID) nor the header (DOB, SEN, FSM...: what a title put before
 * each pupil's name would otherwise hide) says otherwise, nor when its DOB
 * is an adult's (a staff list: personal data, but not pupils') unless it
 * holds a pupil's ID */
static void table_row(analysis *an, const char *line, gsize len)
{
	pk_cell cells[MAX_COLS];
	int n = pk_split(line, len, an->delim, cells, MAX_COLS);
	GString *key = g_string_new(NULL);
	gboolean who = FALSE, adult = FALSE, id = FALSE, grown = FALSE;

	if (an->delim == ' ') {		/* PDF text: cells are words, keep the whole line */
		gboolean cap = FALSE;

		for (int i = 0; i < n; i++)
			cap |= cells[i].len > 1 && g_ascii_isupper(cells[i].p[0]) && g_ascii_isalpha(cells[i].p[1]);
		who = cap && n >= an->ncols;
		g_string_append_len(key, line, (gssize)len);
	}
	for (int i = 0; an->delim != ' ' && i < n && i < an->ncols; i++) {
		int k = an->kind[i];

		if (k < 0 || !(BIT(k) & (NAME_KINDS | ID_KINDS | BIT(PK_DOB))) || !cells[i].len)
			continue;
		who |= (BIT(k) & (NAME_KINDS | ID_KINDS)) != 0;
		id |= (BIT(k) & ID_KINDS) != 0;
		adult |= (BIT(k) & NAME_KINDS) && pk_adult_title(cells[i].p, cells[i].len);
		if (k == PK_DOB) {
			int year = pk_date_year(cells[i].p, cells[i].len);

			grown |= year && an->this_year - year > PK_PUPIL_MAX_AGE;
		}
		g_string_append_len(key, cells[i].p, (gssize)cells[i].len);
		g_string_append_c(key, '\t');
	}
	if (who && (id || (!grown && (!adult || an->serious))))
		g_hash_table_add(an->rows, g_ascii_strdown(key->str, (gssize)key->len));
	g_string_free(key, TRUE);
}

/* add_id - a candidate identifier of DIGITS/letters; counted if its check passes */
static void add_id(analysis *an, const char *s, gsize len)
{
	char buf[16];

	if (len == 13 && g_ascii_isalpha(s[0])) {
		for (gsize i = 0; i < 13; i++)
			buf[i] = g_ascii_toupper(s[i]);
		if (es_upn_valid(buf, 13))
			g_hash_table_add(an->ids[0], g_strndup(buf, 13));
	} else if (len == 10) {
		if (an->want_uln && es_uln_valid(s, 10))
			g_hash_table_add(an->ids[1], g_strndup(s, 10));
		if (an->want_nhs && es_nhs_valid(s, 10))
			g_hash_table_add(an->ids[2], g_strndup(s, 10));
	}
}

/* scan_ids - alphanumeric runs, with NHS numbers written 3-3-4 joined up */
static void scan_ids(analysis *an, const char *line, gsize len)
{
	for (gsize i = 0; i < len;) {
		gsize j = i;
		char joined[16];

		while (j < len && g_ascii_isalnum(line[j]))
			j++;
		if (j > i)
			add_id(an, line + i, j - i);
		if (j - i == 3 && j + 9 <= len && g_ascii_isdigit(line[i]) &&
		    (line[j] == ' ' || line[j] == '-') && line[j + 4] == line[j]) {
			memcpy(joined, line + i, 3);
			memcpy(joined + 3, line + j + 1, 3);
			memcpy(joined + 6, line + j + 5, MIN(4, len - j - 5));
			if (len - j - 5 >= 4 && (j + 9 == len || !g_ascii_isalnum(line[j + 9])))
				add_id(an, joined, 10);
		}
		i = j + 1;
	}
}

/* line_year - the year of the first date written in figures in LINE
 * ("12/03/1975", "1975-03-12"), 0 if none */
static int line_year(const char *line, gsize len)
{
	for (gsize i = 0, j; i < len; i = j + 1) {
		int year;

		for (j = i; j < len && (g_ascii_isdigit(line[j]) || line[j] == '/' || line[j] == '.' || line[j] == '-'); j++)
			;
		if (j - i >= 6 && (year = pk_date_year(line + i, j - i)))
			return year;
	}
	return 0;
}

/* name_dob - a line with a date and two capitalised words, in a text that
 * mentions DOB; not when the date is an adult's birth (a staff list) */
static void name_dob(analysis *an, const char *line, gsize len)
{
	int caps = 0, year;

	if (!an->dob_word || !g_regex_match_full(an->date, line, (gssize)len, 0, 0, NULL, NULL))
		return;
	if ((year = line_year(line, len)) && an->this_year - year > PK_PUPIL_MAX_AGE)
		return;
	for (gsize i = 0; i + 1 < len; i++)
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t' || line[i - 1] == ',') &&
		    g_ascii_isupper(line[i]) && g_ascii_isalpha(line[i + 1]))
			caps++;
	if (caps >= 2)
		g_hash_table_add(an->name_dob, g_strndup(line, len));
}

/* mentions - LOWER has one of WORDS (lower case) as a whole word */
static gboolean mentions(const char *lower, const char *const *words)
{
	for (; *words; words++) {
		gsize n = strlen(*words);

		for (const char *p = strstr(lower, *words); p; p = strstr(p + 1, *words))
			if ((p == lower || !g_ascii_isalnum(p[-1])) && !g_ascii_isalnum(p[n]))
				return TRUE;
	}
	return FALSE;
}

/* date_regex - dates as class lists write them: 03/09/2014, 2014-09-03, 3 Sep 2014 */
static GRegex *date_regex(void)
{
	static GRegex *re;
	static gsize done;

	if (g_once_init_enter(&done)) {
		re = g_regex_new("\\b(\\d{1,2}[/.-]\\d{1,2}[/.-](\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|"
				 "\\d{1,2}(st|nd|rd|th)?\\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
				 "[a-z]*\\.?,?\\s+\\d{4})\\b",
				 G_REGEX_CASELESS | G_REGEX_OPTIMIZE | G_REGEX_RAW, 0, NULL);
		g_once_init_leave(&done, 1);
	}
	return re;
}

/* Labelled records count when there are this many: one is a form (a
 * booking, a referral about one child), thirty a class's profiles. */
#define MIN_PROFILES 3

/* profile_end - the labelled record being read is complete: a pupil if it
 * has a name and DOB or a special kind (year and class alone are on every
 * booking form) */
static void profile_end(analysis *an)
{
	if ((an->prof_kinds & NAME_KINDS) && (an->prof_kinds & SENSITIVE(an->r)) &&
	    an->prof_name->len) {
		g_hash_table_add(an->profiles, g_ascii_strdown(an->prof_name->str, (gssize)an->prof_name->len));
		an->prof_seen |= an->prof_kinds & (an->r->pupil | NAME_KINDS | an->r->special);
	}
	an->prof_kinds = 0;
	g_string_truncate(an->prof_name, 0);
}

/* label_line - LINE is "Label: value" with a header word for its label, as
 * pupil profiles are written one field a line ("Name: Amy Smith", "DOB:
 * 01/02/2014", "SEN: K"): add it to the record being read; a label seen
 * again starts the next record */
static void label_line(analysis *an, const char *line, gsize len)
{
	const char *colon = memchr(line, ':', MIN(len, 40)), *v, *end = line + len;
	int k;

	if (!colon || colon == line)
		return;
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	if (v == end || (k = pk_kind_of(an->r, line, (gsize)(colon - line))) < 0)
		return;
	if (an->prof_kinds & BIT(k))
		profile_end(an);
	an->prof_kinds |= BIT(k);
	if (BIT(k) & NAME_KINDS) {
		if (an->prof_name->len)
			g_string_append_c(an->prof_name, ' ');
		g_string_append_len(an->prof_name, v, (gssize)(end - v));
	}
}

/* analyse_line - one line: header, table row, identifiers, name with DOB */
static void analyse_line(analysis *an, const char *line, gsize len)
{
	int digits;
	char delim;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	label_line(an, line, len);
	delim = guess_delim(line, len, &digits);
	if (try_header(an, line, len, delim)) {
		pk_rows_header(an->bare, an->ncols);
		return;
	}
	/* under a pupil header the table rule counts the rows already */
	if (!an->in_table)
		pk_rows_line(an->bare, line, len, delim, digits);
	if (an->in_table)
		table_row(an, line, len);
	/* every identifier has ten digits or more (a UPN twelve): most lines
	 * of prose have none, and the walk over their words is skipped */
	if (digits >= 10)
		scan_ids(an, line, len);
	name_dob(an, line, len);
}

/* pk_analyse - see pupil_data.h; the largest of the three counts wins */
void pk_analyse(const pk_rules *r, const char *text, gsize len, pk_result *out)
{
	static const char *const uln_words[] = { "uln", "unique learner number", NULL };
	static const char *const nhs_words[] = { "nhs", NULL };
	static const char *const dob_words[] = { "dob", "d.o.b", "date of birth", "born", "birth date", NULL };
	char *lower = es_ascii_lower(text, len);
	analysis an = { .r = r, .date = date_regex() };
	GDateTime *now = g_date_time_new_now_utc();
	int ids = 0, bare;

	an.this_year = g_date_time_get_year(now);
	g_date_time_unref(now);
	an.bare = pk_rows_new(an.this_year);

	an.want_uln = mentions(lower, uln_words);
	an.want_nhs = mentions(lower, nhs_words);
	an.dob_word = mentions(lower, dob_words);
	g_free(lower);
	an.rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	an.name_dob = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	an.profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	an.prof_name = g_string_new(NULL);
	for (int i = 0; i < 3; i++)
		an.ids[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));

		if (!nl)
			nl = end;
		analyse_line(&an, p, (gsize)(nl - p));
		p = nl + 1;
	}
	profile_end(&an);
	memset(out, 0, sizeof *out);
	for (int i = 0; i < 3; i++) {
		int n = (int)g_hash_table_size(an.ids[i]);

		ids = MAX(ids, n);
		if (n)
			out->kinds |= BIT(PK_UPN + i);
	}
	out->records = (int)g_hash_table_size(an.rows);
	out->rule = "pupil_table";
	if (ids > out->records)
		out->records = ids, out->rule = "pupil_ids";
	if ((int)g_hash_table_size(an.name_dob) > out->records) {
		out->records = (int)g_hash_table_size(an.name_dob);
		out->rule = "name_dob";
		out->kinds |= BIT(PK_NAME) | BIT(PK_DOB);
	}
	if ((bare = pk_rows_count(an.bare)) > out->records) {
		out->records = bare;
		out->rule = "name_dob_rows";
		out->kinds |= BIT(PK_NAME) | BIT(PK_DOB);
	}
	if ((int)g_hash_table_size(an.profiles) >= MIN_PROFILES &&
	    (int)g_hash_table_size(an.profiles) > out->records) {
		out->records = (int)g_hash_table_size(an.profiles);
		out->rule = "pupil_records";
		out->kinds |= an.prof_seen;
	}
	if (out->records)
		out->kinds |= an.kinds;
	g_hash_table_destroy(an.rows);
	g_hash_table_destroy(an.name_dob);
	g_hash_table_destroy(an.profiles);
	pk_rows_free(an.bare);
	g_string_free(an.prof_name, TRUE);
	for (int i = 0; i < 3; i++)
		g_hash_table_destroy(an.ids[i]);
}
