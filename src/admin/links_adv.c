/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links_adv.c: hearsay-admin's advocate commands: create, set (the
 * advocate's consent to have their name suggested by the survey), list,
 * show, disable, import and export as CSV.  Advocates' e-mail addresses
 * are stored only as their keyed hash (adv_email).
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"
#include "links.h"

#define ALIASES_MAX	2000	/* bytes of all aliases */


/*
 * The e-mail key to store for an advocate (issue 22, hs_email_key):
 * from email (an address, or its plain SHA-256 as 64 hex), sha (a plain
 * SHA-256: the "email_hash" column of CSV files from before the key) or
 * keyed (an "email_key" column, as advocate export writes it: stored as
 * it is, so an export imported again is not keyed twice).  The first
 * non-empty one counts.  out is "" when none is given.  Returns 0, or -1
 * (reported).
 */
static int
adv_email(const struct adm *a, const char *handle, const char *email,
    const char *sha, const char *keyed, char out[65])
{
	char	 plain[65];

	out[0] = '\0';
	if (email != NULL && *email != '\0') {
		if (strlen(email) == 64 && strspn(email,
		    "0123456789abcdef") == 64)
			sha = email;
		else if (strchr(email, '@') == NULL ||
		    !lk_text_ok(email, 320)) {
			warnx("advocate %s: not an e-mail address", handle);
			return -1;
		} else {
			hs_email_sha256(email, plain);
			sha = plain;
		}
	} else if ((sha == NULL || *sha == '\0') &&
	    keyed != NULL && *keyed != '\0') {
		if (strlen(keyed) != 64 ||
		    strspn(keyed, "0123456789abcdef") != 64) {
			warnx("advocate %s: email_key: 64 lowercase hex "
			    "digits", handle);
			return -1;
		}
		memcpy(out, keyed, 65);
		return 0;
	}
	if (sha == NULL || *sha == '\0')
		return 0;
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
		warnx("advocate %s: email_hash: SHA-256 as 64 lowercase hex "
		    "digits", handle);
		return -1;
	}
	if (!a->conf.have_hmac_key) {
		warnx("hmac_key missing from the secrets file");
		return -1;
	}
	if (hs_email_key(a->conf.hmac_key, sha, out) != HS_OK)
		return -1;
	return 0;
}

/*
 * The value of --suggest or a CSV "suggest" cell: 1 for on, 0 for off
 * (and for none: nobody is suggested without saying so), -1 otherwise.
 */
static int
onoff(const char *v)
{
	static const char *const on[] = { "on", "yes", "1", "true", NULL };
	static const char *const off[] = { "off", "no", "0", "false", "",
	    NULL };
	size_t	 i;

	if (v == NULL)
		return 0;
	for (i = 0; on[i] != NULL; i++)
		if (strcasecmp(v, on[i]) == 0)
			return 1;
	for (i = 0; off[i] != NULL; i++)
		if (strcasecmp(v, off[i]) == 0)
			return 0;
	return -1;
}

/*
 * Creates an advocate.  aliases are newline-separated; ekey is the
 * e-mail key from adv_email ("" or NULL: none); suggest is the
 * advocate's consent to have their name suggested (onoff).  Returns an
 * exit status.
 */
int
lk_adv_create(struct hs_db *db, const char *handle, const char *name,
    const char *aliases, const char *tier, const char *ekey,
    const char *suggest, int quiet_dup)
{
	struct hs_dbparam	 p[6];
	const char		*s;
	enum hs_err		 e;
	int			 sug;

	if ((sug = onoff(suggest)) == -1) {
		warnx("advocate %s: --suggest is on or off", handle != NULL ?
		    handle : "");
		return ADM_FAIL;
	}
	if (!lk_slug_ok(handle) || !lk_text_ok(name, 200) ||
	    (tier != NULL && *tier != '\0' && !lk_text_ok(tier, 32)) ||
	    (aliases != NULL && *aliases != '\0' &&
	    (strlen(aliases) > ALIASES_MAX ||
	    !hs_utf8_valid(aliases, strlen(aliases))))) {
		warnx("advocate: --handle [a-z0-9._-] and --name are "
		    "required; text must be UTF-8 without control bytes");
		return ADM_FAIL;
	}
	for (s = aliases; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n') {
			warnx("advocate %s: control byte in an alias", handle);
			return ADM_FAIL;
		}
	p[0] = lk_ptext(handle);
	p[1] = lk_ptext(name);
	p[2] = lk_ptext(aliases);
	p[3] = lk_ptext(tier);
	p[4] = lk_ptext(ekey);
	p[5] = (struct hs_dbparam)HS_DBP_INT(sug);
	e = hs_db_exec(db, STMT_ADV_ADD, p, 6, NULL);
	if (e == HS_EDUP && quiet_dup)
		return ADM_OK;
	if (e != HS_OK) {
		warnx("advocate %s: %s", handle, e == HS_EDUP ? "exists" :
		    hs_strerror(e));
		return ADM_FAIL;
	}
	printf("advocate %s created\n", handle);
	return ADM_OK;
}

/*
 * One advocate row: "email" (an address or its SHA-256) and
 * "email_hash" (a plain SHA-256) are keyed, "email_key" (from advocate
 * export) is taken as it is; see adv_email.
 */
