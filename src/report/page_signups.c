/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_signups.c: the signups behind a number (issue 16).  The overview
 * counts from aggregates; here the attributions themselves, of the same
 * range and campaign, narrowed by what the number counted: a class, a
 * credited channel, advocate (by handle) or event (by slug), a day, a
 * cell of the channel matrix (tracked and reported channel), or one of
 * the key figures' counts (only=: referrals by link, by answer, by
 * either, signups with both sides).
 * One card per signup, 50 a page, and the whole selection as CSV or
 * JSON (advocates by handle, never by id) with its review state and
 * reward eligibility.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

#define SIGNUPS_PAGE	50	/* signups on one page */
#define SIGNUPS_EXPORT	10000	/* rows of one CSV or JSON download */
#define SIGNUPS_PAGES	100000	/* highest page number accepted */
#define FILTER_MAX	64	/* bytes of a filter value */

static const struct rtcol su_cols[] = {
	{ "signup_ref", "Signup", 0 },
	{ "day", "Day", 0 },
	{ "class", "Class", 0 },
	{ "channel", "Credited channel", 0 },
	{ "tracked_link", "Tracked link", 0 },
	{ "advocate", "Credited advocate", 0 },
	{ "event", "Event", 0 },
	{ "reported_option", "Option chosen", 0 },
	{ "reported_text", "Text typed", 0 },
	{ "matched_advocate", "Advocate the answer names", 0 },
	{ "rule", "Matched by", 0 },
	{ "confidence", "Confidence", 1 },
	{ "risk_flags", "Flags", 0 },
	{ "review", "Review", 0 },
	{ "reward_eligible", "Reward-eligible", 0 },
};

/* The narrowing filters, by query name; each bound, never spliced. */
enum sfilter { SF_CLASS, SF_CHANNEL, SF_ADVOCATE, SF_EVENT, SF_TRACKED,
    SF_REPORTED, SF_ONLY, SF__MAX };
static const char *const sfnames[SF__MAX] = {
	"class", "channel", "advocate", "event", "tracked", "reported",
	"only",
};
static const char *const sflabels[SF__MAX] = {
	"class", "credited channel", "advocate", "event", "tracked channel",
	"reported channel", "counting",
};

/* only=: the counts of the key figures, and how the page names them. */
static const char *const onlys[][2] = {
	{ "tracked_referral", "referrals by tracked link" },
	{ "reported_referral", "referrals by answer" },
	{ "either_referral", "referrals by link, answer or both" },
	{ "both_sides", "signups with both a tracked link and an answer" },
};
#define NONLYS		(sizeof(onlys) / sizeof(onlys[0]))

struct signups {
	struct report	*rp;
	const struct sess *s;
	struct range	 rg;
	const char	*f[SF__MAX];	/* "" when not narrowed */
	int		 oneday;	/* day= given: from = to */
	long long	 page, total;
	struct rtable	 t;
};

/* Reads the filters and the page on top of the range; 0 or 400. */
static int
parse_filters(const struct hs_req *r, struct signups *su, const char **msg)
{
	const char	*v;
	long		 d;
	size_t		 i;
	int		 h;

	for (i = 0; i < SF__MAX; i++) {
		su->f[i] = "";
		if ((h = qget(r, sfnames[i], &v)) < 0)
			return 400;
		if (h && strlen(v) > FILTER_MAX) {
			*msg = "A filter is too long.";
			return 400;
		}
		if (h)
			su->f[i] = v;
	}
	if (su->f[SF_CLASS][0] != '\0') {
		for (i = 0; i < NCLASSES; i++)
			if (strcmp(su->f[SF_CLASS], hs_classes[i]) == 0)
				break;
		if (i == NCLASSES) {
			*msg = "Unknown class.";
			return 400;
		}
	}
	if (su->f[SF_ONLY][0] != '\0') {
		for (i = 0; i < NONLYS; i++)
			if (strcmp(su->f[SF_ONLY], onlys[i][0]) == 0)
				break;
		if (i == NONLYS) {
			*msg = "Unknown count (only=).";
			return 400;
		}
	}
	if ((h = qget(r, "day", &v)) < 0)
		return 400;
	if (h && *v != '\0') {
		if (!parse_day(v, &d)) {
			*msg = "The day must be written YYYY-MM-DD.";
			return 400;
		}
		su->rg.day0 = d;
		su->rg.ndays = 1;
		fmt_day(d, su->rg.from);
		fmt_day(d, su->rg.to);
		fmt_day(d + 1, su->rg.next);
		su->oneday = 1;
	}
	su->page = 1;
	if ((h = qget(r, "page", &v)) < 0)
		return 400;
	if (h && *v != '\0') {
		if (strlen(v) > 6 || strspn(v, "0123456789") != strlen(v) ||
		    (su->page = strtoll(v, NULL, 10)) < 1 ||
		    su->page > SIGNUPS_PAGES) {
			*msg = "Unknown page.";
			return 400;
		}
	}
	return 0;
}

