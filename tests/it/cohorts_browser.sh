#!/usr/bin/env bash
# tests/it/cohorts_browser.sh: the cohorts page (/admin/cohorts, issue
# 20) in headless Chromium, on cohort tables seeded with known figures:
# the chart and its bands, the triangle, the value table with the
# matched uplift, the K-factor with its definition, clicking between week and month and between arrivals,
# a CSV and a JSON download; axe-core clean at 1280x800 and 390x844,
# no sideways scrolling on the phone (hs_browser.audit).  Bad query
# values get a 400.  Needs python3-selenium, chromium-driver and npm.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_browser_setup cohorts_browser
hs_stack_start
report_user dana
# Four weekly cohorts of 100 referred and 300 other signups: referred
# keep 60%, 50%, 40% in weeks 0-2, the others 40%, 30%, 20%.  Value at
# 30 days: referred 10 per signup, others 6, so the matched uplift is 4.
hs_sql "INSERT INTO cohort_retention (period, cohort, arrival, n, size, retained)
    SELECT 'week', '2026-01-05' + INTERVAL 7 * c.seq DAY, a.arr, n.seq, a.size,
        a.size * (a.base - n.seq * 10) / 100
    FROM seq_0_to_3 c JOIN seq_0_to_2 n JOIN (SELECT 'referral' AS arr, 100 AS size,
        60 AS base UNION ALL SELECT 'none', 300, 40) a;
    INSERT INTO cohort_retention SELECT 'month', '2026-01-01', arrival, n, SUM(size) / 4,
        SUM(retained) / 4 FROM cohort_retention WHERE period = 'week' GROUP BY arrival, n;
    INSERT INTO cohort_value SELECT 'week', '2026-01-05' + INTERVAL 7 * c.seq DAY,
        a.arr, 30, a.size, a.size / 2, a.size * a.m, a.size * (a.m * a.m + 4)
    FROM seq_0_to_3 c JOIN (SELECT 'referral' AS arr, 100 AS size, 10 AS m
        UNION ALL SELECT 'none', 300, 6) a;
    INSERT INTO cohort_kfactor VALUES ('week', '2026-01-05', 400, 200, 100),
        ('week', '2026-01-12', 400, 0, 0);
    INSERT INTO cohort_runs VALUES (1, UTC_TIMESTAMP(3), '2026-03-01', 0.1)"

SID=$(report_login dana)
C=(-H "Cookie: hs_session=$SID")
for q in 'period=year' 'arrival=everyone' 'format=xml&table=curve' 'format=csv&table=nope' \
    'period=week&period=month'; do
	is "$(http_status GET "/admin/cohorts?$q" "${C[@]}")" 400 "?$q: 400"
done
is "$(http_status GET /admin/cohorts)" 303 "not signed in: to the login page"
http_fetch GET '/admin/cohorts?table=value&format=json' "${C[@]}"
is "$HTTP_STATUS" 200 "value as JSON: 200"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"matched_uplift":"?4\.00"?' "the matched uplift is 4.00"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"referred_size":"?400"?' "with the arm's size"
# K-factor: 200 invites for 400 signups, 100 credited: 0.5 x 0.5.
http_fetch GET '/admin/cohorts?table=kfactor&format=json' "${C[@]}"
is "$HTTP_STATUS" 200 "K-factor as JSON: 200"
like "$(tr -d '\n' <"$HTTP_BODY")" \
    '"start":"2026-01-05","signups":400,"invites":200,"invites_per_signup":0.500,"converted":100,"conversion":0.500,"k_factor":0.250,"definition":"K-factor = invites per signup x conversion' \
    "K-factor 0.250 = 0.500 invites per signup x 0.500 conversion, with its definition"
like "$(tr -d '\n' <"$HTTP_BODY")" '"invites":0,"invites_per_signup":0.000,"converted":0,"conversion":null,"k_factor":null' \
    "no invites: no conversion, no K-factor (null, not 0)"
http_fetch GET '/admin/cohorts?table=kfactor&format=csv' "${C[@]}"
like "$(head -1 "$HTTP_BODY")" '^"start","signups","invites","invites_per_signup","converted","conversion","k_factor","definition"' \
    "K-factor as CSV: its columns and the definition"

out=$HS_TMP/browser
mkdir -p "$out"
if /usr/bin/python3 "$top_srcdir/tests/it/cohorts_browser.py" "$HS_URL" dana \
    "$REPORT_PW" "$out"; then
	pass "browser session (cohorts_browser.py)"
else
	fail "browser session (cohorts_browser.py)"
fi

done_testing
