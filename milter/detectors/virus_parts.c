/* virus_parts.c - hand libclamav each decoded MIME part from memory rather
 * than the message as received: no second MIME parse, no base64 text run
 * through the matchers, no temporary file for each decoded part, and an
 * attachment sent to many (a newsletter PDF) hits libclamav's cache. What only libclamav's
 * mail parser would find is kept: HTML parts go in as a small mail of their
 * own (its phishing checks read links only there), uuencode and BinHex
 * blocks are scanned from their first line (it knows both only at the start
 * of a file), and es_virus_raw_reason says when the raw message adds more. */
#include "config.h"
#include <string.h>
#include <gmime/gmime.h>
#include "virus_parts.h"
#include "extract.h"
#include "mime.h"

#define BINHEX_LINE "(This file must be converted with BinHex"
/* Headers that make libclamav read an HTML part, or the MIME entity an
 * S/MIME signature wraps (its own headers follow), as mail */
#define AS_MAIL "From: esafety-milter\r\nMIME-Version: 1.0\r\n"
#define HTML_AS_MAIL AS_MAIL "Content-Type: text/html\r\n\r\n"

typedef struct {
	es_clamav_engine *e;
	const es_virus_options *o;
	es_virus_result *r;
	GHashTable *decoded;	/* part path -> GBytes mime.c already decoded */
	guint files;		/* buffers handed to libclamav so far */
	guint64 bytes;		/* and their size */
	gint64 t0;
	gboolean stop;		/* a limit was hit or a scan failed */
	cl_error_t rc;		/* the first scan error, else CL_CLEAN */
	es_scan *s;		/* for parsing what an S/MIME signature wraps */
} part_walk;

static void walk(part_walk *w, GMimeObject *obj, const char *path, guint depth);

/* block_kind - "uuencode" or "binhex" if the LEN bytes at LINE open such a
 * block ("begin 644 name", BinHex 4.0's first line), else NULL */
static const char *block_kind(const char *line, gsize len)
{
	if (es_mime_uu_begin(line, len))
		return "uuencode";
	if (len >= sizeof BINHEX_LINE - 1 && memcmp(line, BINHEX_LINE, sizeof BINHEX_LINE - 1) == 0)
		return "binhex";
	return NULL;
}

/* next_block - offset of the first line at or after FROM that opens a block
 * (*kind says which), or LEN if none */
static gsize next_block(const char *p, gsize len, gsize from, const char **kind)
{
	gsize at = from;
	const char *nl;

	while (at < len) {
		if ((at == 0 || p[at - 1] == '\n') && (*kind = block_kind(p + at, len - at)))
			return at;
		if (!(nl = memchr(p + at, '\n', len - at)))
			break;
		at = (gsize)(nl - p) + 1;
	}
	*kind = NULL;
	return len;
}

/* es_virus_raw_reason - why the raw message is scanned as well, or NULL.
 * auto: when GMime could not read it, or read it with damage, or its text
 * has a uuencode or BinHex block: libclamav's mail parser also looks where GMime shows no part (a
 * preamble, a body GMime reads otherwise). yEnc is no reason: libclamav
 * cannot decode it. */
const char *es_virus_raw_reason(const es_scan *s, const es_virus_options *o)
{
	const guint32 damage = 1u << GMIME_WARN_DUPLICATED_HEADER | 1u << GMIME_CRIT_CONFLICTING_HEADER |
		1u << GMIME_CRIT_CONFLICTING_PARAMETER | 1u << GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY |
		1u << GMIME_WARN_MALFORMED_MULTIPART | 1u << GMIME_CRIT_INVALID_HEADER_NAME |
		1u << GMIME_WARN_MALFORMED_MESSAGE | 1u << GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT |
		1u << GMIME_WARN_INVALID_CONTENT_TYPE;
	const char *kind;
	gsize len;
	const char *p;

	if (!s->raw || o->scan_raw == ES_SCAN_RAW_NEVER)
		return NULL;
	if (o->scan_raw == ES_SCAN_RAW_ALWAYS)
		return "always";
	if (!s->mime || !g_mime_message_get_mime_part(s->mime))
		return "not parsed";
	/* GMime read round damage one way (the last of two Content-Transfer-
	 * Encodings, no parts for a multipart with no boundary); a mail client,
	 * and libclamav's parser, may read it another and find an attachment */
	if (s->mime_warned & damage)
		return "damaged MIME";
	p = g_bytes_get_data(s->raw, &len);
	next_block(p, len, 0, &kind);
	return kind;
}

