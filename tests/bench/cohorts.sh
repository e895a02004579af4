#!/usr/bin/env bash
# tests/bench/cohorts.sh: issue 20's two benchmarks, each beside a
# reference measured in the same run on the same private MariaDB
# (TESTING.md 3c).  No assertions: numbers for a person to read
# (`make bench`); shared machines are too noisy for timed assertions.
#
# 1. POST /api/v1/activity through nginx, one new item per request (a
#    unique id each), over C connections for each C of CONCS, against C
#    mariadb clients doing single-row autocommit INSERTs of the same row
#    into the same table, activity, the signup looked up by reference as
#    the API does: its indexes, its foreign key and its rows (20M at the
#    issue's scale).  Until 2026-12 the loop wrote an empty copy (CREATE
#    TABLE LIKE, which drops the foreign key) while the API wrote the
#    full table, a reference the API could not meet at scale.  Prints API / INSERT at each C and the capacity ratio of the
#    best rates (issue 20's target: at least the survey POST's, see
#    tests/bench/survey.sh, over the same concurrencies).  The survey
#    workers store the items of requests that arrive together in one
#    INSERT (src/survey/activity.c), so the API's rate keeps growing
#    with connections after the loop's has levelled off.
# 2. The cohort pass (hearsay-reconcile --cohorts; the pass's own time
#    from cohort_runs.seconds) over BENCH_SIGNUPS signups with about 20
#    activity rows each (by default 1M signups and 20M rows, the
#    issue's scale; a smaller BENCH_SIGNUPS where generating that does
#    not fit), beside a bare set-based SQL reference timed inside the
#    server: the
#    weekly retention and the value at 30/90/365 days per signup week,
#    referral against none, the least any pass must read.  The pass
#    also writes months, three more arrivals, the K-factor, the
#    referred per campaign and month and the matched comparison's
#    table, so the ratio is an upper bound of its overhead.  The
#    cohorts page's own time over those tables is printed too.
#
# Small runs: HS_BENCH_SECS=1 HS_BENCH_CONCS=1 HS_BENCH_INSERTS=200
# BENCH_SIGNUPS=2000.  Phases' times print as they end ("-- ... s").
set -euo pipefail
. "$(dirname "$0")/../it/lib.sh"
. "$(dirname "$0")/../it/reconcile_lib.sh"

DUR=${HS_BENCH_SECS:-10}		# seconds per wrk run
CONCS=${HS_BENCH_CONCS:-1 4 16 32}	# connections / clients, ascending
BODIES=${HS_BENCH_TOKENS:-100000}	# unique items available to wrk
INSERT_ROWS=${HS_BENCH_INSERTS:-16000}	# rows per INSERT loop, all clients
NS=${BENCH_SIGNUPS:-1000000}		# the issue's scale
[[ ${BENCH_FULL:-0} == 1 ]] && NS=1000000
STEP=100000				# signups per INSERT ... SELECT
if [[ -z ${HS_DB_BUFFER_POOL:-} ]]; then
	HS_DB_BUFFER_POOL=1G
	[[ $NS -ge 500000 ]] && HS_DB_BUFFER_POOL=6G
fi
export HS_DB_BUFFER_POOL

py() { /usr/bin/python3 -c "$1"; }
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
KEY=$($ADMIN apikey create bench-act --scope activity 2>/dev/null)
kid=$(hs_sql "SELECT id FROM api_keys ORDER BY id DESC LIMIT 1")

# Signups a year back, at whole seconds, the last one a week before today.
echo "-- $NS signups with activity (load: $(cut -d' ' -f1-3 /proc/loadavg))"
t0=$(date +%s.%N)
for ((lo = 1; lo <= NS; lo += STEP)); do
	hi=$((lo + STEP - 1 < NS ? lo + STEP - 1 : NS))
	hs_sql "INSERT INTO signups (signup_ref, signed_up_at)
	    SELECT CONCAT('b-', seq), UTC_DATE() - INTERVAL 7 DAY
		- INTERVAL 365 * 86400 * ($NS - seq) DIV $NS SECOND
	    FROM seq_${lo}_to_${hi}"
