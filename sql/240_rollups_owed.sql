-- hearsay 240: the survey rollups' owed days apart from the aggregates'
-- (issue 15: the 1% night in 1 s).  Re-runnable.
--
-- Days whose per-day tables a run owes were one range in
-- reconcile_state ('dirty_from' / 'dirty_to'), widened by the run's
-- chunks (the aggregates) and by forget and replaced answers (the
-- aggregates and the survey rollups), cleared at the run's end.  The
-- rollups count raw answers, not attributions, so an incremental run
-- now rebuilds them beside its chunks, and reads its own range
-- ('rollups_from' / 'rollups_to'), which only forget and replaced
-- answers widen: one shared range read before the chunks would have
-- been cleared at the end with days a forget added meanwhile.  A range
-- owed at upgrade is owed to the rollups too (at worst, days rebuilt
-- once more).
INSERT IGNORE INTO reconcile_state (name, last_id, last_at)
SELECT IF(name = 'dirty_from', 'rollups_from', 'rollups_to'), last_id,
    last_at FROM reconcile_state WHERE name IN ('dirty_from', 'dirty_to');
