/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * input.c: reading the input of a run, a chunk at a time: signups with
 * their latest answer and their clicks, answers with no signup, and the
 * click an answer carried.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"
#include "run.h"

/* Insert click c into item it, keeping clicks sorted by time then id. */
static void
add_click(struct rc_item *it, const struct rc_click *c)
{
	size_t	 i;

	for (i = 0; i < it->nclicks; i++)
		if (strcmp(it->clicks[i].id, c->id) == 0)
			return;
	if (it->nclicks == RC_MAXCLICKS)
		return;
	i = it->nclicks;
	while (i > 0 && (it->clicks[i - 1].at_ms > c->at_ms ||
	    (it->clicks[i - 1].at_ms == c->at_ms &&
	    strcmp(it->clicks[i - 1].id, c->id) > 0))) {
		it->clicks[i] = it->clicks[i - 1];
		i--;
	}
	it->clicks[i] = *c;
	it->nclicks++;
}

/* Look up the click id an answer carried and add it.  0 or -1. */
static int
answer_click(struct run *r, struct rc_item *it, const char *id)
{
	struct hs_dbparam	 p[2] = { HS_DBP_INT(RC_SHARED_MIN - 1),
	    HS_DBP_TEXT(id) };
	struct hs_dbcol		 c[6];
	struct rc_click		 k;
	size_t			 i;
	int			 have;

	if (*id == '\0')
		return 0;
	for (i = 0; i < it->nclicks; i++)
		if (strcmp(it->clicks[i].id, id) == 0)
			return 0;
	memset(&k, 0, sizeof(k));
	rc_tcol(&c[0], k.id, sizeof(k.id)); rc_icol(&c[1]); rc_icol(&c[2]);
	rc_icol(&c[3]); rc_tcol(&c[4], k.client_hash, sizeof(k.client_hash));
	rc_icol(&c[5]);
	if (hs_db_query(r->db, STMT_CLICK_ONE, p, 2, c, 6) != HS_OK)
		return -1;
	if (hs_db_fetch(r->db, STMT_CLICK_ONE, &have) == HS_OK && have) {
		k.at_ms = c[1].i;
		k.link_id = c[2].i;
		k.is_bot = c[3].i != 0;
		k.shared = c[5].i != 0;
		add_click(it, &k);
	}
	hs_db_end(r->db, STMT_CLICK_ONE);
	return 0;
}

/* Copy the text fields (not the clicks) of src into dst. */
static void
copy_text(struct rc_item *dst, const struct rc_item *src)
{

	memcpy(dst->ref, src->ref, sizeof(dst->ref));
	memcpy(dst->email_hash, src->email_hash, sizeof(dst->email_hash));
	memcpy(dst->client_hash, src->client_hash, sizeof(dst->client_hash));
	memcpy(dst->options, src->options, sizeof(dst->options));
	memcpy(dst->other_text, src->other_text, sizeof(dst->other_text));
	memcpy(dst->referrer_text, src->referrer_text,
	    sizeof(dst->referrer_text));
	memcpy(dst->followup_text, src->followup_text,
	    sizeof(dst->followup_text));
	memcpy(dst->code_text, src->code_text, sizeof(dst->code_text));
	memcpy(dst->resp_client_hash, src->resp_client_hash,
	    sizeof(dst->resp_client_hash));
}

/* The next free item of the chunk, zeroed, or NULL when full. */
static struct rc_item *
next_item(struct run *r)
{
	struct rc_item	*it;

	if (r->n >= r->cap)
		return NULL;
	it = &r->items[r->n++];
	/* Not the whole struct: the click array is large and unused. */
	memset(it, 0, offsetof(struct rc_item, clicks));
	it->nclicks = 0;
	return it;
}

/*
 * Add the clicks the signups of the chunk from item base on carried
 * (signup_clicks), each to its item.  0 or -1.
 */
