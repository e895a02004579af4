/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cohorts.c: /admin/cohorts (issue 20), do referred signups stay?  Read
 * from the cohort tables hearsay-reconcile writes (sql/151), never from
 * raw rows, so it costs the same at a million signups as at ten:
 *
 *	- retention curves, referred against not, by week or month after
 *	  signing up, pooled over the cohorts that reached each period,
 *	  with 95% Wilson intervals drawn as bands;
 *	- the cohort triangle of one arrival (?arrival=);
 *	- activation and value per signup at 30, 90 and 365 days, each
 *	  with its interval and size, and the uplift of referred signups
 *	  matched on signup period and credited channel (load_value),
 *	  optionally of one campaign's, advocate tier's or event's
 *	  referred signups (?split=);
 *	- the K-factor per period, and the program's economics with the
 *	  cost form for admins (POST /admin/cohorts/cost).
 *
 * Intervals: Wilson for shares (it stays inside 0-100% and is honest
 * for small cohorts, where the Wald interval is not); the normal
 * interval for means, from the sums of value and value squared the run
 * keeps (a bootstrap would need every signup's value at render time;
 * with the sizes shown beside every figure, a small arm is visible).
 * Revenue is skewed, so a mean of a few dozen signups is rough: the
 * page says so under the table.  Each table downloads as CSV or JSON
 * (?table=NAME&format=csv|json).
 *
 * The page has its own read-only handle and statements, so that the
 * report's shared statement table is not touched.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"

#define CO_Z		1.959964	/* 95% two-sided */
#define CO_CURVE_MAX	13		/* periods in the curve */
#define CO_TRI_COHORTS	12		/* cohorts in the triangle */
#define CO_TRI_N	12		/* periods in the triangle */
#define CO_W		720		/* chart viewBox */
#define CO_H		300
#define CO_PAD		48
#define CO_KF_ROWS	104		/* K-factor periods shown */
#define CO_ECON_ROWS	500		/* cost rows, campaigns listed */
#define CO_NONCE_HEX	32		/* hex chars of a form's nonce */
#define CO_AMOUNT_MAX	1e12		/* an amount beyond is a typo */
#define CO_FIELD_MAX	64		/* bytes of a cost form field kept */
#define CO_HORIZONS	3		/* 30, 90, 365 days */
#define CO_STR(x)	CO_STR2(x)
#define CO_STR2(x)	#x

/* The K-factor's definition: on the page and in its downloads. */
#define CO_KF_DEF	"K-factor = invites per signup x conversion of " \
	"invites; invites: human clicks on advocates' links in the period; " \
	"invites per signup: invites / the period's signups; conversion: " \
	"the period's signups credited to an advocate / invites"

enum {
	CS_CURVE,
	CS_TRIANGLE,
	CS_VALUE,
	CS_RUN,
	CS_KF,
	CS_ECON,
	CS_CAMPS,
	CS_SPLITS,
	CS_SLUG,
	CS__MAX
};

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
	    "LIMIT " CO_STR(CO_KF_ROWS),
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
	    "LIMIT " CO_STR(CO_ECON_ROWS),
	/* CS_CAMPS: the cost form's choices. */
	"SELECT slug, name FROM campaigns ORDER BY slug "
	    "LIMIT " CO_STR(CO_ECON_ROWS),
	/* CS_SPLITS (period): the splits there are, for the filter. */
	"SELECT DISTINCT split, split_key FROM cohort_match WHERE period = ? "
	    "AND split <> 'all' ORDER BY split, split_key "
	    "LIMIT " CO_STR(CO_ECON_ROWS),
	/* CS_SLUG (id): a limited analyst's campaign, for its split. */
	"SELECT slug FROM campaigns WHERE id = ?",
};

/* The cost form's statements, on a read-write handle of its own. */
enum {
	CW_NONCE,
	CW_CAMP,
	CW_BEFORE,
	CW_AUDIT,
	CW_PUT,
	CW_AFTER,
	CW__MAX
};

#define CO_COST_TEXT	"CONCAT('rewards: ', rewards, '\\nother: ', other)"

static const char *const wstmts[CW__MAX] = {
	/* CW_NONCE: the form was sent before (and its change made). */
	"SELECT COUNT(*) FROM audit_log WHERE form_nonce = ?",
	/* CW_CAMP (slug) */
	"SELECT id FROM campaigns WHERE slug = ?",
	/* CW_BEFORE (campaign, month): the costs as they are. */
	"SELECT " CO_COST_TEXT " FROM program_costs WHERE campaign_id = ? "
	    "AND month = ?",
	/* CW_AUDIT (user, object, before, nonce): as the manage pages. */
	"INSERT INTO audit_log (user_name, action, object, before_text, "
	    "form_nonce) VALUES (?, 'cost.set', ?, ?, ?)",
	/*
	 * CW_PUT (campaign, month, rewards, other; rewards, other): as
	 * hearsay-admin cost set, NULL keeps the stored amount.
	 */
	"INSERT INTO program_costs (campaign_id, month, rewards, other) "
	    "VALUES (?, ?, COALESCE(?, 0), COALESCE(?, 0)) ON DUPLICATE KEY "
	    "UPDATE rewards = COALESCE(?, rewards), other = COALESCE(?, other)",
	/* CW_AFTER (campaign, month, audit id) */
	"UPDATE audit_log SET after_text = (SELECT " CO_COST_TEXT " FROM "
	    "program_costs WHERE campaign_id = ? AND month = ?) WHERE id = ?",
};

static struct hs_db	*cdb;	/* this worker's, opened on first use */
static struct hs_db	*cwdb;	/* the cost form's, read-write */

static const char *const arrivals[] = { "referral", "none", "tracked",
    "reported", "agree" };
#define NARRIVALS	(sizeof(arrivals) / sizeof(arrivals[0]))
static const char *const tnames[] = { "curve", "triangle", "value",
    "kfactor", "economics" };
