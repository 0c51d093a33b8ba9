/* scan_main.c - esafety-scan: the milter's pipeline on files, with no MTA.
 * Exit status reports errors only: 0 all scanned, 2 usage or config error,
 * 3 some input unreadable. A flagged message is a result, not an error. */
#include "config.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "engine.h"
#include "mime.h"
#include "result_json.h"
#include "log.h"
#include "msgbuf.h"

static char *opt_config;
static gboolean opt_json;
static char *opt_sender;
static char **opt_rcpts;
static char *opt_client;
static char *opt_auth;
static gboolean opt_verbose, opt_record;

static GOptionEntry entries[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Configuration file (default: built-in defaults, no schools)", "CONFIG" },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "One JSON object per message (JSON Lines)", NULL },
	{ "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, "Envelope sender (default: the From: address)", "ADDR" },
	{ "rcpt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_rcpts, "Envelope recipient; repeat for more (default: To: and Cc:)", "ADDR" },
	{ "client", 0, 0, G_OPTION_ARG_STRING, &opt_client, "Client IP, as the MTA would report it (default: trusted, none)", "IP" },
	{ "auth", 0, 0, G_OPTION_ARG_STRING, &opt_auth, "SASL login the message was sent with", "USER" },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Log debugging detail to standard error", NULL },
	{ "record", 0, 0, G_OPTION_ARG_NONE, &opt_record, "Count the messages in Redis as the milter would (sender reputation, rate limits, first contact); without it Redis is left alone", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* add_addresses - the bare addresses of the mailboxes in LIST (or just the first) */
static void add_addresses(InternetAddressList *list, GPtrArray *out, gboolean first_only)
{
	for (int i = 0; list && i < internet_address_list_length(list); i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			g_ptr_array_add(out, g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
			if (first_only)
				return;
		}
	}
}

/* set_envelope - from the options, or from the headers the way a reader would */
static void set_envelope(es_scan *s, GMimeMessage *msg)
{
	GPtrArray *from = g_ptr_array_new_with_free_func(g_free);

	if (opt_sender)
		g_ptr_array_add(from, g_strdup(opt_sender));
	else if (msg)
		add_addresses(g_mime_message_get_from(msg), from, TRUE);
	g_free(s->sender);
	s->sender = g_strdup(from->len ? g_ptr_array_index(from, 0) : "");
	g_ptr_array_unref(from);
	if (opt_rcpts)
		for (char **r = opt_rcpts; *r; r++)
			g_ptr_array_add(s->rcpts, g_strdup(*r));
	else if (msg) {
		add_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), s->rcpts, FALSE);
		add_addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC), s->rcpts, FALSE);
	}
	s->client_addr = g_strdup(opt_client);
	s->auth_user = g_strdup(opt_auth);
}

/* report - print the result of one message */
static void report(const es_scan *s, const es_verdict *v, const char *name, double ms)
{
	if (opt_json) {
		char *json = es_result_json(s, v, name, ms);

		printf("%s\n", json);
		g_free(json);
	} else {
		GPtrArray *cats = es_scan_categories(s);
		char *joined;

		g_ptr_array_add(cats, NULL);
		joined = g_strjoinv(",", (char **)cats->pdata);
		printf("%s: %s (%s)%s%s%s%s\n", name, es_action_name(v->action), v->rule,
		       *joined ? " categories=" : "", joined, s->virus ? " virus=" : "", s->virus ? s->virus : "");
		g_free(joined);
		g_ptr_array_unref(cats);
	}
	fflush(stdout);
}

/* as_milter_reads - RAW with CRLF turned into LF, as the milter's message
 * buffer does with what the MTA sends: a file whose headers end in CRLF and
 * whose base64 lines end in LF alone (mixed by an editor, or a mail saved by
 * hand) lost its last bytes to GMime, which took the LF before a boundary
 * for half a CRLF, so esafety-scan read an archive the milter reads whole as
 * damaged. NULL if the spill, which this size never needs, failed. */
static GBytes *as_milter_reads(GBytes *raw)
{
	gsize len;
	const char *d = g_bytes_get_data(raw, &len);
	es_msgbuf *b;
	GBytes *out = NULL;

	if (!len || !memchr(d, '\r', len))
		return g_bytes_ref(raw);
	b = es_msgbuf_new(len + 1, g_get_tmp_dir());
	if (es_msgbuf_append(b, d, len, NULL))
		out = es_msgbuf_bytes(b, NULL);
	es_msgbuf_free(b);
	return out;
}

