#!/usr/bin/env bash
# link_faults.sh: TESTING.md 3b for /i/ under load: MariaDB stopped and
# restarted, workers SIGKILLed, the loader's connection KILLed, nginx
# reloaded, hearsay-link reloaded.  Afterwards every click answered with a 302 is in MariaDB
# exactly once (checked click id by click id from the Location headers).
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"

LOOPS=3		# parallel curl loops
BATCH=40	# requests per curl process (one keep-alive connection)
MAXROUNDS=400	# bound on each loop

link_setup

# Runs LOOPS curl loops against /i/MASS-0001 until $HS_TMP/stop exists;
# each writes "status url" lines to $HS_TMP/load.N.
load_start() {
	local i urls=() k
	rm -f "$HS_TMP"/stop "$HS_TMP"/load.*
	for ((k = 0; k < BATCH; k++)); do
		urls+=("$HS_URL/i/MASS-0001")
	done
	LOADPIDS=()
	for ((i = 0; i < LOOPS; i++)); do
		(
			for ((r = 0; r < MAXROUNDS; r++)); do
				[[ -e $HS_TMP/stop ]] && break
				curl -q -s -o /dev/null --max-time 20 \
				    -A "$UA_HUMAN" \
				    -w '%{http_code} %{redirect_url}\n' \
				    "${urls[@]}" || true
			done >>"$HS_TMP/load.$i"
		) &
		LOADPIDS+=($!)
	done
}

load_stop() {
	touch "$HS_TMP/stop"
	wait "${LOADPIDS[@]}" || true
	cat "$HS_TMP"/load.* >"$HS_TMP/all"
	SERVED=$(grep -c '^302 ' "$HS_TMP/all" || true)
	OTHER=$(grep -vc '^302 ' "$HS_TMP/all" || true)
	grep '^302 ' "$HS_TMP/all" | sed 's/.*hs_click=//' | sort >"$HS_TMP/served"
}

# Waits until every served click id is in MariaDB; sets EXTRA to the
# clicks in MariaDB that no 302 reported.
check_loaded() {
	local name=$1 missing end=$((SECONDS + 60))
	while :; do
		db_clicks MASS-0001 >"$HS_TMP/db"
		missing=$(comm -23 "$HS_TMP/served" "$HS_TMP/db" | wc -l)
		((missing == 0 || SECONDS > end)) && break
		sleep 0.5
	done
	is "$missing" 0 "$name: every 302's click is in MariaDB ($SERVED served)"
	is "$(sort -u "$HS_TMP/served" | wc -l)" "$SERVED" "$name: click ids unique"
	is "$(hs_sql "SELECT COUNT(*) - COUNT(DISTINCT click_id) FROM clicks")" 0 \
	    "$name: no click twice"
	EXTRA=$(comm -13 "$HS_TMP/served" "$HS_TMP/db" | wc -l)
}

# Clears the link's clicks between phases (the journal is drained).
reset_clicks() {
	hs_sql "DELETE c FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code = 'MASS0001'"
}

# --- 1. MariaDB stopped under load, started again
wait_for 20 1 "db_count MASS-0001" || true	# link_setup's probe
reset_clicks
load_start
sleep 2
hs_db_stop
sleep 10
is "$(http_status GET /i/TEST-0004)" 302 "MariaDB down: still redirecting"
hs_db_start
sleep 2
load_stop
ok test "$SERVED" -gt 100
is "$OTHER" 0 "MariaDB down: every answer a 302"
check_loaded "MariaDB stop"
is "$EXTRA" 0 "MariaDB stop: clicks in MariaDB = 302s served"
reset_clicks

# --- 2. workers SIGKILLed under load
load_start
kills=0
for k in 1 2 3; do
	sleep 1.5
	master=$(hs_pid link)
	victim=$(pgrep -P "$master" | head -n "$k" | tail -n 1)
	if [[ -n $victim ]]; then
		hs_kill KILL "$victim"
		kills=$((kills + 1))
	fi
done
sleep 2
load_stop
ok test "$kills" -eq 3
ok test "$SERVED" -gt 100
check_loaded "worker SIGKILL"
# A worker killed between writing a click and sending its 302 leaves a
# click nobody was answered for: at most one per kill.
ok test "$EXTRA" -le "$kills"
wait_for 10 302 "http_status GET /i/TEST-0004" &&
    pass "workers respawned" || fail "workers respawned"
reset_clicks

# --- 3. server-side KILL of the loader's connection (and every other
# connection of the read-write user), several times under load
load_start
for k in 1 2 3 4; do
	sleep 1
	for id in $(hs_sql "SELECT id FROM information_schema.processlist
	    WHERE user = 'hearsay'"); do
		hs_sql "KILL CONNECTION $id" 2>/dev/null || true
	done
done
sleep 1
load_stop
is "$OTHER" 0 "KILL CONNECTION: every answer a 302"
check_loaded "KILL CONNECTION"
is "$EXTRA" 0 "KILL CONNECTION: clicks in MariaDB = 302s served"
reset_clicks

# --- 4. nginx reloaded under load
load_start
for k in 1 2 3 4; do
	sleep 1
	kill -HUP "$(hs_pid nginx)"
done
sleep 1
load_stop
is "$OTHER" 0 "nginx reload: every answer a 302"
check_loaded "nginx reload"
is "$EXTRA" 0 "nginx reload: clicks in MariaDB = 302s served"
reset_clicks

# --- 5. hearsay-link reloaded under load: SIGHUP replaces its workers
# one by one while nginx holds kept connections to them; a request sent
# on one as it closes is sent again by nginx on a new one.
load_start
for k in 1 2 3; do
	sleep 1
	kill -HUP "$(hs_pid link)"
done
sleep 1.5
load_stop
is "$OTHER" 0 "hearsay-link reload: every answer a 302"
check_loaded "hearsay-link reload"
is "$EXTRA" 0 "hearsay-link reload: clicks in MariaDB = 302s served"

done_testing
