/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cost.c: the program's costs (issue 20), per campaign and month, in
 * activity_currency (sql/151's program_costs):
 *
 *	cost set CAMPAIGN YYYY-MM [--rewards AMOUNT] [--other AMOUNT]
 *	cost list [CAMPAIGN]
 *
 * list prints each month's costs beside the referred signups credited
 * to the campaign that month (attributions: a tracked hearsay link, or
 * an answer naming an advocate or the referral channel), the cost per
 * referred signup, and the CAC payback in months: that cost over the
 * referred signups' value in their first 30 days (cohort_value, the
 * last reconciliation's cohorts; "-" before there is any).
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "admin.h"

#define COST_MAX	1e12	/* an amount beyond is a typo */

enum {
	C_PUT,
	C_LIST,
	C__MAX
};

static const char *const csql[C__MAX] = {
	/* C_PUT (slug, month, rewards, other; rewards, other): upsert. */
	"INSERT INTO program_costs (campaign_id, month, rewards, other) "
	    "SELECT id, ?, COALESCE(?, 0), COALESCE(?, 0) FROM campaigns "
	    "WHERE slug = ? ON DUPLICATE KEY UPDATE "
	    "rewards = COALESCE(?, rewards), other = COALESCE(?, other)",
	/*
	 * C_LIST (slug or ''x2): months, costs, referred signups, cost per
	 * referred signup, payback months.
	 */
	"SELECT c.slug, DATE_FORMAT(p.month, '%Y-%m'), "
	    "CAST(p.rewards AS CHAR), CAST(p.other AS CHAR), x.n, "
	    "IF(x.n > 0, CAST(ROUND((p.rewards + p.other) / x.n, 2) AS "
	    "CHAR), '-'), IF(x.n > 0 AND v.m > 0, CAST(ROUND((p.rewards + "
	    "p.other) / x.n / v.m, 1) AS CHAR), '-') "
	    "FROM program_costs p JOIN campaigns c ON c.id = p.campaign_id "
	    "CROSS JOIN (SELECT SUM(value) / NULLIF(SUM(size), 0) AS m FROM "
	    "cohort_value WHERE period = 'month' AND arrival = 'referral' "
	    "AND horizon = 30) v "
	    "JOIN (SELECT p2.campaign_id, p2.month, (SELECT COUNT(*) FROM "
	    "attributions a WHERE a.campaign_id = p2.campaign_id AND "
	    "a.day >= p2.month AND a.day < p2.month + INTERVAL 1 MONTH AND "
	    "(a.tracked_link_id IS NOT NULL OR a.reported_advocate_id IS "
	    "NOT NULL OR a.reported_channel = 'referral')) AS n FROM "
	    "program_costs p2) x ON x.campaign_id = p.campaign_id AND "
	    "x.month = p.month "
	    "WHERE ? = '' OR c.slug = ? ORDER BY c.slug, p.month",
};

/* An amount: a decimal number, 0 to COST_MAX.  0 or -1. */
static int
amount(const char *s)
{
	char	*ep;
	double	 d;

	d = strtod(s, &ep);
	return *s == '\0' || *ep != '\0' || !(d >= 0 && d <= COST_MAX) ? -1 :
	    0;
}

/* cost set CAMPAIGN YYYY-MM [--rewards AMOUNT] [--other AMOUNT] */
static int
cost_set(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[6];
	const char		*camp = args->pos[0], *mon = args->pos[1];
	const char		*rewards = adm_arg(args, "rewards");
	const char		*other = adm_arg(args, "other");
	char			 month[16];
	unsigned long long	 n = 0;
	int			 y, m, rc = ADM_FAIL;

	if ((rewards == NULL && other == NULL) ||
	    (rewards != NULL && amount(rewards) != 0) ||
	    (other != NULL && amount(other) != 0)) {
		warnx("cost set: --rewards and --other: amounts of 0 "
		    "or more, at least one (in %s)",
		    a->conf.activity_currency);
		return ADM_USAGE;
	}
	if (strlen(mon) != 7 || sscanf(mon, "%4d-%2d", &y, &m) != 2 ||
	    y < 2000 || y > 2100 || m < 1 || m > 12) {
		warnx("cost set: the month as YYYY-MM");
		return ADM_USAGE;
	}
	(void)snprintf(month, sizeof(month), "%04d-%02d-01", y, m);
	db = adm_open(a, csql, C__MAX);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(month);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(rewards);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(other);
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(camp);
	p[4] = p[1];
	p[5] = p[2];
	if (rewards == NULL)
		p[1] = p[4] = (struct hs_dbparam)HS_DBP_NULL;
	if (other == NULL)
		p[2] = p[5] = (struct hs_dbparam)HS_DBP_NULL;
	if (hs_db_exec(db, C_PUT, p, 6, &n) != HS_OK)
		warnx("cost set: not stored");
	else if (n == 0)
		warnx("cost set: no campaign %s", camp);
	else {
		printf("cost of %s in %.7s stored\n", camp, month);
		rc = ADM_OK;
	}
	hs_db_close(db);
	return rc;
}

/* cost list [CAMPAIGN] */
static int
cost_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[2];
	char			 slug[72], mon[16], rw[48], ot[48];
	char			 per[48], pay[48];
	struct hs_dbcol		 c[7] = { HS_DBC_TEXT(slug), HS_DBC_TEXT(mon),
				    HS_DBC_TEXT(rw), HS_DBC_TEXT(ot),
				    HS_DBC_INT, HS_DBC_TEXT(per),
				    HS_DBC_TEXT(pay) };
	const char		*camp = args->npos > 0 ? args->pos[0] : "";
	int			 have, rc = ADM_FAIL;

	db = adm_open(a, csql, C__MAX);
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(camp);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(camp);
	if (hs_db_query(db, C_LIST, p, 2, c, 7) != HS_OK)
		goto out;
	printf("%-20s %-7s %12s %12s %8s %12s %8s\n", "CAMPAIGN", "MONTH",
	    "REWARDS", "OTHER", "REFERRED", "PER_SIGNUP", "PAYBACK");
	while (hs_db_fetch(db, C_LIST, &have) == HS_OK && have)
		printf("%-20s %-7s %12s %12s %8lld %12s %8s\n", slug, mon, rw,
		    ot, c[4].i, per, pay);
	hs_db_end(db, C_LIST);
	printf("(in %s; payback in months: cost per referred signup over "
	    "their value in the first 30 days)\n", a->conf.activity_currency);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

static const struct adm_opt cost_opts[] = {
	{ "rewards", 0 }, { "other", 0 }, { NULL, 0 }
};

const struct adm_sub adm_cost_subs[] = {
	{ "set", cost_set, 2, 2, cost_opts, "set CAMPAIGN YYYY-MM "
	    "[--rewards AMOUNT] [--other AMOUNT]" },
	{ "list", cost_list, 0, 1, NULL, "list [CAMPAIGN]" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
