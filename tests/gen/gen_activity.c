/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * gen_activity.c: hearsay-gen --activity-uplift U (issue 20): activity
 * for the seed's signups with a known difference between referred and
 * other signups, for the cohorts' accuracy check.  Referred, by the
 * truth (gen_truth: a tracked click, or an answer meaning an advocate
 * or the referral channel), is what the cohorts call "referral".  Every signup makes one purchase
 * in its first 30 days, worth 20 plus uniform noise in [-10, 10), plus
 * U when referred: the true uplift of value per signup at 30 days is U.
 * Referred signups are active in each of their first 8 weeks with
 * probability 0.6, others 0.4; half of all activate.
 *
 * Set-based SQL on the generator's connection, deterministic: the
 * "random" numbers are MD5s of the signup reference, so the same seed
 * gives the same rows.  Only numbers are printed into the statements.
 */
#include "config.h"

#include <stdio.h>

#include "hearsay.h"

/* A number in [0, 1) from the reference and a salt, in SQL. */
#define GA_U(salt)	"(CONV(SUBSTR(MD5(CONCAT(s.signup_ref, '" salt \
	"')), 1, 8), 16, 10) / 4294967296)"
#define GA_REFERRED	"(t.true_class IN ('agree', 'disagree', " \
	"'tracked_only') OR t.true_reported_advocate_id > 0 OR " \
	"(t.true_class = 'reported_only' AND t.true_channel = 'referral'))"

/* The columns are named: activity has more than an item's (sql/250). */
#define GA_INTO	"INSERT IGNORE INTO activity (activity_id, signup_id, " \
	    "kind, at, value, currency, api_key_id) "

int gen_activity(struct hs_db *, long long, double);

int
gen_activity(struct hs_db *db, long long seed, double uplift)
{
	char	 q[2048];

	(void)snprintf(q, sizeof(q), GA_INTO
	    "SELECT MD5(CONCAT(s.signup_ref, ':p')), s.id, 'purchase', "
	    "s.signed_up_at + INTERVAL FLOOR(1 + 28 * " GA_U(":d") ") DAY, "
	    "20 + 20 * " GA_U(":v") " - 10 + IF(" GA_REFERRED ", %.4f, 0), "
	    "NULL, 0 FROM signups s JOIN gen_truth t ON "
	    "t.signup_ref = s.signup_ref WHERE s.signup_ref LIKE 'gen%lld-%%'",
	    uplift, seed);
	if (hs_db_sql(db, q) != HS_OK)
		return -1;
	(void)snprintf(q, sizeof(q), GA_INTO
	    "SELECT MD5(CONCAT(s.signup_ref, ':a', w.seq)), s.id, 'active', "
	    "s.signed_up_at + INTERVAL 7 * w.seq DAY + INTERVAL 3 HOUR, "
	    "NULL, NULL, 0 FROM signups s JOIN gen_truth t ON "
	    "t.signup_ref = s.signup_ref JOIN seq_0_to_7 w WHERE "
	    "s.signup_ref LIKE 'gen%lld-%%' AND "
	    "CONV(SUBSTR(MD5(CONCAT(s.signup_ref, ':w', w.seq)), 1, 8), 16, "
	    "10) / 4294967296 < IF(" GA_REFERRED ", 0.6, 0.4)", seed);
	if (hs_db_sql(db, q) != HS_OK)
		return -1;
	(void)snprintf(q, sizeof(q), GA_INTO
	    "SELECT MD5(CONCAT(s.signup_ref, ':x')), s.id, 'activated', "
	    "s.signed_up_at + INTERVAL 1 DAY, NULL, NULL, 0 FROM signups s "
	    "WHERE s.signup_ref LIKE 'gen%lld-%%' AND " GA_U(":x") " < 0.5",
	    seed);
	return hs_db_sql(db, q) == HS_OK ? 0 : -1;
}
