-- hearsay 042: rollups of the raw rows the overview's survey and event
-- panels counted at request time (issue 7: the overview of a year of a
-- million signups in under a second, from the aggregates).  The funnel,
-- the decoy rate and the position bias scanned every answer of the
-- range, the events' QR scans every click of the range; these tables
-- hold the same counts per day.  hearsay-reconcile rebuilds them
-- (src/reconcile/survey_rollup.c) for the days the rows recorded since
-- its last run fall on, late rows for old days included, and for every
-- day in a full run: a pure function of the raw rows, no run id, no
-- NOW().  Days are UTC days of answered_at / clicked_at.
--
-- Nothing records that a form was shown without being answered, so
-- there is no "shown" count: the funnel stays answers against signups.

-- Answers per day and campaign (the campaign of the answer's signup;
-- 0 for an answer with no signup row or a signup with no campaign, which
-- only the all-campaigns view counts, as before).
CREATE TABLE IF NOT EXISTS rollup_survey_days (
	day		DATE NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	answers		INT UNSIGNED NOT NULL,
	-- Answers that chose at least one decoy option of their survey.
	decoy_answers	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Answers with a chosen option per day, campaign and the 1-based
-- position their first chosen option was shown at (0: not in the shown
-- order, e.g. an API answer without one): the position bias.
CREATE TABLE IF NOT EXISTS rollup_survey_positions (
	day		DATE NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	position	SMALLINT UNSIGNED NOT NULL,
	answers		INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, campaign_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Human (is_bot = 0) QR scans per day of the links of each event.  The
-- overview looks up the listed events one by one: event_id first.
CREATE TABLE IF NOT EXISTS rollup_event_scans (
	event_id	BIGINT UNSIGNED NOT NULL,
	day		DATE NOT NULL,
	scans		INT UNSIGNED NOT NULL,
	PRIMARY KEY (event_id, day),
	KEY rollup_event_scans_day (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- When a row was written, by the database's clock (UTC sessions), not
-- when it happened: a click replayed from a journal after an outage, or
-- an answer loaded late, carries an old clicked_at / answered_at but a
-- new recorded_at, so an incremental run finds the old days it changes
-- through these indexes without scanning the tables.  Every writer
-- names its columns, so the defaults fill them.  signups already have
-- created_at; a new signup can move its earlier answer to a campaign.
ALTER TABLE clicks
	ADD COLUMN IF NOT EXISTS recorded_at DATETIME(3) NOT NULL
	    DEFAULT CURRENT_TIMESTAMP(3),
	ADD INDEX IF NOT EXISTS clicks_recorded (recorded_at);
ALTER TABLE responses
	ADD COLUMN IF NOT EXISTS recorded_at DATETIME(3) NOT NULL
	    DEFAULT CURRENT_TIMESTAMP(3),
	ADD INDEX IF NOT EXISTS responses_recorded (recorded_at);
ALTER TABLE signups ADD INDEX IF NOT EXISTS signups_created (created_at);
