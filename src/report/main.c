/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-report, the analysts' pages under /admin/.  This file
 * holds the statement table, the route table (core answers the path,
 * method and body gates, hs_route) and the report's own gates every
 * request passes after them (same-origin POST, session, CSRF), and the
 * program's description for core's skeleton (program.c).  Each worker
 * opens two database handles: a read-only one (the db_ro_user account,
 * session READ ONLY) that every page reads through, and a read-write one
 * used only for logins, sessions and review decisions.  No request
 * header names the user: only the session cookie, looked up by its
 * hash, does.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"
#include "report.h"

/*
 * The signups behind the overview's other counts: tracked channel x2,
 * reported channel x2 ('none': that side missing, as channel_matrix
 * names it), then which count x5 (page_signups.c's only=): the referrals
 * by tracked link, by answer, by either (daily_aggregates' referral_*),
 * or the signups with both sides (the agreement's).
 */
#define SIGNUPS_SIDES \
	" AND (? = '' OR COALESCE(a.tracked_channel, 'none') = ?) AND " \
	"(? = '' OR COALESCE(a.reported_channel, 'none') = ?) AND " \
	"(? = '' OR (? = 'tracked_referral' AND a.tracked_channel IN " \
	HS_SQL_REFERRAL_SET ") OR (? = 'reported_referral' AND " \
	"a.reported_channel IN " HS_SQL_REFERRAL_SET ") OR " \
	"(? = 'either_referral' AND (a.tracked_channel IN " \
	HS_SQL_REFERRAL_SET " OR a.reported_channel IN " \
	HS_SQL_REFERRAL_SET ")) OR (? = 'both_sides' AND " \
	"a.tracked_channel IS NOT NULL AND a.reported_channel IS NOT NULL))"

