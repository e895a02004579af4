#!/usr/bin/env bash
# tests/it/survey_batch.sh: form answers that arrive together are
# committed together (issue 4's speed: src/survey/store.c, the settle
# hook of src/core/fcgimux.c), and nothing else changes: each thanked
# answer is stored once, a double submit inside one batch stores one
# answer and thanks both, a batch journalled while MariaDB is down is
# one fsync and is loaded once later, and when neither MariaDB nor the
# journal can take a batch, every one of its people gets the 503, not a
# thank-you; a worker killed mid-stream loses no thanked answer, nor
# the activity API any acknowledged item (and answers no 502).
# One survey worker, so that concurrent submits meet in its batches.
# Section 3 mounts a small tmpfs, which needs root: without it that
# section alone is skipped, said on stderr as an HS-SKIP line.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

CLIENTS=16	# concurrent submitters, each on a kept connection
ROUNDS=10	# submissions per client
KILL_ROUNDS=400	# per client, 10 ms apart, while the worker is killed
KILL_EVERY=1.2	# seconds between kills: past the master's fast-death pause

hs_stack_start --workers 1
SPOOL=$HS_DIR/spool
MNT=
trap 'rc=$?; set +e; [[ -n $MNT ]] && umount -l "$MNT"; (exit $rc); hs_on_exit' EXIT
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
cat >"$HS_TMP/open.json" <<'EOF'
{ "slug": "it-batch", "question": "How did you hear about us?",
  "allow_unsigned": true,
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "friend", "label": "A friend", "channel": "friend" } ] }
EOF
ok $ADMIN survey import "$HS_TMP/open.json"

forms() {
	/usr/bin/python3 "$top_srcdir/tests/it/survey_posts.py" forms "$HS_URL" it-batch "$@"
}
posts() {
	/usr/bin/python3 "$top_srcdir/tests/it/survey_posts.py" post "$HS_URL" it-batch "$@"
}
stored() {
	hs_sql "SELECT COUNT(*) FROM responses r JOIN surveys s
	    ON s.id = r.survey_id WHERE s.slug = 'it-batch'"
}
# The INSERTs MariaDB ran (a prepared statement's executions count).
inserts() {
	hs_sql "SHOW GLOBAL STATUS LIKE 'Com_insert'" | cut -f2
}

# 1. Concurrent answers: every one thanked and stored once, in fewer
#    INSERTs than answers (without batches there is one per answer).
n=$((CLIENTS * ROUNDS))
forms "$n" >"$HS_TMP/tokens"
i0=$(inserts)
posts "$CLIENTS" "$ROUNDS" unique <"$HS_TMP/tokens" >"$HS_TMP/unique"
i1=$(inserts)
is "$(grep -c '^303 ' "$HS_TMP/unique")" "$n" "$n concurrent answers: all 303"
is "$(stored)" "$n" "each stored once"
diag "$n answers in $((i1 - i0)) INSERTs"
ok test $((i1 - i0)) -lt "$n"

# 1b. Concurrent answers of verified signups (one unit per batch): each
#     answer stored once, verified, with its signup.
for i in $(seq 1 "$CLIENTS"); do
	$ADMIN survey token --signup "batch-$i"
done >"$HS_TMP/signed"
forms "$CLIENTS" "$HS_TMP/signed" >"$HS_TMP/tokens"
s0=$(stored)
posts "$CLIENTS" 1 unique <"$HS_TMP/tokens" >"$HS_TMP/verified"
is "$(grep -c '^303 ' "$HS_TMP/verified")" "$CLIENTS" \
    "$CLIENTS concurrent verified answers: all 303"
is "$(stored)" $((s0 + CLIENTS)) "each stored once"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE verified = 1
    AND signup_ref LIKE 'batch-%'")" "$CLIENTS" "as verified"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE signup_ref LIKE 'batch-%'")" \
    "$CLIENTS" "with their signups"

# 2. Double submits in the same batches: the first form sent by half the
#    clients at once, fresh ones by the others.
forms $((CLIENTS * 2)) >"$HS_TMP/tokens"
s0=$(stored)
posts "$CLIENTS" 2 half <"$HS_TMP/tokens" >"$HS_TMP/half"
is "$(grep -c '^303 ' "$HS_TMP/half")" $((CLIENTS * 2)) \
    "double submits among fresh answers: all 303"
is "$(stored)" $((s0 + 1 + CLIENTS)) \
    "the double submits stored one answer, each fresh one its own"
forms "$CLIENTS" >"$HS_TMP/tokens"
s0=$(stored)
posts "$CLIENTS" 1 same <"$HS_TMP/tokens" >"$HS_TMP/same"
is "$(grep -c '^303 ' "$HS_TMP/same")" "$CLIENTS" \
    "$CLIENTS submits of one form at once: all 303"
