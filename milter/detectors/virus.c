/* virus.c - the virus detector: scans each message in-process with the one
 * shared libclamav engine (clamav_engine.c), part by part (virus_parts.c),
 * and turns its alerts into findings: viruses, encrypted content, limits hit */
#include "config.h"
#include <string.h>
#include <clamav.h>
#include "detector.h"
#include "clamav_engine.h"
#include "virus_scan.h"
#include "virus_parts.h"
#include "log.h"

typedef struct {
	gboolean enabled;
	gboolean run_without_av;
	char *tmpdir_shown;		/* [clamav] tmpdir, or what libclamav uses without it */
	es_clamav *holder;		/* NULL when disabled */
	es_virus_options opts;
} virus_state;

/* settings_from_conf - the engine's settings from [clamav] */
static void settings_from_conf(es_clamav_settings *set, const es_conf *conf)
{
	memset(set, 0, sizeof(*set));
	set->database = (char *)es_conf_string(conf, "clamav", "database");
	set->tmpdir = (char *)es_conf_string(conf, "clamav", "tmpdir");
	set->max_filesize = es_conf_int(conf, "clamav", "max_filesize");
	set->max_scansize = es_conf_int(conf, "clamav", "max_scansize");
	set->max_recursion = es_conf_int(conf, "clamav", "max_recursion");
	set->max_files = es_conf_int(conf, "clamav", "max_files");
	set->max_scantime_ms = es_conf_int(conf, "clamav", "max_scantime");
	set->phishing = es_conf_bool(conf, "clamav", "heuristic_phishing");
	set->concurrent_reload = es_conf_bool(conf, "clamav", "concurrent_reload");
	set->check_interval_ms = es_conf_int(conf, "clamav", "check_interval");
	set->prepare = es_virus_prepare_engine;
}

/* scan_raw_mode - [clamav] scan_raw as the enum (the loader checked the word) */
static es_scan_raw scan_raw_mode(const char *word)
{
	if (g_strcmp0(word, "always") == 0)
		return ES_SCAN_RAW_ALWAYS;
	if (g_strcmp0(word, "never") == 0)
		return ES_SCAN_RAW_NEVER;
	return ES_SCAN_RAW_AUTO;
}

/* options_from_conf - per-scan options (heuristics) from [clamav] */
static void options_from_conf(es_virus_options *o, const es_conf *conf)
{
	memset(o, 0, sizeof(*o));
	o->limits = es_conf_bool(conf, "clamav", "heuristic_limits");
	o->encrypted = es_conf_bool(conf, "clamav", "heuristic_encrypted");
	o->macros = es_conf_bool(conf, "clamav", "heuristic_macros");
	o->phishing = es_conf_bool(conf, "clamav", "heuristic_phishing");
	o->exe_in_archive = es_conf_bool(conf, "clamav", "heuristic_exe_in_archive");
	o->broken_exe = es_conf_bool(conf, "clamav", "heuristic_broken_exe");
	o->image_hash = es_conf_bool(conf, "clamav", "image_fuzzy_hash");
	o->scan_raw = scan_raw_mode(es_conf_string(conf, "clamav", "scan_raw"));
	o->max_scansize = (guint64)es_conf_int(conf, "clamav", "max_scansize");
	o->max_recursion = (guint)es_conf_int(conf, "clamav", "max_recursion");
	o->max_files = (guint)es_conf_int(conf, "clamav", "max_files");
	o->max_scantime_ms = (guint)es_conf_int(conf, "clamav", "max_scantime");
}

/* virus_load - open (first load) or reload (SIGHUP) the shared engine */
static void *virus_load(const es_conf *conf, GError **err)
{
	virus_state *st = g_new0(virus_state, 1);
	es_clamav_settings set;

	st->enabled = es_conf_bool(conf, "clamav", "enabled");
	if (!st->enabled) {
		es_log(LOG_WARNING, NULL, "clamav: virus scanning is switched off ([clamav] enabled = no)");
		return st;
	}
	st->run_without_av = g_strcmp0(es_conf_string(conf, "clamav", "on_db_missing"),
				       "run_without_av") == 0;
	options_from_conf(&st->opts, conf);
	settings_from_conf(&set, conf);
	st->holder = es_clamav_open(&set, st->run_without_av, err);
	if (!st->holder) {
		if (err && *err)
			g_prefix_error(err, "[clamav] on_db_missing = refuse: ");
		g_free(st);
		return NULL;
	}
	st->tmpdir_shown = g_strdup(es_clamav_tmpdir_used(set.tmpdir));
	return st;
}

/* virus_unload - drop this state's hold on the shared engine */
static void virus_unload(void *state)
{
	virus_state *st = state;

	if (!st)
		return;
	es_clamav_close(st->holder);
	g_free(st->tmpdir_shown);
	g_free(st);
}

/* scan_raw - the whole message as received, through libclamav's own mail
 * parser; REASON (es_virus_raw_reason) goes into the scan's inputs */
static cl_error_t scan_raw(es_clamav_engine *e, es_scan *s, es_virus_result *r,
			   const es_virus_options *o, const char *reason)
{
	gsize len;
	const void *p = g_bytes_get_data(s->raw, &len);

	es_scan_set_input(s, "virus.raw_scan", reason);
	return es_virus_scan_buffer(e, p, len, NULL, o, r);
}

