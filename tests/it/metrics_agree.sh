#!/usr/bin/env bash
# tests/it/metrics_agree.sh: the report's overview and hearsay-reconcile
# --summary print the same kappa, PABAK and number of categories for the
# same days of channel_matrix, on the edge cases of core's metrics.c: no
# signup with both sides, all in one diagonal cell, perfect agreement,
# all in one off-diagonal cell, and channels seen only beside 'none'
# (the report's heatmap axes carry them; they are not categories).  The
# two programs used to compute PABAK with different k (issue 14).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"

hs_stack_start
hs_sql "INSERT INTO channel_matrix (day, tracked_channel, reported_channel, n)
    VALUES
    ('2026-04-01', 'ad', 'none', 3), ('2026-04-01', 'none', 'search', 2),
    ('2026-04-02', 'referral', 'referral', 5),
    ('2026-04-02', 'event', 'none', 2),
    ('2026-04-03', 'referral', 'referral', 4),
    ('2026-04-03', 'event', 'event', 3),
    ('2026-04-04', 'referral', 'podcast', 4),
    ('2026-04-04', 'ad', 'none', 1),
    ('2026-04-05', 'referral', 'referral', 3),
    ('2026-04-05', 'referral', 'podcast', 1),
    ('2026-04-05', 'event', 'event', 5),
    ('2026-04-05', 'ad', 'none', 2), ('2026-04-05', 'none', 'search', 4)"
report_user alice
a=$(report_login alice)
like "$a" '^[0-9a-f]{64}$' "alice signed in"

# One line per day: "n k kappa pabak", numbers to three decimals, '-'
# for undefined.
line='
import json, sys
def f(v):
    return "-" if v is None else "%.3f" % v
'
report_day() {
	curl -s --max-time 20 -H "Cookie: hs_session=$a" \
	    "$HS_URL/admin/?from=$1&to=$1&table=agreement&format=json" |
	    python3 -c "$line"'
r = json.load(sys.stdin)["rows"][0]
print(r["both_sides"], r["categories"], f(r["kappa"]), f(r["pabak"]))'
}
summary_day() {
	"$RC_BIN" -f "$HS_CONF" --summary --since "$1" --until "$2" |
	    python3 -c "$line"'
s = json.load(sys.stdin)
print("-", s["matrix_channels"], f(s["kappa"]), f(s["pabak"]))'
}

# day, the day after, what both must say (n k kappa pabak), the case.
while read -r d next want what; do
	want=${want//_/ }
	rep=$(report_day "$d")
	sum=$(summary_day "$d" "$next")
	what=${what//_/ }
	is "$rep" "$want" "report, $what"
	is "${sum#- }" "${want#* }" "--summary agrees, $what"
done <<'CASES'
2026-04-01 2026-04-02 0_0_-_- no_signup_with_both_sides
2026-04-02 2026-04-03 5_1_-_- all_in_one_diagonal_cell,_chance_agreement_1
2026-04-03 2026-04-04 7_2_1.000_1.000 perfect_agreement
2026-04-04 2026-04-05 4_2_0.000_-1.000 all_in_one_off-diagonal_cell
2026-04-05 2026-04-06 9_3_0.795_0.833 the_report's_fixture_beside_'none'_rows
CASES

done_testing
