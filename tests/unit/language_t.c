/* language_t.c - the language detector through its descriptor, with the
 * shipped rules: labelled cases, findings' fields, config keys, local rules
 * and [context] words, a local list too large for the fast automaton, broken
 * rule files, and bad input (invalid UTF-8, NULs, floods, limits) */
#include "config.h"
#include <string.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "conf.h"
#include "scan.h"
#include "detector.h"
#include "detectors/lang.h"

extern const es_detector es_detector_language;

static char *tmpdir;

/* conf_with - config using the source tree's rules, LOCAL rules and EXTRA lines */
static es_conf *conf_with(const char *local, const char *extra, GError **err)
{
	char *path = g_build_filename(tmpdir, "test.conf", NULL);
	char *text = g_strdup_printf("[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s\n%s",
				     g_getenv("top_srcdir"), local ? local : "/nonexistent", extra ? extra : "");
	es_conf *conf;

	g_file_set_contents(path, text, -1, NULL);
	conf = es_conf_load(path, err);
	g_free(text);
	g_free(path);
	return conf;
}

/* scan - run the detector over TEXT (LEN bytes) as body part "1" */
static es_scan *scan(const es_conf *conf, void *state, const char *text, gssize len)
{
	es_scan *s = es_scan_new(conf, "TESTQID");
	GError *err = NULL;

	es_scan_add_text(s, "1", "body", text, len, FALSE);
	if (!es_detector_language.check(state, s, &err))
		diag("check failed: %s", err ? err->message : "?");
	return s;
}

/* find - the first finding of CATEGORY (NULL: any), or NULL */
static const es_finding *find(const es_scan *s, const char *category)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		if (!category || strcmp(f->category, category) == 0)
			return f;
	}
	return NULL;
}

/* test_cases - every line of tests/language/cases.tsv */
static void test_cases(const es_conf *conf, void *state)
{
	char *path = g_build_filename(g_getenv("top_srcdir"), "tests/language/cases.tsv", NULL);
	char *data = NULL, **lines;

	if (!ok(g_file_get_contents(path, &data, NULL, NULL), "read %s", path))
		return;
	lines = g_strsplit(data, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *tab = strchr(*l, '\t');
		es_scan *s;

		if (**l == '#' || !tab)
			continue;
		*tab = '\0';
		s = scan(conf, state, tab + 1, -1);
		if (strcmp(*l, "-") == 0) {
			const es_finding *f = find(s, NULL);

			if (!ok(f == NULL, "clean: '%s'", tab + 1))
				diag("found %s (%s)", f->rule, f->excerpt);
		} else {
			if (!ok(find(s, *l) != NULL, "%s: '%s'", *l, tab + 1))
				diag("findings: %u", s->findings->len);
		}
		es_scan_free(s);
	}
	g_strfreev(lines);
	g_free(data);
	g_free(path);
}

/* test_finding - what one finding carries; the excerpt is the original text */
static void test_finding(const es_conf *conf, void *state)
{
	es_scan *s = scan(conf, state, "Dear Sam, you are a bellend and I mean it. Bellend!", -1);
	const es_finding *f = find(s, NULL);

	is_int(s->findings->len, 1, "one finding per rule per text");
	if (f) {
		is_str(f->detector, "language", "detector name");
		is_str(f->category, "profanity", "category");
		is_int(f->severity, 2, "severity from the rule");
		is_str(f->rule, "profanity/bellend", "rule id names the term");
		is_str(f->part, "1", "part");
		ok(strstr(f->excerpt, "you are a bellend") != NULL, "excerpt shows the match in context: %s", f->excerpt);
	}
	es_scan_free(s);

	s = scan(conf, state, "oh just f.u.c.k   off\nnow", -1);
	f = find(s, "profanity");
	ok(f && strstr(f->excerpt, "f.u.c.k off") && !strchr(f->excerpt, '\n'),
	   "excerpt comes from the original text, on one line: %s", f ? f->excerpt : "-");
	es_scan_free(s);

	s = es_scan_new(conf, "TESTQID");
	es_scan_add_text(s, "subject", "subject", "hello bellend", -1, FALSE);
	es_scan_add_text(s, "2", "notes.txt", "kys", -1, TRUE);
	es_detector_language.check(state, s, NULL);
	ok(find(s, "profanity") && strcmp(find(s, "profanity")->part, "subject") == 0, "subject scanned");
	ok(find(s, "self_harm") && strcmp(find(s, "self_harm")->part, "2") == 0, "text attachment scanned");
	es_scan_free(s);

	s = scan(conf, state, "dont tell me, the weather was terrible and so were my parents", -1);
	ok(find(s, "grooming") == NULL, "phrase parts too far apart do not match");
	es_scan_free(s);
}