const char *const report_stmts[STMT__MAX] = {
	/* STMT_SESSION_GET: token hash, idle limit (s). */
	"SELECT u.id, u.name, COALESCE(u.campaign_id, 0), s.csrf, "
	    "s.last_seen < UTC_TIMESTAMP() - INTERVAL 60 SECOND, "
	    "u.role = 'admin' FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.id = ? AND s.expires_at > UTC_TIMESTAMP() AND "
	    "s.last_seen > UTC_TIMESTAMP() - INTERVAL ? SECOND AND "
	    "u.disabled = 0",
	/* STMT_SESSION_TOUCH */
	"UPDATE sessions SET last_seen = UTC_TIMESTAMP() WHERE id = ?",
	/* STMT_SESSION_ADD: id, user, csrf, lifetime (s). */
	"INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, "
	    "last_seen) VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() + "
	    "INTERVAL ? SECOND, UTC_TIMESTAMP())",
	/* STMT_SESSION_DEL */
	"DELETE FROM sessions WHERE id = ?",
	/* STMT_SESSION_GC: idle limit (s). */
	"DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP() OR "
	    "last_seen < UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 100",
	/* STMT_USER_GET */
	"SELECT id, pw_hash, disabled FROM users WHERE name = ?",
	/* STMT_ATTEMPTS_USER: name, window (s). */
	"SELECT COUNT(*) FROM login_attempts "
	    "WHERE user_name = ? AND "
	    "attempted_at > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	/* STMT_ATTEMPTS_CLIENT: window (s), client hash, window (s).  The
	 * count, and the seconds until the newest failure leaves the window:
	 * from then on the client has none and is never throttled. */
	"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
	    "MAX(attempted_at) + INTERVAL ? SECOND), 0) FROM login_attempts "
	    "WHERE client_hash = ? AND "
	    "attempted_at > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	/* STMT_ATTEMPTS_ALL: window (s), cap.  Every failure of the window,
	 * counted up to the cap only, so a flood costs one bounded range. */
	"SELECT COUNT(*) FROM (SELECT 1 FROM login_attempts WHERE "
	    "attempted_at > UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT ?) w",
	/* STMT_ATTEMPT_ADD */
	"INSERT INTO login_attempts (user_name, client_hash, attempted_at) "
	    "VALUES (?, ?, UTC_TIMESTAMP())",
	/* STMT_ATTEMPTS_GC: window (s). */
	"DELETE FROM login_attempts WHERE "
	    "attempted_at < UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 1000",
	/* STMT_ATTEMPTS_CLEAR: name, client hash.  A good login forgets its
	 * own client's failures for the name, never another client's: the
	 * analyst signing in must not lift an attacker's throttle. */
	"DELETE FROM login_attempts WHERE user_name = ? AND client_hash = ?",
	/* STMT_CAMPAIGNS: scope (0: all), scope. */
	"SELECT id, name FROM campaigns WHERE ? = 0 OR id = ? "
	    "ORDER BY name, id",
	/* STMT_CAMPAIGN_HAS */
	"SELECT COUNT(*) FROM campaigns WHERE id = ?",
	/* STMT_DAYS: from, to, campaign, campaign.  One pass over the
	 * per-day rollup (one row per day and campaign, not the hundreds
	 * of daily_aggregates rows of a day) gives both daily charts and
	 * the funnel's totals. */
	"SELECT DATE_FORMAT(day, '%Y-%m-%d'), SUM(signups), SUM(agree), "
	    "SUM(disagree), SUM(tracked_only), SUM(reported_only), "
	    "SUM(unattributed), SUM(reported), SUM(free_text), "
	    "SUM(free_mapped), SUM(referral_tracked), SUM(referral_reported), "
	    "SUM(referral_any) FROM rollup_days "
	    "WHERE day BETWEEN ? AND ? AND (? = 0 OR campaign_id = ?) "
	    "GROUP BY day ORDER BY day",
	/* STMT_MATRIX: from, to. */
	"SELECT tracked_channel, reported_channel, SUM(n) "
	    "FROM channel_matrix WHERE day BETWEEN ? AND ? "
	    "GROUP BY tracked_channel, reported_channel",
	/* STMT_MATRIX_CAMP: from, to, campaign: the same matrix from its
	 * per-campaign rollup. */
	"SELECT tracked_channel, reported_channel, SUM(n) "
	    "FROM campaign_matrix WHERE day BETWEEN ? AND ? AND "
	    "campaign_id = ? GROUP BY tracked_channel, reported_channel",
	/* STMT_ADVOCATES: first and last whole month, campaign x2, from,
	 * to, first whole month, last day of the whole months, campaign x2,
	 * sort x2, limit.  Whole months come from the monthly rollup, the
	 * days before and after them from daily_aggregates.  The sort key
	 * is bound, never spliced: it was checked against an allowlist,
	 * and the CASE maps it to a column.  Aggregated first, joined
	 * after: one lookup per advocate, not per row. */
	"SELECT a.id, a.handle, a.display_name, g.s, g.t, g.ro, g.ag, g.fl, "
	    "g.rv FROM (SELECT advocate_id, SUM(s) s, SUM(t) t, SUM(ro) ro, "
	    "SUM(ag) ag, SUM(fl) fl, SUM(rv) rv FROM ("
	    "SELECT advocate_id, signups s, tracked t, reported_only ro, "
	    "agree ag, flagged fl, reviewed rv FROM rollup_advocate_months "
	    "WHERE month BETWEEN ? AND ? AND (? = 0 OR campaign_id = ?) "
	    "UNION ALL SELECT advocate_id, signups, tracked, reported_only, "
	    "agree, flagged, reviewed FROM daily_aggregates "
	    "WHERE day BETWEEN ? AND ? AND (day < ? OR day > ?) AND "
	    "(? = 0 OR campaign_id = ?) AND advocate_id <> 0) u "
	    "GROUP BY advocate_id) g "
	    "JOIN advocates a ON a.id = g.advocate_id "
	    "ORDER BY CASE WHEN ? = 'name' THEN a.handle END, "
	    "CASE ? WHEN 'implicit' THEN g.ro WHEN 'signups' THEN g.s "
	    "WHEN 'flagged' THEN g.fl WHEN 'name' THEN 0 ELSE g.t END DESC, "
	    "a.handle LIMIT ?",
	/* STMT_ADV_FLAGS: advocate, from, to, campaign x2: the flag set
	 * of one advocate shown with flagged rows (SET + 0 is its bit
	 * mask), from the index attributions_adv_flags alone (041). */
	"SELECT COALESCE(BIT_OR(risk_flags + 0), 0) FROM attributions "
	    "WHERE advocate_id = ? AND day BETWEEN ? AND ? AND "
	    "(? = 0 OR campaign_id = ?) AND risk_flags <> ''",
	/* STMT_EVENTS: from, to, from, to, campaign x2, from, to, limit.
	 * The slug last: the link to the event's signups.
	 * The scans come from rollup_event_scans (042), one index range
	 * per listed event, not from the clicks of the range. */
	"SELECT e.id, e.name, COALESCE(DATE_FORMAT(e.starts_at, "
	    "'%Y-%m-%d'), ''), COALESCE(g.s, 0), "
	    "(SELECT COALESCE(SUM(x.scans), 0) FROM rollup_event_scans x "
	    "WHERE x.event_id = e.id AND x.day BETWEEN ? AND ?), e.slug "
	    "FROM events e LEFT JOIN (SELECT event_id, SUM(signups) s "
	    "FROM daily_aggregates WHERE day BETWEEN ? AND ? AND "
	    "event_id <> 0 GROUP BY event_id) g ON g.event_id = e.id "
	    "WHERE (? = 0 OR e.campaign_id = ?) AND (g.s > 0 OR "
	    "DATE(e.starts_at) BETWEEN ? AND ?) "
	    "ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
	/* STMT_FUNNEL: from, to, campaign x2: answers, and answers that
	 * chose a decoy option, from rollup_survey_days (042; campaign 0
	 * holds answers without a signup campaign). */
	"SELECT COALESCE(SUM(answers), 0), COALESCE(SUM(decoy_answers), 0) "
	    "FROM rollup_survey_days WHERE day BETWEEN ? AND ? AND "
	    "(? = 0 OR campaign_id = ?)",
	/* STMT_POSITIONS: from, to, campaign x2: answers by the position
	 * (1-based) the first chosen option was shown at; 0 when it was
	 * not in the shown order (rollup_survey_positions, 042). */
	"SELECT position, SUM(answers) FROM rollup_survey_positions "
	    "WHERE day BETWEEN ? AND ? AND (? = 0 OR campaign_id = ?) "
	    "GROUP BY position ORDER BY position",
	/* STMT_FLAGS_COUNT: campaign x2, state x2 (open, decided, all).
	 * The newest flag_reviews row of a signup is its state (120); an
	 * undo, or none, leaves it open.  flagged: risk_flags <> '' through
	 * its index (190). */
	"SELECT COUNT(*) FROM attributions a LEFT JOIN flag_reviews d ON "
	    "d.id = (SELECT MAX(x.id) FROM flag_reviews x WHERE "
	    "x.signup_ref = a.signup_ref) WHERE a.flagged = 1 AND "
	    "(? = 0 OR a.campaign_id = ?) AND (? = 'all' OR (? = 'open') = "
	    "(COALESCE(d.decision, 'undo') = 'undo'))",
	/* STMT_FLAGS_LIST: as STMT_FLAGS_COUNT, then limit, offset.  A
	 * flagged referral is reward-eligible once accepted. */
	"SELECT a.signup_ref, DATE_FORMAT(a.day, '%Y-%m-%d'), a.class, "
	    "a.channel, COALESCE(v.handle, ''), a.risk_flags, "
	    "COALESCE(d.decision, ''), COALESCE(d.reason, ''), "
	    "COALESCE(d.user_name, ''), COALESCE(DATE_FORMAT(d.decided_at, "
	    "'%Y-%m-%d %H:%i'), ''), a.advocate_id <> 0 AND "
	    "COALESCE(d.decision, '') = 'accept' FROM attributions a "
	    "LEFT JOIN advocates v ON v.id = a.advocate_id "
	    "LEFT JOIN flag_reviews d ON d.id = (SELECT MAX(x.id) FROM "
	    "flag_reviews x WHERE x.signup_ref = a.signup_ref) "
	    "WHERE a.flagged = 1 AND (? = 0 OR a.campaign_id = ?) AND "
	    "(? = 'all' OR (? = 'open') = "
	    "(COALESCE(d.decision, 'undo') = 'undo')) "
	    "ORDER BY a.day DESC, a.signup_ref LIMIT ? OFFSET ?",
	/* STMT_RULES_LIST: limit.  The newest version of every rule, the
	 * latest changed first, with its advocate's handle or event's
	 * slug. */
	"SELECT r.version, r.kind, r.pattern, r.target_kind, "
	    "r.target_channel, COALESCE(CASE r.target_kind WHEN 'advocate' "
	    "THEN (SELECT handle FROM advocates WHERE id = r.target_id) "
	    "WHEN 'event' THEN (SELECT slug FROM events WHERE "
	    "id = r.target_id) END, ''), r.created_by, "
	    "DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i') FROM mapping_rules r "
	    "WHERE r.version = (SELECT MAX(x.version) FROM mapping_rules x "
	    "WHERE x.kind = r.kind AND x.pattern = r.pattern) "
	    "ORDER BY r.id DESC LIMIT ?",
	/* STMT_RULE_LAST: kind, pattern: the newest two versions. */
	"SELECT version, target_kind, target_id, target_channel "
	    "FROM mapping_rules WHERE kind = ? AND pattern = ? "
	    "ORDER BY version DESC LIMIT 2",
	/* STMT_RULE_GET_ID: id: what a rule maps, for its confirmation. */
	"SELECT r.kind, r.pattern, r.target_kind, r.target_channel, "
	    "COALESCE(CASE r.target_kind WHEN 'advocate' THEN (SELECT "
	    "display_name FROM advocates WHERE id = r.target_id) WHEN "
	    "'event' THEN (SELECT name FROM events WHERE id = r.target_id) "
	    "END, '') FROM mapping_rules r WHERE r.id = ?",
	/* STMT_QUEUE_POINT: rule (0: open again), kind, text. */
	"UPDATE review_queue SET resolved_rule_id = ? WHERE kind = ? AND "
	    "norm_text = ?",
	/* STMT_SIGNUPS_COUNT: from, to, campaign x2, class x2, channel
	 * x2, advocate handle x2, event slug x2, SIGNUPS_SIDES ('' for
	 * any). */
	"SELECT COUNT(*) FROM attributions a "
	    "LEFT JOIN advocates ta ON ta.id = a.advocate_id "
	    "LEFT JOIN events ev ON ev.id = a.event_id "
	    "WHERE a.day BETWEEN ? AND ? AND (? = 0 OR a.campaign_id = ?) AND "
	    "(? = '' OR a.class = ?) AND (? = '' OR a.channel = ?) AND "
	    "(? = '' OR ta.handle = ?) AND (? = '' OR ev.slug = ?)"
	    SIGNUPS_SIDES,
	/* STMT_SIGNUPS: as STMT_SIGNUPS_COUNT, then limit, offset.  The
	 * signups behind a count, advocates by handle; reward-eligible:
	 * credited to an advocate, and unflagged or accepted (120). */
	"SELECT a.signup_ref, DATE_FORMAT(a.day, '%Y-%m-%d'), a.class, "
	    "a.channel, COALESCE(l.code, ''), COALESCE(ta.handle, ''), "
	    "COALESCE(ev.slug, ''), COALESCE(a.reported_option, ''), "
	    "COALESCE(a.free_raw, ''), COALESCE(ra.handle, ''), a.rule, "
	    "CAST(a.confidence AS CHAR), a.risk_flags, "
	    "COALESCE(d.decision, ''), a.advocate_id <> 0 AND "
	    "(a.risk_flags = '' OR COALESCE(d.decision, '') = 'accept') "
	    "FROM attributions a "
	    "LEFT JOIN links l ON l.id = a.tracked_link_id "
	    "LEFT JOIN advocates ta ON ta.id = a.advocate_id "
	    "LEFT JOIN events ev ON ev.id = a.event_id "
	    "LEFT JOIN advocates ra ON ra.id = a.reported_advocate_id "
	    "LEFT JOIN flag_reviews d ON d.id = (SELECT MAX(x.id) FROM "
	    "flag_reviews x WHERE x.signup_ref = a.signup_ref) "
	    "WHERE a.day BETWEEN ? AND ? AND (? = 0 OR a.campaign_id = ?) AND "
	    "(? = '' OR a.class = ?) AND (? = '' OR a.channel = ?) AND "
	    "(? = '' OR ta.handle = ?) AND (? = '' OR ev.slug = ?)"
	    SIGNUPS_SIDES " ORDER BY a.day, a.signup_ref LIMIT ? OFFSET ?",
	/* STMT_FRESHNESS: the last run that kept its results, when it
	 * ended and up to when it counted signups (its window's end, else
	 * when it started). */
	"SELECT DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i'), "
	    "DATE_FORMAT(COALESCE(until, started_at), '%Y-%m-%d %H:%i') "
	    "FROM reconcile_runs WHERE status = 'ok' AND dry_run = 0 "
	    "ORDER BY id DESC LIMIT 1",
	/* STMT_REVIEW_LIST: limit.  Most frequent first. */
	"SELECT kind, norm_text, sample_text, n, "
	    "DATE_FORMAT(first_seen, '%Y-%m-%d'), "
	    "DATE_FORMAT(last_seen, '%Y-%m-%d') FROM review_queue "
	    "WHERE resolved_rule_id = 0 ORDER BY n DESC, kind, norm_text "
	    "LIMIT ?",
	/* STMT_REVIEW_GET: kind, text; only while unresolved. */
	"SELECT COUNT(*) FROM review_queue WHERE kind = ? AND "
	    "norm_text = ? AND resolved_rule_id = 0",
	/* STMT_TARGET_ADVOCATE */
	"SELECT id FROM advocates WHERE handle = ?",
	/* STMT_TARGET_EVENT */
	"SELECT id FROM events WHERE slug = ?",
	/* STMT_RULE_VERSION: kind, pattern. */
	"SELECT COALESCE(MAX(version), 0) FROM mapping_rules "
	    "WHERE kind = ? AND pattern = ?",
	/* STMT_RULE_ADD */
	"INSERT INTO mapping_rules (version, kind, pattern, target_kind, "
	    "target_id, target_channel, created_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* STMT_REVIEW_RESOLVE: rule, kind, text. */
	"UPDATE review_queue SET resolved_rule_id = ? WHERE kind = ? AND "
	    "norm_text = ? AND resolved_rule_id = 0",
	/* STMT_TARGETS: what a review item can be mapped to. */
	"SELECT 'advocate', handle, display_name FROM advocates "
	    "WHERE status = 'active' UNION ALL "
	    "SELECT 'event', slug, name FROM events LIMIT 2000",
};

