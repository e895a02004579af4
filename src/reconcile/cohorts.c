/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cohorts.c: the cohort tables of sql/151 (issue 20), rebuilt whole at
 * the end of every run that finished its reconciliation: who stayed
 * (retention by week or month after signing up), who activated, and
 * what they were worth at 30, 90 and 365 days, per signup cohort and
 * way of arrival; the K-factor per week and month (sql/200); and the
 * referred signups per campaign and month for the costs (sql/201); and
 * value per signup by period, channel and split for the matched
 * comparison (sql/202).  The
 * report reads only these tables.
 *
 * The pass is set-based SQL on its own connection, in one transaction
 * with its cohort_runs row (a reader sees the old tables or the new,
 * never half, each with its own as_of), from three
 * working tables (sql/151's cohort_work_*): the members (one row per signup before today, with
 * its cohort and arrival flags from its attribution), each member's
 * retained periods, and each member's activation and value per horizon.
 * Only sums are kept (value and value squared per cohort), so the
 * report can give the normal interval of a mean; the per-signup rows
 * it would need for a bootstrap are not kept (see hearsay-reconcile(8),
 * COHORTS).
 *
 * The statements over members run once per range of CO_CHUNK signup
 * ids (co_chunk), each adding to the sums the earlier ranges wrote, so
 * that none runs near the client's read timeout at a million signups;
 * their comments name their own parameters, the range follows them
 * (the cells' as_of after it).
 *
 * A cell of retention is written only when its period has ended for
 * every member of the cohort, and a value horizon counts only members
 * whose horizon has passed (its size says how many): an open period
 * would read as churn.
 *
 * The pass reads every signup and every activity row, so it runs only
 * when due (issue 15 §2 runs the reconciliation every few minutes, in
 * about a second): on --full and --cohorts, and otherwise once its last
 * completed pass (cohort_runs.computed_at) is cohort_interval_hours old.
 * A failed pass writes no cohort_runs row, so the next run retries it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "reconcile.h"

#define CO_MAX_WEEKS	104	/* retention periods kept, weekly */
#define CO_MAX_MONTHS	36	/* and monthly */
#define CO_STR(x)	CO_STR2(x)
#define CO_STR2(x)	#x

/*
 * The arrival a member counts under, the seq of a 1-5 sequence joined
 * to it: sql/151's ENUM in order.  A member is in "referral" or in
 * "none", and in any of the first three that hold.
 */
#define CO_ARRIVALS \
	"JOIN (SELECT 1 AS g UNION ALL SELECT 2 UNION ALL SELECT 3 " \
	"UNION ALL SELECT 4 UNION ALL SELECT 5) g ON " \
	"(g.g = 1 AND m.tracked) OR (g.g = 2 AND m.reported) OR " \
	"(g.g = 3 AND m.agree) OR (g.g = 4 AND (m.tracked OR m.reported)) " \
	"OR (g.g = 5 AND NOT (m.tracked OR m.reported)) "
#define CO_ARRIVAL	"ELT(g.g, 'tracked', 'reported', 'agree', " \
	"'referral', 'none')"
/*
 * The splits of sql/202's cohort_match a member counts under: 'all',
 * and a referred member also under its campaign, tier and event.
 */
#define CO_SPLITS \
	"JOIN (SELECT 1 AS g UNION ALL SELECT 2 UNION ALL SELECT 3 " \
	"UNION ALL SELECT 4) g ON g.g = 1 OR ((m.tracked OR m.reported) " \
	"AND ((g.g = 2 AND m.campaign <> '') OR (g.g = 3 AND m.tier <> '') " \
	"OR (g.g = 4 AND m.event <> ''))) "
#define CO_SPLIT	"ELT(g.g, 'all', 'campaign', 'tier', 'event')"
#define CO_SPLIT_KEY	"ELT(g.g, '', m.campaign, m.tier, m.event)"
/*
 * Chunks: every statement over members reads one range of signup ids
 * (CO_CHUNK of them), and the aggregates add each chunk's counts and
 * sums to the rows the earlier chunks wrote, so no statement runs
 * near the client's read timeout (db.c) at a million signups.
 */
#define CO_CHUNK	2000	/* signup ids per statement */
#define CO_CHUNK_IN	"m.signup_id BETWEEN ? AND ? "
#define CO_ADD_SIZE	"ON DUPLICATE KEY UPDATE cohort_retention.size = " \
	"cohort_retention.size + VALUES(size)"
#define CO_ADD_SUMS(t)	"ON DUPLICATE KEY UPDATE " t ".size = " t ".size + " \
	"VALUES(size), " t ".activated = " t ".activated + " \
	"VALUES(activated), " t ".value = " t ".value + VALUES(value), " \
	t ".value_sq = " t ".value_sq + VALUES(value_sq)"
/* MariaDB's sequence engine: seq_0_to_N, the periods 0 to max - 1. */
#define CO_SEQ(max)	"(SELECT seq AS n FROM seq_0_to_" CO_STR(max) \
	" WHERE seq < " CO_STR(max) ") q "

/* The pass's own statements, after lease.c's (RC_LEASE_SQL). */
enum {
	CO_DROP = STMT_LEASE__MAX,
	CO_MEMBERS,
	CO_MEMBERS_FILL,
	CO_RET,
	CO_RET_WEEK,
	CO_RET_MONTH,
	CO_VAL,
	CO_VAL_FILL,
	CO_DEL_RET,
	CO_DEL_VAL,
	CO_CELLS_WEEK,
	CO_CELLS_MONTH,
	CO_KEPT_WEEK,
	CO_KEPT_MONTH,
	CO_VALUE_WEEK,
	CO_VALUE_MONTH,
	CO_RUN,
	CO_DEL_KF,
	CO_KF_WEEK,
	CO_KF_MONTH,
	CO_DEL_REF,
	CO_REF,
	CO_DEL_MATCH,
	CO_MATCH_WEEK,
	CO_MATCH_MONTH,
	CO_RANGE,
	CO_TRUNC_MEMBERS,
	CO_TRUNC_RETAINED,
	CO_TRUNC_VALUE,
	CO__MAX
};

static const char *const costmts[CO__MAX] = {
	/* lease.c's, for the unit's fence (rc_lease_fence). */
	RC_LEASE_SQL,
	/* CO_DROP: the working tables of sql/151, emptied first. */
	"DELETE FROM cohort_work_members",
	/* CO_MEMBERS */
	"DELETE FROM cohort_work_retained",
	/*
	 * CO_MEMBERS_FILL (as_of): every signup before as_of; tracked,
	 * reported and agree from its attribution (none when not
	 * reconciled yet: it counts under "none" until it is).
	 */
	"INSERT INTO cohort_work_members (signup_id, at, week, month, "
	    "tracked, reported, agree, channel, campaign, tier, event) "
	    "SELECT s.id, s.signed_up_at, "
	    "DATE(s.signed_up_at) - INTERVAL WEEKDAY(s.signed_up_at) DAY, "
	    "DATE_FORMAT(s.signed_up_at, '%Y-%m-01'), "
	    "COALESCE(a.tracked_link_id IS NOT NULL, 0), "
	    "COALESCE(a.reported_advocate_id IS NOT NULL OR "
	    "a.reported_channel = 'referral', 0), "
	    "COALESCE(a.class = 'agree', 0), COALESCE(a.channel, 'none'), "
	    "COALESCE(c.slug, ''), COALESCE(d.tier, ''), "
	    "COALESCE(e.slug, '') FROM signups s "
	    "LEFT JOIN attributions a ON a.signup_ref = s.signup_ref "
	    "LEFT JOIN campaigns c ON c.id = a.campaign_id "
	    "LEFT JOIN advocates d ON d.id = a.advocate_id "
	    "LEFT JOIN events e ON e.id = a.event_id "
	    "WHERE s.signed_up_at < ? AND s.id BETWEEN ? AND ?",
	/* CO_RET */
	"DELETE FROM cohort_work_value",
	/*
	 * CO_RET_WEEK (retained kind, as_of): period n is days [7n, 7n+7)
	 * after the signup's own time.
	 */
	"INSERT IGNORE INTO cohort_work_retained (signup_id, period, n) SELECT a.signup_id, 1, "
	    "FLOOR(TIMESTAMPDIFF(SECOND, m.at, a.at) / 604800) FROM activity a "
	    "JOIN cohort_work_members m ON m.signup_id = a.signup_id WHERE a.kind = ? "
	    "AND a.at >= m.at AND a.at < ? AND m.signup_id BETWEEN ? AND ?",
	/*
	 * CO_RET_MONTH: whole months after the signup's time: n with
	 * at + n MONTH <= a.at < at + (n + 1) MONTH, as DATE_ADD counts
	 * them (the end of a shorter month for a signup on the 29th to
	 * 31st); TIMESTAMPDIFF alone says one less there.
	 */
	"INSERT IGNORE INTO cohort_work_retained (signup_id, period, n) SELECT a.signup_id, 2, "
	    "TIMESTAMPDIFF(MONTH, m.at, a.at) + (a.at >= m.at + INTERVAL "
	    "TIMESTAMPDIFF(MONTH, m.at, a.at) + 1 MONTH) FROM activity a "
	    "JOIN cohort_work_members m ON m.signup_id = a.signup_id WHERE a.kind = ? "
	    "AND a.at >= m.at AND a.at < ? AND m.signup_id BETWEEN ? AND ?",
	/* CO_VAL: nothing (kept for the order of the unit). */
	"DO 0",
	/*
	 * CO_VAL_FILL (activated kind, as_of): each member whose horizon
	 * has passed, with its value and activation within the horizon.
	 */
	"INSERT INTO cohort_work_value SELECT m.signup_id, h.h, COALESCE(SUM(a.value), "
	    "0), COALESCE(MAX(a.kind = ?), 0) FROM cohort_work_members m JOIN "
	    "(SELECT 30 AS h UNION ALL SELECT 90 UNION ALL SELECT 365) h ON "
	    "m.at + INTERVAL h.h DAY <= ? LEFT JOIN activity a ON "
	    "a.signup_id = m.signup_id AND a.at >= m.at AND "
	    "a.at < m.at + INTERVAL h.h DAY WHERE m.signup_id BETWEEN ? AND ? "
	    "GROUP BY m.signup_id, h.h",
	/* CO_DEL_RET */
	"DELETE FROM cohort_retention",
	/* CO_DEL_VAL */
	"DELETE FROM cohort_value",
	/*
	 * CO_CELLS_WEEK (as_of): every ended cell, retained 0 for now.  A
	 * member signs up at latest 7 days after its cohort's Monday, so
	 * period n has ended for all once 7(n+2) days have passed.
	 */
	"INSERT INTO cohort_retention (period, cohort, arrival, n, size, "
	    "retained) SELECT 'week', z.c, z.arrival, q.n, z.size, 0 FROM "
	    "(SELECT m.week AS c, " CO_ARRIVAL " AS arrival, COUNT(*) AS size "
	    "FROM cohort_work_members m " CO_ARRIVALS "WHERE " CO_CHUNK_IN
	    "GROUP BY m.week, g.g) z JOIN "
	    CO_SEQ(CO_MAX_WEEKS)
	    "ON z.c + INTERVAL 7 * (q.n + 2) DAY <= ? " CO_ADD_SIZE,
	/* CO_CELLS_MONTH (as_of): likewise, n + 2 months. */
	"INSERT INTO cohort_retention (period, cohort, arrival, n, size, "
	    "retained) SELECT 'month', z.c, z.arrival, q.n, z.size, 0 FROM "
	    "(SELECT m.month AS c, " CO_ARRIVAL " AS arrival, COUNT(*) AS size "
	    "FROM cohort_work_members m " CO_ARRIVALS "WHERE " CO_CHUNK_IN
	    "GROUP BY m.month, g.g) z JOIN "
	    CO_SEQ(CO_MAX_MONTHS)
	    "ON z.c + INTERVAL q.n + 2 MONTH <= ? " CO_ADD_SIZE,
	/* CO_KEPT_WEEK: the retained members of each cell. */
	"UPDATE cohort_retention t JOIN (SELECT m.week AS c, " CO_ARRIVAL
	    " AS arrival, r.n, COUNT(*) AS k FROM cohort_work_retained r JOIN cohort_work_members m "
	    "ON m.signup_id = r.signup_id " CO_ARRIVALS "WHERE r.period = 1 AND "
	    CO_CHUNK_IN
	    "GROUP BY m.week, g.g, r.n) x ON t.period = 'week' AND "
	    "t.cohort = x.c AND t.arrival = x.arrival AND t.n = x.n "
	    "SET t.retained = t.retained + x.k",
	/* CO_KEPT_MONTH */
	"UPDATE cohort_retention t JOIN (SELECT m.month AS c, " CO_ARRIVAL
	    " AS arrival, r.n, COUNT(*) AS k FROM cohort_work_retained r JOIN cohort_work_members m "
	    "ON m.signup_id = r.signup_id " CO_ARRIVALS "WHERE r.period = 2 AND "
	    CO_CHUNK_IN
	    "GROUP BY m.month, g.g, r.n) x ON t.period = 'month' AND "
	    "t.cohort = x.c AND t.arrival = x.arrival AND t.n = x.n "
	    "SET t.retained = t.retained + x.k",
	/* CO_VALUE_WEEK */
	"INSERT INTO cohort_value SELECT 'week', m.week, " CO_ARRIVAL ", "
	    "v.horizon, COUNT(*), SUM(v.activated), SUM(v.total), "
	    "SUM(CAST(v.total AS DOUBLE) * CAST(v.total AS DOUBLE)) FROM cohort_work_value v "
	    "JOIN cohort_work_members m ON m.signup_id = v.signup_id " CO_ARRIVALS
	    "WHERE " CO_CHUNK_IN "GROUP BY m.week, g.g, v.horizon "
	    CO_ADD_SUMS("cohort_value"),
	/* CO_VALUE_MONTH */
	"INSERT INTO cohort_value SELECT 'month', m.month, " CO_ARRIVAL ", "
	    "v.horizon, COUNT(*), SUM(v.activated), SUM(v.total), "
	    "SUM(CAST(v.total AS DOUBLE) * CAST(v.total AS DOUBLE)) FROM cohort_work_value v "
	    "JOIN cohort_work_members m ON m.signup_id = v.signup_id " CO_ARRIVALS
	    "WHERE " CO_CHUNK_IN "GROUP BY m.month, g.g, v.horizon "
	    CO_ADD_SUMS("cohort_value"),
	/* CO_RUN (as_of, seconds) */
	"REPLACE INTO cohort_runs (id, computed_at, as_of, seconds) VALUES "
	    "(1, UTC_TIMESTAMP(3), ?, ?)",
	/* CO_DEL_KF */
	"DELETE FROM cohort_kfactor",
	/*
	 * CO_KF_WEEK (as_of x3): sql/200's K-factor per ended week: the
	 * week's signups (the members), human clicks on advocates' links
	 * (daily_invites), signups credited to an advocate.
	 */
	"INSERT INTO cohort_kfactor SELECT 'week', x.s, SUM(x.n), SUM(x.i), "
	    "SUM(x.c) FROM (SELECT m.week AS s, COUNT(*) AS n, 0 AS i, "
	    "0 AS c FROM cohort_work_members m GROUP BY m.week UNION ALL "
	    "SELECT d.day - INTERVAL WEEKDAY(d.day) DAY, 0, "
	    "SUM(d.human_clicks), 0 FROM daily_invites d WHERE "
	    "d.advocate_id <> 0 AND d.day < ? GROUP BY 1 UNION ALL "
	    "SELECT a.day - INTERVAL WEEKDAY(a.day) DAY, 0, 0, COUNT(*) "
	    "FROM attributions a WHERE a.advocate_id <> 0 AND "
	    "a.signup_id IS NOT NULL AND a.day < ? GROUP BY 1) x "
	    "GROUP BY x.s HAVING x.s + INTERVAL 7 DAY <= ?",
	/* CO_KF_MONTH (as_of x3): likewise per ended month. */
	"INSERT INTO cohort_kfactor SELECT 'month', x.s, SUM(x.n), SUM(x.i), "
	    "SUM(x.c) FROM (SELECT m.month AS s, COUNT(*) AS n, 0 AS i, "
	    "0 AS c FROM cohort_work_members m GROUP BY m.month UNION ALL "
	    "SELECT CAST(DATE_FORMAT(d.day, '%Y-%m-01') AS DATE), 0, "
	    "SUM(d.human_clicks), 0 FROM daily_invites d WHERE "
	    "d.advocate_id <> 0 AND d.day < ? GROUP BY 1 UNION ALL "
	    "SELECT CAST(DATE_FORMAT(a.day, '%Y-%m-01') AS DATE), 0, 0, "
	    "COUNT(*) FROM attributions a WHERE a.advocate_id <> 0 AND "
	    "a.signup_id IS NOT NULL AND a.day < ? GROUP BY 1) x "
	    "GROUP BY x.s HAVING x.s + INTERVAL 1 MONTH <= ?",
	/* CO_DEL_REF */
	"DELETE FROM cohort_referred",
	/*
	 * CO_REF (as_of): sql/201's referred signups per campaign and
	 * month, as hearsay-admin cost list counts them.
	 */
	"INSERT INTO cohort_referred SELECT a.campaign_id, "
	    "CAST(DATE_FORMAT(a.day, '%Y-%m-01') AS DATE), COUNT(*) FROM "
	    "attributions a WHERE a.campaign_id <> 0 AND a.day < ? AND "
	    "(a.tracked_link_id IS NOT NULL OR a.reported_advocate_id IS NOT "
	    "NULL OR a.reported_channel = 'referral') GROUP BY 1, 2",
	/* CO_DEL_MATCH */
	"DELETE FROM cohort_match",
	/* CO_MATCH_WEEK: sql/202, every member, and the referred again
	 * under their campaign, tier and event. */
	"INSERT INTO cohort_match SELECT 'week', m.week, m.channel, " CO_SPLIT
	    ", " CO_SPLIT_KEY ", m.tracked OR m.reported, v.horizon, "
	    "COUNT(*), SUM(v.activated), SUM(v.total), "
	    "SUM(CAST(v.total AS DOUBLE) * CAST(v.total AS DOUBLE)) FROM "
	    "cohort_work_value v JOIN cohort_work_members m ON "
	    "m.signup_id = v.signup_id " CO_SPLITS "WHERE " CO_CHUNK_IN
	    "GROUP BY m.week, m.channel, g.g, 5, 6, v.horizon "
	    CO_ADD_SUMS("cohort_match"),
	/* CO_MATCH_MONTH */
	"INSERT INTO cohort_match SELECT 'month', m.month, m.channel, "
	    CO_SPLIT ", " CO_SPLIT_KEY ", m.tracked OR m.reported, v.horizon, "
	    "COUNT(*), SUM(v.activated), SUM(v.total), "
	    "SUM(CAST(v.total AS DOUBLE) * CAST(v.total AS DOUBLE)) FROM "
	    "cohort_work_value v JOIN cohort_work_members m ON "
	    "m.signup_id = v.signup_id " CO_SPLITS "WHERE " CO_CHUNK_IN
	    "GROUP BY m.month, m.channel, g.g, 5, 6, v.horizon "
	    CO_ADD_SUMS("cohort_match"),
	/* CO_RANGE (as_of): the signup ids the pass reads. */
	"SELECT COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM signups "
	    "WHERE signed_up_at < ?",
	/*
	 * CO_TRUNC_*: the working tables emptied before the unit, at once
	 * and outside it (a DELETE of a million rows would take longer
	 * than the client waits); the unit's DELETEs then find nothing.
	 */
	"TRUNCATE TABLE cohort_work_members",
	"TRUNCATE TABLE cohort_work_retained",
	"TRUNCATE TABLE cohort_work_value",
};

struct copass {
	const struct hs_conf	*conf;
	struct hs_db		*rundb;		/* the run's connection */
	const char		*holder;	/* the run's lease */
	int			 lease_secs;
	const char		*as_of;		/* "YYYY-MM-DD" */
	struct timespec		 t0;		/* the pass's start */
	struct timespec		 renewed;	/* the lease's last renewal */
	double			 secs;
	int			 lost;		/* the lease was taken over */
};

/*
 * Keep the run's lease alive while the unit works, on the run's own
 * connection (its own transaction, so the row is not held to the
 * unit's end): a pass longer than --lease-ttl would otherwise lose it
 * to the next run every time, and never commit.  Every CO_RENEW_PART
 * of the lease's time.  HS_EINVAL when it was taken over (c->lost: the
 * unit rolls back now); a database error leaves the decision to the
 * unit's own fence, at its end.
 */
#define CO_RENEW_PART	4
static enum hs_err
co_keep(struct copass *c)
{
	struct timespec	 now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - c->renewed.tv_sec < c->lease_secs / CO_RENEW_PART)
		return HS_OK;
	c->renewed = now;
	if (rc_lease_fence(c->rundb, c->holder, c->lease_secs,
	    &c->lost) == HS_EINVAL)
		return HS_EINVAL;
	return HS_OK;
}

