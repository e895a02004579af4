/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_account.c: /admin/account, where every user changes their
 * password and ends every session of theirs.  Each change is a unit
 * with its audit row, keyed by the form's nonce as the manage page's
 * (manage.c); passwords are never written back into the page.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "manage.h"

#define PASSWORD_MIN	12	/* bytes, as hearsay-admin user add */
#define PASSWORD_MAX	256

struct aview {
	const struct sess *s;
	const char	*msg;		/* an error, or NULL */
	const char	*done;		/* a notice, or NULL */
};

static enum hs_err
account_body(const struct hs_out *o, void *arg)
{
	struct aview	*av = arg;
	struct hw	 w;

	hw_init(&w, o);
	hw_raw(&w, "<h1>Your account</h1>\n<p>Signed in as ");
	hw_elem(&w, "strong", av->s->name, (char *)NULL);
	hw_raw(&w, av->s->admin ? " (admin: may manage the program).</p>\n" :
	    " (analyst: may read and review).</p>\n");
	if (av->done != NULL) {
		hw_elem(&w, "p", av->done, "class", "notice", "role", "status",
		    (char *)NULL);
		hw_raw(&w, "\n");
	}
	hw_raw(&w, "<section aria-labelledby=\"h-pw\"><h2 id=\"h-pw\">Change "
	    "your password</h2>\n");
	if (av->msg != NULL) {
		hw_elem(&w, "p", av->msg, "class", "error", "role", "alert",
		    "id", "pw-error", (char *)NULL);
		hw_raw(&w, "\n");
	}
	hw_raw(&w, "<form method=\"post\" action=\"/admin/account/save\" "
	    "class=\"manage\" id=\"form-password\">");
	manage_hidden(&w, av->s);
	hw_raw(&w, "<input type=\"hidden\" name=\"op\" value=\"password\">"
	    "<p><label for=\"pw-old\">Current password</label><input "
	    "type=\"password\" id=\"pw-old\" name=\"current\" "
	    "autocomplete=\"current-password\" required></p>"
	    "<p><label for=\"pw-new\">New password</label><input "
	    "type=\"password\" id=\"pw-new\" name=\"new\" "
	    "autocomplete=\"new-password\" required minlength=\""
	    RPT_STR(PASSWORD_MIN) "\" aria-describedby=\"pw-hint\"><span "
	    "class=\"hint\" id=\"pw-hint\">at least " RPT_STR(PASSWORD_MIN)
	    " characters</span></p>"
	    "<p><label for=\"pw-again\">New password again</label><input "
	    "type=\"password\" id=\"pw-again\" name=\"again\" "
	    "autocomplete=\"new-password\" required></p>"
	    "<p><button type=\"submit\">Change password</button></p>"
	    "</form>\n<p class=\"muted\">Changing it signs out your other "
	    "sessions.</p></section>\n");
	hw_raw(&w, "<section aria-labelledby=\"h-out\"><h2 id=\"h-out\">Sign "
	    "out everywhere</h2>\n<p>Ends every session of yours, on every "
	    "device, this one too.</p><form method=\"post\" "
	    "action=\"/admin/account/save\" class=\"manage\" "
	    "id=\"form-signout\">");
	manage_hidden(&w, av->s);
	hw_raw(&w, "<input type=\"hidden\" name=\"op\" value=\"signout\">"
	    "<button type=\"submit\">Sign out everywhere</button></form>"
	    "</section>\n");
	return w.e;
}

static void
account_render(struct report *rp, struct hs_req *r, const struct sess *s,
    int code, const char *msg, const char *done)
{
	struct aview	 av = { s, msg, done };

	if (page_render(rp, r, code, s, "Your account", account_body, &av) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "account: page not sent in full");
}

/* A password change or a sign-out everywhere, for its unit. */
struct acct {
	const struct sess *s;
	const char	*op;
	const char	*nonce;
	const char	*hash;		/* the new hash, for password */
	int		 replay;
};

static enum hs_err
acct_unit(struct hs_db *db, void *arg)
{
	struct acct	*a = arg;
	struct hs_dbparam p[5];
	enum hs_err	 e;
	int		 pw = strcmp(a->op, "password") == 0;

	a->replay = 0;
	p[0] = manage_ptext(a->s->name);
	p[1] = manage_ptext(pw ? "user.password" : "user.signout");
	p[2] = manage_ptext(a->s->name);
	p[3] = (struct hs_dbparam)HS_DBP_NULL;
	p[4] = manage_ptext(a->nonce);
	if ((e = hs_db_exec(db, M_AUDIT_ADD, p, 5, NULL)) == HS_EDUP)
		a->replay = 1;
	if (e != HS_OK)
		return e;
	p[0] = manage_ptext(a->hash);
	p[1] = (struct hs_dbparam)HS_DBP_INT(a->s->user_id);
	if (pw && (e = hs_db_exec(db, M_PW_SET, p, 2, NULL)) != HS_OK)
		return e;
	p[0] = (struct hs_dbparam)HS_DBP_INT(a->s->user_id);
	p[1] = manage_ptext(a->s->sid);
	return hs_db_exec(db, pw ? M_SESS_OTHERS : M_SESS_ALL, p, pw ? 2 : 1,
	    NULL);
}

/* Checks the current password of the session's user: 1, 0, -1. */
static int
pw_check(struct hs_db *db, const struct sess *s, const char *pw)
{
	char		 hash[160];
	struct hs_dbparam p[1] = { HS_DBP_INT(s->user_id) };
	struct hs_dbcol	 c[1] = { HS_DBC_TEXT(hash) };
	int		 have = 0, ok;

	if (hs_db_row(db, M_PW_GET, p, 1, c, 1, &have) != HS_OK)
		return -1;
	if (!have || c[0].truncated)
		return 0;
	ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	sodium_memzero(hash, sizeof(hash));
	return ok;
}

