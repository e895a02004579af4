/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * summary.c: the metrics of a window of days as one JSON object
 * (hearsay-reconcile --summary), read from the tables the runs keep
 * (daily_aggregates, channel_matrix, daily_invites); and the analysts'
 * command-line decision (hearsay-reconcile map), which inserts the next
 * version of a mapping rule.  Definitions: hearsay-reconcile(8).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hearsay.h"
#include "reconcile.h"

#define SUM_CHANNELS	32	/* distinct channels in the matrix */

/* num / den as a JSON real, or null when den is 0 or the value NAN. */
static json_t *
ratio(double num, double den)
{

	if (den == 0.0 || isnan(num / den))
		return json_null();
	return json_real(num / den);
}

/* A JSON real or null for NAN. */
static json_t *
real(double v)
{

	return isnan(v) ? json_null() : json_real(v);
}

/* "YYYY-MM-DD..." minus one day (for an exclusive bound), into d[11]. */
static int
day_before(const char *s, char *d)
{
	struct tm	 tm;
	time_t		 t;
	int		 y, m, dd;

	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) != 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = dd;
	t = timegm(&tm) - 86400;
	rc_fmt_day((long long)t * 1000, d);
	return 0;
}

/* The index of ch in names[*n], adding it.  -1 when full. */
static int
chan_ix(char names[][RC_CHANNEL_MAX], size_t *n, const char *ch)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp(names[i], ch) == 0)
			return (int)i;
	if (*n == SUM_CHANNELS)
		return -1;
	(void)snprintf(names[*n], RC_CHANNEL_MAX, "%.32s", ch);
	return (int)(*n)++;
}

/* The sums of daily_aggregates over the days p names, into v[16].  0 or -1. */
static int
sum_agg(struct hs_db *db, const struct hs_dbparam *p, long long *v)
{
	struct hs_dbcol		 c[16];
	size_t			 i;
	int			 have;

	for (i = 0; i < 16; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].type = HS_DB_INT;
	}
	memset(v, 0, 16 * sizeof(*v));
	if (hs_db_query(db, STMT_SUM_AGG, p, 2, c, 16) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_SUM_AGG, &have) == HS_OK && have)
		for (i = 0; i < 16; i++)
			v[i] = c[i].i;
	hs_db_end(db, STMT_SUM_AGG);
	return 0;
}

/*
 * The agreement over the channel matrix of the days p names, into ag.
 * RC_EXIT_OK, RC_EXIT_UNAVAIL (the query) or RC_EXIT_FAIL (memory).
 */
static int
sum_matrix(struct hs_db *db, const struct hs_dbparam *p,
    struct hs_agreement *ag)
{
	struct hs_dbcol		 c[3];
	char			 tch[64], rch[64];
	char			 names[SUM_CHANNELS][RC_CHANNEL_MAX];
	long long		 cells[SUM_CHANNELS * SUM_CHANNELS][3];
	long long		*m;
	size_t			 i, k = 0, nc = 0;
	int			 have, ti, ri;

	c[0] = (struct hs_dbcol)HS_DBC_TEXT(tch);
	c[1] = (struct hs_dbcol)HS_DBC_TEXT(rch);
	c[2] = (struct hs_dbcol)HS_DBC_INT;
	if (hs_db_query(db, STMT_SUM_MATRIX, p, 2, c, 3) != HS_OK)
		return RC_EXIT_UNAVAIL;
	while (hs_db_fetch(db, STMT_SUM_MATRIX, &have) == HS_OK && have &&
	    nc < SUM_CHANNELS * SUM_CHANNELS) {
		if ((ti = chan_ix(names, &k, tch)) < 0 ||
		    (ri = chan_ix(names, &k, rch)) < 0)
			continue;
		cells[nc][0] = ti;
		cells[nc][1] = ri;
		cells[nc][2] = c[2].i;
		nc++;
	}
	hs_db_end(db, STMT_SUM_MATRIX);
	if ((m = hs_xcalloc(k * k + 1, sizeof(*m))) == NULL)
		return RC_EXIT_FAIL;
	for (i = 0; i < nc; i++)
		m[cells[i][0] * (long long)k + cells[i][1]] += cells[i][2];
	hs_agreement(m, k, ag);
	free(m);
	return RC_EXIT_OK;
}

