/* release.c - hand a released message back to the local MTA over SMTP, with
 * the one-time release token, and keep a transcript so the lead is told
 * exactly what the MTA said */
#include "config.h"
#include "ui.h"

#include <string.h>
#include <gio/gio.h>

/* ui_release_message - the stored file without any X-ESafety-* header
 * (with their continuation lines), the release token header first */
char *ui_release_message(const char *stored, gsize len, const char *token, gsize *len_out)
{
	GString *out = g_string_new(NULL);
	const char *p = stored, *end = stored + len;
	gboolean in_headers = TRUE, dropping = FALSE;

	g_string_append_printf(out, "X-ESafety-Release: %s\n", token);
	while (p < end) {
		const char *eol = memchr(p, '\n', (gsize)(end - p));
		gsize n = eol ? (gsize)(eol - p) + 1 : (gsize)(end - p);

		if (in_headers && (n == 1 || (n == 2 && p[0] == '\r')))
			in_headers = FALSE;
		else if (in_headers && (p[0] == ' ' || p[0] == '\t')) {
			if (dropping) {
				p += n;
				continue;
			}
		} else if (in_headers)
			dropping = g_ascii_strncasecmp(p, "X-ESafety-", 10) == 0;
		if (!(in_headers && dropping))
			g_string_append_len(out, p, (gssize)n);
		p += n;
	}
	*len_out = out->len;
	return g_string_free(out, FALSE);
}

typedef struct {
	GSocketConnection *conn;
	GDataInputStream *in;
	GOutputStream *out;
	GString *log;
} smtp;

/* smtp_reply - read one (multi-line) reply; its code, or 0 on a broken connection */
static int smtp_reply(smtp *c)
{
	int code = 0;

	for (;;) {
		char *line = g_data_input_stream_read_line(c->in, NULL, NULL, NULL);
		gboolean more;

		if (!line) {
			g_string_append(c->log, "(connection closed)\n");
			return 0;
		}
		g_strchomp(line);
		g_string_append_printf(c->log, "%s\n", line);
		code = strlen(line) >= 3 ? atoi(line) : 0;
		more = strlen(line) > 3 && line[3] == '-';
		g_free(line);
		if (!more)
			return code;
	}
}

/* smtp_cmd - send one command line and read the reply code */
static int smtp_cmd(smtp *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int smtp_cmd(smtp *c, const char *fmt, ...)
{
	va_list ap;
	char *line;
	gboolean sent;

	va_start(ap, fmt);
	line = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_string_append_printf(c->log, "> %s\n", line);
	sent = g_output_stream_write_all(c->out, line, strlen(line), NULL, NULL, NULL) &&
	       g_output_stream_write_all(c->out, "\r\n", 2, NULL, NULL, NULL);
	g_free(line);
	return sent ? smtp_reply(c) : 0;
}

/* smtp_data - the message with CRLF line ends and dot-stuffing, then "." */
static int smtp_data(smtp *c, const char *msg, gsize len)
{
	GString *buf = g_string_sized_new(len + len / 40 + 8);
	const char *p = msg, *end = msg + len;
	gboolean sent;

	while (p < end) {
		const char *eol = memchr(p, '\n', (gsize)(end - p));
		gsize n = eol ? (gsize)(eol - p) : (gsize)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (*p == '.')
			g_string_append_c(buf, '.');
		g_string_append_len(buf, p, (gssize)n);
		g_string_append(buf, "\r\n");
		p = eol ? eol + 1 : end;
	}
	g_string_append(buf, ".\r\n");
	g_string_append_printf(c->log, "> (message, %" G_GSIZE_FORMAT " bytes)\n", buf->len);
	sent = g_output_stream_write_all(c->out, buf->str, buf->len, NULL, NULL, NULL);
	g_string_free(buf, TRUE);
	return sent ? smtp_reply(c) : 0;
}

/* clean_addr - an address safe to put in an SMTP command */
static gboolean clean_addr(const char *a)
{
	return a && !strpbrk(a, "\r\n<> ");
}

/* transaction - EHLO .. end of DATA; TRUE if every recipient and the message
 * were accepted. If any recipient is refused nothing is sent. */
static gboolean transaction(smtp *c, const char *from, char **rcpts, const char *msg, gsize len)
{
	int accepted = 0, total = 0;

	if (smtp_reply(c) != 220 || smtp_cmd(c, "EHLO %s", g_get_host_name()) != 250)
		return FALSE;
	if (!clean_addr(from)) {
		g_string_append(c->log, "(the envelope sender cannot be written in an SMTP command)\n");
		return FALSE;
	}
	if (smtp_cmd(c, "MAIL FROM:<%s>", from) != 250)
		return FALSE;
	for (char **r = rcpts; *r; r++) {
		int code;

		if (!**r)
			continue;
		total++;
		if (!clean_addr(*r))
			g_string_append(c->log, "(a recipient cannot be written in an SMTP command)\n");
		code = clean_addr(*r) ? smtp_cmd(c, "RCPT TO:<%s>", *r) : 0;
		if (code == 250 || code == 251)
			accepted++;
	}
	/* all or nothing, so "released" and "still held" are both true statements */
	if (!total || accepted != total) {
		smtp_cmd(c, "RSET");
		return FALSE;
	}
	return smtp_cmd(c, "DATA") == 354 && smtp_data(c, msg, len) == 250;
}

/* ui_release_send - submit MESSAGE from FROM to RCPTS via HOSTPORT */
gboolean ui_release_send(const char *hostport, const char *from, char **rcpts,
			 const char *message, gsize len, char **report)
{
	GSocketClient *client = g_socket_client_new();
	GError *err = NULL;
	smtp c = { .log = g_string_new(NULL) };
	gboolean ok = FALSE;

	g_socket_client_set_timeout(client, 30);
	c.conn = g_socket_client_connect_to_host(client, hostport, 25, NULL, &err);
	if (!c.conn) {
		g_string_append_printf(c.log, "cannot connect to %s: %s\n", hostport, err->message);
		g_error_free(err);
	} else {
		c.in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(c.conn)));
		g_data_input_stream_set_newline_type(c.in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
		c.out = g_io_stream_get_output_stream(G_IO_STREAM(c.conn));
		ok = transaction(&c, from, rcpts, message, len);
		smtp_cmd(&c, "QUIT");
		g_object_unref(c.in);
		g_object_unref(c.conn);
	}
	g_object_unref(client);
	*report = g_string_free(c.log, FALSE);
	return ok;
}
