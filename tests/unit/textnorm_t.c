/* textnorm_t.c - the text normaliser: each folding it promises, the map back
 * to original offsets, and input that is not clean text */
#include "config.h"
#include <string.h>
#include "tap.h"
#include "textnorm.h"
#include "textnorm_priv.h"	/* how many blocks the fast path wrote */

#define ALL (ES_TN_LEET | ES_TN_JOIN_LETTERS | ES_TN_SKIP_ADDRESSES)

static const struct { const char *in; guint flags; const char *want; const char *what; } cases[] = {
	{ "Hello,   WORLD!", 0, "hello world", "lower case, one space between words, punctuation dropped" },
	{ "ｆｕｌｌｗｉｄｔｈ", 0, "fullwidth", "fullwidth forms folded (NFKC)" },
	{ "ﬁne café naïve", 0, "fine cafe naive", "ligatures folded and diacritics stripped" },
	{ "ѕоft ехаmрlе", 0, "soft example", "Cyrillic look-alikes become Latin" },
	{ "αβγ", 0, "abγ", "Greek look-alikes become Latin, other Greek letters stay" },
	{ "fμck µm", 0, "fuck um", "Greek mu (and the micro sign, NFKC's mu) pass for u" },
	{ "🅵🆄🅲🅺 🇫🇺🇨🇰 ꜰᴜᴄᴋ ᏚᎻᎥᎢ ᖴᑌᑕK ꓝꓴꓚꓗ fսck shıt ֆɦɨȶ", 0, "fuck fuck fuck shit fuck fuck fuck shit shit",
	  "fancy-text letters no decomposition folds: negative squared, regional indicators, small capitals, Cherokee, syllabics, Lisu, Armenian, dotless i, hooks" },
	{ "noʎ ʞɔnɟ ʇᴉɥs ǝɹ,noʎ punoq kʇɔ", 0, "you fuck shit you re punoq ctk",
	  "upside-down words read right way up: backwards, turned letters, n for u and the like; only words with a turned letter" },
	{ "Kɔfi Mɔnu", 0, "kcfi mcnu", "the open o alone is a letter (Akan, Ewe), not a turned c: the word is not turned round" },
	{ "f\u3164uck f\u115fuck", 0, "f uck f uck", "Hangul fillers are blank: white space" },
	{ "the UK 🇬🇧 flag", 0, "the uk gb flag", "a flag is two regional indicators: two letters" },
	{ "fu\u200bck soft\u00adware", 0, "fuck software", "zero-width space and soft hyphen vanish inside words" },
	{ "Straße", 0, "strasse", "sharp s folds to ss" },
	{ "f.u_c-k", 0, "fuck", "punctuation between single letters joins them" },
	{ "don't", 0, "dont", "apostrophe before a single letter joins" },
	{ "who're end.Then", 0, "who re end then", "punctuation between longer pieces separates" },
	{ "As's Kempis's", 0, "as kempis", "possessive 's dropped" },
	{ "f u c k off", ES_TN_JOIN_LETTERS, "fuck off", "spaced single letters joined" },
	{ "f u c k off", 0, "f u c k off", "spaced letters left alone without the flag" },
	{ "a b", ES_TN_JOIN_LETTERS, "a b", "two single letters are not joined" },
	{ "5h1t 4ss b!+ch c()ck", ES_TN_LEET, "shIt ass bitch cock", "leetspeak read; 1 written as I for the matcher" },
	{ "ni66a fa66ot Y6 6th", ES_TN_LEET, "nigga faggot yg 6th", "a 6 in a word is a g; a number with a unit is not" },
	{ "@$$h073", ES_TN_LEET, "asshoTe", "7 written as T for the matcher" },
	{ "45s 3rd 10pm 1990s", ES_TN_LEET, "45s 3rd 10pm 1990s", "numbers with units are not leetspeak" },
	{ "2024-04-20,widget-455,$455.00,Smith", ES_TN_LEET, "2024 04 20 widget 455 455.00 smith",
	  "numbers inside a word with letters are not leetspeak; points and commas between numbers join them" },
	{ "14.88 1,488 14/88 x455 a55", ES_TN_LEET, "14.88 1.488 14 88 xass ass", "a price is one word; a slash splits; digits beside letters are leetspeak" },
	{ "call me at 9, 2 4 u", ES_TN_LEET, "call me at 9 2 4 u", "digits alone stay digits" },
	{ "hello!! wow!", ES_TN_LEET, "hello wow", "! at the end of a word is punctuation" },
	{ "f*ck f**k *star* #tag", ES_TN_LEET, "f*ck f**k star* tag", "* inside a word is a masked letter, not at the start" },
	{ "f*u*c*k s#h#i#t a*b x*y*", ES_TN_LEET, "fuck shit a*b x*y*", "a star between each of 3+ single letters separates them" },
	{ "f|u|c|k k+y+s f+u*c+k b!t!c!h x|y a+b", ES_TN_LEET, "fuck kys fuck btch xIy atb",
	  "the same leetspeak symbol between each of 3+ single characters separates them too" },
	{ "c.nt wh.re sl--t (tw_t) don't he/she fat-ass e.g co-op", ES_TN_LEET, "c*nt wh*re sl**t tw*t dont he she fat ass eg co*op",
	  "dots or dashes inside a short word of two pieces mask letters; not apostrophes, slashes, longer words, two single letters" },
	{ "c.nt wh.re", 0, "cnt wh re", "without ES_TN_LEET they join or split as other punctuation" },
	{ "kiII sIut I If BIG McIntyre", ES_TN_LEET, "kiII sIut i if big mcIntyre", "an I after a lower-case letter may be an l: written as I" },
	{ "kiII", 0, "kiii", "an I is an i without ES_TN_LEET" },
	{ "abcdefghijklmnopqrstIvwxyz abcdefghijklmnoI abcdefghijklmno Ixyz", ES_TN_LEET,
	  "abcdefghijklmnopqrstIvwxyz abcdefghijklmnoI abcdefghijklmno ixyz", "an I past sixteen letters, at the sixteenth, and starting the next word" },
	{ "a $ s", ES_TN_LEET | ES_TN_JOIN_LETTERS, "ass", "spaced letters and symbols joined then read" },
	{ "see http://t.co/x and www.x.com, @user or bob@example.org ok", ALL, "see and or ok",
	  "URLs, e-mail addresses and handles left out" },
	{ "to SH17 2FU, DA1 4SS or sw1a 1aa now", ALL, "to or now",
	  "UK postcodes left out: leetspeak would read SH17 as shit and 4SS as ass" },
	{ "SH1T happens, an A55 and 4SS", ALL, "shIt happens an ass and ass",
	  "either half alone, or two halves with a word between, is still read" },
	{ "DA1 hello 4SS", ALL, "daI hello ass", "a plain word between the halves: not a postcode" },
	{ "“““quoted”””", 0, "quoted", "curly quotes are punctuation" },
	{ "ы", 0, "ы", "letters of other scripts kept" },
	{ "The quick brown\nfox jumps  over a lazy\tdog, I saw It\r\nyes", ALL,
	  "the quick brown fox jumps over a lazy dog i saw it yes", "prose: white space of every kind, single letters, an I first in a word" },
	{ "", ALL, "", "empty text" },
	{ "  \t\n ", ALL, "", "only white space" },
};

