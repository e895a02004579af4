/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * auth.c: who may see the report.  Login with a name and a password
 * (Argon2id hashes made by hearsay-admin user), throttled per client
 * network, and per name and globally only for clients that failed
 * recently (see auth_login); sessions as 32 random bytes in a cookie, stored
 * only as their SHA-256; a CSRF token per session for every state
 * change; POSTs accepted only from this origin (Sec-Fetch-Site and
 * Origin), which also stops login CSRF.  Nothing a client can set other
 * than the session cookie says who it is.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "report.h"

#define SESSION_LIFETIME (12 * 3600)	/* seconds a session lasts at most */
#define SESSION_IDLE	(2 * 3600)	/* seconds of inactivity that end it */
#define LOGIN_TOKEN_SECS 3600		/* a login form is good this long */
#define THROTTLE_WINDOW	HS_LOGIN_WINDOW	/* seconds failures are remembered */
#define THROTTLE_CLIENT	5		/* a client's failures before 429 */
#define THROTTLE_NAME	5		/* a name's failures, all clients, that
					   throttle clients with a failure */
#define THROTTLE_GLOBAL	100		/* all failures that do the same */
#define PASSWORD_MAX	1024		/* bytes of a password considered */
#define LOGIN_MSG_MAX	256		/* bytes of a 400's message */

/* What the login template shows. */
struct loginview {
	char		 token[512];
	const char	*message;
	const char	*user;
};

/* Writes the hex SHA-256 of s. */
static void
sha256hex(const char *s, char out[RPT_SID_HEX + 1])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	hs_hex(h, sizeof(h), out);
}

/*
 * The CSRF token of a session: HMAC(hmac_key, "csrf" NUL secret), so
 * the stored secret itself never reaches a page.
 */
void
auth_csrf_token(const struct report *rp, const char *secret,
    char out[RPT_SID_HEX + 1])
{
	unsigned char	 mac[32];
	char		 msg[RPT_SID_HEX + 8];
	size_t		 n;

	memcpy(msg, "csrf", 5);	/* with its NUL */
	n = strlen(secret);
	if (n > RPT_SID_HEX)
		n = RPT_SID_HEX;
	memcpy(msg + 5, secret, n);
	hs_hmac(rp->conf.hmac_key, msg, 5 + n, mac);
	hs_hex(mac, sizeof(mac), out);
}

/*
 * Looks the request's session cookie up and fills s.  Returns 1 for a
 * live session, 0 for none (no cookie, malformed, unknown, expired,
 * idle too long, user disabled), -1 when the database cannot tell.
 */
int
auth_session(struct report *rp, struct hs_req *r, struct sess *s)
{
	const char	*tok;
	char		 secret[RPT_SID_HEX + 2];
	struct hs_dbparam p[2] = { HS_DBP_NULL, HS_DBP_INT(SESSION_IDLE) };
	struct hs_dbparam t[1] = { HS_DBP_NULL };
	struct hs_dbcol	 c[6] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, s->name, sizeof(s->name), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, secret, sizeof(secret), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	size_t		 i;
	int		 have = 0;

	memset(s, 0, sizeof(*s));
	if ((tok = hs_req_cookie(r, report_cookie_name(rp))) == NULL ||
	    strlen(tok) != RPT_SID_HEX)
		return 0;
	for (i = 0; i < RPT_SID_HEX; i++)
		if (strchr("0123456789abcdef", tok[i]) == NULL)
			return 0;
	sha256hex(tok, s->sid);
	p[0].type = HS_DB_TEXT;
	p[0].s = s->sid;
	p[0].sz = strlen(s->sid);
	if (hs_db_query(rp->ro, STMT_SESSION_GET, p, 2, c, 6) != HS_OK)
		return -1;
	if (hs_db_fetch(rp->ro, STMT_SESSION_GET, &have) != HS_OK)
		have = -1;
	hs_db_end(rp->ro, STMT_SESSION_GET);
	if (have != 1)
		return have;
	s->user_id = c[0].i;
	s->campaign = c[2].i;
	s->admin = c[5].i != 0;
	auth_csrf_token(rp, secret, s->csrf);
	sodium_memzero(secret, sizeof(secret));
	if (c[4].i) {
		/* Seen over a minute ago: move the idle clock on. */
		t[0] = p[0];
		if (hs_db_exec(rp->rw, STMT_SESSION_TOUCH, t, 1, NULL) !=
		    HS_OK)
			hs_log(HS_LOG_WARN, "session: last_seen not updated");
	}
	return 1;
}

/* The session's form token, sent with every form of the pages. */
static const struct hs_field csrf_field[] = {
	{ .name = "csrf", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD },
};

/*
 * Returns 1 if the form's csrf field is the session's token: sent once,
 * and equal.
 */
