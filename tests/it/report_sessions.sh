#!/usr/bin/env bash
# tests/it/report_sessions.sh: how a report session ends (src/report/
# auth.c): after two idle hours, twelve hours after sign-in however busy,
# everywhere when the password is changed or the user removed
# (hearsay-admin user passwd|remove); the __Host- cookie with Secure
# when base_url is https (served in CGI mode, as nginx passes HTTPS=on);
# and nginx's sign-in rate limit, met from 127.0.0.2 (the test stack
# exempts only 127.0.0.1).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
report_user alice
report_user carol
page() { http_status GET /admin/ -H "Cookie: hs_session=$1"; }
row() { echo "SHA2('$1', 256)"; }

# --- idle expiry: two hours without a request
sid=$(report_login alice)
like "$sid" '^[0-9a-f]{64}$' "signed in"
is "$(hs_sql "SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) FROM sessions
    WHERE id = $(row "$sid")")" 43200 "a session lasts twelve hours at most"
hs_sql "UPDATE sessions SET last_seen = UTC_TIMESTAMP() - INTERVAL 7140 SECOND
    WHERE id = $(row "$sid")"
is "$(page "$sid")" 200 "idle for 1 h 59 min: still signed in"
is "$(hs_sql "SELECT last_seen > UTC_TIMESTAMP() - INTERVAL 60 SECOND FROM sessions
    WHERE id = $(row "$sid")")" 1 "... and the request moved the idle clock on"
hs_sql "UPDATE sessions SET last_seen = UTC_TIMESTAMP() - INTERVAL 7260 SECOND
    WHERE id = $(row "$sid")"
is "$(page "$sid")" 303 "idle for 2 h 1 min: signed out"
is "$(http_status GET '/admin/?table=share&format=csv' -H "Cookie: hs_session=$sid")" 401 \
    "... for downloads too"
# The next sign-in sweeps ended sessions away.
sid2=$(report_login alice)
is "$(hs_sql "SELECT COUNT(*) FROM sessions WHERE id = $(row "$sid")")" 0 \
    "the idle session's row is swept at the next sign-in"

# --- absolute expiry: busy, but signed in twelve hours ago
hs_sql "UPDATE sessions SET created_at = UTC_TIMESTAMP() - INTERVAL 43140 SECOND,
    expires_at = UTC_TIMESTAMP() + INTERVAL 60 SECOND WHERE id = $(row "$sid2")"
is "$(page "$sid2")" 200 "11 h 59 min after sign-in: still signed in"
is "$(hs_sql "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), expires_at) <= 60 FROM sessions
    WHERE id = $(row "$sid2")")" 1 "activity does not move the end on"
hs_sql "UPDATE sessions SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND,
    last_seen = UTC_TIMESTAMP() WHERE id = $(row "$sid2")"
is "$(page "$sid2")" 303 "past twelve hours, seen a moment ago: signed out"

# --- a password change ends every session of that user, and only hers
a1=$(report_login alice)
a2=$(report_login alice)
c1=$(report_login carol)
is "$(page "$a1") $(page "$a2") $(page "$c1")" "200 200 200" "two sessions of alice, one of carol"
like "$(echo 'a-new-password-for-alice' | $ADMIN user passwd alice)" 'sessions ended' \
    "user passwd alice"
is "$(page "$a1") $(page "$a2")" "303 303" "both of alice's sessions ended"
is "$(page "$c1")" 200 "carol's goes on"
is "$(hs_sql "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.name = 'alice'")" 0 "alice's session rows are gone"
is "$(report_login alice)" "" "the old password no longer signs in"
a3=$(report_login alice a-new-password-for-alice)
is "$(page "$a3")" 200 "the new one does"
ok $ADMIN user remove carol
is "$(page "$c1")" 303 "a removed user's session ends"
is "$(hs_sql "SELECT COUNT(*) FROM sessions")" 1 "only alice's new session is left"

# --- over https: the __Host- cookie, Secure (CGI mode, as behind TLS)
sed "s|^base_url = .*|base_url = https://127.0.0.1:$HS_PORT|" "$HS_CONF" >"$HS_TMP/https.conf"
REPORT=$top_builddir/src/report/hearsay-report
cgi() {	# METHOD PATH [BODY [COOKIE]]: the raw CGI response
	local body=${3:-}
	printf '%s' "$body" | env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_METHOD="$1" REQUEST_URI="$2" DOCUMENT_URI="$2" \
	    SERVER_PROTOCOL=HTTP/1.1 HTTPS=on REMOTE_ADDR=127.0.0.1 \
	    HTTP_HOST="127.0.0.1:$HS_PORT" CONTENT_LENGTH="${#body}" \
	    CONTENT_TYPE=application/x-www-form-urlencoded \
	    ${4:+HTTP_COOKIE="$4"} "$REPORT" -f "$HS_TMP/https.conf"
}
tok=$(cgi GET /admin/login | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
like "$tok" '^[A-Za-z0-9_.-]+$' "https: the login form"
out=$(cgi POST /admin/login "user=alice&password=a-new-password-for-alice&token=$tok")
like "$out" $'Status: 303' "https: sign-in"
like "$out" 'Set-Cookie: __Host-hs_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Secure' \
    "https: the cookie is __Host-, Path=/, Secure, with no Domain"
unlike "$out" '[Dd]omain=' "https: no Domain attribute"
hsid=$(printf '%s\n' "$out" | sed -n 's/^Set-Cookie: __Host-hs_session=\([0-9a-f]*\);.*/\1/p')
like "$(cgi GET /admin/ '' "__Host-hs_session=$hsid")" 'Status: 200' \
    "https: the __Host- cookie opens the overview"
like "$(cgi GET /admin/ '' "hs_session=$hsid")" 'Status: 303' \
    "https: the bare name does not (it could be set by a sibling host)"
csrf=$(cgi GET /admin/ '' "__Host-hs_session=$hsid" |
    sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
like "$(cgi POST /admin/logout "csrf=$csrf" "__Host-hs_session=$hsid")" \
    'Set-Cookie: __Host-hs_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure' \
    "https: sign-out clears the __Host- cookie, Secure"

# --- nginx's sign-in limit (10/min, burst 5), from a limited address.
# A forged form token is refused (403) before any password is checked,
# so only nginx counts these; its 429 has no Retry-After (the program's
# lockout, which report_auth.sh meets, has).
codes=()
for i in $(seq 1 9); do
	codes+=("$(http_status POST /admin/login --interface 127.0.0.2 \
	    -d user=alice -d password=x -d token=forged)")
done
is "${codes[*]:0:6}" "403 403 403 403 403 403" "127.0.0.2: one sign-in plus a burst of five reach the program"
is "${codes[*]:6}" "429 429 429" "127.0.0.2: the next ones meet nginx's limit: 429"
is "$(http_status GET /admin/login --interface 127.0.0.2)" 200 \
    "127.0.0.2: the login page itself is not limited"
is "$(http_status POST /admin/login -d user=alice -d password=x -d token=forged)" 403 \
    "127.0.0.1 (exempt in the test stack) is not limited"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts")" 0 "no password was checked"
is "$(http_status GET /health)" 200 "worker alive"

done_testing
