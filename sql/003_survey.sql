-- hearsay 003: the "How did you hear about us?" survey.  Answers store
-- option keys, never labels, so editing a label keeps old answers
-- meaningful.

CREATE TABLE IF NOT EXISTS surveys (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(64) NOT NULL,
	question	VARCHAR(500) NOT NULL,
	help_text	VARCHAR(1000) NULL,
	multi		TINYINT(1) NOT NULL DEFAULT 0,
	-- 'none', 'all' or 'unpinned' (all but pinned options).
	shuffle		ENUM('none','all','unpinned') NOT NULL DEFAULT 'unpinned',
	ask_code	TINYINT(1) NOT NULL DEFAULT 1,
	allow_unsigned	TINYINT(1) NOT NULL DEFAULT 0,
	-- Where to send the person after answering, else the thank-you page.
	return_url	VARCHAR(2000) NULL,
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY surveys_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS survey_options (
	survey_id	BIGINT UNSIGNED NOT NULL,
	opt_key		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	label		VARCHAR(200) NOT NULL,
	-- friend, community, event, podcast, search, social, newsletter,
	-- ad, other, unknown
	channel		VARCHAR(32) NOT NULL,
	position	INT UNSIGNED NOT NULL,
	pinned		TINYINT(1) NOT NULL DEFAULT 0,
	-- A channel that never ran, to measure noise.
	decoy		TINYINT(1) NOT NULL DEFAULT 0,
	-- 'none', 'text' (e.g. "Which community?"), 'referrer' (advocate
	-- suggestions), 'other' (free text for "Other").
	followup	ENUM('none','text','referrer','other') NOT NULL DEFAULT 'none',
	followup_label	VARCHAR(200) NULL,
	retired		TINYINT(1) NOT NULL DEFAULT 0,
	PRIMARY KEY (survey_id, opt_key),
	CONSTRAINT survey_options_survey FOREIGN KEY (survey_id)
	    REFERENCES surveys (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One per signup and survey.  submission_id is the form token's nonce
-- (or the API's idempotency key): a double submit stores one answer.
CREATE TABLE IF NOT EXISTS responses (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	submission_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	survey_id	BIGINT UNSIGNED NOT NULL,
	signup_ref	VARCHAR(128) NULL,
	verified	TINYINT(1) NOT NULL DEFAULT 0,
	answered_at	DATETIME(3) NOT NULL,
	-- Chosen option keys, space separated, and the order shown.
	options		VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	shown_order	VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	followup_text	VARCHAR(500) NULL,
	other_text	VARCHAR(500) NULL,
	referrer_text	VARCHAR(200) NULL,
	code_text	VARCHAR(64) NULL,
	click_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	consent		TINYINT(1) NOT NULL DEFAULT 0,
	client_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
	velocity_flag	TINYINT(1) NOT NULL DEFAULT 0,
	UNIQUE KEY responses_submission (submission_id),
	UNIQUE KEY responses_signup (survey_id, signup_ref),
	KEY responses_time (answered_at),
	CONSTRAINT responses_survey FOREIGN KEY (survey_id)
	    REFERENCES surveys (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Apps that draw their own form; the key is stored as a SHA-256 hash.
CREATE TABLE IF NOT EXISTS api_keys (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	key_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	webhook_url	VARCHAR(2000) NULL,
	webhook_secret	VARCHAR(128) NULL,
	revoked		TINYINT(1) NOT NULL DEFAULT 0,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY api_keys_hash (key_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
