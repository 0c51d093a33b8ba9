/* html_sheet.c - the rules of an HTML part's <style> elements that keep a
 * reader from seeing an element's text, kept by the selector they end in
 * and matched in linear time and bounded memory whatever a sender writes */
#include "config.h"
#include <string.h>
#include "html_css.h"
#include "html_css_priv.h"

#define RULES_MAX 64		/* selectors kept; hiding ones past it are folded into a filter */
#define FRAMES_MAX 8		/* blocks nested in a style sheet (@media, nesting); deeper ones are skipped */

/* Style sheets. Only rules whose selectors end in a tag, class, id or
 * attribute are kept, keyed "kind tag name" (kind 't' for a tag, '.' a
 * class, '#' an id, '[' an attribute, named as attr_selector keys it). A selector read only in part (".a .x", ".x.y", ".x:hover"), or a
 * rule that applies only at times (inside @media, @supports, another
 * rule, a <style media=print>), is taken to match more than it does and
 * to outrank other rules, so it only ever hides more; what it would show
 * is dropped. Class and id names keep their case: a rule shows an element
 * only when they match exactly (as in a document with a doctype), and
 * hides it also when they match in another case (as in one without).
 * Attribute values match only in their case, as in any document. */

struct es_css_sheet {
	GHashTable *rules;	/* key -> es_css_says */
	GHashTable *folded_rules;	/* the keys in lower case -> what their rules hide */
	guint32 order;		/* of the last rule read */
	guint8 folded[65536];	/* a filter of the keys folded: both halves of each one's hash */
	es_css_says overflow_says;	/* what the keys folded hide, outranking all */
	GHashTable *attr_ops;	/* the attributes rules are keyed by -> the ATTR_ operators they ask */
};

/* what attribute selectors of a name ask, so others are not looked up */
enum { ATTR_HAS = 1, ATTR_IS = 2, ATTR_WORD = 4, ATTR_DASH = 8 };

/* a selector's target, as kept */
typedef struct {
	char *key;
	guint spec;		/* RANK_SPEC_MAX for one read in part */
	gboolean exact;
} target;

/* escape_end - where the CSS escape at P ('\') ends: up to six hex digits
 * and one white space, or one character; *CP its code point */
static const char *escape_end(const char *p, gunichar *cp)
{
	const char *q = p + 1;

	*cp = 0;
	for (int n = 0; n < 6 && g_ascii_isxdigit(*q); n++)
		*cp = *cp * 16 + (gunichar)g_ascii_xdigit_value(*q++);
	if (q > p + 1)
		return g_ascii_isspace(*q) ? q + 1 : q;
	*cp = (guchar)*q;
	return *q ? q + 1 : q;
}

/* ident - read the identifier at P into OUT (escapes decoded; in lower
 * case if FOLD); returns its end */
static const char *ident(const char *p, GString *out, gboolean fold)
{
	gunichar cp;

	g_string_truncate(out, 0);
	for (;;) {
		if (*p == '\\' && p[1]) {
			p = escape_end(p, &cp);
			if (cp == 0 || !g_unichar_validate(cp))
				cp = 0xfffd;
			g_string_append_unichar(out, cp < 0x80 && fold ? (gunichar)g_ascii_tolower((char)cp) : cp);
		} else if (g_ascii_isalnum(*p) || *p == '-' || *p == '_' || (guchar)*p >= 0x80) {
			g_string_append_c(out, fold ? g_ascii_tolower(*p) : *p);
			p++;
		}
		else
			return p;
	}
}

/* compound_end - where the compound selector at P ends: at white space or
 * a combinator outside brackets */
static const char *compound_end(const char *p)
{
	int nest = 0;
	gunichar cp;

	while (*p) {
		if (*p == '\\' && p[1]) {
			p = escape_end(p, &cp);
			continue;
		}
		if (*p == '(' || *p == '[')
			nest++;
		else if ((*p == ')' || *p == ']') && nest)
			nest--;
		else if (!nest && (g_ascii_isspace(*p) || strchr(">+~", *p)))
			break;
		p++;
	}
	return p;
}

