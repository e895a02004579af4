-- hearsay 150: what signups did next (issue 20).  Re-runnable.
--
-- The host application reports activity server to server
-- (POST /api/v1/activity, hearsay-survey(8)) with a key of the new
-- "activity" scope.  One row per reported item.  activity_id is the
-- item's idempotency key: the hex HMAC of "<api key id>:act:<id>"
-- under hmac_key (as answers' submission_id), so two apps never collide
-- and a replayed id stores nothing.
--
-- The row hangs off its signup with ON DELETE CASCADE: "hearsay-admin
-- forget" and "hearsay-admin retention", which delete signups, remove
-- the signup's activity in the same statement, and an activity row can
-- never outlive the signup it describes.
ALTER TABLE api_keys
	MODIFY COLUMN scopes SET('read', 'answers', 'signups', 'activity')
	    NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS activity (
	activity_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			    PRIMARY KEY,
	signup_id	BIGINT UNSIGNED NOT NULL,
	-- One of hearsay.conf's activity_kinds.
	kind		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	-- When it happened (UTC), as the app says.
	at		DATETIME(3) NOT NULL,
	-- Money, in activity_currency; NULL when the item carries none.
	value		DECIMAL(18,4) NULL,
	currency	CHAR(3) CHARACTER SET ascii NULL,
	-- The key that reported it.
	api_key_id	BIGINT UNSIGNED NOT NULL,
	KEY activity_signup (signup_id, kind, at),
	KEY activity_at (at),
	CONSTRAINT activity_signup FOREIGN KEY (signup_id)
	    REFERENCES signups (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
