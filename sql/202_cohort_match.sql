-- hearsay 202: value per signup by signup period, channel and split, for
-- the matched comparison of referred and other signups on the cohorts
-- page (issue 20).  Re-runnable.  hearsay-reconcile's cohort pass
-- rebuilds it with the other cohort tables; definitions:
-- hearsay-reconcile(8), COHORTS.
--
-- The pass's members carry what the comparison matches on and splits
-- by: the credited channel (attributions.channel, 'none' when not
-- reconciled), and the credited campaign (slug), advocate's tier and
-- event (slug) of a referred signup.
ALTER TABLE cohort_work_members
	ADD COLUMN IF NOT EXISTS channel VARCHAR(32) NOT NULL DEFAULT 'none',
	ADD COLUMN IF NOT EXISTS campaign VARCHAR(64) NOT NULL DEFAULT '',
	ADD COLUMN IF NOT EXISTS tier VARCHAR(32) NOT NULL DEFAULT '',
	ADD COLUMN IF NOT EXISTS event VARCHAR(64) NOT NULL DEFAULT '';

-- As cohort_value, for the referred (referred = 1) and the others
-- (referred = 0) of each signup week or month and channel.  split 'all'
-- holds every member; 'campaign', 'tier' and 'event' hold the referred
-- members again under their campaign, advocate's tier or event
-- (split_key), so that the page compares one campaign's, tier's or
-- event's referred signups with all other signups of the same periods
-- and channels.
CREATE TABLE IF NOT EXISTS cohort_match (
	period		ENUM('week','month') NOT NULL,
	cohort		DATE NOT NULL,
	channel		VARCHAR(32) NOT NULL,
	split		ENUM('all','campaign','tier','event') NOT NULL,
	split_key	VARCHAR(64) NOT NULL,
	referred	TINYINT NOT NULL,
	horizon		SMALLINT UNSIGNED NOT NULL,
	size		INT UNSIGNED NOT NULL,
	activated	INT UNSIGNED NOT NULL,
	value		DECIMAL(24,4) NOT NULL,
	value_sq	DOUBLE NOT NULL,
	PRIMARY KEY (period, split, split_key, horizon, cohort, channel,
	    referred)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
