/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * survey_rollup.c: the rollups of sql/042_survey_rollups.sql -- answers
 * and decoy answers per day and campaign, answers per shown position of
 * the first chosen option, human QR scans per day and event -- so the
 * overview reads a few rows per day instead of every answer and click
 * of its range (issue 7).
 *
 * They count raw rows, not attributions, so the days to rebuild are not
 * the days the run attributed but the days the rows recorded since the
 * last pass fall on: answers and clicks by recorded_at (a click replayed
 * from a journal after an outage has an old clicked_at but a new
 * recorded_at), and the answers of new signups (a signup moves its
 * answer to its campaign).  The mark is the database's clock read before
 * the pass; the next pass looks RC_SLACK_SECS further back, for rows
 * whose transaction committed after the read, unless the print of that
 * window the pass stored beside the mark shows none came (sr_prints).
 * Days are rebuilt whole,
 * runs of consecutive days in slices of RC_SLICE_DAYS, one bounded unit
 * each, as rc_rollups does: the result is a pure function of the raw
 * rows, whatever ran before.  A full run, and the first pass of all,
 * rebuilds every day and drops the rows of days outside the data.
 *
 * Deleted rows leave nothing recorded to find: hearsay-admin forget and
 * a replaced answer widen the rollups' owed days (reconcile_state
 * 'rollups_from' / 'rollups_to', core's HS_SQL_DIRTY_FROM) to the days
 * of the answers they erased, and an incremental or window pass
 * rebuilds those days too, then clears the range it read when no one
 * widened it since (STMT_SR_DIRTY_CLEAR, in the unit of its mark).  The
 * range is the pass's own, not the aggregates' which the run's chunks
 * widen, so the pass may run beside them (finalise.c's rc_early).
 * hearsay-admin retention needs no such mark: it erases whole days
 * before the horizon (retention_days), and no pass rebuilds or drops
 * the rollups of those days: they are history (KEEP_HISTORY in sql.c).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

#define SR_STATE	"survey_rollups"

/* Arguments of one unit. */
struct sr_unit {
	struct hs_db	*db;		/* for the callbacks */
	const char	*holder;
	int		 lease_secs;
	int		 keep_days;	/* rc_opts' */
	long long	 horizon;	/* ms: days before it are history */
	int		 what;		/* SR_* */
	char		 d0[11], d1[11];
	long long	 mark;		/* SR_MARK: ms */
	long long	 print;		/* SR_MARK: of its window; 0 unknown */
	long long	 dirty[2];	/* SR_MARK: the owed days read (ms) */
	/* Runs of days sr_touched rebuilt (ms), so the dirty days skip them. */
	long long	 done[RC_TOUCHED_MAX][2];
	size_t		 ndone;
	int		 done_over;	/* more runs than done holds */
	int		 lost;		/* the lease was taken over */
};
#define SR_DAYS		0	/* rebuild [d0, d1] */
#define SR_OUTSIDE	1	/* drop the rows outside [d0, d1], not history */
#define SR_MARK		2	/* record the pass's start */

/* The work of one unit (sr_unit).  HS_OK or an error. */
static enum hs_err
sr_work(struct hs_db *db, struct sr_unit *u)
{
	static const int	 days[] = { STMT_SR_DAYS_DELETE,
	    STMT_SR_DAYS_INSERT, STMT_SR_POS_DELETE, STMT_SR_POS_INSERT,
	    STMT_SR_SCANS_DELETE, STMT_SR_SCANS_INSERT };
	static const int	 out[] = { STMT_SR_DAYS_DELETE_OUT,
	    STMT_SR_POS_DELETE_OUT, STMT_SR_SCANS_DELETE_OUT };
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(u->d0),
	    HS_DBP_TEXT(u->d1), HS_DBP_NULL };
	const int		*st;
	size_t			 i, n;
	enum hs_err		 e;

	switch (u->what) {
	case SR_DAYS:
		st = days;
		n = sizeof(days) / sizeof(days[0]);
		break;
	case SR_OUTSIDE:
		st = out;
		n = sizeof(out) / sizeof(out[0]);
		p[2] = (struct hs_dbparam)HS_DBP_INT(u->keep_days);
		break;
	case SR_MARK:
		p[0] = (struct hs_dbparam)HS_DBP_INT(u->dirty[0]);
		p[1] = (struct hs_dbparam)HS_DBP_INT(u->dirty[1]);
		if ((e = hs_db_exec(db, STMT_SR_DIRTY_CLEAR, p, 2, NULL)) !=
		    HS_OK)
			return e;
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(SR_STATE);
		p[1] = (struct hs_dbparam)HS_DBP_INT(u->print);
		p[2] = (struct hs_dbparam)HS_DBP_INT(u->mark);
		return hs_db_exec(db, STMT_STATE_SET, p, 3, NULL);
	default:
		return HS_EINVAL;
	}
	for (i = 0; i < n; i++)
		if ((e = hs_db_exec(db, (size_t)st[i], p,
		    u->what == SR_OUTSIDE ? 3 : 2, NULL)) != HS_OK)
			return e;
	return HS_OK;
}

