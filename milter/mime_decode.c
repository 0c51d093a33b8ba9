/* mime_decode.c - text as a mail client shows it: charsets converted
 * leniently (a bad sequence replaced, the rest read), control characters
 * made spaces, format=flowed lines joined, and header encoded words decoded
 * without losing what follows a NUL */
#include "config.h"
#include <errno.h>
#include <string.h>
#include "mime.h"

/* plain_charset - CS needs no conversion: none given, UTF-8 or ASCII */
static gboolean plain_charset(const char *cs)
{
	return !cs || g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "us-ascii") == 0;
}

/* ascii_or_none - CS is US-ASCII, or no charset was declared */
static gboolean ascii_or_none(const char *cs)
{
	return !cs || g_ascii_strcasecmp(cs, "us-ascii") == 0;
}

/* starts_with_any - CS begins with one of the NULL-terminated PREFIXES */
static gboolean starts_with_any(const char *cs, const char *const *prefixes)
{
	for (; *prefixes; prefixes++)
		if (g_ascii_strncasecmp(cs, *prefixes, strlen(*prefixes)) == 0)
			return TRUE;
	return FALSE;
}

/* unit_size - bytes in one code unit of charset CS: a bad sequence is
 * stepped over one unit at a time so UTF-16 and UTF-32 stay in step */
static gsize unit_size(const char *cs)
{
	static const char *const four[] = { "UTF-32", "UTF32", "UCS-4", "UCS4", NULL };
	static const char *const two[] = { "UTF-16", "UTF16", "UCS-2", "UCS2", NULL };

	return starts_with_any(cs, four) ? 4 : starts_with_any(cs, two) ? 2 : 1;
}

/* convert_lenient - LEN bytes in iconv charset CS as UTF-8, each sequence
 * not valid in CS (a stray last byte, a lone surrogate) made U+FFFD and
 * the rest read, as mail clients show it; NULL if iconv does not know CS.
 * *BAD counts the sequences replaced. */
