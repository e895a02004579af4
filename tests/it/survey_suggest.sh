#!/usr/bin/env bash
# tests/it/survey_suggest.sh: the names "Who told you?" suggests (issue
# 13).  The survey's HTML holds no advocate's name at all, opted in or
# not; the lookup (GET /s/<survey>/suggest?q=) answers only the names of
# active advocates who opted in (hearsay-admin advocate create/set
# --suggest), from three characters on, at most five, by a word's
# prefix whatever the case, accents or script, with no alphabetical
# cut-off; bad input is a 4xx and the worker stays up; nginx limits the
# lookup's rate.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"

cat >"$HS_TMP/sug.json" <<'JSON'
{ "slug": "it-sug", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "friend", "label": "A friend", "channel": "friend",
      "followup": "referrer", "followup_label": "Who told you?" },
    { "key": "search", "label": "Search", "channel": "search" } ] }
JSON
cat >"$HS_TMP/plain.json" <<'JSON'
{ "slug": "it-plain", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other",
      "followup": "other", "followup_label": "Where?" } ] }
JSON
ok $ADMIN survey import "$HS_TMP/sug.json" "$HS_TMP/plain.json"

# Advocates with names found nowhere else: some opted in, some not.
adv() { $ADMIN advocate create --handle "$1" --name "$2" "${@:3}" >/dev/null; }
ok adv quill "Quillon Privatus"				# never opted in
ok adv zyg "Zygmunt Żółwiński" --suggest on		# late in the alphabet
ok adv eleni "Ελένη Παπαδοπούλου" --suggest on		# Greek
ok adv yuki "佐藤 由紀" --suggest on			# CJK
ok adv gone "Zyxel Gonewright" --suggest on		# opted in, removed
ok adv later "Laterly Optina"				# opts in below
ok adv undo "Undone Withdrawn" --suggest on		# opts out below
ok adv quote 'Quentin "Q" <b>&amp;' --suggest on	# JSON escaping
ok adv hyph "Marie-Xanthe Dupont" --suggest on		# a word after "-"
ok $ADMIN advocate disable gone
out=$($ADMIN advocate set later --suggest on)
like "$out" "later: name suggested" "advocate set --suggest on"
ok $ADMIN advocate set undo --suggest off
if $ADMIN advocate set nobody --suggest on 2>/dev/null; then
	fail "advocate set of an unknown handle fails"
else
	pass "advocate set of an unknown handle fails"
fi
if $ADMIN advocate set later --suggest maybe 2>/dev/null; then
	fail "advocate set --suggest maybe fails"
else
	pass "advocate set --suggest maybe fails"
fi
is "$(hs_sql "SELECT GROUP_CONCAT(handle ORDER BY handle) FROM advocates
    WHERE suggest = 1")" "eleni,gone,hyph,later,quote,yuki,zyg" \
    "the flags as set (default off)"
like "$($ADMIN advocate show later)" "suggest" "advocate show has the flag"
# More opted-in names before them in the alphabet than the old page
# listed (200), all sharing a prefix: a lookup returns five at most.
hs_sql "INSERT INTO advocates (handle, display_name, suggest)
    SELECT CONCAT('bulk', seq), CONCAT('Aaron Bulkley ', seq), 1
    FROM seq_1_to_210"
# CSV import takes the column, export gives it back.
printf 'handle,display_name,suggest\r\ncsvon,Csvina Onwards,on\r\ncsvoff,Csvino Offward,\r\n' \
    >"$HS_TMP/adv.csv"
ok $ADMIN advocate import "$HS_TMP/adv.csv"
is "$(hs_sql "SELECT GROUP_CONCAT(CONCAT(handle, suggest) ORDER BY handle)
    FROM advocates WHERE handle LIKE 'csv%'")" "csvoff0,csvon1" \
    "advocate import reads the suggest column (empty: off)"
like "$($ADMIN advocate export | head -1)" "\"email_key\",\"suggest\"" \
    "advocate export writes the suggest column"
