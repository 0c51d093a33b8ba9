/* main.c - esafety-milter: start-up, signals, reload and orderly shutdown.
 *
 * libmilter's own signal thread treats SIGHUP as "stop". So smfi_main runs in
 * a second thread, libmilter's signal thread is parked (sigwait below), and
 * the main thread waits for signals itself: SIGHUP reloads and SIGTERM
 * finishes messages in flight. */
#include "config.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <pwd.h>
#include <gio/gio.h>
#include <libmilter/mfapi.h>
#include "callbacks.h"
#include "daemon.h"
#include "privilege.h"
#include "engine.h"
#include "log.h"
#include "quarantine.h"

static char *opt_config = SYSCONFDIR "/esafety/esafety.conf";
static gboolean opt_foreground, opt_check, opt_keygen, opt_sample, opt_man, opt_version;

static GOptionEntry entries[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Configuration file (default " SYSCONFDIR "/esafety/esafety.conf)", "FILE" },
	{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &opt_foreground, "Stay in the foreground and log to standard error", NULL },
	{ "check", 'n', 0, G_OPTION_ARG_NONE, &opt_check, "Check the configuration, rules and policies, then exit", NULL },
	{ "make-key", 'k', 0, G_OPTION_ARG_NONE, &opt_keygen, "Create the quarantine HMAC key file if it does not exist, then exit", NULL },
	{ "sample-config", 0, 0, G_OPTION_ARG_NONE, &opt_sample, "Print a sample configuration with every key and its default", NULL },
	{ "man-options", 0, 0, G_OPTION_ARG_NONE, &opt_man, "Print the option list of esafety.conf(5) in roff", NULL },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "Print the version", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static pthread_t main_thread;

/* load_all - config, detectors, policies and key, or an error for the admin */
static es_engine *load_all(GError **err)
{
	es_conf *conf = es_conf_load(opt_config, err);
	/* the key first: the engine's last step changes the shared ClamAV
	 * engine, and a reload refused after that would not undo it */
	GBytes *key = conf ? es_hmac_key_load(es_conf_string(conf, "quarantine", "hmac_key_file"), err) : NULL;
	es_engine *e = key ? es_engine_load(conf, err) : NULL;

	if (e)
		es_engine_set_key(e, key);
	else if (key)
		g_bytes_unref(key);
	es_conf_unref(conf);
	return e;
}

/* reload - SIGHUP: a new engine or, if anything is wrong, the old one kept */
static void reload(void)
{
	GError *err = NULL;
	es_engine *e;

	if (!(e = load_all(&err))) {
		/* after the start the files are read as the [milter] user, so a
		 * file root could read may not be: say who could not */
		struct passwd pwbuf, *pw = NULL;
		char buf[1024];

		if (strstr(err->message, "Permission denied"))
			getpwuid_r(geteuid(), &pwbuf, buf, sizeof(buf), &pw);

		es_log(LOG_ERR, NULL, "reload failed, keeping the running configuration: %s%s%s%s", err->message,
		       pw ? " (the milter reads its files as user " : "", pw ? pw->pw_name : "", pw ? ")" : "");
		g_error_free(err);
	} else {
		int level = es_log_level_parse(es_conf_string(es_engine_conf(e), "milter", "log_level"));

		es_engine_swap(e);
		es_log(LOG_NOTICE, NULL, "reloaded configuration and rules from %s (socket, user, pidfile, "
		       "syslog_facility, timeout and shutdown_timeout change only at a restart)", opt_config);
		es_log_set_level(level);
	}
}

/* The reload worker: one thread, so reloads run one at a time and never
 * with the older files swapped in last; SIGHUPs that come while one runs
 * fold into one more (a burst of them is not a queue of recompiles); and
 * it is joined before the last engine is dropped, so no reload outlives
 * the stop. */
static GMutex reload_lock;
static GCond reload_cond;
static gboolean reload_due, reload_quit;

static void *reload_worker(void *arg)
{
	g_mutex_lock(&reload_lock);
	for (;;) {
		while (!reload_due && !reload_quit)
			g_cond_wait(&reload_cond, &reload_lock);
		if (reload_quit)
			break;
		reload_due = FALSE;
		g_mutex_unlock(&reload_lock);
		reload();
		g_mutex_lock(&reload_lock);
	}
	g_mutex_unlock(&reload_lock);
	return NULL;
}

/* reload_ask - SIGHUP: a reload is due (or, with QUIT, the worker ends
 * after the reload it is running, if any) */
static void reload_ask(gboolean quit)
{
	g_mutex_lock(&reload_lock);
	if (quit)
		reload_quit = TRUE;
	else
		reload_due = TRUE;
	g_cond_signal(&reload_cond);
	g_mutex_unlock(&reload_lock);
}

/* sigwait - interposed: an executable's own definition comes before libc's
 * for the libraries it loads, libmilter among them. libmilter starts a
 * thread that waits for SIGHUP, SIGTERM and SIGINT and stops the milter at
 * once on any of them, while here the main thread owns those signals
 * (SIGHUP reloads, SIGTERM drains). Whenever the main thread was not itself
 * waiting (in the instant after it took one signal, or before the kernel ran
 * it) the next signal went to libmilter's thread: two quick SIGHUPs, or a
 * SIGHUP and a SIGTERM, stopped the milter. So a thread other than the main
 * one that waits for SIGHUP parks here for good, the signals still blocked
 * in it, and the main thread is the only one that ever takes them. Any
 * other caller gets sigwait as it is. */
int sigwait(const sigset_t *set, int *sig)
{
	int s;

	if (!pthread_equal(pthread_self(), main_thread) && sigismember(set, SIGHUP) == 1)
		for (;;)
			pause();
	do
		s = sigwaitinfo(set, NULL);
	while (s < 0 && errno == EINTR);
	if (s < 0)
		return errno;
	*sig = s;
	return 0;
}

/* set when smfi_main has returned, so that a SIGUSR1 sent by anyone else
 * is not taken for libmilter having stopped */
static gint milter_done;

/* milter_thread - smfi_main; when it returns, wake the main thread */
static void *milter_thread(void *arg)
{
	int rc = smfi_main();

	if (rc != MI_SUCCESS)
		es_log(LOG_ERR, NULL, "libmilter stopped with an error");
	g_atomic_int_set(&milter_done, 1);
	pthread_kill(main_thread, SIGUSR1);
	return NULL;
}

/* wait_in_flight - let messages being scanned finish, up to the timeout */
static void wait_in_flight(gint64 timeout_ms)
{
	gint64 until = g_get_monotonic_time() + timeout_ms * 1000;

	while (es_milter_in_flight() > 0 && g_get_monotonic_time() < until)
		g_usleep(50 * 1000);
	if (es_milter_in_flight() > 0)
		es_log(LOG_WARNING, NULL, "exiting with %d messages unfinished; the MTA will retry them",
		       es_milter_in_flight());
}

/* stop_thread - the drain: libmilter drops sessions when stopped, so new
 * messages are tempfailed, those in flight finish, and only then is the
 * listener stopped (smfi_main returns, and milter_thread wakes main) */
static void *stop_thread(void *arg)
{
	es_milter_drain();
	wait_in_flight(*(gint64 *)arg);
	smfi_stop();
	return NULL;
}

/* serve - hand out signals until libmilter has stopped, doing as little as
 * it can between two waits (the work is done by the reload worker and the
 * stop thread), the drain included. Returns FALSE when libmilter stopped
 * without being asked. */
static gboolean serve(const sigset_t *set, gint64 shutdown_ms)
{
	pthread_t milter, stopper, reloader;
	gboolean stopping = FALSE;
	int sig = 0;

	pthread_create(&reloader, NULL, reload_worker, NULL);
	pthread_create(&milter, NULL, milter_thread, NULL);
	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGUSR1 && g_atomic_int_get(&milter_done))
			break;
		if (sig == SIGUSR1) {
			es_log(LOG_NOTICE, NULL, "SIGUSR1 ignored: it has no use here");
		} else if (sig == SIGHUP && stopping) {
			es_log(LOG_NOTICE, NULL, "SIGHUP while stopping: not reloaded");
		} else if (sig == SIGHUP) {
			reload_ask(FALSE);	/* off the main thread, so it is back waiting at once */
		} else if (stopping) {
			es_log(LOG_NOTICE, NULL, "signal %d while stopping: still finishing messages in flight", sig);
		} else {
			es_log(LOG_NOTICE, NULL, "stopping (signal %d); finishing messages in flight", sig);
			stopping = pthread_create(&stopper, NULL, stop_thread, &shutdown_ms) == 0;
			if (!stopping)
				smfi_stop();
		}
	}
	if (stopping) {
		pthread_join(stopper, NULL);
	} else {
		/* a signal libmilter's thread took, or an error: its sessions are
		 * gone, so the MTA retries what was in flight */
		es_log(LOG_ERR, NULL, "libmilter stopped by itself; exiting with status 1");
		es_milter_drain();
		wait_in_flight(shutdown_ms);
	}
	pthread_join(milter, NULL);
	reload_ask(TRUE);
	pthread_join(reloader, NULL);
	return stopping;
}
/* listen_reason - why libmilter could not listen on SPEC (it tells syslog
 * only): the same bind tried here, or the unix socket's folder checked */