/* One unit, its lease renewed last (rc_lease_fence); replayable. */
static enum hs_err
sr_unit(struct hs_db *db, void *arg)
{
	struct sr_unit	*u = arg;
	enum hs_err	 e;

	if ((e = sr_work(db, u)) != HS_OK)
		return e;
	return rc_lease_fence(db, u->holder, u->lease_secs, &u->lost);
}

/* Run one unit over the days [d0, d1] (ms); an exit status. */
static int
sr_run(struct hs_db *db, struct sr_unit *u, int what, long long d0,
    long long d1)
{
	enum hs_err	 e;

	u->what = what;
	u->lost = 0;
	rc_fmt_day(d0, u->d0);
	rc_fmt_day(d1, u->d1);
	if ((e = hs_db_unit(db, sr_unit, u)) == HS_OK)
		return RC_EXIT_OK;
	if (u->lost)
		return RC_EXIT_LOST;
	hs_log(HS_LOG_ERR, "survey rollups: %s", hs_strerror(e));
	return e == HS_EAGAIN ? RC_EXIT_UNAVAIL : RC_EXIT_FAIL;
}

/*
 * Call fn(arg, at, to) for the days [d0, d1] (ms, midnights) from the
 * horizon (ms) on, RC_SLICE_DAYS days at a time, one bounded unit each:
 * the days before the horizon are history, whose rows retention erased
 * (a late row of such a day would otherwise replace the day's counts
 * with its own).  Stops at the first status other than RC_EXIT_OK, and
 * after a slice when a signal asked to (RC_EXIT_INTR).  Shared by the
 * survey rollups and finalise.c's aggregates and invites.  An exit
 * status.
 */
int
rc_slices(long long d0, long long d1, long long horizon,
    int (*fn)(void *, long long, long long), void *arg)
{
	long long	 at, to;
	int		 ex;

	for (at = d0 > horizon ? d0 : horizon; at <= d1;
	    at = to + RC_DAY_MS) {
		to = at + (RC_SLICE_DAYS - 1) * RC_DAY_MS;
		if (to > d1)
			to = d1;
		if ((ex = fn(arg, at, to)) != RC_EXIT_OK)
			return ex;
		if (rc_stop)
			return RC_EXIT_INTR;
	}
	return RC_EXIT_OK;
}

/* rc_slices' callback: rebuild the rollups of [d0, d1] (ms). */
static int
sr_slice(void *arg, long long d0, long long d1)
{
	struct sr_unit	*u = arg;

	return sr_run(u->db, u, SR_DAYS, d0, d1);
}

/* Rebuild the days [d0, d1] (ms) in slices; an exit status. */
static int
sr_days(struct hs_db *db, struct sr_unit *u, long long d0, long long d1)
{

	u->db = db;
	return rc_slices(d0, d1, u->horizon, sr_slice, u);
}

