-- hearsay 101: e-mail hashes become keyed (issue 22).  Re-runnable.
--
-- advocates.email_hash and signups.email_hash held the plain SHA-256 of
-- the lower-cased address: anyone with a dump could confirm a guessed
-- address.  They now hold HMAC-SHA-256(hmac_key, "email" NUL sha256hex)
-- (hs_email_key in src/core/crypto.c), which needs the secrets file.
--
-- email_keyed marks the rows whose value is keyed: 1 only where a
-- writer that keys says so (hearsay-survey's signup report,
-- hearsay-admin advocate).  Rows already here, and rows a writer that
-- does not know of keys writes later (a program not yet restarted,
-- hearsay-gen, SQL by hand), get the default 0.  Each such value is
-- exactly the input of the new hash, so hearsay-admin migrate keys every
-- row marked 0 in a C step after the SQL files, a bounded transaction
-- at a time, setting the mark with the value: a run cut short resumes
-- where it stopped, and no row is keyed twice.
ALTER TABLE advocates
	ADD COLUMN IF NOT EXISTS email_keyed TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE signups
	ADD COLUMN IF NOT EXISTS email_keyed TINYINT(1) NOT NULL DEFAULT 0;