/* The invites and inviting advocates of the days p names.  0 or -1. */
static int
sum_invites(struct hs_db *db, const struct hs_dbparam *p,
    long long *invites, long long *advs)
{
	struct hs_dbcol		 c[2];
	int			 have;

	memset(c, 0, sizeof(c));
	c[0].type = c[1].type = HS_DB_INT;
	*invites = *advs = 0;
	if (hs_db_query(db, STMT_SUM_INVITES, p, 2, c, 2) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_SUM_INVITES, &have) == HS_OK && have) {
		*invites = c[0].i;
		*advs = c[1].i;
	}
	hs_db_end(db, STMT_SUM_INVITES);
	return 0;
}

/* The k-factor object: invites, per advocate, conversion.  Or NULL. */
static json_t *
sum_kfactor(long long invites, long long advs, long long advsignups)
{
	json_t	*inv;
	double	 perAdv, conv;

	if ((inv = json_object()) == NULL)
		return NULL;
	perAdv = advs > 0 ? (double)invites / (double)advs : NAN;
	conv = invites > 0 ? (double)advsignups / (double)invites : NAN;
	(void)json_object_set_new(inv, "invites", json_integer(invites));
	(void)json_object_set_new(inv, "advocates", json_integer(advs));
	(void)json_object_set_new(inv, "advocate_signups",
	    json_integer(advsignups));
	(void)json_object_set_new(inv, "invites_per_advocate", real(perAdv));
	(void)json_object_set_new(inv, "invite_conversion", real(conv));
	(void)json_object_set_new(inv, "k_factor", real(perAdv * conv));
	return inv;
}

/*
 * The summary object of days d0 to d1: the sums v, the agreement ag,
 * the k-factor (inv, which it takes).  Or NULL (inv freed).
 */
static json_t *
sum_json(const char *d0, const char *d1, const long long *v,
    const struct hs_agreement *ag, json_t *inv)
{
	json_t		*o, *cl, *sh;
	double		 n = (double)v[0];
	size_t		 i;

	o = json_object();
	cl = json_object();
	sh = json_object();
	if (o == NULL || cl == NULL || sh == NULL || inv == NULL) {
		json_decref(o);
		json_decref(cl);
		json_decref(sh);
		json_decref(inv);
		return NULL;
	}
	(void)json_object_set_new(o, "from", json_string(d0));
	(void)json_object_set_new(o, "to", json_string(d1));
	(void)json_object_set_new(o, "signups", json_integer(v[0]));
	(void)json_object_set_new(o, "tracked", json_integer(v[1]));
	(void)json_object_set_new(o, "reported", json_integer(v[2]));
	(void)json_object_set_new(o, "both", json_integer(v[3]));
	for (i = 0; i < HS_CLASS__MAX; i++)
		(void)json_object_set_new(cl, hs_classes[i],
		    json_integer(v[4 + i]));
	(void)json_object_set_new(o, "classes", cl);
	(void)json_object_set_new(sh, "tracked", ratio((double)v[9], n));
	(void)json_object_set_new(sh, "reported", ratio((double)v[10], n));
	(void)json_object_set_new(sh, "union", ratio((double)v[11], n));
	(void)json_object_set_new(o, "referral_share", sh);
	(void)json_object_set_new(o, "agreement_rate",
	    ratio((double)v[4], (double)v[3]));
	(void)json_object_set_new(o, "channel_agreement", real(ag->po));
	(void)json_object_set_new(o, "kappa", real(ag->kappa));
	(void)json_object_set_new(o, "pabak", real(ag->pabak));
	(void)json_object_set_new(o, "matrix_channels", json_integer(
	    (json_int_t)ag->k));
	(void)json_object_set_new(o, "coverage_lift",
	    ratio((double)v[7], n));
	(void)json_object_set_new(o, "mappable_rate",
	    ratio((double)v[13], (double)v[12]));
	(void)json_object_set_new(o, "free_texts", json_integer(v[12]));
	(void)json_object_set_new(o, "flagged", json_integer(v[14]));
	(void)json_object_set_new(o, "k_factor", inv);
	return o;
}

/*
 * Print the metrics of days since <= day < until (either may be NULL)
 * as JSON on f.  Returns an exit status.
 */
