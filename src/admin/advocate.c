/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * advocate.c: hearsay-admin's commands for the advocates' own pages
 * (issue 17; the pages are hearsay-qr's, src/qr/advocate.c).
 *
 *   advocate page HANDLE|ID
 *   share set CAMPAIGN email|chat|social [--subject S] --text T
 *   share list [CAMPAIGN]
 *   share remove CAMPAIGN email|chat|social
 *
 * "advocate page" makes a new page URL and prints it, the only time it
 * is shown: only the SHA-256 of its token is stored.  The advocate's
 * older page URLs are revoked by the same command, and then answer a
 * page saying that they were replaced.
 *
 * Share texts are the program owner's words, shown to the advocates of
 * the campaign with {link} and {name} filled in.  The page escapes them;
 * the rule for what may be stored is core's hs_share_bad (share.c), the
 * same for hearsay-report's campaign form.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define AP_SUBJECT_MAX	200	/* characters: share_texts.subject */
#define AP_BODY_MAX	2000	/* characters: share_texts.body */
#define AP_TEXT		(AP_BODY_MAX * 4 + 1)	/* bytes, utf8mb4 */

enum stmt {
	ST_ADV,
	ST_TOKEN_ADD,
	ST_TOKEN_OLD,
	ST_CAMPAIGN,
	ST_SHARE_SET,
	ST_SHARE_LIST,
	ST_SHARE_DEL,
	ST__MAX
};

static const char *const stmts[ST__MAX] = {
	/* ST_ADV: by handle, or by id when the argument is a number. */
	"SELECT id, status FROM advocates WHERE handle = ? OR id = ? "
	    "ORDER BY handle = ? DESC LIMIT 1",
	/* ST_TOKEN_ADD */
	"INSERT INTO advocate_tokens (advocate_id, token_hash) VALUES (?, ?)",
	/* ST_TOKEN_OLD: every page URL of theirs but the new one. */
	"UPDATE advocate_tokens SET revoked_at = CURRENT_TIMESTAMP(3) "
	    "WHERE advocate_id = ? AND id <> ? AND revoked_at IS NULL",
	/* ST_CAMPAIGN */
	"SELECT id FROM campaigns WHERE slug = ?",
	/* ST_SHARE_SET */
	"INSERT INTO share_texts (campaign_id, kind, subject, body) "
	    "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE subject = "
	    "VALUES(subject), body = VALUES(body), updated_at = "
	    "CURRENT_TIMESTAMP(3)",
	/* ST_SHARE_LIST */
	"SELECT c.slug, s.kind, COALESCE(s.subject, ''), s.body "
	    "FROM share_texts s JOIN campaigns c ON c.id = s.campaign_id "
	    "WHERE ? = '' OR c.slug = ? ORDER BY c.slug, s.kind",
	/* ST_SHARE_DEL */
	"DELETE s FROM share_texts s JOIN campaigns c ON "
	    "c.id = s.campaign_id WHERE c.slug = ? AND s.kind = ?",
};

/*
 * Makes a new page URL for the advocate named by handle or id, revokes
 * their others and prints it.  Returns an ADM_ status.
 */
static int
adv_page(struct adm *a, const char *who)
{
	char		 tok[HS_CAP_HEX + 1], hex[65], status[16];
	struct hs_dbparam p[3];
	struct hs_dbcol	 c[2] = { HS_DBC_INT, HS_DBC_TEXT(status) };
	struct hs_db	*db;
	unsigned long long n = 0;
	long long	 id, num;
	int		 have = 0, rc = ADM_FAIL;

	num = adm_id(who);
	db = adm_open(a, stmts, ST__MAX);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(who);
	p[1] = (struct hs_dbparam)HS_DBP_INT(num);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(who);
	if (hs_db_row(db, ST_ADV, p, 3, c, 2, &have) != HS_OK) {
		warnx("advocate page: database error");
		goto out;
	}
	if (!have) {
		warnx("no advocate %s", who);
		goto out;
	}
	if (strcmp(status, "active") != 0) {
		warnx("advocate %s is %s: no page", who, status);
		goto out;
	}
	id = c[0].i;
	hs_cap_new(tok, hex);
	p[0] = (struct hs_dbparam)HS_DBP_INT(id);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(hex);
	if (hs_db_exec(db, ST_TOKEN_ADD, p, 2, NULL) != HS_OK) {
		warnx("advocate page: database error");
		goto out;
	}
	p[1] = (struct hs_dbparam)HS_DBP_INT((long long)
	    hs_db_insert_id(db, ST_TOKEN_ADD));
	/* The new URL works already; say so if the old ones still do. */
	if (hs_db_exec(db, ST_TOKEN_OLD, p, 2, &n) != HS_OK) {
		warnx("advocate page: the older URLs were not revoked; run "
		    "this again");
		goto out;
	}
	printf("%s/a/%s/\n", a->conf.base_url, tok);
	if (n > 0)
		fprintf(stderr, "revoked %llu older page URL(s)\n", n);
	rc = ADM_OK;
out:
	sodium_memzero(tok, sizeof(tok));
	hs_db_close(db);
	return rc;
}

/* "advocate page HANDLE|ID", in links_adv.c's table of advocate commands. */
int
adm_advocate_page(struct adm *a, const struct adm_args *args)
{

	return adv_page(a, args->pos[0]);
}

static int
kind_ok(const char *k)
{

	return strcmp(k, "email") == 0 || strcmp(k, "chat") == 0 ||
	    strcmp(k, "social") == 0;
}

/* share set: checks everything before the database is asked. */
static int
share_set(struct adm *a, const struct adm_args *args)
{
	const char	*camp = args->pos[0], *kind = args->pos[1];
	const char	*subject = adm_arg(args, "subject");
	const char	*text = adm_arg(args, "text"), *why;
	struct hs_dbparam p[4];
	struct hs_dbcol	 c = HS_DBC_INT;
	struct hs_db	*db;
	int		 have = 0, rc = ADM_FAIL;

	if (!kind_ok(kind) || text == NULL)
		return ADM_SHOW_USAGE;
	if (subject != NULL && strcmp(kind, "email") != 0) {
		warnx("share set: only an e-mail has a subject");
		return ADM_USAGE;
	}
	if ((why = hs_share_bad(text, HS_SHARE_BODY_MAX)) != NULL) {
		warnx("share set: the text %s; nothing stored", why);
		return ADM_FAIL;
	}
	if (subject != NULL && (why = hs_share_bad(subject,
	    HS_SHARE_SUBJECT_MAX)) != NULL) {
		warnx("share set: the subject %s; nothing stored", why);
		return ADM_FAIL;
	}
	if (subject != NULL && strchr(subject, '\n') != NULL) {
		warnx("share set: the subject is one line; nothing stored");
		return ADM_FAIL;
	}
	db = adm_open(a, stmts, ST__MAX);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(camp);
	if (hs_db_row(db, ST_CAMPAIGN, p, 1, &c, 1, &have) != HS_OK ||
	    !have) {
		warnx("no campaign %s", camp);
		goto out;
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(c.i);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(kind);
	p[2] = subject != NULL ? (struct hs_dbparam)HS_DBP_TEXT(subject) :
	    (struct hs_dbparam)HS_DBP_NULL;
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(text);
	if (hs_db_exec(db, ST_SHARE_SET, p, 4, NULL) != HS_OK) {
		warnx("share set: database error");
		goto out;
	}
	printf("share text %s %s set\n", camp, kind);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

/* share list: one text per paragraph, as stored. */
static int
share_list(struct adm *a, const char *camp)
{
	char		 slug[256], kind[16], subject[AP_TEXT], *body = NULL;
	struct hs_dbparam p[2] = { HS_DBP_TEXT(camp), HS_DBP_TEXT(camp) };
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(kind),
	    HS_DBC_TEXT(subject), { HS_DB_TEXT, 0, NULL, AP_TEXT, 0, 0, 0 } };
	struct hs_db	*db;
	int		 have, rc = ADM_FAIL;

	if ((body = malloc(AP_TEXT)) == NULL)
		err(ADM_FAIL, NULL);
	c[3].s = body;
	db = adm_open(a, stmts, ST__MAX);
	if (hs_db_query(db, ST_SHARE_LIST, p, 2, c, 4) != HS_OK)
		goto out;
	while (hs_db_fetch(db, ST_SHARE_LIST, &have) == HS_OK && have) {
		printf("%s %s\n", slug, kind);
		if (subject[0] != '\0')
			printf("  subject: %s\n", subject);
		printf("  %s\n\n", body);
	}
	hs_db_end(db, ST_SHARE_LIST);
	rc = ADM_OK;
out:
	hs_db_close(db);
	free(body);
	return rc;
}

static int
share_list_cmd(struct adm *a, const struct adm_args *args)
{

	return share_list(a, args->npos > 0 ? args->pos[0] : "");
}

static int
share_remove(struct adm *a, const struct adm_args *args)
{
	struct hs_dbparam p[2];
	struct hs_db	*db;
	unsigned long long n = 0;
	int		 rc = ADM_FAIL;

	if (!kind_ok(args->pos[1]))
		return ADM_SHOW_USAGE;
	db = adm_open(a, stmts, ST__MAX);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(args->pos[0]);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(args->pos[1]);
	if (hs_db_exec(db, ST_SHARE_DEL, p, 2, &n) == HS_OK) {
		printf("removed %llu share text(s)\n", n);
		rc = n > 0 ? ADM_OK : ADM_FAIL;
	}
	hs_db_close(db);
	return rc;
}

static const struct adm_opt share_opts[] = {
	{ "subject", 0 }, { "text", 0 }, { NULL, 0 }
};

const struct adm_sub adm_share_subs[] = {
	{ "set", share_set, 2, 2, share_opts, "set CAMPAIGN email|chat|social "
	    "[--subject S] --text T" },
	{ "list", share_list_cmd, 0, 1, NULL, "list [CAMPAIGN]" },
	{ "remove", share_remove, 2, 2, NULL,
	    "remove CAMPAIGN email|chat|social" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/*
 * The demo: share texts for the spring campaign and a page for Ana,
 * printed beside the host page's.  Run again, it prints a new URL.
 */
int
adm_advocates_demo(struct adm *a)
{
	char	*set1[] = { "share", "set", "spring", "email", "--subject",
	    "Come and join me", "--text", "Hi,\n\nI use this and think "
	    "you would like it too.  Sign up here: {link}\n\n{name}" };
	char	*set2[] = { "share", "set", "spring", "chat", "--text",
	    "Have a look, I think you'd like it: {link}" };

	if (adm_dispatch(a, "share", adm_share_subs, NULL, 8, set1) !=
	    ADM_OK ||
	    adm_dispatch(a, "share", adm_share_subs, NULL, 6, set2) != ADM_OK)
		return ADM_FAIL;
	printf("demo advocate page: ");
	fflush(stdout);
	return adv_page(a, "ana");
}
