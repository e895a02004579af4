#!/bin/bash
# reconcile_resume.sh: hearsay-reconcile killed with SIGKILL at random
# points (five times, small chunks) and run again gives the same tables
# as one clean run on the same input; the lease: a second run while one
# holds it exits 3, a dead holder's expired lease is taken over.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs
ok rc_gen --signups 1000 --clicks-per-signup 3 --seed 21

# The clean run, timed to place the kills inside it.
t0=$(date +%s%N)
ok rc_run --full --chunk 50
t1=$(date +%s%N)
clean=$(rc_sums)
ms=$(((t1 - t0) / 1000000))
diag "clean run: $ms ms"
rc_reset

# Killed five times at random fractions of that time, each resumed run
# taking over the dead holder's lease once it has expired.
for i in 1 2 3 4 5; do
	"$RC_BIN" -f "$HS_CONF" -q --full --chunk 50 &
	pid=$!
	frac=$((RANDOM % 100))
	sleep "$(awk -v m="$ms" -v f="$frac" 'BEGIN { printf "%.3f", m * f / 100000 }')"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	# While the dead holder's lease runs, nobody else starts.  Only an
	# unexpired lease counts: a kill before the takeover leaves the
	# previous round's expired row, which the next run may take.
	if [[ -n $(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'
	    AND expires_at > NOW(3)") ]]; then
		st=0
		rc_run --full --chunk 50 || st=$?
		is "$st" 3 "kill $i at $frac%: a live lease refuses a second run"
		hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
	else
		pass "kill $i at $frac%: the run had ended or not yet leased"
	fi
done
ok rc_run --full --chunk 50
is "$(rc_sums)" "$clean" "after five kills and a rerun: the clean run's checksums"
like "$(hs_sql "SELECT GROUP_CONCAT(DISTINCT status ORDER BY status) FROM reconcile_runs")" \
    'ok' "the finished run is recorded ok"
is "$(hs_sql "SELECT COUNT(*) FROM reconcile_runs WHERE status = 'running'")" 0 \
    "killed runs are not left 'running'"

# A concurrent run: the second one refuses with exit 3 and changes nothing.
"$RC_BIN" -f "$HS_CONF" -q --full --chunk 20 &
pid=$!
for _ in $(seq 100); do
	[[ -n $(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'") ]] && break
	sleep 0.05
done
st=0
rc_run || st=$?
is "$st" 3 "a second concurrent run exits 3 (busy)"
st=0
wait "$pid" || st=$?
is "$st" 0 "the first run finishes"
is "$(rc_sums)" "$clean" "and the tables are those of the clean run"

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
hs_sql "DELETE FROM leases"

# An incremental run refreshes the review queue rows of its texts once,
# at its end; killed before that, it leaves review_all set and the next
# run rebuilds the queue whole.  Wherever the kill lands, the next run
# leaves what a full run over the same input leaves.
ok rc_gen --signups 1000 --clicks-per-signup 3 --seed 22 --start 2026-02-02 \
    --days 1
"$RC_BIN" -f "$HS_CONF" -q --chunk 50 &
pid=$!
sleep "$(awk -v m="$ms" -v f="$((RANDOM % 100))" 'BEGIN { printf "%.3f", m * f / 100000 }')"
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok rc_run --chunk 50
night=$(rc_sums)
rc_reset
ok rc_run --full
is "$(rc_sums)" "$night" "a killed incremental run, run again: a full run's tables"

done_testing
