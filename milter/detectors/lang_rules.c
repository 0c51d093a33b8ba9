/* lang_rules.c - read the language rule files (format: rules/language/README.md)
 * into patterns: braces expanded, words normalised like the text, repeated
 * letters collapsed, masked variants ("f*ck") added */
#include "config.h"
#include <string.h>
#include <errno.h>
#include "detector.h"
#include "textnorm.h"
#include "lang.h"

#define MAX_EXPANSIONS 1024

static const char *const categories[] = {
	"profanity", "sexual", "hate", "bullying", "threat", "self_harm", "grooming",
	"extremism", "drugs", NULL
};

/* lang_set_new - an empty rule set */
lang_set *lang_set_new(void)
{
	lang_set *set = g_new0(lang_set, 1);

	set->rules = g_ptr_array_new();
	set->forms = g_ptr_array_new_with_free_func(g_free);
	set->pats = g_array_new(FALSE, TRUE, sizeof(lang_pat));
	set->short_words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	set->glued = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	set->contexts = g_ptr_array_new_with_free_func(g_free);
	set->context_of = g_hash_table_new(g_str_hash, g_str_equal);
	set->enabled = TRUE;
	set->min_severity = 1;
	return set;
}

/* lang_set_free - free everything (NULL is fine) */
void lang_set_free(lang_set *set)
{
	if (!set)
		return;
	for (guint i = 0; i < set->rules->len; i++) {
		lang_rule *r = g_ptr_array_index(set->rules, i);

		g_free(r->id);
		g_free(r->category);
		g_free(r);
	}
	g_ptr_array_free(set->rules, TRUE);
	g_ptr_array_free(set->forms, TRUE);
	g_array_free(set->pats, TRUE);
	g_hash_table_destroy(set->short_words);
	g_hash_table_destroy(set->glued);
	g_hash_table_destroy(set->context_of);
	g_ptr_array_free(set->contexts, TRUE);
	g_free(set->short3);
	g_aligned_free(set->delta16);
	g_aligned_free(set->delta32);
	g_free(set->out_off);
	g_free(set->out_list);
	g_free(set);
}

/* expand - brace alternatives: "bitch{,es}" -> "bitch", "bitches" */
static gboolean expand(const char *s, GPtrArray *out)
{
	const char *open = strchr(s, '{'), *close;
	gboolean good = TRUE;
	char **alts;

	if (!open)
		return strchr(s, '}') == NULL && (g_ptr_array_add(out, g_strdup(s)), TRUE);
	close = strchr(open, '}');
	if (!close || memchr(open + 1, '{', close - open - 1))
		return FALSE;
	char *inner = g_strndup(open + 1, close - open - 1);
	alts = g_strsplit(inner, ",", -1);
	g_free(inner);
	for (char **a = alts; *a && good; a++) {
		char *one = g_strdup_printf("%.*s%s%s", (int)(open - s), s, *a, close + 1);

		good = out->len < MAX_EXPANSIONS && expand(one, out);
		g_free(one);
	}
	g_strfreev(alts);
	return good;
}

/* to_symbols - normalised text to collapsed symbols and run counts */
static gboolean to_symbols(const char *norm, lang_pat *p)
{
	p->clen = 0;
	p->nspaces = 0;
	for (const char *c = norm; *c; c++) {
		guint8 sym = lang_sym((guchar)*c);

		if (p->clen > 0 && sym == p->syms[p->clen - 1] && sym != LANG_SYM_SPACE) {
			p->runs[p->clen - 1]++;
			continue;
		}
		if (p->clen == LANG_MAXPAT)
			return FALSE;
		p->syms[p->clen] = sym;
		p->runs[p->clen++] = 1;
		p->nspaces += sym == LANG_SYM_SPACE;
	}
	return TRUE;
}

/* add_masked - variants of P with 1-3 letters masked ("f*ck", "sh*t",
 * "a*hole"); the first letter and at least two in all stay visible */
