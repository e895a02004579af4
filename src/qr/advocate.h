/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * advocate.h: the statements of the advocates' pages (advocate.c), in
 * the order of their STMT_ADV_* names in qr.h; main.c splices them into
 * the program's one statement table (STYLE.md section 8).
 */
#ifndef ADVOCATE_H
#define ADVOCATE_H

#define QR_ADV_SQL							\
	/* STMT_ADV_FIND */						\
	"SELECT t.id, t.advocate_id, a.display_name, a.suggest, "	\
	    "a.leaderboard FROM advocate_tokens t JOIN advocates a ON "	\
	    "a.id = t.advocate_id WHERE t.token_hash = ? "		\
	    "AND t.revoked_at IS NULL AND a.status = 'active'",	\
	/*								\
	 * STMT_ADV_GONE: a revoked one (cap.c), to say so; the	\
	 * advocates' pages speak English.				\
	 */								\
	"SELECT 'en' FROM advocate_tokens t JOIN advocates a ON "	\
	    "a.id = t.advocate_id WHERE t.token_hash = ? "		\
	    "AND t.revoked_at IS NOT NULL AND a.status = 'active' "	\
	    "LIMIT 1",							\
	/* STMT_ADV_LINKS: invite links (not events') that work. */	\
	"SELECT l.code, c.name, c.id FROM links l JOIN campaigns c "	\
	    "ON c.id = l.campaign_id WHERE l.advocate_id = ? "		\
	    "AND l.event_id IS NULL AND l.disabled = 0 "		\
	    "AND c.disabled = 0 AND (l.valid_until IS NULL OR "		\
	    "l.valid_until > NOW()) ORDER BY l.id LIMIT 20",		\
	/* STMT_ADV_SHARES: the owner's texts for their campaigns. */	\
	"SELECT s.campaign_id, s.kind, COALESCE(s.subject, ''), "	\
	    "s.body FROM share_texts s WHERE s.campaign_id IN "		\
	    "(SELECT l.campaign_id FROM links l WHERE "			\
	    "l.advocate_id = ? AND l.event_id IS NULL AND "		\
	    "l.disabled = 0) ORDER BY s.campaign_id, s.kind LIMIT 30",	\
	/*								\
	 * STMT_ADV_RESULTS: per month, human clicks on their links,	\
	 * signups that carried one, answers naming them (after the	\
	 * reconciliation) and of those the ones whose link agrees.	\
	 * Months only: never a day, a time or a row about a person.	\
	 */								\
	"SELECT m, CAST(SUM(cl) AS SIGNED), CAST(SUM(su) AS SIGNED), "	\
	    "CAST(SUM(na) AS SIGNED), CAST(SUM(ag) AS SIGNED) FROM ("	\
	    "SELECT DATE_FORMAT(c.clicked_at, '%Y-%m') m, 1 cl, 0 su, "	\
	    "0 na, 0 ag FROM links l JOIN clicks c ON c.link_id = l.id "\
	    "WHERE l.advocate_id = ? AND c.is_bot = 0 "			\
	    "UNION ALL SELECT DATE_FORMAT(s.signed_up_at, '%Y-%m'), "	\
	    "0, 1, 0, 0 FROM signups s WHERE s.id IN (SELECT "		\
	    "sc.signup_id FROM links l JOIN clicks c ON "		\
	    "c.link_id = l.id AND c.is_bot = 0 JOIN signup_clicks sc "	\
	    "ON sc.click_id = c.click_id WHERE l.advocate_id = ?) "	\
	    "UNION ALL SELECT DATE_FORMAT(a.day, '%Y-%m'), 0, 0, 1, "	\
	    "a.class = 'agree' FROM attributions a "			\
	    "WHERE a.reported_advocate_id = ?) t "			\
	    "GROUP BY m ORDER BY m DESC LIMIT 24",			\
	/* STMT_ADV_HOSTCAMP: a host page they may open, and where. */	\
	"SELECT campaign_id FROM host_tokens WHERE advocate_id = ? "	\
	    "AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",		\
	/* STMT_ADV_HOST_REVOKE: advocate, campaign: their host pages	\
	 * there, before a new one is made (one address at a time). */	\
	"UPDATE host_tokens SET revoked_at = CURRENT_TIMESTAMP(3) "	\
	    "WHERE advocate_id = ? AND campaign_id = ? AND "		\
	    "revoked_at IS NULL",					\
	/* STMT_ADV_HOST_ADD */						\
	"INSERT INTO host_tokens (advocate_id, campaign_id, "		\
	    "token_hash) VALUES (?, ?, ?)",				\
	/* STMT_ADV_PREFS: the two opt-ins. */				\
	"UPDATE advocates SET suggest = ?, leaderboard = ? "		\
	    "WHERE id = ?",						\
	/*								\
	 * STMT_ADV_BOARD: opted-in advocates, counts only; a score	\
	 * under the threshold (the parameter) sorts as 0, so the	\
	 * order tells nothing the counts hide.			\
	 */								\
	"SELECT id, display_name, su, na FROM (SELECT a.id, "		\
	    "a.display_name, (SELECT COUNT(DISTINCT sc.signup_id) "	\
	    "FROM links l JOIN clicks c ON c.link_id = l.id AND "	\
	    "c.is_bot = 0 JOIN signup_clicks sc ON sc.click_id = "	\
	    "c.click_id WHERE l.advocate_id = a.id) su, (SELECT "	\
	    "COUNT(*) FROM attributions t WHERE "			\
	    "t.reported_advocate_id = a.id) na FROM advocates a "	\
	    "WHERE a.leaderboard = 1 AND a.status = 'active') b "	\
	    "ORDER BY IF(su + na >= ?, su + na, 0) DESC, display_name "	\
	    "LIMIT 20",

#endif /* !ADVOCATE_H */
