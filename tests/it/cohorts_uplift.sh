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
# --activity-uplift 0 the interval covers 0.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_stack_start
report_user dana
SID=$(report_login dana)

# The 30-day row's uplift and interval, "u lo hi", from the JSON.
uplift() {
	curl -q -s --max-time 20 -H "Cookie: hs_session=$SID" \
	    "$HS_URL/admin/cohorts?table=value&format=json" |
	    python3 -c 'import json, sys
d = json.load(sys.stdin)
r = [x for x in d["rows"] if str(x["horizon_days"]) == "30"][0]
lo, hi = r["uplift_ci"].split(" to ")
print(r["matched_uplift"], lo, hi, r["referred_size"], r["other_size"])'
}
inside() { python3 -c 'import sys; v, lo, hi = map(float, sys.argv[1:4]); sys.exit(not lo <= v <= hi)' "$@"; }

ok rc_gen --signups 2000 --clicks-per-signup 2 --seed 23 --start 2026-01-05 --days 56 \
    --activity-uplift 5
ok rc_run --full
read -r u lo hi nr no <<<"$(uplift)"
diag "uplift $u ($lo to $hi), referred $nr, others $no"
ok test "$nr" -gt 100 -a "$no" -gt 100
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
read -r u lo hi nr no <<<"$(uplift)"
diag "uplift $u ($lo to $hi), referred $nr, others $no"
ok inside 0 "$lo" "$hi"

done_testing
