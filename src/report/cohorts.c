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
 * report's shared statement table is not touched.  This file renders;
 * cohorts_data.c reads the figures, cohorts_cost.c is the costs form.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "cohorts.h"

static const char *const arrivals[] = { "referral", "none", "tracked",
    "reported", "agree", NULL };
#define NARRIVALS	(sizeof(arrivals) / sizeof(arrivals[0]) - 1)
static const char *const tnames[NTABLES + 1] = { "curve", "triangle",
    "value", "kfactor", "economics", NULL };
const char *const co_periods[] = { "week", "month", NULL };

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
		co_wilson(k, n, &lo, &hi);
		if ((e = hs_out_printf(o, "%.1f,%.1f ", cx(i, v->nc),
		    cy(hi))) != HS_OK)
			return e;
	}
	for (i = v->nc; i-- > 0;) {
		k = ref ? v->c[i].rk : v->c[i].nk;
		n = ref ? v->c[i].rs : v->c[i].ns;
		co_wilson(k, n, &lo, &hi);
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
	if ((e = hs_out_printf(o, "<svg class=\"chart cohorts\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"co-t "
	    "co-d\"><title id=\"co-t\">"
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
	char		 kind[16], key[CO_FIELD_MAX + 1];
	char		 arg[CO_FIELD_MAX + 24], label[CO_FIELD_MAX + 24];
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
	if ((e = hs_db_query(co_db, CS_SPLITS, p, 1, c, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_SPLITS, &have)) == HS_OK && have) {
		(void)snprintf(arg, sizeof(arg), "%s:%s", kind, key);
		(void)snprintf(label, sizeof(label), "%s %s", kind, key);
		if ((e = hs_html_elem(o, "option", label, "value", arg,
		    "selected", strcmp(arg, v->split_arg) == 0 ?
		    hs_html_bare : NULL, NULL)) != HS_OK)
			break;
	}
	hs_db_end(co_db, CS_SPLITS);
	if (e != HS_OK)
		return e;
	return hs_html_raw(o, "</select> <button type=\"submit\">Compare"
	    "</button></form>\n");
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
		return co_cost_form(o, v);
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
 * scopes the view (co_scope); a table that pools every campaign
 * (curve, triangle, K-factor) is not downloaded.  which: the table
 * asked for, or NTABLES.  HS_OK, or not after answering r.
 */
static enum hs_err
cview_scope(struct report *rp, struct hs_req *r, struct cview *v,
    size_t which)
{
	enum hs_err	 e = HS_OK;

	if ((e = co_open(rp)) != HS_OK && e != HS_EAGAIN)
		goto unavailable;
	if (v->s->campaign == 0)
		return HS_OK;
	if ((e = co_scope(v)) == HS_ENOTFOUND ||
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
 * 1 if s is a split, KIND:KEY (campaign:SLUG, tier:TIER, event:SLUG),
 * or empty (none).
 */
static int
split_ok(const char *s, size_t len)
{
	const char	*colon = memchr(s, ':', len);
	size_t		 kl = colon != NULL ? (size_t)(colon - s) : 0;

	return len == 0 || (colon != NULL && colon[1] != '\0' &&
	    len - kl - 1 <= CO_FIELD_MAX &&
	    ((kl == 8 && strncmp(s, "campaign", 8) == 0) ||
	    (kl == 4 && strncmp(s, "tier", 4) == 0) ||
	    (kl == 5 && strncmp(s, "event", 5) == 0)));
}

/* The page's query; the message of each is its hint. */
enum { CQ_PERIOD, CQ_ARRIVAL, CQ_SPLIT, CQ_FORMAT, CQ_TABLE, CQ_COST,
    CQ__MAX };
static const char *const formats[] = { "html", "csv", "json", NULL };
static const char *const costs[] = { "saved", NULL };
static const struct hs_field query_fields[CQ__MAX] = {
	/* CQ_PERIOD */
	{ .name = "period", .kind = HS_FIELD_ENUM, .list = co_periods,
	    .hint = "period: week or month." },
	/* CQ_ARRIVAL */
	{ .name = "arrival", .kind = HS_FIELD_ENUM, .list = arrivals,
	    .hint = "arrival: referral, none, tracked, reported or agree." },
	/* CQ_SPLIT */
	{ .name = "split", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .valid = split_ok,
	    .hint = "split: campaign:SLUG, tier:TIER or event:SLUG." },
	/* CQ_FORMAT */
	{ .name = "format", .kind = HS_FIELD_ENUM, .list = formats,
	    .hint = "Unknown format or table." },
	/* CQ_TABLE: read with a download only (then a bad one is a 400) */
	{ .name = "table", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = tnames },
	/* CQ_COST: saved, after the cost form */
	{ .name = "cost", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = costs },
};

/* The posted cost form's period: the page to go back to. */
static const struct hs_field post_period[1] = {
	{ .name = "period", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = co_periods },
};

/*
 * The view from the query: period, arrival, the notice of a saved cost,
 * the split (whose referred signups the value table compares) and, with
 * format=csv|json&table=NAME, a download, fmt 1 (CSV) or 2 (JSON) of
 * table which (left 0 and NTABLES for the page).  From a posted cost
 * form, its period only.  1, or 0 after a 400.
 */
static int
view_args(struct hs_req *r, struct cview *v, int post, int *fmt,
    size_t *which)
{
	struct hs_fval	 q[CQ__MAX];
	struct hs_fbad	 bad;
	const char	*t;

	if (post) {
		/* The row is lax: the parse cannot fail. */
		rpt_ignore(hs_field_parse(r->form, r->formsz, post_period, 1,
		    0, q, &bad));
		v->period = co_periods[q[0].i];
		return 1;
	}
	if (hs_field_parse(r->qv, r->qvsz, query_fields, CQ__MAX, 0, q,
	    &bad) != HS_OK) {
		(void)hs_field_error(r, query_fields, CQ__MAX, &bad);
		return 0;
	}
	if (q[CQ_COST].set)
		v->notice = "The costs were saved; the figures below use them.";
	v->period = co_periods[q[CQ_PERIOD].i];
	v->arrival = arrivals[q[CQ_ARRIVAL].i];
	if (q[CQ_SPLIT].set && q[CQ_SPLIT].len > 0) {
		/* split_ok let campaign, tier and event only through. */
		t = q[CQ_SPLIT].s;
		v->split = t[0] == 'c' ? "campaign" : t[0] == 't' ? "tier" :
		    "event";
		(void)snprintf(v->split_key, sizeof(v->split_key), "%s",
		    strchr(t, ':') + 1);
		(void)snprintf(v->split_arg, sizeof(v->split_arg), "%s:%s",
		    v->split, v->split_key);
	}
	if (!q[CQ_FORMAT].set || q[CQ_FORMAT].i == 0)
		return 1;
	v->download = 1;
	*fmt = (int)q[CQ_FORMAT].i;
	if (!q[CQ_TABLE].set) {
		(void)hs_http_error(r, 400, "Unknown format or table.");
		return 0;
	}
	*which = (size_t)q[CQ_TABLE].i;
	return 1;
}

/* Sends the loaded view: table which as fmt (1 CSV, 2 JSON), or the page. */
static void
cview_send(struct hs_req *r, int code, struct cview *v, int fmt,
    size_t which)
{
	char		 cd[96];

	if (fmt == 0) {
		if (page_render(v->rp, r, code, v->s, "Cohorts", cbody, v) !=
		    HS_OK)
			hs_log(HS_LOG_INFO, "cohorts: not sent in full");
		return;
	}
	(void)snprintf(cd, sizeof(cd), "attachment; filename=\"hearsay-%s.%s\"",
	    v->t[which].name, fmt == 2 ? "json" : "csv");
	if (hs_http_header(r, "Content-Disposition", cd) == HS_OK &&
	    hs_http_open(r, 200, fmt == 2 ? "application/json" :
	    "text/csv") == HS_OK && r->method != HS_METHOD_HEAD &&
	    (fmt == 2 ? rt_json(&r->out, &v->t[which]) :
	    rt_csv(&r->out, &v->t[which])) != HS_OK)
		hs_log(HS_LOG_INFO, "cohorts: client went away");
}

/*
 * The page (code 200, or 400 for a refused cost form) or, with
 * format=, a table's download.  post: the cost form's POST, whose
 * period comes from the form.
 */
void
co_render(struct report *rp, struct hs_req *r, const struct sess *s,
    int code, struct cform *form, int post)
{
	static struct cview v;
	static struct cform blank;
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
	v.split = "all";
	if (!view_args(r, &v, post, &fmt, &which) ||
	    cview_scope(rp, r, &v, which) != HS_OK)
		return;
	if (hs_db_unit(co_db, co_load, &v) != HS_OK) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The report database is "
			    "not available; try again shortly.");
	} else
		cview_send(r, code, &v, fmt, which);
	for (i = 0; i < NTABLES; i++)
		rt_free(&v.t[i]);
}

/* GET /admin/cohorts[?period=week|month][&arrival=...][&table=&format=] */
void
page_cohorts(struct report *rp, struct hs_req *r, const struct sess *s)
{

	co_render(rp, r, s, 200, NULL, 0);
}
