-- hearsay 170: answering twice, a link for a new link, and consent the
-- survey asks for (issue 13).  Re-runnable.
--
-- A person who reopens their survey link sees their answer and, within
-- answer_change_hours of their first answer (hearsay.conf), may change
-- it.  responses keeps one current answer per signup and survey (the
-- unique responses_signup); a change moves the earlier row here, with
-- the id it had, and stores the new one as a new responses row, so an
-- incremental reconciliation finds it past its watermark and uses it.
-- Erasure (forget, retention) erases these rows with the answers.
CREATE TABLE IF NOT EXISTS response_history (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	-- responses.id the answer had while it was current.
	response_id	BIGINT UNSIGNED NOT NULL,
	submission_id	CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	survey_id	BIGINT UNSIGNED NOT NULL,
	signup_ref	VARCHAR(128) NULL,
	verified	TINYINT(1) NOT NULL DEFAULT 0,
	answered_at	DATETIME(3) NOT NULL,
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
	source		ENUM('form','api') NOT NULL DEFAULT 'form',
	-- When the answer that replaced it was stored.
	replaced_at	DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY response_history_signup (survey_id, signup_ref),
	KEY response_history_submission (submission_id),
	KEY response_history_ref (signup_ref),
	KEY response_history_time (answered_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- new_link: where a person whose link expired or is broken gets a new
-- one (an http(s) URL or a mailto: address), shown on that page.
-- consent_text: when set, the form asks for consent with this label,
-- and an answer without it is stored unlinked (hearsay-survey(8)).
ALTER TABLE surveys
	ADD COLUMN IF NOT EXISTS new_link VARCHAR(2000) NULL,
	ADD COLUMN IF NOT EXISTS consent_text VARCHAR(500) NULL;
