/* quarantine.c - store flagged mail in the school's Maildir with signed
 * X-ESafety-* headers, verify them, and make and check release tokens */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "quarantine.h"
#include "route.h"
#include "log.h"

/* es_hmac_key_load - the secret, refused if others can read or write it */
GBytes *es_hmac_key_load(const char *path, GError **err)
{
	struct stat st;
	char *data = NULL;
	gsize len = 0;
	GError *e = NULL;

	if (stat(path, &st) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s (make one with esafety-milter -k)", path, g_strerror(errno));
		return NULL;
	}
	if (st.st_mode & (S_IWGRP | S_IRWXO)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "%s: others may read or write it (mode %03o); chmod 600 or 640", path,
			    (unsigned)(st.st_mode & 0777));
		return NULL;
	}
	if (!g_file_get_contents(path, &data, &len, &e)) {
		/* read as the user the daemon runs as: say which key, and the cure */
		g_set_error(err, e->domain, e->code, "[quarantine] hmac_key_file: %s%s", e->message,
			    e->code == G_FILE_ERROR_ACCES ? " (the daemons read it as their [milter] or [ui] user;"
			    " esafety-milter -k gives an existing key to [milter] user)" : "");
		g_error_free(e);
		return NULL;
	}
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len < 16) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "[quarantine] hmac_key_file %s: key is shorter than "
			    "16 bytes (no message was ever signed with it: remove it, then make a new one with esafety-milter -k)", path);
		g_free(data);
		return NULL;
	}
	return g_bytes_new_take(data, len);
}

/* es_hmac_hex - lower-case hex HMAC-SHA256 */
char *es_hmac_hex(GBytes *key, const char *data, gsize len)
{
	gsize klen;
	const guchar *k = g_bytes_get_data(key, &klen);

	return g_compute_hmac_for_data(G_CHECKSUM_SHA256, k, klen, (const guchar *)data, len);
}

/* one_line - VALUE with line breaks and other controls made spaces */
static void append_one_line(GString *out, const char *value)
{
	for (const char *p = value ? value : ""; *p; p++)
		g_string_append_c(out, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
}

/* header - "Name: value\n" */
static void header(GString *out, const char *name, const char *value)
{
	g_string_append_printf(out, "%s: ", name);
	append_one_line(out, value);
	g_string_append_c(out, '\n');
}

/* es_finding_format - "detector=..; category=..; ...; excerpt=\"..\"" (g_free) */
char *es_finding_format(const es_finding *f)
{
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "detector=%s; category=%s; severity=%d; part=%s; rule=%s; ",
			       f->detector, f->category, f->severity, f->part, f->rule);
	if (f->type)
		g_string_append_printf(out, "type=%s; ", f->type);
	if (f->records)
		g_string_append_printf(out, "records=%d; ", f->records);
	g_string_append(out, "excerpt=\"");
	for (const char *p = f->excerpt; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, (unsigned char)*p < 0x20 ? ' ' : *p);
	}
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}

/* whole - copy C, or the whole message as copy *W */
static const es_quarantine_copy *whole(const es_scan *s, const es_quarantine_copy *c, es_quarantine_copy *w)
{
	if (c)
		return c;
	w->school = s->school;
	w->rcpts = s->rcpts;
	w->year_group = s->year_group;
	w->sender_role = s->sender_role;
	w->direction = s->direction;
	w->policy_school = NULL;
	w->stored_for = NULL;
	return w;
}

