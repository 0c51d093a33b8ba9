/* engine.c - the loaded detectors, policies and reputation for one config,
 * swapped whole on reload, and the pipeline that runs them on a message */
#include "config.h"
#include <string.h>
#include "engine.h"
#include "detector.h"
#include "extract.h"
#include "reputation.h"
#include "route.h"
#include "mime.h"
#include "quarantine.h"
#include "notice.h"
#include "log.h"

struct es_engine {
	int refs;
	es_conf *conf;
	void **states;			/* one per es_detectors[] entry */
	GHashTable *policies;		/* policy name -> es_policy * */
	es_reputation *reputation;
	GBytes *key;			/* HMAC key for the quarantine (daemon only) */
	GHashTable *notices;		/* notice templates as read at load */
};

static GMutex current_lock;
static es_engine *current;

/* policy_path - local rules first, so a school can override a shipped preset */
static char *policy_path(const es_conf *c, const char *name)
{
	char *file = g_strdup_printf("%s.policy", name);
	char *local = g_build_filename(es_conf_string(c, "milter", "local_rules_dir"), "policies", file, NULL);
	char *path;

	if (g_file_test(local, G_FILE_TEST_EXISTS))
		path = local;
	else {
		path = g_build_filename(es_conf_string(c, "milter", "rules_dir"), "policies", file, NULL);
		g_free(local);
	}
	g_free(file);
	return path;
}

/* notice_exists - es_policy_check_notices' test, in one school's folders */
static gboolean notice_exists(const char *name, void *data)
{
	const es_engine *e = ((const void **)data)[0];
	const es_school *school = ((const void **)data)[1];

	return es_notice_exists(e->conf, school, name);
}

/* input_known - NAME is an input some part sets: a detector (its
 * descriptor lists them) or the reputation update; DATA is the window's
 * name ("7d") */
static gboolean input_known(const char *name, void *data)
{
	for (gsize i = 0; i < es_n_detectors; i++)
		if (es_detectors[i]->inputs && g_strv_contains(es_detectors[i]->inputs, name))
			return TRUE;
	return es_reputation_input_known(name, data);
}

/* load_policy - load NAME, named by WHERE ("[school:x] policy"), once into
 * E, and check the notice templates its rules name exist for SCHOOL (NULL:
 * mail of no school); errors say which key chose the policy */
static gboolean load_policy(es_engine *e, const char *name, const char *where,
			    const es_school *school, GError **err)
{
	const void *data[2] = { e, school };
	GError *e2 = NULL;
	char *path, *window;
	es_policy *p;

	if (!*name || strchr(name, '/') || name[0] == '.') {
		g_set_error(err, ES_CONF_ERROR, 1, "%s = %s: not a plain name (a file NAME.policy in policies/)",
			    where, name);
		return FALSE;
	}
	if (!(p = g_hash_table_lookup(e->policies, name))) {
		path = policy_path(e->conf, name);
		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			char *local = g_build_filename(es_conf_string(e->conf, "milter", "local_rules_dir"),
						       "policies", NULL);
			char *shipped = g_build_filename(es_conf_string(e->conf, "milter", "rules_dir"),
							 "policies", NULL);

			g_set_error(err, ES_CONF_ERROR, 1, "%s = %s: no such policy: no %s.policy in %s nor in %s",
				    where, name, name, local, shipped);
			g_free(local);
			g_free(shipped);
			g_free(path);
			return FALSE;
		}
		p = es_policy_load(path, err);
		g_free(path);
		if (!p) {
			g_prefix_error(err, "%s = %s: ", where, name);
			return FALSE;
		}
		g_hash_table_insert(e->policies, g_strdup(name), p);
	}
	window = es_reputation_window_name(e->conf);
	if (!es_policy_check_inputs(p, input_known, window, &e2)) {
		g_set_error(err, e2->domain, e2->code, "%s = %s: %s (with [redis] window = %s the counts are "
			    "input.reputation.CATEGORY or input.reputation.CATEGORY_%s; see rules/redis/README.md)",
			    where, name, e2->message, es_conf_string(e->conf, "redis", "window"), window);
		g_free(window);
		g_error_free(e2);
		return FALSE;
	}
	g_free(window);
	if (!es_policy_check_notices(p, notice_exists, data, &e2)) {
		char *dirs = es_notice_dirs(e->conf, school);
		GString *aud = g_string_new(NULL);

		for (gsize i = 0; i < G_N_ELEMENTS(es_notice_audiences); i++)
			g_string_append_printf(aud, "%s%s", i ? ", " : "", es_notice_audiences[i]);
		g_set_error(err, e2->domain, e2->code, "%s = %s: %s (AUDIENCE: %s) in %s", where, name,
			    e2->message, aud->str, dirs);
		g_string_free(aud, TRUE);
		g_free(dirs);
		g_error_free(e2);
		return FALSE;
	}
	return TRUE;
}

