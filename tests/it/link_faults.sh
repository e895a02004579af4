#!/usr/bin/env bash
# link_faults.sh: TESTING.md 3b for /i/ under load: MariaDB stopped and
# restarted, MariaDB SIGKILLed (crash recovery), workers SIGKILLed, the
# loader's connection KILLed, nginx reloaded, hearsay-link reloaded, and
# hearsay-link restarted while MariaDB is down (it redirects from its
# snapshot).  Afterwards every click answered with a 302 is in MariaDB
# exactly once (checked click id by click id from the Location headers).
# Every fault proves it happened (the pids replaced, the connections
# killed, the crash recovered), and every phase that clicks went on
# being served after it.
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"

LOOPS=3		# parallel curl loops
BATCH=40	# requests per curl process (one keep-alive connection)
MAXROUNDS=400	# bound on each loop
CURL_MAXTIME=20	# seconds for one curl process

link_setup

# Clears the link's clicks between phases (the journal is drained).
reset_clicks() {
	hs_sql "DELETE c FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code = 'MASS0001'"
}

# Waits until the load has been answered N more 302s than now, up to
# 60 s: after a fault, the proof that clicks went on being served (a
# count, not a time).
more_served() {
	local want=$(($(served_now) + $1)) end=$((SECONDS + 60))
	while (($(served_now) < want)); do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

# The workers among the link master's children: the loader is a child
# too, but only workers write click journals (spool/clicks.PID.SEQ.jnl).
link_workers() {
	local p
	for p in $(pgrep -P "$(hs_pid link)"); do
		if compgen -G "$HS_DIR/spool/clicks.$p.*.jnl" >/dev/null; then
			echo "$p"
		fi
	done
}

# nginx's workers (the master's children), sorted.
nginx_workers() {
	pgrep -P "$(hs_pid nginx)" | sort
}

# Lines of a log, to look only at what a step adds.
loglines() {
	wc -l <"$HS_DIR/log/$1"
}

# --- 1. MariaDB stopped under load, started again
wait_for 20 1 "db_count MASS-0001" || true	# link_setup's probe
reset_clicks
clicks_load_start
more_served 100 || fail "MariaDB stop: served before the stop"
hs_db_stop
isnt "$(hs_sql "SELECT 1" 2>/dev/null || echo down)" 1 "MariaDB stop: it is down"
more_served 200 && pass "MariaDB down: clicks served" ||
    fail "MariaDB down: clicks served"
is "$(http_status GET /i/TEST-0004)" 302 "MariaDB down: still redirecting"
hs_db_start
more_served 100 || fail "MariaDB stop: served after the start"
clicks_load_stop
ok test "$SERVED" -gt 100
is "$OTHER" 0 "MariaDB down: every answer a 302"
clicks_match "MariaDB stop"
is "$EXTRA" 0 "MariaDB stop: clicks in MariaDB = 302s served"
reset_clicks

# --- 1b. MariaDB SIGKILLed under load (a power cut: the loader's
# transaction in flight is lost, the server runs crash recovery), started
# again: still every served click exactly once.
clicks_load_start
more_served 100 || fail "MariaDB kill: served before the kill"
m0=$(loglines mariadb.log)
ok hs_db_kill
isnt "$(hs_sql "SELECT 1" 2>/dev/null || echo down)" 1 "MariaDB kill: it is down"
more_served 200 && pass "MariaDB killed: clicks served" ||
    fail "MariaDB killed: clicks served"
hs_db_start
like "$(tail -n +$((m0 + 1)) "$HS_DIR/log/mariadb.log")" 'crash recovery' \
    "MariaDB kill: the restart ran crash recovery"
more_served 100 || fail "MariaDB kill: served after the start"
clicks_load_stop
ok test "$SERVED" -gt 100
is "$OTHER" 0 "MariaDB killed: every answer a 302"
clicks_match "MariaDB kill"
is "$EXTRA" 0 "MariaDB kill: clicks in MariaDB = 302s served"
reset_clicks

# --- 2. workers SIGKILLed under load, each a worker (not the loader),
# each reaped as killed by signal 9 and replaced
clicks_load_start
more_served 100 || fail "worker SIGKILL: served before the kills"
kills=0
for k in 1 2 3; do
	victim=
	for _ in $(seq 100); do
		victim=$(link_workers | sed -n 1p)
		[[ -n $victim ]] && break
		sleep 0.1
	done
	if [[ -z $victim ]]; then
		fail "worker SIGKILL $k: no worker found"
		continue
	fi
	l0=$(loglines link.log)
	hs_kill KILL "$victim"
	if wait_for 10 1 "tail -n +$((l0 + 1)) '$HS_DIR/log/link.log' |
	    grep -c 'child $victim killed by signal 9'"; then
		kills=$((kills + 1))
	fi
	wait_for 10 0 "kill -0 $victim 2>/dev/null && echo 1 || echo 0" ||
	    fail "worker $victim still alive"
	# Past the master's fast-death pause before the next kill, and
	# proof the respawned worker serves.
	more_served 80 || fail "worker SIGKILL $k: served after it"
done
clicks_load_stop
is "$kills" 3 "worker SIGKILL: three workers killed by signal 9, reaped"
ok test "$SERVED" -gt 100
clicks_match "worker SIGKILL"
# A worker killed between writing a click and sending its 302 leaves a
# click nobody was answered for: at most one per kill.
ok test "$EXTRA" -le "$kills"
wait_for 10 302 "http_status GET /i/TEST-0004" &&
    pass "workers respawned" || fail "workers respawned"
reset_clicks

# --- 3. server-side KILL of the loader's connection (and every other
# connection of the read-write user), several times under load; each
# round must kill at least one
clicks_load_start
more_served 100 || fail "KILL CONNECTION: served before the kills"
rounds=0
for k in 1 2 3 4; do
	# One client for the round; --force goes on past a connection that
	# ended between the list and its KILL; each KILL that worked counts.
	killed=$(hs_sql "SELECT CONCAT('KILL CONNECTION ', id, '; SELECT 1;')
	    FROM information_schema.processlist WHERE user = 'hearsay'" |
	    mariadb --no-defaults --socket="$HS_DBSOCK" --user="$(id -un)" \
	    --force -N -B hearsay 2>/dev/null | grep -c '^1$' || true)
	((killed > 0)) && rounds=$((rounds + 1))
	more_served 80 || fail "KILL CONNECTION $k: served after it"
done
clicks_load_stop
is "$rounds" 4 "KILL CONNECTION: every round killed a connection"
ok test "$SERVED" -gt 100
is "$OTHER" 0 "KILL CONNECTION: every answer a 302"
clicks_match "KILL CONNECTION"
is "$EXTRA" 0 "KILL CONNECTION: clicks in MariaDB = 302s served"
reset_clicks

# --- 4. nginx reloaded under load: each reload replaces its workers
clicks_load_start
more_served 100 || fail "nginx reload: served before the reloads"
replaced=0
first=$(nginx_workers)
for k in 1 2 3 4; do
	old=$(nginx_workers)
	ok "$HS_STACK" nginx-reload --dir "$HS_DIR"
	# New workers started (the old ones finish their requests first).
	wait_for 20 1 "comm -13 <(echo '$old') <(nginx_workers) | grep -q . && echo 1" &&
	    replaced=$((replaced + 1))
	more_served 80 || fail "nginx reload $k: served after it"
done
clicks_load_stop
wait_for 30 0 "comm -12 <(echo '$first') <(nginx_workers) | wc -l" &&
    pass "nginx reload: the first workers are gone" ||
    fail "nginx reload: the first workers are gone"
is "$replaced" 4 "nginx reload: every reload replaced the workers"
ok test "$SERVED" -gt 100
is "$OTHER" 0 "nginx reload: every answer a 302"
clicks_match "nginx reload"
is "$EXTRA" 0 "nginx reload: clicks in MariaDB = 302s served"
reset_clicks

# --- 5. hearsay-link reloaded under load: SIGHUP replaces its workers
# one by one while nginx holds kept connections to them; a request sent
# on one as it closes is sent again by nginx on a new one.
clicks_load_start
more_served 100 || fail "hearsay-link reload: served before the reloads"
replaced=0
for k in 1 2 3; do
	master=$(hs_pid link)
	old=$(pgrep -P "$master" | sort)
	l0=$(loglines link.log)
	kill -HUP "$master"
	# Every child (the workers and the loader) replaced, the master kept.
	if wait_for 20 0 "comm -12 <(echo '$old') <(pgrep -P $master | sort) | wc -l" &&
	    [[ -n $(tail -n +$((l0 + 1)) "$HS_DIR/log/link.log" |
	    grep 'reloading: replacing children') ]]; then
		replaced=$((replaced + 1))
	fi
	more_served 80 || fail "hearsay-link reload $k: served after it"
done
clicks_load_stop
is "$replaced" 3 "hearsay-link reload: every SIGHUP replaced the children"
is "$(hs_pid link)" "$master" "hearsay-link reload: the same master"
ok test "$SERVED" -gt 100
is "$OTHER" 0 "hearsay-link reload: every answer a 302"
clicks_match "hearsay-link reload"
is "$EXTRA" 0 "hearsay-link reload: clicks in MariaDB = 302s served"
reset_clicks

# --- 6. hearsay-link restarted (a new master) while MariaDB is down:
# its workers redirect from the snapshot on disk, journal the clicks,
# and its new loader stores them once MariaDB is back.
ok hs_db_kill
old=$(hs_pid link)
ok hs_restart link
isnt "$(hs_pid link)" "$old" "restart: a new hearsay-link master"
isnt "$(hs_sql "SELECT 1" 2>/dev/null || echo down)" 1 "restart: MariaDB still down"
clicks_load_start
more_served 200 && pass "restarted with MariaDB down: clicks served" ||
    fail "restarted with MariaDB down: clicks served"
hs_db_start
more_served 80 || fail "restart: served after MariaDB is back"
clicks_load_stop
ok test "$SERVED" -gt 100
is "$OTHER" 0 "restarted with MariaDB down: every answer a 302"
clicks_match "restart with MariaDB down"
is "$EXTRA" 0 "restart with MariaDB down: clicks in MariaDB = 302s served"

done_testing
