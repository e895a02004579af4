#!/usr/bin/env bash
# tests/it/survey_browser.sh: headless Chromium (survey_browser.py)
# answers the survey through nginx on its full page and embedded in an
# iframe, is offered an opted-in advocate's name after three characters
# (and never one who did not opt in), reaches the thank-you page each
# time and its Continue to return_url, reopens and changes an answer
# (a reconciliation run before the change and one after), meets a link
# past its time to change, an expired link, a survey that asks for
# consent, retypes an invite code on the page of an unknown one, and
# audits every page it meets (axe-core, the phone's width:
# hs_browser.audit); then the answers, their history, the reconciliation
# and the click are checked in MariaDB.  Needs Debian's python3-selenium and
# chromium-driver, and npm for axe-core (tests/stack/deps.sh).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_browser_setup survey_browser
hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
echo "link_cache_secs = 1" >>"$HS_CONF"
kill -HUP "$(hs_pid link)"
# The demo survey, with a return_url (the page the embedded form's
# Continue leads to; its origin may frame the form) and a new_link; and
# a copy that asks for consent.
RETURN=$HS_URL/__test/app
python3 - "$top_srcdir/sql/demo/survey.json" "$HS_TMP" "$RETURN" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["return_url"] = sys.argv[3]
d["new_link"] = "mailto:survey-help@example.org"
json.dump(d, open(sys.argv[2] + "/welcome.json", "w"))
d["slug"] = "consented"
del d["return_url"]
d["consent_text"] = "Link my answer to my account, to credit who told me"
json.dump(d, open(sys.argv[2] + "/consented.json", "w"))
PY
ok $ADMIN survey import "$HS_TMP/welcome.json"
ok $ADMIN survey import "$HS_TMP/consented.json"
# One advocate opted in to being suggested, one not: the browser must be
# offered the first (survey_browser.py) and never the second.
ok $ADMIN advocate create --handle xio --name "Xiomara Quintanilla" \
    --suggest on >/dev/null
ok $ADMIN advocate create --handle xav --name "Xavier Hiddenfield" >/dev/null
ok $ADMIN campaign create --slug sb --name "Browser campaign" \
    --hosts 127.0.0.1 --dest "$HS_URL/health" >/dev/null
ok $ADMIN link create --campaign sb --code TEST-0001 >/dev/null
wait_for 20 302 'http_status GET /i/TEST-0001' ||
    fail "the new link is served"
hs_sql "DELETE FROM clicks"
url=$($ADMIN survey token --signup browser-1 welcome)
url2=$($ADMIN survey token --signup browser-2 welcome)
expired=$($ADMIN survey token --signup browser-3 --ttl -60 welcome)
# browser-4 answered two days ago: past answer_change_hours (24).
locked=$($ADMIN survey token --signup browser-4 welcome)
hs_sql "INSERT INTO responses (submission_id, survey_id, signup_ref, verified,
    answered_at, options, shown_order) SELECT REPEAT('4', 32), id, 'browser-4', 1,
    UTC_TIMESTAMP(3) - INTERVAL 2 DAY, 'ad', 'ad' FROM surveys WHERE slug = 'welcome'"
consent1=$($ADMIN survey token --signup browser-5 consented)
consent2=$($ADMIN survey token --signup browser-6 consented)
RC="$top_builddir/src/reconcile/hearsay-reconcile -f $HS_CONF -q"
# The run between the first answer and its change (survey_browser.py)
# writes what it reported for browser-1 to first.txt.
FIRST="$RC && $HS_STACK sql --dir $HS_DIR \"SELECT reported_option FROM
    attributions WHERE signup_ref = 'browser-1'\" >$HS_TMP/first.txt"
reported() {
	hs_sql "SELECT reported_option FROM attributions WHERE signup_ref = '$1'"
}
if RECONCILE="$FIRST" /usr/bin/python3 "$top_srcdir/tests/it/survey_browser.py" \
    "$HS_URL" "$url" "$url2&embed=1" "$expired" "$locked" "$consent1" \
    "$consent2" "$RETURN" "$top_srcdir/README.md" "$HS_TMP/profile"; then
	pass "browser session (survey_browser.py)"