/* test_cases - each folding in the table */
static void test_cases(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = es_textnorm_string(cases[i].in, -1, cases[i].flags);

		is_str(got, cases[i].want, "%s", cases[i].what);
		g_free(got);
	}
}

/* test_as_shown - a right-to-left override shows what follows backwards */
static void test_as_shown(void)
{
	const char *in = "hi \u202ekcuf uoy\u202c ok \u202eflesruoy llik\nyou \u202eыб\u202d x fu\u202ekc \xff\u202e\xe2\x80";
	gsize n;
	char *got = es_textnorm_as_shown(in, strlen(in), &n);
	es_textnorm tn;

	is_str(got, "hi you fuck ok kill yourself\nyou бы x fu\xff ck\xe2\x80",
	       "shown backwards to a pop, a left-to-right override or the line's end; characters kept whole, bad bytes too");
	ok(n == strlen(got), "length given");
	g_free(got);
	es_textnorm_init(&tn);
	es_textnorm_run(&tn, in, strlen(in), ALL);
	ok(tn.rtl_override, "the normaliser notes the override");
	es_textnorm_run(&tn, "kcuf", 4, ALL);
	ok(!tn.rtl_override, "and only when there is one");
	es_textnorm_clear(&tn);
}

/* test_map - output offsets lead back to the original bytes */
static void test_map(void)
{
	const char *in = "you f.u.c.k off, fučk";
	es_textnorm tn;
	gsize start, end;
	const char *hit;
	char *orig;

	es_textnorm_init(&tn);
	es_textnorm_run(&tn, in, strlen(in), ALL);
	is_str(tn.text, "you fuck off fuck", "normalised text");
	hit = strstr(tn.text, "fuck");
	es_textnorm_span(&tn, in, strlen(in), hit - tn.text, hit - tn.text + 4, &start, &end);
	orig = g_strndup(in + start, end - start);
	is_str(orig, "f.u.c.k", "first match maps back to the dotted original");
	g_free(orig);
	hit = strstr(hit + 1, "fuck");
	es_textnorm_span(&tn, in, strlen(in), hit - tn.text, hit - tn.text + 4, &start, &end);
	orig = g_strndup(in + start, end - start);
	is_str(orig, "fučk", "second match maps back over a two-byte letter");
	g_free(orig);
	for (gsize i = 1; i < tn.len; i++)
		if (tn.map[i] < tn.map[i - 1])
			ok(0, "map goes backwards at %zu", i);
	es_textnorm_clear(&tn);

	in = "oi ʞɔnɟ x";	/* upside down: the map runs backwards */
	es_textnorm_init(&tn);
	es_textnorm_run(&tn, in, strlen(in), ALL);
	hit = strstr(tn.text, "fuck");
	ok(hit != NULL, "upside-down word read");
	if (hit) {
		es_textnorm_span(&tn, in, strlen(in), hit - tn.text, hit - tn.text + 4, &start, &end);
		orig = g_strndup(in + start, end - start);
		is_str(orig, "ʞɔnɟ", "an upside-down match maps back to the whole word");
		g_free(orig);
	}
	es_textnorm_clear(&tn);
	es_textnorm_clear(&tn);
	ok(tn.text == NULL, "clear twice is safe");
}

