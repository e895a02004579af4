/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_overview.c: the overview and its downloads.  Every number on
 * the overview comes from the nightly tables (daily_aggregates,
 * channel_matrix, attributions) plus two counts over the survey answers,
 * so a page over a year of a million signups reads aggregates, not
 * signups.  Each section is one struct rtable: the page draws the chart
 * from it, writes it as the data table under the chart, and
 * ?table=NAME&format=csv|json downloads exactly those cells.
 *
 * Scope: an analyst limited to a campaign sees that campaign only;
 * asking for another is 403, an unknown campaign 404.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

#define ADVOCATES_MAX	25	/* rows of the advocates table */
#define EVENTS_MAX	50	/* rows of the events table */

enum otable {
	OT_SHARE,
	OT_CLASSES,
	OT_MATRIX,
	OT_AGREEMENT,
	OT_ADVOCATES,
	OT_EVENTS,
	OT_FUNNEL,
	OT_POSITIONS,
	OT_DECOY,
	OT__MAX
};

static const char *const otnames[OT__MAX] = {
	"share",	/* OT_SHARE */
	"classes",	/* OT_CLASSES */
	"matrix",	/* OT_MATRIX */
	"agreement",	/* OT_AGREEMENT */
	"advocates",	/* OT_ADVOCATES */
	"events",	/* OT_EVENTS */
	"funnel",	/* OT_FUNNEL */
	"positions",	/* OT_POSITIONS */
	"decoy",	/* OT_DECOY */
};

static const struct rtcol share_cols[] = {
	{ "day", "Day", 0 },
	{ "signups", "Signups", 1 },
	{ "tracked_referrals", "Tracked referrals", 1 },
	{ "reported_referrals", "Reported referrals", 1 },
	{ "union_referrals", "Either", 1 },
	{ "tracked_pct", "Tracked %", 1 },
	{ "reported_pct", "Reported %", 1 },
	{ "union_pct", "Either %", 1 },
};
static const struct rtcol class_cols[] = {
	{ "day", "Day", 0 },
	{ "signups", "Signups", 1 },
	{ "agree", "Agree", 1 },
	{ "disagree", "Disagree", 1 },
	{ "tracked_only", "Tracked only", 1 },
	{ "reported_only", "Reported only", 1 },
	{ "unattributed", "Unattributed", 1 },
};
static const struct rtcol matrix_cols[] = {
	{ "tracked_channel", "Tracked channel", 0 },
	{ "reported_channel", "Reported channel", 0 },
	{ "signups", "Signups", 1 },
};
static const struct rtcol agree_cols[] = {
	{ "both_sides", "Signups with both sides", 1 },
	{ "categories", "Channels", 1 },
	{ "agreement_pct", "Agreement %", 1 },
	{ "chance_pct", "Chance agreement %", 1 },
	{ "kappa", "Cohen's kappa", 1 },
	{ "pabak", "PABAK", 1 },
};
static const struct rtcol adv_cols[] = {
	{ "handle", "Handle", 0 },
	{ "name", "Name", 0 },
	{ "signups", "Signups credited", 1 },
	{ "tracked", "Tracked credit", 1 },
	{ "implicit", "Implicit credit", 1 },
	{ "agree", "Both agree", 1 },
	{ "flagged", "Flagged", 1 },
	{ "reviewed", "Reviewed", 1 },
	{ "risk_flags", "Risk flags", 0 },
};
static const struct rtcol event_cols[] = {
	{ "event", "Event", 0 },
	{ "starts", "Date", 0 },
	{ "qr_scans", "QR scans", 1 },
	{ "signups", "Signups", 1 },
};
static const struct rtcol funnel_cols[] = {
	{ "step", "Step", 0 },
	{ "count", "Count", 1 },
	{ "pct_of_signups", "% of signups", 1 },
};
static const struct rtcol pos_cols[] = {
	{ "position", "Position shown", 1 },
	{ "answers", "Answers", 1 },
	{ "pct", "Share %", 1 },
};
static const struct rtcol decoy_cols[] = {
	{ "answers", "Answers", 1 },
	{ "decoy_answers", "Chose a decoy option", 1 },
	{ "decoy_pct", "Decoy rate %", 1 },
};

/* Everything the overview shows. */
struct overview {
	struct range	 rg;
	struct rtable	 t[OT__MAX];
	char		(*labels)[11];	/* one per day */
	const char	**x;		/* pointers into labels */
	double		*ref[3];	/* tracked, reported, union share */
	double		*cls[NCLASSES];	/* signups by class */
	long long	 signups, tref, rref, uref, reported, free_text,
			 free_mapped, answers, decoys;
	char		 chan[MATRIX_MAX][CHANNEL_MAX + 1];
	size_t		 nchan;
	long long	 cells[MATRIX_MAX * MATRIX_MAX];
	struct hs_agreement ag;	/* core's metrics.c: one set of rules */
	long long	 p_signups, p_tref, p_rref, p_uref; /* the period
					   of as many days before */
	long long	 p_answers, p_decoys;
	struct hs_agreement p_ag;
	char		 evslug[EVENTS_MAX][RPT_NAME_MAX + 1]; /* per row */
	const struct sess *s;
};

/* ------------------------------------------------------------ loading */

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

/*
 * Signups per day by class, and the referral share per day, from one
 * pass over daily_aggregates; the funnel's totals on the way.
 */