/* Midnight (UTC) of the day of ms. */
static long long
day_of(long long ms)
{

	return ms - ms % RC_DAY_MS;
}

/*
 * Every day from the first to the last answer or click: drop the rows
 * outside, rebuild the rest.  An exit status.
 */
static int
sr_full(struct hs_db *db, struct sr_unit *u, const long long *span)
{
	long long	 d0 = 0, d1 = 0;
	int		 ex;

	/* span: first and last answer, first and last click; 0: none. */
	if (span[0] != 0) {
		d0 = span[0];
		d1 = span[1];
	}
	if (span[2] != 0 && (d0 == 0 || span[2] < d0))
		d0 = span[2];
	if (span[3] > d1)
		d1 = span[3];
	if (d0 == 0)
		/* No data: day < 9999-12-31 OR day > 1970-01-01 is all. */
		return sr_run(db, u, SR_OUTSIDE, 253402214400000LL, 0);
	d0 = day_of(d0);
	d1 = day_of(d1);
	if ((ex = sr_run(db, u, SR_OUTSIDE, d0, d1)) != RC_EXIT_OK)
		return ex;
	return sr_days(db, u, d0, d1);
}

/*
 * Call fn(arg, d0, d1) for each run of consecutive days (ms, midnights)
 * that statement st lists in ascending order: its np parameters are p,
 * the last two of which are filled here (the day after which to list,
 * and RC_TOUCHED_MAX), so that any number of days is read in bounded
 * queries.  An exit status.
 */
int
rc_touched(struct hs_db *db, size_t st, struct hs_dbparam *p, size_t np,
    int (*fn)(void *, long long, long long), void *arg)
{
	struct hs_dbcol		 c;
	long long		 days[RC_TOUCHED_MAX], after = 0;
	char			 aft[11];
	size_t			 n, i, j;
	enum hs_err		 e = HS_OK;
	int			 have, ex;

	for (;;) {
		rc_fmt_day(after, aft);
		p[np - 2] = (struct hs_dbparam)HS_DBP_TEXT(aft);
		p[np - 1] = (struct hs_dbparam)HS_DBP_INT(RC_TOUCHED_MAX);
		memset(&c, 0, sizeof(c));
		c.type = HS_DB_INT;
		if (hs_db_query(db, st, p, np, &c, 1) != HS_OK)
			return RC_EXIT_FAIL;
		n = 0;
		while (n < RC_TOUCHED_MAX && (e = hs_db_fetch(db, st,
		    &have)) == HS_OK && have)
			days[n++] = c.i;
		hs_db_end(db, st);
		if (e != HS_OK)
			return RC_EXIT_FAIL;
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n &&
			    days[j] == days[j - 1] + RC_DAY_MS; j++)
				continue;
			if ((ex = fn(arg, days[i], days[j - 1])) != RC_EXIT_OK)
				return ex;
		}
		if (n < RC_TOUCHED_MAX)
			return RC_EXIT_OK;
		after = days[n - 1];
	}
}

/* rc_touched's callback: rebuild the rollups of [d0, d1] (ms). */
static int
sr_touched_days(void *arg, long long d0, long long d1)
{
	struct sr_unit	*u = arg;

	if (u->ndone < RC_TOUCHED_MAX) {
		u->done[u->ndone][0] = d0;
		u->done[u->ndone][1] = d1;
		u->ndone++;
	} else
		u->done_over = 1;
	return sr_days(u->db, u, d0, d1);
}

/* Whether sr_touched rebuilt day d (ms, a midnight) in this pass. */
static int
sr_done(const struct sr_unit *u, long long d)
{
	size_t	 i;

	if (u->done_over)
		return 0;
	for (i = 0; i < u->ndone; i++)
		if (d >= u->done[i][0] && d <= u->done[i][1])
			return 1;
	return 0;
}

/*
 * The dirty days [d0, d1] (ms, midnights) but those sr_touched rebuilt
 * in this pass, after the dirty range was read: each run of the others
 * in slices.  An incremental run marks the days it attributes dirty,
 * and a night's day is also a day its answers were recorded on: it was
 * rebuilt twice.  An exit status.
 */
