-- hearsay 001: base.  Every table is InnoDB, utf8mb4 and has a primary
-- key, so the schema also runs on a Galera cluster.  Times are UTC
-- (every connection sets time_zone = '+00:00').

-- One row per lease holder (the nightly batch and the journal loaders):
-- a lease row instead of GET_LOCK, which Galera does not replicate.
CREATE TABLE IF NOT EXISTS leases (
	name		VARCHAR(64) NOT NULL PRIMARY KEY,
	holder		VARCHAR(128) NOT NULL,
	expires_at	DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Daily random salts for the pseudonymous client hash.  A salt is
-- deleted after its UTC day (hearsay-admin retention, and the link
-- program itself), which makes the day's hashes unlinkable for good.
CREATE TABLE IF NOT EXISTS salts (
	day		DATE NOT NULL PRIMARY KEY,
	salt		BINARY(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
