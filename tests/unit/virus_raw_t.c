/* virus_raw_t.c - [clamav] scan_raw: each decoded MIME part is scanned, and
 * in auto mode the message as received only when that finds more
 * (uuencode or BinHex in its text, or a message GMime could not read);
 * uuencode and BinHex inside a part are found without it; the part walk
 * keeps to the per-message limits */
#include "config.h"
#include <stdio.h>
#include "../lib/tap.h"
#include "../virus/virus_test.h"

#define TESTFILES "/usr/share/clamav-testfiles"
#define SAMPLE "Es.Test.ClamAV-Test-File"

static char *tmp, *db;
static char *uu_block, *binhex;		/* clam.exe uuencoded, and as BinHex 4.0 */

/* scan_with - parse RAW (unless NOT_PARSED) and scan it under EXTRA [clamav] lines */
static es_scan *scan_with(const char *extra, GBytes *raw, gboolean not_parsed, gboolean *done)
{
	es_conf *conf = vt_conf(tmp, db, extra);
	void *st = es_detector_virus.load(conf, NULL);
	es_scan *s = es_scan_new(conf, "VTQID4");

	s->raw = g_bytes_ref(raw);
	if (!not_parsed)
		es_mime_parse(s);
	*done = es_detector_virus.check(st, s, NULL);
	es_detector_virus.unload(st);
	es_conf_unref(conf);
	return s;
}

/* expect - scanned under EXTRA: found a NAME_PREFIX virus (NULL: clean),
 * and the raw message was scanned for RAW_REASON (NULL: not scanned) */
static void expect(const char *what, const char *extra, GBytes *raw, gboolean not_parsed,
		   const char *name_prefix, const char *raw_reason)
{
	gboolean done;
	es_scan *s = scan_with(extra, raw, not_parsed, &done);
	const char *reason = g_hash_table_lookup(s->inputs, "virus.raw_scan");

	ok(done && (name_prefix ? s->virus && g_str_has_prefix(s->virus, name_prefix) : !s->virus) &&
	   g_strcmp0(reason, raw_reason) == 0, "%s: %s, raw message %s%s", what,
	   s->virus ? s->virus : "clean", reason ? "scanned: " : "not scanned", reason ? reason : "");
	es_scan_free(s);
}

/* text_mail - a message from HEADERS (ending in the Content-Type and any
 * other part headers) and BODY */
static GBytes *text_mail(const char *headers, const char *body)
{
	char *m = g_strdup_printf("From: pupil@example.sch.uk\r\nTo: friend@example.org\r\n"
				  "Subject: game\r\nMIME-Version: 1.0\r\n%s\r\n\r\n%s", headers, body);

	return g_bytes_new_take(m, strlen(m));
}

/* test_clean - ordinary mail: parts only in auto and never, raw too with always */
static void test_clean(void)
{
	GBytes *z = vt_zip("notes.txt", "spelling list\n", 14, NULL);
	GBytes *m = vt_mail("Please find the spelling list.", "notes.zip",
			    g_bytes_get_data(z, NULL), g_bytes_get_size(z));

	expect("clean mail with a zip, auto", NULL, m, FALSE, NULL, NULL);
	expect("clean mail with a zip, always", "scan_raw = always", m, FALSE, NULL, "always");
	expect("clean mail with a zip, never", "scan_raw = never", m, FALSE, NULL, NULL);
	g_bytes_unref(m);
	g_bytes_unref(z);
}

/* test_uuencode - a uuencoded program after a greeting in a plain body */
static void test_uuencode(void)
{
	char *body = g_strdup_printf("Hi,\r\n\r\nhere is the game:\r\n\r\n%s\r\nBye\r\n", uu_block);
	GBytes *m = text_mail("Content-Type: text/plain", body);
	char *b64 = g_base64_encode((const guchar *)body, strlen(body));
	GBytes *mb = text_mail("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64", b64);

	expect("uuencode in the body, auto", NULL, m, FALSE, SAMPLE, "uuencode");
	expect("uuencode in the body, never (found in the part)", "scan_raw = never", m, FALSE,
	       SAMPLE, NULL);
	/* the raw message shows only base64; libclamav's mail parser does not
	 * look for uuencode in a decoded part, the part walk does */
	expect("uuencode inside a base64 text part", NULL, mb, FALSE, SAMPLE, NULL);
	g_bytes_unref(m);
	g_bytes_unref(mb);
	g_free(b64);
	g_free(body);
}

/* test_binhex - BinHex after a greeting (libclamav alone finds BinHex only
 * at the start of a file or body) */
static void test_binhex(void)
{
	char *body = g_strdup_printf("Hi,\r\n\r\nthe Mac version:\r\n\r\n%s\r\n", binhex);
	GBytes *m = text_mail("Content-Type: text/plain", body);

	expect("BinHex after a greeting, auto", NULL, m, FALSE, SAMPLE, "binhex");
	expect("BinHex after a greeting, never", "scan_raw = never", m, FALSE, SAMPLE, NULL);
	g_bytes_unref(m);
	g_free(body);
}

