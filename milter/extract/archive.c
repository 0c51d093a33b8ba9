/* archive.c - zip, 7z, rar, tar and compressed files through libarchive:
 * members become nested attachments, encrypted members are reported, and
 * every member is read against the depth, count, ratio and size limits */
#include "config.h"
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include "extract_priv.h"

typedef struct {
	char *name;
	GBytes *data;
} member;

/* member_free - for the GPtrArray of members */
static void member_free(gpointer p)
{
	member *m = p;

	g_free(m->name);
	if (m->data)
		g_bytes_unref(m->data);
	g_free(m);
}

/* open_archive - a reader over A's bytes; raw format only for lone compressed streams */
static struct archive *open_archive(const es_attachment *a)
{
	gsize len;
	const guchar *d = g_bytes_get_data(a->data, &len);
	struct archive *ar = archive_read_new();

	archive_read_support_filter_all(ar);
	archive_read_support_format_all(ar);
	if ((len >= 2 && memcmp(d, "\x1f\x8b", 2) == 0) || (len >= 3 && memcmp(d, "BZh", 3) == 0) ||
	    (len >= 5 && memcmp(d, "\xfd" "7zXZ", 5) == 0))
		archive_read_support_format_raw(ar);
	if (archive_read_open_memory(ar, d, len) != ARCHIVE_OK) {
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* is_encryption_error - libarchive says it needs a passphrase or cannot read encrypted headers */
static gboolean is_encryption_error(struct archive *ar)
{
	const char *e = archive_error_string(ar);

	return e && (strstr(e, "ncrypt") || strstr(e, "assphrase"));
}

/* read_member - the member's bytes, stopped at the ratio / extracted budget;
 * NULL when a limit was hit or the data is unreadable */
static GBytes *read_member(es_xctx *x, es_attachment *a, struct archive *ar, gboolean *stop)
{
	gint64 budget = es_x_budget(x, a);
	GByteArray *buf = g_byte_array_new();
	char chunk[65536];
	la_ssize_t n;

	while ((n = archive_read_data(ar, chunk, sizeof chunk)) > 0) {
		if ((gint64)(buf->len + (gsize)n) > budget) {
			gboolean by_ratio = budget < x->s->limits.max_extracted - x->extracted;

			es_x_limit(x, by_ratio ? "ratio" : "extracted_bytes", a->part, by_ratio ?
				   "archive member expands more than [limits] max_ratio (zip bomb?); not opened" :
				   "more bytes extracted than [limits] max_extracted; the rest not opened");
			*stop = TRUE;
			x->extracted += (gint64)buf->len;	/* the work was done: count it */
			g_byte_array_unref(buf);
			return NULL;
		}
		g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
		if (es_scan_out_of_time(x->s)) {
			es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out inside an archive");
			*stop = TRUE;
			g_byte_array_unref(buf);
			return NULL;
		}
	}
	if (n < 0) {
		if (is_encryption_error(ar))
			es_x_mark_encrypted(x, a, "archive member needs a passphrase");
		else
			es_scan_error(x->s, "part %s: archive member unreadable: %s", a->part,
				      archive_error_string(ar));
		g_byte_array_unref(buf);
		return NULL;
	}
	if (!es_x_charge(x, a, buf->len)) {
		*stop = TRUE;
		g_byte_array_unref(buf);
		return NULL;
	}
	return g_byte_array_free_to_bytes(buf);
}

/* read_members - every regular member of AR, within the limits */
static GPtrArray *read_members(es_xctx *x, es_attachment *a, struct archive *ar)
{
	GPtrArray *members = g_ptr_array_new_with_free_func(member_free);
	struct archive_entry *e;
	gboolean stop = FALSE;
	int r;

	while (!stop && (r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname_utf8(e);
		member *m;

		if (!name)
			name = archive_entry_pathname(e);
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (archive_entry_is_data_encrypted(e)) {
			es_x_mark_encrypted(x, a, "archive member is encrypted");
			continue;
		}
		if (es_scan_out_of_time(x->s)) {
			es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out; the rest not opened");
			break;
		}
		if ((gint64)(x->s->attachments->len + members->len) >= x->s->limits.max_parts) {
			es_x_limit(x, "parts", a->part, "more parts than [limits] max_parts; the rest not opened");
			break;
		}
		m = g_new0(member, 1);
		m->name = g_strdup(name ? name : "");
		m->data = read_member(x, a, ar, &stop);
		g_ptr_array_add(members, m);
	}
	if (!stop && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
		if (is_encryption_error(ar))	/* 7z -mhe; not has_encrypted_entries(): corrupt flags set it */
			es_x_mark_encrypted(x, a, "archive headers are encrypted");
		else
			es_scan_error(x->s, "part %s: archive unreadable: %s", a->part,
				      archive_error_string(ar) ? archive_error_string(ar) : "bad format");
	}
	return members;
}

/* office_kind - OOXML has [Content_Types].xml, ODF a mimetype member */
static gboolean is_office(GPtrArray *members)
{
	for (guint i = 0; i < members->len; i++) {
		const member *m = g_ptr_array_index(members, i);

		if (strcmp(m->name, "[Content_Types].xml") == 0 || strcmp(m->name, "mimetype") == 0 ||
		    strcmp(m->name, "META-INF/manifest.xml") == 0)
			return TRUE;
	}
	return FALSE;
}

/* es_x_archive - open A; office documents go to the OOXML/ODF reader, other
 * archives' members back into the walk as attachments PART/N */
void es_x_archive(es_xctx *x, es_attachment *a)
{
	struct archive *ar;
	GPtrArray *members;

	if (!es_x_member_ok(x, a))
		return;
	if (!(ar = open_archive(a))) {
		es_scan_error(x->s, "part %s: not a readable archive", a->part);
		return;
	}
	members = read_members(x, a, ar);
	archive_read_free(ar);
	if (is_office(members)) {
		GHashTable *byname = g_hash_table_new(g_str_hash, g_str_equal);

		for (guint i = 0; i < members->len; i++) {
			member *m = g_ptr_array_index(members, i);

			if (m->data)
				g_hash_table_insert(byname, m->name, m->data);
		}
		es_x_office_zip(x, a, byname);
		g_hash_table_destroy(byname);
	} else {
		for (guint i = 0; i < members->len; i++) {
			member *m = g_ptr_array_index(members, i);

			if (m->data)
				es_x_add_member(x, a, i + 1, m->name, m->data);
		}
	}
	g_ptr_array_unref(members);
}
