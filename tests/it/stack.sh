#!/usr/bin/env bash
# tests/it/stack.sh: the stack harness itself, and the bad inputs that are
# nginx's own job (TESTING.md 3a rows 2, 3, 5, 7, 15, 16): a stack starts
# (MariaDB, migrations, nginx, the health program), answers /health through
# nginx with the server settings in effect (asked of MariaDB and shown by
# what it does: strict refusal, four-byte UTF-8, a commit surviving
# SIGKILL; the programs refusing a group-readable secrets file), runs
# beside a second one, survives a MariaDB kill, and stops
# without leaving a process behind.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start

# --- the stack is up end to end
is "$(http_status GET /health)" 200 "GET /health through nginx -> program -> MariaDB"
http_fetch GET /health
like "$(cat "$HTTP_HEADERS")" $'[Cc]ontent-[Tt]ype: application/json' "/health is JSON"
is "$(hs_sql "SELECT COUNT(*) FROM information_schema.columns
    WHERE table_schema = 'hearsay' AND table_name = 'schema_migrations'
    AND column_name IN ('version', 'name', 'applied_at')")" 3 \
    "schema_migrations(version, name, applied_at) exists"
like "$(hs_sql "SELECT COUNT(*) FROM schema_migrations")" '^[1-9][0-9]*$' \
    "migrations were recorded"
is "$(hs_sql "SELECT COUNT(*) FROM schema_migrations")" \
    "$(ls "$top_srcdir"/sql/[0-9]*.sql | wc -l)" "every migration in sql/ applied"
is "$(cat "$HTTP_BODY")" '{"status":"ok"}' "/health says ok and nothing else"
# The server's effective settings, asked of the running server and shown
# by what it does, not read back from the command line hs-stack wrote.
is "$(hs_sql "SELECT @@GLOBAL.character_set_server, @@GLOBAL.collation_server,
    @@GLOBAL.innodb_flush_log_at_trx_commit, @@GLOBAL.log_bin,
    @@GLOBAL.skip_name_resolve, @@GLOBAL.bind_address")" \
    $'utf8mb4\tutf8mb4_unicode_520_ci\t1\t0\t1\t127.0.0.1' \
    "MariaDB: utf8mb4, flush at every commit, no binlog, no DNS, loopback only"
is "$(hs_sql "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA
    WHERE SCHEMA_NAME = 'hearsay'")" utf8mb4 "the hearsay database is utf8mb4"
for m in STRICT_ALL_TABLES NO_ZERO_DATE NO_ZERO_IN_DATE \
    ERROR_FOR_DIVISION_BY_ZERO NO_ENGINE_SUBSTITUTION; do
	is "$(hs_sql "SELECT FIND_IN_SET('$m', @@GLOBAL.sql_mode) > 0")" 1 \
	    "MariaDB: sql_mode has $m"
done
# Strict: an overlong string is an error, nothing stored (not truncated).
if hs_sql "INSERT INTO advocates (handle, display_name)
    VALUES ('it-long', REPEAT('x', 201))" 2>/dev/null; then
	fail "strict: an overlong string refused"
else
	pass "strict: an overlong string refused"
fi
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle = 'it-long'")" 0 \
    "strict: nothing stored"
# utf8mb4: a four-byte character survives the round trip.
hs_sql "INSERT INTO advocates (handle, display_name)
    VALUES ('it-emoji', CONVERT(UNHEX('F09F9880') USING utf8mb4))"
is "$(hs_sql "SELECT HEX(display_name) FROM advocates WHERE handle = 'it-emoji'")" \
    F09F9880 "utf8mb4: an emoji stored as its four bytes"
# The secrets file: the programs refuse one readable by others, so the
# mode hs-stack gave it is the one they accept.
sed "s|^secrets_file = .*|secrets_file = $HS_TMP/secrets|" "$HS_CONF" >"$HS_TMP/conf"
cp "$HS_DIR/secrets" "$HS_TMP/secrets"
chmod 0640 "$HS_TMP/secrets"
if out=$("$top_builddir/src/admin/hearsay-admin" -f "$HS_TMP/conf" webhook list 2>&1); then
	fail "a group-readable secrets file is refused"
else
	like "$out" 'readable by group or others' "a group-readable secrets file is refused"
fi
chmod 0600 "$HS_TMP/secrets"
ok "$top_builddir/src/admin/hearsay-admin" -f "$HS_TMP/conf" webhook list
is "$(stat -c %a "$HS_DIR/secrets")" 600 "the stack's secrets file is 0600"
is "$(http_status GET /__bench/204)" 204 "benchmark ceiling location"

# --- nginx's share of the bad inputs
big=$(head -c 10240 /dev/zero | tr '\0' A)
is "$(http_status GET "/i/$big")" 414 "10 KB path: 414 from nginx"
is "$(http_status GET /health -H "Cookie: a=${big:0:9216}")" 400 \
    "9 KB cookie: 400 (nginx logs 494)"
hdrs=()
for i in $(seq 1 200); do
	hdrs+=(-H "X-Filler-$i: ${big:0:200}")
done
is "$(http_status GET /health "${hdrs[@]}")" 400 "200 headers of 200 bytes: 400"
hdrs=()
for i in $(seq 1 200); do
	hdrs+=(-H "X-Small-$i: x")
done
is "$(http_status GET /health "${hdrs[@]}")" 200 "200 small headers: still served"
head -c 17000 /dev/zero | tr '\0' a >"$HS_TMP/body17k"
is "$(http_status POST /s/x --data-binary @"$HS_TMP/body17k")" 413 \
    "body > 16k: 413 from nginx"
