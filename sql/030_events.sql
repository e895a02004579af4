-- hearsay 030: event hosts' capability URLs.
--
-- An event's own link and its extra links (per table, per slide, per
-- sponsor) are rows of links with links.event_id set: the event's own
-- link has label NULL, an extra link carries its label ("Table 3").  No
-- separate table is needed, and the redirect program, the reconciliation
-- and the reports see event links as the links they are.
--
-- A host token is a long random capability (32 bytes, 64 hex characters
-- in the URL /host/<token>/).  Only its SHA-256 is stored, so a copy of
-- the database does not hand out working host pages.  Revoking sets
-- revoked_at; the row stays as a record of who had access when.
CREATE TABLE IF NOT EXISTS host_tokens (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	advocate_id	BIGINT UNSIGNED NOT NULL,
	-- Events the host creates on the page belong to this campaign.
	campaign_id	BIGINT UNSIGNED NOT NULL,
	token_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	revoked_at	DATETIME(3) NULL,
	UNIQUE KEY host_tokens_hash (token_hash),
	KEY host_tokens_advocate (advocate_id),
	CONSTRAINT host_tokens_advocate FOREIGN KEY (advocate_id)
	    REFERENCES advocates (id),
	CONSTRAINT host_tokens_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The host page lists an advocate's events, newest first.
ALTER TABLE events ADD INDEX IF NOT EXISTS events_host_start
    (host_advocate_id, starts_at);
