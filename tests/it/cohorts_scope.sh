#!/usr/bin/env bash
# tests/it/cohorts_scope.sh: the cohorts page (/admin/cohorts, issue 20)
# for an analyst limited to one campaign, on cohort tables seeded with
# known figures for two campaigns (spring, autumn).  The limited
# analyst sees only figures of its campaign: the value table compares
# its campaign's referred signups with the signups no campaign referred;
# the economics list its campaign's months and sum only them; the
# figures that pool every campaign (retention curve, triangle,
# K-factor) and the other campaigns', tiers' and events' splits are
# neither shown nor downloadable (403), and no other campaign is
# named anywhere.  An analyst of every campaign sees everything.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"
. "$top_srcdir/tests/it/cohorts_lib.sh"

hs_stack_start
# Two more splits of spring's week (autumn's 50 referred a week are
# worth 8; tier gold and event fair hold both), and a month of
# referred signups and costs for each campaign.
cohorts_seed "UNION ALL SELECT 'campaign', 'autumn', 8
    UNION ALL SELECT 'tier', 'gold', 10
    UNION ALL SELECT 'event', 'fair', 10" \
    "INSERT INTO cohort_referred SELECT id, '2026-01-01', IF(slug = 'spring', 80, 20)
        FROM campaigns;
    INSERT INTO program_costs SELECT id, '2026-01-01', IF(slug = 'spring', 400, 900), 0
        FROM campaigns"
report_user bob --campaign spring
report_user ann
B=(-H "Cookie: hs_session=$(report_login bob)")
A=(-H "Cookie: hs_session=$(report_login ann)")

# --- bob, limited to spring
http_fetch GET /admin/cohorts "${B[@]}"
is "$HTTP_STATUS" 200 "bob: the page"
page=$(cat "$HTTP_BODY")
unlike "$page" 'autumn|Autumn|gold|fair' "bob: no other campaign, tier or event named"
unlike "$page" 'pooled over the cohorts|Share retained, by cohort|K-factor by period' \
    "bob: no retention curve, triangle or K-factor (they pool every campaign)"
like "$page" 'pool every campaign' "bob: told why they are not shown"
like "$page" 'spring' "bob: his campaign's comparison"
for t in curve triangle kfactor; do
	for f in csv json; do
		is "$(http_status GET "/admin/cohorts?table=$t&format=$f" "${B[@]}")" 403 \
		    "bob: the $t as $f: 403"
	done
done
# The value table: spring's referred (12) against the unreferred (6).
http_fetch GET '/admin/cohorts?table=value&format=json' "${B[@]}"
is "$HTTP_STATUS" 200 "bob: value as JSON"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"referred_value":12.00.*"referred_size":200,.*"matched_uplift":6.00' \
    "bob: value of spring's referred signups, uplift 6.00"
is "$(http_status GET '/admin/cohorts?table=value&format=csv&split=campaign:spring' "${B[@]}")" \
    200 "bob: his own campaign's split: 200"
for s in campaign:autumn tier:gold event:fair campaign:nope; do
	is "$(http_status GET "/admin/cohorts?split=$s" "${B[@]}")" 403 "bob: split $s: 403"
	is "$(http_status GET "/admin/cohorts?table=value&format=json&split=$s" "${B[@]}")" 403 \
	    "bob: split $s as JSON: 403"
done
# The economics: spring's month only, and "all" is spring's.
http_fetch GET '/admin/cohorts?table=economics&format=csv' "${B[@]}"
is "$HTTP_STATUS" 200 "bob: economics as CSV"
unlike "$(cat "$HTTP_BODY")" 'autumn|900' "bob: no autumn costs"
like "$(tr -d '\n' <"$HTTP_BODY")" '"spring","2026-01",400.00,0.00,80,5.00' \
    "bob: spring's month, 5.00 per referred signup"
like "$(tr -d '\n' <"$HTTP_BODY")" '"all","",400.00,0.00,80,5.00' \
    "bob: the total is spring's alone"
http_fetch GET '/admin/cohorts?table=economics&format=json' "${B[@]}"
unlike "$(cat "$HTTP_BODY")" 'autumn|900' "bob: no autumn costs in JSON"

# --- ann, every campaign: everything, as before
http_fetch GET /admin/cohorts "${A[@]}"
like "$(cat "$HTTP_BODY")" 'K-factor by period' "ann: the K-factor"
like "$(cat "$HTTP_BODY")" 'campaign:autumn' "ann: autumn's split offered"
is "$(http_status GET '/admin/cohorts?table=curve&format=csv' "${A[@]}")" 200 "ann: the curve"
http_fetch GET '/admin/cohorts?table=value&format=json' "${A[@]}"
like "$(tr -d ' \n' <"$HTTP_BODY")" '"referred_value":10.00.*"matched_uplift":4.00' \
    "ann: every referred signup, uplift 4.00"
http_fetch GET '/admin/cohorts?table=economics&format=csv' "${A[@]}"
like "$(tr -d '\n' <"$HTTP_BODY")" '"all","",1300.00,0.00,100,13.00' \
    "ann: the total over both campaigns"

done_testing
