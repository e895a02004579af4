#!/usr/bin/env bash
# tests/bench/cluster.sh: the cost of a Galera cluster (issue 19).  Three
# stacks in the same run, all on this one machine: one app host on one
# MariaDB server; two app hosts on one server (hs-stack --hosts 2); two
# app hosts on a three-node cluster (--galera 3 --hosts 2).  For each:
# GET /i/<code> and survey answers POSTed through the JSON API (each its
# own signup_ref), through nginx, with wrk: requests/s, p50/p99, and the
# cluster's ratios to the other two (the two-host server has as many
# workers as the cluster and flushing its log once a second as the nodes
# do, so its ratio is the cost of the cluster alone);
# before that, the nightly job's full and incremental run times on the
# same generated data (one server, the cluster) and the incremental run's
# slowest step.  On one machine a cluster cannot be faster: three
# servers share the same cores and every commit is certified by all
# three; the point is the price of the safety, printed.  Needs root (the
# nodes run as mysql).  Never part of `make check`.
set -euo pipefail
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir
STACK=$top_srcdir/tests/stack/hs-stack
ADMIN=$top_builddir/src/admin/hearsay-admin
GEN=$top_builddir/tests/gen/hearsay-gen
REC=$top_builddir/src/reconcile/hearsay-reconcile
DUR=${HS_BENCH_SECS:-10}
CONNS=${HS_BENCH_CONNS:-32}
SIGNUPS=${HS_BENCH_SIGNUPS:-20000}	# the nightly job's history
NIGHT=${HS_BENCH_NIGHT:-1000}		# and one night's new signups
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench-cluster.XXXXXX")
DIRS=()
cleanup() {
	local d
	for d in "${DIRS[@]}"; do
		"$STACK" stop --dir "$d" >/dev/null 2>&1 || true
		rm -rf "$d"
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk not installed" >&2; exit 1; }
if (($(id -u) != 0)); then
	echo "cluster.sh: the Galera nodes run as mysql: needs root; skipped" >&2
	exit 0
fi

cat >"$TMP/get.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; other = 0 end
function response(status, headers, body)
	if status == 302 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
	local f, o = 0, 0
	for _, t in ipairs(threads) do f = f + t:get("ok"); o = o + t:get("other") end
	io.write(string.format("RESULT %d %d %.0f %.3f %.3f\n", f, o,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
# POSTs answers through the API, each with its own signup_ref and
# Idempotency-Key (KEY, PATH and PREFIX from the environment).
cat >"$TMP/post.lua" <<'LUA'
local threads = {}
local key, path, prefix = os.getenv("KEY"), os.getenv("APIPATH"), os.getenv("PREFIX")
local tid = 0
function setup(thread)
	tid = tid + 1
	thread:set("tid", tid)
	table.insert(threads, thread)
end
function init(args) ok = 0; other = 0; n = 0 end
function request()
	n = n + 1
	local ref = string.format("%s-%d-%d", prefix, tid, n)
	return wrk.format("POST", path, {
	    ["Content-Type"] = "application/json",
	    ["Authorization"] = "Bearer " .. key,
	    ["Idempotency-Key"] = ref },
	    '{"signup_ref":"' .. ref .. '","options":["search"]}')
end
function response(status, headers, body)
	if status == 200 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
	local f, o = 0, 0
	for _, t in ipairs(threads) do f = f + t:get("ok"); o = o + t:get("other") end
	io.write(string.format("RESULT %d %d %.0f %.3f %.3f\n", f, o,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

secs() { echo "scale=2; ($2 - $1) / 1000000000" | bc; }

# nightly NAME: the nightly job's full run on generated history, then
# an incremental run after one more night; sets R_NAME_full and _night.
nightly() {
	local name=$1 t0 t1
	"$GEN" -f "$HS_CONF" --signups "$SIGNUPS" --clicks-per-signup 5 --seed 1 \
	    >/dev/null
	t0=$(date +%s%N)
	"$REC" -f "$HS_CONF" -q --full
	t1=$(date +%s%N)
	eval "R_${name}_full=$(secs "$t0" "$t1")"
	"$GEN" -f "$HS_CONF" --signups "$NIGHT" --clicks-per-signup 5 --seed 2 \
	    --start "$(date -u +%F)" --days 1 >/dev/null
	t0=$(date +%s%N)
	"$REC" -f "$HS_CONF" -q --timings 2>"$TMP/$name.night"
	t1=$(date +%s%N)
	eval "R_${name}_night=$(secs "$t0" "$t1")"
}

# bench NAME START-OPTIONS...: starts a stack and measures it; sets
# R_<what> for NAME.
bench() {
	local name=$1 d key r
	shift
	d=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench-$name.XXXXXX")
	DIRS+=("$d")
	"$STACK" start --dir "$d" "$@" >"$TMP/$name.start" 2>&1 ||
	    { cat "$TMP/$name.start" >&2; echo "$name: stack did not start" >&2; exit 1; }
	eval "$("$STACK" env --dir "$d")"
	for c in "$HS_CONF" "$d"/h[0-9]/hearsay.conf; do
		[[ -f $c ]] && echo "link_cache_secs = 1" >>"$c"
	done
	"$ADMIN" -f "$HS_CONF" campaign create --slug bench --name Bench \
	    --hosts example.org --dest https://example.org/signup >/dev/null
	"$ADMIN" -f "$HS_CONF" link create --campaign bench --code BENCH-0001 >/dev/null
	cat >"$TMP/survey.json" <<-'EOF'
	{ "slug": "bench", "question": "How did you hear about us?",
	  "options": [ { "key": "search", "label": "Search", "channel": "search" } ] }
	EOF
	"$ADMIN" -f "$HS_CONF" survey import "$TMP/survey.json" >/dev/null
	key=$("$ADMIN" -f "$HS_CONF" apikey create bench 2>/dev/null)
	for h in 1 2 3 4 5 6 7 8 9; do
		kill -HUP "$("$STACK" pid --dir "$d" --host "$h" link 2>/dev/null)" \
		    2>/dev/null || break
	done
	for i in $(seq 1 150); do
		[[ $(curl -q -s -o /dev/null -w '%{http_code}' "$HS_URL/i/BENCH-0001") == 302 &&
		    $(curl -q -s -o /dev/null -w '%{http_code}' "$HS_URL/i/BENCH-0001") == 302 ]] && break
		sleep 0.2
	done
	# The nightly job first, so that both setups reconcile the same
	# generated data (the POSTs below add as many answers as each
	# setup manages to store); it runs on no app host, so the stack
	# of two hosts on one server skips it.
	[[ $name == hosts2 ]] || nightly "$name"
	r=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --timeout 10s --latency \
	    -s "$TMP/get.lua" "$HS_URL/i/BENCH-0001" | grep '^RESULT')
	eval "R_${name}_get=\"\$r\""
	r=$(KEY=$key APIPATH=/api/v1/surveys/bench/responses PREFIX=$name \
	    wrk -t2 -c"$CONNS" -d"${DUR}s" --timeout 10s --latency \
	    -s "$TMP/post.lua" "$HS_URL/" | grep '^RESULT')
	eval "R_${name}_post=\"\$r\""
	"$STACK" stop --dir "$d" >/dev/null 2>&1 || true
}

echo "$(date -u '+%F %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores;" \
    "$CONNS connections, ${DUR}s per run; nightly: $SIGNUPS signups, then $NIGHT"
bench single
# Two hosts on one server that flushes its log once a second as the
# Galera nodes do (innodb_flush_log_at_trx_commit=2; the single server
# above fsyncs every commit): as many workers and the same durability
# setting as the cluster, so that its ratio is the cost of the cluster
# alone (on a machine shared with other work, twice the processes also
# get a bigger share of the cores, which the ratio to the single host
# then shows).
HS_DB_FLUSH=2 bench hosts2 --hosts 2
bench cluster --galera 3 --hosts 2

printf '%-20s %-16s %7s %8s %8s  %s\n' what setup rps p50_ms p99_ms \
    "cluster / this"
for w in get post; do
	label=$([[ $w == get ]] && echo "GET /i/<code>" || echo "POST answer (API)")
	eval "c=\$R_cluster_$w"
	read -r _ _ _ crps c50 c99 <<<"$c"
	for x in single hosts2 cluster; do
		eval "v=\$R_${x}_$w"
		read -r _ _ no rps p50 p99 <<<"$v"
		case $x in
		single) setup="1 host, 1 db" ;;
		hosts2) setup="2 hosts, 1 db/2" ;;
		cluster) setup="2 hosts, 3 nodes" ;;
		esac
		if [[ $x == cluster ]]; then
			printf '%-20s %-16s %7s %8s %8s\n' "$label" "$setup" "$rps" \
			    "$p50" "$p99"
		else
			printf '%-20s %-16s %7s %8s %8s  rps %.3f p50 %.3f p99 %.3f\n' \
			    "$label" "$setup" "$rps" "$p50" "$p99" \
			    "$(echo "$crps / $rps" | bc -l)" \
			    "$(echo "$c50 / $p50" | bc -l)" \
			    "$(echo "$c99 / $p99" | bc -l)"
		fi
		((no == 0)) || echo "  ($label, $setup: $no answers not 200/302)"
	done
done
echo "  (1 db/2: innodb_flush_log_at_trx_commit=2, as on the Galera nodes;" \
    "1 db: 1, every commit fsynced)"
printf '%-20s %-16s %7s s  cluster / 1 db %.3f\n' "nightly full" "1 db" \
    "$R_single_full" "$(echo "$R_cluster_full / $R_single_full" | bc -l)"
printf '%-20s %-16s %7s s\n' "nightly full" "3 nodes" "$R_cluster_full"
printf '%-20s %-16s %7s s  cluster / 1 db %.3f\n' "nightly incremental" \
    "1 db" "$R_single_night" "$(echo "$R_cluster_night / $R_single_night" | bc -l)"
printf '%-20s %-16s %7s s\n' "nightly incremental" "3 nodes" "$R_cluster_night"
for x in single cluster; do
	echo "  incremental, $x: slowest step$(awk '{ print $(NF - 1), $0 }' \
	    "$TMP/$x.night" | sort -rn | head -1 |
	    sed 's/^.*hearsay-reconcile: timing//')"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
