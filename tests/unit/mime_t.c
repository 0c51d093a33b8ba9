/* mime_t.c - what the detectors get out of a message: texts (charsets
 * converted, HTML as text), attachments decoded, limits on nesting */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "engine.h"
#include "mime.h"
#include "extract.h"

static es_conf *conf;

/* parse - a scan of RAW */
static es_scan *parse(const char *raw, gssize len)
{
	es_scan *s = es_scan_new(conf, "T");

	s->raw = g_bytes_new(raw, len < 0 ? strlen(raw) : (gsize)len);
	es_mime_parse(s);
	return s;
}

/* text_of - the text whose part is PART, or NULL */
static const char *text_of(es_scan *s, const char *part)
{
	for (guint i = 0; i < s->texts->len; i++) {
		es_text *t = g_ptr_array_index(s->texts, i);

		if (strcmp(t->part, part) == 0)
			return t->text;
	}
	return NULL;
}

/* has_text - some text of PART contains NEEDLE */
static gboolean has_text(es_scan *s, const char *part, const char *needle)
{
	for (guint i = 0; i < s->texts->len; i++) {
		es_text *t = g_ptr_array_index(s->texts, i);

		if (strcmp(t->part, part) == 0 && strstr(t->text, needle))
			return TRUE;
	}
	return FALSE;
}

static void test_html(void)
{
	const char *html = "<p>f<b></b>uck</p><script>var bad='x';</script><style>p{}</style>a&amp;b &#65;&#x42; &nbsp;<br>c<!-- hidden -->d";
	char *t = es_html_to_text(html, strlen(html));

	ok(strstr(t, "fuck") != NULL, "inline tags do not split a word");
	ok(strstr(t, "var bad") == NULL && strstr(t, "p{}") == NULL, "script and style are not text");
	ok(strstr(t, "a&b AB") != NULL, "entities decoded (named, decimal, hex)");
	ok(strstr(t, "hidden") == NULL && strstr(t, "cd") != NULL, "comments dropped");
	g_free(t);
	const char *table = "<table><tr><td>Smith</td><td>2013-04-02</td></tr><tr><td>Jones</td></tr></table>";

	t = es_html_to_text(table, strlen(table));
	ok(strstr(t, "Smith\t") && strstr(t, "\t2013-04-02") && strstr(t, "\nJones") ? 1 : 0,
	   "a table keeps its cells apart and its rows on their own lines");
	g_free(t);
	t = es_html_to_text("<a href='x'>unclosed <b", strlen("<a href='x'>unclosed <b"));
	ok(t != NULL && strstr(t, "unclosed") != NULL, "truncated HTML still yields its text");
	g_free(t);
}

/* html_is - es_html_to_text of HTML is WANT */
static void html_is(const char *html, const char *want, const char *what)
{
	char *t = es_html_to_text(html, strlen(html));

	is_str(t, want, "%s", what);
	g_free(t);
}

static void test_html_lt(void)
{
	/* a '<' not followed by a letter, '/', '!' or '?' is shown as it is */
	html_is("<3 you bellend", "<3 you bellend", "'<3' is text, not a tag hiding what follows");
	html_is("a < b, you twat > c", "a < b, you twat > c", "'< ' is text");
	html_is("x<1 twat>", "x<1 twat>", "'<' before a digit is text");
	html_is("<>twat", "<>twat", "'<>' is text");
	html_is("end <", "end <", "a '<' at the end is text");
	html_is("a<b>c</b>d</>e</ x>f<!doctype html>g<?xml v?>h", "acdefgh",
		"tags, '</>', bogus comments and declarations are still hidden");
}

static void test_html_comments(void)
{
	/* where a comment ends, following the HTML comment states */
	html_is("a<!-->you twat", "ayou twat", "'<!-->' is a whole comment");
	html_is("a<!--->you twat", "ayou twat", "'<!--->' is a whole comment");
	html_is("a<!-- x --!>you twat", "ayou twat", "'--!>' ends a comment");
	html_is("a<!---->b<!-- x -- y --->c<!-- <!-- x -->d", "abcd", "'-->' still ends a comment");
	html_is("a<!--!>b<!-- x --!b", "a", "'<!--!>' and '--!' do not end one");
}

static void test_html_references(void)
{
	/* numeric references as browsers read them: ';' optional */
	html_is("f&#117ck &#x66uck &#0000000102;uck", "fuck fuck fuck", "numeric references without ';' or with leading zeros");
	html_is("&#; &#x; &#xg &#", "&#; &#x; &#xg &#", "'&#' without digits is text");
	html_is("a&#0;b&#xD800;c&#99999999999999999999;d", "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d",
		"NUL, surrogates and too-large numbers read as U+FFFD");
	html_is("a&#154;&#x9a; &#150; &#129;", "a\u0161\u0161 \u2013 \xc2\x81", "&#128; to &#159; read as Windows-1252, as browsers do");
	/* invisible named references keep their code points */
	html_is("f&ZeroWidthSpace;u&NoBreak;c&shy;k", "f\u200bu\u2060c\u00adk", "&ZeroWidthSpace; &NoBreak; &shy;");
	html_is("f&zwj;u&zwnj;c&InvisibleTimes;k", "f\u200du\u200cc\u2062k", "&zwj; &zwnj; &InvisibleTimes;");
	html_is("f&NegativeVeryThinSpace;uck", "f\u200buck", "a name longer than twelve letters");
	/* legacy names need no ';' in text; others do */
	html_is("f&shyuck &ampx &lt3 &zwjx &nosuch;", "f\u00aduck &x <3 &zwjx &nosuch;", "legacy names without ';'");
}

