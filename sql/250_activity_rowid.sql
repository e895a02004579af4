-- hearsay 250: activity rows in the order they arrive (issue 20: the
-- activity API against the bare INSERT loop).  Re-runnable.
--
-- activity was clustered on activity_id, the hex HMAC of an item's id:
-- every new row went to a random page of the table's 20M, each a page
-- split in waiting, and each secondary index entry carried those 32
-- bytes.  Keyed on an AUTO_INCREMENT id, as responses are, a new row is
-- appended to the table's last page, and activity_id keeps its
-- uniqueness (a replayed item stores nothing) in an index of its own,
-- 40 bytes an entry.  Nothing reads a row by its id.
--
-- activity_at goes: no query reads activity by time alone (the cohort
-- pass reads each signup's through activity_signup, which the foreign
-- key needs anyway), so it was one more index to write for each item.
ALTER TABLE activity
	ADD COLUMN IF NOT EXISTS id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT
	    FIRST,
	DROP PRIMARY KEY,
	ADD PRIMARY KEY (id),
	ADD UNIQUE KEY IF NOT EXISTS activity_item (activity_id),
	DROP KEY IF EXISTS activity_at;