static const char *const page_keys[PKEY__MAX] = {
	"title",	/* PKEY_TITLE */
	"user",		/* PKEY_USER */
	"csrf",		/* PKEY_CSRF */
	"body",		/* PKEY_BODY */
};

static const char *const login_keys[LKEY__MAX] = {
	"token",	/* LKEY_TOKEN */
	"message",	/* LKEY_MESSAGE */
	"user",		/* LKEY_USER */
};

enum page {
	PAGE_OVERVIEW,
	PAGE_LOGIN,
	PAGE_LOGOUT,
	PAGE_REVIEW,
	PAGE_REVIEW_MAP,
	PAGE_FLAGS,
	PAGE_FLAGS_DECIDE,
	PAGE_FLAGS_UNDO,
	PAGE_RULES,
	PAGE_RULES_SET,
	PAGE_RULES_REMOVE,
	PAGE_RULES_UNDO,
	PAGE_SIGNUPS,
	PAGE_COHORTS,
	PAGE_COHORTS_COST,
	PAGE_MANAGE,
	PAGE_MANAGE_SAVE,
	PAGE_ACCOUNT,
	PAGE_ACCOUNT_SAVE,
	PAGE__MAX
};

/*
 * The session cookie's name.  __Host- binds the cookie to this origin
 * (Secure, Path=/, no Domain), but browsers accept it only over https,
 * so a plain-http stack (the test harness) uses the bare name.
 */
