/* common.c - limit checks, text hand-off and small helpers shared by the extractors */
#include "config.h"
#include <string.h>
#include "extract_priv.h"
#include "log.h"
#include "mime.h"

static const char *const limit_names[] = {
	"depth", "parts", "ratio", "extracted_bytes", "time", "text_size", "xml", NULL
};

/* limit_bit - the bit of CATEGORY in x->limit_kinds (unknown ones share the last) */
static guint limit_bit(const char *category)
{
	guint i;

	for (i = 0; limit_names[i]; i++)
		if (strcmp(limit_names[i], category) == 0)
			break;
	return 1u << i;
}

/* es_x_limit - one finding per kind of limit, so a bomb cannot flood the result */
void es_x_limit(es_xctx *x, const char *category, const char *part, const char *what)
{
	guint bit = limit_bit(category);

	if (x->limit_kinds & bit)
		return;
	x->limit_kinds |= bit;
	es_scan_add_finding(x->s, "limits", category, 3, part, category, what);
	es_log(LOG_NOTICE, x->s->qid, "limit hit in part %s: %s", part, what);
}

/* es_x_add_text - extracted text to the detectors, cut at max_text. Text
 * counts against max_extracted like decompressed bytes do: a few bytes of
 * XLSX can reference one long shared string thousands of times. */
void es_x_add_text(es_xctx *x, const es_attachment *a, const char *text, gsize len)
{
	const char *label = a->filename ? a->filename : a->part;
	gint64 left = MAX(x->s->limits.max_extracted - x->extracted, 0);

	if (len == 0)
		return;
	if (x->s->limits.max_text > 0 && (gint64)len > x->s->limits.max_text) {
		len = (gsize)x->s->limits.max_text;
		es_x_limit(x, "text_size", a->part,
			   "text longer than [limits] max_text; the rest was not scanned");
	}
	if ((gint64)len > left) {
		len = (gsize)left;
		es_x_limit(x, "extracted_bytes", a->part,
			   "more text and bytes extracted than [limits] max_extracted; the rest not scanned");
	}
	x->extracted += (gint64)len;
	if (len > 0)
		es_scan_add_text(x->s, a->part, label, text, (gssize)len, TRUE);
}

/* es_x_text_room - the extra byte lets es_x_add_text see the text was cut */
gsize es_x_text_room(const es_xctx *x)
{
	gint64 left = MAX(x->s->limits.max_extracted - x->extracted, 0);

	if (x->s->limits.max_text > 0)
		left = MIN(left, x->s->limits.max_text);
	return (gsize)left + 1;
}

/* es_x_next_ok - a document's members are read one after another without
 * coming back to es_extract_all, so its time and budget checks happen here */
gboolean es_x_next_ok(es_xctx *x, const es_attachment *a)
{
	if (es_scan_out_of_time(x->s)) {
		es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out inside a document");
		return FALSE;
	}
	if (x->extracted >= x->s->limits.max_extracted) {
		es_x_limit(x, "extracted_bytes", a->part,
			   "more text and bytes extracted than [limits] max_extracted; the rest not scanned");
		return FALSE;
	}
	return TRUE;
}

/* es_x_mark_encrypted - encrypted content is reported, never read as plain */
void es_x_mark_encrypted(es_xctx *x, es_attachment *a, const char *what)
{
	if (!a->encrypted)
		es_log(LOG_INFO, x->s->qid, "part %s (%s): encrypted: %s", a->part,
		       a->filename ? a->filename : a->content_type, what);
	a->encrypted = TRUE;
	x->s->encrypted = TRUE;
}

/* es_x_member_ok - depth, member count and time are checked before opening */
gboolean es_x_member_ok(es_xctx *x, const es_attachment *a)
{
	if (es_scan_out_of_time(x->s)) {
		es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out; the rest not opened");
		return FALSE;
	}
	if ((gint64)a->depth + 1 > x->s->limits.max_depth) {
		es_x_limit(x, "depth", a->part, "nesting deeper than [limits] max_depth; not opened");
		return FALSE;
	}
	if ((gint64)x->s->attachments->len >= x->s->limits.max_parts) {
		es_x_limit(x, "parts", a->part, "more parts than [limits] max_parts; the rest not opened");
		return FALSE;
	}
	return TRUE;
}