# The flag and the keyed e-mail hash (issue 22) are stored side by side,
# and an exported row imported again gives both back.
ok adv both "Bothwell Keyed" --email both@example.org --suggest on
is "$(hs_sql "SELECT CONCAT_WS('|', LENGTH(email_hash), email_keyed, suggest)
    FROM advocates WHERE handle = 'both'")" "64|1|1" \
    "advocate create stores the e-mail key and the flag"
$ADMIN advocate export | sed -n 1p >"$HS_TMP/both.csv"
$ADMIN advocate export | grep '"both"' | sed 's/"both"/"both2"/' \
    >>"$HS_TMP/both.csv"
ok $ADMIN advocate import "$HS_TMP/both.csv"
is "$(hs_sql "SELECT CONCAT_WS('|', a.email_hash = b.email_hash, b.suggest)
    FROM advocates a, advocates b WHERE a.handle = 'both' AND
    b.handle = 'both2'")" "1|1" \
    "an exported row imports with its e-mail key and its flag"

NAMES=("Quillon" "Privatus" "Zygmunt" "Żółwiński" "Ελένη" "Παπαδοπούλου"
    "佐藤" "由紀" "Zyxel" "Laterly" "Undone" "Quentin" "Marie-Xanthe"
    "Aaron" "Bulkley" "Csvina" "Csvino" "Bothwell")

# --- the page holds no advocate's name
for path in /s/it-sug "/s/it-sug?embed=1" /s/it-plain; do
	http_fetch GET "$path"
	is "$HTTP_STATUS" 200 "GET $path"
	for n in "${NAMES[@]}"; do
		if grep -qF -- "$n" "$HTTP_BODY"; then
			fail "$path holds no advocate's name: $n found"
		fi
	done
	pass "$path holds none of ${#NAMES[@]} advocates' names"
	unlike "$(cat "$HTTP_BODY")" '<datalist|<option' "$path: no list of names"
done
http_fetch GET /s/it-sug
body=$(cat "$HTTP_BODY")
like "$body" '<input type="text" id="f-friend" name="f_friend" maxlength="200" autocomplete="off" data-suggest="/s/it-sug/suggest" value="">' \
    "the referrer is a plain text input naming its lookup"
like "$body" '<script src="/static/survey-suggest.js" defer></script>' \
    "the lookup's script, by address"
unlike "$body" '<script>|<script [^s]| on[a-z]+=' "no inline script or handler"
like "$(cat "$HTTP_HEADERS")" "script-src $HS_URL/static/survey-suggest.js; connect-src $HS_URL/s/it-sug/suggest;" \
    "the CSP allows that one script and that one address"
unlike "$(cat "$HTTP_HEADERS")" "script-src[^;]*'self'" "not every script of the site"
http_fetch GET /s/it-plain
unlike "$(cat "$HTTP_BODY")" '<script' "a survey without \"Who told you?\": no script"
unlike "$(cat "$HTTP_HEADERS")" 'script-src|connect-src' "and its CSP allows none"
is "$(http_status GET /static/survey-suggest.js)" 200 "the script is served"