/* filler - N bytes of ordinary words, full of "a" and "you": words that
 * are later parts of phrases, which the scan passes by while no phrase has
 * begun (lang_match.c); ends with a space */
static GString *filler(gsize n)
{
	static const char *const words[] = { "the", "cat", "sat", "on", "a", "mat", "and", "you",
		"saw", "a", "dog", "near", "the", "shop", "with", "some", "bread" };
	GString *g = g_string_new(NULL);

	for (guint i = 0; g->len < n; i++)
		g_string_append_printf(g, "%s ", words[i % G_N_ELEMENTS(words)]);
	return g;
}

/* test_long_phrases - phrases deep in long texts: after many of their later
 * parts with none begun, across the detector's 64 KiB chunks, and not when
 * the parts are too far apart */
static void test_long_phrases(const es_conf *conf, void *state)
{
	GString *g = filler(300000);
	es_scan *s;

	s = scan(conf, state, g->str, (gssize)g->len);
	ok(find(s, NULL) == NULL, "300 KB of ordinary words: nothing found");
	es_scan_free(s);

	g_string_append(g, "ill buy you a new phone if you come round");
	s = scan(conf, state, g->str, (gssize)g->len);
	ok(find(s, "grooming") != NULL, "a phrase after 300 KB of its later parts is found");
	es_scan_free(s);

	for (gsize cut = 65536 - 24; cut <= 65536 + 8; cut += 4) {	/* the phrase across a chunk's end */
		GString *h = filler(cut);

		g_string_append(h, "ill buy you a new phone ");
		g_string_append(h, g->str);
		s = scan(conf, state, h->str, (gssize)h->len);
		if (!ok(find(s, "grooming") != NULL, "phrase starting at byte %zu, across the first chunk's end, found", h->len - g->len - 24))
			diag("findings: %u", s->findings->len);
		es_scan_free(s);
		g_string_free(h, TRUE);
	}
	g_string_free(g, TRUE);

	g = filler(100000);
	g_string_append(g, "ill buy you one of those things later when we meet at the shop a new phone ");
	s = scan(conf, state, g->str, (gssize)g->len);
	ok(find(s, "grooming") == NULL, "parts of a phrase ten words apart do not match");
	es_scan_free(s);
	g_string_free(g, TRUE);
}

/* test_config - [language] enabled and min_severity */
static void test_config(void)
{
	es_conf *conf = conf_with(NULL, "[language]\nmin_severity = 5\n", NULL);
	void *state = es_detector_language.load(conf, NULL);
	es_scan *s = scan(conf, state, "you bellend, kys", -1);

	ok(find(s, "profanity") == NULL && find(s, "self_harm") != NULL, "min_severity 5 keeps only severity 5");
	es_scan_free(s);
	es_detector_language.unload(state);
	es_conf_unref(conf);

	conf = conf_with(NULL, "[language]\nenabled = no\n", NULL);
	state = es_detector_language.load(conf, NULL);
	ok(state != NULL, "switched off: load gives a state that does nothing");
	s = scan(conf, state, "you bellend, kys", -1);
	is_int(s->findings->len, 0, "switched off: no findings");
	es_scan_free(s);
	es_detector_language.unload(state);
	es_conf_unref(conf);
}

