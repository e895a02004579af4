/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * run.c: one reconciliation run.  It takes the lease, loads the world
 * (links, advocates, events, options, rules) once, then walks the input
 * in chunks of signup ids, each chunk read with a few set queries,
 * classified in memory (classify.c) and written in one bounded
 * transaction (hs_db_unit: replayed whole on a deadlock) together with
 * its watermark or resume cursor, so a kill at any point loses nothing
 * and repeats nothing that matters: every write is an idempotent upsert
 * of a row that is a pure function of the input.  Then the aggregates
 * of the days touched are rebuilt, also in bounded units.
 *
 * Phases: 0 (incremental) re-reconcile rows whose free text a rule
 * newer than the last run covers; 1 signups; 2 answers with no signup
 * (and, incrementally, new answers of old signups); finalise.
 *
 * This file holds the phases and the runner; the steps are beside it
 * (run.h): world.c loads the world, input.c reads a chunk of the input,
 * unit.c classifies and writes it, pipe.c overlaps reading and writing
 * in phase 1, finalise.c rebuilds what the rows feed.
 */
#include "config.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"

const char *const rc_modes[RC_MODE__MAX] = {
	"incremental",		/* RC_MODE_INCREMENTAL */
	"window",		/* RC_MODE_WINDOW */
	"full",			/* RC_MODE_FULL */
};

volatile sig_atomic_t rc_stop;

/* Set a text column to use buf. */
void
rc_tcol(struct hs_dbcol *c, char *buf, size_t sz)
{

	memset(c, 0, sizeof(*c));
	c->type = HS_DB_TEXT;
	c->s = buf;
	c->cap = sz;
}

/* Set an integer column. */
void
rc_icol(struct hs_dbcol *c)
{

	memset(c, 0, sizeof(*c));
	c->type = HS_DB_INT;
}

/* A marker value for sets: the map stores pointers, any non-NULL will do. */
char rc_present[] = "";

/* Progress on a terminal, at most once a second. */
void
rc_progress(struct run *r, const char *phase, long long at)
{
	time_t	 now = time(NULL);
	double	 pct;

	if (!r->o->progress || now == r->lastprog)
		return;
	r->lastprog = now;
	pct = r->span_hi > r->span_lo ? 100.0 * (double)(at - r->span_lo) /
	    (double)(r->span_hi - r->span_lo) : 100.0;
	if (pct > 100.0)
		pct = 100.0;
	fprintf(stderr, "\rhearsay-reconcile: %s %5.1f%%  %lld rows  "
	    "%lld s   ", phase, pct, r->rows, (long long)(now - r->started));
	fflush(stderr);
}

/*
 * With --timings, print how long the step that just ended took since
 * the previous one (or the start): where a run's time goes, per step.
 */
void
rc_lap(struct run *r, const char *step)
{
	struct timespec	 now;

	if (!r->o->timings)
		return;
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "hearsay-reconcile: timing %-14s %8.3f s\n", step,
	    (double)(now.tv_sec - r->lap.tv_sec) +
	    (double)(now.tv_nsec - r->lap.tv_nsec) / 1e9);
	r->lap = now;
}

/*
 * Read watermark name on db: *id and *ms (0 when absent or NULL).
 * Returns 0, 1 when the row does not exist, -1 on error.
 */
int
rc_state_read(struct hs_db *db, const char *name, long long *id,
    long long *ms)
{
	struct hs_dbparam	 p[1] = { HS_DBP_TEXT(name) };
	struct hs_dbcol		 c[3];
	int			 have = 0;

	*id = *ms = 0;
	rc_icol(&c[0]); rc_icol(&c[1]); rc_icol(&c[2]);
	if (hs_db_query(db, STMT_STATE_GET, p, 1, c, 3) != HS_OK)
		return -1;
	if (hs_db_fetch(db, STMT_STATE_GET, &have) != HS_OK) {
		hs_db_end(db, STMT_STATE_GET);
		return -1;
	}
	if (have) {
		*id = c[0].i;
		*ms = c[2].i ? 0 : c[1].i;
	}
	hs_db_end(db, STMT_STATE_GET);
	return have ? 0 : 1;
}

