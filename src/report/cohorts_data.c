/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cohorts_data.c: the cohorts page's figures (issue 20; the page is
 * described in cohorts.c), read from the cohort tables
 * hearsay-reconcile writes into a struct cview of report tables, with
 * their intervals and the matched uplift worked out here.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "cohorts.h"

/* The K-factor's definition: on the page and in its downloads. */
#define CO_KF_DEF	"K-factor = invites per signup x conversion of " \
	"invites; invites: human clicks on advocates' links in the period; " \
	"invites per signup: invites / the period's signups; conversion: " \
	"the period's signups credited to an advocate / invites"

static const char *const cstmts[CS__MAX] = {
	/* CS_CURVE (period): pooled referred and not, by period. */
	"SELECT n, SUM(IF(arrival = 'referral', size, 0)), "
	    "SUM(IF(arrival = 'referral', retained, 0)), "
	    "SUM(IF(arrival = 'none', size, 0)), "
	    "SUM(IF(arrival = 'none', retained, 0)) FROM cohort_retention "
	    "WHERE period = ? AND n < 13 GROUP BY n ORDER BY n",
	/* CS_TRIANGLE (period, arrival, period, arrival) */
	"SELECT DATE_FORMAT(t.cohort, '%Y-%m-%d'), t.n, t.size, t.retained "
	    "FROM cohort_retention t JOIN (SELECT DISTINCT cohort FROM "
	    "cohort_retention WHERE period = ? AND arrival = ? ORDER BY "
	    "cohort DESC LIMIT 12) c ON c.cohort = t.cohort WHERE "
	    "t.period = ? AND t.arrival = ? AND t.n < 12 "
	    "ORDER BY t.cohort DESC, t.n",
	/*
	 * CS_VALUE (period, split, key): the others (split 'all') and the
	 * split's referred, per horizon, cohort and channel (sql/202).
	 */
	"SELECT horizon, DATE_FORMAT(cohort, '%Y-%m-%d'), channel, referred, "
	    "size, activated, CAST(value AS CHAR), CAST(value_sq AS CHAR) "
	    "FROM cohort_match WHERE period = ? AND ((split = 'all' AND "
	    "referred = 0) OR (split = ? AND split_key = ? AND referred = 1)) "
	    "ORDER BY horizon, cohort, channel, referred",
	/* CS_RUN */
	"SELECT DATE_FORMAT(as_of, '%Y-%m-%d'), "
	    "DATE_FORMAT(computed_at, '%Y-%m-%d %H:%i') FROM cohort_runs "
	    "WHERE id = 1",
	/* CS_KF (period): the K-factor's periods, newest first. */
	"SELECT DATE_FORMAT(start, '%Y-%m-%d'), signups, invites, converted "
	    "FROM cohort_kfactor WHERE period = ? ORDER BY start DESC "
	    "LIMIT " RPT_STR(CO_KF_ROWS),
	/*
	 * CS_ECON (campaign x2, 0: all): each campaign's costs per month
	 * beside its referred signups that month (sql/201, the last
	 * cohort pass).
	 */
	"SELECT c.slug, DATE_FORMAT(p.month, '%Y-%m'), "
	    "CAST(p.rewards AS CHAR), CAST(p.other AS CHAR), "
	    "CAST(p.rewards + p.other AS CHAR), COALESCE(r.referred, 0) "
	    "FROM program_costs p JOIN campaigns c ON c.id = p.campaign_id "
	    "LEFT JOIN cohort_referred r ON r.campaign_id = p.campaign_id "
	    "AND r.month = p.month WHERE ? = 0 OR p.campaign_id = ? "
	    "ORDER BY c.slug, p.month "
	    "LIMIT " RPT_STR(CO_ECON_ROWS),
	/* CS_CAMPS: the cost form's choices. */
	"SELECT slug, name FROM campaigns ORDER BY slug "
	    "LIMIT " RPT_STR(CO_ECON_ROWS),
	/* CS_SPLITS (period): the splits there are, for the filter. */
	"SELECT DISTINCT split, split_key FROM cohort_match WHERE period = ? "
	    "AND split <> 'all' ORDER BY split, split_key "
	    "LIMIT " RPT_STR(CO_ECON_ROWS),
	/* CS_SLUG (id): a limited analyst's campaign, for its split. */
	"SELECT slug FROM campaigns WHERE id = ?",
};


