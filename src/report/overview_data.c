/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * overview_data.c: the overview's loaders.  Every number on the
 * overview comes from the nightly tables (daily_aggregates,
 * channel_matrix, attributions) plus two counts over the survey answers,
 * so a page over a year of a million signups reads aggregates, not
 * signups.  Each loader fills its tables (overview_tables.c) and the
 * series the charts draw; the period before the range is read by the
 * same queries as the range.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "overview.h"

#define DAYS_NCOLS	13	/* STMT_DAYS: the day, then its counts */

/*
 * A row of STMT_DAYS: the day; the signups; their classes (NCLASSES);
 * answers naming a source, with free text, matched or mapped; tracked,
 * reported and either referrals.
 */
struct dayrow {
	char		 day[16];
	struct hs_dbcol	 c[DAYS_NCOLS];
};

/* A row of the channel matrix: tracked, reported channel, signups. */
struct matrow {
	char		 tc[CHANNEL_MAX + 1], rc[CHANNEL_MAX + 1];
	struct hs_dbcol	 c[3];
	size_t		 st;		/* STMT_MATRIX or STMT_MATRIX_CAMP */
};

/* The day index of a YYYY-MM-DD from the database, or -1. */
static long
dayidx(const struct range *rg, const char *s)
{
	long	 d;

	if (!parse_day(s, &d) || d < rg->day0 ||
	    d >= rg->day0 + (long)rg->ndays)
		return -1;
	return d - rg->day0;
}

