/* xml.c - text out of XML with libxml2 (entities not substituted, no network,
 * no DTD loading): spreadsheet rows and table rows become lines, cells become
 * tab-separated fields, so the pupil-data detector sees the table */
#include "config.h"
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "extract_priv.h"

/* Entity substitution (XML_PARSE_NOENT) and DTD loading stay off: a billion
 * laughs document keeps its entity references as unexpanded nodes. */
#define ES_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS | \
			XML_PARSE_NODICT)	/* the dictionary made XLSX sheets 4x slower to parse */

typedef struct {
	GString *out;
	GPtrArray *shared;	/* XLSX shared strings, or NULL */
	gsize max;		/* stop growing past this */
	gboolean office;	/* OOXML/ODF: only rows and cells shape the text */
} walk_state;

/* xml_init - libxml2's global set-up must happen once, before threads race to it */
static void xml_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		xmlInitParser();
		g_once_init_leave(&done, 1);
	}
}

/* parse - a tree from bytes, or NULL */
static xmlDocPtr parse(const char *data, gsize len)
{
	xml_init();
	if (len > G_MAXINT)
		return NULL;
	return xmlReadMemory(data, (int)len, NULL, NULL, ES_XML_OPTIONS);
}

/* name_is - element local name */
static gboolean name_is(xmlNodePtr n, const char *name)
{
	return n->name && strcmp((const char *)n->name, name) == 0;
}

/* is_row, is_cell - elements that make lines and fields (XLSX, ODS, DOCX, PPTX, HTML tables) */
static gboolean is_row(xmlNodePtr n)
{
	return name_is(n, "row") || name_is(n, "table-row") || name_is(n, "tr") || name_is(n, "p") ||
	       name_is(n, "h") || name_is(n, "br") || name_is(n, "list-item");
}

static gboolean is_cell(xmlNodePtr n)
{
	return name_is(n, "c") || name_is(n, "table-cell") || name_is(n, "tc") || name_is(n, "td") ||
	       name_is(n, "tab") || name_is(n, "th");
}

/* append_shared - an XLSX cell of type "s" holds an index into the shared strings */
static void append_shared(walk_state *w, xmlNodePtr v)
{
	xmlChar *idx = xmlNodeGetContent(v);
	guint64 i = idx ? g_ascii_strtoull((const char *)idx, NULL, 10) : G_MAXUINT64;

	if (w->shared && i < w->shared->len)
		g_string_append(w->out, g_ptr_array_index(w->shared, i));
	xmlFree(idx);
}

static void walk(walk_state *w, xmlNodePtr n, gboolean in_cell);

/* walk_xlsx_cell - <c t="s"><v>3</v></c>: look the string up; others as written */
static void walk_xlsx_cell(walk_state *w, xmlNodePtr c)
{
	xmlChar *t = xmlGetProp(c, (const xmlChar *)"t");
	gboolean shared = t && strcmp((const char *)t, "s") == 0;

	xmlFree(t);
	for (xmlNodePtr k = c->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (shared && name_is(k, "v"))
			append_shared(w, k);
		else
			walk(w, k, TRUE);
	}
}

/* walk - text nodes only: entity references (XML_ENTITY_REF_NODE) are never followed */
static void walk(walk_state *w, xmlNodePtr n, gboolean in_cell)
{
	for (; n && w->out->len < w->max; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			g_string_append(w->out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, "c") && w->shared)
			walk_xlsx_cell(w, n);
		else
			walk(w, n->children, in_cell || is_cell(n));
		if (is_cell(n))
			g_string_append_c(w->out, '\t');
		else if (is_row(n) && !in_cell)
			g_string_append_c(w->out, '\n');
		else if (w->office)
			continue;
		else if (n->children && n->children->type == XML_ELEMENT_NODE)
			g_string_append_c(w->out, '\n');	/* plain XML: one record a line */
		else if (!is_row(n))
			g_string_append_c(w->out, '\t');
	}
}

/* es_x_xml_text - see extract_priv.h */
char *es_x_xml_text(es_xctx *x, const es_attachment *a, const char *data, gsize len,
		    GPtrArray *shared_strings, gboolean office, char **root)
{
	xmlDocPtr doc;
	xmlNodePtr top;
	walk_state w;

	/* entity declarations are never expanded; one in a document (billion
	 * laughs, external entities) is worth a look by a person */
	if (g_strstr_len(data, (gssize)MIN(len, 65536), "<!ENTITY"))
		es_x_limit(x, "xml", a->part, "XML declares entities; they were not expanded");
	doc = parse(data, len);
	if (!doc || !(top = xmlDocGetRootElement(doc))) {
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	if (root)
		*root = g_strdup((const char *)top->name);
	w.out = g_string_new(NULL);
	w.shared = shared_strings;
	w.office = office;
	w.max = x->s->limits.max_text > 0 ? (gsize)x->s->limits.max_text + 1 : G_MAXSIZE;
	walk(&w, top, FALSE);
	xmlFreeDoc(doc);
	return g_string_free(w.out, FALSE);
}

/* es_x_xlsx_shared_strings - each <si> is one string (its <t> runs joined) */
GPtrArray *es_x_xlsx_shared_strings(es_xctx *x, const es_attachment *a, GBytes *xml)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	xmlDocPtr doc = parse(d, len);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	xmlNodePtr top;

	if (!doc || !(top = xmlDocGetRootElement(doc))) {
		es_scan_error(x->s, "part %s: xl/sharedStrings.xml is not well-formed", a->part);
		if (doc)
			xmlFreeDoc(doc);
		return out;
	}
	for (xmlNodePtr si = top->children; si; si = si->next) {
		walk_state w = { g_string_new(NULL), NULL, 1 << 16, TRUE };

		if (si->type != XML_ELEMENT_NODE || !name_is(si, "si"))
			continue;
		for (xmlNodePtr k = si->children; k; k = k->next)	/* skip phonetic <rPh> runs */
			if (k->type == XML_ELEMENT_NODE && !name_is(k, "rPh"))
				walk(&w, k->children, TRUE);
		g_ptr_array_add(out, g_string_free(w.out, FALSE));
	}
	xmlFreeDoc(doc);
	return out;
}

/* es_x_xml - a stand-alone XML attachment (CTF files among them) */
void es_x_xml(es_xctx *x, es_attachment *a)
{
	gsize len;
	const char *d = g_bytes_get_data(a->data, &len);
	char *text = es_x_xml_text(x, a, d, len, NULL, FALSE, NULL);

	if (!text) {
		/* not well-formed: read it as text so nothing goes unscanned */
		gsize ulen;
		char *utf8 = es_x_to_utf8(d, len, &ulen);

		es_x_add_text(x, a, utf8, ulen);
		g_free(utf8);
		return;
	}
	es_x_add_text(x, a, text, strlen(text));
	g_free(text);
}
