/* xml.c - text out of XML with libxml2 (entities not substituted, no network,
 * no DTD loading): spreadsheet rows and table rows become lines, cells become
 * tab-separated fields, so the pupil-data detector sees the table */
#include "config.h"
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include "extract_priv.h"
#include "log.h"

/* Entity substitution (XML_PARSE_NOENT) and DTD loading stay off: a billion
 * laughs document keeps its entity references as unexpanded nodes. */
#define ES_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS | \
			XML_PARSE_NODICT)	/* the dictionary made XLSX sheets 4x slower to parse */

/* One open element while reading. */
typedef struct {
	guint8 cell, row;	/* makes a field / a line */
	guint8 has_elements;	/* holds elements (plain XML: it is a record) */
	guint8 shared_value;	/* the <v> of an XLSX cell of type "s" */
	guint8 shared_cell;	/* an XLSX <c t="s"> */
	guint8 skip;		/* text not shown (XLSX phonetic runs) */
	guint8 rpr;		/* a Word run's properties (w:rPr) */
	guint8 hidden;		/* a Word run marked hidden (w:vanish), or inside one */
} open_elem;

typedef struct {
	GString *out;
	GPtrArray *shared;	/* XLSX shared strings, or NULL */
	gsize max;		/* stop growing past this */
	gboolean office;	/* OOXML/ODF: only rows and cells shape the text */
	GArray *stack;		/* open_elem */
	guint cells;		/* open cells */
	gboolean drop_hidden;	/* leave out the text of hidden runs */
	gboolean saw_hidden;	/* a hidden run was seen */
} read_state;

/* xml_error - libxml2's messages that bypass XML_PARSE_NOERROR (encoding
 * errors have no parser to carry the option), gathered into lines and logged
 * under the queue ID, not written to stderr. libxml2 prints one line in
 * pieces, so each thread keeps its unfinished line. */
static void xml_error(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_error(void *ctx, const char *fmt, ...)
{
	static _Thread_local char line[512];
	static _Thread_local gsize used;
	char piece[512], *nl;
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	g_vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	g_strlcpy(line + used, piece, sizeof line - used);
	used = strlen(line);
	while ((nl = strchr(line, '\n')) || used == sizeof line - 1) {
		if (nl)
			*nl = '\0';
		es_log_library(LOG_INFO, "libxml2", line);
		used = nl ? strlen(nl + 1) : 0;
		memmove(line, nl ? nl + 1 : line + sizeof line - 1, used + 1);
	}
}

/* xml_init - libxml2's global set-up must happen once, before threads race
 * to it; its error handler is per thread, so each thread sets it */
static void xml_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		xmlInitParser();
		g_once_init_leave(&done, 1);
	}
	xmlSetGenericErrorFunc(NULL, xml_error);
}

/* es_x_xml_reader - a streaming reader: memory stays bounded by nesting, not document size */
void *es_x_xml_reader(const char *data, gsize len)
{
	xml_init();
	if (len > G_MAXINT)
		return NULL;
	return xmlReaderForMemory(data, (int)len, NULL, NULL, ES_XML_OPTIONS);
}

/* is_row, is_cell - elements that make lines and fields (XLSX, ODS, DOCX, PPTX, HTML tables) */
static gboolean is_row(const char *n)
{
	return !strcmp(n, "row") || !strcmp(n, "table-row") || !strcmp(n, "tr") || !strcmp(n, "p") ||
	       !strcmp(n, "h") || !strcmp(n, "br") || !strcmp(n, "list-item") || !strcmp(n, "si") ||
	       !strcmp(n, "div") || !strcmp(n, "li") || !strcmp(n, "h1") || !strcmp(n, "h2") || !strcmp(n, "h3");
}

static gboolean is_cell(const char *n)
{
	return !strcmp(n, "c") || !strcmp(n, "table-cell") || !strcmp(n, "tc") || !strcmp(n, "td") ||
	       !strcmp(n, "tab") || !strcmp(n, "th");
}

/* top - the innermost open element, or NULL */
static open_elem *top(read_state *st)
{
	return st->stack->len ? &g_array_index(st->stack, open_elem, st->stack->len - 1) : NULL;
}

/* switched_on - a Word on/off property at R is on: no w:val, or one other
 * than 0, false or off */
