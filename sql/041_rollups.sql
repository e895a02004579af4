-- hearsay 041: small rollups of the reconciliation's aggregates, so the
-- analysts' overview of a year reads hundreds or thousands of rows, not
-- the hundreds of thousands of daily_aggregates (issue 7: a year of a
-- million signups in under a second).  hearsay-reconcile rebuilds them
-- in the same unit as daily_aggregates and channel_matrix, from those
-- rows (and from attributions for the campaign matrix), so they are a
-- pure function of the input like every result table: no run id, no
-- NOW().  Keys use 0 / 'none' as in 040.

-- daily_aggregates summed per day and campaign: the overview's daily
-- charts, the share and the funnel's totals.
CREATE TABLE IF NOT EXISTS rollup_days (
	day		DATE NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	-- The same measures as daily_aggregates, summed.
	signups		INT UNSIGNED NOT NULL,
	tracked		INT UNSIGNED NOT NULL,
	reported	INT UNSIGNED NOT NULL,
	both_sides	INT UNSIGNED NOT NULL,
	agree		INT UNSIGNED NOT NULL,
	disagree	INT UNSIGNED NOT NULL,
	tracked_only	INT UNSIGNED NOT NULL,
	reported_only	INT UNSIGNED NOT NULL,
	unattributed	INT UNSIGNED NOT NULL,
	referral_tracked INT UNSIGNED NOT NULL,
	referral_reported INT UNSIGNED NOT NULL,
	referral_any	INT UNSIGNED NOT NULL,
	free_text	INT UNSIGNED NOT NULL,
	free_mapped	INT UNSIGNED NOT NULL,
	flagged		INT UNSIGNED NOT NULL,
	reviewed	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- daily_aggregates of advocates (advocate_id <> 0) summed per calendar
-- month, campaign and advocate: the top-advocates table reads whole
-- months of a range here and only the partial months at its ends from
-- daily_aggregates.
CREATE TABLE IF NOT EXISTS rollup_advocate_months (
	-- The first day of the month.
	month		DATE NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	advocate_id	BIGINT UNSIGNED NOT NULL,
	signups		INT UNSIGNED NOT NULL,
	tracked		INT UNSIGNED NOT NULL,
	reported_only	INT UNSIGNED NOT NULL,
	agree		INT UNSIGNED NOT NULL,
	flagged		INT UNSIGNED NOT NULL,
	reviewed	INT UNSIGNED NOT NULL,
	PRIMARY KEY (month, campaign_id, advocate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- channel_matrix per campaign (attributions.campaign_id), for the heatmap
-- of one campaign; channel_matrix stays the all-campaigns matrix.
CREATE TABLE IF NOT EXISTS campaign_matrix (
	day		DATE NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	tracked_channel	VARCHAR(32) NOT NULL,
	reported_channel VARCHAR(32) NOT NULL,
	n		INT UNSIGNED NOT NULL,
	PRIMARY KEY (campaign_id, day, tracked_channel, reported_channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The risk flags of the advocates the overview lists are looked up per
-- advocate; with this index the lookup reads that advocate's index
-- entries of the range and never the rows of the whole range.
ALTER TABLE attributions ADD INDEX IF NOT EXISTS attributions_adv_flags
	(advocate_id, day, campaign_id, risk_flags);
