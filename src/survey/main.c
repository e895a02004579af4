/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-survey, the "How did you hear about us?" program.  It
 * serves the form (GET /s/<survey>), takes answers (POST /s/<survey>),
 * thanks (GET /s/<survey>/thanks), looks up the names it may suggest
 * (GET /s/<survey>/suggest, suggest.c) and the JSON API for apps with
 * their own UI (/api/v1/...).  This file holds the statement table,
 * the route tables (core's hs_route answers unknown paths, methods
 * and bodies too large; OPTIONS is 204 with Allow, as in every
 * program), and the program's description for core's skeleton
 * (program.c): N workers, each with its own MariaDB handle and many kept
 * FastCGI connections (fcgimux.c: the answers that arrive together are
 * committed together, store.c), and one helper that loads journalled
 * answers once MariaDB is back.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "survey.h"

/* STMT_ANSWER_GET's text, which STMT_ANSWER_LOCK extends. */
#define ANSWER_GET	"SELECT r.id, r.submission_id, r.options, " \
	    "COALESCE(r.followup_text, ''), COALESCE(r.other_text, ''), " \
	    "COALESCE(r.referrer_text, ''), COALESCE(r.code_text, ''), " \
	    "DATE_FORMAT(LEAST(r.answered_at, COALESCE((SELECT " \
	    "MIN(h.answered_at) FROM response_history h WHERE " \
	    "h.survey_id = r.survey_id AND h.signup_ref = r.signup_ref), " \
	    "r.answered_at)) + INTERVAL ? HOUR, '%Y-%m-%d %H:%i:%s.%f'), " \
	    "DATE_FORMAT(r.answered_at, '%Y-%m-%d') " \
	    "FROM responses r WHERE r.survey_id = ? AND r.signup_ref = ?"

/*
 * Activity items' INSERT (ACT_PUT, its columns:
 * activity_id, signup, kind, at, value, currency, key id), and whether
 * a key is still valid for activity (ACT_KEY_OK, its id bound).  A
 * stored one-item INSERT names its signup by id (ACT_ROW).
 *
 * activity.c's batch (ACT_BATCH) is one statement for any number of
 * items: a JSON array of [activity_id, signup_ref, kind, at, value,
 * currency] rows read by JSON_TABLE, each signup found by its
 * reference and the batch's key only while it is valid, both by LEFT
 * JOIN, so that one INSERT and its one round trip check and store every
 * item, or none: an unknown signup or a revoked key is a NULL in a NOT
 * NULL column, which fails the statement whole (HS_ENOTFOUND).  Its
 * columns are text as wide as activity's, converted by the INSERT as a
 * bound value is; signup_ref has signups' collation, so that the join
 * uses its index and matches as the one-item lookup does.  As an
 * INSERT ... SELECT it share-locks the signup and key rows it reads
 * until it ends (the foreign key's check locked the signup's already):
 * a forget or a revocation meanwhile waits for it.  It replaced
 * a VALUES list with a scalar subquery per row for the signup, each
 * optimised again at each execution, and one such statement per batch
 * size: in a stored procedure of 3000 batches of 7 in one transaction,
 * 255 us a batch against 175 (125 with the ids given); under the API's
 * benchmark the difference is within its noise.
 */
#define ACT_PUT		"INSERT INTO activity (activity_id, signup_id, " \
	    "kind, at, value, currency, api_key_id) "
#define ACT_ROW		"VALUES (?, ?, ?, ?, ?, ?, ?)"
#define ACT_KEY_OK	"FROM api_keys WHERE id = ? AND revoked = 0 AND " \
	    "FIND_IN_SET('activity', scopes) > 0"
