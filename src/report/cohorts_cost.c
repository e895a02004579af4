/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cohorts_cost.c: the program's costs on the cohorts page (issue 20):
 * the form an admin of every campaign enters a month's costs with, and
 * its POST /admin/cohorts/cost, on a read-write handle of its own.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"
#include "cohorts.h"

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

static struct hs_db	*cwdb;	/* the cost form's, read-write */

/*
 * The cost form's fields: the four a person types (cost_read checks
 * each against its own rule, to show the reason beside it), the nonce,
 * and the period of the page to go back to.
 */
enum { CF_CAMPAIGN, CF_MONTH, CF_REWARDS, CF_OTHER, CF_ONCE, CF_PERIOD,
    CF__MAX };
static const struct hs_field cost_fields[CF__MAX] = {
	/* CF_CAMPAIGN */
	{ .name = "campaign", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Campaign" },
	/* CF_MONTH */
	{ .name = "month", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Month" },
	/* CF_REWARDS */
	{ .name = "rewards", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Rewards" },
	/* CF_OTHER */
	{ .name = "other", .kind = HS_FIELD_TEXT, .max = HS_MAX_FIELD,
	    .label = "Other costs" },
	/* CF_ONCE */
	RPT_ONCE_FIELD,
	/* CF_PERIOD */
	{ .name = "period", .kind = HS_FIELD_ENUM, .flags = HS_FIELD_LAX,
	    .list = co_periods },
};
#define NTYPED	4	/* cost_fields[] typed by a person: the first */

/* The campaign field's choices, the one typed selected. */
static void
cost_campaigns(struct hw *w, const struct cform *f)
{
	char		 slug[72], name[RPT_TEXT_MAX];
	char		 label[RPT_TEXT_MAX + sizeof(slug) + 4];
	struct hs_dbcol	 c[2] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(name) };
	enum hs_err	 e = HS_OK;
	int		 have;

	hw_raw(w, "<option value=\"\">Choose a campaign</option>");
	if (w->e != HS_OK ||
	    (w->e = hs_db_query(co_db, CS_CAMPS, NULL, 0, c, 2)) != HS_OK)
		return;
	while (w->e == HS_OK &&
	    (e = hs_db_fetch(co_db, CS_CAMPS, &have)) == HS_OK && have) {
		(void)snprintf(label, sizeof(label), "%s (%s)", name, slug);
		hw_elem(w, "option", label, "value", slug, "selected",
		    strcmp(slug, f->v[0]) == 0 ? hs_html_bare : NULL,
		    (char *)NULL);
	}
	hs_db_end(co_db, CS_CAMPS);
	if (w->e == HS_OK)
		w->e = e;
}

/* Typed field i of the cost form: its label, control and hint. */
static void
cost_field(struct hw *w, const struct cform *f, size_t i)
{
	static const char *const labels[NTYPED] = { "Campaign (required)",
	    "Month, YYYY-MM (required)", "Rewards", "Other costs" };
	/* The campaign's, the month's, and the amounts'. */
	static const char *const hints[CF_REWARDS + 1] = { "the campaign the "
	    "costs belong to", "the month the costs fell in", "an amount of "
	    "0 or more, like 250 or 49.50; empty keeps what is stored (0 "
	    "when nothing is)" };
	const char	*n = cost_fields[i].name;
	const char	*inv = f->bad == (int)i ? "true" : NULL;
	char		 id[32], hint[40];

	(void)snprintf(id, sizeof(id), "cost-%s", n);
	(void)snprintf(hint, sizeof(hint), "cost-%s-hint", n);
	hw_raw(w, "<p>");
	hw_elem(w, "label", labels[i], "for", id, (char *)NULL);
	if (i == CF_CAMPAIGN) {
		hw_open(w, "select", "id", id, "name", n, "required",
		    hs_html_bare, "aria-invalid", inv, "aria-describedby",
		    hint, (char *)NULL);
		cost_campaigns(w, f);
		hw_close(w, "select");
	} else
		hw_void(w, "input", "type", "text", "id", id, "name", n,
		    "maxlength", RPT_STR(CO_FIELD_MAX), "autocomplete", "off",
		    "inputmode", i == CF_MONTH ? "numeric" : "decimal",
		    "required", i == CF_MONTH ? hs_html_bare : NULL,
		    "aria-invalid", inv, "aria-describedby", hint,
		    "value", f->v[i], (char *)NULL);
	hw_open(w, "span", "class", inv != NULL ? "hint error" : "hint", "id",
	    hint, (char *)NULL);
	if (inv != NULL) {
		hw_text(w, f->why);
		hw_text(w, " \xe2\x80\x94 ");
	}
	hw_text(w, hints[i < CF_REWARDS ? i : CF_REWARDS]);
	hw_raw(w, "</span></p>");
}

/* The cost form: an admin of every campaign enters a month's costs. */
enum hs_err
co_cost_form(const struct hs_out *o, const struct cview *v)
{
	const struct cform *f = v->form;
	char		 nonce[RPT_NONCE_HEX + 1];
	struct hw	 w;
	size_t		 i;

	hw_init(&w, o);
	hs_rand_hex(nonce, sizeof(nonce));
	hw_raw(&w, "<h3 id=\"h-cost\">Enter a month's costs</h3>\n<form "
	    "method=\"post\" action=\"/admin/cohorts/cost\" class=\"manage\" "
	    "id=\"form-cost\" novalidate aria-labelledby=\"h-cost\">");
	hw_csrf(&w, v->s);
	hw_hidden(&w, "once", nonce);
	hw_hidden(&w, "period", v->period);
	if (f->why != NULL)
		hw_raw(&w, "<p class=\"error\" role=\"alert\">Not saved: see "
		    "the field marked below.</p>");
	for (i = 0; i < NTYPED; i++)
		cost_field(&w, f, i);
	hw_raw(&w, "<p><button type=\"submit\">Save the costs</button></p>"
	    "</form>\n");
	return w.e;
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
cost_read(const struct hs_fval *fv, struct cform *f, char month[16])
{
	size_t		 i;
	int		 y, m;

	for (i = 0; i < NTYPED; i++) {
		if (fv[i].len > CO_FIELD_MAX) {
			f->bad = (int)i;
			f->why = "Too long.";
			continue;
		}
		(void)snprintf(f->v[i], sizeof(f->v[i]), "%s",
		    fv[i].set ? fv[i].s : "");
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
	struct hs_fval	 v[CF__MAX];
	struct hs_fbad	 bad;
	char		 to[96];
	enum hs_err	 e;

	if (!s->admin || s->campaign != 0) {
		(void)hs_http_error(r, 403, "Only an admin of every campaign "
		    "enters the program's costs.");
		return;
	}
	if (hs_field_parse(r->form, r->formsz, cost_fields, CF__MAX, 0, v,
	    &bad) != HS_OK) {
		/* The nonce is hidden: a bad one is a page to reload. */
		if (bad.row == CF_ONCE)
			(void)hs_http_error(r, 400, "The form could not be "
			    "read; reload the page and try again.");
		else
			(void)hs_field_error(r, cost_fields, CF__MAX, &bad);
		return;
	}
	memset(&f, 0, sizeof(f));
	memset(&ch, 0, sizeof(ch));
	f.bad = -1;
	if (!cost_read(v, &f, ch.month)) {
		co_render(rp, r, s, 400, &f, 1);
		return;
	}
	ch.f = &f;
	ch.s = s;
	ch.nonce = v[CF_ONCE].s;
	(void)snprintf(ch.object, sizeof(ch.object), "%s %.7s", f.v[0],
	    ch.month);
	if (cwdb == NULL && (e = hs_db_open(&cwdb, &rp->conf, 0, wstmts,
	    CW__MAX)) != HS_OK && e != HS_EAGAIN)
		e = HS_EAGAIN;
	else
		e = hs_db_unit(cwdb, cost_unit, &ch);
	if (e == HS_EINVAL) {
		co_render(rp, r, s, 400, &f, 1);
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
	    "#economics", co_periods[v[CF_PERIOD].i]);
	rpt_ignore(hs_http_redirect(r, 303, to));
}
