/* http.c - libmicrohttpd glue: read the request, check the session and the
 * CSRF token, route to a page, and send the answer with strict security
 * headers. Every route except login and the static files needs a session. */
#include "config.h"
#include "ui.h"
#include "log.h"

#include <string.h>
#include <errno.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gio/gio.h>
#include <sodium.h>

#define MAX_POST (1024 * 1024)

/* No inline script or style anywhere, nothing from other origins, no framing. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/* ui_arg - a query-string argument, or NULL */
const char *ui_arg(ui_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ui_field - a POST form field, or NULL */
const char *ui_field(ui_req *r, const char *name)
{
	return r->form ? g_hash_table_lookup(r->form, name) : NULL;
}

/* ui_redirect - 303 See Other to TO */
void ui_redirect(ui_resp *p, const char *to)
{
	p->status = 303;
	g_free(p->location);
	p->location = g_strdup(to);
}

/* ui_can_see_school - leads see only their school; admins all; governors only
 * reports (checked by the router), for their school or all */
gboolean ui_can_see_school(const ui_user *u, const char *school)
{
	return !u->school || (school && strcmp(u->school, school) == 0);
}

/* forwarded_for - the address a trusted proxy says it serves: the last
 * entry of X-Forwarded-For (the one the proxy itself added; those before it
 * are the client's word), into R->ip if it is a plain address */
static gboolean forwarded_for(ui_req *r)
{
	const char *xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *last = xff ? strrchr(xff, ',') : NULL;
	char addr[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];

	if (!xff)
		return FALSE;
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	g_strlcpy(addr, last, sizeof(addr));
	g_strchomp(addr);
	if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
		return FALSE;
	g_strlcpy(r->ip, addr, sizeof(r->ip));
	return TRUE;
}

/* client_ip - the peer address as text; behind a proxy listed in [ui]
 * trusted_proxies, the address it forwards for. Without that every login
 * through nginx would come from 127.0.0.1: one address for the login
 * throttle (anyone could lock everyone out) and for the audit log. */
static void client_ip(ui_req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	g_strlcpy(r->ip, "?", sizeof(r->ip));
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6
			    ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
			    r->ip, sizeof(r->ip), NULL, 0, NI_NUMERICHOST);
	r->https = r->ui->tls;
	if (r->ui->trusted_proxies && g_strv_contains((const char *const *)r->ui->trusted_proxies, r->ip)) {
		/* a proxy ending TLS says so: the cookies it passes on must then
		 * be Secure even without [ui] secure_cookies, or a browser would
		 * send them over the plain-HTTP redirect hop */
		const char *proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");

		r->https |= proto && g_ascii_strcasecmp(proto, "https") == 0;
		forwarded_for(r);
	}
}

/* serve_static - the UI's own CSS and JS, by a fixed list of names only */
static void serve_static(ui_req *r, ui_resp *p, const char *name)
{
	static const char *const files[][2] = {
		{ "ui.css", "text/css; charset=utf-8" },
		{ "ui.js", "text/javascript; charset=utf-8" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		char *path, *data;
		gsize len;

		if (strcmp(name, files[i][0]) != 0)
			continue;
		path = g_build_filename(r->ui->static_dir, name, NULL);
		if (g_file_get_contents(path, &data, &len, NULL)) {
			g_string_append_len(p->body, data, (gssize)len);
			p->ctype = files[i][1];
			g_free(data);
		} else
			ui_error_page(r, p, 404, "Static file missing from the installation.");
		g_free(path);
		return;
	}
	ui_error_page(r, p, 404, "No such page.");
}

/* route_incident - /incident/ID[/ACTION[/N]] */
static void route_incident(ui_req *r, ui_resp *p, const char *rest, gboolean post)
{
	char **seg = g_strsplit(rest, "/", 4);
	guint n = g_strv_length(seg);
	const char *id = seg[0];

	if (!ui_valid_id(id) || n > 3)
		ui_error_page(r, p, 404, "No such incident.");
	else if (n == 1 && !post)
		ui_page_incident(r, p, id);
	else if (n == 2 && post && strcmp(seg[1], "decision") == 0)
		ui_page_decision(r, p, id);
	else if (n == 2 && strcmp(seg[1], "release") == 0)
		ui_page_release(r, p, id);
	else if (n == 2 && strcmp(seg[1], "delete") == 0)
		ui_page_delete(r, p, id);
	else if (n == 3 && !post && strcmp(seg[1], "attachment") == 0)
		ui_page_attachment(r, p, id, seg[2]);
	else
		ui_error_page(r, p, 404, "No such page.");
	g_strfreev(seg);
}

/* route - pick the page for a request that has passed the session and CSRF checks */
static void route(ui_req *r, ui_resp *p, gboolean post)
{
	const char *path = r->path;
	gboolean governor = strcmp(r->user->role, "governor") == 0;

	if (strcmp(path, "/logout") == 0 && post)
		ui_page_logout(r, p);
	else if (strcmp(path, "/report") == 0 && !post)
		ui_page_report(r, p);
	else if (governor && (strcmp(path, "/") == 0 || strcmp(path, "/export.csv") == 0 ||
			      strcmp(path, "/audit") == 0 || g_str_has_prefix(path, "/incident/")))
		ui_error_page(r, p, 403, "Governors see the anonymised reports only.");
	else if (strcmp(path, "/") == 0 && !post)
		ui_page_inbox(r, p);
	else if (strcmp(path, "/export.csv") == 0 && !post)
		ui_page_export(r, p);
	else if (strcmp(path, "/audit") == 0 && !post)
		ui_page_audit(r, p);
	else if (g_str_has_prefix(path, "/incident/"))
		route_incident(r, p, path + strlen("/incident/"), post);
	else
		ui_error_page(r, p, 404, "No such page.");
}

/* session_from_cookie - load the user of the request's session cookie */
static void session_from_cookie(ui_req *r)
{
	const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "esq_session");

	if (tok && strlen(tok) == 64)
		r->user = ui_session_get(r->ui, tok, &r->session, &r->csrf);
}

