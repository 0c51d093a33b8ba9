/* reputation_lookup_t.c - reading reputation records back for the quarantine
 * UI: records written by es_reputation_update come back with their score,
 * counts and categories, in one round trip, without being changed; Redis
 * down is an error, not a crash; mail that may be forged is read from its
 * own record, never the address's. Real redis-server on 127.0.0.1:10260. */
#include "config.h"
#include <string.h>
#include <signal.h>
#include "tap.h"
#include "reputation.h"
#include "redis_conn.h"
#include "../redis/redis_helper.h"

#define PORT 10260

static es_conf *conf;

/* send - one message through the milter's own update */
static void send(es_reputation *r, const char *from, const char *auth, const char *cat, int sev)
{
	es_scan *s = es_test_msg(conf, from, ES_ROLE_EXTERNAL, NULL, cat, sev);

	s->auth_user = g_strdup(auth);
	es_scan_free(es_test_send(r, s));
}

/* str_cmp - order of two strings held in a GPtrArray */
static gint str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* hgetall - a record's raw fields as one sorted string, to see it unchanged */
static char *hgetall(const char *key)
{
	redisReply *rep = es_test_redis_cmd(PORT, "HGETALL %s", key);
	GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
	char *out;

	for (gsize i = 0; rep && i + 1 < rep->elements; i += 2)
		g_ptr_array_add(f, g_strconcat(rep->element[i]->str, "=", rep->element[i + 1]->str, NULL));
	g_ptr_array_sort(f, str_cmp);
	g_ptr_array_add(f, NULL);
	out = g_strjoinv(" ", (char **)f->pdata);
	g_ptr_array_unref(f);
	if (rep)
		freeReplyObject(rep);
	return out;
}

/* test_forged - a pupil's address from outside, not logged in, is counted
 * apart by the update (xfrom:); a forged query reads that record only, and
 * the address's own record is read without it */
static void test_forged(es_reputation *r)
{
	es_reputation_query q[] = {
		{ "hill", "kid@pupils.hill.sch.uk", { 0 }, FALSE },
		{ "hill", "kid@pupils.hill.sch.uk", { 0 }, TRUE },
		{ "hill", "quiet@pupils.hill.sch.uk", { 0 }, TRUE },
	};

	for (int i = 0; i < 2; i++)
		es_scan_free(es_test_send(r, es_test_msg(conf, "kid@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL,
							 "bullying", 3)));
	send(r, "kid@pupils.hill.sch.uk", NULL, "threat", 4);	/* from outside */
	es_scan_free(es_test_send(r, es_test_msg(conf, "quiet@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL,
						 "bullying", 3)));
	ok(es_reputation_lookup(r, q, G_N_ELEMENTS(q), NULL), "lookup of own and forged records succeeds");
	ok(q[0].rec.found && q[0].rec.incidents_window == 2, "the pupil's own record: 2 in the window (%u)",
	   q[0].rec.incidents_window);
	ok(q[1].rec.found && q[1].rec.incidents_window == 1 && q[1].rec.categories->len == 1 &&
	   strcmp(((es_reputation_category *)q[1].rec.categories->pdata[0])->category, "threat") == 0,
	   "the mail from outside with that address: its own record, 1 threat");
	ok(!q[2].rec.found, "a forged lookup never falls back to the address's own record");
	for (gsize i = 0; i < G_N_ELEMENTS(q); i++)
		es_reputation_record_clear(&q[i].rec);
	ok(es_reputation_forged(conf, "kid@pupils.hill.sch.uk", "external"), "forged: a school's address, external");
	ok(!es_reputation_forged(conf, "kid@pupils.hill.sch.uk", "pupil"), "not forged: the pupil's own route");
	ok(!es_reputation_forged(conf, "someone@example.com", "external"), "not forged: an outside address");
	ok(!es_reputation_forged(conf, "", "external"), "not forged: the null sender");
}

/* test_disabled - enabled = no: nothing found, no error */
static void test_disabled(void)
{
	es_conf *c = es_conf_new_defaults();
	es_reputation *r = es_reputation_new(c, NULL);
	es_reputation_query q = { "hill", "x@example.com", { 0 }, FALSE };

	ok(es_reputation_lookup(r, &q, 1, NULL) && !q.rec.found, "disabled: succeeds and finds nothing");
	is_str(es_reputation_window_label(r), "", "disabled: no window");
	es_reputation_free(r);
	es_conf_unref(c);
}

