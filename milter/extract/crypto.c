/* crypto.c - recognise S/MIME (enveloped data) and PGP (PGP/MIME, inline
 * armour, binary OpenPGP packets) by their bytes: encrypted content is
 * reported as such, so the pupil-data detector never counts it as plain;
 * and open S/MIME signed data, which is not encrypted, so what it wraps is
 * read */
#include "config.h"
#include <string.h>
#include "extract.h"
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

static const guchar oid_signed[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };

#define BER_DEPTH 16	/* nested indefinite lengths followed; real CMS has 5 or 6 */

/* ber - a cursor over DER or BER (openssl -stream writes indefinite lengths) */
typedef struct {
	const guchar *p, *end;
} ber;

/* ber_head - the tag and length at C, C moved to the content; *INDEF for
 * an indefinite length (the content then ends at two NUL bytes). FALSE if
 * it is not whole or uses a form CMS does not (high tag numbers, lengths
 * of more than four bytes) */
static gboolean ber_head(ber *c, guint *tag, gsize *len, gboolean *indef)
{
	gsize n;

	if (c->end - c->p < 2 || (c->p[0] & 0x1f) == 0x1f)
		return FALSE;
	*tag = *c->p++;
	n = *c->p++;
	*indef = n == 0x80;
	*len = 0;
	if (*indef)
		return (*tag & 0x20) != 0;	/* only a constructed element may be indefinite */
	if (n < 0x80) {
		*len = n;
	} else {
		n &= 0x7f;
		if (n > 4 || (gsize)(c->end - c->p) < n)
			return FALSE;
		while (n--)
			*len = *len << 8 | *c->p++;
	}
	return *len <= (gsize)(c->end - c->p);
}

/* ber_eoc - the end-of-contents bytes of an indefinite length are at C (taken) */
static gboolean ber_eoc(ber *c)
{
	if (c->end - c->p >= 2 && c->p[0] == 0 && c->p[1] == 0) {
		c->p += 2;
		return TRUE;
	}
	return FALSE;
}

/* ber_skip - step over the element at C, its nested indefinite ones too */
static gboolean ber_skip(ber *c, int depth)
{
	guint tag;
	gsize len;
	gboolean indef;

	if (depth > BER_DEPTH || !ber_head(c, &tag, &len, &indef))
		return FALSE;
	if (!indef) {
		c->p += len;
		return TRUE;
	}
	while (!ber_eoc(c))
		if (!ber_skip(c, depth + 1))
			return FALSE;
	return TRUE;
}

/* ber_enter - the element at C has tag TAG: C moves into its content (a
 * definite length narrows C to it) */
static gboolean ber_enter(ber *c, guint tag)
{
	guint t;
	gsize len;
	gboolean indef;

	if (!ber_head(c, &t, &len, &indef) || t != tag)
		return FALSE;
	if (!indef)
		c->end = c->p + len;
	return TRUE;
}

/* ber_octets - the OCTET STRING at C appended to OUT: primitive, or
 * constructed of pieces (BER); never more than C holds */
static gboolean ber_octets(ber *c, GByteArray *out, int depth)
{
	guint tag;
	gsize len;
	gboolean indef;
	ber in;

	if (depth > BER_DEPTH || !ber_head(c, &tag, &len, &indef))
		return FALSE;
	if (tag == 0x04) {
		g_byte_array_append(out, c->p, (guint)len);
		c->p += len;
		return TRUE;
	}
	if (tag != 0x24)
		return FALSE;
	in.p = c->p;
	in.end = indef ? c->end : c->p + len;
	while (indef ? !ber_eoc(&in) : in.p < in.end)
		if (!ber_octets(&in, out, depth + 1))
			return FALSE;
	c->p = in.p;
	return TRUE;
}

/* es_smime_signed_content - see extract.h. RFC 5652 5.1: ContentInfo,
 * SignedData's version and digest algorithms, then encapContentInfo's
 * eContent, which a detached signature leaves out */