# --- the lookup
names() {	# names Q: the names answered for Q, one a line
	http_fetch GET "/s/it-sug/suggest" -G --data-urlencode "q=$1"
	[[ $HTTP_STATUS == 200 ]] || { echo "status $HTTP_STATUS"; return; }
	python3 -c 'import json, sys
for n in json.load(open(sys.argv[1]))["names"]: print(n)' "$HTTP_BODY"
}
is "$(names Qui)" "" "not opted in: never suggested"
is "$(names Priv)" "" "not opted in: not by a later word either"
is "$(names Zyg)" "Zygmunt Żółwiński" "a name late in the alphabet"
is "$(names zYG)" "Zygmunt Żółwiński" "in any letter case"
is "$(names Żół)" "Zygmunt Żółwiński" "by a later word, with its accents"
is "$(names Zol)" "Zygmunt Żółwiński" "and without them"
is "$(names Παπ)" "Ελένη Παπαδοπούλου" "a Greek name, by its second word"
is "$(names ελέ)" "Ελένη Παπαδοπούλου" "in Greek lower case"
is "$(names "佐藤 由")" "佐藤 由紀" "a CJK name"
is "$(names 由紀)" "" "two characters: nothing"
is "$(names Zy)" "" "two characters: nothing"
is "$(names "  Zy  ")" "" "spaces do not count"
is "$(names ygm)" "" "the middle of a word: nothing"
is "$(names Zyx)" "" "a removed advocate: never"
is "$(names Lat)" "Laterly Optina" "opted in later with advocate set"
is "$(names Und)" "" "opted out with advocate set"
is "$(names Csv)" "Csvina Onwards" "opted in by CSV import"
is "$(names Xan)" "Marie-Xanthe Dupont" "a word after a hyphen"
is "$(names "%%%")" "" "LIKE's % is literal"
is "$(names "___")" "" "LIKE's _ is literal"
is "$(names Aar | wc -l)" 5 "210 matches: five answered"
is "$(names "Aaron Bulkley 20" | head -1)" "Aaron Bulkley 20" "typing on narrows"
is "$(names Quen)" 'Quentin "Q" <b>&amp;' "a name with quotes and markup, as JSON"
http_fetch GET "/s/it-sug/suggest?q=Quen"
like "$(cat "$HTTP_HEADERS")" 'Content-Type: application/json' "JSON"
like "$(cat "$HTTP_HEADERS")" 'Cache-Control: no-store' "not cached: a withdrawal is at once"
unlike "$(cat "$HTTP_BODY")" '<b>' "markup escaped in the JSON"
http_fetch GET "/s/it-sug/suggest"
is "$HTTP_STATUS $(cat "$HTTP_BODY")" '200 {"names":[]}' "no query: an empty list"
is "$(http_status GET "/s/it-plain/suggest?q=Zyg")" 404 \
    "a survey that asks no \"Who told you?\": 404"
is "$(http_status GET "/s/nope/suggest?q=Zyg")" 404 "unknown survey: 404"

# --- bad input: a 4xx with a message, and the worker stays up
bad() {	# bad STATUS DESC QUERY-STRING
	http_fetch GET "/s/it-sug/suggest?$3"
	is "$HTTP_STATUS" "$1" "$2: $1"
	like "$(cat "$HTTP_BODY")" '[A-Za-z]{4}' "$2: says why"
}
bad 400 "65 characters" "q=$(printf 'a%.0s' $(seq 65))"
bad 400 "65 CJK characters" "q=$(printf '%%E4%%BD%%90%.0s' $(seq 65))"
bad 400 "invalid UTF-8" "q=Zy%FF%FE"
bad 400 "an overlong UTF-8 encoding" "q=Zy%C0%AF"
bad 400 "a control character" "q=Zy%01g"
bad 400 "two queries" "q=Zyg&q=Zyg"
bad 400 "malformed percent-encoding" "q=Zy%G1"
is "$(http_status POST "/s/it-sug/suggest?q=Zyg" -d q=Zyg)" 403 "POST: refused by nginx"
is "$(names "$(printf 'a%.0s' $(seq 64))")" "" "64 characters: answered"
is "$(names Zyg)" "Zygmunt Żółwiński" "the worker is alive after all of it"

# --- nginx's own limit (127.0.0.1, the harness, is exempt; 127.0.0.2
# is any client): looked for, not timed.
codes=()
for i in $(seq 1 300); do
	codes+=("$(http_status GET "/s/it-sug/suggest?q=Zyg" --interface 127.0.0.2)")
	[[ ${codes[-1]} == 429 ]] && break
done
is "${codes[0]}" 200 "a lookup from any client is answered"
is "${codes[-1]}" 429 "a flood of lookups from one address: 429"
is "$(http_status GET /s/it-sug --interface 127.0.0.2)" 200 \
    "the form itself is still served to it (its own zone)"

done_testing
