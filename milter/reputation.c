/* reputation.c - sender reputation, first contact and rate limits in Redis:
 * one Lua script call per message (see reputation.h, redis_script.c); the
 * read-only lookup for the quarantine UI is in reputation_lookup.c */
#include "config.h"
#include <string.h>
#include <gio/gio.h>
#include "reputation_priv.h"
#include "redis_script.h"
#include "policy.h"
#include "log.h"

#define MAX_ID 128		/* longer identities are hashed */
#define MAX_CATS 32		/* categories counted per message */
#define MAX_PUPILS 1000		/* pupil recipients recorded per message */

/* es_reputation_window_name - see reputation.h */
char *es_reputation_window_name(const es_conf *conf)
{
	return es_conf_duration_text(es_conf_int(conf, "redis", "window"));
}

/* opts_from_conf - the connection options of [redis] */
static void opts_from_conf(const es_conf *c, es_redis_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = es_conf_string(c, "redis", "host");
	o->port = (int)es_conf_int(c, "redis", "port");
	o->password = es_conf_string(c, "redis", "password");
	o->db = (int)es_conf_int(c, "redis", "db");
	o->sentinels = es_conf_list(c, "redis", "sentinels");
	o->sentinel_master = es_conf_string(c, "redis", "sentinel_master");
	o->connect_timeout = es_conf_int(c, "redis", "connect_timeout");
	o->command_timeout = es_conf_int(c, "redis", "command_timeout");
	o->pool_size = (guint)es_conf_int(c, "redis", "pool_size");
	o->breaker_failures = (guint)es_conf_int(c, "redis", "breaker_failures");
	o->retry_min = es_conf_int(c, "redis", "retry_min");
	o->retry_max = es_conf_int(c, "redis", "retry_max");
	o->log_interval = es_conf_int(c, "redis", "log_interval");
}

/* check_conf - what the table's bounds cannot say; FALSE with *err */
static gboolean check_conf(const es_conf *conf, GError **err)
{
	char *const *sentinels = es_conf_list(conf, "redis", "sentinels");

	if (es_conf_int(conf, "redis", "clean_ttl") < es_conf_int(conf, "redis", "window")) {
		char *where = es_conf_where(conf, "redis", "clean_ttl");

		g_set_error(err, ES_CONF_ERROR, 1, "%s: [redis] clean_ttl must not be shorter than window (%s)",
			    where, es_conf_string(conf, "redis", "window"));
		g_free(where);
		return FALSE;
	}
	/* the back-off grows from retry_min to retry_max */
	if (es_conf_int(conf, "redis", "retry_min") > es_conf_int(conf, "redis", "retry_max")) {
		char *where = es_conf_where(conf, "redis", "retry_min");

		g_set_error(err, ES_CONF_ERROR, 1, "%s: [redis] retry_min must not be longer than retry_max (%s)",
			    where, es_conf_string(conf, "redis", "retry_max"));
		g_free(where);
		return FALSE;
	}
	for (char *const *p = sentinels; p && *p; p++) {
		const char *colon = strrchr(*p, ':');
		char *end = NULL;
		gint64 port = colon ? g_ascii_strtoll(colon + 1, &end, 10) : 0;

		if (**p && (!colon || colon == *p || !end || *end || port < 1 || port > 65535)) {
			char *where = es_conf_where(conf, "redis", "sentinels");

			g_set_error(err, ES_CONF_ERROR, 1, "%s: [redis] sentinels: '%s' is not host:port", where, *p);
			g_free(where);
			return FALSE;
		}
	}
	return TRUE;
}