static enum hs_err
load_days(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	char		 day[16];
	struct hs_dbparam p[4] = { HS_DBP_TEXT(rg->from),
			    HS_DBP_TEXT(rg->to), HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 c[13];
	struct rtable	*t = &ov->t[OT_CLASSES], *sh = &ov->t[OT_SHARE];
	enum hs_err	 e;
	long		 i;
	size_t		 k;
	int		 have;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_TEXT;
	c[0].s = day;
	c[0].cap = sizeof(day);
	for (k = 1; k < 13; k++)
		c[k].type = HS_DB_INT;
	if ((e = hs_db_query(rp->ro, STMT_DAYS, p, 4, c, 13)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_DAYS, &have)) == HS_OK &&
	    have) {
		if ((i = dayidx(rg, day)) < 0)
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
		if ((e = rt_put(t, day)) != HS_OK)
			break;
		for (k = 1; k <= 6 && e == HS_OK; k++)
			e = rt_printf(t, "%lld", c[k].i);
		if (e != HS_OK || c[1].i <= 0)
			continue;
		for (k = 0; k < 3; k++)
			ov->ref[k][i] = (double)c[10 + k].i / (double)c[1].i;
		if ((e = rt_put(sh, day)) != HS_OK ||
		    (e = rt_printf(sh, "%lld", c[1].i)) != HS_OK)
			break;
		for (k = 10; k <= 12 && e == HS_OK; k++)
			e = rt_printf(sh, "%lld", c[k].i);
		for (k = 10; k <= 12 && e == HS_OK; k++)
			e = put_pct(sh, c[k].i, c[1].i);
		if (e != HS_OK)
			break;
	}
	hs_db_end(rp->ro, STMT_DAYS);
	return e;
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
static enum hs_err
load_matrix(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	char		 tc[CHANNEL_MAX + 1], rc[CHANNEL_MAX + 1];
	struct hs_dbparam p[3] = { HS_DBP_TEXT(rg->from), HS_DBP_TEXT(rg->to),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 c[3] = {
		{ HS_DB_TEXT, 0, tc, sizeof(tc), 0, 0, 0 },
		{ HS_DB_TEXT, 0, rc, sizeof(rc), 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	size_t		 st = rg->campaign ? STMT_MATRIX_CAMP : STMT_MATRIX;
	long long	 sq[MATRIX_MAX * MATRIX_MAX];
	struct rtable	*t = &ov->t[OT_MATRIX], *a = &ov->t[OT_AGREEMENT];
	enum hs_err	 e;
	int		 have, i, j, pass;
	size_t		 x, y, k;

	for (pass = 0; pass < 2; pass++) {
		if ((e = hs_db_query(rp->ro, st, p, rg->campaign ? 3 : 2, c,
		    3)) != HS_OK)
			return e;
		while ((e = hs_db_fetch(rp->ro, st, &have)) == HS_OK &&
		    have) {
			if (pass == 0) {
				(void)chanidx(ov, tc);
				(void)chanidx(ov, rc);
				continue;
			}
			if ((i = chanidx(ov, tc)) < 0 ||
			    (j = chanidx(ov, rc)) < 0)
				continue;	/* past MATRIX_MAX */
			ov->cells[i * MATRIX_MAX + j] += c[2].i;
		}
		hs_db_end(rp->ro, st);
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
static enum hs_err
load_advocates(struct report *rp, struct overview *ov)
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
static enum hs_err
load_events(struct report *rp, struct overview *ov)
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

/* The survey funnel, the decoy rate and the position bias. */
static enum hs_err
load_survey(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	struct hs_dbparam p[4] = { HS_DBP_TEXT(rg->from),
			    HS_DBP_TEXT(rg->to), HS_DBP_INT(rg->campaign),
			    HS_DBP_INT(rg->campaign) };
	struct hs_dbcol	 c[2] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
	};
	struct rtable	*fu = &ov->t[OT_FUNNEL], *po = &ov->t[OT_POSITIONS],
			*de = &ov->t[OT_DECOY];
	long long	 pos[64], total = 0;
	size_t		 npos = 0, i;
	enum hs_err	 e;
	int		 have = 0;

	if ((e = hs_db_query(rp->ro, STMT_FUNNEL, p, 4, c, 2)) != HS_OK)
		return e;
	if ((e = hs_db_fetch(rp->ro, STMT_FUNNEL, &have)) == HS_OK && have) {
		ov->answers = c[0].i;
		ov->decoys = c[1].i;
	}
	hs_db_end(rp->ro, STMT_FUNNEL);
	if (e != HS_OK)
		return e;
	{
		const char	*steps[5] = { "Signups (reconciled)",
		    "Answered the survey", "Named a source",
		    "Typed free text", "Free text matched or mapped" };
		long long	 v[5] = { ov->signups, ov->answers,
		    ov->reported, ov->free_text, ov->free_mapped };

		for (i = 0; i < 5; i++)
			if ((e = rt_put(fu, steps[i])) != HS_OK ||
			    (e = rt_printf(fu, "%lld", v[i])) != HS_OK ||
			    (e = put_pct(fu, v[i], ov->signups)) != HS_OK)
				return e;
	}
	if ((e = rt_printf(de, "%lld", ov->answers)) != HS_OK ||
	    (e = rt_printf(de, "%lld", ov->decoys)) != HS_OK ||
	    (e = put_pct(de, ov->decoys, ov->answers)) != HS_OK)
		return e;
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

static void
overview_free(struct overview *ov)
{
	size_t	 i;

	for (i = 0; i < OT__MAX; i++)
		rt_free(&ov->t[i]);
	for (i = 0; i < 3; i++)
		free(ov->ref[i]);
	for (i = 0; i < NCLASSES; i++)
		free(ov->cls[i]);
	free(ov->labels);
	free(ov->x);
}

#define NEED_DAYS	0x01
#define NEED_MATRIX	0x02
#define NEED_ADVOCATES	0x04
#define NEED_EVENTS	0x08
#define NEED_SURVEY	0x10
#define NEED_ALL	0x1f

/*
 * The loaders a download of table which needs (the funnel starts from
 * the signups of the daily pass): a CSV reads one table's rows, not the
 * whole overview's.
 */
static unsigned
overview_needs(size_t which)
{

	switch (which) {
	case OT_SHARE:
	case OT_CLASSES:
		return NEED_DAYS;
	case OT_MATRIX:
	case OT_AGREEMENT:
		return NEED_MATRIX;
	case OT_ADVOCATES:
		return NEED_ADVOCATES;
	case OT_EVENTS:
		return NEED_EVENTS;
	case OT_FUNNEL:
		return NEED_DAYS | NEED_SURVEY;
	case OT_POSITIONS:
	case OT_DECOY:
		return NEED_SURVEY;
	default:
		return NEED_ALL;
	}
}

/*
 * The agreement of the period before (p holds its from, to and the
 * campaign): its matrix over the rows with both sides, in whatever order
 * the channels come (the metrics do not depend on it).
 */
static enum hs_err
load_prev_matrix(struct report *rp, struct overview *ov,
    const struct hs_dbparam *p)
{
	char		 tc[CHANNEL_MAX + 1], rc[CHANNEL_MAX + 1];
	char		 chan[MATRIX_MAX][CHANNEL_MAX + 1];
	struct hs_dbcol	 c[3] = { HS_DBC_TEXT(tc), HS_DBC_TEXT(rc),
			    HS_DBC_INT };
	size_t		 st = ov->rg.campaign ? STMT_MATRIX_CAMP : STMT_MATRIX;
	static long long sq[MATRIX_MAX * MATRIX_MAX];	/* not on the stack */
	size_t		 nchan = 0, i, j, k;
	const char	*side[2] = { tc, rc };
	size_t		 at[2];
	enum hs_err	 e;
	int		 have;

	memset(sq, 0, sizeof(sq));
	if ((e = hs_db_query(rp->ro, st, p, ov->rg.campaign ? 3 : 2, c, 3)) !=
	    HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, st, &have)) == HS_OK && have) {
		if (strcmp(tc, "none") == 0 || strcmp(rc, "none") == 0)
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
			sq[at[0] * MATRIX_MAX + at[1]] += c[2].i;
	}
	hs_db_end(rp->ro, st);
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
static enum hs_err
load_prev(struct report *rp, struct overview *ov)
{
	struct range	*rg = &ov->rg;
	char		 day[16], f[11], t[11];
	struct hs_dbparam p[4];
	struct hs_dbcol	 c[13];
	enum hs_err	 e;
	size_t		 k;
	int		 have;

	fmt_day(rg->day0 - (long)rg->ndays, f);
	fmt_day(rg->day0 - 1, t);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(f);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(t);
	p[2] = (struct hs_dbparam)HS_DBP_INT(rg->campaign);
	p[3] = (struct hs_dbparam)HS_DBP_INT(rg->campaign);
	memset(c, 0, sizeof(c));
	c[0] = (struct hs_dbcol)HS_DBC_TEXT(day);
	for (k = 1; k < 13; k++)
		c[k].type = HS_DB_INT;
	if ((e = hs_db_query(rp->ro, STMT_DAYS, p, 4, c, 13)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_DAYS, &have)) == HS_OK &&
	    have) {
		ov->p_signups += c[1].i;
		ov->p_tref += c[10].i;
		ov->p_rref += c[11].i;
		ov->p_uref += c[12].i;
	}
	hs_db_end(rp->ro, STMT_DAYS);
	if (e != HS_OK)
		return e;
	/* STMT_MATRIX_CAMP binds the campaign third. */
	p[2] = (struct hs_dbparam)HS_DBP_INT(rg->campaign);
	if ((e = load_prev_matrix(rp, ov, p)) != HS_OK)
		return e;
	if ((e = hs_db_query(rp->ro, STMT_FUNNEL, p, 4, c + 1, 2)) != HS_OK)
		return e;
	if ((e = hs_db_fetch(rp->ro, STMT_FUNNEL, &have)) == HS_OK && have) {
		ov->p_answers = c[1].i;
		ov->p_decoys = c[2].i;
	}
	hs_db_end(rp->ro, STMT_FUNNEL);
	return e;
}

/* "N days before", or "The day before" for a range of one day. */
static const char *
before(const struct range *rg, char *b, size_t sz)
{

	if (rg->ndays == 1)
		return "The day before";
	(void)snprintf(b, sz, "%zu days before", rg->ndays);
	return b;
}

/* "N days before: value (change)" for a count, or a share in points. */
static void
prev_line(char *b, size_t sz, const struct range *rg, long long a,
    long long n, long long pa, long long pn, int share)
{
	char		 hb[32];
	const char	*h = before(rg, hb, sizeof(hb));
	double		 now, then;

	if (!share) {
		if (pa == 0)
			(void)snprintf(b, sz, "%s: %lld", h, pa);
		else
			(void)snprintf(b, sz, "%s: %lld (%+.1f%%)", h, pa,
			    100.0 * (double)(a - pa) / (double)pa);
		return;
	}
	if (pn <= 0) {
		(void)snprintf(b, sz, "%s: no signups", h);
		return;
	}
	then = 100.0 * (double)pa / (double)pn;
	if (n <= 0) {
		(void)snprintf(b, sz, "%s: %.1f%%", h, then);
		return;
	}
	now = 100.0 * (double)a / (double)n;
	(void)snprintf(b, sz, "%s: %.1f%% (%+.1f points)", h, then,
	    now - then);
}

/*
 * The same for a figure that is not a count's share: a percentage
 * (pct: the change in points) or a statistic such as kappa (the change
 * as a difference); NAN where there was nothing to measure.
 */
static void
prev_stat(char *b, size_t sz, const struct range *rg, double now,
    double then, int pct)
{
	char		 hb[32];
	const char	*h = before(rg, hb, sizeof(hb));

	if (!isfinite(then))
		(void)snprintf(b, sz, "%s: no data", h);
	else if (!isfinite(now))
		(void)snprintf(b, sz, pct ? "%s: %.1f%%" : "%s: %.3f", h,
		    then);
	else if (pct)
		(void)snprintf(b, sz, "%s: %.1f%% (%+.1f points)", h, then,
		    now - then);
	else
		(void)snprintf(b, sz, "%s: %.3f (%+.3f)", h, then,
		    now - then);
}

/* The start of a link to the signups of rg's range and campaign. */
static size_t
su_base(char *b, size_t sz, const struct range *rg, const char *from,
    const char *to)
{
	int	 n;

	if (rg->campaign)
		n = snprintf(b, sz, "/admin/signups?from=%s&to=%s&campaign=%lld",
		    from, to, rg->campaign);
	else
		n = snprintf(b, sz, "/admin/signups?from=%s&to=%s", from, to);
	return n < 0 ? sz : (size_t)n;
}

/* Classes per day: the day and its count to that day's signups, a
 * class's count to that class on that day; zero leads nowhere. */
static int
class_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const char	*day = rt_cell(t, r, 0);
	size_t		 n;

	if (c > 0 && strcmp(rt_cell(t, r, c), "0") == 0)
		return 0;
	n = su_base(b, sz, t->harg, day, day);
	if (c >= 2 && n < sz)
		(void)snprintf(b + n, sz - n, "&class=%s", t->cols[c].key);
	return 1;
}

/* Whether s may go into a query string as it is. */
static int
plain(const char *s)
{

	return s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(s);
}

/* Share per day: the day and its signups to that day's signups, each
 * referral count to those referrals; a zero leads nowhere. */
static int
share_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	static const char *const only[] = { "tracked_referral",
	    "reported_referral", "either_referral" };
	const char	*day = rt_cell(t, r, 0);
	size_t		 n;

	if (c > 4 || (c > 0 && strcmp(rt_cell(t, r, c), "0") == 0))
		return 0;
	n = su_base(b, sz, t->harg, day, day);
	if (c >= 2 && n < sz)
		(void)snprintf(b + n, sz - n, "&only=%s", only[c - 2]);
	return 1;
}

/* The channel matrix: a tracked channel to its signups, a reported one
 * to its, a cell's count to the signups with both. */
static int
matrix_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct range *rg = t->harg;
	const char	*tc = rt_cell(t, r, 0), *rc = rt_cell(t, r, 1);
	size_t		 n;

	if (!plain(tc) || !plain(rc))
		return 0;
	if ((n = su_base(b, sz, rg, rg->from, rg->to)) >= sz)
		return 1;
	if (c == 0)
		(void)snprintf(b + n, sz - n, "&tracked=%s", tc);
	else if (c == 1)
		(void)snprintf(b + n, sz - n, "&reported=%s", rc);
	else
		(void)snprintf(b + n, sz - n, "&tracked=%s&reported=%s", tc,
		    rc);
	return 1;
}

/* Agreement: the signups with both sides it counts. */
static int
agree_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct range *rg = t->harg;
	size_t		 n;

	(void)r;
	if (c != 0)
		return 0;
	n = su_base(b, sz, rg, rg->from, rg->to);
	if (n < sz)
		(void)snprintf(b + n, sz - n, "&only=both_sides");
	return 1;
}

