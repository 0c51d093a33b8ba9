/* tnef.c - winmail.dat (application/ms-tnef): the attachments inside go back
 * into the walk, and the message text Outlook put there (attBody, the MAPI
 * properties PR_BODY and PR_HTML) is read as the attachment's text: a
 * pupil list pasted into the body travels only there. A small bounded
 * reader of TNEF attribute records and MAPI property lists (every length
 * is checked against what is left) rather than libytnef. PR_RTF_COMPRESSED
 * is not read: we have no decompressor for it, and Outlook writes PR_BODY
 * beside it. */
#include "config.h"
#include <string.h>
#include "extract_priv.h"
#include "mime.h"

#define TNEF_SIGNATURE 0x223e9f78u
#define ATT_RENDDATA 0x9002u		/* attAttachRendData: a new attachment starts */
#define ATT_TITLE 0x8010u		/* attAttachTitle: its file name */
#define ATT_DATA 0x800fu		/* attAttachData: its bytes */
#define ATT_BODY 0x800cu		/* attBody: the message text */
#define ATT_MAPI_PROPS 0x9003u		/* attMAPIProps: the message's MAPI properties */
#define LVL_MESSAGE 1
#define LVL_ATTACHMENT 2

#define PR_BODY 0x1000u
#define PR_HTML 0x1013u
#define PT_OBJECT 0x000du
#define PT_STRING8 0x001eu
#define PT_UNICODE 0x001fu
#define PT_BINARY 0x0102u
#define MV_FLAG 0x1000u			/* a multi-valued property: a count, then the values */

/* Where a MAPI property list is being read. */
typedef struct {
	const guchar *p;
	gsize len, off;
} cursor;