/* last_compound - the compound selector SEL ends with; *ALONE whether it is
 * the only one */
static const char *last_compound(const char *sel, gboolean *alone)
{
	const char *last = NULL;
	guint n = 0;

	for (const char *p = sel; *p;) {
		if (g_ascii_isspace(*p) || strchr(">+~", *p)) {
			p++;
			continue;
		}
		last = p;
		n++;
		p = compound_end(p);
	}
	*alone = n == 1;
	return last;
}

/* pseudo_keyable - whether the pseudo-class at P (':') still leaves its
 * element's text its own: not a pseudo-element, whose declarations style
 * other text, nor :not(), which matches what the rest does not */
static gboolean pseudo_keyable(const char *p)
{
	static const char *const elements = " before after first-line first-letter marker placeholder selection ";
	GString *name = g_string_new(NULL);
	const char *after = ident(p + 1, name, TRUE);
	gboolean keyable = p[1] != ':' && !es_html_word_in(elements, name->str) &&
		!(strcmp(name->str, "not") == 0 && *after == '(');

	g_string_free(name, TRUE);
	return keyable;
}

/* attr_value - read the value of an attribute selector at P, a string or
 * an identifier, into OUT (escapes decoded); returns its end */
static const char *attr_value(const char *p, GString *out)
{
	gunichar cp;
	char quote = *p;

	if (quote != '"' && quote != '\'')
		return ident(p, out, FALSE);
	g_string_truncate(out, 0);
	for (p++; *p && *p != quote;) {
		if (*p == '\\' && p[1]) {
			p = escape_end(p, &cp);
			g_string_append_unichar(out, cp && g_unichar_validate(cp) ? cp : 0xfffd);
		} else
			g_string_append_c(out, *p++);
	}
	return *p ? p + 1 : p;
}

/* attr_selector - the key of the attribute selector at P ('['): "name"
 * for [name], and the value after '=', '~' or '|' for those operators
 * ("title=a"); *PARTIAL if it is read in part (^=, $=, *=, the i flag:
 * keyed "name"), *NEVER if it matches nothing; returns its end, NULL if it
 * is not one */
static const char *attr_selector(const char *p, GString *key, gboolean *partial, gboolean *never)
{
	GString *value = g_string_new(NULL);
	char op = 0;

	while (g_ascii_isspace(*++p))
		;
	p = ident(p, key, TRUE);
	while (g_ascii_isspace(*p))
		p++;
	if (*p == '=' || (*p && strchr("~|^$*", *p) && p[1] == '=')) {
		op = *p;
		p += 1 + (op != '=');
		while (g_ascii_isspace(*p))
			p++;
		p = attr_value(p, value);
		while (g_ascii_isspace(*p))
			p++;
		if (g_ascii_tolower(*p) == 'i' || g_ascii_tolower(*p) == 's')
			*partial |= g_ascii_tolower(*p++) == 'i';
		while (g_ascii_isspace(*p))
			p++;
	}
	if (*p != ']' || !key->len) {
		g_string_free(value, TRUE);
		return NULL;
	}
	if (op && strchr("^$*", op))
		*partial = TRUE;
	*never |= op && strchr("^$*~", op) && !value->len;
	*never |= op == '~' && strpbrk(value->str, " \t\n\r\f");
	if (op && strchr("=~|", op))
		g_string_append_printf(key, "%c%s", op, value->str);
	g_string_free(value, TRUE);
	return p + 1;
}

/* subject - the target of selector SEL, from its last compound, keyed by
 * its id, else a class, else an attribute, else its tag; FALSE for one
 * that cannot be or matches nothing, or one read in part keyed by its tag */
