/* privilege.h - who the daemons run as: esafety-milter and esafety-quarantine
 * start as root (to bind, to write a pid file in /run) and then become the
 * configured user, "esafety" unless the config says otherwise */
#ifndef ES_PRIVILEGE_H
#define ES_PRIVILEGE_H

#include <glib.h>
#include <sys/types.h>

/* es_privilege_lookup - the uid and gid the daemon will become: both -1
 * when there is nothing to become (not started as root, or USER is empty or
 * "root"); FALSE and *err, saying how to create it, when USER does not exist.
 * SECTION names the config key in errors and log lines ("milter"). */
gboolean es_privilege_lookup(const char *section, const char *user, uid_t *uid, gid_t *gid, GError **err);

/* es_privilege_drop - when started as root, become USER (its uid, gid and
 * groups) and check root cannot be regained. SECTION names the config key in
 * errors and log lines. Staying root, because USER is
 * "root" or empty, logs a warning; a missing user is an error that says how
 * to create it. Not started as root: nothing changes, and a USER other than
 * the current one is noted in the log. FALSE and *err on failure. */
gboolean es_privilege_drop(const char *section, const char *user, GError **err);

/* es_privilege_chown - give PATH to USER and its group, when there is a
 * user to become (see es_privilege_lookup); else nothing */
gboolean es_privilege_chown(const char *section, const char *user, const char *path, GError **err);

#endif
