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

/* Armour headers a real block carries (RFC 4880 6.2); a few at most, so
 * "Comment:" lines cannot carry a pupil list past the reader */
static const char *const armour_keys[] = { "Version", "Comment", "MessageID", "Hash", "Charset", NULL };
#define ARMOUR_HEADERS_MAX 5

/* armour_cursor - one line at a time over an armoured file */
typedef struct {
	const char *p, *end;
} armour_cursor;

/* next_line - the next line without its line break and trailing white
 * space (\r among it); FALSE at the end of the data */
static gboolean next_line(armour_cursor *c, const char **line, gsize *len)
{
	const char *nl;

	if (c->p >= c->end)
		return FALSE;
	nl = memchr(c->p, '\n', (gsize)(c->end - c->p));
	*line = c->p;
	*len = (gsize)((nl ? nl : c->end) - c->p);
	c->p = nl ? nl + 1 : c->end;
	while (*len && g_ascii_isspace((*line)[*len - 1]))
		(*len)--;
	return TRUE;
}

/* is_line - LINE (LEN bytes) is exactly S */
static gboolean is_line(const char *line, gsize len, const char *s)
{
	return len == strlen(s) && memcmp(line, s, len) == 0;
}

/* armour_header - "Key: value" with a key real armour uses */
static gboolean armour_header(const char *line, gsize len)
{
	for (const char *const *k = armour_keys; *k; k++) {
		gsize n = strlen(*k);

		if (len > n + 1 && g_ascii_strncasecmp(line, *k, n) == 0 && line[n] == ':' && line[n + 1] == ' ')
			return TRUE;
	}
	return FALSE;
}

/* radix64 - LEN bytes at LINE are base64 characters only (a checksum line
 * starts with '=', so A is the first character allowed) */
static gboolean radix64(const char *line, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum(line[i]) && line[i] != '+' && line[i] != '/' && line[i] != '=')
			return FALSE;
	return len > 0;
}

/* packet_start - the base64 LINE decodes to an OpenPGP packet header (tag bit set) */
static gboolean packet_start(const char *line, gsize len)
{
	char four[5] = { 0 };
	gsize n = 0;
	guchar *bin;
	gboolean ok;

	if (len < 4)
		return FALSE;
	memcpy(four, line, 4);
	bin = g_base64_decode(four, &n);
	ok = n > 0 && (bin[0] & 0x80);
	g_free(bin);
	return ok;
}

/* armour_body - base64 lines of one width (the last may be shorter), an
 * optional "=XXXX" checksum, then the END line; TRUE when all that holds */
static gboolean armour_body(armour_cursor *c, const char *first, gsize first_len)
{
	const char *line = first;
	gsize len = first_len, width = first_len, lines = 0;
	gboolean short_seen = FALSE, sum_seen = FALSE;

	if (!radix64(first, first_len) || !packet_start(first, first_len))
		return FALSE;
	do {
		if (is_line(line, len, PGP_ARMOUR_END))
			return lines > 0;
		if (sum_seen || !radix64(line, len))
			return FALSE;
		if (line[0] == '=' && len == 5 && lines > 0) {
			sum_seen = TRUE;
			continue;
		}
		if (short_seen || len > width)
			return FALSE;
		short_seen = len < width;
		lines++;
	} while (next_line(c, &line, &len));
	return FALSE;
}

/* is_pgp_armour - the whole file is one armoured PGP message: white space,
 * the BEGIN line, a few headers, a blank line, the base64 body and the END
 * line, then white space only. A CSV that merely holds the BEGIN line (as
 * its first row, say) is not encrypted and is read. */
static gboolean is_pgp_armour(const guchar *d, gsize len)
{
	armour_cursor c = { (const char *)d, (const char *)d + len };
	const char *line;
	gsize n;
	int headers = 0;

	while (c.p < c.end && g_ascii_isspace(*c.p))
		c.p++;
	if (!next_line(&c, &line, &n) || !is_line(line, n, PGP_ARMOUR))
		return FALSE;
	for (;;) {
		if (!next_line(&c, &line, &n))
			return FALSE;
		if (n == 0)
			break;
		if (!armour_header(line, n) || ++headers > ARMOUR_HEADERS_MAX)
			return FALSE;
	}
	if (!next_line(&c, &line, &n) || !armour_body(&c, line, n))
		return FALSE;
	while (c.p < c.end && g_ascii_isspace(*c.p))
		c.p++;
	return c.p == c.end;
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
	if (is_pgp_armour(d, len)) {
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
