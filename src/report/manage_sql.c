/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * manage_sql.c: the statements of the manage and account pages and of
 * the flags' decisions, on their own database handle (the read-write
 * user), opened on first use in each worker.
 */
#include "config.h"

#include <stddef.h>

#include "hearsay.h"
#include "report.h"
#include "manage.h"

/* The audit text of each object: one "key: value" line per field. */
#define SHARE_OF(k, col) "COALESCE((SELECT " col " FROM share_texts s " \
	"WHERE s.campaign_id = c.id AND s.kind = '" k "'), '')"
#define SHARE_DESC(k, col) "REPLACE(" SHARE_OF(k, col) ", '\\n', ' | ')"
#define CAMP_DESC "SELECT CONCAT_WS('\\n', CONCAT('name: ', name), " \
	"CONCAT('hosts: ', allowed_hosts), CONCAT('destination: ', " \
	"default_dest), CONCAT('fallback: ', COALESCE(fallback_url, '')), " \
	"CONCAT('share email subject: ', " SHARE_OF("email", "subject") \
	"), CONCAT('share email: ', " SHARE_DESC("email", "body") "), " \
	"CONCAT('share chat: ', " SHARE_DESC("chat", "body") "), " \
	"CONCAT('share social: ', " SHARE_DESC("social", "body") "), " \
	"CONCAT('disabled: ', disabled)) FROM campaigns c WHERE slug = ?"
#define ADV_DESC "SELECT CONCAT_WS('\\n', CONCAT('name: ', display_name), " \
	"CONCAT('aliases: ', REPLACE(COALESCE(aliases, ''), '\\n', ' | ')), " \
	"CONCAT('tier: ', tier), CONCAT('status: ', status), " \
	"CONCAT('suggest: ', suggest)) FROM advocates WHERE handle = ?"
#define LINK_DESC "SELECT CONCAT_WS('\\n', CONCAT('campaign: ', c.slug), " \
	"CONCAT('advocate: ', COALESCE(a.handle, '')), " \
	"CONCAT('channel: ', l.channel), " \
	"CONCAT('label: ', COALESCE(l.label, '')), " \
	"CONCAT('destination: ', l.destination), " \
	"CONCAT('utm: ', CONCAT_WS(' ', l.utm_source, l.utm_medium, " \
	"l.utm_campaign, l.utm_content, l.utm_term)), " \
	"CONCAT('valid until: ', COALESCE(l.valid_until, '')), " \
	"CONCAT('fallback: ', COALESCE(l.fallback_url, '')), " \
	"CONCAT('disabled: ', l.disabled)) FROM links l " \
	"JOIN campaigns c ON c.id = l.campaign_id " \
	"LEFT JOIN advocates a ON a.id = l.advocate_id WHERE l.code = ?"

#define EV_DESC "SELECT CONCAT_WS('\\n', CONCAT('name: ', e.name), " \
	"CONCAT('campaign: ', c.slug), " \
	"CONCAT('host: ', COALESCE(a.handle, '')), " \
	"CONCAT('venue: ', COALESCE(e.venue, '')), " \
	"CONCAT('starts: ', COALESCE(e.starts_at, '')), " \
	"CONCAT('ends: ', COALESCE(e.ends_at, '')), " \
	"CONCAT('disabled: ', e.disabled), " \
	"CONCAT('links: ', COALESCE((SELECT GROUP_CONCAT(l.code, " \
	"IF(l.disabled, ' (disabled)', '') ORDER BY l.label IS NOT NULL, " \
	"l.id SEPARATOR ' ') FROM links l WHERE l.event_id = e.id), '')), " \
	"CONCAT('host pages: ', (SELECT COUNT(*) FROM host_tokens t " \
	"WHERE t.advocate_id = e.host_advocate_id AND " \
	"t.revoked_at IS NULL))) FROM events e " \
	"JOIN campaigns c ON c.id = e.campaign_id " \
	"LEFT JOIN advocates a ON a.id = e.host_advocate_id WHERE e.slug = ?"

