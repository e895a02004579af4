-- hearsay 002: campaigns, advocates, events, invite links, clicks and
-- the signups a host application reports.

CREATE TABLE IF NOT EXISTS campaigns (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(64) NOT NULL,
	name		VARCHAR(200) NOT NULL,
	-- Hosts a link of this campaign may send people to, space separated.
	allowed_hosts	VARCHAR(1000) NOT NULL,
	default_dest	VARCHAR(2000) NOT NULL,
	-- Where expired or disabled links go instead.
	fallback_url	VARCHAR(2000) NULL,
	disabled	TINYINT(1) NOT NULL DEFAULT 0,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY campaigns_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS advocates (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	handle		VARCHAR(64) NOT NULL,
	display_name	VARCHAR(200) NOT NULL,
	-- Other names people use for this advocate, one per line.
	aliases		TEXT NULL,
	tier		VARCHAR(32) NOT NULL DEFAULT 'member',
	status		ENUM('active','paused','removed') NOT NULL DEFAULT 'active',
	-- SHA-256 hex of the advocate's lower-cased e-mail, for
	-- self-referral checks; never the address itself.
	email_hash	CHAR(64) NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY advocates_handle (handle)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	slug		VARCHAR(64) NOT NULL,
	name		VARCHAR(200) NOT NULL,
	host_advocate_id BIGINT UNSIGNED NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	venue		VARCHAR(200) NULL,
	starts_at	DATETIME NULL,
	ends_at		DATETIME NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY events_slug (slug),
	KEY events_host (host_advocate_id),
	CONSTRAINT events_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id),
	CONSTRAINT events_host FOREIGN KEY (host_advocate_id)
	    REFERENCES advocates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS links (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- Canonical Crockford base32, upper case, no hyphens.
	code		VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	advocate_id	BIGINT UNSIGNED NULL,
	event_id	BIGINT UNSIGNED NULL,
	channel		VARCHAR(32) NOT NULL DEFAULT 'referral',
	label		VARCHAR(200) NULL,
	destination	VARCHAR(2000) NOT NULL,
	utm_source	VARCHAR(100) NULL,
	utm_medium	VARCHAR(100) NULL,
	utm_campaign	VARCHAR(100) NULL,
	utm_content	VARCHAR(100) NULL,
	utm_term	VARCHAR(100) NULL,
	valid_from	DATETIME NULL,
	valid_until	DATETIME NULL,
	fallback_url	VARCHAR(2000) NULL,
	disabled	TINYINT(1) NOT NULL DEFAULT 0,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY links_code (code),
	KEY links_advocate (advocate_id),
	KEY links_event (event_id),
	CONSTRAINT links_campaign FOREIGN KEY (campaign_id)
	    REFERENCES campaigns (id),
	CONSTRAINT links_advocate FOREIGN KEY (advocate_id)
	    REFERENCES advocates (id),
	CONSTRAINT links_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per visit.  click_id is random, made by the program before it
-- answers, so loading the journal twice cannot count a click twice.
-- No raw IP address and no full user agent, ever.
CREATE TABLE IF NOT EXISTS clicks (
	click_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			    PRIMARY KEY,
	clicked_at	DATETIME(3) NOT NULL,
	link_id		BIGINT UNSIGNED NOT NULL,
	trigger_kind	ENUM('link','qr') NOT NULL DEFAULT 'link',
	-- HMAC of the client network under the day's salt; NULL under
	-- Sec-GPC/DNT.
	client_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
	ua_class	ENUM('desktop','mobile','tablet','bot','other')
			    NOT NULL DEFAULT 'other',
	referer_host	VARCHAR(255) NULL,
	is_bot		TINYINT(1) NOT NULL DEFAULT 0,
	-- Why a click is not counted as human: 'ua:slackbot', 'prefetch'...
	bot_reason	VARCHAR(64) NULL,
	KEY clicks_link_time (link_id, clicked_at),
	KEY clicks_time (clicked_at),
	KEY clicks_client (client_hash, clicked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Signups that the host application reports (API) or that the survey
-- token names.  signup_ref is the application's own opaque reference.
CREATE TABLE IF NOT EXISTS signups (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	signup_ref	VARCHAR(128) NOT NULL,
	signed_up_at	DATETIME(3) NOT NULL,
	campaign_id	BIGINT UNSIGNED NULL,
	-- SHA-256 hex of the lower-cased e-mail, for self-referral checks.
	email_hash	CHAR(64) NULL,
	client_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY signups_ref (signup_ref),
	KEY signups_time (signed_up_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The click ids a signup carried (cookie, parameter, API).
CREATE TABLE IF NOT EXISTS signup_clicks (
	signup_id	BIGINT UNSIGNED NOT NULL,
	click_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	PRIMARY KEY (signup_id, click_id),
	KEY signup_clicks_click (click_id),
	CONSTRAINT signup_clicks_signup FOREIGN KEY (signup_id)
	    REFERENCES signups (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