static void add_masked(lang_set *set, const lang_pat *p)
{
	if (p->clen < 4 || p->clen > 10 || p->nspaces > 0)
		return;
	for (guint i = 1; i < p->clen; i++) {
		for (guint j = i; j < p->clen && j < i + 3; j++) {
			lang_pat v = *p;
			guint k, n = 0, visible = p->clen - (j - i + 1);

			if (visible < 2 || j == p->clen - 1U)	/* "jig*" is emphasis, not "jigaboo" */
				continue;
			for (k = i; k <= j && p->syms[k] < LANG_SYM_DIGIT; k++)
				;
			if (k <= j)
				continue;	/* only letters are masked */
			for (k = 0; k < p->clen; k++) {
				if (k == i) {
					v.syms[n] = LANG_SYM_MASK;
					v.runs[n++] = 1;
				}
				if (k >= i && k <= j)
					continue;
				v.syms[n] = p->syms[k];
				v.runs[n++] = p->runs[k];
			}
			v.clen = (guint8)n;
			v.masked = 1;
			g_array_append_val(set->pats, v);
		}
	}
}

/* add_form - the id findings show for pattern FORM of RULE: the form itself
 * for a word ("profanity/asshole"), the rule's id for phrase parts */
static void add_form(lang_set *set, guint32 rule, guint8 kind, const char *form)
{
	const lang_rule *r = kind == LP_TERM || kind == LP_PART ? g_ptr_array_index(set->rules, rule) : NULL;

	if (kind == LP_TERM)
		g_ptr_array_add(set->forms, g_strdup_printf("%s/%s", r->category, form));
	else
		g_ptr_array_add(set->forms, g_strdup(r ? r->id : kind == LP_ALLOW ? "allow" : "context"));
}

/* add_part - the patterns of one word or fixed phrase of a rule */
static gboolean add_part(lang_set *set, guint32 rule, guint8 kind, guint8 part,
			 const char *text, GError **err_msg)
{
	gsize len = strlen(text);
	gboolean anch_start = text[0] != '*', anch_end = len > 0 && text[len - 1] != '*';
	char *body = g_strndup(text + !anch_start, len - !anch_start - (len > 1 && !anch_end));
	GPtrArray *exp = g_ptr_array_new_with_free_func(g_free);
	gboolean good = TRUE;

	if (strchr(body, '*')) {
		g_set_error(err_msg, ES_CONF_ERROR, 0, "'*' may stand only at the start or end of a word: %s", text);
		good = FALSE;
	} else if (!expand(body, exp)) {
		g_set_error(err_msg, ES_CONF_ERROR, 0, "unbalanced or nested braces, or more than %d forms: %s",
			    MAX_EXPANSIONS, text);
		good = FALSE;
	}
	for (guint i = 0; good && i < exp->len; i++) {
		/* lower case first: text reads a capital I after a small letter
		 * as maybe an l, and "McIntyre" in a school's list means any case */
		char *low = g_utf8_strdown(g_ptr_array_index(exp, i), -1);
		/* read as text is: "hh88", and "u r a" joined as "ura" */
		char *norm = es_textnorm_string(low, -1, ES_TN_LEET | ES_TN_JOIN_LETTERS);
		lang_pat p = { .rule = rule, .kind = kind, .part = part, .form = set->forms->len };

		g_free(low);
		p.anch_start = kind != LP_ALLOW && anch_start;
		p.anch_end = kind != LP_ALLOW && anch_end;
		if (!*norm) {
			g_set_error(err_msg, ES_CONF_ERROR, 0, "no letters in '%s'", text);
			good = FALSE;
		} else if (!to_symbols(norm, &p)) {
			g_set_error(err_msg, ES_CONF_ERROR, 0, "longer than %d letters: %s", LANG_MAXPAT, text);
			good = FALSE;
		} else {
			if (kind == LP_TERM && p.nspaces == 0 && !g_hash_table_contains(set->glued, norm))
				g_hash_table_insert(set->glued, g_strdup(norm), GUINT_TO_POINTER(set->pats->len + 1));
			g_array_append_val(set->pats, p);
			if (kind == LP_TERM)
				add_masked(set, &p);
			add_form(set, rule, kind, g_ptr_array_index(exp, i));
		}
		g_free(norm);
	}
	g_ptr_array_free(exp, TRUE);
	g_free(body);
	return good;
}

