#!/usr/bin/env bash
# tests/it/survey_browser.sh: headless Chromium (survey_browser.py)
# answers the survey through nginx on its full page and embedded in an
# iframe, is offered an opted-in advocate's name after three characters
# (and never one who did not opt in), reaches the thank-you page each
# time, retypes an invite code on the page of an unknown one, and audits every page it meets (axe-core,
# the phone's width: hs_browser.audit); then the answers and the click
# are checked in MariaDB.  Needs Debian's python3-selenium and
# chromium-driver, and npm for axe-core (tests/stack/deps.sh).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_browser_setup survey_browser
hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
echo "link_cache_secs = 1" >>"$HS_CONF"
kill -HUP "$(hs_pid link)"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
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
if /usr/bin/python3 "$top_srcdir/tests/it/survey_browser.py" "$HS_URL" \
    "$url" "$url2&embed=1" "$expired" "$HS_TMP/profile"; then
	pass "browser session (survey_browser.py)"
else
	fail "browser session (survey_browser.py)"
fi
is "$(hs_sql "SELECT CONCAT_WS('|', signup_ref, verified, options, code_text, consent)
    FROM responses ORDER BY signup_ref")" \
    $'browser-1|1|friend|AB12-CD|1\nbrowser-2|1|friend|EF34-GH|1' \
    "both answers are in MariaDB, the embedded one too"
is "$(hs_sql "SELECT HEX(referrer_text) FROM responses
    WHERE signup_ref = 'browser-1'")" \
    "$(printf 'Zoë <script>alert(1)</script>' | xxd -p -u | tr -d '\n')" \
    "the referrer as typed, script tag literally"
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

done_testing
