/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * users.c: analyst accounts for hearsay-report.  "hearsay-admin user
 * add|list|passwd|remove" and the demo analyst.  Passwords are read from
 * standard input (never from the command line, where ps would show
 * them) and stored as libsodium crypto_pwhash_str strings: Argon2id at
 * the INTERACTIVE limits, salted, self-describing, so the limits can be
 * raised later without a schema change.  Changing a password or removing
 * a user ends every session of that user.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define USER_NAME_MAX	64	/* bytes in a user name (users.name) */
#define PASSWORD_MIN	12	/* bytes: short passwords are refused */
#define PASSWORD_MAX	256	/* bytes read for a password */

/*
 * The demo analyst of `hearsay-admin demo` (README).  It is a published
 * password: the demo stack is for trying hearsay on one machine only.
 */
#define DEMO_USER	"analyst"
#define DEMO_PASSWORD	"hearsay-demo-analyst"
#define DEMO_ADMIN	"admin"		/* may also manage (issue 18) */
#define DEMO_ADMIN_PW	"hearsay-demo-admin"

enum stmt {
	STMT_CAMPAIGN,
	STMT_ADD,
	STMT_LIST,
	STMT_PASSWD,
	STMT_SESSIONS_END,
	STMT_REMOVE,
	STMT_HAS,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* STMT_CAMPAIGN: by slug, or by id written in decimal. */
	"SELECT id FROM campaigns WHERE slug = ? OR CAST(id AS CHAR) = ?",
	/* STMT_ADD */
	"INSERT INTO users (name, pw_hash, role, campaign_id) "
	    "VALUES (?, ?, ?, ?)",
	/* STMT_LIST */
	"SELECT u.name, u.role, COALESCE(c.slug, '*'), u.disabled, "
	    "DATE_FORMAT(u.created_at, '%Y-%m-%d %H:%i'), "
	    "(SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND "
	    "s.expires_at > UTC_TIMESTAMP()) "
	    "FROM users u LEFT JOIN campaigns c ON c.id = u.campaign_id "
	    "ORDER BY u.name",
	/* STMT_PASSWD */
	"UPDATE users SET pw_hash = ?, disabled = 0 WHERE name = ?",
	/* STMT_SESSIONS_END */
	"DELETE s FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE u.name = ?",
	/* STMT_REMOVE */
	"DELETE FROM users WHERE name = ?",
	/* STMT_HAS */
	"SELECT COUNT(*) FROM users WHERE name = ?",
};

/*
 * Returns 1 if name is a usable login name: 1 to USER_NAME_MAX bytes of
 * [A-Za-z0-9._@-], so it is the same in every log and form.
 */
static int
valid_name(const char *name)
{
	size_t	 n = strlen(name);

	return n > 0 && n <= USER_NAME_MAX && strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@-") == n;
}

/*
 * Reads one line from standard input into pw (echo off on a terminal).
 * Returns 0, or -1 with a message for a short, overlong or non-UTF-8
 * password.
 */
static int
read_password(char *pw, size_t sz)
{
	struct termios	 t, saved = { 0 };
	int		 tty = isatty(STDIN_FILENO), rc = -1;
	size_t		 n;

	if (tty) {
		fprintf(stderr, "Password: ");
		if (tcgetattr(STDIN_FILENO, &saved) == 0) {
			t = saved;
			t.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
		} else
			tty = 0;
	}
	if (fgets(pw, (int)sz, stdin) == NULL) {
		warnx("no password on standard input");
		goto out;
	}
	n = strcspn(pw, "\r\n");
	if (pw[n] == '\0' && n == sz - 1) {
		warnx("password longer than %d bytes", PASSWORD_MAX - 2);
		goto out;
	}
	pw[n] = '\0';
	if (n < PASSWORD_MIN) {
		warnx("password shorter than %d bytes", PASSWORD_MIN);
		goto out;
	}
	if (!hs_utf8_valid(pw, n)) {
		warnx("password is not valid UTF-8");
		goto out;
	}
	rc = 0;
out:
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	return rc;
}

/*
 * Hashes pw into out (crypto_pwhash_STRBYTES).  Returns 0, or -1 when
 * the memory the KDF needs cannot be had.
 */
static int
hash_password(const char *pw, char out[crypto_pwhash_STRBYTES])
{

	if (crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		warnx("password hashing failed (out of memory)");
		return -1;
	}
	return 0;
}

