/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * overview_tables.c: the overview's tables, each one struct rtable that
 * the page draws its chart from, writes as the data table under the
 * chart, and ?table=NAME&format=csv|json downloads: their names,
 * columns and titles, and the links of their cells to the signups they
 * count (page_signups.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "overview.h"

const char *const otnames[OT__MAX] = {
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

/* The start of a link to the signups of rg's range and campaign. */
size_t
su_base(char *b, size_t sz, const struct range *rg, const char *from,
    const char *to)
{
	int	 n;

	if (rg->campaign)
		n = snprintf(b, sz, "/admin/signups?from=%s&to=%s"
		    "&campaign=%lld", from, to, rg->campaign);
	else
		n = snprintf(b, sz, "/admin/signups?from=%s&to=%s", from, to);
	return n < 0 ? sz : (size_t)n;
}

/*
 * The link of a cell of t (harg: the overview) into b: the signups of
 * day (NULL: of the whole range), with "&key=val" after unless key is
 * NULL.  Returns 1, a link.
 */
static int
su_link(const struct rtable *t, char *b, size_t sz, const char *day,
    const char *key, const char *val)
{
	const struct overview *ov = t->harg;
	size_t		 n;

	n = su_base(b, sz, &ov->rg, day != NULL ? day : ov->rg.from,
	    day != NULL ? day : ov->rg.to);
	if (key != NULL && n < sz)
		(void)snprintf(b + n, sz - n, "&%s=%s", key, val);
	return 1;
}

/* Classes per day: the day and its count to that day's signups, a
 * class's count to that class on that day; zero leads nowhere. */
static int
class_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{

	if (c > 0 && strcmp(rt_cell(t, r, c), "0") == 0)
		return 0;
	return su_link(t, b, sz, rt_cell(t, r, 0), c >= 2 ? "class" : NULL,
	    t->cols[c].key);
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

	if (c > 4 || (c > 0 && strcmp(rt_cell(t, r, c), "0") == 0))
		return 0;
	return su_link(t, b, sz, rt_cell(t, r, 0), c >= 2 ? "only" : NULL,
	    c >= 2 ? only[c - 2] : NULL);
}

/* The channel matrix: a tracked channel to its signups, a reported one
 * to its, a cell's count to the signups with both. */
static int
matrix_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const char	*tc = rt_cell(t, r, 0), *rc = rt_cell(t, r, 1);
	size_t		 n;

	if (!plain(tc) || !plain(rc))
		return 0;
	if (c == 1)
		return su_link(t, b, sz, NULL, "reported", rc);
	(void)su_link(t, b, sz, NULL, "tracked", tc);
	n = strlen(b);
	if (c >= 2 && n + 1 < sz)
		(void)snprintf(b + n, sz - n, "&reported=%s", rc);
	return 1;
}

/* Agreement: the signups with both sides it counts. */
static int
agree_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{

	(void)r;
	if (c != 0)
		return 0;
	return su_link(t, b, sz, NULL, "only", "both_sides");
}

/* The funnel's first step, the reconciled signups: all of them (the
 * other steps count answers, which are not all signups). */
static int
funnel_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{

	if (r != 0 || c != 1)
		return 0;
	return su_link(t, b, sz, NULL, NULL, NULL);
}

/* Advocates: the handle and the signups credited to their signups. */
static int
adv_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const char	*h = rt_cell(t, r, 0);

	if ((c != 0 && c != 2) || (h[0] != '\0' && !plain(h)))
		return 0;
	return su_link(t, b, sz, NULL, "advocate", h);
}

/* Events: the name and the signups credited to the event's signups
 * (the slugs are the overview's, beside the table). */
static int
event_href(const struct rtable *t, size_t r, size_t c, char *b, size_t sz)
{
	const struct overview *ov = t->harg;
	const char	*slug = ov->evslug[r];

	if ((c != 0 && c != 3) || r >= EVENTS_MAX || slug[0] == '\0' ||
	    (c == 3 && strcmp(rt_cell(t, r, c), "0") == 0) ||
	    strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
	    strlen(slug))
		return 0;
	return su_link(t, b, sz, NULL, "event", slug);
}

/* The tables by enum otable: what rt_init is given for each. */
const struct otdef otdefs[OT__MAX] = {
	/* OT_SHARE */
	{ "Referral share of new users per day", share_cols,
	    NCOLS(share_cols), RANGE_MAX, share_href },
	/* OT_CLASSES */
	{ "Signups per day by class", class_cols, NCOLS(class_cols),
	    RANGE_MAX, class_href },
	/* OT_MATRIX */
	{ "Tracked by reported channel", matrix_cols, NCOLS(matrix_cols),
	    MATRIX_MAX * MATRIX_MAX, matrix_href },
	/* OT_AGREEMENT */
	{ "Agreement of tracked and reported channel", agree_cols,
	    NCOLS(agree_cols), 1, agree_href },
	/* OT_ADVOCATES */
	{ "Top advocates", adv_cols, NCOLS(adv_cols), ADVOCATES_MAX,
	    adv_href },
	/* OT_EVENTS */
	{ "Events", event_cols, NCOLS(event_cols), EVENTS_MAX, event_href },
	/* OT_FUNNEL */
	{ "Survey funnel", funnel_cols, NCOLS(funnel_cols), 8, funnel_href },
	/* OT_POSITIONS */
	{ "Answers by the position the chosen option was shown at",
	    pos_cols, NCOLS(pos_cols), 32, NULL },
	/* OT_DECOY */
	{ "Decoy option", decoy_cols, NCOLS(decoy_cols), 1, NULL },
};