/* Loads the count and one page (or the export) into su->t. */
static enum hs_err
load(struct signups *su, int export)
{
	char		 ref[129], day[11], cls[16], chan[40], link[64],
			 adv[RPT_TEXT_MAX], ev[RPT_TEXT_MAX], opt[1001],
			 text[2001], radv[RPT_TEXT_MAX], rule[65], conf[16],
			 risk[RISKS_MAX], dec[8];
	long long	 lim = export ? SIGNUPS_EXPORT : SIGNUPS_PAGE;
	long long	 off = export ? 0 : (su->page - 1) * SIGNUPS_PAGE;
	const char	*only = su->f[SF_ONLY];
	struct hs_dbparam p[23] = {
		HS_DBP_TEXT(su->rg.from), HS_DBP_TEXT(su->rg.to),
		HS_DBP_INT(su->rg.campaign), HS_DBP_INT(su->rg.campaign),
		HS_DBP_TEXT(su->f[0]), HS_DBP_TEXT(su->f[0]),
		HS_DBP_TEXT(su->f[1]), HS_DBP_TEXT(su->f[1]),
		HS_DBP_TEXT(su->f[2]), HS_DBP_TEXT(su->f[2]),
		HS_DBP_TEXT(su->f[3]), HS_DBP_TEXT(su->f[3]),
		HS_DBP_TEXT(su->f[SF_TRACKED]), HS_DBP_TEXT(su->f[SF_TRACKED]),
		HS_DBP_TEXT(su->f[SF_REPORTED]),
		HS_DBP_TEXT(su->f[SF_REPORTED]), HS_DBP_TEXT(only),
		HS_DBP_TEXT(only), HS_DBP_TEXT(only), HS_DBP_TEXT(only),
		HS_DBP_TEXT(only), HS_DBP_INT(lim), HS_DBP_INT(off),
	};
	struct hs_dbcol	 c[15] = {
		HS_DBC_TEXT(ref), HS_DBC_TEXT(day), HS_DBC_TEXT(cls),
		HS_DBC_TEXT(chan), HS_DBC_TEXT(link), HS_DBC_TEXT(adv),
		HS_DBC_TEXT(ev), HS_DBC_TEXT(opt), HS_DBC_TEXT(text),
		HS_DBC_TEXT(radv), HS_DBC_TEXT(rule), HS_DBC_TEXT(conf),
		HS_DBC_TEXT(risk), HS_DBC_TEXT(dec), HS_DBC_INT,
	};
	struct hs_dbcol	 n = HS_DBC_INT;
	enum hs_err	 e;
	int		 have;

	rt_init(&su->t, "signups", "Signups", su_cols, NCOLS(su_cols),
	    (size_t)lim);
	if ((e = hs_db_row(su->rp->ro, STMT_SIGNUPS_COUNT, p, 21, &n, 1,
	    &have)) != HS_OK)
		return e;
	su->total = have ? n.i : 0;
	if ((e = hs_db_query(su->rp->ro, STMT_SIGNUPS, p, 23, c, 15)) !=
	    HS_OK)
		return e;
	while ((e = hs_db_fetch(su->rp->ro, STMT_SIGNUPS, &have)) == HS_OK &&
	    have) {
		const char *rv = risk[0] == '\0' ? "not flagged" :
		    strcmp(dec, "accept") == 0 ? "accepted" :
		    strcmp(dec, "reject") == 0 ? "rejected" : "open";

		if ((e = rt_put(&su->t, ref)) != HS_OK ||
		    (e = rt_put(&su->t, day)) != HS_OK ||
		    (e = rt_put(&su->t, cls)) != HS_OK ||
		    (e = rt_put(&su->t, chan)) != HS_OK ||
		    (e = rt_put(&su->t, link)) != HS_OK ||
		    (e = rt_put(&su->t, adv)) != HS_OK ||
		    (e = rt_put(&su->t, ev)) != HS_OK ||
		    (e = rt_put(&su->t, opt)) != HS_OK ||
		    (e = rt_put(&su->t, text)) != HS_OK ||
		    (e = rt_put(&su->t, radv)) != HS_OK ||
		    (e = rt_put(&su->t, rule)) != HS_OK ||
		    (e = rt_put(&su->t, conf)) != HS_OK ||
		    (e = rt_put(&su->t, risk)) != HS_OK ||
		    (e = rt_put(&su->t, rv)) != HS_OK ||
		    (e = rt_put(&su->t, c[14].i ? "yes" : "no")) != HS_OK)
			break;
	}
	hs_db_end(su->rp->ro, STMT_SIGNUPS);
	return e;
}

