/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * aggregate.c: agreement between what links tracked and what people
 * reported, over a k x k channel matrix m (row i: tracked channel i,
 * column j: reported channel j, m[i * k + j] signups).  Only signups
 * with both sides enter the matrix.  Definitions in
 * hearsay-reconcile(8), DEFINITIONS; a matrix with no signups, or
 * kappa's chance agreement of 1, gives NAN, which the summary prints as
 * null rather than inventing a number.
 *
 * Also the rollups of sql/041_rollups.sql (per day and campaign, per
 * advocate and month, the matrix per campaign), rebuilt in the unit that
 * rebuilds daily_aggregates and channel_matrix.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>

#include "hearsay.h"
#include "reconcile.h"

/* Total count of the matrix. */
static double
total(const double *m, size_t k)
{
	double	 n = 0.0;
	size_t	 i;

	for (i = 0; i < k * k; i++)
		n += m[i];
	return n;
}

/* Observed agreement p_o: the diagonal over the total; NAN when empty. */
double
rc_agreement(const double *m, size_t k)
{
	double	 n = total(m, k), d = 0.0;
	size_t	 i;

	if (k == 0 || n <= 0.0)
		return NAN;
	for (i = 0; i < k; i++)
		d += m[i * k + i];
	return d / n;
}

/*
 * Cohen's kappa: (p_o - p_e) / (1 - p_e), with p_e the agreement
 * expected from the marginals, sum_i (row_i / n) (col_i / n).  NAN when
 * empty or when p_e is 1 (one category only: kappa is undefined).
 */
double
rc_kappa(const double *m, size_t k)
{
	double	 n = total(m, k), po, pe = 0.0, r, c;
	size_t	 i, j;

	if (k == 0 || n <= 0.0)
		return NAN;
	po = rc_agreement(m, k);
	for (i = 0; i < k; i++) {
		r = c = 0.0;
		for (j = 0; j < k; j++) {
			r += m[i * k + j];
			c += m[j * k + i];
		}
		pe += (r / n) * (c / n);
	}
	if (pe >= 1.0)
		return NAN;
	return (po - pe) / (1.0 - pe);
}

/*
 * Prevalence- and bias-adjusted kappa for k categories:
 * (k p_o - 1) / (k - 1), which is 2 p_o - 1 for two.  NAN when empty or
 * with fewer than two categories.
 */
double
rc_pabak(const double *m, size_t k)
{
	double	 po;

	if (k < 2)
		return NAN;
	po = rc_agreement(m, k);
	if (isnan(po))
		return NAN;
	return ((double)k * po - 1.0) / ((double)k - 1.0);
}

/*
 * Rebuild the rollups of [p[0], p[1]] (two DATE texts) from the
 * aggregates and attributions of that range, or with outside set drop
 * the rows outside it that are not history (p[2]: keep_days, see
 * KEEP_HISTORY).  Runs inside the caller's unit.  Returns HS_OK or the
 * first database error.
 */
enum hs_err
rc_rollups(struct hs_db *db, const struct hs_dbparam *p, int outside)
{
	static const int	 in[] = { STMT_RU_DAYS_DELETE,
	    STMT_RU_DAYS_INSERT, STMT_RU_ADV_DELETE, STMT_RU_ADV_INSERT,
	    STMT_CM_DELETE, STMT_CM_INSERT };
	static const int	 out[] = { STMT_RU_DAYS_DELETE_OUT,
	    STMT_RU_ADV_DELETE_OUT, STMT_CM_DELETE_OUT };
	const int		*st = outside ? out : in;
	size_t			 i, n = outside ? sizeof(out) / sizeof(out[0]) :
	    sizeof(in) / sizeof(in[0]);
	enum hs_err		 e;

	for (i = 0; i < n; i++)
		if ((e = hs_db_exec(db, (size_t)st[i], p, outside ? 3 : 2,
		    NULL)) != HS_OK)
			return e;
	return HS_OK;
}