static char *convert_lenient(const char *d, gsize len, const char *cs, gsize *out_len, guint *bad)
{
	GIConv cd = g_iconv_open("UTF-8", cs);
	GString *out;
	gchar *in = (gchar *)d;
	gsize unit = unit_size(cs);
	gboolean flush = FALSE;	/* input all read: what a shifting charset (UTF-7) holds */

	*bad = 0;
	if (cd == (GIConv)-1)
		return NULL;
	out = g_string_sized_new(len * 2 + 16);
	for (;;) {
		char buf[4096], *o = buf;
		gsize room = sizeof(buf);
		gsize r = flush ? g_iconv(cd, NULL, NULL, &o, &room) : g_iconv(cd, &in, &len, &o, &room);
		int e = errno;

		g_string_append_len(out, buf, o - buf);
		if (r == (gsize)-1 && e == E2BIG)
			continue;
		if (flush)
			break;
		if (r == (gsize)-1) {	/* EILSEQ, or EINVAL: cut short at the end */
			gsize skip = MIN(unit, len);

			g_string_append(out, "\xef\xbf\xbd");
			++*bad;
			in += skip;
			len -= skip;
		}
		flush = len == 0;
	}
	g_iconv_close(cd);
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

/* blank_controls - NUL and the other C0 controls but tab and line ends made
 * spaces: detectors read C strings, so a NUL ("+AAA-" in UTF-7) would hide
 * all after it, and a control between letters splits a word no client shows */
static guint blank_controls(char *t, gsize n)
{
	guint blanked = 0;

	for (gsize i = 0; i < n; i++)
		if ((guchar)t[i] < 0x20 && t[i] != '\t' && t[i] != '\n' && t[i] != '\r') {
			t[i] = ' ';
			blanked++;
		}
	return blanked;
}

/* es_cp1252_char - see mime.h */
gunichar es_cp1252_char(guchar b)
{
	/* the code points of bytes 0x80..0x9f (0: none) */
	static const guint16 high[32] = {
		0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
		0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
		0x0153, 0, 0x017e, 0x0178,
	};

	return b < 0x80 || b >= 0xa0 ? b : high[b - 0x80];
}

/* es_mime_uu_begin - see mime.h */
gsize es_mime_uu_begin(const char *line, gsize len)
{
	gsize at = 6;

	if (len < at || memcmp(line, "begin ", at) != 0)
		return 0;
	while (at < len && at < 10 && line[at] >= '0' && line[at] <= '7')
		at++;
	return at >= 9 && at < len && line[at] == ' ' ? at + 1 : 0;
}

/* utf8_or_1252 - LEN bytes at D as UTF-8 where they are valid UTF-8 (a NUL
 * included), each other byte read as Windows-1252 */
static char *utf8_or_1252(const char *d, gsize len, gsize *out_len)
{
	GString *out = g_string_sized_new(len + 16);
	const char *p = d, *end = d + len;

	while (p < end) {
		gunichar c = (guchar)*p < 0x80 ? (guchar)*p : g_utf8_get_char_validated(p, end - p);
		guchar b = (guchar)*p;

		if (c < 0x80 || (c != (gunichar)-1 && c != (gunichar)-2)) {
			gsize n = c < 0x80 ? 1 : (gsize)(g_utf8_next_char(p) - p);

			g_string_append_len(out, p, (gssize)n);
			p += n;
			continue;
		}
		c = es_cp1252_char(b);
		g_string_append_unichar(out, c ? c : 0xfffd);
		p++;
	}
	*out_len = out->len;
	return g_string_free(out, FALSE);
}

/* bom_order - "UTF-16LE" or "UTF-16BE" if the LEN bytes at D start with
 * that byte-order mark, else NULL */
static const char *bom_order(const char *d, gsize len)
{
	if (len < 2 || (guchar)d[1] != ((guchar)d[0] ^ 0x01))
		return NULL;
	return (guchar)d[0] == 0xff ? "UTF-16LE" : (guchar)d[0] == 0xfe ? "UTF-16BE" : NULL;
}

#define UTF16_SCAN 1024	/* code units looked at to tell UTF-16 with no mark */

/* es_mime_utf16_order - see mime.h. The first UTF16_SCAN units are
 * looked at: a NUL after (or before) nearly every character, as ASCII
 * written in UTF-16 is */
const char *es_mime_utf16_order(const char *d, gsize len)
{
	gsize units = MIN(len, 2 * UTF16_SCAN) / 2, even = 0, odd = 0;

	for (gsize i = 0; i < units; i++) {
		even += d[2 * i] == '\0';
		odd += d[2 * i + 1] == '\0';
	}
	if (units < 4)
		return NULL;
	if (odd * 4 >= units * 3 && even * 8 <= units)
		return "UTF-16LE";
	if (even * 4 >= units * 3 && odd * 8 <= units)
		return "UTF-16BE";
	return NULL;
}

/* es_mime_is_utf16 - see mime.h */
gboolean es_mime_is_utf16(const char *d, gsize len)
{
	return bom_order(d, len) || es_mime_utf16_order(d, len);
}

/* unmarked_utf16 - CS is UTF-16 of no stated byte order, and D (LEN bytes)
 * has no byte-order mark: the order its NULs show, else little-endian, as
 * browsers and mail clients read the label "utf-16" (iconv takes the
 * machine's order, so text in the other came out as CJK characters that
 * hid every word); NULL when CS is something else */
static const char *unmarked_utf16(const char *cs, const char *d, gsize len)
{
	static const char *const names[] = { "UTF-16", "UTF16", "UCS-2", "UCS2", NULL };
	const char *order;
	gboolean named = FALSE;

	for (const char *const *n = names; cs && *n && !named; n++)
		named = g_ascii_strcasecmp(cs, *n) == 0;
	if (!named || bom_order(d, len))
		return NULL;
	order = es_mime_utf16_order(d, len);
	return order ? order : "UTF-16LE";
}

/* beyond_latin1 - the UTF-8 T (N bytes) has a character past U+00FF (a
 * lead byte from 0xC4 on; U+FFFD is one) */
static gboolean beyond_latin1(const char *t, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if ((guchar)t[i] >= 0xc4)
			return TRUE;
	return FALSE;
}

/* decode_text - es_mime_decode; *BLANKED counts the controls made spaces.
 * SNIFF: UTF-16 with no mark may be told by its NULs. */
static char *decode_text(const char *d, gsize len, const char *cs, gsize *out_len, gboolean *clean,
			 guint *blanked, gboolean sniff)
{
	char *text = NULL;
	const char *order;
	guint bad = 0;

	*clean = TRUE;
	if (plain_charset(cs) && bom_order(d, len)) {
		/* a UTF-16 byte-order mark under no charset, ASCII or UTF-8:
		 * clients go by the mark, and as bytes the text is NULs between
		 * letters */
		text = convert_lenient(d + 2, len - 2, bom_order(d, len), out_len, &bad);
		*clean = !bad;
	} else if (sniff && plain_charset(cs) && (order = es_mime_utf16_order(d, len))) {
		/* the same with no mark: NULs between the letters show it, as
		 * Notepad sees them; read as bytes, every letter stood alone */
		text = convert_lenient(d, len, order, out_len, &bad);
		*clean = !bad;
		if (beyond_latin1(text, *out_len)) {
			/* the NULs may fill only its start: ASCII after them,
			 * read two bytes a character, came out as CJK and hid
			 * its words, while a client that takes the declared
			 * charset shows them. So it is read that way too. */
			gsize n;
			gboolean c;
			guint b;
			char *declared = decode_text(d, len, cs, &n, &c, &b, FALSE);
			GString *both = g_string_new(text);

			g_free(text);
			g_string_append_c(both, '\n');
			g_string_append_len(both, declared, (gssize)n);
			g_free(declared);
			*out_len = both->len;
			text = g_string_free(both, FALSE);
		}
	} else if ((order = unmarked_utf16(cs, d, len))) {
		text = convert_lenient(d, len, order, out_len, &bad);
		*clean = !bad;
	} else if (!plain_charset(cs)) {
		text = convert_lenient(d, len, g_mime_charset_iconv_name(cs), out_len, &bad);
		*clean = text && !bad;
	} else if (ascii_or_none(cs) && !g_utf8_validate_len(d, len, NULL)) {
		/* 8-bit bytes said to be ASCII: mail clients show Windows-1252
		 * ("sl\xe4g" is "släg"), not a gap in the word; byte by byte,
		 * so one stray byte (or a NUL) does not turn the UTF-8 around
		 * it into mojibake that hides its words */
		text = utf8_or_1252(d, len, out_len);
	}
	if (!text) {
		/* UTF-8, or a charset not known: the bytes as they are;
		 * es_scan_add_text makes them valid UTF-8 */
		text = g_malloc(len + 1);
		memcpy(text, len ? d : "", len);
		text[len] = '\0';
		*out_len = len;
	}
	*blanked = blank_controls(text, *out_len);
	return text;
}

/* es_mime_decode - see mime.h */
char *es_mime_decode(const char *d, gsize len, const char *cs, gsize *out_len, gboolean *clean)
{
	guint blanked;

	return decode_text(d, len, cs, out_len, clean, &blanked, TRUE);
}

#define META_SCAN 1024	/* characters of HTML in which browsers look for a <meta> charset */
#define LABEL_MAX 40	/* longest charset label taken from a <meta> */

/* label_at - the charset label (letters, digits, "-_.:") that starts at V,
 * before END, into LABEL (LABEL_MAX + 1 bytes); FALSE if none */
static gboolean label_at(const char *v, const char *end, char *label)
{
	gsize n = 0;

	while (v + n < end && n < LABEL_MAX && v[n] && (g_ascii_isalnum(v[n]) || strchr("-_.:", v[n])))
		n++;
	memcpy(label, v, n);
	label[n] = '\0';
	return n > 0;
}

/* tag_charset - the label after "charset=" in the text from P to END (a
 * <meta>'s content, "text/html; charset=x") into LABEL; FALSE if none */
static gboolean tag_charset(const char *p, const char *end, char *label)
{
	for (; end - p > 7; p++) {
		const char *v = p + 7;

		if (g_ascii_strncasecmp(p, "charset", 7) != 0)
			continue;
		while (v < end && g_ascii_isspace(*v))
			v++;
		if (v == end || *v++ != '=')
			continue;
		while (v < end && (g_ascii_isspace(*v) || *v == '"' || *v == '\''))
			v++;
		if (label_at(v, end, label))
			return TRUE;
	}
	return FALSE;
}

/* meta_charset - the label a <meta> tag (its attributes from P to END)
 * declares as browsers read it: its charset attribute, else the charset=
 * in its content when http-equiv is Content-Type; into LABEL. A charset=
 * anywhere else (name="keywords" content="charset=koi8-r") is no label. */
static gboolean meta_charset(const char *p, const char *end, char *label)
{
	char name[32];
	const char *v, *content = NULL;
	gsize len, content_len = 0;
	gboolean equiv = FALSE;

	while (es_html_attr(&p, end, name, sizeof(name), &v, &len)) {
		if (strcmp(name, "charset") == 0) {
			const char *e = v + len;

			while (v < e && g_ascii_isspace(*v))
				v++;
			return label_at(v, e, label);
		}
		if (strcmp(name, "http-equiv") == 0) {
			char *value = g_strstrip(g_strndup(v, len));

			equiv |= g_ascii_strcasecmp(value, "content-type") == 0;
			g_free(value);
		} else if (strcmp(name, "content") == 0 && !content) {
			content = v;
			content_len = len;
		}
	}
	return equiv && content && tag_charset(content, content + content_len, label);
}

/* meta_label - the charset label a <meta> tag in the LEN bytes of HTML at P
 * declares, into LABEL (LABEL_MAX + 1 bytes); one in a comment does not
 * count, as browsers skip comments looking for it. FALSE if none. */
static gboolean meta_label(const char *p, gsize len, char *label)
{
	const char *end = p + len;

	for (; p < end && (p = memchr(p, '<', (gsize)(end - p))); p++) {
		const char *close;

		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if (!(close = memmem(p + 4, (gsize)(end - p - 4), "-->", 3)))
				return FALSE;
			p = close + 2;
		} else if (end - p > 6 && g_ascii_strncasecmp(p + 1, "meta", 4) == 0 &&
			   (g_ascii_isspace(p[5]) || p[5] == '/')) {
			close = memchr(p, '>', (gsize)(end - p));
			if (meta_charset(p + 5, close ? close : end, label))
				return TRUE;
		}
	}
	return FALSE;
}