int
auth_csrf_ok(const struct sess *s, const struct hs_req *r)
{
	struct hs_fval	 v[1];
	struct hs_fbad	 bad;

	if (hs_field_parse(r->form, r->formsz, csrf_field, 1, 0, v, &bad) !=
	    HS_OK || !v[0].set)
		return 0;
	return hs_ct_equal(v[0].s, s->csrf);
}

static enum hs_err
login_cb(size_t key, const struct hs_out *o, void *arg)
{
	struct loginview *v = arg;

	switch (key) {
	case LKEY_TOKEN:
		return hs_html_puts(o, v->token);
	case LKEY_MESSAGE:
		if (v->message == NULL)
			return HS_OK;
		if (hs_html_raw(o, "<p class=\"error\" role=\"alert\">") !=
		    HS_OK || hs_html_puts(o, v->message) != HS_OK)
			return HS_EWRITE;
		return hs_html_raw(o, "</p>");
	case LKEY_USER:
		return hs_html_puts(o, v->user);
	default:
		return HS_EINVAL;
	}
}

/* Writes the login form with a fresh signed token and status code. */
static void
login_form(struct report *rp, struct hs_req *r, int code,
    const char *message, const char *user)
{
	struct loginview v;
	struct hs_buf	 b;
	char		 nonce[33];

	memset(&v, 0, sizeof(v));
	v.message = message;
	v.user = user != NULL ? user : "";
	hs_rand_hex(nonce, sizeof(nonce));
	hs_buf_init(&b, sizeof(v.token) - 1);
	if (hs_token_sign(rp->conf.hmac_key, "login", nonce,
	    (long long)time(NULL) + LOGIN_TOKEN_SECS, &b) != HS_OK) {
		hs_buf_free(&b);
		(void)hs_http_error(r, 500, "Something went wrong.");
		return;
	}
	(void)snprintf(v.token, sizeof(v.token), "%s", hs_buf_str(&b));
	hs_buf_free(&b);
	if (hs_http_open(r, code, "text/html") != HS_OK ||
	    r->method == HS_METHOD_HEAD)
		return;
	if (hs_tmpl_render(rp->tpl[TPL_LOGIN], &r->out, login_cb, &v) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "login: client went away");
}

/* GET /admin/login. */
void
auth_login_page(struct report *rp, struct hs_req *r)
{

	login_form(rp, r, 200, NULL, NULL);
}

/*
 * Runs one of the STMT_ATTEMPTS_* counts with its n parameters; when
 * retry is not NULL the second column is the seconds until the client
 * is clear again.  Returns the count, or -1.
 */
static long long
failures(struct report *rp, size_t stmt, struct hs_dbparam *p, size_t n,
    long long *retry)
{
	struct hs_dbcol	 c[2] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	int		 have = 0;

	if (hs_db_query(rp->rw, stmt, p, n, c, retry != NULL ? 2 : 1) !=
	    HS_OK)
		return -1;
	if (hs_db_fetch(rp->rw, stmt, &have) != HS_OK)
		have = -1;
	hs_db_end(rp->rw, stmt);
	if (have != 1)
		return -1;
	if (retry != NULL)
		*retry = c[1].i;
	return c[0].i;
}

/*
 * Whether this sign-in is throttled, and why (*why, for the log).  The
 * rule: a client network with THROTTLE_CLIENT failures in the window is
 * throttled for every name; a client with at least one failure is also
 * throttled while the name has THROTTLE_NAME failures from anywhere, or
 * the site THROTTLE_GLOBAL.  A client without recent failures is never
 * throttled, so nobody elsewhere can lock an analyst out by failing in
 * their name (the form token is free to fetch), while a guesser spread
 * over many networks gets one try per network and window once a name or
 * the site is under attack.  *retry is the seconds until this client's
 * newest failure leaves the window.  Returns 1, 0, or -1 for a database
 * error.
 */
