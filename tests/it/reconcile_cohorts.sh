#!/usr/bin/env bash
# tests/it/reconcile_cohorts.sh: the cohort tables (sql/151, issue 20)
# a run writes equal a direct SQL computation over the raw rows
# (signups, attributions, activity), written another way: retention by
# week and month per arrival, activation and value at 30/90/365 days;
# cells whose period has not ended for the whole cohort are not
# written; a second run gives the same tables.  The pass runs only when
# due (issue 15 §2): an incremental run within cohort_interval_hours of
# the last pass leaves the tables alone, --cohorts and --full rebuild
# them, a dry run never does.  The K-factor per week and month (sql/200)
# equals invites (human clicks on advocates' links, from the clicks
# themselves) and signups credited to an advocate counted straight
# from the raw rows.  The matched comparison's value by week, credited
# channel and arm (sql/202) equals the raw rows' too.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"

hs_stack_start --no-programs
# 600 signups over the last 300 days, at whole seconds; pseudo-random,
# reproducible activity for each: 'active' on some of the 40 weeks after
# signing up (referred ones more often), an 'activated', purchases.
# Their ids 41 apart, so that the pass reads them in thirteen chunks
# of ids (cohorts.c's CO_CHUNK, 2000).
hs_sql "INSERT INTO signups (id, signup_ref, signed_up_at)
    SELECT seq * 41, CONCAT('c-', seq), UTC_DATE() - INTERVAL 300 DAY
        + INTERVAL seq * 43201 SECOND FROM seq_1_to_600"
# Invites: clicks on two advocates' links and on one of nobody's, over
# the same days; every seventh a bot.  The run counts them into
# daily_invites.
hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('spring', 'Spring', 'example.com', 'https://example.com/');
    INSERT INTO advocates (handle, display_name) VALUES ('ana', 'Ana'), ('bo', 'Bo');
    INSERT INTO links (code, campaign_id, advocate_id, destination)
    SELECT CONCAT('KF', a.id), c.id, a.id, 'https://example.com/'
    FROM advocates a JOIN campaigns c;
    INSERT INTO links (code, campaign_id, destination)
    SELECT 'KFX', id, 'https://example.com/' FROM campaigns;
    INSERT INTO clicks (click_id, clicked_at, link_id, is_bot)
    SELECT MD5(CONCAT('k', q.seq)), UTC_DATE() - INTERVAL 300 DAY
        + INTERVAL q.seq * 8641 SECOND,
        (SELECT id FROM links ORDER BY id LIMIT 1 OFFSET 0) + q.seq % 3,
        q.seq % 7 = 0 FROM seq_1_to_3000 q"
rc_run --full
is "$(hs_sql "SELECT COUNT(*) FROM attributions")" 600 "attributed"
is "$(hs_sql "SELECT COUNT(*) FROM cohort_runs")" 1 "--full: the pass ran"
# Arrivals by hand: every third tracked, every fifth reported, both agree.
hs_sql "UPDATE attributions a JOIN signups s ON s.signup_ref = a.signup_ref SET
    a.tracked_link_id = IF(s.id % 3 = 0, 1, NULL),
    a.reported_channel = IF(s.id % 5 = 0, 'referral', a.reported_channel),
    a.class = IF(s.id % 15 = 0, 'agree', a.class),
    a.advocate_id = IF(s.id % 4 = 0, 1 + s.id % 2, 0)"
hs_sql "INSERT INTO activity (activity_id, signup_id, kind, at, value, currency, api_key_id)
    SELECT MD5(CONCAT(s.id, ':', q.seq)), s.id, 'active',
        s.signed_up_at + INTERVAL q.seq * 7 DAY + INTERVAL (s.id * q.seq) % 600000 SECOND,
        NULL, NULL, 1
    FROM signups s JOIN seq_0_to_39 q
    WHERE (s.id * 7 + q.seq * 13) % IF(s.id % 3 = 0 OR s.id % 5 = 0, 3, 5) = 0
      AND s.signed_up_at + INTERVAL q.seq * 7 DAY < UTC_DATE() - INTERVAL 1 DAY;
    INSERT INTO activity (activity_id, signup_id, kind, at, value, currency, api_key_id) SELECT MD5(CONCAT(s.id, ':act')), s.id, 'activated',
        s.signed_up_at + INTERVAL s.id % 40 DAY, NULL, NULL, 1
    FROM signups s WHERE s.id % 2 = 0;
    INSERT INTO activity (activity_id, signup_id, kind, at, value, currency, api_key_id) SELECT MD5(CONCAT(s.id, ':p', q.seq)), s.id, 'purchase',
        s.signed_up_at + INTERVAL q.seq * 29 DAY + INTERVAL 1 HOUR,
        (s.id % 7) * 3.25 + q.seq, 'USD', 1
    FROM signups s JOIN seq_0_to_12 q WHERE (s.id + q.seq) % 4 = 0"
