-- hearsay 095: API keys get a scope (issue 22).  Re-runnable.
--
-- Before, any key could rewrite any signup (signed_up_at, email_hash,
-- click ids) and file verified answers for any reference on any survey.
-- Now a key says what it may do (scopes) and on which surveys
-- (all_surveys, else its rows in api_key_surveys), and a signup records
-- the key whose report wrote its fields, so another key cannot rewrite
-- them.
--
-- Keys made before this migration keep working unchanged: the columns
-- are added with every scope on every survey, which is what they had.
-- Operators replace them with scoped keys (hearsay-admin apikey create
-- --scope, --survey) and revoke the old ones.  New keys get nothing by
-- default: hearsay-admin always says what a key may do.
ALTER TABLE api_keys
	-- read: survey definitions; answers: file answers; signups: report
	-- signups.  read and answers are confined to the key's surveys.
	ADD COLUMN IF NOT EXISTS scopes SET('read', 'answers', 'signups')
	    NOT NULL DEFAULT 'read,answers,signups',
	ADD COLUMN IF NOT EXISTS all_surveys TINYINT(1) NOT NULL DEFAULT 1;
ALTER TABLE api_keys
	ALTER COLUMN scopes SET DEFAULT '',
	ALTER COLUMN all_surveys SET DEFAULT 0;

-- The surveys of a key whose all_surveys is 0.
CREATE TABLE IF NOT EXISTS api_key_surveys (
	api_key_id	BIGINT UNSIGNED NOT NULL,
	survey_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (api_key_id, survey_id),
	CONSTRAINT api_key_surveys_key FOREIGN KEY (api_key_id)
	    REFERENCES api_keys (id) ON DELETE CASCADE,
	CONSTRAINT api_key_surveys_survey FOREIGN KEY (survey_id)
	    REFERENCES surveys (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The key whose signup report first wrote the signup's fields; only it
-- may rewrite them.  NULL while no report did: a row that an answer's
-- signed token (or an API answer) named, or one reported before this
-- migration.  The first report after that claims it.  No foreign key:
-- keys are revoked, never deleted, and a bare nullable column is added
-- to a large signups table instantly.
ALTER TABLE signups
	ADD COLUMN IF NOT EXISTS api_key_id BIGINT UNSIGNED NULL;
