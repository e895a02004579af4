/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * sql.c: every statement hearsay-reconcile runs, with `?' for every
 * value (STYLE.md 8).  The statements not written out literally are
 * the multi-row INSERTs of attributions and the review queue's refresh
 * of a list of texts, which rc_stmts_init builds once at start from
 * constant pieces (RC_BATCH, RC_BATCH_MID or RC_BATCH_SMALL copies of
 * the same row of placeholders, RC_RQ_TEXTS of one) -- still constants
 * with no input in them.  Times travel
 * as milliseconds since the epoch (the session is UTC) or as text.
 *
 * Which answer counts for a person (a signup_ref with several answers,
 * on one survey or several): a verified answer -- sent with a signed
 * signup token, or through the API with a key -- before any unverified
 * one, and the latest among equals.  An unverified answer names its
 * signup_ref only because someone typed it or held a form for it, so it
 * must never override what the person's own signed link said.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

/* A DATETIME(3) as milliseconds since the epoch (session time zone UTC). */
#define MS(x)	"CAST(UNIX_TIMESTAMP(" x ") * 1000 AS SIGNED)"

/*
 * Clears a range of owed days (core's HS_SQL_WIDEN) by the names of its
 * ends, when it still is (from, to: ms, 0 for none) what its pass read.
 */
#define DIRTY_CLEAR(from, to)						\
	"DELETE s FROM reconcile_state s JOIN reconcile_state f ON "	\
	"f.name = '" from "' JOIN reconcile_state t ON t.name = '" to	\
	"' WHERE s.name IN ('" from "', '" to "') AND COALESCE("	\
	MS("f.last_at") ", 0) = ? AND COALESCE(" MS("t.last_at") ", 0) = ?"

/* The columns of hourly_invites from clicks, grouped by 1, 2, 3. */
#define HINV_COUNTS "DATE(clicked_at), HOUR(clicked_at), link_id, " \
	"COUNT(*), SUM(is_bot = 0), SUM(is_bot = 0 AND trigger_kind = 'qr')"

/*
 * One (hour, link) pair of the pairs' statements, by the hour's start
 * ("YYYY-MM-DD HH:00:00") and the link: its row (start, start, link),
 * its clicks (link, start, start).  RC_INV_PAIRS of them OR'ed are one
 * range read of each index: the primary key, clicks_link_cover (043).
 */
#define HINV_PAIR_KEY	"(day = DATE(?) AND hour = HOUR(?) AND link_id = ?)"
#define HINV_PAIR_CLICKS "(link_id = ? AND clicked_at >= ? AND " \
	"clicked_at < ? + INTERVAL 1 HOUR)"

#define REFERRAL_SET	HS_SQL_REFERRAL_SET

/*
 * Day column x is not history.  History is the days before the
 * retention horizon (today less keep_days, retention_days, the
 * statement's last parameter): hearsay-admin retention erased their rows
 * about people, so their counts are all that is left of them.  A full
 * run's drop of the days without input spares them (this clause), and
 * fin_days and sr_days rebuild no day before the horizon (STMT_HORIZON).
 */
#define KEEP_HISTORY(x)	x " >= UTC_DATE() - INTERVAL ? DAY"

/*
 * Whether click c's client hash made at least n + 1 human clicks on the
 * click's UTC day (venue Wi-Fi): 1 or 0, for a human click with a hash.
 * Asked per carried click through clicks_client_day (client_hash,
 * clicked_day, is_bot; sql/043), stopping at the (n + 1)th entry, so a
 * chunk costs a few index reads per click instead of a scan of every
 * click of every day it touches.
 */
#define SHARED(c, n) "(" c ".is_bot = 0 AND " c ".client_hash IS NOT " \
	"NULL AND (SELECT 1 FROM clicks x WHERE x.client_hash = " \
	c ".client_hash AND x.clicked_day = DATE(" c ".clicked_at) AND " \
	"x.is_bot = 0 LIMIT " n ", 1) IS NOT NULL)"

/*
 * The print of the clicks recorded in a window (limit, from, to in ms,
 * limit again): their count plus one times 2^32 plus the XOR of their
 * ids' CRC32s, or 0 when limit or more (unknown).  Equal prints: the
 * same clicks, barring a 2^-32 chance.  From clicks_recorded_link (230)
 * alone, which holds the ids.
 */
#define CLICK_PRINT "(SELECT CAST(IF(COUNT(*) >= ?, 0, " \
	"(COUNT(*) + 1) * 4294967296 + COALESCE(BIT_XOR(CRC32(click_id)), " \
	"0)) AS SIGNED) FROM (SELECT click_id FROM clicks WHERE " \
	"recorded_at >= FROM_UNIXTIME(? / 1000) AND recorded_at < " \
	"FROM_UNIXTIME(? / 1000) LIMIT ?) w)"

/*
 * The print of the rows the survey rollups' look-back reads (limit, then
 * from, to in ms and limit for each of answers, signups and clicks):
 * as CLICK_PRINT, over the answers and clicks recorded and the signups
 * created in the window, each by its id; 0 when limit or more.  From
 * responses_recorded, signups_created (042) and clicks_recorded_link
 * (230) alone, which hold the ids.
 */
#define SR_WINDOW(t, k, at) "(SELECT CONCAT('" t "', " k ") k FROM " t \
	" WHERE " at " >= FROM_UNIXTIME(? / 1000) AND " at " < " \
	"FROM_UNIXTIME(? / 1000) LIMIT ?)"
#define SR_PRINT "(SELECT CAST(IF(COUNT(*) >= ?, 0, " \
	"(COUNT(*) + 1) * 4294967296 + COALESCE(BIT_XOR(CRC32(k)), 0)) AS " \
	"SIGNED) FROM (" SR_WINDOW("responses", "id", "recorded_at") \
	" UNION ALL " SR_WINDOW("signups", "id", "created_at") " UNION ALL " \
	SR_WINDOW("clicks", "click_id", "recorded_at") ") w)"

#define ATTR_COLS "signup_ref, signup_id, response_id, day, class, " \
	"tracked_click_id, first_click_id, tracked_at, tracked_link_id, " \
	"tracked_channel, tracked_advocate_id, tracked_event_id, " \
	"tracked_campaign_id, reported_option, reported_channel, " \
	"reported_advocate_id, reported_event_id, reported_link_id, " \
	"channel, advocate_id, event_id, campaign_id, rule, confidence, " \
	"risk_flags, free_kind, free_text, free_raw, computed_at"
#define ATTR_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
/* Everything but reviewed, which belongs to the analysts. */
#define ATTR_UPDATE " ON DUPLICATE KEY UPDATE signup_id = VALUES(signup_id), " \
	"response_id = VALUES(response_id), day = VALUES(day), " \
	"class = VALUES(class), tracked_click_id = VALUES(tracked_click_id), " \
	"first_click_id = VALUES(first_click_id), " \
	"tracked_at = VALUES(tracked_at), " \
	"tracked_link_id = VALUES(tracked_link_id), " \
	"tracked_channel = VALUES(tracked_channel), " \
	"tracked_advocate_id = VALUES(tracked_advocate_id), " \
	"tracked_event_id = VALUES(tracked_event_id), " \
	"tracked_campaign_id = VALUES(tracked_campaign_id), " \
	"reported_option = VALUES(reported_option), " \
	"reported_channel = VALUES(reported_channel), " \
	"reported_advocate_id = VALUES(reported_advocate_id), " \
	"reported_event_id = VALUES(reported_event_id), " \
	"reported_link_id = VALUES(reported_link_id), " \
	"channel = VALUES(channel), advocate_id = VALUES(advocate_id), " \
	"event_id = VALUES(event_id), campaign_id = VALUES(campaign_id), " \
	"rule = VALUES(rule), confidence = VALUES(confidence), " \
	"risk_flags = VALUES(risk_flags), free_kind = VALUES(free_kind), " \
	"free_text = VALUES(free_text), free_raw = VALUES(free_raw), " \
	"computed_at = VALUES(computed_at)"

/* Rows that needed a person: the review queue's source. */
#define REVIEWABLE "(rule = 'unmatched' OR rule LIKE 'rule:%' OR " \
	"rule LIKE 'ignore:%')"
/*
 * The sample is the raw text of the group's first signup_ref, which
 * every entry of attributions_free_cover holds: the count, the days and
 * the rule read that index alone, one row lookup per text (sql/225).
 */
#define RQ_SELECT "SELECT free_kind, free_text, (SELECT y.free_raw FROM " \
	"attributions y WHERE y.signup_ref = MIN(attributions.signup_ref)), " \
	"COUNT(*), MIN(day), " \
	"MAX(day), MAX(IF(rule = 'unmatched', 0, " \
	"CAST(SUBSTRING_INDEX(rule, ':', -1) AS UNSIGNED))) " \
	"FROM attributions WHERE free_kind IS NOT NULL AND " REVIEWABLE

const char *rc_stmts[STMT__MAX] = {
	RC_LEASE_SQL,		/* STMT_LEASE_*: lease.c's, first */
	/* STMT_SESSION */
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	/* STMT_LINKS */
	"SELECT id, code, COALESCE(advocate_id, 0), COALESCE(event_id, 0), "
	"campaign_id, channel FROM links",
	/* STMT_ADVOCATES */
	"SELECT a.id, a.handle, a.display_name, COALESCE(a.aliases, ''), "
	"COALESCE(a.email_hash, ''), COALESCE((SELECT MIN(l.campaign_id) "
	"FROM links l WHERE l.advocate_id = a.id), 0) FROM advocates a "
	"ORDER BY a.id",
	/* STMT_EVENTS */
	"SELECT id, slug, name, campaign_id, COALESCE(host_advocate_id, 0) "
	"FROM events ORDER BY id",
	/* STMT_OPTIONS */
	"SELECT survey_id, opt_key, channel, followup FROM survey_options",
	/* STMT_SELFHASH: an advocate's own devices, from their own signup. */
	"SELECT a.id, s.client_hash FROM advocates a JOIN signups s ON "
	"s.email_hash = a.email_hash WHERE a.email_hash IS NOT NULL AND "
	"s.client_hash IS NOT NULL",
	/* STMT_RULES */
	"SELECT id, version, kind, pattern, target_kind, target_id, "
	"target_channel FROM mapping_rules",
	/* STMT_RULES_MAX */
	"SELECT COALESCE(MAX(id), 0) FROM mapping_rules",
	/* STMT_ACCEPTED: the signups whose flags an analyst accepted: the
	 * newest flag_reviews row of each is an accept (sql/120). */
	"SELECT f.signup_ref FROM flag_reviews f WHERE f.decision = 'accept' "
	"AND f.id = (SELECT MAX(x.id) FROM flag_reviews x WHERE "
	"x.signup_ref = f.signup_ref)",
	/* STMT_VELOCITY: client hashes over the limit in an hour. */
	"SELECT client_hash, DATE_FORMAT(signed_up_at, '%Y-%m-%d %H') "
	"FROM signups WHERE signed_up_at >= FROM_UNIXTIME(? / 1000) AND "
	"signed_up_at < FROM_UNIXTIME(? / 1000) AND client_hash IS NOT NULL "
	"GROUP BY 1, 2 HAVING COUNT(*) > ?",
	/* STMT_SIGNUP_SPAN */
	"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM signups "
	"WHERE id > ? AND signed_up_at >= ? AND signed_up_at < ?",
	/* STMT_RESPONSE_IDS */
	"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM responses "
	"WHERE id > ? AND answered_at >= ? AND answered_at < ?",
	/* STMT_CHUNK_SIGNUPS: signups in (lo, hi], the answer that counts
	 * first: verified before unverified, then the latest (see the top).
	 * The NOT EXISTS repeats (lo, hi] on x: MariaDB turns it into a
	 * NOT IN it may materialise, and without the range it did, from
	 * every attribution (6.5 s for the look-back chunk at 1M signups,
	 * seen after a full run; STMT_CHUNK_RESPONSES likewise). */
	"SELECT s.id, s.signup_ref, " MS("s.signed_up_at") ", "
	"COALESCE(s.email_hash, ''), COALESCE(s.client_hash, ''), "
	"COALESCE(r.id, 0), COALESCE(r.survey_id, 0), "
	"COALESCE(" MS("r.answered_at") ", 0), COALESCE(r.options, ''), "
	"COALESCE(r.other_text, ''), COALESCE(r.referrer_text, ''), "
	"COALESCE(r.followup_text, ''), COALESCE(r.code_text, ''), "
	"COALESCE(r.client_hash, ''), COALESCE(r.velocity_flag, 0), "
	"COALESCE(r.click_id, '') FROM signups s LEFT JOIN responses r ON "
	"r.signup_ref = s.signup_ref WHERE s.id > ? AND s.id <= ? AND "
	"s.signed_up_at >= ? AND s.signed_up_at < ? AND (s.id > ? OR NOT "
	"EXISTS (SELECT 1 FROM attributions x WHERE x.signup_id = s.id AND "
	"x.signup_id > ? AND x.signup_id <= ?)) "
	"ORDER BY s.id, r.verified DESC, r.id DESC",
	/* STMT_CHUNK_CLICKS: the clicks signups in (lo, hi] carried. */
	"SELECT sc.signup_id, c.click_id, " MS("c.clicked_at") ", c.link_id, "
	"c.is_bot, COALESCE(c.client_hash, ''), " SHARED("c", "?") " FROM "
	"signup_clicks sc JOIN clicks c ON c.click_id = sc.click_id WHERE "
	"sc.signup_id > ? AND sc.signup_id <= ? "
	"ORDER BY sc.signup_id, c.clicked_at, c.click_id",
	/* STMT_CLICK_ONE: a click id named only by the survey. */
	"SELECT c.click_id, " MS("c.clicked_at") ", c.link_id, c.is_bot, "
	"COALESCE(c.client_hash, ''), " SHARED("c", "?") " FROM clicks c "
	"WHERE c.click_id = ?",
	/* STMT_CHUNK_RESPONSES: answers in (lo, hi], the one that counts
	 * per signup_ref (verified first, then the latest: see the top);
	 * of no signup or of a signup at most the fifth ? (an incremental
	 * run's signups mark: phase 1 did those above it, and a full run's
	 * 0); with the sixth ? 0, only those with no signup (tested first,
	 * so a full run pays one index probe for an answer phase 1 did). */
	"SELECT r.id, COALESCE(r.signup_ref, ''), COALESCE(s.id, 0), "
	MS("r.answered_at") ", r.survey_id, r.options, "
	"COALESCE(r.other_text, ''), COALESCE(r.referrer_text, ''), "
	"COALESCE(r.followup_text, ''), COALESCE(r.code_text, ''), "
	"COALESCE(r.client_hash, ''), r.velocity_flag, "
	"COALESCE(r.click_id, '') FROM responses r LEFT JOIN signups s ON "
	"s.signup_ref = r.signup_ref WHERE r.id > ? AND r.id <= ? AND "
	"r.answered_at >= ? AND r.answered_at < ? AND (s.id IS NULL OR "
	"s.id <= ?) AND (? OR r.signup_ref IS "
	"NULL OR NOT EXISTS (SELECT 1 FROM signups s2 WHERE s2.signup_ref = "
	"r.signup_ref)) AND (r.signup_ref IS NULL OR NOT EXISTS (SELECT 1 "
	"FROM responses r2 WHERE r2.signup_ref = r.signup_ref AND "
	"(r2.verified > r.verified OR (r2.verified = r.verified AND "
	"r2.id > r.id)))) AND (r.id > ? OR NOT EXISTS (SELECT "
	"1 FROM attributions x WHERE x.response_id = r.id AND "
	"x.response_id > ? AND x.response_id <= ?)) ORDER BY r.id",
	/* STMT_RULE_ROWS: rows carrying a text a new rule covers. */
	"SELECT COALESCE(signup_id, 0), COALESCE(response_id, 0) FROM "
	"attributions WHERE free_kind = ? AND free_text = ?",
	/* STMT_ATTR_ONE */
	"INSERT INTO attributions (" ATTR_COLS ") VALUES " ATTR_ROW ATTR_UPDATE,
	/* STMT_ATTR_BATCH: built by rc_stmts_init. */
	NULL,
	/* STMT_ATTR_MID: RC_BATCH_MID rows, built by rc_stmts_init. */
	NULL,
	/* STMT_ATTR_SMALL: RC_BATCH_SMALL rows, built by rc_stmts_init. */
	NULL,
	/* STMT_STATE_GET */
	"SELECT last_id, COALESCE(" MS("last_at") ", 0), last_at IS NULL "
	"FROM reconcile_state WHERE name = ?",
	/* STMT_STATE_SET */
	"INSERT INTO reconcile_state (name, last_id, last_at) VALUES "
	"(?, ?, FROM_UNIXTIME(? / 1000)) ON DUPLICATE KEY UPDATE "
	"last_id = VALUES(last_id), last_at = VALUES(last_at)",
	/* STMT_DIRTY_FROM: days whose aggregates are owed, low end. */
	HS_SQL_WIDEN("SELECT 'dirty_from' n", "LEAST"),
	/* STMT_DIRTY_TO: high end. */
	HS_SQL_WIDEN("SELECT 'dirty_to' n", "GREATEST"),
	/* STMT_DIRTY_CLEAR: from, to (ms, 0 for none) as finalise read
	 * them: a range widened since (a forget committed meanwhile) stays
	 * for the next run. */
	DIRTY_CLEAR("dirty_from", "dirty_to"),
	/* STMT_RQ_DELETE: kind, RC_RQ_TEXTS texts; built by
	 * rc_stmts_init. */
	NULL,
	/* STMT_RQ_INSERT: kind, RC_RQ_TEXTS texts; built by
	 * rc_stmts_init. */
	NULL,
	/* STMT_RQ_CLEAR */
	"DELETE FROM review_queue",
	/* STMT_RQ_ALL */
	"INSERT INTO review_queue (kind, norm_text, sample_text, n, "
	"first_seen, last_seen, resolved_rule_id) " RQ_SELECT
	" GROUP BY free_kind, free_text",
	/* STMT_ATTR_DAYS */
	"SELECT COALESCE(" MS("MIN(day)") ", 0), "
	"COALESCE(" MS("MAX(day)") ", 0), COUNT(*) FROM attributions",
	/* STMT_AGG_DELETE */
	"DELETE FROM daily_aggregates WHERE day BETWEEN ? AND ?",
	/* STMT_AGG_DELETE_OUT: d0, d1, keep_days (KEEP_HISTORY). */
	"DELETE FROM daily_aggregates WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_AGG_INSERT */
	"INSERT INTO daily_aggregates (day, channel, advocate_id, event_id, "
	"campaign_id, signups, tracked, reported, both_sides, agree, disagree, "
	"tracked_only, reported_only, unattributed, referral_tracked, "
	"referral_reported, referral_any, free_text, free_mapped, flagged, "
	"reviewed) SELECT day, channel, advocate_id, event_id, campaign_id, "
	"COUNT(*), SUM(tracked_link_id IS NOT NULL), "
	"SUM(reported_channel IS NOT NULL), SUM(tracked_link_id IS NOT NULL "
	"AND reported_channel IS NOT NULL), SUM(class = 'agree'), "
	"SUM(class = 'disagree'), SUM(class = 'tracked_only'), "
	"SUM(class = 'reported_only'), SUM(class = 'unattributed'), "
	"SUM(COALESCE(tracked_channel IN " REFERRAL_SET ", 0)), "
	"SUM(COALESCE(reported_channel IN " REFERRAL_SET ", 0)), "
	"SUM(COALESCE(tracked_channel IN " REFERRAL_SET ", 0) OR "
	"COALESCE(reported_channel IN " REFERRAL_SET ", 0)), "
	"SUM(free_kind IS NOT NULL), SUM(free_kind IS NOT NULL AND "
	"rule <> 'unmatched' AND rule NOT LIKE 'ignore:%'), "
	"SUM(risk_flags <> ''), SUM(reviewed) FROM attributions "
	"WHERE day BETWEEN ? AND ? "
	"GROUP BY day, channel, advocate_id, event_id, campaign_id",
	/* STMT_MX_DELETE */
	"DELETE FROM channel_matrix WHERE day BETWEEN ? AND ?",
	/* STMT_MX_DELETE_OUT */
	"DELETE FROM channel_matrix WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_MX_INSERT */
	"INSERT INTO channel_matrix (day, tracked_channel, reported_channel, "
	"n) SELECT day, COALESCE(tracked_channel, 'none'), "
	"COALESCE(reported_channel, 'none'), COUNT(*) FROM attributions "
	"WHERE day BETWEEN ? AND ? GROUP BY 1, 2, 3",
	/* STMT_RU_DAYS_DELETE: the rollups of 041 are rebuilt from the
	 * aggregates just written, in the same unit. */
	"DELETE FROM rollup_days WHERE day BETWEEN ? AND ?",
	/* STMT_RU_DAYS_DELETE_OUT */
	"DELETE FROM rollup_days WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_RU_DAYS_INSERT */
	"INSERT INTO rollup_days (day, campaign_id, signups, tracked, "
	"reported, both_sides, agree, disagree, tracked_only, reported_only, "
	"unattributed, referral_tracked, referral_reported, referral_any, "
	"free_text, free_mapped, flagged, reviewed) SELECT day, campaign_id, "
	"SUM(signups), SUM(tracked), SUM(reported), SUM(both_sides), "
	"SUM(agree), SUM(disagree), SUM(tracked_only), SUM(reported_only), "
	"SUM(unattributed), SUM(referral_tracked), SUM(referral_reported), "
	"SUM(referral_any), SUM(free_text), SUM(free_mapped), SUM(flagged), "
	"SUM(reviewed) FROM daily_aggregates WHERE day BETWEEN ? AND ? "
	"GROUP BY day, campaign_id",
	/* STMT_RU_ADV_DELETE: every month [d0, d1] touches is rebuilt
	 * whole, from its days in daily_aggregates; slices run in day
	 * order, so the last slice of a month leaves it right. */
	"DELETE FROM rollup_advocate_months WHERE "
	"month BETWEEN DATE_FORMAT(?, '%Y-%m-01') AND ?",
	/* STMT_RU_ADV_DELETE_OUT: months wholly outside [d0, d1]; the
	 * months at its ends are rebuilt by the slices that follow (from
	 * daily_aggregates, history days included), so only months wholly
	 * before the horizon's are history. */
	"DELETE FROM rollup_advocate_months WHERE "
	"(month < DATE_FORMAT(?, '%Y-%m-01') OR month > ?) AND month >= "
	"DATE_FORMAT(UTC_DATE() - INTERVAL ? DAY, '%Y-%m-01')",
	/* STMT_RU_ADV_INSERT */
	"INSERT INTO rollup_advocate_months (month, campaign_id, advocate_id, "
	"signups, tracked, reported_only, agree, flagged, reviewed) "
	"SELECT DATE_FORMAT(day, '%Y-%m-01'), campaign_id, advocate_id, "
	"SUM(signups), SUM(tracked), SUM(reported_only), SUM(agree), "
	"SUM(flagged), SUM(reviewed) FROM daily_aggregates WHERE "
	"day BETWEEN DATE_FORMAT(?, '%Y-%m-01') AND LAST_DAY(?) AND "
	"advocate_id <> 0 GROUP BY 1, 2, 3",
	/* STMT_CM_DELETE */
	"DELETE FROM campaign_matrix WHERE day BETWEEN ? AND ?",
	/* STMT_CM_DELETE_OUT */
	"DELETE FROM campaign_matrix WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_CM_INSERT: channel_matrix per campaign. */
	"INSERT INTO campaign_matrix (day, campaign_id, tracked_channel, "
	"reported_channel, n) SELECT day, campaign_id, "
	"COALESCE(tracked_channel, 'none'), COALESCE(reported_channel, "
	"'none'), COUNT(*) FROM attributions WHERE day BETWEEN ? AND ? "
	"GROUP BY 1, 2, 3, 4",
	/* STMT_CLICK_SPAN */
	"SELECT COALESCE(" MS("MIN(clicked_at)") ", 0), "
	"COALESCE(" MS("MAX(clicked_at)") ", 0) FROM clicks",
	/* STMT_HORIZON: keep_days; midnight of the first day that is not
	 * history (KEEP_HISTORY), ms, and 0. */
	"SELECT " MS("UTC_DATE() - INTERVAL ? DAY") ", 0",
	/* STMT_INV_DELETE */
	"DELETE FROM daily_invites WHERE day BETWEEN ? AND ?",
	/* STMT_INV_INSERT: the days from their links' hours (sql/230),
	 * through each link's advocate and campaign. */
	"INSERT INTO daily_invites (day, advocate_id, campaign_id, clicks, "
	"human_clicks, qr_clicks) SELECT h.day, COALESCE(l.advocate_id, 0), "
	"l.campaign_id, SUM(h.clicks), SUM(h.human_clicks), "
	"SUM(h.qr_clicks) FROM hourly_invites h STRAIGHT_JOIN links l ON "
	"l.id = h.link_id WHERE h.day BETWEEN ? AND ? GROUP BY 1, 2, 3",
	/* STMT_INV_BACKLOG: since (ms), limit: clicks recorded since,
	 * counted up to limit (an index range of at most limit entries;
	 * limit 0 reads none), and the clock. */
	"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM clicks WHERE "
	"recorded_at >= FROM_UNIXTIME(? / 1000) LIMIT ?) c), " MS("NOW(3)"),
	/* STMT_INV_PRINTS: limit, from, to (ms), limit, twice: the prints
	 * (CLICK_PRINT) of the clicks recorded in two windows.  One
	 * statement, so both read the same committed rows (finalise.c,
	 * inv_prints). */
	"SELECT " CLICK_PRINT ", " CLICK_PRINT,
	/* STMT_INV_TOUCHED: since (ms), before (day), after (an hour's
	 * "YYYY-MM-DD HH:MM:SS" and a link id), limit: the (hour, link)
	 * pairs of the clicks recorded since, before a day, in order,
	 * through clicks_recorded_link (230), read alone. */
	"SELECT " MS("h") ", h, link_id FROM (SELECT DISTINCT "
	"DATE_FORMAT(clicked_at, '%Y-%m-%d %H:00:00') h, link_id FROM clicks "
	"WHERE recorded_at >= FROM_UNIXTIME(? / 1000) AND clicked_at < ?) t "
	"WHERE (h, link_id) > (?, ?) ORDER BY h, link_id LIMIT ?",
	/* STMT_HINV_DELETE */
	"DELETE FROM hourly_invites WHERE day BETWEEN ? AND ?",
	/* STMT_HINV_INSERT: the days' range of clicks_time_cover (043). */
	"INSERT INTO hourly_invites (day, hour, link_id, clicks, "
	"human_clicks, qr_clicks) SELECT " HINV_COUNTS " FROM clicks WHERE "
	"clicked_at >= ? AND clicked_at < ? + INTERVAL 1 DAY GROUP BY 1, 2, 3",
	/* STMT_HINV_RANGE_DELETE: the hours in [a, b), hour starts: a, b,
	 * a, b; the days' range of the primary key, then the hours. */
	"DELETE FROM hourly_invites WHERE day >= DATE(?) AND "
	"day <= DATE(? - INTERVAL 1 HOUR) AND "
	"day + INTERVAL hour HOUR >= ? AND day + INTERVAL hour HOUR < ?",
	/* STMT_HINV_RANGE_INSERT: the hours in [a, b), from
	 * clicks_time_cover (043) alone. */
	"INSERT INTO hourly_invites (day, hour, link_id, clicks, "
	"human_clicks, qr_clicks) SELECT " HINV_COUNTS " FROM clicks WHERE "
	"clicked_at >= ? AND clicked_at < ? GROUP BY 1, 2, 3",
	/* STMT_HINV_PAIRS_DELETE, STMT_HINV_PAIRS_INSERT: built by
	 * rc_stmts_init. */
	NULL,
	NULL,
	/* STMT_HINV_HISTORY: keep_days; hours of history days, which no
	 * run rebuilds (daily_invites keeps their counts). */
	"DELETE FROM hourly_invites WHERE NOT " KEEP_HISTORY("day"),
	/* STMT_ORPHANS: the next RC_ORPHAN_WINDOW attributions after ?,
	 * each with 1 when its signup and answer were erased. */
	"SELECT a.signup_ref, NOT EXISTS (SELECT 1 FROM signups s WHERE "
	"s.signup_ref = a.signup_ref) AND NOT EXISTS (SELECT 1 FROM "
	"responses r WHERE r.signup_ref = a.signup_ref) AND NOT EXISTS "
	"(SELECT 1 FROM responses r WHERE r.id = a.response_id AND "
	"r.signup_ref IS NULL) FROM attributions a WHERE a.signup_ref > ? "
	"ORDER BY a.signup_ref LIMIT " RC_STR(RC_ORPHAN_WINDOW),
	/* STMT_ATTR_DELETE */
	"DELETE FROM attributions WHERE signup_ref = ?",
	/* STMT_RUN_NEW */
	"INSERT INTO reconcile_runs (holder, started_at, mode, since, until, "
	"dry_run, rules_version) VALUES (?, NOW(3), ?, ?, ?, ?, ?)",
	/* STMT_RUN_ABANDON: runs left 'running' by a dead holder. */
	"UPDATE reconcile_runs SET status = 'abandoned' WHERE "
	"status = 'running' AND holder <> ?",
	/* STMT_RUN_LAST: the run before ours, to resume a killed one. */
	"SELECT id, status, mode, COALESCE(since, '') , COALESCE(until, ''), "
	"cursor_signup, cursor_response FROM reconcile_runs WHERE id < ? AND "
	"dry_run = 0 ORDER BY id DESC LIMIT 1",
	/* STMT_RUN_CURSOR */
	"UPDATE reconcile_runs SET cursor_signup = ?, cursor_response = ?, "
	"row_count = row_count + ?, chunks = chunks + 1 WHERE id = ?",
	/* STMT_RUN_END */
	"UPDATE reconcile_runs SET finished_at = NOW(3), status = ?, "
	"exit_code = ? WHERE id = ?",
	/* STMT_SUM_AGG */
	"SELECT CAST(COALESCE(SUM(signups), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(tracked), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(reported), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(both_sides), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(agree), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(disagree), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(tracked_only), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(reported_only), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(unattributed), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(referral_tracked), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(referral_reported), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(referral_any), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(free_text), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(free_mapped), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(flagged), 0) AS SIGNED), "
	"CAST(COALESCE(SUM(IF(advocate_id <> 0, signups, 0)), 0) AS SIGNED) "
	"FROM daily_aggregates WHERE day BETWEEN ? AND ?",
	/* STMT_SUM_MATRIX */
	"SELECT tracked_channel, reported_channel, CAST(SUM(n) AS SIGNED) "
	"FROM channel_matrix WHERE day BETWEEN ? AND ? AND "
	"tracked_channel <> 'none' AND reported_channel <> 'none' "
	"GROUP BY 1, 2 ORDER BY 1, 2",
	/* STMT_SUM_INVITES */
	"SELECT CAST(COALESCE(SUM(human_clicks), 0) AS SIGNED), "
	"COUNT(DISTINCT advocate_id) FROM daily_invites WHERE day BETWEEN ? "
	"AND ? AND advocate_id <> 0 AND human_clicks > 0",
	/* STMT_ADV_BY_HANDLE */
	"SELECT id FROM advocates WHERE handle = ?",
	/* STMT_EVENT_BY_SLUG */
	"SELECT id FROM events WHERE slug = ?",
	/* STMT_RULE_VERSION */
	"SELECT COALESCE(MAX(version), 0) FROM mapping_rules WHERE kind = ? "
	"AND pattern = ?",
	/* STMT_RULE_INSERT */
	"INSERT INTO mapping_rules (version, kind, pattern, target_kind, "
	"target_id, target_channel, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* STMT_SR_SPAN: first and last answer and click, the clock. */
	"SELECT COALESCE(" MS("MIN(answered_at)") ", 0), "
	"COALESCE(" MS("MAX(answered_at)") ", 0), (SELECT COALESCE("
	MS("MIN(clicked_at)") ", 0) FROM clicks), (SELECT COALESCE("
	MS("MAX(clicked_at)") ", 0) FROM clicks), " MS("NOW(3)")
	" FROM responses",
	/* STMT_SR_TOUCHED: since x3 (ms), after (day), limit: the days of
	 * answers, of new signups' answers and of human QR scans recorded
	 * since, through the recorded_at / created_at indexes of 042.  The
	 * new signups first (STRAIGHT_JOIN): after a full run MariaDB
	 * chose to read every answer instead (1.6 s at 1M signups). */
	"SELECT " MS("d") " FROM (SELECT DATE(answered_at) d FROM responses "
	"WHERE recorded_at >= FROM_UNIXTIME(? / 1000) UNION "
	"SELECT DATE(r.answered_at) FROM signups s STRAIGHT_JOIN responses "
	"r ON r.signup_ref = s.signup_ref WHERE s.created_at >= "
	"FROM_UNIXTIME(? / 1000) UNION SELECT DATE(clicked_at) FROM clicks "
	"WHERE recorded_at >= FROM_UNIXTIME(? / 1000) AND "
	"trigger_kind = 'qr' AND is_bot = 0) t WHERE d > ? ORDER BY d "
	"LIMIT ?",
	/* STMT_SR_BACKLOG: since, limit, x3: rows recorded since, each
	 * table's count capped at limit (an index range of at most limit
	 * entries). */
	"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM responses WHERE "
	"recorded_at >= FROM_UNIXTIME(? / 1000) LIMIT ?) a) + (SELECT "
	"COUNT(*) FROM (SELECT 1 FROM signups WHERE created_at >= "
	"FROM_UNIXTIME(? / 1000) LIMIT ?) b) + (SELECT COUNT(*) FROM (SELECT "
	"1 FROM clicks WHERE recorded_at >= FROM_UNIXTIME(? / 1000) LIMIT ?) c)",
	/* STMT_SR_PRINTS: the prints (SR_PRINT) of the rows of two
	 * windows, ten parameters each.  One statement, so both read the
	 * same committed rows (survey_rollup.c, sr_prints). */
	"SELECT " SR_PRINT ", " SR_PRINT,
	/* STMT_SR_DAYS_DELETE */
	"DELETE FROM rollup_survey_days WHERE day BETWEEN ? AND ?",
	/* STMT_SR_DAYS_DELETE_OUT */
	"DELETE FROM rollup_survey_days WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_SR_DAYS_INSERT: answers per day and signup campaign, and
	 * those that chose a decoy option of their survey. */
	"INSERT INTO rollup_survey_days (day, campaign_id, answers, "
	"decoy_answers) SELECT DATE(r.answered_at), COALESCE(s.campaign_id, "
	"0), COUNT(*), SUM(EXISTS (SELECT 1 FROM survey_options o WHERE "
	"o.survey_id = r.survey_id AND o.decoy = 1 AND FIND_IN_SET(o.opt_key, "
	"REPLACE(r.options, ' ', ',')) > 0)) FROM responses r LEFT JOIN "
	"signups s ON s.signup_ref = r.signup_ref WHERE r.answered_at >= ? "
	"AND r.answered_at < ? + INTERVAL 1 DAY GROUP BY 1, 2",
	/* STMT_SR_POS_DELETE */
	"DELETE FROM rollup_survey_positions WHERE day BETWEEN ? AND ?",
	/* STMT_SR_POS_DELETE_OUT */
	"DELETE FROM rollup_survey_positions WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_SR_POS_INSERT: the 1-based shown position of the first
	 * chosen option, 0 when it was not in the shown order. */
	"INSERT INTO rollup_survey_positions (day, campaign_id, position, "
	"answers) SELECT DATE(r.answered_at), COALESCE(s.campaign_id, 0), "
	"FIND_IN_SET(SUBSTRING_INDEX(r.options, ' ', 1), "
	"REPLACE(r.shown_order, ' ', ',')), COUNT(*) FROM responses r "
	"LEFT JOIN signups s ON s.signup_ref = r.signup_ref WHERE "
	"r.answered_at >= ? AND r.answered_at < ? + INTERVAL 1 DAY AND "
	"r.options <> '' GROUP BY 1, 2, 3",
	/* STMT_SR_SCANS_DELETE */
	"DELETE FROM rollup_event_scans WHERE day BETWEEN ? AND ?",
	/* STMT_SR_SCANS_DELETE_OUT */
	"DELETE FROM rollup_event_scans WHERE (day < ? OR day > ?) AND "
	KEEP_HISTORY("day"),
	/* STMT_SR_SCANS_INSERT: human QR scans of each event's links.
	 * Clicks first, by time: from the links the optimiser reads every
	 * click of each event link on every slice (0.6-1.4 s a week at 5M
	 * clicks a year, against 0.16-0.21 s for the week's clicks). */
	"INSERT INTO rollup_event_scans (event_id, day, scans) SELECT "
	"l.event_id, DATE(c.clicked_at), COUNT(*) FROM clicks c "
	"STRAIGHT_JOIN links l ON l.id = c.link_id WHERE "
	"l.event_id IS NOT NULL AND "
	"c.trigger_kind = 'qr' AND c.is_bot = 0 AND c.clicked_at >= ? AND "
	"c.clicked_at < ? + INTERVAL 1 DAY GROUP BY 1, 2",
	/* STMT_SR_DIRTY_CLEAR: the rollups' owed days, as STMT_DIRTY_CLEAR
	 * the aggregates'. */
	DIRTY_CLEAR("rollups_from", "rollups_to"),
	/*
	 * STMT_CO_RECENT (hours): 1 when the last completed cohort pass is
	 * younger than that, by the database's clock (cohorts.c's CO_RUN
	 * writes with it); asked on the run's own connection, so a run
	 * whose pass is not due opens none for it.
	 */
	"SELECT COUNT(*) FROM cohort_runs WHERE id = 1 AND "
	"computed_at > UTC_TIMESTAMP(3) - INTERVAL ? HOUR",
};

/*
 * Statement id: head, then first and n - 1 times more, then tail (the
 * rows of a multi-row INSERT, the placeholders of an IN list).  0, or
 * -1 without memory.
 */
static int
rep_stmt(size_t id, const char *head, const char *first, const char *more,
    size_t n, const char *tail)
{
	struct hs_buf	 b;
	size_t		 i;

	hs_buf_init(&b, 64 * 1024);
	if (hs_buf_puts(&b, head) != HS_OK)
		goto fail;
	for (i = 0; i < n; i++)
		if (hs_buf_puts(&b, i > 0 ? more : first) != HS_OK)
			goto fail;
	if (hs_buf_puts(&b, tail) != HS_OK)
		goto fail;
	rc_stmts[id] = hs_buf_take(&b);
	return rc_stmts[id] != NULL ? 0 : -1;
fail:
	hs_buf_free(&b);
	return -1;
}

/* Statement id: the upsert of rows attributions.  0, or -1 (memory). */
static int
attr_stmt(size_t id, size_t rows)
{

	return rep_stmt(id, "INSERT INTO attributions (" ATTR_COLS
	    ") VALUES ", ATTR_ROW, "," ATTR_ROW, rows, ATTR_UPDATE);
}

/* Statement id: head, RC_RQ_TEXTS placeholders in parentheses, tail. */
static int
rq_stmt(size_t id, const char *head, const char *tail)
{

	return rep_stmt(id, head, "(?", ",?", RC_RQ_TEXTS, tail);
}

/*
 * The statements of the side connection (side.c): rc_stmts without the
 * writes of attributions, which only the run's own connection makes.
 * Their thousands of placeholders took most of a connection's 30 to
 * 60 ms of preparing.  Filled by rc_stmts_init.
 */
const char *rc_side_stmts[STMT__MAX];

/* Fill rc_side_stmts from rc_stmts. */
static void
side_stmts(void)
{
	static const size_t	 mine[] = { STMT_ATTR_ONE, STMT_ATTR_BATCH,
	    STMT_ATTR_MID, STMT_ATTR_SMALL };
	size_t			 i;

	for (i = 0; i < STMT__MAX; i++)
		rc_side_stmts[i] = rc_stmts[i];
	for (i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		rc_side_stmts[mine[i]] = NULL;
}

/*
 * Build the multi-row INSERTs (RC_BATCH rows, and for a chunk's tail
 * RC_BATCH_MID and RC_BATCH_SMALL: a run every few minutes writes a
 * chunk of a hundred rows or two, which went one statement per row)
 * and the review queue's refresh of RC_RQ_TEXTS texts of one kind (a
 * run every few minutes owes a few dozen texts, a night a few
 * thousand: two statements per text were a round trip each).  Called
 * once at start; the strings live until exit (rc_stmts_free).  Returns
 * 0, or -1 without memory.
 */
int
rc_stmts_init(void)
{

	if (attr_stmt(STMT_ATTR_BATCH, RC_BATCH) != 0 ||
	    attr_stmt(STMT_ATTR_MID, RC_BATCH_MID) != 0 ||
	    attr_stmt(STMT_ATTR_SMALL, RC_BATCH_SMALL) != 0 ||
	    rq_stmt(STMT_RQ_DELETE, "DELETE FROM review_queue WHERE "
	    "kind = ? AND norm_text IN ", ")") != 0 ||
	    rq_stmt(STMT_RQ_INSERT, "INSERT INTO review_queue (kind, "
	    "norm_text, sample_text, n, first_seen, last_seen, "
	    "resolved_rule_id) " RQ_SELECT " AND free_kind = ? AND "
	    "free_text IN ", ") GROUP BY free_kind, free_text") != 0 ||
	    rep_stmt(STMT_HINV_PAIRS_DELETE, "DELETE FROM hourly_invites "
	    "WHERE ", HINV_PAIR_KEY, " OR " HINV_PAIR_KEY, RC_INV_PAIRS,
	    "") != 0 ||
	    rep_stmt(STMT_HINV_PAIRS_INSERT, "INSERT INTO hourly_invites "
	    "(day, hour, link_id, clicks, human_clicks, qr_clicks) SELECT "
	    HINV_COUNTS " FROM clicks WHERE ", HINV_PAIR_CLICKS,
	    " OR " HINV_PAIR_CLICKS, RC_INV_PAIRS, " GROUP BY 1, 2, 3") != 0)
		return -1;
	side_stmts();
	return 0;
}

/* Free what rc_stmts_init built. */
void
rc_stmts_free(void)
{
	static const size_t	 built[] = { STMT_ATTR_BATCH, STMT_ATTR_MID,
	    STMT_ATTR_SMALL, STMT_RQ_DELETE, STMT_RQ_INSERT,
	    STMT_HINV_PAIRS_DELETE, STMT_HINV_PAIRS_INSERT };
	size_t			 i;

	for (i = 0; i < sizeof(built) / sizeof(built[0]); i++) {
		free((void *)rc_stmts[built[i]]);
		rc_stmts[built[i]] = NULL;
	}
	for (i = 0; i < STMT__MAX; i++)
		rc_side_stmts[i] = NULL;
}