done
# About 20 rows a signup: 'active' in some of its first 26 weeks
# (referred ones more often, once referral is known: every third signup
# id), an 'activated' for half, purchases.
for ((lo = 1; lo <= NS; lo += STEP)); do
	hi=$((lo + STEP - 1))
	hs_sql "INSERT INTO activity (activity_id, signup_id, kind, at, value,
		currency, api_key_id)
	    SELECT MD5(CONCAT(s.id, ':', q.seq)), s.id, 'active',
		s.signed_up_at + INTERVAL q.seq * 7 DAY
		+ INTERVAL (s.id * q.seq) % 600000 SECOND, NULL, NULL, $kid
	    FROM signups s JOIN seq_0_to_25 q
	    WHERE s.id BETWEEN $lo AND $hi
	      AND (s.id * 7 + q.seq * 13) % IF(s.id % 3 = 0, 2, 3) = 0
	      AND s.signed_up_at + INTERVAL q.seq * 7 DAY < UTC_DATE();
	    INSERT INTO activity (activity_id, signup_id, kind, at, value,
		currency, api_key_id)
	    SELECT MD5(CONCAT(s.id, ':act')), s.id,
		'activated', s.signed_up_at + INTERVAL s.id % 40 DAY, NULL,
		NULL, $kid
	    FROM signups s WHERE s.id BETWEEN $lo AND $hi AND s.id % 2 = 0;
	    INSERT INTO activity (activity_id, signup_id, kind, at, value,
		currency, api_key_id)
	    SELECT MD5(CONCAT(s.id, ':p', q.seq)), s.id,
		'purchase', s.signed_up_at + INTERVAL q.seq * 29 DAY
		+ INTERVAL 1 HOUR, (s.id % 7) * 3.25 + q.seq, 'USD', $kid
	    FROM signups s JOIN seq_0_to_11 q
	    WHERE s.id BETWEEN $lo AND $hi"
done
nact=$(hs_sql "SELECT COUNT(*) FROM activity")
echo "   $nact activity rows, $(py "print('%.1f' % ($(date +%s.%N) - $t0))") s"
rc_run --full
hs_sql "UPDATE attributions a JOIN signups s ON s.signup_ref = a.signup_ref
    SET a.reported_channel = 'referral' WHERE s.id % 3 = 0"

echo "-- the cohort pass (hearsay-reconcile --cohorts), twice"
rc_run --cohorts
p1=$(hs_sql "SELECT seconds FROM cohort_runs")
rc_run --cohorts
p2=$(hs_sql "SELECT seconds FROM cohort_runs")
echo "   $p1 s, $p2 s"
# The cohorts page over those tables, as an analyst loads it (three
# times; the first opens the worker's handle).
. "$(dirname "$0")/../it/report_lib.sh"
report_user bench
BSID=$(report_login bench)
pages=
for i in 1 2 3; do
	pages+="$(curl -q -s -o /dev/null -w '%{time_total}' --max-time 60 \
	    -H "Cookie: hs_session=$BSID" "$HS_URL/admin/cohorts") "
done
echo "   the cohorts page: $pages s"
echo "-- bare SQL reference: weekly retention and value at 30/90/365 days, referral/none"
REF_MEMBERS="SELECT s.id, s.signed_up_at AS at,
    DATE(s.signed_up_at) - INTERVAL WEEKDAY(s.signed_up_at) DAY AS week,
    (a.tracked_link_id IS NOT NULL OR a.reported_channel = 'referral'
	OR a.reported_advocate_id IS NOT NULL) AS ref
    FROM signups s JOIN attributions a ON a.signup_ref = s.signup_ref
    WHERE s.signed_up_at < UTC_DATE()"
ref() {
	hs_sql "SET @t = NOW(6);
	SELECT COUNT(*) INTO @x FROM (SELECT m.week, m.ref,
		FLOOR(TIMESTAMPDIFF(SECOND, m.at, a.at) / 604800) AS n,
		COUNT(DISTINCT a.signup_id) FROM ($REF_MEMBERS) m
	    JOIN activity a ON a.signup_id = m.id AND a.kind = 'active'
		AND a.at >= m.at AND a.at < UTC_DATE()
	    GROUP BY 1, 2, 3) r;
	SELECT COUNT(*) INTO @x FROM (SELECT m.week, m.ref, h.h,
		COUNT(DISTINCT m.id), SUM(a.value) FROM ($REF_MEMBERS) m
	    JOIN (SELECT 30 AS h UNION ALL SELECT 90 UNION ALL SELECT 365) h
		ON m.at + INTERVAL h.h DAY <= UTC_DATE()
	    LEFT JOIN activity a ON a.signup_id = m.id AND a.at >= m.at
		AND a.at < m.at + INTERVAL h.h DAY
	    GROUP BY 1, 2, 3) v;
	SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1e6"
}
r1=$(ref)
r2=$(ref)
echo "   $r1 s, $r2 s"

