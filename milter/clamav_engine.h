/* clamav_engine.h - the one compiled libclamav engine the whole process
 * scans with: reference-counted, reloaded in the background when the
 * database directory changes, swapped so no scan ever waits or sees half */
#ifndef ES_CLAMAV_ENGINE_H
#define ES_CLAMAV_ENGINE_H

#include <glib.h>

struct cl_engine;

/* What the engine is built from ([clamav] keys). */
typedef struct {
	char *database;			/* signature directory */
	char *tmpdir;			/* libclamav's temporary files; NULL or "": its default */
	guint64 max_filesize;
	guint64 max_scansize;
	guint max_recursion;
	guint max_files;
	guint max_scantime_ms;
	gboolean phishing;		/* load phishing URL signatures (.pdb/.wdb) */
	gboolean concurrent_reload;	/* compile the new engine while the old one scans */
	gint64 check_interval_ms;	/* poll the directory this often; 0: never */
	void (*prepare)(struct cl_engine *cl);	/* set callbacks before compiling; may be NULL */
} es_clamav_settings;

/* One compiled engine. Hold it (es_clamav_acquire) for the length of one scan. */
typedef struct es_clamav_engine es_clamav_engine;
/* The process-wide holder of the engine in use. */
typedef struct es_clamav es_clamav;

typedef enum {
	ES_CLAMAV_ERROR_MISSING,	/* no database files in the directory */
	ES_CLAMAV_ERROR_LOAD,		/* a database could not be loaded or compiled */
	ES_CLAMAV_ERROR_SCAN,		/* a scan failed */
	ES_CLAMAV_ERROR_TIMEOUT,	/* a scan ran past max_scantime */
	ES_CLAMAV_ERROR_NO_ENGINE,	/* no engine to scan with */
} es_clamav_error;
#define ES_CLAMAV_ERROR es_clamav_error_quark()
GQuark es_clamav_error_quark(void);

/* es_clamav_tmpdir_used - where libclamav unpacks for a [clamav] tmpdir of
 * CONFIGURED: that folder, else $TMPDIR, else /tmp */
const char *es_clamav_tmpdir_used(const char *configured);

/* es_clamav_open - the process-wide holder, built from SET. The first call
 * compiles the engine and starts the watcher thread; later calls (SIGHUP)
 * take the new settings and reload at once, keeping the old engine if that
 * fails. With ALLOW_MISSING a missing database is not an error: the holder
 * has no engine until one appears. NULL with *err if there is no holder. */
es_clamav *es_clamav_open(const es_clamav_settings *set, gboolean allow_missing, GError **err);
/* es_clamav_get - another reference to the holder, as it is (no reload); NULL if none */
es_clamav *es_clamav_get(void);
/* es_clamav_close - drop one reference; the last stops the watcher */
void es_clamav_close(es_clamav *h);

/* es_clamav_acquire - the engine in use, held until es_clamav_release; NULL
 * if there is none. Waits only while a non-concurrent reload runs. */
es_clamav_engine *es_clamav_acquire(es_clamav *h);
/* es_clamav_release - let go of E; the last holder of a retired engine frees it */
void es_clamav_release(es_clamav_engine *e);
struct cl_engine *es_clamav_engine_cl(const es_clamav_engine *e);
/* es_clamav_engine_sigs - how many signatures E was compiled from */
guint es_clamav_engine_sigs(const es_clamav_engine *e);

/* es_clamav_reload - compile the database again now and swap it in (in the
 * calling thread); FALSE with *err if it failed and the old engine stays */
gboolean es_clamav_reload(es_clamav *h, GError **err);
/* es_clamav_generation - how many engines have been swapped in so far */
guint es_clamav_generation(es_clamav *h);
/* es_clamav_live_engines - compiled engines alive now (in use or retiring) */
guint es_clamav_live_engines(void);

/* es_clamav_version - libclamav's version, for headers, logs and JSON */
const char *es_clamav_version(void);

#endif
