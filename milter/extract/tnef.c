/* tnef.c - winmail.dat (application/ms-tnef): the attachments inside go back
 * into the walk. A small bounded reader of TNEF attribute records (every
 * length is checked against what is left) rather than libytnef: we need
 * only attachment titles and data, not MAPI properties or RTF bodies. */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

#define TNEF_SIGNATURE 0x223e9f78u
#define ATT_RENDDATA 0x9002u		/* attAttachRendData: a new attachment starts */
#define ATT_TITLE 0x8010u		/* attAttachTitle: its file name */
#define ATT_DATA 0x800fu		/* attAttachData: its bytes */
#define LVL_ATTACHMENT 2

/* le32 - little-endian 32-bit value at P */
static guint32 le32(const guchar *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
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
		if (level == LVL_ATTACHMENT && id == ATT_RENDDATA)
			flush(x, a, &n, &title, &data);
		else if (level == LVL_ATTACHMENT && id == ATT_TITLE)
			g_free(title), title = g_strndup((const char *)d + off, size);
		else if (level == LVL_ATTACHMENT && id == ATT_DATA && !data)
			data = g_bytes_new(d + off, size);
		off += size + 2;
	}
	flush(x, a, &n, &title, &data);
}
