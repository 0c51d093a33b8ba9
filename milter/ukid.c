/* ukid.c - checksums and issuing rules of UK identifiers (UPN, ULN, NHS
 * number, NINO) and of card numbers and IBANs, as pure functions. */
#include "config.h"
#include <string.h>
#include "ukid.h"

/* The UPN check alphabet: I, O and S are never used. */
static const char upn_alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* Local authority numbers in the DfE list, then the pseudo-LA codes DfE
 * test tools use (001-005, 660-681, 701-708), as inclusive ranges. */
static const struct { int lo, hi; } upn_la[] = {
	{ 1, 5 }, { 201, 213 }, { 301, 320 }, { 330, 336 }, { 340, 344 },
	{ 350, 359 }, { 370, 373 }, { 380, 384 }, { 390, 394 }, { 420, 420 },
	{ 660, 681 }, { 701, 708 }, { 800, 803 }, { 805, 808 }, { 810, 813 },
	{ 815, 816 }, { 821, 823 }, { 825, 826 }, { 830, 831 }, { 835, 837 },
	{ 840, 841 }, { 845, 846 }, { 850, 852 }, { 855, 857 }, { 860, 861 },
	{ 865, 874 }, { 876, 896 }, { 908, 909 }, { 916, 916 }, { 919, 919 },
	{ 921, 921 }, { 925, 926 }, { 928, 929 }, { 931, 931 }, { 933, 933 },
	{ 935, 938 },
};

/* IBAN structure by country (SWIFT IBAN registry, as python-stdnum's
 * iban.dat): country code, then the BBAN as COUNT CLASS pieces, class n a
 * digit, a an upper-case letter, c either. */
static const char *const iban_structures[] = {
	"AD4n4n12c", "AE3n16n", "AL8n16c", "AT5n11n", "AZ4a20c", "BA3n3n8n2n",
	"BE3n7n2n", "BG4a4n2n8c", "BH4a14c", "BI5n5n11n2n", "BR8n5n10n1a1c",
	"BY4c4n16c", "CH5n12c", "CR4n14n", "CY3n5n16c", "CZ4n6n10n", "DE8n10n",
	"DJ5n5n11n2n", "DK4n9n1n", "DO4c20n", "EE2n2n11n1n", "EG4n4n17n",
	"ES4n4n1n1n10n", "FI3n11n", "FO4n9n1n", "FR5n5n11c2n", "GB4a6n8n", "GE2a16n",
	"GI4a15c", "GL4n9n1n", "GR3n4n16c", "GT4c20c", "HR7n10n", "HU3n4n1n15n1n",
	"IE4a6n8n", "IL3n3n13n", "IQ4a3n12n", "IS4n2n6n10n", "IT1a5n5n12c",
	"JO4a4n18c", "KW4a22c", "KZ3n13c", "LB4n20c", "LC4a24c", "LI5n12c", "LT5n11n",
	"LU3n13c", "LV4a13c", "LY3n3n15n", "MC5n5n11c2n", "MD2c18c", "ME3n13n2n",
	"MK3n10c2n", "MR5n5n11n2n", "MT4a5n18c", "MU4a2n2n12n3n3a", "NL4a10n",
	"NO4n6n1n", "PK4a16c", "PL8n16n", "PS4a21c", "PT4n4n11n2n", "QA4a21c",
	"RO4a16c", "RS3n13n2n", "RU9n5n15c", "SA2n18c", "SC4a2n2n16n3a", "SD2n12n",
	"SE3n16n1n", "SI5n8n2n", "SK4n6n10n", "SM1a5n5n12c", "ST4n4n11n2n", "SV4a20n",
	"TL3n14n2n", "TN2n3n13n2n", "TR5n1n16c", "UA6n19c", "VA3n15n", "VG4a16n",
	"XK4n10n2n",
};

/* all_digits - S[0..LEN) is only ASCII digits */
static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* upn_letter_index - position of C in the check alphabet, -1 if absent */
static int upn_letter_index(char c)
{
	const char *p = c ? strchr(upn_alphabet, c) : NULL;

	return p ? (int)(p - upn_alphabet) : -1;
}

/* upn_la_known - N is a real or pseudo local authority number */
static bool upn_la_known(int n)
{
	for (size_t i = 0; i < sizeof(upn_la) / sizeof(upn_la[0]); i++)
		if (n >= upn_la[i].lo && n <= upn_la[i].hi)
			return true;
	return false;
}

