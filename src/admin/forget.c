/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * forget.c: hearsay-admin's erasure of a person's signup.
 *
 *	forget --signup REF		erase a signup and its answers
 *
 * The raw rows and what the nightly reconciliation derived from them go
 * in one transaction, after a tombstone that keeps the survey's journal
 * loader from storing them again.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "hearsay.h"
#include "admin.h"

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
	S_HAS_TABLES,
	S__MAX
};

static const char *const sqls[S__MAX] = {
	/* S_HAS_TABLES: forget's optional tables (sql/040, sql/070). */
	"SELECT COALESCE(SUM(table_name = 'attributions'), 0), "
	    "COALESCE(SUM(table_name = 'webhook_erasures'), 0) FROM "
	    "information_schema.tables WHERE table_schema = DATABASE() AND "
	    "table_name IN ('attributions', 'webhook_erasures')",
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
	if (hs_db_open(&fdb, &a->conf, HS_DB_BATCH, t, A__MAX) != HS_OK ||
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
