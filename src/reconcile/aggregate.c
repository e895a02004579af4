/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * aggregate.c: the rollups of sql/041_rollups.sql (per day and campaign,
 * per advocate and month, the matrix per campaign), rebuilt in the unit
 * that rebuilds daily_aggregates and channel_matrix.  The agreement
 * metrics over channel_matrix (kappa, PABAK) are core's hs_agreement
 * (src/core/metrics.c), the same the report shows.
 */
#include "config.h"

#include <stddef.h>

#include "hearsay.h"
#include "reconcile.h"

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