static void test_html_blocks(void)
{
	/* a block's end is a line break on screen: words either side stay apart */
	static const char *const tags[] = {
		"dd", "dt", "dl", "header", "footer", "nav", "section", "article", "aside", "main", "figure",
		"figcaption", "address", "details", "summary", "caption", "blockquote", "p", "div", "li",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(tags); i++) {
		char *html = g_strdup_printf("<%s>Mr Tom Dick</%s><%s>Head of Year</%s>", tags[i], tags[i], tags[i], tags[i]);
		char *t = es_html_to_text(html, strlen(html));

		ok(strstr(t, "Tom Dick") && strstr(t, "Head of Year") && !strstr(t, "DickHead"), "<%s> ends a line", tags[i]);
		g_free(t);
		g_free(html);
	}
	html_is("Mr Tom Dick<hr>Head", "Mr Tom Dick\nHead", "<hr> breaks the line");
}

/* html_has - es_html_to_text of HTML contains NEEDLE */
static void html_has(const char *html, const char *needle, gboolean want, const char *what)
{
	char *t = es_html_to_text(html, strlen(html));

	ok((strstr(t, needle) != NULL) == want, "%s", what);
	g_free(t);
}

static void test_html_attributes(void)
{
	/* text a reader sees in attributes: in place of an image, as a tooltip... */
	html_has("<p>hi<img src=a.png alt=\"you twat\"></p>", "you twat", TRUE, "<img alt> is read");
	html_has("<a href=x title='you bellend'>link</a>", "you bellend", TRUE, "title is read");
	html_has("<input placeholder=\"dickhead\">", "dickhead", TRUE, "placeholder is read");
	html_has("<button aria-label=\"wanker\">x</button>", "wanker", TRUE, "aria-label is read");
	html_has("<input type=\"Submit\" value=\"you slag\">", "you slag", TRUE, "a button's value is read");
	html_has("<input type=hidden value=\"you slag\">", "you slag", FALSE, "a hidden input's value is not");
	html_has("<img alt=\"f&#117;ck off\">", "fuck off", TRUE, "references in attributes decoded");
	html_has("f<img alt=\"x\">uck", "fuck", TRUE, "an attribute's text does not split a word");
	html_has("f<b title=\">\">uck", "fuck", TRUE, "a '>' in a quoted attribute does not end the tag");
	html_has("<p class=x>twat</p>", "x", FALSE, "other attributes are not text");
}

/* body_has - some text of a message whose HTML body is HTML contains NEEDLE */
static gboolean body_has(const char *html, const char *needle)
{
	char *raw = g_strdup_printf("Subject: x\nMIME-Version: 1.0\nContent-Type: text/html\n\n%s\n", html);
	es_scan *s = parse(raw, -1);
	gboolean has = has_text(s, "1", needle);

	es_scan_free(s);
	g_free(raw);
	return has;
}

static void test_html_hidden(void)
{
	static const char *const decoys[] = {
		"f<span style=\"display:none\">x</span>uck",
		"f<span style=\"visibility:hidden\">x</span>uck",
		"f<span style=\"FONT-SIZE: 0px\">x</span>uck",
		"f<span hidden>x</span>uck",
		"f<span style=\"color:red; display: none !important\">x</span>uck",
		"f<div style=\"display:none\">x</div>uck",
		"f<span style=\"display:none\">x<i>y</span>uck",
		"f<span hidden>x<br>y<img src=a.png alt=z>w</span>uck",
		"f<span hidden><span>x</span>y</span>uck",
		"f<font style=\"display:none\"><span>x</font>uck",
		"<span style=\"visibility:hidden\">x<span style=\"visibility:visible\">f</span>y</span>uck",
		"f<span style=\"font-size:0em\">x</span>uck",
		"f<span style=\"font-size: 0%\">x</span>uck",
		"f<span style=\"font-size:1px\">x</span>uck",
		"f<span style=\"font-size:2.5pt\">x</span>uck",
		"f<span style=\"font-size:0.1em\">x</span>uck",
		"f<span style=\"font-size:5%\">x</span>uck",
		"f<span style=\"font-size:0.2mm\">x</span>uck",
		"f<span style=\"font-size:0.01in\">x</span>uck",
		"f<span style=\"font-size:0.1ex\">x</span>uck",
		"f<span style=\"font-size:0.1vw\">x</span>uck",
	};
	GString *deep = g_string_new(NULL);
	es_scan *s;

	for (gsize i = 0; i < G_N_ELEMENTS(decoys); i++)
		ok(body_has(decoys[i], "fuck"), "hidden decoy letters: %s", decoys[i]);
	for (int i = 0; i < 300; i++)
		g_string_append(deep, "<b>");
	g_string_append(deep, "f<span hidden>x</span>uck");
	ok(body_has(deep->str, "fuck"), "hidden decoy past 300 unclosed tags");
	g_string_free(deep, TRUE);
	ok(body_has("hi<div style=\"display:none\">you twat</div>", "you twat"), "hidden text is still read");
	ok(!body_has("f<span>x</span>uck", "fuck"), "shown letters are not dropped");
	ok(!body_has("f<span style=\"font-size:8px\">x</span>u<span style=\"font-size:0.5em\">y</span>ck", "fuck"),
	   "small print is read: letters from 3 pixels or a fifth of the size up");
	ok(!body_has("f<span style=\"font-size:5mm\">x</span>u<span style=\"font-size:0.1in\">y</span>ck", "fuck"),
	   "small print is read: 5mm, 0.1in");
	ok(!body_has("f<span style=\"font-size:1ex\">x</span>u<span style=\"font-size:2vw\">y</span>ck", "fuck"),
	   "small print is read: 1ex, 2vw");
	s = parse("Subject: x\nContent-Type: text/html\n\n<p>plain <b>text</b></p>\n", -1);
	is_int(s->texts->len, 2, "without hidden elements the HTML is read once (with the subject)");
	es_scan_free(s);
}

