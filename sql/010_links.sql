-- hearsay 010: what invite links need beyond 002.
-- counters: named running totals that are not rows of their own, such as
-- clicks_unrecorded (redirects whose click could not even be journalled,
-- e.g. on a full disk).  Monitoring reads them; hearsay-link's helper
-- adds to them.
CREATE TABLE IF NOT EXISTS counters (
	name		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			    PRIMARY KEY,
	value		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	updated_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
			    ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

INSERT IGNORE INTO counters (name, value) VALUES ('clicks_unrecorded', 0);

-- Campaign-level and per-link listing in hearsay-admin and the reports.
ALTER TABLE links ADD INDEX IF NOT EXISTS links_campaign_created
    (campaign_id, created_at);
