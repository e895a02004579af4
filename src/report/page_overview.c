/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * page_overview.c: the overview and its downloads (overview.h maps its
 * files).  Every number on the overview comes from the nightly tables
 * (daily_aggregates, channel_matrix, attributions) plus two counts over
 * the survey answers, so a page over a year of a million signups reads
 * aggregates, not signups.  Each section is one struct rtable: the page
 * draws the chart from it, writes it as the data table under the chart,
 * and ?table=NAME&format=csv|json downloads exactly those cells, which
 * are all that such a request loads.
 *
 * Scope: an analyst limited to a campaign sees that campaign only;
 * asking for another is 403, an unknown campaign 404.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "overview.h"

/* Frees what overview_load allocated, wherever it stopped. */
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
 * Fills ov for its range, the parts in need (NEED_*).  Returns HS_OK or
 * the first error.
 */
static enum hs_err
overview_load(struct report *rp, struct overview *ov, unsigned need)
{
	struct range	*rg = &ov->rg;
	enum hs_err	 e;
	size_t		 i, d;

	for (i = 0; i < OT__MAX; i++) {
		rt_init(&ov->t[i], otnames[i], otdefs[i].title, otdefs[i].cols,
		    otdefs[i].ncols, otdefs[i].max);
		ov->t[i].href = otdefs[i].href;
		ov->t[i].harg = ov;
	}
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
	if (((need & NEED_DAYS) && (e = ov_load_days(rp, ov)) != HS_OK) ||
	    (need == NEED_ALL && (e = ov_load_prev(rp, ov)) != HS_OK) ||
	    ((need & NEED_MATRIX) && (e = ov_load_matrix(rp, ov)) != HS_OK) ||
	    ((need & NEED_ADVOCATES) &&
	    (e = ov_load_advocates(rp, ov)) != HS_OK) ||
	    ((need & NEED_EVENTS) && (e = ov_load_events(rp, ov)) != HS_OK) ||
	    ((need & NEED_SURVEY) && (e = ov_load_survey(rp, ov)) != HS_OK))
		return e;
	return HS_OK;
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