/* The funnel's first step, the reconciled signups: all of them (the
 * other steps count answers, which are not all signups). */
static int
funnel_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct range *rg = t->harg;

	if (r != 0 || c != 1)
		return 0;
	(void)su_base(b, sz, rg, rg->from, rg->to);
	return 1;
}

/* Advocates: the handle and the signups credited to their signups. */
static int
adv_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct range *rg = t->harg;
	const char	*h = rt_cell(t, r, 0);
	size_t		 n;

	if ((c != 0 && c != 2) || strspn(h, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(h))
		return 0;
	n = su_base(b, sz, rg, rg->from, rg->to);
	if (n < sz)
		(void)snprintf(b + n, sz - n, "&advocate=%s", h);
	return 1;
}

/* Events: the name and the signups credited to the event's signups
 * (harg is the overview, for the slugs and the range). */
static int
event_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct overview *ov = t->harg;
	const char	*slug = ov->evslug[r];
	size_t		 n;

	if ((c != 0 && c != 3) || r >= EVENTS_MAX || slug[0] == '\0' ||
	    (c == 3 && strcmp(rt_cell(t, r, c), "0") == 0) ||
	    strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
	    strlen(slug))
		return 0;
	n = su_base(b, sz, &ov->rg, ov->rg.from, ov->rg.to);
	if (n < sz)
		(void)snprintf(b + n, sz - n, "&event=%s", slug);
	return 1;
}

