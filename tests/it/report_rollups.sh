#!/bin/bash
# report_rollups.sh: the rollups the overview reads (sql/041_rollups.sql)
# as hearsay-reconcile writes them equal the sums of the tables they roll
# up -- after a full run, after an incremental night that touches a month
# already rolled up, and after a second full run (byte-identical, like
# every result table).  The rollups of answers, decoy answers, shown
# positions and event QR scans (sql/042_survey_rollups.sql) and the
# invites per day (daily_invites) equal the same counts taken from the
# raw responses and clicks, also after late
# rows for old days (a journal replayed after an outage, a signup that
# arrives after its answer) that the night's attributions do not touch,
# and after an erasure (hearsay-admin forget), which the next
# incremental run puts right as a full run would; and the overview shows what the report's former raw queries counted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"
. "$(dirname "$0")/report_lib.sh"

hs_stack_start

# Each query prints a rollup and the same numbers summed afresh from its
# source, in one order, so equal output means equal tables.
DAYS="SELECT day, campaign_id, signups, tracked, reported, both_sides,
    agree, disagree, tracked_only, reported_only, unattributed,
    referral_tracked, referral_reported, referral_any, free_text,
    free_mapped, flagged, reviewed FROM rollup_days ORDER BY 1, 2"
DAYS_SRC="SELECT day, campaign_id, SUM(signups), SUM(tracked),
    SUM(reported), SUM(both_sides), SUM(agree), SUM(disagree),
    SUM(tracked_only), SUM(reported_only), SUM(unattributed),
    SUM(referral_tracked), SUM(referral_reported), SUM(referral_any),
    SUM(free_text), SUM(free_mapped), SUM(flagged), SUM(reviewed)
    FROM daily_aggregates GROUP BY 1, 2 ORDER BY 1, 2"
ADV="SELECT month, campaign_id, advocate_id, signups, tracked,
    reported_only, agree, flagged, reviewed FROM rollup_advocate_months
    ORDER BY 1, 2, 3"
ADV_SRC="SELECT DATE_FORMAT(day, '%Y-%m-01'), campaign_id, advocate_id,
    SUM(signups), SUM(tracked), SUM(reported_only), SUM(agree),
    SUM(flagged), SUM(reviewed) FROM daily_aggregates
    WHERE advocate_id <> 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
CM="SELECT day, campaign_id, tracked_channel, reported_channel, n
    FROM campaign_matrix ORDER BY 1, 2, 3, 4"
CM_SRC="SELECT day, campaign_id, COALESCE(tracked_channel, 'none') t,
    COALESCE(reported_channel, 'none') r, COUNT(*) FROM attributions
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
MX="SELECT day, tracked_channel, reported_channel, n FROM channel_matrix
    ORDER BY 1, 2, 3"
MX_CM="SELECT day, tracked_channel, reported_channel, SUM(n)
    FROM campaign_matrix GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"

# check WHEN: every rollup against its source.
check() {
	is "$(hs_sql "$DAYS")" "$(hs_sql "$DAYS_SRC")" \
	    "$1: rollup_days = daily_aggregates summed by day and campaign"
	is "$(hs_sql "$ADV")" "$(hs_sql "$ADV_SRC")" \
	    "$1: rollup_advocate_months = daily_aggregates by month"
	is "$(hs_sql "$CM")" "$(hs_sql "$CM_SRC")" \
	    "$1: campaign_matrix = attributions by day, campaign, channels"
	is "$(hs_sql "$MX_CM")" "$(hs_sql "$MX")" \
	    "$1: campaign_matrix over all campaigns = channel_matrix"
	check_raw "$1"
}

# 042 against the raw rows, counted afresh and written differently from
# the reconcile's statements (a decoy by word match, not FIND_IN_SET).
SV="SELECT day, campaign_id, answers, decoy_answers FROM rollup_survey_days
    ORDER BY 1, 2"
SV_SRC="SELECT DATE(r.answered_at) d, COALESCE(s.campaign_id, 0) c,
    COUNT(*), SUM(r.id IN (SELECT r2.id FROM responses r2
    JOIN survey_options o ON o.survey_id = r2.survey_id AND o.decoy = 1
    AND CONCAT(' ', r2.options, ' ') LIKE CONCAT('% ', o.opt_key, ' %')))
    FROM responses r LEFT JOIN signups s ON s.signup_ref = r.signup_ref
    GROUP BY d, c ORDER BY 1, 2"