/* csrf_ok - the POST carries the session's CSRF token (constant-time compare) */
static gboolean csrf_ok(ui_req *r)
{
	const char *t = ui_field(r, "csrf");

	return t && r->csrf && strlen(t) == strlen(r->csrf) &&
	       sodium_memcmp(t, r->csrf, strlen(t)) == 0;
}

/* dispatch - everything between "request read" and "response ready" */
static void dispatch(ui_req *r, ui_resp *p)
{
	gboolean post = strcmp(r->method, "POST") == 0;

	if (!post && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		ui_error_page(r, p, 405, "Method not allowed.");
		return;
	}
	if (g_str_has_prefix(r->path, "/static/") && !post) {
		serve_static(r, p, r->path + strlen("/static/"));
		return;
	}
	if (strcmp(r->path, "/favicon.ico") == 0) {
		ui_error_page(r, p, 404, "No icon.");
		return;
	}
	if (strcmp(r->path, "/login") == 0) {
		if (post)
			ui_page_login_post(r, p);
		else
			ui_page_login(r, p);
		return;
	}
	session_from_cookie(r);
	if (!r->user)
		ui_redirect(p, "/login");
	else if (post && !csrf_ok(r))
		ui_error_page(r, p, 403, "The form had no valid CSRF token. Reload the page and try again.");
	else
		route(r, p, post);
	/* a logged-in user refused (another school's incident, a governor off
	 * the reports, a form without its CSRF token): probing is what the
	 * audit log is for. Refused logins are audited by the login page. */
	if (r->user && p->status == 403 && !p->audited) {
		char *id = g_str_has_prefix(r->path, "/incident/") ? g_strndup(r->path + 10, 16) : NULL;

		ui_audit(r->ui, r->user->name, r->ip, "denied", id && ui_valid_id(id) ? id : NULL, "%s %s: %s",
			 r->method, r->path, p->error ? p->error : "refused");
		g_free(id);
	}
}

/* add_headers - security headers on every response */
static void add_headers(ui_state *ui, struct MHD_Response *resp, ui_resp *p)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (ui->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(resp, "Content-Type", p->ctype ? p->ctype : "text/html; charset=utf-8");
	if (p->location)
		MHD_add_response_header(resp, "Location", p->location);
	for (int i = 0; i < 2; i++)
		if (p->cookie[i])
			MHD_add_response_header(resp, "Set-Cookie", p->cookie[i]);
	if (p->filename) {
		char *cd = g_strdup_printf("attachment; filename=\"%s\"", p->filename);

		MHD_add_response_header(resp, "Content-Disposition", cd);
		g_free(cd);
	}
}

/* answer - run the page and queue its response */
static enum MHD_Result answer(ui_req *r)
{
	ui_resp p = { .status = 200, .body = g_string_new(NULL) };
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->post && r->post->len > MAX_POST)
		ui_error_page(r, &p, 413, "Request too large.");
	else {
		r->form = r->post ? ui_form_parse(r->post->str) : NULL;
		dispatch(r, &p);
	}
	resp = MHD_create_response_from_buffer(p.body->len, p.body->str, MHD_RESPMEM_MUST_COPY);
	add_headers(r->ui, resp, &p);
	ret = MHD_queue_response(r->conn, p.status, resp);
	MHD_destroy_response(resp);
	g_string_free(p.body, TRUE);
	g_free(p.location);
	g_free(p.cookie[0]);
	g_free(p.cookie[1]);
	g_free(p.filename);
	g_free(p.error);
	return ret;
}

/* handler - MHD calls this first with no body, then per body chunk, then to answer */
static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *data,
			       size_t *size, void **ctx)
{
	ui_req *r = *ctx;

	if (!r) {
		r = g_new0(ui_req, 1);
		r->ui = cls;
		r->conn = conn;
		r->method = method;
		r->path = url;
		if (strcmp(method, "POST") == 0)
			r->post = g_string_new(NULL);
		client_ip(r);
		*ctx = r;
		return MHD_YES;
	}
	if (*size) {
		if (r->post && r->post->len <= MAX_POST)
			g_string_append_len(r->post, data, (gssize)*size);
		*size = 0;
		return MHD_YES;
	}
	return answer(r);
}

