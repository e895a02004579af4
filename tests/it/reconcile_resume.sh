#!/bin/bash
# reconcile_resume.sh: hearsay-reconcile killed with SIGKILL inside its
# runs (five times, at points read from the run's own progress in
# reconcile_runs, each checked to have landed before the run ended) and
# run again gives the same tables as one clean run on the same input; the lease: a second run while one
# holds it exits 3, a dead holder's expired lease is taken over, a lease
# taken over while the finalising works, or while the cohort pass does,
# ends the run 4 with nothing of its unit kept.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs
ok rc_gen --signups 1000 --clicks-per-signup 3 --seed 21

# The clean run; its chunk count places the kills inside the others.
ok rc_run --full --chunk 50
clean=$(rc_sums)
N=$(hs_sql "SELECT chunks FROM reconcile_runs WHERE status = 'ok'
    ORDER BY id DESC LIMIT 1")
diag "clean run: $N chunks"
ok test "$N" -ge 8
rc_reset

MDB=(mariadb --no-defaults --socket="$HS_DBSOCK" --user="$(id -un)" -N -B hearsay)
# The run of process PID as recorded by itself: "chunks status".
run_of() {
	"${MDB[@]}" -e "SELECT chunks, status FROM reconcile_runs
	    WHERE holder LIKE '%:$1:%'" 2>/dev/null | tr '\t' ' '
}

# kill_inside CHUNKS ARGS...: starts a run; once it has committed CHUNKS
# chunks (its own progress in reconcile_runs) it is frozen (SIGSTOP),
# checked to be still running, and SIGKILLed.  Returns 0 when the kill
# landed inside the run, 1 when the run had ended first (then nothing
# was killed; the caller tries again).
kill_inside() {
	local want=$1 pid row
	shift
	"$RC_BIN" -f "$HS_CONF" -q "$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		row=$(run_of "$pid")
		[[ -n $row ]] && ((${row%% *} >= want)) && break
		sleep 0.01
	done
	kill -STOP "$pid" 2>/dev/null || true
	row=$(run_of "$pid")
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	diag "kill at ${want} chunks: the run was at '$row'"
	[[ $row == *" running" ]]
}

# Killed five times, at 1, N/4, N/2, 3N/4 and N committed chunks (the
# last in the finalising phase), each resumed run taking over the dead
# holder's lease once it has expired.
for want in 1 $((N / 4)) $((N / 2)) $((N * 3 / 4)) "$N"; do
	landed=0
	for try in 1 2 3; do
		if kill_inside "$want" --full --chunk 50; then
			landed=1
			break
		fi
	done
	is "$landed" 1 "kill at $want of $N chunks landed inside a run"
	# While the dead holder's lease runs, nobody else starts.
	st=0
	rc_run --full --chunk 50 || st=$?
	is "$st" 3 "kill at $want chunks: a live lease refuses a second run"
	hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
done
ok rc_run --full --chunk 50
is "$(rc_sums)" "$clean" "after five kills and a rerun: the clean run's checksums"
like "$(hs_sql "SELECT GROUP_CONCAT(DISTINCT status ORDER BY status) FROM reconcile_runs")" \
    'ok' "the finished run is recorded ok"
is "$(hs_sql "SELECT COUNT(*) FROM reconcile_runs WHERE status = 'running'")" 0 \
    "killed runs are not left 'running'"

# Another runner: a live lease row, not a second process racing this one
# (a process frozen to keep it busy may be frozen inside a transaction,
# and then the refused run waits on its row lock instead).
# An expired lease of a dead holder is taken over.
hs_sql "INSERT INTO leases (name, holder, expires_at) VALUES ('reconcile',
    'deadhost:1:x', NOW(3) - INTERVAL 5 SECOND)"
ok rc_run
is "$(hs_sql "SELECT COUNT(*) FROM leases WHERE name = 'reconcile'")" 0 \
    "the lease was taken over and dropped at the end"
hs_sql "INSERT INTO leases (name, holder, expires_at) VALUES ('reconcile',
    'livehost:1:x', NOW(3) + INTERVAL 60 SECOND)"
st=0
rc_run || st=$?
is "$st" 3 "an unexpired lease of another holder: exit 3"
is "$(rc_sums)" "$clean" "and the tables are unchanged"
is "$(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'")" \
    livehost:1:x "and the other holder's lease is kept"
hs_sql "DELETE FROM leases"

# An incremental run refreshes the review queue rows of its texts once,
# at its end; killed before that, it leaves review_all set and the next
# run rebuilds the queue whole.  Wherever the kill lands, the next run
# leaves what a full run over the same input leaves.
ok rc_gen --signups 1000 --clicks-per-signup 3 --seed 22 --start 2026-02-02 \
    --days 1
