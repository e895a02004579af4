/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * finalise.c: the end of a run: orphans (full), the aggregates and
 * rollups of the owed days, the invites, the review queue, then the
 * marks, each in bounded, replayable units.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"
#include "side.h"

/*
 * An hour whose invites a run rebuilds (FIN_HOURS): its start (ms) and
 * the link whose clicks came, or 0 for every link of the hour.
 */
struct inv_pair {
	long long	 hour;
	long long	 link;
};

/* Arguments of one finalising unit. */
struct fin {
	struct run	*r;
	int		 what;		/* FIN_* */
	char		 d0[11], d1[11];
	long long	 id;
	const struct inv_pair *pairs;	/* FIN_HOURS: by hour, ascending */
	size_t		 npairs;
};
#define FIN_DAYS	0	/* aggregates and matrix of [d0, d1] */
#define FIN_OUTSIDE	1	/* drop aggregates outside [d0, d1] */
#define FIN_INVITES	2	/* invites of [d0, d1] */
#define FIN_REVIEW	3	/* rebuild the review queue */
#define FIN_CLEAN	4	/* clear dirty days; move the marks */
#define FIN_TEXTS	5	/* refresh the run's texts from id on */
#define FIN_HOURS	6	/* invites of pairs[], and of their days */

#define HOUR_MS		(3600LL * 1000)
#define INV_PAGE	8192	/* (hour, link) pairs read per query */
#define INV_UNIT	1024	/* pairs rebuilt per unit */
/*
 * Links with new clicks from which an hour is recounted whole: a pair
 * costs about 70 us (two index dives and its clicks), a click of the
 * hour about 1 us, and a busy hour holds thousands (measured at 1M
 * signups: today's hours went whole, a late click's hour by pairs).
 */
#define INV_HOUR_WHOLE	64


/* Set reconcile_state's row name to (id, ms) in db.  HS_OK or an error. */
static enum hs_err
state_set(struct hs_db *db, const char *name, long long id, long long ms)
{
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(name), HS_DBP_INT(id),
	    HS_DBP_INT(ms) };

	return hs_db_exec(db, STMT_STATE_SET, p, 3, NULL);
}

/*
 * FIN_TEXTS: RQ_UNIT of the run's texts from f->id on, which fin_review
 * sorted by kind: the texts of each kind in one DELETE and one INSERT
 * ... SELECT (the statements take RQ_UNIT texts; the last one fills
 * the slots left, as IN reads a text twice as once).  HS_OK or error.
 */
static enum hs_err
fin_texts(struct hs_db *db, const struct fin *f)
{
	struct hs_dbparam	 p[1 + RQ_UNIT];
	const struct rqtext	*rq = f->r->rq;
	enum hs_err		 e;
	size_t			 i, j, k, end;

	end = (size_t)f->id + RQ_UNIT;
	if (end > f->r->nrq)
		end = f->r->nrq;
	for (i = (size_t)f->id; i < end; i = j) {
		for (j = i + 1; j < end && rq[j].kind == rq[i].kind; j++)
			;
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(rc_textkinds[rq[i].kind]);
		for (k = 0; k < RQ_UNIT; k++)
			p[1 + k] = (struct hs_dbparam)
			    HS_DBP_TEXT(rq[i + k < j ? i + k : j - 1].text);
		if ((e = hs_db_exec(db, STMT_RQ_DELETE, p, 1 + RQ_UNIT,
		    NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_RQ_INSERT, p, 1 + RQ_UNIT,
		    NULL)) != HS_OK)
			return e;
	}
	if (end < f->r->nrq)
		return HS_OK;
	/* The last unit: nothing is owed any more. */
	return state_set(db, "review_all", 0, 0);
}

/* FIN_CLEAN: clear the dirty range read, move the marks.  HS_OK or error. */
static enum hs_err
fin_clean(struct hs_db *db, const struct fin *f)
{
	struct hs_dbparam	 p[2] = { HS_DBP_INT(f->r->dirty_read[0]),
	    HS_DBP_INT(f->r->dirty_read[1]) };
	enum hs_err		 e;

	if ((e = hs_db_exec(db, STMT_DIRTY_CLEAR, p, 2, NULL)) != HS_OK)
		return e;
	p[0] = (struct hs_dbparam)HS_DBP_INT(f->r->o->keep_days);
	if ((e = hs_db_exec(db, STMT_HINV_HISTORY, p, 1, NULL)) != HS_OK)
		return e;
	if (f->id > 0 && (e = state_set(db, "clicks", 0, f->id)) != HS_OK)
		return e;
	if (f->r->inv_mark > 0 &&
	    (e = state_set(db, "invites", f->r->inv_print,
	    f->r->inv_mark)) != HS_OK)
		return e;
	return state_set(db, "rules", f->r->rules_max, 0);
}