static int
sr_dirty(struct hs_db *db, struct sr_unit *u, long long d0, long long d1)
{
	long long	 d, at = -1;
	int		 ex;

	for (d = d0; d <= d1; d += RC_DAY_MS) {
		if (!sr_done(u, d)) {
			if (at < 0)
				at = d;
			continue;
		}
		if (at >= 0 && (ex = sr_days(db, u, at, d - RC_DAY_MS)) !=
		    RC_EXIT_OK)
			return ex;
		at = -1;
	}
	return at >= 0 ? sr_days(db, u, at, d1) : RC_EXIT_OK;
}

/*
 * The days rows recorded at or after since (ms) fall on, each run of
 * consecutive days rebuilt in slices.  An exit status.
 */
static int
sr_touched(struct hs_db *db, struct sr_unit *u, long long since)
{
	struct hs_dbparam	 p[5];

	p[0] = (struct hs_dbparam)HS_DBP_INT(since);
	p[1] = (struct hs_dbparam)HS_DBP_INT(since);
	p[2] = (struct hs_dbparam)HS_DBP_INT(since);
	u->db = db;
	return rc_touched(db, STMT_SR_TOUCHED, p, 5, sr_touched_days, u);
}

/*
 * Set *big when RC_BACKLOG_MAX or more rows were recorded since (ms).
 * An exit status.
 */
static int
sr_backlog(struct hs_db *db, long long since, int *big)
{
	struct hs_dbparam	 p[6];
	struct hs_dbcol		 c;
	size_t			 i;
	int			 have = 0;

	for (i = 0; i < 6; i += 2) {
		p[i] = (struct hs_dbparam)HS_DBP_INT(since);
		p[i + 1] = (struct hs_dbparam)HS_DBP_INT(RC_BACKLOG_MAX);
	}
	memset(&c, 0, sizeof(c));
	c.type = HS_DB_INT;
	if (hs_db_query(db, STMT_SR_BACKLOG, p, 6, &c, 1) != HS_OK)
		return RC_EXIT_FAIL;
	if (hs_db_fetch(db, STMT_SR_BACKLOG, &have) != HS_OK)
		have = 0;
	hs_db_end(db, STMT_SR_BACKLOG);
	if (!have)
		return RC_EXIT_FAIL;
	*big = c.i >= RC_BACKLOG_MAX;
	return RC_EXIT_OK;
}

/*
 * The look-back of the touched days' read (sr_touched), and the print
 * the next pass checks, as the invites do theirs (finalise.c,
 * inv_prints).  RC_SLACK_SECS before the mark catch the rows recorded
 * before it but committed after the last pass read them; they are also
 * every row the last pass had, so a run every few minutes after a
 * night rebuilt every day the night touched again.  So a pass stores
 * the print (SR_PRINT) of the rows recorded in the slack before its
 * clock, and the next pass reads the same window: the same print, no
 * row came late, and the read starts at the mark.  Both prints in one
 * statement, after the clock and before the touched days' read: a row
 * the last pass read either was in the window when this pass checked
 * it or is at or after the mark, and a row committed later has its day
 * read by this pass or changes the print the next pass checks.  Sets
 * *since (ms) and u->print.  An exit status.
 */
