#!/usr/bin/env bash
# tests/cluster/cluster_faults.sh: hearsay on a three-node MariaDB Galera
# cluster with two app hosts behind one nginx (hs-stack --galera 3
# --hosts 2), proven by counting rows through faults (issue 19).
#
#   0. schema: every migration ran with wsrep_mode=REQUIRED_PRIMARY_KEY
#      (the stack's start ran them on the cluster), every table has a
#      primary key on every node, nothing Galera does not replicate.
#   1. the nightly job: a run killed mid-way on node 1's connection is
#      refused through node 2 while its lease lives (cluster-wide), and
#      resumed through node 2 once it expired; its tables equal a clean
#      run on a single server, checksum for checksum.
#   1b. a certification conflict: a chunk of the nightly job through
#      node 1 is aborted by a write to the lease row through node 2
#      (error 1213); the program replays it and counts it once.
#   Then, under load (wrk on /i/, curl loops on /i/ whose click ids are
#   read from the Location headers, a stream of survey form answers on
#   kept connections, all through nginx to both hosts):
#   2. kill -9 node 1 (the node every process writes through), restart
#      it from its recovered position (IST);
#   3. SIGSTOP node 2 until the others evict it, then SIGCONT;
#   4. kill -9 app host 2 (masters and workers), start it again: its
#      journals are replayed;
#   5. kill -9 nodes 2 and 3: node 1 alone is non-Primary; redirects go
#      on (journalled), survey answers are thanked (journalled) or 503;
#      then node 1 is bootstrapped and 2 and 3 rejoin.
#   After each: every 302 is one click row (id by id for curl, by count
#   for wrk), every thanked answer one response row, nothing twice, and
#   every node holds the same tables (CHECKSUM TABLE on each).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"

if (($(id -u) != 0)); then
	echo "cluster_faults.sh: the Galera nodes run as mysql: needs root" >&2
	exit 77
fi

LOOPS=2		# curl loops on /i/MASS-0001
CURL_MAXTIME=30	# seconds for one curl process
BATCH=20	# requests per curl process (one kept connection)
MAXROUNDS=2000	# bound on each curl loop
FORMS=2		# survey form clients
# Bound on each form client: far above what a phase takes, since
# journalled answers are thanked fast for as long as the cluster is
# being restored (a client that ran out would stall the next count).
FORMROUNDS=100000
STEP=30		# 302s or answers counted after a fault

# The load ends with the test, however it ends.
LOADPIDS=() FPID= WPID=
load_kill() {
	local rc=$?
	[[ -d ${HS_TMP:-} ]] && touch "$HS_TMP/stop"
	kill "${LOADPIDS[@]}" $FPID $WPID 2>/dev/null || true
	(exit "$rc")
	hs_on_exit
}
trap load_kill EXIT