#define NTABLES		(sizeof(tnames) / sizeof(tnames[0]))
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

struct curve {
	int		 n;
	long long	 rs, rk, ns, nk;	/* referred size, kept; none */
};

/* The cost form as shown: what was typed, and why one was refused. */
struct cform {
	char		 v[4][CO_FIELD_MAX + 1];	/* campaign, month,
							 * rewards, other */
	int		 bad;		/* the field refused, or -1 */
	const char	*why;		/* why (a constant), or NULL */
};
static const char *const cfnames[4] = { "campaign", "month", "rewards",
    "other" };

struct cview {
	struct report	*rp;
	const struct sess *s;
	struct cform	*form;		/* the cost form, typed or blank */
	const char	*notice;	/* a line above the economics */
	int		 download;	/* 1: a CSV or JSON download */
	/*
	 * 1: an analyst limited to one campaign (s->campaign), who sees
	 * its campaign's figures only: no table that pools every
	 * campaign, the value of its campaign's referred signups, its
	 * campaign's costs (hearsay-report(8), COHORTS).
	 */
	int		 scoped;
	double		 m30;		/* referred value per signup, 30 d */
	int		 have_m30;
	double		 up[CO_HORIZONS], upse[CO_HORIZONS];
	int		 have_up[CO_HORIZONS];
	const char	*period;
	const char	*arrival;
	const char	*split;		/* all, campaign, tier, event */
	char		 split_key[CO_FIELD_MAX + 1];
	char		 split_arg[CO_FIELD_MAX + 16];	/* split:key */
	struct rtable	 t[NTABLES];
	struct curve	 c[CO_CURVE_MAX];
	size_t		 nc;
	char		 as_of[16];
	char		 at[24];
};