static char *listen_reason(const char *spec)
{
	const char *colon = strchr(spec, ':');
	char *why = NULL;

	if (colon && colon[1] == '/') {
		char *dir = g_path_get_dirname(colon + 1);

		if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
			why = g_strdup_printf("folder %s does not exist", dir);
		else if (access(dir, W_OK) != 0)
			why = g_strdup_printf("folder %s: %s", dir, g_strerror(errno));
		g_free(dir);
	} else if (colon) {
		const char *at = strchr(colon, '@');
		char *host = g_strdup(at ? at + 1 : (g_ascii_strncasecmp(spec, "inet6:", 6) == 0 ? "::" : "0.0.0.0"));
		GSocketAddress *addr;
		GSocket *sock;
		GError *e = NULL;

		if (*host == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host) - 2);
			host[strlen(host) - 2] = '\0';
		}
		/* a host name or a service name: libmilter resolves those itself,
		 * and this try would guess; say nothing rather than something wrong */
		addr = g_inet_socket_address_new_from_string(host, (guint)atoi(colon + 1));
		sock = addr && atoi(colon + 1) > 0 ? g_socket_new(g_socket_address_get_family(addr), G_SOCKET_TYPE_STREAM,
								  G_SOCKET_PROTOCOL_TCP, NULL) : NULL;
		if (sock && !g_socket_bind(sock, addr, TRUE, &e)) {
			why = g_strdup(e->message);
			g_error_free(e);
		}
		g_clear_object(&sock);
		g_clear_object(&addr);
		g_free(host);
	}
	return why;
}

