/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * run.h: what the files of one run share (private to hearsay-reconcile's
 * run): the run's state and its phases' steps.  run.c holds the phases
 * and the runner; world.c loads the world, input.c reads the input,
 * unit.c classifies and writes chunks, pipe.c overlaps reading with
 * writing, finalise.c rebuilds what the rows feed.
 */
#ifndef RUN_H
#define RUN_H

#define RQ_UNIT		RC_RQ_TEXTS /* review queue texts per unit */
#define RQ_TEXTS_MAX	50000	/* more texts in a run: rebuild it whole */
#define MIN_TIME	"1000-01-01 00:00:00"
#define MAX_TIME	"9999-12-31 23:59:59"

/* A free text whose review queue row a run owes. */
struct rqtext {
	int		 kind;		/* enum rc_textkind */
	char		*text;		/* normalised */
};

/* Scratch strings one attribution row binds, alive until execution. */
struct rowbuf {
	char	 conf[8];
	char	 risk[HS_RISK_STRMAX];
	char	 tat[24];
};

struct run {
	struct hs_db		*db;
	struct hs_db		*side;		/* rc_side_db's, or NULL */
	const struct hs_conf	*conf;
	const struct rc_opts	*o;
	struct rc_world		 w;
	struct rc_map		*days;		/* days whose risk sets are in */
	char			 holder[128];
	long long		 run_id;	/* 0 in a dry run */
	long long		 rules_max;
	const char		*since, *until;	/* bounds, never NULL */
	struct rc_item		*items;		/* one chunk */
	struct rc_attr		*attrs;
	char			(*rclicks)[33];	/* answers' click ids */
	struct rc_item		 row;		/* fetch buffer */
	size_t			 n, cap;
	struct hs_dbparam	*params;	/* RC_BATCH rows */
	struct rowbuf		*rbufs;
	struct rc_export	*ex;
	/* progress and counts */
	long long		 rows, chunks, classes[HS_CLASS__MAX];
	long long		 span_lo, span_hi;
	time_t			 started, lastprog;
	struct timespec		 lap;		/* --timings: the last step's end */
	int			 lost;		/* lease lost */
	int			 velocity_limit; /* signups per hash per hour */
	/* what a unit writes besides the rows */
	const char		*state_name;	/* watermark to move, or NULL */
	long long		 state_id;
	long long		 cur_signup, cur_response;
	/*
	 * Incremental look-back: ids at or below these marks are read
	 * again only when they have no attribution yet (a row committed
	 * after a higher id was reconciled); 0 reads every id.
	 */
	long long		 look_s, look_r;
	/*
	 * Review queue texts the run wrote reviewable rows with (not in a
	 * full run, which rebuilds the queue whole): refreshed once at the
	 * end, not once per chunk.
	 */
	struct rc_map		*rqseen;	/* "kind text" -> "" */
	struct rqtext		*rq;
	size_t			 nrq, caprq;
	int			 rq_prior;	/* owed by an earlier run */
	int			 rq_overflow;	/* more than RQ_TEXTS_MAX */
	/* The clock before the invites: the next run's "invites" mark. */
	long long		 inv_mark;	/* ms; 0: not moved */
	long long		 inv_print;	/* of its window; 0: unknown */
	long long		 horizon;	/* ms: days before it are history */
	/* The dirty range finalise read; FIN_CLEAN clears only that one. */
	long long		 dirty_read[2];	/* ms; 0: none */
	struct rc_early		*early;		/* finalise.c's, or NULL */
};


/* run.c: small helpers the other files use. */
extern char	 rc_present[];	/* a set's value: any non-NULL will do */
void		 rc_tcol(struct hs_dbcol *, char *, size_t);
void		 rc_icol(struct hs_dbcol *);
int		 rc_state_get(struct run *, const char *, long long *,
		    long long *);
int		 rc_two_ints(struct run *, size_t, const struct hs_dbparam *,
		    size_t, long long *, long long *);
void		 rc_progress(struct run *, const char *, long long);
void		 rc_lap(struct run *, const char *);
void		*rc_chunk_calloc(size_t, size_t);

/* world.c */
int		 rc_world_load(struct run *, const struct hs_conf *);
void		 rc_world_free(struct rc_world *);
int		 rc_need_day(struct run *, long long);

/* input.c */
int		 rc_load_signups(struct run *, long long, long long);
int		 rc_load_responses(struct run *, long long, long long, int,
		    long long);

/* unit.c */
int		 rc_classify_chunk(struct run *);
int		 rc_write_chunk(struct run *);
int		 rc_flush_chunk(struct run *);

/* pipe.c */
int		 rc_pipe_signups(struct run *, long long, long long);

/* finalise.c */
int		 rc_finalise_begin(struct run *);
int		 rc_finalise(struct run *);
int		 rc_early_join(struct run *, long long *, int *);

#endif /* !RUN_H */
