/* daemon.c - detach, pid file and socket options */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "daemon.h"
#include "privilege.h"
#include "clamav_engine.h"

/* es_daemon_detach - fork; the parent relays the child's start-up result */
void es_daemon_detach(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char buf[1024];
	ssize_t n;

	if (pipe(p) < 0 || (pid = fork()) < 0) {
		perror("esafety-milter: fork");
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		n = read(p[0], buf, sizeof(buf) - 1);
		if (n > 0 && buf[0] == '+')
			exit(0);
		buf[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "esafety-milter: %s\n", n > 1 ? buf + 1 : "failed to start (see the mail log)");
		exit(1);
	}
	close(p[0]);
	setsid();
	if (chdir("/") < 0)
		perror("chdir /");
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	*ready_fd = p[1];
}

/* es_daemon_ready - '+' for ready, '-' and the message otherwise */
void es_daemon_ready(int ready_fd, const char *msg)
{
	char *out;

	if (ready_fd < 0)
		return;
	out = g_strdup_printf("%c%s", msg ? '-' : '+', msg ? msg : "");
	if (write(ready_fd, out, strlen(out)) < 0)
		(void)0;	/* the parent is gone; nothing to tell */
	g_free(out);
	close(ready_fd);
}

/* es_pidfile_write - PATH gets our pid; a missing folder is made and given
 * to USER, so the file can still be removed at exit after the drop */
gboolean es_pidfile_write(const char *path, const char *user, GError **err)
{
	char *pid, *dir;
	gboolean ok = TRUE;

	if (!path || !*path)
		return TRUE;
	dir = g_path_get_dirname(path);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		if (g_mkdir_with_parents(dir, 0755) < 0) {
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "pidfile folder %s: %s",
				    dir, g_strerror(errno));
			ok = FALSE;
		} else {
			ok = es_privilege_chown("milter", user, dir, err);
		}
	}
	g_free(dir);
	if (!ok)
		return FALSE;
	pid = g_strdup_printf("%ld\n", (long)getpid());
	ok = g_file_set_contents(path, pid, -1, err);
	g_free(pid);
	return ok;
}

/* writable - PATH can be written by us now; else *err names the remedy */
static gboolean writable(const char *what, const char *path, GError **err)
{
	if (access(path, W_OK | X_OK) == 0)
		return TRUE;
	g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
		    "%s %s cannot be written by uid %ld: %s (chown -R it to [milter] user)", what, path,
		    (long)geteuid(), g_strerror(errno));
	return FALSE;
}

/* unix_path - the file of a unix socket SPEC, or NULL (inet) */
static const char *unix_path(const char *spec)
{
	if (g_ascii_strncasecmp(spec, "unix:", 5) == 0 || g_ascii_strncasecmp(spec, "local:", 6) == 0)
		return strchr(spec, ':') + 1;
	return NULL;
}

/* es_socket_check - see daemon.h */
gboolean es_socket_check(const es_conf *conf, GError **err)
{
	const char *spec = es_conf_string(conf, "milter", "socket"), *path = unix_path(spec);
	const char *group = es_conf_string(conf, "milter", "socket_group");
	char *dir;
	gboolean ok = TRUE;

	if (!path)
		return TRUE;
	if (*group && !getgrnam(group)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "[milter] socket_group '%s' does not exist", group);
		return FALSE;
	}
	dir = g_path_get_dirname(path);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "[milter] socket %s: folder %s does not exist",
			    spec, dir);
		ok = FALSE;
	}
	g_free(dir);
	return ok;
}

/* es_socket_warning - see daemon.h */
char *es_socket_warning(const es_conf *conf)
{
	const char *spec = es_conf_string(conf, "milter", "socket"), *path = unix_path(spec);

	if (path && !*es_conf_string(conf, "milter", "socket_group") &&
	    strcmp(es_conf_string(conf, "milter", "socket_mode"), "0666") != 0)
		return g_strdup_printf("[milter] socket %s is for [milter] user and its own group only: the MTA's "
				       "user (Postfix: postfix) cannot connect unless it is in that group; set "
				       "[milter] socket_group = postfix", spec);
	if (!path && !strchr(spec, '@'))
		return g_strdup_printf("[milter] socket %s listens on every network interface: anyone who can "
				       "reach the port can have mail scanned; write %s@127.0.0.1 for the local MTA",
				       spec, spec);
	return NULL;
}

/* es_notice_command_check - see daemon.h */
gboolean es_notice_command_check(const es_conf *conf, GError **err)
{
	char **argv = NULL, *found = NULL;
	gboolean ok, used = FALSE;

	for (guint i = 0; i < es_conf_n_schools(conf); i++)
		used |= es_school_bool(es_conf_school(conf, i), "hold_notice");
	if (!used)
		return TRUE;	/* no school sends hold notices */
	/* the parser has checked the syntax */
	if (!g_shell_parse_argv(es_conf_string(conf, "milter", "notice_command"), NULL, &argv, NULL))
		return TRUE;
	found = g_find_program_in_path(argv[0]);
	ok = found != NULL;
	if (!ok)
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "[milter] notice_command: '%s' is not a program uid %ld "
			    "can run, so no hold notice would be sent", argv[0], (long)geteuid());
	g_free(found);
	g_strfreev(argv);
	return ok;
}

