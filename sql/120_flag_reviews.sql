-- hearsay 120: analysts' decisions on flagged attributions (issue 16).
-- An append-only audit: each accept, reject or undo is one row (who,
-- when, what, why); the newest row of a signup_ref is its state, and an
-- 'undo' row puts it back to undecided.  Keyed by signup_ref, not by the
-- attributions row, so every later reconciliation (a --full one too,
-- which rewrites attributions) leaves the decisions alone.  A flagged
-- referral is reward-eligible only once its newest decision is
-- 'accept'; the report also sets attributions.reviewed, which the next
-- run's aggregates count.
CREATE TABLE IF NOT EXISTS flag_reviews (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	signup_ref	VARCHAR(128) NOT NULL,
	decision	ENUM('accept','reject','undo') NOT NULL,
	-- Why, as the analyst wrote it (required for accept and reject).
	reason		VARCHAR(500) NOT NULL,
	-- users.name of the analyst (kept if the account goes).
	user_name	VARCHAR(64) NOT NULL,
	decided_at	DATETIME(3) NOT NULL,
	KEY flag_reviews_ref (signup_ref, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