/* Wilson's 95% interval of k of n into lo, hi (0-1). */
static void
wilson(long long k, long long n, double *lo, double *hi)
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
	wilson(k, n, &lo, &hi);
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
	if ((e = hs_db_query(cdb, CS_VALUE, p, 3, c, 8)) != HS_OK)
		return e;
	for (;;) {
		if ((e = hs_db_fetch(cdb, CS_VALUE, &have)) != HS_OK)
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
	hs_db_end(cdb, CS_VALUE);
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

	if ((e = hs_db_query(cdb, CS_KF, p, 1, c, 4)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(cdb, CS_KF, &have)) == HS_OK && have) {
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
	hs_db_end(cdb, CS_KF);
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

	if ((e = hs_db_query(cdb, CS_ECON, p, 2, c, 6)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(cdb, CS_ECON, &have)) == HS_OK && have) {
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
	hs_db_end(cdb, CS_ECON);
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

	if ((e = hs_db_query(cdb, CS_CURVE, p, 1, c, 5)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(cdb, CS_CURVE, &have)) == HS_OK && have &&
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
	hs_db_end(cdb, CS_CURVE);
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

	if ((e = hs_db_query(cdb, CS_TRIANGLE, p, 4, c, 4)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(cdb, CS_TRIANGLE, &have)) == HS_OK) {
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
	hs_db_end(cdb, CS_TRIANGLE);
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

	if ((e = hs_db_row(cdb, CS_RUN, NULL, 0, r, 2, &have)) != HS_OK)
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
static enum hs_err
scope_view(struct cview *v)
{
	struct hs_dbparam p[1] = { HS_DBP_INT(v->s->campaign) };
	char		 slug[CO_FIELD_MAX + 1];
	struct hs_dbcol	 c[1] = { HS_DBC_TEXT(slug) };
	enum hs_err	 e;
	int		 have;

	v->scoped = 1;
	if ((e = hs_db_row(cdb, CS_SLUG, p, 1, c, 1, &have)) != HS_OK)
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
 * cview_load in one transaction, so that the page shows one cohort pass
 * whole (a pass committing between two of its reads would mix two);
 * a replayed unit starts again from empty tables.
 */
static enum hs_err
cview_unit(struct hs_db *db, void *arg)
{
	struct cview	*v = arg;

	(void)db;
	cview_tables(v);
	return cview_load(v);
}

/* x and y of a point of the chart. */
static double
cx(size_t i, size_t n)
{

	return CO_PAD + (n > 1 ? (double)i * (CO_W - 2 * CO_PAD) /
	    (double)(n - 1) : 0);
}

static double
cy(double f)
{

	return CO_H - CO_PAD + 0.0 - f * (CO_H - 2 * CO_PAD);
}

/* One arm: its band (Wilson) and its line. */
static enum hs_err
arm(const struct hs_out *o, const struct cview *v, int ref, const char *cls)
{
	double		 lo, hi;
	size_t		 i;
	long long	 k, n;
	enum hs_err	 e;

	if ((e = hs_out_printf(o, "<polygon class=\"band %s\" points=\"",
	    cls)) != HS_OK)
		return e;
	for (i = 0; i < v->nc; i++) {
		k = ref ? v->c[i].rk : v->c[i].nk;
		n = ref ? v->c[i].rs : v->c[i].ns;
		wilson(k, n, &lo, &hi);
		if ((e = hs_out_printf(o, "%.1f,%.1f ", cx(i, v->nc),
		    cy(hi))) != HS_OK)
			return e;
	}
	for (i = v->nc; i-- > 0;) {
		k = ref ? v->c[i].rk : v->c[i].nk;
		n = ref ? v->c[i].rs : v->c[i].ns;
		wilson(k, n, &lo, &hi);
		if ((e = hs_out_printf(o, "%.1f,%.1f ", cx(i, v->nc),
		    cy(lo))) != HS_OK)
			return e;
	}
	if ((e = hs_out_printf(o, "\"/><polyline class=\"line %s\" "
	    "points=\"", cls)) != HS_OK)
		return e;
	for (i = 0; i < v->nc; i++) {
		k = ref ? v->c[i].rk : v->c[i].nk;
		n = ref ? v->c[i].rs : v->c[i].ns;
		if ((e = hs_out_printf(o, "%.1f,%.1f ", cx(i, v->nc),
		    cy(n > 0 ? (double)k / (double)n : 0))) != HS_OK)
			return e;
	}
	return hs_html_raw(o, "\"/>");
}

/* The retention chart: both arms, axes, a legend in words. */
static enum hs_err
chart(const struct hs_out *o, const struct cview *v)
{
	size_t		 i;
	enum hs_err	 e;

	if (v->nc == 0)
		return hs_html_raw(o, "<p>No cohort has ended its first "
		    "period yet.</p>\n");
	/* Its colours and dashes: report.css (the CSP forbids inline style). */
	if ((e = hs_out_printf(o, "<svg class=\"chart cohorts\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-labelledby=\"co-t co-d\"><title id=\"co-t\">"
	    "Retention by %s after signing up</title><desc id=\"co-d\">"
	    "Share of each group active in each %s after signing up, with "
	    "95%% intervals as bands; the table below gives every figure."
	    "</desc>", CO_W, CO_H, v->period,
	    v->period)) != HS_OK)
		return e;
	for (i = 0; i <= 4; i++)
		if ((e = hs_out_printf(o, "<line class=\"ax\" x1=\"%d\" "
		    "x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
		    "<text x=\"4\" y=\"%.1f\">%zu%%</text>", CO_PAD,
		    CO_W - CO_PAD, cy(i / 4.0), cy(i / 4.0), cy(i / 4.0) + 5,
		    i * 25)) != HS_OK)
			return e;
	for (i = 0; i < v->nc; i++)
		if ((e = hs_out_printf(o, "<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%d</text>", cx(i, v->nc),
		    CO_H - CO_PAD + 20, v->c[i].n)) != HS_OK)
			return e;
	if ((e = arm(o, v, 1, "ref")) != HS_OK ||
	    (e = arm(o, v, 0, "oth")) != HS_OK)
		return e;
	return hs_out_printf(o, "<text x=\"%d\" y=\"%d\">%s after "
	    "signup</text><line class=\"line ref\" x1=\"%d\" x2=\"%d\" "
	    "y1=\"20\" y2=\"20\"/><text x=\"%d\" y=\"25\">referred</text>"
	    "<line class=\"line oth\" x1=\"%d\" x2=\"%d\" y1=\"20\" "
	    "y2=\"20\"/><text x=\"%d\" y=\"25\">not referred</text></svg>\n",
	    CO_W / 2 - 40, CO_H - 8, v->period, CO_PAD, CO_PAD + 30,
	    CO_PAD + 36, CO_PAD + 160, CO_PAD + 190, CO_PAD + 196);
}

/* A link to this page with the view's choices and extra appended. */
static enum hs_err
self(const struct hs_out *o, const struct cview *v, const char *period,
    const char *arrival, const char *extra)
{
	struct hs_buf	 b;
	enum hs_err	 e;

	hs_buf_init(&b, 512);
	if ((e = hs_buf_printf(&b, "/admin/cohorts?period=%s&arrival=%s",
	    period, arrival)) == HS_OK && v->split_arg[0] != '\0' &&
	    (e = hs_buf_printf(&b, "&split=")) == HS_OK)
		e = hs_url_encode(&b, v->split_arg);
	if (e == HS_OK && (e = hs_buf_printf(&b, "%s", extra)) == HS_OK)
		e = hs_html_puts(o, hs_buf_str(&b));
	hs_buf_free(&b);
	return e;
}

/* CSV and JSON links of table i. */
static enum hs_err
dl(const struct hs_out *o, const struct cview *v, size_t i)
{
	char		 x[64];
	enum hs_err	 e;

	(void)snprintf(x, sizeof(x), "&table=%s&format=csv", tnames[i]);
	if ((e = hs_html_raw(o, "<p class=\"downloads\">Download: <a "
	    "href=\"")) != HS_OK || (e = self(o, v, v->period, v->arrival,
	    x)) != HS_OK || (e = hs_html_raw(o, "\">CSV</a> \xc2\xb7 <a "
	    "href=\"")) != HS_OK)
		return e;
	(void)snprintf(x, sizeof(x), "&table=%s&format=json", tnames[i]);
	if ((e = self(o, v, v->period, v->arrival, x)) != HS_OK)
		return e;
	return hs_html_raw(o, "\">JSON</a></p>\n");
}

/*
 * The split filter: a GET form choosing whose referred signups the
 * value table compares (all, or a campaign's, tier's or event's).
 */
static enum hs_err
split_form(const struct hs_out *o, const struct cview *v)
{
	char		 kind[16], key[CO_FIELD_MAX + 1], arg[CO_FIELD_MAX + 24];
	struct hs_dbparam p[1] = { HS_DBP_TEXT(v->period) };
	struct hs_dbcol	 c[2] = { HS_DBC_TEXT(kind), HS_DBC_TEXT(key) };
	enum hs_err	 e;
	int		 have;

	if ((e = hs_html_raw(o, "<form method=\"get\" action=\"/admin/"
	    "cohorts\" class=\"inline split\"><input type=\"hidden\" "
	    "name=\"period\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, v->period)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><input type=\"hidden\" name=\"arrival\" "
	    "value=\"")) != HS_OK || (e = hs_html_puts(o, v->arrival)) !=
	    HS_OK || (e = hs_html_raw(o, "\"><label for=\"split\">Referred "
	    "signups of</label> <select id=\"split\" name=\"split\">"
	    "<option value=\"\">every campaign, tier and event</option>")) !=
	    HS_OK)
		return e;
	if ((e = hs_db_query(cdb, CS_SPLITS, p, 1, c, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(cdb, CS_SPLITS, &have)) == HS_OK && have) {
		(void)snprintf(arg, sizeof(arg), "%s:%s", kind, key);
		if ((e = hs_html_raw(o, "<option value=\"")) != HS_OK ||
		    (e = hs_html_puts(o, arg)) != HS_OK ||
		    (e = hs_html_raw(o, strcmp(arg, v->split_arg) == 0 ?
		    "\" selected>" : "\">")) != HS_OK ||
		    (e = hs_html_puts(o, kind)) != HS_OK ||
		    (e = hs_html_raw(o, " ")) != HS_OK ||
		    (e = hs_html_puts(o, key)) != HS_OK ||
		    (e = hs_html_raw(o, "</option>")) != HS_OK)
			break;
	}
	hs_db_end(cdb, CS_SPLITS);
	if (e != HS_OK)
		return e;
	return hs_html_raw(o, "</select> <button type=\"submit\">Compare"
	    "</button></form>\n");
}

/* The cost form: an admin of every campaign enters a month's costs. */
static enum hs_err
cost_form(const struct hs_out *o, const struct cview *v)
{
	static const char *const labels[4] = { "Campaign (required)",
	    "Month, YYYY-MM (required)", "Rewards", "Other costs" };
	const struct cform *f = v->form;
	char		 nonce[CO_NONCE_HEX + 1], slug[72], name[RPT_TEXT_MAX];
	struct hs_dbcol	 c[2] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(name) };
	enum hs_err	 e;
	size_t		 i;
	int		 have;

	hs_rand_hex(nonce, sizeof(nonce));
	if ((e = hs_html_raw(o, "<h3 id=\"h-cost\">Enter a month's costs"
	    "</h3>\n<form method=\"post\" action=\"/admin/cohorts/cost\" "
	    "class=\"manage\" id=\"form-cost\" novalidate "
	    "aria-labelledby=\"h-cost\"><input type=\"hidden\" "
	    "name=\"csrf\" value=\"")) != HS_OK ||
	    (e = hs_html_puts(o, v->s->csrf)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><input type=\"hidden\" name=\"once\" "
	    "value=\"")) != HS_OK || (e = hs_html_puts(o, nonce)) != HS_OK ||
	    (e = hs_html_raw(o, "\"><input type=\"hidden\" name=\"period\" "
	    "value=\"")) != HS_OK || (e = hs_html_puts(o, v->period)) !=
	    HS_OK || (e = hs_html_raw(o, "\">")) != HS_OK)
		return e;
	if (f->why != NULL && (e = hs_html_raw(o, "<p class=\"error\" "
	    "role=\"alert\">Not saved: see the field marked below.</p>")) !=
	    HS_OK)
		return e;
	for (i = 0; i < 4; i++) {
		if ((e = hs_out_printf(o, "<p><label for=\"cost-%s\">%s"
		    "</label>", cfnames[i], labels[i])) != HS_OK)
			return e;
		if (i == 0)
			e = hs_out_printf(o, "<select id=\"cost-%s\" "
			    "name=\"%s\" required", cfnames[i], cfnames[i]);
		else
			e = hs_out_printf(o, "<input type=\"text\" "
			    "id=\"cost-%s\" name=\"%s\" maxlength=\"%d\" "
			    "autocomplete=\"off\" inputmode=\"%s\"%s",
			    cfnames[i], cfnames[i], CO_FIELD_MAX,
			    i == 1 ? "numeric" : "decimal",
			    i == 1 ? " required" : "");
		if (e != HS_OK || (f->bad == (int)i && (e = hs_html_raw(o,
		    " aria-invalid=\"true\"")) != HS_OK) ||
		    (e = hs_out_printf(o, " aria-describedby=\"cost-%s-hint\"",
		    cfnames[i])) != HS_OK)
			return e;
		if (i == 0) {
			if ((e = hs_html_raw(o, "><option value=\"\">Choose "
			    "a campaign</option>")) != HS_OK ||
			    (e = hs_db_query(cdb, CS_CAMPS, NULL, 0, c, 2)) !=
			    HS_OK)
				return e;
			while ((e = hs_db_fetch(cdb, CS_CAMPS, &have)) ==
			    HS_OK && have)
				if ((e = hs_html_raw(o, "<option value=\"")) !=
				    HS_OK ||
				    (e = hs_html_puts(o, slug)) != HS_OK ||
				    (e = hs_html_raw(o, strcmp(slug, f->v[0]) ==
				    0 ? "\" selected>" : "\">")) != HS_OK ||
				    (e = hs_html_puts(o, name)) != HS_OK ||
				    (e = hs_html_raw(o, " (")) != HS_OK ||
				    (e = hs_html_puts(o, slug)) != HS_OK ||
				    (e = hs_html_raw(o, ")</option>")) != HS_OK)
					break;
			hs_db_end(cdb, CS_CAMPS);
			if (e != HS_OK || (e = hs_html_raw(o, "</select>")) !=
			    HS_OK)
				return e;
		} else if ((e = hs_html_raw(o, " value=\"")) != HS_OK ||
		    (e = hs_html_puts(o, f->v[i])) != HS_OK ||
		    (e = hs_html_raw(o, "\">")) != HS_OK)
			return e;
		if ((e = hs_out_printf(o, "<span class=\"hint%s\" "
		    "id=\"cost-%s-hint\">", f->bad == (int)i ? " error" : "",
		    cfnames[i])) != HS_OK ||
		    (f->bad == (int)i && ((e = hs_html_puts(o, f->why)) !=
		    HS_OK || (e = hs_html_raw(o, " \xe2\x80\x94 ")) != HS_OK)))
			return e;
		if ((e = hs_html_raw(o, i == 0 ? "the campaign the costs "
		    "belong to" : i == 1 ? "the month the costs fell in" :
		    "an amount of 0 or more, like 250 or 49.50; empty keeps "
		    "what is stored (0 when nothing is)")) != HS_OK ||
		    (e = hs_html_raw(o, "</span></p>")) != HS_OK)
			return e;
	}
	return hs_html_raw(o, "<p><button type=\"submit\">Save the costs"
	    "</button></p></form>\n");
}

/* The program's economics: the table, its definitions, the form. */
static enum hs_err
econ_html(const struct hs_out *o, const struct cview *v)
{
	enum hs_err	 e;

	if ((e = hs_html_raw(o, "<h2 id=\"economics\">Program economics"
	    "</h2>\n")) != HS_OK)
		return e;
	if (v->notice != NULL && ((e = hs_html_raw(o, "<p class=\"notice\" "
	    "role=\"status\">")) != HS_OK ||
	    (e = hs_html_puts(o, v->notice)) != HS_OK ||
	    (e = hs_html_raw(o, "</p>\n")) != HS_OK))
		return e;
	if ((e = hs_html_raw(o, "<p class=\"definition\"><strong>"
	    "Definitions.</strong> <em>Cost per referred signup</em>: a "
	    "campaign's rewards and other costs of a month over its referred "
	    "signups that month (a tracked link or an answer naming an "
	    "advocate or referral, as of the last cohort pass). <em>CAC "
	    "payback</em>: that cost over a referred signup's value in its "
	    "first 30 days, in months. <em>LTV uplift</em>: the matched "
	    "uplift of value per signup at the longest horizon that has one "
	    "(the value table above), with its interval; less the cost per "
	    "referred signup, what a referred signup is worth beyond its "
	    "cost. Amounts in ")) != HS_OK ||
	    (e = hs_html_puts(o, v->rp->conf.activity_currency)) != HS_OK ||
	    (e = hs_html_raw(o, ".</p>\n")) != HS_OK)
		return e;
	if (rt_rows(&v->t[4]) == 0)
		e = hs_html_raw(o, "<p>No cost entered yet.</p>\n");
	else if ((e = rt_html(o, &v->t[4])) == HS_OK)
		e = dl(o, v, 4);
	if (e != HS_OK)
		return e;
	if (v->s->admin && v->s->campaign == 0)
		return cost_form(o, v);
	return hs_html_raw(o, "<p class=\"muted\">An admin of every "
	    "campaign enters costs here, or with <kbd>hearsay-admin cost "
	    "set</kbd>.</p>\n");
}

/*
 * The retention chart and table, and the triangle of one arrival; for
 * a limited analyst, why they are not shown.
 */
static enum hs_err
retention_html(const struct hs_out *o, const struct cview *v)
{
	size_t			 i;
	enum hs_err		 e;

	if (v->scoped)
		return hs_html_raw(o, "<p class=\"notice\">Retention, the "
		    "cohort triangle and the K-factor pool every campaign's "
		    "signups: they are shown to analysts of every campaign "
		    "only.</p>\n");
	if ((e = hs_html_raw(o, "<h2>Retention, referred and not</h2>\n")) !=
	    HS_OK || (e = chart(o, v)) != HS_OK ||
	    (e = rt_html(o, &v->t[0])) != HS_OK || (e = dl(o, v, 0)) != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "<h2>Cohort triangle</h2>\n<nav "
	    "aria-label=\"Arrival\"><p>Signups who came: ")) != HS_OK)
		return e;
	for (i = 0; i < NARRIVALS; i++)
		if ((e = hs_html_raw(o, i > 0 ? " \xc2\xb7 <a href=\"" :
		    "<a href=\"")) != HS_OK ||
		    (e = self(o, v, v->period, arrivals[i], "")) != HS_OK ||
		    (e = hs_html_raw(o, strcmp(v->arrival, arrivals[i]) ==
		    0 ? "\" aria-current=\"page\">" : "\">")) != HS_OK ||
		    (e = hs_html_puts(o, arrivals[i])) != HS_OK ||
		    (e = hs_html_raw(o, "</a>")) != HS_OK)
			return e;
	if ((e = hs_html_raw(o, "</p></nav>\n")) != HS_OK ||
	    (e = rt_html(o, &v->t[1])) != HS_OK)
		return e;
	return dl(o, v, 1);
}

/*
 * The value table with whose referred signups it compares: the split
 * filter, or a limited analyst's campaign.
 */
static enum hs_err
value_html(const struct hs_out *o, const struct cview *v)
{
	enum hs_err		 e;

	if ((e = hs_html_raw(o, "<h2>Activation and value per signup</h2>\n"))
	    != HS_OK)
		return e;
	if (!v->scoped)
		e = split_form(o, v);
	else if ((e = hs_html_raw(o, "<p>Referred signups of campaign "
	    "<strong>")) == HS_OK && (e = hs_html_puts(o, v->split_key)) ==
	    HS_OK)
		e = hs_html_raw(o, "</strong> against the signups no campaign "
		    "referred.</p>\n");
	if (e != HS_OK || (e = rt_html(o, &v->t[2])) != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "<p>Value in the deployment's currency "
	    "(")) != HS_OK || (e = hs_html_puts(o,
	    v->rp->conf.activity_currency)) != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "), over the signups whose horizon has "
	    "passed. The uplift compares referred and other signups of the "
	    "same period and credited channel: each period's channels with "
	    "two or more signups on both sides are strata; the period's other "
	    "referred signups (the referral channel's, which has no others) "
	    "are compared with all its other signups. The strata's "
	    "differences of means are weighted by their referred signups, "
	    "so a change in the mix of periods or channels does not pass for "
	    "an effect; the counts beside say how many were matched which "
	    "way. Revenue is skewed: with a few dozen signups an interval is "
	    "rough.</p>\n"))
	    != HS_OK)
		return e;
	return dl(o, v, 2);
}

