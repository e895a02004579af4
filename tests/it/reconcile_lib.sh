# tests/it/reconcile_lib.sh: sourced by the reconcile_*.sh integration
# tests, after lib.sh.  A private stack with no FastCGI programs (the
# reconciliation is a batch job), the generator and the job at hand.

RC_BIN=$top_builddir/src/reconcile/hearsay-reconcile
RC_GEN=$top_builddir/tests/gen/hearsay-gen
# The tables a run writes, all pure functions of the input (sql/040,
# 041, 042 and 160).
RC_ROLLUPS="rollup_days, rollup_advocate_months, campaign_matrix,
    rollup_survey_days, rollup_survey_positions, rollup_event_scans,
    hourly_invites"
RC_RESULTS="attributions, daily_aggregates, channel_matrix, daily_invites,
    review_queue, $RC_ROLLUPS"

rc_run() { "$RC_BIN" -f "$HS_CONF" -q "$@"; }
rc_gen() { "$RC_GEN" -f "$HS_CONF" "$@" >/dev/null; }

# Checksums of the result tables, one line.
rc_sums() { hs_sums "$RC_RESULTS"; }

# Forget every result, as on a fresh copy of the same input data.
rc_reset() {
	hs_sql "DELETE FROM attributions; DELETE FROM daily_aggregates;
	    DELETE FROM channel_matrix; DELETE FROM daily_invites;
	    DELETE FROM review_queue; DELETE FROM reconcile_state;
	    DELETE FROM reconcile_runs; DELETE FROM leases;
	    $(printf 'DELETE FROM %s; ' ${RC_ROLLUPS//,/})"
}
