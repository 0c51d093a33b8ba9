/* html_t.c - CSS that hides part of an HTML part from a reader: rules of
 * <style> elements, opacity and transparent colour; decoy letters hidden
 * that way must not split a word in the text as shown, and the hidden text
 * is still read in the whole */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "mime.h"

/* shown_has - the text of HTML as shown (the whole text if nothing is
 * hidden) contains NEEDLE */
static gboolean shown_has(const char *html, const char *needle)
{
	char *shown = NULL, *text = es_html_texts(html, strlen(html), &shown);
	gboolean has = strstr(shown ? shown : text, needle) != NULL;

	g_free(shown);
	g_free(text);
	return has;
}

/* hidden_ok - in each of HTML, the decoy "x" hides from the reader */
static void hidden_ok(const char *const *html, gsize n, const char *what)
{
	for (gsize i = 0; i < n; i++)
		ok(shown_has(html[i], "fuck"), "%s: %s", what, html[i]);
}

/* shown_ok - in each of HTML, the "x" is seen: the word stays split */
static void shown_ok(const char *const *html, gsize n, const char *what)
{
	for (gsize i = 0; i < n; i++)
		ok(!shown_has(html[i], "fuck") && shown_has(html[i], "fxuck"), "%s: %s", what, html[i]);
}

