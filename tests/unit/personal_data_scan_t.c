/* personal_data_scan_t.c - the personal-data scanner on its own: every type
 * found in its written forms, context raising and lowering confidence,
 * checksum failures never reported, and bad input (huge numbers, only digits
 * and separators, near-misses) handled in one pass without a crash */
#include "config.h"
#include <string.h>
#include "pd_scan.h"
#include "tap.h"

static pd_rules *rules;

/* count - how many matches of TYPE (a type name) TEXT has; ALL: of any type */
static int count(const char *text, const char *type)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(pd_match));
	int n = 0, t = pd_type_parse(type);

	pd_scan_text(rules, text, strlen(text), out);
	for (guint i = 0; i < out->len; i++)
		if (!type || g_array_index(out, pd_match, i).type == (pd_type)t)
			n++;
	g_array_free(out, TRUE);
	return n;
}

/* expect - TEXT has WANT matches of TYPE (NULL: of any type); the text is
 * shown escaped so the TAP line stays one line */
static void expect(const char *text, const char *type, int want)
{
	char *shown = g_strescape(text, NULL);

	is_int(count(text, type), want, "%s %s in: %s", want ? "found" : "no",
	       type ? type : "match", shown);
	g_free(shown);
}

#define yes(text, type) expect(text, type, 1)
#define no(text, type) expect(text, type, 0)

/* test_identifiers - UPN, ULN, NHS, NINO, passport, licence */
static void test_identifiers(void)
{
	yes("Pupil UPN: B801200005001", "upn");
	no("Pupil UPN: A801200005001", "upn");
	yes("ULN 0000000042", "uln");
	no("reference 0000000042", "uln");		/* ULN needs its context */
	yes("NHS number 401 023 2137", "nhs_number");
	yes("401-023-2137", "nhs_number");
	yes("0032698674", "nhs_number");
	no("NHS number 401 023 2138", "nhs_number");	/* bad check digit */
	no("NHS number 401 023 2138", NULL);
	no("Order number 401 023 2137", "nhs_number");	/* context lowers it */
	no("x401 023 2137", "nhs_number");
	yes("nino: PR 123612C", "nino");
	yes("Here is my National Insurance Number YZ 61 48 68 B", "nino");
	yes("tw987654a", "nino");
	no("AA 12 34 56 H", "nino");
	no("AB123456", "nino");				/* no suffix and no context: a reference? */
	yes("NI number AB123456", "nino");
	no("AB 12 34 56 1", "nino");
	no("BG123612A", "nino");
	no("UV 98 76 54 B", "nino");
	yes("My passport number is CD7654321 and it expires soon", "passport");
	no("AB 1234567", "passport");
	no("XYZAB1234567QRS", "passport");
	yes("Licence: MORGA607054SM9IJ ok", "driving_licence");
	yes("SMITH862310AB1CD", "driving_licence");	/* woman, 31 December */
	no("MORGA613054SM9IJ", "driving_licence");	/* month 13 */
	no("MORGA601324SM9IJ", "driving_licence");	/* day 32 */
	no("MO9G9657054SM9IJ", "driving_licence");	/* padding inside the surname */
}

/* span - the text of the first match of TYPE in TEXT, and in *NORM its
 * normalised value (both NULL if none); g_free both */
static char *span(const char *text, const char *type, char **norm)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(pd_match));
	char *s = NULL;

	*norm = NULL;
	pd_scan_text(rules, text, strlen(text), out);
	for (guint i = 0; i < out->len && !s; i++) {
		const pd_match *m = &g_array_index(out, pd_match, i);

		if (m->type == (pd_type)pd_type_parse(type)) {
			s = g_strndup(text + m->start, m->end - m->start);
			*norm = pd_normalise(text, m);
		}
	}
	g_array_free(out, TRUE);
	return s;
}

/* expect_span - TEXT holds WANT, found as TYPE, whose value is VALUE */
static void expect_span(const char *text, const char *type, const char *want, const char *value)
{
	char *norm, *got = span(text, type, &norm), *shown = g_strescape(text, NULL);

	is_str(got, want, "%s found with its whole extent in: %s", type, shown);
	is_str(norm, value, "%s value %s in: %s", type, value, shown);
	g_free(shown);
	g_free(norm);
	g_free(got);
}

/* test_unicode_separators - no-break, figure and narrow no-break spaces
 * (U+00A0, U+2007, U+202F) and Unicode hyphens and dashes (U+2010..U+2013)
 * split groups as ASCII spaces and dashes do: a reader sees no difference,
 * and word processors put them there to keep a number on one line */
