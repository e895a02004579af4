/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * survey.c: hearsay-admin's survey commands.
 *
 *	survey import FILE		create or update a survey from JSON
 *	survey list | show SLUG		what is defined (show prints JSON)
 *	survey token --signup REF [--ttl SECS] [SLUG]
 *					a signed signup token (or the URL)
 *	apikey create NAME [--scope LIST] [--survey SLUG ...]
 *	apikey list | revoke ID
 *	forget --signup REF		erase a signup and its answers
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
#define APIKEY_BYTES		24	/* random bytes in an API key */
/* A new key's scope: what an app that draws its own form needs. */
#define APIKEY_SCOPE_DEFAULT	"read,answers"
#define APIKEY_SCOPE_MAX	32	/* bytes of a canonical scope list */
#define APIKEY_SURVEYS_SHOWN	1024	/* slugs' bytes, apikey list */

/* Shared by both handles of forget (adm_forget). */
#define FORGET_RESPONSES "DELETE FROM responses WHERE signup_ref = ?"
/* signup_clicks go with the signup (ON DELETE CASCADE). */
#define FORGET_SIGNUP	"DELETE FROM signups WHERE signup_ref = ?"
/*
 * Webhooks pushed the answers to receivers: one erasure notice per
 * erased answer (sql/070), ids only, for hearsay-webhook to push.  Read
 * before the delete, in its transaction.  Without sql/070 the handle
 * gets FORGET_NOOP instead (a missing table cannot be prepared).
 */
#define FORGET_NOTICE	"INSERT INTO webhook_erasures (response_id, " \
	    "survey_id, erased_at) SELECT id, survey_id, UTC_TIMESTAMP(3) " \
	    "FROM responses WHERE signup_ref = ? ORDER BY id"
/*
 * The tombstone the survey's journal loader checks (sql/100): an answer
 * journalled while MariaDB was down, given at or before this erasure,
 * is never loaded.  A second forget moves the time on.
 */
#define FORGET_TOMBSTONE "INSERT INTO signup_erasures (ref_hash, " \
	    "erased_at) VALUES (?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY " \
	    "UPDATE erased_at = GREATEST(erased_at, VALUES(erased_at))"
#define FORGET_NOOP	"DO ?"	/* in place of a missing table's statement */

enum sstmt {
	S_SURVEY_PUT,
	S_SURVEY_ID,
	S_OPTS_RETIRE,
	S_OPT_PUT,
	S_SURVEY_LIST,
	S_SURVEY_GET,
	S_OPTS_GET,
	S_KEY_PUT,
	S_KEY_SURVEY_PUT,
	S_KEY_LIST,
	S_KEY_REVOKE,
	S_HAS_TABLES,
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
	 * S_KEY_PUT: scopes and surveys are sql/095's.  A unit replayed
	 * after a COMMIT whose answer was lost finds its own row again.
	 */
	"INSERT INTO api_keys (name, key_hash, scopes, all_surveys) "
	    "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "id = LAST_INSERT_ID(id)",
	/* S_KEY_SURVEY_PUT: key id, slug (checked to exist before). */
	"INSERT IGNORE INTO api_key_surveys (api_key_id, survey_id) "
	    "SELECT ?, id FROM surveys WHERE slug = ?",
	/* S_KEY_LIST: "*" for every survey, "-" for none. */
	"SELECT k.id, k.name, k.revoked, "
	    "DATE_FORMAT(k.created_at, '%Y-%m-%d %H:%i:%s'), "
	    "IF(k.scopes = '', '-', k.scopes), IF(k.all_surveys, '*', "
	    "COALESCE((SELECT GROUP_CONCAT(s.slug ORDER BY s.slug) FROM "
	    "api_key_surveys ks JOIN surveys s ON s.id = ks.survey_id "
	    "WHERE ks.api_key_id = k.id), '-')) FROM api_keys k "
	    "ORDER BY k.id",
	/* S_KEY_REVOKE */
	"UPDATE api_keys SET revoked = 1 WHERE id = ?",
	/* S_HAS_TABLES: forget's optional tables (sql/040, sql/070). */
	"SELECT COALESCE(SUM(table_name = 'attributions'), 0), "
	    "COALESCE(SUM(table_name = 'webhook_erasures'), 0) FROM "
	    "information_schema.tables WHERE table_schema = DATABASE() AND "
	    "table_name IN ('attributions', 'webhook_erasures')",
	/*
	 * S_SURVEY_EXTRA: new_link, consent_text, id (sql/170): where a
	 * person gets a new link, and the consent the form asks for.
	 */
	"UPDATE surveys SET new_link = ?, consent_text = ? WHERE id = ?",
	/* S_SURVEY_EXTRA_GET */
	"SELECT COALESCE(new_link, ''), COALESCE(consent_text, '') "
	    "FROM surveys WHERE slug = ?",
};