static gboolean subject(const char *sel, target *t)
{
	gboolean alone, partial, ok = TRUE;
	const char *p = last_compound(sel, &alone), *end = p ? compound_end(p) : NULL;
	GString *tag = g_string_new(NULL), *name = g_string_new(NULL), *cur = g_string_new(NULL);
	GString *attr = g_string_new(NULL);
	char kind = 't';
	guint picked = 0, attrs = 0;	/* ids and classes; attribute selectors */
	gboolean attr_partial = FALSE, never = FALSE, root = FALSE;

	partial = !alone || (p && *p == '&');	/* "&" is the rule it is nested in */
	if (p && end - p == 5 && g_ascii_strncasecmp(p, ":root", 5) == 0) {
		g_string_assign(tag, "html");	/* the root is always the html element */
		root = TRUE;
		p = end;
	} else if (p && (*p == '*' || *p == '&'))
		p++;
	else if (p)
		p = ident(p, tag, TRUE);
	while (ok && p < end) {
		char k = *p;

		if ((k == '.' || k == '#') && (p = ident(p + 1, cur, FALSE)) && cur->len) {
			partial |= picked++ > 0;
			if (k == '#' || kind != '#') {
				kind = k;
				g_string_assign(name, cur->str);
			}
		} else if (k == '[' && (p = attr_selector(p, cur, &attr_partial, &never))) {
			if (attrs++ == 0)
				g_string_assign(attr, cur->str);
		} else if (p && k == ':' && pseudo_keyable(p)) {
			partial = TRUE;
			break;
		} else
			ok = FALSE;
	}
	if (attrs && kind == 't') {
		kind = '[';
		g_string_assign(name, attr->str);
		partial |= attrs > 1 || attr_partial;
	} else
		partial |= attrs > 0;
	ok &= p != NULL && !never && !(partial && kind == 't');
	if (ok) {
		t->exact = !partial;
		t->spec = partial ? RANK_SPEC_MAX
			: (guint)((kind == '#') << 6 | (kind == '.' || kind == '[' || root) << 3 | (tag->len > 0 && !root));
		t->key = g_strdup_printf("%c%s %s", kind, tag->str, name->str);
	}
	g_string_free(tag, TRUE);
	g_string_free(name, TRUE);
	g_string_free(cur, TRUE);
	g_string_free(attr, TRUE);
	return ok;
}

/* selectors - the targets of the selector list SEL */
static GArray *selectors(const char *sel)
{
	GArray *targets = g_array_new(FALSE, FALSE, sizeof(target));
	char **list = g_strsplit(sel, ",", -1);
	target t;

	for (char **s = list; *s; s++)
		if (subject(*s, &t))
			g_array_append_val(targets, t);
	g_strfreev(list);
	return targets;
}

/* keep_in - merge SAYS into what TABLE keeps for KEY; FALSE when it is
 * full (RULES_MAX keys) and does not have KEY */
static gboolean keep_in(GHashTable *table, const char *key, const es_css_says *says)
{
	es_css_says *kept = g_hash_table_lookup(table, key);

	if (!kept && g_hash_table_size(table) < RULES_MAX) {
		kept = g_new(es_css_says, 1);
		es_css_says_init(kept);
		g_hash_table_insert(table, g_strdup(key), kept);
	}
	if (kept)
		es_css_merge(says, kept);
	return kept != NULL;
}

/* note_attr - note the attribute and operator of KEY ("[tag name=value",
 * lower case) in SHEET */
static void note_attr(es_css_sheet *sheet, const char *key)
{
	const char *name = strchr(key, ' ') + 1;
	gsize n = strcspn(name, "=~|");
	char *attr = g_strndup(name, n);
	guint ops = GPOINTER_TO_UINT(g_hash_table_lookup(sheet->attr_ops, attr));

	ops |= !name[n] ? ATTR_HAS : name[n] == '=' ? ATTR_IS : name[n] == '~' ? ATTR_WORD : ATTR_DASH;
	g_hash_table_replace(sheet->attr_ops, attr, GUINT_TO_POINTER(ops));
}

