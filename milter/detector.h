/* detector.h - the one descriptor every detector sits behind. Adding a
 * detector is one new file in detectors/ and one line in detectors/registry.c. */
#ifndef ES_DETECTOR_H
#define ES_DETECTOR_H

#include <glib.h>
#include "conf.h"
#include "scan.h"

typedef struct {
	const char *name;	/* as in findings: language, personal_data, pupil_data, virus */
	/* load - build the detector's state from CONF (rules, engines). Called at
	 * start and on every reload, in the thread doing the reload; the result
	 * is used read-only by many threads at once. NULL with *err set on error;
	 * a detector switched off in CONF returns a non-NULL state that does nothing. */
	void *(*load)(const es_conf *conf, GError **err);
	/* check - scan one message: read s->texts / s->attachments / s->raw, add
	 * findings. Must be thread-safe, bounded in time and memory, and never
	 * abort on bad input. Returns FALSE with *err set if the scan could not be
	 * done (the caller applies the detector's on_error policy). */
	gboolean (*check)(void *state, es_scan *s, GError **err);
	/* unload - free the state (may be NULL) */
	void (*unload)(void *state);
	/* inputs - the policy inputs (input.NAME) check sets, NULL-terminated;
	 * NULL if none. A policy naming another input is refused at load. */
	const char *const *inputs;
	/* shared - load changes what the whole process shares (the ClamAV
	 * engine): it is loaded last, once everything else of a reload has
	 * loaded, so a reload refused for another reason leaves it as it was */
	gboolean shared;
} es_detector;

/* The registry, in the order they run. */
extern const es_detector *const es_detectors[];
extern const gsize es_n_detectors;

/* es_detector_find - by name; NULL if none */
const es_detector *es_detector_find(const char *name);

#endif
