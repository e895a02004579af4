#!/bin/bash
# reconcile_stream.sh: hearsay-reconcile run every few minutes beside a
# stream of clicks, signups and answers (issue 15 §2).  Twelve steps of
# five minutes of data, from 23:30 to 00:25 UTC: each brings signups with
# the clicks they carried, QR scans, bot clicks, answers (a referrer
# named, an answer with no signup, a late answer of an earlier step's
# signup) and a click of an older day replayed late from a journal; an
# incremental run follows each step.  Before midnight, just after it and
# at the end, every derived table equals a --full run's over the same
# rows (the checksums).  Then the lease: a run while another holds it
# exits 3 and changes nothing.  Last, a click committed late (recorded
# before the last run's clock) still reaches its hour, and a QR scan
# committed late its day's scan rollup.  The data's
# timestamps are set, nothing waits for a clock.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs

# History, recorded when it happened, reconciled once.
ok rc_gen --signups 600 --clicks-per-signup 3 --seed 31 \
    --start 2026-03-01 --days 9 --backdate
ok rc_run --full
t0=$(date -u -d '2026-03-09 23:30:00' +%s)

# Step k: five minutes of data from t0 + 300k.  Signup refs, click ids
# and submission ids are made from k, so no step repeats another's.
step() {
	local k=$1 at
	at=$(date -u -d "@$((t0 + 300 * k))" '+%F %T')
	hs_sql "
	SET @at = '$at', @k = $k,
	    @sv = (SELECT id FROM surveys WHERE slug = 'welcome');
	-- Six signups, each a minute after the last, and a click each
	-- carried (on an advocate's link, 1 to 50 minutes before it).
	INSERT INTO signups (signup_ref, signed_up_at, campaign_id,
	    client_hash)
	SELECT CONCAT('st', @k, '-', seq), @at + INTERVAL seq MINUTE,
	    (SELECT MIN(id) FROM campaigns), SHA2(CONCAT('c', @k, seq), 256)
	FROM seq_1_to_6;
	INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind,
	    client_hash, is_bot)
	SELECT LPAD(CONCAT('st', @k, 'c', seq), 32, '0'),
	    @at + INTERVAL seq MINUTE - INTERVAL (seq * 9 + 1) MINUTE,
	    l.id, IF(seq = 3, 'qr', 'link'),
	    SHA2(CONCAT('c', @k, seq), 256), 0 FROM seq_1_to_6
	JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) n FROM links
	    WHERE advocate_id IS NOT NULL) l ON l.n = seq + 1;
	INSERT INTO signup_clicks (signup_id, click_id)
	SELECT s.id, LPAD(CONCAT('st', @k, 'c', seq), 32, '0')
	FROM seq_1_to_6 JOIN signups s ON s.signup_ref =
	    CONCAT('st', @k, '-', seq);
	-- Loose clicks: a QR scan of an event link, a bot.
	INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind,
	    is_bot)
	SELECT LPAD(CONCAT('st', @k, 'q'), 32, '0'), @at + INTERVAL 2 MINUTE,
	    (SELECT MIN(id) FROM links WHERE event_id IS NOT NULL), 'qr', 0
	UNION ALL
	SELECT LPAD(CONCAT('st', @k, 'b'), 32, '0'), @at + INTERVAL 3 MINUTE,
	    (SELECT MIN(id) FROM links), 'link', 1;
	-- A click of two days before, replayed late from a journal.
	INSERT INTO clicks (click_id, clicked_at, link_id)
	SELECT LPAD(CONCAT('st', @k, 'j'), 32, '0'), @at - INTERVAL 2 DAY,
	    (SELECT MAX(id) FROM links WHERE advocate_id IS NOT NULL);
	-- Answers: four of the six signups (a referrer named on two), an
	-- answer with no signup, and one late, of the step before's signup.
	INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order, referrer_text, other_text)
	SELECT LPAD(CONCAT('st', @k, 'r', seq), 32, '0'), @sv,
	    CONCAT('st', @k, '-', seq), @at + INTERVAL seq MINUTE +
	    INTERVAL 20 SECOND, IF(seq <= 2, 'friend', IF(seq = 3, 'other',
	    'search')), 'search friend other',
	    IF(seq <= 2, a.display_name, NULL),
	    IF(seq = 3, 'a poster downtown', NULL)
	FROM seq_1_to_4 JOIN (SELECT display_name, ROW_NUMBER() OVER
	    (ORDER BY id) n FROM advocates) a ON a.n = seq + 1;
	INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order)
	VALUES (LPAD(CONCAT('st', @k, 'n'), 32, '0'), @sv, NULL,
	    @at + INTERVAL 4 MINUTE, 'podcast', 'podcast search');
	INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order)
	SELECT LPAD(CONCAT('st', @k, 'l'), 32, '0'), @sv,
	    CONCAT('st', @k - 1, '-', 6), @at + INTERVAL 30 SECOND, 'ad',
	    'ad search' FROM DUAL WHERE @k > 0"
}

