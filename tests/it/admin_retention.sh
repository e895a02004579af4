#!/usr/bin/env bash
# admin_retention.sh: hearsay-admin retention erases the client-hash
# salts of past days, and the rows about people of days older than
# retention_days (395 by default): answers, signups (with their click
# ids), attributions and the answers they used, and clicks
# attribution_days (30) later than the rest; in chunks; nothing younger.
# The counts stay (tests/it/reconcile_retention.sh).  Failed sign-ins
# (login_attempts) go once out of the report's 15-minute throttle
# window, whatever retention_days says.  forget's erasure tombstones
# (sql/100) go at retention_days: the survey's journal loader refuses
# older answers (tests/it/admin_forget.sh), so they block nothing more;
# so do the manage pages' audit rows (sql/130).  --dry-run only
# counts what it would erase; a mistyped argument erases nothing.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start --no-programs
sed -i 's/^retention_days = .*/retention_days = 395/' "$HS_CONF"	# the default
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
	hs_sql "INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order) SELECT MD5(CONCAT('$1', seq)),
	    $sid, CONCAT('$1', seq), UTC_TIMESTAMP(3) - INTERVAL $3 DAY,
	    'friend', 'friend' FROM seq_1_to_$2"
}
signups() {
	hs_sql "INSERT INTO signups (signup_ref, signed_up_at) SELECT
	    CONCAT('$1', seq), UTC_TIMESTAMP(3) - INTERVAL $3 DAY FROM seq_1_to_$2;
	    INSERT INTO signup_clicks (signup_id, click_id) SELECT id,
	    MD5(signup_ref) FROM signups WHERE signup_ref LIKE '$1%'"
}
# attributions TAG N DAYS: as hearsay-reconcile writes them, each using
# the answer of the same tag and number.
attributions() {
	hs_sql "INSERT INTO attributions (signup_ref, response_id, day, class,
	    channel, rule, confidence, computed_at) SELECT r.signup_ref, r.id,
	    UTC_DATE() - INTERVAL $3 DAY, 'reported_only', 'referral', 'option',
	    1, UTC_TIMESTAMP(3) FROM responses r WHERE r.signup_ref LIKE '$1%'
	    LIMIT $2"
}
clicks old 10005 430	# older than 395 + 30 days
clicks kept 3 420	# kept for the signups of the last 30 kept days
clicks new 2 1
answers old 4 396
answers edge 2 394	# a day inside the 395
answers new 1 0
answers late 1 390	# the answer of a signup of 400 days ago
answers lone 1 397	# no attribution used it
signups old 3 396
signups new 2 10
attributions old 4 396
attributions late 1 400
attributions new 1 0
# failed sign-ins: two past the 15-minute window, one inside it
hs_sql "INSERT INTO login_attempts (user_name, client_hash, attempted_at) VALUES
    ('old1', SHA2('a', 256), UTC_TIMESTAMP() - INTERVAL 2 DAY),
    ('old2', SHA2('b', 256), UTC_TIMESTAMP() - INTERVAL 16 MINUTE),
    ('new1', SHA2('c', 256), UTC_TIMESTAMP() - INTERVAL 5 MINUTE)"
hs_sql "INSERT INTO signup_erasures (ref_hash, erased_at) VALUES
    (SHA2('t-old', 256), UTC_TIMESTAMP(3) - INTERVAL 396 DAY),
    (SHA2('t-new', 256), UTC_TIMESTAMP(3) - INTERVAL 394 DAY)"
hs_sql "DELETE FROM salts"
hs_sql "INSERT INTO salts VALUES (UTC_DATE() - INTERVAL 2 DAY, RANDOM_BYTES(32)),
    (UTC_DATE() - INTERVAL 1 DAY, RANDOM_BYTES(32)), (UTC_DATE(), RANDOM_BYTES(32))"
counts() {
	hs_sql "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM salts),
	    (SELECT COUNT(*) FROM clicks), (SELECT COUNT(*) FROM responses),
	    (SELECT COUNT(*) FROM signups), (SELECT COUNT(*) FROM signup_clicks),
	    (SELECT COUNT(*) FROM attributions),
	    (SELECT COUNT(*) FROM login_attempts),
	    (SELECT COUNT(*) FROM signup_erasures))"
}
before=$(counts)
is "$before" "3 10010 9 5 5 6 3 2" \
    "salts, clicks, answers, signups, their clicks, attributions, failed sign-ins, tombstones"