/* test_bad_input - bytes that are not UTF-8, NULs, floods */
static void test_bad_input(void)
{
	static const char bad[] = "ab\xff\xfe" "cd\xc3 e\0f\xe2\x82";
	es_textnorm tn;
	char *stars = g_malloc(100001);
	gsize big = 2 * 1024 * 1024;	/* the detector, which works in chunks, gets 20 MB (language_t) */
	char *line = g_malloc(big);

	es_textnorm_init(&tn);
	es_textnorm_run(&tn, bad, sizeof(bad) - 1, ALL);
	is_str(tn.text, "ab cd e f", "invalid bytes and NUL count as spaces");
	ok(g_utf8_validate(tn.text, tn.len, NULL), "output is valid UTF-8");

	memset(stars, '*', 100000);
	stars[100000] = '\0';
	es_textnorm_run(&tn, stars, 100000, ALL);
	is_int(tn.len, 0, "100,000 stars give nothing to match");

	memset(line, 'a', big);
	memcpy(line + big - 4, " kys", 4);
	es_textnorm_run(&tn, line, big, ALL);
	is_int(tn.len, big, "a 2 MB single line is normalised whole");
	is_str(tn.text + tn.len - 4, " kys", "and its end is there");
	es_textnorm_clear(&tn);
	g_free(stars);
	g_free(line);
}

