#!/usr/bin/env bash
# tests/it/report_auth.sh: who may see the report (TESTING.md 3a row 19
# and the login's own rules): no credentials, forged and cross-site
# forms, the session cookie's attributes and storage, CSRF on every
# state change, sign-out, and twenty wrong passwords meeting the
# throttle (429 + Retry-After, also for the right password afterwards).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_stack_start
report_user alice
report_user carol

# --- no credentials
http_fetch GET /admin/
is "$HTTP_STATUS" 303 "overview without a session: 303"
like "$(cat "$HTTP_HEADERS")" $'[Ll]ocation: /admin/login\r' "... to the login page"
is "$(http_status GET '/admin/?table=share&format=csv')" 401 "CSV without a session: 401"
http_fetch GET '/admin/review?format=json'
is "$HTTP_STATUS" 401 "JSON without a session: 401"
like "$(cat "$HTTP_HEADERS")" 'WWW-Authenticate: ' "401 names a scheme"
is "$(http_status GET '/admin/?format=html')" 303 "format=html without a session: 303"
is "$(http_status GET '/admin/?format=csv&format=csv')" 303 \
    "a format sent twice is no download: 303"
is "$(http_status POST /admin/logout -d csrf=x)" 401 "logout without a session: 401"
is "$(http_status GET /admin/ -H 'Cookie: hs_session=00112233')" 303 "malformed cookie: 303"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$(printf 'ab%.0s' {1..32})")" 303 \
    "unknown session: 303"
is "$(http_status GET /admin/ -H 'X-Forwarded-User: alice' -H 'Remote-User: alice' \
    -H 'Authorization: Basic YWxpY2U6eA==')" 303 "user headers are not trusted"
is "$(http_status GET /admin/nothing)" 404 "unknown page: 404"
is "$(http_status PUT /admin/)" 405 "PUT: 405"
is "$(http_status GET /admin/logout)" 405 "GET logout: 405"
# Core's gates (hs_route), as in every program: Allow names each page's
# methods and OPTIONS is 204 with it.  (A body over the form's 16 KiB
# is nginx's 413 before it reaches us: check_route tests core's.)
allow() { ok grep -qxF "Allow: $1" <(tr -d '\r' <"$HTTP_HEADERS"); }
http_fetch GET /admin/logout
allow "POST, OPTIONS"
http_fetch PUT /admin/review
is "$HTTP_STATUS" 405 "PUT review: 405"
allow "GET, HEAD, OPTIONS"
like "$(cat "$HTTP_BODY")" 'That method is not allowed here' "405: says so"
http_fetch OPTIONS /admin/flags/decide
is "$HTTP_STATUS" 204 "OPTIONS a change: 204"
allow "POST, OPTIONS"
http_fetch OPTIONS /admin/login
is "$HTTP_STATUS" 204 "OPTIONS login: 204"
allow "GET, HEAD, POST, OPTIONS"
http_fetch OPTIONS /admin/signups
is "$HTTP_STATUS" 204 "OPTIONS a page: 204"
allow "GET, HEAD, OPTIONS"
is "$(http_status OPTIONS /admin/nothing)" 404 "OPTIONS on no page: 404"

# --- the login form
http_fetch GET /admin/login
is "$HTTP_STATUS" 200 "login page"
like "$(cat "$HTTP_BODY")" 'name="token" value="[A-Za-z0-9_-]+\.[0-9]+\.' "login form carries a signed token"
like "$(cat "$HTTP_HEADERS")" "Content-Security-Policy: default-src 'none'" "strict CSP"
tok=$(report_token)
form=(--data-urlencode user=alice --data-urlencode "password=$REPORT_PW")
is "$(http_status POST /admin/login "${form[@]}" --data-urlencode "token=$tok" \
    -H 'Sec-Fetch-Site: cross-site')" 403 "cross-site login: 403"
is "$(http_status POST /admin/login "${form[@]}" --data-urlencode "token=$tok" \
    -H 'Origin: https://evil.example')" 403 "foreign Origin: 403"
is "$(http_status POST /admin/login "${form[@]}" --data-urlencode "token=x${tok}")" 403 \
    "forged form token: 403"
is "$(http_status POST /admin/login "${form[@]}")" 400 "no form token: 400"
http_fetch POST /admin/login "${form[@]}" --data-urlencode "token=$tok" \
    --data-urlencode "user=bob"
is "$HTTP_STATUS" 400 "user given twice: 400"
like "$(cat "$HTTP_BODY")" 'Name.* was sent twice' "user given twice: names the field, on the form"
http_fetch POST /admin/login --data-urlencode user=alice --data-urlencode "token=$tok" \
    --data-urlencode "password=$(printf 'p%.0s' $(seq 1025))"
