/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * pipe.c: phase 1 as a pipeline over two connections (see below).
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"
#include "side.h"

/*
 * Phase 1 as a pipeline over two connections: a reader thread, with its
 * own connection and a copy of the run, reads and classifies chunk k + 1
 * while this thread writes chunk k, so the server works on both cores
 * (at 1M signups, writing 2000 takes 75-90 ms, reading them 30 ms).
 * The reader only reads, and every write, the lease and the watermark
 * stay here in chunk order, so a kill, a lost lease or an error leaves the same
 * state as the sequential loop.  Nothing else touches what the reader
 * uses (the velocity set and the matchers' caches) until it is joined.
 */
#define PIPE_SLOTS	2
/*
 * The first chunk's size past the look-back (an incremental run's
 * chunk below its mark, whose rows are mostly done); each next one
 * doubles up to --chunk.  The writer waits for the first chunk only:
 * read whole (2000 signups, with the day's velocity set), it kept the
 * writer idle 0.15 s of a night's 0.55 s phase 1.
 */
#define PIPE_RAMP	250

struct slot {
	struct rc_item	*items;
	struct rc_attr	*attrs;
	char		(*rclicks)[33];
	size_t		 n;
	long long	 to;		/* the chunk is (previous to, to] */
	int		 full;		/* read and classified, not written */
};

struct pipe {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct run	 rd;		/* the reader's run: own db, buffers */
	struct slot	 s[PIPE_SLOTS];
	long long	 lo, hi;
	int		 stop;		/* set by the writer: read no more */
	int		 done;		/* set by the reader when it ends */
	int		 failed;	/* set by the reader: a read failed */
};

