#!/usr/bin/env bash
# admin_retention.sh: hearsay-admin retention erases the client-hash salts
# of past days, and clicks and answers older than retention_days (395 by
# default), in chunks, and nothing younger; --dry-run only counts what
# it would erase; a mistyped argument erases nothing.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start --no-programs
adm() { "$top_builddir/src/admin/hearsay-admin" -f "$HS_CONF" "$@"; }
ok adm demo

link=$(hs_sql "SELECT MIN(id) FROM links")
sid=$(hs_sql "SELECT MIN(id) FROM surveys")
# clicks TAG N DAYS: N clicks DAYS days old (more than one chunk of
# 10,000 for the old ones, so the chunk loop must go round).
clicks() {
	hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id)
	    SELECT MD5(CONCAT('$1', seq)), UTC_TIMESTAMP(3) - INTERVAL $3 DAY, $link
	    FROM seq_1_to_$2"
}
answers() {
	hs_sql "INSERT INTO responses (submission_id, survey_id, answered_at,
	    options, shown_order) SELECT MD5(CONCAT('$1', seq)), $sid,
	    UTC_TIMESTAMP(3) - INTERVAL $3 DAY, 'friend', 'friend'
	    FROM seq_1_to_$2"
}
clicks old 10005 400
clicks edge 3 394	# a day inside the 395
clicks new 2 1
answers old 4 396
answers edge 2 394
answers new 1 0
hs_sql "DELETE FROM salts"
hs_sql "INSERT INTO salts VALUES (UTC_DATE() - INTERVAL 2 DAY, RANDOM_BYTES(32)),
    (UTC_DATE() - INTERVAL 1 DAY, RANDOM_BYTES(32)), (UTC_DATE(), RANDOM_BYTES(32))"
counts() {
	hs_sql "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM salts),
	    (SELECT COUNT(*) FROM clicks), (SELECT COUNT(*) FROM responses))"
}
before=$(counts)
is "$before" "3 10010 7" "salts, clicks, answers to start with"

out=$(adm retention --dry-run)
like "$out" 'salts to erase: 2' "--dry-run: the salts of past days"
like "$out" 'clicks to erase: 10005' "--dry-run: the clicks older than 395 days"
like "$out" 'answers to erase: 4' "--dry-run: the answers older than 395 days"
is "$(counts)" "$before" "--dry-run erased nothing"

for bad in --dryrun --dry-run=yes now; do
	if adm retention $bad >/dev/null 2>&1; then
		fail "retention $bad refused"
	else
		is "$?" 2 "retention $bad refused (usage)"
	fi
done
is "$(counts)" "$before" "and erased nothing"

out=$(adm retention)
like "$out" 'salts erased: 2' "the salts of past days erased"
like "$out" 'clicks erased: 10005' "the old clicks erased, over two chunks"
like "$out" 'answers erased: 4' "the old answers erased"
is "$(counts)" "1 5 3" "what is younger is kept"
is "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE
    clicked_at < UTC_TIMESTAMP() - INTERVAL 395 DAY")" 0 "no click older than 395 days"
is "$(hs_sql "SELECT COUNT(*) FROM salts WHERE day = UTC_DATE()")" 1 "today's salt kept"
like "$(adm retention)" 'clicks erased: 0' "run again: nothing left to erase"

done_testing
