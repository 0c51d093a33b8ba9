/* pupil_data_rows.c - class lists with no header row: blocks of delimited
 * lines ("Smith,John,12/03/2012,7B") holding a name and a date of birth of
 * school age in the same columns. With no header to say what the date is,
 * the rule asks more of the rows than the table rule does (see
 * rules/pupil_data/headers.txt). */
#include "config.h"
#include <string.h>
#include "pupil_data.h"

/* A headerless block counts from this many rows: one or two are a
 * sentence about a child, three a list. */
#define MIN_ROWS 3
/* Ages (by year of birth) a headerless date is read as a pupil's DOB:
 * Reception to the end of Year 13. Wider, and the dates of the last few
 * years (invoices, fixtures, menus, staff training) would pass as
 * birthdays; a nursery's list, like any other, counts with a DOB header
 * (the table rule reaches 25). */
#define MIN_AGE 4
#define MAX_AGE 19
#define MAX_CELLS 32

/* One block of rows of the same shape. */
typedef struct {
	char delim;
	int ncols, date_col, name_col;
	gboolean headed;	/* the line above was a header: the header says what the date is */
	GHashTable *rows;	/* "name\tdate" of each row */
	GHashTable *dates;	/* distinct days of the year (a date without its year) */
} block;

struct pk_rows {
	int this_year;
	/* the line above when it was not a data row, split only if a block
	 * starts below it: most lines start none */
	const char *prev;
	gsize prev_len;
	char prev_delim;
	int prev_cols;		/* ... or a header row's cells; 0: none */
	block cur;
	GHashTable *pupils;	/* rows of the blocks that qualified */
};