GBytes *es_smime_signed_content(const guchar *d, gsize len)
{
	ber c;
	GByteArray *out;

	/* an empty part's data is NULL: no arithmetic on it */
	if (!d || len < 16 || d[0] != 0x30 || !has_oid(d, len, oid_signed, sizeof oid_signed))
		return NULL;
	c.p = d;
	c.end = d + len;
	if (!ber_enter(&c, 0x30) || (gsize)(c.end - c.p) < sizeof oid_signed ||
	    memcmp(c.p, oid_signed, sizeof oid_signed) != 0)
		return NULL;
	c.p += sizeof oid_signed;
	if (!ber_enter(&c, 0xa0) || !ber_enter(&c, 0x30) || !ber_skip(&c, 0) || !ber_skip(&c, 0) ||
	    !ber_enter(&c, 0x30) || !ber_skip(&c, 0) || !ber_enter(&c, 0xa0))
		return NULL;
	out = g_byte_array_new();
	if (!ber_octets(&c, out, 0) || out->len == 0) {
		g_byte_array_unref(out);
		return NULL;
	}
	return g_byte_array_free_to_bytes(out);
}

/* es_mime_entity_like - see extract.h: the first line is a header field
 * ("Content-Type: ..."), its name printable ASCII up to the colon */
gboolean es_mime_entity_like(const guchar *d, gsize len)
{
	gsize i = 0;

	while (i < len && i < 76 && d[i] > ' ' && d[i] < 0x7f && d[i] != ':')
		i++;
	return i > 0 && i < len && d[i] == ':';
}

/* unsigned_name - the name of a file signed as NAME: without its ".p7m",
 * so its own type decides how it is read; none (the bytes decide) if NAME
 * is not so named */
static char *unsigned_name(const char *name)
{
	gsize n = name ? strlen(name) : 0;

	if (n > 4 && g_ascii_strcasecmp(name + n - 4, ".p7m") == 0)
		return g_strndup(name, n - 4);
	return g_strdup("signed-content");
}

/* pgp_length - a new-format body length at D[*POS..LEN) */
static gboolean pgp_length(const guchar *d, gsize len, gsize *pos, gsize *body, gboolean *partial)
{
	gsize p = *pos;
	guchar o;

	if (p >= len)
		return FALSE;
	o = d[p++];
	*partial = o >= 224 && o < 255;
	if (o < 192) {
		*body = o;
	} else if (o < 224) {
		if (p >= len)
			return FALSE;
		*body = ((gsize)(o - 192) << 8) + d[p++] + 192;
	} else if (o < 255) {
		*body = (gsize)1 << (o & 0x1f);
	} else {
		if (len - p < 4)
			return FALSE;
		*body = (gsize)d[p] << 24 | (gsize)d[p + 1] << 16 | (gsize)d[p + 2] << 8 | d[p + 3];
		p += 4;
	}
	*pos = p;
	return TRUE;
}

/* pgp_header - the OpenPGP packet header at D[*POS..LEN) (RFC 4880 4.2):
 * its tag, and in *BODY the length of its body, or of its first part when
 * *PARTIAL (new format, 224..254); FALSE if the header is not whole */
static gboolean pgp_header(const guchar *d, gsize len, gsize *pos, guint *tag, gsize *body, gboolean *partial)
{
	gsize p = *pos;
	guchar b;

	*partial = FALSE;
	if (p >= len || !(d[p] & 0x80))
		return FALSE;
	b = d[p++];
	if (!(b & 0x40)) {	/* old format: the length's size is in the low bits */
		static const guint sizes[] = { 1, 2, 4, 0 };
		guint n = sizes[b & 3];

		*tag = (b >> 2) & 0x0f;
		if (n == 0) {	/* indeterminate: to the end */
			*body = len - p;
		} else {
			if (len - p < n)
				return FALSE;
			*body = 0;
			for (guint i = 0; i < n; i++)
				*body = *body << 8 | d[p++];
		}
		*pos = p;
		return TRUE;
	}
	*tag = b & 0x3f;
	return pgp_length(d, len, &p, body, partial) && (*pos = p, TRUE);
}