/* first_form - a rule's name: its pattern with the first choice of each
 * {group} and no '*' ("bitch{,es}" -> "bitch", "{kys,kill yourself}" -> "kys") */
static char *first_form(const char *pattern)
{
	GString *out = g_string_new(NULL);

	for (const char *c = pattern; *c; c++) {
		if (*c == '{') {
			for (c++; *c && *c != ',' && *c != '}'; c++)
				g_string_append_c(out, *c);
			while (*c && *c != '}')
				c++;
			if (!*c)
				break;
		} else if (*c != '*' && !(g_ascii_isspace(*c) && out->len && g_ascii_isspace(out->str[out->len - 1]))) {
			g_string_append_c(out, g_ascii_isspace(*c) ? ' ' : *c);
		}
	}
	return g_string_free(out, FALSE);
}

/* add_rule - one "SEVERITY PATTERN" line of a category section */
static gboolean add_rule(lang_set *set, const char *category, const char *line, GError **err)
{
	char **words = g_strsplit_set(line, " \t", -1);
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	GString *cur = g_string_new(NULL);
	gboolean good = TRUE;
	char *end = NULL;
	long sev = strtol(words[0], &end, 10);

	if (!*words[0] || *end || sev < 1 || sev > 5) {
		g_set_error(err, ES_CONF_ERROR, 0, "expected a severity 1-5 then a pattern, got '%s'", line);
		good = FALSE;
	}
	for (char **w = words + 1; good && *w; w++) {
		if (!**w)
			continue;
		if (strcmp(*w, "...") == 0) {
			good = cur->len > 0;
			g_ptr_array_add(parts, g_string_free(cur, FALSE));
			cur = g_string_new(NULL);
			continue;
		}
		g_string_append_printf(cur, "%s%s", cur->len ? " " : "", *w);
	}
	good = good && cur->len > 0 && parts->len < LANG_MAXPARTS;
	if (!good && err && !*err)
		g_set_error(err, ES_CONF_ERROR, 0, "a pattern is missing, or '...' is not between words, or more than %d parts", LANG_MAXPARTS);
	g_ptr_array_add(parts, g_string_free(cur, FALSE));
	if (good) {
		lang_rule *r = g_new0(lang_rule, 1);
		char *first = first_form(line + strlen(words[0]));

		r->category = g_strdup(category);
		r->severity = (int)sev;
		r->nparts = parts->len;
		r->id = g_strdup_printf("%s/%s", category, g_strstrip(first));
		g_free(first);
		g_ptr_array_add(set->rules, r);
		for (guint j = 0; good && j < parts->len; j++)
			good = add_part(set, set->rules->len - 1, parts->len > 1 ? LP_PART : LP_TERM,
					(guint8)j, g_ptr_array_index(parts, j), err);
	}
	g_ptr_array_free(parts, TRUE);
	g_strfreev(words);
	return good;
}

/* add_context - one "TERM: WORD WORD ..." line of [context]: TERM is not
 * reported when one of the words is within LANG_NEAR words of it */
static gboolean add_context(lang_set *set, char *line, GError **err)
{
	char *colon = strchr(line, ':'), *term;
	char **words;
	gboolean good = TRUE, any = FALSE;
	guint id;

	if (!colon) {
		g_set_error(err, ES_CONF_ERROR, 0, "expected 'TERM: WORDS', got '%s'", line);
		return FALSE;
	}
	*colon = '\0';
	term = es_textnorm_string(line, -1, 0);
	if (!*term) {
		g_set_error(err, ES_CONF_ERROR, 0, "no term before ':'");
		g_free(term);
		return FALSE;
	}
	id = GPOINTER_TO_UINT(g_hash_table_lookup(set->context_of, term));
	if (id == 0) {
		g_ptr_array_add(set->contexts, term);
		id = set->contexts->len;
		g_hash_table_insert(set->context_of, term, GUINT_TO_POINTER(id));
	} else {
		g_free(term);
	}
	words = g_strsplit_set(colon + 1, " \t,", -1);
	for (char **w = words; good && *w; w++) {
		if (**w) {
			good = add_part(set, id - 1, LP_CONTEXT, 0, *w, err);
			any = TRUE;
		}
	}
	g_strfreev(words);
	if (good && !any)
		g_set_error(err, ES_CONF_ERROR, 0, "no words after ':'");
	return good && any;
}