#define ACT_BATCH	ACT_PUT "SELECT j.aid, s.id, j.kind, j.at, " \
	    "j.value, j.cur, k.id FROM JSON_TABLE(?, '$[*]' COLUMNS (" \
	    "aid VARCHAR(32) CHARACTER SET ascii PATH '$[0]', " \
	    "ref VARCHAR(128) CHARACTER SET utf8mb4 " \
	    "COLLATE utf8mb4_unicode_520_ci PATH '$[1]', " \
	    "kind VARCHAR(32) CHARACTER SET ascii PATH '$[2]', " \
	    "at VARCHAR(32) CHARACTER SET ascii PATH '$[3]', " \
	    "value VARCHAR(48) CHARACTER SET ascii PATH '$[4]', " \
	    "cur VARCHAR(3) CHARACTER SET ascii PATH '$[5]')) j " \
	    "LEFT JOIN signups s ON s.signup_ref = j.ref " \
	    "LEFT JOIN api_keys k ON k.id = ? AND k.revoked = 0 AND " \
	    "FIND_IN_SET('activity', k.scopes) > 0"

/* One answer's row, in STMT_RESPONSE_PUT's column order. */
#define RESPONSE_ROW	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

static const char *const stmts[STMT__MAX] = {
	/* STMT_SURVEY_GET */
	"SELECT id, slug, question, COALESCE(help_text, ''), multi, "
	    "shuffle, ask_code, allow_unsigned, COALESCE(return_url, ''), "
	    "version, COALESCE(new_link, ''), COALESCE(consent_text, ''), "
	    "lang FROM surveys WHERE slug = ?",
	/* STMT_OPTIONS_GET: retired options are never shown again. */
	"SELECT opt_key, label, channel, pinned, decoy, followup, "
	    "COALESCE(followup_label, '') FROM survey_options "
	    "WHERE survey_id = ? AND retired = 0 ORDER BY position, opt_key",
	/*
	 * STMT_SUGGEST: names of opted-in active advocates with a word
	 * that starts with the query (LIKE patterns: at the start, after a
	 * space, after a hyphen), those that start with it first.  The
	 * column's collation folds case and accents.
	 */
	"SELECT display_name FROM advocates WHERE suggest = 1 AND "
	    "status = 'active' AND (display_name LIKE ? OR "
	    "display_name LIKE ? OR display_name LIKE ?) "
	    "ORDER BY display_name LIKE ? DESC, display_name LIMIT ?",
	/* STMT_SALT_PUT: the first worker of the day makes the salt. */
	"INSERT IGNORE INTO salts (day, salt) VALUES (UTC_DATE(), ?)",
	/* STMT_SALT_GET */
	"SELECT DATE_FORMAT(day, '%Y-%m-%d'), salt FROM salts "
	    "WHERE day = UTC_DATE()",
	/* STMT_RESPONSE_PUT: the unique submission_id makes it idempotent. */
	"INSERT INTO responses (submission_id, survey_id, signup_ref, "
	    "verified, answered_at, options, shown_order, followup_text, "
	    "other_text, referrer_text, code_text, click_id, consent, "
	    "client_hash, velocity_flag, source) VALUES " RESPONSE_ROW,
	/* STMT_SIGNUP_PUT: a verified token names a signup. */
	"INSERT INTO signups (signup_ref, signed_up_at) VALUES (?, ?) "
	    "ON DUPLICATE KEY UPDATE id = id",
	/* STMT_SIGNUP_CLICK_PUT */
	"INSERT IGNORE INTO signup_clicks (signup_id, click_id) "
	    "SELECT id, ? FROM signups WHERE signup_ref = ?",
	/*
	 * STMT_SIGNUP_REPORT: the app's report is authoritative.  The
	 * first report claims the row for its key (sql/095); a report by
	 * another key is rolled back by api.c's unit (STMT_SIGNUP_OWNER).
	 * A new e-mail key marks the row keyed (sql/101), so the rehash
	 * of hearsay-admin migrate leaves it alone; a row keeping its old
	 * value keeps its mark.
	 */
	"INSERT INTO signups (signup_ref, signed_up_at, email_hash, "
	    "email_keyed, api_key_id) VALUES (?, ?, ?, 1, ?) "
	    "ON DUPLICATE KEY UPDATE "
	    "signed_up_at = VALUES(signed_up_at), "
	    "email_keyed = IF(VALUES(email_hash) IS NULL, email_keyed, 1), "
	    "email_hash = COALESCE(VALUES(email_hash), email_hash), "
	    "api_key_id = COALESCE(api_key_id, VALUES(api_key_id))",
	/* STMT_SIGNUP_OWNER: a locking read sees the latest owner. */
	"SELECT api_key_id FROM signups WHERE signup_ref = ? FOR UPDATE",
	/*
	 * STMT_APIKEY_GET: slug (NULL outside a survey), key hash.  The
	 * key's id, its scopes (sql/095) and whether the survey is in them.
	 */
	"SELECT k.id, FIND_IN_SET('read', k.scopes) > 0, "
	    "FIND_IN_SET('answers', k.scopes) > 0, "
	    "FIND_IN_SET('signups', k.scopes) > 0, "
	    "FIND_IN_SET('activity', k.scopes) > 0, k.all_surveys OR EXISTS "
	    "(SELECT 1 FROM api_key_surveys ks JOIN surveys s ON "
	    "s.id = ks.survey_id WHERE ks.api_key_id = k.id AND s.slug = ?) "
	    "FROM api_keys k WHERE k.key_hash = ? AND k.revoked = 0",
	/*
	 * STMT_RESPONSE_SAME: is the stored answer of a submission_id the
	 * one given (survey, signup, options, order, texts, click,
	 * consent)?  Byte for byte: the text columns' collation would take
	 * "zoë" for "Zoe".
	 */
	"SELECT survey_id = ? AND "
	    "CAST(signup_ref AS BINARY) <=> CAST(? AS BINARY) AND "
	    "options = ? AND shown_order = ? AND "
	    "CAST(followup_text AS BINARY) <=> CAST(? AS BINARY) AND "
	    "CAST(other_text AS BINARY) <=> CAST(? AS BINARY) AND "
	    "CAST(referrer_text AS BINARY) <=> CAST(? AS BINARY) AND "
	    "CAST(code_text AS BINARY) <=> CAST(? AS BINARY) AND "
	    "click_id <=> ? AND consent = ? "
	    "FROM responses WHERE submission_id = ?",
	/*
	 * STMT_LOAD_CHECK: answered_at, retention_days, the reference's
	 * hs_ref_hash (NULL when unsigned), answered_at.  Whether a
	 * journalled answer was erased after it was given (sql/100), and
	 * whether it is older than retention keeps answers (as
	 * "hearsay-admin retention" counts days).  A locking read: it
	 * waits for a forget in progress, and holds a forget that comes
	 * after it until the loader's COMMIT (store.c).
	 */
	"SELECT COUNT(*), ? < UTC_DATE() - INTERVAL ? DAY FROM "
	    "signup_erasures WHERE ref_hash = ? AND erased_at >= ? "
	    "LOCK IN SHARE MODE",
	/*
	 * STMT_ANSWER_GET: answer_change_hours, survey id, signup ref.  A
	 * signup's current answer (sql/170) and the end of its window to
	 * change it: that many hours after the first answer, the earliest
	 * kept in history or the current one.
	 */
	ANSWER_GET,
	/* STMT_ANSWER_LOCK: the same, locked, in the storing unit. */
	ANSWER_GET " FOR UPDATE",
	/*
	 * STMT_HISTORY_HAS: is this submission_id stored already, as
	 * another signup's answer or as one since replaced?
	 */
	"SELECT (SELECT COUNT(*) FROM responses WHERE submission_id = ?) + "
	    "(SELECT COUNT(*) FROM response_history WHERE submission_id = ?)",
	/* STMT_HISTORY_PUT: a replaced answer, kept as it was. */
	"INSERT INTO response_history (response_id, submission_id, "
	    "survey_id, signup_ref, verified, answered_at, options, "
	    "shown_order, followup_text, other_text, referrer_text, "
	    "code_text, click_id, consent, client_hash, velocity_flag, "
	    "source) SELECT id, submission_id, survey_id, signup_ref, "
	    "verified, answered_at, options, shown_order, followup_text, "
	    "other_text, referrer_text, code_text, click_id, consent, "
	    "client_hash, velocity_flag, source FROM responses WHERE id = ?",
	/* STMT_RESPONSE_DEL: after STMT_HISTORY_PUT, in its unit. */
	"DELETE FROM responses WHERE id = ?",
	/*
	 * STMT_DIRTY_FROM, STMT_DIRTY_TO: the day a replaced answer
	 * counted on, for the next reconciliation to recount (its
	 * rollups; the new answer is found by its recorded_at).
	 */
	HS_SQL_DIRTY_FROM,
	HS_SQL_DIRTY_TO,
	/*
	 * STMT_ACT_SIGNUP: the signup an activity item names (sql/150).
	 * A locking read: a forget in progress is waited for, and one
	 * after it waits for the item's COMMIT, then cascades to it.
	 */
	"SELECT id FROM signups WHERE signup_ref = ? LOCK IN SHARE MODE",
	/* STMT_ACT_PUT: a replayed activity_id stores nothing (0 rows). */
	ACT_PUT ACT_ROW " ON DUPLICATE KEY UPDATE activity_id = activity_id",
	/*
	 * STMT_ACT_KEY: is the key still valid for activity?  The store
	 * checks it again (api.c may have taken it from memory).
	 */
	"SELECT COUNT(*) " ACT_KEY_OK,
	/* STMT_ACTS: activity.c's batch (the JSON rows, the key's id). */
	ACT_BATCH,
};

