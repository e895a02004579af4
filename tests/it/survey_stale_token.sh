#!/usr/bin/env bash
# tests/it/survey_stale_token.sh: a form token signed before a survey edit
# (issue 22, high).  The survey answers such a token with a fresh form
# ("the survey changed"), and that fresh form's token must carry only what
# the old token proves: its own signup reference and verified flag, or
# nothing.  It once carried whatever the worker's stack held from the
# previous request: another person's signup reference, which the next
# submit then stored as theirs.  One worker, so that the previous request
# is the other person's.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start --workers 1
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"

cat >"$HS_TMP/open.json" <<'EOF'
{ "slug": "it-open", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other", "pinned": true } ] }
EOF
ok $ADMIN survey import "$HS_TMP/open.json" "$top_srcdir/sql/demo/survey.json"

# The form token in the page of $HTTP_BODY.
form_token() {
	grep -o 'name="ft" value="[^"]*"' "$HTTP_BODY" | sed 's/.*value="//; s/"$//'
}
# The payload fields of a form token: "nonce sid version verified order ref".
payload() {
	python3 - "$1" <<'EOF'
import base64, sys
p = sys.argv[1].split(".")[0]
p = base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode()
f = p.split(".", 5)
print(" ".join(f[:5]), "ref=" + f[5])
EOF
}
# The version of slug as the survey program serves it (its cache lives
# SURVEY_CACHE_SECS): read from a fresh form's token.
served_version() {
	http_fetch GET "$1" >/dev/null
	payload "$(form_token)" | cut -d' ' -f3
}
# Edits a survey (a new question text): its version goes up.
edit() {
	sed "s/How did you hear about us?/$2/" "$1" >"$HS_TMP/edit.json"
	ok $ADMIN survey import "$HS_TMP/edit.json"
}

# --- a signed survey: Alice keeps her form open across an edit, Bob
# answers in between, Alice sends her stale form.
alice=$($ADMIN survey token --signup alice-ref-1 welcome | sed 's/.*?t=//')
bob=$($ADMIN survey token --signup bob-ref-2 welcome | sed 's/.*?t=//')
http_fetch GET "/s/welcome?t=$alice"
is "$HTTP_STATUS" 200 "Alice's form"
stale=$(form_token)
like "$(payload "$stale")" ' 1 [0-9a-z]* ref=alice-ref-1$' "Alice's token: verified, her reference"
v1=$(served_version "/s/welcome?t=$alice")
sed 's/How did you hear about us?/How did you find us?/' \
    "$top_srcdir/sql/demo/survey.json" >"$HS_TMP/welcome2.json"
ok $ADMIN survey import "$HS_TMP/welcome2.json"
ok wait_for 30 $((v1 + 1)) "served_version '/s/welcome?t=$bob'"

http_fetch GET "/s/welcome?t=$bob"
ok test -n "$(form_token)"
http_fetch POST /s/welcome --data-urlencode "ft=$(form_token)" --data-raw "o=search"
is "$HTTP_STATUS" 303 "Bob answers"
http_fetch POST /s/welcome --data-urlencode "ft=$stale" --data-raw "o=search"
is "$HTTP_STATUS" 400 "Alice's stale form: the survey changed"
like "$(cat "$HTTP_BODY")" "changed while you were answering" "says what happened"
fresh=$(form_token)
p=$(payload "$fresh")
unlike "$p" 'bob-ref-2' "the fresh token does not carry Bob's reference"
like "$p" " $((v1 + 1)) 1 [0-9a-z]* ref=alice-ref-1$" \
    "the fresh token carries Alice's own reference, verified, the new version"
http_fetch POST /s/welcome --data-urlencode "ft=$fresh" --data-raw "o=search"
is "$HTTP_STATUS" 303 "Alice answers with the fresh form"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'bob-ref-2'")" 1 \
    "Bob has his one answer"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'alice-ref-1'
    AND verified = 1")" 1 "Alice's answer is stored under her own reference"

# --- an open survey: an unsigned stale form proves no reference, so the
# fresh one carries none, even right after a signed answer.
http_fetch GET /s/it-open
stale=$(form_token)
like "$(payload "$stale")" ' 0 [0-9a-z]* ref=$' "an unsigned token: no reference"
v1=$(served_version /s/it-open)
edit "$HS_TMP/open.json" "Where did you hear of us?"
ok wait_for 30 $((v1 + 1)) "served_version /s/it-open"
carol=$($ADMIN survey token --signup carol-ref-3 it-open | sed 's/.*?t=//')
http_fetch GET "/s/it-open?t=$carol"
http_fetch POST /s/it-open --data-urlencode "ft=$(form_token)" --data-raw "o=search"
is "$HTTP_STATUS" 303 "Carol answers, signed"
http_fetch POST /s/it-open --data-urlencode "ft=$stale" --data-raw "o=search"
is "$HTTP_STATUS" 400 "the unsigned stale form: the survey changed"
p=$(payload "$(form_token)")
like "$p" " 0 [0-9a-z]* ref=$" "the fresh token: unverified, no reference (not Carol's)"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'carol-ref-3'")" 1 \
    "Carol has her one answer"

done_testing
