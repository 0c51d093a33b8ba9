/* school.c - one school of the install: its domains, e-safety mailbox, who
 * its pupils and staff are, and per-school settings */
#include "config.h"
#include <string.h>
#include "conf.h"
#include "conf_priv.h"
#include "log.h"

static const char *const role_names[] = { "external", "pupil", "staff", "other" };

const char *es_role_name(es_role r)
{
	return (unsigned)r < G_N_ELEMENTS(role_names) ? role_names[r] : "external";
}

/* es_school_free - free a school (GDestroyNotify) */
void es_school_free(gpointer p)
{
	es_school *s = p;

	if (!s)
		return;
	g_free(s->name);
	g_free(s->section);
	g_hash_table_unref(s->values);
	g_ptr_array_unref(s->pupils);
	g_ptr_array_unref(s->staff);
	g_ptr_array_unref(s->year_groups);
	g_free(s);
}

/* year_group_free - free one year_groups entry (GDestroyNotify) */
static void year_group_free(gpointer p)
{
	es_year_group *g = p;

	g_free(g->name);
	g_ptr_array_unref(g->patterns);
	g_free(g);
}

static gsize owned_by(const es_school *s, const char *dom);
static gboolean matches_any(GPtrArray *patterns, const char *addr);
static gboolean domain_ok(const char *d);
static gboolean patterns_reachable(const es_school *s, GPtrArray *patterns, GPtrArray *pupils, char **why);

/* pattern_ok - an address pattern: "*@domain", "user@domain", "*@*.domain" */
static gboolean pattern_ok(const char *p)
{
	const char *at = strchr(p, '@');

	return at && at != p && at[1] && !strchr(at + 1, '@') && !strpbrk(p, " \t<>,;\"");
}

/* read_pattern_file - one pattern per line, # comments; relative to the config's folder */
static gboolean read_pattern_file(const es_conf *c, const char *file, GPtrArray *out, char **why)
{
	char *dir = g_path_get_dirname(c->path);
	char *path = g_path_is_absolute(file) ? g_strdup(file) : g_build_filename(dir, file, NULL);
	char *text = NULL, **lines;
	GError *e = NULL;
	gboolean ok = TRUE;

	g_free(dir);
	if (!g_file_get_contents(path, &text, NULL, &e)) {
		*why = g_strdup_printf("cannot read list file %s: %s", path, e->message);
		g_error_free(e);
		g_free(path);
		return FALSE;
	}
	/* a spreadsheet's "CSV UTF-8" starts with a byte-order mark, which
	 * would otherwise become part of the first pattern */
	lines = g_strsplit(g_str_has_prefix(text, "\xef\xbb\xbf") ? text + 3 : text, "\n", -1);
	for (int i = 0; ok && lines[i]; i++) {
		char *l = g_strstrip(lines[i]);

		if (*l == '\0' || *l == '#')
			continue;
		if (!(ok = pattern_ok(l)))
			*why = g_strdup_printf("%s:%d: '%s' is not an address or pattern such as *@pupils.example.sch.uk",
					       path, i + 1, l);
		else
			g_ptr_array_add(out, g_ascii_strdown(l, -1));
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	return ok;
}

/* load_patterns - the pupils or staff key: patterns and file: lists */
static gboolean load_patterns(const es_conf *c, char *const *items, GPtrArray *out, char **why)
{
	for (char *const *p = items; p && *p; p++) {
		if (g_str_has_prefix(*p, "file:")) {
			if (!read_pattern_file(c, *p + 5, out, why))
				return FALSE;
		} else if (!pattern_ok(*p)) {
			*why = g_strdup_printf("'%s' is not an address or pattern such as *@pupils.example.sch.uk", *p);
			return FALSE;
		} else {
			g_ptr_array_add(out, g_ascii_strdown(*p, -1));
		}
	}
	return TRUE;
}

/* group_name_ok - a year group as a report shows it: letters, digits,
 * spaces, - _ and /, at most 40 characters */
static gboolean group_name_ok(const char *name)
{
	gsize n = strlen(name);

	if (n == 0 || n > 40)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalnum(name[i]) && !strchr(" -_/", name[i]))
			return FALSE;
	return TRUE;
}