# The reference for the API: the item's own row into its own table, its
# signup looked up by reference as the API does, one autocommit INSERT
# each.  Its rows stay (a few tens of thousands beside the API's).  The
# lookup is a scalar subquery in a VALUES row, not an INSERT ... SELECT:
# under innodb_autoinc_lock_mode 1 (MariaDB's default; the cluster runs
# 2) an INSERT ... SELECT into a table with an AUTO_INCREMENT key (sql/250)
# holds the table's AUTO-INC lock to its end, which queued the loop's 32
# clients behind one another (a third fewer rows a second, measured).
# insert_loop C: C mariadb clients, INSERT_ROWS rows in all, started
# together at one instant (see tests/bench/survey.sh); prints rows/s.
insert_loop() {
	local conc=$1 n=$((INSERT_ROWS / $1)) c start t1
	for c in $(seq 1 "$conc"); do
		py "
import os
for i in range($n):
    print(\"INSERT INTO activity (activity_id, signup_id, kind, at, value, currency, api_key_id) VALUES ('%s', (SELECT id FROM signups WHERE signup_ref = 'b-%d'), 'purchase', UTC_TIMESTAMP(3), 9.99, 'USD', $kid);\" % (os.urandom(16).hex(), i % $NS + 1))
" >"$HS_TMP/ins.$c.sql"
	done
	start=$(py "import time; print('%.6f' % (time.time() + 1 + $conc / 16))")
	for c in $(seq 1 "$conc"); do
		{ echo "DO SLEEP(GREATEST(0, $start - UNIX_TIMESTAMP(NOW(6))));"
		  cat "$HS_TMP/ins.$c.sql"; } | hs_sql &
	done
	wait
	t1=$(date +%s.%N)
	py "print('%.1f' % ($conc * $n / ($t1 - $start)))"
}
cat >"$HS_TMP/post.lua" <<'LUA'
local bodies, i = {}, 0
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
request = function()
	i = i + 1
	return wrk.format(nil, nil, nil, bodies[(i - 1) % #bodies + 1])
end
other = 0
response = function(status) if status ~= 200 then other = other + 1 end end
done = function(summary, latency, requests)
	io.write(string.format("non-200: %d\n", other))
	io.write(string.format("p50 %.1f ms  p99 %.1f ms\n",
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
summary= best_api=0 best_ins=0
for conc in $CONCS; do
	echo "-- POST /api/v1/activity, $conc connections (one new item each)"
	py "
import os, time
at = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 60))
for i in range($BODIES):
    print('{\"items\":[{\"id\":\"%s\",\"signup_ref\":\"b-%d\",\"kind\":\"purchase\",\"at\":\"%s\",\"value\":9.99,\"currency\":\"USD\"}]}' % (os.urandom(16).hex(), i % $NS + 1, at))
" >"$HS_TMP/bodies"
	before=$(hs_sql "SELECT COUNT(*) FROM activity")
	BODIES=$HS_TMP/bodies KEY=$KEY wrk -t1 -c"$conc" -d"${DUR}s" \
	    --timeout 10s -s "$HS_TMP/post.lua" "$HS_URL/api/v1/activity" \
	    >"$HS_TMP/post.out"
	apir=$(rps <"$HS_TMP/post.out")
	reqs=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$HS_TMP/post.out")
	bad=$(sed -n 's/^non-200: //p' "$HS_TMP/post.out")
	stored=$(( $(hs_sql "SELECT COUNT(*) FROM activity") - before ))
	echo "   $apir req/s; $(grep '^p50' "$HS_TMP/post.out"); $reqs requests, $bad not 200, $stored stored"
	echo "-- bare durable INSERT loop, the item's row: $conc clients, $INSERT_ROWS rows"
	insr=$(insert_loop "$conc")
	echo "   $insr rows/s"
	summary+="   $conc connections: API $apir req/s, INSERT loop $insr rows/s: API/INSERT $(py "print('%.2f' % ($apir / $insr))")"$'\n'
	best_api=$(py "print(max($best_api, $apir))")
	best_ins=$(py "print(max($best_ins, $insr))")
done

echo "== cohorts: $NS signups, $nact activity rows"
echo "   cohort pass $p2 s against the bare SQL $r2 s: $(py "print('%.2f' % ($p2 / max($r2, 1e-6)))") x (first runs: $p1 s, $r1 s)"
echo "   the cohorts page (HTML, from the cohort tables): $pages s"
printf '%s' "$summary"
echo "   capacity: API $best_api req/s against INSERT loop $best_ins rows/s: $(py "print('%.2f' % ($best_api / $best_ins))") (target: at least the survey POST's, tests/bench/survey.sh)"
done_testing
