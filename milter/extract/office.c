/* office.c - OOXML (XLSX, DOCX, PPTX) and ODF (ODS, ODT, ODP) documents,
 * whose members archive.c has already read within the limits: the text of
 * sheets, documents and slides; which members go back into the walk
 * (embedded files, and anything that is not part of the format);
 * password-protected ODF is reported as encrypted */
#include "config.h"
#include <string.h>
#include <libxml/xmlreader.h>
#include "extract_priv.h"

/* main_member - the members that hold a document's main text (sheets,
 * body, slides); read first, and never back into the walk */
static gboolean main_member(const char *name)
{
	return (g_str_has_prefix(name, "xl/worksheets/sheet") ||
		g_str_has_prefix(name, "word/document") || g_str_has_prefix(name, "word/header") ||
		g_str_has_prefix(name, "word/footer") || g_str_has_prefix(name, "ppt/slides/slide") ||
		strcmp(name, "content.xml") == 0) && g_str_has_suffix(name, ".xml");
}

/* OOXML parts that hold no text anyone reads: styles, themes, settings */
static const char *const no_text_names[] = {
	"styles.xml", "settings.xml", "fontTable.xml", "webSettings.xml", "numbering.xml", "calcChain.xml",
	"stylesWithEffects.xml", "presProps.xml", "viewProps.xml", "tableStyles.xml", NULL
};
static const char *const no_text_paths[] = {
	"_rels/", "theme/", "media/", "embeddings/", "printerSettings", "vbaProject", NULL
};

/* text_member - a member whose text is read: ODF's content.xml and
 * styles.xml (headers, footers), and every OOXML XML part, whatever its name
 * (footnotes, comments, notes, a renamed sheet), but the known textless
 * ones; docProps and custom XML are dealt with elsewhere */
static gboolean text_member(const char *name)
{
	const char *base = strrchr(name, '/');

	if (!base)
		return strcmp(name, "content.xml") == 0 || strcmp(name, "styles.xml") == 0;
	if (!g_str_has_suffix(name, ".xml") || g_str_has_prefix(name, "docProps/") ||
	    g_str_has_prefix(name, "customXml/") || g_str_has_prefix(name, "META-INF/"))
		return FALSE;
	for (const char *const *n = no_text_names; *n; n++)
		if (strcmp(base + 1, *n) == 0)
			return FALSE;
	for (const char *const *p = no_text_paths; *p; p++)
		if (strstr(name, *p))
			return FALSE;
	return TRUE;
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

	/* main members are read by es_x_office_zip whether named or not */
	return main_member(name) || (xmlish && named_by(parts, name));
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

/* picked - element names whose text is a document's title, and the
 * element whose "name" attribute is a sheet's name; nothing else is taken
 * from docProps/core.xml, meta.xml and the workbook (authors' names and
 * dates beside each other would read like a pupil with a date of birth) */
static gboolean picked(const char *local)
{
	return strcmp(local, "title") == 0 || strcmp(local, "subject") == 0 || strcmp(local, "description") == 0;
}

/* picked_text - titles and sheet names in XML, one a line, at most MAX bytes */
static GString *picked_text(GBytes *xml, gsize max)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	xmlTextReaderPtr r = es_x_xml_reader(d, len);
	GString *out = g_string_new(NULL);
	int depth = -1;		/* of the open picked element, -1 outside one */

	while (r && out->len < max && xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *local = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_ELEMENT && local && strcmp(local, "sheet") == 0) {
			xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)"name");

			if (v)
				g_string_append_printf(out, "%s\n", (const char *)v);
			xmlFree(v);
		} else if (type == XML_READER_TYPE_ELEMENT && local && picked(local) && depth < 0 &&
			   !xmlTextReaderIsEmptyElement(r)) {
			depth = xmlTextReaderDepth(r);
		} else if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth) {
			g_string_append_c(out, '\n');
			depth = -1;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && depth >= 0) {
			g_string_append(out, (const char *)xmlTextReaderConstValue(r));
		}
	}
	if (r)
		xmlFreeTextReader(r);
	return out;
}

/* add_picked - the titles or sheet names in XML, if any */
static void add_picked(es_xctx *x, es_attachment *a, GBytes *xml)
{
	GString *t = picked_text(xml, es_x_text_room(x));

	es_x_add_text(x, a, t->str, t->len);
	g_string_free(t, TRUE);
}