/*
 * Derived rows of the nightly reconciliation (sql/040, reconcile's), and
 * with them the raw rows, so that one transaction erases both.  Without
 * the reconciliation's tables, A_FORGET_DAYS to A_FORGET are FORGET_NOOP
 * and never run.
 */
enum astmt {
	A_TOMBSTONE,
	A_FORGET_DAYS,
	A_DIRTY_FROM,
	A_DIRTY_TO,
	A_FORGET_RQ_DROP,
	A_FORGET_RQ_SCRUB,
	A_FORGET,
	A_NOTICE,
	A_FORGET_RESPONSES,
	A_FORGET_SIGNUP,
	A_FORGET_REPLACED,
	A__MAX
};
static const char *const asqls[A__MAX] = {
	/* A_TOMBSTONE: the unit's first write (see forget_unit). */
	FORGET_TOMBSTONE,
	/*
	 * A_FORGET_DAYS: ref x2: the days the erased rows counted on, in
	 * the per-day tables of attributions (their day) and in the survey
	 * rollups of sql/042 (the answers' UTC day).
	 */
	"SELECT DATE_FORMAT(MIN(d), '%Y-%m-%d'), DATE_FORMAT(MAX(d), "
	    "'%Y-%m-%d'), COUNT(d) FROM (SELECT day d FROM attributions "
	    "WHERE signup_ref = ? UNION ALL SELECT DATE(answered_at) FROM "
	    "responses WHERE signup_ref = ?) t",
	/* A_DIRTY_FROM, A_DIRTY_TO: widen the days the next run rebuilds. */
	HS_SQL_DIRTY_FROM,
	HS_SQL_DIRTY_TO,
	/*
	 * A_FORGET_RQ_DROP: the review queue is derived from answers too;
	 * a text only this person wrote goes with them.
	 */
	"DELETE q FROM review_queue q JOIN attributions a ON "
	    "a.free_kind = q.kind AND a.free_text = q.norm_text "
	    "WHERE a.signup_ref = ? AND q.n <= 1",
	/*
	 * A_FORGET_RQ_SCRUB: a text others wrote too stays for review, one
	 * fewer, its sample replaced by the shared normalised form (the
	 * sample may have been this person's own spelling).
	 */
	"UPDATE review_queue q JOIN attributions a ON "
	    "a.free_kind = q.kind AND a.free_text = q.norm_text "
	    "SET q.n = q.n - 1, q.sample_text = q.norm_text "
	    "WHERE a.signup_ref = ?",
	/* A_FORGET: attributions are keyed by signup_ref (sql/040). */
	"DELETE FROM attributions WHERE signup_ref = ?",
	/* A_NOTICE */
	FORGET_NOTICE,
	/* A_FORGET_RESPONSES */
	FORGET_RESPONSES,
	/* A_FORGET_SIGNUP */
	FORGET_SIGNUP,
	/* A_FORGET_REPLACED: the answers the person replaced (sql/170). */
	"DELETE FROM response_history WHERE signup_ref = ?",
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

/* What a key may do (sql/095's SET, in its order). */
static const char *const kscopes[] = { "read", "answers", "signups",
    "activity" };
#define NSCOPES	(sizeof(kscopes) / sizeof(kscopes[0]))

/*
 * A comma-separated list of kscopes into out, canonical (the SET's
 * order, each once).  Returns 0, or -1 for an unknown or empty item.
 */
static int
scope_parse(const char *list, char out[APIKEY_SCOPE_MAX])
{
	int		 want[NSCOPES];
	const char	*p = list, *q;
	size_t		 i, n, len = 0;

	memset(want, 0, sizeof(want));
	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		for (i = 0; i < NSCOPES; i++)
			if (strlen(kscopes[i]) == n &&
			    strncmp(p, kscopes[i], n) == 0)
				break;
		if (i == NSCOPES)
			return -1;
		want[i] = 1;
		if (q == NULL)
			break;
		p = q + 1;
	}
	out[0] = '\0';
	for (i = 0; i < NSCOPES; i++)
		if (want[i])
			len += snprintf(out + len, APIKEY_SCOPE_MAX - len,
			    "%s%s", len > 0 ? "," : "", kscopes[i]);
	return 0;
}

