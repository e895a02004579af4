-- hearsay 225: the review queue's refresh read from one index (issue 15:
-- the 1% night in a second).  A run recounts every text it wrote of the
-- texts no matcher resolved: at 1M signups, 88 texts carried by 67000
-- attributions, each found through attributions_free (kind, text) and
-- then looked up by its signup_ref for rule and day: 0.3 to 1.2 s of a
-- 3 to 6 s night.  With rule and day in the entry the count, the days
-- and the rule read the index alone, and the sample text (sql/040) is
-- the raw text of the group's first signup_ref, which every entry also
-- holds: one lookup per text, not per row.  Replaces attributions_free
-- (its prefix); an entry grows by the rule and the day.  Re-runnable.
ALTER TABLE attributions
	ADD INDEX IF NOT EXISTS attributions_free_cover
	    (free_kind, free_text, rule, day),
	DROP INDEX IF EXISTS attributions_free;