landed=0
for try in 1 2 3; do
	kill_inside 2 --chunk 50 && { landed=1; break; }
done
is "$landed" 1 "the incremental run killed inside, after 2 chunks"
hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok rc_run --chunk 50
night=$(rc_sums)
rc_reset
ok rc_run --full
is "$(rc_sums)" "$night" "a killed incremental run, run again: a full run's tables"

# steal_lease FIFO SQL TABLE WHAT SECS [ARGS]: a run (hearsay-reconcile
# ARGS) while a session holds SQL's locks; once the run waits on TABLE
# (within SECS), another holder takes the lease and the session lets go.
# Sets st to the run's exit status.
steal_lease() {
	local fifo=$HS_TMP/$1 sql=$2 table=$3 what=$4 secs=$5 hpid rpid hold
	shift 5
	mkfifo "$fifo"
	"${MDB[@]}" <"$fifo" >/dev/null &
	hpid=$!
	exec {hold}>"$fifo"
	echo "$sql" >&"$hold"
	"$RC_BIN" -f "$HS_CONF" -q "$@" &
	rpid=$!
	wait_for "$secs" 1 "hs_sql \"SELECT COUNT(*) FROM information_schema.INNODB_TRX
	    WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE '%$table%'\"" ||
	    fail "$what waits on the held lock"
	st=0
	hs_sql "SET SESSION innodb_lock_wait_timeout = 5; UPDATE leases SET
	    holder = 'thief:1:x', expires_at = NOW(3) + INTERVAL 60 SECOND
	    WHERE name = 'reconcile'" || st=$?
	is "$st" 0 "another holder takes the lease while $what works"
	echo "ROLLBACK;" >&"$hold"
	exec {hold}>&-
	wait "$hpid" || true
	st=0
	wait "$rpid" || st=$?
}

# The lease taken over while the invites are rebuilt beside the rest of
# the finalising (finalise.c, a second connection): the run exits 4, the
# invites' unit is rolled back, no mark moves, and the next run leaves a
# full run's tables.  A session holds the invites' unit on a gap lock of
# hourly_invites; a finalising unit renews the lease last, so the lease
# row is free while it works and another holder's write goes through
# (renewed first, the row stayed locked and the write timed out).
ok rc_gen --signups 200 --clicks-per-signup 3 --seed 23 --start 2026-02-03 \
    --days 1
marks() {
	hs_sql "SELECT GROUP_CONCAT(name, '=', last_id, '/', last_at ORDER BY
	    name) FROM reconcile_state WHERE name IN ('clicks', 'invites')"
}
# The invites of the days the held gap covers, which the run rebuilds.
held() {
	hs_sql "SELECT CONCAT(COUNT(*), ' ', COALESCE(SUM(clicks), 0), ' ',
	    COALESCE(SUM(human_clicks), 0)) FROM hourly_invites
	    WHERE day >= '2026-02-03'"
}
marks0=$(marks)
held0=$(held)
steal_lease hold "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
    BEGIN; SELECT COUNT(*) FROM hourly_invites WHERE day >= '2026-02-03'
    FOR UPDATE;" hourly_invites "the invites' unit" 30
is "$st" 4 "the run ends 'lease lost' (exit 4)"
is "$(held)" "$held0" "the invites' unit was rolled back"
is "$(marks)" "$marks0" "the invites' and clicks' marks did not move"
is "$(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'")" \
    thief:1:x "the other holder's lease is kept"
hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok rc_run
isnt "$(held)" "$held0" "the next run rebuilds those invites"
night=$(rc_sums)
rc_reset
ok rc_run --full
is "$(rc_sums)" "$night" "a run after the lost lease: a full run's tables"


# The lease taken over during the cohort pass (cohorts.c, on its own
# connection, at the end of a run): the pass is held at its last
# statement (the cohort_runs row, which a session locks) while another
# holder takes the lease; the run exits 4 and the pass's unit is rolled
# back: the cohort tables and their run's row are as they were.
copass() { hs_sums "cohort_retention, cohort_value, cohort_kfactor,
    cohort_referred, cohort_match, cohort_runs"; }
ok rc_run --cohorts
co0=$(copass)
is "$(hs_sql "SELECT COUNT(*) FROM cohort_runs")" 1 "a cohort pass to keep"
steal_lease cohold "BEGIN; SELECT id FROM cohort_runs WHERE id = 1 FOR UPDATE;" \
    cohort_runs "the cohort pass" 60 --cohorts
is "$st" 4 "the run ends 'lease lost' (exit 4) in the cohort pass"
is "$(copass)" "$co0" "the cohort pass was rolled back: tables and row unchanged"
is "$(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'")" \
    thief:1:x "the other holder's lease is kept"
hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok rc_run --cohorts
isnt "$(copass)" "$co0" "the next run's pass writes its tables and row"

done_testing