/* The query of this selection, with extra appended, into b. */
static void
self_query(char *b, size_t sz, const struct signups *su, const char *extra)
{
	size_t	 n, i;

	n = (size_t)snprintf(b, sz, "/admin/signups?from=%s&to=%s",
	    su->rg.from, su->rg.to);
	if (su->rg.campaign != 0 && n < sz)
		n += (size_t)snprintf(b + n, sz - n, "&campaign=%lld",
		    su->rg.campaign);
	for (i = 0; i < SF__MAX && n < sz; i++) {
		const unsigned char *p;

		if (su->f[i][0] == '\0')
			continue;
		n += (size_t)snprintf(b + n, sz - n, "&%s=", sfnames[i]);
		for (p = (const unsigned char *)su->f[i]; *p != '\0' &&
		    n + 4 < sz; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("-_.", *p) != NULL)
				b[n++] = (char)*p;
			else
				n += (size_t)snprintf(b + n, sz - n, "%%%02X",
				    *p);
		if (n < sz)
			b[n] = '\0';
	}
	if (n < sz)
		(void)snprintf(b + n, sz - n, "%s", extra);
}

/* How the page names a filter's value: only='s in words, else as is. */
static const char *
only_label(const char *v)
{
	size_t	 i;

	for (i = 0; i < NONLYS; i++)
		if (strcmp(v, onlys[i][0]) == 0)
			return onlys[i][1];
	return v;
}

