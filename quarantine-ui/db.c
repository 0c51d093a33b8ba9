/* db.c - the UI's SQLite store: the incident index (rebuildable from the
 * Maildirs), review state and decisions, accounts, sessions, login throttling
 * and the audit log */
#include "config.h"
#include "ui.h"
#include "log.h"

#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <sodium.h>

/* The index tables (incidents, findings) can be dropped and rebuilt from the
 * Maildirs; review, decisions, users, sessions and audit cannot. */
static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS incidents(id TEXT PRIMARY KEY, school TEXT NOT NULL,"
	" file TEXT NOT NULL, time INTEGER NOT NULL, verdict TEXT, reason TEXT,"
	" categories TEXT, severity INTEGER, sender_role TEXT, direction TEXT,"
	" env_from TEXT, env_to TEXT, subject TEXT, queue_id TEXT, virus TEXT, size INTEGER,"
	" year_group TEXT, policy_school TEXT, stored_for TEXT, policy_sender_role TEXT);"
	"CREATE INDEX IF NOT EXISTS incidents_time ON incidents(school, time);"
	"CREATE INDEX IF NOT EXISTS incidents_time_all ON incidents(time);"
	"CREATE INDEX IF NOT EXISTS incidents_sender ON incidents(school, env_from, time);"
	"CREATE TABLE IF NOT EXISTS findings(incident TEXT NOT NULL, detector TEXT,"
	" category TEXT, type TEXT, severity INTEGER, part TEXT, rule TEXT, excerpt TEXT);"
	"CREATE INDEX IF NOT EXISTS findings_incident ON findings(incident);"
	"CREATE TABLE IF NOT EXISTS review(incident TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT 'new',"
	" outcome TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '', held TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE IF NOT EXISTS decisions(seq INTEGER PRIMARY KEY, incident TEXT NOT NULL,"
	" time INTEGER NOT NULL, user TEXT NOT NULL, status TEXT, outcome TEXT, notes TEXT);"
	"CREATE TABLE IF NOT EXISTS users(name TEXT PRIMARY KEY, hash TEXT NOT NULL,"
	" role TEXT NOT NULL, school TEXT, created INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS sessions(hash TEXT PRIMARY KEY, user TEXT NOT NULL,"
	" csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS throttle(key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
	" until INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	" user TEXT, ip TEXT, action TEXT NOT NULL, incident TEXT, detail TEXT);";

/* ui_db_exec - run SQL that returns no rows */
gboolean ui_db_exec(sqlite3 *db, const char *sql, GError **err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return TRUE;
	g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "sqlite: %s", msg ? msg : "?");
	sqlite3_free(msg);
	return FALSE;
}

/* upgrade - add the columns a database made by an earlier version lacks;
 * its incidents keep NULL there, which is right: the milter did not record them */
