/* message.c - a mail message found inside an archive or TNEF (.eml): its
 * subject, sender and recipient names and text parts are read, its
 * attachments go back into the walk.
 * (Attached message/rfc822 MIME parts are opened by mime.c itself.) */
#include "config.h"
#include <string.h>
#include "extract_priv.h"
#include "mime.h"

typedef struct {
	es_xctx *x;
	es_attachment *a;
	guint n;		/* members added so far */
} msg_walk;

/* part_bytes - decoded content of a leaf part */
static GBytes *part_bytes(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *arr;
	GBytes *b;

	if (content)
		g_mime_data_wrapper_write_to_stream(content, mem);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	b = g_bytes_new(arr->data, arr->len);
	g_object_unref(mem);
	return b;
}

/* leaf - body text is read; anything else is a member */
static void leaf(msg_walk *w, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *disp = g_mime_object_get_disposition(obj);
	gboolean attached = (disp && g_ascii_strcasecmp(disp, "attachment") == 0) ||
			    g_mime_part_get_filename(GMIME_PART(obj));

	if (GMIME_IS_TEXT_PART(obj) && !attached) {
		gboolean known;
		char *text = es_mime_text(GMIME_TEXT_PART(obj), &known), *shown = NULL;

		if (!known)
			es_scan_error(w->x->s, "part %s: attached message's text in an unknown charset, read as UTF-8",
				      w->a->part);

		if (g_mime_content_type_is_type(ct, "text", "html")) {
			char *plain = es_html_texts(text, strlen(text), &shown);

			g_free(text);
			text = plain;
		}
		es_x_add_text(w->x, w->a, text, strlen(text));
		/* as the body's HTML: hidden decoys split words only in the text above */
		if (shown)
			es_x_add_text(w->x, w->a, shown, strlen(shown));
		g_free(shown);
		g_free(text);
	} else if (es_x_member_ok(w->x, w->a)) {
		char *type = g_mime_content_type_get_mime_type(ct);
		GBytes *b = part_bytes(GMIME_PART(obj));
		char *part = g_strdup_printf("%s/%u", w->a->part, ++w->n);

		if (es_x_charge(w->x, w->a, g_bytes_get_size(b)))
			es_scan_add_attachment(w->x->s, part, g_mime_part_get_filename(GMIME_PART(obj)),
					       type, b, w->a->depth + 1);
		g_free(part);
		g_bytes_unref(b);
		g_free(type);
	}
}

/* nested_message - a message attached to this one goes back into the walk as message/rfc822 */
static void nested_message(msg_walk *w, GMimeMessagePart *mp)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	GMimeStream *mem;
	GByteArray *arr;
	char *part;
	GBytes *b;

	if (!inner || !es_x_member_ok(w->x, w->a))
		return;
	/* written out whole: as a C string it would end at a NUL in a body */
	mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	b = g_bytes_new(arr->data, arr->len);
	g_object_unref(mem);
	part = g_strdup_printf("%s/%u", w->a->part, ++w->n);
	if (es_x_charge(w->x, w->a, g_bytes_get_size(b)))
		es_scan_add_attachment(w->x->s, part, NULL, "message/rfc822", b, w->a->depth + 1);
	g_free(part);
	g_bytes_unref(b);
}

/* visit - g_mime_message_foreach callback */
static void visit(GMimeObject *parent, GMimeObject *obj, gpointer data)
{
	msg_walk *w = data;

	if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
		es_x_mark_encrypted(w->x, w->a, "attached message is PGP/MIME encrypted");
	else if (GMIME_IS_MESSAGE_PART(obj))
		nested_message(w, GMIME_MESSAGE_PART(obj));
	else if (GMIME_IS_PART(obj) && !(parent && GMIME_IS_MULTIPART_ENCRYPTED(parent)))
		leaf(w, obj);
}

/* es_x_message - parse A as a message, its unclosed encoded words defused
 * as the message's own are (GMime's time on them grows with their square) */
void es_x_message(es_xctx *x, es_attachment *a)
{
	gsize len;
	const char *d = g_bytes_get_data(a->data, &len);
	GMimeMessage *msg;
	msg_walk w = { x, a, 0 };
	char **names;

	if (!es_x_member_ok(x, a))
		return;
	msg = es_mime_construct_bytes(x->s, d, len);
	if (!msg) {
		es_scan_error(x->s, "part %s: attached message unreadable", a->part);
		return;
	}
	if (g_mime_message_get_subject(msg))
		es_x_add_text(x, a, g_mime_message_get_subject(msg), strlen(g_mime_message_get_subject(msg)));
	names = es_mime_address_names(x->s, msg);
	for (char **n = names; n && *n; n++)
		es_x_add_text(x, a, *n, strlen(*n));
	g_strfreev(names);
	g_mime_message_foreach(msg, visit, &w);
	g_object_unref(msg);
}