/* es_quarantine_headers - the signed block, in the documented order */
char *es_quarantine_headers(const es_scan *s, const es_verdict *v, const es_quarantine_copy *c,
			    const char *id, GBytes *key)
{
	es_quarantine_copy w;
	GString *out = g_string_new(NULL);
	GDateTime *now = g_date_time_new_now_utc();
	char *when = g_date_time_format_iso8601(now), *mac;

	header(out, "X-ESafety-Id", id);
	c = whole(s, c, &w);
	header(out, "X-ESafety-School", c->school ? es_school_name(c->school) : "_none");
	if (c->policy_school)
		header(out, "X-ESafety-Policy-School", es_school_name(c->policy_school));
	/* the deciding school's view of the sender: whether the address spoke
	 * for its school or came from outside, which is where the milter keeps
	 * the sender's reputation (a forged address is counted apart) */
	if (c->policy_school)
		header(out, "X-ESafety-Policy-Sender-Role", es_role_name(c->policy_sender_role));
	if (c->stored_for)
		header(out, "X-ESafety-Stored-For", c->stored_for);
	header(out, "X-ESafety-Verdict", es_action_name(v->action));
	header(out, "X-ESafety-Reason", v->rule);
	header(out, "X-ESafety-Categories", v->categories);
	for (guint i = 0; i < s->findings->len; i++) {
		char *f = es_finding_format(g_ptr_array_index(s->findings, i));

		header(out, "X-ESafety-Finding", f);
		g_free(f);
	}
	header(out, "X-ESafety-Sender-Role", es_role_name(c->sender_role));
	header(out, "X-ESafety-Direction", es_direction_name(c->direction));
	if (c->year_group)
		header(out, "X-ESafety-Year-Group", c->year_group);
	header(out, "X-ESafety-Envelope-From", s->sender);
	for (guint i = 0; i < c->rcpts->len; i++)
		header(out, "X-ESafety-Envelope-To", g_ptr_array_index(c->rcpts, i));
	header(out, "X-ESafety-Queue-Id", s->qid);
	header(out, "X-ESafety-Time", when);
	if (s->virus)
		header(out, "X-ESafety-Virus", s->virus);
	mac = es_hmac_hex(key, out->str, out->len);
	header(out, "X-ESafety-HMAC", mac);
	g_free(mac);
	g_free(when);
	g_date_time_unref(now);
	return g_string_free(out, FALSE);
}

/* write_all - write LEN bytes or fail with errno set */
static gboolean write_all(int fd, const char *p, gsize len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* fsync_dir - make a rename durable */
static gboolean fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	gboolean ok = fd >= 0 && fsync(fd) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

/* maildir_prepare - ROOT/SCHOOL/{tmp,new,cur}, mode 0700 */
static char *maildir_prepare(const char *root, const char *school, GError **err)
{
	char *dir = g_build_filename(root, school, NULL);
	static const char *const subs[] = { "tmp", "new", "cur" };

	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		char *sub = g_build_filename(dir, subs[i], NULL);
		int rc = g_mkdir_with_parents(sub, 0700);

		g_free(sub);
		if (rc < 0) {
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
				    "cannot create Maildir %s: %s", dir, g_strerror(errno));
			g_free(dir);
			return NULL;
		}
	}
	return dir;
}

/* A copy on its way into the quarantine */
typedef struct {
	char *dir, *name, *id;
	gboolean in_new;	/* renamed into new/ */
} pending;

/* write_tmp - DIR/tmp/NAME with HEAD and BODY, fsync'd */
static gboolean write_tmp(const char *dir, const char *name, const char *head, GBytes *body, GError **err)
{
	char *tmp = g_build_filename(dir, "tmp", name, NULL);
	gsize blen = 0;
	const char *b = body ? g_bytes_get_data(body, &blen) : NULL;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	gboolean ok = fd >= 0 && write_all(fd, head, strlen(head)) &&
		      (!blen || write_all(fd, b, blen)) && fsync(fd) == 0;
	int saved = errno;

	if (fd >= 0 && close(fd) < 0 && ok)
		ok = FALSE, saved = errno;
	if (!ok) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "cannot store in quarantine %s: %s", dir, g_strerror(saved));
		unlink(tmp);
	}
	g_free(tmp);
	return ok;
}

/* to_new - rename P from tmp/ into new/ and make that durable */
static gboolean to_new(pending *p, GError **err)
{
	char *tmp = g_build_filename(p->dir, "tmp", p->name, NULL);
	char *dst = g_build_filename(p->dir, "new", p->name, NULL);
	char *newdir = g_build_filename(p->dir, "new", NULL);
	gboolean ok = rename(tmp, dst) == 0;

	p->in_new = ok;
	if (!(ok = ok && fsync_dir(newdir)))
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot store in quarantine %s: %s", p->dir, g_strerror(errno));
	g_free(tmp);
	g_free(dst);
	g_free(newdir);
	return ok;
}

/* undo - remove P from wherever it got to, durably: a copy rolled back
 * must not come back after a crash while the MTA retries the message */
static void undo(const es_scan *s, pending *p)
{
	char *sub = g_build_filename(p->dir, p->in_new ? "new" : "tmp", NULL);
	char *path = g_build_filename(sub, p->name, NULL);

	if (unlink(path) != 0 || (p->in_new && !fsync_dir(sub)))
		es_log(LOG_ERR, s->qid, "quarantine: could not take back the copy %s after a failed store: %s",
		       path, g_strerror(errno));
	g_free(path);
	g_free(sub);
}