# The last pass an hour ago (under the default 24 h): an incremental
# run is not due one and leaves the tables as they were, the arrivals
# and activity above unread.
hs_sql "UPDATE cohort_runs SET computed_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR"
ran=$(hs_sql "SELECT computed_at FROM cohort_runs")
cosums() { hs_sql "CHECKSUM TABLE cohort_retention, cohort_value" | awk '{ printf "%s ", $2 }'; }
before=$(cosums)
ok rc_run
is "$(hs_sql "SELECT computed_at FROM cohort_runs")" "$ran" "incremental, not due: no pass"
is "$(cosums)" "$before" "incremental, not due: the tables unchanged"
is "$("$RC_BIN" -f "$HS_CONF" -q --cohorts --dry-run >/dev/null 2>&1; echo $?)" 2 \
    "--cohorts --dry-run: usage"
# --cohorts: the pass now, reading the arrivals above.
ok rc_run --cohorts
is "$(hs_sql "SELECT computed_at > '$ran' FROM cohort_runs")" 1 "--cohorts: the pass ran"
isnt "$(cosums)" "$before" "--cohorts: the tables rebuilt"

# The same figures, straight from the raw rows (EXISTS per cell over
# dates, not the pass's temporary tables and period numbers).
MEMBERS="SELECT s.id, s.signed_up_at AS at,
    DATE(s.signed_up_at) - INTERVAL WEEKDAY(s.signed_up_at) DAY AS week,
    DATE_FORMAT(s.signed_up_at, '%Y-%m-01') AS month,
    IF(a.tracked_link_id IS NOT NULL OR a.reported_channel = 'referral'
        OR a.reported_advocate_id IS NOT NULL, 'referral', 'none') AS arr,
    a.tracked_link_id IS NOT NULL AS tracked, a.class = 'agree' AS agree
    FROM signups s JOIN attributions a ON a.signup_ref = s.signup_ref"
direct_week=$(hs_sql "SELECT CONCAT_WS(':', m.week, m.arr, q.seq, COUNT(*),
        SUM(EXISTS (SELECT 1 FROM activity x WHERE x.signup_id = m.id AND x.kind = 'active'
            AND x.at >= m.at + INTERVAL 7 * q.seq DAY
            AND x.at < m.at + INTERVAL 7 * q.seq + 7 DAY AND x.at < UTC_DATE())))
    FROM ($MEMBERS) m JOIN seq_0_to_103 q
    WHERE m.week + INTERVAL 7 * (q.seq + 2) DAY <= UTC_DATE()
    GROUP BY m.week, m.arr, q.seq ORDER BY 1" | LC_ALL=C sort | md5sum)
