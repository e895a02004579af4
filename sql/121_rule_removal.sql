-- hearsay 121: an analyst can withdraw a mapping rule (issue 16).  Rules
-- are versioned (040): a newest version with target_kind 'removed' says
-- the text maps to nothing decided, so the next reconciliation puts it
-- back in the review queue; an undo is one more version, so the history
-- of every decision stays.
ALTER TABLE mapping_rules MODIFY target_kind
	ENUM('channel','advocate','event','ignore','removed') NOT NULL;