/* number - P[0..LEN) is all digits; its value, or -1 */
static int number(const char *p, gsize len)
{
	int v = 0;

	if (!len || len > 4)
		return -1;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* pk_date_year - see pupil_data.h; day and month may be either way round */
int pk_date_year(const char *p, gsize len)
{
	gsize a, b;
	int x, y, z;
	char sep;

	for (a = 0; a < len && g_ascii_isdigit(p[a]); a++)
		;
	if (a == 0 || a >= len || (p[a] != '/' && p[a] != '-' && p[a] != '.'))
		return 0;
	sep = p[a];
	for (b = a + 1; b < len && g_ascii_isdigit(p[b]); b++)
		;
	if (b >= len || p[b] != sep)
		return 0;
	x = number(p, a);
	y = number(p + a + 1, b - a - 1);
	z = number(p + b + 1, len - b - 1);
	if (a == 4 && len - b - 1 <= 2)		/* 2014-09-03 */
		return y >= 1 && y <= 12 && z >= 1 && z <= 31 ? x : 0;
	if (a > 2 || b - a - 1 > 2 || len - b - 1 != 4 || x < 1 || y < 1 || z < 1000)
		return 0;
	return (x <= 12 || y <= 12) && x <= 31 && y <= 31 ? z : 0;
}

/* word_in - the word W[0..LEN), lower-cased, is one of LIST ("a|b|c") */
static gboolean word_in(const char *list, const char *w, gsize len)
{
	char buf[24];

	if (len == 0 || len >= sizeof buf)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		buf[i] = g_ascii_tolower(w[i]);
	buf[len] = '\0';
	for (const char *p = list; (p = strstr(p, buf)) != NULL; p++)
		if ((p == list || p[-1] == '|') && (p[len] == '|' || p[len] == '\0'))
			return TRUE;
	return FALSE;
}

/* Lower-case words inside names ("de Souza", "van Dijk", "bin Rashid"). */
#define PARTICLES "de|da|di|du|del|della|der|den|van|von|la|le|al|el|bin|bint|ibn|ter|ten"
/* Words of the names of things a dated list is made of: documents, events,
 * places ("Behaviour Policy", "Lake District"). */
#define THINGS "policy|procedure|plan|review|report|statement|meeting|trip|visit|club|team|" \
	"course|training|lake|district|city|park|street|road|forest|isle|island|castle|museum|" \
	"zoo|centre|center|abbey|bay|beach|festival|show|concert|match|cup|league"
/* The last word of a cell naming a staff post: its row is a member of staff's. */
#define POSTS "teacher|ta|hlta|caretaker|cook|cleaner|head|headteacher|senco|governor|" \
	"administrator|manager|technician|librarian|assistant|supervisor|officer|lead|" \
	"coordinator|bursar|secretary|receptionist|trustee|clerk|chef|principal|tutor"

/* name_shaped - a cell a name fills: one to three words of letters of any
 * script ("Zoë", "Özil", in composed or decomposed form, and scripts
 * without capitals), hyphens and apostrophes ("Amy O'Neil"), each starting
 * with a capital or caseless letter or a particle ("de Souza"), no adult's
 * title and no word of a thing's name; *WORDS is set to how many */
static gboolean name_shaped(const pk_cell *c, int *words)
{
	const char *p = c->p, *end = c->p + c->len;
	int named = 0;

	*words = 0;
	if (c->len < 2 || c->len > 40 || pk_adult_title(c->p, c->len) || !g_utf8_validate(c->p, (gssize)c->len, NULL))
		return FALSE;
	while (p < end) {
		const char *w = p;
		gunichar first = g_utf8_get_char(p);

		if (first == ' ') {
			p++;
			continue;
		}
		for (; p < end && *p != ' '; p = g_utf8_next_char(p)) {
			gunichar ch = g_utf8_get_char(p);

			if (!g_unichar_isalpha(ch) && !g_unichar_ismark(ch) && ch != '-' && ch != '\'')
				return FALSE;
		}
		if (word_in(THINGS, w, (gsize)(p - w)))
			return FALSE;
		if (g_unichar_isupper(first) || g_unichar_type(first) == G_UNICODE_OTHER_LETTER)
			named++;
		else if (!word_in(PARTICLES, w, (gsize)(p - w)))
			return FALSE;
		(*words)++;
	}
	return named >= 1 && *words <= 3;
}

/* staff_post - the cell ends with a staff post ("Teacher", "Deputy Head", "TA") */
static gboolean staff_post(const pk_cell *c)
{
	gsize i = c->len;

	while (i > 0 && c->p[i - 1] != ' ')
		i--;
	return word_in(POSTS, c->p + i, c->len - i);
}

/* money - a cell holding an amount ("12.50", "£30"): rows of a statement or an order, not of pupils */
static gboolean money(const pk_cell *c)
{
	const char *dot = memchr(c->p, '.', c->len);

	if (c->len && (c->p[0] == '$' || (guchar)c->p[0] == 0xc2))	/* "£" in UTF-8 starts 0xc2 */
		return TRUE;
	return dot && dot > c->p && g_ascii_isdigit(dot[-1]) && c->p + c->len - dot == 3 &&
	       g_ascii_isdigit(dot[1]) && g_ascii_isdigit(dot[2]);
}

/* block_end - the block above is complete: its rows are pupils if there are
 * enough, their dates differ as birthdays do (a class's rarely share a day
 * of the year, a list of start dates or reviews, 1 September of year after
 * year, often does) and no header named the date */
static void block_end(pk_rows *b)
{
	block *k = &b->cur;
	guint rows = k->rows ? g_hash_table_size(k->rows) : 0;

	if (rows >= MIN_ROWS && !k->headed && g_hash_table_size(k->dates) * 4 >= rows * 3) {
		GHashTableIter it;
		gpointer key;

		g_hash_table_iter_init(&it, k->rows);
		while (g_hash_table_iter_next(&it, &key, NULL))
			g_hash_table_add(b->pupils, g_strdup(key));
	}
	if (k->rows) {
		g_hash_table_destroy(k->rows);
		g_hash_table_destroy(k->dates);
	}
	memset(k, 0, sizeof *k);
}

/* data_row - in CELLS, the column of a school-age date and of a person's
 * name: a cell of two or three name-shaped words, or a one-word one with
 * another name beside it ("Smith,John", "Jones,Mary Ann"), *NAMES cells
 * from *NAME_COL. A place alone ("Paris") is not a person. FALSE if the row
 * lacks either, holds an amount or names a staff post ("Teacher"). */
static gboolean data_row(const pk_rows *b, const pk_cell *cells, int n, int *date_col, int *name_col,
			 int *names)
{
	*date_col = *name_col = -1;
	*names = 0;
	for (int i = 0; i < n; i++) {
		int y = pk_date_year(cells[i].p, cells[i].len), words, next;

		if (money(&cells[i]))
			return FALSE;
		if (*date_col < 0 && y && b->this_year - y >= MIN_AGE && b->this_year - y <= MAX_AGE) {
			*date_col = i;
		} else if (*name_col < 0 && name_shaped(&cells[i], &words)) {
			if (words >= 2)
				*names = 1;
			else if (i + 1 < n && name_shaped(&cells[i + 1], &next) && !staff_post(&cells[i + 1]))
				*names = 2;	/* "Smith,John", "Jones,Mary Ann"; not "Smith,Teacher" */
			else
				continue;
			*name_col = i;
		}
	}
	if (*date_col < 0 || *name_col < 0)
		return FALSE;
	/* a post in a cell of its own; in the name a surname ("Amy Cook", "Head,Ben") */
	for (int i = 0; i < n; i++)
		if ((i < *name_col || i >= *name_col + *names) && staff_post(&cells[i]))
			return FALSE;
	return TRUE;
}

/* day_of_year - DATE without its year ("12/03" of "12/03/2014", "09-03" of
 * "2014-09-03"), the part that two pupils' birthdays rarely share */
static char *day_of_year(const pk_cell *date)
{
	gsize i = 0;

	while (i < date->len && g_ascii_isdigit(date->p[i]))
		i++;
	if (i == 4)		/* year first */
		return g_strndup(date->p + 5, date->len - MIN(date->len, 5));
	for (i = date->len; i > 0 && g_ascii_isdigit(date->p[i - 1]); i--)
		;
	return g_strndup(date->p, i ? i - 1 : 0);
}

/* above_cols - the cells of the line above the block that starts; 0: none */
static int above_cols(const pk_rows *b)
{
	pk_cell cells[MAX_CELLS + 1];

	if (b->prev_cols || !b->prev || b->prev_delim == ' ')
		return b->prev_cols;
	return pk_split(b->prev, b->prev_len, b->prev_delim, cells, MAX_CELLS + 1);
}

/* pk_rows_line - see pupil_data.h */
void pk_rows_line(pk_rows *b, const char *line, gsize len, char delim, int digits)
{
	pk_cell cells[MAX_CELLS + 1];
	int n = 0, date_col, name_col, names;
	block *k = &b->cur;
	GString *key;

	/* a date with its year in figures has six digits at least */
	if (delim != ' ' && digits >= 6)
		n = pk_split(line, len, delim, cells, MAX_CELLS + 1);
	if (n < 2 || n > MAX_CELLS || !data_row(b, cells, n, &date_col, &name_col, &names)) {
		block_end(b);
		/* perhaps the header of the block below; not a line with a date
		 * in it, a row of the list that this rule does not read */
		b->prev = digits >= 6 ? NULL : line;
		b->prev_len = len;
		b->prev_delim = delim;
		b->prev_cols = 0;
		return;
	}
	if (k->rows && (n != k->ncols || delim != k->delim || date_col != k->date_col || name_col != k->name_col))
		block_end(b);
	if (!k->rows) {
		k->delim = delim;
		k->ncols = n;
		k->date_col = date_col;
		k->name_col = name_col;
		k->headed = above_cols(b) == n;
		k->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		k->dates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	}
	b->prev = NULL;
	b->prev_cols = 0;
	key = g_string_new(NULL);
	for (int i = name_col; i < name_col + names; i++) {
		g_string_append_len(key, cells[i].p, (gssize)cells[i].len);
		g_string_append_c(key, '\t');
	}
	g_string_append_len(key, cells[date_col].p, (gssize)cells[date_col].len);
	g_hash_table_add(k->dates, day_of_year(&cells[date_col]));
	g_hash_table_add(k->rows, g_utf8_strdown(key->str, (gssize)key->len));
	g_string_free(key, TRUE);
}

/* pk_rows_header - see pupil_data.h */
void pk_rows_header(pk_rows *b, int ncols)
{
	block_end(b);
	b->prev = NULL;
	b->prev_cols = ncols;
}

pk_rows *pk_rows_new(int this_year)
{
	pk_rows *b = g_new0(pk_rows, 1);

	b->this_year = this_year;
	b->pupils = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return b;
}

/* pk_rows_count - see pupil_data.h */
int pk_rows_count(pk_rows *b)
{
	block_end(b);
	return (int)g_hash_table_size(b->pupils);
}

void pk_rows_free(pk_rows *b)
{
	if (!b)
		return;
	block_end(b);
	g_hash_table_destroy(b->pupils);
	g_free(b);
}