/* es_quarantine_store_copies - see quarantine.h */
gboolean es_quarantine_store_copies(const es_scan *s, const es_verdict *v, GPtrArray *copies,
				    const char *root, GBytes *key, char **ids_out, GError **err)
{
	pending *ps = g_new0(pending, copies->len);
	guint written = 0, moved = 0;
	gboolean ok = TRUE;

	for (; ok && written < copies->len; written++) {
		const es_quarantine_copy *c = g_ptr_array_index(copies, written);
		pending *p = &ps[written];
		char *uuid = g_uuid_string_random(), *head;

		/* 16 hex digits of a random UUID: unique enough per school, short in URLs */
		p->id = g_strdup_printf("%.8s%.4s%.4s", uuid, uuid + 9, uuid + 14);
		g_free(uuid);
		if (!(p->dir = maildir_prepare(root, c->school ? es_school_name(c->school) : "_none", err))) {
			ok = FALSE;
			break;
		}
		head = es_quarantine_headers(s, v, c, p->id, key);
		p->name = g_strdup_printf("%" G_GINT64_FORMAT ".%s.%s", g_get_real_time() / G_USEC_PER_SEC,
					  p->id, g_get_host_name());
		ok = write_tmp(p->dir, p->name, head, s->raw, err);
		g_free(head);
		if (!ok) {
			g_clear_pointer(&p->name, g_free);	/* nothing of it to undo */
			break;
		}
	}
	/* every copy is in a tmp/: only now does any become visible */
	for (; ok && moved < copies->len; moved++)
		ok = to_new(&ps[moved], err);
	if (ok && ids_out) {
		GString *ids = g_string_new(NULL);

		for (guint i = 0; i < copies->len; i++)
			g_string_append_printf(ids, "%s%s", i ? "," : "", ps[i].id);
		*ids_out = g_string_free(ids, FALSE);
	}
	for (guint i = 0; ok && copies->len > 1 && i < copies->len; i++) {
		const es_quarantine_copy *c = g_ptr_array_index(copies, i);

		es_log(LOG_INFO, s->qid, "quarantine copy %s for school %s: %u recipient(s)", ps[i].id,
		       c->school ? es_school_name(c->school) : "_none", c->rcpts->len);
	}
	for (guint i = 0; i < copies->len; i++) {
		if (!ok && ps[i].name)
			undo(s, &ps[i]);
		g_free(ps[i].dir);
		g_free(ps[i].name);
		g_free(ps[i].id);
	}
	g_free(ps);
	return ok;
}

/* es_quarantine_store - see quarantine.h */
gboolean es_quarantine_store(const es_scan *s, const es_verdict *v, const es_quarantine_copy *c,
			     const char *root, GBytes *key, char **id_out, GError **err)
{
	es_quarantine_copy w;
	GPtrArray *one = g_ptr_array_new();
	gboolean ok;

	g_ptr_array_add(one, (gpointer)whole(s, c, &w));
	ok = es_quarantine_store_copies(s, v, one, root, key, id_out, err);
	g_ptr_array_unref(one);
	return ok;
}

/* copy_free - an es_quarantine_copy; its recipients are borrowed */
static void copy_free(gpointer p)
{
	es_quarantine_copy *c = p;

	g_ptr_array_unref(c->rcpts);
	g_free(c->stored_for);
	g_free(c);
}

/* copy_for - the copy of SCHOOL in OUT, added if it is not there yet */
static es_quarantine_copy *copy_for(GPtrArray *out, const es_school *school)
{
	es_quarantine_copy *c;

	for (guint i = 0; i < out->len; i++)
		if ((c = g_ptr_array_index(out, i))->school == school)
			return c;
	c = g_new0(es_quarantine_copy, 1);
	c->school = school;
	c->rcpts = g_ptr_array_new();
	g_ptr_array_add(out, c);
	return c;
}

