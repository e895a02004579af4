/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * unit.c: writing a chunk of a run: classify its items, then upsert
 * its attributions in one bounded transaction (hs_db_unit, replayed
 * whole on a deadlock) together with its watermark or resume cursor.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"

/* Bind attribution a as 29 parameters at p, using scratch b. */
static void
bind_attr(const struct rc_attr *a, struct hs_dbparam *p, struct rowbuf *b)
{
	size_t	 i = 0;

#define TXT(s)	 (p[i++] = (struct hs_dbparam)HS_DBP_TEXT(s))
#define OPT(s)	 (p[i++] = (s)[0] != '\0' ? \
	(struct hs_dbparam)HS_DBP_TEXT(s) : (struct hs_dbparam)HS_DBP_NULL)
#define ID(x)	 (p[i++] = (x) != 0 ? (struct hs_dbparam)HS_DBP_INT(x) : \
	(struct hs_dbparam)HS_DBP_NULL)
#define INT(x)	 (p[i++] = (struct hs_dbparam)HS_DBP_INT(x))
	(void)snprintf(b->conf, sizeof(b->conf), "%.3f", a->conf);
	hs_risk_str(a->risk, ",", b->risk, sizeof(b->risk));
	b->tat[0] = '\0';
	if (a->tracked_ms != 0)
		rc_fmt_time(a->tracked_ms, b->tat);
	TXT(a->ref);
	ID(a->signup_id);
	ID(a->response_id);
	TXT(a->day);
	TXT(hs_classes[a->class]);
	OPT(a->tracked_click);
	OPT(a->first_click);
	OPT(b->tat);
	ID(a->t_link);
	OPT(a->t_channel);
	ID(a->t_advocate);
	ID(a->t_event);
	ID(a->t_campaign);
	OPT(a->options);
	OPT(a->r_channel);
	ID(a->r_advocate);
	ID(a->r_event);
	ID(a->r_link);
	TXT(a->channel);
	INT(a->advocate);
	INT(a->event);
	INT(a->campaign);
	TXT(a->rule);
	TXT(b->conf);
	TXT(b->risk);
	if (a->free_kind >= 0) {
		TXT(rc_textkinds[a->free_kind]);
		TXT(a->free_text);
		TXT(a->free_raw);
	} else {
		p[i++] = (struct hs_dbparam)HS_DBP_NULL;
		p[i++] = (struct hs_dbparam)HS_DBP_NULL;
		p[i++] = (struct hs_dbparam)HS_DBP_NULL;
	}
	TXT(a->computed_at);
#undef TXT
#undef OPT
#undef ID
#undef INT
}

/* Whether a row feeds the review queue.  0 or 1. */
static int
reviewable(const struct rc_attr *a)
{

	return a->free_kind >= 0 && (strcmp(a->rule, "unmatched") == 0 ||
	    strncmp(a->rule, "rule:", 5) == 0 ||
	    strncmp(a->rule, "ignore:", 7) == 0);
}

/*
 * The chunk's transaction: renew the lease (first: no other writer
 * waits for its row while chunks are written), upsert the rows, flag
 * the review queue as owed (review_all: refreshed at the end of the
 * run, whole after a run killed before that), widen the owed aggregate
 * days, move the watermark or cursor.  Replayed whole by hs_db_unit on
 * a transient error, so it only reads r (but for r->lost).
 */
