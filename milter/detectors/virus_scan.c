/* virus_scan.c - one libclamav scan and the callbacks that sort its alerts:
 * encrypted content is not a virus (the pupil-data detector reports it), a
 * limit hit is a limits finding, and executables inside archives are caught
 * by watching the file types libclamav unpacks */
#include "config.h"
#include <string.h>
#include "virus_scan.h"
#include "log.h"

/* Archive and compressed formats, self-extracting ones among them, and the
 * Office formats that are zips: an executable below one of these is what
 * heuristic_exe_in_archive is about. The names are libclamav's own
 * (cli_ftypes); a name it does not have would never match. */
static const char *const archive_types[] = {
	"CL_TYPE_ZIP", "CL_TYPE_7Z", "CL_TYPE_RAR", "CL_TYPE_ARJ", "CL_TYPE_MSCAB",
	"CL_TYPE_POSIX_TAR", "CL_TYPE_OLD_TAR", "CL_TYPE_GZ", "CL_TYPE_BZ", "CL_TYPE_XZ",
	"CL_TYPE_CPIO_OLD", "CL_TYPE_CPIO_ODC", "CL_TYPE_CPIO_NEWC", "CL_TYPE_CPIO_CRC",
	"CL_TYPE_ISO9660", "CL_TYPE_UDF", "CL_TYPE_DMG", "CL_TYPE_XAR", "CL_TYPE_EGG",
	"CL_TYPE_ALZ", "CL_TYPE_LHA_LZH", "CL_TYPE_SIS", "CL_TYPE_MSSZDD", "CL_TYPE_MSCHM",
	"CL_TYPE_ZIPSFX", "CL_TYPE_RARSFX", "CL_TYPE_7ZSFX", "CL_TYPE_ARJSFX", "CL_TYPE_CABSFX",
	"CL_TYPE_EGGSFX", "CL_TYPE_OOXML_WORD", "CL_TYPE_OOXML_XL", "CL_TYPE_OOXML_PPT",
	NULL
};
static const char *const exe_types[] = {
	"CL_TYPE_MSEXE", "CL_TYPE_ELF", "CL_TYPE_MACHO", "CL_TYPE_MACHO_UNIBIN", NULL
};

/* in_list - TYPE is one of LIST */
static gboolean in_list(const char *const *list, const char *type)
{
	for (; type && *list; list++)
		if (strcmp(*list, type) == 0)
			return TRUE;
	return FALSE;
}

/* add_name - append one path component, skipping libclamav's temporary
 * file names, which mean nothing to the person reading the finding */
static void add_name(GString *w, const char *name)
{
	while (name && *name == '/')
		name++;
	if (!name || !*name || (g_str_has_prefix(name, "clamav-") && strstr(name, ".tmp")))
		return;
	g_string_append_printf(w, "%s%s", w->len ? "/" : "", name);
}

/* where_of - "a.zip/b/c.exe" from the ancestors' names and the file's */
static char *where_of(const char **ancestors, uint32_t level, const char *file_name)
{
	GString *w = g_string_new(NULL);

	for (uint32_t i = 0; ancestors && i < level; i++)
		add_name(w, ancestors[i]);
	add_name(w, file_name);
	if (!w->len) {
		g_string_free(w, TRUE);
		return NULL;
	}
	return g_string_free(w, FALSE);
}

/* on_file - libclamav is about to scan a new (inner or outer) file: note
 * where we are, and executables below an archive */
static cl_error_t on_file(int fd, const char *type, const char **ancestors, size_t parent_size,
			  const char *file_name, size_t file_size, const char *buf,
			  uint32_t level, uint32_t attrs, void *ctx)
{
	es_virus_result *r = ctx;
	uint32_t lvl = MIN(level, ES_VIRUS_MAX_LEVEL - 1);

	(void)fd; (void)parent_size; (void)file_size; (void)buf; (void)attrs;
	if (!r)
		return CL_CLEAN;
	g_free(r->cur_where);
	r->cur_where = where_of(ancestors, level, file_name);
	r->archive_at[lvl] = in_list(archive_types, type);
	if (r->opts && r->opts->exe_in_archive && !r->exe_where && in_list(exe_types, type))
		for (uint32_t l = 0; l < lvl; l++)
			if (r->archive_at[l]) {
				r->exe_where = g_strdup(r->cur_where ? r->cur_where : "?");
				break;
			}
	return CL_CLEAN;
}

