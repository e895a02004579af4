/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * survey.c: hearsay-admin's survey commands.
 *
 *	survey import FILE		create or update a survey from JSON
 *	survey list | show SLUG		what is defined (show prints JSON)
 *	survey token --signup REF [--ttl SECS] [SLUG]
 *					a signed signup token (or the URL)
 *
 * API keys are in apikey.c, erasure ("forget") in forget.c.
 *
 * An import keeps old answers meaningful: options are matched by key, a
 * key missing from the new file is retired (never shown again, still
 * known to reports), and the survey's version goes up so forms shown
 * before the edit are refused politely.  The file format is the JSON of
 * sql/demo/survey.json; "show" prints the same shape.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define SURVEY_DEMO_FILE	"demo/survey.json"
#define SURVEY_MAXOPTS		36	/* hearsay-survey shows this many */

enum sstmt {
	S_SURVEY_PUT,
	S_SURVEY_ID,
	S_OPTS_RETIRE,
	S_OPT_PUT,
	S_SURVEY_LIST,
	S_SURVEY_GET,
	S_OPTS_GET,
	S_SURVEY_EXTRA,
	S_SURVEY_EXTRA_GET,
	S__MAX
};

static const char *const sqls[S__MAX] = {
	/* S_SURVEY_PUT: an edit bumps the version. */
	"INSERT INTO surveys (slug, question, help_text, multi, shuffle, "
	    "ask_code, allow_unsigned, return_url, lang) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "question = VALUES(question), help_text = VALUES(help_text), "
	    "multi = VALUES(multi), shuffle = VALUES(shuffle), "
	    "ask_code = VALUES(ask_code), "
	    "allow_unsigned = VALUES(allow_unsigned), "
	    "return_url = VALUES(return_url), lang = VALUES(lang), "
	    "version = version + 1",
	/* S_SURVEY_ID */
	"SELECT id, version FROM surveys WHERE slug = ?",
	/* S_OPTS_RETIRE: keys not in the new file stay known, unshown. */
	"UPDATE survey_options SET retired = 1 WHERE survey_id = ?",
	/* S_OPT_PUT */
	"INSERT INTO survey_options (survey_id, opt_key, label, channel, "
	    "position, pinned, decoy, followup, followup_label, retired) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON DUPLICATE KEY UPDATE "
	    "label = VALUES(label), channel = VALUES(channel), "
	    "position = VALUES(position), pinned = VALUES(pinned), "
	    "decoy = VALUES(decoy), followup = VALUES(followup), "
	    "followup_label = VALUES(followup_label), retired = 0",
	/* S_SURVEY_LIST */
	"SELECT s.slug, s.version, s.allow_unsigned, "
	    "(SELECT COUNT(*) FROM survey_options o WHERE o.survey_id = s.id "
	    "AND o.retired = 0), "
	    "(SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) "
	    "FROM surveys s ORDER BY s.slug",
	/* S_SURVEY_GET */
	"SELECT id, question, COALESCE(help_text, ''), multi, shuffle, "
	    "ask_code, allow_unsigned, COALESCE(return_url, ''), version, "
	    "lang FROM surveys WHERE slug = ?",
	/* S_OPTS_GET */
	"SELECT opt_key, label, channel, pinned, decoy, followup, "
	    "COALESCE(followup_label, '') FROM survey_options "
	    "WHERE survey_id = ? AND retired = 0 ORDER BY position, opt_key",
	/*
	 * S_SURVEY_EXTRA: new_link, consent_text, id (sql/170): where a
	 * person gets a new link, and the consent the form asks for.
	 */
	"UPDATE surveys SET new_link = ?, consent_text = ? WHERE id = ?",
	/* S_SURVEY_EXTRA_GET */
	"SELECT COALESCE(new_link, ''), COALESCE(consent_text, '') "
	    "FROM surveys WHERE slug = ?",
};

static const char *const fukinds[] = { "none", "text", "referrer", "other" };
static const char *const shuffles[] = { "none", "all", "unpinned" };

/* Whether s is in the NULL-less list l of n strings. */
static int
oneof(const char *s, const char *const *l, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, l[i]) == 0)
			return 1;
	return 0;
}