static const char *const mstmts[M__MAX] = {
	/* M_AUDIT_ADD: user, action, object, before, nonce. */
	"INSERT INTO audit_log (user_name, action, object, before_text, "
	    "form_nonce) VALUES (?, ?, ?, ?, ?)",
	/* M_AUDIT_AFTER: after, id. */
	"UPDATE audit_log SET after_text = ? WHERE id = ?",
	/* M_NONCE: the form was sent before (and its change made). */
	"SELECT COUNT(*) FROM audit_log WHERE form_nonce = ?",
	/* M_MOVED */
	HS_SQL_LINKS_MOVED,
	/* M_CAMP_DESC */
	CAMP_DESC,
	/* M_CAMP_GET */
	"SELECT id, name, allowed_hosts, default_dest, "
	    "COALESCE(fallback_url, ''), disabled FROM campaigns "
	    "WHERE slug = ?",
	/* M_CAMP_ADD: slug, name, hosts, dest, fallback. */
	"INSERT INTO campaigns (slug, name, allowed_hosts, default_dest, "
	    "fallback_url) VALUES (?, ?, ?, ?, NULLIF(?, ''))",
	/* M_CAMP_SET: name, hosts, dest, fallback, slug. */
	"UPDATE campaigns SET name = ?, allowed_hosts = ?, default_dest = ?, "
	    "fallback_url = NULLIF(?, '') WHERE slug = ?",
	/* M_CAMP_ABLE: disabled, slug. */
	"UPDATE campaigns SET disabled = ? WHERE slug = ?",
	/* M_CAMP_LIST: limit. */
	"SELECT slug, name, allowed_hosts, disabled FROM campaigns "
	    "ORDER BY slug LIMIT ?",
	/* M_ADV_DESC */
	ADV_DESC,
	/* M_ADV_GET */
	"SELECT display_name, COALESCE(aliases, ''), tier, status, "
	    "IF(suggest, 'on', '') FROM advocates WHERE handle = ?",
	/* M_ADV_ADD: handle, name, aliases, tier, status, suggest. */
	"INSERT INTO advocates (handle, display_name, aliases, tier, status, "
	    "suggest) VALUES (?, ?, NULLIF(?, ''), COALESCE(NULLIF(?, ''), "
	    "'member'), ?, ?)",
	/* M_ADV_SET: name, aliases, tier, status, suggest, handle. */
	"UPDATE advocates SET display_name = ?, aliases = NULLIF(?, ''), "
	    "tier = COALESCE(NULLIF(?, ''), 'member'), status = ?, "
	    "suggest = ? WHERE handle = ?",
	/* M_ADV_ABLE: status, handle. */
	"UPDATE advocates SET status = ? WHERE handle = ?",
	/* M_ADV_LIST: limit. */
	"SELECT handle, display_name, status FROM advocates "
	    "ORDER BY handle LIMIT ?",
	/* M_ADV_ID */
	"SELECT id FROM advocates WHERE handle = ?",
	/* M_LINK_DESC */
	LINK_DESC,
	/* M_LINK_GET */
	"SELECT c.slug, COALESCE(a.handle, ''), l.channel, "
	    "COALESCE(l.label, ''), l.destination, COALESCE(l.utm_source, ''), "
	    "COALESCE(l.utm_medium, ''), COALESCE(l.utm_campaign, ''), "
	    "COALESCE(l.utm_content, ''), COALESCE(l.utm_term, ''), "
	    "COALESCE(DATE_FORMAT(l.valid_until, '%Y-%m-%d %H:%i:%s'), ''), "
	    "COALESCE(l.fallback_url, ''), l.disabled FROM links l "
	    "JOIN campaigns c ON c.id = l.campaign_id "
	    "LEFT JOIN advocates a ON a.id = l.advocate_id WHERE l.code = ?",
	/* M_LINK_ADD: code, campaign, advocate, channel, label, dest, utm
	 * x5, valid until, fallback. */
	"INSERT INTO links (code, campaign_id, advocate_id, channel, label, "
	    "destination, utm_source, utm_medium, utm_campaign, utm_content, "
	    "utm_term, valid_until, fallback_url) VALUES (?, ?, ?, "
	    "COALESCE(NULLIF(?, ''), 'referral'), NULLIF(?, ''), ?, "
	    "NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), "
	    "NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''))",
	/* M_LINK_SET: advocate, channel, label, dest, utm x5, valid until,
	 * fallback, code. */
	"UPDATE links SET advocate_id = ?, channel = COALESCE(NULLIF(?, ''), "
	    "'referral'), label = NULLIF(?, ''), destination = ?, "
	    "utm_source = NULLIF(?, ''), utm_medium = NULLIF(?, ''), "
	    "utm_campaign = NULLIF(?, ''), utm_content = NULLIF(?, ''), "
	    "utm_term = NULLIF(?, ''), valid_until = NULLIF(?, ''), "
	    "fallback_url = NULLIF(?, '') WHERE code = ?",
	/* M_LINK_ABLE: disabled, code. */
	"UPDATE links SET disabled = ? WHERE code = ?",
	/* M_LINK_LIST: limit.  Newest first. */
	"SELECT l.code, c.slug, COALESCE(a.handle, ''), l.destination, "
	    "l.disabled FROM links l JOIN campaigns c ON c.id = l.campaign_id "
	    "LEFT JOIN advocates a ON a.id = l.advocate_id "
	    "ORDER BY l.id DESC LIMIT ?",
	/* M_AUDIT_LIST: limit.  Newest first. */
	"SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), user_name, action, "
	    "object, COALESCE(before_text, ''), COALESCE(after_text, '') "
	    "FROM audit_log ORDER BY id DESC LIMIT ?",
	/* M_CLICKS_LINK: code, days.  People by link and by QR scan, and
	 * bots, per day (clicks_link_time). */
	"SELECT DATE_FORMAT(k.clicked_at, '%Y-%m-%d') d, "
	    "SUM(k.is_bot = 0 AND k.trigger_kind = 'link'), "
	    "SUM(k.is_bot = 0 AND k.trigger_kind = 'qr'), SUM(k.is_bot) "
	    "FROM clicks k JOIN links l ON l.id = k.link_id WHERE l.code = ? "
	    "GROUP BY d ORDER BY d DESC LIMIT ?",
	/* M_CLICKS_ADV: handle, days: the same over an advocate's links. */
	"SELECT DATE_FORMAT(k.clicked_at, '%Y-%m-%d') d, "
	    "SUM(k.is_bot = 0 AND k.trigger_kind = 'link'), "
	    "SUM(k.is_bot = 0 AND k.trigger_kind = 'qr'), SUM(k.is_bot) "
	    "FROM clicks k JOIN links l ON l.id = k.link_id "
	    "JOIN advocates a ON a.id = l.advocate_id WHERE a.handle = ? "
	    "GROUP BY d ORDER BY d DESC LIMIT ?",
	/* M_PW_GET */
	"SELECT pw_hash FROM users WHERE id = ? AND disabled = 0",
	/* M_PW_SET: hash, id. */
	"UPDATE users SET pw_hash = ? WHERE id = ?",
	/* M_SESS_OTHERS: user, this session. */
	"DELETE FROM sessions WHERE user_id = ? AND id <> ?",
	/* M_SESS_ALL: user. */
	"DELETE FROM sessions WHERE user_id = ?",
	/* M_CAMP_FORM: the form's fields after the slug, then disabled. */
	"SELECT name, allowed_hosts, default_dest, COALESCE(fallback_url, ''), "
	    SHARE_OF("email", "subject") ", " SHARE_OF("email", "body") ", "
	    SHARE_OF("chat", "body") ", " SHARE_OF("social", "body") ", "
	    "disabled FROM campaigns c WHERE slug = ?",
	/* M_SHARE_SET: kind, subject, body, slug (as hearsay-admin share
	 * set). */
	"INSERT INTO share_texts (campaign_id, kind, subject, body) "
	    "SELECT id, ?, NULLIF(?, ''), ? FROM campaigns WHERE slug = ? "
	    "ON DUPLICATE KEY UPDATE subject = VALUES(subject), "
	    "body = VALUES(body), updated_at = CURRENT_TIMESTAMP(3)",
	/* M_SHARE_DEL: slug, kind (hearsay-admin share remove). */
	"DELETE s FROM share_texts s JOIN campaigns c ON "
	    "c.id = s.campaign_id WHERE c.slug = ? AND s.kind = ?",
	/* M_SAVEPOINT: before each row of an import of the good rows. */
	"SAVEPOINT hs_import_row",
	/* M_SAVEPOINT_BACK: a refused row of it, undone alone. */
	"ROLLBACK TO SAVEPOINT hs_import_row",
	/* M_CAMP_LINKS: slug: every link's destinations, to check a
	 * campaign's new hosts against. */
	"SELECT l.code, l.destination, COALESCE(l.fallback_url, '') "
	    "FROM links l JOIN campaigns c ON c.id = l.campaign_id "
	    "WHERE c.slug = ? ORDER BY l.id",
	/* M_EV_DESC */
	EV_DESC,
	/* M_EV_GET: the form's fields after the slug, then disabled. */
	"SELECT e.name, c.slug, COALESCE(a.handle, ''), "
	    "COALESCE(e.venue, ''), "
	    "COALESCE(DATE_FORMAT(e.starts_at, '%Y-%m-%d %H:%i:%s'), ''), "
	    "COALESCE(DATE_FORMAT(e.ends_at, '%Y-%m-%d %H:%i:%s'), ''), "
	    "CAST((SELECT COUNT(*) FROM links l WHERE l.event_id = e.id AND "
	    "l.label IS NOT NULL) AS CHAR), e.disabled FROM events e "
	    "JOIN campaigns c ON c.id = e.campaign_id "
	    "LEFT JOIN advocates a ON a.id = e.host_advocate_id "
	    "WHERE e.slug = ?",
	/* M_EV_SET: name, venue, starts, ends, slug. */
	"UPDATE events SET name = ?, venue = NULLIF(?, ''), "
	    "starts_at = NULLIF(?, ''), ends_at = NULLIF(?, '') WHERE slug = ?",
	/* M_EV_ABLE, M_EV_LINKS_ABLE: disabled, slug (as hearsay-admin
	 * event disable). */
	HS_SQL_EVENT_ABLE,
	HS_SQL_EVENT_LINKS_ABLE,
	/* M_EV_LIST: limit.  Newest first. */
	"SELECT e.slug, e.name, c.slug, COALESCE(a.handle, ''), e.disabled "
	    "FROM events e JOIN campaigns c ON c.id = e.campaign_id "
	    "LEFT JOIN advocates a ON a.id = e.host_advocate_id "
	    "ORDER BY e.id DESC LIMIT ?",
	/* M_EV_ADD .. M_EV_LINK_OWNER: core's hs_event_create. */
	HS_SQL_EVENT_ADD,
	HS_SQL_EVENT_ID,
	HS_SQL_EVENT_LINK_ADD,
	HS_SQL_EVENT_LINK_OWNER,
	/* M_EV_LINKS: slug. */
	"SELECT l.code, COALESCE(l.label, ''), l.disabled FROM links l "
	    "JOIN events e ON e.id = l.event_id WHERE e.slug = ? "
	    "ORDER BY l.label IS NOT NULL, l.id",
	/* M_TOKEN_ADD: hash, slug: a host page for the event's host, in
	 * the event's campaign (as hearsay-admin host grant). */
	"INSERT INTO host_tokens (advocate_id, campaign_id, token_hash) "
	    "SELECT e.host_advocate_id, e.campaign_id, ? FROM events e "
	    "WHERE e.slug = ? AND e.host_advocate_id IS NOT NULL",
	/* M_TOKEN_REVOKE: slug: every host page of the event's host. */
	"UPDATE host_tokens t JOIN events e ON "
	    "e.host_advocate_id = t.advocate_id "
	    "SET t.revoked_at = CURRENT_TIMESTAMP(3) "
	    "WHERE e.slug = ? AND t.revoked_at IS NULL",
	/* M_TOKEN_ACTIVE: handle. */
	"SELECT COUNT(*) FROM host_tokens t JOIN advocates a ON "
	    "a.id = t.advocate_id WHERE a.handle = ? AND t.revoked_at IS NULL",
	/*
	 * M_FLAG_LOCK .. M_FLAG_MARK: a decision on a flagged referral
	 * (page_flags.c), here because its reads lock, which the report's
	 * own statements, prepared on the read-only handle too, cannot.
	 * M_FLAG_LOCK: ref, campaign x2: flagged and in scope, its
	 * attributions row locked: every decision on a referral waits
	 * for the one before it to commit.
	 */
	"SELECT COUNT(*) FROM attributions WHERE signup_ref = ? AND "
	    "risk_flags <> '' AND (? = 0 OR campaign_id = ?) FOR UPDATE",
	/* M_FLAG_STATE: ref: the newest decision, who, when; a locking
	 * read, so the newest committed, not the unit's snapshot. */
	"SELECT decision, user_name, DATE_FORMAT(decided_at, "
	    "'%Y-%m-%d %H:%i') FROM flag_reviews WHERE signup_ref = ? "
	    "ORDER BY id DESC LIMIT 1 FOR UPDATE",
	/* M_FLAG_ADD: ref, decision, reason, user. */
	"INSERT INTO flag_reviews (signup_ref, decision, reason, user_name, "
	    "decided_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))",
	/* M_FLAG_MARK: reviewed, ref: kept by every later run. */
	"UPDATE attributions SET reviewed = ? WHERE signup_ref = ?",
};

static struct hs_db *mdb;	/* this worker's handle */

/* The manage handle, opened on first use (reconnects by itself). */
struct hs_db *
manage_db(struct report *rp)
{

	if (mdb == NULL)
		rpt_ignore(hs_db_open(&mdb, &rp->conf, 0, mstmts, M__MAX));
	return mdb;
}