/* Midnight (UTC) of the day of ms. */
static long long
day_start(long long ms)
{

	return ms - ((ms % RC_DAY_MS) + RC_DAY_MS) % RC_DAY_MS;
}

/*
 * FIN_HOURS, the pairs' part: pairs i to j (single links) in statements
 * of RC_INV_PAIRS, the last one's unused slots repeating its last pair
 * (an OR of the same range twice reads it once).  HS_OK or an error.
 */
static enum hs_err
fin_pairs(struct hs_db *db, const struct inv_pair *pr, size_t i, size_t j)
{
	struct hs_dbparam	 kp[3 * RC_INV_PAIRS], cp[3 * RC_INV_PAIRS];
	char			 at[RC_INV_PAIRS][24];
	size_t			 k, x;
	enum hs_err		 e;

	for (; i < j; i += RC_INV_PAIRS) {
		for (k = 0; k < RC_INV_PAIRS; k++) {
			x = i + k < j ? i + k : j - 1;
			/* Filled before they are bound: a text takes its
			 * length. */
			rc_fmt_time(pr[x].hour, at[k]);
			kp[3 * k] = kp[3 * k + 1] = cp[3 * k + 1] =
			    cp[3 * k + 2] = (struct hs_dbparam)HS_DBP_TEXT(at[k]);
			kp[3 * k + 2] = cp[3 * k] =
			    (struct hs_dbparam)HS_DBP_INT(pr[x].link);
		}
		if ((e = hs_db_exec(db, STMT_HINV_PAIRS_DELETE, kp,
		    3 * RC_INV_PAIRS, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_HINV_PAIRS_INSERT, cp,
		    3 * RC_INV_PAIRS, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * FIN_HOURS: the invites of f->pairs: each run of consecutive whole
 * hours from the clicks in one statement, the single links' hours in
 * statements of RC_INV_PAIRS (fin_pairs), then the days of them all
 * from their hours, each run of consecutive days in one.  A run every
 * few minutes so reads the clicks of an hour or two once, a night's
 * backlog the clicks of its day once, and a late click's hour only its
 * link's clicks.  HS_OK or an error.
 */
static enum hs_err
fin_hours(struct hs_db *db, const struct fin *f)
{
	const struct inv_pair	*pr = f->pairs;
	struct hs_dbparam	 p[4];
	char			 a[24], b[24], d0[11], d1[11];
	long long		 last;
	size_t			 i, j;
	enum hs_err		 e;

	for (i = 0; i < f->npairs; i = j) {
		j = i + 1;
		if (pr[i].link != 0) {
			while (j < f->npairs && pr[j].link != 0)
				j++;
			if ((e = fin_pairs(db, pr, i, j)) != HS_OK)
				return e;
			continue;
		}
		while (j < f->npairs && pr[j].link == 0 &&
		    pr[j].hour == pr[j - 1].hour + HOUR_MS)
			j++;
		/* Filled before they are bound: a text takes its length. */
		rc_fmt_time(pr[i].hour, a);
		rc_fmt_time(pr[j - 1].hour + HOUR_MS, b);
		p[0] = p[2] = (struct hs_dbparam)HS_DBP_TEXT(a);
		p[1] = p[3] = (struct hs_dbparam)HS_DBP_TEXT(b);
		if ((e = hs_db_exec(db, STMT_HINV_RANGE_DELETE, p, 4,
		    NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_HINV_RANGE_INSERT, p, 2,
		    NULL)) != HS_OK)
			return e;
	}
	for (i = 0; i < f->npairs; i = j) {
		last = day_start(pr[i].hour);
		for (j = i + 1; j < f->npairs &&
		    day_start(pr[j].hour) <= last + RC_DAY_MS; j++)
			last = day_start(pr[j].hour);
		rc_fmt_day(day_start(pr[i].hour), d0);
		rc_fmt_day(last, d1);
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(d0);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(d1);
		if ((e = hs_db_exec(db, STMT_INV_DELETE, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_INV_INSERT, p, 2, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

/* The work of one finalising transaction (fin_unit).  HS_OK or error. */
static enum hs_err
fin_work(struct hs_db *db, const struct fin *f)
{
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(f->d0),
	    HS_DBP_TEXT(f->d1), HS_DBP_NULL };
	enum hs_err		 e;

	switch (f->what) {
	case FIN_DAYS:
		if ((e = hs_db_exec(db, STMT_AGG_DELETE, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_AGG_INSERT, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_DELETE, p, 2, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_INSERT, p, 2, NULL)) != HS_OK)
			return e;
		return rc_rollups(db, p, 0);
	case FIN_OUTSIDE:
		p[2] = (struct hs_dbparam)HS_DBP_INT(f->r->o->keep_days);
		if ((e = hs_db_exec(db, STMT_AGG_DELETE_OUT, p, 3, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_DELETE_OUT, p, 3, NULL)) !=
		    HS_OK)
			return e;
		return rc_rollups(db, p, 1);
	case FIN_INVITES:
		if ((e = hs_db_exec(db, STMT_HINV_DELETE, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_HINV_INSERT, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_INV_DELETE, p, 2, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_INV_INSERT, p, 2, NULL)) != HS_OK)
			return e;
		return HS_OK;
	case FIN_HOURS:
		return fin_hours(db, f);
	case FIN_REVIEW:
		if ((e = hs_db_exec(db, STMT_RQ_CLEAR, NULL, 0, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_RQ_ALL, NULL, 0, NULL)) != HS_OK)
			return e;
		return state_set(db, "review_all", 0, 0);
	case FIN_TEXTS:
		return fin_texts(db, f);
	case FIN_CLEAN:
		return fin_clean(db, f);
	default:
		return HS_EINVAL;
	}
}

/* One finalising transaction, its lease renewed last; replayable. */
static enum hs_err
fin_unit(struct hs_db *db, void *arg)
{
	struct fin	*f = arg;
	enum hs_err	 e;

	if ((e = fin_work(db, f)) != HS_OK)
		return e;
	return rc_lease_fence(db, f->r->holder, f->r->o->lease_secs,
	    &f->r->lost);
}

/* Run the finalising unit f; an exit status. */
static int
fin_go(struct run *r, struct fin *f)
{
	enum hs_err	 e;

	if ((e = hs_db_unit(r->db, fin_unit, f)) == HS_OK)
		return RC_EXIT_OK;
	if (r->lost)
		return RC_EXIT_LOST;
	hs_log(HS_LOG_ERR, "finalising: %s", hs_strerror(e));
	return e == HS_EAGAIN ? RC_EXIT_UNAVAIL : RC_EXIT_FAIL;
}

/* Run one finalising unit; an exit status. */
static int
fin_run(struct run *r, int what, long long d0, long long d1, long long id)
{
	struct fin	 f;

	memset(&f, 0, sizeof(f));
	f.r = r;
	f.what = what;
	f.id = id;
	rc_fmt_day(d0, f.d0);
	rc_fmt_day(d1, f.d1);
	return fin_go(r, &f);
}

/* What one slice of fin_days rebuilds. */
struct fin_slice {
	struct run	*r;
	int		 what;		/* FIN_DAYS or FIN_INVITES */
};

/* rc_slices' callback: one unit of what over [d0, d1] (ms). */
static int
fin_slice(void *arg, long long d0, long long d1)
{
	struct fin_slice	*s = arg;

	return fin_run(s->r, s->what, d0, d1, 0);
}

/*
 * Rebuild per-day tables of [d0, d1] in slices, from the horizon on
 * (rc_slices).  An exit status.
 */
static int
fin_days(struct run *r, int what, long long d0, long long d1)
{
	struct fin_slice	 s = { r, what };

	return rc_slices(d0, d1, r->horizon, fin_slice, &s);
}

/*
 * Rebuild the invites of the n pairs (by hour, ascending) at pr, and of
 * their days, INV_UNIT pairs per unit.  An exit status.
 */
static int
inv_units(struct run *r, const struct inv_pair *pr, size_t n)
{
	struct fin	 f;
	size_t		 i;
	int		 ex;

	for (i = 0; i < n; i += f.npairs) {
		memset(&f, 0, sizeof(f));
		f.r = r;
		f.what = FIN_HOURS;
		f.pairs = pr + i;
		f.npairs = n - i < INV_UNIT ? n - i : INV_UNIT;
		if ((ex = fin_go(r, &f)) != RC_EXIT_OK)
			return ex;
		if (rc_stop)
			return RC_EXIT_INTR;
	}
	return RC_EXIT_OK;
}

/*
 * Make each hour of the n pairs at pr with INV_HOUR_WHOLE links or more
 * one pair of every link (0).  Returns the pairs left.
 */
static size_t
inv_whole(struct inv_pair *pr, size_t n)
{
	size_t	 i, j, out = 0;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pr[j].hour == pr[i].hour; j++)
			;
		if (j - i >= INV_HOUR_WHOLE) {
			pr[out].hour = pr[i].hour;
			pr[out++].link = 0;
		} else
			while (i < j)
				pr[out++] = pr[i++];
	}
	return out;
}

/*
 * Rebuild the invites of each (hour, link) pair of the clicks recorded
 * since (p[0], ms) before the day p[1], whole where an hour has
 * INV_HOUR_WHOLE of them or more (inv_whole), and of their days
 * (inv_units), reading the pairs INV_PAGE at a time.  An exit status.
 */
static int
inv_hours(struct run *r, struct hs_dbparam *p)
{
	struct hs_dbcol		 c[3];
	struct inv_pair		*pr;
	char			 after[24] = "", h[24];
	long long		 after_link = 0;
	size_t			 n;
	enum hs_err		 e = HS_OK;
	int			 have, ex = RC_EXIT_FAIL;

	if ((pr = hs_xcalloc(INV_PAGE, sizeof(*pr))) == NULL)
		return RC_EXIT_FAIL;
	for (;;) {
		ex = RC_EXIT_FAIL;
		p[2] = (struct hs_dbparam)HS_DBP_TEXT(after);
		p[3] = (struct hs_dbparam)HS_DBP_INT(after_link);
		p[4] = (struct hs_dbparam)HS_DBP_INT(INV_PAGE);
		rc_icol(&c[0]); rc_tcol(&c[1], h, sizeof(h)); rc_icol(&c[2]);
		if (hs_db_query(r->db, STMT_INV_TOUCHED, p, 5, c, 3) != HS_OK)
			goto out;
		n = 0;
		while (n < INV_PAGE && (e = hs_db_fetch(r->db,
		    STMT_INV_TOUCHED, &have)) == HS_OK && have) {
			pr[n].hour = c[0].i;
			pr[n++].link = c[2].i;
			(void)snprintf(after, sizeof(after), "%s", h);
			after_link = c[2].i;
		}
		hs_db_end(r->db, STMT_INV_TOUCHED);
		if (e != HS_OK)
			goto out;
		if ((ex = inv_units(r, pr, inv_whole(pr, n))) != RC_EXIT_OK ||
		    n < INV_PAGE)
			goto out;
	}
out:
	free(pr);
	return ex;
}

/*
 * The look-back of the hours' read (inv_hours), and the print the next
 * run checks.  RC_SLACK_SECS before the mark catch the clicks recorded
 * before it but committed after the last run read them; it also reads
 * every click the last run had, so a run every few minutes after a
 * night's backlog rebuilt every hour of the night again.  So a run
 * stores the print (CLICK_PRINT) of the clicks recorded in the slack
 * before its clock, and the next run reads the same window: the same
 * print, no click came late, and the read starts at the mark.  Both
 * prints in one statement, after the clock and before the hours' read
 * (and the last click's time, which bounds it: inv_before): a click
 * the last run rebuilt either was in the window when this run checked
 * it or is at or after the mark, and a click committed later has its
 * hour read by this run or changes the print the next run checks.
 * Sets *since (ms) and r->inv_print.  0 or -1.
 */
static int
inv_prints(struct run *r, long long mark, long long print, long long *since)
{
	struct hs_dbparam	 p[8];
	long long		 slack = RC_SLACK_SECS * 1000LL, old;

	p[0] = (struct hs_dbparam)HS_DBP_INT(RC_BACKLOG_MAX);
	p[1] = (struct hs_dbparam)HS_DBP_INT(mark - slack);
	p[2] = (struct hs_dbparam)HS_DBP_INT(mark);
	p[3] = p[0];
	p[4] = p[0];
	p[5] = (struct hs_dbparam)HS_DBP_INT(r->inv_mark - slack);
	p[6] = (struct hs_dbparam)HS_DBP_INT(r->inv_mark);
	p[7] = p[0];
	if (rc_two_ints(r, STMT_INV_PRINTS, p, 8, &old, &r->inv_print) != 0)
		return -1;
	*since = print != 0 && old == print ? mark : mark - slack;
	return 0;
}

/*
 * The day after the last click, read after the prints (inv_prints), so
 * every click the print holds is before it and has its hour read: into
 * before[11].  0 or -1.
 */
static int
inv_before(struct run *r, char *before)
{
	long long	 cmin, cmax;

	if (rc_two_ints(r, STMT_CLICK_SPAN, NULL, 0, &cmin, &cmax) != 0)
		return -1;
	rc_fmt_day(cmax + RC_DAY_MS, before);
	return 0;
}

/*
 * Invites of the hours that clicks recorded since the last run touch.
 * An incremental run passes the day after the last click as *from, and
 * rebuilds only these hours (before the day after the last click, read
 * again: inv_before), and their days (sql/230): the hours of
 * the clicks recorded since the "invites" mark (the clock before the
 * last full or incremental run's invites, less RC_SLACK_SECS for late
 * commits unless none came: inv_prints), new ones and those a journal
 * replayed after an outage brings with an old clicked_at alike, in
 * bounded units (inv_units).  A run every few minutes so rebuilds an
 * hour or two of today, not the whole day, and an hour of yesterday
 * too across midnight.  With no mark (the first run) or RC_BACKLOG_MAX
 * clicks or more recorded since, every day is rebuilt instead: *from
 * becomes cmin.  A full run, which rebuilds every day anyway, only
 * reads the clock.  Sets r->inv_mark, which FIN_CLEAN records with
 * r->inv_print (0, unknown, unless the hours were read).  An exit
 * status.
 *
 * Not the survey rollups' mark: a window run moves that one without
 * rebuilding the invites outside its window.
 */
static int
late_invites(struct run *r, long long *from, long long cmin)
{
	struct hs_dbparam	 p[5];
	long long		 mark, since, n, print;
	char			 before[11];
	int			 incr;

	incr = r->o->mode == RC_MODE_INCREMENTAL;
	mark = print = 0;
	r->inv_print = 0;
	if (incr && rc_state_get(r, "invites", &print, &mark) < 0)
		return RC_EXIT_FAIL;
	since = mark - RC_SLACK_SECS * 1000LL;
	p[0] = (struct hs_dbparam)HS_DBP_INT(since);
	p[1] = (struct hs_dbparam)HS_DBP_INT(incr && mark != 0 ?
	    RC_BACKLOG_MAX : 0);
	if (rc_two_ints(r, STMT_INV_BACKLOG, p, 2, &n, &r->inv_mark) != 0 ||
	    r->inv_mark == 0)
		return RC_EXIT_FAIL;
	if (!incr)
		return RC_EXIT_OK;
	if (mark == 0 || n >= RC_BACKLOG_MAX) {
		*from = cmin;
		return RC_EXIT_OK;
	}
	if (*from <= cmin)
		return RC_EXIT_OK;
	if (inv_prints(r, mark, print, &since) != 0 ||
	    inv_before(r, before) != 0)
		return RC_EXIT_FAIL;
	p[0] = (struct hs_dbparam)HS_DBP_INT(since);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(before);
	return inv_hours(r, p);
}

/* Parse "YYYY-MM-DD[ HH:MM[:SS]]" (UTC) to ms.  0 or -1. */
static int
parse_time(const char *s, long long *ms)
{
	struct tm	 tm;
	int		 n, y, mo, d, h = 0, mi = 0, se = 0;

	n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se);
	if (n != 3 && n != 5 && n != 6)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*ms = (long long)timegm(&tm) * 1000;
	return 0;
}

/*
 * Delete attributions whose signup and answer no longer exist (erased
 * with hearsay-admin forget).  The attributions are read in key order,
 * RC_ORPHAN_WINDOW at a time, each statement bounded (one over every
 * attribution ran past the client's read timeout at a million signups
 * on a loaded machine); each orphan is one autocommitted single-row
 * delete: erasures are rare.  Returns 0 or -1.
 */
static int
drop_orphans(struct run *r)
{
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 oc[2];
	char			 ref[129], last[129] = "";
	char			(*refs)[129] = NULL;
	size_t			 n, no, i;
	enum hs_err		 e = HS_OK;
	int			 have, rc = -1;

	if ((refs = hs_xcalloc(RC_ORPHAN_WINDOW, sizeof(*refs))) == NULL)
		return -1;
	do {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(last);
		rc_tcol(&oc[0], ref, sizeof(ref));
		rc_icol(&oc[1]);
		if (hs_db_query(r->db, STMT_ORPHANS, p, 1, oc, 2) != HS_OK)
			goto out;
		n = no = 0;
		while (n < RC_ORPHAN_WINDOW && (e = hs_db_fetch(r->db,
		    STMT_ORPHANS, &have)) == HS_OK && have) {
			n++;
			(void)snprintf(last, sizeof(last), "%s", ref);
			if (oc[1].i)
				(void)snprintf(refs[no++], sizeof(refs[0]),
				    "%s", ref);
		}
		hs_db_end(r->db, STMT_ORPHANS);
		if (e != HS_OK)
			goto out;
		for (i = 0; i < no; i++) {
			p[0] = (struct hs_dbparam)HS_DBP_TEXT(refs[i]);
			if (hs_db_exec(r->db, STMT_ATTR_DELETE, p, 1, NULL) !=
			    HS_OK)
				goto out;
		}
	} while (n == RC_ORPHAN_WINDOW);
	rc = 0;
out:
	free(refs);
	return rc;
}

/*
 * A full run's aggregates: orphans go, then every day from the first to
 * the last attribution is rebuilt and the days outside dropped.  An exit
 * status.
 */
static int
fin_full_days(struct run *r)
{
	struct hs_dbcol		 c[3];
	long long		 d0 = 0, d1 = 0, n = 0;
	int			 ex, have;

	/* Rows whose signup and answer were erased go too. */
	if (drop_orphans(r) != 0)
		return RC_EXIT_FAIL;
	rc_icol(&c[0]); rc_icol(&c[1]); rc_icol(&c[2]);
	if (hs_db_query(r->db, STMT_ATTR_DAYS, NULL, 0, c, 3) != HS_OK)
		return RC_EXIT_FAIL;
	if (hs_db_fetch(r->db, STMT_ATTR_DAYS, &have) == HS_OK && have) {
		d0 = c[0].i;
		d1 = c[1].i;
		n = c[2].i;
	}
	hs_db_end(r->db, STMT_ATTR_DAYS);
	if (n == 0)
		d0 = d1 = 0;
	if ((ex = fin_run(r, FIN_OUTSIDE, d0, d1, 0)) != RC_EXIT_OK)
		return ex;
	if (n > 0 && (ex = fin_days(r, FIN_DAYS, d0, d1)) != RC_EXIT_OK)
		return ex;
	return RC_EXIT_OK;
}

/*
 * The invites from the day the mode starts at to the last click; *cmax
 * is set to the last click (ms, 0: none).  An exit status.
 */
static int
fin_invites(struct run *r, long long *cmax)
{
	long long	 cmin, from, d1;
	int		 ex;

	if (rc_two_ints(r, STMT_CLICK_SPAN, NULL, 0, &cmin, cmax) != 0)
		return RC_EXIT_FAIL;
	if (r->o->mode == RC_MODE_WINDOW) {
		if (parse_time(r->since, &from) != 0 || from < cmin)
			from = cmin;
		if (parse_time(r->until, &d1) == 0 && d1 - 1 < *cmax)
			*cmax = d1 - 1;
	} else if (r->o->mode == RC_MODE_INCREMENTAL) {
		/*
		 * Only the days of the clicks recorded since the last run
		 * (late_invites), not two whole days every time: a run every
		 * few minutes reads today's clicks once.
		 */
		from = *cmax + RC_DAY_MS;
		if ((ex = late_invites(r, &from, cmin)) != RC_EXIT_OK)
			return ex;
	} else {
		from = cmin;
		if ((ex = late_invites(r, &from, cmin)) != RC_EXIT_OK)
			return ex;
	}
	if (*cmax != 0 && from <= *cmax)
		return fin_days(r, FIN_INVITES, from, *cmax);
	return RC_EXIT_OK;
}

/* qsort: review queue texts by kind. */
static int
rq_cmp(const void *a, const void *b)
{
	const struct rqtext	*x = a, *y = b;

	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* The review queue, when owed.  An exit status. */
static int
fin_review(struct run *r)
{
	long long	 id, ms;
	size_t		 i;
	int		 ex = RC_EXIT_OK;

	if (rc_state_get(r, "review_all", &id, &ms) < 0)
		return RC_EXIT_FAIL;
	if (id != 1)
		return RC_EXIT_OK;
	/*
	 * Whole after a full run, or when an earlier run was killed owing
	 * texts nobody noted; else the texts this run wrote.
	 */
	if (r->o->mode == RC_MODE_FULL || r->rq_prior || r->rq_overflow ||
	    r->nrq == 0)
		return fin_run(r, FIN_REVIEW, 0, 0, 0);
	/* A unit's texts of one kind go in one statement (fin_texts). */
	qsort(r->rq, r->nrq, sizeof(*r->rq), rq_cmp);
	for (i = 0; ex == RC_EXIT_OK && i < r->nrq; i += RQ_UNIT)
		ex = fin_run(r, FIN_TEXTS, 0, 0, (long long)i);
	return ex;
}

/*
 * The side's work (rc_finalise): the invites unless they went early
 * (rc_finalise_begin), then the review queue, which write tables
 * nothing beside them writes.  An exit status.
 */
static int
fin_side(struct run *r, int invites, long long *cmax)
{
	int	 ex;

	if (invites) {
		if ((ex = fin_invites(r, cmax)) != RC_EXIT_OK)
			return ex;
		rc_lap(r, "invites");
	}
	ex = fin_review(r);
	rc_lap(r, "review queue");
	return ex;
}

/* The side's work beside the rest of the finalising (rc_finalise). */
struct beside {
	struct run	 rd;		/* a copy of the run on its own db */
	int		 invites;	/* not done early */
	long long	 cmax;		/* fin_invites: the last click */
	int		 ex;
};

/* The thread: fin_side on the copy's connection. */
static void *
beside_run(void *arg)
{
	struct beside	*b = arg;

	b->ex = fin_side(&b->rd, b->invites, &b->cmax);
	return NULL;
}

/* The survey and scan rollups (survey_rollup.c).  An exit status. */
static int
fin_survey(struct run *r)
{
	int	 ex;

	ex = rc_survey_rollups(r->db, r->holder, r->o, r->horizon);
	rc_lap(r, "survey rollups");
	return ex;
}

/*
 * What the side's work goes beside: orphans (full), the aggregates of
 * the owed days, the survey rollups unless they went early.  An exit
 * status.
 */
static int
fin_rest(struct run *r, int survey)
{
	long long	 d0, d1, id;
	int		 ex;

	/*
	 * Read first, in every mode: a forget that widens the range after
	 * this (and after the days it names were rebuilt) must find it
	 * still there next run, so FIN_CLEAN clears only what was read.
	 */
	if (rc_state_get(r, "dirty_from", &id, &d0) < 0 ||
	    rc_state_get(r, "dirty_to", &id, &d1) < 0)
		return RC_EXIT_FAIL;
	r->dirty_read[0] = d0;
	r->dirty_read[1] = d1;
	if (r->o->mode == RC_MODE_FULL) {
		if ((ex = fin_full_days(r)) != RC_EXIT_OK)
			return ex;
	} else if (d0 != 0 && d1 != 0) {
		if ((ex = fin_days(r, FIN_DAYS, d0, d1)) != RC_EXIT_OK)
			return ex;
	}
	rc_lap(r, "aggregates");
	return survey ? fin_survey(r) : RC_EXIT_OK;
}

/*
 * The invites and the survey rollups of an incremental run, early: on a
 * connection of their own beside phases 1 and 2, which leave a core
 * idle, as they count raw clicks and answers, not the attributions the
 * phases write (the rollups' owed days are their own for that:
 * survey_rollup.c).  Every unit locks the lease row only at its end
 * (rc_lease_fence).  Measured at 1M signups, the night's 10000: the
 * server used 0.6 to 1 of the two cores while phase 1 wrote; beside it
 * the two took 0.7 s (0.45 s alone) and phase 1 0.05 s more, and the
 * night went from 1.14-1.23 s to 0.96-0.97 s.
 */
struct rc_early {
	struct run	 rd;		/* a copy of the run, its own db */
	pthread_t	 th;
	int		 ran;		/* had a connection: did the work */
	long long	 cmax;		/* fin_invites: the last click */
	int		 ex;
};

/* The thread: opens its connection (off the run's way), then works. */
static void *
early_run(void *arg)
{
	struct rc_early	*e = arg;
	struct run	*r = &e->rd;

	if ((r->db = rc_side_open(r->conf)) == NULL)
		return NULL;	/* rc_finalise does the work in turn */
	e->ran = 1;
	if ((e->ex = fin_invites(r, &e->cmax)) == RC_EXIT_OK)
		rc_lap(r, "invites");
	if (e->ex == RC_EXIT_OK)
		e->ex = fin_survey(r);
	hs_db_close(r->db);
	r->db = NULL;
	return NULL;
}

/*
 * Before the phases: the horizon (days before it are history), then, in
 * an incremental run, the early work (rc_early) started.  An exit
 * status.
 */
int
rc_finalise_begin(struct run *r)
{
	struct hs_dbparam	 p[1];
	struct rc_early		*e;
	long long		 n;

	p[0] = (struct hs_dbparam)HS_DBP_INT(r->o->keep_days);
	if (rc_two_ints(r, STMT_HORIZON, p, 1, &r->horizon, &n) != 0 ||
	    r->horizon == 0)
		return RC_EXIT_FAIL;
	if (r->o->mode != RC_MODE_INCREMENTAL ||
	    (e = hs_xcalloc(1, sizeof(*e))) == NULL)
		return RC_EXIT_OK;
	e->rd = *r;
	e->rd.ex = NULL;
	e->rd.side = NULL;
	if (rc_side_start(&e->th, early_run, e) != 0) {
		free(e);
		return RC_EXIT_OK;
	}
	r->early = e;
	return RC_EXIT_OK;
}

/*
 * Wait for the early work, if started, and take its marks.  Returns 1
 * when it did the work (its last click in *cmax, its exit status in
 * *ex), else 0.  After a failed phase, to wait: cmax and ex NULL.
 */
int
rc_early_join(struct run *r, long long *cmax, int *ex)
{
	struct rc_early	*e = r->early;
	int		 ran;

	if (e == NULL)
		return 0;
	(void)pthread_join(e->th, NULL);
	r->early = NULL;
	if ((ran = e->ran) && cmax != NULL) {
		*cmax = e->cmax;
		*ex = e->ex;
		r->inv_mark = e->rd.inv_mark;
		r->inv_print = e->rd.inv_print;
		r->lost |= e->rd.lost;
	}
	free(e);
	return ran;
}

/*
 * Finalise: the early work waited for (rc_early_join); then the review
 * queue, and the invites unless they went early (fin_side), in a thread
 * on the second connection (side.c) beside the rest (fin_rest), as they
 * write other tables and every unit locks the lease row only at its end
 * (rc_lease_fence); in turn when there is no second connection.  Then
 * clear the marks.  An exit status: a lost lease first, then the
 * early work's, the rest's, then the side's.
 */
int
rc_finalise(struct run *r)
{
	struct beside		 b;
	pthread_t		 th;
	int			 ex = RC_EXIT_OK, side = 0, early;

	memset(&b, 0, sizeof(b));
	if ((early = rc_early_join(r, &b.cmax, &ex)))
		rc_lap(r, "early wait");
	if (r->lost)
		return RC_EXIT_LOST;
	if (ex != RC_EXIT_OK)
		return ex;
	b.invites = !early;
	b.rd = *r;
	b.rd.ex = NULL;
	if ((b.rd.db = rc_side_db(r)) != NULL &&
	    rc_side_start(&th, beside_run, &b) == 0)
		side = 1;
	ex = fin_rest(r, !early);
	if (side) {
		(void)pthread_join(th, NULL);
		r->inv_mark = b.rd.inv_mark;
		r->inv_print = b.rd.inv_print;
		r->lost |= b.rd.lost;
		rc_lap(r, "side wait");
	} else if (ex == RC_EXIT_OK)
		b.ex = fin_side(r, b.invites, &b.cmax);
	if (r->lost)
		return RC_EXIT_LOST;
	if (ex == RC_EXIT_OK)
		ex = b.ex;
	if (ex != RC_EXIT_OK)
		return ex;
	ex = fin_run(r, FIN_CLEAN, 0, 0,
	    r->o->mode == RC_MODE_WINDOW ? 0 : b.cmax);
	rc_lap(r, "marks");
	return ex;
}