/* the name libclamav gives a file on_post_scan marked */
#define BY_CALLBACK "Detected.By.Callback"

/* on_post_scan - a file's scan is over. Once an executable below an archive
 * has been seen, the first file that comes out clean (the executable, or
 * else the archive above it) is marked infected, so that libclamav does not
 * remember the archive as clean: a file it remembers it never opens again,
 * and the next copy of the same archive would pass with its executable
 * unseen. The mark itself is not an alert (classify). */
static cl_error_t on_post_scan(int fd, int result, const char *virname, void *ctx)
{
	es_virus_result *r = ctx;

	(void)fd; (void)virname;
	if (r && r->exe_where && !r->exe_marked && result == CL_CLEAN) {
		r->exe_marked = TRUE;
		return CL_VIRUS;
	}
	return CL_CLEAN;
}

/* classify - file one alert NAME, found in the file being scanned */
static void classify(es_virus_result *r, const char *name)
{
	if (!name || (r->exe_marked && strcmp(name, BY_CALLBACK) == 0))
		return;
	if (g_str_has_prefix(name, "Heuristics.Encrypted.")) {
		r->encrypted = TRUE;
	} else if (strstr(name, "Heuristics.Limits.Exceeded.MaxScanTime")) {
		/* Not a limit the content hit: the scan did not finish, so what
		 * it did not see is unknown. That is a scan error. */
		r->timed_out = TRUE;
	} else if (g_str_has_prefix(name, "Heuristics.Limits.Exceeded")) {
		if (r->opts && r->opts->limits && !r->limit) {
			r->limit = g_strdup(name);
			r->limit_where = g_strdup(r->cur_where);
			r->limit_part = g_strdup(r->cur_part);
		}
	} else if (!r->virus) {
		r->virus = g_strdup(name);
		r->virus_where = g_strdup(r->cur_where);
		r->virus_part = g_strdup(r->cur_part);
	}
}

/* es_virus_alert - an alert raised outside libclamav, filed the same way */
void es_virus_alert(es_virus_result *r, const char *name)
{
	classify(r, name);
}

/* on_virus - libclamav found something (called for every match) */
static void on_virus(int fd, const char *virname, void *ctx)
{
	(void)fd;
	if (ctx)
		classify(ctx, virname);
}

/* tmp_failure - MSG says libclamav could not make or write a temporary file
 * or folder (a full or missing tmpfs); failing to remove one is not that */
static gboolean tmp_failure(const char *msg)
{
	static const char *const verbs[] = { "can't create", "can't generate", "can't write", "failed to create",
		"failed to generate", "failed to write", "unable to create", "unable to write", NULL };
	char *low = g_ascii_strdown(msg, -1);
	gboolean hit = FALSE;

	if (strstr(low, "temp"))
		for (const char *const *v = verbs; !hit && *v; v++)
			hit = strstr(low, *v) != NULL;
	g_free(low);
	return hit;
}

/* the scan running in this thread: libclamav passes no context with the
 * messages it logs before a scan's own context exists (one of them says it
 * cannot make the scan's temporary folder) */
static _Thread_local es_virus_result *scanning;

/* on_message - one of libclamav's own messages. During a scan CTX is the
 * scan's result (libclamav passes the scan's context, or else the thread's
 * scan is used), so the line carries the queue ID like every other line
 * about a message; outside one (loading a database) there is none. Without
 * this libclamav writes to stderr, unlabelled. */
static void on_message(enum cl_msg severity, const char *fullmsg, const char *msg, void *ctx)
{
	es_virus_result *r = ctx ? ctx : scanning;
	/* during a scan an "error" is about the sender's file (a broken archive
	 * header), not about us: notice, so hostile mail cannot flood LOG_ERR */
	int prio = severity == CL_MSG_ERROR ? (r ? LOG_NOTICE : LOG_ERR)
		   : severity == CL_MSG_WARN ? LOG_WARNING : LOG_DEBUG;
	gsize n;

	/* libclamav unpacks archives, documents and mail into [clamav] tmpdir;
	 * when it cannot, it skips what it meant to unpack and still answers
	 * CL_CLEAN, so its message is the only sign that the scan was not whole */
	if (r && msg && tmp_failure(msg))
		r->no_tmp = TRUE;
	/* a crafted archive can make thousands: the first few tell the story */
	if (r && ++r->messages > 20) {
		if (r->messages == 21)
			es_log(LOG_NOTICE, r->qid, "libclamav: further messages about this message not logged");
		return;
	}
	if (!msg)
		msg = fullmsg ? fullmsg : "";
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	es_log(prio, r ? r->qid : NULL, "libclamav: %.*s", (int)n, msg);
}