# The derived tables after an incremental run, then after a full run over
# the same rows: equal.  The full run leaves the marks where it ended, so
# the stream goes on from there.
same_as_full() {
	local s
	s=$(rc_sums)
	rc_reset
	ok rc_run --full
	is "$(rc_sums)" "$s" "$1: every derived table equals a --full run's"
}

for k in 0 1 2 3 4 5; do
	ok step "$k"
	ok rc_run
done
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref LIKE 'st%'")" \
    36 "before midnight: the 36 streamed signups attributed"
same_as_full "23:55"

# Across midnight: the step of 00:00 and those after it.
for k in 6 7 8; do
	ok step "$k"
	ok rc_run
done
is "$(hs_sql "SELECT COUNT(DISTINCT day) FROM attributions
    WHERE signup_ref LIKE 'st%'")" 2 "the streamed signups fall on two days"
is "$(hs_sql "SELECT SUM(answers) FROM rollup_survey_days
    WHERE day = '2026-03-10'")" 18 "the new day's 18 answers are in its survey rollup"
same_as_full "00:10, after midnight"

for k in 9 10 11; do
	ok step "$k"
	ok rc_run
done
is "$(hs_sql "SELECT class FROM attributions WHERE signup_ref = 'st11-6'")" \
    tracked_only "a signup with no answer yet: tracked only"
ok step 12
ok rc_run
is "$(hs_sql "SELECT reported_channel FROM attributions
    WHERE signup_ref = 'st11-6'")" ad "its late answer reaches it on the next run"
same_as_full "00:30, the end"

# The lease: while another run holds it, a run exits 3 (busy) at once and
# writes nothing; when it is free again the next run catches up.
hs_sql "INSERT INTO leases (name, holder, expires_at) VALUES ('reconcile',
    'other:1:x', NOW(3) + INTERVAL 1 HOUR)"
ok step 13
runs=$(hs_sql "SELECT COUNT(*) FROM reconcile_runs")
st=0
rc_run 2>/dev/null || st=$?
is "$st" 3 "a run while another holds the lease exits 3"
is "$(hs_sql "SELECT COUNT(*) FROM reconcile_runs")" "$runs" \
    "and records no run"
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref LIKE 'st13-%'")" \
    0 "and writes nothing"
is "$(hs_sql "SELECT holder FROM leases WHERE name = 'reconcile'")" \
    other:1:x "the holder keeps its lease"
hs_sql "DELETE FROM leases"
ok rc_run
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref LIKE 'st13-%'")" \
    6 "the lease free, the next run catches up"
same_as_full "after the lease"

# A click committed late: recorded (its recorded_at) before the last
# run's clock but committed after that run read the clicks.  A run reads
# the hours of the clicks recorded since the last run's clock, and a few
# minutes before it only when the print of those minutes' clicks the
# last run stored no longer matches: here it does not, and the click's
# hour (three days before, touched by nothing else) is rebuilt.
ok step 14
ok rc_run
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, recorded_at)
    SELECT LPAD('late-commit', 32, '0'), '2026-03-07 05:10:00',
    (SELECT MAX(id) FROM links WHERE advocate_id IS NOT NULL),
    last_at - INTERVAL 1 SECOND FROM reconcile_state WHERE name = 'invites'"