/* The reader thread: chunks of (lo, hi] into the slots, in turn. */
static void *
pipe_reader(void *arg)
{
	struct pipe	*pp = arg;
	struct run	*rd = &pp->rd;
	struct slot	*sl;
	long long	 at, to, k, size = PIPE_RAMP;
	int		 ok = 1, stop;

	for (at = pp->lo, k = 0; ok && at < pp->hi; at = to, k++) {
		if (at < rd->look_s)
			to = at + rd->o->chunk < rd->look_s ?
			    at + rd->o->chunk : rd->look_s;
		else {
			if (size > rd->o->chunk)
				size = rd->o->chunk;
			to = at + size;
			size *= 2;
		}
		if (to > pp->hi)
			to = pp->hi;
		sl = &pp->s[k % PIPE_SLOTS];
		(void)pthread_mutex_lock(&pp->mu);
		while (sl->full && !pp->stop)
			(void)pthread_cond_wait(&pp->cv, &pp->mu);
		stop = pp->stop;
		(void)pthread_mutex_unlock(&pp->mu);
		if (stop)
			break;
		rd->items = sl->items;
		rd->attrs = sl->attrs;
		rd->rclicks = sl->rclicks;
		rd->n = 0;
		ok = rc_load_signups(rd, at, to) == 0 &&
		    rc_classify_chunk(rd) == 0;
		sl->n = rd->n;
		sl->to = to;
		(void)pthread_mutex_lock(&pp->mu);
		if (ok)
			sl->full = 1;
		else
			pp->failed = 1;
		(void)pthread_cond_broadcast(&pp->cv);
		(void)pthread_mutex_unlock(&pp->mu);
	}
	(void)pthread_mutex_lock(&pp->mu);
	pp->done = 1;
	(void)pthread_cond_broadcast(&pp->cv);
	(void)pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Free the slots' buffers. */
static void
pipe_free(struct pipe *pp)
{
	size_t	 i;

	for (i = 0; i < PIPE_SLOTS; i++) {
		free(pp->s[i].items);
		free(pp->s[i].attrs);
		free(pp->s[i].rclicks);
	}
	free(pp);
}

/*
 * Set up the pipeline over (lo, hi]: the slots, a second connection, the
 * reader thread (started in *th).  Returns it, or NULL (nothing to undo).
 */
static struct pipe *
pipe_open(struct run *r, long long lo, long long hi, pthread_t *th)
{
	struct pipe	*pp;
	struct hs_db	*db2;
	size_t		 i;

	if ((pp = hs_xcalloc(1, sizeof(*pp))) == NULL)
		return NULL;
	for (i = 0; i < PIPE_SLOTS; i++)
		if ((pp->s[i].items = rc_chunk_calloc(r->cap,
		    sizeof(*pp->s[i].items))) == NULL ||
		    (pp->s[i].attrs = rc_chunk_calloc(r->cap,
		    sizeof(*pp->s[i].attrs))) == NULL ||
		    (pp->s[i].rclicks = rc_chunk_calloc(r->cap,
		    sizeof(*pp->s[i].rclicks))) == NULL) {
			pipe_free(pp);
			return NULL;
		}
	if ((db2 = rc_side_db(r)) == NULL) {
		pipe_free(pp);
		return NULL;
	}
	pp->rd = *r;
	pp->rd.db = db2;
	pp->rd.ex = NULL;
	pp->lo = lo;
	pp->hi = hi;
	(void)pthread_mutex_init(&pp->mu, NULL);
	(void)pthread_cond_init(&pp->cv, NULL);
	if (rc_side_start(th, pipe_reader, pp) != 0) {
		(void)pthread_cond_destroy(&pp->cv);
		(void)pthread_mutex_destroy(&pp->mu);
		pipe_free(pp);
		return NULL;
	}
	return pp;
}

/* Write the slots in turn as the reader fills them.  An exit status. */
static int
pipe_write(struct run *r, struct pipe *pp)
{
	struct slot	*sl;
	long long	 k;
	int		 ex = RC_EXIT_OK, full, failed;

	for (k = 0; ; k++) {
		sl = &pp->s[k % PIPE_SLOTS];
		(void)pthread_mutex_lock(&pp->mu);
		while (!sl->full && !pp->failed && !pp->done)
			(void)pthread_cond_wait(&pp->cv, &pp->mu);
		full = sl->full;
		failed = pp->failed;
		(void)pthread_mutex_unlock(&pp->mu);
		if (!full)
			return failed ? RC_EXIT_FAIL : RC_EXIT_OK;
		r->attrs = sl->attrs;
		r->n = sl->n;
		r->cur_signup = sl->to;
		/* A full run leaves the watermark where it ended. */
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "signups";
			r->state_id = sl->to;
		}
		ex = rc_write_chunk(r);
		r->state_name = NULL;
		(void)pthread_mutex_lock(&pp->mu);
		sl->full = 0;
		(void)pthread_cond_broadcast(&pp->cv);
		(void)pthread_mutex_unlock(&pp->mu);
		if (ex != RC_EXIT_OK)
			return ex;
		rc_progress(r, "signups", sl->to);
	}
}

/*
 * Phase 1 through the pipeline.  Returns an exit status, or -1 when the
 * pipeline could not be set up (no memory, no second connection, no
 * thread) and nothing was done: the caller runs the sequential loop.
 */
int
rc_pipe_signups(struct run *r, long long lo, long long hi)
{
	struct pipe	*pp;
	struct rc_attr	*attrs = r->attrs;
	pthread_t	 th;
	int		 ex;

	if ((pp = pipe_open(r, lo, hi, &th)) == NULL)
		return -1;
	ex = pipe_write(r, pp);
	(void)pthread_mutex_lock(&pp->mu);
	pp->stop = 1;
	(void)pthread_cond_broadcast(&pp->cv);
	(void)pthread_mutex_unlock(&pp->mu);
	(void)pthread_join(th, NULL);
	r->attrs = attrs;
	r->n = 0;
	(void)pthread_cond_destroy(&pp->cv);
	(void)pthread_mutex_destroy(&pp->mu);
	pipe_free(pp);
	return ex;
}