/* Whether s is 1-max of [a-z0-9] plus the given punctuation. */
static int
keyword(const char *s, size_t max, const char *punct)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    strchr(punct, s[i]) != NULL))
			return 0;
	return 1;
}

/* A string member, or def when absent; NULL when of another type. */
static const char *
jstr(json_t *o, const char *key, const char *def)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return def;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A boolean member as 0/1, def when absent, -1 for another type. */
static int
jbool(json_t *o, const char *key, int def)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		return def;
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

struct import {
	json_t		*doc;
	const char	*slug;
	long long	 id;
	long long	 version;
};

/* Checks a survey's "options" array.  0 or -1 (warned). */
static int
import_check_options(const char *path, json_t *opts)
{
	json_t		*x;
	const char	*s, *k;
	size_t		 i, j, npinned = 0;

	if (!json_is_array(opts) || json_array_size(opts) == 0 ||
	    json_array_size(opts) > SURVEY_MAXOPTS) {
		warnx("%s: \"options\": 1-%d options", path, SURVEY_MAXOPTS);
		return -1;
	}
	json_array_foreach(opts, i, x) {
		if ((k = jstr(x, "key", NULL)) == NULL ||
		    !keyword(k, 64, "_-")) {
			warnx("%s: option %zu: \"key\": 1-64 of a-z, 0-9, _ "
			    "and -", path, i + 1);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(k, jstr(json_array_get(opts, j), "key",
			    "")) == 0) {
				warnx("%s: option %s given twice", path, k);
				return -1;
			}
		if ((s = jstr(x, "label", NULL)) == NULL || *s == '\0' ||
		    strlen(s) > 200 || (s = jstr(x, "channel", NULL)) ==
		    NULL || !keyword(s, 32, "_-") ||
		    (s = jstr(x, "followup", "none")) == NULL ||
		    !oneof(s, fukinds, 4) || (s = jstr(x, "followup_label",
		    "")) == NULL || strlen(s) > 200 ||
		    jbool(x, "pinned", 0) < 0 || jbool(x, "decoy", 0) < 0) {
			warnx("%s: option %s: \"label\" (text), \"channel\" "
			    "(a-z), \"followup\" (none, text, referrer, "
			    "other), \"followup_label\", \"pinned\", "
			    "\"decoy\"", path, k);
			return -1;
		}
		if (jbool(x, "pinned", 0))
			npinned++;
		else if (npinned > 0) {
			warnx("%s: option %s: pinned options go last", path,
			    k);
			return -1;
		}
	}
	return 0;
}

/* Checks the whole file before anything is written.  0 or -1 (warned). */
static int
import_check(const char *path, struct import *im)
{
	json_t		*o = im->doc;
	const char	*s;

	if (!json_is_object(o) || (im->slug = jstr(o, "slug", NULL)) == NULL ||
	    !keyword(im->slug, 64, "-")) {
		warnx("%s: \"slug\": 1-64 of a-z, 0-9 and -", path);
		return -1;
	}
	if ((s = jstr(o, "question", NULL)) == NULL || *s == '\0' ||
	    strlen(s) > 500) {
		warnx("%s: \"question\": text, at most 500 bytes", path);
		return -1;
	}
	if ((s = jstr(o, "help", "")) == NULL || strlen(s) > 1000 ||
	    (s = jstr(o, "shuffle", "unpinned")) == NULL ||
	    !oneof(s, shuffles, 3) || jbool(o, "multi", 0) < 0 ||
	    jbool(o, "ask_code", 1) < 0 || jbool(o, "allow_unsigned", 0) < 0) {
		warnx("%s: \"help\" (text), \"shuffle\" (none, all, "
		    "unpinned), \"multi\", \"ask_code\", \"allow_unsigned\" "
		    "(true, false)", path);
		return -1;
	}
	if ((s = jstr(o, "return_url", "")) == NULL || strlen(s) > 2000 ||
	    (*s != '\0' && strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "http://", 7) != 0) || strcspn(s, " \t\r\n\"'<>") !=
	    strlen(s)) {
		warnx("%s: \"return_url\": an http(s) URL without spaces or "
		    "quotes", path);
		return -1;
	}
	if ((s = jstr(o, "new_link", "")) == NULL || strlen(s) > 2000 ||
	    (*s != '\0' && strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "http://", 7) != 0 && strncmp(s, "mailto:", 7) !=
	    0) || strcspn(s, " \t\r\n\"'<>") != strlen(s)) {
		warnx("%s: \"new_link\": an http(s) URL or a mailto: address "
		    "without spaces or quotes", path);
		return -1;
	}
	if ((s = jstr(o, "consent_text", "")) == NULL || strlen(s) > 500) {
		warnx("%s: \"consent_text\": text, at most 500 bytes", path);
		return -1;
	}
	/* The language of its texts and of the pages' fixed wording. */
	if ((s = jstr(o, "lang", "en")) == NULL || !hs_lang_ok(s)) {
		warnx("%s: \"lang\": \"en\" or \"de\"", path);
		return -1;
	}
	return import_check_options(path, json_object_get(o, "options"));
}

