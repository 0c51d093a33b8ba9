/* mime.h - parse a message with GMime into texts and attachments */
#ifndef ES_MIME_H
#define ES_MIME_H

#include "scan.h"

/* es_mime_parse - parse S->raw; fills s->mime,
 * message_id, subject, texts, attachments, encrypted. FALSE if the message
 * could not be parsed at all (an error is recorded; caller applies on_parse_error). */
gboolean es_mime_parse(es_scan *s);
/* es_mime_construct_raw - s->raw parsed with es_mime_construct, with a run
 * of unclosed encoded words defused first (GMime's time on them grows with
 * their square); NULL if GMime could not parse it */
GMimeMessage *es_mime_construct_raw(es_scan *s);
/* es_mime_construct_bytes - the same for the LEN bytes at DATA, a message
 * found inside this one (an attached .eml) */
GMimeMessage *es_mime_construct_bytes(es_scan *s, const char *data, gsize len);
/* es_mime_construct - the message PARSER reads, with each kind of damage
 * GMime finds logged once under S's queue ID (NULL if it is no message) */
GMimeMessage *es_mime_construct(es_scan *s, GMimeParser *parser);
/* es_mime_parse_message - take what the detectors need out of MSG, parsed already */
gboolean es_mime_parse_message(es_scan *s, GMimeMessage *msg);
/* es_mime_decode - LEN bytes of text in charset CS (NULL: none declared)
 * as UTF-8 of *OUT_LEN bytes, NUL-terminated, every NUL and other control
 * but tab and line ends made a space so none hides what follows it. What
 * is not valid in CS becomes U+FFFD and the rest is read; *CLEAN is FALSE
 * then, or when CS is not known and the bytes are given as they are.
 * Under no charset, US-ASCII or UTF-8, UTF-16 is read by its byte-order
 * mark or its NULs (es_mime_utf16_order); "utf-16" with no mark in the
 * order its NULs show, else little-endian. g_free the result. */
char *es_mime_decode(const char *data, gsize len, const char *cs, gsize *out_len, gboolean *clean);
/* es_mime_decode_html - es_mime_decode for LEN bytes of HTML: when CS is
 * NULL or US-ASCII and no byte-order mark decides, in the charset a <meta>
 * in its first 1024 characters declares as a browser reads one (its charset
 * attribute, or http-equiv Content-Type's content; a <meta> itself written
 * in UTF-16 means UTF-16 in that byte order) (mime_decode.c) */
char *es_mime_decode_html(const char *data, gsize len, const char *cs, gsize *out_len, gboolean *clean);
/* es_mime_utf16_order - "UTF-16LE" or "UTF-16BE" when the LEN bytes at D
 * begin as text in UTF-16 with no byte-order mark, as the NUL bytes of
 * their first 2 KB show (ASCII characters have one in every other byte);
 * else NULL. Only the start is looked at: es_mime_decode also reads the
 * bytes as declared when what follows does not fit (mime_decode.c) */
const char *es_mime_utf16_order(const char *data, gsize len);
/* es_mime_is_utf16 - the LEN bytes at D start with a UTF-16 byte-order mark
 * or are UTF-16 by es_mime_utf16_order: es_mime_decode with no charset
 * reads them as UTF-16 (mime_decode.c) */
gboolean es_mime_is_utf16(const char *data, gsize len);
/* es_cp1252_char - the character Windows-1252 byte B stands for (B itself
 * below 0x80 and from 0xa0, as Latin-1); 0 for the five it leaves undefined
 * (mime_decode.c) */
gunichar es_cp1252_char(guchar b);
/* es_mime_uu_begin - where the file name starts in LINE (LEN bytes) if it
 * opens a uuencoded block ("begin 644 name": 3 or 4 octal digits), else 0;
 * the name may be empty (mime_decode.c) */
gsize es_mime_uu_begin(const char *line, gsize len);
/* es_mime_unflow - format=flowed TEXT as a client shows it (RFC 3676): soft
 * line breaks joined, their space deleted when DELSP (mime_decode.c); g_free */
char *es_mime_unflow(const char *text, gboolean delsp);
/* es_mime_decode_header - RAW, a header value, with its encoded words
 * decoded and control characters (a NUL among them) made spaces, so nothing
 * after one is lost (mime_decode.c); g_free */
char *es_mime_decode_header(const char *raw);
/* es_mime_header_reencoded - RAW, a header value GMime is still to parse,
 * with each encoded word encoded again in UTF-8, its controls made spaces,
 * so GMime's decoder does not stop at a NUL; NULL unless some word held a
 * control (mime_decode.c); g_free */
char *es_mime_header_reencoded(const char *raw);
/* es_mime_add_subjects - each Subject header of MSG but the one GMime
 * keeps, decoded, as text of PART labelled LABEL (mime_headers.c) */
void es_mime_add_subjects(es_scan *s, GMimeMessage *msg, const char *part, const char *label, gboolean attached);
/* es_mime_address_names - the display names in MSG's From, Sender,
 * Reply-To, To and Cc headers ("You slag" <a@b>), encoded words decoded:
 * a string a header, its names joined with ", " as a client lists them;
 * not the addresses. At most 16 KB of each kind of header is read. NULL if
 * there are none; g_strfreev (mime_headers.c) */
char **es_mime_address_names(es_scan *s, GMimeMessage *msg);
/* es_mime_text - the text of TP in UTF-8, as es_mime_decode gives it;
 * *KNOWN is es_mime_decode's *CLEAN. g_free the result. */
char *es_mime_text(GMimeTextPart *tp, gboolean *known);
/* es_html_to_text - visible text of an HTML document (script/style dropped,
 * entities decoded, block tags become line breaks); g_free the result */
char *es_html_to_text(const char *html, gsize len);
/* es_html_attr - read the attribute at *PP in a tag as HTML's tokenizer
 * does: its lower-case NAME (SIZE bytes) and raw value (*V, *LEN; empty
 * without one); FALSE at the tag's end, *PP then where the text resumes (html.c) */
gboolean es_html_attr(const char **pp, const char *end, char *name, gsize size, const char **v, gsize *len);
/* es_html_texts - es_html_to_text's text; and, if SHOWN, in *SHOWN the text
 * without hidden elements' (display:none, the hidden attribute...), whose
 * decoys would split words a reader sees, or NULL when that is the same.
 * g_free both. */
char *es_html_texts(const char *html, gsize len, char **shown);

#endif