/* open_socket - libmilter's listener, opened before dropping privileges */
static gboolean open_socket(const es_conf *conf, GError **err)
{
	char *spec;
	int port = 0;
	uid_t uid;
	gid_t gid;

	/* before binding, so a missing user stops the start with its remedy */
	if (!es_privilege_lookup("milter", es_conf_string(conf, "milter", "user"), &uid, &gid, err))
		return FALSE;
	spec = g_strdup(es_conf_string(conf, "milter", "socket"));
	if (g_str_has_prefix(spec, "inet:") || g_str_has_prefix(spec, "inet6:"))
		port = atoi(strchr(spec, ':') + 1);
	if (smfi_setconn(spec) != MI_SUCCESS || smfi_settimeout((int)(es_conf_int(conf, "milter", "timeout") / 1000)) != MI_SUCCESS ||
	    smfi_register(es_milter_desc) != MI_SUCCESS || smfi_opensocket(TRUE) != MI_SUCCESS) {
		char *why = listen_reason(spec);

		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot listen on %s ([milter] socket)%s%s", spec,
			    why ? ": " : "", why ? why : "");
		g_free(why);
		g_free(spec);
		return FALSE;
	}
	if (port)
		es_listener_nodelay(port);
	else if (!es_socket_access(spec, es_conf_string(conf, "milter", "socket_mode"),
				   es_conf_string(conf, "milter", "socket_group"), uid, err)) {
		g_free(spec);
		return FALSE;
	}
	g_free(spec);
	return TRUE;
}

/* config_warnings - what is legal in CONF but likely a mistake: printed by
 * -n, logged at start (g_ptr_array_unref) */
static GPtrArray *config_warnings(const es_conf *conf)
{
	GPtrArray *w = g_ptr_array_new_with_free_func(g_free);
	char *socket = es_socket_warning(conf);

	if (socket)
		g_ptr_array_add(w, socket);
	/* the filter runs, but for no school */
	if (!es_conf_n_schools(conf))
		g_ptr_array_add(w, g_strdup("no [school:NAME] section: every message is mail of no school (no "
					    "pupils or staff, no e-safety mailbox copies; flagged mail goes to the "
					    "_none quarantine folder only)"));
	return w;
}

