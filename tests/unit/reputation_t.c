/* reputation_t.c - reputation records, decay, expiry, thresholds, first
 * contact, rate limits, concurrency and hostile addresses, against a real
 * redis-server this test starts on 127.0.0.1:10201 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "tap.h"
#include "reputation.h"
#include "policy.h"
#include "log.h"
#include "../redis/redis_helper.h"

#define PORT 10201

static es_conf *conf;

/* with - a reputation object for the test config plus REDIS_LINES */
static es_reputation *with(const char *redis_lines)
{
	es_conf_unref(conf);
	conf = es_test_conf(PORT, redis_lines);
	return es_test_reputation(conf);
}

#define msg(from, role, to, cat, sev) es_test_msg(conf, from, role, to, cat, sev)
#define update es_test_send
#define input es_test_input

/* test_disabled - enabled = no: no Redis, no inputs, success */
static void test_disabled(void)
{
	es_conf *c = es_conf_new_defaults();
	es_reputation *r = es_reputation_new(c, NULL);
	es_scan *s = es_scan_new(c, "Q");

	ok(es_reputation_update(r, s, NULL), "disabled: update succeeds without Redis");
	is_int(g_hash_table_size(s->inputs), 0, "disabled: sets no inputs");
	es_scan_free(s);
	es_reputation_free(r);
	es_conf_unref(c);
}