/* rc_state_read on the run's connection. */
int
rc_state_get(struct run *r, const char *name, long long *id, long long *ms)
{

	return rc_state_read(r->db, name, id, ms);
}

/* Run a two-integer-column query with np params into a and b.  0 or -1. */
int
rc_two_ints(struct run *r, size_t id, const struct hs_dbparam *p, size_t np,
    long long *a, long long *b)
{
	struct hs_dbcol	 c[2];
	int		 have = 0;

	*a = *b = 0;
	rc_icol(&c[0]); rc_icol(&c[1]);
	if (hs_db_query(r->db, id, p, np, c, 2) != HS_OK)
		return -1;
	if (hs_db_fetch(r->db, id, &have) == HS_OK && have) {
		*a = c[0].i;
		*b = c[1].i;
	}
	hs_db_end(r->db, id);
	return 0;
}

/* The (signup, answer) pairs phase 0 owes, and the texts that owe them. */
struct redo {
	char		**texts;	/* "kind\037pattern", each once */
	size_t		  ntexts, captexts;
	long long	 *sid, *rid;	/* signup and answer ids; 0: none */
	size_t		  n, cap;
};

/* Free what a redo list holds. */
static void
redo_free(struct redo *d)
{
	size_t	 i;

	for (i = 0; i < d->ntexts; i++)
		free(d->texts[i]);
	free(d->texts);
	free(d->sid);
	free(d->rid);
}

/*
 * The texts of the rules with ids above last, each (kind, pattern) once,
 * into d->texts.  Read whole before any other query: a result is open.
 * 0, or -1 when the rules could not be read (a text that did not fit in
 * memory is left out, as before the split).
 */
static int
redo_texts(struct run *r, long long last, struct redo *d)
{
	struct hs_dbcol		 c[7];
	struct rc_map		*seen;
	char			 kind[32], pat[RC_NORM_MAX], tk[16], ch[40];
	char			 key[RC_NORM_MAX + 40], **nl;
	size_t			 cap;
	int			 have;

	rc_icol(&c[0]); rc_icol(&c[1]); rc_tcol(&c[2], kind, sizeof(kind));
	rc_tcol(&c[3], pat, sizeof(pat)); rc_tcol(&c[4], tk, sizeof(tk));
	rc_icol(&c[5]); rc_tcol(&c[6], ch, sizeof(ch));
	if ((seen = rc_map_new()) == NULL)
		return -1;
	if (hs_db_query(r->db, STMT_RULES, NULL, 0, c, 7) != HS_OK) {
		rc_map_free(seen, NULL);
		return -1;
	}
	while (hs_db_fetch(r->db, STMT_RULES, &have) == HS_OK && have) {
		if (c[0].i <= last)
			continue;
		(void)snprintf(key, sizeof(key), "%s\037%s", kind, pat);
		if (rc_map_get(seen, key) != NULL)
			continue;
		if (rc_map_put(seen, key, rc_present) != 0)
			break;
		if (d->ntexts == d->captexts) {
			cap = d->captexts ? d->captexts * 2 : 16;
			if ((nl = hs_xreallocarray(d->texts, cap,
			    sizeof(*nl))) == NULL)
				break;
			d->texts = nl;
			d->captexts = cap;
		}
		if ((d->texts[d->ntexts] = hs_xstrdup(key)) == NULL)
			break;
		d->ntexts++;
	}
	hs_db_end(r->db, STMT_RULES);
	rc_map_free(seen, NULL);
	return 0;
}

/* Append one pair to d.  0 or -1 (no memory). */
static int
redo_add(struct redo *d, long long sid, long long rid)
{
	long long	*ns, *nr;
	size_t		 cap;

	if (d->n == d->cap) {
		cap = d->cap ? d->cap * 2 : 64;
		ns = hs_xreallocarray(d->sid, cap, sizeof(*ns));
		if (ns != NULL)
			d->sid = ns;
		nr = hs_xreallocarray(d->rid, cap, sizeof(*nr));
		if (nr != NULL)
			d->rid = nr;
		if (ns == NULL || nr == NULL)
			return -1;
		d->cap = cap;
	}
	d->sid[d->n] = sid;
	d->rid[d->n] = rid;
	d->n++;
	return 0;
}

