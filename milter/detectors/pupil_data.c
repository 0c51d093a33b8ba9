/* pupil_data.c - the pupil-data detector: how many pupils each text
 * (attachment or body) describes and which kinds of data, and CTF files,
 * which are pupil data by definition. Encrypted content is never read as
 * plain: extractors give no text for it and CTFs inside it are not seen. */
#include "config.h"
#include <string.h>
#include "detector.h"
#include "pupil_data.h"

#define BIT(k) (1u << (k))

/* rules_path - local_rules_dir/pupil_data/headers.txt if present, else the shipped one */
static char *rules_path(const es_conf *conf)
{
	char *local = g_build_filename(es_conf_string(conf, "milter", "local_rules_dir"),
				       "pupil_data", "headers.txt", NULL);

	if (g_file_test(local, G_FILE_TEST_IS_REGULAR))
		return local;
	g_free(local);
	return g_build_filename(es_conf_string(conf, "milter", "rules_dir"), "pupil_data", "headers.txt", NULL);
}

/* load - the header rules */
static void *load(const es_conf *conf, GError **err)
{
	char *path = rules_path(conf);
	pk_rules *r = pk_rules_load(path, err);

	g_free(path);
	if (r)
		r->enabled = es_conf_bool(conf, "pupil_data", "enabled");
	return r;
}

static void unload(void *state)
{
	pk_rules_free(state);
}

/* severity - more pupils and special category data are more serious */
static int severity(int records, guint kinds, guint special)
{
	int sev = records >= 10 ? 5 : records >= 2 ? 4 : 3;

	if (kinds & special)
		sev++;
	return MIN(sev, 5);
}

/* add - one pupil_data finding */
static void add(es_scan *s, const char *part, const char *rule, int records, guint kinds, int sev)
{
	char *excerpt = pk_excerpt(records, kinds);
	es_finding *f = es_scan_add_finding(s, "pupil_data", "pupil_data", sev, part, rule, excerpt);

	f->records = records;
	g_free(excerpt);
}

/* ctf_pupils - pupils in a CTF (root <CTfile>); 0 if A is not one */
static int ctf_pupils(const es_attachment *a, guint *kinds)
{
	static const struct { const char *tag; int kind; } tags[] = {
		{ "<UPN>", PK_UPN }, { "<DOB>", PK_DOB }, { "<SENhistory", PK_SEN },
		{ "<FSMhistory", PK_FSM }, { "<Ethnicity>", PK_ETHNICITY }, { "<LookedAfter", PK_LAC },
		{ "<Address", PK_ADDRESS }, { "<Contacts", PK_CONTACT }, { "<MedicalFlag", PK_MEDICAL },
	};
	gsize len;
	const char *d = g_bytes_get_data(a->data, &len);
	const char *root;
	int n = 0;

	if (!d || !(root = g_strstr_len(d, (gssize)MIN(len, 4096), "<CTfile")))
		return 0;
	*kinds = BIT(PK_NAME);
	for (gsize i = 0; i < G_N_ELEMENTS(tags); i++)
		if (g_strstr_len(d, (gssize)len, tags[i].tag))
			*kinds |= BIT(tags[i].kind);
	for (const char *p = root, *end = d + len; (p = g_strstr_len(p, end - p, "<Pupil")); p += 6)
		n += p[6] == '>' || p[6] == ' ';
	return MAX(n, 1);
}

/* skip_part - PART is a CTF (already counted) or encrypted */
static gboolean skip_part(GHashTable *skip, const char *part)
{
	return g_hash_table_contains(skip, part);
}

/* check - CTFs first (their text is not counted again), then every text */
static gboolean check(void *state, es_scan *s, GError **err)
{
	const pk_rules *r = state;
	GHashTable *skip;

	if (!r->enabled)
		return TRUE;
	skip = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);
		guint kinds = 0;
		int n;

		if (a->encrypted) {
			g_hash_table_add(skip, a->part);
		} else if ((n = ctf_pupils(a, &kinds)) > 0) {
			add(s, a->part, "ctf", n, kinds, 5);
			g_hash_table_add(skip, a->part);
		}
	}
	for (guint i = 0; i < s->texts->len; i++) {
		const es_text *t = g_ptr_array_index(s->texts, i);
		pk_result res;

		if (strcmp(t->part, "subject") == 0 || skip_part(skip, t->part))
			continue;
		pk_analyse(r, t->text, t->len, &res);
		if (res.records > 0)
			add(s, t->part, res.rule, res.records, res.kinds,
			    severity(res.records, res.kinds, r->special));
	}
	g_hash_table_destroy(skip);
	return TRUE;
}

const es_detector es_detector_pupil_data = {
	.name = "pupil_data",
	.load = load,
	.check = check,
	.unload = unload,
};