/* es_clamav_tmpdir_make - see daemon.h */
gboolean es_clamav_tmpdir_make(const es_conf *conf, GError **err)
{
	const char *dir = es_conf_string(conf, "clamav", "tmpdir");

	if (!es_conf_bool(conf, "clamav", "enabled") || !*dir || g_file_test(dir, G_FILE_TEST_EXISTS))
		return TRUE;
	/* folders above it that are missing too are made 0755, so [milter]
	 * user can pass through them; only the last one is its own, 0700 */
	if (g_mkdir_with_parents(dir, 0755) < 0 || chmod(dir, 0700) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "[clamav] tmpdir %s: cannot make it: %s",
			    dir, g_strerror(errno));
		return FALSE;
	}
	return es_privilege_chown("milter", es_conf_string(conf, "milter", "user"), dir, err);
}

/* es_clamav_tmpdir_access - see daemon.h */
gboolean es_clamav_tmpdir_access(const es_conf *conf, GError **err)
{
	const char *ctmp = es_conf_string(conf, "clamav", "tmpdir");

	/* libclamav unpacks archives and documents there; if it cannot, what it
	 * meant to unpack is not scanned. A missing one is made at start. */
	if (!es_conf_bool(conf, "clamav", "enabled") || (*ctmp && !g_file_test(ctmp, G_FILE_TEST_EXISTS)))
		return TRUE;
	return writable("[clamav] tmpdir", es_clamav_tmpdir_used(ctmp), err);
}

gboolean es_store_access(const es_conf *conf, GError **err)
{
	const char *root = es_conf_string(conf, "quarantine", "root");
	const char *name;
	GDir *d;
	gboolean ok = TRUE;

	if (!writable("[milter] tmpdir", es_conf_string(conf, "milter", "tmpdir"), err))
		return FALSE;
	if (!g_file_test(root, G_FILE_TEST_IS_DIR)) {
		char *parent = g_path_get_dirname(root);

		/* made on first use: its parent must let us */
		while (!g_file_test(parent, G_FILE_TEST_IS_DIR) && strcmp(parent, "/") != 0) {
			char *up = g_path_get_dirname(parent);

			g_free(parent);
			parent = up;
		}
		ok = writable("[quarantine] root's parent", parent, err);
		g_free(parent);
		return ok;
	}
	if (!writable("[quarantine] root", root, err))
		return FALSE;
	/* a school folder left by a root-run install */
	if (!(d = g_dir_open(root, 0, NULL)))
		return TRUE;
	while (ok && (name = g_dir_read_name(d))) {
		char *sub = g_build_filename(root, name, NULL);

		if (g_file_test(sub, G_FILE_TEST_IS_DIR))
			ok = writable("quarantine folder", sub, err);
		g_free(sub);
	}
	g_dir_close(d);
	return ok;
}

/* es_socket_access - chmod and chown a unix socket libmilter has made:
 * it binds with the process umask and gives no way to choose */
gboolean es_socket_access(const char *spec, const char *mode, const char *group, uid_t uid,
			  GError **err)
{
	const char *path = NULL;
	gid_t gid = (gid_t)-1;

	if (g_str_has_prefix(spec, "unix:") || g_str_has_prefix(spec, "local:"))
		path = strchr(spec, ':') + 1;
	if (!path)
		return TRUE;
	if (group && *group) {
		struct group *gr = getgrnam(group);

		if (!gr) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "[milter] socket_group '%s' does not exist", group);
			return FALSE;
		}
		gid = gr->gr_gid;
	}
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot chown socket %s: %s",
			    path, g_strerror(errno));
		return FALSE;
	}
	if (mode && *mode && chmod(path, (mode_t)strtoul(mode, NULL, 8)) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot chmod socket %s: %s",
			    path, g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* es_listener_nodelay - find libmilter's listening TCP socket by port */
void es_listener_nodelay(int port)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int listening = 0, one = 1;
		socklen_t ol = sizeof(listening);
		int p = -1;

		if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
			continue;
		if (ss.ss_family == AF_INET)
			p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		if (p != port || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ol) < 0 || !listening)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
}

/* es_hmac_key_create - 32 bytes from the kernel's CSPRNG as hex, mode 0600 */
gboolean es_hmac_key_create(const char *path, GError **err)
{
	GString *hex = g_string_new(NULL);
	guint8 raw[32];
	int fd = -1;
	gboolean ok = getrandom(raw, sizeof(raw), 0) == (ssize_t)sizeof(raw);

	for (guint i = 0; ok && i < sizeof(raw); i++)
		g_string_append_printf(hex, "%02x", raw[i]);
	g_string_append_c(hex, '\n');
	if (ok)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ok = fd >= 0 && write(fd, hex->str, hex->len) == (ssize_t)hex->len;
	if (!ok)
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path, g_strerror(errno));
	if (fd >= 0)
		close(fd);
	g_string_free(hex, TRUE);
	return ok;
}