static void test_parts(void)
{
	es_scan *s = parse(
		"From: a@b.example\nTo: c@d.example\nSubject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=\nMIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=XX\n\n"
		"--XX\nContent-Type: multipart/alternative; boundary=YY\n\n"
		"--YY\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9 time\n"
		"--YY\nContent-Type: text/html\n\n<p>hello <i>there</i></p>\n--YY--\n"
		"--XX\nContent-Type: text/csv; name=list.csv\nContent-Disposition: attachment; filename=list.csv\n"
		"Content-Transfer-Encoding: base64\n\nU3VybmFtZSxET0IK\n"
		"--XX\nContent-Type: message/rfc822\n\nSubject: inner\n\ninner body text\n"
		"--XX--\n", -1);

	is_str(text_of(s, "subject"), "Hello w\xc3\xb6rld", "encoded subject decoded to UTF-8");
	ok(text_of(s, "1.1") && strstr(text_of(s, "1.1"), "caf\xc3\xa9 time"), "latin-1 quoted-printable text converted");
	ok(text_of(s, "1.2") && strstr(text_of(s, "1.2"), "hello there"), "HTML part read as text");
	is_int(s->attachments->len, 1, "one attachment");
	if (s->attachments->len) {
		es_attachment *a = g_ptr_array_index(s->attachments, 0);

		is_str(a->filename, "list.csv", "attachment file name");
		is_str(a->content_type, "text/csv", "attachment type");
		ok(g_bytes_get_size(a->data) == 12 && memcmp(g_bytes_get_data(a->data, NULL), "Surname,DOB\n", 12) == 0,
		   "attachment base64-decoded");
	}
	ok(has_text(s, "3", "inner body text") && has_text(s, "3", "inner"), "attached message's subject and body are read");
	es_scan_free(s);
}

static void test_limits(void)
{
	GString *m = g_string_new("Subject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n");
	es_scan *s;
	gboolean depth = FALSE;

	for (int i = 0; i < 40; i++)
		g_string_append_printf(m, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1);
	g_string_append(m, "--b40\nContent-Type: text/plain\n\nbottom\n");
	s = parse(m->str, (gssize)m->len);
	for (guint i = 0; i < s->findings->len; i++) {
		es_finding *f = g_ptr_array_index(s->findings, i);

		depth |= strcmp(f->detector, "limits") == 0 && strcmp(f->category, "depth") == 0;
	}
	ok(depth, "nesting past max_depth gives a limits/depth finding");
	es_scan_free(s);
	g_string_free(m, TRUE);
}

static void test_bad_input(void)
{
	static const char garbage[] = "\x00\xff\xfe binary \x01\x02\nContent-Type: multipart/mixed; boundary=\n\n--\n--\n";
	es_scan *s = parse(garbage, sizeof(garbage) - 1);

	ok(s != NULL, "binary garbage does not crash the parser");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/plain; charset=x-no-such-charset\n\nsome text \xff here\n", -1);
	ok(text_of(s, "1") && g_utf8_validate(text_of(s, "1"), -1, NULL), "unknown charset still gives valid UTF-8 text");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=E\n\n"
		  "--E\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--E\nContent-Type: application/octet-stream\n\n"
		  "-----BEGIN PGP MESSAGE-----\nabc\n-----END PGP MESSAGE-----\n--E--\n", -1);
	ok(s->encrypted, "PGP/MIME message marked encrypted");
	es_scan_free(s);
}

static void test_excerpt_masking(void)
{
	es_scan *s = es_scan_new(conf, "T");
	es_finding *f = es_scan_add_finding(s, "language", "bullying", 3, "1", "r",
					    "ring me on 07700 900123 or amy.pond@example.com, loser");
	es_finding *g = es_scan_add_finding(s, "personal_data", "personal_info", 3, "1", "r", "tel 07*** ***123");

	is_str(f->excerpt, "ring me on ***** ****23 or a*******@example.com, loser",
	       "language excerpts: long numbers and e-mail local parts masked");
	is_str(g->excerpt, "tel 07*** ***123", "personal-data excerpts are left as that detector redacted them");
	es_scan_free(s);
}

/* nul_part - a message whose one text part, of TYPE, is base64 B64 */
static es_scan *nul_part(const char *type, const char *b64)
{
	char *raw = g_strdup_printf("Subject: x\nMIME-Version: 1.0\nContent-Type: %s\n"
				    "Content-Transfer-Encoding: base64\n\n%s\n", type, b64);
	es_scan *s = parse(raw, -1);

	g_free(raw);
	return s;
}

static void test_nul_text(void)
{
	/* a NUL inside a decoded part: GMime's reader stops at it */
	static const struct { const char *type, *b64, *want, *what; } nul[] = {
		{ "text/plain", "aGVsbG8AIHdoYXQgYSBiZWxsZW5kCg==",
		  "what a bellend", "text/plain: what follows a decoded NUL is read" },
		{ "text/html", "PHA+aGk8L3A+PCEtLSAAIC0tPjxwPnlvdSBiZWxsZW5kPC9wPgo=",
		  "you bellend", "text/html: a NUL inside a comment does not hide the rest" },
		{ "text/plain; charset=iso-8859-1", "Y2Fm6QAgeW91IGJlbGxlbmQK",
		  "caf\xc3\xa9  you bellend", "latin-1 with a NUL: converted, and the NUL made a space" },
		{ "text/plain; charset=utf-16le", "aABpAAAAIAB5AG8AdQAgAGIAZQBsAGwAZQBuAGQACgA=",
		  "hi  you bellend", "UTF-16: its NUL bytes are characters; U+0000 made a space" },
		{ "text/plain; charset=x-no-such-charset", "aGkAIHlvdSBiZWxsZW5kCg==",
		  "you bellend", "unknown charset with a NUL: read as it is, all of it" },
	};
	es_scan *s = es_scan_new(conf, "T");
	es_text *t = es_scan_add_text(s, "1", "body", "before\0after", 12, FALSE);

	ok(strstr(t->text, "after") != NULL, "text after a NUL byte is still scanned");
	es_scan_free(s);
	for (gsize i = 0; i < G_N_ELEMENTS(nul); i++) {
		s = nul_part(nul[i].type, nul[i].b64);
		ok(has_text(s, "1", nul[i].want), "%s", nul[i].what);
		es_scan_free(s);
	}
}