struct hs_db	*co_db;		/* this worker's, opened on first use */

static const int horizons[CO_HORIZONS] = { 30, 90, 365 };

/* num 1 only for bare numbers: JSON writes them unquoted. */
static const struct rtcol curve_cols[] = {
	{ "n", "Period", 1 },
	{ "referred_share", "Referred retained", 0 },
	{ "referred_ci", "95% interval", 0 },
	{ "referred_size", "Referred size", 1 },
	{ "other_share", "Not referred retained", 0 },
	{ "other_ci", "95% interval", 0 },
	{ "other_size", "Not referred size", 1 },
};
static const struct rtcol tri_cols[] = {
	{ "cohort", "Cohort", 0 }, { "size", "Size", 1 },
	{ "p0", "0", 0 }, { "p1", "1", 0 }, { "p2", "2", 0 },
	{ "p3", "3", 0 }, { "p4", "4", 0 }, { "p5", "5", 0 },
	{ "p6", "6", 0 }, { "p7", "7", 0 }, { "p8", "8", 0 },
	{ "p9", "9", 0 }, { "p10", "10", 0 }, { "p11", "11", 0 },
};
static const struct rtcol value_cols[] = {
	{ "horizon_days", "Days", 1 },
	{ "referred_activation", "Referred activated", 0 },
	{ "other_activation", "Not referred activated", 0 },
	{ "referred_value", "Referred value per signup", 1 },
	{ "referred_ci", "95% interval", 0 },
	{ "referred_size", "Referred size", 1 },
	{ "other_value", "Not referred value per signup", 1 },
	{ "other_ci", "95% interval", 0 },
	{ "other_size", "Not referred size", 1 },
	{ "matched_uplift", "Uplift, matched on period and channel", 1 },
	{ "uplift_ci", "95% interval", 0 },
	{ "strata", "Strata", 1 },
	{ "referred_on_channel", "Referred matched on channel", 1 },
	{ "referred_on_period", "Referred matched on period only", 1 },
	{ "referred_unmatched", "Referred not matched", 1 },
};
static const struct rtcol econ_cols[] = {
	{ "campaign", "Campaign", 0 },
	{ "month", "Month", 0 },
	{ "rewards", "Rewards", 1 },
	{ "other", "Other costs", 1 },
	{ "referred", "Referred signups", 1 },
	{ "cost_per_referred", "Cost per referred signup", 1 },
	{ "payback_months", "CAC payback, months", 1 },
	{ "ltv_uplift", "LTV uplift per referred signup", 1 },
	{ "ltv_uplift_ci", "95% interval", 0 },
	{ "ltv_horizon_days", "LTV horizon, days", 1 },
	{ "net_per_referred", "LTV uplift less cost", 1 },
};
/* The last column only in downloads: the definition, on every row. */
static const struct rtcol kf_cols[] = {
	{ "start", "Period from", 0 },
	{ "signups", "Signups", 1 },
	{ "invites", "Invites", 1 },
	{ "invites_per_signup", "Invites per signup", 1 },
	{ "converted", "Signups credited to an advocate", 1 },
	{ "conversion", "Conversion of invites", 1 },
	{ "k_factor", "K-factor", 1 },
	{ "definition", "Definition", 0 },
};

/* Opens this worker's handle on first use (HS_EAGAIN: it reconnects). */
enum hs_err
co_open(struct report *rp)
{

	if (co_db != NULL)
		return HS_OK;
	return hs_db_open(&co_db, &rp->conf, HS_DB_READONLY, cstmts,
	    CS__MAX);
}

/* Wilson's 95% interval of k of n into lo, hi (0-1). */
void
co_wilson(long long k, long long n, double *lo, double *hi)
{
	double	 p, d, c, h;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	p = (double)k / (double)n;
	d = 1 + CO_Z * CO_Z / (double)n;
	c = (p + CO_Z * CO_Z / (2.0 * (double)n)) / d;
	h = CO_Z / d * sqrt(p * (1 - p) / (double)n + CO_Z * CO_Z /
	    (4.0 * (double)n * (double)n));
	*lo = c - h < 0 ? 0 : c - h;
	*hi = c + h > 1 ? 1 : c + h;
}