/* test_outside_parts - uuencode before the first MIME part, BinHex after
 * the last, where no part shows them: libclamav's mail parser finds them
 * in the raw message, so auto scans it */
static void test_outside_parts(void)
{
	static const char part[] = "--vt-b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--vt-b--\r\n";
	static const char mixed[] = "Content-Type: multipart/mixed; boundary=\"vt-b\"";
	char *body = g_strdup_printf("%s\r\n%s", uu_block, part);
	GBytes *m = text_mail(mixed, body);

	expect("uuencode in the MIME preamble, auto", NULL, m, FALSE, SAMPLE, "uuencode");
	expect("uuencode in the MIME preamble, never: not seen", "scan_raw = never", m, FALSE,
	       NULL, NULL);
	g_bytes_unref(m);
	g_free(body);
	body = g_strdup_printf("%s%s", part, binhex);
	m = text_mail(mixed, body);
	expect("BinHex after the last MIME part, auto", NULL, m, FALSE, SAMPLE, "binhex");
	expect("BinHex after the last MIME part, never: not seen", "scan_raw = never", m, FALSE,
	       NULL, NULL);
	g_bytes_unref(m);
	g_free(body);
}

/* test_not_parsed - no MIME structure to walk: the raw message is scanned */
static void test_not_parsed(void)
{
	GBytes *m = vt_mail(VT_EICAR, NULL, NULL, 0);

	expect("message GMime could not read, auto", NULL, m, TRUE, "Es.Test.EICAR", "not parsed");
	expect("the same, never: nothing to scan", "scan_raw = never", m, TRUE, NULL, NULL);
	g_bytes_unref(m);
}

/* test_damaged - MIME GMime reads one way and a client (and libclamav's
 * parser) another: the raw message is scanned too, and the virus found */
