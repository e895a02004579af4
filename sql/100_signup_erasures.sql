-- hearsay 100: erasure reaches the survey's journal (issue 21).
-- Re-runnable.  "hearsay-admin forget --signup REF" erases what MariaDB
-- holds; an answer given while MariaDB was down may still wait in a
-- survey host's journal (src/survey/store.c), and the journal's loader
-- would store it, and its signup, again.  So forget leaves a tombstone
-- here, in the transaction of its deletes, and the loader skips every
-- journalled answer of an erased reference given at or before the
-- erasure (answered_at <= erased_at).  An answer given after it is a
-- new answer and is stored.
--
-- The reference itself is not kept: ref_hash is the hex HMAC-SHA-256 of
-- it under the secrets file's hmac_key (hs_ref_hash, src/core/crypto.c,
-- with a purpose string of its own), so the table cannot be read back
-- into the references it erased without the key.
--
-- Locking: forget inserts the tombstone first, then deletes; the loader
-- reads the tombstone with a locking read (LOCK IN SHARE MODE) before
-- its INSERT, in its own transaction.  Whichever comes second waits for
-- the other's COMMIT, so either the loader sees the tombstone or forget
-- deletes what the loader stored.  No GET_LOCK, a primary key: it runs
-- on Galera, where those locks hold on one node (see hearsay-admin(8)).
--
-- Retention: the loader refuses a journalled answer older than
-- retention_days (by the day, as "hearsay-admin retention" erases
-- answers), so a tombstone older than that can block nothing any more
-- and "hearsay-admin retention" drops it.

CREATE TABLE IF NOT EXISTS signup_erasures (
	ref_hash	CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
			PRIMARY KEY,
	-- The latest erasure of the reference (forget again moves it on).
	erased_at	DATETIME(3) NOT NULL,
	KEY signup_erasures_at (erased_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