/* A share with its interval as table cells. */
static enum hs_err
put_share(struct rtable *t, long long k, long long n)
{
	double	 lo, hi;
	enum hs_err e;

	if (n <= 0) {
		if ((e = rt_put(t, NULL)) != HS_OK)
			return e;
		return rt_put(t, NULL);
	}
	co_wilson(k, n, &lo, &hi);
	if ((e = rt_printf(t, "%.1f%%", 100.0 * (double)k / (double)n)) !=
	    HS_OK)
		return e;
	return rt_printf(t, "%.1f-%.1f%%", 100 * lo, 100 * hi);
}

/* Mean and its variance (of the mean) from n, sum, sum of squares. */
static void
mean_var(long long n, double s, double sq, double *m, double *v)
{
	double	 var;

	*m = n > 0 ? s / (double)n : 0;
	var = n > 1 ? (sq - (double)n * *m * *m) / (double)(n - 1) : 0;
	*v = n > 1 && var > 0 ? var / (double)n : 0;
}

struct arm {
	long long	 n, act;
	double		 s, sq;
};

/*
 * The matched comparison's running sums for one horizon: the pooled
 * arms, the strata's weighted differences and variances, and how many
 * referred signups were matched on channel, on period only, or not.
 */
struct match {
	struct arm	 tot[2];	/* 0 others, 1 referred */
	double		 wsum, wd, wv;
	long long	 strata, on_channel, on_period, unmatched;
};

/* Adds the stratum of referred r against others o, weighted by r.n. */
static void
stratum(struct match *x, const struct arm *r, const struct arm *o)
{
	double	 m0, v0, m1, v1, w = (double)r->n;

	mean_var(o->n, o->s, o->sq, &m0, &v0);
	mean_var(r->n, r->s, r->sq, &m1, &v1);
	x->wsum += w;
	x->wd += w * (m1 - m0);
	x->wv += w * w * (v0 + v1);
	x->strata++;
}

/* Writes the row of one horizon h into the value table. */
static enum hs_err
value_row(struct cview *v, long long h, const struct match *x)
{
	struct rtable	*t = &v->t[2];
	double		 m0, v0, m1, v1, u, se;
	const struct arm *a = x->tot;
	enum hs_err	 e;
	size_t		 i;

	mean_var(a[0].n, a[0].s, a[0].sq, &m0, &v0);
	mean_var(a[1].n, a[1].s, a[1].sq, &m1, &v1);
	if ((e = rt_printf(t, "%lld", h)) != HS_OK ||
	    (e = rt_printf(t, "%.1f%%", a[1].n > 0 ? 100.0 *
	    (double)a[1].act / (double)a[1].n : 0)) != HS_OK ||
	    (e = rt_printf(t, "%.1f%%", a[0].n > 0 ? 100.0 *
	    (double)a[0].act / (double)a[0].n : 0)) != HS_OK ||
	    (e = rt_printf(t, "%.2f", m1)) != HS_OK ||
	    (e = rt_printf(t, "%.2f to %.2f", m1 - CO_Z * sqrt(v1),
	    m1 + CO_Z * sqrt(v1))) != HS_OK ||
	    (e = rt_printf(t, "%lld", a[1].n)) != HS_OK ||
	    (e = rt_printf(t, "%.2f", m0)) != HS_OK ||
	    (e = rt_printf(t, "%.2f to %.2f", m0 - CO_Z * sqrt(v0),
	    m0 + CO_Z * sqrt(v0))) != HS_OK ||
	    (e = rt_printf(t, "%lld", a[0].n)) != HS_OK)
		return e;
	if (h == 30 && a[1].n > 0) {
		v->m30 = m1;
		v->have_m30 = 1;
	}
	if (x->wsum > 0) {
		u = x->wd / x->wsum;
		se = sqrt(x->wv) / x->wsum;
		for (i = 0; i < CO_HORIZONS; i++)
			if (horizons[i] == h) {
				v->up[i] = u;
				v->upse[i] = se;
				v->have_up[i] = 1;
			}
		if ((e = rt_printf(t, "%.2f", u)) != HS_OK ||
		    (e = rt_printf(t, "%.2f to %.2f", u - CO_Z * se,
		    u + CO_Z * se)) != HS_OK)
			return e;
	} else if ((e = rt_put(t, NULL)) != HS_OK ||
	    (e = rt_put(t, NULL)) != HS_OK)
		return e;
	if ((e = rt_printf(t, "%lld", x->strata)) != HS_OK ||
	    (e = rt_printf(t, "%lld", x->on_channel)) != HS_OK ||
	    (e = rt_printf(t, "%lld", x->on_period)) != HS_OK)
		return e;
	return rt_printf(t, "%lld", x->unmatched);
}