/* load_year_groups - the year_groups key: "GROUP=PATTERN" entries, PATTERN
 * written as in pupils (an address pattern or file:/path) */
static gboolean load_year_groups(const es_conf *c, es_school *s, char **why)
{
	for (char *const *p = es_school_list(s, "year_groups"); *p; p++) {
		const char *eq = strchr(*p, '=');
		es_year_group *g;
		char *pattern;
		gboolean ok;

		if (!eq) {
			*why = g_strdup_printf("'%s' is not GROUP=PATTERN, such as Year 9=file:/etc/esafety/year9.list", *p);
			return FALSE;
		}
		g = g_new0(es_year_group, 1);
		g->name = g_strstrip(g_strndup(*p, (gsize)(eq - *p)));
		g->patterns = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->year_groups, g);
		if (!group_name_ok(g->name)) {
			*why = g_strdup_printf("'%s' is not a year group name (letters, digits, spaces, - _ /; at most 40)",
					       g->name);
			return FALSE;
		}
		pattern = g_strstrip(g_strdup(eq + 1));
		ok = load_patterns(c, (char *const[]){ pattern, NULL }, g->patterns, why) &&
		     patterns_reachable(s, g->patterns, s->pupils, why);
		g_free(pattern);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* school_keys - check and store each key of the section */
static gboolean school_keys(es_conf *c, es_school *s, GKeyFile *kf, GHashTable *lines, GError **err)
{
	gsize n;
	char **keys = g_key_file_get_keys(kf, s->section, &n, NULL);
	gboolean ok = TRUE;

	for (gsize i = 0; ok && i < n; i++) {
		const es_conf_key *k = es_conf_key_find(s->section, keys[i]);
		char *id = g_strdup_printf("%s/%s", s->section, keys[i]);
		int line = GPOINTER_TO_INT(g_hash_table_lookup(lines, id));
		char *raw = g_key_file_get_value(kf, s->section, keys[i], NULL), *why = NULL;
		es_conf_value *v = g_new0(es_conf_value, 1);

		if (!k)
			why = g_strdup("unknown key");
		if (k && es_conf_parse_value(k, raw ? raw : "", v, &why)) {
			v->line = line;
			g_hash_table_insert(s->values, id, v);
			id = NULL;
			v = NULL;
		}
		if (why) {
			g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] %s: %s", c->path, line, s->section, keys[i], why);
			ok = FALSE;
		}
		if (v)
			es_conf_value_free(v);
		g_free(why);
		g_free(raw);
		g_free(id);
	}
	g_strfreev(keys);
	return ok;
}

/* key_line - the line of S's KEY, else DFLT (its section's) */
static int key_line(const es_school *s, const char *key, int dflt)
{
	const es_conf_value *v = es_conf_value_get(s->values, s->section, key);

	return v && v->line > 0 ? v->line : dflt;
}

/* domain_ok - D looks like a mail domain of ours: letters (any script, as
 * SMTPUTF8 mail carries them), digits, - and ., with a dot inside it. "uk"
 * alone would make every .uk address the school's, and "a.example
 * b.example" (a space, not a comma) none. */
static gboolean domain_ok(const char *d)
{
	gsize n = strlen(d);

	for (const char *p = d; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && !((unsigned char)*p & 0x80))
			return FALSE;
	return n > 2 && strchr(d, '.') && d[0] != '.' && d[n - 1] != '.' && !strstr(d, "..");
}

/* public_suffix - D is a suffix under which many organisations register
 * (sch.uk, co.uk, ...): as a school's domain it would make every school or
 * company under it internal */
