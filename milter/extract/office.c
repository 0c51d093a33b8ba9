/* office.c - OOXML (XLSX, DOCX, PPTX) and ODF (ODS, ODT, ODP) documents,
 * whose members archive.c has already read within the limits: the text of
 * sheets, documents and slides; embedded files go back into the walk;
 * password-protected ODF is reported as encrypted */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

/* text_member - true for the members that hold a document's visible text */
static gboolean text_member(const char *name)
{
	return (g_str_has_prefix(name, "xl/worksheets/sheet") ||
		g_str_has_prefix(name, "word/document") || g_str_has_prefix(name, "word/header") ||
		g_str_has_prefix(name, "word/footer") || g_str_has_prefix(name, "ppt/slides/slide") ||
		strcmp(name, "content.xml") == 0) && g_str_has_suffix(name, ".xml");
}

/* embedded_member - files inside the document (an XLSX in a DOCX, say) */
static gboolean embedded_member(const char *name)
{
	return g_str_has_prefix(name, "xl/embeddings/") || g_str_has_prefix(name, "word/embeddings/") ||
	       g_str_has_prefix(name, "ppt/embeddings/");
}

/* odf_encrypted - ODF keeps a password-protected document's members
 * encrypted and says so in META-INF/manifest.xml */
static gboolean odf_encrypted(GHashTable *members)
{
	GBytes *m = g_hash_table_lookup(members, "META-INF/manifest.xml");
	gsize len;
	const char *d;

	if (!m)
		return FALSE;
	d = g_bytes_get_data(m, &len);
	return g_strstr_len(d, (gssize)len, "encryption-data") != NULL;
}

/* add_member_text - one XML member's text, rows as lines */
static void add_member_text(es_xctx *x, es_attachment *a, const char *name, GBytes *xml,
			    GPtrArray *shared)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	char *text = es_x_xml_text(x, a, d, len, g_str_has_prefix(name, "xl/") ? shared : NULL, TRUE, NULL);

	if (!text) {
		es_scan_error(x->s, "part %s: %s is not well-formed XML", a->part, name);
		return;
	}
	es_x_add_text(x, a, text, strlen(text));
	g_free(text);
}

/* es_x_office_zip - MEMBERS maps member names to their bytes */
void es_x_office_zip(es_xctx *x, es_attachment *a, GHashTable *members)
{
	GBytes *sst = g_hash_table_lookup(members, "xl/sharedStrings.xml");
	GPtrArray *shared = sst ? es_x_xlsx_shared_strings(x, a, sst) : NULL;
	GList *names = g_list_sort(g_hash_table_get_keys(members), (GCompareFunc)strcmp);
	guint n = 0;

	if (odf_encrypted(members)) {
		es_x_mark_encrypted(x, a, "password-protected OpenDocument");
		names = (g_list_free(names), NULL);
	}
	for (GList *l = names; l; l = l->next) {
		const char *name = l->data;

		n++;
		if (text_member(name))
			add_member_text(x, a, name, g_hash_table_lookup(members, name), shared);
		else if (embedded_member(name) && es_x_member_ok(x, a))
			es_x_add_member(x, a, n, strrchr(name, '/') + 1, g_hash_table_lookup(members, name));
	}
	g_list_free(names);
	if (shared)
		g_ptr_array_unref(shared);
}
