#!/usr/bin/env bash
# tests/it/survey_form.sh: the survey form through nginx against a real
# MariaDB -- a good answer end to end, and every bad input of TESTING.md
# 3a rows 1-8, 12, 13 and 17: each bad one gets its status and a human
# message, and the number of stored answers does not move.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"

# A survey of our own: unsigned answers allowed, fixed order, and one
# signed-only (the demo survey).
cat >"$HS_TMP/open.json" <<'EOF'
{ "slug": "it-open", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "friend", "label": "A friend", "channel": "friend",
      "followup": "referrer", "followup_label": "Who told you?" },
    { "key": "community", "label": "A community", "channel": "community",
      "followup": "text", "followup_label": "Which community?" },
    { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other", "pinned": true,
      "followup": "other", "followup_label": "Where?" } ] }
EOF
ok $ADMIN survey import "$HS_TMP/open.json" "$top_srcdir/sql/demo/survey.json"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('zoe', 'Zoë <O>')"

count() { hs_sql "SELECT COUNT(*) FROM responses"; }

# A fresh form token (and the page in $HTTP_BODY) for a path.
FT=
fresh() {
	http_fetch GET "${1:-/s/it-open}" "${@:2}"
	FT=$(grep -o 'name="ft" value="[^"]*"' "$HTTP_BODY" | sed 's/.*value="//; s/"$//')
}

# post_bad STATUS MESSAGE-REGEX DESC curl-args...: a bad submission
# answers STATUS with a message and stores nothing.
post_bad() {
	local want=$1 msg=$2 desc=$3 before
	shift 3
	before=$(count)
	http_fetch POST /s/it-open "$@"
	is "$HTTP_STATUS" "$want" "$desc: $want"
	like "$(cat "$HTTP_BODY")" "$msg" "$desc: says why"
	is "$(count)" "$before" "$desc: nothing stored"
}

# --- the form
fresh /s/it-open
is "$HTTP_STATUS" 200 "GET /s/it-open (unsigned allowed)"
like "$(cat "$HTTP_BODY")" '<fieldset class="q">' "a fieldset"
like "$(cat "$HTTP_BODY")" '<legend><h1>How did you hear about us\?</h1></legend>' \
    "the question is its legend"
like "$(cat "$HTTP_BODY")" '<label for="o-friend">A friend</label>' "every option has a label"
unlike "$(cat "$HTTP_BODY")" 'Zoë|&lt;O&gt;|<datalist' \
    "no advocate's name in the page (survey_suggest.sh: looked up)"
like "$(cat "$HTTP_BODY")" 'id="f-friend" name="f_friend" maxlength="200" autocomplete="off" data-suggest="/s/it-open/suggest"' \
    "the referrer follow-up is a text input naming its lookup"
unlike "$(cat "$HTTP_BODY")" '<script>|<script [^s]|style=' \
    "no inline script, no inline style"
like "$(cat "$HTTP_BODY")" '<script src="/static/survey-suggest.js" defer>' \
    "the one script, by address"
ok test "$(stat -c %s "$HTTP_BODY")" -lt 15360
like "$(cat "$HTTP_HEADERS")" "Content-Security-Policy: default-src 'none'" "strict CSP"
like "$(cat "$HTTP_HEADERS")" "X-Frame-Options: DENY" "not frameable"
like "$FT" '^[A-Za-z0-9_-]+\.[0-9]+\.[A-Za-z0-9_-]+$' "signed form token"
http_fetch GET "/s/it-open?embed=1"
like "$(cat "$HTTP_HEADERS")" "frame-ancestors 'self'" "embed=1 relaxes frame-ancestors"
unlike "$(cat "$HTTP_HEADERS")" "X-Frame-Options: DENY" "embed=1 drops DENY"
is "$(http_status HEAD /s/it-open)" 200 "HEAD /s/it-open"
is "$(http_status GET /s/nope)" 404 "unknown survey: 404"
is "$(http_status GET /s/it-open/nope)" 404 "unknown page: 404"

# --- signed surveys
is "$(http_status GET /s/welcome)" 403 "signed survey without a token: 403"
http_fetch GET "/s/welcome?t=$($ADMIN survey token --signup u1 --ttl -10)"
is "$HTTP_STATUS" 403 "expired signup token: 403"
like "$(cat "$HTTP_BODY")" "expired" "expired signup token: says so"
tok=$($ADMIN survey token --signup u1)
http_fetch GET "/s/welcome?t=${tok%?}x"
is "$HTTP_STATUS" 403 "forged signup token: 403"
like "$(cat "$HTTP_BODY")" "does not work" "forged signup token: says so"
http_fetch GET "/s/welcome?t=$tok&t=$tok"
is "$HTTP_STATUS" 400 "two signup tokens: 400"
like "$(cat "$HTTP_BODY")" 'Link token.* was sent twice' "two signup tokens: names the field"