/* The rows carrying each of d's texts, into d's pairs. */
static void
redo_rows(struct run *r, struct redo *d)
{
	struct hs_dbparam	 p[2];
	struct hs_dbcol		 c[2];
	char			*sep;
	size_t			 i;
	int			 have;

	for (i = 0; i < d->ntexts; i++) {
		sep = strchr(d->texts[i], '\037');
		*sep = '\0';
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(d->texts[i]);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(sep + 1);
		rc_icol(&c[0]); rc_icol(&c[1]);
		if (hs_db_query(r->db, STMT_RULE_ROWS, p, 2, c, 2) != HS_OK)
			continue;
		while (hs_db_fetch(r->db, STMT_RULE_ROWS, &have) == HS_OK &&
		    have)
			if (redo_add(d, c[0].i, c[1].i) != 0)
				break;
		hs_db_end(r->db, STMT_RULE_ROWS);
	}
}

/*
 * Phase 0: rows carrying a text that a rule newer than the last run
 * covers are reconciled again, so an analyst's decision reaches every
 * earlier answer too.  Returns an exit status.
 */
static int
phase_rules(struct run *r)
{
	struct redo	 d;
	long long	 last, dummy;
	size_t		 i;
	int		 ex = RC_EXIT_FAIL;

	if (rc_state_get(r, "rules", &last, &dummy) < 0)
		return RC_EXIT_FAIL;
	if (last >= r->rules_max)
		return RC_EXIT_OK;
	memset(&d, 0, sizeof(d));
	/* Collect the (signup, answer) pairs first: a result is open. */
	if (redo_texts(r, last, &d) != 0)
		goto out;
	redo_rows(r, &d);
	r->state_name = NULL;
	for (i = 0; i < d.n; i++) {
		if (d.sid[i] != 0) {
			if (rc_load_signups(r, d.sid[i] - 1, d.sid[i]) != 0)
				goto out;
		} else if (rc_load_responses(r, d.rid[i] - 1, d.rid[i], 0,
		    0) != 0)
			goto out;
		if (r->n + 1 >= r->cap || i + 1 == d.n) {
			/* The last chunk also moves the rules watermark. */
			if (i + 1 == d.n) {
				r->state_name = "rules";
				r->state_id = r->rules_max;
			}
			if ((ex = rc_flush_chunk(r)) != RC_EXIT_OK)
				goto out;
		}
	}
	if (d.n == 0 && !r->o->dry_run) {
		/* Nothing to redo; still record the rule set seen. */
		r->state_name = "rules";
		r->state_id = r->rules_max;
		if ((ex = rc_flush_chunk(r)) != RC_EXIT_OK)
			goto out;
	}
	ex = RC_EXIT_OK;
out:
	r->state_name = NULL;
	redo_free(&d);
	return ex;
}

/*
 * Phase 1: signups with ids in (lo, hi], RC_CHUNK ids per transaction.
 * Incrementally the watermark moves with each chunk; otherwise the
 * run's resume cursor does.  Returns an exit status.
 */
static int
phase_signups(struct run *r, long long lo, long long hi)
{
	long long	 at, to;
	int		 ex;

	/* Two chunks or more: read the next while writing this one. */
	if ((hi - lo) / r->o->chunk >= 2 &&
	    (ex = rc_pipe_signups(r, lo, hi)) != -1)
		return ex;
	for (at = lo; at < hi; at = to) {
		to = at + r->o->chunk < hi ? at + r->o->chunk : hi;
		if (rc_load_signups(r, at, to) != 0)
			return RC_EXIT_FAIL;
		r->cur_signup = to;
		/* A full run leaves the watermark where it ended. */
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "signups";
			r->state_id = to;
		}
		ex = rc_flush_chunk(r);
		r->state_name = NULL;
		if (ex != RC_EXIT_OK)
			return ex;
		rc_progress(r, "signups", to);
	}
	return RC_EXIT_OK;
}