/* es_reputation_new - read [redis]; Redis itself is reached on first use */
es_reputation *es_reputation_new(const es_conf *conf, GError **err)
{
	es_reputation *r = g_new0(es_reputation, 1);
	static const char *const roles[] = { "external", "pupil", "staff", "staff" };
	es_redis_opts o;

	if (!(r->enabled = es_conf_bool(conf, "redis", "enabled")))
		return r;
	if (!check_conf(conf, err)) {
		g_free(r);
		return NULL;
	}
	r->half_life = es_conf_int(conf, "redis", "half_life");
	r->clean_ttl = es_conf_int(conf, "redis", "clean_ttl");
	r->window = es_conf_int(conf, "redis", "window");
	r->contact_ttl = es_conf_int(conf, "redis", "contact_ttl");
	for (int i = 0; i < 4; i++) {
		char *m = g_strdup_printf("rate_%s_minute", roles[i]), *h = g_strdup_printf("rate_%s_hour", roles[i]);

		r->limit[i][0] = es_conf_int(conf, "redis", m);
		r->limit[i][1] = es_conf_int(conf, "redis", h);
		g_free(m);
		g_free(h);
	}
	r->count_rcpts = g_strcmp0(es_conf_string(conf, "redis", "rate_count"), "recipients") == 0;
	r->prefix = g_strdup(es_conf_string(conf, "redis", "key_prefix"));
	r->window_label = es_conf_duration_text(r->window);
	r->sha1 = g_compute_checksum_for_string(G_CHECKSUM_SHA1, es_redis_script, -1);
	r->lookup_sha1 = g_compute_checksum_for_string(G_CHECKSUM_SHA1, es_redis_lookup_script, -1);
	r->tempfail_sha1 = g_compute_checksum_for_string(G_CHECKSUM_SHA1, es_redis_tempfail_script, -1);
	r->forget_sha1 = g_compute_checksum_for_string(G_CHECKSUM_SHA1, es_redis_forget_script, -1);
	opts_from_conf(conf, &o);
	r->redis = es_redis_new(&o);
	return r;
}

/* es_reputation_free - NULL is fine */
void es_reputation_free(es_reputation *r)
{
	if (!r)
		return;
	es_redis_free(r->redis);
	g_free(r->prefix);
	g_free(r->sha1);
	g_free(r->lookup_sha1);
	g_free(r->tempfail_sha1);
	g_free(r->forget_sha1);
	g_free(r->window_label);
	g_free(r);
}

/* es_reputation_enabled - [redis] enabled was set */
gboolean es_reputation_enabled(const es_reputation *r)
{
	return r && r->enabled;
}

/* safe_id - RAW lower-cased if short and plain; otherwise "#" and a hash, so
 * hostile addresses (CR/LF, binary, braces, megabytes) give short plain keys */
static char *safe_id(const char *raw, gsize len)
{
	char *low = g_ascii_strdown(raw, (gssize)len), *hash, *out;
	gboolean plain = len > 0 && len <= MAX_ID && strlen(low) == len;

	for (gsize i = 0; plain && i < len; i++)
		plain = g_ascii_isalnum(low[i]) || strchr("@.-_+=/:", low[i]);
	if (plain)
		return low;
	hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)low, len);
	g_free(low);
	hash[32] = '\0';	/* 128 bits is plenty to tell senders apart */
	out = g_strconcat("#", hash, NULL);
	g_free(hash);
	return out;
}