is "$HTTP_STATUS" 400 "a 1025-byte password: 400"
like "$(cat "$HTTP_BODY")" 'Password.* is too long' "a 1025-byte password: names the field"
is "$(http_status POST /admin/login -H 'Content-Type: application/json' \
    --data '{"user":"alice"}')" 415 "JSON login: 415"
is "$(hs_sql "SELECT COUNT(*) FROM sessions")" 0 "no session opened so far"

# --- a good login
http_fetch POST /admin/login "${form[@]}" --data-urlencode "token=$tok" \
    -H "Origin: $HS_URL" -H 'Sec-Fetch-Site: same-origin'
is "$HTTP_STATUS" 303 "login: 303"
hdr=$(cat "$HTTP_HEADERS")
like "$hdr" $'[Ll]ocation: /admin/\r' "... to the overview"
like "$hdr" 'Set-Cookie: hs_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict' \
    "session cookie: Path=/, HttpOnly, SameSite=Strict (plain http: no __Host-)"
sid=$(sed -n 's/^Set-Cookie: hs_session=\([0-9a-f]*\);.*/\1/p' "$HTTP_HEADERS")
is "$(hs_sql "SELECT COUNT(*) FROM sessions WHERE id = '$sid'")" 0 "the token is not stored"
is "$(hs_sql "SELECT COUNT(*) FROM sessions WHERE id = SHA2('$sid', 256)")" 1 \
    "its SHA-256 is"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$sid")" 200 "overview with the session"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$sid; hs_session=$sid")" 303 \
    "two session cookies: treated as none"

# --- CSRF on state changes
csrf=$(report_csrf "$sid")
like "$csrf" '^[0-9a-f]{64}$' "pages carry a CSRF token"
is "$(http_status POST /admin/logout -H "Cookie: hs_session=$sid")" 403 "logout without CSRF token: 403"
is "$(http_status POST /admin/logout -H "Cookie: hs_session=$sid" -d csrf=0000)" 403 \
    "logout with a forged CSRF token: 403"
other=$(report_login carol)
is "$(http_status POST /admin/logout -H "Cookie: hs_session=$other" -d "csrf=$csrf")" 403 \
    "another session's CSRF token: 403"
is "$(http_status POST /admin/review/map -H "Cookie: hs_session=$sid" \
    -d kind=other_text -d text=x -d target=ignore)" 403 "review mapping without CSRF: 403"
is "$(http_status POST /admin/logout -H "Cookie: hs_session=$sid" -d "csrf=$csrf" \
    -H 'Sec-Fetch-Site: cross-site')" 403 "cross-site logout: 403"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$sid")" 200 "still signed in"

# --- sign out
http_fetch POST /admin/logout -H "Cookie: hs_session=$sid" -d "csrf=$csrf"
is "$HTTP_STATUS" 303 "logout: 303"
like "$(cat "$HTTP_HEADERS")" 'Set-Cookie: hs_session=; Path=/; Max-Age=0' "cookie cleared"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$sid")" 303 "the old token opens nothing"
is "$(hs_sql "SELECT COUNT(*) FROM sessions WHERE id = SHA2('$sid', 256)")" 0 "session row gone"

# --- a disabled user's session ends
is "$(http_status GET /admin/ -H "Cookie: hs_session=$other")" 200 "carol signed in"
hs_sql "UPDATE users SET disabled = 1 WHERE name = 'carol'"
is "$(http_status GET /admin/ -H "Cookie: hs_session=$other")" 303 "disabled: session refused"

# --- twenty wrong passwords (last: they lock this client for 15 minutes)
codes=()
for i in $(seq 1 20); do
	t=$(report_token)
	codes+=("$(http_status POST /admin/login --data-urlencode user=alice \
	    --data-urlencode "password=wrong-$i" --data-urlencode "token=$t")")
done
is "${codes[*]:0:5}" "401 401 401 401 401" "the first five wrong passwords: 401"
is "$(printf '%s\n' "${codes[@]:5}" | sort -u)" 429 "the next fifteen: 429"
t=$(report_token)
http_fetch POST /admin/login "${form[@]}" --data-urlencode "token=$t"
is "$HTTP_STATUS" 429 "the right password while locked: 429"
like "$(cat "$HTTP_HEADERS")" $'Retry-After: [1-9][0-9]*\r' "429 carries Retry-After"
unlike "$(cat "$HTTP_HEADERS")" 'Set-Cookie: hs_session=[0-9a-f]' "no session while locked"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'alice'")" 5 \
    "failures recorded once each, not for throttled tries"
like "$(hs_sql "SELECT MIN(LENGTH(client_hash)) FROM login_attempts")" '^64$' \
    "attempts keep a client hash, not an address"
t=$(report_token)
is "$(http_status POST /admin/login --data-urlencode user=nobody-here \
    --data-urlencode "password=$REPORT_PW" --data-urlencode "token=$t")" 429 \
    "the client is throttled for other names too"
is "$(http_status GET /health)" 200 "worker alive"

done_testing