static gboolean switched_on(xmlTextReaderPtr r)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)"w:val");
	gboolean on = !v || !(strcmp((const char *)v, "0") == 0 || strcmp((const char *)v, "false") == 0 ||
			      strcmp((const char *)v, "off") == 0);

	xmlFree(v);
	return on;
}

/* start - an element opens */
static void start(read_state *st, xmlTextReaderPtr r, const char *name)
{
	open_elem e = { 0 }, *parent = top(st);

	e.cell = is_cell(name);
	e.row = is_row(name);
	e.rpr = !strcmp(name, "rPr");
	if (parent) {
		parent->has_elements = 1;
		e.hidden = parent->hidden;
		e.skip = parent->skip || (st->drop_hidden && parent->hidden);
		e.shared_value = parent->shared_cell && !strcmp(name, "v");
		/* <w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r>: the run's
		 * text is hidden in Word, a decoy that splits a word only for
		 * the detectors; its properties come before its text */
		if (parent->rpr && st->stack->len >= 2 &&
		    (!strcmp(name, "vanish") || !strcmp(name, "specVanish") || !strcmp(name, "webHidden")) &&
		    switched_on(r)) {
			g_array_index(st->stack, open_elem, st->stack->len - 2).hidden = 1;
			st->saw_hidden = TRUE;
		}
	}
	if (st->shared && !strcmp(name, "c")) {
		xmlChar *t = xmlTextReaderGetAttribute(r, (const xmlChar *)"t");

		e.shared_cell = t && !strcmp((const char *)t, "s");
		xmlFree(t);
	}
	e.skip |= !strcmp(name, "rPh") || !strcmp(name, "script") || !strcmp(name, "style");
	st->cells += e.cell;
	g_array_append_val(st->stack, e);
}

/* end - an element closes: cells end in a tab, rows (outside cells) in a line break */
static void end(read_state *st)
{
	open_elem e = *top(st);

	g_array_set_size(st->stack, st->stack->len - 1);
	st->cells -= e.cell;
	if (e.cell)
		g_string_append_c(st->out, '\t');
	else if (e.row && !st->cells)
		g_string_append_c(st->out, '\n');
	else if (st->office)
		return;
	else if (e.has_elements)
		g_string_append_c(st->out, '\n');	/* plain XML: one record a line */
	else if (!e.row)
		g_string_append_c(st->out, '\t');
}

/* append - VALUE onto the text, never past st->max: one shared-string
 * reference can stand for megabytes */
static void append(read_state *st, const char *value)
{
	gsize room = st->max > st->out->len ? st->max - st->out->len : 0;

	g_string_append_len(st->out, value, (gssize)strnlen(value, room));
}

/* text - character data; XLSX shared-string cells hold an index */
static void text(read_state *st, const char *value)
{
	open_elem *e = top(st);

	if (!value || (e && e->skip))
		return;
	if (e && e->shared_value) {
		guint64 i = g_ascii_strtoull(value, NULL, 10);

		if (i < st->shared->len)
			append(st, g_ptr_array_index(st->shared, i));
	} else {
		gsize from = st->out->len;

		append(st, value);
		for (gsize i = from; i < st->out->len; i++)	/* lines and tabs come from structure only */
			if (st->out->str[i] == '\n' || st->out->str[i] == '\t' || st->out->str[i] == '\r')
				st->out->str[i] = ' ';
	}
}

/* read_all - the whole document; entity references (type 5) are never followed.
 * FALSE if it is not well-formed (what was read so far stays in st->out). */
static gboolean read_all(read_state *st, xmlTextReaderPtr r, char **root)
{
	int ret = 0;

	while (st->out->len < st->max && (ret = xmlTextReaderRead(r)) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		switch (xmlTextReaderNodeType(r)) {
		case XML_READER_TYPE_ELEMENT:
			if (root && !*root)
				*root = g_strdup(name);
			start(st, r, name ? name : "");
			if (xmlTextReaderIsEmptyElement(r))
				end(st);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (st->stack->len)
				end(st);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
			text(st, (const char *)xmlTextReaderConstValue(r));
			break;
		default:
			break;
		}
	}
	return st->out->len >= st->max || ret == 0;
}

/* read_text - run the reader over DATA; the text, or NULL if nothing could
 * be read. With DROP_HIDDEN hidden runs are left out; *SAW_HIDDEN (may be
 * NULL) says whether there were any. */