/* within_limits - count one more buffer of LEN bytes against the message's
 * limits; FALSE once past one (a limits alert, or a timeout), and the walk stops */
static gboolean within_limits(part_walk *w, gsize len)
{
	const char *limit = NULL;

	if (w->stop)
		return FALSE;
	if (++w->files > w->o->max_files)
		limit = "Heuristics.Limits.Exceeded.MaxFiles";
	else if ((w->bytes += len) > w->o->max_scansize)
		limit = "Heuristics.Limits.Exceeded.MaxScanSize";
	else if (w->o->max_scantime_ms &&
		 g_get_monotonic_time() - w->t0 > (gint64)w->o->max_scantime_ms * 1000)
		w->r->timed_out = TRUE;
	else
		return TRUE;
	if (limit)
		es_virus_alert(w->r, limit);
	w->stop = TRUE;
	return FALSE;
}

/* scan_bytes - LEN bytes at P as one file named NAME (may be NULL) */
static void scan_bytes(part_walk *w, const void *p, gsize len, const char *name)
{
	cl_error_t rc;

	if (!within_limits(w, len))
		return;
	rc = es_virus_scan_buffer(w->e, p, len, name, w->o, w->r);
	if (rc != CL_CLEAN && rc != CL_VIRUS) {
		w->rc = rc;
		w->stop = TRUE;
	}
	if (w->r->timed_out)
		w->stop = TRUE;
}

/* scan_as_mail - LEN bytes at P after the headers HEAD: a small mail */
static void scan_as_mail(part_walk *w, const char *head, const void *p, gsize len, const char *name)
{
	GByteArray *m = g_byte_array_sized_new((guint)(len + strlen(head)));

	g_byte_array_append(m, (const guint8 *)head, (guint)strlen(head));
	g_byte_array_append(m, p, (guint)len);
	scan_bytes(w, m->data, m->len, name);
	g_byte_array_unref(m);
}

/* scan_blocks - each uuencode or BinHex block after the start of the part,
 * from its first line to the next block (one at the start the part scan saw) */
static void scan_blocks(part_walk *w, const char *p, gsize len, const char *name)
{
	const char *kind;
	gsize at = next_block(p, len, 1, &kind), end;

	for (; at < len && !w->stop; at = end) {
		end = next_block(p, len, at + 1, &kind);
		scan_bytes(w, p + at, end - at, name);
	}
}

/* part_data - the decoded bytes of leaf PART: mime.c's copy when it kept one */
static GBytes *part_data(part_walk *w, GMimePart *part, const char *path)
{
	GBytes *kept = g_hash_table_lookup(w->decoded, path);
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *arr;

	if (kept)
		return g_bytes_ref(kept);
	if (!content)
		return g_bytes_new(NULL, 0);
	mem = g_mime_stream_mem_new();
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_data_wrapper_write_to_stream(content, mem);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_object_unref(mem);
	return g_byte_array_free_to_bytes(arr);
}

/* scan_signed - the MIME entity (N bytes at Q) an S/MIME signature in the
 * part at PATH wraps: as libclamav reads mail, and parsed and walked as
 * parts below PATH, so a signature inside it is opened in turn (DEPTH,
 * against max_recursion, bounds that) */
