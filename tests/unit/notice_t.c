/* notice_t.c - every shipped notice renders for every audience: no
 * placeholder left, plain ASCII, within the SMTP line limits; lookup order
 * (school folder, local folder, shipped) and the default fallback */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "notice.h"
#include "keep_path.h"

static const char *const audiences[] = { "primary_pupil", "secondary_pupil", "staff", "external" };

/* scan_as - a scan whose sender has the audience AUD */
static es_scan *scan_as(es_conf *c, const char *aud)
{
	es_scan *s = es_scan_new(c, "Q1");

	s->school = es_conf_school(c, g_str_has_prefix(aud, "primary") ? 1 : 0);
	s->sender_role = strstr(aud, "pupil") ? ES_ROLE_PUPIL : strcmp(aud, "staff") == 0 ? ES_ROLE_STAFF
										   : ES_ROLE_EXTERNAL;
	s->virus = g_strdup("Eicar-Test-Signature");
	return s;
}

/* lines_ok - the rendered lines are SMTP-safe */
static gboolean lines_ok(char **lines, const char **why)
{
	guint n = g_strv_length(lines);

	if (n == 0 || n > 30)
		return *why = "0 or more than 30 lines", FALSE;
	for (guint i = 0; i < n; i++) {
		if (strlen(lines[i]) > 400)
			return *why = "line over 400 bytes", FALSE;
		if (strchr(lines[i], '{') || strchr(lines[i], '}'))
			return *why = "placeholder left", FALSE;
		for (const char *p = lines[i]; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '%')
				return *why = "not printable ASCII", FALSE;
	}
	return TRUE;
}

/* walk_templates - render every NAME.AUDIENCE.txt in the shipped folder for every audience */
static void walk_templates(es_conf *c, const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer name;

	while (d && (f = g_dir_read_name(d)))
		if (g_str_has_suffix(f, ".txt"))
			g_hash_table_add(names, g_strndup(f, strcspn(f, ".")));
	if (d)
		g_dir_close(d);
	ok(g_hash_table_size(names) >= 5, "found %u notice names", g_hash_table_size(names));
	g_hash_table_iter_init(&it, names);
	while (g_hash_table_iter_next(&it, &name, NULL))
		for (guint a = 0; a < G_N_ELEMENTS(audiences); a++) {
			es_scan *s = scan_as(c, audiences[a]);
			es_verdict v = { .action = ES_ACTION_REJECT, .rule = g_strdup("rule-x"), .categories = g_strdup("bullying") };
			char **lines = es_notice_render(s, &v, name, TRUE, NULL);
			const char *why = "no text";

			ok(lines && lines_ok(lines, &why), "%s for %s renders (%s)", (char *)name, audiences[a],
			   lines && lines_ok(lines, &why) ? "ok" : why);
			g_strfreev(lines);
			es_verdict_clear(&v);
			es_scan_free(s);
		}
	g_hash_table_unref(names);
}

int main(void)
{
	const char *top = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
	char *dir = g_dir_make_tmp("notice_t.XXXXXX", NULL), *path, *tdir, *text;
	es_conf *c;
	es_scan *s;
	es_verdict v = { .action = ES_ACTION_REJECT, .rule = g_strdup("r"), .categories = g_strdup("threat") };
	char **lines;

	path = g_build_filename(dir, "t.conf", NULL);
	text = g_strdup_printf("[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/local\n"
			       "[school:sec]\ndomains = sec.example\nesafety_mailbox = e@sec.example\n"
			       "contact = Mr Brown\n"
			       "[school:pri]\ndomains = pri.example\nesafety_mailbox = e@pri.example\nphase = primary\n",
			       top, dir);
	g_file_set_contents(path, text, -1, NULL);
	c = es_conf_load(path, NULL);
	ok(c != NULL, "config loads");
	tdir = g_strdup_printf("%s/rules/templates", top);
	walk_templates(c, tdir);

	s = scan_as(c, "secondary_pupil");
	lines = es_notice_render(s, &v, "no_such_notice", TRUE, NULL);
	ok(lines && strstr(lines[0], "broke the school's e-safety rules"), "unknown notice falls back to default");
	g_strfreev(lines);
	ok(es_notice_render(s, &v, "no_such_notice", FALSE, NULL) == NULL, "no fallback when not asked for");
	g_mkdir_with_parents(keep_path(g_build_filename(dir, "local", "templates", "sec", NULL)), 0700);
	g_file_set_contents(keep_path(g_build_filename(dir, "local", "templates", "virus.secondary_pupil.txt", NULL)),
			    "local text\n", -1, NULL);
	g_file_set_contents(keep_path(g_build_filename(dir, "local", "templates", "sec", "virus.secondary_pupil.txt", NULL)),
			    "# comment line\nschool text for {school}, ask {contact}\n", -1, NULL);
	lines = es_notice_render(s, &v, "virus", TRUE, NULL);
	is_str(lines ? lines[0] : NULL, "school text for sec, ask Mr Brown", "school's own template wins, comments dropped, placeholders filled");
	g_strfreev(lines);
	es_scan_free(s);
	s = scan_as(c, "staff");
	s->school = es_conf_school(c, 0);
	g_file_set_contents(keep_path(g_build_filename(dir, "local", "templates", "virus.staff.txt", NULL)),
			    "caf\xc3\xa9 100%\n", -1, NULL);
	lines = es_notice_render(s, &v, "virus", TRUE, NULL);
	is_str(lines ? lines[0] : NULL, "cafe 100 ", "local template: non-ASCII transliterated, %% removed");
	g_strfreev(lines);
	/* templates read at (re)load: one being rewritten in place (empty for
	 * a moment) still gives what it said then; without the cache, the
	 * file as it is now */
	s->notices = es_notice_cache_new(c);
	g_file_set_contents(keep_path(g_build_filename(dir, "local", "templates", "virus.staff.txt", NULL)),
			    "", -1, NULL);
	lines = es_notice_render(s, &v, "virus", TRUE, NULL);
	is_str(lines ? lines[0] : NULL, "cafe 100 ", "a template emptied since the load: the text read at load");
	g_strfreev(lines);
	g_hash_table_unref(s->notices);
	s->notices = NULL;
	lines = es_notice_render(s, &v, "virus", TRUE, NULL);
	ok(lines && !lines[0], "read from disk instead: the empty file (%s)", lines && lines[0] ? lines[0] : "empty");
	g_strfreev(lines);
	es_scan_free(s);
	es_verdict_clear(&v);
	es_conf_unref(c);
	g_free(tdir);
	g_free(text);
	g_free(path);
	g_free(dir);
	return done_testing();
}