static gboolean upgrade(sqlite3 *db, GError **err)
{
	static const char *const added[] = { "year_group", "policy_school", "stored_for", "policy_sender_role" };

	for (gsize i = 0; i < G_N_ELEMENTS(added); i++) {
		char *probe = g_strdup_printf("SELECT %s FROM incidents LIMIT 0", added[i]);
		char *alter = g_strdup_printf("ALTER TABLE incidents ADD COLUMN %s TEXT", added[i]);
		sqlite3_stmt *st = NULL;
		gboolean ok = TRUE;

		if (sqlite3_prepare_v2(db, probe, -1, &st, NULL) == SQLITE_OK)
			sqlite3_finalize(st);
		else
			ok = ui_db_exec(db, alter, err);
		g_free(probe);
		g_free(alter);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* ui_db_open - open (creating) the database with the schema; the file is private */
sqlite3 *ui_db_open(const char *path, GError **err)
{
	sqlite3 *db = NULL;
	mode_t old = umask(077);
	int rc = sqlite3_open(path, &db);

	umask(old);
	if (rc != SQLITE_OK) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
			    db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	if (!ui_db_exec(db, schema, err) || !upgrade(db, err)) {
		g_prefix_error(err, "%s: ", path);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* ui_db_prep - prepare a statement; a failure is a bug in our SQL, logged */
sqlite3_stmt *ui_db_prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		es_log(LOG_ERR, NULL, "sqlite: %s: %s", sqlite3_errmsg(db), sql);
	return st;
}

/* ui_col - column I as text, "" for NULL */
const char *ui_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* ui_audit - append one line to the audit log (and syslog it) */
void ui_audit(ui_state *ui, const char *user, const char *ip, const char *action,
	      const char *incident, const char *fmt, ...)
{
	sqlite3_stmt *st = ui_db_prep(ui->db,
		"INSERT INTO audit(time, user, ip, action, incident, detail) VALUES(?,?,?,?,?,?)");
	char *detail;
	va_list ap;

	char *who = g_strdup(user ? user : "-");

	va_start(ap, fmt);
	detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* a name typed at the login form must not forge log lines, nor carry
	 * terminal escapes into the log reader's terminal */
	for (char *c = who; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	for (char *c = detail; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	/* what failed (a release the MTA refused, a decision not saved, a
	 * refused login) is a warning an admin filtering by priority must see */
	es_log(g_str_has_suffix(action, "-failed") || g_str_has_suffix(action, "-refused") ||
	       strcmp(action, "denied") == 0 ? LOG_WARNING : LOG_INFO,
	       NULL, "audit: user=%s ip=%s action=%s incident=%s %s",
	       who, ip ? ip : "-", action, incident ? incident : "-", detail);
	g_free(who);
	if (st) {
		sqlite3_bind_int64(st, 1, g_get_real_time() / G_USEC_PER_SEC);
		sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, ip, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, action, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, incident, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, detail, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			es_log(LOG_ERR, NULL, "audit: cannot write: %s", sqlite3_errmsg(ui->db));
		sqlite3_finalize(st);
	}
	g_free(detail);
}

/* ui_user_add - create (or with REPLACE, update) an account; argon2id hash */
gboolean ui_user_add(sqlite3 *db, const char *name, const char *password, const char *role,
		     const char *school, gboolean replace, GError **err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	int rc;

	if (crypto_pwhash_str_alg(hash, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOMEM, "out of memory hashing the password");
		return FALSE;
	}
	st = ui_db_prep(db, replace
		? "INSERT OR REPLACE INTO users(name, hash, role, school, created) VALUES(?,?,?,?,?)"
		: "INSERT INTO users(name, hash, role, school, created) VALUES(?,?,?,?,?)");
	if (!st) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "sqlite: %s", sqlite3_errmsg(db));
		return FALSE;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, school, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, g_get_real_time() / G_USEC_PER_SEC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && replace) {
		/* a new password (or role, or school) ends the sessions opened
		 * under the old one: they may be why it was changed */
		st = ui_db_prep(db, "DELETE FROM sessions WHERE user = ?");
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_EXIST, "user %s: %s", name,
			    rc == SQLITE_CONSTRAINT ? "already exists" : sqlite3_errmsg(db));
		return FALSE;
	}
	sodium_memzero(hash, sizeof(hash));
	return TRUE;
}

/* ui_user_del - remove an account and end its sessions */
gboolean ui_user_del(sqlite3 *db, const char *name, GError **err)
{
	sqlite3_stmt *st = ui_db_prep(db, "DELETE FROM users WHERE name = ?");
	int n;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
	n = sqlite3_changes(db);
	st = ui_db_prep(db, "DELETE FROM sessions WHERE user = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (n == 0)
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no user %s", name);
	return n > 0;
}

/* ui_user_get - the account NAME, or NULL */
ui_user *ui_user_get(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = ui_db_prep(db, "SELECT name, role, school FROM users WHERE name = ?");
	ui_user *u = NULL;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		u = g_new0(ui_user, 1);
		u->name = g_strdup(ui_col(st, 0));
		u->role = g_strdup(ui_col(st, 1));
		u->school = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : g_strdup(ui_col(st, 2));
	}
	sqlite3_finalize(st);
	return u;
}

/* ui_user_free - free a user (NULL is fine) */
void ui_user_free(ui_user *u)
{
	if (!u)
		return;
	g_free(u->name);
	g_free(u->role);
	g_free(u->school);
	g_free(u);
}

/* throttle_failures - KEY's failures in its window (0 once the window has passed) */
static int throttle_failures(ui_state *ui, const char *key, gint64 now)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, "SELECT failures, until FROM throttle WHERE key = ?");
	int n = 0;

	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 1) > now)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* throttle_locked - logins of NAME from IP are locked out: the name from this
 * address failed max_failures times; or the address 4x as often (it may be a
 * proxy or a school's NAT shared by everyone); or the name 4x as often from
 * anywhere, and this address is one it failed from (guesses spread over many
 * addresses get one each, while its owner, from an address with no failure,
 * still logs in) */
static gboolean throttle_locked(ui_state *ui, const char *pkey, const char *ikey, const char *nkey, gint64 now)
{
	int pair = throttle_failures(ui, pkey, now);

	return pair >= ui->max_failures || throttle_failures(ui, ikey, now) >= 4 * ui->max_failures ||
	       (pair > 0 && throttle_failures(ui, nkey, now) >= 4 * ui->max_failures);
}

/* address_key - the address counted for IP: an IPv6 address by its /64,
 * which one host can fill with as many addresses as it likes */
static char *address_key(const char *ip)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, ip, &a) == 1 && !IN6_IS_ADDR_V4MAPPED(&a)) {
		memset(a.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a, buf, sizeof(buf)))
			return g_strdup_printf("ip:%s/64", buf);
	}
	return g_strdup_printf("ip:%s", ip);
}

/* throttle_note - count a failure for KEY (the window restarts once it has passed),
 * or clear KEY after a success */