static int
chunk_clicks(struct run *r, size_t base)
{
	struct hs_dbparam	 p[3];
	struct hs_dbcol		 c[7];
	struct rc_click		 k;
	size_t			 a, b, m;
	long long		 sid;
	int			 have;

	p[0] = (struct hs_dbparam)HS_DBP_INT(RC_SHARED_MIN - 1);
	p[1] = (struct hs_dbparam)HS_DBP_INT(r->items[base].signup_id - 1);
	p[2] = (struct hs_dbparam)HS_DBP_INT(r->items[r->n - 1].signup_id);
	memset(&k, 0, sizeof(k));
	rc_icol(&c[0]); rc_tcol(&c[1], k.id, sizeof(k.id)); rc_icol(&c[2]);
	rc_icol(&c[3]); rc_icol(&c[4]);
	rc_tcol(&c[5], k.client_hash, sizeof(k.client_hash)); rc_icol(&c[6]);
	if (hs_db_query(r->db, STMT_CHUNK_CLICKS, p, 3, c, 7) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_CHUNK_CLICKS, &have) == HS_OK && have) {
		sid = c[0].i;
		/* Binary search: items are in signup id order. */
		a = base;
		b = r->n;
		while (a < b) {
			m = a + (b - a) / 2;
			if (r->items[m].signup_id < sid)
				a = m + 1;
			else
				b = m;
		}
		if (a >= r->n || r->items[a].signup_id != sid)
			continue;
		k.at_ms = c[2].i;
		k.link_id = c[3].i;
		k.is_bot = c[4].i != 0;
		k.shared = c[6].i != 0;
		add_click(&r->items[a], &k);
	}
	hs_db_end(r->db, STMT_CHUNK_CLICKS);
	return 0;
}

/*
 * Read the signups with ids in (lo, hi] inside the time bounds, their
 * latest answers and their clicks, appending items to the chunk.
 * Returns 0 or -1.
 */
int
rc_load_signups(struct run *r, long long lo, long long hi)
{
	struct hs_dbparam	 p[7] = { HS_DBP_INT(lo), HS_DBP_INT(hi),
	    HS_DBP_TEXT(r->since), HS_DBP_TEXT(r->until),
	    HS_DBP_INT(r->look_s), HS_DBP_INT(lo), HS_DBP_INT(hi) };
	struct hs_dbcol		 c[16];
	struct rc_item		*it, *row = &r->row;
	char			 rclick[40];
	size_t			 base = r->n, m;
	long long		 last = 0;
	int			 have;

	if (r->n >= r->cap)
		return 0;
	/* Rows are fetched into row and copied field by field. */
	memset(row, 0, sizeof(*row));
	rc_icol(&c[0]); rc_tcol(&c[1], row->ref, sizeof(row->ref));
	rc_icol(&c[2]);
	rc_tcol(&c[3], row->email_hash, sizeof(row->email_hash));
	rc_tcol(&c[4], row->client_hash, sizeof(row->client_hash));
	rc_icol(&c[5]); rc_icol(&c[6]); rc_icol(&c[7]);
	rc_tcol(&c[8], row->options, sizeof(row->options));
	rc_tcol(&c[9], row->other_text, sizeof(row->other_text));
	rc_tcol(&c[10], row->referrer_text, sizeof(row->referrer_text));
	rc_tcol(&c[11], row->followup_text, sizeof(row->followup_text));
	rc_tcol(&c[12], row->code_text, sizeof(row->code_text));
	rc_tcol(&c[13], row->resp_client_hash,
	    sizeof(row->resp_client_hash));
	rc_icol(&c[14]); rc_tcol(&c[15], rclick, sizeof(rclick));
	if (hs_db_query(r->db, STMT_CHUNK_SIGNUPS, p, 7, c, 16) != HS_OK)
		return -1;
	for (;;) {
		if (hs_db_fetch(r->db, STMT_CHUNK_SIGNUPS, &have) != HS_OK) {
			hs_db_end(r->db, STMT_CHUNK_SIGNUPS);
			return -1;
		}
		if (!have)
			break;
		/* Rows come by signup, latest answer first: keep that one. */
		if (c[0].i == last)
			continue;
		last = c[0].i;
		if ((it = next_item(r)) == NULL)
			break;
		copy_text(it, row);
		it->signup_id = c[0].i;
		it->signed_ms = c[2].i;
		it->response_id = c[5].i;
		it->survey_id = c[6].i;
		it->answered_ms = c[7].i;
		it->velocity_flag = c[14].i != 0;
		(void)snprintf(r->rclicks[r->n - 1], sizeof(r->rclicks[0]),
		    "%.32s", rclick);
	}
	hs_db_end(r->db, STMT_CHUNK_SIGNUPS);
	if (r->n == base)
		return 0;

	if (chunk_clicks(r, base) != 0)
		return -1;
	for (m = base; m < r->n; m++)
		if (answer_click(r, &r->items[m], r->rclicks[m]) != 0)
			return -1;
	return 0;
}

