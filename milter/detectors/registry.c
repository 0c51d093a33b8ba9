/* registry.c - the detectors, in the order they run. Adding one is a new
 * file in this folder and one line in each list below. */
#include "config.h"
#include <string.h>
#include "detector.h"

/* extern const es_detector es_detector_NAME; (one line per detector) */
extern const es_detector es_detector_virus;
extern const es_detector es_detector_pupil_data;
extern const es_detector es_detector_language;
extern const es_detector es_detector_personal_data;

const es_detector *const es_detectors[] = {
	/* &es_detector_NAME, (one line per detector) */
	&es_detector_virus,
	&es_detector_pupil_data,
	&es_detector_language,
	&es_detector_personal_data,
	NULL
};

const gsize es_n_detectors = sizeof(es_detectors) / sizeof(es_detectors[0]) - 1;

/* es_detector_find - look a detector up by name */
const es_detector *es_detector_find(const char *name)
{
	for (gsize i = 0; i < es_n_detectors; i++)
		if (strcmp(es_detectors[i]->name, name) == 0)
			return es_detectors[i];
	return NULL;
}
