/* extract_priv.h - what the format extractors in extract/ share: the
 * per-message extraction context, limit checks and the extractor entry points */
#ifndef ES_EXTRACT_PRIV_H
#define ES_EXTRACT_PRIV_H

#include <glib.h>
#include "scan.h"

/* One call of es_extract_all: the running totals the limits are checked against. */
typedef struct {
	es_scan *s;
	gint64 extracted;	/* bytes taken out of archives and compressed documents, and
				 * text handed to the detectors, so far (max_extracted) */
	guint limit_kinds;	/* bit per limit category already reported (one finding each) */
} es_xctx;

/* es_x_limit - record a "limits" finding of CATEGORY (depth, parts, ratio,
 * extracted_bytes, time, text_size, xml) for PART, once per category */
void es_x_limit(es_xctx *x, const char *category, const char *part, const char *what);
/* es_x_add_text - hand extracted text to the detectors, cut at max_text and
 * at what is left of max_extracted, which it is counted against */
void es_x_add_text(es_xctx *x, const es_attachment *a, const char *text, gsize len);
/* es_x_text_room - how much text a reader should gather for one part: one
 * byte more than es_x_add_text would take now */
gsize es_x_text_room(const es_xctx *x);
/* es_x_next_ok - may the next member of document A be read? FALSE (and a
 * finding) once max_extracted is used up or the scan time has run out */
gboolean es_x_next_ok(es_xctx *x, const es_attachment *a);
/* es_x_mark_encrypted - A holds encrypted content (WHAT says which kind) */
void es_x_mark_encrypted(es_xctx *x, es_attachment *a, const char *what);
/* es_x_member_ok - may one more member be opened below A? (depth, parts, time) */
gboolean es_x_member_ok(es_xctx *x, const es_attachment *a);
/* es_x_budget - most bytes one member of A may decompress to: what is left of
 * max_extracted, and max_ratio times the container's size */
gint64 es_x_budget(const es_xctx *x, const es_attachment *a);
/* es_x_charge - count LEN extracted bytes; FALSE (and a finding) past max_extracted */
gboolean es_x_charge(es_xctx *x, const es_attachment *a, gsize len);
/* es_x_add_member - add an archive member below A as attachment "PART/N" */
void es_x_add_member(es_xctx *x, es_attachment *a, guint n, const char *name, GBytes *data);
/* es_x_type_from_name - a lower-case content type guessed from a file name */
const char *es_x_type_from_name(const char *name);
/* es_x_to_utf8 - text in an unknown charset (BOM, UTF-8, else Windows-1252) as UTF-8; g_free */
char *es_x_to_utf8(const char *data, gsize len, gsize *out_len);

/* Format extractors. Each reads a->data and adds texts, members, findings. */
void es_x_archive(es_xctx *x, es_attachment *a);	/* zip, 7z, rar, tar, gz, bz2, xz */
void es_x_office_zip(es_xctx *x, es_attachment *a, GHashTable *members); /* OOXML / ODF text */
/* es_x_office_walk_name - the name under which member NAME (holding DATA)
 * of an office document goes back into the walk, or NULL when the office
 * reader itself deals with it (its text, and the XML parts PARTS says the
 * package names, but never custom XML items or a CTF) */
const char *es_x_office_walk_name(const char *name, GHashTable *parts, GBytes *data);
/* es_x_package_parts - the members an office package names as its own: the
 * targets of its OOXML relationships and the entries of ODF's
 * META-INF/manifest.xml (a folder entry covers what is under it), and those
 * structural members themselves when their content is what the name says.
 * MEMBERS maps names to bytes; a set of names, g_hash_table_unref */
GHashTable *es_x_package_parts(GHashTable *members);
/* es_x_xml_reader - a libxml2 xmlTextReaderPtr over DATA with the safe
 * options (no entities, no network, no DTD), or NULL; xmlFreeTextReader */
void *es_x_xml_reader(const char *data, gsize len);
void es_x_xml(es_xctx *x, es_attachment *a);		/* XML, CTF */
void es_x_html(es_xctx *x, es_attachment *a);		/* HTML: tables stay tables */
void es_x_cfb(es_xctx *x, es_attachment *a);		/* OLE2: legacy Office, encrypted OOXML */
/* es_x_xls_cells - the cells of an Excel 97 (BIFF8) Workbook stream D[0..LEN),
 * a row a line and cells split by tabs, about MAX bytes at most; NULL when
 * it has none (g_string_free) */
GString *es_x_xls_cells(const guchar *d, gsize len, gsize max);
/* es_x_word_table_stream - "1Table" or "0Table", the stream a Word 97
 * WordDocument stream WD[0..LEN) keeps its piece table in; NULL if WD has
 * no Word 97 FIB (Word 6/95, or not Word) */
const char *es_x_word_table_stream(const guchar *wd, gsize len);
/* es_x_word_text - the text of a Word 97 document (WordDocument stream WD,
 * table stream TBL) by its piece table, a table's rows a line and cells
 * split by tabs, field codes left out, MAX bytes at most; NULL when it
 * gives none (g_string_free). If a field's code was left out, *WHOLE is
 * the text with every field's code shown as well, else NULL */
GString *es_x_word_text(const guchar *wd, gsize wdlen, const guchar *tbl, gsize tbllen, gsize max, GString **whole);
void es_x_pdf(es_xctx *x, es_attachment *a);		/* PDF text via poppler-glib */
void es_x_rtf(es_xctx *x, es_attachment *a);		/* RTF */
void es_x_message(es_xctx *x, es_attachment *a);	/* message/rfc822 found inside an archive */
void es_x_tnef(es_xctx *x, es_attachment *a);		/* winmail.dat */
/* es_x_looks_like_text - the first 8 KB of D[0..LEN) are text (extract.c) */
gboolean es_x_looks_like_text(const guchar *d, gsize len);
/* es_x_crypto - S/MIME and PGP: TRUE if A was recognised as encrypted, or as an
 * opaque S/MIME signature (what it wraps is then added as a member) */
gboolean es_x_crypto(es_xctx *x, es_attachment *a);
/* es_x_inline_pgp - PGP armour inside the message's own text parts */
void es_x_inline_pgp(es_xctx *x);

/* es_x_xml_text - the text of an XML document as lines and tab-separated
 * cells (rows of spreadsheets and tables become lines; OFFICE: only those
 * shape the text, else each element holding elements is a line). Entities and network
 * access are off. NULL (and *root unset) if it is not well-formed.
 * ROOT (may be NULL) receives the root element's local name (g_free).
 * SHOWN (may be NULL) receives, when the document has hidden Word runs
 * (w:vanish), its text as shown, without them (g_free; else NULL). */
char *es_x_xml_text(es_xctx *x, const es_attachment *a, const char *data, gsize len,
		    GPtrArray *shared_strings, gboolean office, char **root, char **shown);
/* es_x_xlsx_shared_strings - the strings table of an XLSX (xl/sharedStrings.xml) */
GPtrArray *es_x_xlsx_shared_strings(es_xctx *x, const es_attachment *a, GBytes *xml);

#endif