/* network_of - the client's /24 (IPv4) or /64 (IPv6) as text, or NULL */
static char *network_of(const char *addr)
{
	GInetAddress *a = addr ? g_inet_address_new_from_string(addr) : NULL, *net;
	guint8 bytes[16];
	gsize n;
	char *text, *out;

	if (!a)
		return NULL;
	n = g_inet_address_get_native_size(a);
	memcpy(bytes, g_inet_address_to_bytes(a), n);
	/* an IPv4 client written as ::ffff:a.b.c.d is that IPv4 client: its /64
	 * would put every such client in one record */
	if (n == 16 && !memcmp(bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
		GInetAddress *v4 = g_inet_address_new_from_bytes(bytes + 12, G_SOCKET_FAMILY_IPV4);

		g_object_unref(a);
		a = v4;
		n = 4;
		memcpy(bytes, bytes + 12, 4);
	}
	/* keep the network part: 3 of 4 bytes, or 8 of 16 */
	memset(bytes + (n == 4 ? 3 : 8), 0, n == 4 ? 1 : 8);
	net = g_inet_address_new_from_bytes(bytes, g_inet_address_get_family(a));
	text = g_inet_address_to_string(net);
	out = g_strconcat(text, n == 4 ? "/24" : "/64", NULL);
	g_free(text);
	g_object_unref(net);
	g_object_unref(a);
	return out;
}

/* es_reputation_base_key - "PREFIX SCHOOL:{KIND:ID}", both names made key-safe;
 * {..} is a hash tag: every key of one sender lands on one cluster slot */
char *es_reputation_base_key(const es_reputation *r, const char *school, const char *kind, const char *raw)
{
	/* one record per sender however the address is spelt (a trailing dot) */
	char *addr = (strcmp(kind, "from") == 0 || strcmp(kind, "xfrom") == 0) && strcmp(raw, "<>") != 0
		     ? es_addr_canonical(raw) : g_strdup(raw);
	char *sch = safe_id(school, strlen(school)), *id = safe_id(addr, strlen(addr));
	char *base = g_strdup_printf("%s%s:{%s:%s}", r->prefix, sch, kind, id);

	g_free(addr);
	g_free(sch);
	g_free(id);
	return base;
}

/* sender_base - the keys' start for this message's sender: "user:LOGIN",
 * "from:ADDR" or "net:CIDR"; "xfrom:ADDR" for a school's address the route
 * did not trust (from outside, not logged in): it may be forged, and must
 * not fill the pupil's own record with incidents or use up their rate */
static char *sender_base(const es_reputation *r, const es_scan *s)
{
	const char *school = s->school ? es_school_name(s->school) : "_none";
	char *net = NULL, *base;

	if (s->auth_user && *s->auth_user)
		base = es_reputation_base_key(r, school, "user", s->auth_user);
	else if (s->sender && *s->sender)
		base = es_reputation_base_key(r, school, es_reputation_forged(s->conf, s->sender,
					      es_role_name(s->sender_role)) ? "xfrom" : "from", s->sender);
	else if ((net = network_of(s->client_addr)) != NULL)
		base = es_reputation_base_key(r, school, "net", net);
	else
		base = es_reputation_base_key(r, school, "from", "<>");
	g_free(net);
	return base;
}

/* pupil_hash - a pupil recipient as stored in a contact set: hashed, so the
 * set does not list pupils' addresses */
static char *pupil_hash(const char *addr)
{
	char *low = es_addr_canonical(addr);
	char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, low, -1);

	g_free(low);
	h[16] = '\0';
	return h;
}

/* plain_category - a category name fit for a key field and an input name */
static gboolean plain_category(const char *c)
{
	gsize n = strlen(c);

	if (n == 0 || n > 32)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_islower(c[i]) && !g_ascii_isdigit(c[i]) && c[i] != '_')
			return FALSE;
	return TRUE;
}

/* add_categories - ARGV (category, max severity) pairs of this message's
 * findings; resource-limit findings are about the message, not the sender */
static guint add_categories(const es_scan *s, GPtrArray *args)
{
	GHashTable *max = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer k, v;
	guint n = 0;

	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);
		int old = GPOINTER_TO_INT(g_hash_table_lookup(max, f->category));

		if (g_strcmp0(f->detector, "limits") == 0 || !plain_category(f->category))
			continue;
		if (f->severity > old && (old || g_hash_table_size(max) < MAX_CATS))
			g_hash_table_insert(max, f->category, GINT_TO_POINTER(f->severity));
	}
	g_hash_table_iter_init(&it, max);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		g_ptr_array_add(args, g_strdup(k));
		g_ptr_array_add(args, g_strdup_printf("%d", GPOINTER_TO_INT(v)));
		n++;
	}
	g_hash_table_unref(max);
	return n;
}

/* add_pupils - hashed pupil recipients of the message's school, when an
 * external sender writes to pupils; another school's pupils are not this
 * school's contacts (its set would then depend on the recipients' order) */
static guint add_pupils(const es_scan *s, GPtrArray *args)
{
	guint n = 0;

	if (!s->school || s->sender_role != ES_ROLE_EXTERNAL)
		return 0;
	for (guint i = 0; i < s->rcpts->len && n < MAX_PUPILS; i++) {
		const char *rcpt = g_ptr_array_index(s->rcpts, i);

		if (es_conf_school_for_address(s->conf, rcpt) == s->school &&
		    es_rcpt_role(s->conf, rcpt) == ES_ROLE_PUPIL) {
			g_ptr_array_add(args, pupil_hash(rcpt));
			n++;
		}
	}
	return n;
}

