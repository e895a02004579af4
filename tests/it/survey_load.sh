#!/usr/bin/env bash
# tests/it/survey_load.sh: TESTING.md 3b for the survey under load, what
# link_faults.sh does for /i/: form answers and JSON API answers stream
# in while MariaDB is SIGKILLed (crash recovery), every connection of
# the read-write user is KILLed, nginx is reloaded, hearsay-survey is
# reloaded (SIGHUP) and stopped (SIGTERM: drained) and started again.
# Afterwards every answer that was thanked (303) or accepted (200) is in
# MariaDB exactly once, checked id by id (the form's submission id, the
# API's signup_ref); each fault proves it happened, and answers were
# served after it.  Phases are counted in answers, not timed.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

FORMS=3		# form clients (each fetches a form, then sends it)
APIS=2		# API clients
MAXROUNDS=3000	# bound on each client
STEP=40		# answers counted before and after each fault

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
cat >"$HS_TMP/load.json" <<'EOF'
{ "slug": "it-load", "question": "How did you hear about us?",
  "allow_unsigned": true,
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "friend", "label": "A friend", "channel": "friend" } ] }
EOF
ok $ADMIN survey import "$HS_TMP/load.json"
KEY=$($ADMIN apikey create it-load 2>/dev/null)
POSTS=$top_srcdir/tests/it/survey_posts.py

# load_start NAME: the form and API streams, until load_stop.
load_start() {
	PHASE=$1
	rm -f "$HS_TMP/stop"
	python3 "$POSTS" stream "$HS_URL" it-load form "$FORMS" "$HS_TMP/stop" \
	    "$MAXROUNDS" >"$HS_TMP/$PHASE.form" &
	FPID=$!
	python3 "$POSTS" stream "$HS_URL" it-load api "$APIS" "$HS_TMP/stop" \
	    "$MAXROUNDS" "$KEY" "$PHASE" >"$HS_TMP/$PHASE.api" &
	APID=$!
}

load_stop() {
	touch "$HS_TMP/stop"
	wait "$FPID" "$APID" || fail "$PHASE: a stream failed"
}

# Answers (forms and API) the streams have had so far: thanked,
# accepted, or refused; a missing form does not count.
answered() {
	cat "$HS_TMP/$PHASE.form" "$HS_TMP/$PHASE.api" 2>/dev/null |
	    grep -c '^[0-9]' || true
}

# Waits until the streams have had N more answers than now (up to 60 s),
# while they still run: the fault landed inside the load, and answers
# went on after it.
more_answered() {
	local want=$(($(answered) + $1)) end=$((SECONDS + 60))
	while (($(answered) < want)); do
		if ((SECONDS > end)) || ! kill -0 "$FPID" "$APID" 2>/dev/null; then
			fail "$PHASE: $1 more answers ($2)"
			return 1
		fi
		sleep 0.1
	done
}

quoted() { awk '{ printf "%s\x27%s\x27", (n++ ? "," : ""), $2 }'; }

# check FORMOK APIOK [GETOK]: every status of the phase in the allowed
# sets (regexes; GETOK for the form pages, none failing by default),
# every thanked form answer and accepted API answer stored exactly once.
check() {
	local fok=$1 aok=$2 gok=${3:-200} thanked accepted
	is "$(grep -vcE "^(($fok)|g($gok)) " "$HS_TMP/$PHASE.form" || true)" 0 \
	    "$PHASE: forms answered only $fok, form pages only $gok"
	is "$(grep -vcE "^($aok) " "$HS_TMP/$PHASE.api" || true)" 0 \
	    "$PHASE: API answered only $aok"
	grep '^303 ' "$HS_TMP/$PHASE.form" | quoted >"$HS_TMP/ids"
	grep '^200 ' "$HS_TMP/$PHASE.api" | quoted >"$HS_TMP/refs"
	thanked=$(grep -c '^303 ' "$HS_TMP/$PHASE.form" || true)
	accepted=$(grep -c '^200 ' "$HS_TMP/$PHASE.api" || true)
	ok test "$thanked" -gt 0
	ok test "$accepted" -gt 0
	# Journalled answers reach MariaDB through the loader: wait for it.
	wait_for 60 "$thanked" "hs_sql \"SELECT COUNT(*) FROM responses
	    WHERE submission_id IN ($(cat "$HS_TMP/ids"))\"" || true
	is "$(hs_sql "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT submission_id))
	    FROM responses WHERE submission_id IN ($(cat "$HS_TMP/ids"))")" \
	    "$thanked $thanked" "$PHASE: each of the $thanked thanked form answers stored once"
	is "$(hs_sql "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT signup_ref))
	    FROM responses WHERE source = 'api' AND signup_ref IN ($(cat "$HS_TMP/refs"))")" \
	    "$accepted $accepted" "$PHASE: each of the $accepted accepted API answers stored once"
	is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE source = 'api'
	    AND signup_ref LIKE '$PHASE-%'
	    GROUP BY signup_ref HAVING COUNT(*) > 1" | wc -l)" 0 \
	    "$PHASE: no API answer twice"
}