/*
 * Fills ov for its range, the parts in need (NEED_*).  Returns HS_OK or
 * the first error.
 */
static enum hs_err
overview_load(struct report *rp, struct overview *ov, unsigned need)
{
	struct range	*rg = &ov->rg;
	enum hs_err	 e;
	size_t		 i, d;

	rt_init(&ov->t[OT_SHARE], otnames[OT_SHARE], "Referral share of new "
	    "users per day", share_cols, NCOLS(share_cols), RANGE_MAX);
	rt_init(&ov->t[OT_CLASSES], otnames[OT_CLASSES], "Signups per day "
	    "by class", class_cols, NCOLS(class_cols), RANGE_MAX);
	rt_init(&ov->t[OT_MATRIX], otnames[OT_MATRIX], "Tracked by reported "
	    "channel", matrix_cols, NCOLS(matrix_cols),
	    MATRIX_MAX * MATRIX_MAX);
	rt_init(&ov->t[OT_AGREEMENT], otnames[OT_AGREEMENT], "Agreement of "
	    "tracked and reported channel", agree_cols, NCOLS(agree_cols), 1);
	rt_init(&ov->t[OT_ADVOCATES], otnames[OT_ADVOCATES], "Top advocates",
	    adv_cols, NCOLS(adv_cols), ADVOCATES_MAX);
	ov->t[OT_CLASSES].href = class_href;
	ov->t[OT_CLASSES].harg = rg;
	ov->t[OT_SHARE].href = share_href;
	ov->t[OT_SHARE].harg = rg;
	ov->t[OT_MATRIX].href = matrix_href;
	ov->t[OT_MATRIX].harg = rg;
	ov->t[OT_AGREEMENT].href = agree_href;
	ov->t[OT_AGREEMENT].harg = rg;
	ov->t[OT_ADVOCATES].href = adv_href;
	ov->t[OT_ADVOCATES].harg = rg;
	rt_init(&ov->t[OT_EVENTS], otnames[OT_EVENTS], "Events", event_cols,
	    NCOLS(event_cols), EVENTS_MAX);
	ov->t[OT_EVENTS].href = event_href;
	ov->t[OT_EVENTS].harg = ov;
	rt_init(&ov->t[OT_FUNNEL], otnames[OT_FUNNEL], "Survey funnel",
	    funnel_cols, NCOLS(funnel_cols), 8);
	ov->t[OT_FUNNEL].href = funnel_href;
	ov->t[OT_FUNNEL].harg = rg;
	rt_init(&ov->t[OT_POSITIONS], otnames[OT_POSITIONS], "Answers by "
	    "the position the chosen option was shown at", pos_cols,
	    NCOLS(pos_cols), 32);
	rt_init(&ov->t[OT_DECOY], otnames[OT_DECOY], "Decoy option",
	    decoy_cols, NCOLS(decoy_cols), 1);
	if ((ov->labels = hs_xcalloc(rg->ndays, sizeof(*ov->labels))) ==
	    NULL || (ov->x = hs_xcalloc(rg->ndays, sizeof(*ov->x))) == NULL)
		return HS_ENOMEM;
	for (i = 0; i < 3; i++)
		if ((ov->ref[i] = hs_xcalloc(rg->ndays, sizeof(double))) ==
		    NULL)
			return HS_ENOMEM;
	for (i = 0; i < NCLASSES; i++)
		if ((ov->cls[i] = hs_xcalloc(rg->ndays, sizeof(double))) ==
		    NULL)
			return HS_ENOMEM;
	for (d = 0; d < rg->ndays; d++) {
		fmt_day(rg->day0 + (long)d, ov->labels[d]);
		ov->x[d] = ov->labels[d];
		for (i = 0; i < 3; i++)
			ov->ref[i][d] = NAN;	/* no signups: a gap */
	}
	if (((need & NEED_DAYS) && (e = load_days(rp, ov)) != HS_OK) ||
	    (need == NEED_ALL && (e = load_prev(rp, ov)) != HS_OK) ||
	    ((need & NEED_MATRIX) && (e = load_matrix(rp, ov)) != HS_OK) ||
	    ((need & NEED_ADVOCATES) &&
	    (e = load_advocates(rp, ov)) != HS_OK) ||
	    ((need & NEED_EVENTS) && (e = load_events(rp, ov)) != HS_OK) ||
	    ((need & NEED_SURVEY) && (e = load_survey(rp, ov)) != HS_OK))
		return e;
	return HS_OK;
}