/* keep - what SAYS for the selectors keyed KEY, kept in SHEET; what it
 * hides also under KEY in lower case if FOLD. Past RULES_MAX what hides is folded
 * into the filter, so a sender cannot push the rule that hides a decoy out
 * with a thousand before it. */
static void keep(es_css_sheet *sheet, const char *key, const es_css_says *says, gboolean fold)
{
	es_css_says hides = *says;
	char *lower = g_ascii_strdown(key, -1);
	guint h = g_str_hash(lower);	/* the filter, as look() asks it, in lower case */

	es_css_only_hides(&hides);
	if (key[0] == '[')
		note_attr(sheet, lower);
	if (!(keep_in(sheet->rules, key, says) & (!fold || keep_in(sheet->folded_rules, lower, &hides)))) {
		/* custom properties past the cap: var() of them hides nothing */
		sheet->overflow_says.custom_lost |= says->custom[0].name != 0 || says->custom_lost;
		for (guint i = 0; i < ES_CSS_PROPS; i++)
			if (hides.rank[i]) {
				sheet->overflow_says.says[i] = hides.says[i];
				sheet->overflow_says.rank[i] = G_MAXUINT32;
				sheet->folded[h & 0xffff] = sheet->folded[h >> 16] = 1;
			}
	}
	g_free(lower);
}

/* a block open in a style sheet: a rule's declarations, or a group of rules */
typedef struct {
	GArray *targets;	/* a rule's (target), NULL for a group (@media...) */
	es_css_says decls;
} frame;

/* folded_attr - KEY ("[TAG NAME=VALUE") names an attribute whose value HTML
 * matches in any case (the HTML standard's list: lang, dir, type, align...),
 * so its rule hides in any case too; other values match in their own case */
static gboolean folded_attr(const char *key)
{
	static const char *const names = " accept accept-charset align alink axis bgcolor charset checked clear "
		"codetype color compact declare defer dir direction disabled enctype face frame hreflang http-equiv "
		"lang language link media method multiple nohref noresize noshade nowrap readonly rel rev rules "
		"scope scrolling selected shape target text type valign valuetype vlink ";
	const char *name = strchr(key, ' ');
	char *attr;
	gboolean in;

	if (!name)
		return FALSE;
	attr = g_strndup(name + 1, strcspn(name + 1, "=~|"));
	in = es_html_word_in(names, attr);
	g_free(attr);
	return in;
}

/* close_rule - keep what rule F declares, its last declaration running from
 * P to END, for each of its targets */
static void close_rule(es_css_sheet *sheet, frame *f, const char *p, const char *end)
{
	es_css_says says;

	if (!f->targets)
		return;
	es_css_declarations(p, end, &f->decls);
	if (sheet->order < RANK_ORDER_MAX)
		sheet->order++;
	for (guint i = 0; i < f->targets->len; i++) {
		target *t = &g_array_index(f->targets, target, i);

		says = es_css_ranked(&f->decls, t->spec << RANK_SPEC_SHIFT | sheet->order, !t->exact);
		/* attribute values match in their case, but for those HTML
		 * lists (lang=EN is [lang=en]) */
		keep(sheet, t->key, &says, t->key[0] != '[' || !t->exact || folded_attr(t->key));
		g_free(t->key);
	}
	g_array_free(f->targets, TRUE);
}

/* open_block - open the block whose prelude runs from P to END in F: a
 * rule, or a group of rules (@media, @supports...), whose rules are read
 * whatever the condition; FALSE for one to skip (@font-face, @keyframes).
 * A rule in a group or another rule, or in a sheet that applies only at
 * times (CONDITIONAL), only hides. */
