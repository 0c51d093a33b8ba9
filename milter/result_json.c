/* result_json.c - the esafety-scan --json contract (ARCHITECTURE.md), built
 * with json-glib so escaping is never hand-rolled */
#include "config.h"
#include <string.h>
#include <json-glib/json-glib.h>
#include "result_json.h"

/* es_scan_categories - distinct categories of all findings (strings owned by S) */
GPtrArray *es_scan_categories(const es_scan *s)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < s->findings->len; i++) {
		es_finding *f = g_ptr_array_index(s->findings, i);
		gboolean seen = FALSE;

		for (guint j = 0; j < out->len && !seen; j++)
			seen = strcmp(g_ptr_array_index(out, j), f->category) == 0;
		if (!seen)
			g_ptr_array_add(out, f->category);
	}
	return out;
}

/* add_finding - one element of "findings" */
static void add_finding(JsonBuilder *b, const es_finding *f)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "detector");
	json_builder_add_string_value(b, f->detector);
	json_builder_set_member_name(b, "category");
	json_builder_add_string_value(b, f->category);
	json_builder_set_member_name(b, "severity");
	json_builder_add_int_value(b, f->severity);
	json_builder_set_member_name(b, "part");
	json_builder_add_string_value(b, f->part);
	json_builder_set_member_name(b, "rule");
	json_builder_add_string_value(b, f->rule);
	if (f->type) {
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, f->type);
	}
	if (f->records) {
		json_builder_set_member_name(b, "records");
		json_builder_add_int_value(b, f->records);
	}
	json_builder_set_member_name(b, "excerpt");
	json_builder_add_string_value(b, f->excerpt);
	json_builder_end_object(b);
}

/* member_string - "name": value, or null */
static void member_string(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

/* add_arrays - categories, findings, errors, inputs */
static void add_arrays(JsonBuilder *b, const es_scan *s)
{
	GPtrArray *cats = es_scan_categories(s);
	GHashTableIter it;
	gpointer k, val;

	json_builder_set_member_name(b, "categories");
	json_builder_begin_array(b);
	for (guint i = 0; i < cats->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(cats, i));
	json_builder_end_array(b);
	g_ptr_array_unref(cats);
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < s->findings->len; i++)
		add_finding(b, g_ptr_array_index(s->findings, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "errors");
	json_builder_begin_array(b);
	for (guint i = 0; i < s->errors->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(s->errors, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "inputs");
	json_builder_begin_object(b);
	g_hash_table_iter_init(&it, s->inputs);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		json_builder_set_member_name(b, k);
		json_builder_add_string_value(b, val);
	}
	json_builder_end_object(b);
}

/* es_result_json - see result_json.h */
char *es_result_json(const es_scan *s, const es_verdict *v, const char *file, double elapsed_ms)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *g;
	JsonNode *root;
	char *out;

	json_builder_begin_object(b);
	member_string(b, "file", file);
	member_string(b, "message_id", s->message_id);
	member_string(b, "action", es_action_name(v->action));
	member_string(b, "reason", v->rule);
	member_string(b, "school", s->school ? es_school_name(s->school) : NULL);
	member_string(b, "sender_role", es_role_name(s->sender_role));
	member_string(b, "direction", es_direction_name(s->direction));
	member_string(b, "year_group", s->year_group);
	add_arrays(b, s);
	member_string(b, "virus", s->virus);
	json_builder_set_member_name(b, "encrypted");
	json_builder_add_boolean_value(b, s->encrypted);
	json_builder_set_member_name(b, "elapsed_ms");
	json_builder_add_double_value(b, elapsed_ms);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	g = json_generator_new();
	json_generator_set_root(g, root);
	out = json_generator_to_data(g, NULL);
	json_node_unref(root);
	g_object_unref(g);
	g_object_unref(b);
	return out;
}