pass_week=$(hs_sql "SELECT CONCAT_WS(':', cohort, arrival, n, size, retained)
    FROM cohort_retention WHERE period = 'week' AND arrival IN ('referral', 'none')
    ORDER BY 1" | LC_ALL=C sort | md5sum)
is "$pass_week" "$direct_week" "weekly retention = direct SQL"
ok test "$(hs_sql "SELECT COUNT(*) FROM cohort_retention WHERE period = 'week' AND retained > 0")" -gt 100
direct_month=$(hs_sql "SELECT CONCAT_WS(':', m.month, m.arr, q.seq, COUNT(*),
        SUM(EXISTS (SELECT 1 FROM activity x WHERE x.signup_id = m.id AND x.kind = 'active'
            AND x.at >= m.at + INTERVAL q.seq MONTH
            AND x.at < m.at + INTERVAL q.seq + 1 MONTH AND x.at < UTC_DATE())))
    FROM ($MEMBERS) m JOIN seq_0_to_35 q
    WHERE m.month + INTERVAL q.seq + 2 MONTH <= UTC_DATE()
    GROUP BY m.month, m.arr, q.seq ORDER BY 1" | LC_ALL=C sort | md5sum)
pass_month=$(hs_sql "SELECT CONCAT_WS(':', cohort, arrival, n, size, retained)
    FROM cohort_retention WHERE period = 'month' AND arrival IN ('referral', 'none')
    ORDER BY 1" | LC_ALL=C sort | md5sum)
is "$pass_month" "$direct_month" "monthly retention = direct SQL"
# The K-factor, from the raw rows: each ended period's signups, human
# clicks on links of an advocate, signups credited to an advocate.
for per in week month; do
	if [[ $per == week ]]; then
		P() { echo "DATE($1) - INTERVAL WEEKDAY($1) DAY"; }
		len='7 DAY'
	else
		P() { echo "CAST(DATE_FORMAT($1, '%Y-%m-01') AS DATE)"; }
		len='1 MONTH'
	fi
	direct=$(hs_sql "SELECT CONCAT_WS(':', p.s,
	    (SELECT COUNT(*) FROM signups s WHERE s.signed_up_at >= p.s
		AND s.signed_up_at < p.s + INTERVAL $len),
	    (SELECT COUNT(*) FROM clicks k JOIN links l ON l.id = k.link_id
		WHERE l.advocate_id IS NOT NULL AND NOT k.is_bot
		AND k.clicked_at >= p.s AND k.clicked_at < p.s + INTERVAL $len),
	    (SELECT COUNT(*) FROM attributions a JOIN signups s ON s.id = a.signup_id
		WHERE a.advocate_id <> 0 AND s.signed_up_at >= p.s
		AND s.signed_up_at < p.s + INTERVAL $len))
	    FROM (SELECT DISTINCT $(P signed_up_at) AS s FROM signups UNION
		SELECT $(P clicked_at) FROM clicks) p
	    WHERE p.s + INTERVAL $len <= UTC_DATE() ORDER BY 1")
	pass=$(hs_sql "SELECT CONCAT_WS(':', start, signups, invites, converted)
	    FROM cohort_kfactor WHERE period = '$per' ORDER BY 1")
	is "$(md5sum <<<"$pass")" "$(md5sum <<<"$direct")" "K-factor by $per = direct SQL"
	ok test "$(hs_sql "SELECT COUNT(*) FROM cohort_kfactor WHERE period = '$per'
	    AND invites > 0 AND converted > 0")" -gt 3
done
# tracked and agree, subsets: their sizes.
is "$(hs_sql "SELECT CONCAT_WS(':', SUM(IF(arrival = 'tracked', size, 0)),
    SUM(IF(arrival = 'agree', size, 0)))
    FROM cohort_retention WHERE period = 'week' AND n = 0")" \
    "$(hs_sql "SELECT CONCAT_WS(':', SUM(m.tracked), SUM(m.agree)) FROM ($MEMBERS) m
    WHERE m.week + INTERVAL 14 DAY <= UTC_DATE()")" \
    "tracked and agree cohorts' sizes"
direct_value=$(hs_sql "SELECT CONCAT_WS(':', m.week, m.arr, h.h, COUNT(*),
        SUM(EXISTS (SELECT 1 FROM activity x WHERE x.signup_id = m.id AND x.kind = 'activated'
            AND x.at >= m.at AND x.at < m.at + INTERVAL h.h DAY)),
        CAST(COALESCE(SUM((SELECT SUM(x.value) FROM activity x WHERE x.signup_id = m.id
            AND x.at >= m.at AND x.at < m.at + INTERVAL h.h DAY)), 0) AS DECIMAL(24,4)))
    FROM ($MEMBERS) m JOIN (SELECT 30 AS h UNION ALL SELECT 90 UNION ALL SELECT 365) h
    WHERE m.at + INTERVAL h.h DAY <= UTC_DATE()
    GROUP BY m.week, m.arr, h.h ORDER BY 1")
pass_value=$(hs_sql "SELECT CONCAT_WS(':', cohort, arrival, horizon, size, activated,
        CAST(value AS DECIMAL(24,4)))
    FROM cohort_value WHERE period = 'week' AND arrival IN ('referral', 'none') ORDER BY 1")
is "$(LC_ALL=C sort <<<"$pass_value" | md5sum)" "$(LC_ALL=C sort <<<"$direct_value" | md5sum)" \
    "activation and value per week and horizon = direct SQL"
ok test "$(grep -c . <<<"$pass_value")" -gt 40
# The matched comparison's table (sql/202): per week, credited channel
# and arm, and the referred again under their advocate's tier.
hs_sql "UPDATE attributions SET channel = ELT(1 + CRC32(signup_ref) % 3, 'search', 'social', 'referral')"
ok rc_run --cohorts
for split in all tier; do
	direct=$(hs_sql "SELECT CONCAT_WS(':', m.week, m.ch, m.arr = 'referral', h.h, COUNT(*),
	    SUM(EXISTS (SELECT 1 FROM activity x WHERE x.signup_id = m.id AND x.kind = 'activated'
		AND x.at >= m.at AND x.at < m.at + INTERVAL h.h DAY)),
	    CAST(COALESCE(SUM((SELECT SUM(x.value) FROM activity x WHERE x.signup_id = m.id
		AND x.at >= m.at AND x.at < m.at + INTERVAL h.h DAY)), 0) AS DECIMAL(24,4)))
	    FROM (SELECT x.*, a.channel AS ch, COALESCE(d.tier, '') AS tier FROM ($MEMBERS) x
		JOIN attributions a ON a.signup_id = x.id
		LEFT JOIN advocates d ON d.id = a.advocate_id) m
	    JOIN (SELECT 30 AS h UNION ALL SELECT 90 UNION ALL SELECT 365) h
	    WHERE m.at + INTERVAL h.h DAY <= UTC_DATE()
		AND ('$split' = 'all' OR (m.arr = 'referral' AND m.tier <> ''))
	    GROUP BY m.week, m.ch, m.arr, h.h" | LC_ALL=C sort | md5sum)
	pass=$(hs_sql "SELECT CONCAT_WS(':', cohort, channel, referred, horizon, size, activated,
	    CAST(value AS DECIMAL(24,4))) FROM cohort_match WHERE period = 'week'
	    AND split = '$split'" | LC_ALL=C sort | md5sum)
	is "$pass" "$direct" "value by week, channel and arm, split $split = direct SQL"
done
ok test "$(hs_sql "SELECT COUNT(DISTINCT channel) FROM cohort_match WHERE split = 'tier'")" -eq 3
# Costs (hearsay-admin cost): per referred signup and payback months,
# against the same figures from the raw rows.
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
hs_sql "UPDATE attributions SET campaign_id = (SELECT id FROM campaigns WHERE slug = 'spring')
    WHERE tracked_link_id IS NOT NULL"
M=$(hs_sql "SELECT DATE_FORMAT(MAX(day), '%Y-%m') FROM attributions")
ok $ADMIN cost set spring "$M" --rewards 250 --other 50.5
ok $ADMIN cost set spring "$M" --other 49.5
like "$($ADMIN cost set nope "$M" --other 1 2>&1 >/dev/null; echo "exit $?")" \
    'no campaign nope.*exit 1' "an unknown campaign: refused"
is "$($ADMIN cost set spring 2026-13 --other 1 >/dev/null 2>&1; echo $?)" 2 "a bad month: usage"
is "$($ADMIN cost set spring "$M" --rewards -3 >/dev/null 2>&1; echo $?)" 2 "a negative amount: usage"
n=$(hs_sql "SELECT COUNT(*) FROM attributions WHERE tracked_link_id IS NOT NULL
    AND DATE_FORMAT(day, '%Y-%m') = '$M'")
want=$(hs_sql "SELECT CONCAT_WS(' ', 'spring', '$M', '250.00', '49.50', $n,
    ROUND(299.5 / $n, 2), ROUND(299.5 / $n / (SUM(value) / SUM(size)), 1))
    FROM cohort_value WHERE period = 'month' AND arrival = 'referral' AND horizon = 30")
is "$($ADMIN cost list spring | sed -n 2p | tr -s ' ')" "$want" \
    "cost list: per referred signup and payback = direct SQL"
# The last pass 25 hours ago: a dry run still writes nothing; an
# incremental run is due one, and it gives the same tables.
hs_sql "UPDATE cohort_runs SET computed_at = UTC_TIMESTAMP(3) - INTERVAL 25 HOUR"
ran=$(hs_sql "SELECT computed_at FROM cohort_runs")
before=$(cosums)
ok rc_run --dry-run
is "$(hs_sql "SELECT computed_at FROM cohort_runs")" "$ran" "--dry-run, due: no pass"
ok rc_run
is "$(hs_sql "SELECT computed_at > '$ran' FROM cohort_runs")" 1 "incremental, due: the pass ran"
# The referred signups per campaign and month (sql/201) the cohorts
# page divides costs by: the cost list's live count, but of the days
# before the pass's (today's signups wait for the next pass).
is "$(hs_sql "SELECT referred FROM cohort_referred r JOIN campaigns c ON c.id = r.campaign_id
    WHERE c.slug = 'spring' AND r.month = '$M-01'")" \
    "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE tracked_link_id IS NOT NULL
    AND DATE_FORMAT(day, '%Y-%m') = '$M' AND day < UTC_DATE()")" \
    "referred per campaign and month = cost list's, before today"
is "$(hs_sql "SELECT CONCAT_WS(':', COUNT(*), SUM(referred)) FROM cohort_referred")" \
    "$(hs_sql "SELECT CONCAT_WS(':', COUNT(DISTINCT campaign_id, DATE_FORMAT(day, '%Y-%m')), COUNT(*))
    FROM attributions WHERE campaign_id <> 0 AND day < UTC_DATE() AND (tracked_link_id IS NOT NULL
    OR reported_advocate_id IS NOT NULL OR reported_channel = 'referral')")" \
    "referred per campaign and month = direct SQL"
is "$(cosums)" "$before" "a second pass: the same tables"
# --full rebuilds however recent the last pass.
hs_sql "UPDATE cohort_runs SET computed_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR"
ran=$(hs_sql "SELECT computed_at FROM cohort_runs")
ok rc_run --full
is "$(hs_sql "SELECT computed_at > '$ran' FROM cohort_runs")" 1 "--full, not due: the pass ran"


# No half-written pass: a reader sees the last complete pass or the
# new one, each with its cohort_runs row (the page's "as of").  A
# second session holds cohort_runs' row, so the pass stops at its last
# statement (the run's row, in its transaction) with every table
# written but not committed: the tables and the run's row read as
# before.  The pass killed there (SIGKILL) leaves them so; the next
# pass writes the new figures and its row together.
pass_sums() { hs_sums "cohort_retention, cohort_value, cohort_kfactor, cohort_referred,
    cohort_match, cohort_runs"; }
hs_sql "DELETE FROM activity WHERE signup_id % 2 = 0"
old=$(pass_sums)
mkfifo "$HS_TMP/colock.in"
"$HS_STACK" sql --dir "$HS_DIR" <"$HS_TMP/colock.in" >/dev/null &
lockpid=$!
exec 7>"$HS_TMP/colock.in"
echo "BEGIN; SELECT id FROM cohort_runs WHERE id = 1 FOR UPDATE;" >&7
trx() { hs_sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = '$1'"; }
ok wait_for 30 1 "trx RUNNING"
"$RC_BIN" -f "$HS_CONF" -q --cohorts & rcpid=$!
ok wait_for 60 1 "trx 'LOCK WAIT'"
is "$(pass_sums)" "$old" "a pass waiting at its last statement: the old pass and its row"
kill -KILL "$rcpid"
wait "$rcpid" || true
echo "ROLLBACK;" >&7
exec 7>&-
wait "$lockpid" || true
ok wait_for 60 0 "hs_sql 'SELECT COUNT(*) FROM information_schema.innodb_trx'"
is "$(pass_sums)" "$old" "a pass killed before its COMMIT: the old pass and its row"
# The killed run's lease, as if it had expired.
hs_sql "UPDATE leases SET expires_at = NOW(3) - INTERVAL 1 SECOND"
ok rc_run --cohorts
isnt "$(pass_sums)" "$old" "the next pass: the new figures"
is "$(hs_sql "SELECT COUNT(*) FROM cohort_runs WHERE computed_at > UTC_TIMESTAMP(3)
    - INTERVAL 1 MINUTE")" 1 "with their run's row"

done_testing