static gboolean public_suffix(const char *d)
{
	static const char *const seconds[] = { "ac", "co", "com", "edu", "gov", "ltd", "me", "mod", "net",
		"nhs", "nic", "org", "parliament", "plc", "police", "sch", NULL };
	const char *dot = strchr(d, '.');

	/* SLD.TLD with a country code, such as sch.uk, co.uk, org.uk, com.au */
	if (!dot || strchr(dot + 1, '.') || strlen(dot + 1) != 2)
		return FALSE;
	for (const char *const *s = seconds; *s; s++)
		if (strlen(*s) == (gsize)(dot - d) && g_ascii_strncasecmp(d, *s, (gsize)(dot - d)) == 0)
			return TRUE;
	return FALSE;
}

/* mailbox_ok - BOX is one plain address: the e-safety lead's copies go there,
 * and a mistake there loses every one of them */
static gboolean mailbox_ok(const char *box)
{
	const char *at = strrchr(box, '@');

	if (!at || at == box || box[0] == '.' || at[-1] == '.' || strstr(box, ".."))
		return FALSE;
	for (const char *p = box; p < at; p++)
		if (!g_ascii_isalnum(*p) && !strchr(".!#$%&'+/=^_`{|}~-", *p))
			return FALSE;
	return domain_ok(at + 1);
}

/* pattern_reachable - an address PATTERN of school S can match an address
 * the school owns: its domain part, if it is written out ("*@pupils.x" or
 * "*@*.x"), is one of the domains or below one. Only addresses at those
 * domains are the school's, so any other pattern never matches. */
static gboolean pattern_reachable(const es_school *s, const char *pattern)
{
	const char *dom = strrchr(pattern, '@') + 1;
	gboolean below = g_str_has_prefix(dom, "*.");

	if (below)
		dom += 2;
	if (strpbrk(dom, "*?"))
		return TRUE;	/* a wildcard inside: cannot tell */
	if (owned_by(s, dom) > 0)
		return TRUE;
	/* *@*.D also matches the school's domains below D */
	for (char *const *d = es_school_list(s, "domains"); below && *d; d++) {
		gsize l = strlen(*d), n = strlen(dom);

		if (l > n && (*d)[l - n - 1] == '.' && g_ascii_strcasecmp(*d + l - n, dom) == 0)
			return TRUE;
	}
	return FALSE;
}

/* sample_of - an address PATTERN matches: '?' made 'x', '*' made STAR */
static char *sample_of(const char *pattern, const char *star)
{
	GString *a = g_string_new(NULL);

	for (const char *p = pattern; *p; p++)
		if (*p == '*')
			g_string_append(a, star);
		else
			g_string_append_c(a, *p == '?' ? 'x' : *p);
	return g_string_free(a, FALSE);
}

/* describes_pupils - year group PATTERN can match a pupil: some address it
 * matches is in PUPILS (tried with each '*' as 0 to 12 letters, for pupil
 * patterns of fixed length such as ????@...), or a pupil listed by full
 * address matches it */
static gboolean describes_pupils(const char *pattern, GPtrArray *pupils)
{
	static const char stars[] = "xxxxxxxxxxxx";

	for (gsize i = 0; i < sizeof stars; i++) {
		char *sample = sample_of(pattern, stars + sizeof stars - 1 - i);
		gboolean hit = matches_any(pupils, sample);

		g_free(sample);
		if (hit)
			return TRUE;
	}
	for (guint i = 0; i < pupils->len; i++) {
		const char *p = g_ptr_array_index(pupils, i);

		if (!strpbrk(p, "*?") && g_pattern_match_simple(pattern, p))
			return TRUE;
	}
	return FALSE;
}

/* patterns_reachable - every pattern of PATTERNS (the KEY list) can match;
 * for year groups (PUPILS set) each must also describe pupils */