/* Starts STMT_DAYS over from..to, rg's campaign, into d. */
static enum hs_err
days_query(struct report *rp, const struct range *rg, const char *from,
    const char *to, struct dayrow *d)
{
	struct hs_dbparam p[4] = { HS_DBP_TEXT(from), HS_DBP_TEXT(to),
			    HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	size_t		 k;

	memset(d->c, 0, sizeof(d->c));
	d->c[0] = (struct hs_dbcol)HS_DBC_TEXT(d->day);
	for (k = 1; k < DAYS_NCOLS; k++)
		d->c[k].type = HS_DB_INT;
	return hs_db_query(rp->ro, STMT_DAYS, p, 4, d->c, DAYS_NCOLS);
}

/* Starts the channel matrix of from..to, rg's campaign, into m. */
static enum hs_err
matrix_query(struct report *rp, const struct range *rg, const char *from,
    const char *to, struct matrow *m)
{
	struct hs_dbparam p[3] = { HS_DBP_TEXT(from), HS_DBP_TEXT(to),
			    HS_DBP_INT(rg->campaign) };

	m->c[0] = (struct hs_dbcol)HS_DBC_TEXT(m->tc);
	m->c[1] = (struct hs_dbcol)HS_DBC_TEXT(m->rc);
	m->c[2] = (struct hs_dbcol)HS_DBC_INT;
	/* STMT_MATRIX_CAMP binds the campaign third. */
	m->st = rg->campaign ? STMT_MATRIX_CAMP : STMT_MATRIX;
	return hs_db_query(rp->ro, m->st, p, rg->campaign ? 3 : 2, m->c, 3);
}

/* The answers of from..to, rg's campaign, and how many chose a decoy. */
static enum hs_err
funnel_query(struct report *rp, const struct range *rg, const char *from,
    const char *to, long long *answers, long long *decoys)
{
	struct hs_dbparam p[4] = { HS_DBP_TEXT(from), HS_DBP_TEXT(to),
			    HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 c[2] = { HS_DBC_INT, HS_DBC_INT };
	enum hs_err	 e;
	int		 have = 0;

	if ((e = hs_db_query(rp->ro, STMT_FUNNEL, p, 4, c, 2)) != HS_OK)
		return e;
	if ((e = hs_db_fetch(rp->ro, STMT_FUNNEL, &have)) == HS_OK && have) {
		*answers = c[0].i;
		*decoys = c[1].i;
	}
	hs_db_end(rp->ro, STMT_FUNNEL);
	return e;
}

/* One day's row of d into the referral share table and series. */
static enum hs_err
share_day(struct overview *ov, long i, const struct dayrow *d)
{
	struct rtable	*sh = &ov->t[OT_SHARE];
	const struct hs_dbcol *c = d->c;
	enum hs_err	 e;
	size_t		 k;

	for (k = 0; k < 3; k++)
		ov->ref[k][i] = (double)c[10 + k].i / (double)c[1].i;
	if ((e = rt_put(sh, d->day)) != HS_OK ||
	    (e = rt_printf(sh, "%lld", c[1].i)) != HS_OK)
		return e;
	for (k = 10; k <= 12 && e == HS_OK; k++)
		e = rt_printf(sh, "%lld", c[k].i);
	for (k = 10; k <= 12 && e == HS_OK; k++)
		e = put_pct(sh, c[k].i, c[1].i);
	return e;
}

/*
 * Signups per day by class, and the referral share per day, from one
 * pass over daily_aggregates; the funnel's totals on the way.
 */
enum hs_err
ov_load_days(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	struct dayrow	 d;
	const struct hs_dbcol *c = d.c;
	struct rtable	*t = &ov->t[OT_CLASSES];
	enum hs_err	 e;
	long		 i;
	size_t		 k;
	int		 have;

	if ((e = days_query(rp, rg, rg->from, rg->to, &d)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_DAYS, &have)) == HS_OK &&
	    have) {
		if ((i = dayidx(rg, d.day)) < 0)
			continue;
		for (k = 0; k < NCLASSES; k++)
			ov->cls[k][i] = (double)c[2 + k].i;
		ov->signups += c[1].i;
		ov->reported += c[7].i;
		ov->free_text += c[8].i;
		ov->free_mapped += c[9].i;
		ov->tref += c[10].i;
		ov->rref += c[11].i;
		ov->uref += c[12].i;
		if ((e = rt_put(t, d.day)) != HS_OK)
			break;
		for (k = 1; k <= 6 && e == HS_OK; k++)
			e = rt_printf(t, "%lld", c[k].i);
		if (e != HS_OK || c[1].i <= 0)
			continue;
		if ((e = share_day(ov, i, &d)) != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_DAYS);
	return e;
}

/*
 * The agreement of the period before, from..to: its matrix over the
 * rows with both sides, in whatever order the channels come (the
 * metrics do not depend on it).
 */
static enum hs_err
load_prev_matrix(struct report *rp, struct overview *ov, const char *from,
    const char *to)
{
	struct matrow	 m;
	char		 chan[MATRIX_MAX][CHANNEL_MAX + 1];
	static long long sq[MATRIX_MAX * MATRIX_MAX];	/* not on the stack */
	size_t		 nchan = 0, i, j, k;
	const char	*side[2] = { m.tc, m.rc };
	size_t		 at[2];
	enum hs_err	 e;
	int		 have;

	memset(sq, 0, sizeof(sq));
	if ((e = matrix_query(rp, &ov->rg, from, to, &m)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, m.st, &have)) == HS_OK && have) {
		if (strcmp(m.tc, "none") == 0 || strcmp(m.rc, "none") == 0)
			continue;
		for (k = 0; k < 2; k++) {
			for (i = 0; i < nchan; i++)
				if (strcmp(chan[i], side[k]) == 0)
					break;
			if (i == nchan && nchan < MATRIX_MAX)
				(void)snprintf(chan[nchan++], sizeof(chan[0]),
				    "%s", side[k]);
			at[k] = i;
		}
		if (at[0] < MATRIX_MAX && at[1] < MATRIX_MAX)
			sq[at[0] * MATRIX_MAX + at[1]] += m.c[2].i;
	}
	hs_db_end(rp->ro, m.st);
	if (e != HS_OK)
		return e;
	/* Compact to nchan x nchan, row-major, as hs_agreement reads. */
	for (i = 0; i < nchan; i++)
		for (j = 0; j < nchan; j++)
			sq[i * nchan + j] = sq[i * MATRIX_MAX + j];
	hs_agreement(sq, nchan, &ov->p_ag);
	return HS_OK;
}

/*
 * The headline figures of the period of as many days just before the
 * range, from the same rollups, for the figures' comparison: the counts
 * per day, the channel matrix, the answers and their decoys.
 */
enum hs_err
ov_load_prev(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	struct dayrow	 d;
	char		 f[11], t[11];
	enum hs_err	 e;
	int		 have;

	fmt_day(rg->day0 - (long)rg->ndays, f);
	fmt_day(rg->day0 - 1, t);
	if ((e = days_query(rp, rg, f, t, &d)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_DAYS, &have)) == HS_OK &&
	    have) {
		ov->p_signups += d.c[1].i;
		ov->p_tref += d.c[10].i;
		ov->p_rref += d.c[11].i;
		ov->p_uref += d.c[12].i;
	}
	hs_db_end(rp->ro, STMT_DAYS);
	if (e != HS_OK ||
	    (e = load_prev_matrix(rp, ov, f, t)) != HS_OK)
		return e;
	return funnel_query(rp, rg, f, t, &ov->p_answers, &ov->p_decoys);
}