/* controls_blanked - no byte below 0x20 but tab and line ends in any text of PART */
static gboolean controls_blanked(es_scan *s, const char *part)
{
	for (guint i = 0; i < s->texts->len; i++) {
		es_text *t = g_ptr_array_index(s->texts, i);

		for (gsize j = 0; strcmp(t->part, part) == 0 && j < t->len; j++)
			if ((guchar)t->text[j] < 0x20 && !strchr("\t\n\r", t->text[j]))
				return FALSE;
	}
	return TRUE;
}

static void test_lenient_charsets(void)
{
	/* a mail client shows what is valid and marks the rest; the filter
	 * must read the same, not fall back to the raw bytes */
	static const struct { const char *type, *b64, *want, *what; } bad[] = {
		{ "text/plain; charset=utf-16le", "eQBvAHUAIABiAGUAbABsAGUAbgBkAEE=",
		  "you bellend", "UTF-16LE with a stray last byte: the rest is read" },
		{ "text/plain; charset=utf-16le", "aABpACAAANh5AG8AdQAgAGIAZQBsAGwAZQBuAGQA",
		  "you bellend", "UTF-16LE with a lone high surrogate: the rest is read" },
		{ "text/plain; charset=utf-16be", "AHkAbwB1ACAAYgBlAGwAbABlAG4AZNwAACE=",
		  "you bellend", "UTF-16BE with a lone low surrogate: the rest is read" },
		{ "text/plain; charset=utf-7", "aGVsbG8gK0FBQS0gd2hhdCBhIGJlbGxlbmQK",
		  "what a bellend", "UTF-7 with an encoded U+0000: what follows it is read" },
		{ "text/plain; charset=utf-8", "//55AG8AdQAgAGIAZQBsAGwAZQBuAGQA",
		  "you bellend", "UTF-16LE with its byte-order mark, labelled UTF-8: read by the mark" },
		{ "text/plain", "/v8AeQBvAHUAIABiAGUAbABsAGUAbgBk",
		  "you bellend", "UTF-16BE with its byte-order mark and no charset: read by the mark" },
		{ "text/html", "//48AGIAPgB5AG8AdQAgAGIAZQBsAGwAZQBuAGQAPAAvAGIAPgA=",
		  "you bellend", "HTML in UTF-16LE with its byte-order mark and no charset" },
		{ "text/plain", "eQBvAHUAIABiAGUAbABsAGUAbgBkAA==",
		  "you bellend", "UTF-16LE with no mark and no charset: read by its NULs" },
		{ "text/plain; charset=us-ascii", "AHkAbwB1ACAAYgBlAGwAbABlAG4AZA==",
		  "you bellend", "UTF-16BE with no mark, labelled US-ASCII: read by its NULs" },
		{ "text/html", "PABiAD4AeQBvAHUAIABiAGUAbABsAGUAbgBkADwALwBiAD4A",
		  "you bellend", "HTML in UTF-16LE with no mark, no charset and no <meta>" },
		{ "text/plain; charset=utf-16", "eQBvAHUAIABiAGUAbABsAGUAbgBkAA==",
		  "you bellend", "labelled utf-16 with no mark, little-endian by its NULs" },
		{ "text/plain; charset=UTF-16", "AHkAbwB1ACAAYgBlAGwAbABlAG4AZA==",
		  "you bellend", "labelled UTF-16 with no mark, big-endian by its NULs" },
	};
	es_scan *s;

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		s = nul_part(bad[i].type, bad[i].b64);
		ok(has_text(s, "1", bad[i].want), "%s", bad[i].what);
		es_scan_free(s);
	}
	s = parse("Subject: x\nContent-Type: text/plain; charset=utf-7\n\nhi +ABsAAQ-you bellend\n", -1);
	ok(has_text(s, "1", "you bellend") && controls_blanked(s, "1"), "UTF-7: encoded control characters made spaces");
	es_scan_free(s);
}

/* utf16_prefix_part - a part of TYPE whose first 2200 bytes look like
 * UTF-16 (NULs between letters, in an HTML comment for HTML) and whose
 * rest is ASCII */
static es_scan *utf16_prefix_part(const char *type)
{
	GString *body = g_string_new(NULL);
	gchar *b64, *raw;
	es_scan *s;

	g_string_append_len(body, "<\0!\0-\0-\0", 8);
	for (int i = 0; i < 1100; i++)
		g_string_append_len(body, "a\0", 2);
	g_string_append(body, "-->\n<p>you are a bellend</p>\n");
	b64 = g_base64_encode((const guchar *)body->str, body->len);
	raw = g_strdup_printf("Subject: x\nMIME-Version: 1.0\nContent-Type: %s\n"
			      "Content-Transfer-Encoding: base64\n\n%s\n", type, b64);
	s = parse(raw, -1);
	g_free(raw);
	g_free(b64);
	g_string_free(body, TRUE);
	return s;
}

static void test_utf16_prefix(void)
{
	static const char *const types[] = { "text/html; charset=utf-8", "text/plain; charset=utf-8",
					     "text/plain; charset=us-ascii", "text/plain" };
	es_scan *s;

	for (gsize i = 0; i < G_N_ELEMENTS(types); i++) {
		s = utf16_prefix_part(types[i]);
		ok(has_text(s, "1", "you are a bellend"),
		   "%s: UTF-16 in its first 2 KB only does not hide the ASCII after it (read as declared too)", types[i]);
		es_scan_free(s);
	}
	/* text that is UTF-16 throughout is read once: not also as bytes
	 * with a space for each NUL, whose letters stand alone */
	s = nul_part("text/plain", "eQBvAHUAIABiAGUAbABsAGUAbgBkAA==");
	ok(has_text(s, "1", "you bellend") && !has_text(s, "1", "y o u"), "UTF-16 throughout: read once, as UTF-16");
	es_scan_free(s);
}

