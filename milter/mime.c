/* mime.c - parse a message with GMime into the texts and attachments the
 * detectors read, within the nesting and part limits */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "mime.h"
#include "log.h"

typedef struct {
	es_scan *s;
	guint parts;		/* MIME parts seen so far */
	gint64 uudecoded;	/* bytes taken out of uuencoded blocks in text parts */
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

/* es_mime_text - see mime.h. The part is decoded once, here rather than by
 * GMime's reader: that returns a C string, cut at the first NUL. */
char *es_mime_text(GMimeTextPart *tp, gboolean *known)
{
	GBytes *raw = part_bytes(GMIME_PART(tp));
	gsize len, n;
	const char *d = g_bytes_get_data(raw, &len), *cs = g_mime_text_part_get_charset(tp);
	char *text = g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(tp)), "text", "html")
			     ? es_mime_decode_html(d ? d : "", len, cs, &n, known)
			     : es_mime_decode(d ? d : "", len, cs, &n, known);

	g_bytes_unref(raw);
	return text;
}

/* param_is - content type CT has parameter NAME equal to VALUE (any case) */
static gboolean param_is(GMimeContentType *ct, const char *name, const char *value)
{
	const char *v = g_mime_content_type_get_parameter(ct, name);

	return v && g_ascii_strcasecmp(v, value) == 0;
}

/* add_capped_text - LEN bytes of TEXT at PATH for the detectors, cut at
 * [limits] max_text with a finding that says so; the length kept */
static gsize add_capped_text(walk_state *w, const char *path, const char *text, gsize len)
{
	if ((gint64)len > w->s->limits.max_text) {
		len = (gsize)w->s->limits.max_text;
		es_scan_add_finding(w->s, "limits", "text_size", 2, path, "max_text",
				    "text longer than [limits] max_text; the rest was not scanned");
	}
	es_scan_add_text(w->s, path, "body", text, (gssize)len, FALSE);
	return len;
}

/* add_text - a text part: charset converted to UTF-8, HTML turned into text */
static void add_text(walk_state *w, GMimeTextPart *tp, const char *path)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(tp));
	gboolean known;
	char *text = es_mime_text(tp, &known), *shown = NULL;
	gsize len;

	if (!known)
		es_scan_error(w->s, "part %s: charset '%s' not known (read as UTF-8) or text not valid in it (the rest read)", path,
			      g_mime_text_part_get_charset(tp) ? g_mime_text_part_get_charset(tp) : "?");
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		char *plain = es_html_texts(text, strlen(text), &shown);

		g_free(text);
		text = plain;
	} else if (g_mime_content_type_is_type(ct, "text", "plain") && param_is(ct, "format", "flowed")) {
		char *joined = es_mime_unflow(text, param_is(ct, "delsp", "yes"));

		g_free(text);
		text = joined;
	}
	len = add_capped_text(w, path, text, strlen(text));
	/* hidden decoys split the words a reader sees only in the text above */
	if (shown)
		es_scan_add_text(w->s, path, "body", shown, (gssize)MIN(strlen(shown), len), FALSE);
	g_free(shown);
	g_free(text);
}

/* add_leaf_bytes - PART, an attachment or inline non-text part, as BYTES */
static void add_leaf_bytes(walk_state *w, GMimePart *part, const char *path, guint depth, GBytes *bytes)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	char *type = g_mime_content_type_get_mime_type(ct);
	es_attachment *a = es_scan_add_attachment(w->s, path, g_mime_part_get_filename(part), type, bytes, depth);

	/* an attached text is read in the charset it declares, as a
	 * client opening it would; extract.c guesses only when there is none */
	if (g_mime_content_type_is_type(ct, "text", "*"))
		a->charset = g_strdup(g_mime_content_type_get_parameter(ct, "charset"));
	g_free(type);
}

/* add_leaf - an attachment or inline non-text part; its file name is read
 * too, as the recipient sees it ("you're next.docx") */
static void add_leaf(walk_state *w, GMimePart *part, const char *path, guint depth)
{
	GBytes *bytes = part_bytes(part);
	const char *name = g_mime_part_get_filename(part);

	if (name && *name)
		es_scan_add_text(w->s, path, "file name", name, -1, TRUE);
	add_leaf_bytes(w, part, path, depth, bytes);
	g_bytes_unref(bytes);
}

