#!/usr/bin/env bash
# link_inputs.sh: GET /i/<code> against the real stack: the redirect and
# its click, privacy signals, bots, and the bad inputs of TESTING.md 3a
# that reach /i/ (CRLF, homoglyphs, SQL, traversal, overlong, methods,
# spoofed X-Forwarded-For).
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"

link_setup

# --- a person's click
http_fetch GET /i/test-0001 -A "$UA_HUMAN" -e "https://Chat.Example.com/room/1"
is "$HTTP_STATUS" 302 "live link: 302"
loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
like "$loc" '^https://example\.org/signup\?utm_source=news%20letter&utm_medium=email&utm_campaign=spring%26summer&hs_click=[0-9a-f]{32}$' \
    "Location: destination, encoded UTM, click id"
click=${loc##*hs_click=}
hdrs=$(tr -d '\r' <"$HTTP_HEADERS")
ok grep -qxF "Cache-Control: no-store" <<<"$hdrs"
ok grep -qxF "Set-Cookie: hs_click=$click; Path=/; Max-Age=7776000; HttpOnly; SameSite=Lax" <<<"$hdrs"
wait_for 20 1 "hs_sql \"SELECT COUNT(*) FROM clicks WHERE click_id = '$click'\"" &&
    pass "click loaded" || fail "click loaded"
row=$(hs_sql "SELECT trigger_kind, ua_class, referer_host, is_bot,
    COALESCE(bot_reason, '-'), LENGTH(client_hash) FROM clicks
    WHERE click_id = '$click'")
is "$row" $'link\tdesktop\tchat.example.com\t0\t-\t64' \
    "click: trigger, ua class, referer host only, human, hashed client"
# The id starts with the click's milliseconds (InnoDB appends in id
# order); the rest is random.
is "$(hs_sql "SELECT CONV(LEFT('$click', 12), 16, 10) =
    FLOOR(UNIX_TIMESTAMP(clicked_at) * 1000) FROM clicks
    WHERE click_id = '$click'")" 1 "click id: time-ordered prefix = clicked_at"

# --- fragment stays last, existing query kept
http_fetch GET /i/TEST-0002 -A "$UA_HUMAN"
loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
like "$loc" '^https://www\.example\.net/path\?x=1&hs_click=[0-9a-f]{32}#frag$' \
    "Location: & after an existing query, fragment last"

# --- ?qr=1: recorded as qr, not passed on
http_fetch GET '/i/TEST0001?qr=1' -A "$UA_HUMAN"
loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
unlike "$loc" 'qr=' "qr=1 is not passed on"
qclick=${loc##*hs_click=}
wait_for 20 qr "hs_sql \"SELECT trigger_kind FROM clicks WHERE click_id = '$qclick'\"" &&
    pass "qr=1 recorded as trigger qr" || fail "qr=1 recorded as trigger qr"
# Its field is lax (field.c): a bad or repeated qr is a plain click,
# never a refused one.
for q in 'qr=2' 'qr=1&qr=1'; do
	http_fetch GET "/i/TEST0001?$q" -A "$UA_HUMAN"
	is "$HTTP_STATUS" 302 "?$q: still 302"
	loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
	qclick=${loc##*hs_click=}
	wait_for 20 link "hs_sql \"SELECT trigger_kind FROM clicks WHERE click_id = '$qclick'\"" &&
	    pass "?$q recorded as trigger link" || fail "?$q recorded as trigger link"
done

# --- Sec-GPC and DNT: no cookie, no hash, still counted
for h in "Sec-GPC: 1" "DNT: 1"; do
	http_fetch GET /i/TEST-0001 -A "$UA_HUMAN" -H "$h"
	is "$HTTP_STATUS" 302 "$h: 302"
	unlike "$(cat "$HTTP_HEADERS")" 'Set-Cookie' "$h: no cookie"
	loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
	c=${loc##*hs_click=}
	wait_for 20 "NULL	0" "hs_sql \"SELECT COALESCE(client_hash, 'NULL'), is_bot FROM clicks WHERE click_id = '$c'\"" &&
	    pass "$h: counted with a NULL hash" || fail "$h: counted with a NULL hash"
done

# --- prefetch and bots: recorded, flagged
http_fetch GET /i/TEST-0001 -A "$UA_HUMAN" -H "Sec-Purpose: prefetch;prerender"
loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
c=${loc##*hs_click=}
wait_for 20 "1	prefetch" "hs_sql \"SELECT is_bot, bot_reason FROM clicks WHERE click_id = '$c'\"" &&
    pass "Sec-Purpose: prefetch flagged" || fail "Sec-Purpose: prefetch flagged"
for ua in "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)|ua:slackbot" \
    "WhatsApp/2.23.20.0|ua:whatsapp" "facebookexternalhit/1.1|ua:facebook" \
    "Mastodon/4.2.0 (http.rb/5.1.1; +https://m.example/)|ua:mastodon" \
    "Twitterbot/1.0|ua:twitterbot" "curl/8.0|ua:curl"; do
	http_fetch GET /i/TEST-0001 -A "${ua%|*}"
	loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
	c=${loc##*hs_click=}
	wait_for 20 "1	bot	${ua#*|}" "hs_sql \"SELECT is_bot, ua_class, bot_reason FROM clicks WHERE click_id = '$c'\"" &&
	    pass "bot ${ua#*|} flagged" || fail "bot ${ua#*|} flagged"
done

# --- HEAD: answered, not counted; staff parameter: not counted
before=$(db_count TEST-0004)
is "$(http_status HEAD /i/TEST-0004 -A "$UA_HUMAN")" 302 "HEAD: 302"
http_fetch GET '/i/TEST-0004?hs_staff=1' -A "$UA_HUMAN"
is "$HTTP_STATUS" 302 "staff: 302"
loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
is "$loc" "https://example.org/signup" "staff: no click id, query not passed on"
# A counted click after them: once it is loaded, the others had their chance.
http_fetch GET /i/TEST-0004 -A "$UA_HUMAN"
wait_for 20 $((before + 1)) "db_count TEST-0004" &&
    pass "HEAD and staff clicks not recorded" ||
    fail "HEAD and staff clicks not recorded"

# --- forgiving codes, never a different code
for c in test-0001 TEST0001 'te st-00 01' TESTOOO1 TESTOOOI TESTOOOl; do
	is "$(http_status GET "/i/${c// /%20}" -A "$UA_HUMAN")" 302 "code '$c' resolves"
done
for c in 'TEST-0001%D0%90' '%D0%A2EST-0001' '%EF%BC%B4EST-0001' 'TEST-00001' \
    'TEST-0U01'; do
	is "$(http_status GET "/i/$c" -A "$UA_HUMAN")" 404 "code '$c': 404"
done

# --- bad inputs: 404 with exactly the usual headers, nothing else
expect=$'HTTP/1.1 404 Not Found\nServer\nContent-Type: text/html; charset=utf-8\nTransfer-Encoding\nConnection\nX-Content-Type-Options: nosniff\nX-Frame-Options: DENY\nContent-Security-Policy\nReferrer-Policy: strict-origin-when-cross-origin\nCache-Control: no-store'
for p in 'ABC%0d%0aSet-Cookie:%20x=1' 'ABC%0aLocation:%20http://evil' \
    '%E5%98%8A%E5%98%8DSet-Cookie:x=1' "'%20OR%201=1--%20" '%5C' '%27' \
    ';DROP%20TABLE%20links' '%5C%27' 'a%2Fb'; do
	http_fetch GET "/i/$p" -A "$UA_HUMAN"
	is "$HTTP_STATUS" 404 "/i/$p: 404"
	got=$(tr -d '\r' <"$HTTP_HEADERS" | sed -e '/^$/d' -e '/^Date:/d' \
	    -e 's/^\(Server\|Transfer-Encoding\|Connection\|Content-Security-Policy\):.*/\1/')
	is "$got" "$expect" "/i/$p: exactly the expected headers"
	unlike "$(cat "$HTTP_BODY")" '(SQL|MariaDB|mysql|syntax)' "/i/$p: no SQL text"
done
# Traversal that nginx itself refuses or resolves outside /i/.
for p in '..%2f..%2fetc%2fpasswd' '%2e%2e/x' 'ABCD/../../etc/passwd'; do
	http_fetch GET "/i/$p"
	like "$HTTP_STATUS" '^40[04]$' "/i/$p: 400 or 404"
	unlike "$(cat "$HTTP_HEADERS" "$HTTP_BODY")" '(Set-Cookie|root:)' "/i/$p: nothing leaked"
done
is "$(http_status GET '/i/a%00b')" 400 "encoded NUL: 400"
is "$(http_status GET /i/)" 404 "empty code: 404"
http_fetch GET /i/
like "$(cat "$HTTP_BODY")" 'name="code"' "empty code: the page has a form"
http_fetch GET '/i/?code=test%20oool'
is "$HTTP_STATUS" 302 "retype form: 302"
ok grep -qxF "Location: /i/TEST0001" <(tr -d '\r' <"$HTTP_HEADERS")
http_fetch GET '/i/?code=TEST0001&code=TEST0001'
is "$HTTP_STATUS" 404 "retype form, code twice: 404, not a guess"
like "$(cat "$HTTP_BODY")" 'Type the code' "code twice: asks for the code"
http_fetch GET '/i/?code=%3Cscript%3E'
is "$HTTP_STATUS" 404 "retype form with junk: 404"
unlike "$(cat "$HTTP_BODY")" '<script>' "retype form: input escaped"
is "$(http_status GET "/i/$(head -c 10240 /dev/zero | tr '\0' A)")" 414 "10 KB code: 414"

# --- methods
for m in POST PUT DELETE PATCH; do
	http_fetch "$m" /i/TEST-0001
	is "$HTTP_STATUS" 405 "$m: 405"
	ok grep -qxF "Allow: GET, HEAD, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")
done
http_fetch OPTIONS /i/TEST-0001
is "$HTTP_STATUS" 204 "OPTIONS: 204 (core's route gate)"
ok grep -qxF "Allow: GET, HEAD, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")

# --- X-Forwarded-For from an untrusted peer is ignored
hashes=
for xff in "" "203.0.113.9" "198.51.100.7, 10.0.0.1"; do
	http_fetch GET /i/TEST-0004 -A "$UA_HUMAN" ${xff:+-H "X-Forwarded-For: $xff"}
	loc=$(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')
	c=${loc##*hs_click=}
	wait_for 20 1 "hs_sql \"SELECT COUNT(*) FROM clicks WHERE click_id = '$c'\"" || true
	hashes+="$(hs_sql "SELECT client_hash FROM clicks WHERE click_id = '$c'") "
done
set -- $hashes
is "$#:$1" "3:$2" "spoofed X-Forwarded-For does not change the client hash"
is "$2" "$3" "nor does a list"

# --- expired and disabled: the fallback, untracked
http_fetch GET /i/TEST-0003 -A "$UA_HUMAN"
like "$HTTP_STATUS $(tr -d '\r' <"$HTTP_HEADERS" | sed -n 's/^Location: //p')" \
    '^302 https://example.org/over$' "expired: campaign fallback"
admin link disable TEST-0004 >/dev/null
wait_for 10 "https://example.org/over" \
    "curl -q -s -o /dev/null -w '%{redirect_url}' '$HS_URL/i/TEST-0004'" &&
    pass "disabled: fallback within the cache time" ||
    fail "disabled: fallback within the cache time"
like "$(admin link show TEST-0004)" 'clicks +[0-9]+ people' "disabled link keeps its stats"

# --- destinations: refused when stored, and again when redirecting
for d in $'https://example.org/\r\nSet-Cookie: x=1' 'javascript:alert(1)' \
    'data:text/html,x' '//evil.example/' 'https://user@example.org/' \
    'https://evil.example/' 'https://example.org\@evil.example/' \
    'https://example.org/a b' 'ftp://example.org/'; do
	if admin link create --campaign itc --dest "$d" >/dev/null 2>&1; then
		fail "admin stored destination '$d'"
	else
		pass "admin refuses destination '${d//$'\r\n'/CRLF}'"
	fi
done
# The INSERT first: a snapshot that has the UPDATE (awaited below) then
# has the forced link too.
hs_sql "INSERT INTO links (code, campaign_id, destination) SELECT 'F0RCED01', id,
    CONCAT('https://example.org/', CHAR(13), CHAR(10), 'Set-Cookie: x=1') FROM campaigns WHERE slug = 'itc'"
hs_sql "UPDATE links SET destination = 'https://evil.example/x' WHERE code = 'TEST0002'"
wait_for 10 500 "http_status GET /i/TEST-0002" &&
    pass "forced bad host: 500" || fail "forced bad host: 500"
http_fetch GET /i/F0RCED01
is "$HTTP_STATUS" 500 "forced CRLF destination: 500"
unlike "$(cat "$HTTP_HEADERS")" 'x=1' "forced CRLF destination: no split header"

# --- a request nginx sends twice: one click
# When a host dies after journalling a click but before answering, nginx
# sends the request to another host (fastcgi_next_upstream) with the
# same $request_id and $msec (HS_REQUEST_ID, HS_REQUEST_MSEC): the click
# id is made of them, so the two are one row.  Run as CGI here, the way
# a second host would receive the very same parameters.
cgi_click() {
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET DOCUMENT_URI=/i/TEST-0001 \
	    HTTP_USER_AGENT="$UA_HUMAN" REMOTE_ADDR=192.0.2.7 HTTP_HOST=127.0.0.1 \
	    HS_REQUEST_ID=$1 HS_REQUEST_MSEC=$2 \
	    "$top_builddir/src/link/hearsay-link" -f "$HS_CONF" </dev/null |
	    tr -d '\r' | sed -n 's/^Location: .*hs_click=//p'
}
rid=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
ms="$(date +%s).$(printf '%03d' $((RANDOM % 1000)))"
c1=$(cgi_click "$rid" "$ms")
c2=$(cgi_click "$rid" "$ms")
like "$c1" '^[0-9a-f]{32}$' "a click under nginx's request id"
is "$c2" "$c1" "the same request sent again: the same click id"
c3=$(cgi_click "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$ms")
isnt "$c3" "$c1" "another request: another click id"
# click_id is the primary key: equal ids above are one row; here, that
# the clicks were journalled and loaded at all.
wait_for 30 2 "hs_sql \"SELECT COUNT(*) FROM clicks
    WHERE click_id IN ('$c1', '$c3')\"" &&
    pass "the request sent twice and another: two click rows" ||
    fail "the request sent twice and another: two click rows"
c4=$(cgi_click "$rid" "nonsense")
isnt "${c4:12}" "${c1:12}" "a malformed HS_REQUEST_MSEC: a random click id"

# --- the worker survived all of it
is "$(http_status GET /i/TEST-0001 -A "$UA_HUMAN")" 302 "still serving"

done_testing