/* completed - free the request once MHD is done with it */
static void completed(void *cls, struct MHD_Connection *conn, void **ctx,
		      enum MHD_RequestTerminationCode why)
{
	ui_req *r = *ctx;

	if (!r)
		return;
	if (r->post)
		g_string_free(r->post, TRUE);
	if (r->form)
		g_hash_table_unref(r->form);
	ui_user_free(r->user);
	g_free(r->session);
	g_free(r->csrf);
	g_free(r);
	*ctx = NULL;
}

/* parse_listen - "HOST:PORT" or "[V6]:PORT" into SA */
static gboolean parse_listen(const char *s, struct sockaddr_storage *sa, GError **err)
{
	const char *colon = strrchr(s, ':');
	char *host = colon ? g_strndup(s, colon - s) : NULL, *h = host;
	guint64 port = 0;
	gboolean good = colon && g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL);

	memset(sa, 0, sizeof(*sa));
	if (good && h[0] == '[' && h[strlen(h) - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;

		h[strlen(h) - 1] = 0;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((guint16)port);
		good = inet_pton(AF_INET6, h + 1, &a6->sin6_addr) == 1;
	} else if (good) {
		struct sockaddr_in *a4 = (struct sockaddr_in *)sa;

		a4->sin_family = AF_INET;
		a4->sin_port = htons((guint16)port);
		good = inet_pton(AF_INET, h, &a4->sin_addr) == 1;
	}
	g_free(host);
	if (!good)
		g_set_error(err, ES_CONF_ERROR, 0, "[ui] listen: '%s' is not ADDRESS:PORT", s);
	return good;
}

/* ui_http_bind - open the listening socket (before privileges are dropped); -1 and *err */
int ui_http_bind(ui_state *ui, GError **err)
{
	struct sockaddr_storage sa;
	const char *listen_on = es_conf_string(ui->conf, "ui", "listen");
	int fd, one = 1;

	if (!parse_listen(listen_on, &sa, err))
		return -1;
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sa.ss_family == AF_INET6 ?
			   sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) != 0 ||
	    listen(fd, 64) != 0) {
		g_set_error(err, G_IO_ERROR, g_io_error_from_errno(errno), "cannot listen on %s: %s",
			    listen_on, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* ui_http_tls_read - the certificate and key of [ui] tls_cert/tls_key, read
 * while still root (a key is often root's alone); both NULL without TLS */
gboolean ui_http_tls_read(ui_state *ui, char **certpem, char **keypem, GError **err)
{
	const char *cert = es_conf_string(ui->conf, "ui", "tls_cert");
	const char *keyf = es_conf_string(ui->conf, "ui", "tls_key");

	GError *e = NULL;

	*certpem = *keypem = NULL;
	if ((!cert || !*cert) && (!keyf || !*keyf))
		return TRUE;
	if (!cert || !*cert || !keyf || !*keyf) {
		gboolean has_cert = cert && *cert;

		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "[ui] tls_cert and tls_key go together: %s is set, %s is not",
			    has_cert ? "tls_cert" : "tls_key", has_cert ? "tls_key" : "tls_cert");
		return FALSE;
	}
	if (!g_file_get_contents(cert, certpem, NULL, &e) || !g_file_get_contents(keyf, keypem, NULL, &e)) {
		g_set_error(err, e->domain, e->code, "[ui] %s: %s", *certpem ? "tls_key" : "tls_cert", e->message);
		g_error_free(e);
		g_clear_pointer(certpem, g_free);
		return FALSE;
	}
	return TRUE;
}

/* ui_http_start - serve on FD (one internal thread: pages run one at a time,
 * so they can share the one SQLite connection). TLS with CERTPEM and KEYPEM
 * (ui_http_tls_read), which it wipes and frees. */
struct MHD_Daemon *ui_http_start(ui_state *ui, int fd, char *certpem, char *keypem, GError **err)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (certpem ? MHD_USE_TLS : 0);
	struct MHD_Daemon *d;

	d = MHD_start_daemon(flags, 0, NULL, NULL, handler, ui,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, ui,
			     MHD_OPTION_CONNECTION_TIMEOUT, 60u,
			     certpem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, certpem,
			     MHD_OPTION_HTTPS_MEM_KEY, keypem, MHD_OPTION_END);
	if (keypem)
		sodium_memzero(keypem, strlen(keypem));
	g_free(certpem);
	g_free(keypem);
	if (!d)
		g_set_error(err, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot start the HTTP server on %s%s",
			    es_conf_string(ui->conf, "ui", "listen"), ui->tls && *es_conf_string(ui->conf, "ui", "tls_cert")
			    ? " (check the TLS certificate and key)" : "");
	return d;
}
