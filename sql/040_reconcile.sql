-- hearsay 040: the nightly reconciliation (hearsay-reconcile, issue 6).
--
-- What people said (responses) against what links tracked (clicks), one
-- attribution row per signup, plus the aggregates and the review queue
-- the analysts' report reads.  The result tables (attributions,
-- daily_aggregates, channel_matrix, daily_invites, review_queue) are a
-- pure function of the input tables and mapping_rules: a re-run gives
-- byte-identical rows, so they carry no run id and no NOW().  Run
-- bookkeeping lives apart in reconcile_runs and reconcile_state.
-- Aggregate keys use 0 / 'none' instead of NULL so they can be primary
-- keys.  Definitions of every metric: hearsay-reconcile(8), DEFINITIONS.

-- One row per run, for operators: what ran, over what, how it ended.
CREATE TABLE IF NOT EXISTS reconcile_runs (
	-- Run number, increasing.
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- The lease holder string of the process (host:pid:random).
	holder		VARCHAR(128) NOT NULL,
	-- When the run took the lease and when it ended (UTC); finished_at
	-- stays NULL for a run that was killed.
	started_at	DATETIME(3) NOT NULL,
	finished_at	DATETIME(3) NULL,
	-- incremental (watermark), window (--since/--until) or full.
	mode		ENUM('incremental','window','full') NOT NULL,
	-- The window of signup times asked for (NULL: open ended).
	since		DATETIME(3) NULL,
	until		DATETIME(3) NULL,
	-- 1 for --dry-run (everything computed, nothing kept).
	dry_run		TINYINT(1) NOT NULL DEFAULT 0,
	-- Signups and responses reconciled, and committed chunks.
	row_count	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	chunks		INT UNSIGNED NOT NULL DEFAULT 0,
	-- running, ok, failed; a run found 'running' without its lease
	-- is marked 'abandoned' by the next run.
	status		ENUM('running','ok','failed','abandoned') NOT NULL
			    DEFAULT 'running',
	-- MAX(mapping_rules.id) when the run started: the rule set used.
	rules_version	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	-- Resume point of a window/full run: the last signup id (phase 1)
	-- and response id (phase 2) committed.  A killed run of the same
	-- mode and window is resumed from here.
	cursor_signup	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	cursor_response	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	-- Process exit status (hearsay-reconcile(8), EXIT STATUS).
	exit_code	INT NOT NULL DEFAULT 0,
	KEY reconcile_runs_started (started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Watermarks of the incremental run, moved in the same transaction as
-- the chunk they cover, so a kill never loses or repeats work.
-- Rows: 'signups' (last_id = signups.id), 'responses' (last_id =
-- responses.id), 'rules' (last_id = mapping_rules.id applied),
-- 'clicks' (last_at = latest clicks.clicked_at counted in daily_invites).
CREATE TABLE IF NOT EXISTS reconcile_state (
	-- Which watermark.
	name		VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	-- Highest id fully reconciled (0: none yet).
	last_id		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	-- Latest time fully counted, for time-based watermarks.
	last_at		DATETIME(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Analysts' decisions: "this normalised text means that channel /
-- advocate / event".  Versioned: a new decision for the same (kind,
-- pattern) is a new row with version + 1; the highest version wins, and
-- target_kind 'ignore' withdraws a mapping (the text stays unmapped but
-- leaves the review queue).  The rule set in force is MAX(id); every
-- later run applies it (a run re-reconciles the rows whose text a newer
-- rule covers).  Insert with the pattern copied from
-- review_queue.norm_text, or with hearsay-reconcile map.
CREATE TABLE IF NOT EXISTS mapping_rules (
	-- Rule id; the attribution's rule column says 'rule:<id>'.
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- Revision of the decision for this (kind, pattern), from 1.
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	-- Which free text the rule applies to: the "Other" text, the
	-- referrer name as typed, or the event named in a follow-up.
	kind		ENUM('other_text','referrer_text','event_text') NOT NULL,
	-- The normalised text (NFKC, case folded, accents removed, spaces
	-- collapsed: review_queue.norm_text), compared byte for byte.
	pattern		VARCHAR(500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
			    NOT NULL,
	-- What it maps to: a channel (target_channel), an advocate or an
	-- event (target_id), or nothing ('ignore').
	target_kind	ENUM('channel','advocate','event','ignore') NOT NULL,
	-- advocates.id or events.id; 0 for channel and ignore.
	target_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	-- The channel for target_kind 'channel'; for advocate/event rules
	-- the channel credited ('' means 'referral' / 'event').
	target_channel	VARCHAR(32) NOT NULL DEFAULT '',
	-- Who decided (analyst login or 'cli:<user>').
	created_by	VARCHAR(64) NOT NULL,
	created_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY mapping_rules_pattern (kind, pattern, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per signup (or per answer that names no known signup).
CREATE TABLE IF NOT EXISTS attributions (
	-- The host application's signup reference.  An answer whose
	-- signup_ref has no signups row is keyed by that signup_ref too
	-- (and takes over the signup's row once it arrives); an answer
	-- with no signup_ref at all is keyed 'response:<responses.id>'.
	signup_ref	VARCHAR(128) NOT NULL PRIMARY KEY,
	-- signups.id, NULL when only an answer exists.
	signup_id	BIGINT UNSIGNED NULL,
	-- responses.id of the answer used (the latest), NULL if none.
	response_id	BIGINT UNSIGNED NULL,
	-- UTC day of the signup (of the answer when there is no signup):
	-- the day the row is counted on in daily_aggregates.
	day		DATE NOT NULL,
	-- agree: tracked and reported name the same source; disagree:
	-- both exist and differ; tracked_only; reported_only;
	-- unattributed: neither (incl. "don't remember").  See DEFINITIONS.
	class		ENUM('agree','disagree','tracked_only','reported_only',
			    'unattributed') NOT NULL,
	-- Last human click carried by the signup inside the attribution
	-- window (last touch), and the first such click (first touch).
	tracked_click_id CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	first_click_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	-- When the last-touch click happened.
	tracked_at	DATETIME(3) NULL,
	-- The last-touch click's link and what the link stands for
	-- (links.channel/advocate_id/event_id/campaign_id); NULL when not
	-- tracked.
	tracked_link_id	BIGINT UNSIGNED NULL,
	tracked_channel	VARCHAR(32) NULL,
	tracked_advocate_id BIGINT UNSIGNED NULL,
	tracked_event_id BIGINT UNSIGNED NULL,
	tracked_campaign_id BIGINT UNSIGNED NULL,
	-- The chosen option key(s) as stored in responses.options.
	reported_option	VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin
			    NULL,
	-- What the answer says: the option's channel (or the channel a
	-- rule gave the "Other" text), the advocate named or matched, the
	-- event named, the link of a typed code.  NULL when not said.
	-- Channels on both sides are canonical: the survey's 'friend' is
	-- stored as 'referral', the links' word for the same thing.
	reported_channel VARCHAR(32) NULL,
	reported_advocate_id BIGINT UNSIGNED NULL,
	reported_event_id BIGINT UNSIGNED NULL,
	reported_link_id BIGINT UNSIGNED NULL,
	-- The credited source, used as aggregate key: the tracked one when
	-- there is a tracked click, else the reported one; 'none' / 0
	-- when neither.
	channel		VARCHAR(32) NOT NULL,
	advocate_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	event_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	campaign_id	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	-- How the reported side was resolved: option, code, handle, alias,
	-- name, first_initial, first_name, fuzzy, phonetic, event,
	-- rule:<id> (an analyst's mapping), ignore:<id> (an analyst said
	-- the text maps to nothing), unmatched (free text nobody resolved
	-- yet), none (nothing reported).
	rule		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	-- Confidence of the reported match, 0.000-1.000 (1 for exact).
	confidence	DECIMAL(4,3) NOT NULL,
	-- Reasons to keep the row out of rewards until reviewed:
	-- self_referral (e-mail hash or client hash equal to the
	-- advocate's), velocity (too many signups/answers from one client
	-- hash), bot_click (the carried clicks were bots only),
	-- shared_client (the click came from a client hash shared by many
	-- signups, e.g. venue Wi-Fi).
	risk_flags	SET('self_referral','velocity','bot_click',
			    'shared_client') NOT NULL DEFAULT '',
	-- Set by an analyst (report); a re-run keeps it.
	reviewed	TINYINT(1) NOT NULL DEFAULT 0,
	-- The answer's free text (referrer name, "Other" text or event
	-- named; one per row, in that order of preference): its kind,
	-- normalised form and the raw text as typed; NULL when none.
	-- Rows whose rule is unmatched, rule:<id> or ignore:<id> feed the
	-- review queue (texts no built-in matcher resolved).
	free_kind	ENUM('other_text','referrer_text','event_text') NULL,
	free_text	VARCHAR(500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
			    NULL,
	free_raw	VARCHAR(500) NULL,
	-- The latest input time the row depends on (signup, answer or
	-- click time) -- never NOW(), so re-runs are byte-identical.
	computed_at	DATETIME(3) NOT NULL,
	KEY attributions_day (day),
	KEY attributions_class (class, day),
	KEY attributions_free (free_kind, free_text),
	KEY attributions_signup (signup_id),
	KEY attributions_tracked_adv (tracked_advocate_id),
	KEY attributions_reported_adv (reported_advocate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Free texts that matched nothing, grouped by normalised text, for an
-- analyst to decide.  Rebuilt from attributions for every text a run
-- touches; resolved_rule_id is set once a rule covers the text.
CREATE TABLE IF NOT EXISTS review_queue (
	-- Which kind of text (same values as mapping_rules.kind).
	kind		ENUM('other_text','referrer_text','event_text') NOT NULL,
	-- The normalised text: the pattern a rule for it must carry.
	norm_text	VARCHAR(500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
			    NOT NULL,
	-- One raw text as typed: the first signup_ref's, for determinism
	-- (sql/225; the smallest raw text before).
	sample_text	VARCHAR(500) NOT NULL,
	-- Attributions carrying this text.
	n		INT UNSIGNED NOT NULL,
	-- Earliest and latest day among them.
	first_seen	DATE NOT NULL,
	last_seen	DATE NOT NULL,
	-- The mapping_rules.id applied to it, 0 while unresolved.
	resolved_rule_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, norm_text),
	KEY review_queue_open (resolved_rule_id, n)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Counts per UTC day and credited source (attributions.channel,
-- advocate_id, event_id, campaign_id; 'none'/0 when none).
CREATE TABLE IF NOT EXISTS daily_aggregates (
	day		DATE NOT NULL,
	channel		VARCHAR(32) NOT NULL,
	advocate_id	BIGINT UNSIGNED NOT NULL,
	event_id	BIGINT UNSIGNED NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	-- Attribution rows (signups, or answers without a signup).
	signups		INT UNSIGNED NOT NULL,
	-- Rows with a tracked click / with a reported source / with both.
	tracked		INT UNSIGNED NOT NULL,
	reported	INT UNSIGNED NOT NULL,
	both_sides	INT UNSIGNED NOT NULL,
	-- Rows per class (the five add up to signups).
	agree		INT UNSIGNED NOT NULL,
	disagree	INT UNSIGNED NOT NULL,
	tracked_only	INT UNSIGNED NOT NULL,
	reported_only	INT UNSIGNED NOT NULL,
	unattributed	INT UNSIGNED NOT NULL,
	-- Rows whose tracked / reported channel is a referral channel
	-- (referral, community, event), and rows where either is: the
	-- numerators of the referral share (tracked, reported, union).
	referral_tracked INT UNSIGNED NOT NULL,
	referral_reported INT UNSIGNED NOT NULL,
	referral_any	INT UNSIGNED NOT NULL,
	-- Rows that had free text, and those of them that were mapped
	-- (built-in matcher or rule): for the mappable rate.
	free_text	INT UNSIGNED NOT NULL,
	free_mapped	INT UNSIGNED NOT NULL,
	-- Rows with any risk flag, and those reviewed.
	flagged		INT UNSIGNED NOT NULL,
	reviewed	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, channel, advocate_id, event_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The channel agreement matrix per day, for agreement rate, Cohen's
-- kappa and PABAK: rows with both sides count in cells with two real
-- channels; 'none' marks a missing side (kept so the report can show
-- coverage from the same table).
CREATE TABLE IF NOT EXISTS channel_matrix (
	day		DATE NOT NULL,
	-- attributions.tracked_channel, 'none' when not tracked.
	tracked_channel	VARCHAR(32) NOT NULL,
	-- attributions.reported_channel, 'none' when not reported.
	reported_channel VARCHAR(32) NOT NULL,
	-- Attribution rows in the cell.
	n		INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, tracked_channel, reported_channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Invites per day and advocate, from clicks on the advocate's links:
-- the "invites" of the K-factor.
CREATE TABLE IF NOT EXISTS daily_invites (
	day		DATE NOT NULL,
	-- links.advocate_id (0 for links of no advocate).
	advocate_id	BIGINT UNSIGNED NOT NULL,
	campaign_id	BIGINT UNSIGNED NOT NULL,
	-- All clicks, human clicks (is_bot = 0), and human QR scans.
	clicks		INT UNSIGNED NOT NULL,
	human_clicks	INT UNSIGNED NOT NULL,
	qr_clicks	INT UNSIGNED NOT NULL,
	PRIMARY KEY (day, advocate_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The reconciliation reads a signup's answers by signup_ref alone (the
-- unique key starts with survey_id, which it does not know).
ALTER TABLE responses ADD INDEX IF NOT EXISTS responses_ref (signup_ref);

-- Self-referral checks find an advocate's own signups by e-mail hash.
ALTER TABLE signups ADD INDEX IF NOT EXISTS signups_email (email_hash);

-- The incremental look-back asks whether an answer already has its row.
ALTER TABLE attributions ADD INDEX IF NOT EXISTS attributions_response
    (response_id);