/* test_ascii_lower - A-Z only are lowered, at every length and offset
 * (the sixteen-byte blocks and the bytes after them), other bytes kept */
static void test_ascii_lower(void)
{
	char in[256], want[256], *line;
	gboolean same = TRUE;

	for (int i = 0; i < 256; i++) {
		in[i] = (char)(i == 0 ? 'Q' : i);	/* every byte value, '@' '[' and 0x80.. around A-Z */
		want[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
	}
	for (gsize off = 0; off < 17; off++)
		for (gsize len = 0; off + len <= 256; len += 7) {
			char *got = es_ascii_lower(in + off, len);

			same &= memcmp(got, want + off, len) == 0 && got[len] == '\0';
			g_free(got);
		}
	ok(same, "es_ascii_lower: A-Z lowered, every other byte kept, at every offset and length");
	line = es_ascii_lower("Date Of Birth: 12 MARCH 2010, ÉCOLE", 36);

	is_str(line, "date of birth: 12 march 2010, École", "es_ascii_lower: a line longer than a block, UTF-8 untouched");
	g_free(line);
}

/* test_blocks - runs of plain words are written sixteen bytes at a time;
 * on random text made to look like prose (words of every length, an 'I'
 * first and inside words, single letters, punctuation, digits, an accent,
 * white space of every kind and doubled), the text and every offset of the
 * map are exactly those of the word-at-a-time path */
static void test_blocks(void)
{
	static const char *const seps[] = { " ", " ", " ", " ", " ", " ", "\n", "\t", "  ", "\r\n", ", ", ". " };
	static const guint flag_sets[] = { ALL, 0, ES_TN_JOIN_LETTERS, ES_TN_LEET };
	GRand *rnd = g_rand_new_with_seed(20261125);
	es_textnorm a, b;
	guint differ = 0, blocks_ok = 0;

	es_textnorm_init(&a);
	es_textnorm_init(&b);
	for (int n = 0; n < 3000; n++) {
		GString *t = g_string_new(NULL);
		int words = g_rand_int_range(rnd, 1, 60);
		guint flags = flag_sets[n % G_N_ELEMENTS(flag_sets)];

		for (int w = 0; w < words; w++) {
			int kind = g_rand_int_range(rnd, 0, 20), wl = g_rand_int_range(rnd, 1, 12);

			for (int c = 0; c < wl; c++) {
				int r = g_rand_int_range(rnd, 0, 60);

				if (kind == 0 && c == wl / 2)
					g_string_append(t, r < 20 ? "'" : r < 40 ? "7" : "\xc3\xa9");
				else if (r == 0)
					g_string_append_c(t, 'I');
				else
					g_string_append_c(t, (char)((r % 2 ? 'a' : 'A') + r % 26));
			}
			if (kind == 1)
				g_string_truncate(t, t->len - (gsize)wl + 1);	/* a single letter */
			g_string_append(t, seps[g_rand_int_range(rnd, 0, G_N_ELEMENTS(seps))]);
		}
		es_textnorm_run(&a, t->str, t->len, flags);
		es_textnorm_run(&b, t->str, t->len, flags | ES_TN_NO_BLOCKS);
		if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0 ||
		    memcmp(a.map, b.map, a.len * sizeof(*a.map)) != 0) {
			if (differ++ == 0)
				diag("differs on [%s]: [%s] against [%s]", t->str, a.text, b.text);
		}
		blocks_ok += ((const scratch *)a.priv)->blocks > 0;
		g_string_free(t, TRUE);
	}
	is_int(differ, 0, "sixteen bytes at a time write what one word at a time does, map and all");
#ifdef __SSE2__
	ok(blocks_ok > 1000, "the fast path wrote blocks in most of the texts (%u)", blocks_ok);
#endif
	es_textnorm_clear(&a);
	es_textnorm_clear(&b);
	g_rand_free(rnd);
}

int main(void)
{
	test_cases();
	test_ascii_lower();
	test_map();
	test_as_shown();
	test_bad_input();
	test_blocks();
	return done_testing();
}