/* is_pgp_binary - D[0..LEN) is an OpenPGP encrypted message as a whole:
 * one or more session-key packets (tag 1 public-key, 3 symmetric; a marker,
 * tag 10, may come first), then one encrypted-data packet (tag 9, 18 or
 * 20) that ends where the file ends, its parts followed through partial
 * lengths. A byte that merely starts a packet, before a CSV, is not one. */
static gboolean is_pgp_binary(const guchar *d, gsize len)
{
	gsize pos = 0, body;
	guint tag, keys = 0;
	gboolean partial;

	while (pgp_header(d, len, &pos, &tag, &body, &partial)) {
		if (tag == 1 || tag == 3 || tag == 10) {
			if (partial || body > len - pos)
				return FALSE;
			keys += tag != 10;
			pos += body;
			continue;
		}
		if (keys == 0 || (tag != 9 && tag != 18 && tag != 20))
			return FALSE;
		while (partial) {
			if (body > len - pos)
				return FALSE;
			pos += body;
			if (!pgp_length(d, len, &pos, &body, &partial))
				return FALSE;
		}
		return body == len - pos;
	}
	return FALSE;
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

/* looks_text - LEN bytes at D are text, which ciphertext never is; asked
 * only of a part whose type or first bytes claim encryption, so most parts
 * are not read for it twice (extract.c asks again of what it may read) */
static gboolean looks_text(const guchar *d, gsize len)
{
	return len > 0 && es_x_looks_like_text(d, len);
}

/* pgp_control - the PGP/MIME control part (RFC 3156: "Version: 1") */
static gboolean pgp_control(const guchar *d, gsize len)
{
	while (len > 0 && g_ascii_isspace(d[len - 1]))
		len--;
	return len <= 64 && len >= 8 && g_ascii_strncasecmp((const char *)d, "Version:", 8) == 0 &&
	       !memchr(d, '\n', len);
}

/* es_x_crypto - see extract_priv.h. S/MIME signed data is opened. For
 * encryption a part's type or name says where to look, its bytes decide: a
 * CSV sent as application/pgp-encrypted, or behind a byte or two that
 * begin an OpenPGP packet or a CMS header, is text, which ciphertext never
 * is, and is read like any other. */
gboolean es_x_crypto(es_xctx *x, es_attachment *a)
{
	gsize len;
	const guchar *d = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	const char *t = a->content_type;
	GBytes *inner;

	if (!d)
		len = 0, d = (const guchar *)"";
	if ((inner = es_smime_signed_content(d, len))) {
		/* opaque-signed S/MIME is signed, not encrypted: what it wraps is
		 * read as the message it is, or as the file it is (a CSV signed
		 * with openssl -binary, a CAdES report.pdf.p7m) */
		if (es_x_member_ok(x, a) && es_x_charge(x, a, g_bytes_get_size(inner))) {
			gsize n;
			const guchar *c = g_bytes_get_data(inner, &n);
			char *name = es_mime_entity_like(c, n) ? g_strdup("signed.eml") : unsigned_name(a->filename);

			es_x_add_member(x, a, 1, name, inner);
			g_free(name);
		}
		g_bytes_unref(inner);
		return TRUE;
	}
	if (is_pgp_armour(d, len)) {
		es_x_mark_encrypted(x, a, "PGP armoured message");
		return TRUE;
	}
	if ((strcmp(t, "multipart/encrypted") == 0 || strcmp(t, "application/pgp-encrypted") == 0) &&
	    (!looks_text(d, len) || pgp_control(d, len))) {
		es_x_mark_encrypted(x, a, "PGP/MIME or multipart/encrypted");
		return TRUE;
	}
	if ((strstr(t, "pkcs7-mime") || has_ext(a, ".p7m")) && is_cms_encrypted(d, len) && !looks_text(d, len)) {
		es_x_mark_encrypted(x, a, "S/MIME enveloped data");
		return TRUE;
	}
	if (is_pgp_binary(d, len) && !looks_text(d, len)) {
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