/* raw_content - PART's content still in its transfer encoding */
static GByteArray *raw_content(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *from = content ? g_mime_data_wrapper_get_stream(content) : NULL;
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *arr;

	if (from) {
		g_mime_stream_reset(from);
		g_mime_stream_write_to_stream(from, mem);
		g_mime_stream_reset(from);
	}
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_object_unref(mem);
	return arr;
}

/* decode_as - RAW decoded from transfer encoding ENC */
static GBytes *decode_as(const GByteArray *raw, GMimeContentEncoding enc)
{
	GMimeEncoding state;
	char *out;
	gsize n;

	g_mime_encoding_init_decode(&state, enc);
	out = g_malloc(g_mime_encoding_outlen(&state, raw->len) + 1);
	n = g_mime_encoding_flush(&state, (const char *)raw->data, raw->len, out);
	return g_bytes_new_take(out, n);
}

/* text_part_with - a copy of TP's content type holding BYTES, for add_text */
static GMimeTextPart *text_part_with(GMimeTextPart *tp, GBytes *bytes)
{
	char *ct = g_mime_content_type_encode(g_mime_object_get_content_type(GMIME_OBJECT(tp)), NULL);
	GMimeContentType *copy = g_mime_content_type_parse(NULL, ct);
	GMimeTextPart *alt = g_mime_text_part_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_buffer(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_object_set_content_type(GMIME_OBJECT(alt), copy);
	g_mime_part_set_content(GMIME_PART(alt), content);
	g_object_unref(content);
	g_object_unref(mem);
	g_object_unref(copy);
	g_free(ct);
	return alt;
}

#define MAX_ENCODINGS 4	/* Content-Transfer-Encoding headers of one part looked at */

/* as_read - ENC, with the encodings that leave the bytes as they are
 * (none, 7bit, 8bit, binary) made one, so they are not read twice */
static GMimeContentEncoding as_read(GMimeContentEncoding enc)
{
	return enc <= GMIME_CONTENT_ENCODING_BINARY ? GMIME_CONTENT_ENCODING_7BIT : enc;
}

/* other_encodings - bit N set for each transfer encoding N that one of the
 * first MAX_ENCODINGS Content-Transfer-Encoding headers of PART names but
 * GMime did not use (it takes the last one; a client may take the first) */
static guint other_encodings(GMimePart *part)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(part));
	GMimeContentEncoding used = as_read(g_mime_part_get_content_encoding(part));
	int n = g_mime_header_list_get_count(headers);
	guint seen = 0, found = 0;

	for (int i = 0; i < n && seen < MAX_ENCODINGS; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		GMimeContentEncoding enc;

		if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Content-Transfer-Encoding") != 0)
			continue;
		seen++;
		enc = as_read(g_mime_content_encoding_from_string(g_mime_header_get_value(h)));
		if (enc != used && (guint)enc < 32)
			found |= 1u << enc;
	}
	return found;
}

/* add_other_encodings - PART's content decoded with each transfer encoding
 * its other Content-Transfer-Encoding headers name, read as the part is */
static void add_other_encodings(walk_state *w, GMimePart *part, gboolean text, const char *path, guint depth)
{
	guint others = other_encodings(part);
	GByteArray *raw;

	if (!others)
		return;
	raw = raw_content(part);
	for (guint enc = 0; enc < 32; enc++) {
		GBytes *bytes;

		if (!(others & (1u << enc)))
			continue;
		if (++w->parts > (guint)w->s->limits.max_parts) {
			limit_hit(w, "parts", path, "more MIME parts than [limits] max_parts; the rest not opened");
			break;
		}
		bytes = decode_as(raw, (GMimeContentEncoding)enc);
		if (text) {
			GMimeTextPart *alt = text_part_with(GMIME_TEXT_PART(part), bytes);

			add_text(w, alt, path);
			g_object_unref(alt);
		} else {
			add_leaf_bytes(w, part, path, depth, bytes);
		}
		g_bytes_unref(bytes);
	}
	g_byte_array_unref(raw);
}

/* next_line - the line at *P (before END) without its line end, its
 * length in *LEN; *P moves past it */
static const char *next_line(const char **p, const char *end, gsize *len)
{
	const char *line = *p;
	const char *nl = memchr(line, '\n', (gsize)(end - line));
	const char *e = nl ? nl : end;

	*p = nl ? nl + 1 : end;
	if (e > line && e[-1] == '\r')
		e--;
	*len = (gsize)(e - line);
	return line;
}

