/* conf.c - load the configuration file, check every key against the table,
 * report errors by file, line and key */
#include "config.h"
#include <gio/gio.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include "conf.h"
#include "conf_priv.h"
#include "log.h"

G_DEFINE_QUARK(es-conf-error-quark, es_conf_error)

static const char *const action_names[] = { "accept", "copy", "hold", "reject", "tempfail" };

/* es_action_name - the config/JSON name of an action */
const char *es_action_name(es_action a)
{
	return (unsigned)a < G_N_ELEMENTS(action_names) ? action_names[a] : "accept";
}

/* es_action_strictness - accept < copy < hold < tempfail < reject: where a
 * failure policy and the policy's verdict differ, the stricter wins */
int es_action_strictness(es_action a)
{
	static const int rank[] = { [ES_ACTION_ACCEPT] = 0, [ES_ACTION_COPY] = 1, [ES_ACTION_HOLD] = 2,
				    [ES_ACTION_TEMPFAIL] = 3, [ES_ACTION_REJECT] = 4 };

	return (unsigned)a < G_N_ELEMENTS(rank) ? rank[a] : 0;
}

/* es_action_parse - action name to action, -1 if unknown */
int es_action_parse(const char *name)
{
	for (guint i = 0; name && i < G_N_ELEMENTS(action_names); i++)
		if (g_ascii_strcasecmp(name, action_names[i]) == 0)
			return (int)i;
	return -1;
}

/* es_conf_key_find - the table entry for SECTION/KEY */
const es_conf_key *es_conf_key_find(const char *section, const char *key)
{
	gboolean school = g_str_has_prefix(section, "school:");

	for (gsize i = 0; i < es_conf_table_len; i++) {
		const es_conf_key *k = &es_conf_table[i];

		if (strcmp(k->key, key) != 0)
			continue;
		if (school ? strcmp(k->section, "school:*") == 0 : strcmp(k->section, section) == 0)
			return k;
	}
	return NULL;
}

/* section_known - a global section some key of the table belongs to */
static gboolean section_known(const char *section)
{
	for (gsize i = 0; i < es_conf_table_len; i++)
		if (strcmp(es_conf_table[i].section, section) == 0)
			return TRUE;
	return FALSE;
}

/* es_conf_value_free - free one parsed value */
void es_conf_value_free(gpointer p)
{
	es_conf_value *v = p;

	g_free(v->str);
	g_strfreev(v->list);
	g_free(v);
}

/* values_new - a table of parsed values, keyed "section/key" */
static GHashTable *values_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, es_conf_value_free);
}

/* conf_fail - set *err to "FILE:LINE: [section] key: message" */
static gboolean conf_fail(GError **err, const char *file, int line, const char *section,
			  const char *key, const char *fmt, ...) G_GNUC_PRINTF(6, 7);
static gboolean conf_fail(GError **err, const char *file, int line, const char *section,
			  const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (key)
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] %s: %s", file, line, section, key, msg);
	else if (section)
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s]: %s", file, line, section, msg);
	else
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: %s", file, line, msg);
	g_free(msg);
	return FALSE;
}

/* parse_number - whole number with an optional unit suffix; FALSE if malformed */
static gboolean parse_number(const char *raw, es_conf_type type, gint64 *out)
{
	char *end;
	gint64 n, mult = 1;

	errno = 0;
	n = g_ascii_strtoll(raw, &end, 10);
	if (end == raw || errno || n < 0)
		return FALSE;
	if (type == ES_CT_SIZE) {
		if (*end == 'k' || *end == 'K') mult = 1024, end++;
		else if (*end == 'm' || *end == 'M') mult = 1024 * 1024, end++;
		else if (*end == 'g' || *end == 'G') mult = 1024LL * 1024 * 1024, end++;
		if (*end == 'b' || *end == 'B')
			end++;
	} else if (type == ES_CT_DURATION) {
		if (g_str_has_prefix(end, "ms")) mult = 1, end += 2;
		else if (*end == 's' || *end == '\0') mult = 1000, end += (*end == 's');
		else if (*end == 'm') mult = 60 * 1000, end++;
		else if (*end == 'h') mult = 3600 * 1000, end++;
		else if (*end == 'd') mult = 24 * 3600 * 1000LL, end++;
	}
	if (*end != '\0' || n > G_MAXINT64 / mult)
		return FALSE;
	*out = n * mult;
	return TRUE;
}