/* early_options - the modes that print or check and exit */
static int early_options(void)
{
	GError *err = NULL;
	es_conf *conf;
	es_engine *e;
	char *text;
	GPtrArray *warnings;

	if (opt_version) {
		printf("esafety-milter %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (opt_sample || opt_man) {
		text = opt_sample ? es_conf_sample() : es_conf_man_options();
		fputs(text, stdout);
		g_free(text);
		return 0;
	}
	if (!(conf = es_conf_load(opt_config, &err)))
		goto fail;
	if (opt_keygen) {
		const char *path = es_conf_string(conf, "quarantine", "hmac_key_file");
		const char *user = es_conf_string(conf, "milter", "user");
		uid_t uid;
		gid_t gid;

		/* the daemon reads the key after it has become [milter] user: a
		 * missing user is found before the key is written, and a key an
		 * older root-run install made is handed over too */
		if (!es_privilege_lookup("milter", user, &uid, &gid, &err) ||
		    (!g_file_test(path, G_FILE_TEST_EXISTS) && !es_hmac_key_create(path, &err)) ||
		    !es_privilege_chown("milter", user, path, &err))
			goto fail;
		printf("%s\n", path);
		es_conf_unref(conf);
		return 0;
	}
	/* check as the daemon will run: it reads the config, rules and key, and
	 * writes the quarantine, as [milter] user */
	if (!es_socket_check(conf, &err) ||
	    !es_privilege_drop("milter", es_conf_string(conf, "milter", "user"), &err) ||
	    !es_store_access(conf, &err) || !es_clamav_tmpdir_access(conf, &err) ||
	    !es_notice_command_check(conf, &err) || !(e = load_all(&err))) {
		es_conf_unref(conf);
		goto fail;
	}
	warnings = config_warnings(conf);
	for (guint i = 0; i < warnings->len; i++)
		fprintf(stderr, "esafety-milter: warning: %s\n", (char *)g_ptr_array_index(warnings, i));
	g_ptr_array_unref(warnings);
	es_conf_unref(conf);
	es_engine_unref(e);
	printf("%s: configuration OK\n", opt_config);
	return 0;
fail:
	fprintf(stderr, "esafety-milter: %s\n", err->message);
	g_error_free(err);
	return 2;
}

int main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new("- e-safety mail filter for schools (milter)");
	GError *err = NULL;
	es_conf *conf;
	es_engine *e;
	sigset_t set;
	int ready = -1;
	gboolean asked;
	GPtrArray *warnings;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "esafety-milter: %s\n", err->message);
		return 2;
	}
	g_option_context_free(ctx);
	es_library_init();
	if (opt_version || opt_sample || opt_man || opt_check || opt_keygen)
		return early_options();
	if (!(conf = es_conf_load(opt_config, &err))) {
		fprintf(stderr, "esafety-milter: %s\n", err->message);
		return 2;
	}
	es_log_open("esafety-milter", es_conf_string(conf, "milter", "syslog_facility"), opt_foreground);
	es_log_capture_libraries();
	es_log_set_level(es_log_level_parse(es_conf_string(conf, "milter", "log_level")));
	if (!open_socket(conf, &err)) {
		fprintf(stderr, "esafety-milter: %s\n", err->message);
		return 1;
	}
	if (!opt_foreground)
		es_daemon_detach(&ready);
	/* block before any thread exists, so every thread inherits the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	main_thread = pthread_self();
	if (!es_pidfile_write(es_conf_string(conf, "milter", "pidfile"), es_conf_string(conf, "milter", "user"), &err) ||
	    !es_clamav_tmpdir_make(conf, &err) ||
	    !es_privilege_drop("milter", es_conf_string(conf, "milter", "user"), &err) || !(e = load_all(&err))) {
		es_log(LOG_ERR, NULL, "cannot start: %s", err->message);
		es_daemon_ready(ready, err->message);
		if (opt_foreground)
			fprintf(stderr, "esafety-milter: %s\n", err->message);
		return 1;
	}
	/* not fatal: clean mail still flows, flagged mail meets on_store_error */
	if (!es_store_access(conf, &err)) {
		es_log(LOG_ERR, NULL, "%s; until then flagged mail gets [quarantine] on_store_error", err->message);
		g_clear_error(&err);
	}
	if (!es_clamav_tmpdir_access(conf, &err)) {
		es_log(LOG_ERR, NULL, "%s; until then messages libclamav must unpack get [clamav] on_scan_error",
		       err->message);
		g_clear_error(&err);
	}
	if (!es_notice_command_check(conf, &err)) {
		es_log(LOG_ERR, NULL, "%s", err->message);
		g_clear_error(&err);
	}
	warnings = config_warnings(conf);
	for (guint i = 0; i < warnings->len; i++)
		es_log(LOG_WARNING, NULL, "%s", (char *)g_ptr_array_index(warnings, i));
	g_ptr_array_unref(warnings);
	es_engine_swap(e);
	es_log(LOG_NOTICE, NULL, "esafety-milter %s listening on %s", PACKAGE_VERSION,
	       es_conf_string(conf, "milter", "socket"));
	es_daemon_ready(ready, NULL);
	asked = serve(&set, es_conf_int(conf, "milter", "shutdown_timeout"));
	es_engine_swap(NULL);
	if (*es_conf_string(conf, "milter", "pidfile"))
		unlink(es_conf_string(conf, "milter", "pidfile"));
	es_conf_unref(conf);
	es_log(LOG_NOTICE, NULL, "stopped");
	return asked ? 0 : 1;
}
