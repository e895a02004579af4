#!/usr/bin/env bash
# tests/it/nginx_security.sh: what nginx itself writes down and sends
# (issue 22).  After a host session, floods that meet the rate limits, a
# body too large and a program that is gone -- all from 127.0.0.2, with
# tokens in the URLs -- no log of the stack holds the host's capability
# token, a ?t= token or the client's address, while the access log still
# shows each request (capability segment redacted) and its status.
# nginx's own answers (404, 413, 429, 421, 502, static files) carry the
# shared security headers; a program's answers carry exactly one of each,
# the program's own; the TLS example of hearsay.conf, uncommented, sends
# Strict-Transport-Security over https, and plain http never does.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

ADMIN=$top_builddir/src/admin/hearsay-admin
hs_stack_start
admin() { "$ADMIN" -f "$HS_CONF" "$@"; }

# curl without ~/.curlrc (-q must come first), bounded in time.
hc() { curl -q -s --max-time 20 "$@" || true; }
st() { hc -o /dev/null -w '%{http_code}' "$@"; }
# Fetches with headers into $HS_TMP/h (one block per response when
# several URLs are given) and prints the last status.
hd() {
	: >"$HS_TMP/h"
	hc -D "$HS_TMP/h" -o /dev/null -w '%{http_code}\n' "$@" | tail -n1
}
# The header block of the last response in $HS_TMP/h.
last_block() {
	awk '/^HTTP\// { b = "" } { b = b $0 "\n" } END { printf "%s", b }' \
	    "$HS_TMP/h" | tr -d '\r'
}
hcount() { last_block | grep -ci "^$1:" || true; }
hval() { last_block | grep -i "^$1:" | head -n1 | sed 's/^[^:]*: *//'; }
SHARED=(X-Content-Type-Options X-Frame-Options Referrer-Policy
    Content-Security-Policy)
# An answer nginx made: one of each shared header, nginx's values.
nginx_made() {
	local h
	for h in "${SHARED[@]}"; do
		is "$(hcount "$h")" 1 "$1: one $h"
	done
	is "$(hval X-Content-Type-Options)" nosniff "$1: nosniff"
	is "$(hval X-Frame-Options)" DENY "$1: X-Frame-Options DENY"
	is "$(hval Referrer-Policy)" no-referrer "$1: Referrer-Policy no-referrer"
	like "$(hval Content-Security-Policy)" \
	    "^default-src 'none';.*frame-ancestors 'none'" "$1: a strict CSP"
}
# An answer a program made: exactly one of each, none added by nginx.
program_made() {
	local h
	for h in "${SHARED[@]}"; do
		is "$(hcount "$h")" 1 "$1: exactly one $h"
	done
	like "$(hval Content-Security-Policy)" "style-src 'self'" \
	    "$1: the program's CSP"
}