static void test_unicode_separators(void)
{
	expect_span("NHS number 401\u00a0023\u00a02137 ok", "nhs_number", "401\u00a0023\u00a02137", "4010232137");
	expect_span("NHS number 401\u2007023\u20072137", "nhs_number", "401\u2007023\u20072137", "4010232137");
	expect_span("NHS: 401\u202f023 2137.", "nhs_number", "401\u202f023 2137", "4010232137");
	expect_span("401\u2011023\u20112137", "nhs_number", "401\u2011023\u20112137", "4010232137");
	expect_span("401\u2013023\u20102137", "nhs_number", "401\u2013023\u20102137", "4010232137");
	no("NHS number 401\u00a0023\u00a02138", "nhs_number");	/* bad check digit */
	no("NHS number 401\u2014023\u20142137", "nhs_number");	/* an em dash splits sentences */
	expect_span("National Insurance Number YZ\u00a061\u00a048\u00a068\u00a0B.", "nino",
		    "YZ\u00a061\u00a048\u00a068\u00a0B", "YZ614868B");
	expect_span("nino: PR\u202f123612C", "nino", "PR\u202f123612C", "PR123612C");
	no("AB\u00a012\u00a034\u00a056\u00a01", "nino");
	expect_span("card 4012\u00a08888\u00a08888\u00a01881", "card", "4012\u00a08888\u00a08888\u00a01881",
		    "4012888888881881");
	expect_span("IBAN GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032", "iban",
		    "GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032", "GB82WEST12345698765432");
	expect_span("text me on 07700\u00a0900123", "phone", "07700\u00a0900123", "07700900123");
	is_int(count("401\u00a0023\u00a02137 401 023 2137 4010232137", "nhs_number"), 3,
	       "one NHS number in three written forms is found three times");
}

/* test_grouped_upn - a UPN written in groups, as people copy it out: split
 * by spaces or dashes (ASCII or pd_sep_len's Unicode ones), the check letter
 * still deciding; a lone letter before a space needs context */
static void test_grouped_upn(void)
{
	expect_span("UPN B801 2000 05001 ok", "upn", "B801 2000 05001", "B801200005001");
	expect_span("B-8012-0000-5001", "upn", "B-8012-0000-5001", "B801200005001");
	expect_span("pupil number B 801 2000 05 001", "upn", "B 801 2000 05 001", "B801200005001");
	expect_span("UPN: B801\u00a02000\u201305001.", "upn", "B801\u00a02000\u201305001", "B801200005001");
	expect_span("P-2070-0001-6049", "upn", "P-2070-0001-6049", "P207000016049");
	expect_span("M801 2000 0500A", "upn", "M801 2000 0500A", "M80120000500A");	/* temporary */
	no("UPN B801 2000 05002", "upn");		/* check letter fails */
	no("UPN A801 2000 05001", "upn");
	no("UPN B801 2000 0500 1", "upn");		/* a one-digit group */
	no("UPN B801 2000 05001X", "upn");
	no("UPN B801--2000--05001", "upn");		/* one separator between groups */
	no("Results A 2019 2020 2021", "upn");		/* passes both checks: needs context */
	yes("UPN: A 2019 2020 2021", "upn");
	no("Rooms B 80 12 00 00 50 01", "upn");
	no("Table A-1 2019 2020", NULL);
}

/* test_lookalike_digits - O or o for 0, l or I for 1, read where a check
 * digit or letter still confirms the number (a NINO, without one, takes
 * only O, and only with its suffix); never in words or ordinary numbers */
