/* textnorm_lookalike.c - which letters of other scripts and which symbols
 * are written for a plain Latin letter to get past a word filter: Cyrillic
 * and Greek look-alikes, and what "fancy text" generators use (small
 * capitals, letters of Cherokee, Lisu, Armenian and Canadian syllabics,
 * negative circled and squared letters, regional indicators). NFKD folds
 * none of these; the ones it does fold (math letters, circled, squared,
 * fullwidth) never get here. */
#include "config.h"
#include <stdlib.h>
#include "textnorm_lookalike.h"

/* Lower case (as g_unichar_tolower leaves them), kept sorted by init_table.
 * Only letters that stand for one Latin letter in the fonts pupils see. */
static struct lookalike { gunichar from; char to; } table[] = {
	/* Cyrillic */
	{ 0x0430, 'a' }, { 0x0432, 'b' }, { 0x0435, 'e' }, { 0x043a, 'k' }, { 0x043c, 'm' },
	{ 0x043d, 'h' }, { 0x043e, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0442, 't' },
	{ 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0455, 's' }, { 0x0456, 'i' }, { 0x0458, 'j' },
	{ 0x0501, 'd' }, { 0x04bb, 'h' }, { 0x0451, 'e' }, { 0x0457, 'i' }, { 0x04cf, 'l' },
	/* Greek; final sigma is what NFKC makes of the lunate ϲ */
	{ 0x03b1, 'a' }, { 0x03b2, 'b' }, { 0x03b5, 'e' }, { 0x03b9, 'i' }, { 0x03ba, 'k' },
	{ 0x03bd, 'v' }, { 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' }, { 0x03c5, 'u' },
	{ 0x03c7, 'x' }, { 0x03b7, 'n' }, { 0x03c9, 'w' }, { 0x03bc, 'u' }, { 0x03c2, 'c' },
	/* Latin letters of IPA and fancy text: script g, script a, f with hook,
	 * dotless i and j, letters with hooks, curls and strokes; the open o,
	 * which upside-down text uses for a turned c (its words have other
	 * turned letters), but Akan, Ewe and Lingala write as a letter ("Kɔfi") */
	{ 0x0254, 'c' }, { 0x0261, 'g' }, { 0x0251, 'a' }, { 0x0192, 'f' }, { 0x0131, 'i' }, { 0x0237, 'j' },
	{ 0x0266, 'h' }, { 0x0268, 'i' }, { 0x0236, 't' }, { 0x0253, 'b' }, { 0x0257, 'd' },
	{ 0x0256, 'd' }, { 0x0260, 'g' }, { 0x0271, 'm' }, { 0x0272, 'n' }, { 0x027c, 'r' },
	{ 0x0282, 's' }, { 0x0290, 'z' }, { 0x0255, 'c' }, { 0x028b, 'v' },
	/* small capitals ("ꜰᴜᴄᴋ"); there is no small capital x */
	{ 0x1d00, 'a' }, { 0x0299, 'b' }, { 0x1d04, 'c' }, { 0x1d05, 'd' }, { 0x1d07, 'e' },
	{ 0xa730, 'f' }, { 0x0262, 'g' }, { 0x029c, 'h' }, { 0x026a, 'i' }, { 0x1d0a, 'j' },
	{ 0x1d0b, 'k' }, { 0x029f, 'l' }, { 0x1d0d, 'm' }, { 0x0274, 'n' }, { 0x1d0f, 'o' },
	{ 0x1d18, 'p' }, { 0x0280, 'r' }, { 0xa731, 's' }, { 0x1d1b, 't' }, { 0x1d1c, 'u' },
	{ 0x1d20, 'v' }, { 0x1d21, 'w' }, { 0x028f, 'y' }, { 0x1d22, 'z' },
	/* Armenian */
	{ 0x057d, 'u' }, { 0x0578, 'n' }, { 0x0585, 'o' }, { 0x0570, 'h' }, { 0x0581, 'g' },
	{ 0x0566, 'q' }, { 0x0575, 'j' }, { 0x0586, 's' }, { 0x0584, 'p' },
	/* Cherokee capitals, and the small letters tolower makes of them */
	{ 0x13aa, 'a' }, { 0x13f4, 'b' }, { 0x13df, 'c' }, { 0x13a0, 'd' }, { 0x13ac, 'e' },
	{ 0x13c0, 'g' }, { 0x13bb, 'h' }, { 0x13a5, 'i' }, { 0x13ab, 'j' }, { 0x13e6, 'k' },
	{ 0x13de, 'l' }, { 0x13b7, 'm' }, { 0x13e2, 'p' }, { 0x13d2, 'r' }, { 0x13da, 's' },
	{ 0x13a2, 't' }, { 0x13d9, 'v' }, { 0x13b3, 'w' }, { 0x13c3, 'z' }, { 0x13bd, 'y' },
	{ 0x13cf, 'b' }, { 0x13c2, 'h' }, { 0x13d4, 'w' }, { 0x13d5, 's' },
	{ 0xab7a, 'a' }, { 0x13fc, 'b' }, { 0xabaf, 'c' }, { 0xab70, 'd' }, { 0xab7c, 'e' },
	{ 0xab90, 'g' }, { 0xab8b, 'h' }, { 0xab75, 'i' }, { 0xab7b, 'j' }, { 0xabb6, 'k' },
	{ 0xabae, 'l' }, { 0xab87, 'm' }, { 0xabb2, 'p' }, { 0xaba2, 'r' }, { 0xabaa, 's' },
	{ 0xab72, 't' }, { 0xaba9, 'v' }, { 0xab83, 'w' }, { 0xab93, 'z' }, { 0xab8d, 'y' },
	{ 0xab9f, 'b' }, { 0xab92, 'h' }, { 0xaba4, 'w' }, { 0xaba5, 's' },
	/* Canadian syllabics ("ᖴᑌᑕK") */
	{ 0x15e9, 'a' }, { 0x15f7, 'b' }, { 0x1455, 'c' }, { 0x15ea, 'd' }, { 0x15f4, 'e' },
	{ 0x15b4, 'f' }, { 0x157c, 'h' }, { 0x148d, 'j' }, { 0x14aa, 'l' }, { 0x15f0, 'm' },
	{ 0x144e, 'n' }, { 0x146d, 'p' }, { 0x1587, 'r' }, { 0x1515, 's' }, { 0x144c, 'u' },
	{ 0x142f, 'v' }, { 0x15ef, 'w' }, { 0x1614, 'z' },
	/* Lisu, drawn as Latin capitals */
	{ 0xa4ee, 'a' }, { 0xa4d0, 'b' }, { 0xa4da, 'c' }, { 0xa4d3, 'd' }, { 0xa4f0, 'e' },
	{ 0xa4dd, 'f' }, { 0xa4d6, 'g' }, { 0xa4e7, 'h' }, { 0xa4f2, 'i' }, { 0xa4d9, 'j' },
	{ 0xa4d7, 'k' }, { 0xa4e1, 'l' }, { 0xa4df, 'm' }, { 0xa4e0, 'n' }, { 0xa4f3, 'o' },
	{ 0xa4d1, 'p' }, { 0xa4e3, 'r' }, { 0xa4e2, 's' }, { 0xa4d4, 't' }, { 0xa4f4, 'u' },
	{ 0xa4e6, 'v' }, { 0xa4ea, 'w' }, { 0xa4eb, 'x' }, { 0xa4ec, 'y' }, { 0xa4dc, 'z' },
};

/* Turned letters of upside-down text ("ʇᴉɥs"); n, u, d, p, b and q need
 * none, they turn into each other. Not the schwa (ə): it is a letter of
 * Azerbaijani, not a turned e (ǝ); nor the open o (ɔ, table above). */
static const struct { gunichar from; char to; } turned[] = {
	{ 0x0250, 'a' }, { 0x01dd, 'e' }, { 0x025f, 'f' }, { 0x0183, 'g' },
	{ 0x0265, 'h' }, { 0x1d09, 'i' }, { 0x027e, 'j' }, { 0x029e, 'k' }, { 0x026f, 'm' },
	{ 0x0279, 'r' }, { 0x0287, 't' }, { 0x028c, 'v' }, { 0x028d, 'w' }, { 0x028e, 'y' },
};

/* Blocks of 26 symbols, A to Z, that no decomposition turns into letters. */
static const gunichar alphabets[] = {
	0x1f150,	/* negative circled capitals */
	0x1f170,	/* negative squared capitals ("🅵🆄🅲🅺") */
	0x1f1e6,	/* regional indicators ("🇫🇺🇨🇰"; two in a row draw a flag) */
};

/* by_code - order of the table */
static int by_code(const void *a, const void *b)
{
	gunichar x = ((const struct lookalike *)a)->from, y = ((const struct lookalike *)b)->from;

	return (x > y) - (x < y);
}

/* init_table - sort the table (once), so it can be written in groups */
static void init_table(void)
{
	static gsize done;

	if (!g_once_init_enter(&done))
		return;
	qsort(table, G_N_ELEMENTS(table), sizeof(table[0]), by_code);
	g_once_init_leave(&done, 1);
}

/* es_tn_turned - see textnorm_lookalike.h */
char es_tn_turned(gunichar c)
{
	if (c < 0x0183 || c > 0x1d09)
		return 0;	/* most text: one compare */
	for (gsize i = 0; i < G_N_ELEMENTS(turned); i++)
		if (turned[i].from == c)
			return turned[i].to;
	return 0;
}

/* es_tn_lookalike - see textnorm_lookalike.h */
char es_tn_lookalike(gunichar c)
{
	struct lookalike key = { c, 0 }, *hit;

	for (gsize i = 0; i < G_N_ELEMENTS(alphabets); i++)
		if (c >= alphabets[i] && c < alphabets[i] + 26)
			return (char)('a' + (c - alphabets[i]));
	init_table();
	hit = bsearch(&key, table, G_N_ELEMENTS(table), sizeof(table[0]), by_code);
	return hit ? hit->to : 0;
}