/* load_policies - the default policy and every school's */
static gboolean load_policies(es_engine *e, GError **err)
{
	gboolean ok = load_policy(e, es_conf_string(e->conf, "milter", "default_policy"),
				  "[milter] default_policy", NULL, err);

	for (guint i = 0; ok && i < es_conf_n_schools(e->conf); i++) {
		const es_school *school = es_conf_school(e->conf, i);
		char *where = g_strdup_printf("[school:%s] policy", es_school_name(school));

		ok = load_policy(e, es_school_string(school, "policy"), where, school, err);
		g_free(where);
	}
	return ok;
}

/* load_detectors - the detectors that are SHARED, or those that are not */
static gboolean load_detectors(es_engine *e, gboolean shared, GError **err)
{
	for (gsize i = 0; i < es_n_detectors; i++) {
		if (es_detectors[i]->shared != shared)
			continue;
		if (!(e->states[i] = es_detectors[i]->load(e->conf, err))) {
			g_prefix_error(err, "detector %s: ", es_detectors[i]->name);
			return FALSE;
		}
	}
	return TRUE;
}

/* es_engine_load - everything or nothing: a failed reload leaves the old
 * engine, and the shared detectors (ClamAV) as they were unless they were
 * what failed */
es_engine *es_engine_load(es_conf *conf, GError **err)
{
	es_engine *e = g_new0(es_engine, 1);

	e->refs = 1;
	e->conf = es_conf_ref(conf);
	e->states = g_new0(void *, es_n_detectors + 1);
	e->policies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)es_policy_free);
	e->notices = es_notice_cache_new(conf);
	if (!load_detectors(e, FALSE, err) || !load_policies(e, err) ||
	    !(e->reputation = es_reputation_new(conf, err)) || !load_detectors(e, TRUE, err)) {
		es_engine_unref(e);
		return NULL;
	}
	return e;
}

es_engine *es_engine_ref(es_engine *e)
{
	g_atomic_int_inc(&e->refs);
	return e;
}

/* es_engine_unref - the last user frees detectors, policies and config */
void es_engine_unref(es_engine *e)
{
	if (!e || !g_atomic_int_dec_and_test(&e->refs))
		return;
	for (gsize i = 0; i < es_n_detectors; i++)
		if (e->states[i])
			es_detectors[i]->unload(e->states[i]);
	g_free(e->states);
	g_hash_table_unref(e->policies);
	if (e->notices)
		g_hash_table_unref(e->notices);
	if (e->reputation)
		es_reputation_free(e->reputation);
	if (e->key)
		g_bytes_unref(e->key);
	es_conf_unref(e->conf);
	g_free(e);
}

/* es_engine_set_key - E takes KEY (read before the engine was loaded) */
void es_engine_set_key(es_engine *e, GBytes *key)
{
	if (e->key)
		g_bytes_unref(e->key);
	e->key = key;
}

GBytes *es_engine_key(const es_engine *e)
{
	return e->key;
}

GHashTable *es_engine_notices(const es_engine *e)
{
	return e->notices;
}

const es_conf *es_engine_conf(const es_engine *e)
{
	return e->conf;
}

void *es_engine_detector_state(const es_engine *e, const char *name)
{
	for (gsize i = 0; i < es_n_detectors; i++)
		if (strcmp(es_detectors[i]->name, name) == 0)
			return e->states[i];
	return NULL;
}

/* es_engine_current - a reference to the engine in use (NULL before the first swap) */
es_engine *es_engine_current(void)
{
	es_engine *e;

	g_mutex_lock(&current_lock);
	e = current ? es_engine_ref(current) : NULL;
	g_mutex_unlock(&current_lock);
	return e;
}

/* es_engine_swap - install NEW; scans holding the old one finish with it */
void es_engine_swap(es_engine *new_engine)
{
	es_engine *old;

	g_mutex_lock(&current_lock);
	old = current;
	current = new_engine;
	g_mutex_unlock(&current_lock);
	es_engine_unref(old);
}

/* set_action - A decides; the policy rule's name stays if it already said so */
static void set_action(es_verdict *v, es_action a, const char *why, const char *notice)
{
	if (v->action == a)
		return;
	v->action = a;
	g_free(v->rule);
	v->rule = g_strdup(why);
	g_free(v->notice);
	v->notice = g_strdup(notice);
}

/* escalate - make V at least as strict as A, naming WHY as the reason */
static void escalate(es_verdict *v, es_action a, const char *why)
{
	if (es_action_strictness(a) > es_action_strictness(v->action))
		set_action(v, a, why, why);
}

/* detector_error_action - what a failing detector's message gets */
static es_action detector_error_action(const es_conf *c, const char *name)
{
	if (strcmp(name, "virus") == 0 && es_conf_key_find("clamav", "on_scan_error"))
		return es_conf_action(c, "clamav", "on_scan_error");
	return es_conf_action(c, "milter", "on_error");
}

