-- hearsay 180: languages of the pages people read, and the host kit's
-- line for strangers (issue 13).
--
-- A language is a tag with a catalogue in po/ ('en', 'de'); the fixed
-- wording of the survey form, its thank-you and error pages, and of an
-- event's poster, slide and cards is shown in it (src/core/i18n.c).  A
-- survey's own texts (question, help, option labels) are written in
-- its lang.  An event without a lang takes its campaign's; the host
-- page is in the campaign's.
ALTER TABLE surveys
	ADD COLUMN IF NOT EXISTS lang VARCHAR(8) CHARACTER SET ascii NOT NULL
	    DEFAULT 'en';
ALTER TABLE campaigns
	ADD COLUMN IF NOT EXISTS lang VARCHAR(8) CHARACTER SET ascii NOT NULL
	    DEFAULT 'en',
	-- The line above an event's code on posters and cards, telling a
	-- stranger what it is; NULL: "Scan to join <campaign name>" in the
	-- event's language.
	ADD COLUMN IF NOT EXISTS join_text VARCHAR(200) NULL;
ALTER TABLE events
	ADD COLUMN IF NOT EXISTS lang VARCHAR(8) CHARACTER SET ascii NULL;

-- The host page counts the signups that said they came from an event.
ALTER TABLE attributions
	ADD INDEX IF NOT EXISTS attributions_reported_event (reported_event_id);
