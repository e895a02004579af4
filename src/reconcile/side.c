/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * side.c: a thread beside the run's own, on its own connection, so the
 * server works on both cores: phase 1's reader (pipe.c), then the
 * invites and the review queue beside the rest of the finalising
 * (finalise.c), on the same connection.
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
 * thread uses it at a time: phase 1's reader, then the invites and the
 * review queue), which run_free closes.  Preparing a connection took 30
 * to 60 ms, on the way of the run.  NULL when there is none (logged: the caller does
 * the work itself, in turn).
 */
struct hs_db *
rc_side_db(struct run *r)
{
	struct hs_db	*db = NULL;

	if (r->side != NULL)
		return r->side;
	if (hs_db_open(&db, r->conf, HS_DB_BATCH, rc_side_stmts,
	    STMT__MAX) == HS_OK &&
	    hs_db_exec(db, STMT_SESSION, NULL, 0, NULL) == HS_OK)
		return r->side = db;
	hs_log(HS_LOG_INFO, "no second connection: one thing at a time");
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