/* scan_one - one message from RAW, parsed as the milter parses one */
static void scan_one(es_engine *e, const char *name, GBytes *raw)
{
	gint64 t0 = g_get_monotonic_time();
	es_scan *s = es_scan_new(es_engine_conf(e), name);
	es_verdict v = { 0 };
	GMimeMessage *parsed = NULL;

	s->raw = as_milter_reads(raw);
	if (!s->raw)
		s->raw = g_bytes_ref(raw);
	if ((gint64)g_bytes_get_size(raw) <= es_conf_int(es_engine_conf(e), "milter", "max_message_size"))
		parsed = es_mime_construct_raw(s);
	set_envelope(s, parsed);
	es_engine_run(e, s, parsed, &v);
	report(s, &v, name, (double)(g_get_monotonic_time() - t0) / 1000.0);
	es_verdict_clear(&v);
	es_scan_free(s);
	if (parsed)
		g_object_unref(parsed);
}

/* next_from_line - the next line after the one at P (before END) that
 * starts "From ", where GMime's mbox reader starts a message; END if none */
static const char *next_from_line(const char *p, const char *end)
{
	while ((p = memchr(p, '\n', (gsize)(end - p))) && ++p < end)
		if (end - p >= 5 && memcmp(p, "From ", 5) == 0)
			return p;
	return end;
}

/* scan_mbox - each message of BOX, an mbox file's content: cut at its
 * "From " lines and read as a single message is (its unclosed encoded
 * words defused, its size checked), not by GMime's mbox reader, which
 * meets them undefused */
static void scan_mbox(es_engine *e, const char *path, GBytes *box)
{
	gsize len;
	const char *start = g_bytes_get_data(box, &len), *end = start + len;
	int n = 0;

	for (const char *from = start, *next; from < end; from = next) {
		const char *line_end = memchr(from, '\n', (gsize)(end - from));
		const char *body = line_end ? line_end + 1 : end;
		char *name;
		GBytes *raw;

		next = next_from_line(from, end);
		if (body >= next)	/* a "From " line and nothing else: no message */
			continue;
		name = g_strdup_printf("%s#%d", path, ++n);
		raw = g_bytes_new_from_bytes(box, (gsize)(body - start), (gsize)(next - body));
		scan_one(e, name, raw);
		g_bytes_unref(raw);
		g_free(name);
	}
}

/* cmp_names - order of files in a directory */
static int cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* scan_path - a file, an mbox or a directory (recursively, sorted); FALSE if unreadable */
static gboolean scan_path(es_engine *e, const char *path)
{
	char *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	GBytes *raw;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		GDir *d = g_dir_open(path, 0, &err);
		GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
		gboolean ok = d != NULL;
		const char *n;

		while (d && (n = g_dir_read_name(d)))
			g_ptr_array_add(names, g_build_filename(path, n, NULL));
		if (d)
			g_dir_close(d);
		g_ptr_array_sort(names, cmp_names);
		for (guint i = 0; i < names->len; i++)
			ok &= scan_path(e, g_ptr_array_index(names, i));
		g_ptr_array_unref(names);
		if (err) {
			fprintf(stderr, "esafety-scan: %s\n", err->message);
			g_error_free(err);
		}
		return ok;
	}
	if (!g_file_get_contents(path, &data, &len, &err)) {
		fprintf(stderr, "esafety-scan: %s\n", err->message);
		g_error_free(err);
		return FALSE;
	}
	raw = g_bytes_new_take(data, len);
	if (len > 5 && strncmp(data, "From ", 5) == 0)
		scan_mbox(e, path, raw);
	else
		scan_one(e, path, raw);
	g_bytes_unref(raw);
	return TRUE;
}

int main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new("FILE|DIR|MBOX...");
	GError *err = NULL;
	es_conf *conf;
	es_engine *e;
	int status = 0;

	g_option_context_set_summary(ctx, "Scan messages with the esafety-milter pipeline, with no MTA.\n"
				     "Exit status: 0 all scanned, 2 usage or config error, 3 some input unreadable.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc < 2) {
		fprintf(stderr, "esafety-scan: %s\n", err ? err->message : "no file to scan (see --help)");
		g_clear_error(&err);
		g_option_context_free(ctx);
		return 2;
	}
	g_option_context_free(ctx);
	signal(SIGPIPE, SIG_IGN);	/* a Redis that goes away must not kill the scan */
	es_log_open("esafety-scan", NULL, 1);
	es_log_capture_libraries();
	es_log_set_level(opt_verbose ? LOG_DEBUG : LOG_ERR);
	es_library_init();
	conf = opt_config ? es_conf_load(opt_config, &err) : es_conf_new_defaults();
	if (!conf || !(e = es_engine_load(conf, &err))) {
		fprintf(stderr, "esafety-scan: %s\n", err->message);
		return 2;
	}
	/* an admin trying a message against the live config must not rate-limit
	 * pupils or use up a sender's first contact */
	if (!opt_record)
		es_engine_without_reputation(e);
	for (int i = 1; i < argc; i++)
		if (!scan_path(e, argv[i]))
			status = 3;
	es_engine_unref(e);
	es_conf_unref(conf);
	return status;
}
