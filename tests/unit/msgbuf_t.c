/* msgbuf_t.c - the message buffer: CRLF to LF across chunk boundaries,
 * spilling to a private file past the limit, and a clear error when it cannot */
#include "config.h"
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "msgbuf.h"

/* random_chunks - random text of CR, LF and letters, appended in random
 * chunk sizes (empty ones too), must read back as the whole text with every
 * CRLF turned into LF; a plain byte-at-a-time conversion is the reference */
static gboolean random_chunks(guint32 seed, gsize limit)
{
	GRand *rng = g_rand_new_with_seed(seed);
	es_msgbuf *b = es_msgbuf_new(limit, g_get_tmp_dir());
	GString *in = g_string_new(NULL), *want = g_string_new(NULL);
	GBytes *got;
	gboolean same;

	for (int i = 0; i < 4000; i++)
		g_string_append_c(in, "\r\n\rab"[g_rand_int_range(rng, 0, 5)]);
	for (gsize i = 0; i < in->len; i++)
		if (!(in->str[i] == '\r' && i + 1 < in->len && in->str[i + 1] == '\n'))
			g_string_append_c(want, in->str[i]);
	for (gsize off = 0; off < in->len;) {
		gsize r = (gsize)g_rand_int_range(rng, 0, 40), n = MIN(r, in->len - off);

		es_msgbuf_append(b, in->str + off, n, NULL);
		off += n;
	}
	got = es_msgbuf_bytes(b, NULL);
	same = got && g_bytes_get_size(got) == want->len &&
	       memcmp(g_bytes_get_data(got, NULL), want->str, want->len) == 0;
	g_bytes_unref(got);
	es_msgbuf_free(b);
	g_string_free(in, TRUE);
	g_string_free(want, TRUE);
	g_rand_free(rng);
	return same;
}

int main(void)
{
	es_msgbuf *b = es_msgbuf_new(64, g_get_tmp_dir());
	GError *err = NULL;
	GBytes *bytes;
	GString *want = g_string_new(NULL);
	gboolean all_same = TRUE;

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

	for (guint32 seed = 1; seed <= 50; seed++)
		all_same &= random_chunks(seed, seed % 2 ? 1 << 20 : 512);
	ok(all_same, "random CR/LF text in random chunks converts like the byte-at-a-time reference, in memory and spilled");

	b = es_msgbuf_new(4, "/nonexistent-dir");
	ok(!es_msgbuf_append(b, "more than four bytes", 20, &err) && err && strstr(err->message, "/nonexistent-dir"),
	   "spill into a missing directory fails with a message naming it");
	g_clear_error(&err);
	es_msgbuf_free(b);
	g_string_free(want, TRUE);
	return done_testing();
}
