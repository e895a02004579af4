/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cohorts.h: what the cohorts page's three files share (issue 20):
 * cohorts_data.c reads the cohort tables into a view (struct cview),
 * cohorts.c renders it (the page, its downloads), cohorts_cost.c is
 * the costs form and its POST.  Private to src/report.
 */
#ifndef HS_REPORT_COHORTS_H
#define HS_REPORT_COHORTS_H

#define CO_Z		1.959964	/* 95% two-sided */
#define CO_CURVE_MAX	13		/* periods in the curve */
#define CO_TRI_COHORTS	12		/* cohorts in the triangle */
#define CO_TRI_N	12		/* periods in the triangle */
#define CO_W		720		/* chart viewBox */
#define CO_H		300
#define CO_PAD		48
#define CO_KF_ROWS	104		/* K-factor periods shown */
#define CO_ECON_ROWS	500		/* cost rows, campaigns listed */
#define CO_AMOUNT_MAX	1e12		/* an amount beyond is a typo */
#define CO_FIELD_MAX	64		/* bytes of a cost form field kept */
#define CO_HORIZONS	3		/* 30, 90, 365 days */

#define NTABLES		5		/* curve, triangle, value, kfactor,
					   economics: cohorts.c's tnames */

/* The page's read-only statements (cohorts_data.c's cstmts). */
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

/* cohorts_data.c */
extern const char *const co_periods[];	/* week, month; NULL-ended */
extern struct hs_db	*co_db;		/* this worker's read-only handle */
enum hs_err	 co_open(struct report *);
void		 co_wilson(long long, long long, double *, double *);
enum hs_err	 co_scope(struct cview *);
enum hs_err	 co_load(struct hs_db *, void *);

/* cohorts.c */
void		 co_render(struct report *, struct hs_req *,
		    const struct sess *, int, struct cform *, int);

/* cohorts_cost.c */
enum hs_err	 co_cost_form(const struct hs_out *, const struct cview *);

#endif /* HS_REPORT_COHORTS_H */