loglines() { wc -l <"$HS_DIR/log/$1"; }
since() { tail -n +$(($2 + 1)) "$HS_DIR/log/$1"; }

# Kept connections of the survey workers exist before the first phase.
wait_for 20 200 'http_status GET /s/it-load' || fail "the form is served"

# --- 1. MariaDB SIGKILLed: forms are journalled (303), the API answers
# 503 (its key cannot be checked); after crash recovery each thanked
# answer is loaded once.
load_start dbkill
more_answered "$STEP" "before the kill"
m0=$(loglines mariadb.log)
s0=$(loglines survey.log)
ok hs_db_kill
isnt "$(hs_sql "SELECT 1" 2>/dev/null || echo down)" 1 "dbkill: MariaDB is down"
more_answered "$STEP" "while MariaDB is down"
like "$(since survey.log "$s0")" 'journalled' "dbkill: answers were journalled"
ok hs_db_start
like "$(since mariadb.log "$m0")" 'crash recovery' "dbkill: the restart ran crash recovery"
more_answered "$STEP" "after the restart"
load_stop
check '303|503' '200|503'

# --- 2. every connection of the read-write user KILLed, four rounds;
# each round kills at least one, the workers reconnect by themselves.
load_start killconn
more_answered "$STEP" "before the kills"
rounds=0
for k in 1 2 3 4; do
	killed=$(hs_sql "SELECT CONCAT('KILL CONNECTION ', id, '; SELECT 1;')
	    FROM information_schema.processlist WHERE user = 'hearsay'" |
	    mariadb --no-defaults --socket="$HS_DBSOCK" --user="$(id -un)" \
	    --force -N -B hearsay 2>/dev/null | grep -c '^1$' || true)
	((killed > 0)) && rounds=$((rounds + 1))
	more_answered "$STEP" "after KILL round $k"
done
load_stop
is "$rounds" 4 "killconn: every round killed a connection"
check '303|503' '200|503'

# --- 3. nginx reloaded: its workers replaced, nothing refused.
load_start nginx
more_answered "$STEP" "before the reloads"
first=$(pgrep -P "$(hs_pid nginx)" | sort)
replaced=0
for k in 1 2 3; do
	old=$(pgrep -P "$(hs_pid nginx)" | sort)
	ok "$HS_STACK" nginx-reload --dir "$HS_DIR"
	wait_for 20 1 "comm -13 <(echo '$old') <(pgrep -P $(hs_pid nginx) | sort) |
	    grep -q . && echo 1" && replaced=$((replaced + 1))
	more_answered "$STEP" "after reload $k"
done
load_stop
is "$replaced" 3 "nginx: every reload started new workers"
wait_for 30 0 "comm -12 <(echo '$first') <(pgrep -P $(hs_pid nginx) | sort) | wc -l" &&
    pass "nginx: the first workers are gone" || fail "nginx: the first workers are gone"
check '303' '200'

# --- 4. hearsay-survey reloaded (SIGHUP): every child replaced, the
# master kept, nothing refused.
load_start hup
more_answered "$STEP" "before the reloads"
master=$(hs_pid survey)
replaced=0
for k in 1 2 3; do
	old=$(pgrep -P "$master" | sort)
	s0=$(loglines survey.log)
	kill -HUP "$master"
	if wait_for 20 0 "comm -12 <(echo '$old') <(pgrep -P $master | sort) | wc -l" &&
	    [[ -n $(since survey.log "$s0" | grep 'reloading: replacing children') ]]; then
		replaced=$((replaced + 1))
	fi
	more_answered "$STEP" "after SIGHUP $k"
done
load_stop
is "$replaced" 3 "hup: every SIGHUP replaced the children"
is "$(hs_pid survey)" "$master" "hup: the same master"
check '303' '200'

# --- 5. hearsay-survey stopped (SIGTERM: the master drains its workers,
# each finishing its request) and started again.  While it is down
# nginx answers 502, which thanks nobody.
load_start drain
more_answered "$STEP" "before the stop"
old=$(hs_pid survey)
s0=$(loglines survey.log)
ok hs_restart survey
isnt "$(hs_pid survey)" "$old" "drain: a new master"
like "$(since survey.log "$s0")" 'survey: draining' "drain: the old master drained"
unlike "$(since survey.log "$s0")" 'drain timed out' "drain: in time, nothing SIGKILLed"
more_answered "$STEP" "after the restart"
load_stop
check '303|502' '200|502' '502'

done_testing