/* The import as one transaction. */
static enum hs_err
import_unit(struct hs_db *db, void *arg)
{
	struct import		*im = arg;
	json_t			*o = im->doc, *x;
	const char		*help = jstr(o, "help", ""), *ret, *nl, *ct;
	struct hs_dbparam	 p[9] = {
		HS_DBP_TEXT(im->slug),
		HS_DBP_TEXT(jstr(o, "question", "")),
		HS_DBP_TEXTN(*help != '\0' ? help : NULL, strlen(help)),
		HS_DBP_INT(jbool(o, "multi", 0)),
		HS_DBP_TEXT(jstr(o, "shuffle", "unpinned")),
		HS_DBP_INT(jbool(o, "ask_code", 1)),
		HS_DBP_INT(jbool(o, "allow_unsigned", 0)),
		HS_DBP_NULL,
		HS_DBP_TEXT(jstr(o, "lang", "en")),
	};
	struct hs_dbparam	 q[9];
	struct hs_dbcol		 col[2] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 } };
	enum hs_err		 e;
	size_t			 i;
	int			 have = 0;

	ret = jstr(o, "return_url", "");
	if (*ret != '\0')
		p[7] = (struct hs_dbparam)HS_DBP_TEXT(ret);
	if ((e = hs_db_exec(db, S_SURVEY_PUT, p, 9, NULL)) != HS_OK)
		return e;
	if ((e = hs_db_row(db, S_SURVEY_ID, p, 1, col, 2, &have)) != HS_OK)
		return e;
	if (!have)
		return HS_EDB;
	im->id = col[0].i;
	im->version = col[1].i;
	nl = jstr(o, "new_link", "");
	ct = jstr(o, "consent_text", "");
	q[0] = (struct hs_dbparam)HS_DBP_TEXTN(*nl != '\0' ? nl : NULL,
	    strlen(nl));
	q[1] = (struct hs_dbparam)HS_DBP_TEXTN(*ct != '\0' ? ct : NULL,
	    strlen(ct));
	q[2] = (struct hs_dbparam)HS_DBP_INT(im->id);
	if ((e = hs_db_exec(db, S_SURVEY_EXTRA, q, 3, NULL)) != HS_OK)
		return e;
	q[0] = (struct hs_dbparam)HS_DBP_INT(im->id);
	if ((e = hs_db_exec(db, S_OPTS_RETIRE, q, 1, NULL)) != HS_OK)
		return e;
	json_array_foreach(json_object_get(o, "options"), i, x) {
		const char *fl = jstr(x, "followup_label", "");

		q[1] = (struct hs_dbparam)HS_DBP_TEXT(jstr(x, "key", ""));
		q[2] = (struct hs_dbparam)HS_DBP_TEXT(jstr(x, "label", ""));
		q[3] = (struct hs_dbparam)HS_DBP_TEXT(jstr(x, "channel", ""));
		q[4] = (struct hs_dbparam)HS_DBP_INT((long long)i + 1);
		q[5] = (struct hs_dbparam)HS_DBP_INT(jbool(x, "pinned", 0));
		q[6] = (struct hs_dbparam)HS_DBP_INT(jbool(x, "decoy", 0));
		q[7] = (struct hs_dbparam)HS_DBP_TEXT(jstr(x, "followup",
		    "none"));
		q[8] = (struct hs_dbparam)HS_DBP_TEXTN(*fl != '\0' ? fl : NULL,
		    strlen(fl));
		if ((e = hs_db_exec(db, S_OPT_PUT, q, 9, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

/* Imports one file.  Returns an ADM_ status. */
static int
import_file(struct adm *a, const char *path, int quiet)
{
	struct import	 im;
	json_error_t	 err;
	struct hs_db	*db = NULL;
	enum hs_err	 e;
	int		 rc = ADM_FAIL;

	memset(&im, 0, sizeof(im));
	if ((im.doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL) {
		warnx("%s:%d: %s", path, err.line, err.text);
		goto out;
	}
	if (import_check(path, &im) != 0)
		goto out;
	db = adm_open(a, sqls, S__MAX);
	if ((e = hs_db_unit(db, import_unit, &im)) != HS_OK) {
		warnx("%s: import failed: %s", path, hs_strerror(e));
		goto out;
	}
	if (!quiet)
		printf("survey %s imported (version %lld, %zu options)\n",
		    im.slug, im.version,
		    json_array_size(json_object_get(im.doc, "options")));
	rc = ADM_OK;
out:
	hs_db_close(db);
	json_decref(im.doc);
	return rc;
}

/* survey list */
static int
survey_list(struct adm *a)
{
	struct hs_db	*db = adm_open(a, sqls, S__MAX);
	char		 slug[65];
	struct hs_dbcol	 col[5] = {
		{ HS_DB_TEXT, 0, slug, sizeof(slug), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 } };
	int		 have, rc = ADM_FAIL;

	if (hs_db_query(db, S_SURVEY_LIST, NULL, 0, col, 5) != HS_OK)
		goto out;
	printf("%-24s %7s %7s %8s %9s\n", "SLUG", "VERSION", "OPTIONS",
	    "UNSIGNED", "RESPONSES");
	while (hs_db_fetch(db, S_SURVEY_LIST, &have) == HS_OK && have)
		printf("%-24s %7lld %7lld %8s %9lld\n", slug, col[1].i,
		    col[3].i, col[2].i ? "yes" : "no", col[4].i);
	hs_db_end(db, S_SURVEY_LIST);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

/* survey show SLUG: the definition as importable JSON. */
static int
survey_show(struct adm *a, const char *slug)
{
	struct hs_db		*db = adm_open(a, sqls, S__MAX);
	struct hs_dbparam	 p[1] = { HS_DBP_TEXT(slug) };
	static char		 b[10][2048];
	struct hs_dbcol		 col[10];
	json_t			*o = NULL, *opts = NULL;
	size_t			 i;
	int			 have = 0, rc = ADM_FAIL;

	memset(col, 0, sizeof(col));
	for (i = 0; i < 10; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, b[i], sizeof(b[i]),
		    0, 0, 0 };
	col[0].type = col[3].type = col[5].type = col[6].type =
	    col[8].type = HS_DB_INT;
	if (hs_db_query(db, S_SURVEY_GET, p, 1, col, 10) != HS_OK)
		goto out;
	if (hs_db_fetch(db, S_SURVEY_GET, &have) != HS_OK)
		have = 0;
	hs_db_end(db, S_SURVEY_GET);
	if (!have) {
		warnx("no survey %s", slug);
		goto out;
	}
	o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:I, s:s}",
	    "slug", slug, "question", b[1], "help", b[2], "multi",
	    (int)col[3].i, "shuffle", b[4], "ask_code", (int)col[5].i,
	    "allow_unsigned", (int)col[6].i, "return_url", b[7], "version",
	    (json_int_t)col[8].i, "lang", b[9]);
	/* sql/170's fields, when set: an older export reads the same. */
	col[1] = (struct hs_dbcol){ HS_DB_TEXT, 0, b[1], sizeof(b[1]),
	    0, 0, 0 };
	col[2] = (struct hs_dbcol){ HS_DB_TEXT, 0, b[2], sizeof(b[2]),
	    0, 0, 0 };
	if (o != NULL && hs_db_row(db, S_SURVEY_EXTRA_GET, p, 1, col + 1, 2,
	    &have) == HS_OK && have) {
		if (b[1][0] != '\0')
			(void)json_object_set_new(o, "new_link",
			    json_string(b[1]));
		if (b[2][0] != '\0')
			(void)json_object_set_new(o, "consent_text",
			    json_string(b[2]));
	}
	opts = json_array();
	p[0] = (struct hs_dbparam)HS_DBP_INT(col[0].i);
	for (i = 0; i < 7; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, b[i], sizeof(b[i]),
		    0, 0, 0 };
	col[3].type = col[4].type = HS_DB_INT;
	if (o == NULL || opts == NULL ||
	    hs_db_query(db, S_OPTS_GET, p, 1, col, 7) != HS_OK)
		goto out;
	while (hs_db_fetch(db, S_OPTS_GET, &have) == HS_OK && have)
		(void)json_array_append_new(opts, json_pack("{s:s, s:s, s:s, "
		    "s:b, s:b, s:s, s:s}", "key", b[0], "label", b[1],
		    "channel", b[2], "pinned", (int)col[3].i, "decoy",
		    (int)col[4].i, "followup", b[5], "followup_label", b[6]));
	hs_db_end(db, S_OPTS_GET);
	(void)json_object_set(o, "options", opts);
	(void)json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("\n");
	rc = ADM_OK;
out:
	json_decref(opts);
	json_decref(o);
	hs_db_close(db);
	return rc;
}

/*
 * survey token --signup REF [--ttl SECS] [SLUG]: the token a host app
 * would make (purpose "signup"), or with SLUG the whole survey URL.
 */
static int
survey_token(struct adm *a, const struct adm_args *args)
{
	const char	*ref = adm_arg(args, "signup");
	const char	*slug = args->npos > 0 ? args->pos[0] : NULL;
	const char	*t = adm_arg(args, "ttl");
	long long	 ttl = a->conf.token_max_age;
	struct hs_buf	 tok;
	char		*ep;

	if (t != NULL) {
		ttl = strtoll(t, &ep, 10);
		if (*ep != '\0' || ttl < -86400 || ttl > 31536000)
			return ADM_SHOW_USAGE;
	}
	if (ref == NULL || *ref == '\0' || strlen(ref) > 128)
		return ADM_SHOW_USAGE;
	if (!a->conf.have_hmac_key)
		errx(ADM_FAIL, "hmac_key missing from the secrets file");
	hs_buf_init(&tok, 1024);
	if (hs_token_sign(a->conf.hmac_key, "signup", ref,
	    (long long)time(NULL) + ttl, &tok) != HS_OK)
		errx(ADM_FAIL, "cannot sign");
	if (slug != NULL)
		printf("%s/s/%s?t=%s\n", a->conf.base_url, slug,
		    hs_buf_str(&tok));
	else
		printf("%s\n", hs_buf_str(&tok));
	hs_buf_free(&tok);
	return ADM_OK;
}

/* survey import FILE ...: stops at the first that fails. */
static int
survey_import(struct adm *a, const struct adm_args *args)
{
	size_t	 i;
	int	 rc = ADM_OK;

	for (i = 0; i < args->npos && rc == ADM_OK; i++)
		rc = import_file(a, args->pos[i], 0);
	return rc;
}

static int
survey_list_cmd(struct adm *a, const struct adm_args *args)
{

	return survey_list(a);
}

static int
survey_show_cmd(struct adm *a, const struct adm_args *args)
{

	return survey_show(a, args->pos[0]);
}

static const struct adm_opt token_opts[] = {
	{ "signup", 0 }, { "ttl", 0 }, { NULL, 0 }
};

const struct adm_sub adm_survey_subs[] = {
	{ "import", survey_import, 1, -1, NULL, "import FILE ..." },
	{ "list", survey_list_cmd, 0, 0, NULL, "list" },
	{ "show", survey_show_cmd, 1, 1, NULL, "show SLUG" },
	{ "token", survey_token, 0, 1, token_opts, "token --signup REF "
	    "[--ttl SECONDS] [SLUG]" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

/*
 * Imports the demo survey.  Running it again is harmless: the same
 * rows, with the version bumped (forms shown before are re-shown).
 */
int
adm_survey_demo(struct adm *a)
{
	char	 path[1024];

	if (snprintf(path, sizeof(path), "%s/%s", a->conf.sql_dir,
	    SURVEY_DEMO_FILE) >= (int)sizeof(path))
		return ADM_FAIL;
	return import_file(a, path, 0);
}