/* retry_named - S can be told apart when offered again: by its Message-ID,
 * or (none) by its body */
static gboolean retry_named(const es_scan *s)
{
	return (s->message_id && *s->message_id) || s->raw;
}

/* tempfail_key - BASE's key for this message, offered again after a
 * tempfail: its Message-ID, body and recipients, which a retry keeps (our
 * MTA's own Received header changes, so the headers are left out) and a
 * transaction split by recipients, or another message reusing the
 * Message-ID, does not */
static char *tempfail_key(const char *base, const es_scan *s)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	char *key;

	g_checksum_update(c, (const guchar *)(s->message_id ? s->message_id : ""), -1);
	if (s->raw) {
		gsize len;
		const char *p = g_bytes_get_data(s->raw, &len);
		const char *body = len ? g_strstr_len(p, (gssize)len, "\n\n") : NULL;
		const char *crlf = len ? g_strstr_len(p, (gssize)len, "\r\n\r\n") : NULL;

		if (crlf && (!body || crlf < body))
			body = crlf + 4;
		else if (body)
			body += 2;
		g_checksum_update(c, (const guchar *)"\n--body--\n", -1);
		/* the first megabyte tells messages apart; all of a big one costs time */
		if (body)
			g_checksum_update(c, (const guchar *)body, (gssize)MIN(len - (gsize)(body - p), 1 << 20));
	}
	for (guint i = 0; i < s->rcpts->len; i++) {
		g_checksum_update(c, (const guchar *)"\n", 1);
		g_checksum_update(c, (const guchar *)g_ptr_array_index(s->rcpts, i), -1);
	}
	key = g_strdup_printf("%s:m:%.32s", base, g_checksum_get_string(c));
	g_checksum_free(c);
	return key;
}

/* build_args - KEYS then ARGV for the script; returns the number of keys */
static int build_args(const es_reputation *r, const es_scan *s, GPtrArray *args, gboolean *to_pupils)
{
	char *base = sender_base(r, s);
	int role = CLAMP((int)s->sender_role, 0, 3);
	gint64 incr = r->count_rcpts ? MAX((gint64)s->rcpts->len, 1) : 1;
	GPtrArray *tail = g_ptr_array_new_with_free_func(g_free);
	guint ncat;
	int nkeys = 3;

	g_ptr_array_add(args, g_strconcat(base, ":rep", NULL));
	g_ptr_array_add(args, g_strconcat(base, ":rate", NULL));
	g_ptr_array_add(args, g_strconcat(base, ":contacts", NULL));
	*to_pupils = add_pupils(s, tail) > 0;
	if (retry_named(s)) {
		g_ptr_array_add(args, tempfail_key(base, s));
		nkeys = 4;
	}
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->half_life));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->clean_ttl));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->window));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->limit[role][0]));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->limit[role][1]));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)incr));
	g_ptr_array_add(args, g_strdup_printf("%lld", (long long)r->contact_ttl));
	g_ptr_array_add(args, NULL);	/* category count, filled in below */
	ncat = add_categories(s, args);
	args->pdata[nkeys + 7] = g_strdup_printf("%u", ncat);
	for (guint i = 0; i < tail->len; i++)
		g_ptr_array_add(args, g_strdup(g_ptr_array_index(tail, i)));
	g_ptr_array_unref(tail);
	g_free(base);
	return nkeys;
}

/* reply_int - element I of an array reply as a number */
static long long reply_int(const redisReply *rep, gsize i)
{
	const redisReply *e = i < rep->elements ? rep->element[i] : NULL;

	if (!e)
		return 0;
	if (e->type == REDIS_REPLY_INTEGER)
		return e->integer;
	return e->type == REDIS_REPLY_STRING ? g_ascii_strtoll(e->str, NULL, 10) : 0;
}

/* set_int - one numeric input */
static void set_int(es_scan *s, const char *name, long long v)
{
	char buf[32];

	g_snprintf(buf, sizeof(buf), "%lld", v);
	es_scan_set_input(s, name, buf);
}