# --- a good answer, signed, with a click id from the cookie
cid=0123456789abcdef0123456789abcdef
fresh "/s/welcome?t=$tok" -b "hs_click=$cid"
is "$HTTP_STATUS" 200 "signed form"
like "$(cat "$HTTP_BODY")" "name=\"cid\" value=\"$cid\"" "click id from the cookie in the form"
http_fetch POST /s/welcome -H "Origin: $HS_URL" -H "Sec-Fetch-Site: same-origin" \
    --data-urlencode "ft=$FT" --data-urlencode o=friend \
    --data-urlencode "f_friend=Zoë 🎉" --data-urlencode code=AB12 \
    --data-urlencode consent=1 --data-urlencode "cid=$cid" --data-urlencode website=
is "$HTTP_STATUS" 303 "good answer: 303"
like "$(cat "$HTTP_HEADERS")" "Location: $HS_URL/s/welcome/thanks" "to the thank-you page"
is "$(hs_sql "SELECT CONCAT_WS('|', signup_ref, verified, options,
    code_text, click_id, consent, LENGTH(client_hash), source) FROM responses")" \
    "u1|1|friend|AB12|$cid|0|64|form" "answer stored with keys, text as typed, click id, hash (consent not asked: 0)"
is "$(hs_sql "SELECT HEX(referrer_text) FROM responses")" "$(printf 'Zoë 🎉' | xxd -p -u)" \
    "emoji stored intact (utf8mb4)"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE shown_order LIKE '% other dont-remember'
    AND LENGTH(shown_order) - LENGTH(REPLACE(shown_order, ' ', '')) = 10")" 1 \
    "shown order stored, pinned last"
is "$(hs_sql "SELECT COUNT(*) FROM signups s JOIN signup_clicks c ON c.signup_id = s.id
    WHERE s.signup_ref = 'u1' AND c.click_id = '$cid'")" 1 "signup and its click id recorded"
is "$(http_status GET /s/welcome/thanks)" 200 "thank-you page"

# --- row 17: the same form token twice stores one answer
http_fetch POST /s/welcome --data-urlencode "ft=$FT" --data-urlencode o=search
is "$HTTP_STATUS" 303 "replayed form token: the same 303"
is "$(count)" 1 "replayed form token: still one answer"

# --- unsigned answer; Sec-GPC means no client hash
fresh
http_fetch POST /s/it-open -H "Sec-GPC: 1" --data-urlencode "ft=$FT" --data-urlencode o=search
is "$HTTP_STATUS" 303 "unsigned answer: 303"
is "$(hs_sql "SELECT CONCAT_WS('|', IFNULL(signup_ref, 'NULL'), verified,
    IFNULL(client_hash, 'NULL')) FROM responses WHERE options = 'search'")" \
    "NULL|0|NULL" "unsigned stored unverified; Sec-GPC: no client hash"

# --- honeypot: thanked, not stored
fresh
before=$(count)
http_fetch POST /s/it-open --data-urlencode "ft=$FT" --data-urlencode o=search \
    --data-urlencode website=http://spam.example
is "$HTTP_STATUS" 303 "honeypot: the thank-you redirect"
is "$(count)" "$before" "honeypot: nothing stored"

# --- row 1: malformed encoding (body and query)
for bad in '%' '%G1' 'x%4' '%%'; do
	fresh
	post_bad 400 'malformed encoding' "body o=$bad" --data-raw "ft=$FT&o=$bad"
done
http_fetch GET '/s/it-open?x=%G1'
is "$HTTP_STATUS" 400 "query %G1: 400"
like "$(cat "$HTTP_BODY")" 'malformed' "query %G1: says why"

# --- row 2: field caps
fresh
post_bad 400 'too long' "follow-up 1 over its cap" --data-urlencode "ft=$FT" \
    --data-urlencode o=community --data-urlencode "f_community=$(printf 'é%.0s' $(seq 1 501))"
fresh
post_bad 400 'too long' "field over 4 KB" --data-urlencode "ft=$FT" \
    --data-urlencode o=other --data-urlencode "f_other=$(head -c 5000 /dev/zero | tr '\0' a)"
fresh
post_bad 400 'too long' "code 1 over its cap" --data-urlencode "ft=$FT" \
    --data-urlencode o=search --data-urlencode "code=$(head -c 65 /dev/zero | tr '\0' A)"