/* add_line - one non-empty line of SECTION */
static gboolean add_line(lang_set *set, const char *section, char *line, GError **err)
{
	if (strcmp(section, "context") == 0)
		return add_context(set, line, err);
	if (strcmp(section, "allow") == 0) {
		g_strdelimit(line, "\t", ' ');
		return add_part(set, 0, LP_ALLOW, 0, line, err);
	}
	if (strcmp(section, "short_words") == 0) {
		char **words = g_strsplit_set(line, " \t,", -1);

		for (char **w = words; *w; w++)
			if (**w)
				g_hash_table_add(set->short_words, es_textnorm_string(*w, -1, 0));
		g_strfreev(words);
		return TRUE;
	}
	return add_rule(set, section, line, err);
}

/* valid_section - a category, allow, short_words or context */
static gboolean valid_section(const char *name)
{
	if (strcmp(name, "allow") == 0 || strcmp(name, "short_words") == 0 || strcmp(name, "context") == 0)
		return TRUE;
	for (guint i = 0; categories[i]; i++)
		if (strcmp(categories[i], name) == 0)
			return TRUE;
	return FALSE;
}

/* lang_load_string - read rules from TEXT; errors say "NAME:LINE: ..." */
gboolean lang_load_string(lang_set *set, const char *name, const char *text, GError **err)
{
	char **lines = g_strsplit(text, "\n", -1);
	char *section = NULL;
	gboolean good = TRUE;
	GError *e = NULL;
	guint n;

	for (n = 0; good && lines[n]; n++) {
		char *line = lines[n], *hash;

		for (hash = strchr(line, '#'); hash; hash = strchr(hash + 1, '#'))
			if (hash == line || g_ascii_isspace(hash[-1])) {
				*hash = '\0';
				break;
			}
		g_strstrip(line);
		if (!*line)
			continue;
		if (line[0] == '[') {
			gsize len = strlen(line);

			g_free(section);
			section = len > 2 && line[len - 1] == ']' ? g_strndup(line + 1, len - 2) : NULL;
			if (!section || !valid_section(section)) {
				g_set_error(&e, ES_CONF_ERROR, 0, "unknown section %s (categories, allow, short_words, context)", line);
				good = FALSE;
			}
		} else if (!section) {
			g_set_error(&e, ES_CONF_ERROR, 0, "a line before any [section]");
			good = FALSE;
		} else {
			good = add_line(set, section, line, &e);
		}
	}
	if (!good)
		g_set_error(err, ES_CONF_ERROR, 0, "%s:%u: %s", name, n, e ? e->message : "error");
	g_clear_error(&e);
	g_free(section);
	g_strfreev(lines);
	return good;
}

/* lang_load_file - read one rules file */
gboolean lang_load_file(lang_set *set, const char *path, GError **err)
{
	char *text = NULL;
	gsize len;
	gboolean good;

	if (!g_file_get_contents(path, &text, &len, err))
		return FALSE;
	if (memchr(text, '\0', len) || !g_utf8_validate(text, len, NULL)) {
		g_set_error(err, ES_CONF_ERROR, 0, "%s:1: not UTF-8 text", path);
		g_free(text);
		return FALSE;
	}
	good = lang_load_string(set, path, text, err);
	g_free(text);
	return good;
}

/* by_name - order for g_ptr_array_sort over strings */
static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* lang_load_dir - every DIR/ *.rules, in name order */
gboolean lang_load_dir(lang_set *set, const char *dir, gboolean required, GError **err)
{
	GError *e = NULL;
	GDir *d = g_dir_open(dir, 0, &e);
	GPtrArray *names;
	const char *name;
	gboolean good = TRUE;

	if (!d) {
		if (!required && g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_error_free(e);
			return TRUE;
		}
		g_propagate_prefixed_error(err, e, "language rules: ");
		return FALSE;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".rules"))
			g_ptr_array_add(names, g_build_filename(dir, name, NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; good && i < names->len; i++)
		good = lang_load_file(set, g_ptr_array_index(names, i), err);
	g_ptr_array_free(names, TRUE);
	return good;
}