static char *read_text(const char *data, gsize len, GPtrArray *shared, gboolean office,
		       gsize max, char **root, gboolean *well_formed, gboolean drop_hidden, gboolean *saw_hidden)
{
	xmlTextReaderPtr r = es_x_xml_reader(data, len);
	read_state st = { g_string_new(NULL), shared, max, office, g_array_new(FALSE, FALSE, sizeof(open_elem)), 0,
			  drop_hidden, FALSE };

	*well_formed = r && read_all(&st, r, root);
	if (saw_hidden)
		*saw_hidden = st.saw_hidden;
	if (r)
		xmlFreeTextReader(r);
	g_array_free(st.stack, TRUE);
	if (!*well_formed && st.out->len == 0)
		return (g_string_free(st.out, TRUE), NULL);
	return g_string_free(st.out, FALSE);
}

/* es_x_xml_text - see extract_priv.h */
char *es_x_xml_text(es_xctx *x, const es_attachment *a, const char *data, gsize len,
		    GPtrArray *shared_strings, gboolean office, char **root, char **shown)
{
	gsize max = es_x_text_room(x);
	gboolean well_formed, hidden = FALSE;
	char *out;

	/* entity declarations are never expanded; one in a document (billion
	 * laughs, external entities) is worth a look by a person */
	if (g_strstr_len(data, (gssize)MIN(len, 65536), "<!ENTITY"))
		es_x_limit(x, "xml", a->part, "XML declares entities; they were not expanded");
	out = read_text(data, len, shared_strings, office, max, root, &well_formed, FALSE, &hidden);
	if (out && !well_formed)
		es_scan_error(x->s, "part %s: XML not well-formed; read up to the error", a->part);
	if (shown)
		*shown = out && hidden ? read_text(data, len, shared_strings, office, max, NULL, &well_formed, TRUE, NULL)
				       : NULL;
	return out;
}

/* es_x_xlsx_shared_strings - each <si> is one string (its <t> runs, not phonetic <rPh>) */
GPtrArray *es_x_xlsx_shared_strings(es_xctx *x, const es_attachment *a, GBytes *xml)
{
	gsize len;
	const char *d = g_bytes_get_data(xml, &len);
	gboolean well_formed;
	char *all = read_text(d, len, NULL, TRUE, (gsize)x->s->limits.max_extracted, NULL, &well_formed, FALSE, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char **lines;

	if (!well_formed)
		es_scan_error(x->s, "part %s: xl/sharedStrings.xml is not well-formed", a->part);
	if (!all)
		return out;
	/* "si" is a row: one string a line (line breaks inside a string are spaces by now) */
	lines = g_strsplit(all, "\n", -1);
	for (char **l = lines; *l && l[1]; l++)
		g_ptr_array_add(out, g_strdup(*l));
	g_strfreev(lines);
	g_free(all);
	return out;
}

/* es_x_xml - a stand-alone XML attachment (CTF files among them) */
void es_x_xml(es_xctx *x, es_attachment *a)
{
	gsize len;
	const char *d = g_bytes_get_data(a->data, &len);
	char *text = es_x_xml_text(x, a, d, len, NULL, FALSE, NULL, NULL);

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

/* es_x_html - an HTML attachment: libxml2's HTML parser (network off), then
 * the same reader over its tree, so table rows stay lines and cells fields */
void es_x_html(es_xctx *x, es_attachment *a)
{
	gsize len;
	const char *d = g_bytes_get_data(a->data, &len);
	htmlDocPtr doc;
	xmlTextReaderPtr r;
	read_state st = { g_string_new(NULL), NULL, es_x_text_room(x), TRUE,
			  g_array_new(FALSE, FALSE, sizeof(open_elem)), 0, FALSE, FALSE };

	xml_init();
	doc = len <= G_MAXINT ? htmlReadMemory(d ? d : "", (int)len, NULL, NULL, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
				HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS) : NULL;
	if (doc && (r = xmlReaderWalker(doc))) {
		read_all(&st, r, NULL);
		xmlFreeTextReader(r);
	}
	if (doc)
		xmlFreeDoc(doc);
	es_x_add_text(x, a, st.out->str, st.out->len);
	g_array_free(st.stack, TRUE);
	g_string_free(st.out, TRUE);
}