/* test_bad_conf - what the key table cannot check is refused at load */
static void test_bad_conf(void)
{
	static const char *const bad[][3] = {
		{ "clean_ttl = 1d\nwindow = 7d\n", "clean_ttl", "clean_ttl shorter than window" },
		{ "sentinels = 127.0.0.1\n", "sentinels", "a sentinel without a port" },
		{ "sentinels = 127.0.0.1:0\n", "sentinels", "a sentinel on port 0" },
		{ "sentinels = 127.0.0.1:99999\n", "sentinels", "a sentinel on port 99999" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		es_conf *c = es_test_conf(PORT, bad[i][0]);
		GError *e = NULL;
		es_reputation *r = es_reputation_new(c, &e);

		ok(!r && e && strstr(e->message, bad[i][1]), "refused: %s (%s)", bad[i][2],
		   e ? e->message : "accepted");
		g_clear_error(&e);
		es_reputation_free(r);
		es_conf_unref(c);
	}
}

/* test_counts - counts by category, score, first seen and the JSON-visible inputs */
static void test_counts(void)
{
	es_reputation *r = with("key_prefix = counts:\n");
	es_scan *s;
	redisReply *rep;

	s = update(r, msg("a@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(input(s, "reputation.new"), "yes", "first message: a new record");
	is_str(input(s, "reputation.score"), "0", "clean message: score 0");
	ok(!input(s, "reputation.incidents_7d"), "clean message: no incidents");
	es_scan_free(s);
	for (int i = 1; i <= 3; i++) {
		s = update(r, msg("a@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "bullying", 3));
		is_str(input(s, "reputation.new"), "no", "message %d: the record is known", i + 1);
		is_int(atoi(input(s, "reputation.bullying_7d") ?: "-1"), i, "bullying_7d counts %d", i);
		is_int(atoi(input(s, "reputation.score") ?: "-1"), 3 * i, "score adds severity 3 each time");
		es_scan_free(s);
	}
	s = update(r, msg("A@Pupils.Hill.Sch.UK", ES_ROLE_PUPIL, NULL, "sexual", 4));
	is_str(input(s, "reputation.bullying_7d"), "3", "address case does not split the record");
	is_str(input(s, "reputation.sexual_7d"), "1", "a second category is counted apart");
	is_str(input(s, "reputation.bullying"), "3", "... and by a name that does not change with the window");
	is_str(input(s, "reputation.incidents_7d"), "4", "incidents_7d counts flagged messages");
	is_str(input(s, "reputation.messages"), "5", "messages counts every message");
	es_scan_free(s);
	/* a pupil's address forged from outside (the route gave it role
	 * external): counted apart, never in the pupil's own record */
	for (int i = 0; i < 2; i++)
		es_scan_free(update(r, msg("framed@pupils.hill.sch.uk", ES_ROLE_EXTERNAL, NULL, "bullying", 3)));
	s = update(r, msg("framed@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	ok(!input(s, "reputation.bullying") && !strcmp(input(s, "reputation.new") ?: "", "yes"),
	   "mail forging a pupil's address from outside does not count in the pupil's own record");
	es_scan_free(s);
	rep = es_test_redis_cmd(PORT, "HGET counts:hill:{from:a@pupils.hill.sch.uk}:rep s:3");
	/* decayed by the few milliseconds since, so not exactly 3 */
	ok(rep && rep->type == REDIS_REPLY_STRING && fabs(g_ascii_strtod(rep->str, NULL) - 3) < 0.001,
	   "severity-3 count kept in Redis (%s)", rep && rep->str ? rep->str : "none");
	freeReplyObject(rep);
	es_reputation_free(r);
}

/* test_identity - SASL user first, then envelope sender, then client network */
static void test_identity(void)
{
	es_reputation *r = with("key_prefix = ident:\n");
	es_scan *s = msg("forged@elsewhere.example", ES_ROLE_STAFF, NULL, NULL, 0);
	redisReply *rep;

	s->auth_user = g_strdup("jsmith");
	es_scan_free(update(r, s));
	s = msg("", ES_ROLE_EXTERNAL, NULL, NULL, 0);
	s->client_addr = g_strdup("192.0.2.77");
	es_scan_free(update(r, s));
	s = msg("", ES_ROLE_EXTERNAL, NULL, NULL, 0);
	s->client_addr = g_strdup("2001:db8:1:2:3:4:5:6");
	es_scan_free(update(r, s));
	rep = es_test_redis_cmd(PORT, "EXISTS ident:hill:{user:jsmith}:rep ident:hill:{net:192.0.2.0/24}:rep "
				"ident:hill:{net:2001:db8:1:2::/64}:rep ident:hill:{from:forged@elsewhere.example}:rep");
	is_int(rep ? rep->integer : -1, 3, "records for the SASL user, the IPv4 /24 and IPv6 /64, none for the forged sender");
	freeReplyObject(rep);
	s = msg("", ES_ROLE_EXTERNAL, NULL, NULL, 0);
	s->client_addr = g_strdup("::ffff:198.51.100.9");
	es_scan_free(update(r, s));
	rep = es_test_redis_cmd(PORT, "EXISTS ident:hill:{net:198.51.100.0/24}:rep");
	is_int(rep ? rep->integer : -1, 1, "an IPv4 client written as ::ffff:a.b.c.d is counted under its IPv4 /24");
	freeReplyObject(rep);
	es_reputation_free(r);
}

/* test_policy - the policy sees the inputs: the third bullying message is copied */
static void test_policy(void)
{
	es_reputation *r = with("key_prefix = policy:\n");
	char *path = g_build_filename(g_get_tmp_dir(), "es-rep-policy-XXXXXX", NULL);
	int fd = g_mkstemp(path);
	const char *text = "repeat-bullying: role=pupil input.reputation.bullying_7d>=3 => copy\n"
			   "first-contact: role=external input.first_contact=yes => hold\n";
	es_policy *p;
	es_verdict v = { 0 };

	close(fd);
	g_file_set_contents(path, text, -1, NULL);
	p = es_policy_load(path, NULL);
	ok(p != NULL, "test policy loads");
	for (int i = 1; i <= 3; i++) {
		es_scan *s = update(r, msg("b@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, "bullying", 2));

		es_policy_decide(p, s, &v);
		is_str(es_action_name(v.action), i < 3 ? "accept" : "copy",
		       "bullying message %d: %s", i, i < 3 ? "below the threshold" : "threshold reached, copied");
		es_verdict_clear(&v);
		es_scan_free(s);
	}
	es_policy_free(p);
	g_unlink(path);
	g_free(path);
	es_reputation_free(r);
}

/* test_first_contact - which external senders have written to which pupils */
static void test_first_contact(void)
{
	es_reputation *r = with("key_prefix = fc:\n");
	static const struct { const char *from; es_role role; const char *to; const char *want; const char *why; } steps[] = {
		{ "stranger@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", "yes", "unknown external to a pupil" },
		{ "stranger@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", "no", "the same pair again" },
		{ "stranger@example.com", ES_ROLE_EXTERNAL, "P1@pupils.hill.sch.uk", "no", "same pupil, other case" },
		{ "stranger@example.com", ES_ROLE_EXTERNAL, "p2@pupils.hill.sch.uk", "yes", "the same sender to another pupil" },
		{ "other@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", "yes", "another sender to a known pupil" },
		{ "stranger@example.com", ES_ROLE_EXTERNAL, "teacher@hill.sch.uk", "no", "an external sender to staff" },
		{ "p3@pupils.hill.sch.uk", ES_ROLE_PUPIL, "p1@pupils.hill.sch.uk", "no", "a pupil to a pupil" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		es_scan *s = update(r, msg(steps[i].from, steps[i].role, steps[i].to, NULL, 0));

		is_str(input(s, "first_contact"), steps[i].want, "first_contact: %s", steps[i].why);
		if (i == 3)
			is_str(input(s, "contact.pupils"), "2", "contact.pupils counts the pupils written to");
		es_scan_free(s);
	}
	/* a message to pupils of two schools: the school's contacts are its
	 * own pupils only, whatever the order of the recipients */
	{
		es_scan *s = msg("trustwide@example.com", ES_ROLE_EXTERNAL, "v1@pupils.vale.sch.uk", NULL, 0);

		g_ptr_array_add(s->rcpts, g_strdup("h1@pupils.hill.sch.uk"));
		update(r, s);
		is_str(input(s, "contact.pupils"), "1", "a message to pupils of two schools: only this school's pupil is its contact");
		es_scan_free(s);
	}
	/* a first message that is refused reached nobody: it must not use up
	 * first_contact (a stranger could send one to be refused, then the next
	 * would not be held); pupils contacted before stay known */
	{
		es_scan *s = msg("tester@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", NULL, 0);

		es_scan_free(update(r, s));
		s = msg("tester@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", NULL, 0);
		g_ptr_array_add(s->rcpts, g_strdup("p4@pupils.hill.sch.uk"));
		update(r, s);
		is_str(input(s, "first_contact"), "yes", "first_contact: a known pupil and a new one");
		es_reputation_note_refused(r, s);
		es_scan_free(s);
		s = update(r, msg("tester@example.com", ES_ROLE_EXTERNAL, "p4@pupils.hill.sch.uk", NULL, 0));
		is_str(input(s, "first_contact"), "yes", "after that message was refused, the new pupil is still a first contact");
		es_scan_free(s);
		s = update(r, msg("tester@example.com", ES_ROLE_EXTERNAL, "p1@pupils.hill.sch.uk", NULL, 0));
		is_str(input(s, "first_contact"), "no", "... and the pupil known before is still known");
		es_scan_free(s);
	}
	es_reputation_free(r);
}

/* test_rates - per-role limits per minute and per hour; rate_count = recipients */
static void test_rates(void)
{
	es_reputation *r = with("key_prefix = rate:\nrate_pupil_minute = 5\nrate_staff_minute = 0\n"
				"rate_staff_hour = 0\nrate_external_minute = 0\nrate_external_hour = 3\n");
	es_scan *s;

	for (int i = 1; i <= 6; i++) {
		s = update(r, msg("fast@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
		if (i <= 5)
			is_str(input(s, "rate_limited"), "no", "pupil message %d of 5 per minute passes", i);
		else {
			const es_finding *f = s->findings->len ? g_ptr_array_index(s->findings, 0) : NULL;

			is_str(input(s, "rate_limited"), "yes", "the 6th pupil message in a minute is limited");
			ok(f && !strcmp(f->detector, "limits") && !strcmp(f->category, "rate_limit") &&
			   f->severity == 4 && !strcmp(f->rule, "rate.minute"), "with a limits/rate_limit finding (rule rate.minute)");
			is_str(input(s, "reputation.rate_limit_7d"), "1", "and it is counted as a rate_limit");
			ok(!input(s, "reputation.incidents_7d"),
			   "but not as a flagged message (nothing in it was flagged, and it was not delivered)");
			is_str(input(s, "rate.minute"), "5", "a refused message is not counted");
		}
		es_scan_free(s);
	}
	for (int i = 1; i <= 12; i++) {
		s = update(r, msg("busy@hill.sch.uk", ES_ROLE_STAFF, NULL, NULL, 0));
		if (i == 12)
			ok(!strcmp(input(s, "rate_limited"), "no") && !strcmp(input(s, "rate.minute"), "12"),
			   "staff with limits 0 are counted but never limited");
		es_scan_free(s);
	}
	for (int i = 1; i <= 4; i++) {
		s = update(r, msg("bulk@example.com", ES_ROLE_EXTERNAL, "t@hill.sch.uk", NULL, 0));
		if (i == 4)
			ok(!strcmp(input(s, "rate_limited"), "yes") && s->findings->len == 1 &&
			   !strcmp(((es_finding *)g_ptr_array_index(s->findings, 0))->rule, "rate.hour"),
			   "the 4th external message in an hour is over rate_external_hour = 3");
		es_scan_free(s);
	}
	es_reputation_free(r);
	r = with("key_prefix = rcpt:\nrate_count = recipients\nrate_pupil_minute = 5\n");
	s = msg("spray@pupils.hill.sch.uk", ES_ROLE_PUPIL, "x1@hill.sch.uk", NULL, 0);
	for (int i = 2; i <= 4; i++)
		g_ptr_array_add(s->rcpts, g_strdup_printf("x%d@hill.sch.uk", i));
	update(r, s);
	is_str(input(s, "rate.minute"), "4", "rate_count = recipients counts each recipient");
	es_scan_free(s);
	s = update(r, msg("spray@pupils.hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(input(s, "rate_limited"), "no", "4 + 1 recipients is within 5");
	es_scan_free(s);
	s = msg("spray@pupils.hill.sch.uk", ES_ROLE_PUPIL, "y1@hill.sch.uk", NULL, 0);
	g_ptr_array_add(s->rcpts, g_strdup("y2@hill.sch.uk"));
	update(r, s);
	is_str(input(s, "rate_limited"), "yes", "5 + 2 recipients is over 5");
	es_scan_free(s);
	/* one message to more recipients than the limit: refused whenever
	 * anything else was counted, it would be refused on every retry */
	s = msg("year7@hill.sch.uk", ES_ROLE_PUPIL, "z1@hill.sch.uk", NULL, 0);
	for (int i = 2; i <= 8; i++)
		g_ptr_array_add(s->rcpts, g_strdup_printf("z%d@hill.sch.uk", i));
	update(r, s);
	ok(!strcmp(input(s, "rate_limited"), "no") && !strcmp(input(s, "rate.minute"), "8"),
	   "a message with more recipients than the limit goes through when nothing else is counted");
	es_scan_free(s);
	s = update(r, msg("year7@hill.sch.uk", ES_ROLE_PUPIL, NULL, NULL, 0));
	is_str(input(s, "rate_limited"), "yes", "... and the next one in the minute is limited");
	es_scan_free(s);
	es_reputation_free(r);
}


/* all_keys_plain - every key under PREFIX is short and has no control bytes */
static gboolean all_keys_plain(const char *prefix, gsize *n)
{
	redisReply *rep = es_test_redis_cmd(PORT, "KEYS %s*", prefix);
	gboolean plain = rep && rep->type == REDIS_REPLY_ARRAY;

	*n = plain ? rep->elements : 0;
	for (gsize i = 0; plain && i < rep->elements; i++) {
		plain = rep->element[i]->len <= 200;
		for (gsize j = 0; plain && j < rep->element[i]->len; j++)
			plain = g_ascii_isgraph(rep->element[i]->str[j]);
	}
	freeReplyObject(rep);
	return plain;
}

/* test_hostile - protocol characters, braces, 8-bit bytes and megabytes in the
 * sender: one short, plain, distinct key each, and nothing else happens */
static void test_hostile(void)
{
	es_reputation *r = with("key_prefix = hostile:\n");
	char *huge = g_malloc(1024 * 1024 + 1);
	const char *bad[] = { "x\r\n*1\r\n$8\r\nFLUSHALL\r\n@evil.example", "{slot}@evil.example",
			      "caf\xc3\xa9\xff\x01@evil.example", "a b\tc@evil.example", huge };
	redisReply *rep;
	gsize n;

	memset(huge, 'a', 1024 * 1024);
	huge[1024 * 1024] = '\0';
	rep = es_test_redis_cmd(PORT, "SET hostile-canary alive");
	freeReplyObject(rep);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		es_scan *s = update(r, msg(bad[i], ES_ROLE_EXTERNAL, NULL, "threat", 5));

		is_str(input(s, "reputation.threat_7d"), "1", "hostile sender %zu: counted", i + 1);
		es_scan_free(s);
	}
	es_scan_free(update(r, msg(bad[0], ES_ROLE_EXTERNAL, NULL, "threat", 5)));
	rep = es_test_redis_cmd(PORT, "GET hostile-canary");
	is_str(rep && rep->type == REDIS_REPLY_STRING ? rep->str : NULL, "alive", "no command was injected");
	freeReplyObject(rep);
	ok(all_keys_plain("hostile:", &n), "every key is at most 200 printable bytes");
	/* 5 senders x (record, rate, contacts) */
	is_int(n, 15, "one distinct set of keys per hostile sender");
	g_free(huge);
	es_reputation_free(r);
}

/* test_round_trips - one round trip per message; EVAL only after NOSCRIPT */
static void test_round_trips(void)
{
	es_reputation *r = with("key_prefix = rt:\n");
	es_reputation_stats a, b;
	redisReply *rep;
	es_scan *s;

	es_scan_free(update(r, msg("rt@hill.sch.uk", ES_ROLE_STAFF, NULL, NULL, 0)));
	es_reputation_get_stats(r, &a);
	for (int i = 0; i < 20; i++)
		es_scan_free(update(r, msg("rt@hill.sch.uk", ES_ROLE_STAFF, NULL, "profanity", 2)));
	es_reputation_get_stats(r, &b);
	is_int(b.round_trips - a.round_trips, 20, "20 messages: 20 round trips");
	is_int(b.commands - a.commands, 20, "20 messages: 20 commands (one EVALSHA each)");
	rep = es_test_redis_cmd(PORT, "SCRIPT FLUSH");
	freeReplyObject(rep);
	s = update(r, msg("rt@hill.sch.uk", ES_ROLE_STAFF, NULL, NULL, 0));
	es_reputation_get_stats(r, &a);
	is_str(input(s, "reputation.profanity_7d"), "20", "after SCRIPT FLUSH the update still works (EVAL)");
	is_int(a.round_trips - b.round_trips, 2, "and took EVALSHA + EVAL");
	es_scan_free(s);
	es_reputation_free(r);
}

/* main - one private Redis for every behaviour that needs no waiting */
int main(void)
{
	es_test_redis *srv;

	es_log_open("reputation_t", NULL, 1);
	test_disabled();
	test_bad_conf();
	srv = es_test_redis_start(PORT, 0);
	test_counts();
	test_identity();
	test_policy();
	test_first_contact();
	test_rates();
	test_hostile();
	test_round_trips();
	es_test_redis_stop(srv);
	es_conf_unref(conf);
	return done_testing();
}