/* test_records - what the update wrote comes back, for a page of senders */
static void test_records(es_reputation *r)
{
	es_reputation_query q[] = {
		{ "hill", "Bully@Example.com", { 0 }, FALSE },	/* case as the envelope had it */
		{ "hill", "nobody@example.com", { 0 }, FALSE },
		{ "hill", "", { 0 }, FALSE },
		{ "vale", "bully@example.com", { 0 }, FALSE },
		{ "hill", "pupil@pupils.hill.sch.uk", { 0 }, FALSE },
	};
	es_reputation_stats before, after;
	es_reputation_record *b = &q[0].rec;
	GError *e = NULL;
	char *raw1, *raw2;

	for (int i = 0; i < 3; i++)
		send(r, "bully@example.com", NULL, "bullying", 3);
	send(r, "bully@example.com", NULL, "threat", 4);
	send(r, "bully@example.com", NULL, NULL, 0);
	send(r, "pupil@pupils.hill.sch.uk", "pupil@pupils.hill.sch.uk", "profanity", 2);
	raw1 = hgetall("esafety:hill:{from:bully@example.com}:rep");
	ok(es_reputation_lookup(r, q, G_N_ELEMENTS(q), &e), "lookup succeeds%s%s", e ? ": " : "", e ? e->message : "");
	g_clear_error(&e);
	ok(b->found, "the sender's record is found");
	is_int(b->incidents_window, 4, "4 flagged messages in the window");
	ok(b->flagged > 3.99 && b->flagged <= 4.0, "flagged (decayed) is about 4: %.3f", b->flagged);
	ok(b->messages > 4.99 && b->messages <= 5.0, "messages (decayed) is about 5: %.3f", b->messages);
	ok(b->score > 12.99 && b->score <= 13.0, "score is the sum of severities, about 13: %.3f", b->score);
	ok(b->first_seen > 0 && b->first_seen <= b->last_incident && b->last_incident <= b->last_seen,
	   "first seen <= last incident <= last seen");
	ok(b->categories && b->categories->len == 2, "two categories");
	if (b->categories && b->categories->len == 2) {
		es_reputation_category *c0 = b->categories->pdata[0], *c1 = b->categories->pdata[1];

		ok(strcmp(c0->category, "bullying") == 0 && c0->window == 3, "bullying first, 3 in the window");
		ok(strcmp(c1->category, "threat") == 0 && c1->window == 1, "then threat, 1 in the window");
	}
	ok(!q[1].rec.found, "a sender never seen has no record");
	ok(!q[2].rec.found, "the null sender is not looked up");
	ok(!q[3].rec.found, "records are per school: another school's lookup finds nothing");
	ok(q[4].rec.found && q[4].rec.incidents_window == 1,
	   "an authenticated sender's record (user:LOGIN) is found by its address");
	raw2 = hgetall("esafety:hill:{from:bully@example.com}:rep");
	is_str(raw2, raw1, "the lookup changed nothing in the record");
	es_reputation_get_stats(r, &before);
	ok(es_reputation_lookup(r, q, G_N_ELEMENTS(q), NULL), "a second lookup succeeds");
	es_reputation_get_stats(r, &after);
	is_int(after.round_trips - before.round_trips, 1, "a page of senders costs one round trip");
	for (gsize i = 0; i < G_N_ELEMENTS(q); i++)
		es_reputation_record_clear(&q[i].rec);
	es_reputation_record_clear(&q[0].rec);
	ok(!q[0].rec.found && !q[0].rec.categories, "clearing twice is safe");
	g_free(raw1);
	g_free(raw2);
}

/* test_down - Redis gone: FALSE with an ES_REDIS_ERROR, nothing found */
static void test_down(es_reputation *r, es_test_redis *srv)
{
	es_reputation_query q = { "hill", "bully@example.com", { 0 }, FALSE };
	GError *e = NULL;

	es_test_redis_kill(srv, SIGKILL);
	ok(!es_reputation_lookup(r, &q, 1, &e), "Redis down: the lookup fails");
	ok(e && e->domain == ES_REDIS_ERROR, "... with a Redis error: %s", e ? e->message : "none");
	ok(!q.rec.found, "... and finds nothing");
	g_clear_error(&e);
}

int main(void)
{
	es_test_redis *srv = es_test_redis_start(PORT, 0);
	es_reputation *r;

	test_disabled();
	conf = es_test_conf(PORT, "connect_timeout = 200ms\ncommand_timeout = 200ms\n");
	r = es_test_reputation(conf);
	is_str(es_reputation_window_label(r), "7d", "the window is named as people write it");
	test_records(r);
	test_forged(r);
	test_down(r, srv);
	es_reputation_free(r);
	es_conf_unref(conf);
	es_test_redis_stop(srv);
	return done_testing();
}
