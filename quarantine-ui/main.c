/* main.c - esafety-quarantine: the web UI server and its command-line
 * account and index tools. Binds first, then drops privileges, then opens
 * the database, so the database belongs to the unprivileged user. */
#include "config.h"
#include "ui.h"
#include "log.h"
#include "quarantine.h"
#include "privilege.h"

#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sodium.h>
#include <gmime/gmime.h>

static const char usage[] =
	"usage: esafety-quarantine [-c CONFIG] [-f] [serve]\n"
	"       esafety-quarantine [-c CONFIG] adduser NAME --role lead|admin|governor [--school S]\n"
	"       esafety-quarantine [-c CONFIG] passwd NAME | deluser NAME | users\n"
	"       esafety-quarantine [-c CONFIG] reindex | purge [--as-of YYYY-MM-DD]\n"
	"Passwords are read from standard input (one line).\n";

/* state_init - read what the UI needs from the config; FALSE and *err */
static gboolean state_init(ui_state *ui, const char *path, GError **err)
{
	ui->conf = es_conf_load(path, err);
	if (!ui->conf)
		return FALSE;
	ui->root = g_strdup(es_conf_string(ui->conf, "quarantine", "root"));
	ui->db_path = g_strdup(es_conf_string(ui->conf, "ui", "database"));
	ui->static_dir = g_strdup(es_conf_string(ui->conf, "ui", "static_dir"));
	ui->tls = *es_conf_string(ui->conf, "ui", "tls_cert") || es_conf_bool(ui->conf, "ui", "secure_cookies");
	ui->session_s = es_conf_int(ui->conf, "ui", "session_lifetime") / 1000;
	ui->retention_s = es_conf_int(ui->conf, "ui", "retention") / 1000;
	ui->lockout_s = es_conf_int(ui->conf, "ui", "login_lockout") / 1000;
	ui->release_ttl_s = es_conf_int(ui->conf, "quarantine", "release_ttl") / 1000;
	ui->max_failures = (int)es_conf_int(ui->conf, "ui", "login_max_failures");
	ui->trusted_proxies = es_conf_list(ui->conf, "ui", "trusted_proxies");
	ui->page_size = (int)es_conf_int(ui->conf, "ui", "page_size");
	ui->repeat_threshold = (int)es_conf_int(ui->conf, "ui", "repeat_sender_threshold");
	ui->key = es_hmac_key_load(es_conf_string(ui->conf, "quarantine", "hmac_key_file"), err);
	if (!ui->key)
		return FALSE;
	/* Redis is reached on first use; a config it cannot use stops start-up */
	if (es_conf_bool(ui->conf, "redis", "enabled") && !(ui->rep = es_reputation_new(ui->conf, err)))
		return FALSE;
	return TRUE;
}

/* read_password - one line from standard input, at least 8 characters */
static char *read_password(GError **err)
{
	char buf[1024];
	size_t n;

	if (!fgets(buf, sizeof(buf), stdin))
		buf[0] = 0;
	n = strcspn(buf, "\r\n");
	buf[n] = 0;
	if (n < 8) {
		g_set_error(err, ES_CONF_ERROR, 0, "the password (read from standard input) must have at least 8 characters");
		return NULL;
	}
	return g_strdup(buf);
}

