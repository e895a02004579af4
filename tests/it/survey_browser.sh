#!/usr/bin/env bash
# tests/it/survey_browser.sh: headless Chromium fills in and submits the
# survey form through nginx (survey_browser.py), reaches the thank-you
# page, and the answer is in MariaDB as typed.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
url=$($ADMIN survey token --signup browser-1 welcome)
out=$(/usr/bin/python3 "$top_srcdir/tests/it/survey_browser.py" "$url" 2>&1) || true
is "$(tail -n 1 <<<"$out")" thanked "Chromium answered the survey and was thanked"
[[ $out == *thanked ]] || diag "$out"
is "$(hs_sql "SELECT CONCAT_WS('|', signup_ref, verified, options, code_text, consent)
    FROM responses")" "browser-1|1|friend|AB12-CD|1" "the answer is in MariaDB"
is "$(hs_sql "SELECT HEX(referrer_text) FROM responses")" \
    "$(printf 'Zoë <script>alert(1)</script>' | xxd -p -u | tr -d '\n')" \
    "the referrer as typed, script tag literally"

done_testing
