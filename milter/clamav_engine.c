/* clamav_engine.c - one process-wide libclamav engine, reference-counted,
 * recompiled in the background when the database changes and swapped in so
 * scans never stop; at most the old and the new engine are alive at once */
#include "config.h"
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <clamav.h>
#include "clamav_engine.h"
#include "log.h"

struct es_clamav_engine {
	struct cl_engine *cl;
	gint refs;
	guint sigs;
};

struct es_clamav {
	guint refs;			/* under lock */
	es_clamav_settings set;		/* under lock */
	es_clamav_engine *cur;		/* under lock; the holder's own reference */
	gboolean blocked;		/* under lock: a non-concurrent reload runs */
	gboolean stop;			/* under lock: the watcher should end */
	guint generation;		/* under lock */
	GMutex reload_lock;		/* one reload at a time */
	char *stamp;			/* under reload_lock: the directory as last loaded */
	GThread *watcher;
};

/* One lock and one condition for the holder and the count of live engines:
 * everything they guard changes rarely (reloads), so one is enough. */
static GMutex lock;
static GCond cond;
static es_clamav *holder;
static GMutex open_lock;		/* orders open and close of the holder */
static guint live_engines;

G_DEFINE_QUARK(es-clamav-error-quark, es_clamav_error)

/* es_clamav_tmpdir_used - see clamav_engine.h */
const char *es_clamav_tmpdir_used(const char *configured)
{
	if (configured && *configured)
		return configured;
	return g_getenv("TMPDIR") ? g_getenv("TMPDIR") : "/tmp";
}

/* clamav_init - cl_init exactly once per process */
static gboolean clamav_init(GError **err)
{
	static gsize done;
	static int rc;

	if (g_once_init_enter(&done)) {
		rc = cl_init(CL_INIT_DEFAULT);
		g_once_init_leave(&done, 1);
	}
	if (rc != CL_SUCCESS) {
		g_set_error(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_LOAD,
			    "libclamav cl_init: %s", cl_strerror(rc));
		return FALSE;
	}
	return TRUE;
}

/* es_clamav_version - libclamav's version string */
const char *es_clamav_version(void)
{
	return cl_retver();
}

/* settings_copy - deep copy of S into D */
static void settings_copy(es_clamav_settings *d, const es_clamav_settings *s)
{
	*d = *s;
	d->database = g_strdup(s->database);
	d->tmpdir = g_strdup(s->tmpdir);
}

/* settings_clear - free what settings_copy allocated */
static void settings_clear(es_clamav_settings *s)
{
	g_clear_pointer(&s->database, g_free);
	g_clear_pointer(&s->tmpdir, g_free);
}