/* write_local - LOCAL/language/local.rules with TEXT */
static char *write_local(const char *name, const char *text)
{
	char *dir = g_build_filename(tmpdir, name, "language", NULL);
	char *file = g_build_filename(dir, "local.rules", NULL);

	g_mkdir_with_parents(dir, 0700);
	g_file_set_contents(file, text, -1, NULL);
	g_free(file);
	g_free(dir);
	return g_build_filename(tmpdir, name, NULL);
}

/* test_local - a school's own rules add terms and allow words; broken ones are refused */
static void test_local(void)
{
	char *local = write_local("good", "# our terms\n[bullying]\n2 smeghead{,s}\n2 McIlroy\n[allow]\nbellend\n");
	es_conf *conf = conf_with(local, NULL, NULL);
	GError *err = NULL;
	void *state = es_detector_language.load(conf, &err);
	es_scan *s;

	ok(state != NULL, "local rules load");
	s = scan(conf, state, "you smegheads", -1);
	ok(find(s, "bullying") != NULL, "a local term is found");
	es_scan_free(s);
	s = scan(conf, state, "you bellend", -1);
	ok(find(s, NULL) == NULL, "a locally allowed word is not");
	es_scan_free(s);
	for (gsize i = 0; i < 3; i++) {
		static const char *const forms[] = { "MCILROY", "mcilroy", "McIlroy" };

		s = scan(conf, state, forms[i], -1);
		ok(find(s, "bullying") != NULL, "a term written with capitals matches %s", forms[i]);
		es_scan_free(s);
	}
	es_detector_language.unload(state);
	es_conf_unref(conf);
	g_free(local);

	static const struct { const char *text, *what; } broken[] = {
		{ "[bullying]\n2 fine\nx smeghead\n", "bad severity" },
		{ "[bullying]\n2 fine\n[nonsense]\n", "unknown section" },
		{ "[bullying]\n2 fine\n2 smeg{head\n", "unbalanced brace" },
		{ "[bullying]\n2 fine\n2 sm*eg\n", "'*' inside a word" },
		{ "[bullying]\n2 fine\n2 ... smeg\n", "'...' not between words" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(broken); i++) {
		local = write_local("bad", broken[i].text);
		conf = conf_with(local, NULL, NULL);
		err = NULL;
		state = es_detector_language.load(conf, &err);
		ok(state == NULL && err && strstr(err->message, "local.rules:3:"),
		   "%s: refused, naming file and line: %s", broken[i].what, err ? err->message : "(no error)");
		g_clear_error(&err);
		es_conf_unref(conf);
		g_free(local);
	}
}

/* test_context - a school's [context] words drop a term near them, and
 * only near them; a broken [context] line is refused */
static void test_context(void)
{
	char *local = write_local("ctx", "[bullying]\n2 smeg\n[context]\nsmeg: dwarf red\n");
	es_conf *conf = conf_with(local, NULL, NULL);
	void *state = es_detector_language.load(conf, NULL);
	es_scan *s;

	ok(state != NULL, "local [context] loads");
	s = scan(conf, state, "Red Dwarf is where smeg is said", -1);
	ok(find(s, "bullying") == NULL, "a context word within four words: not reported");
	es_scan_free(s);
	s = scan(conf, state, "red, then one two three four five, smeg", -1);
	ok(find(s, "bullying") != NULL, "a context word further off: reported");
	es_scan_free(s);
	s = scan(conf, state, "you smeg", -1);
	ok(find(s, "bullying") != NULL, "no context word: reported");
	es_scan_free(s);
	es_detector_language.unload(state);
	es_conf_unref(conf);
	g_free(local);

	static const char *const broken[] = {
		"[bullying]\n2 smeg\nsmeg dwarf\n",
		"[context]\n#\nsmeg dwarf\n",
		"[context]\n\n: dwarf\n",
		"[context]\n\nsmeg:\n",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(broken); i++) {
		GError *err = NULL;

		local = write_local("badctx", broken[i]);
		conf = conf_with(local, NULL, NULL);
		state = es_detector_language.load(conf, &err);
		ok(state == NULL && err && strstr(err->message, "local.rules:3:"),
		   "broken context line %zu: refused, naming file and line: %s", i, err ? err->message : "(no error)");
		if (state)
			es_detector_language.unload(state);
		g_clear_error(&err);
		es_conf_unref(conf);
		g_free(local);
	}
}

/* test_big_rules - a local list large enough that the automaton leaves
 * 16-bit cells is still matched right (the slower, general walk) */
static void test_big_rules(void)
{
	GString *text = g_string_new("[bullying]\n");
	GRand *r = g_rand_new_with_seed(7);
	es_conf *conf;
	void *state;
	es_scan *s;
	char *local;

	for (guint i = 0; i < 1200; i++) {
		g_string_append(text, "2 ");
		for (guint k = 0; k < 10; k++)
			g_string_append_c(text, (char)('a' + g_rand_int_range(r, 0, 26)));
		g_string_append_c(text, '\n');
	}
	g_string_append(text, "2 zorblax\n");
	local = write_local("big", text->str);
	conf = conf_with(local, NULL, NULL);
	state = es_detector_language.load(conf, NULL);
	ok(state && ((const lang_set *)state)->delta16 == NULL,
	   "a large local list loads, into 32-bit cells (%u states)", state ? ((const lang_set *)state)->nstates : 0);
	s = scan(conf, state, "hello zorblaaax, and you b*llend", -1);
	ok(find(s, "bullying") && find(s, "profanity"), "large automaton: words and masked words found");
	es_scan_free(s);
	s = scan(conf, state, "nothing to see here", -1);
	is_int(s->findings->len, 0, "large automaton: clean text stays clean");
	es_scan_free(s);
	es_detector_language.unload(state);
	es_conf_unref(conf);
	g_free(local);
	g_rand_free(r);
	g_string_free(text, TRUE);
}

/* raw_text - an es_text the core did not clean (the detector must cope anyway) */
static void raw_text(es_scan *s, const char *bytes, gsize len)
{
	es_text *t = g_new0(es_text, 1);

	t->part = g_strdup("9");
	t->label = g_strdup("raw");
	t->text = g_malloc(len + 1);
	memcpy(t->text, bytes, len);
	t->text[len] = '\0';
	t->len = len;
	g_ptr_array_add(s->texts, t);
}

/* test_bad_input - invalid UTF-8, NULs, a 20 MB line, 100,000 stars, limits */
static void test_bad_input(const es_conf *conf, void *state)
{
	static const char bad[] = "\xff\xfe bell\xc3\x28 bellend \0\0 kys \xe2\x82";
	gsize big = 20 * 1024 * 1024;
	char *line = g_malloc(big + 1);
	es_scan *s = es_scan_new(conf, "TESTQID");

	raw_text(s, bad, sizeof(bad) - 1);
	ok(es_detector_language.check(state, s, NULL), "raw invalid UTF-8 with NULs: checked");
	ok(find(s, "profanity") && find(s, "self_harm"), "words around bad bytes and after NULs found");
	es_scan_free(s);
	s = scan(conf, state, "hello\0\0 you bellend", 20);
	ok(find(s, "profanity") != NULL, "text after NUL bytes is scanned");
	es_scan_free(s);

	memset(line, 'a', big);
	memcpy(line + big - 4, " kys", 4);
	line[big] = '\0';
	s = es_scan_new(conf, "TESTQID");
	s->limits.max_text = (gint64)big + 1;
	es_scan_add_text(s, "1", "body", line, (gssize)big, FALSE);
	es_scan_add_text(s, "2", "body", "then a bellend", -1, FALSE);
	ok(es_detector_language.check(state, s, NULL), "20 MB single line: checked");
	ok(find(s, "self_harm") != NULL, "20 MB single line: its last word is found");
	ok(find(s, "profanity") != NULL, "20 MB single line: the next part is still scanned");
	es_scan_free(s);

	/* spaced letters at the 64 KB chunk boundary are not cut apart */
	{
		int missed = 0;

		for (gsize fill = 65520; fill <= 65545; fill++) {
			memset(line, 'x', fill);
			strcpy(line + fill, " f u c k you and fu ck off");
			s = scan(conf, state, line, -1);
			missed += find(s, "profanity") == NULL;
			es_scan_free(s);
			strcpy(line + fill, " f u c k you\n");	/* at the very end of the text */
			s = scan(conf, state, line, -1);
			missed += find(s, "profanity") == NULL;
			es_scan_free(s);
			/* and before a word longer than the look-ahead */
			strcpy(line + fill, " f u c k ");
			memset(line + fill + 9, 'y', 5000);
			line[fill + 9 + 5000] = '\0';
			s = scan(conf, state, line, -1);
			missed += find(s, "profanity") == NULL;
			es_scan_free(s);
		}
		is_int(missed, 0, "'f u c k' placed on every offset around the 64 KB chunk boundary is found");
	}

	/* "x@a@a@a...": each "@" used to rescan the rest of the word */
	line[0] = 'x';
	for (gsize i = 1; i + 2 < 2 * 1024 * 1024; i += 2)
		memcpy(line + i, "@a", 2);
	strcpy(line + 2 * 1024 * 1024 - 1, " bellend");
	s = es_scan_new(conf, "TESTQID");
	s->limits.max_text = (gint64)big;
	s->limits.deadline_us = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	es_scan_add_text(s, "1", "body", line, -1, FALSE);
	es_detector_language.check(state, s, NULL);
	ok(find(s, "profanity") != NULL, "a 2 MB word of '@a' is read within the scan time: the word after it is found");
	es_scan_free(s);

	memset(line, '*', 100000);
	strcpy(line + 100000, " bellend");
	s = scan(conf, state, line, -1);
	is_int(s->findings->len, 1, "100,000 stars: nothing from the stars, the word after found");
	es_scan_free(s);

	memset(line, 'a', 4000);
	strcpy(line + 4000, " kys");
	s = es_scan_new(conf, "TESTQID");
	s->limits.max_text = 1024;
	es_scan_add_text(s, "1", "body", line, -1, FALSE);
	es_detector_language.check(state, s, NULL);
	is_int(s->findings->len, 0, "text past limits.max_text is not scanned");
	es_scan_free(s);

	s = es_scan_new(conf, "TESTQID");
	s->limits.deadline_us = 0;
	es_scan_add_text(s, "1", "body", "kys", -1, FALSE);
	ok(es_detector_language.check(state, s, NULL) && s->errors->len == 1,
	   "out of time: stops and says so in the scan's errors");
	es_scan_free(s);
	g_free(line);
}

int main(void)
{
	GError *err = NULL;
	es_conf *conf;
	void *state;

	if (!g_getenv("top_srcdir"))
		g_setenv("top_srcdir", ".", TRUE);
	tmpdir = g_dir_make_tmp("language_t-XXXXXX", NULL);
	ok(es_detector_find("language") == &es_detector_language, "registered as \"language\"");
	conf = conf_with(NULL, NULL, &err);
	if (!ok(conf != NULL, "config loads") && err)
		diag("%s", err->message);
	state = conf ? es_detector_language.load(conf, &err) : NULL;
	if (!ok(state != NULL, "shipped rules load"))
		diag("%s", err ? err->message : "?");
	if (state) {
		test_cases(conf, state);
		test_finding(conf, state);
		test_bad_input(conf, state);
		test_long_phrases(conf, state);
		test_config();
		test_local();
		test_context();
		test_big_rules();
		es_detector_language.unload(state);
	}
	if (conf)
		es_conf_unref(conf);
	{
		char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
		ok(system(cmd) == 0, "temporary files removed");
		g_free(cmd);
	}
	return done_testing();
}