static int
throttled(struct report *rp, const char *user, const char *client,
    long long *retry, const char **why)
{
	struct hs_dbparam pc[3] = { HS_DBP_INT(THROTTLE_WINDOW),
			    HS_DBP_TEXT(client), HS_DBP_INT(THROTTLE_WINDOW) };
	struct hs_dbparam pu[2] = { HS_DBP_TEXT(user),
			    HS_DBP_INT(THROTTLE_WINDOW) };
	struct hs_dbparam pg[2] = { HS_DBP_INT(THROTTLE_WINDOW),
			    HS_DBP_INT(THROTTLE_GLOBAL) };
	long long	 n;

	*why = NULL;
	if ((n = failures(rp, STMT_ATTEMPTS_CLIENT, pc, 3, retry)) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (n >= THROTTLE_CLIENT) {
		*why = "client";
		return 1;
	}
	if ((n = failures(rp, STMT_ATTEMPTS_USER, pu, 2, NULL)) < 0)
		return -1;
	if (n >= THROTTLE_NAME) {
		*why = "name";
		return 1;
	}
	if ((n = failures(rp, STMT_ATTEMPTS_ALL, pg, 2, NULL)) < 0)
		return -1;
	if (n >= THROTTLE_GLOBAL) {
		*why = "global";
		return 1;
	}
	return 0;
}

/*
 * Checks name and password.  Returns the user id, 0 for a wrong name or
 * password (the time is the same either way: an unknown or disabled
 * name is verified against a dummy hash), -1 for a database error.
 */
static long long
verify(struct report *rp, const char *name, const char *pw)
{
	char		 hash[160];
	struct hs_dbparam p[1] = { HS_DBP_TEXT(name) };
	struct hs_dbcol	 c[3] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, hash, sizeof(hash), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	int		 have = 0, ok;

	if (hs_db_query(rp->rw, STMT_USER_GET, p, 1, c, 3) != HS_OK)
		return -1;
	if (hs_db_fetch(rp->rw, STMT_USER_GET, &have) != HS_OK)
		have = -1;
	hs_db_end(rp->rw, STMT_USER_GET);
	if (have < 0)
		return -1;
	if (!have || c[2].i || c[1].truncated)
		snprintf(hash, sizeof(hash), "%s", rp->dummy_hash);
	ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	return have && ok && !c[2].i && !c[1].truncated ? c[0].i : 0;
}

/*
 * Opens a session for user id and sets its cookie.  Returns HS_OK or a
 * database error.
 */
static enum hs_err
open_session(struct report *rp, struct hs_req *r, long long uid)
{
	unsigned char	 raw[32];
	char		 tok[RPT_SID_HEX + 1], sid[RPT_SID_HEX + 1],
			 csrf[RPT_SID_HEX + 1], cookie[256];
	struct hs_dbparam p[4] = { HS_DBP_NULL, HS_DBP_INT(uid),
			    HS_DBP_NULL, HS_DBP_INT(SESSION_LIFETIME) };
	enum hs_err	 e;

	hs_rand_bytes(raw, sizeof(raw));
	hs_hex(raw, sizeof(raw), tok);
	sodium_memzero(raw, sizeof(raw));
	sha256hex(tok, sid);
	hs_rand_hex(csrf, sizeof(csrf));
	p[0].type = p[2].type = HS_DB_TEXT;
	p[0].s = sid;
	p[0].sz = strlen(sid);
	p[2].s = csrf;
	p[2].sz = strlen(csrf);
	if ((e = hs_db_exec(rp->rw, STMT_SESSION_ADD, p, 4, NULL)) != HS_OK)
		goto out;
	(void)snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict%s", report_cookie_name(rp), tok,
	    rp->secure ? "; Secure" : "");
	e = hs_http_header(r, "Set-Cookie", cookie);
out:
	sodium_memzero(tok, sizeof(tok));
	return e;
}

/* The sign-in form: all three must be sent, once, non-empty. */
enum { LOGIN_USER, LOGIN_PASSWORD, LOGIN_TOKEN, LOGIN__MAX };
static const struct hs_field login_fields[LOGIN__MAX] = {
	/* LOGIN_USER */
	{ .name = "user", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_REQUIRED,
	    .max = RPT_NAME_MAX, .label = "Name" },
	/* LOGIN_PASSWORD */
	{ .name = "password", .kind = HS_FIELD_TEXT,
	    .flags = HS_FIELD_REQUIRED, .max = PASSWORD_MAX,
	    .label = "Password" },
	/* LOGIN_TOKEN */
	{ .name = "token", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_REQUIRED,
	    .max = HS_MAX_FIELD, .label = "Form token" },
};

/*
 * Reads the sign-in form into v.  Returns 0, or -1 once answered: the
 * form's status for a body that cannot be read, 400 with the form again
 * and a message naming the field for a bad one.
 */
static int
login_read(struct report *rp, struct hs_req *r, struct hs_fval *v)
{
	struct hs_fbad	 bad;
	char		 msg[LOGIN_MSG_MAX];
	enum hs_err	 e;

	if ((e = hs_req_form(r)) != HS_OK) {
		(void)hs_http_error(r, hs_http_status_of(e),
		    "The form could not be read.");
		return -1;
	}
	if (hs_field_parse(r->form, r->formsz, login_fields, LOGIN__MAX, 0,
	    v, &bad) != HS_OK) {
		login_form(rp, r, 400, hs_field_msg(login_fields, LOGIN__MAX,
		    &bad, msg, sizeof(msg)), NULL);
		return -1;
	}
	return 0;
}

