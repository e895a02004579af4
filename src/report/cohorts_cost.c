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

static const char *const cfnames[4] = { "campaign", "month", "rewards",
    "other" };

/* The campaign field's choices, the one typed selected, and its end. */
static enum hs_err
cost_campaigns(const struct hs_out *o, const struct cform *f)
{
	char		 slug[72], name[RPT_TEXT_MAX];
	char		 label[RPT_TEXT_MAX + sizeof(slug) + 4];
	struct hs_dbcol	 c[2] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(name) };
	enum hs_err	 e;
	int		 have;

	if ((e = hs_html_raw(o, "><option value=\"\">Choose a campaign"
	    "</option>")) != HS_OK ||
	    (e = hs_db_query(co_db, CS_CAMPS, NULL, 0, c, 2)) != HS_OK)
		return e;
	while ((e = hs_db_fetch(co_db, CS_CAMPS, &have)) == HS_OK && have) {
		(void)snprintf(label, sizeof(label), "%s (%s)", name, slug);
		if ((e = hs_html_elem(o, "option", label, "value", slug,
		    "selected", strcmp(slug, f->v[0]) == 0 ? hs_html_bare :
		    NULL, NULL)) != HS_OK)
			break;
	}
	hs_db_end(co_db, CS_CAMPS);
	if (e != HS_OK)
		return e;
	return hs_html_raw(o, "</select>");
}

/* The cost form: an admin of every campaign enters a month's costs. */
enum hs_err
co_cost_form(const struct hs_out *o, const struct cview *v)
{
	static const char *const labels[4] = { "Campaign (required)",
	    "Month, YYYY-MM (required)", "Rewards", "Other costs" };
	const struct cform *f = v->form;
	char		 nonce[CO_NONCE_HEX + 1];
	enum hs_err	 e;
	size_t		 i;

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
			if ((e = cost_campaigns(o, f)) != HS_OK)
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
		co_render(rp, r, s, 400, &f, 1);
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
	    "#economics", hs_kv_get(r->form, r->formsz, "period", &once) ==
	    HS_OK && once != NULL && strcmp(once, "month") == 0 ? "month" :
	    "week");
	rpt_ignore(hs_http_redirect(r, 303, to));
}