/* parse_bool - yes/no and friends */
static int parse_bool(const char *raw)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(raw, yes[i]) == 0)
			return 1;
		if (g_ascii_strcasecmp(raw, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* choice_ok - RAW is one of the |-separated CHOICES */
static gboolean choice_ok(const char *choices, const char *raw)
{
	char **names = g_strsplit(choices, "|", -1);
	gboolean found = g_strv_contains((const char *const *)names, raw);

	g_strfreev(names);
	return found;
}

/* es_conf_duration_text - see conf.h */
char *es_conf_duration_text(gint64 ms)
{
	static const struct { gint64 unit; const char *suffix; } units[] = {
		{ 86400000, "d" }, { 3600000, "h" }, { 60000, "m" }, { 1000, "s" },
	};

	for (gsize i = 0; ms && i < G_N_ELEMENTS(units); i++)
		if (ms % units[i].unit == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "%s", ms / units[i].unit, units[i].suffix);
	return g_strdup_printf("%" G_GINT64_FORMAT "ms", ms);
}

/* socket_ok - a libmilter connection spec that can work: unix:/path (or
 * local:), inet:PORT[@HOST] or inet6:PORT[@HOST] with PORT 1-65535. libmilter
 * finds out only when it listens, and tells syslog alone. */
static gboolean socket_ok(const char *spec, char **why)
{
	const char *colon = strchr(spec, ':'), *port;
	gsize n;

	if (colon && (g_ascii_strncasecmp(spec, "unix:", 5) == 0 || g_ascii_strncasecmp(spec, "local:", 6) == 0)) {
		if (colon[1] == '/')
			return TRUE;
		*why = g_strdup_printf("'%s': a unix socket needs an absolute path (unix:/run/esafety/milter.sock)", spec);
		return FALSE;
	}
	if (!colon || (g_ascii_strncasecmp(spec, "inet:", 5) != 0 && g_ascii_strncasecmp(spec, "inet6:", 6) != 0)) {
		*why = g_strdup_printf("'%s' is not unix:/PATH, inet:PORT@HOST or inet6:PORT@HOST", spec);
		return FALSE;
	}
	port = colon + 1;
	n = strspn(port, "0123456789");
	/* a service name from /etc/services ("milter") is libmilter's too */
	if (!n && g_ascii_isalpha(*port))
		n = strspn(port, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
	else if (n && (n > 5 || atoi(port) < 1 || atoi(port) > 65535))
		n = 0;
	if (!n || (port[n] && port[n] != '@') || (port[n] == '@' && !port[n + 1])) {
		*why = g_strdup_printf("'%s': the port must be 1 to 65535, as in inet:7410@127.0.0.1", spec);
		return FALSE;
	}
	return TRUE;
}

/* es_conf_parse_value - check RAW against K and fill V; FALSE with a reason */
gboolean es_conf_parse_value(const es_conf_key *k, const char *raw, es_conf_value *v, char **why)
{
	int b;

	v->key = k;
	v->str = g_strstrip(g_strdup(raw));
	switch (k->type) {
	case ES_CT_INT: case ES_CT_SIZE: case ES_CT_DURATION:
		if (!parse_number(v->str, k->type == ES_CT_INT ? ES_CT_STRING : k->type, &v->num)
		    || (k->type == ES_CT_INT && strspn(v->str, "0123456789") != strlen(v->str))) {
			*why = g_strdup_printf("'%s' is not a valid %s", v->str,
					       k->type == ES_CT_INT ? "whole number" :
					       k->type == ES_CT_SIZE ? "size (e.g. 10M)" : "duration (e.g. 30s)");
			return FALSE;
		}
		if ((k->min || k->max) && (v->num < k->min || v->num > k->max) && k->type == ES_CT_DURATION) {
			/* in the units people write: "1ms to 10s", not "1 to 10000 ms",
			 * which reads wrong beside a plain number meaning seconds */
			char *lo = es_conf_duration_text(k->min), *hi = es_conf_duration_text(k->max);

			*why = g_strdup_printf("'%s' is out of range: it must be from %s to %s (a plain number is "
					       "seconds)", v->str, lo, hi);
			g_free(lo);
			g_free(hi);
			return FALSE;
		}
		if ((k->min || k->max) && (v->num < k->min || v->num > k->max)) {
			*why = g_strdup_printf("'%s' is out of range: it must be from %" G_GINT64_FORMAT " to %"
					       G_GINT64_FORMAT "%s", v->str, (gint64)k->min, (gint64)k->max,
					       k->type == ES_CT_SIZE ? " bytes" : "");
			return FALSE;
		}
		return TRUE;
	case ES_CT_BOOL:
		if ((b = parse_bool(v->str)) < 0) {
			*why = g_strdup_printf("'%s' is not yes or no", v->str);
			return FALSE;
		}
		v->num = b;
		return TRUE;
	case ES_CT_ACTION: case ES_CT_ENUM: {
		const char *choices = k->choices ? k->choices : "accept|tempfail|reject";

		if (!choice_ok(choices, v->str)) {
			*why = g_strdup_printf("'%s' is not one of %s", v->str, choices);
			return FALSE;
		}
		v->num = k->type == ES_CT_ACTION ? es_action_parse(v->str) : 0;
		return TRUE;
	}
	case ES_CT_LIST:
		v->list = es_conf_split_list(v->str);
		/* a list of fixed words: a typo would otherwise be ignored quietly */
		for (char **item = v->list; k->choices && *item; item++)
			if (!choice_ok(k->choices, *item)) {
				*why = g_strdup_printf("'%s' is not one of %s", *item, k->choices);
				return FALSE;
			}
		return TRUE;
	case ES_CT_SOCKET:
		return socket_ok(v->str, why);
	case ES_CT_NETWORKS:
		v->list = es_conf_split_list(v->str);
		/* an entry that does not parse would be skipped when mail comes,
		 * and the school's own server treated as the outside world */
		for (char **item = v->list; *item; item++) {
			GInetAddressMask *m = g_inet_address_mask_new_from_string(*item, NULL);

			if (!m) {
				*why = g_strdup_printf("'%s' is not a network such as 10.0.0.0/8 or 2001:db8::/32 "
						       "(separate networks with commas)", *item);
				return FALSE;
			}
			g_object_unref(m);
		}
		return TRUE;
	case ES_CT_COMMAND: {
		GError *e = NULL;
		char **argv = NULL;
		gboolean good = g_shell_parse_argv(v->str, NULL, &argv, &e);

		if (!good)
			*why = g_strdup_printf("'%s' is not a command line: %s", v->str, e->message);
		g_clear_error(&e);
		g_strfreev(argv);
		return good;
	}
	case ES_CT_STRING: case ES_CT_PATH:
		return TRUE;
	}
	return TRUE;
}

/* es_conf_split_list - split "a, b,c" into trimmed, non-empty items */
char **es_conf_split_list(const char *raw)
{
	char **parts = g_strsplit_set(raw, ",", -1);
	GPtrArray *out = g_ptr_array_new();

	for (char **p = parts; *p; p++) {
		g_strstrip(*p);
		if (**p)
			g_ptr_array_add(out, g_strdup(*p));
	}
	g_ptr_array_add(out, NULL);
	g_strfreev(parts);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* fill_defaults - every key of SECTION_PATTERN not set yet gets the table default */
void es_conf_fill_defaults(GHashTable *values, const char *section_pattern, const char *section)
{
	for (gsize i = 0; i < es_conf_table_len; i++) {
		const es_conf_key *k = &es_conf_table[i];
		char *id, *why = NULL;
		es_conf_value *v;

		if (strcmp(k->section, section_pattern) != 0 || !k->def)
			continue;
		id = g_strdup_printf("%s/%s", section, k->key);
		if (g_hash_table_contains(values, id)) {
			g_free(id);
			continue;
		}
		v = g_new0(es_conf_value, 1);
		if (!es_conf_parse_value(k, k->def, v, &why))
			es_log(LOG_CRIT, NULL, "config table: bad default for [%s] %s: %s", section, k->key, why);
		g_free(why);
		g_hash_table_insert(values, id, v);
	}
}

/* es_conf_new_defaults - a config of defaults only, with no schools */
es_conf *es_conf_new_defaults(void)
{
	es_conf *c = g_new0(es_conf, 1);

	c->refs = 1;
	c->path = g_strdup("(defaults)");
	c->values = values_new();
	c->schools = g_ptr_array_new_with_free_func(es_school_free);
	for (gsize i = 0; i < es_conf_table_len; i++)
		if (strcmp(es_conf_table[i].section, "school:*") != 0)
			es_conf_fill_defaults(c->values, es_conf_table[i].section, es_conf_table[i].section);
	return c;
}

/* line_of - the line a "section/key" (or "section") was read from */
static int line_of(GHashTable *lines, const char *section, const char *key)
{
	char *id = key ? g_strdup_printf("%s/%s", section, key) : g_strdup(section);
	int line = GPOINTER_TO_INT(g_hash_table_lookup(lines, id));

	g_free(id);
	return line;
}

/* scan_lines - check the syntax line by line and remember where each key is,
 * because GKeyFile's own errors do not say which line */
static gboolean scan_lines(const char *path, const char *text, GHashTable *lines, GError **err)
{
	char **all = g_strsplit(text, "\n", -1);
	char *section = NULL;
	gboolean ok = TRUE;

	for (int i = 0; ok && all[i]; i++) {
		char *l = g_strstrip(all[i]), *eq;

		if (*l == '\0' || *l == '#')
			continue;
		if (*l == ';') {
			/* the file reader takes only # */
			ok = conf_fail(err, path, i + 1, NULL, NULL, "comments start with #, not ;");
			break;
		}
		if (*l == '[') {
			if (l[strlen(l) - 1] != ']' || strlen(l) < 3) {
				ok = conf_fail(err, path, i + 1, NULL, NULL, "malformed section header '%s'", l);
				break;
			}
			g_free(section);
			section = g_strndup(l + 1, strlen(l) - 2);
			if (g_hash_table_contains(lines, section))
				ok = conf_fail(err, path, i + 1, section, NULL, "section appears twice");
			g_hash_table_insert(lines, g_strdup(section), GINT_TO_POINTER(i + 1));
			continue;
		}
		if (!(eq = strchr(l, '=')) || eq == l)
			ok = conf_fail(err, path, i + 1, section, NULL, "'%s' is not 'key = value'", l);
		else if (!section)
			ok = conf_fail(err, path, i + 1, NULL, NULL, "key outside any [section]");
		else {
			char *key = g_strstrip(g_strndup(l, (gsize)(eq - l)));
			char *id = g_strdup_printf("%s/%s", section, key);

			if (g_hash_table_contains(lines, id))
				ok = conf_fail(err, path, i + 1, section, key, "key appears twice in the section");
			g_hash_table_insert(lines, id, GINT_TO_POINTER(i + 1));
			g_free(key);
		}
	}
	g_free(section);
	g_strfreev(all);
	return ok;
}

/* load_group - check and store every key of one global section */
static gboolean load_group(es_conf *c, GKeyFile *kf, const char *group, GHashTable *lines, GError **err)
{
	gsize n;
	char **keys = g_key_file_get_keys(kf, group, &n, NULL);
	gboolean ok = TRUE;

	for (gsize i = 0; ok && i < n; i++) {
		const es_conf_key *k = es_conf_key_find(group, keys[i]);
		char *raw, *why = NULL;
		es_conf_value *v;

		if (!k) {
			ok = conf_fail(err, c->path, line_of(lines, group, keys[i]), group, keys[i], "unknown key");
			break;
		}
		raw = g_key_file_get_value(kf, group, keys[i], NULL);
		v = g_new0(es_conf_value, 1);
		if (!es_conf_parse_value(k, raw ? raw : "", v, &why)) {
			ok = conf_fail(err, c->path, line_of(lines, group, keys[i]), group, keys[i], "%s", why);
			es_conf_value_free(v);
		} else {
			v->line = line_of(lines, group, keys[i]);
			g_hash_table_insert(c->values, g_strdup_printf("%s/%s", group, keys[i]), v);
		}
		g_free(why);
		g_free(raw);
	}
	g_strfreev(keys);
	return ok;
}

/* load_groups - every section of the file: global ones and schools */
static gboolean load_groups(es_conf *c, GKeyFile *kf, GHashTable *lines, GError **err)
{
	char **groups = g_key_file_get_groups(kf, NULL);
	gboolean ok = TRUE;

	for (char **g = groups; ok && *g; g++) {
		int line = line_of(lines, *g, NULL);

		if (g_str_has_prefix(*g, "school:")) {
			es_school *s = es_school_load(c, kf, *g, lines, err);

			if (!(ok = s != NULL))
				break;
			if (es_conf_school_by_name(c, es_school_name(s)))
				ok = conf_fail(err, c->path, line, *g, NULL, "school defined twice");
			/* which school's mail it is would depend on the order of the sections */
			for (guint i = 0; ok && i < c->schools->len; i++) {
				const es_school *o = g_ptr_array_index(c->schools, i);
				const char *d = es_school_shared_domain(s, o);

				if (d) {
					char *other = g_strdup_printf("school:%s", es_school_name(o));

					ok = conf_fail(err, c->path, line_of(lines, *g, "domains"), *g, "domains",
						       "domain '%s' is [%s]'s too (line %d): a domain belongs to one school",
						       d, other, line_of(lines, other, "domains"));
					g_free(other);
				}
			}
			g_ptr_array_add(c->schools, s);
		} else if (!section_known(*g) || strcmp(*g, "school:*") == 0) {
			ok = conf_fail(err, c->path, line, *g, NULL, "unknown section");
		} else {
			ok = load_group(c, kf, *g, lines, err);
		}
	}
	g_strfreev(groups);
	return ok;
}

/* es_conf_load - read, check and default the whole file */
es_conf *es_conf_load(const char *path, GError **err)
{
	char *text = NULL;
	GKeyFile *kf;
	GHashTable *lines;
	GError *e = NULL;
	es_conf *c;

	if (!g_file_get_contents(path, &text, NULL, &e)) {
		g_set_error(err, ES_CONF_ERROR, 1, "%s: cannot read: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	c = es_conf_new_defaults();
	g_free(c->path);
	c->path = g_strdup(path);
	lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	kf = g_key_file_new();
	g_key_file_set_list_separator(kf, ',');
	if (!scan_lines(path, text, lines, err)) {
		es_conf_unref(c);
		c = NULL;
	} else if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &e)) {
		g_set_error(err, ES_CONF_ERROR, 1, "%s: %s", path, e->message);
		g_error_free(e);
		es_conf_unref(c);
		c = NULL;
	} else if (!load_groups(c, kf, lines, err)) {
		es_conf_unref(c);
		c = NULL;
	}
	g_key_file_free(kf);
	g_hash_table_unref(lines);
	g_free(text);
	return c;
}

es_conf *es_conf_ref(es_conf *c)
{
	g_atomic_int_inc(&c->refs);
	return c;
}

/* es_conf_unref - free on the last reference; NULL is fine */
void es_conf_unref(es_conf *c)
{
	if (!c || !g_atomic_int_dec_and_test(&c->refs))
		return;
	g_hash_table_unref(c->values);
	g_ptr_array_unref(c->schools);
	g_free(c->path);
	g_free(c);
}

char *es_conf_where(const es_conf *c, const char *section, const char *key)
{
	const es_conf_value *v = es_conf_value_get(c->values, section, key);

	return v && v->line > 0 ? g_strdup_printf("%s:%d", c->path, v->line) : g_strdup(c->path);
}

const char *es_conf_path(const es_conf *c)
{
	return c->path;
}

/* es_conf_value_get - the value of a key, warning once about keys not in the table */
const es_conf_value *es_conf_value_get(GHashTable *values, const char *section, const char *key)
{
	char id[256];
	const es_conf_value *v;

	g_snprintf(id, sizeof(id), "%s/%s", section, key);
	v = g_hash_table_lookup(values, id);
	if (!v && !es_conf_key_find(section, key))
		es_log(LOG_WARNING, NULL, "internal: config key [%s] %s is not in the table", section, key);
	return v;
}

const char *es_conf_string(const es_conf *c, const char *section, const char *key)
{
	const es_conf_value *v = es_conf_value_get(c->values, section, key);

	return v ? v->str : NULL;
}

gint64 es_conf_int(const es_conf *c, const char *section, const char *key)
{
	const es_conf_value *v = es_conf_value_get(c->values, section, key);

	return v ? v->num : 0;
}

gboolean es_conf_bool(const es_conf *c, const char *section, const char *key)
{
	return es_conf_int(c, section, key) != 0;
}

char *const *es_conf_list(const es_conf *c, const char *section, const char *key)
{
	static char *const empty[] = { NULL };
	const es_conf_value *v = es_conf_value_get(c->values, section, key);

	return v && v->list ? v->list : empty;
}

es_action es_conf_action(const es_conf *c, const char *section, const char *key)
{
	return (es_action)es_conf_int(c, section, key);
}
