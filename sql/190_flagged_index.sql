-- hearsay 190: the flagged attributions found by an index (issue 16).
-- The review of flagged referrals (hearsay-report's /admin/flags: its
-- count, its page and its downloads) asks for the flagged rows over
-- every day.  risk_flags is a SET, and MariaDB's range optimiser does
-- not turn risk_flags <> '' (or > 0) into a range of an index on it:
-- EXPLAIN shows a scan of every entry, a million rows a month, for the
-- few hundred flagged.  flagged is that test, kept by the server as the
-- rows change (PERSISTENT; no writer names it), and its index finds
-- them by equality, with day and campaign_id for the page's order and
-- scope.
ALTER TABLE attributions
	ADD COLUMN IF NOT EXISTS flagged TINYINT UNSIGNED
	    AS (risk_flags <> '') PERSISTENT,
	ADD INDEX IF NOT EXISTS attributions_flagged (flagged, day, campaign_id);
