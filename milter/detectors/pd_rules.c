/* pd_rules.c - the personal-data rules: personal_data.rules (a key file:
 * [general] and one group per type) and meeting.txt (one phrase a line),
 * shipped in rules_dir and overridden or added to from local_rules_dir. */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "pd_internal.h"

/* Both key files: a key in the local one (if any) wins. */
typedef struct {
	GKeyFile *shipped, *local;
	const char *path, *local_path;
} pd_files;

/* locate - "PATH:LINE" of GROUP's KEY (of the [GROUP] line if KEY is NULL),
 * or of the first line that is TEXT (a line GKeyFile could not read); PATH
 * alone if not found. Only for error messages: GKeyFile keeps no lines. */
static char *locate(const char *path, const char *group, const char *key, const char *text)
{
	char *data = NULL, **lines, *cur = NULL, *where = NULL;

	if (!g_file_get_contents(path, &data, NULL, NULL))
		return g_strdup(path);
	lines = g_strsplit(data, "\n", -1);
	for (int i = 0; lines[i] && !where; i++) {
		char *l = g_strstrip(lines[i]);
		gsize n = key ? strlen(key) : 0;

		if (text) {
			if (strcmp(l, text) == 0)
				where = g_strdup_printf("%s:%d", path, i + 1);
		} else if (*l == '[' && strchr(l, ']')) {
			g_free(cur);
			cur = g_strndup(l + 1, (gsize)(strchr(l, ']') - l - 1));
			if (!key && strcmp(cur, group) == 0)
				where = g_strdup_printf("%s:%d", path, i + 1);
		} else if (key && cur && strcmp(cur, group) == 0 && strncmp(l, key, n) == 0 &&
			   (l[n] == '=' || l[n] == ' ' || l[n] == '\t' || l[n] == '[')) {
			where = g_strdup_printf("%s:%d", path, i + 1);
		}
	}
	g_free(cur);
	g_strfreev(lines);
	g_free(data);
	return where ? where : g_strdup(path);
}

/* pick - the file that holds GROUP/KEY (local first), or NULL */
static GKeyFile *pick(const pd_files *f, const char *group, const char *key)
{
	if (f->local && g_key_file_has_key(f->local, group, key, NULL))
		return f->local;
	if (g_key_file_has_key(f->shipped, group, key, NULL))
		return f->shipped;
	return NULL;
}