/* es_virus_prepare_engine - install the callbacks on a new engine (and,
 * once per process, libclamav's message callback, which is global) */
void es_virus_prepare_engine(struct cl_engine *cl)
{
	static gsize once;

	if (g_once_init_enter(&once)) {
		cl_set_clcb_msg(on_message);
		g_once_init_leave(&once, 1);
	}
	cl_engine_set_clcb_file_inspection(cl, on_file);
	cl_engine_set_clcb_post_scan(cl, on_post_scan);
	cl_engine_set_clcb_virus_found(cl, on_virus);
}

/* scan_options - libclamav's options for O. All-match mode, so one scan
 * reports an encrypted archive and a virus beside it. */
static void scan_options(struct cl_scan_options *so, const es_virus_options *o)
{
	memset(so, 0, sizeof(*so));
	so->parse = ~0u;
	/* The hash needs every picture decoded: most of the cost of a photo */
	if (!o->image_hash)
		so->parse &= ~(unsigned int)CL_SCAN_PARSE_IMAGE_FUZZY_HASH;
	so->general = CL_SCAN_GENERAL_ALLMATCHES | CL_SCAN_GENERAL_HEURISTICS;
	/* Always on: without it libclamav ends a timed-out scan as clean.
	 * classify() drops the other limit alerts when heuristic_limits is off. */
	so->heuristic = CL_SCAN_HEURISTIC_EXCEEDS_MAX;
	if (o->encrypted)
		so->heuristic |= CL_SCAN_HEURISTIC_ENCRYPTED_ARCHIVE | CL_SCAN_HEURISTIC_ENCRYPTED_DOC;
	if (o->macros)
		so->heuristic |= CL_SCAN_HEURISTIC_MACROS;
	if (o->phishing)
		so->heuristic |= CL_SCAN_HEURISTIC_PHISHING_SSL_MISMATCH | CL_SCAN_HEURISTIC_PHISHING_CLOAK;
	if (o->broken_exe)
		so->heuristic |= CL_SCAN_HEURISTIC_BROKEN;
}

/* finish - after one scan: its returned name, then the archive heuristic,
 * which only counts when no signature named the file */
static void finish(es_virus_result *r, cl_error_t rc, const char *virname)
{
	if (rc == CL_VIRUS)
		classify(r, virname);
	if (!r->virus && r->exe_where) {
		r->virus = g_strdup("Heuristics.Executable.InArchive");
		r->virus_where = g_strdup(r->exe_where);
		r->virus_part = g_strdup(r->cur_part);
	}
	g_clear_pointer(&r->exe_where, g_free);
	r->exe_marked = FALSE;
	g_clear_pointer(&r->cur_where, g_free);
	memset(r->archive_at, 0, sizeof(r->archive_at));
}

/* es_virus_scan_buffer - scan LEN bytes at P */
cl_error_t es_virus_scan_buffer(es_clamav_engine *e, const void *p, gsize len, const char *name,
				const es_virus_options *o, es_virus_result *r)
{
	struct cl_scan_options so;
	const char *virname = NULL;
	unsigned long scanned = 0;
	cl_fmap_t *map;
	cl_error_t rc;

	scan_options(&so, o);
	r->opts = o;
	/* fmap wants a non-NULL start even for an empty part */
	if (!(map = cl_fmap_open_memory(len ? p : "", len)))
		return CL_EMEM;
	scanning = r;
	rc = cl_scanmap_callback(map, name, &virname, &scanned, es_clamav_engine_cl(e), &so, r);
	scanning = NULL;
	cl_fmap_close(map);
	finish(r, rc, virname);
	return rc;
}

/* es_virus_result_clear - free what R holds */
void es_virus_result_clear(es_virus_result *r)
{
	g_free(r->virus);
	g_free(r->virus_where);
	g_free(r->limit);
	g_free(r->limit_where);
	g_free(r->virus_part);
	g_free(r->limit_part);
	g_free(r->cur_where);
	g_free(r->exe_where);
	memset(r, 0, sizeof(*r));
}