ok rc_run
is "$(hs_sql "SELECT SUM(clicks) FROM hourly_invites
    WHERE day = '2026-03-07' AND hour = 5")" \
    "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE
    clicked_at >= '2026-03-07 05:00' AND clicked_at < '2026-03-07 06:00'")" \
    "a click committed late is in its hour's invites"
same_as_full "after a click committed late"

# The same for the survey rollups: a QR scan of an event link recorded
# before the last pass's clock but committed after it read the clicks,
# on a day (2026-03-06) nothing else touches (an answer would not do:
# its attribution's day is rebuilt anyway).  The print of the slack
# before the mark the pass stored no longer matches, so the day is
# rebuilt.
ok rc_run
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind,
	is_bot, recorded_at)
    SELECT LPAD('late-scan', 32, '0'), '2026-03-06 05:20:00',
    (SELECT MIN(id) FROM links WHERE event_id IS NOT NULL), 'qr', 0,
    last_at - INTERVAL 1 SECOND FROM reconcile_state
    WHERE name = 'survey_rollups'"
ok rc_run
is "$(hs_sql "SELECT COALESCE(SUM(scans), 0) FROM rollup_event_scans
    WHERE day = '2026-03-06'")" \
    "$(hs_sql "SELECT COUNT(*) FROM clicks c JOIN links l ON l.id = c.link_id
    WHERE l.event_id IS NOT NULL AND c.trigger_kind = 'qr' AND
    c.is_bot = 0 AND c.clicked_at >= '2026-03-06' AND
    c.clicked_at < '2026-03-07'")" \
    "a QR scan committed late is in its day's scan rollup"
same_as_full "after a QR scan committed late"

# Invites by link (sql/230): a run recounts an hour whole where 64
# links or more have new clicks, and otherwise only the links that do.
# Here 70 new links click in one hour (recounted whole), and an old hour
# that holds three links' clicks gets one late click of a fourth (a
# pair): each hour keeps every link's clicks, and the run equals a
# --full run.
ok rc_run
old=$(hs_sql "SELECT DATE_FORMAT(clicked_at, '%Y-%m-%d %H:00:00') h FROM clicks
    WHERE clicked_at < '2026-03-06' GROUP BY h
    HAVING COUNT(DISTINCT link_id) >= 3 ORDER BY h LIMIT 1")
hs_sql "INSERT INTO links (code, campaign_id, destination)
    SELECT CONCAT('WHOLE', seq), (SELECT MIN(id) FROM campaigns),
    'https://example.com/' FROM seq_1_to_70;
INSERT INTO clicks (click_id, clicked_at, link_id)
    SELECT LPAD(CONCAT('whole', id), 32, '0'), '2026-03-07 09:30:00', id
    FROM links WHERE code LIKE 'WHOLE%';
INSERT INTO clicks (click_id, clicked_at, link_id)
    SELECT LPAD('late-pair', 32, '0'), '$old' + INTERVAL 30 MINUTE, MAX(id)
    FROM links WHERE code LIKE 'WHOLE%'"
ok rc_run
for h in '2026-03-07 09:00:00' "$old"; do
	is "$(hs_sql "SELECT COALESCE(SUM(clicks), 0) FROM hourly_invites
	    WHERE day + INTERVAL hour HOUR = '$h'")" \
	    "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE clicked_at >= '$h'
	    AND clicked_at < '$h' + INTERVAL 1 HOUR")" \
	    "the hour of $h: every link's clicks in its invites"
done
same_as_full "after an hour of many links and a late click's link"

# An upgrade (sql/230): the migration that keys hourly_invites by link
# fills it from the clicks, as a --full run would, so the next run stays
# incremental and sums the days from it.  Run again here over this
# stack's clicks (it is re-runnable), then an incremental run after it.
s=$(rc_sums)
hs_sql "DELETE FROM schema_migrations WHERE version = 230;
    DROP TABLE hourly_invites"
ok "$top_builddir/src/admin/hearsay-admin" -f "$HS_CONF" migrate
is "$(rc_sums)" "$s" "sql/230 run over the clicks: hourly_invites as a --full run's"
ok rc_run
same_as_full "an incremental run after sql/230"

done_testing