/* get_int - GROUP/KEY within [lo, hi], or DEF if absent */
static gboolean get_int(const pd_files *f, const char *group, const char *key,
			int lo, int hi, int def, int *out, GError **err)
{
	GKeyFile *kf = pick(f, group, key);
	GError *e = NULL;
	int v;

	*out = def;
	if (!kf)
		return TRUE;
	v = g_key_file_get_integer(kf, group, key, &e);
	if (e || v < lo || v > hi) {
		char *where = locate(kf == f->local ? f->local_path : f->path, group, key, NULL);

		g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: [%s] %s must be a whole number from %d to %d", where, group, key, lo, hi);
		g_free(where);
		g_clear_error(&e);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

/* get_bool - GROUP/KEY as true/false, or DEF if absent */
static gboolean get_bool(const pd_files *f, const char *group, const char *key,
			 gboolean def, gboolean *out, GError **err)
{
	GKeyFile *kf = pick(f, group, key);
	GError *e = NULL;

	*out = def;
	if (!kf)
		return TRUE;
	*out = g_key_file_get_boolean(kf, group, key, &e);
	if (e) {
		char *where = locate(kf == f->local ? f->local_path : f->path, group, key, NULL);

		g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: [%s] %s must be true or false", where, group, key);
		g_free(where);
		g_clear_error(&e);
		return FALSE;
	}
	return TRUE;
}

/* get_words - GROUP/KEY as a ;-separated list, trimmed and lower-cased */
static char **get_words(const pd_files *f, const char *group, const char *key)
{
	GKeyFile *kf = pick(f, group, key);
	char **v = kf ? g_key_file_get_string_list(kf, group, key, NULL, NULL) : NULL;
	guint n = 0;

	if (!v)
		return g_new0(char *, 1);
	for (guint i = 0; v[i]; i++) {
		char *w = g_ascii_strdown(g_strstrip(v[i]), -1);

		g_free(v[i]);
		if (*w)
			v[n++] = w;
		else
			g_free(w);
	}
	v[n] = NULL;
	return v;
}

/* first_bytes - set in FIRST the bit of the byte each of WORDS starts with */
static void first_bytes(char **words, guint8 first[32])
{
	memset(first, 0, 32);
	for (; words && *words; words++) {
		guchar b = (guchar)(*words)[0];

		first[b >> 3] |= (guint8)(1u << (b & 7));
	}
}

/* load_type - the rule for type T from group [name] */
static gboolean load_type(const pd_files *f, pd_rules *r, pd_type t, GError **err)
{
	const char *g = pd_type_names[t];
	pd_type_rule *tr = &r->types[t];

	if (!get_bool(f, g, "enabled", TRUE, &tr->enabled, err) ||
	    !get_int(f, g, "severity", 1, 5, 3, &tr->severity, err) ||
	    !get_int(f, g, "base", 0, 100, 50, &tr->base, err) ||
	    !get_bool(f, g, "identity", FALSE, &tr->identity, err))
		return FALSE;
	tr->raise = get_words(f, g, "raise");
	tr->lower = get_words(f, g, "lower");
	first_bytes(tr->raise, tr->raise_first);
	first_bytes(tr->lower, tr->lower_first);
	return TRUE;
}

/* check_keys - every key of GROUP is one it may have: a misspelt key would
 * otherwise leave the default in force without a word */
static gboolean check_keys(GKeyFile *kf, const char *path, const char *group, GError **err)
{
	static const char *const general[] = { "threshold", "raise_by", "lower_by", "window", "several",
		"sensitive_severity", "street_types", "credential_words", "credential_stop", NULL };
	static const char *const type[] = { "enabled", "severity", "base", "identity", "raise", "lower", NULL };
	const char *const *known = strcmp(group, "general") == 0 ? general : type;
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL), *list;
	gboolean good = TRUE;

	for (char **k = keys; good && k && *k; k++)
		if (!g_strv_contains(known, *k)) {
			char *where = locate(path, group, *k, NULL);

			list = g_strjoinv(", ", (char **)known);
			g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
				    "%s: [%s] %s is not a key of this group (it may have: %s)", where, group, *k, list);
			g_free(list);
			g_free(where);
			good = FALSE;
		}
	g_strfreev(keys);
	return good;
}

/* check_groups - every group of KF is [general] or a type name, with keys it may have */
static gboolean check_groups(GKeyFile *kf, const char *path, GError **err)
{
	gsize n;
	char **groups = g_key_file_get_groups(kf, &n);
	gboolean good = TRUE;

	for (gsize i = 0; i < n && good; i++)
		if (strcmp(groups[i], "general") != 0 && pd_type_parse(groups[i]) < 0) {
			char *where = locate(path, groups[i], NULL, NULL);

			g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
				    "%s: [%s] is not a personal-data type", where, groups[i]);
			g_free(where);
			good = FALSE;
		} else
			good = check_keys(kf, path, groups[i], err);
	g_strfreev(groups);
	return good;
}

/* read_keys - load PATH into KF; GKeyFile's own errors name neither the file
 * nor the line, so both are added (the line by the text it quotes) */
static gboolean read_keys(GKeyFile *kf, const char *path, GError **err)
{
	GError *e = NULL;
	const char *open, *close;
	char *text = NULL, *where;

	if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &e))
		return TRUE;
	if (e->domain == G_KEY_FILE_ERROR && (open = strstr(e->message, "\u201c")) &&
	    (close = strstr(open, "\u201d")))
		text = g_strndup(open + strlen("\u201c"), (gsize)(close - open - strlen("\u201c")));
	where = text ? locate(path, NULL, NULL, g_strstrip(text)) : g_strdup(path);
	g_set_error(err, e->domain, e->code, "%s: %s", where, e->message);
	g_free(where);
	g_free(text);
	g_error_free(e);
	return FALSE;
}