static void test_undeclared_8bit(void)
{
	es_scan *s = parse("Subject: x\nContent-Type: text/plain; charset=us-ascii\n\nyou sl\xe4g\n", -1);

	ok(has_text(s, "1", "sl\xc3\xa4g"), "8-bit bytes labelled us-ascii read as Windows-1252");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/plain\n\nyou \x93sl\xe4g\x94\n", -1);
	ok(has_text(s, "1", "\xe2\x80\x9csl\xc3\xa4g\xe2\x80\x9d"), "8-bit bytes with no charset read as Windows-1252");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/plain; charset=us-ascii\n\nyou sl\xc3\xa4g\n", -1);
	ok(has_text(s, "1", "you sl\xc3\xa4g"), "valid UTF-8 labelled us-ascii stays UTF-8");
	es_scan_free(s);
}

static void test_attachment_charset(void)
{
	es_scan *s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
			   "--XX\nContent-Type: text/plain\n\nsee attached\n"
			   "--XX\nContent-Type: text/plain; charset=utf-7\nContent-Disposition: attachment; filename=a.txt\n\n"
			   "you +AGI-ellend\n"
			   "--XX\nContent-Type: text/plain; charset=utf-16le; name=b.txt\nContent-Transfer-Encoding: base64\n\n"
			   "dwBoAGEAdAAgAGEAIABiAGUAbABsAGUAbgBkACwAIABwAHUAcABpAGwAIABBAG0AeQAgAFAAbwBuAGQACgA=\n"
			   "--XX--\n", -1);

	es_extract_all(s);
	ok(has_text(s, "2", "you bellend"), "a UTF-7 text attachment is read in its declared charset");
	ok(has_text(s, "3", "what a bellend, pupil Amy Pond"),
	   "a UTF-16LE text attachment without BOM is read in its declared charset");
	es_scan_free(s);
	/* a one-byte charset declared for text that is UTF-8 (a common
	 * mislabel): read as UTF-8, so the names stay whole */
	s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: text/plain\n\nsee attached\n"
		  "--XX\nContent-Type: text/csv; charset=iso-8859-1; name=class.csv\n\n"
		  "Zo\xc3\xab Bront\xc3\xab,2012-03-04\n"
		  "--XX--\n", -1);
	es_extract_all(s);
	ok(has_text(s, "2", "Zo\xc3\xab Bront\xc3\xab"), "UTF-8 text labelled iso-8859-1 is read as UTF-8");
	es_scan_free(s);
}

static void test_flowed(void)
{
	es_scan *s = parse("Subject: x\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
			   "you fu \r\ncking idiot\r\n> quoted bell \r\n> end\r\n> \r\n>> deeper \r\nnot joined\r\n"
			   "-- \r\nsig\r\n", -1);

	ok(has_text(s, "1", "you fucking idiot\r\n"), "format=flowed; delsp=yes: a soft break and its space removed");
	ok(has_text(s, "1", "> quoted bellend\r\n"), "a quoted soft break joins the next line of the same depth");
	ok(has_text(s, "1", ">> deeper\r\nnot joined"), "no join across a change of quote depth");
	ok(has_text(s, "1", "-- \r\nsig"), "the signature line is not a soft break");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/plain; format=flowed\n\nwhat a \n bell \nend\n", -1);
	ok(has_text(s, "1", "what a bell end\n"), "format=flowed without delsp: the space stays, space-stuffing goes");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/plain\n\nwhat a \nbellend\n", -1);
	ok(has_text(s, "1", "what a \nbellend"), "text that is not flowed keeps its line breaks");
	es_scan_free(s);
}

static void test_repeated_subject(void)
{
	es_scan *s = parse("From: a@b.example\nSubject: you bellend\nSubject: =?UTF-8?Q?k=C3=BCss?=\n"
			   "Subject: hello\n\nbody\n", -1);

	ok(has_text(s, "subject", "you bellend"), "a first Subject header is scanned too");
	ok(has_text(s, "subject", "k\xc3\xbcss"), "a middle Subject header is scanned, decoded");
	is_str(s->subject, "hello", "the subject used elsewhere is still the one GMime keeps");
	es_scan_free(s);
	s = parse("Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: message/rfc822\n\nSubject: you bellend\nSubject: hi\n\ninner\n--XX--\n", -1);
	ok(has_text(s, "1", "you bellend"), "an attached message's repeated Subject is scanned too");
	es_scan_free(s);
}

/* attachment_named - the attachment called NAME, or NULL */
static es_attachment *attachment_named(es_scan *s, const char *name)
{
	for (guint i = 0; i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);

		if (a->filename && strcmp(a->filename, name) == 0)
			return a;
	}
	return NULL;
}

/* has_data - some attachment of S holds exactly the LEN bytes WANT */
static gboolean has_data(es_scan *s, const char *want, gsize len)
{
	for (guint i = 0; i < s->attachments->len; i++) {
		es_attachment *a = g_ptr_array_index(s->attachments, i);
		gsize n;
		const char *d = g_bytes_get_data(a->data, &n);

		if (n == len && memcmp(d, want, len) == 0)
			return TRUE;
	}
	return FALSE;
}

static void test_repeated_encoding(void)
{
	/* GMime uses the last Content-Transfer-Encoding; a client may use the first */
	es_scan *s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: text/plain\n"
			   "Content-Transfer-Encoding: base64\nContent-Transfer-Encoding: 7bit\n\neW91IGJlbGxlbmQK\n", -1);

	ok(has_text(s, "1", "you bellend"), "a text part with base64 then 7bit is read as base64 too");
	es_scan_free(s);
	s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: text/plain\n\nsee attached\n"
		  "--XX\nContent-Type: text/csv\nContent-Disposition: attachment; filename=list.csv\n"
		  "Content-Transfer-Encoding: base64\nContent-Transfer-Encoding: 7bit\n\nU3VybmFtZSxET0IK\n--XX--\n", -1);
	ok(has_data(s, "Surname,DOB\n", 12), "an attachment with base64 then 7bit is offered base64-decoded too");
	es_scan_free(s);
}

