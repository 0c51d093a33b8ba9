/* result_json.h - one scanned message as the JSON object of esafety-scan --json */
#ifndef ES_RESULT_JSON_H
#define ES_RESULT_JSON_H

#include "scan.h"
#include "policy.h"

/* es_result_json - one line of JSON (no newline; g_free it) for S and V */
char *es_result_json(const es_scan *s, const es_verdict *v, const char *file, double elapsed_ms);

/* es_scan_categories - distinct finding categories, in order of first appearance */
GPtrArray *es_scan_categories(const es_scan *s);

#endif
