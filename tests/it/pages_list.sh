#!/usr/bin/env bash
# tests/it/pages_list.sh: no page a person sees skips the browser checks.
# The browser tests (survey_browser.sh, qr_host.sh, report_browser.sh)
# audit each page they show (hs_browser.audit: axe-core at a desktop and
# a phone size, no sideways scrolling) and write its name and the
# templates that made it (lib.sh's hs_html_marked) to <test>.pages in the
# build tree; tests/it/local.mk runs them before this test.  It fails when
#  - a page of tests/it/pages.list was audited by none of them,
#  - a page was audited that the list does not name,
#  - a template in html/ made none of the audited pages (a new page).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

seen=$HS_TMP/seen
: >"$seen"
for t in survey_browser qr_host report_browser adv_page cohorts_browser manage_browser; do
	f=$top_builddir/tests/it/$t.pages
	if [[ -s $f ]]; then
		cat "$f" >>"$seen"
	else
		fail "$t audited pages (no $f: did tests/it/$t.sh run?)"
	fi
done
mapfile -t listed < <(sed -e 's/#.*//' "$top_srcdir/tests/it/pages.list" |
    awk 'NF { print $1 }')
((${#listed[@]} > 0)) || fail "tests/it/pages.list names pages"

for p in "${listed[@]}"; do
	if awk -v p="$p" '$1 == p { f = 1 } END { exit !f }' "$seen"; then
		pass "page $p: audited"
	else
		fail "page $p: listed but audited by no browser test"
	fi
done
while read -r p; do
	if [[ " ${listed[*]} " == *" $p "* ]]; then
		pass "audited page $p: listed"
	else
		fail "audited page $p: not in tests/it/pages.list"
	fi
done < <(awk '{ print $1 }' "$seen" | sort -u)
for f in "$top_srcdir"/html/*.html; do
	f=${f##*/}
	if awk -v f="$f" '{ for (i = 2; i <= NF; i++) if ($i == f) x = 1 }
	    END { exit !x }' "$seen"; then
		pass "template $f: in an audited page"
	else
		fail "template $f: in no audited page (a page missing from" \
		    "tests/it/pages.list and its browser test?)"
	fi
done

done_testing