/* add_member_text - one XML member's text, rows as lines; a workbook's sheet names too */
static void add_member_text(es_xctx *x, es_attachment *a, const char *name, GBytes *xml,
			    GPtrArray *shared)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	char *root = NULL, *shown = NULL;
	char *text = es_x_xml_text(x, a, d, len, strchr(name, '/') ? shared : NULL, TRUE, &root, &shown);

	if (!text) {
		es_scan_error(x->s, "part %s: %s is not well-formed XML", a->part, name);
		g_free(root);
		return;
	}
	es_x_add_text(x, a, text, strlen(text));
	/* hidden runs split words only for the detectors: the text as Word
	 * shows it too (the hidden text itself is in the first) */
	if (shown && strcmp(shown, text) != 0 && es_x_next_ok(x, a))
		es_x_add_text(x, a, shown, strlen(shown));
	if (root && strcmp(root, "workbook") == 0 && es_x_next_ok(x, a))
		add_picked(x, a, xml);
	g_free(shown);
	g_free(text);
	g_free(root);
}

/* shared_strings_name - the XLSX part [Content_Types].xml types as the
 * shared strings, wherever it sits; else the usual name (g_free) */
static char *shared_strings_name(GHashTable *members)
{
	GBytes *types = g_hash_table_lookup(members, "[Content_Types].xml");
	gsize len;
	const char *d = types ? g_bytes_get_data(types, &len) : NULL;
	xmlTextReaderPtr r = d ? es_x_xml_reader(d, len) : NULL;
	char *found = NULL;

	while (r && !found && xmlTextReaderRead(r) == 1) {
		const char *local = (const char *)xmlTextReaderConstLocalName(r);
		xmlChar *type, *part;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !local || strcmp(local, "Override") != 0)
			continue;
		type = xmlTextReaderGetAttribute(r, (const xmlChar *)"ContentType");
		part = xmlTextReaderGetAttribute(r, (const xmlChar *)"PartName");
		/* only a workbook's part: an override naming the document's own
		 * text ("/word/document.xml") would hide it from the walk */
		if (type && part && part[0] == '/' && g_str_has_suffix((const char *)type, "sharedStrings+xml") &&
		    g_str_has_prefix((const char *)part + 1, "xl/") && !main_member((const char *)part + 1))
			found = g_strdup((const char *)part + 1);
		xmlFree(type);
		xmlFree(part);
	}
	if (r)
		xmlFreeTextReader(r);
	return found ? found : g_strdup("xl/sharedStrings.xml");
}

/* reading_order - main members (sheets, body, slides) first, each group in
 * name order, so what the main text says leads as it always did */
static gint reading_order(gconstpointer pa, gconstpointer pb)
{
	const char *na = pa, *nb = pb;
	gboolean ma = main_member(na), mb = main_member(nb);

	return ma != mb ? (ma ? -1 : 1) : strcmp(na, nb);
}

/* es_x_office_zip - MEMBERS maps member names to their bytes; main parts
 * first, then every other part with text, then titles, each within what is
 * left of the budget and time */
void es_x_office_zip(es_xctx *x, es_attachment *a, GHashTable *members)
{
	char *sst_name = shared_strings_name(members);
	GBytes *sst = g_hash_table_lookup(members, sst_name);
	GPtrArray *shared = sst ? es_x_xlsx_shared_strings(x, a, sst) : NULL;
	GList *names = g_list_sort(g_hash_table_get_keys(members), reading_order);
	static const char *const titles[] = { "docProps/core.xml", "meta.xml" };

	if (odf_encrypted(members)) {
		es_x_mark_encrypted(x, a, "password-protected OpenDocument");
		names = (g_list_free(names), NULL);
	}
	for (GList *l = names; l; l = l->next) {
		const char *name = l->data;

		if (!text_member(name) || strcmp(name, sst_name) == 0)
			continue;
		if (!es_x_next_ok(x, a))
			break;
		add_member_text(x, a, name, g_hash_table_lookup(members, name), shared);
	}
	for (gsize i = 0; names && i < G_N_ELEMENTS(titles); i++)
		if (g_hash_table_lookup(members, titles[i]) && es_x_next_ok(x, a))
			add_picked(x, a, g_hash_table_lookup(members, titles[i]));
	g_list_free(names);
	g_free(sst_name);
	if (shared)
		g_ptr_array_unref(shared);
}