/*
 * The value table, per horizon: the pooled arms and the uplift of
 * referred signups matched on signup period and channel (sql/202).
 * Rows come ordered by horizon, cohort, channel, arm.  Within a period,
 * each channel with at least two signups in each arm is a stratum;
 * the referred signups of the period's other channels (the referral
 * channel itself, whose signups are all referred) make one more
 * stratum against all the period's other signups.  The uplift is the
 * strata's differences of means weighted by their referred signups.
 * With a split, the referred arm is that campaign's, tier's or event's
 * referred signups; the others are all others.
 */
static enum hs_err
load_value(struct cview *v)
{
	struct hs_dbparam p[3] = { HS_DBP_TEXT(v->period),
			    HS_DBP_TEXT(v->split), HS_DBP_TEXT(v->split_key) };
	char		 cohort[16], chan[40], vs[48], sqs[48];
	char		 pcoh[16] = "", pchan[40] = "";	/* "": none yet */
	struct hs_dbcol	 c[8] = { HS_DBC_INT, HS_DBC_TEXT(cohort),
			    HS_DBC_TEXT(chan), HS_DBC_INT, HS_DBC_INT,
			    HS_DBC_INT, HS_DBC_TEXT(vs), HS_DBC_TEXT(sqs) };
	struct match	 x;
	struct arm	 cell[2], rest, per;	/* channel; period */
	struct arm	*a;
	long long	 h = -1;
	enum hs_err	 e;
	int		 have, last, newh, newc, newch;

	memset(&x, 0, sizeof(x));
	memset(cell, 0, sizeof(cell));
	memset(&rest, 0, sizeof(rest));
	memset(&per, 0, sizeof(per));
	if ((e = hs_db_query(co_db, CS_VALUE, p, 3, c, 8)) != HS_OK)
		return e;
	for (;;) {
		if ((e = hs_db_fetch(co_db, CS_VALUE, &have)) != HS_OK)
			break;
		last = !have;
		newh = last || c[0].i != h;
		newc = newh || strcmp(cohort, pcoh) != 0;
		newch = newc || strcmp(chan, pchan) != 0;
		/* A channel of a period ends: a stratum, or the rest. */
		if (newch && pcoh[0] != '\0') {
			if (cell[1].n > 1 && cell[0].n > 1) {
				stratum(&x, &cell[1], &cell[0]);
				x.on_channel += cell[1].n;
			} else {
				rest.n += cell[1].n;
				rest.s += cell[1].s;
				rest.sq += cell[1].sq;
			}
			memset(cell, 0, sizeof(cell));
		}
		/* A period ends: its rest against all its others. */
		if (newc && pcoh[0] != '\0') {
			if (rest.n > 1 && per.n > 1) {
				stratum(&x, &rest, &per);
				x.on_period += rest.n;
			} else
				x.unmatched += rest.n;
			memset(&rest, 0, sizeof(rest));
			memset(&per, 0, sizeof(per));
		}
		if (newh && h >= 0) {
			if ((e = value_row(v, h, &x)) != HS_OK)
				break;
			memset(&x, 0, sizeof(x));
		}
		if (last)
			break;
		h = c[0].i;
		(void)snprintf(pcoh, sizeof(pcoh), "%s", cohort);
		(void)snprintf(pchan, sizeof(pchan), "%s", chan);
		a = &cell[c[3].i != 0];
		a->n += c[4].i;
		a->s += strtod(vs, NULL);
		a->sq += strtod(sqs, NULL);
		x.tot[c[3].i != 0].n += c[4].i;
		x.tot[c[3].i != 0].act += c[5].i;
		x.tot[c[3].i != 0].s += strtod(vs, NULL);
		x.tot[c[3].i != 0].sq += strtod(sqs, NULL);
		if (c[3].i == 0) {
			per.n += c[4].i;
			per.s += strtod(vs, NULL);
			per.sq += strtod(sqs, NULL);
		}
	}
	hs_db_end(co_db, CS_VALUE);
	return e;
}

