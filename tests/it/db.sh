#!/usr/bin/env bash
# tests/it/db.sh: db.c against the stack's private MariaDB (TESTING.md 3b
# rows 1-4 from the library's side).  tests/it/dbcheck does the work and
# stops and starts the server through hs-stack; this script starts the
# stack, runs it, and counts the rows from outside.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

dbcheck=$top_builddir/tests/it/dbcheck
hs_stack_start --no-programs

stop=$(printf '%q db-stop --dir %q' "$HS_STACK" "$HS_DIR")
start=$(printf '%q db-start --dir %q' "$HS_STACK" "$HS_DIR")
out=$HS_TMP/dbcheck.out
rc=0
"$dbcheck" "$HS_CONF" "$stop" "$start" >"$out" 2>"$HS_TMP/dbcheck.err" || rc=$?
sed 's/^/# /' "$out" >&2
if ((rc != 0)); then
	diag "dbcheck stderr:"
	sed 's/^/#   /' "$HS_TMP/dbcheck.err" >&2
fi
is "$rc" 0 "dbcheck: every check passed"
like "$(tail -n1 "$out")" '^[1-9][0-9]* passed, 0 failed$' "dbcheck ran to the end"
is "$(grep -c '^not ok' "$out" || true)" 0 "no failed check in dbcheck"

# Counted from outside, over the admin account: exactly the rows dbcheck
# inserted, each client id once.
is "$(hs_sql "SELECT COUNT(*) FROM dbcheck_t")" 8 "exactly 8 rows in dbcheck_t"
is "$(hs_sql "SELECT COUNT(*) - COUNT(DISTINCT cid) FROM dbcheck_t")" 0 \
    "no duplicate client id"
is "$(hs_sql "SELECT GROUP_CONCAT(cid ORDER BY cid) FROM dbcheck_t")" \
    "deadlock-1,idle-1,kill-1,kill-2,lockwait-1,unit-1,unit-2,up-1" \
    "the rows are the expected ones"
is "$(hs_sql "SELECT COUNT(*) FROM dbcheck_heavy")" 0 \
    "the rolled-back transaction left nothing"
# No connection of dbcheck left behind (it closed every handle).
is "$(hs_sql "SELECT COUNT(*) FROM information_schema.processlist
    WHERE user IN ('hearsay', 'hearsay_ro')")" 0 "no leaked connections"

done_testing