const char *
report_cookie_name(const struct report *rp)
{

	return rp->secure ? "__Host-hs_session" : "hs_session";
}

/* Answers a request without a session: 303 to the login page for a
 * page, 401 for a download or an action (a script should not follow). */
static void
need_login(struct hs_req *r, int redirect)
{

	if (redirect) {
		rpt_ignore(hs_http_redirect(r, 303, "/admin/login"));
		return;
	}
	if (hs_http_header(r, "WWW-Authenticate",
	    "Cookie realm=\"hearsay report\"") != HS_OK)
		return;
	(void)hs_http_error(r, 401, "Please sign in first.");
}

/*
 * The query's format, read only to choose how to ask for a sign-in: a
 * value sent twice reads as absent (LAX), as the page itself refuses it.
 */
static const struct hs_field format_field[] = {
	{ .name = "format", .kind = HS_FIELD_TEXT, .flags = HS_FIELD_LAX,
	    .max = HS_MAX_FIELD },
};

/* Returns 1 when the query asks for a download (format=csv|json). */
static int
wants_download(const struct hs_req *r)
{
	struct hs_fval	 v[1];
	struct hs_fbad	 bad;

	return hs_field_parse(r->qv, r->qvsz, format_field, 1, 0, v, &bad) ==
	    HS_OK && v[0].set && strcmp(v[0].s, "html") != 0;
}