/* A key to create, for key_unit. */
struct keynew {
	const char		*name;
	const char		*hash;		/* SHA-256 hex */
	const char		*scopes;	/* canonical */
	const char		**slugs;	/* its surveys; none: all */
	size_t			 nslugs;
	unsigned long long	 id;		/* out */
};

/* The unit that stores a key and its surveys, all or nothing. */
static enum hs_err
key_unit(struct hs_db *db, void *arg)
{
	struct keynew		*k = arg;
	struct hs_dbparam	 p[4] = { HS_DBP_TEXT(k->name),
				    HS_DBP_TEXT(k->hash),
				    HS_DBP_TEXT(k->scopes),
				    HS_DBP_INT(k->nslugs == 0) };
	enum hs_err		 e;
	size_t			 i;

	if ((e = hs_db_exec(db, S_KEY_PUT, p, 4, NULL)) != HS_OK)
		return e;
	k->id = hs_db_insert_id(db, S_KEY_PUT);
	for (i = 0; i < k->nslugs; i++) {
		p[0] = (struct hs_dbparam)HS_DBP_INT((long long)k->id);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(k->slugs[i]);
		if ((e = hs_db_exec(db, S_KEY_SURVEY_PUT, p, 2, NULL)) !=
		    HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * apikey create NAME [--scope LIST] [--survey SLUG ...]: prints the key
 * once; only its SHA-256 is kept.  LIST is read, answers and signups,
 * comma-separated (read,answers by default); without --survey, read and
 * answers cover every survey, present and to come.  Returns ADM_OK or
 * ADM_FAIL, or -1 for a usage error (adm_apikey prints the usage).
 */
static int
apikey_create(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct keynew		 k;
	unsigned char		 raw[APIKEY_BYTES], h[crypto_hash_sha256_BYTES];
	char			 key[4 + 2 * APIKEY_BYTES + 1];
	char			 hex[2 * sizeof(h) + 1];
	char			 scopes[APIKEY_SCOPE_MAX];
	const char		*list = adm_arg(args, "scope"), *v;
	const char		*slugs[ADM_ARGS_MAX];
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 col[2] = { HS_DBC_INT, HS_DBC_INT };
	size_t			 i = 0, j;
	int			 have, rc = ADM_FAIL;

	memset(&k, 0, sizeof(k));
	k.slugs = slugs;
	while ((v = adm_arg_next(args, "survey", &i)) != NULL) {
		if (*v == '\0')
			return ADM_SHOW_USAGE;
		k.slugs[k.nslugs++] = v;
	}
	k.name = args->pos[0];
	if (*k.name == '\0' || strlen(k.name) > 100)
		return ADM_SHOW_USAGE;
	if (scope_parse(list != NULL ? list : APIKEY_SCOPE_DEFAULT,
	    scopes) != 0) {
		warnx("--scope: a comma-separated list of read, answers, "
		    "signups");
		return ADM_SHOW_USAGE;
	}
	db = adm_open(a, sqls, S__MAX);
	/* An unknown slug refuses the key, rather than confine it less. */
	for (j = 0; j < k.nslugs; j++) {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(k.slugs[j]);
		if (hs_db_row(db, S_SURVEY_ID, p, 1, col, 2, &have) != HS_OK)
			goto out;
		if (!have) {
			warnx("no survey %s: no key created", k.slugs[j]);
			goto out;
		}
	}
	hs_rand_bytes(raw, sizeof(raw));
	memcpy(key, "hsk_", 4);
	hs_hex(raw, sizeof(raw), key + 4);
	crypto_hash_sha256(h, (unsigned char *)key, strlen(key));
	hs_hex(h, sizeof(h), hex);
	k.hash = hex;
	k.scopes = scopes;
	if (hs_db_unit(db, key_unit, &k) != HS_OK) {
		warnx("no key created");
		goto out;
	}
	printf("%s\n", key);
	fprintf(stderr, "api key %s created (id %llu), scope %s on %s; it "
	    "is shown only now\n", k.name, k.id, scopes[0] != '\0' ? scopes :
	    "nothing", k.nslugs > 0 ? "the surveys named" : "every survey");
	rc = ADM_OK;
out:
	sodium_memzero(key, sizeof(key));
	hs_db_close(db);
	return rc;
}

/* apikey list: the keys, never the keys themselves. */
static int
apikey_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	char			 name[101], when[32];
	char			 scopes[APIKEY_SCOPE_MAX];
	char			 surveys[APIKEY_SURVEYS_SHOWN + 1];
	struct hs_dbcol		 col[6] = { HS_DBC_INT,
				    HS_DBC_TEXT(name), HS_DBC_INT,
				    HS_DBC_TEXT(when), HS_DBC_TEXT(scopes),
				    HS_DBC_TEXT(surveys) };
	int			 have, rc = ADM_FAIL;

	db = adm_open(a, sqls, S__MAX);
	if (hs_db_query(db, S_KEY_LIST, NULL, 0, col, 6) == HS_OK) {
		printf("%-6s %-30s %-8s %-19s %-20s %s\n", "ID", "NAME",
		    "REVOKED", "CREATED", "SCOPES", "SURVEYS");
		while (hs_db_fetch(db, S_KEY_LIST, &have) == HS_OK && have)
			printf("%-6lld %-30s %-8s %-19s %-20s %s\n",
			    col[0].i, name, col[2].i ? "yes" : "no", when,
			    scopes, surveys);
		hs_db_end(db, S_KEY_LIST);
		rc = ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

static int
apikey_revoke(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[1];
	unsigned long long	 n = 0;
	char			*ep;
	int			 rc = ADM_FAIL;

	p[0] = (struct hs_dbparam)HS_DBP_INT(strtoll(args->pos[0], &ep, 10));
	if (*ep != '\0' || p[0].i <= 0)
		return ADM_SHOW_USAGE;
	db = adm_open(a, sqls, S__MAX);
	if (hs_db_exec(db, S_KEY_REVOKE, p, 1, &n) == HS_OK) {
		if (n == 0)
			warnx("no api key %lld (or already revoked)", p[0].i);
		else
			printf("api key %lld revoked\n", p[0].i);
		rc = n == 0 ? ADM_FAIL : ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

static const struct adm_opt apikey_opts[] = {
	{ "scope", 0 }, { "survey", ADM_REPEAT }, { NULL, 0 }
};

const struct adm_sub adm_apikey_subs[] = {
	{ "create", apikey_create, 1, 1, apikey_opts, "create NAME "
	    "[--scope read,answers,signups] [--survey SLUG ...]" },
	{ "list", apikey_list, 0, 0, NULL, "list" },
	{ "revoke", apikey_revoke, 1, 1, NULL, "revoke ID" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};

struct forget {
	const char		*ref;
	char			 hash[65];	/* hs_ref_hash of ref */
	int			 derived;	/* reconciliation tables exist */
	unsigned long long	 responses, signups, attributions;
};

/*
 * Erase the derived rows, if any, and the raw ones in one unit, having
 * first widened the reconciliation's dirty days to those the erased
 * rows counted on: the next run, incremental too, rebuilds the per-day
 * tables and rollups of those days without them.  Read before deleting,
 * in the same transaction, so a replay finds the same days.
 *
 * The tombstone goes first: its row lock is what a journal loader's
 * locking read of it waits on (src/survey/store.c), and if the loader
 * read first, its shared lock holds this INSERT back until the loaded
 * answer is committed, for the deletes below to find.
 */
static enum hs_err
forget_unit(struct hs_db *db, void *arg)
{
	struct forget		*f = arg;
	struct hs_dbparam	 p[2] = { HS_DBP_TEXT(f->ref),
	    HS_DBP_TEXT(f->ref) };
	char			 d0[16], d1[16];
	struct hs_dbcol		 c[3] = { HS_DBC_TEXT(d0), HS_DBC_TEXT(d1),
	    HS_DBC_INT };
	struct hs_dbparam	 h[1] = { HS_DBP_TEXT(f->hash) };
	enum hs_err		 e;
	int			 have = 0;

	if ((e = hs_db_exec(db, A_TOMBSTONE, h, 1, NULL)) != HS_OK)
		return e;
	if (!f->derived)
		goto raw;
	if ((e = hs_db_row(db, A_FORGET_DAYS, p, 2, c, 3, &have)) != HS_OK)
		return e;
	if (have && c[2].i > 0 && !c[0].isnull && !c[1].isnull) {
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(d0);
		if ((e = hs_db_exec(db, A_DIRTY_FROM, p + 1, 1, NULL)) != HS_OK)
			return e;
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(d1);
		if ((e = hs_db_exec(db, A_DIRTY_TO, p + 1, 1, NULL)) != HS_OK)
			return e;
	}
	/* Derived rows go before what they were derived from. */
	if ((e = hs_db_exec(db, A_FORGET_RQ_DROP, p, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, A_FORGET_RQ_SCRUB, p, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, A_FORGET, p, 1, &f->attributions)) != HS_OK)
		return e;
raw:
	if ((e = hs_db_exec(db, A_NOTICE, p, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, A_FORGET_REPLACED, p, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, A_FORGET_RESPONSES, p, 1, &f->responses)) !=
	    HS_OK)
		return e;
	return hs_db_exec(db, A_FORGET_SIGNUP, p, 1, &f->signups);
}

/*
 * forget --signup REF: erases the signup's answers in every survey, the
 * signup, its click ids, and what the nightly run derived from them; the
 * next run recounts the days they counted on.  A tombstone keeps the
 * survey's journal loader from storing them again.
 */
static int
forget(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db, *fdb = NULL;
	struct forget		 f;
	struct hs_dbcol		 col[2];
	const char		*t[A__MAX];
	size_t			 i;
	int			 have = 0, rc = ADM_FAIL;

	if (adm_arg(args, "signup") == NULL || *adm_arg(args, "signup") ==
	    '\0')
		return ADM_SHOW_USAGE;
	memset(&f, 0, sizeof(f));
	memset(col, 0, sizeof(col));
	col[0].type = col[1].type = HS_DB_INT;
	if (!a->conf.have_hmac_key) {
		warnx("forget: the secrets file has no hmac_key (the "
		    "erasure's tombstone is keyed with it)");
		return ADM_FAIL;
	}
	f.ref = adm_arg(args, "signup");
	hs_ref_hash(a->conf.hmac_key, f.ref, f.hash);
	db = adm_open(a, sqls, S__MAX);
	/*
	 * attributions and reconcile_state are the nightly run's tables
	 * (sql/040), webhook_erasures the webhooks' (sql/070); they may
	 * not be migrated yet, and a statement on a missing table cannot
	 * even be prepared, so the erasure gets its own handle with the
	 * statements that fit, which then erases everything in one
	 * transaction.
	 */
	if (hs_db_query(db, S_HAS_TABLES, NULL, 0, col, 2) != HS_OK ||
	    hs_db_fetch(db, S_HAS_TABLES, &have) != HS_OK)
		goto out;
	hs_db_end(db, S_HAS_TABLES);
	if (!have)
		goto out;
	memcpy(t, asqls, sizeof(asqls));
	f.derived = col[0].i > 0;
	if (!f.derived)
		for (i = A_FORGET_DAYS; i <= A_FORGET; i++)
			t[i] = FORGET_NOOP;
	if (col[1].i == 0)
		t[A_NOTICE] = FORGET_NOOP;
	if (hs_db_open(&fdb, &a->conf, 0, t, A__MAX) != HS_OK ||
	    hs_db_unit(fdb, forget_unit, &f) != HS_OK) {
		warnx("erasure failed");
		goto out;
	}
	printf("signup erased: %llu answers, %llu signups, %llu "
	    "attributions\n", f.responses, f.signups, f.attributions);
	rc = ADM_OK;
out:
	hs_db_close(fdb);
	hs_db_close(db);
	return rc;
}

static const struct adm_opt forget_opts[] = {
	{ "signup", 0 }, { NULL, 0 }
};

const struct adm_sub adm_forget_subs[] = {
	{ NULL, forget, 0, 0, forget_opts, "--signup REF" },
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
