/* mime_headers.c - the headers a reader sees as text: every Subject, and
 * the names senders and recipients are shown by ("You slag" <a@b>) */
#include "config.h"
#include <string.h>
#include "mime.h"
#include "log.h"

/* es_mime_add_subjects - see mime.h: a message may carry two and a client
 * may show the other one. One whose encoded words GMime cut at a NUL is
 * added whole. */
void es_mime_add_subjects(es_scan *s, GMimeMessage *msg, const char *part, const char *label, gboolean attached)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	const char *kept = g_mime_message_get_subject(msg);
	int n = g_mime_header_list_get_count(headers);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		const char *v, *raw;
		char *whole;

		/* the name first: asking any header for its value decodes it,
		 * and GMime's decoder is slow on a long run of unclosed words */
		if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Subject") != 0)
			continue;
		v = g_mime_header_get_value(h);
		raw = g_mime_header_get_raw_value(h);
		if (raw && (whole = es_mime_decode_header(raw))) {
			es_scan_add_text(s, part, label, whole, -1, attached);
			g_free(whole);
		} else if (v && !(kept && strcmp(v, kept) == 0)) {
			es_scan_add_text(s, part, label, v, -1, attached);
		}
	}
}

/* The address headers whose names a client shows. Each kind gets its own
 * budget, so a long Cc list cannot use up the From's. */
static const char *const address_headers[] = { "From", "Sender", "Reply-To", "To", "Cc" };
#define NAMES_RAW_MAX (16 * 1024)	/* bytes of one kind's header values read */

/* address_kind - the index of header NAME in address_headers, or -1 */
static int address_kind(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(address_headers); i++)
		if (g_ascii_strcasecmp(name, address_headers[i]) == 0)
			return (int)i;
	return -1;
}

/* just_the_address - NAME only repeats the address ("a@b" <a@b>), as some
 * clients write it: no text of the sender's, and read it would be an
 * e-mail address to the personal-data detector */
static gboolean just_the_address(const char *name, InternetAddress *a)
{
	const char *addr;
	gsize len;

	if (!INTERNET_ADDRESS_IS_MAILBOX(a) || !(addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))))
		return FALSE;
	name += strspn(name, "'\" ");
	len = strlen(name);
	while (len && strchr("'\" ", name[len - 1]))
		len--;
	return strlen(addr) == len && g_ascii_strncasecmp(name, addr, len) == 0;
}

/* append_names - the names in LIST (a group's own and its members') to
 * LINE, ", " between them; a group inside a group is not opened */
static void append_names(GString *line, InternetAddressList *list, gboolean in_group)
{
	for (int i = 0; list && i < internet_address_list_length(list); i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		const char *name = internet_address_get_name(a);

		if (name && *name && !just_the_address(name, a))
			g_string_append_printf(line, "%s%s", line->len ? ", " : "", name);
		if (INTERNET_ADDRESS_IS_GROUP(a) && !in_group)
			append_names(line, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), TRUE);
	}
}

/* header_names - the names in the first LIMIT bytes of RAW, an address
 * header's value, joined with ", "; NULL if none. A NUL an encoded word
 * decodes to would end GMime's decoding of a name there, so such words
 * are given to it again as UTF-8 with the NUL a space. */
static char *header_names(const char *raw, gsize limit)
{
	char *cut = g_strndup(raw, limit), *fixed = es_mime_header_reencoded(cut);
	InternetAddressList *list;
	GString *line = g_string_new(NULL);

	for (char *p = fixed ? fixed : cut; *p; p++)	/* unfolded */
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	list = internet_address_list_parse(NULL, fixed ? fixed : cut);
	append_names(line, list, FALSE);
	if (list)
		g_object_unref(list);
	g_free(fixed);
	g_free(cut);
	return g_string_free(line, line->len == 0);
}

/* es_mime_address_names - see mime.h */
char **es_mime_address_names(es_scan *s, GMimeMessage *msg)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int n = g_mime_header_list_get_count(headers);
	gsize left[G_N_ELEMENTS(address_headers)];
	GPtrArray *out = g_ptr_array_new();
	gboolean cut = FALSE;

	for (gsize k = 0; k < G_N_ELEMENTS(left); k++)
		left[k] = NAMES_RAW_MAX;
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		int k = address_kind(g_mime_header_get_name(h));
		const char *raw = k < 0 ? NULL : g_mime_header_get_raw_value(h);
		char *names;
		gsize len;

		if (!raw)
			continue;
		if (!left[k]) {
			cut |= *raw != '\0';
			continue;
		}
		len = strnlen(raw, left[k] + 1);
		cut |= len > left[k];
		len = MIN(len, left[k]);
		left[k] -= len;
		if ((names = header_names(raw, len)))
			g_ptr_array_add(out, names);
	}
	if (cut)
		es_log(LOG_INFO, s->qid, "address headers longer than %d bytes of a kind: the names past that not read",
		       NAMES_RAW_MAX);
	if (!out->len)
		return (char **)g_ptr_array_free(out, TRUE);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}