/* converts_to - charset CS reads the NUL-terminated bytes FROM as WANT */
static gboolean converts_to(const char *cs, const char *from, const char *want)
{
	char *got = g_convert(from, -1, "UTF-8", g_mime_charset_iconv_name(cs), NULL, NULL, NULL);
	gboolean same = got && strcmp(got, want) == 0;

	g_free(got);
	return same;
}

/* meta_followed - a <meta> written in ASCII naming charset CS is followed:
 * CS reads printable ASCII as ASCII (browsers read one naming UTF-16 as
 * UTF-8, and UTF-7 would make "+slag" other text) and reads 8-bit letters
 * other than the default does (UTF-8 where valid, else Windows-1252): UTF-8
 * mislabelled Latin-1 is common, and read as UTF-8 its words stay whole.
 * '\\' and '~' are not tried: iconv's Shift_JIS makes them a yen sign and
 * an overline, browsers' do not. */
static gboolean meta_followed(const char *cs)
{
	char probe[0x80];
	gsize n = 0;

	if (plain_charset(cs) || converts_to(cs, "\xe4\xf6\xfc\xe9", "\u00e4\u00f6\u00fc\u00e9"))
		return FALSE;
	for (int c = 0x20; c < 0x7f; c++)
		if (c != '\\' && c != '~')
			probe[n++] = (char)c;
	memcpy(probe + n, "\t\n\0", 3);
	return converts_to(cs, probe, probe);
}

