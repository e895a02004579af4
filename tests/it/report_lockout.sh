#!/usr/bin/env bash
# tests/it/report_lockout.sh: nobody can lock an analyst out by failing
# to sign in under their name (issue 22).  The program's throttle is
# keyed on the client network (the pseudonymous hash of its /24), and a
# name's or the site's failures throttle only clients that failed
# themselves.  The attacker sends from 127.0.0.1, which the test stack
# exempts from nginx's rate limits, so every 429 here is the program's;
# the other clients are other /24s of the loopback network
# (curl --interface), each sending a request or two, under nginx's limit.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_stack_start
report_user analyst
report_user carol

# login FROM USER PASSWORD: the status of one sign-in from address FROM.
login() {
	local t
	t=$(report_token)
	http_fetch POST /admin/login --interface "$1" --data-urlencode "user=$2" \
	    --data-urlencode "password=$3" --data-urlencode "token=$t"
	echo "$HTTP_STATUS"
}

# --- an attacker fails seven times in the analyst's name
codes=()
for i in $(seq 1 7); do
	codes+=("$(login 127.0.0.1 analyst "guess-$i")")
done
is "${codes[*]}" "401 401 401 401 401 429 429" \
    "the attacker: five failures, then throttled"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'analyst'")" 5 \
    "five failures recorded"

# --- the analyst, from another network, still signs in
http_fetch POST /admin/login --interface 127.0.1.1 --data-urlencode user=analyst \
    --data-urlencode "password=$REPORT_PW" --data-urlencode "token=$(report_token)"
is "$HTTP_STATUS" 303 "the analyst from a client without failures: signed in"
like "$(cat "$HTTP_HEADERS")" 'Set-Cookie: hs_session=[0-9a-f]{64}' "... with a session"

# --- the attacker is still throttled, the right password included
is "$(login 127.0.0.1 analyst "$REPORT_PW")" 429 \
    "the attacker's client, right password: still 429"
like "$(cat "$HTTP_HEADERS")" $'Retry-After: [1-9][0-9]*\r' "... with Retry-After"
is "$(login 127.0.0.3 analyst "$REPORT_PW")" 429 \
    "another address of the attacker's /24: 429"
is "$(login 127.0.0.1 carol "$REPORT_PW")" 429 "the attacker's client, another name: 429"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'analyst'")" 5 \
    "the analyst's sign-in did not clear the attacker's failures"

# --- a name under attack: a client with one failure gets no second try
is "$(login 127.0.2.1 analyst guess-8)" 401 "a new client's first guess: 401"
is "$(login 127.0.2.1 analyst "$REPORT_PW")" 429 \
    "its next try while the name has five failures: 429"
is "$(login 127.0.3.1 analyst "$REPORT_PW")" 303 "a client without failures: signed in"

# --- the whole site under attack: the same for every name
hs_sql "INSERT INTO login_attempts (user_name, client_hash, attempted_at)
    SELECT CONCAT('n', seq), SHA2(seq, 256), UTC_TIMESTAMP() FROM seq_1_to_100"
is "$(login 127.0.4.1 carol guess-1)" 401 "one failure for a quiet name: 401"
is "$(login 127.0.4.1 carol "$REPORT_PW")" 429 \
    "its next try while the site has 100 failures: 429"
is "$(login 127.0.5.1 carol "$REPORT_PW")" 303 "a client without failures: signed in"
like "$(hs_sql "SELECT MIN(LENGTH(client_hash)) FROM login_attempts")" '^64$' \
    "attempts keep a client hash, not an address"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE client_hash LIKE '127.%'")" 0 \
    "no address stored"

# --- the analyst's own typo is forgotten when they get it right
is "$(login 127.0.6.1 carol typo)" 401 "a typo: 401"
hs_sql "DELETE FROM login_attempts WHERE user_name LIKE 'n%'"
is "$(login 127.0.6.1 carol "$REPORT_PW")" 303 "then the right password: signed in"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts WHERE user_name = 'carol'")" 1 \
    "that client's failure for the name is gone, the other client's kept"
is "$(http_status GET /health)" 200 "worker alive"

done_testing