/* stmts, then the INSERTs of 2 to SURVEY_BATCH_MAX answers. */
static const char *all[STMT__ALL];

/*
 * The slug of /s/<slug>[/...] into slug (SURVEY_MAX_SLUG + 1 bytes).
 * Returns 0, or -1 after a 404 for a malformed one.
 */
static int
slug_of(struct hs_req *r, char *slug, size_t sz)
{

	if (hs_path_seg(r->path, 1, slug, sz) < 0 ||
	    !survey_slug_ok(slug, strlen(slug))) {
		(void)hs_http_error(r, 404, N_("There is no survey at this "
		    "address."));
		return -1;
	}
	return 0;
}

/* GET, HEAD, POST /s/<slug>: the form, or an answer to it. */
static void
route_form(struct hs_req *r, void *arg)
{
	char	 slug[SURVEY_MAX_SLUG + 1];

	if (slug_of(r, slug, sizeof(slug)) == 0)
		form_handle(r, arg, slug, 0);
}

/* GET, HEAD /s/<slug>/thanks */
static void
route_thanks(struct hs_req *r, void *arg)
{
	char	 slug[SURVEY_MAX_SLUG + 1];

	if (slug_of(r, slug, sizeof(slug)) == 0)
		form_handle(r, arg, slug, 1);
}

