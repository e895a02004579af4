#!/usr/bin/env bash
# tests/bench/survey.sh: the survey through nginx beside a bare durable
# INSERT loop, in the same run on the same private MariaDB (TESTING.md
# 3c).  Measures: GET /s/<survey> (the form); then, for each of CONCS
# concurrencies C, POST /s/<survey> over C connections (an answer
# committed before its 303) and C mariadb clients doing single-row
# autocommit INSERTs into a scratch table.  Prints the ratio POST /
# INSERT at each C (target >= 0.8).  Not part of `make check`: shared
# machines are too noisy for timed assertions.
#
# The stack runs the shipped number of survey workers (2).  They commit
# the answers that arrive together in one INSERT, so the POST rate
# grows with concurrency as the INSERT loop's does with its clients
# (MariaDB's group commit); at few connections both wait on the disk's
# flush, and the POST also on its trip through wrk, nginx and FastCGI.
#
# Every POST carries its own form token (a unique submission_id), minted
# beforehand with the stack's key the way the form page mints them, so
# each request is one new answer; the stored count is checked against
# wrk's 303s afterwards.
set -euo pipefail
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir

DUR=${HS_BENCH_SECS:-10}	# seconds per wrk run
CONCS=${HS_BENCH_CONCS:-4 8 16}	# connections / parallel clients
TOKENS=${HS_BENCH_TOKENS:-200000} # unique answers available to wrk
INSERT_ROWS=${HS_BENCH_INSERTS:-8000} # rows per INSERT loop, all clients
STACK=$top_srcdir/tests/stack/hs-stack

DIR=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench-survey.XXXXXX")
trap '"$STACK" stop --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
"$STACK" start --dir "$DIR" >/dev/null 2>&1 || { echo "stack did not start" >&2; exit 1; }
eval "$("$STACK" env --dir "$DIR")"
sql() { "$STACK" sql --dir "$DIR" "$@"; }
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"

cat >"$DIR/bench.json" <<'JSON'
{ "slug": "bench", "question": "How did you hear about us?",
  "allow_unsigned": true, "shuffle": "none",
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "friend", "label": "A friend", "channel": "friend",
      "followup": "referrer" } ] }
JSON
$ADMIN survey import "$DIR/bench.json" >/dev/null
sid=$(sql "SELECT id FROM surveys WHERE slug = 'bench'")
ver=$(sql "SELECT version FROM surveys WHERE slug = 'bench'")
key=$(sed -n 's/^hmac_key = //p' "$DIR/secrets")

