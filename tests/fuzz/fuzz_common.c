/* fuzz_common.c - the test config (the one tests/lib/milter.sh writes, minus
 * the daemon's socket) and one engine per fuzzer process */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <glib/gstdio.h>
#include "fuzz_common.h"
#include "log.h"

static es_engine *engine;
static char *workdir;

/* es_fuzz_srcdir - the source tree: $top_srcdir, else the configured one */
const char *es_fuzz_srcdir(void)
{
	const char *d = g_getenv("top_srcdir");

	return d && *d ? d : ES_FUZZ_SRCDIR;
}

/* remove_workdir - at exit: the config and the empty quarantine */
static void remove_workdir(void)
{
	char *cmd;

	if (!workdir)
		return;
	cmd = g_strdup_printf("rm -rf '%s'", workdir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", workdir);
	g_free(cmd);
}

/* write_conf - the test school's config into WORKDIR; returns its path */
static char *write_conf(gboolean with_virus)
{
	const char *src = es_fuzz_srcdir();
	char *path = g_build_filename(workdir, "esafety.conf", NULL);
	char *text = g_strdup_printf(
		"[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/tests/fixtures/rules\n"
		"tmpdir = %s\nlog_level = err\n"
		"[quarantine]\nroot = %s\n"
		"[clamav]\nenabled = %s\ndatabase = %s/tests/fixtures/clamav\n"
		"[school:school]\ndomains = school.example\nesafety_mailbox = esafety@school.example\n"
		"pupils = *@pupils.school.example\nstaff = *@staff.school.example\npolicy = e2e\n",
		src, src, workdir, workdir, with_virus ? "yes" : "no", src);

	if (!g_file_set_contents(path, text, -1, NULL)) {
		fprintf(stderr, "fuzz: cannot write %s\n", path);
		exit(1);
	}
	g_free(text);
	return path;
}

/* es_fuzz_engine - load the engine once; exit when it cannot be loaded */
es_engine *es_fuzz_engine(gboolean with_virus)
{
	GError *err = NULL;
	es_conf *conf;
	char *path;

	if (engine)
		return engine;
	es_log_open("esafety-fuzz", NULL, 1);
	es_log_set_level(LOG_CRIT);
	es_library_init();
	workdir = g_dir_make_tmp("esafety-fuzz.XXXXXX", NULL);
	if (!workdir) {
		fprintf(stderr, "fuzz: cannot make a temporary directory\n");
		exit(1);
	}
	atexit(remove_workdir);
	path = write_conf(with_virus);
	conf = es_conf_load(path, &err);
	if (!conf || !(engine = es_engine_load(conf, &err))) {
		fprintf(stderr, "fuzz: %s: %s\n", path, err ? err->message : "cannot load");
		exit(1);
	}
	g_free(path);
	return engine;
}
