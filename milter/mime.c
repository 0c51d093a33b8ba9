/* mime.c - parse a message with GMime into the texts and attachments the
 * detectors read, within the nesting and part limits */
#include "config.h"
#include <string.h>
#include "mime.h"
#include "log.h"

typedef struct {
	es_scan *s;
	guint parts;		/* MIME parts seen so far */
	gboolean limited;	/* a limit finding was already recorded */
} walk_state;

static void walk(walk_state *w, GMimeObject *obj, const char *path, guint depth);

/* limit_hit - record a limits finding once per kind */
static void limit_hit(walk_state *w, const char *category, const char *part, const char *what)
{
	if (w->limited)
		return;
	w->limited = TRUE;
	es_scan_add_finding(w->s, "limits", category, 3, part, category, what);
	es_log(LOG_NOTICE, w->s->qid, "limit hit in part %s: %s", part, what);
}

/* part_bytes - the decoded content of a leaf part */
static GBytes *part_bytes(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *arr;
	GBytes *bytes;

	if (!content)
		return g_bytes_new(NULL, 0);
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	bytes = g_bytes_new(arr->data, arr->len);
	g_object_unref(mem);
	return bytes;
}

/* plain_charset - CS needs no conversion: none given, UTF-8 or ASCII */
static gboolean plain_charset(const char *cs)
{
	return !cs || g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "us-ascii") == 0;
}

/* es_mime_text - see mime.h. The part is decoded once; GMime's reader is
 * used only to convert another charset, and not when the text holds a NUL:
 * it returns a C string, so everything after the NUL would go unscanned
 * ("hello\0 <abuse>"). Such a text is converted here. */
char *es_mime_text(GMimeTextPart *tp, gboolean *known)
{
	const char *cs = g_mime_text_part_get_charset(tp);
	GBytes *raw = part_bytes(GMIME_PART(tp));
	gsize len, n = 0;
	const char *d = g_bytes_get_data(raw, &len);
	gboolean nul = d && memchr(d, '\0', len);
	char *text = NULL;

	if (!plain_charset(cs))
		text = nul ? g_convert(d, (gssize)len, "UTF-8", g_mime_charset_iconv_name(cs), NULL, &n, NULL)
			   : g_mime_text_part_get_text(tp);
	*known = text != NULL || plain_charset(cs);
	if (!text) {
		/* UTF-8, or a charset not known: the bytes as they are;
		 * es_scan_add_text makes them valid UTF-8 */
		text = g_malloc(len + 1);
		memcpy(text, d ? d : "", len);
		text[len] = '\0';
		n = len;
	}
	for (char *p = text; nul && (p = memchr(p, '\0', (gsize)(text + n - p))); p++)
		*p = ' ';
	g_bytes_unref(raw);
	return text;
}

/* add_text - a text part: charset converted to UTF-8, HTML turned into text */
static void add_text(walk_state *w, GMimeTextPart *tp, const char *path)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(tp));
	gboolean known;
	char *text = es_mime_text(tp, &known);
	gsize len;

	if (!known)
		es_scan_error(w->s, "part %s: charset '%s' not known or text not valid in it, read as UTF-8", path,
			      g_mime_text_part_get_charset(tp) ? g_mime_text_part_get_charset(tp) : "?");
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		char *plain = es_html_to_text(text, strlen(text));

		g_free(text);
		text = plain;
	}
	len = strlen(text);
	if ((gint64)len > w->s->limits.max_text) {
		len = (gsize)w->s->limits.max_text;
		es_scan_add_finding(w->s, "limits", "text_size", 2, path, "max_text",
				    "text longer than [limits] max_text; the rest was not scanned");
	}
	es_scan_add_text(w->s, path, "body", text, (gssize)len, FALSE);
	g_free(text);
}

