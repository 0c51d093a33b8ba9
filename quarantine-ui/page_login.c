/* page_login.c - logging in and out. The login form has its own CSRF token
 * (a cookie and a field that must match), so no one can log a browser in
 * to an account of theirs without it knowing. */
#include "config.h"
#include "ui.h"

#include <string.h>
#include <sodium.h>

/* cookie - a Set-Cookie value: HttpOnly, SameSite=Strict, Secure under TLS
 * (ours, or a trusted proxy's) */
static char *cookie(ui_req *r, const char *name, const char *value, gint64 max_age)
{
	return g_strdup_printf("%s=%s; Path=/; Max-Age=%" G_GINT64_FORMAT "; HttpOnly; SameSite=Strict%s",
			       name, value, max_age, r->https ? "; Secure" : "");
}

/* login_form - the form, with MSG above it when a login failed */
static void login_form(ui_req *r, ui_resp *p, const char *msg)
{
	const char *have = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "esq_login");
	unsigned char b[32];
	char tok[65];
	GString *o = p->body;

	/* keep a token the browser already has: a second tab (or the favicon
	 * request) must not invalidate the form in the first */
	if (have && strlen(have) == 64 && strspn(have, "0123456789abcdef") == 64)
		g_strlcpy(tok, have, sizeof(tok));
	else {
		randombytes_buf(b, sizeof(b));
		sodium_bin2hex(tok, sizeof(tok), b, sizeof(b));
	}
	p->cookie[0] = cookie(r, "esq_login", tok, 3600);
	ui_page_start(r, p, "Log in");
	if (msg) {
		g_string_append(o, "<p class=\"error\" id=\"login-error\">");
		ui_esc(o, msg);
		g_string_append(o, "</p>");
	}
	g_string_append_printf(o, "<form class=\"login\" method=\"post\" action=\"/login\">"
		"<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		"<label>Name <input name=\"user\" id=\"user\" autocomplete=\"username\" required></label>"
		"<label>Password <input name=\"password\" id=\"password\" type=\"password\""
		" autocomplete=\"current-password\" required></label>"
		"<button type=\"submit\" id=\"login\">Log in</button></form>", tok);
	ui_page_end(p);
}

/* ui_page_login - GET /login */
void ui_page_login(ui_req *r, ui_resp *p)
{
	login_form(r, p, NULL);
}

/* ui_page_login_post - POST /login: check the login CSRF pair, throttle, password */
void ui_page_login_post(ui_req *r, ui_resp *p)
{
	const char *pre = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "esq_login");
	const char *tok = ui_field(r, "csrf"), *name = ui_field(r, "user");
	const char *pw = ui_field(r, "password");
	gboolean throttled = FALSE, locked_now = FALSE;
	ui_user *u;
	char *token, *csrf;

	if (!pre || !tok || strlen(pre) != 64 || strlen(tok) != 64 || sodium_memcmp(pre, tok, 64) != 0) {
		ui_error_page(r, p, 403, "The login form had no valid CSRF token. Reload the page and try again.");
		return;
	}
	if (!name || !pw || !*name) {
		p->status = 401;
		login_form(r, p, "Enter your name and password.");
		return;
	}
	/* no account name is this long: refused before it is hashed, counted
	 * or written to the audit log, which it could otherwise fill */
	if (strlen(name) > UI_MAX_NAME || strlen(pw) > UI_MAX_PASSWORD) {
		p->status = 401;
		login_form(r, p, "That name or password is too long.");
		return;
	}
	u = ui_user_check(r->ui, name, pw, r->ip, &throttled, &locked_now);
	if (!u) {
		/* a try while locked out is refused before any password is
		 * checked: not audited, or anyone could fill the audit log at
		 * no cost. The failure that locked it out says so. */
		if (!throttled)
			ui_audit(r->ui, name, r->ip, "login-failed", NULL, "%s", locked_now
				 ? "wrong name or password; this name from this address, or this address, is now"
				   " locked out for [ui] login_lockout" : "wrong name or password");
		p->status = throttled ? 429 : 401;
		login_form(r, p, throttled ? "Too many failed logins. Wait a while and try again."
					   : "Wrong name or password.");
		return;
	}
	token = ui_session_new(r->ui, u->name, &csrf);
	p->cookie[0] = cookie(r, "esq_session", token, r->ui->session_s);
	p->cookie[1] = cookie(r, "esq_login", "", 0);
	ui_audit(r->ui, u->name, r->ip, "login", NULL, "role %s", u->role);
	ui_redirect(p, strcmp(u->role, "governor") == 0 ? "/report" : "/");
	sodium_memzero(token, strlen(token));
	g_free(token);
	g_free(csrf);
	ui_user_free(u);
}

/* ui_page_logout - POST /logout: end the session and clear the cookie */
void ui_page_logout(ui_req *r, ui_resp *p)
{
	ui_session_end(r->ui, r->session);
	ui_audit(r->ui, r->user->name, r->ip, "logout", NULL, "%s", "");
	p->cookie[0] = cookie(r, "esq_session", "", 0);
	ui_redirect(p, "/login");
}
