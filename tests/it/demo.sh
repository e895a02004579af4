#!/usr/bin/env bash
# demo.sh: the stack the README's first command starts (hs-stack start
# --demo, as tests/stack/demo.sh runs it) answers every URL it prints,
# at once: the invite link redirects, its QR code draws, the signed
# survey link shows the form, and the analyst signs in with the printed
# password and sees the demo history on the overview; the advocate's
# page printed beside the host page's opens.
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

UA='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

dir=$(mktemp -d "${TMPDIR:-/tmp}/hs-it.XXXXXX")
HS_STACKS+=("$dir")
if ! "$HS_STACK" start --dir "$dir" --demo >"$HS_TMP/demo.out" 2>&1; then
	cat "$HS_TMP/demo.out" >&2
	fail "the demo stack starts"
	done_testing
fi
hs_stack_use "$dir"
out=$(cat "$HS_TMP/demo.out")
url_of() { sed -n "s|^ *$1 *\\(http[^ ]*\\).*|\\1|p" "$HS_TMP/demo.out" | head -n1; }

link=$(url_of 'invite link')
like "$link" "^$HS_URL/i/[0-9A-Z]+\$" "an invite link is printed"
curl -q -s -o /dev/null -A "$UA" -w '%{http_code} %{redirect_url}' "$link" >"$HS_TMP/r"
like "$(cat "$HS_TMP/r")" '^302 https://' "the printed invite link redirects at once"
like "$(curl -q -s -o /dev/null -w '%{http_code} %{content_type}' "$(url_of 'QR code')")" \
    '^200 image/svg\+xml' "its QR code draws"
adv=$(url_of 'demo advocate page:')
like "$adv" "^$HS_URL/a/[0-9a-f]{64}/\$" "an advocate's page URL is printed beside the host page's"
like "$(url_of 'demo host page:')" "^$HS_URL/host/[0-9a-f]{64}/\$" "the host page's URL"
page=$(curl -q -s "$adv")
like "$page" 'Hello, Ana L' "the advocate's page opens"
like "$page" "value=\"$HS_URL/i/ANAF2024\"" "with her link"
like "$page" 'Come and join me' "and the demo's share texts"
survey=$(url_of survey)
like "$(curl -q -s "$survey")" 'How did you hear about us' "the signed survey link shows the form"
is "$(http_status GET /health)" 200 "health"

like "$out" 'analyst / hearsay-demo-analyst' "the analyst's login is printed"
sid=$(report_login analyst hearsay-demo-analyst)
like "$sid" '^[0-9a-f]+$' "the printed analyst password signs in"
like "$out" 'admin / hearsay-demo-admin' "the admin's login is printed beside it"
asid=$(report_login admin hearsay-demo-admin)
is "$(curl -q -s -o /dev/null -w '%{http_code}' -H "Cookie: hs_session=$asid" \
    "$HS_URL/admin/manage")" 200 "the printed admin password opens the manage page"
page=$(curl -q -s -H "Cookie: hs_session=$sid" "$HS_URL/admin/")
like "$page" '<svg' "the overview draws its charts"
ok test "$(hs_sql "SELECT COUNT(*) FROM attributions")" -ge 3000
ok test "$(hs_sql "SELECT COUNT(*) FROM rollup_days")" -ge 60

done_testing