/* html_charset - the charset to read LEN bytes of HTML at D in, declared
 * CS by its MIME header: when that gives none (or US-ASCII) and no
 * byte-order mark decides, the one its <meta> declares in its first
 * META_SCAN characters, as a browser reads it. A <meta> itself written in
 * UTF-16 shows the document is, in the byte order its NULs show. LABEL
 * holds LABEL_MAX + 1 bytes for the result. */
static const char *html_charset(const char *d, gsize len, const char *cs, char *label)
{
	const char *order;
	char ascii[META_SCAN];
	gsize n;

	if (!ascii_or_none(cs) || bom_order(d, len) || (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0))
		return cs;
	if ((order = es_mime_utf16_order(d, len))) {
		/* the low byte of each unit; a character past ASCII is no markup */
		gsize lo = strcmp(order, "UTF-16LE") == 0 ? 0 : 1;

		for (n = 0; n < sizeof(ascii) && 2 * n + 1 < len; n++)
			ascii[n] = d[2 * n + (1 - lo)] == '\0' ? d[2 * n + lo] : '?';
		return meta_label(ascii, n, label) ? order : cs;
	}
	return meta_label(d, MIN(len, META_SCAN), label) && meta_followed(label) ? label : cs;
}

/* es_mime_decode_html - see mime.h */
char *es_mime_decode_html(const char *d, gsize len, const char *cs, gsize *out_len, gboolean *clean)
{
	char label[LABEL_MAX + 1];
	guint blanked;

	return decode_text(d, len, html_charset(d, len, cs, label), out_len, clean, &blanked, TRUE);
}

