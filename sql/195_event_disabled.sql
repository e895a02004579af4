-- hearsay 195: an event disabled and re-enabled in the browser (the
-- /admin/manage pages, issue 18).
--
-- Disabling an event sets this and disables every link of the event in
-- the same transaction, so its codes stop redirecting (to the fallback,
-- as any disabled link); re-enabling clears both.  The flag records
-- that it was the event, not one link, that was switched off.
ALTER TABLE events
	ADD COLUMN IF NOT EXISTS disabled TINYINT(1) NOT NULL DEFAULT 0;