/* Phase 2: answers with ids in (lo, hi].  Returns an exit status. */
static int
phase_responses(struct run *r, long long lo, long long hi, long long upto)
{
	long long	 at, to;
	int		 ex;

	for (at = lo; at < hi; at = to) {
		to = at + r->o->chunk < hi ? at + r->o->chunk : hi;
		if (rc_load_responses(r, at, to,
		    r->o->mode == RC_MODE_INCREMENTAL, upto) != 0)
			return RC_EXIT_FAIL;
		r->cur_response = to;
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "responses";
			r->state_id = to;
		}
		ex = rc_flush_chunk(r);
		r->state_name = NULL;
		if (ex != RC_EXIT_OK)
			return ex;
	}
	return RC_EXIT_OK;
}
/* Fill r->holder with "host:pid:random", unique per process. */
static void
make_holder(struct run *r)
{
	char	 host[64], rnd[9];

	if (gethostname(host, sizeof(host)) != 0)
		(void)snprintf(host, sizeof(host), "%s", "localhost");
	host[sizeof(host) - 1] = '\0';
	hs_rand_hex(rnd, sizeof(rnd));
	(void)snprintf(r->holder, sizeof(r->holder), "%s:%ld:%s", host,
	    (long)getpid(), rnd);
}

/*
 * Register the run, and find where a killed run of the same mode and
 * window stopped.  Returns 0 or -1.
 */
static int
run_start(struct run *r)
{
	struct hs_dbparam	 p[6];
	struct hs_dbcol		 c[7];
	char			 st[16], mode[16], s0[32], s1[32];
	int			 have = 0;

	p[0] = (struct hs_dbparam)HS_DBP_TEXT(r->holder);
	if (hs_db_exec(r->db, STMT_RUN_ABANDON, p, 1, NULL) != HS_OK)
		return -1;
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(rc_modes[r->o->mode]);
	p[2] = r->o->since != NULL ? (struct hs_dbparam)HS_DBP_TEXT(r->since) :
	    (struct hs_dbparam)HS_DBP_NULL;
	p[3] = r->o->until != NULL ? (struct hs_dbparam)HS_DBP_TEXT(r->until) :
	    (struct hs_dbparam)HS_DBP_NULL;
	p[4] = (struct hs_dbparam)HS_DBP_INT(0);
	p[5] = (struct hs_dbparam)HS_DBP_INT(r->rules_max);
	if (hs_db_exec(r->db, STMT_RUN_NEW, p, 6, NULL) != HS_OK)
		return -1;
	r->run_id = (long long)hs_db_insert_id(r->db, STMT_RUN_NEW);
	if (r->o->mode == RC_MODE_INCREMENTAL)
		return 0;
	p[0] = (struct hs_dbparam)HS_DBP_INT(r->run_id);
	rc_icol(&c[0]); rc_tcol(&c[1], st, sizeof(st)); rc_tcol(&c[2], mode,
	    sizeof(mode)); rc_tcol(&c[3], s0, sizeof(s0));
	rc_tcol(&c[4], s1, sizeof(s1)); rc_icol(&c[5]); rc_icol(&c[6]);
	if (hs_db_query(r->db, STMT_RUN_LAST, p, 1, c, 7) != HS_OK)
		return -1;
	if (hs_db_fetch(r->db, STMT_RUN_LAST, &have) == HS_OK && have &&
	    strcmp(st, "abandoned") == 0 &&
	    strcmp(mode, rc_modes[r->o->mode]) == 0 &&
	    strncmp(s0, r->o->since != NULL ? r->since : "", 19) == 0 &&
	    strncmp(s1, r->o->until != NULL ? r->until : "", 19) == 0) {
		r->cur_signup = c[5].i;
		r->cur_response = c[6].i;
		hs_log(HS_LOG_INFO, "resuming run %lld at signup %lld, "
		    "answer %lld", c[0].i, r->cur_signup, r->cur_response);
	}
	hs_db_end(r->db, STMT_RUN_LAST);
	return 0;
}

/* Record how the run ended. */
static void
run_end(struct run *r, int ex)
{
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(ex == RC_EXIT_OK ? "ok" :
	    "failed"), HS_DBP_INT(ex), HS_DBP_INT(r->run_id) };

	if (r->run_id != 0 && hs_db_exec(r->db, STMT_RUN_END, p, 3, NULL) !=
	    HS_OK)
		hs_log(HS_LOG_WARN, "could not record the end of run %lld",
		    r->run_id);
}