static gboolean patterns_reachable(const es_school *s, GPtrArray *patterns, GPtrArray *pupils, char **why)
{
	char *domains = g_strjoinv(", ", (char **)es_school_list(s, "domains"));
	gboolean ok = TRUE;

	for (guint i = 0; ok && i < patterns->len; i++) {
		const char *p = g_ptr_array_index(patterns, i);

		if (!pattern_reachable(s, p)) {
			*why = g_strdup_printf("'%s' is not at one of the school's domains (%s), so it can never "
					       "match: only addresses there are the school's", p, domains);
			ok = FALSE;
		} else if (pupils && !describes_pupils(p, pupils)) {
			char *sample = sample_of(p, "x");

			*why = g_strdup_printf("'%s' matches no pupil (an address such as %s is not in pupils), so "
					       "nobody would get this year group", p, sample);
			g_free(sample);
			ok = FALSE;
		}
	}
	g_free(domains);
	return ok;
}

/* school_check - required keys and the address lists */
static gboolean school_check(es_conf *c, es_school *s, GHashTable *lines, GError **err)
{
	static const char *const required[] = { "domains", "esafety_mailbox" };
	char *id = g_strdup(s->section), *why = NULL;
	int line = GPOINTER_TO_INT(g_hash_table_lookup(lines, id));
	const char *box;

	g_free(id);
	for (guint i = 0; i < G_N_ELEMENTS(required); i++)
		if (!es_conf_value_get(s->values, s->section, required[i])) {
			g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] %s: required key is missing",
				    c->path, line, s->section, required[i]);
			return FALSE;
		}
	if (!*es_school_list(s, "domains")) {
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] domains: at least one domain is needed",
			    c->path, line, s->section);
		return FALSE;
	}
	for (char *const *d = es_school_list(s, "domains"); *d; d++)
		if (!domain_ok(*d) || public_suffix(*d)) {
			g_set_error(err, ES_CONF_ERROR, 1, domain_ok(*d) ?
				    "%s:%d: [%s] domains: '%s' is a suffix many organisations share, not a school's domain "
				    "(it would make all of them internal)" :
				    "%s:%d: [%s] domains: '%s' is not a mail domain (such as "
				    "school.example.sch.uk; separate domains with commas)", c->path,
				    key_line(s, "domains", line), s->section, *d);
			return FALSE;
		}
	box = es_school_string(s, "esafety_mailbox");
	if (!mailbox_ok(box)) {
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] esafety_mailbox: '%s' is not an email address "
			    "(such as esafety@school.example.sch.uk)",
			    c->path, key_line(s, "esafety_mailbox", line), s->section, box);
		return FALSE;
	}
	for (guint i = 0; i < 2; i++) {
		const char *key = i ? "staff" : "pupils";

		if (!load_patterns(c, es_school_list(s, key), i ? s->staff : s->pupils, &why) ||
		    !patterns_reachable(s, i ? s->staff : s->pupils, NULL, &why)) {
			g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] %s: %s", c->path, key_line(s, key, line),
				    s->section, key, why);
			g_free(why);
			return FALSE;
		}
	}
	if (!load_year_groups(c, s, &why)) {
		id = g_strdup_printf("%s/year_groups", s->section);
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s] year_groups: %s", c->path,
			    GPOINTER_TO_INT(g_hash_table_lookup(lines, id)), s->section, why);
		g_free(id);
		g_free(why);
		return FALSE;
	}
	return TRUE;
}

/* policy_from_phase - a school that sets phase but no policy gets the
 * shipped preset of its phase: a primary school would otherwise get the
 * secondary policy, which holds far less of what reaches its pupils */
static void policy_from_phase(es_school *s)
{
	char *id = g_strdup_printf("%s/policy", s->section);
	es_conf_value *v = g_hash_table_lookup(s->values, id);

	if (v && v->line == 0) {
		g_free(v->str);
		v->str = g_strdup(es_school_string(s, "phase"));
	}
	g_free(id);
}

