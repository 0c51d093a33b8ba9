/* virus_test.h - helpers shared by the virus unit tests: configs pointing at
 * a signature directory, messages built around attachments, zips built with
 * libarchive, and one call that parses a message and runs the detector */
#ifndef ES_VIRUS_TEST_H
#define ES_VIRUS_TEST_H

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include "conf.h"
#include "scan.h"
#include "mime.h"
#include "detector.h"

/* The EICAR test string, written in two halves so this file is not itself
 * flagged by a scanner on a developer's machine. */
#define VT_EICAR "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

extern const es_detector es_detector_virus;

/* vt_fixture_db - the project's test signature directory */
static inline char *vt_fixture_db(void)
{
	const char *top = getenv("top_srcdir");

	return g_build_filename(top ? top : ".", "tests", "fixtures", "clamav", NULL);
}

/* vt_tmpdir - a fresh private directory for one test */
static inline char *vt_tmpdir(void)
{
	char *d = g_dir_make_tmp("es-virus-XXXXXX", NULL);

	if (!d) {
		printf("Bail out! cannot make a temporary directory\n");
		exit(1);
	}
	return d;
}

/* vt_conf - a config whose [clamav] section is DB plus EXTRA lines */
static inline es_conf *vt_conf(const char *tmp, const char *db, const char *extra)
{
	char *path = g_build_filename(tmp, "esafety.conf", NULL);
	/* no watcher unless a test asks for one */
	char *text = g_strdup_printf("[clamav]\ndatabase = %s\n%s%s\n", db,
				     extra && strstr(extra, "check_interval") ? "" : "check_interval = 0\n",
				     extra ? extra : "");
	GError *err = NULL;
	es_conf *c;

	g_file_set_contents(path, text, -1, NULL);
	c = es_conf_load(path, &err);
	if (!c) {
		printf("Bail out! config: %s\n", err->message);
		exit(1);
	}
	g_free(text);
	g_free(path);
	return c;
}

/* vt_mail - a message with a short text body and, when DATA is set, one
 * base64 attachment NAME */
static inline GBytes *vt_mail(const char *body, const char *name, const void *data, gsize len)
{
	GString *m = g_string_new("From: pupil@example.sch.uk\r\nTo: friend@example.org\r\n"
				  "Subject: test\r\nMessage-ID: <vt@example.sch.uk>\r\nMIME-Version: 1.0\r\n");

	if (!data) {
		g_string_append_printf(m, "Content-Type: text/plain\r\n\r\n%s\r\n", body);
		return g_string_free_to_bytes(m);
	}
	char *b64 = g_base64_encode(data, len);
	g_string_append_printf(m, "Content-Type: multipart/mixed; boundary=\"vt-b\"\r\n\r\n"
			       "--vt-b\r\nContent-Type: text/plain\r\n\r\n%s\r\n"
			       "--vt-b\r\nContent-Type: application/octet-stream; name=\"%s\"\r\n"
			       "Content-Disposition: attachment; filename=\"%s\"\r\n"
			       "Content-Transfer-Encoding: base64\r\n\r\n", body, name, name);
	for (gsize i = 0, n = strlen(b64); i < n; i += 76)
		g_string_append_printf(m, "%.76s\r\n", b64 + i);
	g_string_append(m, "--vt-b--\r\n");
	g_free(b64);
	return g_string_free_to_bytes(m);
}

/* One member of a zip made by vt_zip_members. */
typedef struct {
	const char *name;
	const void *data;
	gsize len;
} vt_member;

/* vt_zip_members - a zip of MEMBERS (ended by a NULL name); with PASSWORD
 * every member is encrypted */
static inline GBytes *vt_zip_members(const vt_member *members, const char *password)
{
	struct archive *a = archive_write_new();
	gsize cap = 65536, used = 0;
	char *buf;

	for (const vt_member *m = members; m->name; m++)
		cap += m->len + 512;
	buf = g_malloc(cap);
	archive_write_set_format_zip(a);
	if (password && (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
			 archive_write_set_passphrase(a, password) != ARCHIVE_OK)) {
		printf("Bail out! libarchive cannot encrypt: %s\n", archive_error_string(a));
		exit(1);
	}
	archive_write_open_memory(a, buf, cap, &used);
	for (const vt_member *m = members; m->name; m++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m->name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, m->len);
		archive_write_header(a, e);
		archive_write_data(a, m->data, m->len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return g_bytes_new_take(buf, used);
}

/* vt_zip - a zip holding one member NAME (with PASSWORD: encrypted) */
static inline GBytes *vt_zip(const char *name, const void *data, gsize len, const char *password)
{
	return vt_zip_members((const vt_member[]) { { name, data, len }, { NULL, NULL, 0 } }, password);
}

/* vt_check - parse RAW as a message and run the virus detector on it.
 * Returns the scan (caller frees); *ok is check()'s result. */
static inline es_scan *vt_check(void *state, const es_conf *conf, GBytes *raw, gboolean *ok,
				GError **err)
{
	es_scan *s = es_scan_new(conf, "VTQID1");

	s->raw = g_bytes_ref(raw);
	es_mime_parse(s);
	*ok = es_detector_virus.check(state, s, err);
	return s;
}

/* vt_finding - the first finding by DETECTOR, or NULL */
static inline es_finding *vt_finding(es_scan *s, const char *detector)
{
	for (guint i = 0; i < s->findings->len; i++) {
		es_finding *f = g_ptr_array_index(s->findings, i);

		if (strcmp(f->detector, detector) == 0)
			return f;
	}
	return NULL;
}

/* vt_read - a file's bytes, or bail out */
static inline GBytes *vt_read(const char *path)
{
	char *data;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, NULL)) {
		printf("Bail out! cannot read %s (is clamav-testfiles installed?)\n", path);
		exit(1);
	}
	return g_bytes_new_take(data, len);
}

/* vt_rm_rf - remove a test directory (one level of files) */
static inline void vt_rm_rf(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;

	while (d && (n = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, n, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

#endif