static int
chancmp(const void *a, const void *b)
{
	const char	*x = a, *y = b;

	/* 'none' (a missing side) goes last. */
	if (strcmp(x, "none") == 0 || strcmp(y, "none") == 0)
		return (strcmp(x, "none") == 0) - (strcmp(y, "none") == 0);
	return strcmp(x, y);
}

/* Index of channel name in ov->chan, added if new; -1 when full. */
static int
chanidx(struct overview *ov, const char *name)
{
	size_t	 i;

	for (i = 0; i < ov->nchan; i++)
		if (strcmp(ov->chan[i], name) == 0)
			return (int)i;
	if (ov->nchan == MATRIX_MAX)
		return -1;
	(void)snprintf(ov->chan[ov->nchan], sizeof(ov->chan[0]), "%s", name);
	return (int)ov->nchan++;
}

/*
 * The tracked x reported matrix and its agreement.  Rows are fetched
 * twice: once to learn the channels (sorted, so the axes are stable),
 * once into the cells.
 */
enum hs_err
ov_load_matrix(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	struct matrow	 m;
	long long	 sq[MATRIX_MAX * MATRIX_MAX];
	struct rtable	*t = &ov->t[OT_MATRIX], *a = &ov->t[OT_AGREEMENT];
	enum hs_err	 e;
	int		 have, i, j, pass;
	size_t		 x, y, k;

	for (pass = 0; pass < 2; pass++) {
		if ((e = matrix_query(rp, rg, rg->from, rg->to, &m)) != HS_OK)
			return e;
		while ((e = hs_db_fetch(rp->ro, m.st, &have)) == HS_OK &&
		    have) {
			if (pass == 0) {
				(void)chanidx(ov, m.tc);
				(void)chanidx(ov, m.rc);
				continue;
			}
			if ((i = chanidx(ov, m.tc)) < 0 ||
			    (j = chanidx(ov, m.rc)) < 0)
				continue;	/* past MATRIX_MAX */
			ov->cells[i * MATRIX_MAX + j] += m.c[2].i;
		}
		hs_db_end(rp->ro, m.st);
		if (e != HS_OK)
			return e;
		if (pass == 0)
			qsort(ov->chan, ov->nchan, sizeof(ov->chan[0]),
			    chancmp);
	}
	/* Compact to nchan x nchan, row-major, for the chart. */
	for (x = 0; x < ov->nchan; x++)
		for (y = 0; y < ov->nchan; y++)
			ov->cells[x * ov->nchan + y] =
			    ov->cells[x * MATRIX_MAX + y];
	for (x = 0; x < ov->nchan; x++)
		for (y = 0; y < ov->nchan; y++) {
			if (ov->cells[x * ov->nchan + y] == 0)
				continue;
			if ((e = rt_put(t, ov->chan[x])) != HS_OK ||
			    (e = rt_put(t, ov->chan[y])) != HS_OK ||
			    (e = rt_printf(t, "%lld",
			    ov->cells[x * ov->nchan + y])) != HS_OK)
				return e;
		}
	/*
	 * Agreement over rows with both sides: drop 'none'.  Channels seen
	 * only beside 'none' stay on the axes; hs_agreement counts a
	 * channel only where it occurs, as --summary does.
	 */
	k = ov->nchan;
	if (k > 0 && strcmp(ov->chan[k - 1], "none") == 0)
		k--;
	for (x = 0; x < k; x++)
		for (y = 0; y < k; y++)
			sq[x * k + y] = ov->cells[x * ov->nchan + y];
	hs_agreement(sq, k, &ov->ag);
	if ((e = rt_printf(a, "%lld", ov->ag.n)) != HS_OK ||
	    (e = rt_printf(a, "%zu", ov->ag.k)) != HS_OK ||
	    (e = put_stat(a, ov->ag.po, 100, 1)) != HS_OK ||
	    (e = put_stat(a, ov->ag.pe, 100, 1)) != HS_OK ||
	    (e = put_stat(a, ov->ag.kappa, 1, 3)) != HS_OK ||
	    (e = put_stat(a, ov->ag.pabak, 1, 3)) != HS_OK)
		return e;
	return HS_OK;
}

