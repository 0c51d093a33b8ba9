/* notice.c - render the refusal and hold notices */
#include "config.h"
#include <string.h>
#include "notice.h"

const char *const es_notice_audiences[4] = { "primary_pupil", "secondary_pupil", "staff", "external" };

/* es_notice_audience - who will read the notice */
const char *es_notice_audience(const es_scan *s)
{
	switch (s->sender_role) {
	case ES_ROLE_PUPIL:
		return s->school && g_strcmp0(es_school_string(s->school, "phase"), "primary") == 0
		       ? "primary_pupil" : "secondary_pupil";
	case ES_ROLE_STAFF:
	case ES_ROLE_OTHER:
		return "staff";
	default:
		return "external";
	}
}

/* template_dirs - the folders searched for SCHOOL's templates (NULL: mail
 * of no school), most local first; NULL-terminated, g_strfreev */
static char **template_dirs(const es_conf *conf, const es_school *school)
{
	const char *local = es_conf_string(conf, "milter", "local_rules_dir");
	GPtrArray *dirs = g_ptr_array_new();

	if (school)
		g_ptr_array_add(dirs, g_build_filename(local, "templates", es_school_name(school), NULL));
	g_ptr_array_add(dirs, g_build_filename(local, "templates", NULL));
	g_ptr_array_add(dirs, g_build_filename(es_conf_string(conf, "milter", "rules_dir"), "templates", NULL));
	g_ptr_array_add(dirs, NULL);
	return (char **)g_ptr_array_free(dirs, FALSE);
}

/* find_template - first existing file among SCHOOL's template folders */
static char *find_template(const es_conf *conf, const es_school *school, const char *name,
			   const char *audience, gboolean use_default, GHashTable *cache)
{
	const char *names[] = { name, "default" };
	char **dirs = template_dirs(conf, school), *found = NULL;

	for (guint n = 0; !found && n < (use_default ? G_N_ELEMENTS(names) : 1); n++) {
		char *file = g_strdup_printf("%s.%s.txt", names[n], audience);

		for (char **d = dirs; !found && *d; d++) {
			char *path = g_build_filename(*d, file, NULL);

			/* the templates of the last (re)load first: which file
			 * is used is fixed there too, not only what it says */
			if ((cache && g_hash_table_contains(cache, path)) || g_file_test(path, G_FILE_TEST_IS_REGULAR))
				found = path;
			else
				g_free(path);
		}
		g_free(file);
	}
	g_strfreev(dirs);
	return found;
}

#define CACHE_MAX_BYTES (64 * 1024)	/* a bigger template is read when needed */

/* cache_dir - every *.txt in DIR into CACHE (path -> text), once */
static void cache_dir(GHashTable *cache, const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		char *path, *text;
		gsize len;

		if (!g_str_has_suffix(name, ".txt"))
			continue;
		path = g_build_filename(dir, name, NULL);
		if (!g_hash_table_contains(cache, path) && g_file_get_contents(path, &text, &len, NULL)) {
			if (len <= CACHE_MAX_BYTES) {
				g_hash_table_insert(cache, path, text);
				continue;
			}
			g_free(text);
		}
		g_free(path);
	}
	if (d)
		g_dir_close(d);
}

/* es_notice_cache_new - see notice.h */
GHashTable *es_notice_cache_new(const es_conf *conf)
{
	GHashTable *cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (guint i = 0; i <= es_conf_n_schools(conf); i++) {
		char **dirs = template_dirs(conf, i < es_conf_n_schools(conf) ? es_conf_school(conf, i) : NULL);

		for (char **d = dirs; *d; d++)
			cache_dir(cache, *d);
		g_strfreev(dirs);
	}
	return cache;
}

/* es_notice_exists - see notice.h */
gboolean es_notice_exists(const es_conf *conf, const es_school *school, const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(es_notice_audiences); i++) {
		char *path = find_template(conf, school, name, es_notice_audiences[i], FALSE, NULL);
		gboolean found = path != NULL;

		g_free(path);
		if (found)
			return TRUE;
	}
	return FALSE;
}

/* es_notice_dirs - see notice.h */
char *es_notice_dirs(const es_conf *conf, const es_school *school)
{
	char **dirs = template_dirs(conf, school);
	char *joined = g_strjoinv(", ", dirs);

	g_strfreev(dirs);
	return joined;
}

/* value_of - the text a placeholder stands for */
static const char *value_of(const es_scan *s, const es_verdict *v, const char *ph)
{
	if (strcmp(ph, "school") == 0)
		return s->school ? es_school_name(s->school) : "the school";
	if (strcmp(ph, "contact") == 0)
		return s->school ? es_school_string(s->school, "contact") : "the e-safety lead";
	if (strcmp(ph, "secure_route") == 0)
		return s->school ? es_school_string(s->school, "secure_route") : "an encrypted file";
	if (strcmp(ph, "categories") == 0)
		return v->categories && *v->categories ? v->categories : "policy";
	if (strcmp(ph, "virus") == 0)
		return s->virus ? s->virus : "";
	if (strcmp(ph, "queue_id") == 0)
		return s->qid;
	if (strcmp(ph, "reason") == 0)
		return v->rule ? v->rule : "";
	return NULL;
}

/* substitute - replace {name} placeholders; unknown ones are left as written */
static char *substitute(const es_scan *s, const es_verdict *v, const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;

		if (close && close - p < 32) {
			char *ph = g_strndup(p + 1, (gsize)(close - p - 1));
			const char *val = value_of(s, v, ph);

			g_free(ph);
			if (val) {
				g_string_append(out, val);
				p = close;
				continue;
			}
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* smtp_safe - printable ASCII only, at most MAX bytes; no '%', which
 * libmilter's reply functions would read as a format character */
static char *smtp_safe(const char *line, gsize max)
{
	char *ascii = g_str_to_ascii(line, "C");
	gsize n;

	for (char *p = ascii; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '%')
			*p = ' ';
	n = strlen(ascii);
	if (n > max)
		ascii[max] = '\0';
	return ascii;
}

/* es_notice_render - see notice.h */
char **es_notice_render(const es_scan *s, const es_verdict *v, const char *name,
			gboolean use_default, GError **err)
{
	const char *audience = es_notice_audience(s);
	char *path = find_template(s->conf, s->school, name ? name : "default", audience, use_default, s->notices);
	char *text = NULL, *filled, **lines;
	GPtrArray *out;

	if (path && s->notices && (text = g_strdup(g_hash_table_lookup(s->notices, path)))) {
		/* as read at the last (re)load */
	} else if (!path || !g_file_get_contents(path, &text, NULL, err)) {
		if (!path)
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
				    "no template %s.%s.txt%s", name, audience, use_default ? " nor a default" : "");
		g_free(path);
		return NULL;
	}
	g_free(path);
	filled = substitute(s, v, text);
	lines = g_strsplit(filled, "\n", -1);
	out = g_ptr_array_new();
	for (char **l = lines; *l && out->len < 30; l++) {
		if (**l == '#')
			continue;	/* comments for whoever edits the template */
		g_ptr_array_add(out, smtp_safe(g_strchomp(*l), 400));
	}
	while (out->len && !*(char *)g_ptr_array_index(out, out->len - 1))
		g_free(g_ptr_array_steal_index(out, out->len - 1));
	g_ptr_array_add(out, NULL);
	g_strfreev(lines);
	g_free(filled);
	g_free(text);
	return (char **)g_ptr_array_free(out, FALSE);
}
