#!/usr/bin/env bash
# tests/it/admin_forget.sh: erasure (hearsay-admin forget --signup) at
# its edges.  A person's answer given while MariaDB was down waits in
# the survey's journal; forget runs after MariaDB is back but before the
# loader has replayed it (the loader held stopped): the erased answer
# must not come back when the journal is loaded (forget's tombstone,
# sql/100).  forget run twice is harmless.  After each erasure every
# column of every table is searched for the person's reference.  The
# loader skips only answers given at or before the erasure, and answers
# older than retention_days (the age at which "hearsay-admin retention"
# drops tombstones).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"

# sweep REF: the tables.columns holding REF anywhere (byte for byte,
# also inside a longer text), from a query generated over
# information_schema; one line, "" when none.
hs_sql "SET GLOBAL group_concat_max_len = 4194304"
sweep() {
	hs_sql "SELECT GROUP_CONCAT(CONCAT('SELECT ''', table_name, '.', column_name,
	    ''' FROM \`', table_name, '\` WHERE LOCATE(''$1'', CAST(\`', column_name,
	    '\` AS BINARY)) > 0') SEPARATOR ' UNION ') FROM information_schema.columns
	    WHERE table_schema = 'hearsay'" | sed 's/$/;/' | hs_sql | sort -u | tr '\n' ' '
}

# answer REF OPTION [curl args]: the signed form for REF, answered.
answer() {
	local tok ft
	tok=$($ADMIN survey token --signup "$1")
	ft=$(curl -s --max-time 20 "$HS_URL/s/welcome?t=$tok" |
	    sed -n 's/.*name="ft" value="\([^"]*\)".*/\1/p')
	FT=$ft
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
	    --data-urlencode "ft=$ft" --data-urlencode "o=$2" \
	    --data-urlencode "f_friend=told by $1" --data-urlencode consent=1 \
	    "$HS_URL/s/welcome" || true
}

# undrained: how many survey journals hold records not loaded yet (the
# loader's <file>.off, journal.c, short of the file's size).
undrained() {
	local f n=0
	for f in "$HS_DIR"/spool/survey*.jnl; do
		[[ -e $f ]] || continue
		[[ $(cat "$f.off" 2>/dev/null || echo 0) == "$(stat -c %s "$f")" ]] ||
		    n=$((n + 1))
	done
	echo "$n"
}

# --- an answer in the database: forget, forget again, sweep
is "$(answer erase-db-7 friend)" 303 "an answer"
is "$(answer keep-db-8 friend)" 303 "another person's answer"
# A change: the first answer is kept as history (sql/170), which
# forget must erase too (the sweep below).
is "$(answer erase-db-7 search)" 303 "the answer changed"
is "$(hs_sql "SELECT COUNT(*) FROM response_history WHERE signup_ref = 'erase-db-7'")" 1 \
    "... the first kept as history"
like "$(sweep erase-db-7)" 'response_history.signup_ref' "the sweep sees the history"
like "$(sweep erase-db-7)" 'responses.signup_ref' "the sweep sees the reference"
like "$($ADMIN forget --signup erase-db-7)" 'erased: 1 answers, 1 signups' "forget"
is "$(sweep erase-db-7)" "" "no column of any table holds erase-db-7"
out=$($ADMIN forget --signup erase-db-7 2>&1) && rc=0 || rc=$?
is "$rc" 0 "forget twice: exit 0"
like "$out" 'erased: 0 answers, 0 signups, 0 attributions' "forget twice: nothing more to erase"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'keep-db-8'")" 1 \
    "the other person's answer stays"

# --- an answer in the journal
tok=$($ADMIN survey token --signup erase-jr-9)
ft=$(curl -s --max-time 20 "$HS_URL/s/welcome?t=$tok" |
    sed -n 's/.*name="ft" value="\([^"]*\)".*/\1/p')
like "$ft" '^[A-Za-z0-9_.-]+$' "a form for erase-jr-9, shown while MariaDB is up"
hs_db_stop
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --data-urlencode "ft=$ft" \
    --data-urlencode o=friend --data-urlencode "f_friend=told by erase-jr-9" \
    --data-urlencode consent=1 "$HS_URL/s/welcome" || true)" 303 \
    "MariaDB down: the answer is thanked (journalled)"
ok grep -qaF erase-jr-9 $(find "$HS_DIR/spool" -type f -name 'survey*')
# Hold the survey's processes (the loader among them) so that MariaDB
# comes back with the answer still in the journal.
master=$(hs_pid survey)
mapfile -t kids < <(pgrep -P "$master")
ok test "${#kids[@]}" -ge 2
kill -STOP "${kids[@]}"
hs_db_start
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'erase-jr-9'")" 0 \
    "MariaDB back, the answer not loaded yet"
like "$($ADMIN forget --signup erase-jr-9)" 'erased: 0 answers' \
    "forget while the answer is in the journal"
kill -CONT "${kids[@]}"
ok wait_for 60 0 undrained
is "$(answer after-jr-10 search)" 303 "the survey serves again"
ok wait_for 30 1 "hs_sql \"SELECT COUNT(*) FROM responses WHERE signup_ref = 'after-jr-10'\""
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'erase-jr-9'")" 0 \
    "the journal loaded: the erased answer did not come back"
is "$(sweep erase-jr-9)" "" "no column of any table holds erase-jr-9"
like "$($ADMIN forget --signup erase-jr-9)" 'erased: 0 answers, 0 signups' \
    "forget again: nothing to erase"
ok grep -qF 'loader: 1 journalled answer of erased signups skipped' \
    "$HS_DIR/log/survey.log"
ok test "$(hs_sql "SELECT COUNT(*) FROM signup_erasures")" -eq 2
is "$(hs_sql "SELECT COUNT(*) FROM signup_erasures WHERE erased_at > UTC_TIMESTAMP(3)
    OR erased_at < UTC_TIMESTAMP(3) - INTERVAL 1 HOUR")" 0 \
    "the tombstones: keyed hashes and the time of erasure"

# --- what the tombstone does not block, and the retention rule
# A journal written by a process gone (a dead pid: the loader takes the
# file as finished) with three answers: erase-jr-9 again, given after
# its erasure (a new answer: loaded); one older than retention_days (not
# loaded: "retention" would erase it, and drops tombstones at that age);
# and a fresh one, the sign that the file was read.
sid=$(hs_sql "SELECT id FROM surveys WHERE slug = 'welcome'")
dead=$(bash -c 'echo $$')
keep=$(sed -n 's/^[[:space:]]*retention_days[[:space:]]*=[[:space:]]*//p' "$HS_CONF")
ok test "$keep" -gt 0
python3 - "$HS_DIR/spool/survey.$dead.0.jnl" "$sid" "$keep" <<'PY'
import datetime, json, os, struct, sys
def crc32c(b, c=0xffffffff):
	for x in b:
		c ^= x
		for _ in range(8):
			c = (c >> 1) ^ (0x82f63b78 if c & 1 else 0)
	return c ^ 0xffffffff
now = datetime.datetime.now(datetime.timezone.utc)
def rec(ref, when):
	r = dict(submission_id=os.urandom(16).hex(), survey_id=int(sys.argv[2]),
	    signup_ref=ref, verified=1, answered_at=when.strftime(
	    "%Y-%m-%d %H:%M:%S.%f")[:-3], options="friend", shown_order="friend",
	    followup_text=None, other_text=None, referrer_text=None,
	    code_text=None, click_id=None, consent=1, client_hash=None,
	    velocity_flag=0, source="form")
	p = json.dumps(r).encode()
	h = struct.pack("<I", len(p))
	return b"HSJ1" + h + p + struct.pack("<I", crc32c(h + p))
with open(sys.argv[1], "wb") as f:
	# A second past the erasure: its tombstone's time has milliseconds,
	# and an answer within the same second would be (rightly) skipped.
	f.write(rec("erase-jr-9", now + datetime.timedelta(seconds=1)) +
	    rec("old-jr-11", now - datetime.timedelta(days=int(sys.argv[3]) + 2)) +
	    rec("fresh-jr-12", now))
PY
ok wait_for 30 1 "hs_sql \"SELECT COUNT(*) FROM responses WHERE signup_ref = 'fresh-jr-12'\""
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'erase-jr-9'")" 1 \
    "an answer journalled after the erasure is loaded"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'old-jr-11'")" 0 \
    "an answer older than retention_days is not loaded"
ok grep -qF 'loader: 1 journalled answer older than retention_days skipped' \
    "$HS_DIR/log/survey.log"
like "$($ADMIN forget --signup erase-jr-9)" 'erased: 1 answers, 1 signups' \
    "forget erases the new answer"
is "$(sweep erase-jr-9)" "" "no column of any table holds erase-jr-9"
is "$(sweep old-jr-11)" "" "nor old-jr-11"
is "$(http_status GET /health)" 200 "health"

done_testing
