/* conf.h - the configuration file: one table of keys, loaded with GKeyFile,
 * checked at load time, reference-counted so a reload can swap it safely */
#ifndef ES_CONF_H
#define ES_CONF_H

#include <glib.h>

/* What the milter does when something fails or a limit is hit. The names are
 * the values the config file uses (on_error = accept | tempfail | reject). */
typedef enum {
	ES_ACTION_ACCEPT = 0,	/* deliver as it is */
	ES_ACTION_COPY,		/* deliver, and copy to the school's e-safety mailbox */
	ES_ACTION_HOLD,		/* deliver only to the quarantine, for review */
	ES_ACTION_REJECT,	/* refuse with a 5xx and a notice */
	ES_ACTION_TEMPFAIL,	/* refuse with a 4xx; the MTA tries again later */
} es_action;

const char *es_action_name(es_action a);
/* es_action_strictness - rank for "the stricter wins": accept < copy < hold < tempfail < reject */
int es_action_strictness(es_action a);
/* es_action_parse - name to action; -1 if not an action name */
int es_action_parse(const char *name);

typedef enum {
	ES_CT_STRING,	/* free text */
	ES_CT_PATH,	/* a file or directory name */
	ES_CT_INT,	/* whole number within [min, max] */
	ES_CT_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	ES_CT_SIZE,	/* bytes, with optional K, M or G suffix, within [min, max] */
	ES_CT_DURATION,	/* milliseconds; suffix ms, s, m, h or d (plain number = seconds) */
	ES_CT_LIST,	/* comma-separated list */
	ES_CT_ACTION,	/* one of the names in 'choices' (default: accept, tempfail, reject) */
	ES_CT_ENUM,	/* one of the |-separated names in 'choices' */
	ES_CT_SOCKET,	/* a libmilter connection spec: unix:/PATH, inet:PORT@HOST, inet6:PORT@HOST */
	ES_CT_NETWORKS,	/* comma-separated IPv4/IPv6 networks (CIDR) or addresses */
	ES_CT_COMMAND,	/* a command line, split as a shell would (no shell runs it) */
} es_conf_type;

/* One key of the configuration file. The table of these (conf_table.c) is the
 * only place a key is declared: the loader, esafety-milter --sample-config and
 * the man page's option list all come from it. */
typedef struct {
	const char *section;	/* "milter", ..., or "school:*" for every school */
	const char *key;
	es_conf_type type;
	const char *def;	/* default as it would be written in the file; NULL: no default */
	gint64 min, max;	/* bounds for INT, SIZE, DURATION (min == max == 0: none) */
	const char *choices;	/* ENUM/ACTION: "a|b|c"; NULL for ACTION means accept|tempfail|reject;
				 * LIST: the words its items may be, or NULL for any */
	const char *help;	/* one or two sentences for the sample config and man page */
} es_conf_key;

extern const es_conf_key es_conf_table[];
extern const gsize es_conf_table_len;

/* es_conf_key_find - the table entry for SECTION/KEY ("school:x" matches "school:*") */
const es_conf_key *es_conf_key_find(const char *section, const char *key);

typedef struct es_school es_school;
typedef struct es_conf es_conf;

/* es_conf_load - read and check PATH; on error NULL and *err names the file,
 * line and key. A missing file is an error. */
es_conf *es_conf_load(const char *path, GError **err);
/* es_conf_new_defaults - a config with every default and no schools (tests, esafety-scan without -c) */
es_conf *es_conf_new_defaults(void);
es_conf *es_conf_ref(es_conf *c);
void es_conf_unref(es_conf *c);
const char *es_conf_path(const es_conf *c);
/* es_conf_duration_text - MS as people write it, in its largest whole unit:
 * 7d, 10s, 250ms (g_free) */
char *es_conf_duration_text(gint64 ms);
/* es_conf_where - "FILE:LINE" where a global key was set (the file alone for
 * a default), for errors that are about how two keys go together (g_free) */
char *es_conf_where(const es_conf *c, const char *section, const char *key);

/* Typed getters for keys of the global sections; the value is the file's or
 * the table default. Asking for a key not in the table is a programming
 * error and logs a warning (returns 0/NULL). Strings and lists are owned by
 * the config. */
const char *es_conf_string(const es_conf *c, const char *section, const char *key);
gint64 es_conf_int(const es_conf *c, const char *section, const char *key);	/* INT, SIZE, DURATION(ms) */
gboolean es_conf_bool(const es_conf *c, const char *section, const char *key);
char *const *es_conf_list(const es_conf *c, const char *section, const char *key);
es_action es_conf_action(const es_conf *c, const char *section, const char *key);

/* es_addr_canonical - ADDR lower-cased as the MTA delivers it: no
 * brackets, source route or trailing dots, the percent hack resolved; g_free */
char *es_addr_canonical(const char *addr);

/* Schools */
guint es_conf_n_schools(const es_conf *c);
const es_school *es_conf_school(const es_conf *c, guint i);
const es_school *es_conf_school_by_name(const es_conf *c, const char *name);
/* es_conf_school_for_address - the school one of whose domains is the
 * address's domain (subdomains count); NULL if none */
const es_school *es_conf_school_for_address(const es_conf *c, const char *addr);

/* Per-school keys ("school:*" in the table) */
const char *es_school_name(const es_school *s);
const char *es_school_string(const es_school *s, const char *key);
gint64 es_school_int(const es_school *s, const char *key);
gboolean es_school_bool(const es_school *s, const char *key);
char *const *es_school_list(const es_school *s, const char *key);
es_action es_school_action(const es_school *s, const char *key);
/* es_school_owns_domain - ADDR's domain is one of the school's (or a subdomain) */
gboolean es_school_owns_address(const es_school *s, const char *addr);
/* es_school_shared_domain - a domain both A and B list, or NULL */
const char *es_school_shared_domain(const es_school *a, const es_school *b);

typedef enum { ES_ROLE_EXTERNAL = 0, ES_ROLE_PUPIL, ES_ROLE_STAFF, ES_ROLE_OTHER } es_role;
const char *es_role_name(es_role r);
/* es_school_role - pupil/staff by the school's address patterns and list
 * files; a school address that is neither is "other"; anything else external */
es_role es_school_role(const es_school *s, const char *addr);
/* es_rcpt_role - ADDR's role in the school that owns it (external if none) */
es_role es_rcpt_role(const es_conf *c, const char *addr);
/* es_school_year_group - the year group of ADDR by the school's year_groups
 * (first matching entry), or NULL; the string is owned by the config */
const char *es_school_year_group(const es_school *s, const char *addr);

/* es_conf_sample - the sample config file text, from the table (g_free it) */
char *es_conf_sample(void);
/* es_conf_man_options - the man page option list (roff), from the table (g_free it) */
char *es_conf_man_options(void);

#define ES_CONF_ERROR es_conf_error_quark()
GQuark es_conf_error_quark(void);

#endif