/* The K-factor table: each period's factors and their product. */
static enum hs_err
load_kf(struct cview *v)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(v->period) };
	char		 start[16];
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(start), HS_DBC_INT, HS_DBC_INT,
			    HS_DBC_INT };
	struct rtable	*t = &v->t[3];
	enum hs_err	 e;
	int		 have;

	if ((e = hs_db_query(co_db, CS_KF, p, 1, c, 4)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_KF, &have)) == HS_OK && have) {
		double	 n = (double)c[1].i, i = (double)c[2].i,
			 k = (double)c[3].i;

		if ((e = rt_put(t, start)) != HS_OK ||
		    (e = rt_printf(t, "%lld", c[1].i)) != HS_OK ||
		    (e = rt_printf(t, "%lld", c[2].i)) != HS_OK ||
		    (e = (n > 0 ? rt_printf(t, "%.3f", i / n) :
		    rt_put(t, NULL))) != HS_OK ||
		    (e = rt_printf(t, "%lld", c[3].i)) != HS_OK ||
		    (e = (i > 0 ? rt_printf(t, "%.3f", k / i) :
		    rt_put(t, NULL))) != HS_OK ||
		    (e = (n > 0 && i > 0 ? rt_printf(t, "%.3f",
		    i / n * (k / i)) : rt_put(t, NULL))) != HS_OK ||
		    (v->download && (e = rt_put(t, CO_KF_DEF)) != HS_OK))
			break;
	}
	hs_db_end(co_db, CS_KF);
	return e;
}

/*
 * The economics table: each campaign's month of costs over its referred
 * signups (cost per referred signup) and over their value in the first
 * 30 days (CAC payback in months, as hearsay-admin cost list); then a
 * row for all of them with the LTV uplift: the matched uplift of value
 * per signup at the longest horizon that has one, and that uplift less
 * the cost per referred signup.
 */
static enum hs_err
load_econ(struct cview *v)
{
	char		 slug[72], mon[16], rw[48], ot[48], tc[48];
	struct hs_dbcol	 c[6] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(mon),
			    HS_DBC_TEXT(rw), HS_DBC_TEXT(ot), HS_DBC_TEXT(tc),
			    HS_DBC_INT };
	struct hs_dbparam p[2] = { HS_DBP_INT(v->s->campaign),
			    HS_DBP_INT(v->s->campaign) };
	struct rtable	*t = &v->t[4];
	double		 srw = 0, sot = 0, per;
	long long	 sref = 0, rows = 0;
	enum hs_err	 e;
	int		 have, k, hz = -1;

	if ((e = hs_db_query(co_db, CS_ECON, p, 2, c, 6)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_ECON, &have)) == HS_OK && have) {
		double	 cost = strtod(tc, NULL);

		rows++;
		srw += strtod(rw, NULL);
		sot += strtod(ot, NULL);
		sref += c[5].i;
		per = c[5].i > 0 ? cost / (double)c[5].i : 0;
		if ((e = rt_put(t, slug)) != HS_OK ||
		    (e = rt_put(t, mon)) != HS_OK ||
		    (e = rt_put(t, rw)) != HS_OK ||
		    (e = rt_put(t, ot)) != HS_OK ||
		    (e = rt_printf(t, "%lld", c[5].i)) != HS_OK ||
		    (e = (c[5].i > 0 ? rt_printf(t, "%.2f", per) :
		    rt_put(t, NULL))) != HS_OK ||
		    (e = (c[5].i > 0 && v->have_m30 && v->m30 > 0 ?
		    rt_printf(t, "%.1f", per / v->m30) : rt_put(t, NULL))) !=
		    HS_OK)
			break;
		for (k = 0; k < 4 && e == HS_OK; k++)
			e = rt_put(t, NULL);
		if (e != HS_OK)
			break;
	}
	hs_db_end(co_db, CS_ECON);
	if (e != HS_OK || rows == 0)
		return e;
	for (k = CO_HORIZONS - 1; k >= 0 && hz < 0; k--)
		if (v->have_up[k])
			hz = k;
	per = sref > 0 ? (srw + sot) / (double)sref : 0;
	if ((e = rt_put(t, "all")) != HS_OK || (e = rt_put(t, NULL)) != HS_OK ||
	    (e = rt_printf(t, "%.2f", srw)) != HS_OK ||
	    (e = rt_printf(t, "%.2f", sot)) != HS_OK ||
	    (e = rt_printf(t, "%lld", sref)) != HS_OK ||
	    (e = (sref > 0 ? rt_printf(t, "%.2f", per) : rt_put(t, NULL))) !=
	    HS_OK ||
	    (e = (sref > 0 && v->have_m30 && v->m30 > 0 ? rt_printf(t,
	    "%.1f", per / v->m30) : rt_put(t, NULL))) != HS_OK)
		return e;
	if (hz < 0) {
		for (k = 0; k < 4 && e == HS_OK; k++)
			e = rt_put(t, NULL);
		return e;
	}
	if ((e = rt_printf(t, "%.2f", v->up[hz])) != HS_OK ||
	    (e = rt_printf(t, "%.2f to %.2f", v->up[hz] - CO_Z * v->upse[hz],
	    v->up[hz] + CO_Z * v->upse[hz])) != HS_OK ||
	    (e = rt_printf(t, "%d", horizons[hz])) != HS_OK)
		return e;
	return sref > 0 ? rt_printf(t, "%.2f", v->up[hz] - per) :
	    rt_put(t, NULL);
}