static void scan_signed(part_walk *w, const guchar *q, gsize n, const char *name, const char *path, guint depth)
{
	GMimeMessage *inner;
	GMimeObject *body;
	char *below;

	scan_as_mail(w, AS_MAIL, q, n, name);
	if (w->stop || !(inner = es_mime_construct_bytes(w->s, (const char *)q, n)))
		return;
	if ((body = g_mime_message_get_mime_part(inner))) {
		below = g_strdup_printf("%s/signed", path);	/* no decoded copy has a path with '/' */
		walk(w, body, below, depth + 1);
		g_free(below);
	}
	g_object_unref(inner);
}

/* scan_leaf - one leaf part at PATH (DEPTH levels down), then the blocks
 * inside it */
static void scan_leaf(part_walk *w, GMimePart *part, const char *path, guint depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *name = g_mime_part_get_filename(part);
	GBytes *b = part_data(w, part, path), *signed_mail;
	gsize len;
	const char *p = g_bytes_get_data(b, &len);

	w->r->cur_part = path;
	if (w->o->phishing && ct && g_mime_content_type_is_type(ct, "text", "html"))
		scan_as_mail(w, HTML_AS_MAIL, p, len, name);
	else
		scan_bytes(w, p, len, name);
	scan_blocks(w, p, len, name);
	/* libclamav does not open CMS: what an opaque S/MIME signature wraps,
	 * an attachment in base64 say, is scanned as the mail it is, a
	 * signature inside it opened too (or as the file it is, when it is not
	 * a MIME entity) */
	if (!w->stop && (signed_mail = es_smime_signed_content((const guchar *)p, len))) {
		gsize n;
		const guchar *q = g_bytes_get_data(signed_mail, &n);

		if (es_mime_entity_like(q, n))
			scan_signed(w, q, n, name, path, depth);
		else
			scan_bytes(w, q, n, name);
		g_bytes_unref(signed_mail);
	}
	g_bytes_unref(b);
}

/* walk - the MIME object at PATH, DEPTH levels down; paths as mime.c makes
 * them ("1", "2.1"), so its decoded copies are found */
static void walk(part_walk *w, GMimeObject *obj, const char *path, guint depth)
{
	if (w->stop)
		return;
	if (depth > w->o->max_recursion) {
		w->r->cur_part = path;
		es_virus_alert(w->r, "Heuristics.Limits.Exceeded.MaxRecursion");
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));

		for (int i = 0; i < n && !w->stop; i++) {
			char *child = *path ? g_strdup_printf("%s.%d", path, i + 1)
					    : g_strdup_printf("%d", i + 1);

			walk(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), child, depth + 1);
			g_free(child);
		}
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		GMimeObject *body = inner ? g_mime_message_get_mime_part(inner) : NULL;

		if (body)
			walk(w, body, path, depth + 1);
	} else if (GMIME_IS_PART(obj)) {
		scan_leaf(w, GMIME_PART(obj), path, depth);
	}
}

/* decoded_table - part path -> decoded bytes of the attachments mime.c kept
 * (archive members, "PART/N", are left to libclamav, which opens archives) */
static GHashTable *decoded_table(const es_scan *s)
{
	GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; s->attachments && i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);

		if (a->data && a->part && !strchr(a->part, '/'))
			g_hash_table_insert(t, a->part, a->data);
	}
	return t;
}

/* es_virus_scan_parts - scan every decoded leaf part of s->mime */
cl_error_t es_virus_scan_parts(es_clamav_engine *e, es_scan *s, const es_virus_options *o,
			       es_virus_result *r)
{
	part_walk w = { .e = e, .o = o, .r = r, .t0 = g_get_monotonic_time(), .rc = CL_CLEAN, .s = s };
	GMimeObject *body = s->mime ? g_mime_message_get_mime_part(s->mime) : NULL;

	if (!body)
		return CL_CLEAN;
	r->opts = o;	/* a limit can be hit before libclamav sees anything */
	w.decoded = decoded_table(s);
	walk(&w, body, GMIME_IS_MULTIPART(body) ? "" : "1", 0);
	g_hash_table_unref(w.decoded);
	r->cur_part = NULL;
	return w.rc;
}