/* The filter form: dates, campaign (only the analyst's own if scoped). */
static enum hs_err
filters(struct report *rp, const struct hs_out *o, struct overview *ov)
{
	char		 name[RPT_TEXT_MAX];
	struct hs_dbparam p[2] = { HS_DBP_INT(ov->s->campaign),
			    HS_DBP_INT(ov->s->campaign) };
	struct hs_dbcol	 c[2] = {
		{ HS_DB_INT, 0, NULL, 0, 0, 0, 0 },
		{ HS_DB_TEXT, 0, name, sizeof(name), 0, 0, 0 },
	};
	enum hs_err	 e;
	size_t		 i;
	int		 have;

	if ((e = hs_html_raw(o, "<form class=\"filters\" method=\"get\" "
	    "action=\"/admin/\"><label>From <input type=\"date\" "
	    "name=\"from\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, ov->rg.from)) != HS_OK ||
	    (e = hs_html_raw(o, "\" required></label><label>To <input "
	    "type=\"date\" name=\"to\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, ov->rg.to)) != HS_OK ||
	    (e = hs_html_raw(o, "\" required></label><label>Campaign "
	    "<select name=\"campaign\">")) != HS_OK)
		return e;
	if (ov->s->campaign == 0 &&
	    (e = hs_html_raw(o, "<option value=\"\">All campaigns</option>"))
	    != HS_OK)
		return e;
	if ((e = hs_db_query(rp->ro, STMT_CAMPAIGNS, p, 2, c, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(rp->ro, STMT_CAMPAIGNS, &have)) == HS_OK &&
	    have)
		if ((e = hs_out_printf(o, "<option value=\"%lld\"%s>", c[0].i,
		    c[0].i == ov->rg.campaign ? " selected" : "")) != HS_OK ||
		    (e = hs_html_puts(o, name)) != HS_OK ||
		    (e = hs_html_raw(o, "</option>")) != HS_OK)
			break;
	hs_db_end(rp->ro, STMT_CAMPAIGNS);
	if (e != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "</select></label><label>Advocates by "
	    "<select name=\"sort\">")) != HS_OK)
		return e;
	for (i = 0; i < NSORTS; i++)
		if ((e = hs_html_raw(o, "<option")) != HS_OK ||
		    (e = hs_html_raw(o, strcmp(sorts[i], ov->rg.sort) == 0 ?
		    " selected>" : ">")) != HS_OK ||
		    (e = hs_html_puts(o, sorts[i])) != HS_OK ||
		    (e = hs_html_raw(o, "</option>")) != HS_OK)
			return e;
	return hs_html_raw(o, "</select></label><button type=\"submit\">"
	    "Show</button></form>\n");
}

/*
 * A chart in its figure, or, when the range has no data, a sentence
 * saying so instead of empty axes.
 */
static enum hs_err
chart(const struct hs_out *o, int data,
    enum hs_err (*draw)(const struct hs_out *, const struct svg_chart *),
    const struct svg_chart *ch)
{
	enum hs_err	 e;

	if (!data) {
		struct hw	 w;

		hw_init(&w, o);
		hw_elem(&w, "p", "No data for this range: nothing was "
		    "reconciled for these days.", "class", "empty nodata",
		    (char *)NULL);
		return w.e;
	}
	if ((e = hs_html_raw(o, "<figure>")) != HS_OK ||
	    (e = draw(o, ch)) != HS_OK)
		return e;
	return hs_html_raw(o, "</figure>");
}

/* Quick ranges: the last 7, 30 and 90 days, this month (UTC). */
static enum hs_err
presets(const struct hs_out *o, const struct range *rg)
{
	static const int days[] = { 7, 30, 90 };
	struct hw	 w;
	char		 href[160], f[11], t[11], label[32], camp[32];
	long		 today = (long)(time(NULL) / 86400);
	size_t		 i;

	camp[0] = '\0';
	if (rg->campaign)
		(void)snprintf(camp, sizeof(camp), "&campaign=%lld",
		    rg->campaign);
	fmt_day(today, t);
	hw_init(&w, o);
	hw_open(&w, "nav", "aria-label", "Quick ranges", "class", "presets",
	    (char *)NULL);
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		fmt_day(today - days[i] + 1, f);
		(void)snprintf(href, sizeof(href), "/admin/?from=%s&to=%s%s"
		    "&sort=%s", f, t, camp, rg->sort);
		(void)snprintf(label, sizeof(label), "Last %d days", days[i]);
		hw_elem(&w, "a", label, "href", href, (char *)NULL);
	}
	memcpy(f, t, 8);
	f[8] = '0';
	f[9] = '1';
	f[10] = '\0';
	(void)snprintf(href, sizeof(href), "/admin/?from=%s&to=%s%s&sort=%s",
	    f, t, camp, rg->sort);
	hw_elem(&w, "a", "This month", "href", href, (char *)NULL);
	hw_close(&w, "nav");
	return w.e;
}

/* The key figures' values, each beside its value of the period before. */
static void
figures(const struct overview *ov, char v[][64], char pv[][128])
{
	const struct range *rg = &ov->rg;

	(void)snprintf(v[0], 64, "%lld", ov->signups);
	prev_line(pv[0], 128, rg, ov->signups, 0, ov->p_signups, 0, 0);
	fmt_pct(v[1], 64, ov->tref, ov->signups);
	prev_line(pv[1], 128, rg, ov->tref, ov->signups, ov->p_tref,
	    ov->p_signups, 1);
	fmt_pct(v[2], 64, ov->rref, ov->signups);
	prev_line(pv[2], 128, rg, ov->rref, ov->signups, ov->p_rref,
	    ov->p_signups, 1);
	fmt_pct(v[3], 64, ov->uref, ov->signups);
	prev_line(pv[3], 128, rg, ov->uref, ov->signups, ov->p_uref,
	    ov->p_signups, 1);
	fmt_pct(v[4], 64, (long long)llround(ov->ag.po * 1000),
	    isfinite(ov->ag.po) ? 1000 : 0);
	prev_stat(pv[4], 128, rg, 100 * ov->ag.po, 100 * ov->p_ag.po, 1);
	fmt_stat(v[5], 64, ov->ag.kappa);
	prev_stat(pv[5], 128, rg, ov->ag.kappa, ov->p_ag.kappa, 0);
	fmt_stat(v[6], 64, ov->ag.pabak);
	prev_stat(pv[6], 128, rg, ov->ag.pabak, ov->p_ag.pabak, 0);
	fmt_pct(v[7], 64, ov->decoys, ov->answers);
	prev_stat(pv[7], 128, rg, ov->answers > 0 ? 100.0 *
	    (double)ov->decoys / (double)ov->answers : NAN, ov->p_answers > 0 ?
	    100.0 * (double)ov->p_decoys / (double)ov->p_answers : NAN, 1);
}

/*
 * The eight key figures, each with its definition, the period before
 * and a link to the signups it counts (only=, page_signups.c); the
 * decoy rate counts answers, not signups, and links nowhere.
 */
static enum hs_err
key_figures(const struct hs_out *o, const struct overview *ov)
{
	static const struct {
		const char	*label, *id, *def, *only;
	} f[8] = {
		{ "Signups", "kpi-signups", "People who signed up in the "
		    "range (and answers with no signup).", "" },
		{ "Tracked referral share", "kpi-tracked", "Share of signups "
		    "whose tracked link is a referral channel (referral, "
		    "community, event).", "&only=tracked_referral" },
		{ "Reported referral share", "kpi-reported", "Share of "
		    "signups whose survey answer names a referral channel.",
		    "&only=reported_referral" },
		{ "Either", "kpi-union", "Share where the link, the answer or "
		    "both name a referral channel.", "&only=either_referral" },
		{ "Channel agreement", "kpi-agreement", "Of signups with both "
		    "a tracked link and an answer, the share naming the same "
		    "channel.", "&only=both_sides" },
		{ "Cohen's kappa", "kpi-kappa", "Agreement beyond chance: 1 "
		    "is perfect, 0 no better than guessing.",
		    "&only=both_sides" },
		{ "PABAK", "kpi-pabak", "Kappa corrected for one channel "
		    "dominating: steadier when most signups share one.",
		    "&only=both_sides" },
		{ "Decoy rate", "kpi-decoy", "Share of answers choosing an "
		    "option for a channel that never ran: a measure of noise.",
		    NULL },
	};
	const struct range *rg = &ov->rg;
	char		 v[8][64], pv[8][128], u[256];
	struct hw	 w;
	enum hs_err	 e;
	size_t		 i, n;

	figures(ov, v, pv);
	if ((e = hs_html_raw(o, "<dl class=\"kpis\">")) != HS_OK)
		return e;
	for (i = 0; i < 8; i++) {
		n = su_base(u, sizeof(u), rg, rg->from, rg->to);
		if (f[i].only != NULL && n < sizeof(u))
			(void)snprintf(u + n, sizeof(u) - n, "%s", f[i].only);
		if ((e = kpi(o, f[i].label, v[i], f[i].id, f[i].def, pv[i],
		    f[i].only != NULL ? u : NULL)) != HS_OK)
			return e;
	}
	if ((e = hs_html_raw(o, "</dl>\n")) != HS_OK)
		return e;
	(void)su_base(u, sizeof(u), rg, rg->from, rg->to);
	hw_init(&w, o);
	hw_open(&w, "p", (char *)NULL);
	hw_elem(&w, "a", "See the signups behind these numbers", "href", u,
	    "id", "kpi-signups-link", (char *)NULL);
	hw_close(&w, "p");
	return w.e;
}

struct ovbody {
	struct report	*rp;
	struct overview	*ov;
};

/* The referral share per day: its line chart and table. */
static enum hs_err
share_section(const struct hs_out *o, const struct overview *ov)
{
	const struct range *rg = &ov->rg;
	struct svg_series ser[3];
	struct svg_chart ch;
	char		 desc[512];
	enum hs_err	 e;

	if ((e = section(o, "share", "Referral share of new users", "Share "
	    "of signups whose tracked link, whose answer, or either, names "
	    "a referral channel (referral, community, event).")) !=
	    HS_OK)
		return e;
	ser[0].name = "tracked";
	ser[0].v = ov->ref[0];
	ser[1].name = "reported";
	ser[1].v = ov->ref[1];
	ser[2].name = "either";
	ser[2].v = ov->ref[2];
	(void)snprintf(desc, sizeof(desc), "Line chart over %zu days from %s "
	    "to %s. Overall: tracked %.1f%%, reported %.1f%%, either %.1f%% "
	    "of %lld signups. The table below has every day.", rg->ndays,
	    rg->from, rg->to, ov->signups ? 100.0 * ov->tref / ov->signups : 0,
	    ov->signups ? 100.0 * ov->rref / ov->signups : 0,
	    ov->signups ? 100.0 * ov->uref / ov->signups : 0, ov->signups);
	memset(&ch, 0, sizeof(ch));
	ch.id = "ch-share";
	ch.title = "Referral share of new users per day";
	ch.desc = desc;
	ch.x = ov->x;
	ch.n = rg->ndays;
	ch.s = ser;
	ch.ns = 3;
	ch.percent = 1;
	if ((e = chart(o, ov->signups > 0, svg_line, &ch)) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_SHARE])) != HS_OK ||
	    (e = downloads(o, rg, "share")) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* The signups per day by class: stacked bars and table. */
static enum hs_err
classes_section(const struct hs_out *o, const struct overview *ov)
{
	const struct range *rg = &ov->rg;
	struct svg_series ser[NCLASSES];
	struct svg_chart ch;
	char		 desc[512];
	enum hs_err	 e;
	size_t		 i;

	if ((e = section(o, "classes", "Daily signups by class", "agree: "
	    "link and answer name the same source; disagree: they differ; "
	    "tracked only / reported only: one side; unattributed: "
	    "neither.")) != HS_OK)
		return e;
	for (i = 0; i < NCLASSES; i++) {
		ser[i].name = hs_class_labels[i];
		ser[i].v = ov->cls[i];
	}
	(void)snprintf(desc, sizeof(desc), "Stacked bars, one per day from %s "
	    "to %s, of %lld signups split into agree, disagree, tracked only, "
	    "reported only and unattributed. The table below has the counts.",
	    rg->from, rg->to, ov->signups);
	memset(&ch, 0, sizeof(ch));
	ch.id = "ch-classes";
	ch.title = "Daily signups by class";
	ch.desc = desc;
	ch.x = ov->x;
	ch.n = rg->ndays;
	ch.s = ser;
	ch.ns = NCLASSES;
	if ((e = chart(o, ov->signups > 0, svg_stacked, &ch)) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_CLASSES])) != HS_OK ||
	    (e = downloads(o, rg, "classes")) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* The channel matrix: heatmap, agreement and the matrix's table. */