static void test_lookalike_digits(void)
{
	expect_span("NHS 943 476 59l9", "nhs_number", "943 476 59l9", "9434765919");
	expect_span("NHS number 4O1 O23 2137 ok", "nhs_number", "4O1 O23 2137", "4010232137");
	expect_span("NHS: OO3 269 8674", "nhs_number", "OO3 269 8674", "0032698674");
	expect_span("nhs no. 4o1o232I37", "nhs_number", "4o1o232I37", "4010232137");
	expect_span("UPN B8O12000O5001", "upn", "B8O12000O5001", "B801200005001");
	expect_span("UPN B801 2OOO O5OO1", "upn", "B801 2OOO O5OO1", "B801200005001");
	expect_span("card 4O12 8888 8888 l88l", "card", "4O12 8888 8888 l88l", "4012888888881881");
	expect_span("nino: AB 12 34 5O C", "nino", "AB 12 34 5O C", "AB123450C");
	expect_span("NI number TW98765OA", "nino", "TW98765OA", "TW987650A");
	no("NHS 4O1 O23 2138", "nhs_number");		/* check digit fails */
	no("NHS 401 lOl 2130", "nhs_number");		/* 401 101 2130 is valid; a group of letters is a word */
	no("NHS lO1 Ol2 lOO6", "nhs_number");		/* 101 012 1006 is valid; mostly letters */
	no("NHS 40 1O 23 21 37", "nhs_number");	/* not an NHS number's grouping */
	no("path d=\"m-7.45-3.91l1.41 1.41\"", NULL);	/* SVG: 7.45-3.91l1.41 passes mod 11 */
	yes("sort code 20-00-00", "bank_account");
	no("sort code 2O-00-00", "bank_account");	/* no checksum to confirm the O */
	no("NI number AB12345O", "nino");		/* O without the suffix */
	no("NI number AB 12 34 5I C", "nino");		/* l and I: not in a NINO */
	no("NI number AB 1O O0 OO C", "nino");		/* more O than digits */
	no("I 401 023 2138 lol 100 Ol 2000 O 1O1 lOl", NULL);
	no("Go to room 1O1 on floor 2 or 10 o'clock", NULL);
	no("I'll call at 10 or 11 on 0l/02 or I 10 2 OO l", NULL);
	yes("I 401 023 2137", "nhs_number");		/* the word I stays a word */
}

/* nhs_in_script - "NHS 401 023 2137" with the digits of the script whose
 * zero is ZERO, and the number's bytes in *NUMBER; g_free both */
static char *nhs_in_script(gunichar zero, char **number)
{
	GString *s = g_string_new(NULL);
	const char *plain = "401 023 2137";

	for (const char *p = plain; *p; p++)
		if (*p == ' ')
			g_string_append_c(s, ' ');
		else
			g_string_append_unichar(s, zero + (gunichar)(*p - '0'));
	*number = g_strdup(s->str);
	g_string_prepend(s, "NHS ");
	g_string_append(s, " ok");
	return g_string_free(s, FALSE);
}

/* test_unicode_digits - texts reach the scanner as sent: digits of every
 * script GLib knows (fullwidth, Arabic-Indic, mathematical bold...) and
 * fullwidth letters are read as ASCII, the match still pointing into the
 * original text */
static void test_unicode_digits(void)
{
	int scripts = 0, found = 0;

	for (gunichar u = 0x80; u < 0x110000; u++) {
		char *number, *text, *got, *norm;

		if (g_unichar_digit_value(u) != 0 || g_unichar_digit_value(u + 9) != 9)
			continue;
		scripts++;
		text = nhs_in_script(u, &number);
		got = span(text, "nhs_number", &norm);
		if (g_strcmp0(got, number) == 0 && g_strcmp0(norm, "4010232137") == 0)
			found++;
		else
			diag("U+%04X: found %s, value %s", u, got ? got : "nothing", norm ? norm : "none");
		g_free(norm);
		g_free(got);
		g_free(text);
		g_free(number);
	}
	ok(scripts >= 60, "GLib knows %d scripts' digits", scripts);
	is_int(found, scripts, "an NHS number in the digits of each of them is found, whole");
	expect_span("NHS \uff14\uff10\uff11 \uff10\uff12\uff13 \uff12\uff11\uff13\uff17.", "nhs_number",
		    "\uff14\uff10\uff11 \uff10\uff12\uff13 \uff12\uff11\uff13\uff17", "4010232137");
	expect_span("NHS 4\u0660\u0661 023 2137", "nhs_number", "4\u0660\u0661 023 2137", "4010232137");
	expect_span("\uff14 apples, \U0001d7d3 pears: NHS \U0001d7d2\U0001d7ce\U0001d7cf\u00a0023\u00a02137 ok",
		    "nhs_number", "\U0001d7d2\U0001d7ce\U0001d7cf\u00a0023\u00a02137", "4010232137");
	expect_span("nino \uff21\uff22\uff11\uff12\uff13\uff14\uff15\uff16\uff23", "nino",
		    "\uff21\uff22\uff11\uff12\uff13\uff14\uff15\uff16\uff23", "AB123456C");
	expect_span("UPN \uff22\uff18\uff10\uff11\uff12\uff10\uff10\uff10\uff10\uff15\uff10\uff10\uff11",
		    "upn", "\uff22\uff18\uff10\uff11\uff12\uff10\uff10\uff10\uff10\uff15\uff10\uff10\uff11",
		    "B801200005001");
	expect_span("text me on \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", "phone",
		    "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", "07700900123");
	expect_span("DOB: \uff11\uff12\uff0f\uff10\uff13\uff0f\uff12\uff10\uff11\uff11", "dob",
		    "\uff11\uff12\uff0f\uff10\uff13\uff0f\uff12\uff10\uff11\uff11", "12032011");
	no("NHS \uff14\uff10\uff11 \uff10\uff12\uff13 \uff12\uff11\uff13\uff18", NULL);	/* check digit */
	no("\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59", NULL);	/* Thai digits listed */
	no("0123456789", NULL);		/* passes mod 11; a list of the digits, not an NHS number */
	no("\u0661\u0669\u0668\u0664 \u2013 \u0662\u0660\u0662\u0664, \uff12\uff10\uff12\uff14\u5e74", NULL);
	no("\uff28\uff45\uff4c\uff4c\uff4f \u00b9\u00b2\u00b3 \u2460\u2461", NULL);
	is_int(count("\xef\xbc\x94\xef\xbc 401 023 2137 \xf0\x9d\x9f", "nhs_number"), 1,
	       "cut and broken UTF-8 around a match, with fold lead bytes");
}

