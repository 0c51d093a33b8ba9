/* callbacks.c - thin libmilter callbacks: fetch the context, hand the work
 * to a module, map the result to SMFIS_*. One idempotent cleanup per context. */
#include "config.h"
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "callbacks.h"
#include "actions.h"
#include "engine.h"
#include "log.h"

static gint in_flight;
static gint draining;

int es_milter_in_flight(void)
{
	return g_atomic_int_get(&in_flight);
}

/* es_milter_drain - from now on new messages are tempfailed (the MTA retries
 * them), so the ones in flight can finish before libmilter is stopped */
void es_milter_drain(void)
{
	g_atomic_int_set(&draining, 1);
}

/* mctx_free - end of one message, from eom, abort or close; safe twice */
static void mctx_free(es_cctx *c)
{
	es_mctx *m = c ? c->msg : NULL;

	if (!m)
		return;
	c->msg = NULL;
	es_msgbuf_free(m->buf);
	g_free(m->sender);
	g_ptr_array_unref(m->rcpts);
	g_free(m->auth_user);
	g_free(m->qid);
	g_ptr_array_unref(m->forged);
	g_hash_table_unref(m->forged_counts);
	g_free(m->release_token);
	g_clear_error(&m->error);
	g_free(m);
	g_atomic_int_add(&in_flight, -1);
}

/* bare_address - "<a@b>" -> "a@b" */
static char *bare_address(const char *arg)
{
	gsize n = strlen(arg);

	if (n >= 2 && arg[0] == '<' && arg[n - 1] == '>')
		return g_strndup(arg + 1, n - 2);
	return g_strdup(arg);
}

/* symval - a macro or NULL */
static const char *symval(SMFICTX *ctx, const char *name)
{
	return smfi_getsymval(ctx, (char *)name);
}

/* The steps we never look at, and the replies we never need: each one the
 * MTA does not wait for saves a round trip per header line and body chunk.
 * MAIL FROM keeps its reply (the drain tempfail); so does end of message. */
#define ES_PROTO_SKIP (SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NODATA)
#define ES_PROTO_NOREPLY (SMFIP_NR_CONN | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH | \
			  SMFIP_NR_BODY)
#define ES_ACTIONS (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT)

/* cctx - the connection context, made on first use (negotiate or connect) */
static es_cctx *cctx(SMFICTX *ctx)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (!c) {
		c = g_new0(es_cctx, 1);
		smfi_setpriv(ctx, c);
	}
	return c;
}

/* next - carry on; without a reply where the MTA agreed not to wait for one */
static sfsistat next(const es_cctx *c, unsigned long noreply)
{
	return c && (c->proto & noreply) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

/* cb_negotiate - ask for what we use and no more; refuse an MTA that cannot
 * add headers and recipients, since copy and hold would silently fail */
static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long actions, unsigned long proto,
			     unsigned long f2, unsigned long f3, unsigned long *pactions,
			     unsigned long *pproto, unsigned long *pf2, unsigned long *pf3)
{
	es_cctx *c;

	(void)f2;
	(void)f3;
	if ((actions & ES_ACTIONS) != ES_ACTIONS) {
		es_log(LOG_ERR, NULL, "the MTA does not offer the milter actions we need (0x%lx of 0x%lx)",
		       actions & ES_ACTIONS, (unsigned long)ES_ACTIONS);
		return SMFIS_REJECT;
	}
	c = cctx(ctx);
	c->proto = proto & (ES_PROTO_SKIP | ES_PROTO_NOREPLY);
	*pactions = ES_ACTIONS;
	*pproto = c->proto;
	*pf2 = *pf3 = 0;
	return SMFIS_CONTINUE;
}

static sfsistat cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	es_cctx *c = cctx(ctx);
	char buf[INET6_ADDRSTRLEN] = "";

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, buf, sizeof(buf));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
	/* no address (local submission through sendmail/pickup): trusted like esafety-scan */
	g_free(c->client_addr);
	c->client_addr = *buf ? g_strdup(buf) : NULL;
	return next(c, SMFIP_NR_CONN);
}