/* flowed_line - one line of format=flowed text: its quote depth and where
 * its content (after quote markers and one space-stuffing space), its line
 * end and the next line begin */
typedef struct {
	gsize quote;
	const char *body, *end, *next;
	gboolean soft;		/* ends in a space (not "-- "): joined to the next */
} flowed_line;

/* next_flowed_line - the line that starts at P */
static flowed_line next_flowed_line(const char *p)
{
	const char *nl = strchr(p, '\n');
	flowed_line l = { 0 };

	l.next = nl ? nl + 1 : p + strlen(p);
	l.end = nl && nl > p && nl[-1] == '\r' ? nl - 1 : nl ? nl : l.next;
	while (p[l.quote] == '>')
		l.quote++;
	l.body = p + l.quote;
	if (l.body < l.end && *l.body == ' ')
		l.body++;
	l.soft = nl && l.end > l.body && l.end[-1] == ' ' &&
		 !(l.end - l.body == 3 && memcmp(l.body, "-- ", 3) == 0);
	return l;
}

/* es_mime_unflow - format=flowed TEXT as a client shows it (RFC 3676): a line
 * ending in a space is joined to the next of the same quote depth, that
 * space deleted when DELSP; "fu \r\ncking" is one word to a reader. The
 * first line of a paragraph keeps its quote markers as they are. */
char *es_mime_unflow(const char *text, gboolean delsp)
{
	GString *out = g_string_sized_new(strlen(text));
	const char *p = text;
	flowed_line prev = { 0 };
	gboolean held = FALSE;	/* prev's line end is withheld: it was soft */

	while (*p) {
		flowed_line l = next_flowed_line(p);

		if (held && l.quote == prev.quote) {
			g_string_append_len(out, l.body, l.end - l.body);
		} else {
			if (held)
				g_string_append_len(out, prev.end, prev.next - prev.end);
			g_string_append_len(out, p, l.end - p);
		}
		if (l.soft && delsp)
			g_string_truncate(out, out->len - 1);
		if (!l.soft)
			g_string_append_len(out, l.end, l.next - l.end);
		held = l.soft;
		prev = l;
		p = l.next;
	}
	if (held)
		g_string_append_len(out, prev.end, prev.next - prev.end);
	return g_string_free(out, FALSE);
}

/* encoded_word - an RFC 2047 encoded word: "=?CS?ENC?TEXT?=" */
typedef struct {
	char *cs;		/* charset, any "*language" dropped; g_free it */
	char enc;		/* 'B' or 'Q' */
	const char *text, *end;	/* its encoded text; just past its "?=" */
} encoded_word;

#define WORD_MAX 200	/* RFC 2047 allows 75; mailers stretch it, none this far */

/* word_close - the "?=" that ends an encoded word's text at T, looked for
 * no further than white space (an encoded word holds none) or WORD_MAX
 * bytes, so a header of unclosed words costs a bounded walk each; NULL */
static const char *word_close(const char *t)
{
	for (gsize i = 0; i < WORD_MAX && t[i] && !g_ascii_isspace(t[i]); i++)
		if (t[i] == '?' && t[i + 1] == '=')
			return t + i;
	return NULL;
}

/* parse_encoded_word - the encoded word P starts with; FALSE if none */
static gboolean parse_encoded_word(const char *p, encoded_word *ew)
{
	gsize cs_len = 0;
	const char *q, *e, *star;

	if (p[0] != '=' || p[1] != '?')
		return FALSE;
	while (cs_len < WORD_MAX && p[2 + cs_len] && !strchr("? \t\r\n", p[2 + cs_len]))
		cs_len++;
	q = p + 2 + cs_len;
	if (!cs_len || q[0] != '?' || !q[1] || !strchr("BbQq", q[1]) || q[2] != '?' || !(e = word_close(q + 3)))
		return FALSE;
	star = memchr(p + 2, '*', cs_len);
	ew->cs = g_strndup(p + 2, star ? (gsize)(star - (p + 2)) : cs_len);
	ew->enc = g_ascii_toupper(q[1]);
	ew->text = q + 3;
	ew->end = e + 2;
	return TRUE;
}