/*
 * Read the answers with ids in (lo, hi] inside the time bounds (the
 * latest per signup_ref).  An answer with no signup row becomes an item
 * of its own, keyed by its signup_ref or "response:<id>"; an answer of
 * an existing signup re-reconciles that signup when resignup is set
 * and the signup is at most upto (later ones phase 1 just did).
 * Returns 0 or -1.
 */
int
rc_load_responses(struct run *r, long long lo, long long hi, int resignup,
    long long upto)
{
	struct hs_dbparam	 p[9] = { HS_DBP_INT(lo), HS_DBP_INT(hi),
	    HS_DBP_TEXT(r->since), HS_DBP_TEXT(r->until), HS_DBP_INT(upto),
	    HS_DBP_INT(resignup), HS_DBP_INT(r->look_r), HS_DBP_INT(lo),
	    HS_DBP_INT(hi) };
	struct hs_dbcol		 c[13];
	long long		 look;
	struct rc_item		*it, *row = &r->row;
	char			 rclick[40];
	long long		*sids = NULL;
	size_t			 nsid = 0, i, base = r->n;
	int			 have, rc = -1;

	if ((sids = hs_xcalloc(r->cap, sizeof(*sids))) == NULL)
		return -1;
	memset(row, 0, sizeof(*row));
	rc_icol(&c[0]); rc_tcol(&c[1], row->ref, sizeof(row->ref));
	rc_icol(&c[2]); rc_icol(&c[3]); rc_icol(&c[4]);
	rc_tcol(&c[5], row->options, sizeof(row->options));
	rc_tcol(&c[6], row->other_text, sizeof(row->other_text));
	rc_tcol(&c[7], row->referrer_text, sizeof(row->referrer_text));
	rc_tcol(&c[8], row->followup_text, sizeof(row->followup_text));
	rc_tcol(&c[9], row->code_text, sizeof(row->code_text));
	rc_tcol(&c[10], row->resp_client_hash,
	    sizeof(row->resp_client_hash));
	rc_icol(&c[11]); rc_tcol(&c[12], rclick, sizeof(rclick));
	if (hs_db_query(r->db, STMT_CHUNK_RESPONSES, p, 9, c, 13) != HS_OK)
		goto out;
	for (;;) {
		if (hs_db_fetch(r->db, STMT_CHUNK_RESPONSES, &have) != HS_OK) {
			hs_db_end(r->db, STMT_CHUNK_RESPONSES);
			goto out;
		}
		if (!have)
			break;
		if (c[2].i != 0) {
			if (resignup && c[2].i <= upto && nsid < r->cap)
				sids[nsid++] = c[2].i;
			continue;
		}
		if ((it = next_item(r)) == NULL)
			break;
		copy_text(it, row);
		if (it->ref[0] == '\0')
			(void)snprintf(it->ref, sizeof(it->ref),
			    "response:%lld", c[0].i);
		it->response_id = c[0].i;
		it->answered_ms = it->signed_ms = c[3].i;
		it->survey_id = c[4].i;
		it->velocity_flag = c[11].i != 0;
		(void)snprintf(r->rclicks[r->n - 1], sizeof(r->rclicks[0]),
		    "%.32s", rclick);
	}
	hs_db_end(r->db, STMT_CHUNK_RESPONSES);
	for (i = base; i < r->n; i++)
		if (answer_click(r, &r->items[i], r->rclicks[i]) != 0)
			goto out;
	/* Old signups with a new answer: one small range read each. */
	look = r->look_s;
	r->look_s = 0;
	for (i = 0; i < nsid; i++)
		if (rc_load_signups(r, sids[i] - 1, sids[i]) != 0)
			break;
	r->look_s = look;
	if (i < nsid)
		goto out;
	rc = 0;
out:
	free(sids);
	return rc;
}