/*
 * A chunk's buffer of n elements of sz bytes, zeroed, or NULL.  calloc,
 * not hs_xcalloc, whose memset touches every page: a chunk of RC_CHUNK
 * items is 28 MB, and a run every few minutes over a hundred rows paid
 * half a second of a busy machine to zero pages it never used.  Fresh
 * pages from calloc are the kernel's zero pages until written.
 */
void *
rc_chunk_calloc(size_t n, size_t sz)
{

	return calloc(n, sz);
}

/* A run's state for db, conf and o, its buffers allocated; or NULL. */
static struct run *
run_new(struct hs_db *db, const struct hs_conf *conf, const struct rc_opts *o)
{
	struct run	*r;

	if ((r = hs_xcalloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->db = db;
	r->conf = conf;
	r->o = o;
	r->cap = (size_t)o->chunk;
	r->started = time(NULL);
	(void)clock_gettime(CLOCK_MONOTONIC, &r->lap);
	r->since = o->since != NULL ? o->since : MIN_TIME;
	r->until = o->until != NULL ? o->until : MAX_TIME;
	r->velocity_limit = conf->velocity_limit > 0 ? conf->velocity_limit :
	    10;
	if ((r->items = rc_chunk_calloc(r->cap, sizeof(*r->items))) == NULL ||
	    (r->attrs = rc_chunk_calloc(r->cap, sizeof(*r->attrs))) == NULL ||
	    (r->rclicks = rc_chunk_calloc(r->cap,
	    sizeof(*r->rclicks))) == NULL ||
	    (r->params = hs_xcalloc(RC_BATCH * RC_ATTR_COLS,
	    sizeof(*r->params))) == NULL ||
	    (r->rbufs = hs_xcalloc(RC_BATCH, sizeof(*r->rbufs))) == NULL)
		r->cap = 0;	/* run_free frees what was allocated */
	make_holder(r);
	return r;
}

/* Free a run and everything it holds. */
static void
run_free(struct run *r)
{
	size_t	 i;

	hs_db_close(r->side);
	rc_world_free(&r->w);
	rc_map_free(r->days, NULL);
	rc_map_free(r->rqseen, NULL);
	for (i = 0; i < r->nrq; i++)
		free(r->rq[i].text);
	free(r->rq);
	free(r->items);
	free(r->attrs);
	free(r->rclicks);
	free(r->params);
	free(r->rbufs);
	free(r);
}

/*
 * The phases, the lease held and the world loaded: where to start (the
 * watermarks less one chunk, or a killed run's cursor), phase 0
 * (incremental), phase 1, phase 2, then finalise.  An exit status.
 */
static int
run_phases(struct run *r)
{
	const struct rc_opts	*o = r->o;
	struct hs_dbparam	 p[3];
	long long		 wm_s = 0, wm_r = 0, ms, lo_s, lo_r, hi_s;
	long long		 hi_r, x, y;
	int			 ex;

	if (!o->dry_run && (ex = rc_finalise_begin(r)) != RC_EXIT_OK)
		return ex;
	if (o->mode == RC_MODE_INCREMENTAL) {
		if (rc_state_get(r, "signups", &wm_s, &ms) < 0 ||
		    rc_state_get(r, "responses", &wm_r, &ms) < 0)
			return RC_EXIT_FAIL;
		/*
		 * Ids are taken at insert but become visible at commit, so
		 * a row may appear below the mark; one chunk of look-back
		 * catches it (re-reconciling a row gives the same row).
		 */
		lo_s = wm_s > o->chunk ? wm_s - o->chunk : 0;
		lo_r = wm_r > o->chunk ? wm_r - o->chunk : 0;
		if ((ex = phase_rules(r)) != RC_EXIT_OK)
			return ex;
		rc_lap(r, "rules");
		r->look_s = wm_s;
		r->look_r = wm_r;
	} else {
		lo_s = r->cur_signup;
		lo_r = r->cur_response;
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(lo_s);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(r->since);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(r->until);
	if (rc_two_ints(r, STMT_SIGNUP_SPAN, p, 3, &x, &hi_s) != 0)
		return RC_EXIT_FAIL;
	r->span_lo = lo_s;
	r->span_hi = hi_s;
	if (hi_s > lo_s && (ex = phase_signups(r, lo_s, hi_s)) != RC_EXIT_OK)
		return ex;
	rc_lap(r, "signups");
	p[0] = (struct hs_dbparam)HS_DBP_INT(lo_r);
	if (rc_two_ints(r, STMT_RESPONSE_IDS, p, 3, &y, &hi_r) != 0)
		return RC_EXIT_FAIL;
	/*
	 * An answer to a signup phase 1 skipped (at or below the signups'
	 * mark, already reconciled) brings that signup back.  The bound is
	 * the mark, not phase 1's look-back start: phase 1 redoes only the
	 * look-back's signups that have no row yet, so with lo_s a new
	 * answer to one of the last chunk's signups was never reconciled
	 * until a --full run.
	 */
	if (hi_r > lo_r && (ex = phase_responses(r, lo_r, hi_r,
	    o->mode == RC_MODE_INCREMENTAL ? wm_s : 0)) != RC_EXIT_OK)
		return ex;
	rc_lap(r, "answers");
	return o->dry_run ? RC_EXIT_OK : rc_finalise(r);
}

/* The summary line on stderr, unless quiet. */
static void
run_report(const struct run *r, int ex)
{
	size_t	 i;

	if (r->o->quiet)
		return;
	fprintf(stderr, "hearsay-reconcile: %s%s: %lld rows in %lld "
	    "chunks, %lld s:", rc_modes[r->o->mode], r->o->dry_run ?
	    " (dry run)" : "", r->rows, r->chunks,
	    (long long)(time(NULL) - r->started));
	for (i = 0; i < HS_CLASS__MAX; i++)
		fprintf(stderr, " %s=%lld", hs_classes[i], r->classes[i]);
	fprintf(stderr, " exit=%d\n", ex);
}

/*
 * The whole run.  Returns the process exit status (RC_EXIT_*).
 */
int
rc_run(struct hs_db *db, const struct hs_conf *conf, const struct rc_opts *o)
{
	struct run	*r;
	long long	 x, ms;
	int		 ex = RC_EXIT_FAIL, l, leased = 0;

	if ((r = run_new(db, conf, o)) == NULL)
		return RC_EXIT_FAIL;
	if (r->cap == 0)
		goto out;
	if (hs_db_exec(db, STMT_SESSION, NULL, 0, NULL) != HS_OK) {
		ex = RC_EXIT_UNAVAIL;
		goto out;
	}
	if ((l = rc_lease_take(db, r->holder, o->lease_secs)) != 1) {
		if (l == 0)
			hs_log(HS_LOG_ERR, "another run holds the lease; "
			    "not starting");
		ex = l == 0 ? RC_EXIT_BUSY : RC_EXIT_UNAVAIL;
		goto out;
	}
	leased = 1;
	rc_lap(r, "lease");
	if (rc_world_load(r, conf) != 0)
		goto out;
	rc_lap(r, "world");
	if (!o->dry_run && run_start(r) != 0)
		goto out;
	/* Texts owed by a killed run are not known: then rebuild whole. */
	if (rc_state_get(r, "review_all", &x, &ms) < 0)
		goto out;
	r->rq_prior = x == 1;
	if (o->export != RC_FMT_NONE &&
	    (r->ex = rc_export_open(o->export, o->out)) == NULL)
		goto out;
	ex = run_phases(r);
	/*
	 * The cohort tables (cohorts.c), from the attributions just made:
	 * when due, or now on --full (every attribution rebuilt) and
	 * --cohorts; under the lease, as every unit of the run.
	 */
	if (ex == RC_EXIT_OK && !o->dry_run)
		ex = rc_cohorts(db, r->holder, o->lease_secs, conf, NULL,
		    o->mode == RC_MODE_FULL || o->cohorts);
	rc_lap(r, "cohorts");
out:
	/* The early work, when the phases failed before finalise took it. */
	(void)rc_early_join(r, NULL, NULL);
	if (r->o->progress && r->rows > 0)
		fputc('\n', stderr);
	if (r->ex != NULL && rc_export_close(r->ex) != 0 && ex == RC_EXIT_OK)
		ex = RC_EXIT_FAIL;
	if (!o->dry_run)
		run_end(r, ex);
	if (leased)
		rc_lease_drop(db, r->holder);
	run_report(r, ex);
	run_free(r);
	return ex;
}
