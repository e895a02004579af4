/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * overview_html.c: the overview page: the filter form, the quick
 * ranges, the key figures beside the period before, and the sections,
 * each its tables (under a chart where one helps) and their downloads.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "overview.h"

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

/* Table which of the overview and its downloads. */
static enum hs_err
put_table(const struct hs_out *o, const struct overview *ov,
    enum otable which)
{
	enum hs_err	 e;

	if ((e = rt_html(o, &ov->t[which])) != HS_OK)
		return e;
	return downloads(o, &ov->rg, otnames[which]);
}

/*
 * The end of a section of a chart over the days (ch: its id, title and
 * description set), drawn by draw from ns series: the chart, its table
 * and the table's downloads.
 */
static enum hs_err
days_chart(const struct hs_out *o, const struct overview *ov,
    enum otable which, struct svg_chart *ch,
    enum hs_err (*draw)(const struct hs_out *, const struct svg_chart *),
    const struct svg_series *ser, size_t ns)
{
	enum hs_err	 e;

	ch->x = ov->x;
	ch->n = ov->rg.ndays;
	ch->s = ser;
	ch->ns = ns;
	if ((e = chart(o, ov->signups > 0, draw, ch)) != HS_OK ||
	    (e = put_table(o, ov, which)) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* The referral share per day: its line chart and table. */
static enum hs_err
share_section(const struct hs_out *o, const struct overview *ov)
{
	static const char *const names[3] = { "tracked", "reported",
	    "either" };
	const struct range *rg = &ov->rg;
	struct svg_series ser[3];
	struct svg_chart ch;
	char		 desc[512];
	enum hs_err	 e;
	size_t		 i;

	if ((e = section(o, "share", "Referral share of new users", "Share "
	    "of signups whose tracked link, whose answer, or either, names "
	    "a referral channel (referral, community, event).")) !=
	    HS_OK)
		return e;
	for (i = 0; i < 3; i++) {
		ser[i].name = names[i];
		ser[i].v = ov->ref[i];
	}
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
	ch.percent = 1;
	return days_chart(o, ov, OT_SHARE, &ch, svg_line, ser, 3);
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
	return days_chart(o, ov, OT_CLASSES, &ch, svg_stacked, ser, NCLASSES);
}

/* The channel matrix: heatmap, agreement and the matrix's table. */
static enum hs_err
matrix_section(const struct hs_out *o, const struct overview *ov)
{
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
	if ((e = put_table(o, ov, OT_AGREEMENT)) != HS_OK ||
	    (e = put_table(o, ov, OT_MATRIX)) != HS_OK)
		return e;
	return hs_html_raw(o, "</section>\n");
}

/* The sections of tables only, with their tables (OT__MAX: no more). */
static const struct {
	const char	*id, *title, *about;
	enum otable	 t[3];
} tsections[] = {
	{ "advocates", "Top advocates", "Tracked credit: signups through the "
	    "advocate's links; implicit credit: signups who named the "
	    "advocate without a tracked link. Flagged rows stay out of "
	    "rewards until reviewed.", { OT_ADVOCATES, OT__MAX, OT__MAX } },
	{ "events", "Events", "QR scans by people (not bots) of the event's "
	    "codes in the range, and the signups credited to the event.",
	    { OT_EVENTS, OT__MAX, OT__MAX } },
	{ "survey", "Survey", "hearsay does not count how often the question "
	    "was shown, so the funnel starts at reconciled signups and "
	    "compares answers with them. Position: where the first chosen "
	    "option stood in the order that person saw (0: not in it, e.g. an "
	    "API answer); a flat share means no position bias. Decoy: an "
	    "option for a channel that never ran, a measure of noise.",
	    { OT_FUNNEL, OT_POSITIONS, OT_DECOY } },
};

/* Advocates, events and the survey: tables only. */
static enum hs_err
table_sections(const struct hs_out *o, const struct overview *ov)
{
	enum hs_err	 e;
	size_t		 i, j;

	for (i = 0; i < sizeof(tsections) / sizeof(tsections[0]); i++) {
		if ((e = section(o, tsections[i].id, tsections[i].title,
		    tsections[i].about)) != HS_OK)
			return e;
		for (j = 0; j < 3 && tsections[i].t[j] != OT__MAX; j++)
			if ((e = put_table(o, ov, tsections[i].t[j])) != HS_OK)
				return e;
		if ((e = hs_html_raw(o, "</section>\n")) != HS_OK)
			return e;
	}
	return HS_OK;
}

/* The overview's main part: filters, key figures, sections. */
enum hs_err
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