# --- a host session (tests/it/qr_host.sh has the details)
hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('nsec', 'nginx security', 'example.org', 'https://example.org/')"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('hosta', 'Alice Host')"
out=$(admin event create --name "Meetup" --campaign nsec --host hosta --tables 2)
EV=$(sed 's/^event \([0-9]*\) .*/\1/' <<<"$out")
U=$(admin host grant --advocate hosta --campaign nsec)
P=${U#"$HS_URL"}
tok=${P#/host/}
tok=${tok%/}
like "$tok" '^[0-9a-f]{64}$' "a host token"

is "$(hd "$HS_URL$P")" 200 "the host page opens"
program_made "host page"
is "$(hval Referrer-Policy)" no-referrer "host page: its own no-referrer"
csrf=$(hc "$HS_URL$P" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
is "$(st --data-urlencode "csrf=$csrf" --data-urlencode "name=Quiz" \
    --data-urlencode "tables=1" "$HS_URL${P}events")" 303 "the host creates an event"
for pg in poster cards slide; do
	is "$(st "$HS_URL${P}e/$EV/$pg")" 200 "the host opens the $pg"
done
is "$(st "$HS_URL/HOST/$tok/")" 404 "the token under /HOST/: 404"
is "$(st "$HS_URL/a/$tok/x")" 404 "the token under /a/ (advocate pages): 404"
# Rate limits on the host's own path, from an address that meets them:
# up to 50 at once, so the burst runs out before the rate refills it.
urls=()
for ((i = 0; i < 300; i++)); do
	urls+=("$HS_URL${P}e/$EV/nope")
done
# (curl's parallel progress meter ignores -s: stderr dropped.)
codes=$(hc -Z --parallel-max 50 --interface 127.0.0.2 -o /dev/null \
    -w '%{http_code} ' "${urls[@]}" 2>/dev/null)
like "$codes" 429 "a flood of the host's path from 127.0.0.2: 429"

# --- a signup token in a query string, refused by nginx
stok=signuptoken$RANDOM$RANDOM
urls=()
for ((i = 0; i < 40; i++)); do
	urls+=("$HS_URL/s/x?t=$stok")
done
is "$(hd --interface 127.0.0.2 -d a=b "${urls[@]}")" 429 \
    "a flood of POST /s/x?t= from 127.0.0.2: 429"
nginx_made "429"
head -c 17000 /dev/zero | tr '\0' a >"$HS_TMP/body17k"
is "$(hd --interface 127.0.0.2 --data-binary @"$HS_TMP/body17k" \
    "$HS_URL/s/y?t=$stok")" 413 "a body too large, with ?t=: 413"
nginx_made "413"

# --- nginx's other answers, and the programs' own
is "$(hd "$HS_URL/")" 404 "/: 404 from nginx"
nginx_made "404 for /"
is "$(hd -H 'Host: evil.example' "$HS_URL/health")" 421 "Host: evil: 421"
nginx_made "421"
is "$(hd "$HS_URL/static/hearsay.css")" 200 "a static file"
nginx_made "static file"
is "$(hd "$HS_URL/s/x")" 404 "/s/x: the survey's own 404"
program_made "survey 404"
is "$(hd "$HS_URL/i/NOPE-0000")" 404 "/i/: the redirector's own 404"
program_made "redirector 404"
is "$(hval Referrer-Policy)" strict-origin-when-cross-origin \
    "redirector 404: the program's Referrer-Policy, not nginx's"
is "$(hd "$HS_URL/health")" 200 "/health"
program_made "/health"
is "$(hd "$HS_URL/admin/login")" 200 "/admin/login"
program_made "/admin/login"

# --- HSTS: the commented TLS lines of hearsay.conf, uncommented, in a
# copy of the rendered server on a TLS port of the same nginx (the
# upstreams stay with the original).  Only over https.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -keyout "$HS_TMP/key.pem" -out "$HS_TMP/cert.pem" 2>/dev/null
TPORT=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e '/^upstream /,/^}/d' \
    -e "s|^\tlisten\t.*|\tlisten\t127.0.0.1:$TPORT ssl;|" \
    -e "s|^\t#\tssl_certificate\t.*|\tssl_certificate $HS_TMP/cert.pem;|" \
    -e "s|^\t#\tssl_certificate_key\t.*|\tssl_certificate_key $HS_TMP/key.pem;|" \
    -e 's|^\t#\t\(add_header\t*Strict-Transport-Security .*\)|\t\1|' \
    "$HS_DIR/nginx/hearsay.conf" >"$HS_DIR/nginx/hearsay-tls.conf"
is "$(grep -c '^	ssl_certificate\|^	add_header	*Strict' \
    "$HS_DIR/nginx/hearsay-tls.conf")" 3 \
    "hearsay.conf's TLS example: certificate, key and HSTS lines"
sed -i "s|^\tinclude\t*$HS_DIR/nginx/hearsay.conf;|&\n\tinclude $HS_DIR/nginx/hearsay-tls.conf;|" \
    "$HS_DIR/nginx/nginx.conf"
ok "$HS_STACK" nginx-reload --dir "$HS_DIR"
ok wait_for 20 404 "st -k 'https://127.0.0.1:$TPORT/'"
is "$(hd -k "https://127.0.0.1:$TPORT/")" 404 "https: 404 for /"
is "$(hcount Strict-Transport-Security)" 1 "https 404: HSTS"
like "$(hval Strict-Transport-Security)" '^max-age=[0-9]{8}' "HSTS: a long max-age"
nginx_made "https 404"
is "$(hd -k "https://127.0.0.1:$TPORT/health")" 200 "https: /health"
is "$(hcount Strict-Transport-Security)" 1 "https /health: HSTS"
program_made "https /health"
is "$(hd "$HS_URL/health")" 200 "http: /health"
is "$(hcount Strict-Transport-Security)" 0 "http: no HSTS"

# --- a program gone: its socket refuses (report killed), then is missing
rpid=$(hs_pid report)
hs_expect_signal KILL "$rpid"
kill -KILL -- "-$rpid"
ok wait_for 20 502 "st '$HS_URL/admin/login'"
is "$(hd --interface 127.0.0.2 "$HS_URL/admin/login?t=$stok")" 502 \
    "report killed: 502"
nginx_made "502"
rm -f "$HS_DIR/run/report.sock"
is "$(st --interface 127.0.0.2 "$HS_URL/admin/login?t=$stok")" 502 \
    "report's socket gone: 502"

# --- every log of the stack
acc=$(cat "$HS_DIR/log/hearsay-access.log")
like "$acc" "\"GET /host/REDACTED/e/$EV/poster\" 200" \
    "the access log has the host's requests, token redacted"
like "$acc" '"POST /host/REDACTED/events" 303' "and the host's form"
like "$acc" '"GET /host/REDACTED/" 404' "and the upper-case variant"
like "$acc" '"GET /a/REDACTED/x" 404' "and the advocate path"
like "$acc" '"POST /s/x" 429' "the access log counts the refused requests"
like "$acc" '"POST /s/y" 413' "and the body too large"
like "$acc" '"GET /admin/login" 502' "and the 502"
hits=$(grep -rlaiF -e "$tok" "$HS_DIR/log" || true)
is "$hits" "" "no log holds the host token"
hits=$(grep -rlaF -e "$stok" "$HS_DIR/log" || true)
is "$hits" "" "no log holds the ?t= token"
hits=$(grep -rlaF -e "127.0.0.2" "$HS_DIR/log" || true)
is "$hits" "" "no log holds the client's address"
if [[ -n $hits ]]; then
	diag "$(grep -raF -e "127.0.0.2" "$HS_DIR/log" | head -n5)"
fi
done_testing
