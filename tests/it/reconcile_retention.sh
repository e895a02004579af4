#!/usr/bin/env bash
# reconcile_retention.sh: hearsay-admin retention erases the rows about
# people (signups, answers, attributions, clicks) of days older than
# retention_days, and the counts made of them stay: a full
# reconciliation afterwards keeps the days before the horizon as
# history, and for every day finds what the nightly run after the
# retention found (clicks stay attribution_days longer, so no signup
# still kept loses a click it carried; an answer goes with the
# attribution that used it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs
KEEP=20		# retention_days, once the days were counted
adm() { "$top_builddir/src/admin/hearsay-admin" -f "$HS_CONF" "$@"; }

# Sixty days counted while they were all recent (the stack's retention
# of 3650 days), then the horizon moves: 20 days.
ok rc_gen --signups 800 --clicks-per-signup 3 --seed 41 \
    --start "$(date -u -d '-60 days' +%F)" --days 60
horizon=$(hs_sql "SELECT UTC_DATE() - INTERVAL $KEEP DAY")
# An answer given after the horizon by someone who signed up before it:
# it goes with the signup's attribution, or a full run would count it
# again on its own day.
hs_sql "INSERT INTO responses (submission_id, survey_id, signup_ref,
    answered_at, options, shown_order)
    SELECT 'after000000000000000000000000001', (SELECT id FROM surveys
    WHERE slug = 'welcome'), s.signup_ref, '$horizon' + INTERVAL 2 HOUR,
    'search', 'search friend' FROM signups s WHERE s.signed_up_at <
    '$horizon' - INTERVAL 1 DAY AND NOT EXISTS (SELECT 1 FROM responses r
    WHERE r.signup_ref = s.signup_ref) ORDER BY s.signed_up_at DESC LIMIT 1"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE submission_id LIKE 'after%'")" 1 \
    "an old signup's answer after the horizon"
ok rc_run --full
sed -i "s/^retention_days = 3650\$/retention_days = $KEEP/" "$HS_CONF"
DAY_TABLES="daily_aggregates channel_matrix campaign_matrix rollup_days
    rollup_survey_days rollup_survey_positions rollup_event_scans
    daily_invites"
# snap OP: every derived table's rows of the days OP the horizon ("<":
# history; ">=": the rest), one digest per table.
snap() {
	local t
	for t in $DAY_TABLES; do
		printf '%s ' "$t $(hs_sql "SELECT * FROM $t WHERE day $1 '$horizon'" |
		    sort | md5sum | cut -c1-12)"
	done
	printf '%s\n' "months $(hs_sql "SELECT * FROM rollup_advocate_months
	    WHERE month $1 DATE_FORMAT('$horizon', '%Y-%m-01')" |
	    sort | md5sum | cut -c1-12)"
}
before=$(hs_sql "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM daily_aggregates
    WHERE day < '$horizon'), (SELECT COUNT(*) FROM rollup_survey_days
    WHERE day < '$horizon'), (SELECT COUNT(*) FROM daily_invites
    WHERE day < '$horizon'))")
diag "rows before the horizon (aggregates, survey days, invites): $before"
is "$(tr ' ' '\n' <<<"$before" | grep -c '^0$' || true)" 0 \
    "counts before the horizon in each kind of table"
history=$(snap "<")

out=$(adm retention)
diag "$(echo "$out" | tr '\n' ';')"
is "$(hs_sql "SELECT CONCAT_WS(' ',
    (SELECT COUNT(*) FROM signups WHERE signed_up_at < '$horizon'),
    (SELECT COUNT(*) FROM responses WHERE answered_at < '$horizon'),
    (SELECT COUNT(*) FROM attributions WHERE day < '$horizon'),
    (SELECT COUNT(*) FROM clicks WHERE clicked_at <
	'$horizon' - INTERVAL 30 DAY))")" "0 0 0 0" \
    "retention erased signups, answers, attributions before the horizon, clicks 30 days before it"
ok test "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE clicked_at < '$horizon'")" -gt 0
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE submission_id LIKE 'after%'")" 0 \
    "the answer after the horizon went with its signup's attribution"
is "$(hs_sql "SELECT last_id FROM reconcile_state WHERE name = 'review_all'")" 1 \
    "the review queue is owed a rebuild"
is "$(snap "<")" "$history" "retention left the counts of those days"

# A late signup of a day before the horizon (an app's backfill): the
# night attributes it, and leaves the counts of its day alone.
hs_sql "INSERT INTO signups (signup_ref, signed_up_at)
    VALUES ('late-history', '$horizon' - INTERVAL 5 DAY + INTERVAL 9 HOUR)"
ok rc_run
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref = 'late-history'")" 1 \
    "the late signup attributed"
is "$(snap "<")" "$history" "the nightly run left the counts before the horizon"
nightly=$(rc_sums)
after=$(snap ">=")
ok rc_run --full
is "$(snap "<")" "$history" "a full run keeps the days before the horizon as history"
is "$(snap ">=")" "$after" "and counts the days after it as the nightly run did"
is "$(rc_sums)" "$nightly" "every result table equal to the nightly run's"

# A signup and its answer deleted outside hearsay-admin forget (by hand,
# or a restore without them): a full run drops that attribution, and
# only that one (finalise.c's drop_orphans, read in windows).
ref=$(hs_sql "SELECT signup_ref FROM attributions WHERE day >= '$horizon'
    AND signup_ref IN (SELECT signup_ref FROM signups)
    ORDER BY signup_ref LIMIT 1")
nattr=$(hs_sql "SELECT COUNT(*) FROM attributions")
hs_sql "DELETE FROM responses WHERE signup_ref = '$ref';
    DELETE FROM signups WHERE signup_ref = '$ref'"
ok rc_run --full
is "$(hs_sql "SELECT CONCAT(COUNT(*), ' ', SUM(signup_ref = '$ref'))
    FROM attributions")" "$((nattr - 1)) 0" \
    "a full run dropped the erased signup's attribution, and no other"
done_testing
