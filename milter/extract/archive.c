/* archive.c - zip, 7z, rar, tar and compressed files through libarchive:
 * members become nested attachments, encrypted members are reported, and
 * every member is read against the depth, count, ratio and size limits */
#include "config.h"
#include <locale.h>
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

/* over_budget - the ratio or extracted-bytes finding for a member past BUDGET */
static void over_budget(es_xctx *x, const es_attachment *a, gint64 budget)
{
	gboolean by_ratio = budget < x->s->limits.max_extracted - x->extracted;

	es_x_limit(x, by_ratio ? "ratio" : "extracted_bytes", a->part, by_ratio ?
		   "archive member expands more than [limits] max_ratio (zip bomb?); not opened" :
		   "more bytes extracted than [limits] max_extracted; the rest not opened");
}

/* read_data - the current entry's data into BUF (NULL: only counted), within
 * the ratio / extracted budget and the deadline (else *stop, with a finding).
 * Blocks are taken as they come: a sparse file's holes are not scanned.
 * Returns ARCHIVE_EOF at a clean end, ARCHIVE_OK when stopped at a limit, or
 * libarchive's failure; *WARNING gets its complaint about data it did hand
 * over (a bad CRC). *GOT is the bytes read. */
static int read_data(es_xctx *x, es_attachment *a, struct archive *ar, GByteArray *buf,
		     gint64 *got, gboolean *stop, char **warning)
{
	gint64 budget = es_x_budget(x, a);
	const void *block;
	size_t size;
	la_int64_t offset;
	int r;

	*got = 0;
	while ((r = archive_read_data_block(ar, &block, &size, &offset)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (r == ARCHIVE_WARN && !*warning)
			*warning = g_strdup(archive_error_string(ar) ? archive_error_string(ar) : "damaged");
		if (*got + (gint64)size > budget) {
			over_budget(x, a, budget);
			*stop = TRUE;
			return ARCHIVE_OK;
		}
		*got += (gint64)size;
		if (buf && size)
			g_byte_array_append(buf, block, (guint)size);
		if (es_scan_out_of_time(x->s)) {
			es_x_limit(x, "time", a->part, "scan time ([limits] scan_time) ran out inside an archive");
			*stop = TRUE;
			return ARCHIVE_OK;
		}
		if (r == ARCHIVE_WARN && size == 0)
			return ARCHIVE_WARN;	/* no progress: do not ask again */
	}
	return r;
}

/* read_member - the member's bytes; NULL when a limit was hit or nothing
 * could be read. A member that breaks off (bad CRC, truncated stream) keeps
 * what was read: unzip extracts it too, so it is scanned, and the damage is
 * recorded as an error like any other unreadable part. */
static GBytes *read_member(es_xctx *x, es_attachment *a, struct archive *ar, const char *name,
			   gboolean *stop)
{
	GByteArray *buf = g_byte_array_new();
	char *warning = NULL;
	gint64 got;
	int r = read_data(x, a, ar, buf, &got, stop, &warning);
	GBytes *out = NULL;

	if (*stop)
		x->extracted += got;	/* the work was done: count it */
	else if (r < ARCHIVE_WARN && is_encryption_error(ar))
		es_x_mark_encrypted(x, a, "archive member needs a passphrase");
	else if (r < ARCHIVE_WARN && buf->len == 0)
		es_scan_error(x->s, "part %s: archive member %s unreadable: %s", a->part, name,
			      archive_error_string(ar) ? archive_error_string(ar) : "?");
	else {
		const char *why = warning ? warning : archive_error_string(ar);

		if (warning || r != ARCHIVE_EOF)
			es_scan_error(x->s, "part %s: archive member %s damaged (%s); the %u bytes read were scanned",
				      a->part, name, why ? why : "?", buf->len);
		if (es_x_charge(x, a, buf->len))
			out = g_byte_array_free_to_bytes(buf), buf = NULL;
		else
			*stop = TRUE;
	}
	if (buf)
		g_byte_array_unref(buf);
	g_free(warning);
	return out;
}

/* skip_entry - a directory, link or device entry has no data, but its size
 * field is the sender's: libarchive would inflate whatever it claims while
 * seeking the next header, outside every limit, so it is read (and dropped)
 * here through the same budget and deadline */
static void skip_entry(es_xctx *x, es_attachment *a, struct archive *ar, gboolean *stop)
{
	char *warning = NULL;
	gint64 got;

	read_data(x, a, ar, NULL, &got, stop, &warning);
	g_free(warning);
	if (*stop)
		x->extracted += got;
	else if (!es_x_charge(x, a, (gsize)got))
		*stop = TRUE;
}

/* passed_through - the raw format over no decompressor: a text starting
 * "BZh" that bzip2 refused comes back as its own single member, which
 * would be handed to this reader again, level after level */
static gboolean passed_through(struct archive *ar)
{
	return archive_format(ar) == ARCHIVE_FORMAT_RAW && archive_filter_code(ar, 0) == ARCHIVE_FILTER_NONE;
}

/* read_members - every regular member of AR, within the limits */
static GPtrArray *read_members(es_xctx *x, es_attachment *a, struct archive *ar)
{
	GPtrArray *members = g_ptr_array_new_with_free_func(member_free);
	struct archive_entry *e;
	gboolean stop = FALSE;
	int r;

	/* ARCHIVE_WARN: the entry is usable, with a complaint (a malformed pax
	 * header); stopping there left the rest of the archive unscanned */
	while (!stop && ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *name = archive_entry_pathname_utf8(e);
		member *m;

		if (!name)
			name = archive_entry_pathname(e);
		if (passed_through(ar)) {
			es_scan_error(x->s, "part %s: not compressed: only its leading bytes look so", a->part);
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			skip_entry(x, a, ar, &stop);
			continue;
		}
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
		m->data = read_member(x, a, ar, m->name, &stop);
		g_ptr_array_add(members, m);
	}
	if (!stop && r < ARCHIVE_WARN) {
		if (is_encryption_error(ar))	/* 7z -mhe; not has_encrypted_entries(): corrupt flags set it */
			es_x_mark_encrypted(x, a, "archive headers are encrypted");
		else
			es_scan_error(x->s, "part %s: archive unreadable: %s", a->part,
				      archive_error_string(ar) ? archive_error_string(ar) : "bad format");
	}
	return members;
}

/* is_office - OOXML has [Content_Types].xml, ODF a mimetype member */
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

/* walk_members - members go back into the walk as attachments PART/N; of an
 * office document, those its reader does not deal with itself */
static void walk_members(es_xctx *x, es_attachment *a, GPtrArray *members, GHashTable *parts)
{
	for (guint i = 0; i < members->len; i++) {
		member *m = g_ptr_array_index(members, i);
		const char *name = parts ? es_x_office_walk_name(m->name, parts, m->data) : m->name;

		if (!m->data || !name)
			continue;
		if (!es_x_member_ok(x, a))
			break;
		es_x_add_member(x, a, i + 1, name, m->data);
	}
}

/* utf8_locale - libarchive turns member names into the current locale's
 * charset; in the C locale a name flagged UTF-8 ("élèves.csv") cannot be
 * turned and comes back NULL, and without a name a CSV is not read. The
 * reading thread switches to C.UTF-8 (NULL if the system lacks it). */
static locale_t utf8_locale(void)
{
	static gsize done;
	static locale_t utf8;

	if (g_once_init_enter(&done)) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		g_once_init_leave(&done, 1);
	}
	return utf8;
}

