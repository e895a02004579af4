-- hearsay 160: daily_invites by the hour underneath (issue 15 §2: a
-- reconciliation every few minutes).  Re-runnable.
--
-- A run every five minutes rebuilt the invites of today whole: every
-- click of the day (about 50k at 1M signups a month) for five minutes of
-- new ones.  hourly_invites holds the same counts per UTC hour; a run
-- rebuilds only the hours of the clicks recorded since the last one, and
-- a day's daily_invites rows from its 24 hours' rows.  Like
-- daily_invites it is a pure function of clicks and links (no run id, no
-- NOW()), so an incremental run and a --full run leave the same rows.
-- Hours before the retention horizon are dropped: their days are
-- history, never rebuilt, and daily_invites keeps their counts.
CREATE TABLE IF NOT EXISTS hourly_invites (
	day		DATE NOT NULL,
	-- HOUR(clicked_at), UTC: 0 to 23.
	hour		TINYINT UNSIGNED NOT NULL,
	advocate_id	BIGINT UNSIGNED NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	clicks		INT UNSIGNED NOT NULL,
	human_clicks	INT UNSIGNED NOT NULL,
	qr_clicks	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, hour, advocate_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The next run has no invites mark and rebuilds every day's invites, so
-- the hours of the days before this migration are filled once.
DELETE FROM reconcile_state WHERE name = 'invites';
