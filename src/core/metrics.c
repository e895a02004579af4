/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * metrics.c: agreement between what links tracked and what people
 * reported, the one implementation that hearsay-reconcile --summary
 * and hearsay-report's overview both print.  The input is a k x k
 * matrix of counts, row-major: row i the tracked channel, column j the
 * reported one, only signups that have both sides.
 *
 * The edge rules, the same wherever the numbers are shown (the
 * definitions in hearsay-reconcile(8) and hearsay-report(8)):
 *  - A category is a channel that occurs on either side: an all-zero row
 *    and column counts for nothing.  So the matrix may carry channels
 *    seen only beside 'none' (the report's heatmap axes) or not at all,
 *    and PABAK's k, the only statistic that depends on how many
 *    categories there are, is the same however the caller built it.
 *  - No signups: every statistic is undefined (NAN).
 *  - Chance agreement p_e of 1, which happens exactly when every signup
 *    is in one diagonal cell (both sides used one channel only): kappa
 *    is 0/0, undefined (NAN).  Tested in integers, not as a rounded
 *    double.
 *  - Fewer than two categories: PABAK is undefined (NAN).
 * Undefined is shown as a dash on the pages and as null in JSON and
 * CSV; nobody is shown an invented number.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "hearsay.h"

/*
 * The agreement statistics of the k x k matrix m of counts into *a.
 * Negative counts are not expected (they come from SUM over rows of
 * COUNT) and are taken as they are.
 */
void
hs_agreement(const long long *m, size_t k, struct hs_agreement *a)
{
	long long	 diag = 0, row, col;
	size_t		 i, j;
	int		 one_cell = 0;

	memset(a, 0, sizeof(*a));
	a->po = a->pe = a->kappa = a->pabak = NAN;
	for (i = 0; i < k * k; i++)
		a->n += m[i];
	if (a->n <= 0) {
		a->n = 0;
		return;
	}
	a->pe = 0.0;
	for (i = 0; i < k; i++) {
		diag += m[i * k + i];
		for (row = col = 0, j = 0; j < k; j++) {
			row += m[i * k + j];
			col += m[j * k + i];
		}
		if (row != 0 || col != 0)
			a->k++;
		if (row == a->n && col == a->n)
			one_cell = 1;
		a->pe += ((double)row / (double)a->n) *
		    ((double)col / (double)a->n);
	}
	a->po = (double)diag / (double)a->n;
	if (one_cell)
		a->pe = 1.0;
	else
		a->kappa = (a->po - a->pe) / (1.0 - a->pe);
	if (a->k >= 2)
		a->pabak = ((double)a->k * a->po - 1.0) /
		    ((double)a->k - 1.0);
}