/* le32 - little-endian 32-bit value at P */
static guint32 le32(const guchar *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

/* u32 - the next 4 bytes as a number; FALSE if they are not there */
static gboolean u32(cursor *c, guint32 *v)
{
	if (c->len - c->off < 4)
		return FALSE;
	*v = le32(c->p + c->off);
	c->off += 4;
	return TRUE;
}

/* skip - past N bytes and their padding to 4; FALSE if the N are not there
 * (padding cut short by the end is let pass) */
static gboolean skip(cursor *c, gsize n)
{
	if (n > c->len - c->off)
		return FALSE;
	c->off += n;
	c->off = MIN(c->off + (4 - n % 4) % 4, c->len);
	return TRUE;
}

/* skip_name - past a named property's name: GUID, kind, then a number
 * (kind 0) or a counted UTF-16 string */
static gboolean skip_name(cursor *c)
{
	guint32 kind, n;

	return skip(c, 16) && u32(c, &kind) && u32(c, &n) && (kind == 0 || skip(c, n));
}

/* fixed_size - bytes (padded) of one value of MAPI type TYPE; 0 for the
 * counted types (strings, binary, objects); -1 if unknown: the rest of the
 * list cannot be found then */
static int fixed_size(guint type)
{
	switch (type) {
	case 0x0002: case 0x0003: case 0x0004: case 0x000a: case 0x000b:
		return 4;	/* 16-bit integers and booleans are padded to 4 */
	case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040:
		return 8;
	case 0x0048:
		return 16;
	case PT_OBJECT: case PT_STRING8: case PT_UNICODE: case PT_BINARY:
		return 0;
	default:
		return -1;
	}
}

/* add_body - body text D (LEN bytes; UTF-16LE if WIDE, else the message's
 * 8-bit charset) to A's texts, through the HTML reader if HTML. Trailing
 * NULs are the string's terminator. */
static void add_body(es_xctx *x, const es_attachment *a, const guchar *d, gsize len, gboolean wide, gboolean html)
{
	gsize unit = wide ? 2 : 1, n;
	gboolean clean;
	char *text;

	while (len >= unit && d[len - 1] == 0 && d[len - unit] == 0)
		len -= unit;
	/* a crafted file may hold thousands: the text budget and time count */
	if (len == 0 || !es_x_next_ok(x, a))
		return;
	text = wide ? es_mime_decode((const char *)d, len, "UTF-16LE", &n, &clean)
		    : es_x_to_utf8((const char *)d, len, &n);
	if (html) {
		char *plain = es_html_to_text(text, n);

		g_free(text);
		text = plain;
		n = strlen(text);
	}
	es_x_add_text(x, a, text, n);
	g_free(text);
}

/* counted_value - past one counted value (length, bytes, padding); the
 * bytes go to add_body if BODY. FALSE if they are not all there. */
static gboolean counted_value(es_xctx *x, const es_attachment *a, cursor *c, gboolean body, guint type,
			      guint id)
{
	guint32 vlen;

	if (!u32(c, &vlen) || vlen > c->len - c->off)
		return FALSE;
	if (body)
		add_body(x, a, c->p + c->off, vlen, type == PT_UNICODE, id == PR_HTML);
	return skip(c, vlen);
}

/* prop_values - past the value(s) of a property of TYPE; a single-valued
 * PR_BODY or PR_HTML is read. FALSE if the list cannot be read on. */
static gboolean prop_values(es_xctx *x, const es_attachment *a, cursor *c, guint type, guint id)
{
	int size = fixed_size(type & ~MV_FLAG);
	guint32 n = 1;
	gboolean body = (id == PR_BODY || id == PR_HTML) &&
			(type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY);

	if (size < 0 || (((type & MV_FLAG) || size == 0) && !u32(c, &n)))
		return FALSE;
	for (guint32 v = 0; v < n; v++)		/* each value takes 4 bytes or more: bounded */
		if (!(size > 0 ? skip(c, (gsize)size) : counted_value(x, a, c, body, type, id)))
			return FALSE;
	return TRUE;
}

/* mapi_props - the message's MAPI property list (attMAPIProps): a count,
 * then tag (type, id), a name for ids from 0x8000, and the value(s) */
static void mapi_props(es_xctx *x, const es_attachment *a, const guchar *p, gsize len)
{
	cursor c = { p, len, 0 };
	guint32 count, tag;

	if (!u32(&c, &count))
		return;
	for (guint32 i = 0; i < count && u32(&c, &tag); i++) {
		if ((tag >> 16) >= 0x8000 && !skip_name(&c))
			break;
		if (!prop_values(x, a, &c, tag & 0xffff, tag >> 16))
			break;
	}
}

/* flush - add the attachment collected so far, if it has data */
static void flush(es_xctx *x, es_attachment *a, guint *n, char **title, GBytes **data)
{
	if (*data && es_x_member_ok(x, a) && es_x_charge(x, a, g_bytes_get_size(*data)))
		es_x_add_member(x, a, ++*n, *title ? *title : "attachment", *data);
	if (*data)
		g_bytes_unref(*data);
	g_free(*title);
	*data = NULL;
	*title = NULL;
}

/* es_x_tnef - records: level (1), id (4), length (4), data, checksum (2) */
void es_x_tnef(es_xctx *x, es_attachment *a)
{
	gsize len, off = 6;
	const guchar *d = g_bytes_get_data(a->data, &len);
	char *title = NULL;
	GBytes *data = NULL;
	guint n = 0;

	if (len < 6 || le32(d) != TNEF_SIGNATURE) {
		es_scan_error(x->s, "part %s: not a TNEF stream", a->part);
		return;
	}
	while (off + 9 <= len) {
		guint level = d[off];
		guint id = le32(d + off + 1) & 0xffff;
		guint32 size = le32(d + off + 5);

		off += 9;
		if (size > len - off || len - off - size < 2) {
			es_scan_error(x->s, "part %s: TNEF record runs past the end", a->part);
			break;
		}
		if (level == LVL_MESSAGE && id == ATT_BODY)
			add_body(x, a, d + off, size, FALSE, FALSE);
		else if (level == LVL_MESSAGE && id == ATT_MAPI_PROPS)
			mapi_props(x, a, d + off, size);
		else if (level == LVL_ATTACHMENT && id == ATT_RENDDATA)
			flush(x, a, &n, &title, &data);
		else if (level == LVL_ATTACHMENT && id == ATT_TITLE)
			g_free(title), title = g_strndup((const char *)d + off, size);
		else if (level == LVL_ATTACHMENT && id == ATT_DATA && !data)
			data = g_bytes_new(d + off, size);
		off += size + 2;
	}
	flush(x, a, &n, &title, &data);
}