/* The retention curve, pooled over the cohorts that reached a period. */
static enum hs_err
load_curve(struct cview *v)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(v->period) };
	struct hs_dbcol	 c[5] = { HS_DBC_INT, HS_DBC_INT, HS_DBC_INT,
			    HS_DBC_INT, HS_DBC_INT };
	struct curve	*cv;
	enum hs_err	 e;
	int		 have;

	if ((e = hs_db_query(co_db, CS_CURVE, p, 1, c, 5)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_CURVE, &have)) == HS_OK && have &&
	    v->nc < CO_CURVE_MAX) {
		cv = &v->c[v->nc++];
		cv->n = (int)c[0].i;
		cv->rs = c[1].i;
		cv->rk = c[2].i;
		cv->ns = c[3].i;
		cv->nk = c[4].i;
		if ((e = rt_printf(&v->t[0], "%d", cv->n)) != HS_OK ||
		    (e = put_share(&v->t[0], cv->rk, cv->rs)) != HS_OK ||
		    (e = rt_printf(&v->t[0], "%lld", cv->rs)) != HS_OK ||
		    (e = put_share(&v->t[0], cv->nk, cv->ns)) != HS_OK ||
		    (e = rt_printf(&v->t[0], "%lld", cv->ns)) != HS_OK)
			break;
	}
	hs_db_end(co_db, CS_CURVE);
	return e;
}

/* The triangle of one arrival: a row per cohort, a cell per period. */
static enum hs_err
load_triangle(struct cview *v)
{
	struct hs_dbparam p[4] = { HS_DBP_TEXT(v->period),
			    HS_DBP_TEXT(v->arrival), HS_DBP_TEXT(v->period),
			    HS_DBP_TEXT(v->arrival) };
	char		 cohort[16], row[16] = "";
	struct hs_dbcol	 c[4] = { HS_DBC_TEXT(cohort), HS_DBC_INT,
			    HS_DBC_INT, HS_DBC_INT };
	long long	 filled = 0;
	enum hs_err	 e;
	int		 have;

	if ((e = hs_db_query(co_db, CS_TRIANGLE, p, 4, c, 4)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_TRIANGLE, &have)) == HS_OK) {
		if (!have || strcmp(cohort, row) != 0) {
			/* Close the previous row: the periods not ended. */
			for (; row[0] != '\0' && filled < CO_TRI_N; filled++)
				if ((e = rt_put(&v->t[1], NULL)) != HS_OK)
					break;
			if (!have || e != HS_OK)
				break;
			(void)snprintf(row, sizeof(row), "%s", cohort);
			filled = 0;
			if ((e = rt_put(&v->t[1], cohort)) != HS_OK ||
			    (e = rt_printf(&v->t[1], "%lld", c[2].i)) != HS_OK)
				break;
		}
		if (c[1].i != filled || c[2].i <= 0)
			continue;	/* never: cells come in order */
		if ((e = rt_printf(&v->t[1], "%.0f%%", 100.0 *
		    (double)c[3].i / (double)c[2].i)) != HS_OK)
			break;
		filled++;
	}
	hs_db_end(co_db, CS_TRIANGLE);
	return e;
}

