-- hearsay 151: cohorts of signups and the program's economics (issue
-- 20).  Re-runnable.  hearsay-reconcile computes the cohort tables from
-- signups, attributions and activity at the end of every run
-- (src/reconcile/cohorts.c); the report only reads them.  Definitions:
-- hearsay-reconcile(8), COHORTS.
--
-- arrival: how the cohort's members came.  tracked: a hearsay link's
-- click is attributed (attributions.tracked_link_id); reported: the
-- answer names a referral (an advocate, or the channel 'referral');
-- agree: both, naming the same source (class 'agree'); referral:
-- tracked or reported; none: neither (and signups not reconciled yet).
-- The first four overlap; referral and none split every cohort.

-- Share of a cohort with the retained kind of activity in period n
-- after signing up (n = 0 is the signup's own first week or month).
-- A cell is written only once period n has ended for the whole cohort.
CREATE TABLE IF NOT EXISTS cohort_retention (
	period		ENUM('week','month') NOT NULL,
	-- First day of the cohort's week (Monday) or month.
	cohort		DATE NOT NULL,
	arrival		ENUM('tracked','reported','agree','referral','none')
			    NOT NULL,
	n		SMALLINT UNSIGNED NOT NULL,
	size		INT UNSIGNED NOT NULL,
	retained	INT UNSIGNED NOT NULL,
	PRIMARY KEY (period, cohort, arrival, n)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Activation and value per signup at a horizon of days after signup,
-- over the members whose horizon has passed (size): activated is how
-- many had the activated kind within it, value the sum of their
-- values within it and value_sq the sum of each member's squared
-- total, for the interval of the mean.
CREATE TABLE IF NOT EXISTS cohort_value (
	period		ENUM('week','month') NOT NULL,
	cohort		DATE NOT NULL,
	arrival		ENUM('tracked','reported','agree','referral','none')
			    NOT NULL,
	horizon		SMALLINT UNSIGNED NOT NULL,
	size		INT UNSIGNED NOT NULL,
	activated	INT UNSIGNED NOT NULL,
	value		DECIMAL(24,4) NOT NULL,
	value_sq	DOUBLE NOT NULL,
	PRIMARY KEY (period, cohort, arrival, horizon)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Rewards and other costs of the program, per campaign and month, in
-- activity_currency (hearsay-admin cost).
CREATE TABLE IF NOT EXISTS program_costs (
	campaign_id	BIGINT UNSIGNED NOT NULL,
	month		DATE NOT NULL,
	rewards		DECIMAL(18,2) NOT NULL DEFAULT 0,
	other		DECIMAL(18,2) NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, month),
	CONSTRAINT program_costs_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- When the cohort tables were last computed, and as of which day.
CREATE TABLE IF NOT EXISTS cohort_runs (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	computed_at	DATETIME(3) NOT NULL,
	as_of		DATE NOT NULL,
	seconds		DOUBLE NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The cohort pass's working tables (src/reconcile/cohorts.c): emptied
-- and filled in its transaction, nobody's data once it commits (the
-- next pass empties them first).  Real tables rather than temporary
-- ones: the pass's statements are prepared when it connects.
CREATE TABLE IF NOT EXISTS cohort_work_members (
	signup_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	at		DATETIME(3) NOT NULL,
	week		DATE NOT NULL,
	month		DATE NOT NULL,
	tracked		TINYINT NOT NULL,
	reported	TINYINT NOT NULL,
	agree		TINYINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE IF NOT EXISTS cohort_work_retained (
	period		TINYINT NOT NULL,
	signup_id	BIGINT UNSIGNED NOT NULL,
	n		INT NOT NULL,
	PRIMARY KEY (period, signup_id, n)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE IF NOT EXISTS cohort_work_value (
	signup_id	BIGINT UNSIGNED NOT NULL,
	horizon		SMALLINT NOT NULL,
	total		DECIMAL(24,4) NOT NULL,
	activated	TINYINT NOT NULL,
	PRIMARY KEY (signup_id, horizon)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
