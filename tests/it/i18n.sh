#!/usr/bin/env bash
# tests/it/i18n.sh: the message catalogues are complete.  po/update.sh,
# run afresh, finds in the sources and templates exactly the msgids of
# the committed po/hearsay.pot (a string added without `make update-po`
# fails here), every one of them has a German translation that is not
# fuzzy, and msgfmt -c accepts the catalogue (format checks).  The
# pages rendered in German are checked for English left over by
# qr_host.sh (i18n_check.py).  No stack: a few seconds.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

cd "$top_srcdir"
if po/update.sh "$HS_TMP/now.pot" 2>"$HS_TMP/update.err"; then
	pass "po/update.sh collects the strings"
else
	fail "po/update.sh collects the strings: $(cat "$HS_TMP/update.err")"
fi
ids() { msgcat --no-wrap --no-location "$1" | sed -n 's/^msgid //p' | sort; }
is "$(diff <(ids po/hearsay.pot) <(ids "$HS_TMP/now.pot") || true)" "" \
    "po/hearsay.pot is up to date with the sources (make update-po)"
for l in $(cat po/LINGUAS); do
	if out=$(msgcmp "po/$l.po" "$HS_TMP/now.pot" 2>&1); then
		pass "po/$l.po translates every msgid"
	else
		fail "po/$l.po translates every msgid: $out"
	fi
	st=$(msgfmt -c --statistics -o /dev/null "po/$l.po" 2>&1 || true)
	like "$st" '^[0-9]+ translated messages\.$' \
	    "po/$l.po: msgfmt -c passes, nothing fuzzy or untranslated"
done
done_testing
