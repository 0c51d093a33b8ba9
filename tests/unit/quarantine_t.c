/* quarantine_t.c - the quarantine contract: Maildir delivery, signed
 * headers that detect tampering, one-time release tokens, key checks */
#include "config.h"
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "quarantine.h"

/* only_file - the one file in DIR (g_free), or NULL */
static char *only_file(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n = d ? g_dir_read_name(d) : NULL;
	char *path = n ? g_build_filename(dir, n, NULL) : NULL;

	if (d && g_dir_read_name(d)) {
		g_free(path);
		path = NULL;
	}
	if (d)
		g_dir_close(d);
	return path;
}

/* test_year_group - X-ESafety-Year-Group is written when known, signed like
 * the rest, and a block without it (older files) still verifies */
static void test_year_group(es_scan *s, const es_verdict *v, GBytes *key)
{
	char *head, *at;

	s->year_group = "Year 9";
	head = es_quarantine_headers(s, v, NULL, "0123456789abcdef", key);
	ok(strstr(head, "X-ESafety-Direction: inbound\nX-ESafety-Year-Group: Year 9\nX-ESafety-Envelope-From: ") != NULL,
	   "the pupil's year group follows the direction");
	ok(es_quarantine_verify(head, strlen(head), key), "the block with a year group verifies");
	at = strstr(head, "Year 9");
	if (at)
		at[5] = '8';
	ok(!es_quarantine_verify(head, strlen(head), key), "a changed year group fails verification");
	g_free(head);
	s->year_group = NULL;
	head = es_quarantine_headers(s, v, NULL, "0123456789abcdef", key);
	ok(!strstr(head, "Year-Group") && es_quarantine_verify(head, strlen(head), key),
	   "no year group known: no header, and the block verifies as before");
	g_free(head);
}

int main(void)
{
	char *dir = g_dir_make_tmp("quarantine_t.XXXXXX", NULL);
	char *keyfile = g_build_filename(dir, "hmac.key", NULL);
	char *root = g_build_filename(dir, "q", NULL);
	es_conf *conf = es_conf_new_defaults();
	es_scan *s = es_scan_new(conf, "4ABC123");
	es_verdict v = { .action = ES_ACTION_HOLD, .rule = g_strdup("outside-to-pupil"), .categories = g_strdup("sexual") };
	GError *err = NULL;
	GBytes *key;
	char *id = NULL, *newdir, *file, *data = NULL, *token, *got = NULL;
	gsize len;

	g_file_set_contents(keyfile, "0123456789abcdef0123456789abcdef\n", -1, NULL);
	g_chmod(keyfile, 0644);
	ok(es_hmac_key_load(keyfile, &err) == NULL && err && strstr(err->message, "others"),
	   "a key file others can read is refused");
	g_clear_error(&err);
	g_file_set_contents(keyfile, "short\n", -1, NULL);
	g_chmod(keyfile, 0600);
	ok(es_hmac_key_load(keyfile, &err) == NULL && err && strstr(err->message, "[quarantine] hmac_key_file") &&
	   strstr(err->message, "shorter than 16 bytes") && strstr(err->message, "esafety-milter -k"),
	   "a short key is refused naming the key and the cure: %s", err ? err->message : "");
	g_clear_error(&err);
	{
		char *kdir = g_build_filename(dir, "keydir", NULL);

		g_mkdir(kdir, 0700);
		ok(es_hmac_key_load(kdir, &err) == NULL && err && strstr(err->message, "[quarantine] hmac_key_file: "),
		   "an unreadable key names the config key: %s", err ? err->message : "");
		g_clear_error(&err);
		g_rmdir(kdir);
		g_free(kdir);
	}
	g_file_set_contents(keyfile, "0123456789abcdef0123456789abcdef\n", -1, NULL);
	g_chmod(keyfile, 0600);
	key = es_hmac_key_load(keyfile, &err);
	ok(key != NULL, "a private key file loads");

	s->raw = g_bytes_new_static("Subject: hi\n\nbody\n", 18);
	g_free(s->sender);
	s->sender = g_strdup("x@example.com");
	g_ptr_array_add(s->rcpts, g_strdup("pupil@pupils.hill.sch.uk"));
	g_ptr_array_add(s->rcpts, g_strdup("other@pupils.hill.sch.uk"));
	es_scan_add_finding(s, "language", "sexual", 4, "1", "sx-01", "a \"quoted\"\nexcerpt");
	ok(es_quarantine_store(s, &v, NULL, root, key, &id, &err), "message stored%s%s", err ? ": " : "", err ? err->message : "");
	ok(id && strlen(id) == 16, "16-character quarantine id");
	newdir = g_build_filename(root, "_none", "new", NULL);
	file = only_file(newdir);
	ok(file != NULL, "exactly one file in new/ of the school's Maildir");
	ok(file && g_file_get_contents(file, &data, &len, NULL), "stored file readable");
	if (data) {
		struct stat st;

		ok(g_str_has_prefix(data, "X-ESafety-Id: ") && strstr(data, "\nSubject: hi\n\nbody\n") != NULL,
		   "signed headers first, then the original message");
		ok(strstr(data, "X-ESafety-Envelope-To: pupil@pupils.hill.sch.uk\nX-ESafety-Envelope-To: other@") != NULL,
		   "one Envelope-To header per original recipient");
		ok(strstr(data, "excerpt=\"a \\\"quoted\\\" excerpt\"") != NULL, "excerpt quoted, newline flattened");
		ok(strstr(data, "X-ESafety-Queue-Id: 4ABC123\n") != NULL, "queue id recorded");
		ok(es_quarantine_verify(data, len, key), "HMAC verifies");
		data[strstr(data, "sexual") - data] = 'S';
		ok(!es_quarantine_verify(data, len, key), "a changed header fails verification");
		stat(file, &st);
		is_int(st.st_mode & 0777, 0600, "stored file is private (0600)");
	}
	test_year_group(s, &v, key);
	token = es_release_token(id, 3600, key);
	ok(es_release_token_check(token, key, &got) && g_strcmp0(got, id) == 0, "release token accepted, id recovered");
	g_free(got);
	token[strlen(token) - 1] = token[strlen(token) - 1] == '0' ? '1' : '0';
	ok(!es_release_token_check(token, key, NULL), "forged token refused");
	g_free(token);
	token = es_release_token(id, -10, key);
	ok(!es_release_token_check(token, key, NULL), "expired token refused");
	ok(!es_release_token_check("../../etc.1.abc", key, NULL), "token with a path in it refused");
	ok(es_release_claim(root, id, &err), "first claim of a release succeeds");
	ok(!es_release_claim(root, id, &err) && err == NULL, "second claim refused (used once)");
	g_chmod(root, 0500);
	if (getuid() != 0) {
		ok(!es_quarantine_store(s, &v, NULL, root, key, NULL, &err) && err, "unwritable quarantine reports an error");
	} else {
		/* root ignores permissions: use a path under a file instead */
		char *bad = g_build_filename(keyfile, "q", NULL);

		ok(!es_quarantine_store(s, &v, NULL, bad, key, NULL, &err) && err, "unwritable quarantine reports an error");
		g_free(bad);
	}
	g_clear_error(&err);
	g_chmod(root, 0700);
	g_free(token);
	g_free(data);
	g_free(file);
	g_free(newdir);
	g_free(id);
	es_verdict_clear(&v);
	es_scan_free(s);
	es_conf_unref(conf);
	g_bytes_unref(key);
	g_free(keyfile);
	g_free(root);
	g_free(dir);
	return done_testing();
}