static sfsistat cb_envfrom(SMFICTX *ctx, char **argv)
{
	es_cctx *c = smfi_getpriv(ctx);
	es_engine *e;
	const es_conf *conf;
	es_mctx *m;

	mctx_free(c);
	/* counted before the drain is checked: the stop waits for in_flight to
	 * reach 0, and a message counted after the check could slip past it */
	g_atomic_int_inc(&in_flight);
	/* no engine: the last one was dropped at the stop and a session
	 * libmilter had not yet ended came on */
	if (g_atomic_int_get(&draining) || !(e = es_engine_current())) {
		g_atomic_int_add(&in_flight, -1);
		smfi_setreply(ctx, "421", "4.3.2", "Mail filter restarting; please try again shortly");
		return SMFIS_TEMPFAIL;
	}
	conf = es_engine_conf(e);
	m = g_new0(es_mctx, 1);
	c->msg = m;
	m->buf = es_msgbuf_new((gsize)es_conf_int(conf, "milter", "memory_buffer"),
			       es_conf_string(conf, "milter", "tmpdir"));
	m->sender = bare_address(argv[0] ? argv[0] : "");
	m->rcpts = g_ptr_array_new_with_free_func(g_free);
	m->forged = g_ptr_array_new_with_free_func(g_free);
	m->forged_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (symval(ctx, "{auth_authen}"))
		m->auth_user = g_strdup(symval(ctx, "{auth_authen}"));
	/* an MTA that sends no queue ID ({i}) still gets lines that tell its
	 * messages apart: a made-up one, replaced if {i} comes at end of message */
	m->qid = symval(ctx, "i") ? g_strdup(symval(ctx, "i"))
				  : g_strdup_printf("NOQUEUE-%08x", g_random_int());
	es_engine_unref(e);
	return SMFIS_CONTINUE;
}

static sfsistat cb_envrcpt(SMFICTX *ctx, char **argv)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (c && c->msg && argv[0])
		g_ptr_array_add(c->msg->rcpts, bare_address(argv[0]));
	return next(c, SMFIP_NR_RCPT);
}

/* append - add to the buffer; a failure is remembered for eom (on_error) */
static void append(es_mctx *m, const char *data, gsize len)
{
	if (!m->error)
		es_msgbuf_append(m->buf, data, len, &m->error);
}

/* note_forged - an X-ESafety-* header from outside: dropped, never trusted */
static void note_forged(es_mctx *m, const char *name, const char *value)
{
	char *low = g_ascii_strdown(name, -1);
	int n = GPOINTER_TO_INT(g_hash_table_lookup(m->forged_counts, low)) + 1;

	g_hash_table_replace(m->forged_counts, low, GINT_TO_POINTER(n));
	g_ptr_array_add(m->forged, g_strdup_printf("%s\n%d", name, n));
	if (g_ascii_strcasecmp(name, "X-ESafety-Release") == 0 && !m->release_token)
		m->release_token = g_strstrip(g_strdup(value));
}

static sfsistat cb_header(SMFICTX *ctx, char *name, char *value)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (!c || !c->msg)
		return next(c, SMFIP_NR_HDR);
	if (g_ascii_strncasecmp(name, "X-ESafety-", 10) == 0) {
		note_forged(c->msg, name, value);
		return next(c, SMFIP_NR_HDR);
	}
	append(c->msg, name, strlen(name));
	append(c->msg, ": ", 2);
	append(c->msg, value, strlen(value));
	append(c->msg, "\n", 1);
	return next(c, SMFIP_NR_HDR);
}

static sfsistat cb_eoh(SMFICTX *ctx)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (c && c->msg)
		append(c->msg, "\n", 1);
	return next(c, SMFIP_NR_EOH);
}

static sfsistat cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (c && c->msg)
		append(c->msg, (const char *)chunk, len);
	return next(c, SMFIP_NR_BODY);
}

static sfsistat cb_eom(SMFICTX *ctx)
{
	es_cctx *c = smfi_getpriv(ctx);
	sfsistat r;

	if (!c || !c->msg)
		return SMFIS_TEMPFAIL;
	if (symval(ctx, "i")) {
		g_free(c->msg->qid);
		c->msg->qid = g_strdup(symval(ctx, "i"));
	}
	r = es_milter_decide(ctx, c->client_addr, c->msg);
	mctx_free(c);
	return r;
}

static sfsistat cb_abort(SMFICTX *ctx)
{
	mctx_free(smfi_getpriv(ctx));
	return SMFIS_CONTINUE;
}

static sfsistat cb_close(SMFICTX *ctx)
{
	es_cctx *c = smfi_getpriv(ctx);

	if (c) {
		mctx_free(c);
		g_free(c->client_addr);
		g_free(c);
		smfi_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}

struct smfiDesc es_milter_desc = {
	.xxfi_name = "esafety-milter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = ES_ACTIONS,
	.xxfi_connect = cb_connect,
	.xxfi_envfrom = cb_envfrom,
	.xxfi_envrcpt = cb_envrcpt,
	.xxfi_header = cb_header,
	.xxfi_eoh = cb_eoh,
	.xxfi_body = cb_body,
	.xxfi_eom = cb_eom,
	.xxfi_abort = cb_abort,
	.xxfi_close = cb_close,
	.xxfi_negotiate = cb_negotiate,
};
