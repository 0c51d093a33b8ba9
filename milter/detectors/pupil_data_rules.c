/* pupil_data_rules.c - the column-header rules of the pupil-data detector
 * (rules/pupil_data/headers.txt) and matching a table cell against them */
#include "config.h"
#include <string.h>
#include "pupil_data.h"

const char *const pk_names[PK_N] = {
	"name", "surname", "forename", "dob", "upn", "uln", "nhs", "year", "class", "sen", "fsm",
	"pp", "ethnicity", "medical", "address", "contact", "lac", "cp", "gender", "eal", "religion"
};

const char *const pk_labels[PK_N] = {
	"name", "name", "name", "DOB", "UPN", "ULN", "NHS number", "year", "class", "SEN", "FSM",
	"pupil premium", "ethnicity", "medical", "address", "parent contact", "looked after",
	"child protection", "gender", "EAL", "religion"
};

/* Words a header cell may put before a phrase: "Pupil Surname", "Legal Forename". */
static const struct { const char *s; gsize n; } prefixes[] = {
	{ "pupil ", 6 }, { "student ", 8 }, { "child ", 6 }, { "learner ", 8 },
	{ "legal ", 6 }, { "preferred ", 10 },
};

/* kind_parse - a kind's name to its index; -1 if unknown */
static int kind_parse(const char *name)
{
	for (int i = 0; i < PK_N; i++)
		if (strcmp(pk_names[i], name) == 0)
			return i;
	return -1;
}

/* normalise_into - lower case, punctuation to single spaces, trimmed, into
 * OUT (LEN + 1 bytes); returns the length */
