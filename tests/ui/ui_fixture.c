/* ui_fixture.c - put a message into the quarantine exactly as the milter
 * does (es_scan + es_quarantine_store), for the UI tests. Prints the id.
 * usage: ui_fixture -c CONF --school S --from ADDR --to ADDR... --verdict V
 *        [--reason R] [--role R] [--virus NAME] [--year-group G]
 *        [--finding DETECTOR:CATEGORY:SEVERITY:PART:RULE:EXCERPT]... MESSAGE_FILE */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "conf.h"
#include "scan.h"
#include "policy.h"
#include "quarantine.h"

/* add_finding - parse D:C:S:P:R:E (the excerpt may contain ':') */
static gboolean add_finding(es_scan *s, GString *cats, const char *spec)
{
	char **f = g_strsplit(spec, ":", 6);
	gboolean ok = g_strv_length(f) == 6;

	if (ok) {
		es_scan_add_finding(s, f[0], f[1], atoi(f[2]), f[3], f[4], f[5]);
		if (!strstr(cats->str, f[1]))
			g_string_append_printf(cats, "%s%s", cats->len ? "," : "", f[1]);
	}
	g_strfreev(f);
	return ok;
}

/* main - build the scan from the arguments and store it */
int main(int argc, char **argv)
{
	const char *conf_path = NULL, *school = NULL, *verdict = "hold", *reason = "test-rule";
	const char *role = "external", *year_group = NULL;
	GString *cats = g_string_new(NULL);
	GPtrArray *finds = g_ptr_array_new();
	es_verdict v = { 0 };
	GError *err = NULL;
	es_conf *conf;
	es_scan *s;
	GBytes *key;
	char *raw, *id = NULL;
	gsize len;
	int i;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-c") == 0) conf_path = argv[i + 1];
		else if (strcmp(argv[i], "--school") == 0) school = argv[i + 1];
		else if (strcmp(argv[i], "--verdict") == 0) verdict = argv[i + 1];
		else if (strcmp(argv[i], "--reason") == 0) reason = argv[i + 1];
		else if (strcmp(argv[i], "--role") == 0) role = argv[i + 1];
		else if (strcmp(argv[i], "--year-group") == 0) year_group = argv[i + 1];
		else if (strcmp(argv[i], "--finding") == 0) g_ptr_array_add(finds, argv[i + 1]);
		else if (strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0 ||
			 strcmp(argv[i], "--virus") == 0) continue;
		else break;
	}
	if (!conf_path || i != argc - 1) {
		fprintf(stderr, "usage: ui_fixture -c CONF --school S --from A --to B ... MESSAGE\n");
		return 2;
	}
	if (!(conf = es_conf_load(conf_path, &err)) ||
	    !(key = es_hmac_key_load(es_conf_string(conf, "quarantine", "hmac_key_file"), &err)) ||
	    !g_file_get_contents(argv[i], &raw, &len, &err)) {
		fprintf(stderr, "ui_fixture: %s\n", err->message);
		return 1;
	}
	s = es_scan_new(conf, "FIXTUREQID");
	s->school = school ? es_conf_school_by_name(conf, school) : NULL;
	s->raw = g_bytes_new_take(raw, len);
	s->sender_role = strcmp(role, "pupil") == 0 ? ES_ROLE_PUPIL : strcmp(role, "staff") == 0
			 ? ES_ROLE_STAFF : ES_ROLE_EXTERNAL;
	s->direction = ES_DIR_INBOUND;
	s->year_group = year_group;
	for (int a = 1; a + 1 < argc - 1; a += 2) {
		if (strcmp(argv[a], "--from") == 0) { g_free(s->sender); s->sender = g_strdup(argv[a + 1]); }
		if (strcmp(argv[a], "--to") == 0) g_ptr_array_add(s->rcpts, g_strdup(argv[a + 1]));
		if (strcmp(argv[a], "--virus") == 0) s->virus = g_strdup(argv[a + 1]);
	}
	for (guint f = 0; f < finds->len; f++)
		if (!add_finding(s, cats, finds->pdata[f])) {
			fprintf(stderr, "ui_fixture: bad --finding %s\n", (char *)finds->pdata[f]);
			return 2;
		}
	v.action = es_action_parse(verdict);
	v.rule = g_strdup(reason);
	v.categories = g_string_free(cats, FALSE);
	if (!es_quarantine_store(s, &v, NULL, es_conf_string(conf, "quarantine", "root"), key, &id, &err)) {
		fprintf(stderr, "ui_fixture: %s\n", err->message);
		return 1;
	}
	printf("%s\n", id);
	g_free(id);
	es_verdict_clear(&v);
	es_scan_free(s);
	g_bytes_unref(key);
	es_conf_unref(conf);
	g_ptr_array_unref(finds);
	return 0;
}