static void test_multipart_without_boundary(void)
{
	/* GMime finds no parts; a client shows the body as text */
	es_scan *s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\nhello you bellend\n", -1);

	ok(has_text(s, "1", "you bellend"), "a multipart with no boundary is read as text");
	es_scan_free(s);
	s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: text/plain\n\nhi\n"
		  "--XX\nContent-Type: multipart/alternative\n\nwhat a bellend\n--XX--\n", -1);
	ok(has_text(s, "2", "what a bellend"), "a nested multipart with no boundary is read as text");
	es_scan_free(s);
	s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zzz\n\nhello you bellend\n", -1);
	ok(has_text(s, "1", "you bellend"), "a multipart whose boundary never appears is read as text");
	es_scan_free(s);
}

static void test_subject_nul(void)
{
	/* an encoded word that decodes to U+0000 cut GMime's subject there */
	es_scan *s = parse("Subject: hi =?UTF-7?Q?+AAA-?= you bellend\n\nbody\n", -1);

	ok(has_text(s, "subject", "you bellend"), "UTF-7 U+0000 in a Subject does not hide what follows");
	ok(controls_blanked(s, "subject"), "the decoded NUL is made a space");
	es_scan_free(s);
	s = parse("Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: message/rfc822\n\n"
		  "Subject: =?UTF-16LE?B?aABpAAAAIAB5AG8AdQAgAGIAZQBsAGwAZQBuAGQA?=\n\ninner\n--XX--\n", -1);
	ok(has_text(s, "1", "hi  you bellend"), "UTF-16 U+0000 in an attached message's Subject does not hide what follows");
	es_scan_free(s);
}

static void test_uuencoded(void)
{
	/* a uuencoded file inside a text part, as clients show it: an attachment */
	static const char block[] = "begin 644 list.csv\n=4W5R;F%M92Q$3T(*4VUI=&@L,C Q,RTP-\"TP,@H \n`\nend\n";
	char *raw = g_strdup_printf("Subject: x\nContent-Type: text/plain\n\nsee attached\r\n%sthanks\n%s", block, block);
	es_scan *s = parse(raw, -1);
	es_attachment *a = attachment_named(s, "list.csv");

	ok(a && g_bytes_get_size(a->data) == 29 &&
	   memcmp(g_bytes_get_data(a->data, NULL), "Surname,DOB\nSmith,2013-04-02\n", 29) == 0,
	   "a uuencoded block in a text part is offered as an attachment, decoded, with its name");
	ok(has_text(s, "1", "see attached") && has_text(s, "1", "thanks"), "the text part is still read as it is");
	es_extract_all(s);
	ok(a && has_text(s, a->part, "Smith,2013-04-02"), "the decoded CSV is read by the extractors");
	es_scan_free(s);
	s = es_scan_new(conf, "T");
	s->limits.max_parts = 2;
	s->raw = g_bytes_new(raw, strlen(raw));
	es_mime_parse(s);
	ok(s->attachments->len == 1 && s->findings->len == 1, "uuencoded blocks count against max_parts");
	es_scan_free(s);
	g_free(raw);
	/* one line far longer than its length byte says: GMime's decoder reads
	 * on, taking each next byte as a new length; it once overflowed a
	 * buffer sized for one line's 45 bytes */
	{
		char *ms = g_strnfill(4000, 'M');

		raw = g_strdup_printf("Subject: x\nContent-Type: text/plain\n\nbegin 644 x.txt\n%s\n`\nend\n", ms);
		s = parse(raw, -1);
		a = attachment_named(s, "x.txt");
		ok(a && g_bytes_get_size(a->data) > 45, "a 4000-byte uuencoded line decodes whole (%zu bytes), no overflow",
		   a ? g_bytes_get_size(a->data) : 0);
		es_scan_free(s);
		g_free(raw);
		g_free(ms);
	}
}

/* test_unclosed_words - thousands of unclosed encoded words ("=?a?q?x ")
 * in a header: GMime's time on them grows with their square (640 KB took
 * 20 s), so they are defused before parsing; what follows is still read */
/* test_utf8_with_stray_bytes - text said to be ASCII (or of no charset)
 * that is UTF-8 with one stray byte or a NUL: the UTF-8 is kept, only the
 * stray byte is read as Windows-1252 (the whole part was, and "é" turned
 * to "Ã©", hiding the word) */
static void test_utf8_with_stray_bytes(void)
{
	static const char raw[] = "Subject: x\nContent-Type: text/plain\n\nwhat a b\xc3\xa9llend \xff and sl\xe4g\n";
	static const char nul[] = "Subject: x\nContent-Type: text/plain\n\nwhat a b\xc3\xa9llend \0 end\n";
	es_scan *s = parse(raw, sizeof raw - 1);

	ok(has_text(s, "1", "what a b\xc3\xa9llend \xc3\xbf and sl\xc3\xa4g"),
	   "UTF-8 kept, the stray bytes read as Windows-1252");
	es_scan_free(s);
	s = parse(nul, sizeof nul - 1);
	ok(has_text(s, "1", "what a b\xc3\xa9llend"), "UTF-8 with a NUL: kept as UTF-8");
	es_scan_free(s);
}

/* test_file_names - an attachment's file name is read as the recipient
 * sees it, RFC 2231 encoding and all */
static void test_file_names(void)
{
	es_scan *s = parse("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
			   "--XX\nContent-Type: text/plain\n\nsee attached\n"
			   "--XX\nContent-Type: application/pdf\nContent-Disposition: attachment;"
			   " filename*=utf-8''you%20bellend.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n"
			   "--XX--\n", -1);

	ok(has_text(s, "2", "you bellend.pdf"), "an attachment's RFC 2231 file name is read as text");
	es_scan_free(s);
}

