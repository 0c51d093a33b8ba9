/* crypto.c - recognise S/MIME (enveloped data) and PGP (PGP/MIME, inline
 * armour, binary .gpg files): encrypted content is reported as such, so the
 * pupil-data detector never counts it as plain */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

#define PGP_ARMOUR "-----BEGIN PGP MESSAGE-----"
#define PGP_ARMOUR_END "-----END PGP MESSAGE-----"

/* DER object identifiers of CMS content types that hide their content */
static const guchar oid_enveloped[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03 };
static const guchar oid_auth_enveloped[] = { 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17 };
static const guchar oid_encrypted[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06 };

/* has_oid - OID within the first bytes of a DER ContentInfo (it is its first field) */
static gboolean has_oid(const guchar *d, gsize len, const guchar *oid, gsize olen)
{
	gsize lim = MIN(len, 32);

	for (gsize i = 0; i + olen <= lim; i++)
		if (memcmp(d + i, oid, olen) == 0)
			return TRUE;
	return FALSE;
}

/* is_cms_encrypted - S/MIME enveloped-data (application/pkcs7-mime, .p7m) */
static gboolean is_cms_encrypted(const guchar *d, gsize len)
{
	return len > 2 && d[0] == 0x30 &&
	       (has_oid(d, len, oid_enveloped, sizeof oid_enveloped) ||
		has_oid(d, len, oid_auth_enveloped, sizeof oid_auth_enveloped) ||
		has_oid(d, len, oid_encrypted, sizeof oid_encrypted));
}

/* is_pgp_binary - an OpenPGP message starts with a session-key packet
 * (tag 1 public-key or tag 3 symmetric), old or new packet format */
static gboolean is_pgp_binary(const guchar *d, gsize len)
{
	if (len < 4)
		return FALSE;
	if ((d[0] & 0xc0) == 0x80)
		return ((d[0] >> 2) & 0x0f) == 1 || ((d[0] >> 2) & 0x0f) == 3;
	return d[0] == 0xc1 || d[0] == 0xc3;
}

/* has_ext - the file name ends in EXT */
static gboolean has_ext(const es_attachment *a, const char *ext)
{
	return a->filename && g_str_has_suffix(a->filename, ext);
}

/* es_x_crypto - see extract_priv.h */
gboolean es_x_crypto(es_xctx *x, es_attachment *a)
{
	gsize len;
	const guchar *d = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	const char *t = a->content_type;

	if (!d)
		len = 0, d = (const guchar *)"";
	if (strcmp(t, "multipart/encrypted") == 0 || strcmp(t, "application/pgp-encrypted") == 0) {
		es_x_mark_encrypted(x, a, "PGP/MIME or multipart/encrypted");
		return TRUE;
	}
	if ((strstr(t, "pkcs7-mime") || has_ext(a, ".p7m")) && is_cms_encrypted(d, len)) {
		es_x_mark_encrypted(x, a, "S/MIME enveloped data");
		return TRUE;
	}
	if (g_strstr_len((const char *)d, (gssize)MIN(len, 4096), PGP_ARMOUR)) {
		es_x_mark_encrypted(x, a, "PGP armoured message");
		return TRUE;
	}
	if ((has_ext(a, ".gpg") || has_ext(a, ".pgp") || strstr(t, "pgp")) && is_pgp_binary(d, len)) {
		es_x_mark_encrypted(x, a, "OpenPGP encrypted file");
		return TRUE;
	}
	return FALSE;
}

/* es_x_inline_pgp - a body that holds PGP armour means the message is
 * encrypted; a whole block, begin and end, not a line quoted in a how-to */
void es_x_inline_pgp(es_xctx *x)
{
	for (guint i = 0; i < x->s->texts->len; i++) {
		const es_text *t = g_ptr_array_index(x->s->texts, i);
		const char *begin = t->attachment ? NULL : strstr(t->text, PGP_ARMOUR);

		if (begin && strstr(begin, PGP_ARMOUR_END)) {
			x->s->encrypted = TRUE;
			return;
		}
	}
}
