#!/bin/bash
# report_rollups.sh: the rollups the overview reads (sql/041_rollups.sql)
# as hearsay-reconcile writes them equal the sums of the tables they roll
# up -- after a full run, after an incremental night that touches a month
# already rolled up, and after a second full run (byte-identical, like
# every result table).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reconcile_lib.sh"

hs_stack_start --no-programs

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
}

sums() { hs_sql "CHECKSUM TABLE rollup_days, rollup_advocate_months,
    campaign_matrix" | awk '{ printf "%s ", $2 }'; }

ok rc_gen --signups 600 --clicks-per-signup 3 --seed 21 --start 2026-01-20 \
    --days 20
ok rc_run --full
ok test "$(hs_sql "SELECT COUNT(*) FROM rollup_days")" -gt 0
ok test "$(hs_sql "SELECT COUNT(DISTINCT month) FROM rollup_advocate_months")" -ge 2
check "full run"

# An incremental night inside February, a month already rolled up: the
# month is rebuilt whole, not replaced by the night's days.
ok rc_gen --signups 80 --seed 22 --start 2026-02-05 --days 1
ok rc_run
check "incremental run"

s1=$(sums)
ok rc_run --full
is "$(sums)" "$s1" "a second full run leaves identical rollups"
check "second full run"

done_testing
