/* virus_scan.h - one libclamav scan of a buffer or file, with the callbacks
 * that sort its alerts into viruses, encrypted content and limits hit */
#ifndef ES_VIRUS_SCAN_H
#define ES_VIRUS_SCAN_H

#include <glib.h>
#include <clamav.h>
#include "clamav_engine.h"

#define ES_VIRUS_MAX_LEVEL 128

/* The heuristics switched on in [clamav]. */
typedef struct {
	gboolean limits, encrypted, macros, phishing, exe_in_archive, broken_exe;
} es_virus_options;

/* What the scans of one message found. Where: the file's path inside the
 * message ("report.zip/setup.exe"), NULL for the message itself. */
typedef struct {
	char *virus, *virus_where;	/* first virus (heuristics included) */
	char *limit, *limit_where;	/* first Heuristics.Limits.Exceeded alert */
	gboolean encrypted;		/* an encrypted archive or document */
	gboolean timed_out;		/* the scan ran past max_scantime */
	/* while scanning */
	const es_virus_options *opts;
	char *cur_where;
	char *exe_where;		/* first executable inside an archive */
	gboolean archive_at[ES_VIRUS_MAX_LEVEL];
} es_virus_result;

/* es_virus_prepare_engine - install the callbacks on a new engine */
void es_virus_prepare_engine(struct cl_engine *cl);
/* es_virus_scan_buffer - scan LEN bytes at P, named NAME (may be NULL) */
cl_error_t es_virus_scan_buffer(es_clamav_engine *e, const void *p, gsize len, const char *name,
				const es_virus_options *o, es_virus_result *r);
/* es_virus_scan_fd - scan the open file FD */
cl_error_t es_virus_scan_fd(es_clamav_engine *e, int fd, const char *name,
			    const es_virus_options *o, es_virus_result *r);
/* es_virus_result_clear - free what R holds */
void es_virus_result_clear(es_virus_result *r);

#endif