int
rc_summary(struct hs_db *db, const char *since, const char *until, FILE *f)
{
	struct hs_dbparam	 p[2];
	char			 d0[11] = "1000-01-01", d1[11] = "9999-12-31";
	long long		 v[16], invites, advs;
	struct hs_agreement	 ag;
	json_t			*o;
	char			*s;
	int			 ex;

	if (since != NULL)
		(void)snprintf(d0, sizeof(d0), "%.10s", since);
	if (until != NULL && day_before(until, d1) != 0)
		return RC_EXIT_USAGE;
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(d0);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(d1);
	if (sum_agg(db, p, v) != 0)
		return RC_EXIT_UNAVAIL;
	if ((ex = sum_matrix(db, p, &ag)) != RC_EXIT_OK)
		return ex;
	if (sum_invites(db, p, &invites, &advs) != 0)
		return RC_EXIT_FAIL;
	if ((o = sum_json(d0, d1, v, &ag, sum_kfactor(invites, advs,
	    v[15]))) == NULL)
		return RC_EXIT_FAIL;
	ex = RC_EXIT_FAIL;
	if ((s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) !=
	    NULL) {
		fprintf(f, "%s\n", s);
		free(s);
		ex = fflush(f) == 0 ? RC_EXIT_OK : RC_EXIT_FAIL;
	}
	json_decref(o);
	return ex;
}

/*
 * hearsay-reconcile map: record that the normalised form of text means
 * the advocate with handle adv, the channel ch or the event with slug
 * ev (exactly one), as the next version of the rule for (kind, text).
 * kind defaults from the target.  Returns an exit status.
 */
int
rc_map_text(struct hs_db *db, const char *text, const char *kind,
    const char *adv, const char *ch, const char *ev)
{
	struct hs_dbparam	 p[7];
	struct hs_dbcol		 c;
	char			 norm[RC_NORM_MAX], who[80];
	const char		*target, *user;
	long long		 id = 0, version = 0;
	int			 have = 0, k;

	if (rc_norm(text, norm, sizeof(norm)) != 0 || norm[0] == '\0') {
		fprintf(stderr, "hearsay-reconcile: map: the text is empty "
		    "or not UTF-8\n");
		return RC_EXIT_USAGE;
	}
	target = adv != NULL ? "advocate" : ev != NULL ? "event" :
	    ch != NULL ? "channel" : "ignore";
	if (kind == NULL)
		kind = adv != NULL ? "referrer_text" : ev != NULL ?
		    "event_text" : "other_text";
	if ((k = rc_textkind_parse(kind)) < 0) {
		fprintf(stderr, "hearsay-reconcile: map: unknown kind\n");
		return RC_EXIT_USAGE;
	}
	memset(&c, 0, sizeof(c));
	c.type = HS_DB_INT;
	if (adv != NULL || ev != NULL) {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(adv != NULL ? adv : ev);
		if (hs_db_query(db, adv != NULL ? STMT_ADV_BY_HANDLE :
		    STMT_EVENT_BY_SLUG, p, 1, &c, 1) != HS_OK)
			return RC_EXIT_UNAVAIL;
		if (hs_db_fetch(db, adv != NULL ? STMT_ADV_BY_HANDLE :
		    STMT_EVENT_BY_SLUG, &have) == HS_OK && have)
			id = c.i;
		hs_db_end(db, adv != NULL ? STMT_ADV_BY_HANDLE :
		    STMT_EVENT_BY_SLUG);
		if (id == 0) {
			fprintf(stderr, "hearsay-reconcile: map: no such %s\n",
			    adv != NULL ? "advocate" : "event");
			return RC_EXIT_USAGE;
		}
	}
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(rc_textkinds[k]);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(norm);
	if (hs_db_query(db, STMT_RULE_VERSION, p, 2, &c, 1) != HS_OK)
		return RC_EXIT_UNAVAIL;
	if (hs_db_fetch(db, STMT_RULE_VERSION, &have) == HS_OK && have)
		version = c.i;
	hs_db_end(db, STMT_RULE_VERSION);
	if ((user = getenv("USER")) == NULL || *user == '\0')
		user = "unknown";
	(void)snprintf(who, sizeof(who), "cli:%.59s", user);
	p[0] = (struct hs_dbparam)HS_DBP_INT(version + 1);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(rc_textkinds[k]);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(norm);
	p[3] = (struct hs_dbparam)HS_DBP_TEXT(target);
	p[4] = (struct hs_dbparam)HS_DBP_INT(id);
	p[5] = (struct hs_dbparam)HS_DBP_TEXT(ch != NULL ? ch : "");
	p[6] = (struct hs_dbparam)HS_DBP_TEXT(who);
	if (hs_db_exec(db, STMT_RULE_INSERT, p, 7, NULL) != HS_OK)
		return RC_EXIT_FAIL;
	printf("rule for %s \"%s\" -> %s%s%s (version %lld); applied by the "
	    "next run\n", rc_textkinds[k], norm, target, ch != NULL ? " " :
	    "", ch != NULL ? ch : "", version + 1);
	return RC_EXIT_OK;
}