/* run_detectors - each detector in turn; failures are recorded, not fatal */
static void run_detectors(es_engine *e, es_scan *s, es_action *fail, const char **why)
{
	for (gsize i = 0; i < es_n_detectors; i++) {
		GError *err = NULL;

		if (es_detectors[i]->check(e->states[i], s, &err))
			continue;
		es_scan_error(s, "detector %s failed: %s", es_detectors[i]->name,
			      err ? err->message : "unknown error");
		g_clear_error(&err);
		if (es_action_strictness(detector_error_action(e->conf, es_detectors[i]->name)) > es_action_strictness(*fail)) {
			*fail = detector_error_action(e->conf, es_detectors[i]->name);
			*why = strcmp(es_detectors[i]->name, "virus") == 0 ? "on_scan_error" : "on_error";
		}
	}
}

/* policy_for - the school's policy, or the default one for mail of no school */
static const es_policy *policy_for(es_engine *e, const es_scan *s)
{
	const char *name = s->school ? es_school_string(s->school, "policy")
				     : es_conf_string(e->conf, "milter", "default_policy");

	return g_hash_table_lookup(e->policies, name);
}

/* has_limit_finding - a resource limit (not a rate limit) was hit */
static gboolean has_limit_finding(const es_scan *s)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		if (strcmp(f->detector, "limits") == 0 && strcmp(f->category, "rate_limit") != 0)
			return TRUE;
	}
	return FALSE;
}

void es_engine_without_reputation(es_engine *e)
{
	g_clear_pointer(&e->reputation, es_reputation_free);
}

/* es_engine_scan - extract, detect, count, decide. S is already parsed and routed. */
void es_engine_scan(es_engine *e, es_scan *s, es_verdict *v)
{
	es_action fail = ES_ACTION_ACCEPT;
	const char *why = NULL;
	GError *err = NULL;

	es_extract_all(s);
	run_detectors(e, s, &fail, &why);
	if (!es_reputation_update(e->reputation, s, &err)) {
		/* the Redis layer logs failures itself (once per interval while
		 * Redis is down), so only the JSON/headers get the reason here */
		g_ptr_array_add(s->errors, g_strdup_printf("reputation not used: %s",
							   err ? err->message : "unknown error"));
		s->reputation_unused = TRUE;
		g_clear_error(&err);
		if (es_action_strictness(es_conf_action(e->conf, "redis", "on_redis_error")) > es_action_strictness(fail)) {
			fail = es_conf_action(e->conf, "redis", "on_redis_error");
			why = "on_redis_error";
		}
	}
	es_policy_decide(policy_for(e, s), s, v);
	if (s->virus)	/* malware is the admin's call ([clamav] on_infected), whatever the policy says */
		set_action(v, es_conf_action(e->conf, "clamav", "on_infected"), "on_infected", "virus");
	if (has_limit_finding(s))
		escalate(v, es_conf_action(e->conf, "limits", "on_limit"), "on_limit");
	if (why)
		escalate(v, fail, why);
	if (v->action == ES_ACTION_TEMPFAIL)
		es_engine_note_tempfail(e, s);
	else if (v->action == ES_ACTION_REJECT)
		es_engine_note_refused(e, s);
}

void es_engine_note_tempfail(es_engine *e, const es_scan *s)
{
	es_reputation_note_tempfail(e->reputation, s);
}

void es_engine_note_refused(es_engine *e, const es_scan *s)
{
	es_reputation_note_refused(e->reputation, s);
}

/* verdict_for_failure - a message not scanned gets the configured action */
static void verdict_for_failure(es_verdict *v, es_action a, const char *why)
{
	es_verdict_clear(v);
	v->action = a;
	v->rule = g_strdup(why);
	v->notice = g_strdup(why);
	v->categories = g_strdup("");
}

/* engine_run - the whole pipeline for a message in s->raw (or MSG if the
 * caller already parsed it, as esafety-scan does to read the envelope off
 * its headers): size limit, MIME parse, routing, extraction, detectors,
 * reputation, policy */
static void engine_run(es_engine *e, es_scan *s, GMimeMessage *msg, es_verdict *v)
{
	gsize size = s->raw ? g_bytes_get_size(s->raw) : 0;

	es_route(s);
	if ((gint64)size > es_conf_int(e->conf, "milter", "max_message_size")) {
		es_scan_add_finding(s, "limits", "message_size", 3, "message", "max_message_size",
				    "message larger than [milter] max_message_size; not scanned");
		es_log(LOG_NOTICE, s->qid, "message of %zu bytes is over max_message_size; not scanned", size);
		verdict_for_failure(v, es_conf_action(e->conf, "milter", "on_oversize"), "on_oversize");
		return;
	}
	if (msg ? !es_mime_parse_message(s, msg) : !es_mime_parse(s)) {
		verdict_for_failure(v, es_conf_action(e->conf, "milter", "on_parse_error"), "on_parse_error");
		return;
	}
	es_engine_scan(e, s, v);
}

/* es_library_init - once per process, before any thread scans */
void es_library_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

/* es_engine_run - see engine.h; libraries' lines logged meanwhile carry the
 * message's queue ID */
void es_engine_run(es_engine *e, es_scan *s, GMimeMessage *msg, es_verdict *v)
{
	es_log_set_thread_qid(s->qid);
	engine_run(e, s, msg, v);
	es_log_set_thread_qid(NULL);
}