is "$(stored)" $((s0 + 1)) "and one answer stored"

# 2b. MariaDB down: each batch goes to the journal with one fsync (one
#     "N answers journalled" line), every answer is thanked, and once
#     MariaDB is back the loader stores each exactly once.
n=$((CLIENTS * 4))
forms "$n" >"$HS_TMP/tokens"
s0=$(stored)
l0=$(grep -c 'journalled' "$HS_DIR/log/survey.log" || true)
hs_db_stop
posts "$CLIENTS" 4 unique <"$HS_TMP/tokens" >"$HS_TMP/journalled"
is "$(grep -c '^303 ' "$HS_TMP/journalled")" "$n" \
    "MariaDB down: $n concurrent answers, all 303"
grep 'journalled' "$HS_DIR/log/survey.log" | tail -n +$((l0 + 1)) \
    >"$HS_TMP/jlines"
is "$(sed -n 's/.*unavailable: \([0-9]*\) answers\{0,1\} journalled.*/\1/p' \
    "$HS_TMP/jlines" | awk '{ s += $1 } END { print s + 0 }')" "$n" \
    "each journalled once"
syncs=$(wc -l <"$HS_TMP/jlines")
diag "$n answers journalled with $syncs fsyncs"
ok test "$syncs" -lt "$n"
hs_db_start
wait_for 30 $((s0 + n)) stored || true
is "$(stored)" $((s0 + n)) "MariaDB back: each loaded, once"

# 3. MariaDB down and the journal's disk full: a batch can be stored
#    nowhere, so its requests are served again, one by one, and each
#    gets the 503, never the thank-you; none is stored later.  (The
#    worker keeps its cached survey through the outage.)
if ((EUID != 0)); then
	hs_skip "section 3, the journal's disk full" "mounting a small tmpfs needs root"
else
	mount -t tmpfs -o size=64k,mode=0700 hearsay-it-full "$SPOOL"
	MNT=$SPOOL
	kill -HUP "$(hs_pid survey)"	# a worker whose journal is on the small disk
	wait_for 20 200 'http_status GET /s/it-batch' || fail "served after the reload"
	forms 8 >"$HS_TMP/tokens"
	dd if=/dev/zero of="$SPOOL/fill" bs=4k 2>/dev/null || true
	is "$(df --output=avail "$SPOOL" | tail -n1 | tr -d ' ')" 0 "the spool's disk is full"
	s0=$(stored)
	hs_db_stop
	posts 8 1 unique <"$HS_TMP/tokens" >"$HS_TMP/down"
	is "$(grep -c '^503 ' "$HS_TMP/down")" 8 "nowhere to store: all 503"
	like "$(cat "$HS_DIR/log/survey.log")" 'journal: ' "the journal's failure logged"
	hs_db_start
	rm -f "$SPOOL/fill"
	forms 1 >"$HS_TMP/tokens"
	posts 1 1 unique <"$HS_TMP/tokens" >"$HS_TMP/again"
	is "$(cut -c1-3 "$HS_TMP/again")" 303 "MariaDB back: thanked again"
	# The thanked one stored, directly (MariaDB is up); the refused ones
	# could only come through the journal, whose loader has had a pass once
	# every journal file is read to its end (or gone).
	wait_for 30 $((s0 + 1)) stored || true
	unloaded() {
		local f off
		for f in "$SPOOL"/survey.*.jnl; do
			[[ -e $f ]] || continue
			off=$(cat "$f.off" 2>/dev/null || echo 0)
			((off < $(stat -c %s "$f"))) && echo "$f"
		done
	}
	wait_for 30 "" unloaded || fail "the loader read every journal to its end"
	is "$(stored)" $((s0 + 1)) "none of the refused answers stored"
	ok kill -0 "$(hs_pid survey)"
fi

# kill_rounds PID: the survey's children (the worker and the loader)
# SIGKILLed three times, KILL_EVERY apart, while the stream PID runs;
# $reaped: the rounds whose every child was killed and reaped as such.
kill_rounds() {
	local k v victims l0 got master
	master=$(hs_pid survey)
	reaped=0
	for k in 1 2 3; do
		sleep "$KILL_EVERY"
		kill -0 "$1" 2>/dev/null ||
		    fail "kill $k came after the stream ended"
		victims=$(pgrep -P "$master" || true)
		l0=$(wc -l <"$HS_DIR/log/survey.log")
		for v in $victims; do
			hs_kill KILL "$v"
		done
		got=0
		for v in $victims; do
			wait_for 10 1 "tail -n +$((l0 + 1)) '$HS_DIR/log/survey.log' |
			    grep -c 'child $v killed by signal 9'" &&
			    got=$((got + 1))
		done
		[[ -n $victims ]] && ((got == $(wc -w <<<"$victims"))) &&
		    reaped=$((reaped + 1))
	done
}