/* es_upn_valid - check letter + 11 digits + digit or letter, known LA, check letter right */
bool es_upn_valid(const char *s, size_t len)
{
	int sum = 0, last;

	if (len != 13 || upn_letter_index(s[0]) < 0 || !all_digits(s + 1, 11))
		return false;
	if (s[12] >= '0' && s[12] <= '9')
		last = s[12] - '0';
	else if ((last = upn_letter_index(s[12])) < 0)
		return false;
	if (!upn_la_known((s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0')))
		return false;
	for (int p = 2; p <= 12; p++)
		sum += p * (s[p - 1] - '0');
	sum += 13 * last;
	return upn_alphabet[sum % 23] == s[0];
}

/* weighted_mod11 - sum of the first nine digits weighted 10..2, mod 11 */
static int weighted_mod11(const char *s)
{
	int sum = 0;

	for (int i = 0; i < 9; i++)
		sum += (10 - i) * (s[i] - '0');
	return sum % 11;
}

/* es_uln_valid - 10 digits, check = 10 - (weighted sum mod 11), 10 never valid */
bool es_uln_valid(const char *s, size_t len)
{
	int check;

	if (len != 10 || !all_digits(s, len))
		return false;
	check = 10 - weighted_mod11(s);
	return check != 10 && check == s[9] - '0';
}

/* es_nhs_valid - 10 digits, check = 11 - (weighted sum mod 11), 11 -> 0, 10 invalid */
bool es_nhs_valid(const char *s, size_t len)
{
	int check;

	if (len != 10 || !all_digits(s, len))
		return false;
	check = 11 - weighted_mod11(s);
	if (check == 11)
		check = 0;
	return check != 10 && check == s[9] - '0';
}

/* es_nino_valid - HMRC issuing rules on prefix letters, six digits, optional suffix A-D */
bool es_nino_valid(const char *s, size_t len)
{
	static const char *const never[] = { "BG", "GB", "KN", "NK", "NT", "TN", "ZZ" };
	char a, b;

	if (len != 8 && len != 9)
		return false;
	a = s[0];
	b = s[1];
	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || !all_digits(s + 2, 6))
		return false;
	if (strchr("DFIQUV", a) || strchr("DFIOQUV", b))
		return false;
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (a == never[i][0] && b == never[i][1])
			return false;
	return len == 8 || (s[8] >= 'A' && s[8] <= 'D');
}

/* es_luhn_valid - digits only, Luhn (mod 10) checksum */
bool es_luhn_valid(const char *digits, size_t len)
{
	int sum = 0;

	if (len < 2 || !all_digits(digits, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = digits[len - 1 - i] - '0';

		if (i % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return sum % 10 == 0;
}

/* prefix_num - the first N digits of S as a number */
static int prefix_num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* es_card_valid - Luhn, and an issuer prefix with a length that issuer uses */
bool es_card_valid(const char *d, size_t len)
{
	int p2, p4, p6;

	if (len < 13 || len > 19 || !es_luhn_valid(d, len))
		return false;
	p2 = prefix_num(d, 2);
	p4 = prefix_num(d, 4);
	p6 = prefix_num(d, 6);
	if (d[0] == '4')					/* Visa */
		return len == 13 || len == 16 || len == 19;
	if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099))	/* Mastercard */
		return len == 16;
	if (p2 == 34 || p2 == 37)				/* American Express */
		return len == 15;
	if (p2 == 36 || p2 == 38 || p2 == 39 || (p4 >= 3000 && p4 <= 3059) || p4 == 3095)
		return len >= 14 && len <= 19;			/* Diners Club */
	if (p4 == 6011 || p2 == 65 || (p4 >= 6440 && p4 <= 6499) || (p6 >= 622126 && p6 <= 622925))
		return len >= 16 && len <= 19;			/* Discover */
	if (p4 >= 3528 && p4 <= 3589)				/* JCB */
		return len >= 16 && len <= 19;
	if (p2 == 50 || (p2 >= 56 && p2 <= 69))		/* Maestro, Dankort */
		return len >= 12 && len <= 19;
	if (p2 == 62 || p2 == 81)				/* UnionPay */
		return len >= 16 && len <= 19;
	if (d[0] == '1')					/* UATP */
		return len == 15;
	return false;
}

/* bban_ok - S[0..len) (an IBAN without country and check digits) has the
 * BBAN structure of STRUCT ("4a6n8n") and nothing more */
static bool bban_ok(const char *spec, const char *s, size_t len)
{
	size_t i = 0;

	while (*spec) {
		int count = 0;

		while (*spec >= '0' && *spec <= '9')
			count = count * 10 + (*spec++ - '0');
		for (; count > 0; count--, i++) {
			char c = i < len ? s[i] : '\0';
			bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';

			if (!(*spec == 'n' ? digit : *spec == 'a' ? upper : digit || upper))
				return false;
		}
		spec++;
	}
	return i == len;
}

/* iban_structure - the registry's BBAN structure for country CC, or NULL */
static const char *iban_structure(const char *cc)
{
	for (size_t i = 0; i < sizeof(iban_structures) / sizeof(iban_structures[0]); i++)
		if (iban_structures[i][0] == cc[0] && iban_structures[i][1] == cc[1])
			return iban_structures[i] + 2;
	return NULL;
}

/* es_iban_valid - upper-case, registered country and BBAN structure, mod 97 == 1 */
bool es_iban_valid(const char *s, size_t len)
{
	const char *spec;
	unsigned rem = 0;

	if (len < 15 || len > 34 || !(spec = iban_structure(s)) || !all_digits(s + 2, 2) ||
	    !bban_ok(spec, s + 4, len - 4))
		return false;
	for (size_t k = 0; k < len; k++) {
		char c = s[(k + 4) % len];	/* the first four move to the end */

		if (c >= '0' && c <= '9')
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return rem == 1;
}
