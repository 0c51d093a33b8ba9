/* office.c - OOXML (XLSX, DOCX, PPTX) and ODF (ODS, ODT, ODP) documents,
 * whose members archive.c has already read within the limits: the text of
 * sheets, documents and slides; which members go back into the walk
 * (embedded files, and anything that is not part of the format);
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

/* Package parts sit a few folders deep under short names; a member named
 * past these is not one, and is read like any other member */
#define PART_NAME_MAX 1024
#define PART_DEPTH_MAX 16

/* named_by - PARTS (see es_x_package_parts) has NAME, or a folder entry
 * above it. Bounded: every prefix of a long name cost a copy and a hash. */
static gboolean named_by(GHashTable *parts, const char *name)
{
	gsize len = strlen(name);
	char folder[PART_NAME_MAX + 1];
	gboolean found;
	int depth = 0;

	if (len > PART_NAME_MAX)
		return FALSE;
	found = g_hash_table_contains(parts, name);
	for (const char *p = strchr(name, '/'); !found && p && depth++ < PART_DEPTH_MAX; p = strchr(p + 1, '/')) {
		memcpy(folder, name, (gsize)(p - name) + 1);
		folder[p - name + 1] = '\0';
		found = g_hash_table_contains(parts, folder);
	}
	return found;
}

/* package_part - the document's own structure, which a reader shows only
 * through the text members: its text, and the XML parts the package names
 * (its content types, manifest and relationships among them, when they are
 * what their names say) */
static gboolean package_part(const char *name, GHashTable *parts)
{
	gboolean xmlish = g_str_has_suffix(name, ".xml") || g_str_has_suffix(name, ".rels") ||
			  g_str_has_suffix(name, ".rdf") || strcmp(name, "mimetype") == 0;

	/* text members are read by es_x_office_zip whether named or not */
	return text_member(name) || (xmlish && named_by(parts, name));
}

/* es_x_office_walk_name - a text file or archive that merely sits beside
 * the package parts is not part of the document and is read like any
 * archive member; a zip must not hide it by adding a mimetype member */
const char *es_x_office_walk_name(const char *name, GHashTable *parts, GBytes *data)
{
	gsize len;
	const char *d = data ? g_bytes_get_data(data, &len) : NULL;

	if (embedded_member(name))
		return strrchr(name, '/') + 1;
	/* data a package may name, but that is not the document's own: custom
	 * XML items (any data at all), and a CTF export wherever it sits */
	if ((g_str_has_prefix(name, "customXml/item") && !g_str_has_prefix(name, "customXml/itemProps")) ||
	    (d && memmem(d, MIN(len, 2048), "<CTfile", 7)))
		return name;
	return package_part(name, parts) ? NULL : name;
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

/* es_x_office_zip - MEMBERS maps member names to their bytes; sheets are
 * read in name order, each within what is left of the budget and time */
void es_x_office_zip(es_xctx *x, es_attachment *a, GHashTable *members)
{
	GBytes *sst = g_hash_table_lookup(members, "xl/sharedStrings.xml");
	GPtrArray *shared = sst ? es_x_xlsx_shared_strings(x, a, sst) : NULL;
	GList *names = g_list_sort(g_hash_table_get_keys(members), (GCompareFunc)strcmp);

	if (odf_encrypted(members)) {
		es_x_mark_encrypted(x, a, "password-protected OpenDocument");
		names = (g_list_free(names), NULL);
	}
	for (GList *l = names; l; l = l->next) {
		const char *name = l->data;

		if (!text_member(name))
			continue;
		if (!es_x_next_ok(x, a))
			break;
		add_member_text(x, a, name, g_hash_table_lookup(members, name), shared);
	}
	g_list_free(names);
	if (shared)
		g_ptr_array_unref(shared);
}