/* The K-factor, with its definition; not for a limited analyst. */
static enum hs_err
kf_html(const struct hs_out *o, const struct cview *v)
{
	enum hs_err		 e;

	if (v->scoped)
		return HS_OK;
	if ((e = hs_html_raw(o, "<h2 id=\"kfactor\">K-factor over time</h2>\n"
	    "<p class=\"definition\"><strong>Definition.</strong> "
	    "K-factor = invites per signup \xc3\x97 conversion of invites. "
	    "<em>Invites</em>: human clicks on advocates' links in the "
	    "period (bots left out); <em>invites per signup</em>: the "
	    "period's invites over its signups; <em>conversion</em>: the "
	    "period's signups credited to an advocate (a tracked click on "
	    "their link or an answer naming them) over its invites. The "
	    "product is the new signups the program's invites brought per "
	    "signup; above 1, each signup brings more than one more. Ended "
	    "periods only, newest first.</p>\n")) != HS_OK ||
	    (e = rt_html(o, &v->t[3])) != HS_OK)
		return e;
	return dl(o, v, 3);
}

static enum hs_err
cbody(const struct hs_out *o, void *arg)
{
	const struct cview	*v = arg;
	enum hs_err		 e;

	if ((e = hs_html_raw(o, "<h1>Cohorts</h1>\n<p>Do referred signups "
	    "stay? Computed by hearsay-reconcile")) != HS_OK)
		return e;
	if (v->as_of[0] != '\0' && ((e = hs_html_raw(o, " as of ")) !=
	    HS_OK || (e = hs_html_puts(o, v->as_of)) != HS_OK))
		return e;
	if ((e = hs_html_raw(o, ". <em>Referred</em>: a tracked referral "
	    "link or an answer naming a referral; <em>retained</em> in "
	    "period N: active (the deployment's retained kind) in the Nth "
	    "week or month after signing up. Intervals are 95%: Wilson for "
	    "shares, normal for means.</p>\n<nav aria-label=\"Period\"><p>"
	    "By: ")) != HS_OK)
		return e;
	if ((e = hs_html_raw(o, "<a href=\"")) != HS_OK ||
	    (e = self(o, v, "week", v->arrival, "")) != HS_OK ||
	    (e = hs_html_raw(o, strcmp(v->period, "week") == 0 ?
	    "\" aria-current=\"page\">week</a> \xc2\xb7 <a href=\"" :
	    "\">week</a> \xc2\xb7 <a href=\"")) != HS_OK ||
	    (e = self(o, v, "month", v->arrival, "")) != HS_OK ||
	    (e = hs_html_raw(o, strcmp(v->period, "month") == 0 ?
	    "\" aria-current=\"page\">month</a></p></nav>\n" :
	    "\">month</a></p></nav>\n")) != HS_OK)
		return e;
	if ((e = retention_html(o, v)) != HS_OK ||
	    (e = value_html(o, v)) != HS_OK || (e = kf_html(o, v)) != HS_OK)
		return e;
	return econ_html(o, v);
}