static enum hs_err
matrix_section(const struct hs_out *o, const struct overview *ov)
{
	const struct range *rg = &ov->rg;
	const char	*names[MATRIX_MAX];
	char		 k1[16], k2[16], desc[512];
	enum hs_err	 e;
	size_t		 i;

	if ((e = section(o, "matrix", "Tracked by reported channel",
	    "Rows: the channel of the tracked link; columns: the channel the "
	    "person reported; 'none' marks a missing side. Agreement, kappa "
	    "and PABAK count signups with both sides only.")) != HS_OK)
		return e;
	for (i = 0; i < ov->nchan; i++)
		names[i] = ov->chan[i];
	fmt_stat(k1, sizeof(k1), ov->ag.kappa);
	fmt_stat(k2, sizeof(k2), ov->ag.pabak);
	(void)snprintf(desc, sizeof(desc), "Heatmap of %zu by %zu channels. "
	    "%lld signups have both sides; they agree in %.1f%% (kappa %s, "
	    "PABAK %s).", ov->nchan, ov->nchan, ov->ag.n,
	    isfinite(ov->ag.po) ? 100 * ov->ag.po : 0.0, k1, k2);
	if (ov->nchan == 0) {
		if ((e = chart(o, 0, NULL, NULL)) != HS_OK)
			return e;
	} else if ((e = hs_html_raw(o, "<figure>")) != HS_OK ||
	    (e = svg_heatmap(o, "ch-matrix", "Tracked by reported channel",
	    desc, names, ov->nchan, names, ov->nchan, ov->cells)) != HS_OK ||
	    (e = hs_html_raw(o, "</figure>")) != HS_OK)
		return e;
	if ((e = rt_html(o, &ov->t[OT_AGREEMENT])) != HS_OK ||
	    (e = downloads(o, rg, "agreement")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_MATRIX])) != HS_OK ||
	    (e = downloads(o, rg, "matrix")) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* Advocates, events and the survey: tables only. */