static void test_damaged(void)
{
	static const char eicar64[] = "WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJE"
		"LUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=";
	char *body = g_strdup_printf("--BB\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
				     "--BB\r\nContent-Type: application/octet-stream; name=a.com\r\n"
				     "Content-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
				     "%s\r\n--BB--\r\n", eicar64);
	GBytes *m = text_mail("Content-Type: multipart/mixed; boundary=BB", body);

	expect("Content-Transfer-Encoding given twice (base64 first), auto", NULL, m, FALSE,
	       "Es.Test.EICAR", "damaged MIME");
	g_bytes_unref(m);
	g_free(body);
	body = g_strdup_printf("--BB\r\nContent-Type: application/octet-stream; name=a.com\r\n"
			       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--BB--\r\n", eicar64);
	m = text_mail("Content-Type: multipart/mixed", body);
	expect("a multipart with no boundary parameter, auto", NULL, m, FALSE, "Es.Test.EICAR", "damaged MIME");
	g_bytes_unref(m);
	g_free(body);
}

/* test_part_limits - more parts than max_files, or more bytes than
 * max_scansize: a limits finding (the rest is not scanned), or with
 * heuristic_limits = no a pass, as libclamav does within one file */
static void test_part_limits(void)
{
	GString *body = g_string_new(NULL);
	GBytes *m;
	gboolean done;
	es_scan *s;
	es_finding *f;

	for (int i = 0; i < 4; i++)
		g_string_append_printf(body, "--vt-b\r\nContent-Type: text/plain\r\n\r\nnote %d\r\n", i);
	g_string_append_printf(body, "--vt-b\r\nContent-Type: text/plain\r\n\r\n%s\r\n--vt-b--\r\n",
			       VT_EICAR);
	m = text_mail("Content-Type: multipart/mixed; boundary=\"vt-b\"", body->str);
	s = scan_with("max_files = 3", m, FALSE, &done);
	f = vt_finding(s, "limits");
	ok(done && !s->virus && f && strcmp(f->rule, "Heuristics.Limits.Exceeded.MaxFiles") == 0 &&
	   strcmp(f->part, "4") == 0, "5 parts, max_files = 3: limits finding %s in part %s",
	   f ? f->rule : "(none)", f ? f->part : "-");
	es_scan_free(s);
	s = scan_with("max_files = 3\nheuristic_limits = no", m, FALSE, &done);
	ok(done && !s->virus && !vt_finding(s, "limits"), "the same with heuristic_limits = no: passes");
	es_scan_free(s);
	expect("the same within max_files", NULL, m, FALSE, "Es.Test.EICAR", NULL);
	g_bytes_unref(m);
	g_string_free(body, TRUE);

	char *pad = g_strnfill(8192, 'x');
	m = vt_mail("big", "big.txt", pad, 8192);
	s = scan_with("max_scansize = 4K", m, FALSE, &done);
	f = vt_finding(s, "limits");
	ok(done && f && strcmp(f->rule, "Heuristics.Limits.Exceeded.MaxScanSize") == 0 &&
	   strcmp(f->part, "2") == 0, "8K part, max_scansize = 4K: limits finding %s in part %s",
	   f ? f->rule : "(none)", f ? f->part : "-");
	es_scan_free(s);
	g_bytes_unref(m);
	g_free(pad);
}

/* signed_der - LEN bytes at INNER (a MIME entity, or a file with OPTS
 * -binary) under an S/MIME opaque signature that openssl makes with a
 * throw-away certificate: DER, or BER with OPTS -stream */
static GBytes *signed_der(const void *inner, gssize len, const char *opts)
{
	char *in = g_build_filename(tmp, "inner.txt", NULL), *out = g_build_filename(tmp, "signed.p7m", NULL);
	char *cmd = g_strdup_printf("sh -c 'cd \"%s\" && { [ -f k.pem ] || openssl req -x509 -newkey rsa:2048 "
				    "-nodes -subj /CN=vt -days 2 -keyout k.pem -out c.pem 2>/dev/null; } && "
				    "openssl cms -sign -nodetach %s -in inner.txt -signer c.pem -inkey k.pem "
				    "-outform DER -out signed.p7m'", tmp, opts);
	GError *err = NULL;
	int status = 0;
	GBytes *b;

	if (!g_file_set_contents(in, inner, len, &err) ||
	    !g_spawn_command_line_sync(cmd, NULL, NULL, &status, &err) || !g_spawn_check_wait_status(status, &err)) {
		printf("Bail out! openssl cms -sign: %s\n", err->message);
		exit(1);
	}
	b = vt_read(out);
	g_free(cmd);
	g_free(in);
	g_free(out);
	return b;
}

/* test_smime_signed - a program attached in base64 to a message that is
 * wrapped in an opaque S/MIME signature: libclamav does not open CMS, and
 * the raw message holds only the signature's base64 */
static void test_smime_signed(void)
{
	GBytes *exe = vt_read(TESTFILES "/clam.exe");
	char *b64 = g_base64_encode(g_bytes_get_data(exe, NULL), g_bytes_get_size(exe));
	char *inner = g_strdup_printf("Content-Type: application/octet-stream; name=\"game.exe\"\r\n"
				      "Content-Disposition: attachment; filename=\"game.exe\"\r\n"
				      "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", b64);

	static const struct { const char *opts, *what; } forms[] = {
		{ "", "base64 program inside an opaque S/MIME signature (DER)" },
		{ "-stream", "base64 program inside an opaque S/MIME signature (BER)" },
		{ "-binary", "program signed as it is (no MIME entity inside)" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
		gboolean file = strcmp(forms[i].opts, "-binary") == 0;
		GBytes *der = file ? signed_der(g_bytes_get_data(exe, NULL), (gssize)g_bytes_get_size(exe), "-binary")
				   : signed_der(inner, -1, forms[i].opts);
		GBytes *m = vt_mail("Signed.", file ? "game.exe.p7m" : "smime.p7m", g_bytes_get_data(der, NULL),
				    g_bytes_get_size(der));

		expect(forms[i].what, NULL, m, FALSE, SAMPLE, NULL);
		g_bytes_unref(m);
		g_bytes_unref(der);
	}
	/* signed, then signed again: the inner signature is opened in turn */
	{
		GBytes *once = signed_der(inner, -1, "");
		char *b64once = g_base64_encode(g_bytes_get_data(once, NULL), g_bytes_get_size(once));
		char *wrapped = g_strdup_printf("Content-Type: application/pkcs7-mime; smime-type=signed-data;"
						" name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
						b64once);
		GBytes *twice = signed_der(wrapped, -1, "");
		GBytes *m = vt_mail("Signed twice.", "smime.p7m", g_bytes_get_data(twice, NULL),
				    g_bytes_get_size(twice));

		expect("base64 program inside a signature inside a signature", NULL, m, FALSE, SAMPLE, NULL);
		g_bytes_unref(m);
		g_bytes_unref(twice);
		g_free(wrapped);
		g_free(b64once);
		g_bytes_unref(once);
	}
	g_free(inner);
	g_free(b64);
	g_bytes_unref(exe);
}

/* read_samples - the uuencoded block of clam.exe.mbox.uu (whose "end" line
 * is cut short: it is put back) and clam.exe.binhex */
static void read_samples(void)
{
	GBytes *uu = vt_read(TESTFILES "/clam.exe.mbox.uu");
	GBytes *bh = vt_read(TESTFILES "/clam.exe.binhex");
	const char *text = g_bytes_get_data(uu, NULL);
	const char *begin = strstr(text, "\nbegin 644 "), *last = strrchr(text, '\n');

	if (!begin || last <= begin) {
		printf("Bail out! no uuencoded block in clam.exe.mbox.uu\n");
		exit(1);
	}
	uu_block = g_strdup_printf("%.*send\n", (int)(last - begin), begin + 1);
	binhex = g_strndup(g_bytes_get_data(bh, NULL), g_bytes_get_size(bh));
	g_bytes_unref(uu);
	g_bytes_unref(bh);
}

int main(void)
{
	g_mime_init();
	tmp = vt_tmpdir();
	db = vt_fixture_db();
	read_samples();
	test_clean();
	test_uuencode();
	test_binhex();
	test_outside_parts();
	test_not_parsed();
	test_damaged();
	test_part_limits();
	test_smime_signed();
	vt_rm_rf(tmp);
	g_free(uu_block);
	g_free(binhex);
	g_free(tmp);
	g_free(db);
	return done_testing();
}
