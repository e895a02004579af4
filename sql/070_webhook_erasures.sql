-- hearsay 070: erasure notices for webhooks (issue 4, privacy).
-- Re-runnable.  "hearsay-admin forget" erases a signup's answers; the
-- webhooks pushed them to receivers before, so each erased answer gets
-- a notice here, in forget's own transaction, for the sender to push
-- as an "answer.erased" request.  Nothing personal: ids and a time.
--
-- Notices are sent in id order above each webhook's erasure_watermark.
-- Only notices older than the sender's settle time (5 minutes) are
-- sent: a forget commits within it, so by then no notice with a lower
-- id can still appear and the watermark never passes one.
-- Rows are kept (a few ids per erased answer); nothing prunes them.

CREATE TABLE IF NOT EXISTS webhook_erasures (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- No foreign keys: the answer is gone, and the survey may go.
	response_id	BIGINT UNSIGNED NOT NULL,
	survey_id	BIGINT UNSIGNED NOT NULL,
	erased_at	DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Every notice with id <= erasure_watermark was sent (or predates the
-- webhook: "webhook add" starts it at the newest notice).
ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS
	erasure_watermark BIGINT UNSIGNED NOT NULL DEFAULT 0;