/* add_leaf - an attachment or inline non-text part */
static void add_leaf(walk_state *w, GMimePart *part, const char *path, guint depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	char *type = g_mime_content_type_get_mime_type(ct);
	GBytes *bytes = part_bytes(part);

	es_scan_add_attachment(w->s, path, g_mime_part_get_filename(part), type, bytes, depth);
	g_bytes_unref(bytes);
	g_free(type);
}

/* is_attachment - a part the sender attached rather than wrote */
static gboolean is_attachment(GMimeObject *obj)
{
	const char *disp = g_mime_object_get_disposition(obj);

	return (disp && g_ascii_strcasecmp(disp, "attachment") == 0) ||
	       (GMIME_IS_PART(obj) && g_mime_part_get_filename(GMIME_PART(obj)));
}

/* walk_multipart - each child gets PATH.N */
static void walk_multipart(walk_state *w, GMimeMultipart *mp, const char *path, guint depth)
{
	int n = g_mime_multipart_get_count(mp);

	for (int i = 0; i < n; i++) {
		char *child = *path ? g_strdup_printf("%s.%d", path, i + 1) : g_strdup_printf("%d", i + 1);

		walk(w, g_mime_multipart_get_part(mp, i), child, depth + 1);
		g_free(child);
	}
}

/* walk_message_part - an attached message: its subject and body are read too */
static void walk_message_part(walk_state *w, GMimeMessagePart *mp, const char *path, guint depth)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	const char *subject;

	if (!inner)
		return;
	subject = g_mime_message_get_subject(inner);
	if (subject)
		es_scan_add_text(w->s, path, "attached message subject", subject, -1, TRUE);
	if (g_mime_message_get_mime_part(inner))
		walk(w, g_mime_message_get_mime_part(inner), path, depth + 1);
}

/* walk - one MIME object at PATH */
static void walk(walk_state *w, GMimeObject *obj, const char *path, guint depth)
{
	if (depth > (guint)w->s->limits.max_depth) {
		limit_hit(w, "depth", path, "MIME nesting deeper than [limits] max_depth; not opened");
		return;
	}
	if (++w->parts > (guint)w->s->limits.max_parts) {
		limit_hit(w, "parts", path, "more MIME parts than [limits] max_parts; the rest not opened");
		return;
	}
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		w->s->encrypted = TRUE;
		es_scan_add_attachment(w->s, path, NULL, "multipart/encrypted", NULL, depth);
	} else if (GMIME_IS_MULTIPART(obj)) {
		walk_multipart(w, GMIME_MULTIPART(obj), *path ? path : "", depth);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		walk_message_part(w, GMIME_MESSAGE_PART(obj), path, depth);
	} else if (GMIME_IS_TEXT_PART(obj) && !is_attachment(obj)) {
		add_text(w, GMIME_TEXT_PART(obj), path);
	} else if (GMIME_IS_PART(obj)) {
		add_leaf(w, GMIME_PART(obj), path, depth);
	}
}

/* es_mime_parse_message - take what the detectors need out of MSG */
gboolean es_mime_parse_message(es_scan *s, GMimeMessage *msg)
{
	walk_state w = { .s = s };
	GMimeObject *body;
	const char *v;

	s->mime = g_object_ref(msg);
	if ((v = g_mime_message_get_message_id(msg)))
		s->message_id = g_strdup(v);
	if ((v = g_mime_message_get_subject(msg))) {
		s->subject = g_strdup(v);
		es_scan_add_text(s, "subject", "subject", v, -1, FALSE);
	}
	body = g_mime_message_get_mime_part(msg);
	if (body)
		walk(&w, body, GMIME_IS_MULTIPART(body) ? "" : "1", 0);
	return TRUE;
}

/* es_mime_parse - parse s->raw */
gboolean es_mime_parse(es_scan *s)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(s->raw, &len);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg;
	gboolean ok;

	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (!msg) {
		es_scan_error(s, "message could not be parsed as MIME");
		return FALSE;
	}
	ok = es_mime_parse_message(s, msg);
	g_object_unref(msg);
	return ok;
}
