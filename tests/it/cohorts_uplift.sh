#!/usr/bin/env bash
# tests/it/cohorts_uplift.sh: the cohorts' accuracy check (issue 20).
# hearsay-gen --activity-uplift 5 makes referred signups (by the truth)
# worth 5 more in their first 30 days than others.  Measured with the
# truth's arms straight from the raw rows, 5 is inside the 95% normal
# interval; and the report's matched uplift (/admin/cohorts, value
# table), by the reconciliation's arrivals, covers 5 within its printed
# interval and tells it from none (the interval excludes 0).  A 95%
# interval misses for one seed in twenty: seed 21 does, by both
# measures alike (its noise, not the pass); 23 is fixed here.  With
# --activity-uplift 0 the interval covers 0.  The report's matched
# uplift (on signup week and credited channel) and its interval, for
# everyone and for one campaign's referred signups, equal the same
# estimator computed in SQL from the raw rows.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_stack_start
report_user dana
SID=$(report_login dana)

# The 30-day row's uplift and interval, "u lo hi nr no strata", from
# the JSON; $1: a split (campaign:SLUG), or none.
uplift() {
	curl -q -s --max-time 20 -H "Cookie: hs_session=$SID" \
	    "$HS_URL/admin/cohorts?table=value&format=json&split=${1:-}" |
	    python3 -c 'import json, sys
d = json.load(sys.stdin)
r = [x for x in d["rows"] if str(x["horizon_days"]) == "30"][0]
lo, hi = r["uplift_ci"].split(" to ")
print(r["matched_uplift"], lo, hi, r["referred_size"], r["other_size"], r["strata"])'
}
# The same estimator straight from the raw rows: signups, attributions,
# activity (value in the first 30 days), by signup week and credited
# channel: a stratum per week and channel with two or more signups in
# each arm, the week's other referred against all its others, weighted
# by referred signups.  $1: which referred signups (SQL over camp, the
# credited campaign's slug).  Prints "u lo hi strata".
direct() {
	hs_sql "WITH m AS (SELECT DATE(s.signed_up_at) - INTERVAL WEEKDAY(s.signed_up_at) DAY AS wk,
	    COALESCE(a.channel, 'none') AS ch, COALESCE(c.slug, '') AS camp,
	    COALESCE(a.tracked_link_id IS NOT NULL OR a.reported_advocate_id IS NOT NULL
		OR a.reported_channel = 'referral', 0) AS ref,
	    COALESCE((SELECT SUM(x.value) FROM activity x WHERE x.signup_id = s.id
		AND x.at >= s.signed_up_at AND x.at < s.signed_up_at + INTERVAL 30 DAY), 0) AS v
	    FROM signups s LEFT JOIN attributions a ON a.signup_ref = s.signup_ref
	    LEFT JOIN campaigns c ON c.id = a.campaign_id
	    WHERE s.signed_up_at + INTERVAL 30 DAY <= UTC_DATE()),
	arm AS (SELECT wk, ch, v, ref AS r FROM m WHERE NOT ref OR ($1)),
	cell AS (SELECT wk, ch, SUM(r) AS nr, SUM(NOT r) AS nn, AVG(IF(r, v, NULL)) AS mr,
	    AVG(IF(r, NULL, v)) AS mn, VAR_SAMP(IF(r, v, NULL)) AS vr,
	    VAR_SAMP(IF(r, NULL, v)) AS vn FROM arm GROUP BY wk, ch),
	rest AS (SELECT a.wk, COUNT(*) AS nr, AVG(a.v) AS mr, VAR_SAMP(a.v) AS vr FROM arm a
	    JOIN cell c ON c.wk = a.wk AND c.ch = a.ch WHERE a.r AND NOT (c.nr > 1 AND c.nn > 1)
	    GROUP BY a.wk),
	per AS (SELECT wk, COUNT(*) AS nn, AVG(v) AS mn, VAR_SAMP(v) AS vn FROM arm
	    WHERE NOT r GROUP BY wk),
	st AS (SELECT nr AS w, mr - mn AS d, vr / nr + vn / nn AS var FROM cell
	    WHERE nr > 1 AND nn > 1 UNION ALL SELECT r.nr, r.mr - p.mn, r.vr / r.nr + p.vn / p.nn
	    FROM rest r JOIN per p ON p.wk = r.wk WHERE r.nr > 1 AND p.nn > 1)
	SELECT CONCAT_WS(' ', SUM(w * d) / SUM(w), SUM(w * d) / SUM(w) - 1.959964 * SQRT(SUM(w * w * var)) / SUM(w),
	    SUM(w * d) / SUM(w) + 1.959964 * SQRT(SUM(w * w * var)) / SUM(w), COUNT(*)) FROM st"
}
# 1 if the page's "u lo hi strata" rounds the direct ones.
same() {
	python3 -c 'import sys
a, b = sys.argv[1].split(), sys.argv[2].split()
sys.exit(not (all(abs(float(x) - float(y)) <= 0.006 for x, y in zip(a[:3], b[:3]))
    and a[3] == b[3]))' "$1" "$2"
}
inside() { python3 -c 'import sys; v, lo, hi = map(float, sys.argv[1:4]); sys.exit(not lo <= v <= hi)' "$@"; }