# Answers people replaced (sql/170): one older than 395 days, one not.
hs_sql "INSERT INTO response_history (response_id, submission_id, survey_id,
    signup_ref, answered_at, options, shown_order) VALUES
    (1, REPEAT('a', 32), $sid, 'hist-old', UTC_TIMESTAMP(3) - INTERVAL 400 DAY,
    'friend', 'friend'), (2, REPEAT('b', 32), $sid, 'hist-new',
    UTC_TIMESTAMP(3) - INTERVAL 10 DAY, 'friend', 'friend')"
# The manage pages' audit trail (sql/130): advocates' names as they were.
hs_sql "INSERT INTO audit_log (at, user_name, action, object, before_text)
    VALUES (UTC_TIMESTAMP(3) - INTERVAL 400 DAY, 'ada', 'advocate.edit',
    'audit-old', 'name: Old Name'), (UTC_TIMESTAMP(3) - INTERVAL 10 DAY, 'ada',
    'advocate.edit', 'audit-new', 'name: New Name')"
out=$(adm retention --dry-run)
like "$out" 'audit rows to erase: 1' "--dry-run: the old audit row"
like "$out" 'replaced answers to erase: 1' "--dry-run: the old replaced answer"
like "$out" 'salts to erase: 2' "--dry-run: the salts of past days"
like "$out" 'clicks to erase: 10005' "--dry-run: the clicks older than 425 days"
like "$out" 'answers they used to erase: 5' \
    "--dry-run: the answers the old attributions used"
like "$out" 'answers to erase: 1' \
    "--dry-run: the other answers older than 395 days (none counted twice)"
like "$out" 'signups to erase: 3' "--dry-run: the old signups"
like "$out" 'attributions to erase: 5' "--dry-run: the old attributions"
like "$out" 'failed sign-ins to erase: 2' "--dry-run: the sign-ins past the window"
like "$out" 'erasure tombstones to erase: 1' "--dry-run: the old tombstone"
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
like "$out" 'answers they used erased: 5' \
    "the answers of the old attributions erased, the late one too"
like "$out" 'answers erased: 1' "the other old answer erased"
like "$out" 'signups erased: 3' "the old signups erased"
like "$out" 'attributions erased: 5' "the old attributions erased"
like "$out" 'failed sign-ins erased: 2' "the sign-ins past the window erased"
like "$out" 'erasure tombstones erased: 1' "the tombstone older than 395 days erased"
like "$out" 'replaced answers erased: 1' "the old replaced answer erased"
like "$out" 'audit rows erased: 1' "the audit row older than 395 days erased"
is "$(hs_sql "SELECT GROUP_CONCAT(object) FROM audit_log")" audit-new \
    "the audit row inside the 395 days kept"
is "$(hs_sql "SELECT GROUP_CONCAT(signup_ref) FROM response_history")" hist-new \
    "the replaced answer inside the 395 days kept"
is "$(counts)" "1 5 3 2 2 1 1 1" "what is younger is kept"
is "$(hs_sql "SELECT ref_hash = SHA2('t-new', 256) FROM signup_erasures")" 1 \
    "the tombstone inside the 395 days kept"
is "$(hs_sql "SELECT user_name FROM login_attempts")" new1 \
    "the sign-in inside the window kept (the throttle still needs it)"
is "$(hs_sql "SELECT GROUP_CONCAT(signup_ref ORDER BY signup_ref) FROM responses")" \
    "edge1,edge2,new1" "the answers kept: inside the 395 days, not the late one"
is "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE click_id IN
    (MD5('kept1'), MD5('kept2'), MD5('kept3'))")" 3 "clicks 420 days old kept"
is "$(hs_sql "SELECT COUNT(*) FROM salts WHERE day = UTC_DATE()")" 1 "today's salt kept"
is "$(hs_sql "SELECT last_id FROM reconcile_state WHERE name = 'review_all'")" 1 \
    "the review queue is owed a rebuild (it holds the erased texts)"
like "$(adm retention)" 'clicks erased: 0' "run again: nothing left to erase"

done_testing
