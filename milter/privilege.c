/* privilege.c - become the configured unprivileged user after start-up.
 * The quarantine holds the most sensitive mail a school has, and the milter
 * parses whatever the Internet sends: neither should do that as root. Like
 * Postfix (mail_owner) and rspamd, the default is to drop to a system user,
 * and running as root has to be asked for by name. */
#include "config.h"
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include "log.h"
#include "privilege.h"

/* keeps_root - USER asks to stay as started */
static gboolean keeps_root(const char *user)
{
	return !user || !*user || strcmp(user, "root") == 0;
}

/* lookup - USER's entry, or an error that says how to make one */
static struct passwd *lookup(const char *section, const char *user, GError **err)
{
	struct passwd *pw = getpwnam(user);

	if (!pw)
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "[%s] user '%s' does not exist: create it (useradd --system --user-group "
			    "--home-dir /var/lib/esafety --shell /usr/sbin/nologin %s), name another, "
			    "or write 'user = root' to run as root (not recommended)",
			    section, user, user);
	return pw;
}

gboolean es_privilege_lookup(const char *section, const char *user, uid_t *uid, gid_t *gid, GError **err)
{
	struct passwd *pw;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (geteuid() != 0 || keeps_root(user))
		return TRUE;
	if (!(pw = lookup(section, user, err)))
		return FALSE;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return TRUE;
}

gboolean es_privilege_drop(const char *section, const char *user, GError **err)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		struct passwd *me = getpwuid(geteuid());

		if (!keeps_root(user) && (!me || strcmp(me->pw_name, user) != 0))
			es_log(LOG_INFO, NULL, "not started as root: running as %s, [%s] user %s not used",
			       me ? me->pw_name : "(unknown)", section, user);
		return TRUE;
	}
	if (keeps_root(user)) {
		es_log(LOG_WARNING, NULL, "running as root ([%s] user = %s): every message is parsed with root's rights",
		       section, user && *user ? user : "(empty)");
		return TRUE;
	}
	if (!(pw = lookup(section, user, err)))
		return FALSE;
	if (pw->pw_uid == 0) {
		es_log(LOG_WARNING, NULL, "running as root ([%s] user = %s has uid 0): every message is parsed "
		       "with root's rights", section, user);
		return TRUE;
	}
	if (setgid(pw->pw_gid) < 0 || initgroups(user, pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "[%s] user: cannot become '%s': %s", section, user, g_strerror(errno));
		return FALSE;
	}
	if (setuid(0) == 0 || seteuid(0) == 0) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "[%s] user: could regain root after dropping to '%s'", section, user);
		return FALSE;
	}
	return TRUE;
}

gboolean es_privilege_chown(const char *section, const char *user, const char *path, GError **err)
{
	uid_t uid;
	gid_t gid;

	if (!es_privilege_lookup(section, user, &uid, &gid, err))
		return FALSE;
	if (uid != (uid_t)-1 && chown(path, uid, gid) < 0) {
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot give %s to [%s] user %s: %s",
			    path, section, user, g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