/* uu_begin - the file name of LINE (LEN bytes, not NUL-terminated) if it
 * is "begin MODE NAME", else NULL */
static char *uu_begin(const char *line, gsize len)
{
	gsize at = es_mime_uu_begin(line, len);

	return at && at < len ? g_strndup(line + at, len - at) : NULL;
}

/* uudecode_block - the lines from *P to "end" decoded, no more than LIMIT
 * bytes (*CUT set if there were more); *P moves past them */
static GBytes *uudecode_block(const char **p, const char *end, gsize limit, gboolean *cut)
{
	GByteArray *out = g_byte_array_new();
	gboolean done = FALSE;	/* the zero-length line that closes the data was seen */

	*cut = FALSE;
	while (*p < end) {
		gsize len, n, at = out->len;
		const char *line = next_line(p, end, &len);
		int state = 0;
		guint32 save = 0;

		if (len == 3 && memcmp(line, "end", 3) == 0)
			break;
		if (done || len == 0 || *cut)
			continue;
		/* room for all a line can decode to: GMime's decoder reads a new
		 * length byte whenever a count runs out, so one long line is many
		 * lines' worth, not the 45 bytes its first length byte says */
		g_byte_array_set_size(out, (guint)(at + len * 3 / 4 + 4));
		n = g_mime_encoding_uudecode_step((const guchar *)line, len, out->data + at, &state, &save);
		g_byte_array_set_size(out, (guint)(at + n));
		done = (state & GMIME_UUDECODE_STATE_END) != 0;
		if (out->len > limit) {		/* the rest of the block is skipped, not buffered */
			*cut = TRUE;
			g_byte_array_set_size(out, (guint)limit);
		}
	}
	return g_byte_array_free_to_bytes(out);
}

/* add_uuencoded_file - one uuencoded block at *P named NAME, as the Nth
 * file of the text part at PATH; FALSE once a limit stops the reading */
static gboolean add_uuencoded_file(walk_state *w, const char **p, const char *end, const char *name,
				   const char *path, guint depth, guint n)
{
	gint64 left = MAX(w->s->limits.max_extracted - w->uudecoded, 0);
	char *part = g_strdup_printf("%s/%u", path, n);
	gboolean cut;
	GBytes *bytes;

	if (++w->parts > (guint)w->s->limits.max_parts) {
		limit_hit(w, "parts", part, "more MIME parts and uuencoded files than [limits] max_parts; the rest not read");
		g_free(part);
		return FALSE;
	}
	bytes = uudecode_block(p, end, (gsize)left, &cut);
	w->uudecoded += (gint64)g_bytes_get_size(bytes);
	es_scan_add_attachment(w->s, part, name, "application/octet-stream", bytes, depth + 1);
	if (cut)
		limit_hit(w, "extracted", part, "uuencoded files larger than [limits] max_extracted; the rest not read");
	g_bytes_unref(bytes);
	g_free(part);
	return !cut;
}

/* add_uuencoded - each uuencoded block ("begin 644 name" ... "end") in a
 * text/plain part: clients show it as an attached file, which extract.c
 * reads by its name; the part's text is read as it is too */
static void add_uuencoded(walk_state *w, GMimePart *part, const char *path, guint depth)
{
	GBytes *raw;
	const char *p, *end;
	gsize len;
	guint n = 0;

	if (!g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(part)), "text", "plain"))
		return;
	raw = part_bytes(part);
	p = g_bytes_get_data(raw, &len);
	for (end = p ? p + len : NULL; p && p < end;) {
		gsize line_len;
		const char *line = next_line(&p, end, &line_len);
		char *name = uu_begin(line, line_len);
		gboolean go_on = !name || add_uuencoded_file(w, &p, end, name, path, depth, ++n);

		g_free(name);
		if (!go_on)
			break;
	}
	g_bytes_unref(raw);
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

/* add_unbounded - a multipart GMime found no parts in (no boundary given,
 * or one its body never holds): GMime keeps the body as the prologue, which
 * a client shows as text */
static void add_unbounded(walk_state *w, GMimeMultipart *mp, const char *path)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
	const char *body = g_mime_multipart_get_prologue(mp);
	gboolean known;
	gsize n;
	char *text;

	/* no parts: no boundary given, or one the body never holds */
	if (!body || g_mime_multipart_get_count(mp) > 0)
		return;
	text = es_mime_decode(body, strlen(body), g_mime_content_type_get_parameter(ct, "charset"), &n, &known);
	add_capped_text(w, *path ? path : "1", text, n);
	g_free(text);
}