/*
 * Opens the page's handle and, for an analyst limited to one campaign,
 * scopes the view (scope_view); a table that pools every campaign
 * (curve, triangle, K-factor) is not downloaded.  which: the table
 * asked for, or NTABLES.  HS_OK, or not after answering r.
 */
static enum hs_err
cview_scope(struct report *rp, struct hs_req *r, struct cview *v,
    size_t which)
{
	enum hs_err	 e = HS_OK;

	if (cdb == NULL && (e = hs_db_open(&cdb, &rp->conf, 1, cstmts,
	    CS__MAX)) != HS_OK && e != HS_EAGAIN)
		goto unavailable;
	if (v->s->campaign == 0)
		return HS_OK;
	if ((e = scope_view(v)) == HS_ENOTFOUND ||
	    (e == HS_OK && which < NTABLES && which != 2 && which != 4)) {
		(void)hs_http_error(r, 403, "An analyst of one campaign sees "
		    "that campaign's figures only.");
		return HS_ENOTFOUND;
	}
	if (e == HS_OK)
		return HS_OK;
unavailable:
	if (hs_http_header(r, "Retry-After", "5") == HS_OK)
		(void)hs_http_error(r, 503, "The report database is not "
		    "available; try again shortly.");
	return e;
}

/*
 * The page (code 200, or 400 for a refused cost form f) or, with
 * format=, a table's download.  post: the cost form's POST, whose
 * period comes from the form.
 */