static void test_style_rules(void)
{
	static const char *const hidden[] = {
		"<style>.x{display:none}</style>f<span class=\"a x\">x</span>uck",
		"<style>#y { font-size:0 }</style>f<span id=y>x</span>uck",
		"<style>span.z{visibility:hidden}</style>f<span class=z>x</span>uck",
		"<style>.a, .b ,#c{display:none}</style>f<i class=b>x</i>uck",
		"<style>.a, .b ,#c{display:none}</style>f<i id=c>x</i>uck",
		"<style>.p{color:red} .q{font-weight:bold; display:none;} .r{}</style>f<span class=q>x</span>uck",
		"<style>/* .q{display:block} */ .q/**/{dis/* x */play:none}</style>f<span class=q>x</span>uck",
		"<style>.x{display:none !important}</style>f<span class=x style=\"display:inline\">x</span>uck",
		"f<span class=x>x</span>uck<style>.x{display:none}</style>",
		"<STYLE type=text/css>.X{DISPLAY:NONE}</STYLE>f<SPAN CLASS=x>x</SPAN>uck",
		"<style><!-- .x{display:none} --></style>f<span class=x>x</span>uck",
		"<style>span{font-size:0}</style>f<span>x</span>uck",
		"<style>#y{display:none} .x{display:inline}</style>f<span class=x id=y>x</span>uck",
		"<style>.y{display:inline}</style><style>.x{display:none}</style>f<span class=\"x y\">x</span>uck",
		"<style>.x{display:none}</style>f<span class=x><b>x</b></span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "a <style> rule hides");
}

static void test_style_rules_read_as_browsers(void)
{
	/* what a red-team tries next: rules in groups, escapes, an unclosed
	 * block, selectors only partly simple */
	static const char *const hidden[] = {
		"<style>@media screen { .x{display:none} }</style>f<span class=x>x</span>uck",
		"<style>@font-face{font-family:a; src:url(a.woff)} .x{display:none}</style>f<span class=x>x</span>uck",
		"<style>.c::after{content:\"}\"} .x{display:none}</style>f<span class=x>x</span>uck",
		"<style>.c::after{content:\"/*\"} .x{display:none} /* */</style>f<span class=x>x</span>uck",
		"<style>.x{display:none</style>f<span class=x>x</span>uck",
		"<style>.\\78 {display:none}</style>f<span class=x>x</span>uck",
		"<style>body .x{display:none}</style>f<span class=x>x</span>uck",
		"<style>.x.x{display:none}</style>f<span class=x>x</span>uck",
		"<style>.x:first-child{display:none}</style>f<span class=x>x</span>uck",
		"<style>.w { .x {display:none} }</style>f<span class=x>x</span>uck",
		"<style>div > .x{display:none} .x{display:inline}</style>f<span class=x>x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "a <style> rule read as browsers read it hides");
}

/* test_rules_at_times - a rule that applies only at times (in @media,
 * @supports, nested in a rule, in a <style media=print>) or only in
 * another case of the name cannot show what an unconditional rule hides:
 * a browser would still hide it (review finding) */
static void test_rules_at_times(void)
{
	static const char *const hidden[] = {
		"<style>.x{display:none} @media (min-width:99999px){.x{display:inline}}</style>f<span class=x>x</span>uck",
		"<style>.x{display:none} @supports (display:flex){.x{display:inline}}</style>f<span class=x>x</span>uck",
		"<style>.x{display:none} .zz{ .x{display:inline} }</style>f<span class=x>x</span>uck",
		"<style>.x{display:none}</style><style media=\"print\">.x{display:inline}</style>f<span class=x>x</span>uck",
		"<!DOCTYPE html><style>.x{display:none} .X{display:inline}</style>f<span class=x>x</span>uck",
		"<style>#q{display:none} #Q{display:inline}</style>f<span id=q>x</span>uck",
	};
	static const char *const shown[] = {
		"<style>.x{display:none}</style><style media=\"screen\">.x{display:inline}</style>f<span class=x>x</span>uck",
		"<style>.x{display:none}</style><style media=all>.x{display:inline}</style>f<span class=x>x</span>uck",
		"<style>.X{display:none} .X{display:inline}</style>f<span class=X>x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "a rule that applies only at times, or in another case, shows nothing");
	shown_ok(shown, G_N_ELEMENTS(shown), "one for every screen, in the same case, still shows");
}

static void test_style_rules_not_hiding(void)
{
	static const char *const shown[] = {
		"<style>.x{display:none}</style>f<span class=xy>x</span>uck",
		"<style>.x{display:none}</style>f<span class=x style=\"display:inline\">x</span>uck",
		"<style>.x{display:none} .x{display:block}</style>f<span class=x>x</span>uck",
		"<style>span.x{display:none}</style>f<b class=x>x</b>uck",
		"<style>#x{display:none}</style>f<b class=x>x</b>uck",
		"<style>.x::before{display:none}</style>f<span class=x>x</span>uck",
		"<!-- <style>.x{display:none}</style> -->f<span class=x>x</span>uck",
		"<style>.x{display:none}</style>f<span class=y class=x>x</span>uck",
		"<style>.x{color:transparent}</style>f<span class=x><b style=\"color:red\">x</b></span>uck",
	};

	shown_ok(shown, G_N_ELEMENTS(shown), "a rule that does not match or is overridden hides nothing");
}

static void test_rules_past_the_cap(void)
{
	GString *html = g_string_new("<style>");

	/* rules for other classes first, so the one that hides is past any cap */
	for (int i = 0; i < 1000; i++)
		g_string_append_printf(html, ".j%d{color:red} .h%d{display:none}", i, i);
	g_string_append(html, ".x{display:none}</style>");
	g_string_append(html, "f<span class=x>x</span>uck");
	ok(shown_has(html->str, "fuck"), "a rule past a thousand others still hides");
	g_string_truncate(html, html->len - strlen("f<span class=x>x</span>uck"));
	g_string_append(html, "f<span class=y>x</span>uck");
	ok(!shown_has(html->str, "fuck"), "and an element no rule names is still shown");
	g_string_free(html, TRUE);
}

static void test_faint(void)
{
	static const char *const hidden[] = {
		"f<span style=\"opacity:0\">x</span>uck",
		"f<span style=\"opacity: 0.0\">x</span>uck",
		"f<span style=\"opacity:0%\">x</span>uck",
		"f<span style=\"opacity:.01\">x</span>uck",
		"f<span style=\"opacity:0\"><b style=\"opacity:1\">x</b></span>uck",
		"f<span style=\"color:transparent\">x</span>uck",
		"f<span style=\"color: TRANSPARENT !important\">x</span>uck",
		"f<span style=\"color:rgba(0, 0, 0, 0)\">x</span>uck",
		"f<span style=\"color:rgb(0 0 0 / 0%)\">x</span>uck",
		"f<span style=\"color:#fff0\">x</span>uck",
		"f<span style=\"color:#ffffff00\">x</span>uck",
		"<style>.x{opacity:0}</style>f<span class=x>x</span>uck",
		"<style>#y{color:transparent}</style>f<span id=y>x</span>uck",
	};
	static const char *const shown[] = {
		"f<span style=\"opacity:0.5\">x</span>uck",
		"f<span style=\"opacity:1\">x</span>uck",
		"f<span style=\"color:rgba(0,0,0,0.5)\">x</span>uck",
		"f<span style=\"color:rgb(0,0,0)\">x</span>uck",
		"f<span style=\"color:#000\">x</span>uck",
		"f<span style=\"color:transparent\"><b style=\"color:red\">x</b></span>uck",
		"f<span style=\"color:transparent; color:red\">x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "opacity 0 or a transparent colour hides");
	shown_ok(shown, G_N_ELEMENTS(shown), "a colour or opacity that can be seen hides nothing");
}

static void test_first_style_counts(void)
{
	static const char *const hidden[] = {
		"f<span style=\"display:none\" style=\"display:inline\">x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "only an element's first style attribute counts");
}

static void test_hidden_still_read(void)
{
	const char *html = "<style>.x{display:none}</style>hi<div class=x>you twat</div>";
	char *shown = NULL, *text = es_html_texts(html, strlen(html), &shown);

	ok(strstr(text, "you twat") != NULL, "text hidden by a <style> rule is still read whole");
	ok(shown && strstr(shown, "you twat") == NULL && strstr(shown, "hi"), "and left out of the text as shown");
	ok(strstr(text, "display") == NULL, "the style sheet itself is not text");
	g_free(shown);
	g_free(text);
}

/* a 20 MB style sheet: rules past the cap, groups nested deep, a long
 * selector list, then the rule that hides a decoy of many classes */
static void test_hostile(void)
{
	GString *html = g_string_new("<style>");
	char *shown = NULL, *text;
	guint i;

	for (i = 0; html->len < 10 * 1024 * 1024; i++)
		g_string_append_printf(html, ".j%u{color:red}", i);
	for (i = 0; i < 100000; i++)
		g_string_append(html, "@media a{");
	for (i = 0; i < 100000; i++)
		g_string_append(html, "}");
	for (i = 0; i < 100000; i++)
		g_string_append_printf(html, ".s%u,", i);
	g_string_append(html, ".s{display:inline}");
	for (i = 0; html->len < 20 * 1024 * 1024; i++)
		g_string_append_printf(html, "#h%u{visibility:visible}", i);
	g_string_append(html, ".x{display:none}</style>f<span class=\"");
	for (i = 0; i < 100000; i++)
		g_string_append_printf(html, "k%u ", i);
	g_string_append(html, "x\">x</span>uck, you <b class=\"k5 k6\">twat</b>");
	text = es_html_texts(html->str, html->len, &shown);
	ok(shown && strstr(shown, "fuck") != NULL, "a 20 MB style sheet and 100000 classes: the decoy still hides");
	ok(shown && strstr(shown, "you twat") != NULL, "and what it does not hide is shown");
	ok(strstr(text, "fxuck") != NULL, "and the whole text is read");
	g_free(shown);
	g_free(text);
	g_string_free(html, TRUE);
}

/* test_same_colour - text in the colour of its background is not seen,
 * however the colour is written; text on a background that is not known
 * (an image, a rule read in part, a link, a highlight) is */
static void test_same_colour(void)
{
	static const char *const hidden[] = {
		"f<font color=white>x</font>uck",
		"f<font color=\"#FFFFFF\">x</font>uck",
		"f<font color=ffffff>x</font>uck",
		"f<span style=\"color:#fff\">x</span>uck",
		"f<span style=\"color: rgb(255, 255, 255)\">x</span>uck",
		"f<span style=\"color:rgb(100% 100% 100%)\">x</span>uck",
		"f<span style=\"color:hsl(0, 0%, 100%)\">x</span>uck",
		"f<span style=\"color:hsl(1e40, 0%, 100%)\">x</span>uck",
		"f<span style=\"color:#fefefe\">x</span>uck",
		"<style>.w{color:White}</style>f<span class=w>x</span>uck",
		"<body bgcolor=black text=white>f<font color=\"#000\">x</font>uck</body>",
		"<table bgcolor=\"#ff0000\"><tr><td>f<font color=red>x</font>uck</td></tr></table>",
		"<div style=\"background:#00f;color:white\">f<span style=\"color:blue\">x</span>uck</div>",
		"<div style=\"background-color:rgb(0,128,0); color:#fff\">f<font color=green>x</font>uck</div>",
		"<style>td{background:black none}</style><table><tr><td style=\"color:white\">f<b style=\"color:black\">x</b>uck</table>",
		"<div style=\"background:black;color:white\">f<span style=\"background:white\"><font color=white>x</font></span>uck</div>",
		"<style>html{background:black} body{color:white}</style>f<font color=black>x</font>uck",
	};
	static const char *const shown[] = {
		"f<font color=red>x</font>uck",
		"f<font color=\"#ddd\">x</font>uck",
		"f<font color=chucknorris>x</font>uck",
		"f<span style=\"color:rgb(nan, 1e99, -1e99)\">x</span>uck",
		"<div style=\"background:black;color:white\">f<font color=white>x</font>uck</div>",
		"<body bgcolor=black text=white>f</body><font color=white>x</font>uck",
		"f<span style=\"background:url(a.png) white\"><font color=white>x</font></span>uck",
		"f<span style=\"background-color:#fff;background-image:linear-gradient(red,blue)\"><font color=white>x</font></span>uck",
		"<table><tr><td background=a.png>f<font color=white>x</font>uck</td></tr></table>",
		"f<span style=\"background:rgba(0,0,0,0.5)\"><font color=white>x</font></span>uck",
		"f<font color=white><a href=x>x</a></font>uck",
		"f<mark><font color=white>x</font></mark>uck",
		"<style>.d .x{background:black}</style>f<span class=x style=\"color:white\">x</span>uck",
		"<style>.D{background:black}</style>f<span class=d style=\"color:white\">x</span>uck",
		"<style>.x{background:black} @media print{.x{background:white}}</style>f<span class=x style=\"color:white\">x</span>uck",
		"<style>body{background:#333;color:#fff}</style>f<font color=white>x</font>uck",
	};
	GString *html = g_string_new("<style>");

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "text the colour of its background hides");
	shown_ok(shown, G_N_ELEMENTS(shown), "text on another or an unknown background is shown");
	/* a background past the rules kept must not leave white text on white */
	for (int i = 0; i < 200; i++)
		g_string_append_printf(html, ".j%d{color:red}", i);
	g_string_append(html, ".x{background:black}</style>f<span class=x style=\"color:white\">x</span>uck");
	ok(!shown_has(html->str, "fuck"), "a background past 200 rules: white text on it is shown");
	g_string_free(html, TRUE);
}

/* test_attribute_selectors - a rule keyed by an attribute hides what has
 * it (its value, a word of it, a prefix); not what has another, nor the
 * same attribute a second time in a tag */
static void test_attribute_selectors(void)
{
	static const char *const hidden[] = {
		"<style>[data-x]{display:none}</style>f<span data-x>x</span>uck",
		"<style>span[title=\"a\"]{display:none}</style>f<span title=a>x</span>uck",
		"<style>[class~=q]{font-size:0}</style>f<span class=\"p q\">x</span>uck",
		"<style>[lang|=en]{visibility:hidden}</style>f<i lang=en-GB>x</i>uck",
		"<style>[data-h^=hi]{display:none}</style>f<span data-h=hide>x</span>uck",
		"<style>[title='A' i]{display:none}</style>f<span title=a>x</span>uck",
		"<style>[data-a][data-b]{display:none}</style>f<span data-a data-b>x</span>uck",
		"<style>[DATA-X=\"1\"]{display:none}</style>f<SPAN Data-X=1>x</SPAN>uck",
		"<style>[data-a-rather-long-attribute-name]{opacity:0}</style>f<span data-a-rather-long-attribute-name>x</span>uck",
		"<style>div [data-x]{display:none}</style>f<span data-x>x</span>uck",
		"<style>[lang=en]{display:none}</style>f<span lang=EN>x</span>uck",
		"<style>span[dir=\"rtl\"]{font-size:0}</style>f<span dir=RTL>x</span>uck",
		"<style>[type=text]{display:none}</style>f<span type=Text>x</span>uck",
		("<style>[data-x]{display:none}</style>f<span a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2 b3 b4 b5 b6 b7 b8 b9 c1 c2 c3 "
		 "c4 c5 c6 c7 c8 c9 d1 d2 d3 d4 d5 d6 d7 d8 d9 data-x>x</span>uck"),
	};
	static const char *const shown[] = {
		"<style>[data-x]{display:none}</style>f<span data-y>x</span>uck",
		"<style>span[title=a]{display:none}</style>f<span title=ab>x</span>uck",
		"<style>span[title=a]{display:none}</style>f<b title=a>x</b>uck",
		"<style>[title=a]{display:none}</style>f<span title=b title=a>x</span>uck",
		"<style>[class~=q]{display:none}</style>f<span class=qq>x</span>uck",
		"<style>[lang|=en]{display:none}</style>f<i lang=english>x</i>uck",
		"<style>[title~=\"\"]{display:none}</style>f<span title=a>x</span>uck",
		"<style>[data-x]{display:none} [data-x=\"1\"]{display:inline}</style>f<span data-x=1>x</span>uck",
		"<style>[data-x]::after{display:none}</style>f<span data-x>x</span>uck",
		"<style>span[title=\"a\"]{display:none}</style>f<span title=A>x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "a rule keyed by an attribute hides");
	shown_ok(shown, G_N_ELEMENTS(shown), "a rule for another attribute or value hides nothing");
}

/* test_custom_properties - var() of a custom property hides as its value
 * would, the property set in a style attribute, a rule or an ancestor; a
 * closer one, one not set, or one a rule read in part sets does not */
static void test_custom_properties(void)
{
	static const char *const hidden[] = {
		"f<span style=\"--h:none; display:var(--h)\">x</span>uck",
		"<div style=\"--h:none\">f<span style=\"display:var(--h)\">x</span>uck</div>",
		"<style>:root{--h:hidden}</style>f<span style=\"visibility:var(--h)\">x</span>uck",
		"<style>:ROOT{--z:0}</style>f<span style=\"font-size:VAR(--z)\">x</span>uck",
		"<style>.x{--c:white; color:var(--c)}</style>f<span class=x>x</span>uck",
		"<style>body{--o:0} .x{opacity:var(--o)}</style>f<span class=x>x</span>uck",
		"<style>*{--h:none}</style>f<span style=\"display:var( --h )\">x</span>uck",
		"f<span style=\"display:var(--not-set, none)\">x</span>uck",
		"<style>:root{--bg:black}</style><div style=\"background:var(--bg);color:white\">f<font color=black>x</font>uck</div>",
	};
	static const char *const shown[] = {
		"f<span style=\"display:var(--h)\">x</span>uck",
		"<div style=\"--h:none\">f<span style=\"--h:inline; display:var(--h)\">x</span>uck</div>",
		"<style>:root{--h:none} .x{display:var(--h)}</style>f<span class=x style=\"--h:inline\">x</span>uck",
		"<div style=\"--h:none\"></div>f<span style=\"display:var(--h)\">x</span>uck",
		"<style>.d .x{--h:none} .x{display:var(--h)}</style>f<span class=x>x</span>uck",
		"<div style=\"--h:none\">f<span style=\"--a:1;--b:1;--c:1;--d:1;--h:inline;display:var(--h)\">x</span>uck</div>",
		"<style>:root{--c:white}</style>f<span style=\"color:var(--c); background:black\">x</span>uck",
	};

	hidden_ok(hidden, G_N_ELEMENTS(hidden), "var() of a custom property that hides, hides");
	shown_ok(shown, G_N_ELEMENTS(shown), "var() of one that shows, is not set, or is not known hides nothing");
}

int main(void)
{
	test_style_rules();
	test_style_rules_read_as_browsers();
	test_style_rules_not_hiding();
	test_attribute_selectors();
	test_rules_at_times();
	test_rules_past_the_cap();
	test_faint();
	test_same_colour();
	test_custom_properties();
	test_first_style_counts();
	test_hidden_still_read();
	test_hostile();
	return done_testing();
}