/*
 * The whole calendar months inside the range: m0 (first day of the
 * first), m1 (first day of the last) and m1end (last day of the last).
 * With none, m0 is the day after the range and m1 its first day, so the
 * months are an empty interval and every day of the range is outside.
 */
static void
whole_months(const struct range *rg, char m0[11], char m1[11],
    char m1end[11])
{
	long	 first, last, d, to = rg->day0 + (long)rg->ndays - 1;
	char	 buf[11];

	/* First whole month: from, if it is a 1st, else the next 1st. */
	first = rg->day0;
	fmt_day(first, buf);
	while (strcmp(buf + 8, "01") != 0)
		fmt_day(++first, buf);
	/* Last whole month ends at to, if the day after is a 1st, else
	 * on the last day before to's month. */
	last = to;
	fmt_day(last + 1, buf);
	while (strcmp(buf + 8, "01") != 0)
		fmt_day(--last + 1, buf);
	if (first > last) {
		memcpy(m0, rg->next, 11);
		memcpy(m1, rg->from, 11);
		memcpy(m1end, rg->to, 11);
		return;
	}
	fmt_day(first, m0);
	fmt_day(last, m1end);
	d = last;
	fmt_day(d, buf);
	d -= atoi(buf + 8) - 1;
	fmt_day(d, m1);
}

/*
 * The risk flags of the n advocates listed (ids), asked only for those
 * with flagged rows, into the table's last column.
 */