static void
cohorts_render(struct report *rp, struct hs_req *r, const struct sess *s,
    int code, struct cform *form, int post)
{
	static struct cview v;
	static struct cform blank;
	const char	*p = NULL, *a = NULL, *f = NULL, *t = NULL;
	size_t		 i, which = NTABLES;
	int		 fmt = 0;

	memset(&v, 0, sizeof(v));
	v.rp = rp;
	v.s = s;
	memset(&blank, 0, sizeof(blank));
	blank.bad = -1;
	v.form = form != NULL ? form : &blank;
	v.period = "week";
	v.arrival = "referral";
	if (post) {
		if (hs_kv_get(r->form, r->formsz, "period", &p) == HS_OK &&
		    p != NULL && strcmp(p, "month") == 0)
			v.period = "month";
		p = NULL;
	} else if (hs_kv_get(r->qv, r->qvsz, "cost", &a) == HS_OK &&
	    a != NULL && strcmp(a, "saved") == 0)
		v.notice = "The costs were saved; the figures below use them.";
	a = NULL;
	if (!post && ((hs_kv_get(r->qv, r->qvsz, "period", &p) == HS_OK &&
	    p != NULL && strcmp(p, "week") != 0 && strcmp(p, "month") != 0) ||
	    hs_kv_count(r->qv, r->qvsz, "period") > 1 ||
	    hs_kv_count(r->qv, r->qvsz, "arrival") > 1)) {
		(void)hs_http_error(r, 400, "period: week or month.");
		return;
	}
	if (p != NULL)
		v.period = strcmp(p, "month") == 0 ? "month" : "week";
	if (!post && hs_kv_get(r->qv, r->qvsz, "arrival", &a) == HS_OK &&
	    a != NULL) {
		for (i = 0; i < NARRIVALS; i++)
			if (strcmp(a, arrivals[i]) == 0)
				v.arrival = arrivals[i];
		if (strcmp(a, v.arrival) != 0) {
			(void)hs_http_error(r, 400, "arrival: referral, none, "
			    "tracked, reported or agree.");
			return;
		}
	}
	v.split = "all";
	if (!post && hs_kv_count(r->qv, r->qvsz, "split") > 1) {
		(void)hs_http_error(r, 400, "split: one at most.");
		return;
	}
	if (!post && hs_kv_get(r->qv, r->qvsz, "split", &t) == HS_OK &&
	    t != NULL && *t != '\0') {
		const char	*colon = strchr(t, ':');
		size_t		 kl = colon != NULL ? (size_t)(colon - t) : 0;

		if (colon == NULL || colon[1] == '\0' ||
		    strlen(colon + 1) > CO_FIELD_MAX ||
		    !hs_utf8_valid(colon + 1, strlen(colon + 1)) ||
		    !((kl == 8 && strncmp(t, "campaign", 8) == 0) ||
		    (kl == 4 && strncmp(t, "tier", 4) == 0) ||
		    (kl == 5 && strncmp(t, "event", 5) == 0))) {
			(void)hs_http_error(r, 400, "split: campaign:SLUG, "
			    "tier:TIER or event:SLUG.");
			return;
		}
		v.split = kl == 8 ? "campaign" : kl == 4 ? "tier" : "event";
		(void)snprintf(v.split_key, sizeof(v.split_key), "%s",
		    colon + 1);
		(void)snprintf(v.split_arg, sizeof(v.split_arg), "%s:%s",
		    v.split, v.split_key);
	}
	t = NULL;
	if (!post && hs_kv_get(r->qv, r->qvsz, "format", &f) == HS_OK &&
	    f != NULL && strcmp(f, "html") != 0) {
		v.download = 1;
		fmt = strcmp(f, "csv") == 0 ? 1 : strcmp(f, "json") == 0 ? 2 :
		    -1;
		if (hs_kv_get(r->qv, r->qvsz, "table", &t) == HS_OK &&
		    t != NULL)
			for (which = 0; which < NTABLES; which++)
				if (strcmp(t, tnames[which]) == 0)
					break;
		if (fmt < 0 || which == NTABLES) {
			(void)hs_http_error(r, 400, "Unknown format or "
			    "table.");
			return;
		}
	}
	if (cview_scope(rp, r, &v, which) != HS_OK)
		return;
	if (hs_db_unit(cdb, cview_unit, &v) != HS_OK) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The report database is "
			    "not available; try again shortly.");
	} else if (fmt > 0) {
		char	 cd[96];

		(void)snprintf(cd, sizeof(cd), "attachment; filename=\""
		    "hearsay-%s.%s\"", v.t[which].name, fmt == 2 ? "json" :
		    "csv");
		if (hs_http_header(r, "Content-Disposition", cd) == HS_OK &&
		    hs_http_open(r, 200, fmt == 2 ? "application/json" :
		    "text/csv") == HS_OK && r->method != HS_METHOD_HEAD &&
		    (fmt == 2 ? rt_json(&r->out, &v.t[which]) :
		    rt_csv(&r->out, &v.t[which])) != HS_OK)
			hs_log(HS_LOG_INFO, "cohorts: client went away");
	} else if (page_render(rp, r, code, s, "Cohorts", cbody, &v) != HS_OK)
		hs_log(HS_LOG_INFO, "cohorts: not sent in full");
	for (i = 0; i < NTABLES; i++)
		rt_free(&v.t[i]);
}