/* load_phrases - add the phrases of PATH (one a line, # comments) to R; a
 * missing file is fine only if OPTIONAL */
static gboolean load_phrases(pd_rules *r, const char *path, gboolean optional, GError **err)
{
	char *text, **lines;

	if (!g_file_get_contents(path, &text, NULL, err)) {
		if (optional && g_error_matches(*err, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_clear_error(err);
			return TRUE;
		}
		return FALSE;
	}
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char *p = g_strstrip(*l);

		if (*p && *p != '#')
			g_ptr_array_add(r->meeting, g_ascii_strdown(p, -1));
	}
	g_strfreev(lines);
	g_free(text);
	return TRUE;
}

/* load_general - [general] settings and word lists */
static gboolean load_general(const pd_files *f, pd_rules *r, GError **err)
{
	if (!get_int(f, "general", "threshold", 0, 100, 50, &r->threshold, err) ||
	    !get_int(f, "general", "raise_by", 0, 100, 30, &r->raise_by, err) ||
	    !get_int(f, "general", "lower_by", 0, 100, 40, &r->lower_by, err) ||
	    !get_int(f, "general", "window", 0, 1000, 48, &r->window, err) ||
	    !get_int(f, "general", "several", 2, 1000, 2, &r->several, err) ||
	    !get_int(f, "general", "sensitive_severity", 1, 5, 4, &r->sensitive_severity, err))
		return FALSE;
	r->street_types = get_words(f, "general", "street_types");
	r->credential_words = get_words(f, "general", "credential_words");
	r->credential_stop = get_words(f, "general", "credential_stop");
	return TRUE;
}

/* pd_rules_load - the shipped rules in DIR, then local changes in LOCAL_DIR */
pd_rules *pd_rules_load(const char *dir, const char *local_dir, GError **err)
{
	pd_rules *r = g_new0(pd_rules, 1);
	pd_files f = { g_key_file_new(), NULL, NULL, NULL };
	char *path = g_build_filename(dir, "personal_data", "personal_data.rules", NULL);
	char *lpath = local_dir && *local_dir ?
		g_build_filename(local_dir, "personal_data", "personal_data.rules", NULL) : NULL;
	char *mpath = g_build_filename(dir, "personal_data", "meeting.txt", NULL);
	char *lmpath = lpath ? g_build_filename(local_dir, "personal_data", "meeting.txt", NULL) : NULL;
	gboolean good;
	GError *e = NULL;

	f.path = path;
	f.local_path = lpath;
	r->meeting = g_ptr_array_new_with_free_func(g_free);
	good = read_keys(f.shipped, path, &e) && check_groups(f.shipped, path, &e);
	if (good && lpath && g_file_test(lpath, G_FILE_TEST_EXISTS)) {
		f.local = g_key_file_new();
		good = read_keys(f.local, lpath, &e) && check_groups(f.local, lpath, &e);
	}
	good = good && load_general(&f, r, &e);
	for (int t = 0; good && t < PD_N_TYPES; t++)
		good = load_type(&f, r, (pd_type)t, &e);
	good = good && load_phrases(r, mpath, FALSE, &e) &&
	       (!lmpath || load_phrases(r, lmpath, TRUE, &e));
	if (e)
		g_propagate_error(err, e);
	g_key_file_free(f.shipped);
	if (f.local)
		g_key_file_free(f.local);
	g_free(path); g_free(lpath); g_free(mpath); g_free(lmpath);
	if (!good) {
		pd_rules_free(r);
		return NULL;
	}
	pd_phrases_index(r);
	return r;
}

/* pd_rules_free - free R (NULL is fine) */
void pd_rules_free(pd_rules *r)
{
	if (!r)
		return;
	for (int t = 0; t < PD_N_TYPES; t++) {
		g_strfreev(r->types[t].raise);
		g_strfreev(r->types[t].lower);
	}
	g_strfreev(r->street_types);
	g_strfreev(r->credential_words);
	g_strfreev(r->credential_stop);
	if (r->phrases)
		g_hash_table_unref(r->phrases);
	if (r->meeting)
		g_ptr_array_unref(r->meeting);
	g_free(r);
}
