#!/usr/bin/env bash
# admin_csv.sh: hearsay-admin's CSV import and export of advocates and
# links: a round trip keeps accents, commas and quotes; every imported
# destination passes the same validator as the redirect (a bad row is
# refused with its line, the good rows still land); exported cells that a
# spreadsheet would run as formulas are defused (TESTING.md 3a rows 10, 13).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start --no-programs
adm() { "$top_builddir/src/admin/hearsay-admin" -f "$HS_CONF" "$@"; }
T=$HS_TMP

ok adm campaign create --slug csv --name "CSV test" \
    --hosts "example.org *.example.net" --dest https://example.org/

cat >"$T/adv.csv" <<'CSV'
handle,display_name,aliases,tier,email
jose,"José Álvarez, Jr.","Joe A.",member,jose@example.org
hyper,"=HYPERLINK(""http://evil.example"",""x"")",,member,
CSV
out=$(adm advocate import "$T/adv.csv")
like "$out" '2 advocates imported' "two advocates imported"
is "$(hs_sql "SELECT display_name FROM advocates WHERE handle = 'jose'")" \
    'José Álvarez, Jr.' "accents and the comma survive"
like "$(hs_sql "SELECT email_hash FROM advocates WHERE handle = 'jose'")" \
    '^[0-9a-f]{64}$' "the e-mail is stored hashed"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE email_hash LIKE '%@%'")" 0 \
    "no e-mail address at rest"

adm advocate export >"$T/adv-out.csv"
like "$(grep jose "$T/adv-out.csv")" '"José Álvarez, Jr\."' "export quotes the comma"
like "$(grep hyper "$T/adv-out.csv")" "\"'=HYPERLINK" "formula cell is defused"
if adm advocate import "$T/adv-out.csv" >"$T/again.out" 2>&1; then
	fail "re-importing existing handles succeeded"
else
	like "$(cat "$T/again.out")" 'not imported' "existing handles are refused"
fi
is "$(hs_sql "SELECT COUNT(*) FROM advocates")" 2 "and nothing was duplicated"

cat >"$T/links.csv" <<'CSV'
campaign,code,advocate,destination,utm_source
csv,JOSE-2026,jose,https://example.org/join,csv
csv,EV1L-0001,,javascript:alert(1),csv
csv,EV1L-0002,,https://user@example.org/,csv
csv,EV1L-0003,,https://evil.example/,csv
csv,WEB0-0001,,https://app.example.net/x,csv
CSV
if adm link import "$T/links.csv" >"$T/links.out" 2>&1; then
	fail "an import with bad destinations succeeded"
else
	pass "an import with bad destinations fails"
fi
like "$(cat "$T/links.out")" 'links.csv:3: not imported' "the bad line is named"
like "$(cat "$T/links.out")" '2 links imported' "the good rows still land"
is "$(hs_sql "SELECT code FROM links ORDER BY code")" $'J0SE2026\nWEB00001' \
    "only the valid destinations were stored, codes canonical"
adm link export >"$T/links-out.csv"
like "$(cat "$T/links-out.csv")" 'J0SE2026' "link export lists the code"
like "$(cat "$T/links-out.csv")" 'https://example.org/join' "and its destination"

done_testing
