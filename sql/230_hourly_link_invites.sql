-- hearsay 230: hourly_invites per link, not per advocate and campaign
-- (issue 15: the 1% night in 1 s).  Re-runnable.
--
-- A run rebuilds the hours of the clicks recorded since the last one.
-- Keyed by advocate and campaign, an hour could only be recounted
-- whole: a night's few hundred clicks replayed late (a journal after an
-- outage, a commit after the run's read) on two old days recounted
-- every click of those days, about 300k at 1M signups, 0.25 s of a
-- 1.2 s night.  Keyed by link, a run recounts only the (hour, link)
-- pairs a late click fell on, and the whole hour only where 64 links
-- or more have new clicks (today's); daily_invites sums a day's
-- hours through links, whose advocate and campaign it takes as they
-- are now, as before.  A link's hour is a pure function of its clicks,
-- so an incremental run and a --full run still leave the same rows.
DROP TABLE IF EXISTS hourly_invites;
CREATE TABLE hourly_invites (
	day		DATE NOT NULL,
	-- HOUR(clicked_at), UTC: 0 to 23.
	hour		TINYINT UNSIGNED NOT NULL,
	link_id		BIGINT UNSIGNED NOT NULL,
	clicks		INT UNSIGNED NOT NULL,
	human_clicks	INT UNSIGNED NOT NULL,
	qr_clicks	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, hour, link_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Filled here from the clicks, so the next run stays incremental (its
-- days' daily_invites are summed from these hours); a --full run would
-- write the same rows.  Hours of history days go at the next run.
-- READ COMMITTED, as hearsay-reconcile reads: under REPEATABLE READ the
-- INSERT ... SELECT locks the clicks it reads, and the redirector's
-- new clicks would wait for the seconds it takes at 5M clicks.
SET @hs_iso = @@SESSION.tx_isolation;
SET SESSION tx_isolation = 'READ-COMMITTED';
INSERT INTO hourly_invites (day, hour, link_id, clicks, human_clicks,
    qr_clicks)
SELECT DATE(clicked_at), HOUR(clicked_at), link_id, COUNT(*),
    SUM(is_bot = 0), SUM(is_bot = 0 AND trigger_kind = 'qr')
FROM clicks GROUP BY 1, 2, 3;
SET SESSION tx_isolation = @hs_iso;

-- The pairs a run reads (the clicks recorded since, with their hour and
-- link) from the index alone, with no lookup of each row by its random
-- click_id.  Replaces clicks_recorded_cover (210); an entry grows by
-- eight bytes.
ALTER TABLE clicks
	ADD INDEX IF NOT EXISTS clicks_recorded_link
	    (recorded_at, clicked_at, trigger_kind, is_bot, link_id),
	DROP INDEX IF EXISTS clicks_recorded_cover;
