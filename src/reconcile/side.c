/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * side.c: threads beside the run's own, each on its own connection, so
 * the server works on both cores: phase 1's reader (pipe.c), then the
 * review queue beside the rest of the finalising (finalise.c), on the
 * same connection; and an incremental run's invites and survey rollups
 * beside the phases (finalise.c's rc_early), on a third.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"
#include "side.h"

/*
 * The run's second connection, with its session and the statements of
 * rc_side_stmts: opened at the first call, then the same one (one
 * thread uses it at a time: phase 1's reader, then the review queue),
 * which run_free closes.  Preparing a connection took 30 to 60 ms, on
 * the way of the run.  NULL when there is none.
 */
struct hs_db *
rc_side_db(struct run *r)
{

	if (r->side == NULL)
		r->side = rc_side_open(r->conf);
	return r->side;
}

/*
 * A connection of the run's besides its own, with its session and the
 * statements of rc_side_stmts; NULL when there is none (logged: the
 * caller does the work itself, in turn).
 */
struct hs_db *
rc_side_open(const struct hs_conf *conf)
{
	struct hs_db	*db = NULL;

	if (hs_db_open(&db, conf, HS_DB_BATCH, rc_side_stmts,
	    STMT__MAX) == HS_OK &&
	    hs_db_exec(db, STMT_SESSION, NULL, 0, NULL) == HS_OK)
		return db;
	hs_log(HS_LOG_INFO, "no other connection: one thing at a time");
	hs_db_close(db);
	return NULL;
}

/*
 * Start fn(arg) in *th with every signal blocked there: SIGTERM and
 * SIGINT stay with the calling thread, which checks rc_stop.  0 or -1.
 */
int
rc_side_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t	 all, old;
	int		 rc;

	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(th, NULL, fn, arg) == 0 ? 0 : -1;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