/* The statements over one chunk of members [lo, hi], in order. */
static enum hs_err
co_chunk(struct hs_db *db, struct copass *c, long long lo, long long hi)
{
	static const int stmts[] = { CO_MEMBERS_FILL, CO_RET_WEEK,
	    CO_RET_MONTH, CO_VAL_FILL, CO_CELLS_WEEK, CO_CELLS_MONTH,
	    CO_KEPT_WEEK, CO_KEPT_MONTH, CO_VALUE_WEEK, CO_VALUE_MONTH,
	    CO_MATCH_WEEK, CO_MATCH_MONTH };
	struct hs_dbparam	 p[4];
	enum hs_err		 e;
	size_t			 i, n;

	for (i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		/* Its own parameters, the range, and the cells' as_of. */
		n = 0;
		switch (stmts[i]) {
		case CO_MEMBERS_FILL:
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(c->as_of);
			break;
		case CO_RET_WEEK:
		case CO_RET_MONTH:
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(
			    c->conf->activity_retained);
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(c->as_of);
			break;
		case CO_VAL_FILL:
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(
			    c->conf->activity_activated);
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(c->as_of);
			break;
		default:
			break;
		}
		p[n++] = (struct hs_dbparam)HS_DBP_INT(lo);
		p[n++] = (struct hs_dbparam)HS_DBP_INT(hi);
		if (stmts[i] == CO_CELLS_WEEK || stmts[i] == CO_CELLS_MONTH)
			p[n++] = (struct hs_dbparam)HS_DBP_TEXT(c->as_of);
		if ((e = hs_db_exec(db, stmts[i], p, n, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

static enum hs_err
co_unit(struct hs_db *db, void *arg)
{
	struct copass		*c = arg;
	struct hs_dbparam	 d[3] = { HS_DBP_TEXT(c->as_of),
				    HS_DBP_TEXT(c->as_of),
				    HS_DBP_TEXT(c->as_of) };
	struct hs_dbcol		 r[2] = { HS_DBC_INT, HS_DBC_INT };
	struct hs_dbparam	 run[2];
	struct timespec		 t1;
	char			 secs[32];
	long long		 lo;
	enum hs_err		 e;
	int			 have;

	if ((e = hs_db_exec(db, CO_DROP, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_MEMBERS, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_RET, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_VAL, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_DEL_RET, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_DEL_VAL, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_DEL_MATCH, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_row(db, CO_RANGE, d, 1, r, 2, &have)) != HS_OK)
		return e;
	for (lo = r[0].i; have && lo <= r[1].i; lo += CO_CHUNK)
		if ((e = co_chunk(db, c, lo, lo + CO_CHUNK - 1)) != HS_OK ||
		    (e = co_keep(c)) != HS_OK)
			return e;
	if ((e = hs_db_exec(db, CO_DEL_KF, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_KF_WEEK, d, 3, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_KF_MONTH, d, 3, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_DEL_REF, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_REF, d, 1, NULL)) != HS_OK)
		return e;
	/*
	 * The run's row in the same transaction: a reader sees the new
	 * tables with their as_of, or the old with theirs; a pass killed
	 * before its COMMIT leaves both as they were.  Then the lease,
	 * last (rc_lease_fence, as every unit of a run): a pass whose run
	 * lost it to another commits nothing.
	 */
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	c->secs = (double)(t1.tv_sec - c->t0.tv_sec) +
	    (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e9;
	(void)snprintf(secs, sizeof(secs), "%.3f", c->secs);
	run[0] = (struct hs_dbparam)HS_DBP_TEXT(c->as_of);
	run[1] = (struct hs_dbparam)HS_DBP_TEXT(secs);
	if ((e = hs_db_exec(db, CO_RUN, run, 2, NULL)) != HS_OK)
		return e;
	return rc_lease_fence(db, c->holder, c->lease_secs, &c->lost);
}

/*
 * Rebuilds the cohort tables as of today (UTC), or as of as_of when not
 * NULL ("YYYY-MM-DD": the tests' and benchmark's fixed day): always when
 * force, else only when the last pass is cohort_interval_hours old (0:
 * every time).  rundb is the run's connection (sql.c's statements),
 * holding the lease of holder for lease_secs: whether the pass is due is
 * asked there, so a run whose pass is not due opens no connection for
 * it.  The pass works on a connection of its own (its statements),
 * opened when due.  Returns an exit status: RC_EXIT_OK (rebuilt, or not
 * due), RC_EXIT_LOST (the lease was taken over: nothing written), or
 * RC_EXIT_FAIL (logged).
 */
int
rc_cohorts(struct hs_db *rundb, const char *holder, int lease_secs,
    const struct hs_conf *conf, const char *as_of, int force)
{
	struct hs_db		*db = NULL;
	struct copass		 c;
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 recent = HS_DBC_INT;
	char			 day[16];
	time_t			 now = time(NULL);
	struct tm		 tm;
	enum hs_err		 e;
	int			 ex = RC_EXIT_FAIL, have;

	if (as_of == NULL) {
		(void)gmtime_r(&now, &tm);
		(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		as_of = day;
	}
	memset(&c, 0, sizeof(c));
	c.conf = conf;
	c.rundb = rundb;
	c.holder = holder;
	c.lease_secs = lease_secs;
	c.as_of = as_of;
	if (!force && conf->cohort_interval_hours > 0) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(
		    conf->cohort_interval_hours);
		if ((e = hs_db_row(rundb, STMT_CO_RECENT, p, 1, &recent, 1,
		    &have)) != HS_OK)
			goto fail;
		if (have && recent.i > 0) {
			hs_log(HS_LOG_INFO, "cohorts: not due (last pass "
			    "under %d h ago)", conf->cohort_interval_hours);
			ex = RC_EXIT_OK;
			goto out;
		}
	}
	/*
	 * The lease, renewed before the working tables are emptied: they
	 * are emptied outside the unit (TRUNCATE, which a DELETE of a
	 * million rows inside it would cost minutes against), so a unit
	 * of another run's pass at work holds them (its metadata locks,
	 * to its COMMIT) and a TRUNCATE here would wait for that whole
	 * pass, only for this one to be rolled back at its fence.  Their
	 * rows are only a pass's scratch: emptied between two passes,
	 * nothing is lost.
	 */
	if ((e = rc_lease_fence(rundb, holder, lease_secs, &c.lost)) != HS_OK)
		goto fail;
	if ((e = hs_db_open(&db, conf, HS_DB_BATCH, costmts, CO__MAX)) !=
	    HS_OK)
		goto fail;
	(void)clock_gettime(CLOCK_MONOTONIC, &c.t0);
	c.renewed = c.t0;
	if ((e = hs_db_exec(db, CO_TRUNC_MEMBERS, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_TRUNC_RETAINED, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, CO_TRUNC_VALUE, NULL, 0, NULL)) != HS_OK ||
	    (e = hs_db_unit(db, co_unit, &c)) != HS_OK)
		goto fail;
	hs_log(HS_LOG_INFO, "cohorts as of %s: %.3f s", as_of, c.secs);
	ex = RC_EXIT_OK;
	goto out;
fail:
	if (c.lost)
		ex = RC_EXIT_LOST;
	else
		hs_log(HS_LOG_ERR, "cohorts: %s", hs_strerror(e));
out:
	hs_db_close(db);
	return ex;
}