/* The inputs publish sets whatever the window, besides reputation.CATEGORY
 * and reputation.CATEGORY_WINDOW. */
static const char *const fixed_inputs[] = { "reputation.score", "reputation.messages", "reputation.new",
	"reputation.age_days", "first_contact", "contact.pupils", "rate.minute", "rate.hour", "rate_limited", NULL };

/* es_reputation_input_known - see reputation.h */
gboolean es_reputation_input_known(const char *name, const char *window)
{
	gsize n, w = strlen(window);
	char *cat;
	gboolean ok;

	if (g_strv_contains(fixed_inputs, name))
		return TRUE;
	if (!g_str_has_prefix(name, "reputation."))
		return FALSE;
	name += strlen("reputation.");
	n = strlen(name);
	cat = n > w + 1 && name[n - w - 1] == '_' && strcmp(name + n - w, window) == 0
	      ? g_strndup(name, n - w - 1) : g_strdup(name);
	ok = strcmp(cat, "incidents") == 0 || es_policy_category_known(cat);
	g_free(cat);
	return ok;
}

/* publish - the script's answer as policy inputs (and a rate-limit finding) */
static void publish(es_reputation *r, es_scan *s, const redisReply *rep, gboolean to_pupils)
{
	long long limited = reply_int(rep, 8), now = reply_int(rep, 9);

	set_int(s, "reputation.score", (reply_int(rep, 0) + 500) / 1000);
	set_int(s, "reputation.messages", (reply_int(rep, 3) + 500) / 1000);
	es_scan_set_input(s, "reputation.new", reply_int(rep, 2) ? "yes" : "no");
	set_int(s, "reputation.age_days", MAX(now - reply_int(rep, 1), 0) / 86400000);
	if (rep->elements > 10 && rep->element[10]->type == REDIS_REPLY_STRING && rep->element[10]->len) {
		g_free(s->new_contacts);
		s->new_contacts = g_strndup(rep->element[10]->str, rep->element[10]->len);
	}
	for (gsize i = 11; i + 1 < rep->elements; i += 2) {
		const redisReply *c = rep->element[i];
		char *name;

		if (c->type != REDIS_REPLY_STRING)
			continue;
		name = g_strdup_printf("reputation.%s_%s", c->str, r->window_label);
		set_int(s, name, reply_int(rep, i + 1));
		g_free(name);
		/* the same count by a name that does not change with the window,
		 * so a policy keeps working when [redis] window does */
		name = g_strdup_printf("reputation.%s", c->str);
		set_int(s, name, reply_int(rep, i + 1));
		g_free(name);
	}
	es_scan_set_input(s, "first_contact", to_pupils && reply_int(rep, 4) ? "yes" : "no");
	if (to_pupils)
		set_int(s, "contact.pupils", reply_int(rep, 5));
	if (to_pupils && reply_int(rep, 4))
		__atomic_add_fetch(&r->first_contacts, 1, __ATOMIC_RELAXED);
	set_int(s, "rate.minute", reply_int(rep, 6));
	set_int(s, "rate.hour", reply_int(rep, 7));
	es_scan_set_input(s, "rate_limited", limited ? "yes" : "no");
	if (limited) {
		gboolean minute = limited == 1;
		char *why = g_strdup_printf("more than %lld %s per %s from this sender",
					    (long long)r->limit[CLAMP((int)s->sender_role, 0, 3)][minute ? 0 : 1],
					    r->count_rcpts ? "recipients" : "messages", minute ? "minute" : "hour");

		es_scan_add_finding(s, "limits", "rate_limit", 4, "envelope", minute ? "rate.minute" : "rate.hour", why);
		es_log(LOG_NOTICE, s->qid, "rate limit: %s", why);
		g_free(why);
		__atomic_add_fetch(&r->rate_limited, 1, __ATOMIC_RELAXED);
	}
}

