/* virus_scan.h - one libclamav scan of a buffer, with the callbacks
 * that sort its alerts into viruses, encrypted content and limits hit */
#ifndef ES_VIRUS_SCAN_H
#define ES_VIRUS_SCAN_H

#include <glib.h>
#include <clamav.h>
#include "clamav_engine.h"

#define ES_VIRUS_MAX_LEVEL 128

/* [clamav] scan_raw: when libclamav also gets the message as received */
typedef enum {
	ES_SCAN_RAW_AUTO,	/* when it can find more than the decoded parts (virus_parts.c) */
	ES_SCAN_RAW_ALWAYS,
	ES_SCAN_RAW_NEVER,
} es_scan_raw;

/* The heuristics and image hashing switched on in [clamav], and the
 * per-message limits the part walk keeps to (libclamav keeps to them within
 * each part it is given). */
typedef struct {
	gboolean limits, encrypted, macros, phishing, exe_in_archive, broken_exe, image_hash;
	es_scan_raw scan_raw;
	guint64 max_scansize;
	guint max_recursion, max_files, max_scantime_ms;
} es_virus_options;

/* What the scans of one message found. Where: the file's path inside the
 * message ("report.zip/setup.exe"), NULL for the message itself. */
typedef struct {
	char *virus, *virus_where;	/* first virus (heuristics included) */
	char *limit, *limit_where;	/* first Heuristics.Limits.Exceeded alert */
	char *virus_part, *limit_part;	/* MIME part of each; NULL: the raw message */
	gboolean encrypted;		/* an encrypted archive or document */
	gboolean timed_out;		/* the scan ran past max_scantime */
	gboolean no_tmp;		/* libclamav could not make a temporary file or
					 * folder: what it meant to unpack went unscanned
					 * (it still answers CL_CLEAN) */
	/* while scanning */
	const char *qid;		/* the message's queue ID, for libclamav's own messages */
	guint messages;			/* libclamav's messages logged for it (capped) */
	const es_virus_options *opts;
	const char *cur_part;		/* MIME part being scanned (the walk's); NULL: raw */
	char *cur_where;
	char *exe_where;		/* first executable inside an archive */
	gboolean exe_marked;		/* on_post_scan has kept libclamav from caching it */
	gboolean archive_at[ES_VIRUS_MAX_LEVEL];
} es_virus_result;

/* es_virus_prepare_engine - install the callbacks on a new engine */
void es_virus_prepare_engine(struct cl_engine *cl);
/* es_virus_scan_buffer - scan LEN bytes at P, named NAME (may be NULL) */
cl_error_t es_virus_scan_buffer(es_clamav_engine *e, const void *p, gsize len, const char *name,
				const es_virus_options *o, es_virus_result *r);
/* es_virus_alert - file an alert NAME the scanner itself raised (a limit of
 * the part walk) as if libclamav had, in part r->cur_part */
void es_virus_alert(es_virus_result *r, const char *name);
/* es_virus_result_clear - free what R holds */
void es_virus_result_clear(es_virus_result *r);

#endif