/* test_money - cards, bank accounts, IBAN */
static void test_money(void)
{
	is_int(count("4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881", "card"), 3,
	       "a card number in three written forms is found three times");
	no("my credit card number is 4012-8888-8888-1882", "card");
	no("my credit card number is 4012-8888-8888-1882", NULL);
	yes("sort code 20-00-00 account 12345678", "bank_account");
	yes("account number 12345678", "bank_account");
	no("order 12345678", "bank_account");
	yes("IBAN GB82 WEST 1234 5698 7654 32", "iban");
	yes("GB82WEST12345698765432", "iban");
	no("GB82WEST12345698765433", "iban");
	no("CY17 0020 0128 0000 0012 0052 7601", NULL);	/* bad IBAN: its groups are nothing else */
	no("(InterMail vM.4.01.03.27 201-229-121-127-20010626)", NULL);
	no("LV80 bANK 0000 4351 9500 1", "iban");		/* IBANs are written in capitals */
}

/* test_contact - phones, postcodes, addresses, emails */
static void test_contact(void)
{
	yes("text me on 07700 900123", "phone");
	yes("my number is +44 7700 900123", "phone");
	yes("call me 07700.900.123", "phone");
	yes("+44 (20) 7123 4567", "phone");
	yes("ring me on (020) 7123 4567", "phone");
	yes("my number is 0044 20 7123 4567", "phone");
	no("School office: 01632 960123", "phone");	/* an office number is not personal */
	no("call 0800 123 4567 free", "phone");		/* freephone: an organisation */
	no("0770090012", "phone");			/* one digit short */
	no("My US number is (415) 555-0132", NULL);
	no("My Japanese number is 090-1234-5678", "phone");	/* 09: premium rate in the UK */
	no("Sun Internet Mail Server sims.4.0.2000.10.12.16.25.p8", NULL);	/* version numbers */
	yes("My address is SW1A 1AA in London", "postcode");
	yes("GIR 0AA", "postcode");
	yes("EC1A1BB", "postcode");
	is_int(count("From SW1A 1AA to EC1A 1BB", "postcode"), 2, "two postcodes in one line");
	no("QA1 1AA", "postcode");
	no("M1 1CA", "postcode");
	no("ABCM11AADEF", "postcode");
	no("sw1a 1aa", "postcode");		/* lower case: too many words look like it */
	no("Oakwood Primary School, Long Lane, AB1 2CD", "postcode");
	yes("I live at 12 Acacia Avenue, Springfield", "address");
	yes("12 Acacia Avenue, London SW1A 1AA", "address");
	no("12 Acacia Avenue, London SW1A 1AA", "postcode");	/* inside the address */
	no("we walked 3 miles up the hill", "address");
	yes("my email is jo.bloggs@example.com.", "email");
	no("info@presidio.", "email");
	no("To unsubscribe: list-request@example.org", "email");
}