/*
 * The report's own gates, after core's (method, path, body: routes[]):
 * a POST from this site only, then, but for the login page, a session,
 * and for a POST its form with the session's CSRF token.  Returns 1 to
 * serve the page with s, or 0 once the request is answered.
 */
static int
gates(struct report *rp, struct hs_req *r, int login, struct sess *s)
{
	int		 post = r->method == HS_METHOD_POST, have;
	enum hs_err	 e;

	if (post && !hs_req_same_origin(r, rp->conf.base_url)) {
		(void)hs_http_error(r, 403, "This form must be sent from "
		    "this site.");
		return 0;
	}
	if (login)
		return 1;
	have = auth_session(rp, r, s);
	if (have < 0) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The report database "
			    "is not available; try again shortly.");
		return 0;
	}
	if (!have) {
		need_login(r, !post && !wants_download(r));
		return 0;
	}
	if (!post)
		return 1;
	/* No form at all (no body, another type) has no token: 403. */
	e = hs_req_form(r);
	if (e != HS_OK && e != HS_EMEDIA && e != HS_EINVAL) {
		(void)hs_http_error(r, hs_http_status_of(e),
		    "The form could not be read.");
		return 0;
	}
	if (e != HS_OK || !auth_csrf_ok(s, r)) {
		(void)hs_http_error(r, 403, "The form is out of date or did "
		    "not come from this site; reload the page and try "
		    "again.");
		return 0;
	}
	return 1;
}

