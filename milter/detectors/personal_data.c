/* personal_data.c - the personal-data detector: UK identifiers checked by
 * their checksums, contact details, passwords and arranging to meet, each
 * reported with redacted evidence as personal_info (one person's own) or
 * sensitive_data (identifiers of several people in one message). */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "detector.h"
#include "log.h"
#include "redact.h"
#include "pd_scan.h"

typedef struct {
	pd_rules *rules;	/* NULL: switched off in the config */
} pd_state;

/* What one school wants: types on or off, severity of each. */
typedef struct {
	gboolean enabled[PD_N_TYPES];
	int severity[PD_N_TYPES];
} pd_prefs;

/* Matches of one type in one text. */
typedef struct {
	guint text;		/* index in s->texts */
	char *excerpt;		/* redacted first value */
	guint count;
} pd_tally;

#define PD_ERROR g_quark_from_static_string("es-personal-data")

/* apply_prefs - switch off the types in OFF and set the severities in SEV
 * ("type:N") on P; FALSE and *why (naming the key: OFF_KEY or SEV_KEY) if an
 * entry is not understood */
static gboolean apply_prefs(pd_prefs *p, char *const *off, char *const *sev, const char *off_key,
			    const char *sev_key, char **why)
{
	for (char *const *o = off; o && *o; o++) {
		int t = pd_type_parse(*o);

		if (t < 0) {
			*why = g_strdup_printf("%s: '%s' is not a personal-data type", off_key, *o);
			return FALSE;
		}
		p->enabled[t] = FALSE;
	}
	for (char *const *e = sev; e && *e; e++) {
		const char *colon = strchr(*e, ':');
		char *name = colon ? g_strndup(*e, colon - *e) : NULL, *end = NULL;
		int t = name ? pd_type_parse(g_strstrip(name)) : -1;
		long n = colon ? strtol(colon + 1, &end, 10) : 0;

		g_free(name);
		if (t < 0 || !end || end == colon + 1 || *end || n < 1 || n > 5) {
			*why = g_strdup_printf("%s: '%s' is not TYPE:SEVERITY (a type and 1-5)", sev_key, *e);
			return FALSE;
		}
		p->severity[t] = (int)n;
	}
	return TRUE;
}

/* prefs_for - the rules' settings, then [personal_data], then SCHOOL's */
static gboolean prefs_for(const pd_rules *r, const es_conf *conf, const es_school *school,
			  pd_prefs *p, char **why)
{
	for (int t = 0; t < PD_N_TYPES; t++) {
		p->enabled[t] = r->types[t].enabled;
		p->severity[t] = r->types[t].severity;
	}
	if (!apply_prefs(p, es_conf_list(conf, "personal_data", "disabled"),
			 es_conf_list(conf, "personal_data", "severity"), "disabled", "severity", why))
		return FALSE;
	return !school || apply_prefs(p, es_school_list(school, "personal_data_disabled"),
				      es_school_list(school, "personal_data_severity"), "personal_data_disabled",
				      "personal_data_severity", why);
}

/* pd_unload - free the state */
static void pd_unload(void *state)
{
	pd_state *st = state;

	if (st)
		pd_rules_free(st->rules);
	g_free(st);
}

/* pd_load - read the rules and check every school's settings against them */
static void *pd_load(const es_conf *conf, GError **err)
{
	pd_state *st = g_new0(pd_state, 1);
	pd_prefs p;
	char *why = NULL;

	if (!es_conf_bool(conf, "personal_data", "enabled"))
		return st;
	st->rules = pd_rules_load(es_conf_string(conf, "milter", "rules_dir"),
				  es_conf_string(conf, "milter", "local_rules_dir"), err);
	if (!st->rules) {
		pd_unload(st);
		return NULL;
	}
	if (!prefs_for(st->rules, conf, NULL, &p, &why))
		g_set_error(err, PD_ERROR, 1, "%s: [personal_data] %s", es_conf_path(conf), why);
	for (guint i = 0; !why && i < es_conf_n_schools(conf); i++)
		if (!prefs_for(st->rules, conf, es_conf_school(conf, i), &p, &why))
			g_set_error(err, PD_ERROR, 1, "%s: [school:%s] %s", es_conf_path(conf),
				    es_school_name(es_conf_school(conf, i)), why);
	if (why) {
		g_free(why);
		pd_unload(st);
		return NULL;
	}
	es_log(LOG_INFO, NULL, "personal_data: %d types, %u meeting phrases, threshold %d",
	       PD_N_TYPES, st->rules->meeting->len, st->rules->threshold);
	return st;
}

