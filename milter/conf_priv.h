/* conf_priv.h - what conf.c and school.c share about a loaded config */
#ifndef ES_CONF_PRIV_H
#define ES_CONF_PRIV_H

#include <glib.h>
#include "conf.h"

typedef struct {
	const es_conf_key *key;
	char *str;		/* the text as written (trimmed) */
	gint64 num;		/* INT, SIZE, DURATION (ms), BOOL (0/1), ACTION */
	char **list;		/* LIST */
	int line;		/* where it was read, 0 for a default */
} es_conf_value;

struct es_conf {
	int refs;
	char *path;
	GHashTable *values;	/* "section/key" -> es_conf_value */
	GPtrArray *schools;	/* es_school * */
};

struct es_school {
	char *name;
	GHashTable *values;	/* "school:NAME/key" -> es_conf_value */
	char *section;		/* "school:NAME" */
	GPtrArray *pupils;	/* lower-case GPatternSpec-able patterns (char *) */
	GPtrArray *staff;
	GPtrArray *year_groups;	/* es_year_group *, in the order written */
};

/* One entry of year_groups: a group and the pupil patterns it covers. */
typedef struct {
	char *name;		/* as written, e.g. "Year 9" */
	GPtrArray *patterns;	/* like es_school pupils */
} es_year_group;

gboolean es_conf_parse_value(const es_conf_key *k, const char *raw, es_conf_value *v, char **why);
char **es_conf_split_list(const char *raw);
void es_conf_fill_defaults(GHashTable *values, const char *section_pattern, const char *section);
const es_conf_value *es_conf_value_get(GHashTable *values, const char *section, const char *key);

es_school *es_school_load(es_conf *c, GKeyFile *kf, const char *group, GHashTable *lines, GError **err);
void es_school_free(gpointer s);
void es_conf_value_free(gpointer v);

#endif