/* GET /admin/cohorts[?period=week|month][&arrival=...][&table=&format=] */
void
page_cohorts(struct report *rp, struct hs_req *r, const struct sess *s)
{

	cohorts_render(rp, r, s, 200, NULL, 0);
}

/* One cost change, for its unit. */
struct cchange {
	struct cform	*f;
	const struct sess *s;
	const char	*nonce;
	char		 month[16];	/* YYYY-MM-01 */
	char		 object[CO_FIELD_MAX + 16];
	char		 before[128];
	long long	 camp, audit;
	int		 replay;	/* out: the form was sent before */
};

/*
 * The change in one transaction, as the manage pages make theirs: the
 * audit row with the costs before (keyed by the form's nonce, so a
 * form sent twice changes nothing), the costs, the costs after.
 */
static enum hs_err
cost_unit(struct hs_db *db, void *arg)
{
	struct cchange	*ch = arg;
	struct hs_dbparam p[6];
	struct hs_dbcol	 c[1] = { HS_DBC_INT };
	struct hs_dbcol	 b[1] = { HS_DBC_TEXT(ch->before) };
	enum hs_err	 e;
	int		 have = 0, had = 0, i;

	ch->replay = 0;
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(ch->nonce);
	if ((e = hs_db_row(db, CW_NONCE, p, 1, c, 1, &have)) != HS_OK)
		return e;
	if (have && c[0].i > 0) {
		ch->replay = 1;
		return HS_EDUP;
	}
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(ch->f->v[0]);
	if ((e = hs_db_row(db, CW_CAMP, p, 1, c, 1, &have)) != HS_OK)
		return e;
	if (!have) {
		ch->f->bad = 0;
		ch->f->why = "There is no such campaign.";
		return HS_EINVAL;
	}
	ch->camp = c[0].i;
	p[0] = (struct hs_dbparam)HS_DBP_INT(ch->camp);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(ch->month);
	ch->before[0] = '\0';
	if ((e = hs_db_row(db, CW_BEFORE, p, 2, b, 1, &had)) != HS_OK)
		return e;
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(ch->s->name);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(ch->object);
	p[2] = had ? (struct hs_dbparam)HS_DBP_TEXT(ch->before) :
	    (struct hs_dbparam)HS_DBP_NULL;
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(ch->nonce);
	if ((e = hs_db_exec(db, CW_AUDIT, p, 4, NULL)) != HS_OK) {
		if (e == HS_EDUP)
			ch->replay = 1;
		return e;
	}
	ch->audit = (long long)hs_db_insert_id(db, CW_AUDIT);
	p[0] = (struct hs_dbparam)HS_DBP_INT(ch->camp);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(ch->month);
	for (i = 0; i < 2; i++)
		p[2 + i] = p[4 + i] = ch->f->v[2 + i][0] != '\0' ?
		    (struct hs_dbparam)HS_DBP_TEXT(ch->f->v[2 + i]) :
		    (struct hs_dbparam)HS_DBP_NULL;
	if ((e = hs_db_exec(db, CW_PUT, p, 6, NULL)) != HS_OK)
		return e;
	p[2] = (struct hs_dbparam)HS_DBP_INT(ch->audit);
	return hs_db_exec(db, CW_AFTER, p, 3, NULL);
}

