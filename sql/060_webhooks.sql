-- hearsay 060: signed webhooks on new survey answers (issue 4).
-- Re-runnable.  Nothing here touches the answer insert: the sender
-- (hearsay-webhook, every minute) reads answers by id, so
-- the survey's POST path pays nothing for webhooks.
--
-- Delivery is at least once, per webhook, roughly in id order:
--   watermark   every answer with id <= watermark was delivered, or is
--               settled as never to come (rolled back, erased).
--   deliveries  answers above the watermark that were delivered; an
--               answer above it is sent when it is not listed here.
--   horizon     MAX(responses.id) seen at horizon_at.  An AUTO_INCREMENT
--               id is taken when a transaction inserts and becomes
--               visible only at its COMMIT, so a lower id can appear
--               after a higher one (a slow unit, a Galera node applying
--               late).  Once the horizon is older than any transaction
--               lives (the sender's settle time, 5 minutes), every id
--               up to horizon_id is committed or never will be, and the
--               watermark may move up to it; the deliveries below the
--               watermark are then forgotten, which keeps the log small.

CREATE TABLE IF NOT EXISTS webhooks (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	url		VARCHAR(2000) NOT NULL,
	-- The signing secret is HMAC-SHA-256(hmac_key, "hearsay-webhook"
	-- NUL key_nonce), hmac_key being the secrets file's: the database
	-- alone (a dump, the read-only reporting user) cannot sign.
	key_nonce	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	-- Only this survey's answers, or every survey's when NULL.
	survey_id	BIGINT UNSIGNED NULL,
	enabled		TINYINT(1) NOT NULL DEFAULT 1,
	watermark	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	horizon_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	horizon_at	DATETIME(3) NOT NULL,
	-- Failures in a row; the next try waits 1 minute doubling to 6 h.
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at	DATETIME(3) NULL,
	-- A sender claims a webhook for one run (two senders, from a
	-- timer and a hand, never send the same batch at once).
	lease_owner	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	lease_until	DATETIME(3) NULL,
	delivered	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	last_status	SMALLINT NULL,	-- HTTP status, 0 when none came
	last_error	VARCHAR(255) NULL,
	last_attempt_at	DATETIME(3) NULL,
	last_success_at	DATETIME(3) NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT webhooks_survey FOREIGN KEY (survey_id)
	    REFERENCES surveys (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Answers delivered above a webhook's watermark.  No foreign key to
-- responses: erasure (forget, retention) deletes answers freely, and
-- these rows hold nothing but ids.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
	webhook_id	BIGINT UNSIGNED NOT NULL,
	response_id	BIGINT UNSIGNED NOT NULL,
	status		SMALLINT NOT NULL,
	delivered_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (webhook_id, response_id),
	CONSTRAINT webhook_deliveries_webhook FOREIGN KEY (webhook_id)
	    REFERENCES webhooks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
