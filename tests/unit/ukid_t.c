/* ukid_t.c - the UK identifier checks: worked examples, one wrong digit,
 * wrong lengths and characters, issuing rules */
#include "config.h"
#include <string.h>
#include "ukid.h"
#include "tap.h"

#define V(fn, s) fn(s, strlen(s))

/* test_upn - check letter, LA codes, temporary UPNs */
static void test_upn(void)
{
	ok(V(es_upn_valid, "B801200005001"), "UPN B801200005001 (worked example, sum 93) is valid");
	ok(V(es_upn_valid, "P207000016049"), "UPN P207000016049 is valid");
	ok(!V(es_upn_valid, "Q207000016049"), "the same digits with the vendor's Q are not");
	ok(!V(es_upn_valid, "A801200005001"), "wrong check letter is not valid");
	ok(!V(es_upn_valid, "B801200005002"), "one digit changed is not valid");
	ok(!V(es_upn_valid, "E000200005001"), "LA 000 is not a local authority");
	ok(!V(es_upn_valid, "X80120000A001"), "letters in the middle are not valid");
	ok(!V(es_upn_valid, "B80120000500"), "12 characters are not a UPN");
	ok(!V(es_upn_valid, "b801200005001"), "a lower-case check letter is not valid");
	/* a pseudo-LA (DfE test tools) UPN, computed here: 001 0000 00 001 */
	{
		char u[] = "?001000000001";
		int sum = 0;

		for (int p = 2; p <= 13; p++)
			sum += p * (u[p - 1] - '0');
		u[0] = "ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23];
		ok(V(es_upn_valid, u), "pseudo-LA 001 UPN %s is valid", u);
	}
	/* temporary UPN: last character a letter counted by its alphabet index */
	{
		char u[] = "?80120000500A";
		int sum = 0;

		for (int p = 2; p <= 12; p++)
			sum += p * (u[p - 1] - '0');
		u[0] = "ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23];	/* A counts 0 */
		ok(V(es_upn_valid, u), "temporary UPN %s is valid", u);
		u[12] = 'I';
		ok(!V(es_upn_valid, u), "temporary UPN ending in I (never used) is not");
	}
}

/* test_uln_nhs - the two mod 11 schemes differ and never both hold */
static void test_uln_nhs(void)
{
	ok(V(es_uln_valid, "0000000042"), "ULN 0000000042 (reference example) is valid");
	ok(!V(es_uln_valid, "0000000043"), "ULN 0000000043 is not");
	ok(!V(es_uln_valid, "000000004"), "9 digits are not a ULN");
	ok(V(es_nhs_valid, "4010232137"), "NHS 401 023 2137 is valid");
	ok(V(es_nhs_valid, "0032698674"), "NHS 003 269 8674 is valid");
	ok(!V(es_nhs_valid, "4010232138"), "NHS 401 023 2138 (bad check digit) is not");
	ok(!V(es_nhs_valid, "401023213X"), "a letter in an NHS number is not valid");
	ok(!V(es_nhs_valid, "0000000042"), "a valid ULN is not a valid NHS number");
	/* a check digit of 10 is never valid: 000000001? sums to 2 -> 11-2=9; find a 10 */
	{
		char n[] = "1000000010";	/* sum 10*1 + 2*1 = 12 -> 12 mod 11 = 1 -> check 10 */
		int bad = 0;

		for (char d = '0'; d <= '9'; d++) {
			n[9] = d;
			bad += V(es_nhs_valid, n);
		}
		is_int(bad, 0, "no check digit makes 100000001? valid (check would be 10)");
	}
}

/* test_nino - prefix letters, forbidden pairs, suffix */
static void test_nino(void)
{
	ok(V(es_nino_valid, "AA123456B"), "NINO AA123456B is valid");
	ok(V(es_nino_valid, "YZ614868B"), "NINO YZ614868B is valid");
	ok(V(es_nino_valid, "PR123612"), "NINO without its suffix is valid");
	ok(!V(es_nino_valid, "AA123456H"), "suffix H is not valid");
	ok(!V(es_nino_valid, "DA123456A"), "first letter D is never used");
	ok(!V(es_nino_valid, "AO123456A"), "second letter O is never used");
	ok(!V(es_nino_valid, "FQ000000C"), "FQ is never used");
	ok(!V(es_nino_valid, "BG123612A"), "BG is never issued");
	ok(!V(es_nino_valid, "NT998877A"), "NT is never issued");
	ok(!V(es_nino_valid, "UV987654B"), "UV is never issued");
	ok(!V(es_nino_valid, "AB12345"), "five digits are not a NINO");
	ok(!V(es_nino_valid, "ab123456c"), "lower case is not valid (callers upper-case)");
}

/* test_cards - Luhn and issuers */
static void test_cards(void)
{
	ok(V(es_luhn_valid, "79927398713"), "Luhn example 79927398713 passes");
	ok(!V(es_luhn_valid, "79927398710"), "79927398710 fails Luhn");
	ok(V(es_card_valid, "4111111111111111"), "Visa test card is a card");
	ok(V(es_card_valid, "5555555555554444"), "Mastercard test card is a card");
	ok(V(es_card_valid, "371449635398431"), "Amex test card is a card");
	ok(V(es_card_valid, "6011000400000000"), "Discover test card is a card");
	ok(V(es_card_valid, "3528000700000000"), "JCB test card is a card");
	ok(V(es_card_valid, "30569309025904"), "Diners test card is a card");
	ok(!V(es_card_valid, "4012888888881882"), "a Luhn failure is not a card");
	{
		char n[] = "911111111111111?";	/* make it pass Luhn, then show prefix 9 has no issuer */

		for (n[15] = '0'; n[15] <= '9' && !V(es_luhn_valid, n); n[15]++)
			;
		ok(V(es_luhn_valid, n) && !V(es_card_valid, n), "%s passes Luhn but prefix 9 is no card issuer", n);
	}
	ok(!V(es_card_valid, "0000000000000000"), "all zeros pass Luhn but have no issuer");
	ok(!V(es_card_valid, "411111111111"), "12 digits are too short for a card");
	ok(!V(es_card_valid, "37144963539843"), "Amex must have 15 digits");
}

/* test_iban - country lengths and mod 97 */
static void test_iban(void)
{
	ok(V(es_iban_valid, "GB82WEST12345698765432"), "GB IBAN example is valid");
	ok(V(es_iban_valid, "DE89370400440532013000"), "DE IBAN example is valid");
	ok(!V(es_iban_valid, "GB82WEST12345698765433"), "a changed digit fails mod 97");
	ok(!V(es_iban_valid, "GB82WEST1234569876543"), "GB with 21 characters is the wrong length");
	ok(!V(es_iban_valid, "QQ82WEST12345698765432"), "an unknown country is not valid");
	ok(!V(es_iban_valid, "gb82west12345698765432"), "lower case is not valid (callers upper-case)");
}

int main(void)
{
	test_upn();
	test_uln_nhs();
	test_nino();
	test_cards();
	test_iban();
	ok(!es_nhs_valid("", 0) && !es_upn_valid("", 0) && !es_nino_valid("", 0) &&
	   !es_luhn_valid("", 0) && !es_card_valid("", 0) && !es_iban_valid("", 0) && !es_uln_valid("", 0),
	   "empty input is never valid");
	return done_testing();
}