static gsize normalise_into(const char *s, gsize len, char *out)
{
	gsize n = 0;

	for (gsize i = 0; i < len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];

		if (g_ascii_isalnum(c) || (guchar)c >= 0x80)
			out[n++] = c;
		else if (n && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	if (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

/* first_word_hash - the hash of the first word normalise_into would give
 * S (LEN bytes), taken from S itself; *LEN_OUT its length (0: no word) */
static guint first_word_hash(const char *s, gsize len, gsize *len_out)
{
	guint h = 2166136261u;
	gsize i = 0, n = 0;

	while (i < len && !g_ascii_isalnum(s[i]) && (guchar)s[i] < 0x80)
		i++;
	for (; i < len && (g_ascii_isalnum(s[i]) || (guchar)s[i] >= 0x80); i++, n++)
		h = (h ^ (guchar)g_ascii_tolower(s[i])) * 16777619u;
	*len_out = n;
	return h % PK_FIRST_BITS;
}

/* first_add - note the first word of S as one a header cell may start with */
static void first_add(pk_rules *r, const char *s)
{
	gsize n;
	guint h = first_word_hash(s, strlen(s), &n);

	r->first[h / 64] |= G_GUINT64_CONSTANT(1) << (h % 64);
}

/* normalise - the same as a new string; g_free */
static char *normalise(const char *s, gsize len)
{
	char *out = g_malloc(len + 1);

	normalise_into(s, len, out);
	return out;
}

/* add_line - "KIND: phrase, phrase" or "pupil:/special: kind, kind" */
static gboolean add_line(pk_rules *r, char *line, GError **err, const char *path, int lineno)
{
	char *colon = strchr(line, ':');
	char **items;
	gboolean ok = TRUE;
	int kind;

	if (!colon)
		goto bad;
	*colon = '\0';
	g_strstrip(line);
	items = g_strsplit(colon + 1, ",", -1);
	kind = kind_parse(line);
	for (char **p = items; *p && ok; p++) {
		char *item = g_strstrip(*p);

		if (!*item)
			continue;
		if (strcmp(line, "pupil") == 0 || strcmp(line, "special") == 0) {
			int k = kind_parse(item);

			if (k < 0)
				ok = FALSE;
			else if (line[0] == 'p')
				r->pupil |= 1u << k;
			else
				r->special |= 1u << k;
		} else if (kind >= 0) {
			g_hash_table_replace(r->phrases, normalise(item, strlen(item)), GINT_TO_POINTER(kind + 1));
			first_add(r, item);
		} else {
			ok = FALSE;
		}
	}
	g_strfreev(items);
	if (ok)
		return TRUE;
bad:
	g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: not \"KIND: phrase, ...\" with a known kind",
		    path, lineno);
	return FALSE;
}

/* pk_rules_load - see pupil_data.h */
pk_rules *pk_rules_load(const char *path, GError **err)
{
	char *data = NULL;
	char **lines;
	pk_rules *r;
	int n = 0;

	if (!g_file_get_contents(path, &data, NULL, err))
		return NULL;
	r = g_new0(pk_rules, 1);
	r->enabled = TRUE;	/* load() applies [pupil_data] enabled */
	for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++)
		first_add(r, prefixes[i].s);
	r->phrases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(data, "\n", -1);
	g_free(data);
	for (char **l = lines; *l; l++) {
		char *line = g_strstrip(*l);

		n++;
		if (*line && *line != '#' && !add_line(r, line, err, path, n)) {
			g_strfreev(lines);
			pk_rules_free(r);
			return NULL;
		}
	}
	g_strfreev(lines);
	return r;
}

void pk_rules_free(pk_rules *r)
{
	if (!r)
		return;
	g_hash_table_destroy(r->phrases);
	g_free(r);
}

/* lookup - exact phrase, or a phrase of two or more words starting the cell */
static int lookup(const pk_rules *r, char *norm)
{
	gpointer v = g_hash_table_lookup(r->phrases, norm);

	if (v)
		return GPOINTER_TO_INT(v) - 1;
	for (char *sp = strrchr(norm, ' '); sp; sp = strrchr(norm, ' ')) {
		*sp = '\0';
		if (strchr(norm, ' ') && (v = g_hash_table_lookup(r->phrases, norm)))
			return GPOINTER_TO_INT(v) - 1;
	}
	return -1;
}

/* kind_of_normal - the kind NORM (normalised, N bytes) names, with or without a prefix word */
static int kind_of_normal(const pk_rules *r, const char *norm, gsize n)
{
	char copy[72];
	int kind;

	memcpy(copy, norm, n + 1);
	kind = lookup(r, copy);
	for (gsize i = 0; kind < 0 && i < G_N_ELEMENTS(prefixes); i++)
		if (n > prefixes[i].n && norm[0] == prefixes[i].s[0] &&
		    memcmp(norm, prefixes[i].s, prefixes[i].n) == 0) {
			memcpy(copy, norm + prefixes[i].n, n - prefixes[i].n + 1);
			kind = lookup(r, copy);
		}
	return kind;
}

/* pk_kind_of - "Pupil Surname", "Date of Birth (dd/mm/yyyy)", "DOB (dd/mm/yyyy)"
 * and "SEN Status" all match */
int pk_kind_of(const pk_rules *r, const char *cell, gsize len)
{
	char norm[72];	/* called for every cell of every line: no allocation */
	const char *paren;
	gsize n;
	int kind;
	guint h;

	if (len == 0 || len > 64)
		return -1;
	/* most cells are words of prose or values: their first word starts
	 * no phrase, which a bit says before anything is copied */
	h = first_word_hash(cell, len, &n);
	if (!n || !(r->first[h / 64] >> (h % 64) & 1))
		return -1;
	n = normalise_into(cell, len, norm);
	kind = kind_of_normal(r, norm, n);
	/* a note in brackets after a one-word header ("DOB (dd/mm/yyyy)",
	 * "Year (NC)"): only phrases of two words or more match a cell's start,
	 * so that a value such as "Year 7" is not read as a header */
	if (kind < 0 && (paren = memchr(cell, '(', len)) && paren > cell) {
		n = normalise_into(cell, (gsize)(paren - cell), norm);
		if (n)
			kind = kind_of_normal(r, norm, n);
	}
	return kind;
}

/* pk_excerpt - kinds in table order, each label once */
char *pk_excerpt(int records, guint kinds)
{
	GString *out = g_string_new(NULL);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

	g_string_printf(out, "%d pupil%s", records, records == 1 ? "" : "s");
	for (int k = 0; k < PK_N; k++) {
		if (!(kinds & (1u << k)) || g_hash_table_contains(seen, pk_labels[k]))
			continue;
		g_string_append(out, g_hash_table_size(seen) ? ", " : ": ");
		g_string_append(out, pk_labels[k]);
		g_hash_table_add(seen, (gpointer)pk_labels[k]);
	}
	g_hash_table_destroy(seen);
	return g_string_free(out, FALSE);
}