/* es_reputation_update - one atomic script call for this message */
gboolean es_reputation_update(es_reputation *r, es_scan *s, GError **err)
{
	GPtrArray *args;
	redisReply *rep;
	gboolean to_pupils = FALSE;
	int nkeys;

	if (!r || !r->enabled)
		return TRUE;
	args = g_ptr_array_new_with_free_func(g_free);
	nkeys = build_args(r, s, args, &to_pupils);
	rep = es_redis_eval(r->redis, s->qid, es_redis_script, r->sha1, nkeys, (int)args->len,
			    (const char **)args->pdata, NULL, err);
	if (rep && (rep->type != REDIS_REPLY_ARRAY || rep->elements < 10)) {
		g_set_error(err, ES_REDIS_ERROR, ES_REDIS_ERROR_FAILED, "redis: unexpected reply to the reputation script");
		freeReplyObject(rep);
		rep = NULL;
	}
	if (rep) {
		publish(r, s, rep, to_pupils);
		__atomic_add_fetch(&r->updates, 1, __ATOMIC_RELAXED);
		freeReplyObject(rep);
	}
	g_ptr_array_unref(args);
	return rep != NULL;
}

void es_reputation_note_tempfail(es_reputation *r, const es_scan *s)
{
	const char *fc = g_hash_table_lookup(s->inputs, "first_contact");
	const char *limited = g_hash_table_lookup(s->inputs, "rate_limited");
	const char *args[3];
	char *base, *val;
	redisReply *rep;
	GError *err = NULL;

	/* nothing was counted (Redis off or down), or nothing names the message */
	if (!r || !r->enabled || !limited || !retry_named(s))
		return;
	base = sender_base(r, s);
	args[0] = tempfail_key(base, s);
	args[1] = val = g_strdup_printf("%d", 2 * (g_strcmp0(fc, "yes") == 0) + (g_strcmp0(limited, "no") == 0));
	args[2] = "432000000";	/* as long as Postfix keeps a message queued: 5 days */
	rep = es_redis_eval(r->redis, s->qid, es_redis_tempfail_script, r->tempfail_sha1, 1, 3, args, NULL, &err);
	if (rep)
		freeReplyObject(rep);
	else
		es_log(LOG_DEBUG, s->qid, "reputation: tempfail not noted: %s", err ? err->message : "?");
	g_clear_error(&err);
	g_free((char *)args[0]);
	g_free(val);
	g_free(base);
}

/* es_reputation_note_refused - see reputation.h */
void es_reputation_note_refused(es_reputation *r, const es_scan *s)
{
	GPtrArray *args;
	char *base, **hashes;
	redisReply *rep;
	GError *err = NULL;

	if (!r || !r->enabled || !s->new_contacts || !*s->new_contacts)
		return;
	base = sender_base(r, s);
	args = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(args, g_strconcat(base, ":contacts", NULL));
	hashes = g_strsplit(s->new_contacts, " ", -1);
	for (char **h = hashes; *h; h++)
		if (**h)
			g_ptr_array_add(args, g_strdup(*h));
	g_strfreev(hashes);
	rep = es_redis_eval(r->redis, s->qid, es_redis_forget_script, r->forget_sha1, 1, (int)args->len,
			    (const char **)args->pdata, NULL, &err);
	if (rep)
		freeReplyObject(rep);
	else
		es_log(LOG_DEBUG, s->qid, "reputation: refused contact not forgotten: %s", err ? err->message : "?");
	g_clear_error(&err);
	g_ptr_array_unref(args);
	g_free(base);
}

/* es_reputation_get_stats - counters of this object and its connections */
void es_reputation_get_stats(es_reputation *r, es_reputation_stats *st)
{
	es_redis_stats rs;

	memset(st, 0, sizeof(*st));
	if (!r || !r->enabled)
		return;
	es_redis_get_stats(r->redis, &rs);
	st->updates = __atomic_load_n(&r->updates, __ATOMIC_RELAXED);
	st->rate_limited = __atomic_load_n(&r->rate_limited, __ATOMIC_RELAXED);
	st->first_contacts = __atomic_load_n(&r->first_contacts, __ATOMIC_RELAXED);
	st->failures = rs.failures;
	st->skipped = rs.skipped;
	st->breaker_opened = rs.breaker_opened;
	st->round_trips = rs.round_trips;
	st->commands = rs.commands;
	st->connects = rs.connects;
}
