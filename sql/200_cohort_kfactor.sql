-- hearsay 200: the K-factor over time (issue 20).  Re-runnable.
-- hearsay-reconcile's cohort pass (src/reconcile/cohorts.c) rebuilds it
-- with the other cohort tables, in the same transaction; the cohorts
-- page reads only it.  Definitions: hearsay-reconcile(8), COHORTS.
--
-- One row per ended week (from Monday, UTC) or month:
--	signups		signups of the period (signups.signed_up_at);
--	invites		human clicks on advocates' links in the period
--			(daily_invites.human_clicks, advocate_id <> 0:
--			the "invites" of --summary's K-factor);
--	converted	signups of the period credited to an advocate
--			(attributions.advocate_id <> 0, of a signup).
-- The K-factor is invites / signups (invites sent per signup) times
-- converted / invites (conversion of invites): the new signups that
-- the program's invites brought per signup of the period.
CREATE TABLE IF NOT EXISTS cohort_kfactor (
	period		ENUM('week','month') NOT NULL,
	-- First day of the week (Monday) or month.
	start		DATE NOT NULL,
	signups		INT UNSIGNED NOT NULL,
	invites		INT UNSIGNED NOT NULL,
	converted	INT UNSIGNED NOT NULL,
	PRIMARY KEY (period, start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