/* es_quarantine_copies - see quarantine.h */
GPtrArray *es_quarantine_copies(const es_scan *s)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(copy_free);
	es_quarantine_copy *first = copy_for(out, s->school);

	for (guint i = 0; i < s->rcpts->len; i++) {
		char *rcpt = g_ptr_array_index(s->rcpts, i);
		const es_school *r = es_conf_school_for_address(s->conf, rcpt);

		g_ptr_array_add(copy_for(out, r ? r : s->school)->rcpts, rcpt);
	}
	if (out->len > 1) {
		GString *names = g_string_new(NULL);

		for (guint i = 0; i < out->len; i++) {
			const es_school *sc = ((es_quarantine_copy *)g_ptr_array_index(out, i))->school;

			g_string_append_printf(names, "%s%s", i ? ", " : "", sc ? es_school_name(sc) : "_none");
		}
		for (guint i = 0; i < out->len; i++)
			((es_quarantine_copy *)g_ptr_array_index(out, i))->stored_for = g_strdup(names->str);
		g_string_free(names, TRUE);
	}
	for (guint i = 0; i < out->len; i++) {
		es_quarantine_copy *c = g_ptr_array_index(out, i);

		/* a pupil sender's group is the incident's in the sender's school;
		 * elsewhere, that of the school's own pupil recipients */
		c->year_group = c == first && s->sender_role == ES_ROLE_PUPIL
					? s->year_group : es_rcpts_year_group(s->conf, c->rcpts);
		/* the other schools see mail from outside, coming in: one of
		 * their own never sends it, or their school would have decided */
		c->sender_role = c == first ? s->sender_role : ES_ROLE_EXTERNAL;
		c->direction = c == first ? s->direction : ES_DIR_INBOUND;
		c->policy_school = c == first ? NULL : s->school;
		c->policy_sender_role = s->sender_role;
	}
	return out;
}

/* same_bytes - A and B (N bytes each) are equal, in a time that does not
 * say where they first differ */
static gboolean same_bytes(const char *a, const char *b, gsize n)
{
	unsigned char d = 0;

	for (gsize i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* es_quarantine_verify - recompute the HMAC over the leading X-ESafety-* lines */
gboolean es_quarantine_verify(const char *msg, gsize len, GBytes *key)
{
	const char *p = msg, *end = msg + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));

		if (!nl || g_ascii_strncasecmp(p, "X-ESafety-", 10) != 0)
			return FALSE;
		if (g_ascii_strncasecmp(p, "X-ESafety-HMAC: ", 16) == 0) {
			char *mac = es_hmac_hex(key, msg, (gsize)(p - msg));
			gsize mlen = (gsize)(nl - p - 16);
			gboolean ok = strlen(mac) == mlen && same_bytes(mac, p + 16, mlen);

			g_free(mac);
			return ok;
		}
		p = nl + 1;
	}
	return FALSE;
}

/* es_release_token - "<id>.<expiry>.<hmac>" */
char *es_release_token(const char *id, gint64 ttl, GBytes *key)
{
	gint64 expiry = g_get_real_time() / G_USEC_PER_SEC + ttl;
	char *what = g_strdup_printf("release:%s.%" G_GINT64_FORMAT, id, expiry);
	char *mac = es_hmac_hex(key, what, strlen(what));
	char *token = g_strdup_printf("%s.%" G_GINT64_FORMAT ".%s", id, expiry, mac);

	g_free(what);
	g_free(mac);
	return token;
}

/* es_release_token_check - genuine and unexpired; the id must be plain hex */
gboolean es_release_token_check(const char *token, GBytes *key, char **id_out)
{
	char **parts = g_strsplit(token ? token : "", ".", -1);
	gboolean ok = FALSE;

	if (g_strv_length(parts) == 3 && *parts[0] && strlen(parts[0]) <= 64 &&
	    strspn(parts[0], "0123456789abcdef") == strlen(parts[0])) {
		char *what = g_strdup_printf("release:%s.%s", parts[0], parts[1]);
		char *mac = es_hmac_hex(key, what, strlen(what));
		gint64 expiry = g_ascii_strtoll(parts[1], NULL, 10);

		ok = strlen(mac) == strlen(parts[2]) && same_bytes(mac, parts[2], strlen(mac)) &&
		     expiry >= g_get_real_time() / G_USEC_PER_SEC;
		if (ok && id_out)
			*id_out = g_strdup(parts[0]);
		g_free(what);
		g_free(mac);
	}
	g_strfreev(parts);
	return ok;
}

/* es_release_claim - O_EXCL makes "used once" atomic even across processes.
 * One record per id for the whole quarantine, not per school: a token sent
 * again under another envelope (routed to another school) is still used. */
gboolean es_release_claim(const char *root, const char *id, GError **err)
{
	char *dir = g_build_filename(root, ".released", NULL);
	char *path = g_build_filename(dir, id, NULL);
	int fd = -1;

	if (g_mkdir_with_parents(dir, 0700) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot record release %s: %s", path, g_strerror(errno));
	if (fd >= 0)
		close(fd);
	g_free(dir);
	g_free(path);
	return fd >= 0;
}
