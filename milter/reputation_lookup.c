/* reputation_lookup.c - read senders' reputation records back, for the
 * quarantine UI: one read-only script call for a whole page of senders
 * (see reputation.h; the record layout is es_redis_script's) */
#include "config.h"
#include <string.h>
#include "reputation_priv.h"
#include "redis_script.h"

/* Each sender is read under both identities the milter may have used; mail
 * that may be forged only under the one it is kept apart in. */
static const char *const kinds[] = { "from", "user" };
static const char *const forged_kinds[] = { "xfrom" };
#define RECORD_FIELDS 7		/* numbers before the category triples */

/* category_free - free one category (GDestroyNotify) */
static void category_free(gpointer p)
{
	es_reputation_category *c = p;

	g_free(c->category);
	g_free(c);
}

/* es_reputation_record_clear - see reputation.h */
void es_reputation_record_clear(es_reputation_record *rec)
{
	if (rec->categories)
		g_ptr_array_unref(rec->categories);
	memset(rec, 0, sizeof(*rec));
}

/* es_reputation_window_label - see reputation.h */
const char *es_reputation_window_label(const es_reputation *r)
{
	return r && r->enabled ? r->window_label : "";
}

/* query_kinds - the identities Q's sender is read under, and how many */
static const char *const *query_kinds(const es_reputation_query *q, gsize *n)
{
	if (!q->sender || !*q->sender) {
		*n = 0;	/* the null sender has no record we can name */
		return kinds;
	}
	*n = q->forged ? G_N_ELEMENTS(forged_kinds) : G_N_ELEMENTS(kinds);
	return q->forged ? forged_kinds : kinds;
}

/* es_reputation_forged - see reputation.h */
gboolean es_reputation_forged(const es_conf *conf, const char *sender, const char *role)
{
	return sender && *sender && g_strcmp0(role, "external") == 0 && es_conf_school_for_address(conf, sender);
}

/* build_args - the record keys (query_kinds per query), then the half-life
 * and the window; returns the number of keys */
static int build_args(const es_reputation *r, const es_reputation_query *q, guint n, GPtrArray *args)
{
	int nkeys = 0;

	for (guint i = 0; i < n; i++) {
		gsize nk;
		const char *const *kind = query_kinds(&q[i], &nk);

		for (gsize k = 0; k < nk; k++) {
			char *base = es_reputation_base_key(r, q[i].school ? q[i].school : "_none", kind[k],
							    q[i].sender);

			g_ptr_array_add(args, g_strconcat(base, ":rep", NULL));
			g_free(base);
			nkeys++;
		}
	}
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->half_life));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->window));
	return nkeys;
}

/* int_at - element I of an array reply as a number (0 if not one) */
static long long int_at(const redisReply *rep, gsize i)
{
	const redisReply *e = i < rep->elements ? rep->element[i] : NULL;

	return e && e->type == REDIS_REPLY_INTEGER ? e->integer : 0;
}

/* category_cmp - most in the window first, then the most weighted, then by name */
static gint category_cmp(gconstpointer a, gconstpointer b)
{
	const es_reputation_category *x = *(es_reputation_category *const *)a;
	const es_reputation_category *y = *(es_reputation_category *const *)b;

	if (x->window != y->window)
		return x->window > y->window ? -1 : 1;
	if (x->weighted != y->weighted)
		return x->weighted > y->weighted ? -1 : 1;
	return strcmp(x->category, y->category);
}

/* parse_record - one record of the script's answer ({} when there is none) */
static void parse_record(const redisReply *e, es_reputation_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (e->type != REDIS_REPLY_ARRAY || e->elements < RECORD_FIELDS)
		return;
	rec->found = TRUE;
	rec->score = (double)int_at(e, 0) / 1000;
	rec->messages = (double)int_at(e, 1) / 1000;
	rec->flagged = (double)int_at(e, 2) / 1000;
	rec->first_seen = int_at(e, 3);
	rec->last_incident = int_at(e, 4);
	rec->last_seen = int_at(e, 5);
	rec->incidents_window = (guint)MAX(int_at(e, 6), 0);
	rec->categories = g_ptr_array_new_with_free_func(category_free);
	for (gsize i = RECORD_FIELDS; i + 2 < e->elements; i += 3) {
		es_reputation_category *c;

		if (e->element[i]->type != REDIS_REPLY_STRING)
			continue;
		c = g_new0(es_reputation_category, 1);
		c->category = g_strndup(e->element[i]->str, e->element[i]->len);
		c->weighted = (double)int_at(e, i + 1) / 1000;
		c->window = (guint)MAX(int_at(e, i + 2), 0);
		g_ptr_array_add(rec->categories, c);
	}
	g_ptr_array_sort(rec->categories, category_cmp);
}

/* says_more - CAND tells more about the sender than BEST: found, and more
 * incidents in the window (then more flagged overall) */
static gboolean says_more(const es_reputation_record *cand, const es_reputation_record *best)
{
	if (!cand->found || !best->found)
		return cand->found;
	if (cand->incidents_window != best->incidents_window)
		return cand->incidents_window > best->incidents_window;
	return cand->flagged > best->flagged;
}

/* fill - give each query the better of its records from the answer REP */
static void fill(const redisReply *rep, es_reputation_query *q, guint n)
{
	gsize at = 1;	/* element 0 is Redis's time */

	for (guint i = 0; i < n; i++) {
		gsize nk;

		query_kinds(&q[i], &nk);
		for (gsize k = 0; k < nk; k++) {
			es_reputation_record rec;

			parse_record(rep->element[at++], &rec);
			if (says_more(&rec, &q[i].rec)) {
				es_reputation_record_clear(&q[i].rec);
				q[i].rec = rec;
			} else
				es_reputation_record_clear(&rec);
		}
	}
}

/* es_reputation_lookup - see reputation.h */
gboolean es_reputation_lookup(es_reputation *r, es_reputation_query *q, guint n, GError **err)
{
	GPtrArray *args;
	redisReply *rep;
	int nkeys;

	for (guint i = 0; i < n; i++)
		memset(&q[i].rec, 0, sizeof(q[i].rec));
	if (!r || !r->enabled)
		return TRUE;
	args = g_ptr_array_new_with_free_func(g_free);
	nkeys = build_args(r, q, n, args);
	rep = nkeys == 0 ? NULL : es_redis_eval(r->redis, NULL, es_redis_lookup_script, r->lookup_sha1, nkeys,
						(int)args->len, (const char **)args->pdata, NULL, err);
	if (rep && (rep->type != REDIS_REPLY_ARRAY || rep->elements != (gsize)nkeys + 1)) {
		g_set_error(err, ES_REDIS_ERROR, ES_REDIS_ERROR_FAILED, "redis: unexpected reply to the lookup script");
		freeReplyObject(rep);
		rep = NULL;
	}
	if (rep) {
		fill(rep, q, n);
		freeReplyObject(rep);
	}
	g_ptr_array_unref(args);
	return rep != NULL || nkeys == 0;
}
