/* redact_t.c - redacted evidence: each type's shown form, and that no value
 * is ever shown whole, whatever its length */
#include "config.h"
#include <string.h>
#include "redact.h"
#include "tap.h"

/* shows - es_redact(TYPE, VALUE) is WANT */
static void shows(const char *type, const char *value, const char *want)
{
	char *got = es_redact(type, value, -1);

	is_str(got, want, "%s %s -> %s", type, value, want);
	g_free(got);
}

/* digits_of - the letters and digits of S, upper case */
static char *digits_of(const char *s)
{
	GString *o = g_string_new(NULL);

	for (; *s; s++)
		if (g_ascii_isalnum(*s))
			g_string_append_c(o, g_ascii_toupper(*s));
	return g_string_free(o, FALSE);
}

/* never_whole - for every type, the value's characters never all appear */
static void never_whole(void)
{
	static const char *const types[] = {
		"upn", "uln", "nhs_number", "nino", "card", "bank_account", "iban", "passport",
		"driving_licence", "phone", "postcode", "address", "dob", "email", "credentials",
		"meeting", "unknown", NULL,
	};
	static const char *const values[] = {
		"B801200005001", "0000000042", "401-023-2137", "AA 12 34 56 B", "4111 1111 1111 1111",
		"20-00-00 12345678", "GB82 WEST 1234 5698 7654 32", "AB1234567", "MORGA607054SM9IJ",
		"07700 900123", "SW1A 1AA", "12 Acacia Avenue, Springfield SW1A 1AA", "12/03/2011",
		"jo.bloggs@example.com", "password: hunter2", "ab", "x", "",
	};
	int leaks = 0;

	for (int t = 0; types[t]; t++)
		for (gsize v = 0; v < G_N_ELEMENTS(values); v++) {
			char *r = es_redact(types[t], values[v], -1), *rd = digits_of(r), *vd = digits_of(values[v]);

			if (strcmp(types[t], "meeting") != 0 && strlen(vd) > 1 && strstr(rd, vd)) {
				diag("%s %s shown whole: %s", types[t], values[v], r);
				leaks++;
			}
			g_free(r); g_free(rd); g_free(vd);
		}
	is_int(leaks, 0, "no value of any type is shown whole (meeting phrases are rule text)");
}

int main(void)
{
	shows("nhs_number", "401-023-2137", "NHS ***-***-2137");
	shows("nhs_number", "4010232137", "NHS ******2137");
	shows("phone", "07700 900123", "tel 07*** ***123");
	shows("phone", "+44 (0)20 7123 4567", "tel +44 (*)** **** *567");
	shows("card", "4111-1111-1111-1111", "card ****-****-****-1111");
	shows("nino", "AA 12 34 56 B", "NINO ** ** ** 56 B");
	shows("upn", "B801200005001", "UPN **********001");
	shows("iban", "GB82WEST12345698765432", "IBAN GB****************5432");
	shows("postcode", "SW1A 1AA", "postcode SW1A ***");
	shows("postcode", "M11AA", "postcode M1 ***");
	shows("email", "jo.bloggs@example.com", "email j***@example.com");
	shows("credentials", "password is hunter2", "password ********");
	shows("address", "12 Acacia Avenue, Springfield SW1A 1AA", "address ** ****** Avenue, *********** SW1A ***");
	shows("address", "12 Caf\xc3\xa9\xc3\xa9 Road", "address ** ***** Road");
	shows("dob", "12/03/2011", "DOB **/**/**11");
	shows("meeting", "meet me at", "meeting \"meet me at\"");
	shows(NULL, "secret", "****et");
	shows("phone", "", "tel ");
	{
		char *r = es_redact_mask("ab", -1, 1, 1);

		is_str(r, "**", "a two-character value keeps nothing (never half or more shown)");
		g_free(r);
		r = es_redact_mask("ab\xc3\xa9" "cdefgh", -1, 0, 2);
		is_str(r, "*******gh", "a UTF-8 character is masked as one '*'");
		g_free(r);
	}
	never_whole();
	return done_testing();
}