static gboolean open_block(frame *f, const char *p, const char *end, gboolean conditional)
{
	static const char *const groups = " @media @supports @layer @container @document @-moz-document @scope ";
	char *prelude = g_strstrip(g_strndup(p, (gsize)(end - p)));
	gboolean open = TRUE;

	f->targets = NULL;
	es_css_says_init(&f->decls);
	if (prelude[0] == '@') {
		prelude[strcspn(prelude, " \t\r\n\f(")] = '\0';
		for (char *q = prelude; *q; q++)
			*q = g_ascii_tolower(*q);
		open = es_html_word_in(groups, prelude);
	} else {
		f->targets = selectors(prelude);
		for (guint i = 0; conditional && i < f->targets->len; i++) {
			target *t = &g_array_index(f->targets, target, i);

			t->exact = FALSE;
			t->spec = RANK_SPEC_MAX;
		}
	}
	g_free(prelude);
	return open;
}

/* read_rules - keep the rules of the style sheet CSS (END its end, comments
 * gone) in SHEET; one pass, so nesting costs nothing more. A block left
 * open at the end is closed there, as browsers close it. */
static void read_rules(es_css_sheet *sheet, const char *css, const char *end, gboolean conditional)
{
	frame frames[FRAMES_MAX];
	guint depth = 0, skip = 0;	/* blocks open; and open in one skipped */
	const char *tok = css;	/* where the prelude or declaration read began */

	for (const char *p = css; p < end; p++) {
		if (*p == '"' || *p == '\'')
			p = es_css_string_end(p, end);
		else if (*p == '\\')
			p += p + 1 < end;
		else if (skip) {
			skip += (*p == '{') - (*p == '}');
			tok = p + 1;
		} else if (*p == ';') {
			if (depth && frames[depth - 1].targets)
				es_css_declarations(tok, p, &frames[depth - 1].decls);
			tok = p + 1;
		} else if (*p == '{') {
			if (depth < FRAMES_MAX && open_block(&frames[depth], tok, p, conditional || depth > 0))
				depth++;
			else
				skip = 1;
			tok = p + 1;
		} else if (*p == '}') {
			if (depth)
				close_rule(sheet, &frames[--depth], tok, p);
			tok = p + 1;
		}
	}
	while (depth) {
		close_rule(sheet, &frames[--depth], tok, end);
		tok = end;
	}
}

/* es_css_sheet_new - no rules yet; es_css_sheet_free it */
es_css_sheet *es_css_sheet_new(void)
{
	es_css_sheet *sheet = g_new0(es_css_sheet, 1);

	sheet->rules = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	sheet->folded_rules = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	sheet->attr_ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	es_css_says_init(&sheet->overflow_says);
	return sheet;
}

/* es_css_sheet_add - add the rules of a <style> element's text CSS */
void es_css_sheet_add(es_css_sheet *sheet, const char *css, gsize len, gboolean conditional)
{
	GString *clean = es_css_without_comments(css, len);

	read_rules(sheet, clean->str, clean->str + clean->len, conditional);
	g_string_free(clean, TRUE);
}

/* es_css_sheet_free - safe with NULL */
void es_css_sheet_free(es_css_sheet *sheet)
{
	if (!sheet)
		return;
	g_hash_table_destroy(sheet->rules);
	g_hash_table_destroy(sheet->folded_rules);
	g_hash_table_destroy(sheet->attr_ops);
	g_free(sheet);
}

/* look - apply to C the rules keyed KIND, TAG and PRE then NAME (LEN
 * bytes): all they say where the name's case matches, what they hide where
 * it does not; KEY[2] scratch buffers */