/* GET or HEAD /admin/login: the form; POST: signing in. */
static void
login(struct hs_req *r, void *arg)
{
	struct report	*rp = arg;

	if (r->method != HS_METHOD_POST)
		auth_login_page(rp, r);
	else if (gates(rp, r, 1, NULL))
		auth_login(rp, r);
}

static const struct hs_route routes[PAGE__MAX];

/* Every page but the login, past the gates: its page (routes[]). */
static void
serve(struct hs_req *r, void *arg)
{
	struct report	*rp = arg;
	struct sess	 s;
	enum page	 p = (enum page)(r->route - routes);

	if (!gates(rp, r, 0, &s))
		return;
	switch (p) {
	case PAGE_OVERVIEW:
		page_overview(rp, r, &s);
		break;
	case PAGE_LOGOUT:
		auth_logout(rp, r, &s);
		break;
	case PAGE_REVIEW:
		page_review(rp, r, &s);
		break;
	case PAGE_REVIEW_MAP:
		page_review_map(rp, r, &s);
		break;
	case PAGE_FLAGS:
		page_flags(rp, r, &s);
		break;
	case PAGE_FLAGS_DECIDE:
	case PAGE_FLAGS_UNDO:
		page_flags_decide(rp, r, &s, p == PAGE_FLAGS_UNDO);
		break;
	case PAGE_RULES:
		page_rules(rp, r, &s);
		break;
	case PAGE_RULES_SET:
	case PAGE_RULES_REMOVE:
	case PAGE_RULES_UNDO:
		page_rules_change(rp, r, &s, (int)(p - PAGE_RULES_SET));
		break;
	case PAGE_SIGNUPS:
		page_signups(rp, r, &s);
		break;
	case PAGE_COHORTS:
		page_cohorts(rp, r, &s);
		break;
	case PAGE_COHORTS_COST:
		page_cohorts_cost(rp, r, &s);
		break;
	case PAGE_MANAGE:
	case PAGE_MANAGE_SAVE:
		manage_page(rp, r, &s, p == PAGE_MANAGE_SAVE);
		break;
	case PAGE_ACCOUNT:
	case PAGE_ACCOUNT_SAVE:
		account_page(rp, r, &s, p == PAGE_ACCOUNT_SAVE);
		break;
	default:
		abort();
	}
}