static enum hs_err
table_sections(const struct hs_out *o, const struct overview *ov)
{
	const struct range *rg = &ov->rg;
	enum hs_err	 e;

	if ((e = section(o, "advocates", "Top advocates", "Tracked credit: "
	    "signups through the advocate's links; implicit credit: signups "
	    "who named the advocate without a tracked link. Flagged rows stay "
	    "out of rewards until reviewed.")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_ADVOCATES])) != HS_OK ||
	    (e = downloads(o, rg, "advocates")) != HS_OK ||
	    (e = hs_html_raw(o, "</section>\n")) != HS_OK ||
	    (e = section(o, "events", "Events", "QR scans by people (not "
	    "bots) of the event's codes in the range, and the signups "
	    "credited to the event.")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_EVENTS])) != HS_OK ||
	    (e = downloads(o, rg, "events")) != HS_OK ||
	    (e = hs_html_raw(o, "</section>\n")) != HS_OK ||
	    (e = section(o, "survey", "Survey", "hearsay does not count how "
	    "often the question was shown, so the funnel starts at reconciled "
	    "signups and compares answers with them. Position: where the "
	    "first chosen option stood in the order that person saw (0: not "
	    "in it, e.g. an API answer); a flat share means no position "
	    "bias. Decoy: an option for a channel that never ran, a measure "
	    "of noise.")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_FUNNEL])) != HS_OK ||
	    (e = downloads(o, rg, "funnel")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_POSITIONS])) != HS_OK ||
	    (e = downloads(o, rg, "positions")) != HS_OK ||
	    (e = rt_html(o, &ov->t[OT_DECOY])) != HS_OK ||
	    (e = downloads(o, rg, "decoy")) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* The overview's main part: filters, key figures, sections. */
