# tests/it/cohorts_lib.sh: the cohort tables both cohorts tests read
# (sourced after lib.sh; not a test itself).

# cohorts_seed [SPLITS [SQL]]: campaigns spring and autumn, and four
# weekly cohorts of 100 referred and 300 other signups: referred keep
# 60%, 50%, 40% in weeks 0-2, the others 40%, 30%, 20%.  Value at 30
# days: referred 10 per signup, others 6, so the matched uplift is 4
# (the referred all of the referral channel, matched on week only); the
# 50 referred of campaign spring each week are worth 12: uplift 6.
# SPLITS adds rows to that split list ("UNION ALL SELECT 'tier',
# 'gold', 10"), each 50 referred a week worth the value given; SQL
# runs after the seed, in the same call.  Week 2026-01-05 has 400
# signups, 200 invites and 100 credited (K-factor 0.25).
cohorts_seed() {
	hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
	    VALUES ('spring', 'Spring', 'example.com', 'https://example.com/'),
		('autumn', 'Autumn', 'example.com', 'https://example.com/');
	INSERT INTO cohort_retention (period, cohort, arrival, n, size, retained)
	SELECT 'week', '2026-01-05' + INTERVAL 7 * c.seq DAY, a.arr, n.seq,
	    a.size, a.size * (a.base - n.seq * 10) / 100
	FROM seq_0_to_3 c JOIN seq_0_to_2 n JOIN (SELECT 'referral' AS arr,
	    100 AS size, 60 AS base UNION ALL SELECT 'none', 300, 40) a;
	INSERT INTO cohort_value SELECT 'week',
	    '2026-01-05' + INTERVAL 7 * c.seq DAY, a.arr, 30, a.size,
	    a.size / 2, a.size * a.m, a.size * (a.m * a.m + 4)
	FROM seq_0_to_3 c JOIN (SELECT 'referral' AS arr, 100 AS size,
	    10 AS m UNION ALL SELECT 'none', 300, 6) a;
	INSERT INTO cohort_match SELECT period, cohort, IF(arrival =
	    'referral', 'referral', 'search'), 'all', '', arrival = 'referral',
	    horizon, size, activated, value, value_sq FROM cohort_value;
	INSERT INTO cohort_match SELECT period, cohort, 'referral', s.split,
	    s.k, 1, horizon, 50, 25, 50 * s.m, 50 * (s.m * s.m + 4)
	FROM cohort_value JOIN (SELECT 'campaign' AS split, 'spring' AS k,
	    12 AS m ${1:-}) s
	WHERE arrival = 'referral';
	INSERT INTO cohort_kfactor VALUES ('week', '2026-01-05', 400, 200, 100);
	INSERT INTO cohort_runs VALUES (1, UTC_TIMESTAMP(3), '2026-03-01', 0.1);
	${2:-}"
}