static int
adv_row(struct adm *a, struct hs_db *db, const struct csvrow *r)
{
	const char	*handle = lk_rcell(r, "handle");
	char		 ekey[65];

	if (adv_email(a, handle != NULL ? handle : "",
	    lk_rcell(r, "email"), lk_rcell(r, "email_hash"),
	    lk_rcell(r, "email_key"), ekey) != 0)
		return ADM_FAIL;
	return lk_adv_create(db, handle, lk_rcell(r, "display_name"),
	    lk_rcell(r, "aliases"), lk_rcell(r, "tier"), ekey,
	    lk_rcell(r, "suggest"), 0);
}

/*
 * advocate set H --suggest on|off: records the advocate's consent to
 * have their name suggested by the survey (hearsay-survey(8)), or its
 * withdrawal.  Returns an exit status.
 */
static int
adv_suggest(struct hs_db *db, const char *handle, const char *v)
{
	struct hs_dbparam	 p[2];
	int			 on;

	if ((on = onoff(v)) == -1 || *v == '\0') {
		warnx("advocate %s: --suggest is on or off", handle);
		return ADM_FAIL;
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(on);
	p[1] = lk_ptext(handle);
	if (hs_db_exec(db, STMT_ADV_SUGGEST, p, 2, NULL) != HS_OK) {
		warnx("advocate %s: not changed", handle);
		return ADM_FAIL;
	}
	/* Not the rows changed: setting what is already set changes none. */
	if (lk_lookup(db, STMT_ADV_ID, handle) <= 0) {
		warnx("no advocate %s", handle);
		return ADM_FAIL;
	}
	printf("advocate %s: name %s\n", handle, on ? "suggested (opted in)" :
	    "not suggested");
	return ADM_OK;
}

static int
adv_create_cmd(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	const char	*h = adm_arg(args, "handle"), *v;
	char		 aliases[ALIASES_MAX + 1], ekey[65];
	size_t		 i = 0, len = 0;
	int		 rc;

	/* --alias may repeat: the aliases, one a line. */
	aliases[0] = '\0';
	while ((v = adm_arg_next(args, "alias", &i)) != NULL) {
		if (len + strlen(v) + 2 > sizeof(aliases))
			return ADM_SHOW_USAGE;
		(void)snprintf(aliases + len, sizeof(aliases) - len, "%s%s",
		    len > 0 ? "\n" : "", v);
		len = strlen(aliases);
	}
	if (adv_email(a, h != NULL ? h : "", adm_arg(args, "email"), NULL,
	    NULL, ekey) != 0)
		return ADM_FAIL;
	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = lk_adv_create(db, h, adm_arg(args, "name"), aliases,
	    adm_arg(args, "tier"), ekey, adm_arg(args, "suggest"), 0);
	hs_db_close(db);
	return rc;
}

static int
adv_list(struct adm *a, const struct adm_args *args)
{

	return lk_list(a, STMT_ADV_LIST, ADV_NCOLS + 1, ADV_HEADS);
}

static int
adv_show(struct adm *a, const struct adm_args *args)
{

	return lk_show(a, STMT_ADV_GET, args->pos[0], ADV_NCOLS + 1,
	    ADV_HEADS, "advocate");
}

static int
adv_disable(struct adm *a, const struct adm_args *args)
{
	static const struct lk_off off = { STMT_ADV_DISABLE, "advocate",
	    "removed (links and clicks kept)", "removed", 0 };

	return lk_disable(a, &off, args->pos[0], args->pos[0]);
}

static int
adv_set(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	if (adm_arg(args, "suggest") == NULL)
		return ADM_SHOW_USAGE;
	db = adm_open(a, lk_sqls, STMT__MAX);
	rc = adv_suggest(db, args->pos[0], adm_arg(args, "suggest"));
	hs_db_close(db);
	return rc;
}

/* advocate import FILE.csv: one advocate per row; existing handles fail. */
static int
adv_import_cmd(struct adm *a, const struct adm_args *args)
{

	return lk_csv_import(a, args->pos[0], "handle", "handle, "
	    "display_name, aliases, tier, email, suggest", "advocates",
	    adv_row);
}

static int
adv_export(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db;
	int		 rc;

	db = adm_open(a, lk_sqls, STMT__MAX);
	/* import ignores the id column; it helps match rows. */
	rc = lk_csv_export(db, STMT_ADV_LIST, NULL, 0, ADV_NCOLS + 1,
	    ADV_NCOLS + 1, ADV_HEADS);
	hs_db_close(db);
	return rc;
}

static const struct adm_opt adv_opts[] = {
	{ "handle", 0 }, { "name", 0 }, { "alias", ADM_REPEAT }, { "tier", 0 },
	{ "email", 0 }, { "suggest", 0 }, { NULL, 0 }
};
static const struct adm_opt adv_set_opts[] = {
	{ "suggest", 0 }, { NULL, 0 }
};

const struct adm_sub adm_advocate_subs[] = {
	{ "create", adv_create_cmd, 0, 0, adv_opts, "create --handle H "
	    "--name N [--alias A]... [--tier T] [--email E]\n"
	    "           [--suggest on|off]" },
	{ "set", adv_set, 1, 1, adv_set_opts, "set H --suggest on|off" },
	{ "list", adv_list, 0, 0, NULL, "list" },
	{ "show", adv_show, 1, 1, NULL, "show H" },
	{ "disable", adv_disable, 1, 1, NULL, "disable H" },
	{ "import", adv_import_cmd, 1, 1, NULL, "import FILE.csv" },
	{ "export", adv_export, 0, 0, NULL, "export" },
	{ "page", adm_advocate_page, 1, 1, NULL, "page H|ID" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
