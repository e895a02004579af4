#!/usr/bin/env bash
# tests/it/cohorts_browser.sh: the cohorts page (/admin/cohorts, issue
# 20) in headless Chromium, on cohort tables seeded with known figures:
# the chart and its bands, the triangle, the value table with the
# matched uplift, the K-factor with its definition, the program's
# economics and an admin entering a month's costs (refused, then
# saved, audited; an analyst gets no form and a 403), clicking between week and month and between arrivals,
# a CSV and a JSON download; axe-core clean at 1280x800 and 390x844,
# no sideways scrolling on the phone (hs_browser.audit).  Bad query
# values get a 400.  Needs python3-selenium, chromium-driver and npm.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"
. "$top_srcdir/tests/it/cohorts_lib.sh"

hs_browser_setup cohorts_browser
hs_stack_start
report_user dana --role admin
report_user ann
# The seed (cohorts_lib.sh), a month of the same retention, a week
# without invites, and 80 of spring's referred signups in January.
cohorts_seed "" "INSERT INTO cohort_retention SELECT 'month', '2026-01-01', arrival, n,
        SUM(size) / 4, SUM(retained) / 4 FROM cohort_retention WHERE period = 'week'
        GROUP BY arrival, n;
    INSERT INTO cohort_kfactor VALUES ('week', '2026-01-12', 400, 0, 0);
    INSERT INTO cohort_referred SELECT id, '2026-01-01', 80 FROM campaigns
    WHERE slug = 'spring'"

SID=$(report_login dana)
C=(-H "Cookie: hs_session=$SID")
for q in 'period=year' 'arrival=everyone' 'format=xml&table=curve' 'format=csv&table=nope' \
    'period=week&period=month' 'split=nope:x' 'split=campaign:' 'split=tier' \
    'split=tier:a&split=tier:b' 'split=event:%FF'; do
	is "$(http_status GET "/admin/cohorts?$q" "${C[@]}")" 400 "?$q: 400"
done
is "$(http_status GET /admin/cohorts)" 303 "not signed in: to the login page"
http_fetch GET '/admin/cohorts?table=value&format=json' "${C[@]}"
is "$HTTP_STATUS" 200 "value as JSON: 200"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"matched_uplift":"?4\.00"?' "the matched uplift is 4.00"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"referred_size":"?400"?' "with the arm's size"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"strata":4,"referred_on_channel":0,"referred_on_period":400,"referred_unmatched":0' \
    "four strata: the referral channel's signups matched on their week"
http_fetch GET '/admin/cohorts?table=value&format=json&split=campaign:spring' "${C[@]}"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"referred_value":12.00.*"matched_uplift":6.00' \
    "split by campaign spring: its referred against all others, uplift 6.00"
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

# An analyst reads the economics but gets no cost form, and a cost
# posted with a valid token anyway is refused.
SA=$(report_login ann)
http_fetch GET /admin/cohorts -H "Cookie: hs_session=$SA"
like "$(cat "$HTTP_BODY")" 'An admin of every campaign enters costs here' \
    "an analyst: told who enters costs"
unlike "$(cat "$HTTP_BODY")" 'form-cost' "an analyst: no cost form"
tok=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$HTTP_BODY" | head -1)
is "$(http_status POST /admin/cohorts/cost -H "Cookie: hs_session=$SA" \
    -H "Origin: $HS_URL" --data "csrf=$tok&once=0123456789abcdef0123456789abcdef&campaign=spring&month=2026-01&rewards=1")" \
    403 "an analyst's cost: 403"
is "$(hs_sql "SELECT COUNT(*) FROM program_costs")" 0 "nothing stored"

out=$HS_TMP/browser
mkdir -p "$out"
if /usr/bin/python3 "$top_srcdir/tests/it/cohorts_browser.py" "$HS_URL" dana \
    "$REPORT_PW" "$out"; then
	pass "browser session (cohorts_browser.py)"
else
	fail "browser session (cohorts_browser.py)"
fi
# The cost the browser entered, and its audit row.
is "$(hs_sql "SELECT CONCAT_WS(' ', c.slug, p.month, p.rewards, p.other)
    FROM program_costs p JOIN campaigns c ON c.id = p.campaign_id")" \
    "spring 2026-01-01 300.00 100.00" "the cost entered in the browser is stored"
is "$(hs_sql "SELECT CONCAT_WS('|', user_name, action, object, COALESCE(before_text, 'none'),
    REPLACE(after_text, '\n', '/')) FROM audit_log WHERE action = 'cost.set'")" \
    "dana|cost.set|spring 2026-01|none|rewards: 300.00/other: 100.00" \
    "audited: who, what, before and after"
# The gates of main.c and the form's nonce, by hand: another site's
# post and a wrong token are refused; the same form sent twice changes
# and audits once.
http_fetch GET /admin/cohorts "${C[@]}"
tok=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$HTTP_BODY" | head -1)
F="once=00112233445566778899aabbccddeeff&campaign=autumn&month=2026-02&rewards=10"
is "$(http_status POST /admin/cohorts/cost "${C[@]}" -H "Origin: https://evil.example" \
    --data "csrf=$tok&$F")" 403 "a cost posted from another site: 403"
is "$(http_status POST /admin/cohorts/cost "${C[@]}" -H "Origin: $HS_URL" \
    --data "csrf=0$tok&$F")" 403 "a cost with a wrong token: 403"
is "$(http_status POST /admin/cohorts/cost "${C[@]}" -H "Origin: $HS_URL" \
    --data "csrf=$tok&$F&month=2026-03")" 400 "a month sent twice: 400"
is "$(http_status POST /admin/cohorts/cost "${C[@]}" -H "Origin: $HS_URL" \
    --data "csrf=$tok&${F/once=0/once=x}")" 400 "a nonce that is no nonce: 400"
for i in 1 2; do
	is "$(http_status POST /admin/cohorts/cost "${C[@]}" -H "Origin: $HS_URL" \
	    --data "csrf=$tok&$F&other=$i")" 303 "the same form, time $i: 303"
done
is "$(hs_sql "SELECT CONCAT_WS(' ', p.rewards, p.other, (SELECT COUNT(*) FROM audit_log
    WHERE object = 'autumn 2026-02')) FROM program_costs p JOIN campaigns c ON c.id = p.campaign_id
    WHERE c.slug = 'autumn'")" "10.00 1.00 1" "sent twice: changed and audited once"

done_testing
