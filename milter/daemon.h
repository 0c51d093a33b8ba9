/* daemon.h - the Unix daemon chores: detach, pid file, sockets */
#ifndef ES_DAEMON_H
#define ES_DAEMON_H

#include <glib.h>
#include <sys/types.h>
#include "conf.h"

/* es_daemon_detach - fork into the background. Returns in the child with
 * *ready_fd set; the parent waits until the child calls es_daemon_ready
 * and exits with its status, printing any error the child reports. */
void es_daemon_detach(int *ready_fd);
/* es_daemon_ready - tell the waiting parent: MSG NULL for success, else the error */
void es_daemon_ready(int ready_fd, const char *msg);

/* es_pidfile_write - write our pid to PATH (nothing if PATH is empty); a
 * folder that is not there is made and given to USER ([milter] user) */
gboolean es_pidfile_write(const char *path, const char *user, GError **err);
/* es_clamav_tmpdir_access - can we (as we run now) write [clamav] tmpdir
 * (if it is there: a missing one is made at start)? FALSE and *err if not */
gboolean es_clamav_tmpdir_access(const es_conf *conf, GError **err);
/* es_store_access - can we (as we run now) write [milter] tmpdir, the
 * quarantine root and each school folder in it? FALSE and *err naming the
 * first that is not, and the remedy */
gboolean es_store_access(const es_conf *conf, GError **err);
/* es_socket_check - a unix [milter] socket's folder and socket_group
 * exist (libmilter would fail to start with less to say); FALSE and *err */
gboolean es_socket_check(const es_conf *conf, GError **err);
/* es_socket_warning - a socket setting that works but is probably not what
 * was meant (an MTA that cannot connect, every interface), or NULL (g_free) */
char *es_socket_warning(const es_conf *conf);
/* es_notice_command_check - [milter] notice_command names a program we (as
 * we run now) can run; FALSE and *err if not */
gboolean es_notice_command_check(const es_conf *conf, GError **err);
/* es_clamav_tmpdir_make - a [clamav] tmpdir that is not there (a tmpfs
 * folder after a reboot) is made, 0700, and given to [milter] user */
gboolean es_clamav_tmpdir_make(const es_conf *conf, GError **err);
/* es_listener_nodelay - set TCP_NODELAY on the listening socket bound to
 * PORT, which libmilter does not expose: accepted sockets inherit it, so
 * replies are not held back ~40 ms by Nagle against delayed ACKs */
void es_listener_nodelay(int port);
/* es_socket_access - for a unix socket SPEC ("unix:PATH", "local:PATH"):
 * give PATH the octal MODE, the group GROUP and the owner UID (each
 * skipped when empty or -1); nothing for a TCP socket */
gboolean es_socket_access(const char *spec, const char *mode, const char *group, uid_t uid,
			  GError **err);
/* es_hmac_key_create - write a new random key to PATH (0600) unless it exists */
gboolean es_hmac_key_create(const char *path, GError **err);

#endif
