/* msgbuf_t.c - the message buffer: CRLF to LF across chunk boundaries,
 * spilling to a private file past the limit, and a clear error when it cannot */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "msgbuf.h"

int main(void)
{
	es_msgbuf *b = es_msgbuf_new(64, g_get_tmp_dir());
	GError *err = NULL;
	GBytes *bytes;
	GString *want = g_string_new(NULL);

	es_msgbuf_append(b, "a\r", 2, NULL);
	es_msgbuf_append(b, "\nb\r\n", 4, NULL);
	es_msgbuf_append(b, "lone\rcr\r", 8, NULL);
	bytes = es_msgbuf_bytes(b, NULL);
	ok(g_bytes_get_size(bytes) == 12 && memcmp(g_bytes_get_data(bytes, NULL), "a\nb\nlone\rcr\r", 12) == 0,
	   "CRLF split across chunks becomes LF; lone CRs kept");
	ok(!es_msgbuf_spilled(b), "small message stays in memory");
	g_bytes_unref(bytes);
	es_msgbuf_free(b);

	b = es_msgbuf_new(64, g_get_tmp_dir());
	for (int i = 0; i < 100; i++) {
		char line[32];

		g_snprintf(line, sizeof(line), "line %03d\r\n", i);
		es_msgbuf_append(b, line, strlen(line), NULL);
		g_string_append_printf(want, "line %03d\n", i);
	}
	ok(es_msgbuf_spilled(b), "past the limit it spills to a file");
	bytes = es_msgbuf_bytes(b, &err);
	ok(bytes && g_bytes_get_size(bytes) == want->len && memcmp(g_bytes_get_data(bytes, NULL), want->str, want->len) == 0,
	   "spilled message reads back whole");
	is_int(es_msgbuf_size(b), want->len, "size counts memory and file");
	g_bytes_unref(bytes);
	es_msgbuf_free(b);

	b = es_msgbuf_new(4, "/nonexistent-dir");
	ok(!es_msgbuf_append(b, "more than four bytes", 20, &err) && err && strstr(err->message, "/nonexistent-dir"),
	   "spill into a missing directory fails with a message naming it");
	g_clear_error(&err);
	es_msgbuf_free(b);
	g_string_free(want, TRUE);
	return done_testing();
}
