/* retention.c - data protection: purge incidents and stored messages older
 * than [ui] retention, logging each purge; and the background thread that
 * keeps the index fresh and purges once an hour */
#include "config.h"
#include "ui.h"
#include "log.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

/* purge_rows - delete everything kept about incident ID */
static void purge_rows(sqlite3 *db, const char *id)
{
	static const char *const sql[] = {
		"DELETE FROM incidents WHERE id = ?", "DELETE FROM findings WHERE incident = ?",
		"DELETE FROM review WHERE incident = ?", "DELETE FROM decisions WHERE incident = ?",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(sql); i++) {
		sqlite3_stmt *st = ui_db_prep(db, sql[i]);

		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
}

/* ui_purge - remove incidents (index, review, decisions, stored file) whose
 * time is before NOW - retention; logs and audits the purge. Returns the count. */
int ui_purge(ui_state *ui, sqlite3 *db, gint64 now, const char *who)
{
	sqlite3_stmt *st = ui_db_prep(db, "SELECT id, file FROM incidents WHERE time < ?");
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	int failed = 0, n;

	sqlite3_bind_int64(st, 1, now - ui->retention_s);
	ui_db_exec(db, "BEGIN", NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *path = g_build_filename(ui->root, ui_col(st, 1), NULL);

		if (g_unlink(path) != 0 && errno != ENOENT) {
			es_log(LOG_ERR, NULL, "purge: %s: %s", path, g_strerror(errno));
			failed++;
		} else
			g_ptr_array_add(ids, g_strdup(ui_col(st, 0)));
		g_free(path);
	}
	sqlite3_finalize(st);
	for (guint i = 0; i < ids->len; i++)
		purge_rows(db, ids->pdata[i]);
	if (ids->len || failed) {
		char *detail = g_strdup_printf("purged %u incidents older than %" G_GINT64_FORMAT
					       " days (%d could not be removed)", ids->len,
					       ui->retention_s / 86400, failed);

		st = ui_db_prep(db, "INSERT INTO audit(time, user, ip, action, incident, detail)"
				" VALUES(?, ?, NULL, 'purge', NULL, ?)");
		sqlite3_bind_int64(st, 1, g_get_real_time() / G_USEC_PER_SEC);
		sqlite3_bind_text(st, 2, who, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, detail, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_finalize(st);
		es_log(LOG_NOTICE, NULL, "retention: %s", detail);
		g_free(detail);
	}
	ui_db_exec(db, "COMMIT", NULL);
	n = (int)ids->len;
	g_ptr_array_unref(ids);
	return n;
}

struct ui_indexer {
	ui_state *ui;
	gint64 interval_ms;
	GThread *thread;
	GMutex lock;
	GCond cond;
	gboolean stop;
};
typedef ui_indexer indexer;

/* indexer_main - rescan every interval; purge at start and then hourly */
static gpointer indexer_main(gpointer data)
{
	indexer *ix = data;
	GError *err = NULL;
	sqlite3 *db = ui_db_open(ix->ui->db_path, &err);
	gint64 next_purge = 0;

	if (!db) {
		es_log(LOG_ERR, NULL, "indexer: %s", err->message);
		g_error_free(err);
		return NULL;
	}
	g_mutex_lock(&ix->lock);
	while (!ix->stop) {
		int added = 0;
		gint64 now = g_get_real_time() / G_USEC_PER_SEC;

		g_mutex_unlock(&ix->lock);
		if (!ui_index_scan(ix->ui, db, &added, &err)) {
			es_log(LOG_WARNING, NULL, "indexer: %s", err->message);
			g_clear_error(&err);
		} else if (added)
			es_log(LOG_INFO, NULL, "indexer: %d new incidents", added);
		if (now >= next_purge) {
			ui_purge(ix->ui, db, now, "retention");
			next_purge = now + 3600;
		}
		g_mutex_lock(&ix->lock);
		if (!ix->stop)
			g_cond_wait_until(&ix->cond, &ix->lock,
					  g_get_monotonic_time() + ix->interval_ms * 1000);
	}
	g_mutex_unlock(&ix->lock);
	sqlite3_close(db);
	return NULL;
}

/* ui_indexer_start - run the indexer in its own thread with its own connection */
ui_indexer *ui_indexer_start(ui_state *ui, gint64 interval_ms)
{
	indexer *ix = g_new0(indexer, 1);

	ix->ui = ui;
	ix->interval_ms = interval_ms;
	g_mutex_init(&ix->lock);
	g_cond_init(&ix->cond);
	ix->thread = g_thread_new("indexer", indexer_main, ix);
	return ix;
}

/* ui_indexer_stop - ask the thread to finish and wait for it */
void ui_indexer_stop(ui_indexer *ix)
{
	g_mutex_lock(&ix->lock);
	ix->stop = TRUE;
	g_cond_signal(&ix->cond);
	g_mutex_unlock(&ix->lock);
	g_thread_join(ix->thread);
	g_mutex_clear(&ix->lock);
	g_cond_clear(&ix->cond);
	g_free(ix);
}