# mint N: N request bodies, each with its own new form token.
mint() {
	python3 - "$key" "$sid" "$ver" "$1" <<'PY'
import base64, hashlib, hmac, os, sys, time, urllib.parse
key, sid, ver, n = bytes.fromhex(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
exp = str(int(time.time()) + 3600)
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=").decode()
for i in range(n):
    payload = ("%s.%s.%s.0.01." % (os.urandom(16).hex(), sid, ver)).encode()
    mac = hmac.new(key, b"form\0" + payload + b"\0" + exp.encode(), hashlib.sha256).digest()
    ft = b(payload) + "." + exp + "." + b(mac)
    print("ft=" + ft + "&o=friend&f_friend=" + urllib.parse.quote("Zoë %d" % i))
PY
}

cat >"$DIR/post.lua" <<'LUA'
local bodies, i = {}, 0
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
	i = i + 1
	return wrk.format(nil, nil, nil, bodies[(i - 1) % #bodies + 1])
end
other = 0
response = function(status) if status ~= 303 then other = other + 1 end end
done = function(summary, latency, requests)
	io.write(string.format("non-303: %d\n", other))
	io.write(string.format("p50 %.1f ms  p99 %.1f ms\n",
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }

# The reference: C mariadb clients, each a loop of autocommit INSERTs
# ($2 makes one line of SQL from a random hex id and a counter), of
# INSERT_ROWS rows in all.  Prints rows/s.
insert_loop() {
	local conc=$1 n=$((INSERT_ROWS / $1)) c t0 t1
	for c in $(seq 1 "$conc"); do
		python3 -c "
import os
for i in range($n):
    print($2 % (os.urandom(16).hex(), i))
" >"$DIR/ins.$c.sql"
	done
	t0=$(date +%s.%N)
	for c in $(seq 1 "$conc"); do
		sql <"$DIR/ins.$c.sql" &
	done
	wait
	t1=$(date +%s.%N)
	python3 -c "print('%.1f' % ($conc * $n / ($t1 - $t0)))"
}
# The target's reference is the answer's own row: the same columns and
# indexes as responses (CREATE TABLE LIKE), the row a POST stores; what
# the ratio then measures is what nginx, FastCGI, validation and the
# velocity check add to storing it.  A two-column row is printed beside
# it, the cheapest durable INSERT there is.
sql "CREATE TABLE IF NOT EXISTS bench_responses LIKE responses"
sql "CREATE TABLE IF NOT EXISTS bench_insert (id CHAR(32) CHARACTER SET ascii
    NOT NULL PRIMARY KEY, payload VARCHAR(200) NOT NULL) ENGINE=InnoDB"
ROW_SQL="\"INSERT INTO bench_responses (submission_id, survey_id, answered_at, options, shown_order, followup_text, consent, client_hash, source) VALUES ('%s', $sid, UTC_TIMESTAMP(3), 'friend', 'search friend', 'Zo\\u00eb %d', 0, SHA2('bench', 256), 'form');\""
PAIR_SQL="\"INSERT INTO bench_insert VALUES ('%s', 'Zo\\u00eb %d');\""

first=${CONCS%% *}
echo "-- the shipped 2 survey workers; concurrencies: $CONCS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "-- ceiling: nginx return 204, $first connections"
ceil=$(taskset -c 1 wrk -t1 -c"$first" -d"${DUR}s" --timeout 10s "$HS_URL/__bench/204" | rps)
echo "   $ceil req/s"
echo "-- GET /s/bench (the form), $first connections"
getr=$(wrk -t1 -c"$first" -d"${DUR}s" --timeout 10s "$HS_URL/s/bench" | rps)
echo "   $getr req/s"

summary=
for conc in $CONCS; do
	echo "-- POST /s/bench, $conc connections (one new answer each, committed before the 303)"
	mint "$TOKENS" >"$DIR/bodies"
	before=$(sql "SELECT COUNT(*) FROM responses")
	BODIES=$DIR/bodies wrk -t1 -c"$conc" -d"${DUR}s" --timeout 10s \
	    -s "$DIR/post.lua" "$HS_URL/s/bench" >"$DIR/post.out"
	postr=$(rps <"$DIR/post.out")
	reqs=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$DIR/post.out")
	bad=$(sed -n 's/^non-303: //p' "$DIR/post.out")
	stored=$(( $(sql "SELECT COUNT(*) FROM responses") - before ))
	echo "   $postr req/s; $(grep '^p50' "$DIR/post.out"); $reqs requests, $bad not 303, $stored stored"
	if (( reqs > TOKENS )); then
		echo "   note: more requests than tokens; replays stored nothing (raise HS_BENCH_TOKENS)"
	fi
	echo "-- bare durable INSERT loop, an answer's row: $conc mariadb clients, $INSERT_ROWS autocommit rows"
	insr=$(insert_loop "$conc" "$ROW_SQL")
	echo "   $insr rows/s"
	echo "-- bare durable INSERT loop, a two-column row"
	ins2=$(insert_loop "$conc" "$PAIR_SQL")
	echo "   $ins2 rows/s"
	ratio=$(python3 -c "print('%.2f' % ($postr / $insr))")
	ratio2=$(python3 -c "print('%.2f' % ($postr / $ins2))")
	summary+="   $conc connections: POST $postr req/s, INSERT loop $insr rows/s (two-column $ins2): POST/INSERT $ratio ($ratio2 of the two-column loop)"$'\n'
done
echo "== survey: GET $getr req/s, ceiling $ceil req/s; target POST/INSERT >= 0.8"
printf '%s' "$summary"
