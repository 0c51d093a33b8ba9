/* engine.h - everything a message is scanned with: the config, each
 * detector's loaded state and the schools' policies. Built at start and on
 * reload, reference-counted, swapped whole so a scan never sees half a reload. */
#ifndef ES_ENGINE_H
#define ES_ENGINE_H

#include <glib.h>
#include "conf.h"
#include "scan.h"
#include "policy.h"

typedef struct es_engine es_engine;

/* es_engine_load - load every detector and policy for CONF; NULL and *err on failure */
es_engine *es_engine_load(es_conf *conf, GError **err);
es_engine *es_engine_ref(es_engine *e);
void es_engine_unref(es_engine *e);
const es_conf *es_engine_conf(const es_engine *e);
/* es_engine_notices - E's notice templates as read at load (es_notice_cache_new) */
GHashTable *es_engine_notices(const es_engine *e);
/* es_engine_set_key - E takes KEY (its reference): the quarantine HMAC key
 * the daemon needs (esafety-scan does not), read with es_hmac_key_load
 * before the engine is loaded, so a missing key refuses a reload before the
 * shared detectors change */
void es_engine_set_key(es_engine *e, GBytes *key);
GBytes *es_engine_key(const es_engine *e);
/* es_engine_detector_state - the loaded state of detector NAME, or NULL */
void *es_engine_detector_state(const es_engine *e, const char *name);

/* The engine in use. es_engine_current returns a new reference; es_engine_swap
 * takes over NEW and drops the old one once the last scan using it ends. */
es_engine *es_engine_current(void);
void es_engine_swap(es_engine *new_engine);

/* es_engine_without_reputation - E leaves Redis alone: no sender records,
 * rate limits or first contacts read or counted (esafety-scan without --record) */
void es_engine_without_reputation(es_engine *e);
/* es_engine_note_tempfail - S ends tempfailed (after es_engine_scan, by a
 * later step): its retry is not counted again in Redis */
void es_engine_note_tempfail(es_engine *e, const es_scan *s);
/* es_engine_note_refused - S ends refused (reject), however it came to be:
 * the pupils it contacted first are forgotten again (reputation.h) */
void es_engine_note_refused(es_engine *e, const es_scan *s);
/* es_engine_scan - run the detectors on a parsed, routed scan and decide the verdict */
void es_engine_scan(es_engine *e, es_scan *s, es_verdict *v);

/* es_engine_run - the whole pipeline for s->raw (or MSG when the caller
 * already parsed it): route, size limit (on_oversize), parse
 * (on_parse_error), extraction, detectors, reputation, policy. The milter and
 * esafety-scan both go through here, so they cannot disagree. */
void es_engine_run(es_engine *e, es_scan *s, GMimeMessage *msg, es_verdict *v);

/* es_library_init - GMime and other process-wide set-up; call once in main */
void es_library_init(void);

#endif