/* cmd_adduser - adduser/passwd: ARGV after the command word */
static gboolean cmd_adduser(ui_state *ui, int argc, char **argv, gboolean passwd, GError **err)
{
	const char *name = argc > 0 ? argv[0] : NULL, *role = NULL, *school = NULL;
	ui_user *old = name ? ui_user_get(ui->db, name) : NULL;
	char *pw;
	gboolean ok;

	/* every word must be understood: a misspelt --school would otherwise
	 * make an account that sees every school */
	for (int i = 1; i < argc; i += 2) {
		const char **to = strcmp(argv[i], "--role") == 0 && !passwd ? &role :
				  strcmp(argv[i], "--school") == 0 && !passwd ? &school : NULL;

		if (!to || i + 1 >= argc) {
			g_set_error(err, ES_CONF_ERROR, 0, !to ? "unknown argument '%s' (see -h)" :
				    "%s needs a value", argv[i]);
			ui_user_free(old);
			return FALSE;
		}
		*to = argv[i + 1];
	}
	if (passwd && old) {
		role = old->role;
		school = old->school;
	}
	if (name && strlen(name) > UI_MAX_NAME) {
		g_set_error(err, ES_CONF_ERROR, 0, "a name is at most %d bytes", UI_MAX_NAME);
		ui_user_free(old);
		return FALSE;
	}
	if (!name || !role || (passwd && !old) ||
	    (strcmp(role, "lead") && strcmp(role, "admin") && strcmp(role, "governor")) ||
	    (strcmp(role, "lead") == 0 && !school) || (strcmp(role, "admin") == 0 && school) ||
	    (school && !es_conf_school_by_name(ui->conf, school))) {
		g_set_error(err, ES_CONF_ERROR, 0, passwd && !old ? "no such user" :
			    "need NAME --role lead|admin|governor; a lead needs --school S (a configured"
			    " school); an admin has no school");
		ui_user_free(old);
		return FALSE;
	}
	pw = read_password(err);
	ok = pw && ui_user_add(ui->db, name, pw, role, school, passwd, err);
	if (pw)
		sodium_memzero(pw, strlen(pw));
	g_free(pw);
	if (ok)
		ui_audit(ui, "cli", NULL, passwd ? "passwd" : "adduser", NULL, "%s role=%s school=%s",
			 name, role, school ? school : "(all)");
	ui_user_free(old);
	return ok;
}

/* cmd_users - list the accounts */
static void cmd_users(ui_state *ui)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, "SELECT name, role, COALESCE(school, '(all)') FROM users ORDER BY name");

	while (sqlite3_step(st) == SQLITE_ROW)
		printf("%s\t%s\t%s\n", ui_col(st, 0), ui_col(st, 1), ui_col(st, 2));
	sqlite3_finalize(st);
}

/* drop_privileges - become [ui] user; FALSE and *err */
static gboolean drop_privileges(ui_state *ui, GError **err)
{
	return es_privilege_drop("ui", es_conf_string(ui->conf, "ui", "user"), err);
}

/* serve - bind, drop privileges, open the database, index, serve until SIGTERM */
static gboolean serve(ui_state *ui, GError **err)
{
	sigset_t sigs;
	struct MHD_Daemon *d;
	ui_indexer *ix;
	int fd = ui_http_bind(ui, err), sig = 0, added = 0;
	char *certpem = NULL, *keypem = NULL;

	/* the port and the TLS key are root's to give; then the drop */
	if (fd < 0 || !ui_http_tls_read(ui, &certpem, &keypem, err))
		return FALSE;
	if (!drop_privileges(ui, err) || !(ui->db = ui_db_open(ui->db_path, err)) ||
	    !ui_index_scan(ui, ui->db, &added, err)) {
		g_free(certpem);
		if (keypem)
			sodium_memzero(keypem, strlen(keypem));
		g_free(keypem);
		return FALSE;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	ix = ui_indexer_start(ui, es_conf_int(ui->conf, "ui", "index_interval"));
	d = ui_http_start(ui, fd, certpem, keypem, err);
	if (!d) {
		ui_indexer_stop(ix);
		return FALSE;
	}
	es_log(LOG_NOTICE, NULL, "listening on %s%s, %d incidents indexed at start",
	       es_conf_string(ui->conf, "ui", "listen"), ui->tls ? " (secure cookies)" : "", added);
	while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP)
		es_log(LOG_NOTICE, NULL, "SIGHUP: the UI reads its config at start; restart it to apply changes");
	es_log(LOG_NOTICE, NULL, "signal %d: stopping", sig);
	MHD_stop_daemon(d);
	ui_indexer_stop(ix);
	return TRUE;
}