/*
 * Reads the tables and the run's date.  A limited analyst's view reads
 * no table that pools every campaign (curve, triangle, K-factor).
 */
static enum hs_err
cview_load(struct cview *v)
{
	struct hs_dbcol	 r[2] = { HS_DBC_TEXT(v->as_of), HS_DBC_TEXT(v->at) };
	enum hs_err	 e;
	int		 have;

	if ((e = hs_db_row(co_db, CS_RUN, NULL, 0, r, 2, &have)) != HS_OK)
		return e;
	if (!have)
		v->as_of[0] = v->at[0] = '\0';
	if (!v->scoped && ((e = load_curve(v)) != HS_OK ||
	    (e = load_triangle(v)) != HS_OK))
		return e;
	if ((e = load_value(v)) != HS_OK ||
	    (!v->scoped && (e = load_kf(v)) != HS_OK))
		return e;
	return load_econ(v);
}

/*
 * A limited analyst's view: the value table compares its campaign's
 * referred signups (sql/202's split campaign) with the others, and any
 * other split asked for is refused.  HS_OK, HS_ENOTFOUND (another split,
 * or the campaign is gone), or the database's error.
 */
enum hs_err
co_scope(struct cview *v)
{
	struct hs_dbparam p[1] = { HS_DBP_INT(v->s->campaign) };
	char		 slug[CO_FIELD_MAX + 1];
	struct hs_dbcol	 c[1] = { HS_DBC_TEXT(slug) };
	enum hs_err	 e;
	int		 have;

	v->scoped = 1;
	if ((e = hs_db_row(co_db, CS_SLUG, p, 1, c, 1, &have)) != HS_OK)
		return e;
	if (!have || (v->split_arg[0] != '\0' &&
	    (strcmp(v->split, "campaign") != 0 ||
	    strcmp(v->split_key, slug) != 0)))
		return HS_ENOTFOUND;
	v->split = "campaign";
	(void)snprintf(v->split_key, sizeof(v->split_key), "%s", slug);
	return HS_OK;
}

/* The view's tables, empty, and what loading them finds out. */
static void
cview_tables(struct cview *v)
{
	size_t		 i;

	for (i = 0; i < NTABLES; i++)
		rt_free(&v->t[i]);
	rt_init(&v->t[0], "cohort-curve", "Retention by period, pooled over "
	    "the cohorts that reached it", curve_cols,
	    sizeof(curve_cols) / sizeof(curve_cols[0]), 1000);
	rt_init(&v->t[1], "cohort-triangle", "Share retained, by cohort "
	    "(rows) and period after signup (columns)", tri_cols,
	    sizeof(tri_cols) / sizeof(tri_cols[0]), 1000);
	rt_init(&v->t[2], "cohort-value", "Activation and value per signup "
	    "by days after signup", value_cols,
	    sizeof(value_cols) / sizeof(value_cols[0]), 1000);
	rt_init(&v->t[3], "cohort-kfactor", "K-factor by period, newest "
	    "first", kf_cols, sizeof(kf_cols) / sizeof(kf_cols[0]) -
	    (v->download ? 0 : 1), 1000);
	rt_init(&v->t[4], "cohort-economics", "Costs per campaign and month, "
	    "and for all of them", econ_cols,
	    sizeof(econ_cols) / sizeof(econ_cols[0]), CO_ECON_ROWS + 1);
	v->nc = 0;
	v->have_m30 = 0;
	memset(v->have_up, 0, sizeof(v->have_up));
}

/*
 * cview_load as a unit of hs_db_unit (co_render runs it on co_db): in
 * one transaction, so that the page shows one cohort pass
 * whole (a pass committing between two of its reads would mix two);
 * a replayed unit starts again from empty tables.
 */
enum hs_err
co_load(struct hs_db *db, void *arg)
{
	struct cview	*v = arg;

	(void)db;
	cview_tables(v);
	return cview_load(v);
}