/*
 * POST /admin/login: user, password, token.  400 (the form again,
 * naming the field) for a malformed form, 403 for a bad or expired
 * form token, 429 with Retry-After when throttled() says so (even for
 * the right password), 401 with the form again for a wrong name or
 * password, else a session and 303 to the overview.
 */
void
auth_login(struct report *rp, struct hs_req *r)
{
	struct hs_fval	 v[LOGIN__MAX];
	const char	*user, *pw, *tok;
	char		 nonce[64], prefix[64], client[65], ra[24];
	const char	*why;
	long long	 retry = 1, uid;
	int		 t;
	struct hs_dbparam p[2] = { HS_DBP_NULL, HS_DBP_NULL };
	struct hs_dbparam gc[1] = { HS_DBP_INT(THROTTLE_WINDOW) };

	if (login_read(rp, r, v) != 0)
		return;
	user = v[LOGIN_USER].s;
	pw = v[LOGIN_PASSWORD].s;
	tok = v[LOGIN_TOKEN].s;
	if (hs_token_verify(rp->conf.hmac_key, "login", tok,
	    (long long)time(NULL), nonce, sizeof(nonce)) != HS_OK) {
		login_form(rp, r, 403, "The sign-in form had expired; please "
		    "try again.", user);
		return;
	}
	/* The network, not the address: privacy.c's pseudonymous hash. */
	if (r->remote_addr == NULL || hs_client_prefix(r->remote_addr,
	    prefix, sizeof(prefix)) != HS_OK)
		(void)snprintf(prefix, sizeof(prefix), "unknown");
	hs_client_hash(rp->conf.hmac_key, prefix, client);
	p[1].type = HS_DB_TEXT;
	p[1].s = client;
	p[1].sz = strlen(client);
	if ((t = throttled(rp, user, client, &retry, &why)) < 0)
		goto unavailable;
	if (t) {
		hs_log(HS_LOG_WARN, "login: throttled (%s)", why);
		(void)snprintf(ra, sizeof(ra), "%lld", retry > 0 ? retry : 1);
		if (hs_http_header(r, "Retry-After", ra) != HS_OK)
			return;
		login_form(rp, r, 429, "Too many failed sign-ins; please "
		    "wait a while before trying again.", user);
		return;
	}
	if ((uid = verify(rp, user, pw)) < 0)
		goto unavailable;
	if (uid == 0) {
		p[0].type = HS_DB_TEXT;
		p[0].s = user;
		p[0].sz = strlen(user);
		if (hs_db_exec(rp->rw, STMT_ATTEMPT_ADD, p, 2, NULL) != HS_OK)
			goto unavailable;
		rpt_ignore(hs_db_exec(rp->rw, STMT_ATTEMPTS_GC, gc, 1, NULL));
		hs_log(HS_LOG_INFO, "login: failed");
		login_form(rp, r, 401, "Wrong name or password.", user);
		return;
	}
	p[0].type = HS_DB_TEXT;
	p[0].s = user;
	p[0].sz = strlen(user);
	rpt_ignore(hs_db_exec(rp->rw, STMT_ATTEMPTS_CLEAR, p, 2, NULL));
	gc[0].i = SESSION_IDLE;
	rpt_ignore(hs_db_exec(rp->rw, STMT_SESSION_GC, gc, 1, NULL));
	if (open_session(rp, r, uid) != HS_OK)
		goto unavailable;
	hs_log(HS_LOG_INFO, "login: user %lld signed in", uid);
	rpt_ignore(hs_http_redirect(r, 303, "/admin/"));
	return;
unavailable:
	if (hs_http_header(r, "Retry-After", "5") == HS_OK)
		(void)hs_http_error(r, 503, "Sign-in is not available "
		    "right now; please try again shortly.");
}

/*
 * The answer once a session has ended: the browser's cookie cleared and
 * the way to the sign-in page (sign-out here, and "everywhere" on the
 * account page).
 */
void
auth_signed_out(struct report *rp, struct hs_req *r)
{
	char		 cookie[128];

	(void)snprintf(cookie, sizeof(cookie), "%s=; Path=/; Max-Age=0; "
	    "HttpOnly; SameSite=Strict%s", report_cookie_name(rp),
	    rp->secure ? "; Secure" : "");
	if (hs_http_header(r, "Set-Cookie", cookie) != HS_OK)
		return;
	rpt_ignore(hs_http_redirect(r, 303, "/admin/login"));
}

/* POST /admin/logout: ends the session here and in the browser. */
void
auth_logout(struct report *rp, struct hs_req *r, const struct sess *s)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(s->sid) };

	if (hs_db_exec(rp->rw, STMT_SESSION_DEL, p, 1, NULL) != HS_OK) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "Signing out failed; "
			    "please try again.");
		return;
	}
	auth_signed_out(rp, r);
}
