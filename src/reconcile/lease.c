/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * lease.c: one runner at a time.  A row in `leases' names the holder
 * and when its claim expires; a run takes it when it is free or expired,
 * renews it with every chunk, and drops it at the end.  GET_LOCK would
 * be simpler but Galera does not replicate it; a row is certified like
 * any other write, so two nodes cannot both believe they hold it.  A
 * holder that dies simply stops renewing, and the lease expires.
 */
#include "config.h"

#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

/*
 * Whether the lease row names holder now.  Returns 1 when it does, 0
 * when it names someone else or is gone, -1 on a database error.
 */
static int
held_by(struct hs_db *db, const char *holder)
{
	struct hs_dbparam	 q[1] = { HS_DBP_TEXT(RC_LEASE_NAME) };
	char			 who[129];
	struct hs_dbcol		 col = { HS_DB_TEXT, 0, who, sizeof(who),
	    0, 0, 0 };
	int			 have = 0, rc = -1;

	if (hs_db_query(db, STMT_LEASE_HOLDER, q, 1, &col, 1) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_LEASE_HOLDER, &have) == HS_OK)
		rc = have && strcmp(who, holder) == 0;
	hs_db_end(db, STMT_LEASE_HOLDER);
	return rc;
}

/*
 * Try to take the lease for holder, valid for secs.  Returns 1 when it
 * is ours, 0 when someone else holds it, -1 on a database error.
 */
int
rc_lease_take(struct hs_db *db, const char *holder, int secs)
{
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(RC_LEASE_NAME),
	    HS_DBP_TEXT(holder), HS_DBP_INT(secs) };

	if (hs_db_exec(db, STMT_LEASE_TAKE, p, 3, NULL) != HS_OK)
		return -1;
	return held_by(db, holder);
}

/*
 * Extend our lease by secs from now, inside a unit (rc_lease_fence).
 * Returns 1 when still ours, 0 when lost, -1 on a database error
 * (HS_EAGAIN is reported as -1 too; the unit replays).
 */
static int
lease_renew(struct hs_db *db, const char *holder, int secs)
{
	struct hs_dbparam	 p[3] = { HS_DBP_INT(secs),
	    HS_DBP_TEXT(RC_LEASE_NAME), HS_DBP_TEXT(holder) };
	unsigned long long	 n = 0;

	if (hs_db_exec(db, STMT_LEASE_RENEW, p, 3, &n) != HS_OK)
		return -1;
	if (n > 0)
		return 1;
	/* Zero rows changed can also mean "same value": look. */
	return held_by(db, holder);
}

/*
 * The fence of a unit: renew the lease inside it, so it commits only
 * while the lease is ours (a holder that took it since changed the row;
 * on Galera the row's certification fails one of two nodes' units).
 * The row stays locked to the commit: a chunk renews first, a
 * finalising unit last, so that two of them on two connections of one
 * run (the side's work beside the rest of finalise.c) do their work at the
 * same time and wait for each other only at their ends.  HS_OK while
 * ours; HS_EINVAL when lost (*lost set: the unit rolls back); HS_EAGAIN
 * on a database error (the unit replays).
 */
enum hs_err
rc_lease_fence(struct hs_db *db, const char *holder, int secs, int *lost)
{
	int	 l;

	if ((l = lease_renew(db, holder, secs)) > 0)
		return HS_OK;
	if (l < 0)
		return HS_EAGAIN;
	*lost = 1;
	return HS_EINVAL;
}

/* Give the lease up if it is still ours; errors only delay the next run. */
void
rc_lease_drop(struct hs_db *db, const char *holder)
{
	struct hs_dbparam	 p[2] = { HS_DBP_TEXT(RC_LEASE_NAME),
	    HS_DBP_TEXT(holder) };

	if (hs_db_exec(db, STMT_LEASE_DROP, p, 2, NULL) != HS_OK)
		hs_log(HS_LOG_WARN, "lease: could not drop; it expires by "
		    "itself");
}
