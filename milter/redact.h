/* redact.h - the safe form of personal data shown as evidence in headers,
 * logs, JSON and the quarantine: enough to recognise, never the whole value. */
#ifndef ES_REDACT_H
#define ES_REDACT_H

#include <glib.h>

/* es_redact - redacted evidence for VALUE (LEN bytes, -1: NUL-terminated)
 * of personal-data TYPE, labelled: es_redact("nhs_number", "401-023-2137", -1)
 * gives "NHS ***-***-2137"; "phone" keeps two leading and three trailing
 * digits ("tel 07*** ***123"); "email" keeps the first character and the
 * domain; "credentials" shows no character of the secret; "postcode" keeps
 * the outward code. Types are those of ARCHITECTURE.md; an unknown TYPE (or
 * NULL) keeps only the last two characters, unlabelled. Returns a new string
 * (g_free). Never returns NULL. */
char *es_redact(const char *type, const char *value, gssize len);

/* es_redact_mask - VALUE with every character except separators (space
 * - . / ( ) , : +) replaced by '*', keeping the first HEAD and the last TAIL
 * of those characters. If HEAD + TAIL would show half or more of them, fewer
 * are kept, so more than half of any value is always masked. */
char *es_redact_mask(const char *value, gssize len, guint head, guint tail);

#endif