else
	fail "browser session (survey_browser.py)"
fi
is "$(hs_sql "SELECT CONCAT_WS('|', signup_ref, verified, options, code_text, consent)
    FROM responses r JOIN surveys s ON s.id = r.survey_id
    WHERE s.slug = 'welcome' ORDER BY signup_ref")" \
    $'browser-1|1|search|AB12-CD|0\nbrowser-2|1|friend|EF34-GH|0\nbrowser-4|1|ad|0' \
    "the answers are in MariaDB: the change as current, the embedded one too"
is "$(hs_sql "SELECT HEX(referrer_text) FROM response_history
    WHERE signup_ref = 'browser-1'")" \
    "$(printf 'Zoë <script>alert(1)</script>' | xxd -p -u | tr -d '\n')" \
    "the first answer kept as history, the referrer as typed, script tag literally"
is "$(hs_sql "SELECT CONCAT_WS('|', options, code_text) FROM response_history
    WHERE signup_ref = 'browser-1'")" "friend|AB12-CD" "... one earlier answer"
is "$(hs_sql "SELECT COUNT(*) FROM response_history WHERE signup_ref <> 'browser-1'")" 0 \
    "no other history: the locked link changed nothing"
# The reconciliation before the change saw the first answer; the next
# (incremental) run uses the latest.
is "$(cat "$HS_TMP/first.txt")" friend "the reconciliation before the change used the first"
ok $RC
is "$(reported browser-1)" search "the next reconciliation uses the latest answer"
is "$(hs_sql "SELECT a.response_id = r.id FROM attributions a JOIN responses r
    ON r.signup_ref = a.signup_ref WHERE a.signup_ref = 'browser-1'")" 1 \
    "... by its row"
# Consent asked: unticked, stored unlinked; ticked, linked.
is "$(hs_sql "SELECT CONCAT_WS('|', COALESCE(signup_ref, '-'), verified, options,
    consent, COALESCE(click_id, '-'), IF(client_hash IS NULL, '-', 'hash'))
    FROM responses r JOIN surveys s ON s.id = r.survey_id
    WHERE s.slug = 'consented' ORDER BY consent")" \
    $'-|0|search|0|-|-\nbrowser-6|1|search|1|-|hash' \
    "consent not given: stored unlinked; given: linked to the signup"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE signup_ref = 'browser-5'")" 0 \
    "... and no signup recorded without consent"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'browser-3'")" 0 \
    "the expired link stored nothing"
# The browser's click, apart from curl's own GET above (waiting for the
# link to be served), which is a click too; the journal loads the two in
# either order.  Both are stored as bots' (bots.c: HeadlessChrome is
# automation), so they are told apart by the reason.
wait_for 20 1 "hs_sql \"SELECT COUNT(*) FROM clicks c JOIN links l
    ON l.id = c.link_id WHERE l.code = 'TEST0001' AND
    c.bot_reason = 'ua:headless'\"" || true
is "$(hs_sql "SELECT COUNT(*) FROM clicks c JOIN links l ON l.id = c.link_id
    WHERE l.code = 'TEST0001' AND c.bot_reason = 'ua:headless'")" 1 \
    "the retyped invite code: one click of the browser's"

# A change with bad input: a clear 400, nothing stored, worker up.
ft=$(curl -s "$url" | sed -n 's/.*name="ft" value="\([^"]*\)".*/\1/p')
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $HS_URL" \
    -H "Sec-Fetch-Site: same-origin" --data-urlencode "ft=$ft" \
    --data-urlencode o=nope "$HS_URL/s/welcome")" 400 "a change to no option: 400"
is "$(hs_sql "SELECT options FROM responses WHERE signup_ref = 'browser-1'")" search \
    "... the answer unchanged"
is "$(http_status GET /health)" 200 "worker alive"

done_testing