head -c 1048576 /dev/zero | tr '\0' a | sed 's/^/o=/' >"$HS_TMP/big"
before=$(count)
is "$(http_status POST /s/it-open --data-binary "@$HS_TMP/big")" 413 "1 MB body: 413 from nginx"
is "$(count)" "$before" "1 MB body: nothing stored"

# --- rows 3, 4: NUL and invalid UTF-8
for bad in 'a%00b' '%C0%AF' '%ED%A0%80' '%FF' '%E2%82' 'a%EF%BB%BFb'; do
	fresh
	post_bad 400 'not valid UTF-8' "other text $bad" \
	    --data-raw "ft=$FT&o=other&f_other=$bad"
done

# --- row 5: huge, chunked and short bodies
before=$(count)
is "$(http_status POST /s/it-open -H 'Content-Length: 10485760' --data-raw x)" 413 \
    "Content-Length 10 MB: 413"
is "$(http_status POST /s/it-open -H 'Transfer-Encoding: chunked' \
    --data-binary "@$HS_TMP/big")" 413 "1 MB chunked: 413"
fresh
posts_logged() {
	grep -c '"POST /s/it-open" ' "$HS_DIR/log/hearsay-access.log" || true
}
p0=$(posts_logged)
exec 3<>"/dev/tcp/127.0.0.1/$HS_PORT"
printf 'POST /s/it-open HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\nConnection: close\r\n\r\nft=%s&o=search' "$FT" >&3
exec 3>&-
# nginx logs the request once it is over (the client gone mid-body).
wait_for 20 $((p0 + 1)) posts_logged || fail "the half-sent request ended"
unlike "$(grep '"POST /s/it-open" ' "$HS_DIR/log/hearsay-access.log" | tail -n1)" \
    '" 303 ' "the half-sent request was not thanked"
is "$(count)" "$before" "Content-Length larger than sent, then close: nothing stored"

# --- row 6: content types
for ct in application/json multipart/form-data text/plain \
    'application/x-www-form-urlencoded; charset=latin1'; do
	fresh
	post_bad 415 'x-www-form-urlencoded' "Content-Type $ct" -H "Content-Type: $ct" \
	    --data-raw "ft=$FT&o=search"
done
fresh
post_bad 415 'x-www-form-urlencoded' "no Content-Type" -H "Content-Type:" \
    --data-raw "ft=$FT&o=search"

# --- row 7: methods
for m in PUT DELETE PATCH; do
	http_fetch "$m" /s/it-open
	is "$HTTP_STATUS" 405 "$m: 405"
	like "$(cat "$HTTP_HEADERS")" 'Allow: GET, HEAD, POST' "$m: Allow"
done
ok test "$(http_status TRACE /s/it-open)" -ge 400
# Core's gates (hs_route), as in every program: OPTIONS is 204 with the
# route's own Allow, the thank-you page's 405 names its methods too, and
# a path no route takes is 404.  (nginx itself refuses all but GET on
# /s/<slug>/suggest.)
http_fetch OPTIONS /s/it-open
is "$HTTP_STATUS" 204 "OPTIONS /s/it-open: 204"
ok grep -qxF "Allow: GET, HEAD, POST, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")
http_fetch OPTIONS /s/it-open/thanks
is "$HTTP_STATUS" 204 "OPTIONS /s/it-open/thanks: 204"
ok grep -qxF "Allow: GET, HEAD, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")
before=$(count)
http_fetch POST /s/it-open/thanks --data-raw "ft=$FT&o=search"
is "$HTTP_STATUS" 405 "POST /s/it-open/thanks: 405"
ok grep -qxF "Allow: GET, HEAD, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")
like "$(cat "$HTTP_BODY")" 'Only GET and HEAD are allowed here' "405: says which"
is "$(count)" "$before" "405: nothing stored"
for p in /s/it-open/thanks/more /s/it-open/ /s/ /s//thanks /s/Bad_Slug; do
	http_fetch GET "$p"
	is "$HTTP_STATUS" 404 "GET $p: 404"
	like "$(cat "$HTTP_BODY")" 'There is no survey at this address' "GET $p: says so"
done

# --- row 8: duplicates, unknown fields, options not in the list
fresh
post_bad 400 'only one' "two options on a single-choice survey" \
    --data-raw "ft=$FT&o=search&o=friend"