static int
sr_prints(struct hs_db *db, struct sr_unit *u, long long mark,
    long long print, long long now, long long *since)
{
	struct hs_dbparam	 p[20];
	struct hs_dbcol		 c[2];
	long long		 slack = RC_SLACK_SECS * 1000LL;
	long long		 win[2][2] = { { mark - slack, mark },
	    { now - slack, now } };
	size_t			 i, j, k = 0;
	int			 have = 0;

	for (i = 0; i < 2; i++) {
		p[k++] = (struct hs_dbparam)HS_DBP_INT(RC_BACKLOG_MAX);
		for (j = 0; j < 3; j++) {
			p[k++] = (struct hs_dbparam)HS_DBP_INT(win[i][0]);
			p[k++] = (struct hs_dbparam)HS_DBP_INT(win[i][1]);
			p[k++] = (struct hs_dbparam)HS_DBP_INT(RC_BACKLOG_MAX);
		}
	}
	memset(c, 0, sizeof(c));
	c[0].type = c[1].type = HS_DB_INT;
	if (hs_db_query(db, STMT_SR_PRINTS, p, k, c, 2) != HS_OK)
		return RC_EXIT_FAIL;
	if (hs_db_fetch(db, STMT_SR_PRINTS, &have) != HS_OK)
		have = 0;
	hs_db_end(db, STMT_SR_PRINTS);
	if (!have)
		return RC_EXIT_FAIL;
	u->print = c[1].i;
	*since = print != 0 && c[0].i == print ? mark : mark - slack;
	return RC_EXIT_OK;
}

/*
 * Bring the survey and scan rollups up to date with the raw rows: every
 * day in a full run or when no pass has run yet, else the days touched
 * since the last pass (a window run too: the rollups do not depend on
 * the window, only on the rows) and the owed days (rollups_from /
 * rollups_to), which cover the days of erased answers; no day before
 * horizon (ms, finalise's STMT_HORIZON).  Returns an exit status.
 */
int
rc_survey_rollups(struct hs_db *db, const char *holder,
    const struct rc_opts *o, long long horizon)
{
	struct sr_unit		 u;
	struct hs_dbcol		 c[5];
	long long		 span[4] = { 0, 0, 0, 0 }, now = 0, mark = 0;
	long long		 print = 0, since, id;
	size_t			 i;
	int			 have = 0, ex, full;

	memset(&u, 0, sizeof(u));
	u.holder = holder;
	u.lease_secs = o->lease_secs;
	u.keep_days = o->keep_days;
	u.horizon = horizon;
	memset(c, 0, sizeof(c));
	for (i = 0; i < 5; i++)
		c[i].type = HS_DB_INT;
	/* The clock first: rows recorded from here on are the next pass's. */
	if (hs_db_query(db, STMT_SR_SPAN, NULL, 0, c, 5) != HS_OK)
		return RC_EXIT_FAIL;
	if (hs_db_fetch(db, STMT_SR_SPAN, &have) == HS_OK && have) {
		for (i = 0; i < 4; i++)
			span[i] = c[i].i;
		now = c[4].i;
	}
	hs_db_end(db, STMT_SR_SPAN);
	if (!have)
		return RC_EXIT_FAIL;
	/* The owed days, in every mode: the mark's unit clears them. */
	if (rc_state_read(db, "rollups_from", &id, &u.dirty[0]) < 0 ||
	    rc_state_read(db, "rollups_to", &id, &u.dirty[1]) < 0)
		return RC_EXIT_FAIL;

	full = o->mode == RC_MODE_FULL;
	if (!full) {
		if (rc_state_read(db, SR_STATE, &print, &mark) < 0)
			return RC_EXIT_FAIL;
		full = mark == 0;
	}
	/* Before any read of the rows: the print holds what they hold. */
	if ((ex = sr_prints(db, &u, mark, print, now, &since)) != RC_EXIT_OK)
		return ex;
	/*
	 * The touched days are found by reading every row recorded since;
	 * after a long outage or a bulk load that is more than a statement
	 * may take (the read timeout), and every day is rebuilt instead,
	 * in bounded units.
	 */
	if (!full && (ex = sr_backlog(db, since, &full)) != RC_EXIT_OK)
		return ex;
	if (full)
		ex = sr_full(db, &u, span);
	else if ((ex = sr_touched(db, &u, since)) == RC_EXIT_OK &&
	    u.dirty[0] != 0 && u.dirty[1] >= u.dirty[0])
		ex = sr_dirty(db, &u, day_of(u.dirty[0]), day_of(u.dirty[1]));
	if (ex != RC_EXIT_OK)
		return ex;
	u.mark = now;
	return sr_run(db, &u, SR_MARK, 0, 0);
}