# 4. The worker SIGKILLed three times while answers stream in, on kept
#    connections: every thanked answer is stored, once.  nginx sends a
#    submit again on a new connection when its kept one dies under it
#    (the submission id makes that one row).
n=$((8 * KILL_ROUNDS))
forms "$n" >"$HS_TMP/tokens"
s0=$(stored)
posts 8 "$KILL_ROUNDS" unique 0.01 <"$HS_TMP/tokens" >"$HS_TMP/killed" &
ppid=$!
kill_rounds "$ppid"
wait "$ppid"
is "$reaped" 3 "three rounds, every child killed by signal 9 and reaped"
diag "$(cut -c1-3 "$HS_TMP/killed" | sort | uniq -c | tr '\n' ' ')"
# Every submit is thanked: a submit on a kept connection gets its second
# chance (without "non_idempotent" in nginx/hearsay.conf a few of them
# are 502s).  The kills come KILL_EVERY apart, so each worker has lived
# past PREFORK_FAST_DEATH_MS (src/core/prefork.c) and is respawned at
# once, and the connections nginx opens to it are kept long before the
# next kill.  (Killed sooner, a worker is respawned after a 200 ms pause,
# and the submits queued meanwhile on new connections, which nginx cannot
# send again, die with the next one: 502s, none of them thanked.)
is "$(grep -vc '^303 ' "$HS_TMP/killed" || true)" 0 "every submit 303"
awk '$1 == 303 { printf "%s\x27%s\x27", (n++ ? "," : ""), $2 }' \
    "$HS_TMP/killed" >"$HS_TMP/thanked"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE submission_id IN
    ($(cat "$HS_TMP/thanked"))")" "$(grep -c '^303 ' "$HS_TMP/killed")" \
    "every thanked answer stored"
is $(($(stored) - s0)) "$n" "each stored once"
wait_for 20 200 'http_status GET /s/it-batch' || fail "served after the kills"

# 5. The same for the activity API, which nginx sends through the same
#    upstream and kept connections (POST is idempotent there: each item's
#    id is its key; activity.c stores the items of requests arriving
#    together in one INSERT, from the settle hook): every item answered
#    200 (stored, or a duplicate of a stored one) or 202 (journalled)
#    is stored; every answer is one of those or a 503 with
#    Retry-After (MariaDB unable to take it), never a 502 or a 500.
AKEY=$($ADMIN apikey create it-batch-act --scope signups,activity 2>/dev/null)
is "$(http_status POST /api/v1/signups -H "Authorization: Bearer $AKEY" \
    -H "Content-Type: application/json" --data-raw \
    '{"signup_ref":"act-1","signed_up_at":"2026-02-01T00:00:00Z"}')" 200 \
    "a signup for the activity"
/usr/bin/python3 "$top_srcdir/tests/it/survey_posts.py" stream "$HS_URL" act-1 \
    activity 8 "$HS_TMP/act.stop" 1000 "$AKEY" kill >"$HS_TMP/acts" &
ppid=$!
kill_rounds "$ppid"
touch "$HS_TMP/act.stop"
wait "$ppid"
is "$reaped" 3 "activity: three rounds, every child killed by signal 9 and reaped"
diag "activity: $(cut -d' ' -f1 "$HS_TMP/acts" | sort | uniq -c | tr '\n' ' ')"
is "$(grep -vcE '^(200|202) [0-9]+ [-+]$|^503 [0-9]+ [+]$' "$HS_TMP/acts" || true)" 0 \
    "activity: every answer 200 or 202, or 503 with Retry-After"
# The rows of the stream's items, "N count" each (N: its seconds after
# 2026-03-01), and the items acknowledged, N and N + 1 of each answer.
act_rows() {
	hs_sql "SELECT TIMESTAMPDIFF(SECOND, '2026-03-01', a.at), COUNT(*)
	    FROM activity a JOIN signups s ON s.id = a.signup_id
	    WHERE s.signup_ref = 'act-1' GROUP BY 1 ORDER BY 1"
}
awk '$1 == 200 || $1 == 202 { print $2; print $2 + 1 }' "$HS_TMP/acts" |
    sort >"$HS_TMP/acked"
# Acknowledged items not stored (journalled ones are loaded later).
unstored() {
	act_rows | cut -f1 | sort | comm -23 "$HS_TMP/acked" - | wc -l
}
wait_for 30 0 unstored || true
is "$(unstored)" 0 "activity: every acknowledged item stored ($(wc -l <"$HS_TMP/acked") items)"
# Not checked here: an item stored twice.  Its row's key is the HMAC of
# its id (activity.c), so a resent item cannot make a second row.

done_testing