/* word_bytes - EW's text decoded from B or Q into OUT (room for its length) */
static gsize word_bytes(const encoded_word *ew, guchar *out)
{
	gsize len = (gsize)(ew->end - 2 - ew->text), n = 0;
	int state = 0;
	guint32 save = 0;

	if (ew->enc == 'B')
		return g_mime_encoding_base64_decode_step((const guchar *)ew->text, len, out, &state, &save);
	for (gsize i = 0; i < len; i++) {
		const char *t = ew->text + i;

		if (*t == '=' && i + 2 < len && g_ascii_isxdigit(t[1]) && g_ascii_isxdigit(t[2])) {
			out[n++] = (guchar)(g_ascii_xdigit_value(t[1]) << 4 | g_ascii_xdigit_value(t[2]));
			i += 2;
		} else {
			out[n++] = *t == '_' ? ' ' : (guchar)*t;
		}
	}
	return n;
}

/* append_word - EW decoded into OUT, or when REENCODE its decoding
 * encoded again as one UTF-8 word; TRUE if it held a control (a NUL) */
static gboolean append_word(GString *out, const encoded_word *ew, gboolean reencode)
{
	guchar *bytes = g_malloc((gsize)(ew->end - ew->text) + 1);
	gsize n = word_bytes(ew, bytes), text_len;
	gboolean clean;
	guint blanked;
	char *text = decode_text((const char *)bytes, n, ew->cs, &text_len, &clean, &blanked, FALSE);

	if (reencode) {
		char *b64 = g_base64_encode((const guchar *)text, text_len);

		g_string_append_printf(out, "=?UTF-8?B?%s?=", b64);
		g_free(b64);
	} else {
		g_string_append_len(out, text, (gssize)text_len);
	}
	g_free(text);
	g_free(bytes);
	return blanked > 0;
}

/* append_unfolded - LEN bytes of literal header text, line breaks dropped */
static void append_unfolded(GString *out, const char *p, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (p[i] != '\r' && p[i] != '\n')
			g_string_append_c(out, p[i]);
}

/* header_words - RAW, a header value, with its encoded words decoded (the
 * rest unfolded; white space between two words, which is not shown,
 * dropped) or, when REENCODE, each encoded again in UTF-8 and the rest kept
 * as it is; *CONTROLS is TRUE if some word held a control */
static GString *header_words(const char *raw, gboolean reencode, gboolean *controls)
{
	GString *out = g_string_new(NULL);
	const char *p = raw + strspn(raw, " \t"), *lit = p;
	gboolean after_word = FALSE;
	encoded_word ew;

	*controls = FALSE;
	for (; *p; p++) {
		if (!parse_encoded_word(p, &ew))
			continue;
		if (reencode)
			g_string_append_len(out, lit, p - lit);
		else if (!(after_word && strspn(lit, " \t\r\n") == (gsize)(p - lit)))
			append_unfolded(out, lit, (gsize)(p - lit));
		*controls |= append_word(out, &ew, reencode);
		g_free(ew.cs);
		after_word = TRUE;
		lit = ew.end;
		p = ew.end - 1;
	}
	if (reencode)
		g_string_append(out, lit);
	else
		append_unfolded(out, lit, strlen(lit));
	return out;
}

/* es_mime_decode_header - RAW, a header value, with its encoded
 * words decoded keeping their length: GMime's decoder returns a C string,
 * cut where a word decodes to U+0000 ("=?UTF-7?Q?+AAA-?="), so a client
 * shows what follows and the detectors did not. NULL unless some word held
 * a NUL or another control (made a space here). g_free the result. */
char *es_mime_decode_header(const char *raw)
{
	gboolean controls;
	GString *out = header_words(raw, FALSE, &controls);

	return g_string_free(out, !controls);
}

/* es_mime_header_reencoded - see mime.h: for headers GMime must still
 * parse (address lists), where decoding them first would lose the quoting */
char *es_mime_header_reencoded(const char *raw)
{
	gboolean controls;
	GString *out = header_words(raw, TRUE, &controls);

	return g_string_free(out, !controls);
}