/*
 * Adds user name with password pw, limited to campaign (slug or id, or
 * NULL for all).  Returns an exit status; a user who exists is a
 * failure, reported.
 */
static int
add_user(struct hs_db *db, const char *name, const char *pw,
    const char *role, const char *campaign)
{
	char		 hash[crypto_pwhash_STRBYTES];
	struct hs_dbparam p[4] = { HS_DBP_TEXT(name), HS_DBP_NULL,
			    HS_DBP_TEXT(role), HS_DBP_NULL };
	struct hs_dbparam cp[2] = { HS_DBP_TEXT(campaign),
			    HS_DBP_TEXT(campaign) };
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	enum hs_err	 e;
	int		 have = 0;

	if (campaign != NULL) {
		if (hs_db_query(db, STMT_CAMPAIGN, cp, 2, &col, 1) != HS_OK ||
		    hs_db_fetch(db, STMT_CAMPAIGN, &have) != HS_OK) {
			warnx("cannot read campaigns");
			return ADM_FAIL;
		}
		hs_db_end(db, STMT_CAMPAIGN);
		if (!have) {
			warnx("%s: no such campaign", campaign);
			return ADM_FAIL;
		}
		p[3].type = HS_DB_INT;
		p[3].i = col.i;
	}
	if (hash_password(pw, hash) != 0)
		return ADM_FAIL;
	p[1].type = HS_DB_TEXT;
	p[1].s = hash;
	p[1].sz = strlen(hash);
	if ((e = hs_db_exec(db, STMT_ADD, p, 4, NULL)) != HS_OK) {
		if (e == HS_EDUP)
			warnx("%s: user exists", name);
		else
			warnx("%s: %s", name, hs_strerror(e));
		return ADM_FAIL;
	}
	return ADM_OK;
}