fresh
post_bad 400 'sent twice' "code given twice" --data-raw "ft=$FT&o=search&code=a&code=b"
fresh
post_bad 400 'does not know' "unknown field" --data-raw "ft=$FT&o=search&zzz=1"
fresh
post_bad 400 'not one of' "option not in the list" --data-raw "ft=$FT&o=radio"
fresh
post_bad 400 'sent twice' "form token twice" --data-raw "ft=$FT&ft=$FT&o=search"
# The form's fixed fields through its field table (field.c).
fresh
post_bad 400 'click reference' "a click id that is not one" \
    --data-raw "ft=$FT&o=search&cid=0123456789ABCDEF0123456789ABCDEF"
fresh
post_bad 400 'consent box' "consent=yes" --data-raw "ft=$FT&o=search&consent=yes"
fresh
post_bad 400 'choose an answer' "no answer chosen" --data-raw "ft=$FT&code=%3Cscript%3E"
# --- row 13: the person's text comes back escaped, never raw
like "$(cat "$HTTP_BODY")" 'value="&lt;script&gt;"' "typed text re-shown, escaped"
unlike "$(cat "$HTTP_BODY")" '<script>' "no raw script tag"

# --- rows 12, 13: stored byte-exact
for text in "' OR 1=1-- " '\' "%27;DROP TABLE responses" '<script>alert(1)</script>' \
    '"><svg onload=alert(1)>' '=HYPERLINK("http://evil")'; do
	fresh
	http_fetch POST /s/it-open --data-urlencode "ft=$FT" --data-urlencode o=other \
	    --data-urlencode "f_other=$text"
	is "$HTTP_STATUS" 303 "text $text: 303"
	is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE other_text = 0x$(printf '%s' "$text" | xxd -p | tr -d '\n')")" \
	    1 "text $text: stored byte-exact"
done

# --- row 17: CSRF and tokens
fresh
post_bad 403 'own page' "Sec-Fetch-Site: cross-site" -H 'Sec-Fetch-Site: cross-site' \
    --data-raw "ft=$FT&o=search"
post_bad 403 'own page' "Origin: https://evil.example" -H 'Origin: https://evil.example' \
    --data-raw "ft=$FT&o=search"
post_bad 403 'security check' "no form token" --data-raw "o=search"
post_bad 403 'security check' "forged form token" --data-raw "ft=${FT%?????}AAAAA&o=search"
# A token signed with the real key but expired, and one for another
# survey: made here from the stack's secret, as an attacker cannot.
key=$(sed -n 's/^hmac_key = //p' "$HS_DIR/secrets")
mint() {
	/usr/bin/python3 - "$key" "$1" "$2" <<'EOF'
import base64, hashlib, hmac, sys
key, payload, exp = bytes.fromhex(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=").decode()
mac = hmac.new(key, b"form\0" + payload + b"\0" + exp.encode(), hashlib.sha256).digest()
print(b(payload) + "." + exp + "." + b(mac))
EOF
}
sid=$(hs_sql "SELECT id FROM surveys WHERE slug = 'it-open'")
ver=$(hs_sql "SELECT version FROM surveys WHERE slug = 'it-open'")
post_bad 403 'expired' "expired form token" \
    --data-urlencode "ft=$(mint "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.$sid.$ver.0.0123." $(( $(date +%s) - 10 )))" \
    --data-raw "o=search"
post_bad 403 'security check' "form token of another survey" \
    --data-urlencode "ft=$(mint "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.$((sid + 1000)).$ver.0.0123." $(( $(date +%s) + 100 )))" \
    --data-raw "o=search"
# The signup token must not pass as a form token (purposes differ).
post_bad 403 'security check' "signup token as form token" --data-urlencode "ft=$tok" \
    --data-raw "o=search"

# --- velocity: past velocity_limit (10) answers in a clock hour from
# one client hash, the next answer is flagged (stored all the same).
# The answers come from a /24 of their own on the loopback, so earlier
# answers do not count; not across an hour's end, where counts restart.
while (( 10#$(date +%M) == 59 )); do sleep 5; done
src=127.$((RANDOM % 200 + 20)).$((RANDOM % 250)).1
for i in $(seq 11); do
	fresh
	http_fetch POST /s/it-open --interface "$src" --data-urlencode "ft=$FT" \
	    --data-urlencode o=search
	[[ $HTTP_STATUS == 303 ]] || fail "velocity answer $i: $HTTP_STATUS"
done
is "$(hs_sql "SELECT GROUP_CONCAT(velocity_flag ORDER BY id SEPARATOR '') FROM
    responses WHERE client_hash = (SELECT client_hash FROM responses
    ORDER BY id DESC LIMIT 1)")" 00000000001 \
    "velocity: the 11th answer of one client hash in an hour is flagged"

# --- the worker is alive after all of it
fresh
is "$HTTP_STATUS" 200 "the form still answers"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE verified = 1")" 1 "one verified answer in all"

done_testing