/* test_personal - dates of birth, credentials, meetings */
static void test_personal(void)
{
	yes("DOB: 12/03/2011", "dob");
	yes("date of birth 2011-03-12", "dob");
	yes("She was born on 3rd March 2012 in Leeds", "dob");
	yes("Birthday: March 3, 2012", "dob");
	expect_span("DOB: 12\u20131\u20132010.", "dob", "12\u20131\u20132010", "1212010");	/* en dash */
	expect_span("DOB 12\u20441\u20442010", "dob", "12\u20441\u20442010", "1212010");	/* fraction slash */
	expect_span("DOB 12\u22151\u22152010", "dob", "12\u22151\u22152010", "1212010");	/* division slash */
	expect_span("DOB 12\u22121\u22122010", "dob", "12\u22121\u22122010", "1212010");	/* minus sign */
	expect_span("DOB 12\u20241\u20242010", "dob", "12\u20241\u20242010", "1212010");	/* one dot leader */
	expect_span("date of birth 2010\u201101\u201112", "dob", "2010\u201101\u201112", "20100112");
	expect_span("born 12\u00a0March\u00a02010 in Leeds", "dob", "12\u00a0March\u00a02010", "12MARCH2010");
	expect_span("born on 3rd\u202fof\u202fMarch 2012", "dob", "3rd\u202fof\u202fMarch 2012", "3RDOFMARCH2012");
	expect_span("Birthday: March\u00a03,\u00a02012", "dob", "March\u00a03,\u00a02012", "MARCH32012");
	no("The trip is on 12\u20133\u20132011", "dob");	/* a date, not a birth date */
	no("DOB: 31\u20442\u20442011", "dob");		/* no such day */
	no("DOB: 12\u20131/2010", "dob");			/* two kinds of separator */
	no("DOB: 12\u20141\u20142010", "dob");		/* an em dash splits sentences, not dates */
	no("sort code 12\u201303\u201356", "dob");
	no("The trip is on 12/03/2011", "dob");		/* a date, not a birth date */
	no("DOB: 31/02/2011", "dob");			/* no such day */
	no("DOB: 12/03/2099", "dob");			/* not born yet */
	is_int(count("Name, DOB\nAmy, 01/02/2012\nBen, 03/04/2012\nCal, 05/06/2012", "dob"), 3,
	       "a DOB column heading makes each date in the list a date of birth");
	yes("my password is Tiger123!", "credentials");
	is_int(count("username: jbloggs password: hunter2", "credentials"), 2,
	       "username and password each found as credentials");
	no("your password is case-sensitive", "credentials");
	no("Forgot your password? Reset: https://example.com", "credentials");
	no("password:\n", "credentials");
	yes("meet me at the park after school", "meeting");
	yes("Lets meet up tonight", "meeting");
	no("the meeting is at 3pm", "meeting");
}

/* test_bad_input - one pass, no crash, nothing found in junk */
static void test_bad_input(void)
{
	GString *s = g_string_new(NULL);
	int n;

	for (int i = 0; i < 10000; i++)
		g_string_append_c(s, '0' + i % 10);
	is_int(count(s->str, NULL), 0, "a 10,000-digit number holds no identifier");
	g_string_truncate(s, 0);
	for (int i = 0; i < 200000; i++)
		g_string_append_c(s, i % 3 == 2 ? " -./()+"[i % 7] : '0' + (i * 7) % 10);
	n = count(s->str, NULL);
	ok(n >= 0, "200 KB of only digits and separators scanned (%d matches)", n);
	g_string_truncate(s, 0);
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "401 023 2138 ");	/* near-miss: fails its check digit */
	is_int(count(s->str, "nhs_number"), 0, "20,000 NHS near-misses: none reported");
	g_string_truncate(s, 0);
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "a@b@c.");
	ok(count(s->str, "email") == 0, "a long run of @ signs is no email address");
	g_string_truncate(s, 0);
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "password is password is ");
	ok(count(s->str, NULL) >= 0, "repeated credential phrases scanned");
	is_int(count("", NULL), 0, "empty text");
	is_int(count("\xff\xfe 401 023 2137 \xc3", "nhs_number"), 1, "bytes that are not UTF-8 around a match");
	g_string_free(s, TRUE);
}

int main(void)
{
	const char *srcdir = g_getenv("top_srcdir");
	char *dir = g_build_filename(srcdir ? srcdir : ".", "rules", NULL);
	GError *err = NULL;

	rules = pd_rules_load(dir, NULL, &err);
	if (!ok(rules != NULL, "shipped rules load from %s", dir)) {
		diag("%s", err->message);
		return done_testing();
	}
	test_identifiers();
	test_unicode_separators();
	test_grouped_upn();
	test_lookalike_digits();
	test_unicode_digits();
	test_money();
	test_contact();
	test_personal();
	test_bad_input();
	pd_rules_free(rules);
	g_free(dir);
	return done_testing();
}