static enum hs_err
adv_flags(struct report *rp, struct overview *ov, const long long *ids,
    const long long *nflagged, size_t n)
{
	struct range	*rg = &ov->rg;
	struct hs_dbparam fp[5] = { HS_DBP_INT(0), HS_DBP_TEXT(rg->from),
			    HS_DBP_TEXT(rg->to), HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 f = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	struct rtable	*t = &ov->t[OT_ADVOCATES];
	char		 fb[RISKS_MAX], *cell;
	enum hs_err	 e;
	size_t		 row;
	int		 have;

	for (row = 0; row < n; row++) {
		if (nflagged[row] == 0)
			continue;
		fp[0].i = ids[row];
		f.i = 0;
		if ((e = hs_db_query(rp->ro, STMT_ADV_FLAGS, fp, 5, &f, 1)) !=
		    HS_OK)
			return e;
		e = hs_db_fetch(rp->ro, STMT_ADV_FLAGS, &have);
		hs_db_end(rp->ro, STMT_ADV_FLAGS);
		if (e != HS_OK)
			return e;
		hs_risk_str(have ? (unsigned int)f.i : 0, " ", fb, sizeof(fb));
		if (fb[0] == '\0')
			continue;
		if ((cell = hs_xstrdup(fb)) == NULL)
			return HS_ENOMEM;
		free(t->cells[row * t->ncols + 8]);
		t->cells[row * t->ncols + 8] = cell;
	}
	return HS_OK;
}

/* Top advocates by the chosen sort, with their risk flags. */
enum hs_err
ov_load_advocates(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	char		 handle[RPT_TEXT_MAX], name[RPT_TEXT_MAX];
	char		 m0[11], m1[11], m1end[11];
	struct hs_dbparam p[13] = { HS_DBP_NULL, HS_DBP_NULL,
			    HS_DBP_INT(rg->campaign), HS_DBP_INT(rg->campaign),
			    HS_DBP_TEXT(rg->from), HS_DBP_TEXT(rg->to),
			    HS_DBP_NULL, HS_DBP_NULL,
			    HS_DBP_INT(rg->campaign), HS_DBP_INT(rg->campaign),
			    HS_DBP_TEXT(rg->sort), HS_DBP_TEXT(rg->sort),
			    HS_DBP_INT(ADVOCATES_MAX) };
	struct hs_dbcol	 c[9];
	long long	 ids[ADVOCATES_MAX], nflagged[ADVOCATES_MAX];
	struct rtable	*t = &ov->t[OT_ADVOCATES];
	enum hs_err	 e;
	size_t		 k, n = 0;
	int		 have;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_INT;
	c[1].type = c[2].type = HS_DB_TEXT;
	c[1].s = handle;
	c[1].cap = sizeof(handle);
	c[2].s = name;
	c[2].cap = sizeof(name);
	for (k = 3; k < 9; k++)
		c[k].type = HS_DB_INT;
	whole_months(rg, m0, m1, m1end);
	p[0] = p[6] = (struct hs_dbparam)HS_DBP_TEXT(m0);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(m1);
	p[7] = (struct hs_dbparam)HS_DBP_TEXT(m1end);
	if ((e = hs_db_query(rp->ro, STMT_ADVOCATES, p, 13, c, 9)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_ADVOCATES, &have)) == HS_OK &&
	    have && n < ADVOCATES_MAX) {
		ids[n] = c[0].i;
		nflagged[n++] = c[7].i;
		if ((e = rt_put(t, handle)) != HS_OK ||
		    (e = rt_put(t, name)) != HS_OK)
			break;
		for (k = 3; k < 9 && e == HS_OK; k++)
			e = rt_printf(t, "%lld", c[k].i);
		if (e == HS_OK)
			e = rt_put(t, "");	/* filled below */
		if (e != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_ADVOCATES);
	if (e != HS_OK)
		return e;
	/* Which flags: only for the advocates shown with flagged rows. */
	return adv_flags(rp, ov, ids, nflagged, n);
}

/* Events of the selection with their QR scans and signups. */
enum hs_err
ov_load_events(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	char		 name[RPT_TEXT_MAX], starts[16];
	struct hs_dbparam p[9] = { HS_DBP_TEXT(rg->from), HS_DBP_TEXT(rg->to),
			    HS_DBP_TEXT(rg->from), HS_DBP_TEXT(rg->to),
			    HS_DBP_INT(rg->campaign), HS_DBP_INT(rg->campaign),
			    HS_DBP_TEXT(rg->from), HS_DBP_TEXT(rg->to),
			    HS_DBP_INT(EVENTS_MAX) };
	char		 slug[RPT_NAME_MAX + 1];
	struct hs_dbcol	 c[6] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, name, sizeof(name), 0, 0, 0 },
		{ HS_DB_TEXT, 0, starts, sizeof(starts), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		HS_DBC_TEXT(slug),
	};
	struct rtable	*t = &ov->t[OT_EVENTS];
	enum hs_err	 e;
	int		 have;

	if ((e = hs_db_query(rp->ro, STMT_EVENTS, p, 9, c, 6)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_EVENTS, &have)) == HS_OK &&
	    have && rt_rows(t) < EVENTS_MAX) {
		(void)snprintf(ov->evslug[rt_rows(t)], sizeof(ov->evslug[0]),
		    "%s", c[5].truncated ? "" : slug);
		if ((e = rt_put(t, name)) != HS_OK ||
		    (e = rt_put(t, starts[0] != '\0' ? starts : NULL)) !=
		    HS_OK || (e = rt_printf(t, "%lld", c[4].i)) != HS_OK ||
		    (e = rt_printf(t, "%lld", c[3].i)) != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_EVENTS);
	return e;
}

