/* ukid.h - checksums and issuing rules of UK identifiers (see README's
 * personal-data section). Pure functions on ASCII text, shared by the
 * personal-data and pupil-data detectors. Each takes the identifier with
 * separators (spaces, dashes) already removed. */
#ifndef ES_UKID_H
#define ES_UKID_H

#include <stdbool.h>
#include <stddef.h>

bool es_upn_valid(const char *s, size_t len);		/* 13 chars, check letter, LA code */
bool es_uln_valid(const char *s, size_t len);		/* 10 digits, mod 11 */
bool es_nhs_valid(const char *s, size_t len);		/* 10 digits, mod 11 */
bool es_nino_valid(const char *s, size_t len);		/* AA999999A, prefix rules; suffix optional */
bool es_luhn_valid(const char *digits, size_t len);	/* card numbers */
bool es_card_valid(const char *digits, size_t len);	/* Luhn + a real issuer prefix and length */
bool es_iban_valid(const char *s, size_t len);		/* country length + mod 97 */

#endif