/*
 * The pages, by enum page; core answers their gates (hs_route: 404,
 * OPTIONS 204 with Allow, 405 with Allow, 413), then gates() the
 * report's.  A page is read (GET, HEAD) or is a change (POST only, a
 * form); the login page is both.
 */
#define PAGE_READ(path)	{ path, 0, HS_M_READ, 0, serve, NULL, NULL }
#define PAGE_POST(path)	{ path, 0, HS_M(HS_METHOD_POST), HS_MAX_BODY, \
	    serve, NULL, "The form could not be read." }
static const struct hs_route routes[PAGE__MAX] = {
	[PAGE_OVERVIEW] =	PAGE_READ("/admin/"),
	[PAGE_LOGIN] =		{ "/admin/login", 0, HS_M_READ |
	    HS_M(HS_METHOD_POST), HS_MAX_BODY, login, NULL,
	    "The form could not be read." },
	[PAGE_LOGOUT] =		PAGE_POST("/admin/logout"),
	[PAGE_REVIEW] =		PAGE_READ("/admin/review"),
	[PAGE_REVIEW_MAP] =	PAGE_POST("/admin/review/map"),
	[PAGE_FLAGS] =		PAGE_READ("/admin/flags"),
	[PAGE_FLAGS_DECIDE] =	PAGE_POST("/admin/flags/decide"),
	[PAGE_FLAGS_UNDO] =	PAGE_POST("/admin/flags/undo"),
	[PAGE_RULES] =		PAGE_READ("/admin/rules"),
	[PAGE_RULES_SET] =	PAGE_POST("/admin/rules/set"),
	[PAGE_RULES_REMOVE] =	PAGE_POST("/admin/rules/remove"),
	[PAGE_RULES_UNDO] =	PAGE_POST("/admin/rules/undo"),
	[PAGE_SIGNUPS] =	PAGE_READ("/admin/signups"),
	[PAGE_COHORTS] =	PAGE_READ("/admin/cohorts"),
	[PAGE_COHORTS_COST] =	PAGE_POST("/admin/cohorts/cost"),
	[PAGE_MANAGE] =		PAGE_READ("/admin/manage"),
	[PAGE_MANAGE_SAVE] =	PAGE_POST("/admin/manage/save"),
	[PAGE_ACCOUNT] =	PAGE_READ("/admin/account"),
	[PAGE_ACCOUNT_SAVE] =	PAGE_POST("/admin/account/save"),
};

static const struct hs_tmpldef tmpls[TPL__MAX] = {
	{ "report-page.html", page_keys, PKEY__MAX },	/* TPL_PAGE */
	{ "report-login.html", login_keys, LKEY__MAX },	/* TPL_LOGIN */
};

/* After each load: an https origin takes the __Host- cookie. */
static void
configure(void *arg)
{
	struct report	*rp = arg;

	rp->secure = rp->conf.base_url != NULL &&
	    strncmp(rp->conf.base_url, "https://", 8) == 0;
}

/*
 * Once: a hash of a random password, so that a login for an unknown
 * name costs one Argon2id verification like any other.
 */
static void
start(void *arg)
{
	struct report	*rp = arg;
	char		 dummy[33];

	hs_rand_hex(dummy, sizeof(dummy));
	if (crypto_pwhash_str(rp->dummy_hash, dummy, strlen(dummy),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		errx(1, "cannot hash: out of memory");
}

static struct report	 rpt;

/*
 * Each worker opens two database handles: a read-only one (db_ro_user,
 * session READ ONLY) that every page reads through, and a read-write
 * one for logins, sessions and review decisions.
 */
static struct hs_program prog = {
	.name = "report",
	.conf = &rpt.conf,
	.routes = routes,
	.nroutes = PAGE__MAX,
	.notfound = "There is no such page.",
	.tmpls = tmpls,
	.ntmpls = TPL__MAX,
	.tmpl = rpt.tpl,
	.stmts = report_stmts,
	.nstmts = STMT__MAX,
	.db = &rpt.rw,
	.db_ro = &rpt.ro,
	.hmac = 1,		/* signs sessions and login forms */
	.configure = configure,
	.start = start,
	.arg = &rpt,
};

int
main(int argc, char *argv[])
{

	return hs_program_main(&prog, argc, argv);
}