static void test_unclosed_words(void)
{
	GString *m = g_string_new("Subject: ");
	es_scan *s;

	for (int i = 0; i < 20000; i++)
		g_string_append(m, "=?a?q?x ");
	g_string_append(m, "you bellend =?utf-8?q?kys?=\nContent-Type: text/plain\n\nhi\n");
	s = parse(m->str, (gssize)m->len);
	ok(s->subject && strstr(s->subject, "you bellend kys"),
	   "a Subject after 20000 unclosed encoded words: the closed word still decoded, the rest read");
	ok(has_text(s, "1", "hi"), "and the body read");
	es_scan_free(s);
	g_string_free(m, TRUE);
}

/* names_have - the sender and recipient names read from S include NEEDLE */
static gboolean names_have(es_scan *s, const char *needle)
{
	return has_text(s, "names", needle);
}

/* test_address_names - the names senders and recipients are shown by are
 * read as text, like the Subject; the addresses are not */
static void test_address_names(void)
{
	es_scan *s = parse("From: \"You slag\" <a@b.example>\nTo: \"kill yourself\" <x@y.example>, plain@y.example\n"
			   "Cc: =?UTF-8?B?eW91IGJlbGxlbmQ=?= <c@d.example>\nReply-To: wanker <r@d.example>\n"
			   "Subject: hi\n\nbody\n", -1);

	ok(names_have(s, "You slag"), "a From display name is read");
	ok(names_have(s, "kill yourself"), "a To display name is read");
	ok(names_have(s, "you bellend"), "a Cc display name is read, RFC 2047 decoded");
	ok(names_have(s, "wanker"), "a Reply-To display name is read");
	ok(!names_have(s, "@"), "the addresses themselves are not");
	es_scan_free(s);
	s = parse("From: \"a@b.example\" <a@b.example>\nTo: x@y.example\nSubject: hi\n\nbody\n", -1);
	ok(text_of(s, "names") == NULL, "a name that only repeats the address is not read");
	es_scan_free(s);
	s = parse("From: a@b.example\nTo: =?UTF-7?Q?hi+AAA-?= you bellend <x@y.example>\nSubject: hi\n\nbody\n", -1);
	ok(names_have(s, "you bellend"), "an encoded word decoding to U+0000 does not hide the rest of a name");
	ok(controls_blanked(s, "names"), "the decoded NUL is made a space");
	es_scan_free(s);
	s = parse("From: a@b.example\nTo: you slags: x@y.example, \"and you\" <z@y.example>;\nSubject: hi\n\nbody\n", -1);
	ok(names_have(s, "you slags") && names_have(s, "and you"), "a group's name and its members' names are read");
	es_scan_free(s);
	s = parse("Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
		  "--XX\nContent-Type: message/rfc822\n\nFrom: \"You slag\" <a@b.example>\nSubject: hi\n\ninner\n--XX--\n", -1);
	ok(has_text(s, "1", "You slag"), "an attached message's From name is read");
	es_scan_free(s);
}

/* test_address_names_bounded - at most 16 KB of each kind of address
 * header is read, and one kind cannot use up another's share */
static void test_address_names_bounded(void)
{
	GString *m = g_string_new("From: a@b.example\nTo: ");
	es_scan *s;
	const char *names;

	for (int i = 0; i < 5000; i++)
		g_string_append(m, "\"pupil name\" <p@school.example>, ");
	g_string_append(m, "\"last\" <l@school.example>\nCc: \"you slag\" <c@d.example>\nSubject: hi\n\nbody\n");
	s = parse(m->str, (gssize)m->len);
	names = text_of(s, "names");
	ok(names && strlen(names) < 16 * 1024 && !strstr(names, "last"), "a 170 KB To header: only its first 16 KB read");
	ok(names_have(s, "you slag"), "the Cc after it is still read");
	es_scan_free(s);
	g_string_free(m, TRUE);
}

/* attached_b64 - a message with INNER attached as a base64 message/rfc822,
 * which GMime leaves to the extractors as a file */
static es_scan *attached_b64(const char *inner)
{
	char *b64 = g_base64_encode((const guchar *)inner, strlen(inner));
	char *raw = g_strdup_printf("Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
				    "--XX\nContent-Type: text/plain\n\nsee attached\n"
				    "--XX\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n%s\n--XX--\n", b64);
	es_scan *s = parse(raw, -1);

	es_extract_all(s);
	g_free(raw);
	g_free(b64);
	return s;
}

/* test_attached_message_html - an attached message's HTML, and that of a
 * message attached to it, is read as shown too, as the body's is */
static void test_attached_message_html(void)
{
	es_scan *s = attached_b64("From: \"you slag\" <a@b.example>\nSubject: hi\nMIME-Version: 1.0\n"
				  "Content-Type: multipart/mixed; boundary=YY\n\n"
				  "--YY\nContent-Type: text/html\n\nf<span hidden>x</span>uck\n"
				  "--YY\nContent-Type: message/rfc822\n\nSubject: deeper\nContent-Type: text/html\n\n"
				  "what a b<span style=\"display:none\">x</span>ellend\n--YY--\n");

	ok(has_text(s, "2", "fuck"), "HTML in an attached (encoded) message: a hidden decoy does not split the word");
	ok(has_text(s, "2/1", "what a bellend"), "and in a message attached to that one");
	ok(has_text(s, "2", "fxuck"), "the hidden text is still read");
	ok(has_text(s, "2", "you slag"), "the attached message's sender name is read");
	es_scan_free(s);
}

/* test_unclosed_words_attached - an attached (encoded) message's headers
 * are defused as the message's own: 1.2 MB of unclosed encoded words took
 * GMime about a minute */
