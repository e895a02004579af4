-- hearsay 110: advocates' own pages (issue 17).  Re-runnable.
--
-- An advocate's page is a capability URL, /a/<token>/, served by
-- hearsay-qr.  As for the hosts' pages (030), only the SHA-256 of the
-- token is stored; `hearsay-admin advocate page` makes a new one and
-- revokes the old, whose URL then answers a page saying so.
CREATE TABLE IF NOT EXISTS advocate_tokens (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	advocate_id	BIGINT UNSIGNED NOT NULL,
	token_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	revoked_at	DATETIME(3) NULL,
	UNIQUE KEY advocate_tokens_hash (token_hash),
	KEY advocate_tokens_advocate (advocate_id),
	CONSTRAINT advocate_tokens_advocate FOREIGN KEY (advocate_id)
	    REFERENCES advocates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The advocate's second opt-in (the first is 102's suggest): to be
-- listed, with counts only, on the leaderboard that advocates' pages
-- show when the configuration's leaderboard is on.  Off by default.
ALTER TABLE advocates
	ADD COLUMN IF NOT EXISTS leaderboard TINYINT(1) NOT NULL DEFAULT 0;

-- Texts the program's owner writes for advocates to share, one per
-- campaign and kind (hearsay-admin share set).  {link} and {name} in
-- subject and body stand for the advocate's link and name; the page
-- shows them escaped, never as markup.
CREATE TABLE IF NOT EXISTS share_texts (
	campaign_id	BIGINT UNSIGNED NOT NULL,
	kind		ENUM('email','chat','social') NOT NULL,
	-- The e-mail's subject; NULL for the other kinds.
	subject		VARCHAR(200) NULL,
	body		VARCHAR(2000) NOT NULL,
	updated_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (campaign_id, kind),
	CONSTRAINT share_texts_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
