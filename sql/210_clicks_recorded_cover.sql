-- hearsay 210: clicks by recorded_at with what an incremental run reads
-- of them (issue 15: a run every few minutes).  The invites' look-back
-- lists the hours of the clicks recorded since the last run (clicked_at)
-- and the survey rollups the days of the human QR scans recorded since
-- (clicked_at, trigger_kind, is_bot); through clicks_recorded (042,
-- recorded_at alone) each such click was a lookup of its row by its
-- random click_id: after a night of 15000 clicks, 0.18 s of a 3 s run
-- at 300k signups.  The prints of the look-back windows need only the
-- click_id every entry holds.  Replaces clicks_recorded; an entry grows
-- by eight bytes.  Re-runnable.
ALTER TABLE clicks
	ADD INDEX IF NOT EXISTS clicks_recorded_cover
	    (recorded_at, clicked_at, trigger_kind, is_bot),
	DROP INDEX IF EXISTS clicks_recorded;