static enum hs_err
signups_body(const struct hs_out *o, void *arg)
{
	struct signups	*su = arg;
	const struct rtable *t = &su->t;
	struct hw	 w;
	char		 q[512], x[32];
	size_t		 i, j, n = rt_rows(t);
	long long	 last;

	hw_init(&w, o);
	hw_elem(&w, "h1", "Signups behind the number", (char *)NULL);
	hw_open(&w, "p", "class", "selection", (char *)NULL);
	hw_textf(&w, "%lld signup%s from %s to %s", su->total,
	    su->total == 1 ? "" : "s", su->rg.from, su->rg.to);
	if (su->rg.campaign != 0)
		hw_textf(&w, ", campaign %lld", su->rg.campaign);
	for (i = 0; i < SF__MAX; i++)
		if (su->f[i][0] != '\0') {
			hw_textf(&w, ", %s ", sflabels[i]);
			hw_elem(&w, "strong", i == SF_ONLY ?
			    only_label(su->f[i]) : su->f[i], (char *)NULL);
		}
	hw_text(&w, ".");
	hw_close(&w, "p");
	last = su->total ? (su->total + SIGNUPS_PAGE - 1) / SIGNUPS_PAGE : 1;
	if (n == 0)
		hw_elem(&w, "p", "No signups for this selection.", "class",
		    "empty", (char *)NULL);
	hw_open(&w, "ul", "class", "cards", (char *)NULL);
	for (i = 0; i < n; i++) {
		hw_open(&w, "li", "class", "card", "data-ref",
		    rt_cell(t, i, 0), (char *)NULL);
		hw_elem(&w, "h2", rt_cell(t, i, 0), (char *)NULL);
		hw_open(&w, "dl", (char *)NULL);
		for (j = 1; j < t->ncols; j++) {
			const char *v = rt_cell(t, i, j);

			if (v == NULL || v[0] == '\0')
				continue;
			hw_elem(&w, "dt", t->cols[j].label, (char *)NULL);
			hw_elem(&w, "dd", v, "class", t->cols[j].key,
			    (char *)NULL);
		}
		hw_close(&w, "dl");
		hw_close(&w, "li");
	}
	hw_close(&w, "ul");
	if (last > 1) {
		hw_open(&w, "nav", "aria-label", "Pages", "class", "pager",
		    (char *)NULL);
		hw_textf(&w, "Page %lld of %lld. ", su->page, last);
		if (su->page > 1) {
			(void)snprintf(x, sizeof(x), "&page=%lld",
			    su->page - 1);
			self_query(q, sizeof(q), su, x);
			hw_elem(&w, "a", "Previous", "href", q, (char *)NULL);
		}
		if (su->page < last) {
			(void)snprintf(x, sizeof(x), "&page=%lld",
			    su->page + 1);
			self_query(q, sizeof(q), su, x);
			hw_elem(&w, "a", "Next", "href", q, (char *)NULL);
		}
		hw_close(&w, "nav");
	}
	hw_open(&w, "p", "class", "downloads", (char *)NULL);
	hw_text(&w, "Download all of them: ");
	self_query(q, sizeof(q), su, "&format=csv");
	hw_elem(&w, "a", "CSV", "href", q, (char *)NULL);
	hw_text(&w, " \xc2\xb7 ");
	self_query(q, sizeof(q), su, "&format=json");
	hw_elem(&w, "a", "JSON", "href", q, (char *)NULL);
	hw_close(&w, "p");
	return w.e;
}

/* GET /admin/signups: the signups behind a count, or them as CSV/JSON. */
void
page_signups(struct report *rp, struct hs_req *r, const struct sess *s)
{
	static const char *const names[1] = { "signups" };
	struct signups	 su;
	const char	*msg = "The selection could not be read.";
	size_t		 which;
	int		 fmt, code;

	memset(&su, 0, sizeof(su));
	su.rp = rp;
	su.s = s;
	if ((fmt = parse_format(r, names, 1, &which)) < 0) {
		(void)hs_http_error(r, 400, "Unknown format or table.");
		return;
	}
	if ((code = parse_range(rp, r, s, &su.rg, &msg)) != 0) {
		if (code == 503)
			unavailable(r);
		else
			(void)hs_http_error(r, code, msg);
		return;
	}
	if (parse_filters(r, &su, &msg) != 0) {
		(void)hs_http_error(r, 400, msg);
		return;
	}
	if (load(&su, fmt > 0) != HS_OK)
		unavailable(r);
	else if (fmt > 0)
		download_range(r, &su.t, fmt == 2, &su.rg);
	else if (page_render(rp, r, 200, s, "Signups", signups_body, &su) !=
	    HS_OK)
		hs_log(HS_LOG_INFO, "signups: not sent in full");
	rt_free(&su.t);
}
