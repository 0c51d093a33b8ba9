/* msgbuf.c - collect a message in memory, spilling to a private temporary
 * file past a limit, so a 50 MB attachment does not sit in RAM per thread */
#include "config.h"
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include "msgbuf.h"

struct es_msgbuf {
	GByteArray *mem;	/* in memory, until it grows past limit */
	gsize limit;
	char *tmpdir;
	int fd;			/* spill file, -1 until spilled */
	gsize size;		/* bytes held, in memory or file */
	gboolean pending_cr;	/* a CR ended the last chunk: it may start a CRLF */
	GByteArray *out;	/* scratch for the LF-converted chunk */
};

es_msgbuf *es_msgbuf_new(gsize mem_limit, const char *tmpdir)
{
	es_msgbuf *b = g_new0(es_msgbuf, 1);

	b->mem = g_byte_array_new();
	b->out = g_byte_array_new();
	b->limit = mem_limit;
	b->tmpdir = g_strdup(tmpdir);
	b->fd = -1;
	return b;
}

/* spill - move what is in memory to a new temporary file, unlinked at once
 * so the content never outlives the process and no one else can open it */
static gboolean spill(es_msgbuf *b, GError **err)
{
	char *path = g_build_filename(b->tmpdir, "esafety-msg.XXXXXX", NULL);
	int fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
	gsize off = 0;

	if (fd < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot create temporary file in %s: %s", b->tmpdir, g_strerror(errno));
		g_free(path);
		return FALSE;
	}
	unlink(path);
	g_free(path);
	while (off < b->mem->len) {
		ssize_t n = write(fd, b->mem->data + off, b->mem->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
				    "cannot write temporary file in %s: %s", b->tmpdir, g_strerror(errno));
			close(fd);
			return FALSE;
		}
		off += (gsize)n;
	}
	g_byte_array_set_size(b->mem, 0);
	b->fd = fd;
	return TRUE;
}

/* store - append converted bytes to memory or file */
static gboolean store(es_msgbuf *b, const guint8 *p, gsize len, GError **err)
{
	if (b->fd < 0 && b->size + len > b->limit && !spill(b, err))
		return FALSE;
	if (b->fd < 0)
		g_byte_array_append(b->mem, p, (guint)len);
	else
		while (len) {
			ssize_t n = write(b->fd, p, len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
					    "cannot write temporary file in %s: %s", b->tmpdir, g_strerror(errno));
				return FALSE;
			}
			p += n;
			len -= (gsize)n;
			b->size += (gsize)n;
		}
	if (b->fd < 0)
		b->size = b->mem->len;
	return TRUE;
}

/* es_msgbuf_append - CRLF becomes LF (Maildir and GMime both want LF).
 * Copies the runs between CRs whole: this sees every byte of every message. */
gboolean es_msgbuf_append(es_msgbuf *b, const void *data, gsize len, GError **err)
{
	const guint8 *p = data, *end = p + len;

	g_byte_array_set_size(b->out, 0);
	if (b->pending_cr && len) {
		b->pending_cr = FALSE;
		if (*p != '\n')
			g_byte_array_append(b->out, (const guint8 *)"\r", 1);
	}
	while (p < end) {
		const guint8 *cr = memchr(p, '\r', (gsize)(end - p));

		if (!cr) {
			g_byte_array_append(b->out, p, (guint)(end - p));
			break;
		}
		g_byte_array_append(b->out, p, (guint)(cr - p));
		if (cr + 1 == end)
			b->pending_cr = TRUE;
		else if (cr[1] != '\n')
			g_byte_array_append(b->out, cr, 1);
		p = cr + 1;
	}
	return store(b, b->out->data, b->out->len, err);
}

/* es_msgbuf_bytes - the message, flushing a lone trailing CR */
GBytes *es_msgbuf_bytes(es_msgbuf *b, GError **err)
{
	GMappedFile *map;
	GBytes *bytes;

	if (b->pending_cr) {
		b->pending_cr = FALSE;
		if (!store(b, (const guint8 *)"\r", 1, err))
			return NULL;
	}
	if (b->fd < 0)
		return g_bytes_new(b->mem->data, b->mem->len);
	if (!(map = g_mapped_file_new_from_fd(b->fd, FALSE, err)))
		return NULL;
	bytes = g_mapped_file_get_bytes(map);
	g_mapped_file_unref(map);
	return bytes;
}

gsize es_msgbuf_size(const es_msgbuf *b)
{
	return b->size;
}

gboolean es_msgbuf_spilled(const es_msgbuf *b)
{
	return b->fd >= 0;
}

void es_msgbuf_free(es_msgbuf *b)
{
	if (!b)
		return;
	if (b->fd >= 0)
		close(b->fd);
	g_byte_array_unref(b->mem);
	g_byte_array_unref(b->out);
	g_free(b->tmpdir);
	g_free(b);
}