/* GET, HEAD /s/<slug>/suggest?q= (suggest.c) */
static void
route_suggest(struct hs_req *r, void *arg)
{
	char	 slug[SURVEY_MAX_SLUG + 1];

	if (slug_of(r, slug, sizeof(slug)) == 0)
		suggest_handle(r, arg, slug);
}

/*
 * The form's routes; core answers the gates (hs_route: 404, OPTIONS,
 * 405 with Allow, 413) and the handler a malformed slug's 404.
 */
static const struct hs_route routes[] = {
	{ "/s/*", 0, HS_M_READ | HS_M(HS_METHOD_POST), HS_MAX_BODY,
	    route_form, N_("Only GET, HEAD and POST are allowed here."),
	    N_("The answer is too large.") },
	{ "/s/*/thanks", 0, HS_M_READ, 0, route_thanks,
	    N_("Only GET and HEAD are allowed here."), NULL },
	{ "/s/*/suggest", 0, HS_M_READ, 0, route_suggest,
	    N_("Only GET and HEAD are allowed here."), NULL },
};

/*
 * The API's routes (api.c), whose gates answer in JSON: for apps, not
 * people, so in English.
 */
static const struct hs_route api_routes[] = {
	{ "/api/v1/signups", 0, HS_M(HS_METHOD_POST), HS_MAX_JSON,
	    api_report, "POST only", "body too large" },
	{ "/api/v1/activity", 0, HS_M(HS_METHOD_POST), HS_MAX_JSON,
	    api_report, "POST only", "body too large" },
	{ "/api/v1/surveys/*", 0, HS_M_READ, 0, api_definition,
	    "GET only", "body too large" },
	{ "/api/v1/surveys/*/responses", 0, HS_M(HS_METHOD_POST),
	    HS_MAX_JSON, api_answers, "POST only", "body too large" },
};