/* walk_message_part - an attached message: its subject, senders' and
 * recipients' names and body are read too */
static void walk_message_part(walk_state *w, GMimeMessagePart *mp, const char *path, guint depth)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	const char *subject;
	char **names;

	if (!inner)
		return;
	subject = g_mime_message_get_subject(inner);
	if (subject)
		es_scan_add_text(w->s, path, "attached message subject", subject, -1, TRUE);
	es_mime_add_subjects(w->s, inner, path, "attached message subject", TRUE);
	names = es_mime_address_names(w->s, inner);
	for (char **n = names; n && *n; n++)
		es_scan_add_text(w->s, path, "attached message names", *n, -1, TRUE);
	g_strfreev(names);
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
		add_unbounded(w, GMIME_MULTIPART(obj), path);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		walk_message_part(w, GMIME_MESSAGE_PART(obj), path, depth);
	} else if (GMIME_IS_TEXT_PART(obj) && !is_attachment(obj)) {
		add_text(w, GMIME_TEXT_PART(obj), path);
		add_uuencoded(w, GMIME_PART(obj), path, depth);
		add_other_encodings(w, GMIME_PART(obj), TRUE, path, depth);
	} else if (GMIME_IS_PART(obj)) {
		add_leaf(w, GMIME_PART(obj), path, depth);
		add_other_encodings(w, GMIME_PART(obj), FALSE, path, depth);
	}
}

/* es_mime_parse_message - take what the detectors need out of MSG */
gboolean es_mime_parse_message(es_scan *s, GMimeMessage *msg)
{
	walk_state w = { .s = s };
	GMimeObject *body;
	const char *v;
	char **names;

	s->mime = g_object_ref(msg);
	if ((v = g_mime_message_get_message_id(msg)))
		s->message_id = g_strdup(v);
	if ((v = g_mime_message_get_subject(msg))) {
		s->subject = g_strdup(v);
		es_scan_add_text(s, "subject", "subject", v, -1, FALSE);
	}
	es_mime_add_subjects(s, msg, "subject", "subject", FALSE);
	names = es_mime_address_names(s, msg);
	for (char **n = names; n && *n; n++)
		es_scan_add_text(s, "names", "sender and recipient names", *n, -1, FALSE);
	g_strfreev(names);
	body = g_mime_message_get_mime_part(msg);
	if (body)
		walk(&w, body, GMIME_IS_MULTIPART(body) ? "" : "1", 0);
	return TRUE;
}

/* parser_warning - one line, with the queue ID, for each kind of damage
 * GMime finds in a message (the first of each kind: a broken message can
 * repeat one thousands of times). The scan goes on with what GMime made of
 * it; the line says why a lead may see odd parts. */
static void parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	static const char *const what[] = {
		[GMIME_WARN_DUPLICATED_HEADER] = "a header that may appear once is repeated",
		[GMIME_WARN_DUPLICATED_PARAMETER] = "a header parameter is repeated",
		[GMIME_WARN_UNENCODED_8BIT_HEADER] = "a header has unencoded 8-bit characters",
		[GMIME_WARN_INVALID_CONTENT_TYPE] = "an invalid Content-Type (read as application/octet-stream)",
		[GMIME_WARN_INVALID_RFC2047_HEADER_VALUE] = "an invalid encoded word in a header",
		[GMIME_WARN_MALFORMED_MULTIPART] = "a multipart with no parts",
		[GMIME_WARN_TRUNCATED_MESSAGE] = "the message is truncated",
		[GMIME_WARN_MALFORMED_MESSAGE] = "the message is malformed",
		[GMIME_CRIT_INVALID_HEADER_NAME] = "an invalid header name (part of the message may be skipped)",
		[GMIME_CRIT_CONFLICTING_HEADER] = "conflicting headers",
		[GMIME_CRIT_CONFLICTING_PARAMETER] = "conflicting header parameters",
		[GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY] = "a multipart without a boundary",
		[GMIME_WARN_INVALID_PARAMETER] = "an invalid header parameter",
		[GMIME_WARN_INVALID_ADDRESS_LIST] = "an invalid address list",
		[GMIME_CRIT_NESTING_OVERFLOW] = "MIME nesting past GMime's own limit",
		[GMIME_WARN_PART_WITHOUT_CONTENT] = "a part whose headers end at a boundary",
		[GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT] = "a part with neither headers nor content",
	};
	es_scan *s = data;
	guint c = (guint)code;
	GString *line;

	if (c < 32 && (s->mime_warned & (1u << c)))
		return;
	if (c < 32)
		s->mime_warned |= 1u << c;
	line = g_string_new("MIME: ");
	g_string_append(line, c < G_N_ELEMENTS(what) && what[c] ? what[c] : "damage GMime does not name");
	if (offset >= 0)
		g_string_append_printf(line, " at byte %" G_GINT64_FORMAT, offset);
	if (item) {		/* the sender's bytes: short, on one line */
		g_string_append(line, ": '");
		for (gsize i = 0; item[i] && i < 60; i++)
			g_string_append_c(line, (unsigned char)item[i] < 0x20 ? ' ' : item[i]);
		g_string_append_c(line, '\'');
	}
	es_log(LOG_INFO, s->qid, "%s", line->str);
	g_string_free(line, TRUE);
}