/* command - run one command word; FALSE and *err */
static gboolean command(ui_state *ui, const char *cmd, int argc, char **argv, GError **err)
{
	int added = 0;

	if (strcmp(cmd, "serve") == 0 && argc == 0)
		return serve(ui, err);
	if (strcmp(cmd, "serve") == 0) {
		g_set_error(err, ES_CONF_ERROR, 0, "unknown argument '%s' (see -h)", argv[0]);
		return FALSE;
	}
	/* as the daemon will be: a database made by root's adduser would be
	 * one the daemon cannot write */
	if (!drop_privileges(ui, err) || !(ui->db = ui_db_open(ui->db_path, err)))
		return FALSE;
	if (strcmp(cmd, "adduser") == 0 || strcmp(cmd, "passwd") == 0)
		return cmd_adduser(ui, argc, argv, strcmp(cmd, "passwd") == 0, err);
	if (strcmp(cmd, "deluser") == 0 && argc == 1) {
		if (!ui_user_del(ui->db, argv[0], err))
			return FALSE;
		ui_audit(ui, "cli", NULL, "deluser", NULL, "%s", argv[0]);
		return TRUE;
	}
	if (strcmp(cmd, "users") == 0 && argc == 0) {
		cmd_users(ui);
		return TRUE;
	}
	if (strcmp(cmd, "reindex") == 0 && argc == 0) {
		if (!ui_index_rebuild(ui, ui->db, &added, err))
			return FALSE;
		printf("%d incidents indexed\n", added);
		return TRUE;
	}
	if (strcmp(cmd, "purge") == 0 && (argc == 0 || (argc == 1 && g_str_has_prefix(argv[0], "--as-of=")) ||
					  (argc == 2 && strcmp(argv[0], "--as-of") == 0))) {
		gint64 now = g_get_real_time() / G_USEC_PER_SEC;
		char *t = argc == 2 ? g_strdup_printf("%sT00:00:00Z", argv[1])
			  : argc == 1 ? g_strdup_printf("%sT00:00:00Z", argv[0] + strlen("--as-of=")) : NULL;

		if (t && (now = ui_parse_time(t)) < 0) {
			g_set_error(err, ES_CONF_ERROR, 0, "--as-of wants YYYY-MM-DD");
			g_free(t);
			return FALSE;
		}
		g_free(t);
		if (!ui_index_scan(ui, ui->db, &added, err))
			return FALSE;
		printf("%d incidents purged\n", ui_purge(ui, ui->db, now, "cli"));
		return TRUE;
	}
	g_set_error(err, ES_CONF_ERROR, 0, "unknown command or arguments: %s%s%s (see -h)", cmd,
		    argc ? " " : "", argc ? argv[0] : "");
	return FALSE;
}

/* main - options, then one command (default: serve) */
int main(int argc, char **argv)
{
	const char *conf = SYSCONFDIR "/esafety/esafety.conf";
	gboolean fg = FALSE, ok;
	ui_state ui = { 0 };
	GError *err = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "-f") == 0)
			fg = TRUE;
		else {
			gboolean help = strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0;

			fputs(usage, help ? stdout : stderr);
			return help ? 0 : 2;
		}
	}
	if (sodium_init() < 0) {
		fputs("esafety-quarantine: libsodium cannot start\n", stderr);
		return 1;
	}
	g_mime_init();
	es_log_open("esafety-quarantine", "mail", fg || (i < argc && strcmp(argv[i], "serve") != 0));
	es_log_capture_libraries();
	if (!state_init(&ui, conf, &err)) {
		fprintf(stderr, "esafety-quarantine: %s\n", err->message);
		return 2;
	}
	/* no command word: serve, with no arguments (not argc - i - 1 = -1) */
	ok = command(&ui, i < argc ? argv[i] : "serve", i < argc ? argc - i - 1 : 0, argv + MIN(i + 1, argc), &err);
	if (!ok)
		fprintf(stderr, "esafety-quarantine: %s\n", err ? err->message : "failed");
	if (ui.db)
		sqlite3_close(ui.db);
	es_conf_unref(ui.conf);
	g_bytes_unref(ui.key);
	es_reputation_free(ui.rep);
	g_free(ui.root);
	g_free(ui.db_path);
	g_free(ui.static_dir);
	g_clear_error(&err);
	return ok ? 0 : 1;
}