ok rc_gen --signups 2000 --clicks-per-signup 2 --seed 23 --start 2026-01-05 --days 56 \
    --activity-uplift 5
ok rc_run --full
read -r u lo hi nr no ns <<<"$(uplift)"
diag "uplift $u ($lo to $hi), referred $nr, others $no, $ns strata"
ok test "$nr" -gt 100 -a "$no" -gt 100
want=$(direct 1)
diag "direct SQL: $want"
ok same "$u $lo $hi $ns" "$want"
ok test "$(hs_sql "SELECT COUNT(DISTINCT channel) FROM cohort_match WHERE period = 'week'
    AND split = 'all' AND referred = 0")" -gt 2
# One campaign's referred signups against all others.
camp=$(hs_sql "SELECT split_key FROM cohort_match WHERE period = 'week' AND split = 'campaign'
    AND horizon = 30 GROUP BY split_key ORDER BY SUM(size) DESC, split_key LIMIT 1")
read -r cu clo chi cnr cno cns <<<"$(uplift "campaign:$camp")"
cwant=$(direct "camp = '$camp'")
diag "campaign $camp: uplift $cu ($clo to $chi), referred $cnr; direct SQL: $cwant"
ok test "$cnr" -gt 0 -a "$cnr" -lt "$nr"
ok same "$cu $clo $chi $cns" "$cwant"
read -r tu tlo thi <<<"$(hs_sql "SELECT d, d - 1.959964 * se, d + 1.959964 * se FROM
    (SELECT AVG(IF(r, v, NULL)) - AVG(IF(r, NULL, v)) AS d,
        SQRT(VAR_SAMP(IF(r, v, NULL)) / SUM(r) + VAR_SAMP(IF(r, NULL, v)) / SUM(1 - r)) AS se
    FROM (SELECT (t.true_class IN ('agree', 'disagree', 'tracked_only')
        OR t.true_reported_advocate_id > 0 OR (t.true_class = 'reported_only'
        AND t.true_channel = 'referral')) AS r, COALESCE(SUM(a.value), 0) AS v
    FROM signups s JOIN gen_truth t ON t.signup_ref = s.signup_ref
    LEFT JOIN activity a ON a.signup_id = s.id AND a.at < s.signed_up_at + INTERVAL 30 DAY
    WHERE s.signup_ref LIKE 'gen23-%' GROUP BY s.id) x) y")"
diag "by the truth's arms: $tu ($tlo to $thi)"
ok inside 5 "$tlo" "$thi"
is "$(inside 0 "$lo" "$hi" && echo covers || echo excludes)" excludes \
    "the report's interval tells a 5 uplift from none"
ok inside 5 "$lo" "$hi"

# No uplift: the interval covers 0.
hs_sql "DELETE FROM activity; DELETE FROM signups WHERE signup_ref LIKE 'gen23-%'"
rc_reset
ok rc_gen --signups 2000 --clicks-per-signup 2 --seed 22 --start 2026-01-05 --days 56 \
    --activity-uplift 0
ok rc_run --full
read -r u lo hi nr no ns <<<"$(uplift)"
diag "uplift $u ($lo to $hi), referred $nr, others $no"
ok inside 0 "$lo" "$hi"

done_testing
