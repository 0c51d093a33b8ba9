/* conf_doc.c - the sample config and the man page option list, both made
 * from the key table so neither can drift from what the loader accepts */
#include "config.h"
#include <string.h>
#include "conf.h"

static const char *const type_names[] = {
	"text", "path", "number", "yes|no", "size", "duration", "list", "action", "choice", "socket",
	"networks", "command",
};

/* type_doc - how a key's values are written */
static const char *type_doc(const es_conf_key *k)
{
	if (k->type == ES_CT_ACTION)
		return k->choices ? k->choices : "accept|tempfail|reject";
	if (k->type == ES_CT_ENUM)
		return k->choices;
	return type_names[k->type];
}

/* wrap_comment - HELP as "# " lines of at most 76 columns */
static void wrap_comment(GString *out, const char *help)
{
	char **words = g_strsplit(help, " ", -1);
	gsize col = 0;

	for (char **w = words; *w; w++) {
		if (col && col + strlen(*w) + 1 > 76) {
			g_string_append_c(out, '\n');
			col = 0;
		}
		if (!col) {
			g_string_append(out, "#");
			col = 1;
		}
		g_string_append_printf(out, " %s", *w);
		col += strlen(*w) + 1;
	}
	g_string_append_c(out, '\n');
	g_strfreev(words);
}

/* es_conf_sample - every key with its help, commented out at its default */
char *es_conf_sample(void)
{
	GString *out = g_string_new(
		"# esafety.conf - configuration of esafety-milter, esafety-scan and esafety-quarantine.\n"
		"# Generated from the key table by 'esafety-milter --sample-config'; see esafety.conf(5).\n"
		"# Every key is shown commented out at its default. Lists are comma-separated.\n");
	const char *section = "";

	for (gsize i = 0; i < es_conf_table_len; i++) {
		const es_conf_key *k = &es_conf_table[i];

		if (strcmp(section, k->section) != 0) {
			section = k->section;
			if (strcmp(section, "school:*") == 0)
				g_string_append(out, "\n# One section per school; NAME is lower-case letters, digits, - and _.\n"
						     "#[school:NAME]\n");
			else
				g_string_append_printf(out, "\n[%s]\n", section);
		}
		g_string_append_c(out, '\n');
		wrap_comment(out, k->help);
		g_string_append_printf(out, "# (%s)\n#%s = %s\n", type_doc(k), k->key,
				       k->def ? k->def : "(required)");
	}
	return g_string_free(out, FALSE);
}

/* roff_escape - make TEXT safe inside a roff paragraph (hyphens are left
 * plain so paths read, and match, as they are) */
static char *roff_escape(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p; p++) {
		if (*p == '\\')
			g_string_append(out, "\\e");
		else if ((*p == '.' || *p == '\'') && (p == text || p[-1] == '\n'))
			g_string_append_printf(out, "\\&%c", *p);
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* es_conf_man_options - the OPTIONS part of esafety.conf(5) in roff */
char *es_conf_man_options(void)
{
	GString *out = g_string_new(NULL);
	const char *section = "";

	for (gsize i = 0; i < es_conf_table_len; i++) {
		const es_conf_key *k = &es_conf_table[i];
		char *help = roff_escape(k->help), *def = roff_escape(k->def ? k->def : "(required)");

		if (strcmp(section, k->section) != 0) {
			section = k->section;
			g_string_append_printf(out, ".SS [%s]\n",
					       strcmp(section, "school:*") == 0 ? "school:NAME" : section);
		}
		g_string_append_printf(out, ".TP\n.B %s\n(%s; default: %s)\n%s\n", k->key, type_doc(k), def, help);
		g_free(help);
		g_free(def);
	}
	return g_string_free(out, FALSE);
}
