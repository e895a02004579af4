/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_metrics.c: Check unit of src/core/metrics.c, the agreement
 * statistics the report and the reconciliation both print.  One table of
 * matrices with the values worked out by hand, the edge cases among
 * them: no signups, all in one cell (on and off the diagonal), perfect
 * agreement, chance agreement of 1, and channels that occur on no side
 * (which must not change PABAK's k: the report's heatmap carries them,
 * the reconciliation's matrix does not).
 */
#include "config.h"

#include <check.h>
#include <math.h>

#include "hearsay.h"
#include "hs_check.h"

#define KMAX	4	/* channels in a test matrix */
#define TOL	1e-9

/* NAN in a row of the table: the statistic must be undefined. */
#define U	NAN

static const struct mcase {
	const char	*name;
	size_t		 k;
	long long	 m[KMAX * KMAX];
	long long	 n;
	size_t		 used;		/* channels on either side */
	double		 po, pe, kappa, pabak;
} cases[] = {
	/* po = 35/50, pe = .5 * .6 + .5 * .4 = .5: kappa .4, PABAK .4. */
	{ "worked example", 2, { 20, 5, 10, 15 }, 50, 2,
	    0.7, 0.5, 0.4, 0.4 },
	/* High agreement, skewed margins: kappa low, PABAK high. */
	{ "prevalence paradox", 2, { 90, 5, 5, 0 }, 100, 2,
	    0.9, 0.905, -0.05263157894736842, 0.8 },
	{ "no signups", 2, { 0, 0, 0, 0 }, 0, 0, U, U, U, U },
	{ "no channels", 0, { 0 }, 0, 0, U, U, U, U },
	/* Both sides used one channel only: p_e is 1, kappa 0/0. */
	{ "all in one diagonal cell", 3, { 0, 0, 0, 0, 7, 0, 0, 0, 0 }, 7, 1,
	    1.0, 1.0, U, U },
	{ "one channel of one", 1, { 5 }, 5, 1, 1.0, 1.0, U, U },
	/* Every signup disagrees the same way: two channels, none agree. */
	{ "all in one off-diagonal cell", 3, { 0, 4, 0, 0, 0, 0, 0, 0, 0 }, 4,
	    2, 0.0, 0.0, 0.0, -1.0 },
	{ "perfect agreement", 3, { 10, 0, 0, 0, 5, 0, 0, 0, 7 }, 22, 3,
	    1.0, (100.0 + 25.0 + 49.0) / 484.0, 1.0, 1.0 },
	/* The worked example with a fourth channel nobody used. */
	{ "unused channel", 3, { 20, 5, 0, 10, 15, 0, 0, 0, 0 }, 50, 2,
	    0.7, 0.5, 0.4, 0.4 },
	/* All in one cell and unused channels (the report's axes): still
	 * one category, so PABAK stays undefined. */
	{ "one cell, unused channels", 4, { 0, 0, 0, 0, 0, 9, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0 }, 9, 1, 1.0, 1.0, U, U },
	/* Channels used on one side only still count. */
	{ "one side only", 3, { 2, 1, 1, 0, 0, 0, 0, 0, 0 }, 4, 3,
	    0.5, 0.5, 0.0, 0.25 },
};

static void
eq(const char *name, const char *what, double got, double want)
{

	if (isnan(want))
		ck_assert_msg(isnan(got), "%s: %s is %g, want undefined",
		    name, what, got);
	else
		ck_assert_msg(fabs(got - want) < TOL, "%s: %s is %.12g, "
		    "want %.12g", name, what, got, want);
}

START_TEST(agreement_table)
{
	const struct mcase	*c = &cases[_i];
	struct hs_agreement	 a;

	hs_agreement(c->m, c->k, &a);
	ck_assert_msg(a.n == c->n, "%s: n %lld", c->name, a.n);
	ck_assert_msg(a.k == c->used, "%s: k %zu", c->name, a.k);
	eq(c->name, "po", a.po, c->po);
	eq(c->name, "pe", a.pe, c->pe);
	eq(c->name, "kappa", a.kappa, c->kappa);
	eq(c->name, "pabak", a.pabak, c->pabak);
}
END_TEST

/* The same signups on axes of any size and order give the same numbers. */
START_TEST(agreement_axes)
{
	const long long	 small[4] = { 3, 1, 0, 5 };
	const long long	 big[16] = { 0, 0, 0, 0, 0, 5, 0, 0,
	    0, 0, 0, 0, 0, 1, 0, 3 };
	struct hs_agreement a, b;

	hs_agreement(small, 2, &a);
	hs_agreement(big, 4, &b);
	ck_assert_int_eq(a.n, b.n);
	ck_assert_uint_eq(a.k, b.k);
	eq("axes", "kappa", b.kappa, a.kappa);
	eq("axes", "pabak", b.pabak, a.pabak);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("agreement");

	tcase_add_loop_test(tc, agreement_table, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, agreement_axes);
	suite_add_tcase(s, tc);
	return hs_check_run(s);
}