/* Prints every user, one per line.  Returns an exit status. */
static int
list_users(struct hs_db *db)
{
	char		 name[USER_NAME_MAX + 1], role[16], camp[65],
			 created[32];
	struct hs_dbcol	 c[6] = {
		{ HS_DB_TEXT, 0, name, sizeof(name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, role, sizeof(role), 0, 0, 0 },
		{ HS_DB_TEXT, 0, camp, sizeof(camp), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, created, sizeof(created), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	int		 have;

	if (hs_db_query(db, STMT_LIST, NULL, 0, c, 6) != HS_OK) {
		warnx("cannot read users");
		return ADM_FAIL;
	}
	printf("%-24s %-8s %-16s %-8s %-16s %s\n", "NAME", "ROLE",
	    "CAMPAIGN", "STATE", "CREATED", "SESSIONS");
	while (hs_db_fetch(db, STMT_LIST, &have) == HS_OK && have)
		printf("%-24s %-8s %-16s %-8s %-16s %lld\n", name, role, camp,
		    c[3].i ? "disabled" : "active", created, c[5].i);
	hs_db_end(db, STMT_LIST);
	return ADM_OK;
}

/* Returns 1 if name is valid, else 0 after a message. */
static int
name_ok(const char *name)
{

	if (valid_name(name))
		return 1;
	warnx("%s: a user name is 1 to %d of A-Z a-z 0-9 . _ @ -", name,
	    USER_NAME_MAX);
	return 0;
}

static int
user_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = list_users(db);
	hs_db_close(db);
	return rc;
}

/* user add NAME [--campaign SLUG|ID] [--role analyst|admin] */
static int
user_add(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	char		 pw[PASSWORD_MAX];
	const char	*name = args->pos[0], *role = adm_arg(args, "role");
	int		 rc = ADM_FAIL;

	if (!name_ok(name))
		return ADM_USAGE;
	if (role == NULL)
		role = "analyst";
	if (strcmp(role, "analyst") != 0 && strcmp(role, "admin") != 0)
		return ADM_SHOW_USAGE;
	if (read_password(pw, sizeof(pw)) == 0) {
		db = adm_open(a, stmts, STMT__MAX);
		if ((rc = add_user(db, name, pw, role,
		    adm_arg(args, "campaign"))) == ADM_OK)
			printf("user %s added\n", name);
		hs_db_close(db);
	}
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* A new password and the end of the user's sessions, as one unit. */
struct pw_change {
	struct hs_dbparam	 p[2];	/* hash, name */
	struct hs_dbparam	 q[1];	/* name */
	unsigned long long	 n;	/* users changed: 0 is no such user */
};

static enum hs_err
passwd_unit(struct hs_db *db, void *arg)
{
	struct pw_change	*c = arg;
	enum hs_err		 e;

	c->n = 0;	/* a replayed unit counts again */
	if ((e = hs_db_exec(db, STMT_PASSWD, c->p, 2, &c->n)) != HS_OK)
		return e;
	return hs_db_exec(db, STMT_SESSIONS_END, c->q, 1, NULL);
}

/*
 * user passwd NAME: ends the user's sessions too, in the same
 * transaction, so that no session outlives the password it was opened
 * with.
 */
static int
user_passwd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db = NULL;
	char		 pw[PASSWORD_MAX], hash[crypto_pwhash_STRBYTES];
	const char	*name = args->pos[0];
	struct pw_change c;
	int		 rc = ADM_FAIL;

	if (!name_ok(name))
		return ADM_USAGE;
	if (read_password(pw, sizeof(pw)) != 0 ||
	    hash_password(pw, hash) != 0)
		goto out;
	c.p[0] = (struct hs_dbparam)HS_DBP_TEXT(hash);
	c.p[1] = c.q[0] = (struct hs_dbparam)HS_DBP_TEXT(name);
	db = adm_open(a, stmts, STMT__MAX);
	if (hs_db_unit(db, passwd_unit, &c) != HS_OK) {
		warnx("%s: cannot change the password", name);
		goto out;
	}
	if (c.n == 0) {
		/* Same hash twice is impossible (salt): no user. */
		warnx("%s: no such user", name);
		goto out;
	}
	printf("password of %s changed; sessions ended\n", name);
	rc = ADM_OK;
out:
	sodium_memzero(pw, sizeof(pw));
	hs_db_close(db);
	return rc;
}

static int
user_remove(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	const char	*name = args->pos[0];
	struct hs_dbparam q[1] = { HS_DBP_TEXT(name) };
	unsigned long long n = 0;
	int		 rc = ADM_FAIL;

	if (!name_ok(name))
		return ADM_USAGE;
	db = adm_open(a, stmts, STMT__MAX);
	if (hs_db_exec(db, STMT_REMOVE, q, 1, &n) != HS_OK)
		warnx("%s: cannot remove", name);
	else if (n == 0)
		warnx("%s: no such user", name);
	else {
		printf("user %s removed\n", name);
		rc = ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

static const struct adm_opt user_add_opts[] = {
	{ "campaign", 0 }, { "role", 0 }, { NULL, 0 }
};

const struct adm_sub adm_user_subs[] = {
	{ "add", user_add, 1, 1, user_add_opts, "add NAME "
	    "[--campaign SLUG|ID] [--role analyst|admin]" },
	{ "list", user_list, 0, 0, NULL, "list" },
	{ "passwd", user_passwd, 1, 1, NULL, "passwd NAME" },
	{ "remove", user_remove, 1, 1, NULL, "remove NAME" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/*
 * Adds the demo user name (all campaigns) with role once, and prints
 * its sign-in.  Returns an exit status.
 */
static int
demo_user(struct hs_db *db, const char *name, const char *pw,
    const char *role)
{
	struct hs_dbparam q[1] = { HS_DBP_TEXT(name) };
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	int		 have = 0;

	if (hs_db_query(db, STMT_HAS, q, 1, &col, 1) != HS_OK ||
	    hs_db_fetch(db, STMT_HAS, &have) != HS_OK) {
		warnx("cannot read users");
		return ADM_FAIL;
	}
	hs_db_end(db, STMT_HAS);
	if (col.i == 0 && add_user(db, name, pw, role, NULL) != ADM_OK)
		return ADM_FAIL;
	printf("report login (%s): %s / %s (at /admin/)\n", role, name, pw);
	return ADM_OK;
}

/*
 * The demo analyst and the demo admin (all campaigns), added once;
 * their passwords are printed so the demo can be tried at once.
 * Returns an exit status.
 */
int
adm_users_demo(struct adm *a)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, stmts, STMT__MAX);
	rc = demo_user(db, DEMO_USER, DEMO_PASSWORD, "analyst");
	if (rc == ADM_OK)
		rc = demo_user(db, DEMO_ADMIN, DEMO_ADMIN_PW, "admin");
	hs_db_close(db);
	return rc;
}