static enum hs_err
write_unit(struct hs_db *db, void *arg)
{
	struct run		*r = arg;
	struct hs_dbparam	 q[4];
	enum hs_err		 e;
	size_t			 i, j, n, st;
	const char		*lo, *hi;
	int			 owed;

	if ((e = rc_lease_fence(db, r->holder, r->o->lease_secs,
	    &r->lost)) != HS_OK)
		return e;
	for (i = 0; i < r->n; i += n) {
		/* The largest statement the rows left fill. */
		if (r->n - i >= RC_BATCH) {
			n = RC_BATCH;
			st = STMT_ATTR_BATCH;
		} else if (r->n - i >= RC_BATCH_MID) {
			n = RC_BATCH_MID;
			st = STMT_ATTR_MID;
		} else if (r->n - i >= RC_BATCH_SMALL) {
			n = RC_BATCH_SMALL;
			st = STMT_ATTR_SMALL;
		} else {
			n = 1;
			st = STMT_ATTR_ONE;
		}
		for (j = 0; j < n; j++)
			bind_attr(&r->attrs[i + j],
			    r->params + j * RC_ATTR_COLS, &r->rbufs[j]);
		if ((e = hs_db_exec(db, st, r->params, n * RC_ATTR_COLS,
		    NULL)) != HS_OK)
			return e;
	}
	lo = hi = NULL;
	owed = r->o->mode == RC_MODE_FULL && r->n > 0;
	for (i = 0; i < r->n; i++) {
		if (lo == NULL || strcmp(r->attrs[i].day, lo) < 0)
			lo = r->attrs[i].day;
		if (hi == NULL || strcmp(r->attrs[i].day, hi) > 0)
			hi = r->attrs[i].day;
		if (reviewable(&r->attrs[i]))
			owed = 1;
	}
	if (lo != NULL && r->o->mode != RC_MODE_FULL) {
		q[0] = (struct hs_dbparam)HS_DBP_TEXT(lo);
		if ((e = hs_db_exec(db, STMT_DIRTY_FROM, q, 1, NULL)) != HS_OK)
			return e;
		q[0] = (struct hs_dbparam)HS_DBP_TEXT(hi);
		if ((e = hs_db_exec(db, STMT_DIRTY_TO, q, 1, NULL)) != HS_OK)
			return e;
	}
	if (owed) {
		q[0] = (struct hs_dbparam)HS_DBP_TEXT("review_all");
		q[1] = (struct hs_dbparam)HS_DBP_INT(1);
		q[2] = (struct hs_dbparam)HS_DBP_INT(0);
		if ((e = hs_db_exec(db, STMT_STATE_SET, q, 3, NULL)) != HS_OK)
			return e;
	}
	if (r->state_name != NULL) {
		q[0] = (struct hs_dbparam)HS_DBP_TEXT(r->state_name);
		q[1] = (struct hs_dbparam)HS_DBP_INT(r->state_id);
		q[2] = (struct hs_dbparam)HS_DBP_INT(0);
		if ((e = hs_db_exec(db, STMT_STATE_SET, q, 3, NULL)) != HS_OK)
			return e;
	}
	if (r->run_id != 0) {
		q[0] = (struct hs_dbparam)HS_DBP_INT(r->cur_signup);
		q[1] = (struct hs_dbparam)HS_DBP_INT(r->cur_response);
		q[2] = (struct hs_dbparam)HS_DBP_INT((long long)r->n);
		q[3] = (struct hs_dbparam)HS_DBP_INT(r->run_id);
		if ((e = hs_db_exec(db, STMT_RUN_CURSOR, q, 4, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * Note the review queue texts of the chunk's reviewable rows, once each
 * per run, for finalise to refresh.  0 or -1 (no memory).
 */
static int
owe_texts(struct run *r)
{
	const struct rc_attr	*a;
	struct rqtext		*nrq;
	char			 key[RC_NORM_MAX + 16];
	size_t			 i, cap;

	for (i = 0; i < r->n && !r->rq_overflow; i++) {
		a = &r->attrs[i];
		if (!reviewable(a))
			continue;
		(void)snprintf(key, sizeof(key), "%d %s", a->free_kind,
		    a->free_text);
		if (rc_map_get(r->rqseen, key) != NULL)
			continue;
		if (r->nrq == RQ_TEXTS_MAX) {
			r->rq_overflow = 1;
			break;
		}
		if (r->nrq == r->caprq) {
			cap = r->caprq ? r->caprq * 2 : 64;
			if ((nrq = hs_xreallocarray(r->rq, cap,
			    sizeof(*nrq))) == NULL)
				return -1;
			r->rq = nrq;
			r->caprq = cap;
		}
		if (rc_map_put(r->rqseen, key, rc_present) != 0 ||
		    (r->rq[r->nrq].text = hs_xstrdup(a->free_text)) == NULL)
			return -1;
		r->rq[r->nrq++].kind = a->free_kind;
	}
	return 0;
}

/* Classify the chunk's items into its attributions.  0 or -1. */
int
rc_classify_chunk(struct run *r)
{
	size_t		 i;

	for (i = 0; i < r->n; i++) {
		if (rc_need_day(r, r->items[i].signed_ms) != 0)
			return -1;
		rc_classify(&r->w, &r->items[i], &r->attrs[i]);
	}
	return 0;
}

/*
 * Write the chunk's attributions (unless dry), export them, count them,
 * then empty the chunk.  Returns an exit status: RC_EXIT_OK to go on.
 */
int
rc_write_chunk(struct run *r)
{
	size_t		 i;
	enum hs_err	 e;

	for (i = 0; i < r->n; i++) {
		r->classes[r->attrs[i].class]++;
		if (r->ex != NULL && rc_export_row(r->ex, &r->attrs[i],
		    rc_map_get(r->w.accepted, r->attrs[i].ref) != NULL) != 0)
			return RC_EXIT_FAIL;
	}
	if (!r->o->dry_run) {
		if ((e = hs_db_unit(r->db, write_unit, r)) != HS_OK) {
			if (r->lost) {
				hs_log(HS_LOG_ERR, "lease lost to another run; "
				    "stopping");
				return RC_EXIT_LOST;
			}
			hs_log(HS_LOG_ERR, "chunk not written: %s",
			    hs_strerror(e));
			return e == HS_EAGAIN ? RC_EXIT_UNAVAIL : RC_EXIT_FAIL;
		}
		r->chunks++;
		if (r->o->mode != RC_MODE_FULL && owe_texts(r) != 0)
			return RC_EXIT_FAIL;
	}
	r->rows += (long long)r->n;
	r->n = 0;
	if (rc_stop)
		return RC_EXIT_INTR;
	return RC_EXIT_OK;
}

/* Classify and write the chunk: an exit status, as write_chunk. */
int
rc_flush_chunk(struct run *r)
{

	if (rc_classify_chunk(r) != 0)
		return RC_EXIT_FAIL;
	return rc_write_chunk(r);
}
