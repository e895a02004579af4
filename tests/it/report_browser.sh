#!/usr/bin/env bash
# tests/it/report_browser.sh: starts a stack with the seeded report data
# and runs report_browser.py, a headless Chromium session through the
# analyst's whole path; then checks in the database what the browser did.
# Needs Debian's python3-selenium and chromium-driver, and npm for
# axe-core (tests/stack/deps.sh)
# and runs them with /usr/bin/python3, not a pyenv interpreter.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_browser_setup report_browser
hs_stack_start
report_fixtures
report_user dana
# A self-referral the reconciliation itself flags (issue 16): Maria's
# own e-mail signs up through her link.  Reconciled before the browser
# reviews it, and again with --full after.
rc_run() { "$top_builddir/src/reconcile/hearsay-reconcile" -f "$HS_CONF" -q "$@"; }
mh=$(printf 'e%.0s' {1..64})
hs_sql "UPDATE advocates SET email_hash = '$mh' WHERE id = 1;
    INSERT INTO links (id, code, campaign_id, advocate_id, channel,
    destination) VALUES (2, 'MARIA001', 1, 1, 'referral',
    'https://example.org/');
    INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot,
    client_hash) VALUES ('c0000000000000000000000000000009',
    '2026-02-01 10:00:00', 2, 'link', 0, 'h1');
    INSERT INTO signups (id, signup_ref, signed_up_at, campaign_id,
    email_hash, client_hash) VALUES (9, 's-self', '2026-02-01 10:05:00', 1,
    '$mh', 'h1');
    INSERT INTO signup_clicks (signup_id, click_id) VALUES
    (9, 'c0000000000000000000000000000009');
    INSERT INTO signups (id, signup_ref, signed_up_at, campaign_id) VALUES
    (10, 's-text', '2026-02-01 11:00:00', 1);
    INSERT INTO responses (submission_id, survey_id, signup_ref,
    answered_at, options, shown_order, other_text) VALUES
    ('r0000000000000000000000000000009', 1, 's-text',
    '2026-02-01 11:01:00', 'other', 'friend podcast tiktok other',
    'Zorblax Quarterly')"
# That day only: the seeded days of the overview stay as seeded.
rc_run --since 2026-02-01 --until 2026-02-02
is "$(hs_sql "SELECT risk_flags FROM attributions WHERE signup_ref = 's-self'")" \
    self_referral "the run flags the self-referral"
out=$HS_TMP/browser
mkdir -p "$out"
if /usr/bin/python3 "$top_srcdir/tests/it/report_browser.py" "$HS_URL" dana \
    "$REPORT_PW" "$out"; then
	pass "browser session (report_browser.py)"
else
	fail "browser session (report_browser.py)"
fi
if [[ -n ${HS_REPORT_SHOTS:-} ]]; then
	cp "$out"/*.png "$HS_REPORT_SHOTS"/ && diag "screenshots in $HS_REPORT_SHOTS"
fi
is "$(hs_sql "SELECT version, target_kind, target_id, created_by
    FROM mapping_rules WHERE kind = 'referrer_text' AND pattern = 'maria e'
    ORDER BY version")" "1	advocate	1	dana
2	removed	0	dana
3	advocate	1	dana
4	removed	0	dana
5	advocate	1	dana" "every mapping, undo and removal is a version of the rule"
is "$(hs_sql "SELECT COUNT(*) FROM sessions")" 0 "signing out ended the session"
is "$(hs_sql "SELECT signup_ref, decision, reason, user_name FROM flag_reviews
    ORDER BY id")" "s-self	accept	Checked: her own phone, first try	dana
s-self	undo		dana
s-self	accept	Verified with Maria by phone	dana
s-flagged	reject	Bot clicks only	dana" "every decision is an audit row: who, what, why"
is "$(hs_sql "SELECT COUNT(*) FROM flag_reviews WHERE decided_at IS NULL OR
    decided_at < UTC_TIMESTAMP() - INTERVAL 1 HOUR")" 0 "... and when"
# A --full run rewrites every attribution: the decisions stay, and the
# exports (the run's own; the report's, signed in again, the browser
# signed out) still say so.  s-clean: Maria's link, someone else's
# device, no flag.
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind,
    is_bot, client_hash) VALUES ('c000000000000000000000000000000b',
    '2026-02-01 12:00:00', 2, 'link', 0, 'h2');
    INSERT INTO signups (id, signup_ref, signed_up_at, campaign_id,
    client_hash) VALUES (11, 's-clean', '2026-02-01 12:05:00', 1, 'h2');
    INSERT INTO signup_clicks (signup_id, click_id) VALUES
    (11, 'c000000000000000000000000000000b')"
# eligible FILE: each exported signup_ref with its reward_eligible.
eligible() {
	/usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["signup_ref"], r["risk_flags"] or "-", r["reward_eligible"])' "$1" |
	    grep -E '^s-(self|text|clean) ' | sort
}
rc_run --full --export csv --output "$HS_TMP/full.csv"
is "$(eligible "$HS_TMP/full.csv")" "s-clean - 1
s-self self_referral 1
s-text - 0" "--full --export: the accepted flag is reward-eligible, as is the unflagged referral; a signup credited to no advocate is not"
is "$(hs_sql "SELECT risk_flags, reviewed FROM attributions
    WHERE signup_ref = 's-self'")" "self_referral	1" \
    "after --full: still flagged, still marked reviewed"
is "$(hs_sql "SELECT COUNT(*) FROM flag_reviews")" 4 "after --full: the audit is whole"
is "$(hs_sql "SELECT a.reported_channel, a.rule = CONCAT('rule:', r.id)
    FROM attributions a JOIN mapping_rules r ON r.kind = 'other_text' AND
    r.pattern = 'zorblax quarterly' WHERE a.signup_ref = 's-text'")" \
    "podcast	1" "the next run replays the rule made in the queue"
sid=$(report_login dana)
csv=$(curl -q -s --max-time 20 -H "Cookie: hs_session=$sid" \
    "$HS_URL/admin/flags?state=all&format=csv")
like "$csv" $'\n"s-self","2026-02-01",[^\n]*,"accepted","Verified with Maria by phone","dana",[^\n]*,"yes"' \
    "after --full: the export shows the decision and reward eligibility"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'dana'")" 0 \
    "the good sign-in after a wrong password forgot the failure"
# Rejected after all: the next export keeps it out of rewards.
hs_sql "INSERT INTO flag_reviews (signup_ref, decision, reason, user_name,
    decided_at) VALUES ('s-self', 'reject', 'Same phone after all', 'dana',
    UTC_TIMESTAMP(3))"
rc_run --since 2026-02-01 --until 2026-02-02 --dry-run --export json \
    --output "$HS_TMP/day.json"
is "$(/usr/bin/python3 -c 'import json, sys
print(" ".join("%s=%r" % (r["signup_ref"], r["reward_eligible"])
    for r in sorted(json.load(open(sys.argv[1])),
                    key=lambda r: r["signup_ref"])
    if r["signup_ref"] in ("s-self", "s-clean")))' "$HS_TMP/day.json")" \
    "s-clean=1 s-self=0" \
    "JSON export: a rejected flag is not reward-eligible (a number)"

done_testing
