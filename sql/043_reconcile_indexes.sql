-- hearsay 043: three indexes of clicks widened so that hearsay-reconcile
-- reads them alone, with no lookup of each row by its random click_id
-- (issue 6: a full run over 1M signups and 5M clicks in under two
-- minutes, a night in seconds).  Same number of indexes as before; an
-- entry grows by at most ten bytes.  The session time zone is UTC, as
-- for every hearsay connection, so a DATE is a UTC day.

-- Clicks by time, with what daily_invites and the event scan rollup of
-- 042 count (link, human, QR): a day's clicks are one index range.
-- Replaces clicks_time (clicked_at); every use starts with clicked_at.
ALTER TABLE clicks
	ADD INDEX IF NOT EXISTS clicks_time_cover
	    (clicked_at, link_id, is_bot, trigger_kind),
	DROP INDEX IF EXISTS clicks_time;

-- The same per link, for plans that reach clicks from links (the scan
-- rollup of event links, hearsay-qr's scan count).  Replaces
-- clicks_link_time (link_id, clicked_at).
ALTER TABLE clicks
	ADD INDEX IF NOT EXISTS clicks_link_cover
	    (link_id, clicked_at, is_bot, trigger_kind),
	DROP INDEX IF EXISTS clicks_link_time;

-- The shared-client flag asks, per carried click, whether its client
-- hash made ten human clicks on the click's UTC day (venue Wi-Fi): an
-- equality on (hash, day, human) stops after ten index entries, where a
-- range on clicked_at would read every click of the hash (a venue's run
-- into the tens of thousands).  clicked_day is virtual: nothing is
-- stored in the row, writers are unchanged.  Replaces clicks_client
-- (client_hash, clicked_at), which nothing else reads.
ALTER TABLE clicks
	ADD COLUMN IF NOT EXISTS clicked_day DATE
	    AS (CAST(clicked_at AS DATE)) VIRTUAL,
	ADD INDEX IF NOT EXISTS clicks_client_day
	    (client_hash, clicked_day, is_bot),
	DROP INDEX IF EXISTS clicks_client;
