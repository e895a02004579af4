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
is "$(hs_sql "SELECT target_kind, target_id, created_by FROM mapping_rules
    WHERE kind = 'referrer_text' AND pattern = 'maria e'")" $'advocate\t1\tdana' \
    "the browser's mapping is stored"
is "$(hs_sql "SELECT COUNT(*) FROM sessions")" 0 "signing out ended the session"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'dana'")" 0 \
    "the good sign-in after a wrong password forgot the failure"

done_testing