is "$(http_status POST /s/x -H 'Transfer-Encoding: chunked' \
    --data-binary @"$HS_TMP/body17k")" 413 "chunked body > 16k: 413 from nginx"
is "$(http_status POST /s/x -H 'Content-Length: 10485760' --data-binary x \
    --max-time 5)" 413 "Content-Length: 10 MB announced: 413 at once"
is "$(http_status TRACE /health)" 405 "TRACE: 405 from nginx"
is "$(http_status GET /health -H 'Host: evil.example')" 421 \
    "Host: evil: the catch-all server (421), never the app"
is "$(http_status GET /health --http1.0 -H 'Host:')" 421 \
    "no Host (HTTP/1.0): the catch-all server"
# A raw NUL in the request line never reaches a program.
raw_request() {
	exec 3<>"/dev/tcp/127.0.0.1/$HS_PORT"
	printf "$1" >&3
	timeout 5 head -n1 <&3 || true
	exec 3<&-
}
resp=$(raw_request 'GET /i/a\0b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
like "$resp" '^HTTP/1\.1 400' "NUL in the request line: 400 from nginx"
is "$(http_status GET /)" 404 "unknown path: 404"
is "$(http_status GET /etc/passwd)" 404 "no file system outside /static/"
http_fetch GET /static/hearsay-does-not-exist.css
is "$HTTP_STATUS" 404 "missing static file: 404"
like "$(cat "$HTTP_HEADERS")" 'X-Content-Type-Options: nosniff' "static: nosniff"
css=$(cd "$top_srcdir/html/static" 2>/dev/null && ls ./*.css 2>/dev/null | head -n1 || true)
if [[ -n $css ]]; then
	http_fetch GET "/static/${css#./}"
	is "$HTTP_STATUS" 200 "static file served: /static/${css#./}"
	like "$(cat "$HTTP_HEADERS")" 'Content-Type: text/css' "static css type"
	like "$(cat "$HTTP_HEADERS")" 'Cache-Control: max-age=' "static: long cache"
fi

# --- rate limits: 127.0.0.1 is exempt in the harness (benchmarks);
# 127.0.0.2 is treated like any client.
# One curl for all 40 requests: fast enough to exceed the burst even on
# a loaded machine.
flood() {
	local urls=() i
	for ((i = 0; i < 40; i++)); do
		urls+=("$HS_URL/s/x")
	done
	curl -q -s -o /dev/null -w '%{http_code} ' --max-time 20 -d a=b "$@" \
	    "${urls[@]}" || true
}
like "$(flood --interface 127.0.0.2)" '429' \
    "POST /s/ flood from one address: 429 after the burst"
codes=$(flood)
unlike "$codes" '429' "the harness's own address is not rate limited"

# --- MariaDB dies and comes back: the harness's fault hooks work
# Flush at every commit: a row committed just before the SIGKILL is
# there after crash recovery.
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('it-durable', 'd')"
ok hs_db_kill
isnt "$(hs_sql "SELECT 1" 2>/dev/null || echo down)" 1 "after db-kill MariaDB is down"
ok hs_db_start
is "$(hs_sql "SELECT 1")" 1 "after db-start MariaDB answers again"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle = 'it-durable'")" 1 \
    "a row committed before the kill survives crash recovery"
ok hs_db_stop
ok hs_db_start
# The first request may meet the worker's dead connection; within a few
# seconds the program must have reconnected by itself.
for ((i = 0; i < 50; i++)); do
	code=$(http_status GET /health)
	[[ $code == 200 ]] && break
	sleep 0.1
done
is "$code" 200 "/health recovers after MariaDB restarts (no program restart)"

# --- a second stack beside the first
first=$HS_DIR first_port=$HS_PORT
hs_stack_start --no-programs --workers 1
second=$HS_DIR
isnt "$HS_PORT" "$first_port" "second stack: its own port"
isnt "$HS_DBSOCK" "$first/run/mysql.sock" "second stack: its own MariaDB"
is "$(hs_sql "SELECT 2")" 2 "second stack: MariaDB answers"
is "$(http_status GET /__bench/204)" 204 "second stack: nginx answers"
hs_stack_use "$first"
is "$(http_status GET /health)" 200 "first stack still answers beside it"

# --- nginx's own access log: requests, no client address, no query
# (Host: localhost, so that the client's 127.0.0.1 cannot pass for the
# logged host name.)
curl -q -s -o /dev/null -H "Host: localhost" "$HS_URL/i/NOPE-0000?t=secret-token"
log=$(grep -F '"localhost"' "$first/log/hearsay-access.log" || true)
like "$log" '"GET /i/NOPE-0000" 404' "nginx logs the hearsay server's requests"
unlike "$log" '127\.0\.0\.1|secret-token' "without the client address or the query string"

# --- stop leaves nothing behind
pids=$(cat "$first"/run/*.pid "$second"/run/*.pid 2>/dev/null | sort -u)
like "$pids" '[0-9]' "pids recorded"
# Workers too: every process in the programs' groups.
for f in "$first"/run/*.pid; do
	p=$(cat "$f")
	pids+=" $(ps -e -o pid=,pgid= | awk -v g="$p" '$2 == g { print $1 }' | tr '\n' ' ')"
done
hs_stack_stop "$first" "$second"
left=
for p in $pids; do
	if kill -0 "$p" 2>/dev/null; then
		left+=" $p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60))"
	fi
done
is "$left" "" "no process left after stop"
ok test ! -e "$first"

done_testing