POS="SELECT day, campaign_id, position, answers
    FROM rollup_survey_positions ORDER BY 1, 2, 3"
POS_SRC="SELECT DATE(r.answered_at) d, COALESCE(s.campaign_id, 0) c,
    FIND_IN_SET(SUBSTRING_INDEX(r.options, ' ', 1),
    REPLACE(r.shown_order, ' ', ',')) p, COUNT(*) FROM responses r
    LEFT JOIN signups s ON s.signup_ref = r.signup_ref
    WHERE r.options <> '' GROUP BY d, c, p ORDER BY 1, 2, 3"
SC="SELECT event_id, day, scans FROM rollup_event_scans ORDER BY 1, 2"
SC_SRC="SELECT l.event_id e, DATE(c.clicked_at) d, COUNT(*) FROM clicks c
    JOIN links l ON l.id = c.link_id WHERE l.event_id IS NOT NULL AND
    c.trigger_kind = 'qr' AND c.is_bot = 0 GROUP BY e, d ORDER BY 1, 2"

INV="SELECT day, advocate_id, campaign_id, clicks, human_clicks, qr_clicks
    FROM daily_invites ORDER BY 1, 2, 3"
INV_SRC="SELECT DATE(c.clicked_at) d, COALESCE(l.advocate_id, 0) a,
    l.campaign_id k, COUNT(*), SUM(c.is_bot = 0), SUM(c.is_bot = 0 AND
    c.trigger_kind = 'qr') FROM clicks c JOIN links l ON l.id = c.link_id
    GROUP BY d, a, k ORDER BY 1, 2, 3"

check_raw() {
	is "$(hs_sql "$SV")" "$(hs_sql "$SV_SRC")" \
	    "$1: rollup_survey_days = answers and decoy answers of responses"
	is "$(hs_sql "$POS")" "$(hs_sql "$POS_SRC")" \
	    "$1: rollup_survey_positions = answers by shown position"
	is "$(hs_sql "$SC")" "$(hs_sql "$SC_SRC")" \
	    "$1: rollup_event_scans = human QR scans of event links"
	is "$(hs_sql "$INV")" "$(hs_sql "$INV_SRC")" \
	    "$1: daily_invites = clicks by day, advocate and campaign"
}

sums() { hs_sql "CHECKSUM TABLE rollup_days, rollup_advocate_months,
    campaign_matrix, rollup_survey_days, rollup_survey_positions,
    rollup_event_scans, daily_invites" | awk '{ printf "%s ", $2 }'; }

ok rc_gen --signups 600 --clicks-per-signup 3 --seed 21 --start 2026-01-20 \
    --days 20
# Two decoys, so the decoy counts are not all zero; an answer whose
# signup has not arrived yet (campaign 0 until it does).
hs_sql "UPDATE survey_options SET decoy = 1
    WHERE opt_key IN ('radio', 'newsletter');
    INSERT INTO responses (submission_id, survey_id, signup_ref,
	answered_at, options, shown_order)
    SELECT 'late00000000000000000000000000a1', id, 'late-signup',
	'2026-01-24 10:00:00', 'radio', 'friend radio other' FROM surveys
    WHERE slug = 'welcome'"
ok rc_run --full
ok test "$(hs_sql "SELECT COUNT(*) FROM rollup_days")" -gt 0
ok test "$(hs_sql "SELECT COUNT(DISTINCT month) FROM rollup_advocate_months")" -ge 2
ok test "$(hs_sql "SELECT SUM(decoy_answers) FROM rollup_survey_days")" -gt 0
ok test "$(hs_sql "SELECT COUNT(DISTINCT position) FROM rollup_survey_positions")" -ge 3
ok test "$(hs_sql "SELECT SUM(scans) FROM rollup_event_scans")" -gt 0
check "full run"

# Late rows for days no attribution of the next night falls on: a QR
# scan of an event replayed from a journal (clicked 2026-01-22, recorded
# now), an answer of 2026-01-23 loaded late, and the signup of the
# answer above, which moves it to campaign 1.  First what is there is
# dated a day before the full run that counted it: else every day would
# be rebuilt anyway, all rows being younger than the look-back for late
# commits (ten minutes), and the test would prove nothing.
hs_sql "UPDATE clicks SET recorded_at = recorded_at - INTERVAL 1 DAY;
    UPDATE responses SET recorded_at = recorded_at - INTERVAL 1 DAY;
    UPDATE signups SET created_at = created_at - INTERVAL 1 DAY"
ev=$(hs_sql "SELECT MIN(id) FROM links WHERE event_id IS NOT NULL")
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind,
	is_bot) VALUES ('late00000000000000000000000000c1',
	'2026-01-22 12:00:00', $ev, 'qr', 0);
    INSERT INTO responses (submission_id, survey_id, answered_at, options,
	shown_order)
    SELECT 'late00000000000000000000000000a2', id, '2026-01-23 10:00:00',
	'newsletter', 'newsletter friend other' FROM surveys
    WHERE slug = 'welcome';
    INSERT INTO signups (signup_ref, signed_up_at, campaign_id)
    VALUES ('late-signup', '2026-01-24 09:59:00', 1)"
