/* extract.c - hand each attachment to the extractor for its format, found by
 * its leading bytes first (senders' content types lie), then type and name */
#include "config.h"
#include <string.h>
#include "extract.h"
#include "mime.h"
#include "extract/extract_priv.h"

typedef enum {
	K_SKIP, K_TEXT, K_HTML, K_ARCHIVE, K_CFB, K_PDF, K_RTF, K_XML, K_MESSAGE, K_TNEF, K_CRYPTO
} kind;

/* has_magic - DATA starts with MAGIC at OFFSET */
static gboolean has_magic(const guchar *d, gsize len, gsize off, const char *magic, gsize mlen)
{
	return len >= off + mlen && memcmp(d + off, magic, mlen) == 0;
}

/* sniff - the format by its leading bytes; K_SKIP when they say nothing */
static kind sniff(const guchar *d, gsize len)
{
	if (has_magic(d, len, 0, "PK\3\4", 4) || has_magic(d, len, 0, "PK\5\6", 4) ||
	    has_magic(d, len, 0, "7z\xbc\xaf\x27\x1c", 6) || has_magic(d, len, 0, "Rar!\x1a\x07", 6) ||
	    has_magic(d, len, 0, "\x1f\x8b", 2) || has_magic(d, len, 0, "BZh", 3) ||
	    has_magic(d, len, 0, "\xfd" "7zXZ\0", 6) || has_magic(d, len, 257, "ustar", 5))
		return K_ARCHIVE;
	if (has_magic(d, len, 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return K_CFB;
	if (has_magic(d, len, 0, "\x78\x9f\x3e\x22", 4))
		return K_TNEF;
	if (has_magic(d, len, 0, "{\\rtf", 5))
		return K_RTF;
	if (memmem(d, MIN(len, 1024), "%PDF-", 5))	/* readers allow junk, NULs too, before it */
		return K_PDF;
	return K_SKIP;
}

/* by_type - the format by content type and file name, for what sniff() leaves */
static kind by_type(const es_attachment *a, const guchar *d, gsize len)
{
	const char *t = a->content_type;
	const char *guess = es_x_type_from_name(a->filename);

	if (strcmp(t, "application/octet-stream") == 0 && a->filename)
		t = guess;
	if (strcmp(t, "message/rfc822") == 0 || strcmp(t, "message/global") == 0)
		return K_MESSAGE;
	if (strcmp(t, "text/html") == 0)
		return K_HTML;
	if (strcmp(t, "application/pdf") == 0 || strcmp(guess, "application/pdf") == 0)
		return K_PDF;	/* poppler opens some whose header sniff() missed */
	if (strstr(t, "xml") || (len > 5 && memcmp(d, "<?xml", 5) == 0) ||
	    (len > 8 && memcmp(d, "\xef\xbb\xbf<?xml", 8) == 0))
		return K_XML;
	if (g_str_has_prefix(t, "text/") || strcmp(t, "application/csv") == 0 ||
	    g_str_has_suffix(guess, "csv") || g_str_has_suffix(guess, "text/plain") ||
	    g_str_has_suffix(guess, "separated-values"))
		return K_TEXT;
	return K_SKIP;
}

/* base64_line - LEN bytes at P are one line of base64 (or PEM, or PGP armour) */
static gboolean base64_line(const guchar *p, gsize len)
{
	if (len < 40)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum(p[i]) && p[i] != '+' && p[i] != '/' && p[i] != '=' && p[i] != '\r')
			return FALSE;
	return TRUE;
}

/* es_x_looks_like_text - the first 8 KB are text: a UTF-16 byte order mark, or
 * no NUL and almost no other control bytes, and not mostly base64 lines. A
 * CSV renamed pupils.dat, or sent as image/png, is still read; pictures,
 * audio and executables hold NULs and control bytes within their first few
 * hundred bytes, and certificates, PGP keys and message/partial fragments
 * are base64, in which word lists find words by chance. */
gboolean es_x_looks_like_text(const guchar *d, gsize len)
{
	gsize n = MIN(len, 8192), control = 0, encoded = 0, line = 0;

	if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff)))
		return TRUE;
	for (gsize i = 0; i < n; i++) {
		if (d[i] == 0)
			return FALSE;
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && d[i] != '\f')
			control++;
		if (d[i] == '\n' || i + 1 == n) {
			gsize end = d[i] == '\n' ? i : i + 1;

			if (base64_line(d + line, end - line))
				encoded += end - line;
			line = i + 1;
		}
	}
	return n > 0 && control * 100 <= n && encoded * 2 <= n;
}