/*
 * Answers by the position the first chosen option was shown at, and
 * each position's share.
 */
static enum hs_err
load_positions(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	struct hs_dbparam p[4] = { HS_DBP_TEXT(rg->from),
			    HS_DBP_TEXT(rg->to), HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 c[2] = { HS_DBC_INT, HS_DBC_INT };
	struct rtable	*po = &ov->t[OT_POSITIONS];
	long long	 pos[64], total = 0;
	size_t		 npos = 0, i;
	enum hs_err	 e;
	int		 have = 0;

	if ((e = hs_db_query(rp->ro, STMT_POSITIONS, p, 4, c, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_POSITIONS, &have)) == HS_OK &&
	    have && npos < 64) {
		pos[npos++] = c[0].i;
		pos[npos++] = c[1].i;
		total += c[1].i;
	}
	hs_db_end(rp->ro, STMT_POSITIONS);
	if (e != HS_OK)
		return e;
	for (i = 0; i + 1 < npos; i += 2)
		if ((e = rt_printf(po, "%lld", pos[i])) != HS_OK ||
		    (e = rt_printf(po, "%lld", pos[i + 1])) != HS_OK ||
		    (e = put_pct(po, pos[i + 1], total)) != HS_OK)
			return e;
	return HS_OK;
}

/* The survey funnel, the decoy rate and the position bias. */
enum hs_err
ov_load_survey(struct report *rp, struct overview *ov)
{
	static const char *const steps[5] = { "Signups (reconciled)",
	    "Answered the survey", "Named a source", "Typed free text",
	    "Free text matched or mapped" };
	struct range	*rg = &ov->rg;
	struct rtable	*fu = &ov->t[OT_FUNNEL], *de = &ov->t[OT_DECOY];
	long long	 v[5];
	size_t		 i;
	enum hs_err	 e;

	if ((e = funnel_query(rp, rg, rg->from, rg->to, &ov->answers,
	    &ov->decoys)) != HS_OK)
		return e;
	v[0] = ov->signups;
	v[1] = ov->answers;
	v[2] = ov->reported;
	v[3] = ov->free_text;
	v[4] = ov->free_mapped;
	for (i = 0; i < 5; i++)
		if ((e = rt_put(fu, steps[i])) != HS_OK ||
		    (e = rt_printf(fu, "%lld", v[i])) != HS_OK ||
		    (e = put_pct(fu, v[i], ov->signups)) != HS_OK)
			return e;
	if ((e = rt_printf(de, "%lld", ov->answers)) != HS_OK ||
	    (e = rt_printf(de, "%lld", ov->decoys)) != HS_OK ||
	    (e = put_pct(de, ov->decoys, ov->answers)) != HS_OK)
		return e;
	return load_positions(rp, ov);
}
