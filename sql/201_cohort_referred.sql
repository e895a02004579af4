-- hearsay 201: the referred signups of each campaign and month, for the
-- program's economics on the cohorts page (issue 20).  Re-runnable.
-- hearsay-reconcile's cohort pass rebuilds it with the other cohort
-- tables: attributions of the campaign (attributions.campaign_id) with
-- a tracked hearsay link, or an answer naming an advocate or the
-- referral channel, by the month of their day -- the count that
-- "hearsay-admin cost list" takes live -- so that the page divides
-- program_costs by it without counting attributions.
CREATE TABLE IF NOT EXISTS cohort_referred (
	campaign_id	BIGINT UNSIGNED NOT NULL,
	-- First day of the month.
	month		DATE NOT NULL,
	referred	INT UNSIGNED NOT NULL,
	PRIMARY KEY (campaign_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
