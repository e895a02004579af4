-- hearsay 050: the analysts' report (hearsay-report).  Analyst accounts,
-- their sessions and the login attempts that throttle password guessing.
-- Passwords are libsodium crypto_pwhash_str strings (Argon2id); session
-- tokens are stored as SHA-256 hashes, so a copy of this table opens no
-- session.

CREATE TABLE IF NOT EXISTS users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(64) NOT NULL,
	-- crypto_pwhash_str: "$argon2id$v=19$m=...,t=...,p=1$salt$hash".
	pw_hash		VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin
			    NOT NULL,
	-- 'analyst' reads and maps review items; 'admin' is reserved for
	-- later use and has the same rights today.
	role		ENUM('analyst','admin') NOT NULL DEFAULT 'analyst',
	-- NULL: every campaign; else the one campaign this user may see.
	campaign_id	BIGINT UNSIGNED NULL,
	disabled	TINYINT(1) NOT NULL DEFAULT 0,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY users_name (name),
	CONSTRAINT users_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- id is the hex SHA-256 of the 32-byte token in the cookie.  csrf is a
-- per-session random secret; forms carry HMAC(hmac_key, csrf), never the
-- secret itself.
CREATE TABLE IF NOT EXISTS sessions (
	id		CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			    PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	csrf		CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	created_at	DATETIME NOT NULL,
	expires_at	DATETIME NOT NULL,
	last_seen	DATETIME NOT NULL,
	KEY sessions_user (user_id),
	KEY sessions_expires (expires_at),
	CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per failed login.  user_name is the name as typed (so that
-- guessing unknown names is throttled too); client_hash is the HMAC of
-- the client's network prefix, never an address.  Rows older than the
-- throttle window are deleted by the next failure.
CREATE TABLE IF NOT EXISTS login_attempts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_name	VARCHAR(64) NOT NULL,
	client_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	attempted_at	DATETIME NOT NULL,
	KEY login_attempts_user (user_name, attempted_at),
	KEY login_attempts_client (client_hash, attempted_at),
	KEY login_attempts_time (attempted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The overview's events table sums daily_aggregates by event; rows of no
-- event (event_id 0) are most rows, and this index lets the sum skip
-- them instead of scanning the whole date range again.
ALTER TABLE daily_aggregates ADD INDEX IF NOT EXISTS
	daily_aggregates_event (event_id, day);