/* es_mime_construct - see mime.h */
GMimeMessage *es_mime_construct(es_scan *s, GMimeParser *parser)
{
	GMimeParserOptions *opts = g_mime_parser_options_new();
	GMimeMessage *msg;

	/* the message's header lists keep a copy of the options for later
	 * decoding, so the callback's data is the scan, which outlives them */
	g_mime_parser_options_set_warning_callback(opts, parser_warning, s);
	msg = g_mime_parser_construct_message(parser, opts);
	g_mime_parser_options_free(opts);
	return msg;
}

#define UNCLOSED_MAX 256	/* unclosed "=?" a message may hold before they are defused */

/* unclosed_at - "=?" at P (before END) opens no encoded word: no "?="
 * follows before white space or 200 bytes */
static gboolean unclosed_at(const char *p, const char *end)
{
	for (const char *q = p + 2; q + 1 < end && q < p + 200 && !g_ascii_isspace(*q); q++)
		if (q[0] == '?' && q[1] == '=')
			return FALSE;
	return TRUE;
}

/* defused - DATA for GMime, or a copy of it with each unclosed "=?" made
 * "= " when there are many (g_free *COPY after). GMime looks for each
 * one's end to the end of the header, while checking and decoding headers:
 * 160 KB of them in one header took 1.3 s to parse, 640 KB 20 s, and an
 * attached message's headers have no size limit in the MTA. An unclosed
 * one decodes to nothing, so the text the detectors read is the same. */
static const char *defused(const char *data, gsize len, char **copy)
{
	const char *end;
	guint unclosed = 0;
	char *c, *cend;

	*copy = NULL;
	if (len == 0)	/* DATA may be NULL then: no arithmetic on it */
		return data;
	end = data + len;
	for (const char *p = data; (p = memchr(p, '=', (gsize)(end - p))) && p + 1 < end; p++)
		if (p[1] == '?' && unclosed_at(p, end) && ++unclosed > UNCLOSED_MAX)
			break;
	if (unclosed <= UNCLOSED_MAX)
		return data;
	c = *copy = g_memdup2(data, len);
	cend = c + len;
	for (; (c = memchr(c, '=', (gsize)(cend - c))) && c + 1 < cend; c++)
		if (c[1] == '?' && unclosed_at(c, cend))
			c[1] = ' ';
	return *copy;
}

/* es_mime_construct_bytes - see mime.h */
GMimeMessage *es_mime_construct_bytes(es_scan *s, const char *raw, gsize len)
{
	char *copy;
	const char *data = defused(raw, len, &copy);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data ? data : "", len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg;

	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = es_mime_construct(s, parser);
	g_object_unref(parser);
	g_object_unref(stream);
	g_free(copy);
	return msg;
}

/* es_mime_construct_raw - see mime.h */
GMimeMessage *es_mime_construct_raw(es_scan *s)
{
	gsize len;
	const char *raw = g_bytes_get_data(s->raw, &len);

	return es_mime_construct_bytes(s, raw, len);
}

/* es_mime_parse - parse s->raw */
gboolean es_mime_parse(es_scan *s)
{
	GMimeMessage *msg = es_mime_construct_raw(s);
	gboolean ok;

	if (!msg) {
		es_scan_error(s, "message could not be parsed as MIME");
		return FALSE;
	}
	ok = es_mime_parse_message(s, msg);
	g_object_unref(msg);
	return ok;
}