/* 1 if s is an amount of 0 to CO_AMOUNT_MAX with at most 2 decimals. */
static int
amount_ok(const char *s)
{
	size_t	 n = strspn(s, "0123456789");

	if (n == 0 || n > 13)
		return 0;
	if (s[n] == '.') {
		size_t	 d = strspn(s + n + 1, "0123456789");

		if (d < 1 || d > 2 || s[n + 1 + d] != '\0')
			return 0;
	} else if (s[n] != '\0')
		return 0;
	return strtod(s, NULL) <= CO_AMOUNT_MAX;
}

/*
 * Reads and checks the posted cost form into f: 1, or 0 with f->bad
 * and f->why set.  What was typed is kept (when it is text) so the page
 * shows it again beside the reason.
 */
static int
cost_read(const struct hs_req *r, struct cform *f, char month[16])
{
	const char	*v;
	size_t		 i;
	int		 y, m;

	for (i = 0; i < 4; i++) {
		if (hs_kv_get(r->form, r->formsz, cfnames[i], &v) != HS_OK ||
		    v == NULL)
			v = "";
		if (strlen(v) > CO_FIELD_MAX || !hs_utf8_valid(v, strlen(v))) {
			f->bad = (int)i;
			f->why = strlen(v) > CO_FIELD_MAX ? "Too long." :
			    "Text only: valid UTF-8.";
			continue;
		}
		(void)snprintf(f->v[i], sizeof(f->v[i]), "%s", v);
	}
	if (f->bad >= 0)
		return 0;
	f->bad = 0;
	if (f->v[0][0] == '\0' || strspn(f->v[0],
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(f->v[0])) {
		f->why = "Choose a campaign.";
		return 0;
	}
	f->bad = 1;
	if (strlen(f->v[1]) != 7 || strspn(f->v[1], "0123456789-") != 7 ||
	    f->v[1][4] != '-' || sscanf(f->v[1], "%4d-%2d", &y, &m) != 2 ||
	    y < 2000 || y > 2100 || m < 1 || m > 12) {
		f->why = "Give the month as YYYY-MM, like 2026-03.";
		return 0;
	}
	(void)snprintf(month, 16, "%04d-%02d-01", y, m);
	for (i = 2; i < 4; i++) {
		f->bad = (int)i;
		if (f->v[i][0] != '\0' && !amount_ok(f->v[i])) {
			f->why = "Not an amount of 0 or more with at most "
			    "two decimals.";
			return 0;
		}
	}
	f->bad = 2;
	if (f->v[2][0] == '\0' && f->v[3][0] == '\0') {
		f->why = "Give the rewards, the other costs or both.";
		return 0;
	}
	f->bad = -1;
	return 1;
}

/*
 * POST /admin/cohorts/cost: campaign, month, rewards, other, once, csrf
 * (checked by main.c with the same origin): an admin of every campaign
 * sets a month's costs.  A refused value shows the page again (400)
 * with what was typed and the reason beside the field; a saved one
 * goes back to the page (303) that shows the economics with it.
 */
void
page_cohorts_cost(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static struct cform f;
	static struct cchange ch;
	const char	*once = NULL;
	char		 to[96];
	enum hs_err	 e;

	if (!s->admin || s->campaign != 0) {
		(void)hs_http_error(r, 403, "Only an admin of every campaign "
		    "enters the program's costs.");
		return;
	}
	if (hs_kv_get(r->form, r->formsz, "once", &once) != HS_OK ||
	    once == NULL || strlen(once) != CO_NONCE_HEX ||
	    strspn(once, "0123456789abcdef") != CO_NONCE_HEX) {
		(void)hs_http_error(r, 400, "The form could not be read; "
		    "reload the page and try again.");
		return;
	}
	memset(&f, 0, sizeof(f));
	memset(&ch, 0, sizeof(ch));
	f.bad = -1;
	if (!cost_read(r, &f, ch.month)) {
		cohorts_render(rp, r, s, 400, &f, 1);
		return;
	}
	ch.f = &f;
	ch.s = s;
	ch.nonce = once;
	(void)snprintf(ch.object, sizeof(ch.object), "%s %.7s", f.v[0],
	    ch.month);
	if (cwdb == NULL && (e = hs_db_open(&cwdb, &rp->conf, 0, wstmts,
	    CW__MAX)) != HS_OK && e != HS_EAGAIN)
		e = HS_EAGAIN;
	else
		e = hs_db_unit(cwdb, cost_unit, &ch);
	if (e == HS_EINVAL) {
		cohorts_render(rp, r, s, 400, &f, 1);
		return;
	}
	if (e != HS_OK && !(e == HS_EDUP && ch.replay)) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The database is not "
			    "available; try again shortly.");
		return;
	}
	if (!ch.replay)
		hs_log(HS_LOG_INFO, "cohorts: cost of %s set by user %lld",
		    ch.object, s->user_id);
	(void)snprintf(to, sizeof(to), "/admin/cohorts?period=%s&cost=saved"
	    "#economics", hs_kv_get(r->form, r->formsz, "period", &once) ==
	    HS_OK && once != NULL && strcmp(once, "month") == 0 ? "month" :
	    "week");
	rpt_ignore(hs_http_redirect(r, 303, to));
}