#define NROUTES(t)	(sizeof(t) / sizeof((t)[0]))

/* One request: the API's routes under /api/, else the form's. */
static void
handle(struct hs_req *r, void *arg)
{

	if (strncmp(r->path, "/api/", 5) == 0)
		hs_route_err(r, api_routes, NROUTES(api_routes),
		    "no such API", api_error, arg);
	else
		hs_route(r, routes, NROUTES(routes),
		    N_("There is no survey at this address."), arg);
}

/* Fills all[], or exits: a start-up failure. */
static void
make_stmts(void)
{
	struct hs_buf	 b;
	size_t		 n;

	memcpy(all, stmts, sizeof(stmts));
	hs_buf_init(&b, 16384);
	for (n = 2; n <= SURVEY_BATCH_MAX; n++) {
		if (hs_buf_puts(&b, n == 2 ? stmts[STMT_RESPONSE_PUT] :
		    all[STMT_RESPONSES(n - 1)]) != HS_OK ||
		    hs_buf_puts(&b, ", " RESPONSE_ROW) != HS_OK ||
		    (all[STMT_RESPONSES(n)] = hs_buf_take(&b)) == NULL)
			errx(1, "out of memory");
	}
}

/*
 * fcgimux.c's settle hook: the batch of answers, then that of activity
 * (dropped unstored when the answers' failed: every deferring request
 * is served again then, and stores its own items).  0 when both are
 * durable, else -1.
 */
static int
settle(void *arg)
{

	if (answer_settle(arg) != 0) {
		(void)activity_settle(arg, 0);
		return -1;
	}
	return activity_settle(arg, 1);
}

/* A worker's end (its database handle is closed by the skeleton). */
static void
worker_fini(void *arg)
{
	struct survey_ctx	*c = arg;

	hs_journal_close(c->jnl);
	hs_journal_close(c->ajnl);
	c->jnl = c->ajnl = NULL;
	survey_cache_free(c);
}

/* The helper: loads journalled answers until told to stop. */
static void
helper(void *arg)
{
	struct survey_ctx	*c = arg;

	if (hs_db_open(&c->db, &c->conf, 0, all, STMT__ALL) != HS_OK)
		hs_log(HS_LOG_WARN, "loader: database not reachable yet");
	if (c->db == NULL)
		return;
	loader_run(c);
	hs_db_close(c->db);
	c->db = NULL;
}

/* Once, before the workers fork: they share the velocity table. */
static void
start(void *arg)
{
	struct survey_ctx	*c = arg;

	make_stmts();
	if ((c->vel = velocity_new()) == NULL)
		err(1, "velocity table");
}

static struct survey_ctx ctx;

static struct hs_program prog = {
	.name = "survey",
	.conf = &ctx.conf,
	.handle = handle,
	.mux = 1,
	.settle = settle,	/* one INSERT per batch of answers, of items */
	.tmpls = survey_tmpls,
	.ntmpls = TMPL__MAX,
	.tmpl = ctx.tmpl,
	.stmts = all,
	.nstmts = STMT__ALL,
	.db = &ctx.db,
	.hmac = 1,		/* signs and checks tokens */
	.start = start,
	.worker_fini = worker_fini,
	.helper = helper,
	.arg = &ctx,
};

int
main(int argc, char *argv[])
{

	return hs_program_main(&prog, argc, argv);
}