static void throttle_note(ui_state *ui, const char *key, gboolean failed, gint64 now)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, failed
		? "INSERT INTO throttle(key, failures, until) VALUES(?1, 1, ?2) ON CONFLICT(key) DO UPDATE"
		  " SET failures = CASE WHEN until > ?3 THEN failures + 1 ELSE 1 END, until = ?2"
		: "DELETE FROM throttle WHERE key = ?1");

	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (failed) {
		sqlite3_bind_int64(st, 2, now + ui->lockout_s);
		sqlite3_bind_int64(st, 3, now);
	}
	sqlite3_step(st);
	sqlite3_finalize(st);
}

/* dummy_hash - a hash of a random password, made once, to verify unknown names against */
static const char *dummy_hash(void)
{
	static char hash[crypto_pwhash_STRBYTES];
	static gsize done;

	if (g_once_init_enter(&done)) {
		char pw[33];

		randombytes_buf(pw, 32);
		pw[32] = 0;
		if (crypto_pwhash_str_alg(hash, pw, 32, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
			hash[0] = 0;	/* out of memory: unknown names are then just quicker */
		g_once_init_leave(&done, 1);
	}
	return hash;
}

/* ui_user_check - verify a login; NULL on failure. Too many recent failures
 * (throttle_locked) lock the login out for [ui] login_lockout, even with
 * the right password, and set *throttled; *locked_now says this failure was
 * the one that locked it. The name is counted per address so that a
 * stranger's guesses cannot lock its owner out from everywhere. */
ui_user *ui_user_check(ui_state *ui, const char *name, const char *password, const char *ip,
		       gboolean *throttled, gboolean *locked_now)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	char *ikey = address_key(ip), *ukey = g_strdup_printf("user:%s %s", name, ikey);
	char *nkey = g_strdup_printf("user:%s", name);
	sqlite3_stmt *st;
	gboolean good = FALSE;

	*throttled = throttle_locked(ui, ukey, ikey, nkey, now);
	*locked_now = FALSE;
	if (!*throttled) {
		st = ui_db_prep(ui->db, "SELECT hash FROM users WHERE name = ?");
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			good = crypto_pwhash_str_verify(ui_col(st, 0), password, strlen(password)) == 0;
		else if (crypto_pwhash_str_verify(dummy_hash(), password, strlen(password)) == 0)
			good = FALSE;	/* never matches; spends the same time as a known name */
		sqlite3_finalize(st);
		throttle_note(ui, ukey, !good, now);
		/* a success clears the name's count from this address only: not
		 * the address's (one's own account must not reset the count of
		 * guesses at others'), nor the name's from everywhere */
		if (!good) {
			throttle_note(ui, ikey, TRUE, now);
			throttle_note(ui, nkey, TRUE, now);
		}
		*locked_now = !good && throttle_locked(ui, ukey, ikey, nkey, now);
	}
	g_free(ukey);
	g_free(ikey);
	g_free(nkey);
	return good ? ui_user_get(ui->db, name) : NULL;
}

/* token_hash - hex BLAKE2b of a session token: the database never holds a usable token */
static char *token_hash(const char *token)
{
	unsigned char h[32];
	char hex[65];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return g_strdup(hex);
}

/* random_hex - 32 random bytes as hex */
static char *random_hex(void)
{
	unsigned char b[32];
	char hex[65];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(hex, sizeof(hex), b, sizeof(b));
	return g_strdup(hex);
}

/* ui_session_new - start a session for USER; returns the cookie token */
char *ui_session_new(ui_state *ui, const char *user, char **csrf_out)
{
	char *token = random_hex(), *hash = token_hash(token), *csrf = random_hex();
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	sqlite3_stmt *st = ui_db_prep(ui->db, "DELETE FROM sessions WHERE expires <= ?");

	sqlite3_bind_int64(st, 1, now);
	sqlite3_step(st);
	sqlite3_finalize(st);
	st = ui_db_prep(ui->db, "INSERT INTO sessions(hash, user, csrf, expires) VALUES(?,?,?,?)");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now + ui->session_s);
	sqlite3_step(st);
	sqlite3_finalize(st);
	g_free(hash);
	*csrf_out = csrf;
	return token;
}

/* ui_session_get - the user of a live session TOKEN, or NULL */
ui_user *ui_session_get(ui_state *ui, const char *token, char **hash_out, char **csrf_out)
{
	char *hash = token_hash(token);
	sqlite3_stmt *st = ui_db_prep(ui->db,
		"SELECT user, csrf FROM sessions WHERE hash = ? AND expires > ?");
	ui_user *u = NULL;

	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, g_get_real_time() / G_USEC_PER_SEC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		u = ui_user_get(ui->db, ui_col(st, 0));
		if (u) {
			*csrf_out = g_strdup(ui_col(st, 1));
			*hash_out = g_strdup(hash);
		}
	}
	sqlite3_finalize(st);
	g_free(hash);
	return u;
}

/* ui_session_end - log out: forget the session */
void ui_session_end(ui_state *ui, const char *hash)
{
	sqlite3_stmt *st = ui_db_prep(ui->db, "DELETE FROM sessions WHERE hash = ?");

	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
}