/* declared_charset - the charset A's part declares, when it is one to
 * convert from: UTF-7 or UTF-16 with no BOM cannot be guessed. Not when the
 * bytes say otherwise: a byte-order mark, or a one-byte charset (Latin-1,
 * Windows-1252) declared for text that is valid UTF-8 with letters beyond
 * ASCII, which is how a mislabelled file usually looks; then es_x_to_utf8
 * reads it, as it would with no charset. */
static const char *declared_charset(const es_attachment *a, const char *d, gsize len)
{
	static const char *const one_byte[] = { "iso-8859-", "iso8859-", "latin", "windows-125", "cp125", NULL };
	const char *cs = a->charset;
	gboolean eight_bit = FALSE;

	if (!cs || g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "us-ascii") == 0)
		return NULL;
	if (len >= 2 && (((guchar)d[0] == 0xff && (guchar)d[1] == 0xfe) || ((guchar)d[0] == 0xfe && (guchar)d[1] == 0xff)))
		return NULL;
	for (gsize i = 0; i < len && !eight_bit; i++)
		eight_bit = (guchar)d[i] >= 0x80;
	for (const char *const *p = one_byte; eight_bit && *p; p++)
		if (g_ascii_strncasecmp(cs, *p, strlen(*p)) == 0 && g_utf8_validate_len(d, len, NULL))
			return NULL;
	return cs;
}

/* extract_text - plain text, CSV and TSV in the charset the part declares,
 * else in the one they appear to be in */
static void extract_text(es_xctx *x, es_attachment *a)
{
	gsize len, ulen;
	const char *data = g_bytes_get_data(a->data, &len);
	const char *cs = declared_charset(a, data ? data : "", data ? len : 0);
	gboolean clean = TRUE;
	char *utf8 = cs ? es_mime_decode(data ? data : "", len, cs, &ulen, &clean)
			: es_x_to_utf8(data ? data : "", len, &ulen);

	if (!clean)
		es_scan_error(x->s, "part %s: charset '%s' not known (read as UTF-8) or text not valid in it (the rest read)",
			      a->part, cs);

	es_x_add_text(x, a, utf8, ulen);
	g_free(utf8);
}

/* structured - a reader for a format sniff() finds by a few leading bytes,
 * which a text file can hold too */
static gboolean structured(kind k)
{
	return k == K_ARCHIVE || k == K_CFB || k == K_PDF || k == K_RTF || k == K_TNEF;
}

/* read_as_text_too - the reader for K gave nothing (no text, no member, not
 * encrypted, no limit hit) and the data is text: a CSV holding "%PDF-" or
 * "ustar" at the right place must still be read. The reader's error stays. */
static gboolean read_as_text_too(const es_xctx *x, const es_attachment *a, kind k, guint texts,
				 guint parts, guint limits, const guchar *d, gsize len)
{
	return structured(k) && x->s->texts->len == texts && x->s->attachments->len == parts &&
	       x->limit_kinds == limits && !a->encrypted && es_x_looks_like_text(d, len);
}

/* extract_one - run the extractor for A's format */
static void extract_one(es_xctx *x, es_attachment *a)
{
	gsize len;
	const guchar *d = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	guint texts = x->s->texts->len, parts = x->s->attachments->len, limits = x->limit_kinds;
	kind k;

	if (!d)
		len = 0, d = (const guchar *)"";
	if (es_x_crypto(x, a))
		return;
	k = sniff(d, len);
	if (k == K_SKIP)
		k = by_type(a, d, len);
	if (k == K_SKIP && es_x_looks_like_text(d, len))
		k = K_TEXT;
	switch (k) {
	case K_TEXT: extract_text(x, a); break;
	case K_HTML: es_x_html(x, a); break;
	case K_ARCHIVE: es_x_archive(x, a); break;
	case K_CFB: es_x_cfb(x, a); break;
	case K_PDF: es_x_pdf(x, a); break;
	case K_RTF: es_x_rtf(x, a); break;
	case K_XML: es_x_xml(x, a); break;
	case K_MESSAGE: es_x_message(x, a); break;
	case K_TNEF: es_x_tnef(x, a); break;
	default: break;		/* images, audio, binaries: nothing to read */
	}
	if (read_as_text_too(x, a, k, texts, parts, limits, d, len))
		extract_text(x, a);
}

/* es_extract_all - the array grows while we walk it: members are offered too */
void es_extract_all(es_scan *s)
{
	es_xctx x = { .s = s };

	es_x_inline_pgp(&x);
	for (guint i = 0; i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);

		if (es_scan_out_of_time(s)) {
			es_x_limit(&x, "time", a->part,
				   "scan time ([limits] scan_time) ran out; the rest not opened");
			break;
		}
		extract_one(&x, a);
	}
}