static void look(const es_css_sheet *sheet, GString **key, char kind, const char *tag, const char *pre,
		 const char *name, gsize len, es_css_says *c)
{
	const es_css_says *kept;
	guint h;

	g_string_truncate(key[0], 0);
	g_string_append_c(key[0], kind);
	g_string_append(key[0], tag);
	g_string_append_c(key[0], ' ');
	g_string_append(key[0], pre);
	g_string_append_len(key[0], name, (gssize)len);
	g_string_assign(key[1], key[0]->str);
	for (gsize i = 0; i < key[1]->len; i++)
		key[1]->str[i] = g_ascii_tolower(key[1]->str[i]);
	if ((kept = g_hash_table_lookup(sheet->folded_rules, key[1]->str)))
		es_css_merge(kept, c);
	h = g_str_hash(key[1]->str);
	if (sheet->folded[h & 0xffff] && sheet->folded[h >> 16])
		es_css_merge(&sheet->overflow_says, c);
	/* then the same rules as written, which say more where the case matches */
	if ((kept = g_hash_table_lookup(sheet->rules, key[0]->str)))
		es_css_merge(kept, c);
}

/* es_css_match - apply the rules of SHEET for an element TAG (lower case)
 * of CLASSES and ID (as written); each of its classes is looked up once per tag, so a
 * hundred thousand of them cost no more than reading them */
void es_css_match(const es_css_sheet *sheet, const char *tag, const char *classes, const char *id, es_css_says *c)
{
	GString *key[2] = { g_string_new(NULL), g_string_new(NULL) };

	c->custom_lost |= sheet->overflow_says.custom_lost;
	for (int any = 0; any < 2; any++) {
		const char *t = any ? "" : tag;

		look(sheet, key, 't', t, "", "", 0, c);
		if (id && *id)
			look(sheet, key, '#', t, "", id, strlen(id), c);
		for (const char *p = classes; p && *p;) {
			gsize n = strcspn(p, " \t\n\f\r");

			if (n)
				look(sheet, key, '.', t, "", p, n, c);
			p += n + (p[n] != '\0');
		}
	}
	g_string_free(key[0], TRUE);
	g_string_free(key[1], TRUE);
}

/* es_css_match_attr - apply the rules of SHEET keyed by attribute NAME of
 * an element TAG: the rules for it present, for its VALUE, for each word
 * of it, and for it up to a '-'; only those some rule asks for */
void es_css_match_attr(const es_css_sheet *sheet, const char *tag, const char *name, const char *value,
		       es_css_says *c)
{
	guint ops = GPOINTER_TO_UINT(g_hash_table_lookup(sheet->attr_ops, name));
	GString *key[2] = { g_string_new(NULL), g_string_new(NULL) };
	char *is = g_strconcat(name, "=", NULL), *word = g_strconcat(name, "~", NULL);
	char *dashed = g_strconcat(name, "|", NULL);
	gsize dash = strcspn(value, "-");

	for (int any = 0; ops && any < 2; any++) {
		const char *t = any ? "" : tag;

		if (ops & ATTR_HAS)
			look(sheet, key, '[', t, name, "", 0, c);
		if (ops & ATTR_IS)
			look(sheet, key, '[', t, is, value, strlen(value), c);
		if (ops & ATTR_DASH)
			look(sheet, key, '[', t, dashed, value, strlen(value), c);
		if ((ops & ATTR_DASH) && value[dash])
			look(sheet, key, '[', t, dashed, value, dash, c);
		for (const char *p = value; (ops & ATTR_WORD) && *p;) {
			gsize n = strcspn(p, " \t\n\f\r");

			if (n)
				look(sheet, key, '[', t, word, p, n, c);
			p += n + (p[n] != '\0');
		}
	}
	g_free(is);
	g_free(word);
	g_free(dashed);
	g_string_free(key[0], TRUE);
	g_string_free(key[1], TRUE);
}

/* es_css_sheet_keys_attr - whether a rule of SHEET (or NULL) is keyed by
 * attribute NAME (lower case) */
gboolean es_css_sheet_keys_attr(const es_css_sheet *sheet, const char *name)
{
	return sheet && g_hash_table_contains(sheet->attr_ops, name);
}