/* same_name - A and B are the same file name once libclamav's mail parser
 * has replaced characters it does not keep (it writes "a-b" as "a_b") */
static gboolean same_name(const char *a, const char *b, gsize blen)
{
	gsize i;

	for (i = 0; a[i] && i < blen; i++)
		if (a[i] != b[i] && (g_ascii_isalnum(a[i]) || g_ascii_isalnum(b[i])))
			return FALSE;
	return a[i] == 0 && i == blen;
}

/* locate - the attachment a hit at WHERE ("name/inner/...") was in: its
 * MIME part, and WHERE written with the attachment's real name */
static const char *locate(es_scan *s, const char *where, char **shown)
{
	const char *slash = where ? strchr(where, '/') : NULL;
	gsize n = where ? (slash ? (gsize)(slash - where) : strlen(where)) : 0;

	*shown = g_strdup(where ? where : "message");
	for (guint i = 0; n && s->attachments && i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);

		if (a->filename && same_name(a->filename, where, n)) {
			g_free(*shown);
			*shown = g_strconcat(a->filename, slash, NULL);
			return a->part;
		}
	}
	return "message";
}

/* where_found - the MIME part a hit was in and how to show it: the part the
 * walk was scanning, or for the raw message the attachment its name gives */
static const char *where_found(es_scan *s, const char *part, const char *where, char **shown)
{
	if (!part)
		return locate(s, where, shown);
	*shown = g_strdup(where ? where : "message");
	return part;
}

/* report - turn one scan's alerts into findings and flags */
static void report(es_scan *s, const es_virus_result *r)
{
	const char *part;
	char *where;

	if (r->encrypted)
		s->encrypted = TRUE;
	if (r->limit) {
		part = where_found(s, r->limit_part, r->limit_where, &where);
		es_log(LOG_NOTICE, s->qid, "clamav: limit hit (%s) in %s", r->limit, where);
		es_scan_add_finding(s, "limits", "limits", 3, part, r->limit, where);
		g_free(where);
	}
	if (!r->virus)
		return;
	part = where_found(s, r->virus_part, r->virus_where, &where);
	es_log(LOG_NOTICE, s->qid, "clamav: %s found in %s (libclamav %s)", r->virus, where,
	       es_clamav_version());
	es_scan_set_input(s, "virus.engine", "libclamav");
	es_scan_set_input(s, "virus.engine_version", es_clamav_version());
	if (!s->virus)
		s->virus = g_strdup(r->virus);
	es_scan_add_finding(s, "virus", "virus", 5, part, r->virus, where);
	g_free(where);
}

/* virus_check - scan one message; FALSE with *err if it could not be scanned */
static gboolean virus_check(void *state, es_scan *s, GError **err)
{
	virus_state *st = state;
	es_clamav_engine *e;
	es_virus_result r = { .qid = s->qid };
	const char *reason;
	cl_error_t rc;
	gboolean done;

	if (!st || !st->enabled)
		return TRUE;
	if (!(e = es_clamav_acquire(st->holder))) {
		if (st->run_without_av) {
			es_scan_set_input(s, "virus.scanned", "no: no virus database");
			return TRUE;
		}
		g_set_error(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_NO_ENGINE,
			    "clamav: no virus database loaded");
		return FALSE;
	}
	rc = es_virus_scan_parts(e, s, &st->opts, &r);
	if ((rc == CL_CLEAN || rc == CL_VIRUS) && !r.timed_out &&
	    (reason = es_virus_raw_reason(s, &st->opts)))
		rc = scan_raw(e, s, &r, &st->opts, reason);
	es_clamav_release(e);
	report(s, &r);
	if (r.timed_out && !r.virus)
		rc = CL_ETIMEOUT;
	if (r.no_tmp && !r.virus && (rc == CL_CLEAN || rc == CL_VIRUS)) {
		/* an unscanned archive is not a clean one */
		g_set_error(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_SCAN,
			    "clamav: could not unpack into its temporary folder ([clamav] tmpdir %s)",
			    st->tmpdir_shown);
		es_log(LOG_ERR, s->qid, "clamav: scan failed: libclamav could not create a temporary file or"
		       " folder in %s ([clamav] tmpdir): what it had to unpack was not scanned", st->tmpdir_shown);
		rc = CL_ETMPDIR;
	} else if (rc != CL_CLEAN && rc != CL_VIRUS && !r.virus) {
		g_set_error(err, ES_CLAMAV_ERROR, rc == CL_ETIMEOUT ? ES_CLAMAV_ERROR_TIMEOUT
			    : ES_CLAMAV_ERROR_SCAN, "clamav: %s", cl_strerror(rc));
		es_log(LOG_WARNING, s->qid, "clamav: scan failed: %s", cl_strerror(rc));
	}
	done = rc == CL_CLEAN || rc == CL_VIRUS || r.virus;
	es_virus_result_clear(&r);
	return done;
}

static const char *const virus_inputs[] = { "virus.engine", "virus.engine_version", "virus.raw_scan",
	"virus.scanned", NULL };

const es_detector es_detector_virus = {
	.name = "virus",
	.load = virus_load,
	.check = virus_check,
	.unload = virus_unload,
	.inputs = virus_inputs,
	.shared = TRUE,
};