/* tally - count match M of text TI: distinct values per type, up to
 * SEVERAL (all that report() asks; keeping every one of a flood of
 * postcodes cost 20 bytes of memory per byte of text), and per part */
static void tally(const es_text *tx, guint ti, const pd_match *m, GArray *parts, GHashTable *distinct,
		  guint several)
{
	pd_tally *last = parts->len ? &g_array_index(parts, pd_tally, parts->len - 1) : NULL;

	if (g_hash_table_size(distinct) < several)
		g_hash_table_add(distinct, pd_normalise(tx->text, m));
	if (last && last->text == ti) {
		last->count++;
		return;
	}
	pd_tally t = { ti, es_redact(pd_type_names[m->type], tx->text + m->start,
				     (gssize)(m->end - m->start)), 1 };
	g_array_append_val(parts, t);
}

/* report - one finding per type and part; several distinct identifiers of
 * one person-identifying type make the message sensitive_data */
static void report(es_scan *s, const pd_rules *r, const pd_prefs *p, pd_type t,
		   GArray *parts, guint distinct)
{
	gboolean several = r->types[t].identity && distinct >= (guint)r->several;
	const char *category = several ? "sensitive_data" : "personal_info";
	int severity = several ? MAX(p->severity[t], r->sensitive_severity) : p->severity[t];
	char *rule = g_strdup_printf("personal_data.%s%s", pd_type_names[t], several ? ".several" : "");

	for (guint i = 0; i < parts->len; i++) {
		pd_tally *pt = &g_array_index(parts, pd_tally, i);
		const es_text *tx = g_ptr_array_index(s->texts, pt->text);
		char *excerpt = pt->count > 1 ?
			g_strdup_printf("%s (+%u more)", pt->excerpt, pt->count - 1) : g_strdup(pt->excerpt);
		es_finding *f = es_scan_add_finding(s, "personal_data", category, severity,
						    tx->part, rule, excerpt);

		f->type = g_strdup(pd_type_names[t]);
		es_log(LOG_INFO, s->qid, "personal_data: %s %s in %s: %s", category,
		       pd_type_names[t], tx->label ? tx->label : tx->part, excerpt);
		g_free(excerpt);
		g_free(pt->excerpt);
	}
	g_free(rule);
}

/* scan_texts - tally every wanted match of every text; FALSE if time ran out */
static gboolean scan_texts(es_scan *s, const pd_rules *r, const pd_prefs *p,
			   GArray **parts, GHashTable **distinct)
{
	GArray *m = g_array_new(FALSE, FALSE, sizeof(pd_match));
	gboolean in_time = TRUE;

	for (guint ti = 0; s->texts && ti < s->texts->len; ti++) {
		const es_text *tx = g_ptr_array_index(s->texts, ti);

		if (es_scan_out_of_time(s)) {
			in_time = FALSE;
			break;
		}
		g_array_set_size(m, 0);
		pd_scan_text(r, tx->text, tx->len, m);
		for (guint i = 0; i < m->len; i++) {
			const pd_match *x = &g_array_index(m, pd_match, i);

			if (p->enabled[x->type])
				tally(tx, ti, x, parts[x->type], distinct[x->type], (guint)MAX(r->several, 1));
		}
	}
	g_array_free(m, TRUE);
	return in_time;
}

/* pd_check - scan every text of S and add the findings */
static gboolean pd_check(void *state, es_scan *s, GError **err)
{
	pd_state *st = state;
	GArray *parts[PD_N_TYPES];
	GHashTable *distinct[PD_N_TYPES];
	pd_prefs p;
	char *why = NULL;
	gboolean done;

	if (!st || !st->rules)
		return TRUE;
	if (!prefs_for(st->rules, s->conf, s->school, &p, &why)) {
		g_set_error(err, PD_ERROR, 1, "personal_data: %s", why);	/* checked at load */
		g_free(why);
		return FALSE;
	}
	for (int t = 0; t < PD_N_TYPES; t++) {
		parts[t] = g_array_new(FALSE, FALSE, sizeof(pd_tally));
		distinct[t] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	}
	done = scan_texts(s, st->rules, &p, parts, distinct);
	for (int t = 0; t < PD_N_TYPES; t++) {
		report(s, st->rules, &p, (pd_type)t, parts[t], g_hash_table_size(distinct[t]));
		g_array_free(parts[t], TRUE);
		g_hash_table_unref(distinct[t]);
	}
	if (!done)
		g_set_error(err, PD_ERROR, 2, "personal_data: out of time before the last text");
	return done;
}

const es_detector es_detector_personal_data = {
	.name = "personal_data",
	.load = pd_load,
	.check = pd_check,
	.unload = pd_unload,
};