/* by_string - g_ptr_array_sort hands the comparator pointers to elements */
static gint by_string(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* db_stamp - a string that changes whenever a file in DIR is added, removed,
 * replaced or rewritten, or DIR itself is replaced (e.g. a symlink flip).
 * NULL if DIR cannot be read. */
static char *db_stamp(const char *dir)
{
	struct stat st;
	GDir *d;
	GPtrArray *rows;
	const char *name;
	char *out;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !(d = g_dir_open(dir, 0, NULL)))
		return NULL;
	rows = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(rows, g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino));
	while ((name = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, name, NULL);

		if (name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			g_ptr_array_add(rows, g_strdup_printf("%s:%jd:%jd.%09ld:%ju", name,
				(intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
				st.st_mtim.tv_nsec, (uintmax_t)st.st_ino));
		g_free(path);
	}
	g_dir_close(d);
	g_ptr_array_sort(rows, by_string);
	g_ptr_array_add(rows, NULL);
	out = g_strjoinv("\n", (char **)rows->pdata);
	g_ptr_array_free(rows, TRUE);
	return out;
}

/* engine_limits - apply the configured limits to CL before it is compiled */
static cl_error_t engine_limits(struct cl_engine *cl, const es_clamav_settings *set)
{
	cl_error_t rc;

	if ((rc = cl_engine_set_num(cl, CL_ENGINE_MAX_FILESIZE, (long long)set->max_filesize)) ||
	    (rc = cl_engine_set_num(cl, CL_ENGINE_MAX_SCANSIZE, (long long)set->max_scansize)) ||
	    (rc = cl_engine_set_num(cl, CL_ENGINE_MAX_RECURSION, set->max_recursion)) ||
	    (rc = cl_engine_set_num(cl, CL_ENGINE_MAX_FILES, set->max_files)) ||
	    (rc = cl_engine_set_num(cl, CL_ENGINE_MAX_SCANTIME, set->max_scantime_ms)))
		return rc;
	if (set->tmpdir && *set->tmpdir)
		return cl_engine_set_str(cl, CL_ENGINE_TMPDIR, set->tmpdir);
	return CL_SUCCESS;
}

/* engine_build - load and compile the database in SET; NULL with *err */
static es_clamav_engine *engine_build(const es_clamav_settings *set, GError **err)
{
	struct cl_engine *cl;
	unsigned int sigs = 0;
	unsigned int dbopts = CL_DB_BYTECODE | (set->phishing ? CL_DB_PHISHING | CL_DB_PHISHING_URLS : 0);
	cl_error_t rc;
	es_clamav_engine *e;

	if (!g_file_test(set->database, G_FILE_TEST_IS_DIR)) {
		g_set_error(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_MISSING,
			    "virus database directory %s: %s", set->database, g_strerror(ENOENT));
		return NULL;
	}
	if (!(cl = cl_engine_new())) {
		g_set_error(err, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_LOAD, "libclamav: out of memory");
		return NULL;
	}
	if (set->prepare)
		set->prepare(cl);
	rc = engine_limits(cl, set);
	if (rc == CL_SUCCESS)
		rc = cl_load(set->database, cl, &sigs, dbopts);
	if (rc == CL_SUCCESS && sigs == 0)
		rc = CL_EOPEN;
	if (rc == CL_SUCCESS)
		rc = cl_engine_compile(cl);
	if (rc != CL_SUCCESS) {
		g_set_error(err, ES_CLAMAV_ERROR,
			    rc == CL_EOPEN ? ES_CLAMAV_ERROR_MISSING : ES_CLAMAV_ERROR_LOAD,
			    "virus database %s: %s", set->database,
			    rc == CL_EOPEN ? "no usable signature files" : cl_strerror(rc));
		cl_engine_free(cl);
		return NULL;
	}
	e = g_new0(es_clamav_engine, 1);
	e->cl = cl;
	e->refs = 1;
	e->sigs = sigs;
	g_mutex_lock(&lock);
	live_engines++;
	g_mutex_unlock(&lock);
	return e;
}

/* es_clamav_release - drop one reference to E; the last one frees it */
void es_clamav_release(es_clamav_engine *e)
{
	if (!e || !g_atomic_int_dec_and_test(&e->refs))
		return;
	cl_engine_free(e->cl);
	g_free(e);
	g_mutex_lock(&lock);
	live_engines--;
	g_cond_broadcast(&cond);
	g_mutex_unlock(&lock);
}

/* es_clamav_acquire - a reference to the engine in use, or NULL */
es_clamav_engine *es_clamav_acquire(es_clamav *h)
{
	es_clamav_engine *e;

	g_mutex_lock(&lock);
	while (h->blocked)
		g_cond_wait(&cond, &lock);
	if ((e = h->cur))
		g_atomic_int_inc(&e->refs);
	g_mutex_unlock(&lock);
	return e;
}

/* es_clamav_engine_cl - the libclamav engine to scan with */
struct cl_engine *es_clamav_engine_cl(const es_clamav_engine *e)
{
	return e->cl;
}

/* es_clamav_engine_sigs - signature count of E */
guint es_clamav_engine_sigs(const es_clamav_engine *e)
{
	return e->sigs;
}

/* wait_live_at_most - wait until no more than N compiled engines are alive */
static void wait_live_at_most(guint n)
{
	g_mutex_lock(&lock);
	while (live_engines > n)
		g_cond_wait(&cond, &lock);
	g_mutex_unlock(&lock);
}

/* install - make E (may be NULL) the engine in use; release the old one */
static void install(es_clamav *h, es_clamav_engine *e)
{
	es_clamav_engine *old;

	g_mutex_lock(&lock);
	old = h->cur;
	h->cur = e;
	if (e)
		h->generation++;
	h->blocked = FALSE;
	g_cond_broadcast(&cond);
	g_mutex_unlock(&lock);
	es_clamav_release(old);
}

/* reload_concurrent - build beside the old engine, then swap. Waits first
 * for any engine retired by an earlier swap to be freed, so no more than two
 * are ever alive. */
static es_clamav_engine *reload_concurrent(const es_clamav_settings *set, GError **err)
{
	wait_live_at_most(1);
	return engine_build(set, err);
}

/* reload_exclusive - drop the old engine, wait for its last scan, then
 * build: one engine's memory at a time; scans wait meanwhile */
static es_clamav_engine *reload_exclusive(es_clamav *h, const es_clamav_settings *set, GError **err)
{
	es_clamav_engine *old;

	g_mutex_lock(&lock);
	h->blocked = TRUE;
	old = h->cur;
	h->cur = NULL;
	g_mutex_unlock(&lock);
	es_clamav_release(old);
	wait_live_at_most(0);
	return engine_build(set, err);
}

/* es_clamav_reload - compile again and swap in; the old stays on failure
 * (with concurrent_reload = no a failure leaves no engine) */
gboolean es_clamav_reload(es_clamav *h, GError **err)
{
	es_clamav_settings set;
	es_clamav_engine *e;
	GError *why = NULL;
	gint64 t0 = g_get_monotonic_time();
	guint sigs;

	g_mutex_lock(&h->reload_lock);
	g_mutex_lock(&lock);
	settings_copy(&set, &h->set);
	g_mutex_unlock(&lock);
	g_free(h->stamp);
	/* Taken before loading, so a change while we load is seen next time. */
	h->stamp = db_stamp(set.database);
	e = set.concurrent_reload ? reload_concurrent(&set, &why) : reload_exclusive(h, &set, &why);
	/* once installed and unlocked, E may be replaced and freed by the next
	 * reload at any moment: what the log line needs is read before */
	sigs = e ? e->sigs : 0;
	if (e || !set.concurrent_reload)
		install(h, e);
	g_mutex_unlock(&h->reload_lock);
	if (e)
		es_log(LOG_INFO, NULL, "clamav: database %s loaded: %u signatures, libclamav %s, %.1f s",
		       set.database, sigs, es_clamav_version(),
		       (g_get_monotonic_time() - t0) / 1e6);
	else
		es_log(LOG_ERR, NULL, "clamav: reload failed, %s: %s", set.concurrent_reload ?
		       "keeping the old engine" : "NO VIRUS SCANNING until a good database appears",
		       why->message);
	settings_clear(&set);
	if (why)
		g_propagate_error(err, why);
	return e != NULL;
}

/* db_changed - the database directory differs from what was last loaded */
static gboolean db_changed(es_clamav *h)
{
	char *dir, *now;
	gboolean changed;

	g_mutex_lock(&lock);
	dir = g_strdup(h->set.database);
	g_mutex_unlock(&lock);
	now = db_stamp(dir);
	g_mutex_lock(&h->reload_lock);
	changed = g_strcmp0(now, h->stamp) != 0;
	g_mutex_unlock(&h->reload_lock);
	g_free(now);
	g_free(dir);
	return changed;
}

/* watch - the watcher thread: every check_interval, reload if the database
 * directory changed (freshclam wrote new files) */
static gpointer watch(gpointer data)
{
	es_clamav *h = data;

	g_mutex_lock(&lock);
	while (!h->stop) {
		gint64 interval = h->set.check_interval_ms;
		gint64 until = g_get_monotonic_time() + (interval > 0 ? interval : 3600000) * 1000;
		gboolean due = FALSE;

		/* a reload with a new check_interval starts the wait again */
		while (!h->stop && h->set.check_interval_ms == interval)
			if (!g_cond_wait_until(&cond, &lock, until)) {
				due = TRUE;
				break;
			}
		if (!due || interval <= 0)
			continue;
		g_mutex_unlock(&lock);
		if (db_changed(h))
			es_clamav_reload(h, NULL);
		g_mutex_lock(&lock);
	}
	g_mutex_unlock(&lock);
	return NULL;
}

/* holder_new - first open: compile, then start the watcher */
static es_clamav *holder_new(const es_clamav_settings *set, gboolean allow_missing, GError **err)
{
	es_clamav *h = g_new0(es_clamav, 1);
	GError *why = NULL;
	es_clamav_engine *e;

	h->refs = 1;
	settings_copy(&h->set, set);
	g_mutex_init(&h->reload_lock);
	h->stamp = db_stamp(set->database);
	e = engine_build(set, &why);
	if (!e && !(allow_missing && g_error_matches(why, ES_CLAMAV_ERROR, ES_CLAMAV_ERROR_MISSING))) {
		g_propagate_error(err, why);
		g_free(h->stamp);
		settings_clear(&h->set);
		g_free(h);
		return NULL;
	}
	if (e) {
		install(h, e);
		es_log(LOG_INFO, NULL, "clamav: database %s loaded: %u signatures, libclamav %s",
		       set->database, e->sigs, es_clamav_version());
	} else {
		es_log(LOG_CRIT, NULL, "clamav: RUNNING WITHOUT VIRUS SCANNING (on_db_missing = "
		       "run_without_av): %s; scanning starts when a database appears", why->message);
		g_error_free(why);
	}
	h->watcher = g_thread_new("es-clamav-watch", watch, h);
	return h;
}

/* es_clamav_open - the process-wide holder; a later open reloads it */
es_clamav *es_clamav_open(const es_clamav_settings *set, gboolean allow_missing, GError **err)
{
	es_clamav *h;

	if (!clamav_init(err))
		return NULL;
	g_mutex_lock(&open_lock);
	if (!holder) {
		h = holder = holder_new(set, allow_missing, err);
		g_mutex_unlock(&open_lock);
		return h;
	}
	h = holder;
	g_mutex_lock(&lock);
	h->refs++;
	settings_clear(&h->set);
	settings_copy(&h->set, set);
	g_cond_broadcast(&cond);	/* the watcher picks up a new check_interval */
	g_mutex_unlock(&lock);
	g_mutex_unlock(&open_lock);
	/* A failed reload keeps the engine we have: the rest of the new config
	 * can still go live, and the log says why. */
	es_clamav_reload(h, NULL);
	return h;
}

/* es_clamav_get - a reference to the holder without reloading it */
es_clamav *es_clamav_get(void)
{
	es_clamav *h;

	g_mutex_lock(&open_lock);
	g_mutex_lock(&lock);
	if ((h = holder))
		h->refs++;
	g_mutex_unlock(&lock);
	g_mutex_unlock(&open_lock);
	return h;
}

/* es_clamav_close - drop a reference; the last stops the watcher and lets
 * the engine go once its scans end */
void es_clamav_close(es_clamav *h)
{
	gboolean last;

	if (!h)
		return;
	g_mutex_lock(&open_lock);
	g_mutex_lock(&lock);
	last = --h->refs == 0;
	if (last) {
		holder = NULL;
		h->stop = TRUE;
		g_cond_broadcast(&cond);
	}
	g_mutex_unlock(&lock);
	g_mutex_unlock(&open_lock);
	if (!last)
		return;
	g_thread_join(h->watcher);
	install(h, NULL);
	g_mutex_clear(&h->reload_lock);
	g_free(h->stamp);
	settings_clear(&h->set);
	g_free(h);
}

/* es_clamav_generation - engines swapped in so far */
guint es_clamav_generation(es_clamav *h)
{
	guint g;

	g_mutex_lock(&lock);
	g = h->generation;
	g_mutex_unlock(&lock);
	return g;
}

/* es_clamav_live_engines - compiled engines alive now */
guint es_clamav_live_engines(void)
{
	guint n;

	g_mutex_lock(&lock);
	n = live_engines;
	g_mutex_unlock(&lock);
	return n;
}
