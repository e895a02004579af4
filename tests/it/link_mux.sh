#!/usr/bin/env bash
# link_mux.sh: the redirector's FastCGI worker (src/core/fcgimux.c) with
# a single worker: nginx keeps its connections and reuses them; one
# worker serves many connections at once, so neither a crowd nor a
# connection stalled halfway holds anyone up; a stalled connection is
# closed after MUX_STALL_SECS; protocol errors close only their
# connection; management records are answered.
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"

FCGI="/usr/bin/python3 $top_srcdir/tests/it/fcgi_client.py"
STALL_WAIT=20	# > MUX_STALL_SECS (10) + its 1 s sweep, with slack

link_setup --workers 1
SOCK=$HS_DIR/run/link.sock
children() {
	pgrep -P "$(hs_pid link)" | sort | tr '\n' ' '
}
before=$(children)

# Connections to the redirector's socket, as ss lists them.
kept() {
	ss -xH state established | awk -v s="$SOCK" '$4 == s' | wc -l
}

# --- nginx keeps its connections and reuses them
codes=
for i in $(seq 1 40); do
	codes+="$(http_status GET /i/TEST-0004) "
done
is "$(tr ' ' '\n' <<<"$codes" | sort -u | tr -d '\n')" 302 \
    "40 requests in a row: all 302"
n=$(kept)
ok test "$n" -ge 1
# Two nginx workers, each with its kept connection or two: not 40.
ok test "$n" -le 4
diag "connections kept after 40 requests: $n"

# --- on one raw connection: several requests, management records
is "$($FCGI get "$SOCK" /i/TEST-0004 3 | tr '\n' ' ')" \
    "Status: 302 Found Status: 302 Found Status: 302 Found " \
    "three requests on one kept connection"
is "$($FCGI values "$SOCK")" 10 "FCGI_GET_VALUES answered"

# --- a connection stalled halfway holds nobody up, and is closed
$FCGI stall "$SOCK" "$STALL_WAIT" >"$HS_TMP/stall" 2>"$HS_TMP/stall.err" &
stallpid=$!
sleep 0.5
codes=
for i in $(seq 1 20); do
	codes+="$(curl -q -s -o /dev/null --max-time 5 -w '%{http_code}' \
	    "$HS_URL/i/TEST-0004") "
done
is "$(tr ' ' '\n' <<<"$codes" | sort -u | tr -d '\n')" 302 \
    "one worker, a stalled connection: 20 requests all 302"
wait "$stallpid" || true
is "$(cat "$HS_TMP/stall")" closed "the stalled connection was closed"
diag "stalled connection: closed $(cat "$HS_TMP/stall.err")"

# --- a protocol error closes its connection, not the worker
is "$($FCGI badversion "$SOCK")" closed "version 2 record: connection closed"
is "$(http_status GET /i/TEST-0004)" 302 "then still redirecting"
is "$(children)" "$before" "the same worker and loader (nothing crashed)"

# --- a crowd: 128 at once on one worker
seq 1 256 | xargs -P 128 -I{} curl -q -s -o /dev/null --max-time 10 \
    -w '%{http_code}\n' "$HS_URL/i/TEST-0004" >"$HS_TMP/crowd"
is "$(sort "$HS_TMP/crowd" | uniq -c | awk '{print $2 "x" $1}')" 302x256 \
    "256 requests, 128 at a time, one worker: all 302"

done_testing