/* es_school_load - one [school:NAME] section */
es_school *es_school_load(es_conf *c, GKeyFile *kf, const char *group, GHashTable *lines, GError **err)
{
	es_school *s = g_new0(es_school, 1);
	const char *name = group + strlen("school:");

	s->section = g_strdup(group);
	s->name = g_strdup(name);
	s->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, es_conf_value_free);
	s->pupils = g_ptr_array_new_with_free_func(g_free);
	s->staff = g_ptr_array_new_with_free_func(g_free);
	s->year_groups = g_ptr_array_new_with_free_func(year_group_free);
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name)) {
		g_set_error(err, ES_CONF_ERROR, 1,
			    "%s:%d: [%s]: a school name may only have lower-case letters, digits, - and _",
			    c->path, GPOINTER_TO_INT(g_hash_table_lookup(lines, group)), group);
		es_school_free(s);
		return NULL;
	}
	/* the quarantine folder and Redis prefix of mail that is no school's */
	if (strcmp(name, "_none") == 0) {
		g_set_error(err, ES_CONF_ERROR, 1, "%s:%d: [%s]: _none is kept for mail of no school; choose another name",
			    c->path, GPOINTER_TO_INT(g_hash_table_lookup(lines, group)), group);
		es_school_free(s);
		return NULL;
	}
	if (!school_keys(c, s, kf, lines, err) || (es_conf_fill_defaults(s->values, "school:*", group), FALSE)
	    || !school_check(c, s, lines, err)) {
		es_school_free(s);
		return NULL;
	}
	policy_from_phase(s);
	return s;
}

guint es_conf_n_schools(const es_conf *c)
{
	return c->schools->len;
}

const es_school *es_conf_school(const es_conf *c, guint i)
{
	return i < c->schools->len ? g_ptr_array_index(c->schools, i) : NULL;
}