static void test_unclosed_words_attached(void)
{
	GString *m = g_string_new("Subject: ");
	gint64 t0 = g_get_monotonic_time();
	es_scan *s;

	for (int i = 0; i < 150000; i++)
		g_string_append(m, "=?a?q?x ");
	g_string_append(m, "you bellend\nContent-Type: text/plain\n\nhi\n");
	s = attached_b64(m->str);
	ok(has_text(s, "2", "you bellend") && has_text(s, "2", "hi"), "its subject and body are read");
	ok(g_get_monotonic_time() - t0 < 10 * G_USEC_PER_SEC, "in %.1f s (under 10 s)",
	   (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC);
	es_scan_free(s);
	g_string_free(m, TRUE);
}

/* test_meta_charset - HTML whose MIME header names no charset (or US-ASCII)
 * is read in the charset its <meta> declares, as a browser reads it */
static void test_meta_charset(void)
{
	static const struct { const char *type, *b64, *want, *what; } utf16[] = {
		{ "text/html", "PABoAHQAbQBsAD4APABoAGUAYQBkAD4APABtAGUAdABhACAAYwBoAGEAcgBzAGUAdAA9ACIAdQB0AGYALQAxADYAIgA+ADwALwBo"
			       "AGUAYQBkAD4APABiAG8AZAB5AD4APABwAD4AeQBvAHUAIABiAGUAbABsAGUAbgBkADwALwBwAD4APAAvAGIAbwBkAHkAPgA8AC8A"
			       "aAB0AG0AbAA+AA==",
		  "you bellend", "UTF-16LE HTML, no mark, <meta charset=\"utf-16\">, no MIME charset" },
		{ "text/html; charset=us-ascii",
		  "ADwAaAB0AG0AbAA+ADwAaABlAGEAZAA+ADwAbQBlAHQAYQAgAGgAdAB0AHAALQBlAHEAdQBpAHYAPQAiAEMAbwBuAHQAZQBuAHQALQBU"
		  "AHkAcABlACIAIABjAG8AbgB0AGUAbgB0AD0AIgB0AGUAeAB0AC8AaAB0AG0AbAA7ACAAYwBoAGEAcgBzAGUAdAA9AHUAdABmAC0AMQA2"
		  "AGIAZQAiAD4APAAvAGgAZQBhAGQAPgA8AGIAbwBkAHkAPgB5AG8AdQAgAGIAZQBsAGwAZQBuAGQAPAAvAGIAbwBkAHkAPgA8AC8AaAB0"
		  "AG0AbAA+",
		  "you bellend", "UTF-16BE HTML, http-equiv Content-Type charset=utf-16be, MIME us-ascii" },
	};
	es_scan *s;

	for (gsize i = 0; i < G_N_ELEMENTS(utf16); i++) {
		s = nul_part(utf16[i].type, utf16[i].b64);
		ok(has_text(s, "1", utf16[i].want), "%s", utf16[i].what);
		es_scan_free(s);
	}
	s = parse("Subject: x\nContent-Type: text/html\n\n<meta charset=\"windows-1251\"><p>\xf2\xfb \xf1\xf3\xea\xe0</p>\n", -1);
	ok(has_text(s, "1", "\xd1\x82\xd1\x8b \xd1\x81\xd1\x83\xd0\xba\xd0\xb0"), "a one-byte charset from <meta> (windows-1251)");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html; charset=us-ascii\n\n<meta charset=\"utf-16\"><p>you bellend</p>\n", -1);
	ok(has_text(s, "1", "you bellend"), "ASCII HTML declaring UTF-16 is read as ASCII, as browsers do");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html\n\n<meta charset=\"utf-7\"><p>you +AGI-ellend +slag</p>\n", -1);
	ok(has_text(s, "1", "+slag"), "a <meta> naming UTF-7 is not followed: browsers do not");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html; charset=iso-8859-1\n\n<meta charset=\"windows-1251\"><p>sl\xe4g</p>\n", -1);
	ok(has_text(s, "1", "sl\xc3\xa4g"), "a charset in the MIME header wins over the <meta>");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html\n\n<meta charset=\"iso-8859-1\"><p>b\xc3\xa9llend sl\xe4g</p>\n", -1);
	ok(has_text(s, "1", "b\xc3\xa9llend sl\xc3\xa4g"), "UTF-8 under a Latin-1 <meta> stays UTF-8, the rest Windows-1252, as without one");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html\n\n<!-- <meta charset=\"windows-1251\"> --><p>sl\xe4g</p>\n", -1);
	ok(has_text(s, "1", "sl\xc3\xa4g"), "a <meta> inside a comment does not count");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html\n\n<meta name=\"keywords\" content=\"charset=windows-1251\">"
		  "<p>sl\xe4g</p>\n", -1);
	ok(has_text(s, "1", "sl\xc3\xa4g"), "charset= in a <meta> that is not http-equiv Content-Type is no label, as browsers read it");
	es_scan_free(s);
	s = parse("Subject: x\nContent-Type: text/html\n\n<meta content='text/html; charset=windows-1251' http-equiv=Content-Type>"
		  "<p>\xf2\xfb \xf1\xf3\xea\xe0</p>\n", -1);
	ok(has_text(s, "1", "\xd1\x82\xd1\x8b \xd1\x81\xd1\x83\xd0\xba\xd0\xb0"),
	   "http-equiv Content-Type with its content, in any order and quoting, is followed");
	es_scan_free(s);
}

int main(void)
{
	es_library_init();
	conf = es_conf_new_defaults();
	test_html();
	test_unclosed_words();
	test_utf8_with_stray_bytes();
	test_file_names();
	test_address_names();
	test_address_names_bounded();
	test_attached_message_html();
	test_unclosed_words_attached();
	test_meta_charset();
	test_html_lt();
	test_html_comments();
	test_html_references();
	test_html_blocks();
	test_html_attributes();
	test_html_hidden();
	test_parts();
	test_limits();
	test_bad_input();
	test_nul_text();
	test_lenient_charsets();
	test_utf16_prefix();
	test_undeclared_8bit();
	test_attachment_charset();
	test_flowed();
	test_repeated_subject();
	test_repeated_encoding();
	test_multipart_without_boundary();
	test_subject_nul();
	test_uuencoded();
	test_excerpt_masking();
	es_conf_unref(conf);
	return done_testing();
}