/*
 * The fields of a password change: the current one, and the new one
 * typed twice (its length checked below, to say the rule).
 */
enum { PW_CUR, PW_NEW, PW_AGAIN, PW__MAX };
static const struct hs_field pw_fields[PW__MAX] = {
	/* PW_CUR */
	{ .name = "current", .kind = HS_FIELD_TEXT, .max = PASSWORD_MAX,
	    .label = "Current password" },
	/* PW_NEW */
	{ .name = "new", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "New password" },
	/* PW_AGAIN */
	{ .name = "again", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "New password again" },
};

/*
 * op password: the current password checked and the new one, typed
 * twice, hashed into hash (crypto_pwhash_STRBYTES).  Returns 1, or 0
 * after answering with the form again (400, 403) or 503.
 */
static int
pw_new(struct report *rp, struct hs_req *r, const struct sess *s,
    struct hs_db *db, char *hash)
{
	struct hs_fval	 v[PW__MAX];
	struct hs_fbad	 bad;
	const char	*cur, *nw, *again;
	int		 ok;

	if (hs_field_parse(r->form, r->formsz, pw_fields, PW__MAX, 0, v,
	    &bad) != HS_OK || !v[PW_CUR].set || !v[PW_NEW].set ||
	    !v[PW_AGAIN].set) {
		account_render(rp, r, s, 400, "Please fill in the three "
		    "fields.", NULL);
		return 0;
	}
	cur = v[PW_CUR].s;
	nw = v[PW_NEW].s;
	again = v[PW_AGAIN].s;
	if ((ok = pw_check(db, s, cur)) < 0) {
		manage_unavailable(r);
		return 0;
	}
	if (!ok) {
		account_render(rp, r, s, 403, "The current password is "
		    "wrong.", NULL);
		return 0;
	}
	if (strlen(nw) < PASSWORD_MIN || strlen(nw) > PASSWORD_MAX ||
	    !hs_utf8_valid(nw, strlen(nw))) {
		account_render(rp, r, s, 400, "The new password must be 12 "
		    "to 256 bytes of text.", NULL);
		return 0;
	}
	if (strcmp(nw, again) != 0) {
		account_render(rp, r, s, 400, "The two new passwords differ.",
		    NULL);
		return 0;
	}
	if (crypto_pwhash_str(hash, nw, strlen(nw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		manage_unavailable(r);
		return 0;
	}
	return 1;
}

/*
 * After a password change, 303 to the account page; after a sign-out
 * everywhere, this session's cookie cleared and 303 to the login.
 */
static void
account_done(struct report *rp, struct hs_req *r, const struct sess *s,
    const char *op)
{

	if (strcmp(op, "password") == 0) {
		hs_log(HS_LOG_INFO, "account: user %lld changed the password",
		    s->user_id);
		rpt_ignore(hs_http_redirect(r, 303, "/admin/account?done=1"));
		return;
	}
	hs_log(HS_LOG_INFO, "account: user %lld signed out everywhere",
	    s->user_id);
	auth_signed_out(rp, r);
}

/* The account forms' change and nonce; ?done=1 after a new password. */
enum { AF_OP, AF_ONCE, AF__MAX };
static const char *const acct_ops[] = { "password", "signout", NULL };
static const struct hs_field acct_fields[AF__MAX] = {
	/* AF_OP */
	{ .name = "op", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_REQUIRED,
	    .list = acct_ops, .label = "Change" },
	/* AF_ONCE */
	RPT_ONCE_FIELD,
};
static const struct hs_field done_field[1] = {
	{ .name = "done", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
};

/*
 * GET /admin/account: change the password, sign out everywhere.
 * POST /admin/account/save: op password (current, new, again) or
 * signout.  Passwords are never written back into the page.
 */
void
account_page(struct report *rp, struct hs_req *r, const struct sess *s,
    int save)
{
	struct hs_fval	 v[AF__MAX];
	struct hs_fbad	 bad;
	struct hs_db	*db;
	struct acct	 a;
	const char	*op;
	char		 hash[crypto_pwhash_STRBYTES];
	enum hs_err	 e;

	if (!save) {
		/* done is lax: the parse cannot fail. */
		rpt_ignore(hs_field_parse(r->qv, r->qvsz, done_field, 1, 0, v,
		    &bad));
		account_render(rp, r, s, 200, NULL, v[0].set ? "Your "
		    "password is changed; your other sessions are signed "
		    "out." : NULL);
		return;
	}
	/* Hidden fields: a bad one is a page to reload. */
	if (hs_field_parse(r->form, r->formsz, acct_fields, AF__MAX, 0, v,
	    &bad) != HS_OK) {
		(void)hs_http_error(r, 400, "The form could not be read; "
		    "reload the page and try again.");
		return;
	}
	op = acct_ops[v[AF_OP].i];
	if ((db = manage_db(rp)) == NULL) {
		manage_unavailable(r);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.s = s;
	a.op = op;
	a.nonce = v[AF_ONCE].s;
	hash[0] = '\0';
	if (strcmp(op, "password") == 0) {
		if (!pw_new(rp, r, s, db, hash))
			return;
		a.hash = hash;
	}
	e = hs_db_unit(db, acct_unit, &a);
	sodium_memzero(hash, sizeof(hash));
	if (e != HS_OK && !(e == HS_EDUP && a.replay)) {
		manage_unavailable(r);
		return;
	}
	account_done(rp, r, s, op);
}
