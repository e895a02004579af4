-- hearsay 020: survey additions beyond 003.  Re-runnable.

-- Where an answer came from: the form or the JSON API.
ALTER TABLE responses
	ADD COLUMN IF NOT EXISTS source ENUM('form','api') NOT NULL
	    DEFAULT 'form';

-- The velocity check counts one client hash's answers in the last hour
-- on every submit; without this index it would scan the table.
ALTER TABLE responses
	ADD INDEX IF NOT EXISTS responses_client (client_hash, answered_at);

-- "forget --signup REF" finds a signup's answers in every survey.
ALTER TABLE responses
	ADD INDEX IF NOT EXISTS responses_ref (signup_ref);
