-- hearsay 130: the program managed in the browser (hearsay-report's
-- /admin/manage pages, issue 18).
--
-- audit_log: one row per change made on the web: who (the user's name as
-- it was), when, what (an action and the object's slug, handle or code)
-- and the object before and after, as "key: value" lines written by the
-- same SELECT both times.  form_nonce is the random value the form
-- carried: the row is inserted first in the change's transaction, so a
-- form sent twice (a double click, a reload) meets the unique key, waits
-- for the first to commit and changes nothing.
CREATE TABLE IF NOT EXISTS audit_log (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at		DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	user_name	VARCHAR(64) NOT NULL,
	action		VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin
			    NOT NULL,
	object		VARCHAR(200) NOT NULL,
	before_text	TEXT NULL,
	after_text	TEXT NULL,
	form_nonce	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	UNIQUE KEY audit_log_nonce (form_nonce),
	KEY audit_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- links_version: moved on by every change to links or campaigns (the web
-- pages and hearsay-admin alike).  hearsay-link's helper reads this one
-- primary-key row each round and writes a new snapshot when it moved, so
-- a new or changed link redirects at once instead of after
-- link_cache_secs.  Redirects themselves never read it.
INSERT IGNORE INTO counters (name, value) VALUES ('links_version', 0);
