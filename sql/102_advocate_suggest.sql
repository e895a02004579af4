-- hearsay 102: an advocate's name is suggested only if they opted in
-- (issue 13).  Re-runnable.
--
-- Before, every survey form carried the names of up to 200 active
-- advocates in its HTML (a <datalist>): anyone with a signup link could
-- harvest the member list, and the alphabetical cut-off left names late
-- in the alphabet, and in other scripts, unsuggested.  Now the form
-- carries no name; hearsay-survey answers a lookup (GET
-- /s/<survey>/suggest?q=) with at most a handful of the names of active
-- advocates who opted in.  Nobody is opted in by this migration: the
-- flag is off until the advocate (or an operator on their word, with
-- hearsay-admin advocate set --suggest on) turns it on.
ALTER TABLE advocates
	ADD COLUMN IF NOT EXISTS suggest TINYINT(1) NOT NULL DEFAULT 0;

-- The lookup reads only opted-in active advocates: the index holds
-- them together, with the name, so a lookup never reads the others.
CREATE INDEX IF NOT EXISTS advocates_suggest
	ON advocates (suggest, status, display_name);