static enum hs_err
overview_body(const struct hs_out *o, void *arg)
{
	struct ovbody	*b = arg;
	struct overview	*ov = b->ov;
	enum hs_err	 e;

	if ((e = hs_html_raw(o, "<h1>Referrals at a glance</h1>\n")) != HS_OK ||
	    (e = filters(b->rp, o, ov)) != HS_OK ||
	    (e = presets(o, &ov->rg)) != HS_OK ||
	    (e = key_figures(o, ov)) != HS_OK ||
	    (e = share_section(o, ov)) != HS_OK ||
	    (e = classes_section(o, ov)) != HS_OK ||
	    (e = matrix_section(o, ov)) != HS_OK)
		return e;
	return table_sections(o, ov);
}

/* GET /admin/: the overview, or one of its tables as CSV or JSON. */
void
page_overview(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static struct overview ov;	/* large: not on the stack */
	struct ovbody	 b;
	const char	*msg;
	size_t		 which = 0;
	int		 code, fmt;

	memset(&ov, 0, sizeof(ov));
	ov.s = s;
	if ((fmt = parse_format(r, otnames, OT__MAX, &which)) < 0) {
		(void)hs_http_error(r, 400, "Unknown format or table.");
		return;
	}
	if ((code = parse_range(rp, r, s, &ov.rg, &msg)) != 0) {
		if (code == 503)
			unavailable(r);
		else
			(void)hs_http_error(r, code, msg);
		return;
	}
	if (overview_load(rp, &ov, fmt > 0 ? overview_needs(which) :
	    NEED_ALL) != HS_OK) {
		overview_free(&ov);
		unavailable(r);
		return;
	}
	if (fmt > 0)
		download_range(r, &ov.t[which], fmt == 2, &ov.rg);
	else {
		b.rp = rp;
		b.ov = &ov;
		if (page_render(rp, r, 200, s, "Overview", overview_body, &b)
		    != HS_OK)
			hs_log(HS_LOG_INFO, "overview: not sent in full");
	}
	overview_free(&ov);
}
