#!/usr/bin/env bash
# tests/bench/report.sh: the report overview over a year of aggregates
# equivalent to about a million signups (365 days x 5 channels x 200
# advocates in daily_aggregates, plus the channel matrix and the rollups
# of sql/041_rollups.sql derived from them as hearsay-reconcile does),
# against a trivial page of the same program (the login form) measured
# in the same run.  Prints seconds per render (curl's time_total); no assertion (the
# target, under one second per overview, is read by a person: shared
# machines are too noisy for timed checks).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

RUNS=${HS_BENCH_RUNS:-7}

hs_stack_start
report_user bench
hs_sql "INSERT INTO campaigns (id, slug, name, allowed_hosts, default_dest)
	VALUES (1, 'bench', 'Bench', 'example.org', 'https://example.org/');
    INSERT INTO advocates (id, handle, display_name)
	SELECT seq, CONCAT('adv', seq), CONCAT('Advocate ', seq)
	FROM seq_1_to_200;
    INSERT INTO daily_aggregates (day, channel, advocate_id, event_id,
	campaign_id, signups, tracked, reported, both_sides, agree, disagree,
	tracked_only, reported_only, unattributed, referral_tracked,
	referral_reported, referral_any, free_text, free_mapped, flagged,
	reviewed)
	SELECT DATE('2025-01-01') + INTERVAL d.seq DAY,
	    ELT(c.seq, 'referral', 'community', 'event', 'podcast', 'search'),
	    a.seq, 0, 1, 2 + (d.seq + a.seq + c.seq) % 3, 2, 2, 1, 1, 0, 1, 1,
	    (d.seq + a.seq + c.seq) % 3, IF(c.seq <= 3, 2, 0),
	    IF(c.seq <= 3, 2, 0), IF(c.seq <= 3, 3, 0), 1, 1, 0, 0
	FROM seq_0_to_364 d, seq_1_to_5 c, seq_1_to_200 a;
    INSERT INTO channel_matrix (day, tracked_channel, reported_channel, n)
	SELECT DATE('2025-01-01') + INTERVAL d.seq DAY,
	    ELT(t.seq, 'referral', 'community', 'event', 'podcast', 'search',
	    'none'),
	    ELT(r.seq, 'referral', 'community', 'event', 'podcast', 'search',
	    'none'), IF(t.seq = r.seq, 60, 10)
	FROM seq_0_to_364 d, seq_1_to_6 t, seq_1_to_6 r;
    INSERT INTO rollup_days (day, campaign_id, signups, tracked, reported,
	both_sides, agree, disagree, tracked_only, reported_only,
	unattributed, referral_tracked, referral_reported, referral_any,
	free_text, free_mapped, flagged, reviewed)
	SELECT day, campaign_id, SUM(signups), SUM(tracked), SUM(reported),
	SUM(both_sides), SUM(agree), SUM(disagree), SUM(tracked_only),
	SUM(reported_only), SUM(unattributed), SUM(referral_tracked),
	SUM(referral_reported), SUM(referral_any), SUM(free_text),
	SUM(free_mapped), SUM(flagged), SUM(reviewed)
	FROM daily_aggregates GROUP BY day, campaign_id;
    INSERT INTO rollup_advocate_months (month, campaign_id, advocate_id,
	signups, tracked, reported_only, agree, flagged, reviewed)
	SELECT DATE_FORMAT(day, '%Y-%m-01'), campaign_id, advocate_id,
	SUM(signups), SUM(tracked), SUM(reported_only), SUM(agree),
	SUM(flagged), SUM(reviewed) FROM daily_aggregates
	WHERE advocate_id <> 0 GROUP BY 1, 2, 3;
    INSERT INTO campaign_matrix (day, campaign_id, tracked_channel,
	reported_channel, n)
	SELECT day, 1, tracked_channel, reported_channel, n
	FROM channel_matrix;
    ANALYZE TABLE daily_aggregates, channel_matrix, rollup_days,
	rollup_advocate_months, campaign_matrix;" >/dev/null
rows=$(hs_sql "SELECT COUNT(*), SUM(signups) FROM daily_aggregates")
echo "# daily_aggregates rows, signups: $rows"
sid=$(report_login bench)
[[ -n $sid ]] || { fail "bench login"; done_testing; }

# time_of PATH: seconds of each of RUNS requests, then the median.
time_of() {
	local t all=()
	for ((i = 0; i < RUNS; i++)); do
		t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 60 \
		    -H "Cookie: hs_session=$sid" "$HS_URL$1")
		all+=("$t")
	done
	printf '%s ' "${all[@]}"
	printf '| median %s s\n' "$(printf '%s\n' "${all[@]}" | sort -n |
	    sed -n "$(((RUNS + 1) / 2))p")"
}

R='from=2025-01-01&to=2025-12-31'
size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: hs_session=$sid" \
    "$HS_URL/admin/?$R")
echo "# overview page: $size bytes"
echo "trivial page (GET /admin/login):       $(time_of /admin/login)"
echo "overview, 365 days, all campaigns:     $(time_of "/admin/?$R")"
echo "overview, 365 days, campaign 1:        $(time_of "/admin/?$R&campaign=1")"
echo "overview, 30 days:                     $(time_of "/admin/?from=2025-12-02&to=2025-12-31")"
echo "CSV of the daily classes, 365 days:    $(time_of "/admin/?$R&table=classes&format=csv")"
pass "benchmark ran"
done_testing