/* es_x_budget - the bound on one member: no member of an archive can honestly
 * decompress to more than max_ratio times the whole archive (plus 1 MiB so
 * tiny files of repeated bytes are not called bombs) */
gint64 es_x_budget(const es_xctx *x, const es_attachment *a)
{
	gint64 left = x->s->limits.max_extracted - x->extracted;
	gint64 by_ratio = (gint64)g_bytes_get_size(a->data) * x->s->limits.max_ratio + (1 << 20);

	if (left < 0)
		left = 0;
	return MIN(left, by_ratio);
}

/* es_x_charge - add LEN to the message's extracted total */
gboolean es_x_charge(es_xctx *x, const es_attachment *a, gsize len)
{
	x->extracted += (gint64)len;
	if (x->extracted > x->s->limits.max_extracted) {
		es_x_limit(x, "extracted_bytes", a->part,
			   "more bytes extracted than [limits] max_extracted; the rest not opened");
		return FALSE;
	}
	return TRUE;
}

/* es_x_add_member - the member goes back into the walk as a nested attachment */
void es_x_add_member(es_xctx *x, es_attachment *a, guint n, const char *name, GBytes *data)
{
	char *part = g_strdup_printf("%s/%u", a->part, n);

	es_scan_add_attachment(x->s, part, name, es_x_type_from_name(name), data, a->depth + 1);
	g_free(part);
}

static const struct { const char *ext, *type; } ext_types[] = {
	{ ".csv", "text/csv" }, { ".tsv", "text/tab-separated-values" },
	{ ".txt", "text/plain" }, { ".htm", "text/html" }, { ".html", "text/html" },
	{ ".xml", "application/xml" }, { ".rtf", "application/rtf" },
	{ ".pdf", "application/pdf" }, { ".eml", "message/rfc822" },
	{ ".zip", "application/zip" }, { ".7z", "application/x-7z-compressed" },
	{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ ".ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ ".odt", "application/vnd.oasis.opendocument.text" },
	{ ".xls", "application/vnd.ms-excel" }, { ".doc", "application/msword" },
	{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" }, { ".dat", "application/octet-stream" },
};

/* es_x_type_from_name - archive members carry no MIME type: guess from the name */
const char *es_x_type_from_name(const char *name)
{
	if (name) {
		for (gsize i = 0; i < G_N_ELEMENTS(ext_types); i++) {
			gsize n = strlen(name), e = strlen(ext_types[i].ext);

			if (n >= e && g_ascii_strcasecmp(name + n - e, ext_types[i].ext) == 0)
				return ext_types[i].type;
		}
	}
	return "application/octet-stream";
}

/* es_x_to_utf8 - spreadsheets export CSV as UTF-16 (with BOM, or none:
 * "Unicode text" tools) or Windows-1252 */
char *es_x_to_utf8(const char *data, gsize len, gsize *out_len)
{
	char *out;
	gboolean clean;

	/* UTF-16, read leniently as Notepad and Excel read it: a strict
	 * conversion failed on one stray last byte or lone surrogate, and the
	 * whole list was then read as bytes, NULs between the letters */
	if (es_mime_is_utf16(data, len))
		return es_mime_decode(data, len, NULL, out_len, &clean);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		data += 3, len -= 3;
	if (!g_utf8_validate_len(data, len, NULL)) {
		out = g_convert(data, (gssize)len, "UTF-8", "WINDOWS-1252", NULL, out_len, NULL);
		if (!out)	/* 0x81 etc.: Latin-1 never fails */
			out = g_convert(data, (gssize)len, "UTF-8", "ISO-8859-1", NULL, out_len, NULL);
		if (out)
			return out;
	}
	out = g_malloc(len + 1);
	if (len)	/* an empty member's data may be NULL */
		memcpy(out, data, len);
	out[len] = '\0';
	*out_len = len;
	return out;
}