/* read_archive - A's members, or NULL if it is not a readable archive; read
 * in C.UTF-8 where the system has it (see utf8_locale) */
static GPtrArray *read_archive(es_xctx *x, es_attachment *a)
{
	locale_t old = utf8_locale() ? uselocale(utf8_locale()) : (locale_t)0;
	struct archive *ar = open_archive(a);
	GPtrArray *members = NULL;

	if (ar) {
		members = read_members(x, a, ar);
		archive_read_free(ar);
	}
	if (old)
		uselocale(old);
	return members;
}

/* es_x_archive - open A; office documents' text comes from the OOXML/ODF
 * reader, every other member goes back into the walk */
void es_x_archive(es_xctx *x, es_attachment *a)
{
	GPtrArray *members;
	GHashTable *parts = NULL;

	if (!es_x_member_ok(x, a))
		return;
	if (!(members = read_archive(x, a))) {
		es_scan_error(x->s, "part %s: not a readable archive", a->part);
		return;
	}
	if (is_office(members)) {
		GHashTable *byname = g_hash_table_new(g_str_hash, g_str_equal);

		for (guint i = 0; i < members->len; i++) {
			member *m = g_ptr_array_index(members, i);

			if (m->data)
				g_hash_table_insert(byname, m->name, m->data);
		}
		es_x_office_zip(x, a, byname);
		parts = es_x_package_parts(byname);
		g_hash_table_destroy(byname);
	}
	walk_members(x, a, members, parts);
	if (parts)
		g_hash_table_unref(parts);
	g_ptr_array_unref(members);
}
