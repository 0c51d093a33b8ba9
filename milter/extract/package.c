/* package.c - which members of an office document the package itself
 * names. A zip is read as an office document when it holds a
 * [Content_Types].xml, a mimetype or a META-INF/manifest.xml, and the office
 * reader takes the package's XML parts out of the walk. Anyone can add those
 * names to a zip, so a part counts as the package's only when the package
 * points at it: an OOXML relationship targets it, or the ODF manifest lists
 * it. An XML file planted beside them (a CTF export in a folder of its own)
 * goes back into the walk like any other member. */
#include "config.h"
#include <string.h>
#include <libxml/xmlreader.h>
#include "extract_priv.h"

/* percent_decode - OPC part names in targets may be %-encoded */
static char *percent_decode(const char *s)
{
	char *out = g_uri_unescape_string(s, NULL);

	return out ? out : g_strdup(s);
}

/* resolve - BASE (a folder with its trailing '/', or "") joined with TARGET,
 * "." and ".." taken out; an absolute target starts at the package root.
 * NULL when ".." climbs out of the package. */
static char *resolve(const char *base, const char *target)
{
	char *joined = target[0] == '/' ? g_strdup(target + 1) : g_strconcat(base, target, NULL);
	char **seg = g_strsplit(joined, "/", -1);
	GPtrArray *kept = g_ptr_array_new();
	char *out = NULL;
	gboolean escaped = FALSE;

	for (char **p = seg; *p; p++) {
		if (!**p || strcmp(*p, ".") == 0)
			continue;
		if (strcmp(*p, "..") == 0) {
			if (kept->len == 0)
				escaped = TRUE;
			else
				g_ptr_array_remove_index(kept, kept->len - 1);
			continue;
		}
		g_ptr_array_add(kept, *p);
	}
	if (!escaped && kept->len) {
		g_ptr_array_add(kept, NULL);
		out = g_strjoinv("/", (char **)kept->pdata);
	}
	g_ptr_array_free(kept, TRUE);
	g_strfreev(seg);
	g_free(joined);
	return out;
}

/* rels_source - the part relationship part NAME describes, and in *BASE the
 * folder its targets are relative to: "word/_rels/document.xml.rels" is
 * about "word/document.xml", base "word/"; "_rels/.rels" about the package
 * itself ("", base ""). NULL if NAME is not a relationship part. */
static char *rels_source(const char *name, char **base)
{
	const char *r = g_strrstr(name, "_rels/");
	const char *file;

	if (!g_str_has_suffix(name, ".rels") || !r || (r != name && r[-1] != '/'))
		return NULL;
	file = r + strlen("_rels/");
	if (strchr(file, '/'))
		return NULL;
	*base = g_strndup(name, (gsize)(r - name));
	return g_strdup_printf("%s%.*s", *base, (int)(strlen(file) - strlen(".rels")), file);
}

/* attr - the value of the attribute with local name NAME on the reader's
 * element, whatever its prefix ("manifest:full-path"); g_free */
static char *attr(xmlTextReaderPtr r, const char *name)
{
	char *v = NULL;

	while (!v && xmlTextReaderMoveToNextAttribute(r) == 1) {
		const xmlChar *local = xmlTextReaderConstLocalName(r);

		if (local && strcmp((const char *)local, name) == 0)
			v = g_strdup((const char *)xmlTextReaderConstValue(r));
	}
	xmlTextReaderMoveToElement(r);
	return v;
}

/* each_attr - if XML's root element is called ROOT: for every element
 * called ELEM (none if NULL), FN with the values of attributes A1 and A2
 * (NULL when absent), and TRUE. FALSE for another root or no XML at all: a
 * file that only borrows a package name ([Content_Types].xml) is not one. */
static gboolean each_attr(GBytes *xml, const char *root, const char *elem, const char *a1, const char *a2,
			  void (*fn)(const char *v1, const char *v2, void *data), void *data)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	xmlTextReaderPtr r = es_x_xml_reader(d, len);
	gboolean rooted = FALSE;

	while (r && xmlTextReaderRead(r) == 1) {
		const char *local;
		char *v1, *v2;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		local = (const char *)xmlTextReaderConstLocalName(r);
		if (!rooted) {
			if (!local || strcmp(local, root) != 0)
				break;
			rooted = TRUE;
			if (!elem)
				break;
			continue;
		}
		if (!local || strcmp(local, elem) != 0)
			continue;
		v1 = attr(r, a1);
		v2 = a2 ? attr(r, a2) : NULL;
		if (v1)
			fn(v1, v2, data);
		g_free(v1);
		g_free(v2);
	}
	if (r)
		xmlFreeTextReader(r);
	return rooted;
}

typedef struct {
	GHashTable *parts;
	const char *base;
} rel_ctx;

/* add_target - one <Relationship Target=.. TargetMode=..> */
static void add_target(const char *target, const char *mode, void *data)
{
	rel_ctx *c = data;
	char *name, *decoded;

	if (mode && g_ascii_strcasecmp(mode, "External") == 0)
		return;
	decoded = percent_decode(target);
	if ((name = resolve(c->base, decoded)))
		g_hash_table_add(c->parts, name);
	g_free(decoded);
}

/* add_entry - one <manifest:file-entry manifest:full-path=..> */
static void add_entry(const char *path, const char *unused, void *data)
{
	rel_ctx *c = data;
	char *name = resolve("", path);

	(void)unused;
	if (!name)
		return;
	/* a folder entry ("Configurations2/") covers the members under it */
	g_hash_table_add(c->parts, g_str_has_suffix(path, "/") ? g_strconcat(name, "/", NULL) : g_strdup(name));
	g_free(name);
}

/* is_mimetype - ODF's mimetype member: one short media type, nothing else */
static gboolean is_mimetype(GBytes *b)
{
	gsize len;
	const char *d = b ? g_bytes_get_data(b, &len) : NULL;

	if (!d || len > 128 || len < 13 || memcmp(d, "application/", 12) != 0)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isgraph(d[i]))
			return FALSE;
	return TRUE;
}

GHashTable *es_x_package_parts(GHashTable *members)
{
	GHashTable *parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer key, value;
	GBytes *types = g_hash_table_lookup(members, "[Content_Types].xml");
	GBytes *manifest = g_hash_table_lookup(members, "META-INF/manifest.xml");

	g_hash_table_iter_init(&it, members);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		char *base = NULL, *source = rels_source(key, &base);
		rel_ctx c = { parts, base };

		/* a relationship part describes a part that is there, or the package */
		if (source && (!*source || g_hash_table_contains(members, source)) &&
		    each_attr(value, "Relationships", "Relationship", "Target", "TargetMode", add_target, &c))
			g_hash_table_add(parts, g_strdup(key));
		g_free(source);
		g_free(base);
	}
	if (types && each_attr(types, "Types", NULL, NULL, NULL, NULL, NULL))
		g_hash_table_add(parts, g_strdup("[Content_Types].xml"));
	if (manifest) {
		rel_ctx c = { parts, "" };

		if (each_attr(manifest, "manifest", "file-entry", "full-path", NULL, add_entry, &c))
			g_hash_table_add(parts, g_strdup("META-INF/manifest.xml"));
	}
	if (is_mimetype(g_hash_table_lookup(members, "mimetype")))
		g_hash_table_add(parts, g_strdup("mimetype"));
	return parts;
}