ok rc_run
check "incremental run after late rows"

# An incremental night inside February, a month already rolled up: the
# month is rebuilt whole, not replaced by the night's days.
ok rc_gen --signups 80 --seed 22 --start 2026-02-05 --days 1
ok rc_run
check "incremental run"

# Erasure (hearsay-admin forget) of a January signup with an answer and
# an attribution, on days no row recorded since the last pass falls on:
# the next incremental run rebuilds its days, so every derived table is
# what a full run makes of the data without them.  (review_queue is left
# out: forget scrubs a shared text's sample, which a rebuild may pick
# anew; the signup chosen wrote no free text anyway.)
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
gone=$(hs_sql "SELECT a.signup_ref FROM attributions a JOIN responses r
    ON r.signup_ref = a.signup_ref WHERE a.day BETWEEN '2026-01-27' AND
    '2026-02-01' AND DATE(r.answered_at) BETWEEN '2026-01-27' AND
    '2026-02-01' AND a.free_text IS NULL ORDER BY a.signup_ref LIMIT 1")
isnt "$gone" "" "a signup with an answer and an attribution to forget"
like "$($ADMIN forget --signup "$gone")" 'erased: [1-9][0-9]* answers, 1 signups, 1 attributions' \
    "forget --signup $gone"
dirty() { hs_sql "SELECT COUNT(*) FROM reconcile_state WHERE name IN
    ('dirty_from', 'dirty_to', 'rollups_from', 'rollups_to')"; }
is "$(dirty)" 4 "forget leaves its days owed, to the aggregates and the rollups"
ok rc_run
is "$(dirty)" 0 "the run that rebuilt them clears what it read"
check "incremental run after forget"
derived() { hs_sums "attributions, daily_aggregates, channel_matrix,
    daily_invites, $RC_ROLLUPS"; }
s0=$(derived)
ok rc_run --full
is "$(derived)" "$s0" "after forget, an incremental run leaves what a full run makes"

# A forget that commits while a run rebuilds, after the pass read the
# owed days: the pass must not clear the widened range with its own.
# For each range (the aggregates', cleared at the run's end; the survey
# rollups', cleared by their pass beside the phases) a second session
# holds both rows until the pass's clearing statement waits on them,
# then widens the range as forget does.
wait_waiting() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ $(hs_sql "SELECT COUNT(*) FROM information_schema.innodb_trx
		    WHERE trx_state = 'LOCK WAIT'") == 1 ]] && return 0
		sleep 0.1
	done
	return 1
}
for range in "dirty_from dirty_to" "rollups_from rollups_to"; do
	read -r from to <<<"$range"
	hs_sql "INSERT INTO reconcile_state (name, last_id, last_at) VALUES
	    ('$from', 0, '2026-01-20'), ('$to', 0, '2026-01-21')"
	rm -f "$HS_TMP/lock.in"
	mkfifo "$HS_TMP/lock.in"
	"$HS_STACK" sql --dir "$HS_DIR" <"$HS_TMP/lock.in" >/dev/null &
	lockpid=$!
	exec 7>"$HS_TMP/lock.in"
	echo "BEGIN; SELECT name FROM reconcile_state WHERE name IN ('$from',
	    '$to') FOR UPDATE;" >&7
	rc_run & rcpid=$!
	ok wait_waiting "the run waits to clear $from / $to"
	echo "UPDATE reconcile_state SET last_at = '2026-01-10' WHERE
	    name = '$from'; COMMIT;" >&7
	exec 7>&-
	wait "$lockpid" || true
	ok wait "$rcpid"
	is "$(hs_sql "SELECT DATE(last_at) FROM reconcile_state
	    WHERE name = '$from'")" 2026-01-10 \
	    "$from: a range widened while a run rebuilt stays owed"
	ok rc_run
	is "$(dirty)" 0 "the next run rebuilds and clears it"
done
check "incremental run after a forget during a run"

s1=$(sums)
ok rc_run --full
is "$(sums)" "$s1" "a second full run leaves identical rollups"
check "second full run"

# The overview shows what the report's former queries counted from the
# raw rows (their SQL, verbatim but for the bound values), for all
# campaigns and for one, in a range cutting the data short.
report_user rollups
sid=$(report_login rollups)
like "$sid" '^[0-9a-f]{64}$' "signed in"
csv() {
	curl -q -s --max-time 60 -H "Cookie: hs_session=$sid" \
	    "$HS_URL/admin/?$1&format=csv" | tail -n +2 | tr -d '\r'
}
F=2026-01-21 T=2026-02-06
for camp in 0 1; do
	q="from=$F&to=$T&campaign=$camp"
	[[ $camp == 0 ]] && q="from=$F&to=$T"
	W="r.answered_at >= '$F' AND r.answered_at < '$T' + INTERVAL 1 DAY
	    AND ($camp = 0 OR s.campaign_id = $camp)"
	raw=$(hs_sql "SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM
	    survey_options o WHERE o.survey_id = r.survey_id AND o.decoy = 1
	    AND FIND_IN_SET(o.opt_key, REPLACE(r.options, ' ', ',')) > 0)), 0)
	    FROM responses r LEFT JOIN signups s ON
	    s.signup_ref = r.signup_ref WHERE $W" | tr '\t' ,)
	is "$(csv "$q&table=decoy" | cut -d, -f1,2)" "$raw" \
	    "campaign $camp: answers and decoy answers as counted from responses"
	raw=$(hs_sql "SELECT FIND_IN_SET(SUBSTRING_INDEX(r.options, ' ', 1),
	    REPLACE(r.shown_order, ' ', ',')) AS pos, COUNT(*)
	    FROM responses r LEFT JOIN signups s ON
	    s.signup_ref = r.signup_ref WHERE $W AND r.options <> ''
	    GROUP BY pos ORDER BY pos" | tr '\t' ,)
	is "$(csv "$q&table=positions" | cut -d, -f1,2)" "$raw" \
	    "campaign $camp: answers by shown position as counted from responses"
	raw=$(hs_sql "SELECT e.name, (SELECT COUNT(*) FROM links l JOIN clicks c
	    ON c.link_id = l.id WHERE l.event_id = e.id AND
	    c.trigger_kind = 'qr' AND c.is_bot = 0 AND
	    c.clicked_at >= '$F' AND c.clicked_at < '$T' + INTERVAL 1 DAY)
	    FROM events e WHERE $camp = 0 OR e.campaign_id = $camp" |
	    tr '\t' , | LC_ALL=C sort)
	# Event names (no commas) come quoted in the CSV.
	page=$(csv "$q&table=events" | cut -d, -f1,3 | tr -d '"' | LC_ALL=C sort)
	both=$(LC_ALL=C join -t, <(echo "$page") <(echo "$raw"))
	is "$(wc -l <<<"$both")" "$(wc -l <<<"$page")" \
	    "campaign $camp: every listed event found by name"
	is "$(awk -F, '$2 != $3' <<<"$both")" "" \
	    "campaign $camp: each listed event's QR scans as counted from clicks"
	ok test "$(awk -F, '{ n += $2 } END { print n + 0 }' <<<"$page")" -gt 0
done

done_testing