# ------------------------------------------------------------ single server
# The reference of the nightly job: the same input on one server.
hs_stack_start --no-programs
ok rc_gen --signups 600 --clicks-per-signup 3 --seed 31
ok rc_run --full --chunk 40
SINGLE=$(rc_sums)
SINGLE_RUN=$(hs_sql "SELECT CONCAT(row_count, ' ', chunks) FROM reconcile_runs
    ORDER BY id DESC LIMIT 1")
hs_stack_stop "$HS_DIR"

# ------------------------------------------------------------ the cluster
hs_stack_start --galera 3 --hosts 2
H2=$HS_DIR/h2

node_sql() { "$HS_STACK" node-sql --dir "$HS_DIR" "$@"; }
# The programs' open transactions on a node: id, start, state, rows
# locked, what it waits for.
OPEN_TRX="SELECT t.trx_id, t.trx_started, t.trx_state, t.trx_rows_locked,
    t.trx_query FROM information_schema.INNODB_TRX t
    JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
    WHERE p.USER LIKE 'hearsay%'"
node_pid() { "$HS_STACK" pid --dir "$HS_DIR" "n$1"; }
host_pid() { "$HS_STACK" pid --dir "$HS_DIR" --host "$1" "$2"; }

for k in 1 2 3; do
	is "$(node_sql "$k" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)" \
	    Synced "node $k is Synced"
done
like "$(grep '^db_nodes' "$HS_CONF")" 'g/n1/mysqld.sock .*g/n3/mysqld.sock' \
    "the programs' configuration lists the three nodes"
is "$(grep -c 'h2/run/link.sock' "$HS_DIR/nginx/hearsay.conf")" 1 \
    "nginx's link upstream lists host 2"

# Checksums of every table of hearsay on node K (its row count and the
# XOR of a CRC32 per row over its stored columns: CHECKSUM TABLE reads
# virtual generated columns, such as clicks.clicked_day, from whatever
# the row buffer held and differs between servers holding equal rows),
# after a read that waits until the node has applied everything
# committed before it.
sums_of() {
	local q
	q=$(node_sql "$1" "SET SESSION group_concat_max_len = 1000000;
	    SELECT CONCAT('SELECT ''', TABLE_NAME, ''', COUNT(*), ',
	    'COALESCE(BIT_XOR(CRC32(CONCAT_WS(0x1f, ', GROUP_CONCAT(CONCAT(
	    'COALESCE(HEX(\`', COLUMN_NAME, '\`), ''-'')') ORDER BY
	    ORDINAL_POSITION), '))), 0) FROM \`', TABLE_NAME, '\`;')
	    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'hearsay'
	    AND IS_GENERATED = 'NEVER' GROUP BY TABLE_NAME ORDER BY TABLE_NAME")
	node_sql "$1" "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM
	    schema_migrations; $q" | awk 'NF == 3 { printf "%s=%s:%s ", $1, $2, $3 }'
}

# The three nodes' checksums, until they agree (a loader may still be
# committing what the last requests journalled), up to 30 s.
same_tables() {
	local a b c end=$((SECONDS + 30))
	while :; do
		a=$(sums_of 1) b=$(sums_of 2) c=$(sums_of 3)
		[[ $a == "$b" && $a == "$c" ]] && break
		((SECONDS < end)) || break
		sleep 1
	done
	ok test -n "$a"
	if [[ $a == "$b" && $a == "$c" ]]; then
		pass "$1: every table identical on the three nodes"
	else
		fail "$1: every table identical on the three nodes"
		diag "n1: $a" "n2: $b" "n3: $c"
	fi
}

# ------------------------------------------------------------ 0. schema
for k in 1 2 3; do
	like "$(node_sql "$k" "SELECT @@GLOBAL.wsrep_mode")" REQUIRED_PRIMARY_KEY \
	    "node $k: wsrep_mode=REQUIRED_PRIMARY_KEY"
	is "$(node_sql "$k" "SELECT GROUP_CONCAT(t.TABLE_NAME) FROM
	    information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'hearsay'
	    AND NOT EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c
	    WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
	    AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')")" NULL \
	    "node $k: every table has a primary key"
	is "$(node_sql "$k" "SELECT COUNT(*) FROM information_schema.TABLES
	    WHERE TABLE_SCHEMA = 'hearsay' AND ENGINE <> 'InnoDB'")" 0 \
	    "node $k: every table is InnoDB"
done
is "$(node_sql 3 "SELECT COUNT(*) FROM schema_migrations")" \
    "$(ls "$top_srcdir"/sql/[0-9]*.sql | wc -l)" \
    "every migration applied (and replicated to node 3)"
# Comments may name them (to say why not): statements and C strings only.
is "$(cat "$top_srcdir"/sql/*.sql | sed 's/--.*//' |
    grep -ciE 'GET_LOCK|LOCK TABLES|MyISAM' || true)" 0 \
    "no GET_LOCK, LOCK TABLES or MyISAM in the migrations"
is "$(cat "$top_srcdir"/src/*/*.c | grep -ciE '"[^"]*(GET_LOCK|LOCK TABLES|MyISAM)' ||
    true)" 0 "no GET_LOCK, LOCK TABLES or MyISAM in the code's SQL"
same_tables "after the migrations"

# ------------------------------------------------------------ 1. nightly job
# A configuration that reaches the cluster through node 1 only, and one
# through node 2 (then 3).
sed "s|^db_nodes = .*|db_nodes = $HS_DIR/g/n1/mysqld.sock|" "$HS_CONF" >"$HS_TMP/n1.conf"
sed "s|^db_nodes = .*|db_nodes = $HS_DIR/g/n2/mysqld.sock $HS_DIR/g/n3/mysqld.sock|" \
    "$HS_CONF" >"$HS_TMP/n2.conf"
ok rc_gen --signups 600 --clicks-per-signup 3 --seed 31
"$RC_BIN" -f "$HS_TMP/n1.conf" -q --full --chunk 40 &
rpid=$!
# Killed once it has committed two chunks through node 1.
while kill -0 "$rpid" 2>/dev/null; do
	c=$(node_sql 1 "SELECT chunks FROM reconcile_runs WHERE holder LIKE
	    '%:$rpid:%' AND status = 'running'" 2>/dev/null || true)
	[[ -n $c ]] && ((c >= 2)) && break
	sleep 0.02
done
kill -STOP "$rpid" 2>/dev/null || true
row=$(node_sql 2 "SET SESSION wsrep_sync_wait = 1; SELECT status FROM
    reconcile_runs WHERE holder LIKE '%:$rpid:%'")
kill -KILL "$rpid" 2>/dev/null || true
wait "$rpid" 2>/dev/null || true
is "$row" running "nightly: killed mid-way (node 2 sees the run running)"
st=0
"$RC_BIN" -f "$HS_TMP/n2.conf" -q --full --chunk 40 || st=$?
is "$st" 3 "nightly: through node 2, the dead runner's live lease refuses a run"
node_sql 3 "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok "$RC_BIN" -f "$HS_TMP/n2.conf" -q --full --chunk 40
is "$(rc_sums)" "$SINGLE" "nightly: resumed through node 2, the single server's checksums"
same_tables "after the nightly job"

# ------------------------------------------------------------ 1b. conflict
# A real certification conflict on a write the nightly job makes: its
# first chunk, through node 1, renews the lease row and then waits on
# reconcile_state's review_all row, which a session on node 1 holds;
# meanwhile the lease row is written through node 2.  Node 1 applies
# that write by aborting the chunk's transaction (a brute-force abort:
# error 1213, wsrep_local_bf_aborts), and the program must replay the
# chunk: the run ends well, counts every row once (the single server's
# row and chunk counts) and its tables equal the single server's.
bf() { node_sql 1 "SHOW STATUS LIKE 'wsrep_local_bf_aborts'" | cut -f2; }
bf0=$(bf)
mkfifo "$HS_TMP/hold"
node_sql 1 <"$HS_TMP/hold" >/dev/null &
hpid=$!
exec {hold}>"$HS_TMP/hold"
echo "BEGIN; SELECT last_id FROM reconcile_state WHERE name = 'review_all'
    FOR UPDATE;" >&"$hold"
wait_for 20 1 "node_sql 1 \"SELECT COUNT(*) FROM information_schema.INNODB_TRX t
    JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
    WHERE p.ID <> CONNECTION_ID() AND t.trx_rows_locked > 0 AND p.USER =
    SUBSTRING_INDEX(CURRENT_USER(), '@', 1)\"" ||
    fail "conflict: a session on node 1 holds review_all"
"$RC_BIN" -f "$HS_TMP/n1.conf" -q --full --chunk 40 2>"$HS_TMP/conflict.log" &
rpid=$!
wait_for 20 1 "node_sql 1 \"SELECT COUNT(*) FROM information_schema.INNODB_TRX
    WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE '%reconcile_state%'\"" ||
    fail "conflict: the chunk renewed the lease and waits on node 1"
bump="UPDATE leases SET expires_at = expires_at + INTERVAL 1 SECOND"
ok node_sql 2 "$bump WHERE name = 'reconcile'"
wait_for 20 1 "echo \$((\$(bf) > bf0))" ||
    fail "conflict: node 1 aborted the chunk to apply node 2's write"
echo "ROLLBACK;" >&"$hold"
exec {hold}>&-
wait "$hpid" || true
st=0
wait "$rpid" || st=$?
is "$st" 0 "conflict: the run ended well"
like "$(cat "$HS_TMP/conflict.log")" 'error 1213 .*replaying the unit \(try 2' \
    "conflict: the program logged the deadlock (1213) and its replay"
is "$(hs_sql "SELECT CONCAT(row_count, ' ', chunks) FROM reconcile_runs
    ORDER BY id DESC LIMIT 1")" "$SINGLE_RUN" \
    "conflict: every row and chunk counted once (as on the single server)"
is "$(rc_sums)" "$SINGLE" "conflict: the single server's checksums"
same_tables "after the conflict"

# ------------------------------------------------------------ load
# Links and a survey; the link cache of both hosts shortened to 1 s.
for c in "$HS_CONF" "$H2/hearsay.conf"; do
	echo "link_cache_secs = 1" >>"$c"
done
kill -HUP "$(host_pid 1 link)" "$(host_pid 2 link)"
admin campaign create --slug itc --name "IT campaign" --hosts "example.org" \
    --dest "https://example.org/signup" >/dev/null
admin link create --campaign itc --code MASS-0001 >/dev/null
admin link create --campaign itc --code MASS-0002 >/dev/null
admin link create --campaign itc --code TEST-0001 >/dev/null
cat >"$HS_TMP/load.json" <<'EOF'
{ "slug": "it-load", "question": "How did you hear about us?",
  "allow_unsigned": true,
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "friend", "label": "A friend", "channel": "friend" } ] }
EOF
ok admin survey import "$HS_TMP/load.json"
# Each host's redirector has the links (its own snapshot): nginx takes
# turns, so four 302s in a row came from both.
# (A link of its own: the probes' clicks are not the load's.)
wait_for 30 "302 302 302 302" "for i in 1 2 3 4; do http_status GET /i/TEST-0001;
    echo; done | xargs" || fail "both hosts serve the new links"
wait_for 20 200 'http_status GET /s/it-load' || fail "the form is served"

load_start() {
	PHASE=$1
	clicks_load_start
	python3 "$top_srcdir/tests/it/survey_posts.py" stream "$HS_URL" it-load \
	    form "$FORMS" "$HS_TMP/stop" "$FORMROUNDS" >"$HS_TMP/$PHASE.form" &
	FPID=$!
	wrk -t1 -c4 -d600s -H "User-Agent: $UA_HUMAN" \
	    -s "$top_srcdir/tests/cluster/wrk_count.lua" \
	    "$HS_URL/i/MASS-0002" >"$HS_TMP/$PHASE.wrk" 2>&1 &
	WPID=$!
}

load_stop() {
	touch "$HS_TMP/stop"
	kill -INT "$WPID" 2>/dev/null || true
	wait "$WPID" || true
	wait "$FPID" || true
	clicks_load_stop
}

thanked_now() {
	grep -c '^303 ' "$HS_TMP/$PHASE.form" 2>/dev/null || true
}

# more N WHAT: N more 302s and N/3 more thanked answers than now, up to
# 60 s: the load went on being served.
more() {
	local s=$(($(served_now) + $1)) t=$(($(thanked_now) + $1 / 3))
	local end=$((SECONDS + 60))
	while (($(served_now) < s || $(thanked_now) < t)); do
		if ((SECONDS > end)); then
			fail "$PHASE: $1 more 302s and $(($1 / 3)) answers thanked ($2)"
			return 0
		fi
		sleep 0.1
	done
	pass "$PHASE: 302s and thanked answers went on ($2)"
}

# check GETOK POSTOK: statuses of the phase in the allowed sets, every
# 302 one click row, every thanked answer one response row, nothing
# twice, the nodes identical.  Journals reach MariaDB through the
# loaders: wait for them.
check() {
	local gok=$1 fok=$2 missing n302 rows thanked end
	is "$(grep -vc '^302 ' "$HS_TMP/all" || true)" 0 "$PHASE: /i/ answered only 302"
	is "$(grep -vcE "^(($fok)|g($gok)) " "$HS_TMP/$PHASE.form" || true)" 0 \
	    "$PHASE: answers only $fok, form pages only $gok"
	diag "$PHASE: answers: $(cut -c1-4 "$HS_TMP/$PHASE.form" | sort | uniq -c | xargs)"
	clicks_match "$PHASE"
	is "$EXTRA" 0 "$PHASE: no click row that no 302 reported"
	# wrk: its 302s are rows; at most its connections' requests in
	# flight when it stopped are rows it did not count.
	read -r _ n302 _ nother < <(grep '^302 ' "$HS_TMP/$PHASE.wrk")
	is "$nother" 0 "$PHASE: wrk saw only 302s"
	ok test "$n302" -gt 0
	end=$((SECONDS + 60))
	while rows=$(db_count MASS-0002); ((rows < n302 && SECONDS < end)); do
		sleep 0.5
	done
	if ((rows >= n302 && rows <= n302 + 4)); then
		pass "$PHASE: wrk's $n302 302s are click rows ($rows, 4 in flight at most)"
	else
		fail "$PHASE: wrk's $n302 302s are click rows (got $rows)"
	fi
	# The thanked ids against the stored ones, as files: a phase thanks
	# thousands, too long for one argument of an IN list (CI's quorum
	# phase thanked 4000 and its query failed with E2BIG).
	grep '^303 ' "$HS_TMP/$PHASE.form" | cut -d' ' -f2 | sort >"$HS_TMP/thanked"
	thanked=$(wc -l <"$HS_TMP/thanked")
	ok test "$thanked" -gt 0
	# The loaders replay a journal a second after the database is back;
	# 120 s is room for a slow machine, not a figure.
	end=$((SECONDS + 120))
	while :; do
		hs_sql "SELECT submission_id FROM responses" | sort >"$HS_TMP/stored"
		missing=$(comm -23 "$HS_TMP/thanked" "$HS_TMP/stored" | wc -l)
		((missing == 0 || SECONDS > end)) && break
		sleep 0.5
	done
	is "$missing" 0 "$PHASE: each of the $thanked thanked answers is a row"
	# What a miss would need to be explained: the journals left unloaded,
	# what the loaders said, and the transactions open on the nodes.
	((missing == 0)) || {
		diag "$PHASE: missing ids: $(comm -23 "$HS_TMP/thanked" \
		    "$HS_TMP/stored" | head -5 | xargs)"
		diag "$PHASE: spools: $(ls -l "$HS_DIR/spool" "$H2/spool" | xargs)"
		diag "$(grep -h 'loader\|journal' "$HS_DIR/log/survey.log" \
		    "$H2/log/survey.log" | tail -20)"
		for k in 1 2 3; do
			diag "node $k: $(node_sql "$k" "$OPEN_TRX" | xargs)"
		done
	}
	is "$(uniq -d "$HS_TMP/thanked" | wc -l)" 0 "$PHASE: no answer thanked twice"
	is "$(hs_sql "SELECT COUNT(*) - COUNT(DISTINCT submission_id) FROM responses")" 0 \
	    "$PHASE: no answer stored twice"
	same_tables "$PHASE"
	hs_sql "DELETE c FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code IN ('MASS0001', 'MASS0002')"
}

# ------------------------------------------------------------ 2. node killed
load_start nodekill
more "$STEP" "before the kill"
ok "$HS_STACK" node-kill --dir "$HS_DIR" 1
wait_for 20 2 "node_sql 2 \"SHOW STATUS LIKE 'wsrep_cluster_size'\" | cut -f2" ||
    fail "nodekill: node 1 evicted"
more "$STEP" "node 1 dead"
ok "$HS_STACK" node-start --dir "$HS_DIR" 1
like "$(cat "$HS_DIR/g/n1/error.log")" 'IST received|Receiving IST' \
    "nodekill: node 1 rejoined through IST"
more "$STEP" "node 1 back"
load_stop
check '200|503' '303|503'

# ------------------------------------------------------------ 3. node hung
load_start nodestop
more "$STEP" "before the stop"
p2=$(node_pid 2)
kill -STOP "$p2"
wait_for 20 2 "node_sql 1 \"SHOW STATUS LIKE 'wsrep_cluster_size'\" | cut -f2" ||
    fail "nodestop: node 2 evicted while frozen"
more "$STEP" "node 2 frozen"
kill -CONT "$p2"
ok "$HS_STACK" node-wait --dir "$HS_DIR" 2
wait_for 30 3 "node_sql 1 \"SHOW STATUS LIKE 'wsrep_cluster_size'\" | cut -f2" ||
    fail "nodestop: node 2 back in the cluster"
more "$STEP" "node 2 thawed"
load_stop
# A request on a connection to the frozen node waits up to the read
# timeout, then fails over; nothing is refused.
check '200|503' '303|503'

# ------------------------------------------------------------ 4. host killed
load_start hostkill
more "$STEP" "before the kill"
ok "$HS_STACK" host-kill --dir "$HS_DIR" 2
more "$STEP" "host 2 dead"
ok "$HS_STACK" host-start --dir "$HS_DIR" 2
more "$STEP" "host 2 back"
load_stop
# nginx sends a request that fails on the dead host to the other one;
# a form answer cut mid-way is sent again (non_idempotent, same id).
check '200|503' '303|503'

# ------------------------------------------------------------ 5. quorum lost
load_start quorum
more "$STEP" "before the kills"
ok "$HS_STACK" node-kill --dir "$HS_DIR" 2
ok "$HS_STACK" node-kill --dir "$HS_DIR" 3
wait_for 20 non-Primary "node_sql 1 \"SHOW STATUS LIKE 'wsrep_cluster_status'\" | cut -f2" ||
    fail "quorum: node 1 alone is non-Primary"
more "$STEP" "no Primary component"
like "$(cat "$HS_DIR/log/survey.log" "$H2/log/survey.log")" 'journalled' \
    "quorum: survey answers were journalled"
ok "$HS_STACK" node-bootstrap --dir "$HS_DIR" 1
restored=$(node_sql 1 "SELECT NOW(6)")
ok "$HS_STACK" node-start --dir "$HS_DIR" 2
ok "$HS_STACK" node-start --dir "$HS_DIR" 3
more "$STEP" "cluster restored"
load_stop
# A unit that failed while node 1 had no quorum gave its connection up:
# it must also have closed it.  An open socket keeps the server's
# session, its transaction and row locks, until the worker's next
# request, and with the load stopped that may be never: the loaders
# wait on those locks (CI, 2026-12-06: 4852 thanked, some unloaded
# after 60 s).
stale="SELECT COUNT(*) FROM ($OPEN_TRX) o WHERE o.trx_started < '$restored'"
if wait_for 20 0 "node_sql 1 \"$stale\""; then
	pass "quorum: no program kept a transaction open from before the restore"
else
	fail "quorum: no program kept a transaction open from before the restore"
	diag "node 1: $(node_sql 1 "$OPEN_TRX" | xargs)"
fi
check '200|503' '303|503'

done_testing