const es_school *es_conf_school_by_name(const es_conf *c, const char *name)
{
	for (guint i = 0; i < c->schools->len; i++) {
		const es_school *s = g_ptr_array_index(c->schools, i);

		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* es_addr_canonical - ADDR as the MTA will deliver it, lower-cased, so a
 * school and a role cannot be dodged by spelling: <brackets> and a source
 * route (@relay,@relay:user@domain) go, the domain loses trailing dots
 * (Postfix delivers "amy@school.example." to amy), and the percent hack
 * ("amy%school.example@relay") names the domain it routes to. */
char *es_addr_canonical(const char *addr)
{
	char *a = g_ascii_strdown(addr ? addr : "", -1), *p, *at, *pct;
	gsize n = strlen(a);

	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		memmove(a, a + 1, n - 2);
		a[n -= 2] = '\0';
	}
	if (a[0] == '@' && (p = strchr(a, ':')))
		memmove(a, p + 1, strlen(p + 1) + 1);
	if ((at = strrchr(a, '@'))) {
		/* the last % in the local part routes, as in Postfix's percent
		 * hack: "amy%school.example@relay" becomes "amy@school.example" */
		*at = '\0';
		if ((pct = strrchr(a, '%')) && pct[1])
			*pct = '@';
		else
			*at = '@';
	}
	n = strlen(a);
	while (n > 0 && a[n - 1] == '.' && strchr(a, '@'))
		a[--n] = '\0';
	return a;
}

/* domain_of - the domain of ADDR as es_addr_canonical gives it, or NULL */
static char *domain_of(const char *addr)
{
	char *a = es_addr_canonical(addr), *at = strrchr(a, '@'), *dom = at && at[1] ? g_strdup(at + 1) : NULL;

	g_free(a);
	return dom;
}

/* owned_by - the length of the longest of S's domains that DOM is, or is
 * below; 0 if none */
static gsize owned_by(const es_school *s, const char *dom)
{
	gsize best = 0, dl = dom ? strlen(dom) : 0;

	for (char *const *d = es_school_list(s, "domains"); dom && *d; d++) {
		gsize l = strlen(*d);

		if ((g_ascii_strcasecmp(dom, *d) == 0 ||
		     (dl > l && dom[dl - l - 1] == '.' && g_ascii_strcasecmp(dom + dl - l, *d) == 0)) && l > best)
			best = l;
	}
	return best;
}

/* es_school_shared_domain - a domain both A and B list, or NULL */
const char *es_school_shared_domain(const es_school *a, const es_school *b)
{
	for (char *const *d = es_school_list(a, "domains"); *d; d++)
		for (char *const *e = es_school_list(b, "domains"); *e; e++)
			if (g_ascii_strcasecmp(*d, *e) == 0)
				return *d;
	return NULL;
}

/* es_school_owns_address - ADDR's domain is one of the school's or below one */
gboolean es_school_owns_address(const es_school *s, const char *addr)
{
	char *dom = domain_of(addr);
	gboolean owns = owned_by(s, dom) > 0;

	g_free(dom);
	return owns;
}

/* es_conf_school_for_address - the school that owns ADDR's domain; where a
 * trust's domain and one of its school's subdomains both do, the longer
 * (the school's own) wins, whatever the order of the sections */
const es_school *es_conf_school_for_address(const es_conf *c, const char *addr)
{
	char *dom = domain_of(addr);
	const es_school *best = NULL;
	gsize best_len = 0;

	for (guint i = 0; dom && i < c->schools->len; i++) {
		const es_school *s = g_ptr_array_index(c->schools, i);
		gsize l = owned_by(s, dom);

		if (l > best_len) {
			best = s;
			best_len = l;
		}
	}
	g_free(dom);
	return best;
}

/* matches_any - ADDR (lower-cased) matches one of the glob patterns */
static gboolean matches_any(GPtrArray *patterns, const char *addr)
{
	for (guint i = 0; i < patterns->len; i++)
		if (g_pattern_match_simple(g_ptr_array_index(patterns, i), addr))
			return TRUE;
	return FALSE;
}

/* es_school_role - pupil, staff, other (a school address in neither list) or external */
es_role es_school_role(const es_school *s, const char *addr)
{
	char *low, *at;
	es_role role = ES_ROLE_EXTERNAL;

	if (!s || !addr)
		return role;
	/* one canonical form serves the domain test and the patterns */
	low = es_addr_canonical(addr);
	if ((at = strrchr(low, '@')) && at[1] && owned_by(s, at + 1) > 0)
		role = matches_any(s->pupils, low) ? ES_ROLE_PUPIL :
		       matches_any(s->staff, low) ? ES_ROLE_STAFF : ES_ROLE_OTHER;
	g_free(low);
	return role;
}

/* es_rcpt_role - ADDR's role in its own school: a message to pupils of two
 * schools, or to a school under a trust's domain, judges each recipient by
 * the school that owns it, not by the message's first school */
es_role es_rcpt_role(const es_conf *c, const char *addr)
{
	return es_school_role(es_conf_school_for_address(c, addr), addr);
}

/* es_school_year_group - the first year_groups entry ADDR matches */
const char *es_school_year_group(const es_school *s, const char *addr)
{
	const char *group = NULL;
	char *low;

	if (!s || !addr)
		return NULL;
	low = es_addr_canonical(addr);
	for (guint i = 0; !group && i < s->year_groups->len; i++) {
		const es_year_group *g = g_ptr_array_index(s->year_groups, i);

		if (matches_any(g->patterns, low))
			group = g->name;
	}
	g_free(low);
	return group;
}

const char *es_school_name(const es_school *s)
{
	return s->name;
}

const char *es_school_string(const es_school *s, const char *key)
{
	const es_conf_value *v = es_conf_value_get(s->values, s->section, key);

	return v ? v->str : NULL;
}

gint64 es_school_int(const es_school *s, const char *key)
{
	const es_conf_value *v = es_conf_value_get(s->values, s->section, key);

	return v ? v->num : 0;
}

gboolean es_school_bool(const es_school *s, const char *key)
{
	return es_school_int(s, key) != 0;
}

char *const *es_school_list(const es_school *s, const char *key)
{
	static char *const empty[] = { NULL };
	const es_conf_value *v = es_conf_value_get(s->values, s->section, key);

	return v && v->list ? v->list : empty;
}

es_action es_school_action(const es_school *s, const char *key)
{
	return (es_action)es_school_int(s, key);
}
