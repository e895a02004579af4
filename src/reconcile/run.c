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
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"
#include "reconcile.h"

#define DAY_MS		(24LL * 3600 * 1000)
#define SLICE_DAYS	7	/* days per unit: ~250k rows at 1M a month */
#define RQ_UNIT		200	/* review queue texts refreshed per unit */
#define RQ_TEXTS_MAX	50000	/* more texts in a run: rebuild it whole */
#define MIN_TIME	"1000-01-01 00:00:00"
#define MAX_TIME	"9999-12-31 23:59:59"

const char *const rc_modes[RC_MODE__MAX] = {
	"incremental",		/* RC_MODE_INCREMENTAL */
	"window",		/* RC_MODE_WINDOW */
	"full",			/* RC_MODE_FULL */
};

volatile sig_atomic_t rc_stop;

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
	long long		 horizon;	/* ms: days before it are history */
	/* The dirty range finalise read; FIN_CLEAN clears only that one. */
	long long		 dirty_read[2];	/* ms; 0: none */
};

/* Free whatever a world holds. */
static void
world_free(struct rc_world *w)
{

	rc_map_free(w->codes, NULL);
	rc_map_free(w->links, free);
	rc_map_free(w->advocates, free);
	rc_map_free(w->events, free);
	rc_map_free(w->options, free);
	rc_map_free(w->selfhash, NULL);
	rc_map_free(w->velocity, NULL);
	rc_names_free(w->advnames);
	rc_names_free(w->evnames);
	rc_rules_free(w->rules);
	memset(w, 0, sizeof(*w));
}

/* Set a text column to use buf. */
static void
tcol(struct hs_dbcol *c, char *buf, size_t sz)
{

	memset(c, 0, sizeof(*c));
	c->type = HS_DB_TEXT;
	c->s = buf;
	c->cap = sz;
}

/* Set an integer column. */
static void
icol(struct hs_dbcol *c)
{

	memset(c, 0, sizeof(*c));
	c->type = HS_DB_INT;
}

/* A marker value for sets: the map stores pointers, any non-NULL will do. */
static char present[] = "";

/*
 * Load links, advocates (and their names), events, survey options,
 * advocates' own client hashes and the rules.  Returns 0 or -1 (logged).
 */
static int
world_load(struct run *r, const struct hs_conf *conf)
{
	struct rc_world		*w = &r->w;
	struct hs_dbcol		 c[7];
	char			 code[40], ch[64], handle[80], name[256];
	char			 aliases[4096], eh[80], key[600];
	struct rc_link		*l;
	struct rc_advocate	*a;
	struct rc_event		*e;
	struct rc_option	*op;
	struct rc_rule		 rule;
	int			 have, k, t;

	w->window_ms = (long long)(conf->attribution_days > 0 ?
	    conf->attribution_days : 30) * DAY_MS;
	if ((w->links = rc_map_new()) == NULL ||
	    (w->codes = rc_map_new()) == NULL ||
	    (w->advocates = rc_map_new()) == NULL ||
	    (w->events = rc_map_new()) == NULL ||
	    (w->options = rc_map_new()) == NULL ||
	    (w->selfhash = rc_map_new()) == NULL ||
	    (w->velocity = rc_map_new()) == NULL ||
	    (w->advnames = rc_names_new(0)) == NULL ||
	    (w->evnames = rc_names_new(1)) == NULL ||
	    (w->rules = rc_rules_new()) == NULL ||
	    (r->days = rc_map_new()) == NULL ||
	    (r->rqseen = rc_map_new()) == NULL)
		return -1;

	icol(&c[0]); tcol(&c[1], code, sizeof(code)); icol(&c[2]);
	icol(&c[3]); icol(&c[4]); tcol(&c[5], ch, sizeof(ch));
	if (hs_db_query(r->db, STMT_LINKS, NULL, 0, c, 6) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_LINKS, &have) == HS_OK && have) {
		if ((l = hs_xcalloc(1, sizeof(*l))) == NULL)
			goto fail_links;
		l->id = c[0].i;
		l->advocate_id = c[2].i;
		l->event_id = c[3].i;
		l->campaign_id = c[4].i;
		(void)snprintf(l->channel, sizeof(l->channel), "%s",
		    hs_channel_canon(ch));
		(void)snprintf(key, sizeof(key), "%lld", l->id);
		if (rc_map_put(w->links, key, l) != 0 ||
		    rc_map_put(w->codes, code, l) != 0) {
			free(l);
			goto fail_links;
		}
	}
	hs_db_end(r->db, STMT_LINKS);

	icol(&c[0]); tcol(&c[1], handle, sizeof(handle));
	tcol(&c[2], name, sizeof(name)); tcol(&c[3], aliases, sizeof(aliases));
	tcol(&c[4], eh, sizeof(eh)); icol(&c[5]);
	if (hs_db_query(r->db, STMT_ADVOCATES, NULL, 0, c, 6) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_ADVOCATES, &have) == HS_OK && have) {
		if ((a = hs_xcalloc(1, sizeof(*a))) == NULL)
			goto fail_adv;
		a->id = c[0].i;
		(void)snprintf(a->email_hash, sizeof(a->email_hash), "%.64s", eh);
		a->campaign_id = c[5].i;
		(void)snprintf(key, sizeof(key), "%lld", a->id);
		if (rc_map_put(w->advocates, key, a) != 0) {
			free(a);
			goto fail_adv;
		}
		if (rc_names_add_handle(w->advnames, a->id, handle) != 0 ||
		    rc_names_add_name(w->advnames, a->id, name) != 0 ||
		    rc_names_add_alias(w->advnames, a->id, aliases) != 0)
			goto fail_adv;
	}
	hs_db_end(r->db, STMT_ADVOCATES);

	icol(&c[0]); tcol(&c[1], handle, sizeof(handle));
	tcol(&c[2], name, sizeof(name)); icol(&c[3]); icol(&c[4]);
	if (hs_db_query(r->db, STMT_EVENTS, NULL, 0, c, 5) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_EVENTS, &have) == HS_OK && have) {
		if ((e = hs_xcalloc(1, sizeof(*e))) == NULL)
			goto fail_ev;
		e->id = c[0].i;
		e->campaign_id = c[3].i;
		e->host_advocate_id = c[4].i;
		(void)snprintf(key, sizeof(key), "%lld", e->id);
		if (rc_map_put(w->events, key, e) != 0) {
			free(e);
			goto fail_ev;
		}
		if (rc_names_add_handle(w->evnames, e->id, handle) != 0 ||
		    rc_names_add_name(w->evnames, e->id, name) != 0)
			goto fail_ev;
	}
	hs_db_end(r->db, STMT_EVENTS);

	icol(&c[0]); tcol(&c[1], code, sizeof(code));
	tcol(&c[2], ch, sizeof(ch)); tcol(&c[3], eh, sizeof(eh));
	if (hs_db_query(r->db, STMT_OPTIONS, NULL, 0, c, 4) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_OPTIONS, &have) == HS_OK && have) {
		if ((op = hs_xcalloc(1, sizeof(*op))) == NULL)
			goto fail_opt;
		(void)snprintf(op->channel, sizeof(op->channel), "%s",
		    hs_channel_canon(ch));
		op->followup = strcmp(eh, "text") == 0 ? RC_FOLLOW_TEXT :
		    strcmp(eh, "referrer") == 0 ? RC_FOLLOW_REFERRER :
		    strcmp(eh, "other") == 0 ? RC_FOLLOW_OTHER : RC_FOLLOW_NONE;
		(void)snprintf(key, sizeof(key), "%lld %s", c[0].i, code);
		if (rc_map_put(w->options, key, op) != 0) {
			free(op);
			goto fail_opt;
		}
	}
	hs_db_end(r->db, STMT_OPTIONS);

	icol(&c[0]); tcol(&c[1], eh, sizeof(eh));
	if (hs_db_query(r->db, STMT_SELFHASH, NULL, 0, c, 2) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_SELFHASH, &have) == HS_OK && have) {
		(void)snprintf(key, sizeof(key), "%lld %s", c[0].i, eh);
		if (rc_map_put(w->selfhash, key, present) != 0) {
			hs_db_end(r->db, STMT_SELFHASH);
			return -1;
		}
	}
	hs_db_end(r->db, STMT_SELFHASH);

	icol(&c[0]); icol(&c[1]); tcol(&c[2], ch, sizeof(ch));
	tcol(&c[3], name, sizeof(name)); tcol(&c[4], handle, sizeof(handle));
	icol(&c[5]); tcol(&c[6], code, sizeof(code));
	if (hs_db_query(r->db, STMT_RULES, NULL, 0, c, 7) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_RULES, &have) == HS_OK && have) {
		memset(&rule, 0, sizeof(rule));
		if ((k = rc_textkind_parse(ch)) < 0 ||
		    (t = rc_target_parse(handle)) < 0)
			continue;
		rule.id = c[0].i;
		if (rule.id > r->rules_max)
			r->rules_max = rule.id;
		rule.version = c[1].i;
		rule.target = t;
		rule.target_id = c[5].i;
		(void)snprintf(rule.channel, sizeof(rule.channel), "%.32s", code);
		if (rc_rules_add(w->rules, k, name, &rule) != 0) {
			hs_db_end(r->db, STMT_RULES);
			return -1;
		}
	}
	hs_db_end(r->db, STMT_RULES);
	return 0;
fail_links:
	hs_db_end(r->db, STMT_LINKS);
	return -1;
fail_adv:
	hs_db_end(r->db, STMT_ADVOCATES);
	return -1;
fail_ev:
	hs_db_end(r->db, STMT_EVENTS);
	return -1;
fail_opt:
	hs_db_end(r->db, STMT_OPTIONS);
	return -1;
}

/*
 * Make sure the velocity set holds the whole UTC day of ms.  It is
 * loaded per day from the full table, so a row gets the same flag
 * whichever run, mode or chunk reconciles it.  Returns 0 or -1.
 */
static int
need_day(struct run *r, long long ms)
{
	struct hs_dbparam	 p[3];
	struct hs_dbcol		 c[2];
	char			 day[11], h[80], t[32], key[128];
	long long		 d0;
	int			 have;

	rc_fmt_day(ms, day);
	if (rc_map_get(r->days, day) != NULL)
		return 0;
	d0 = ms - ((ms % DAY_MS) + DAY_MS) % DAY_MS;
	p[0] = (struct hs_dbparam)HS_DBP_INT(d0);
	p[1] = (struct hs_dbparam)HS_DBP_INT(d0 + DAY_MS);
	p[2] = (struct hs_dbparam)HS_DBP_INT(r->velocity_limit);
	tcol(&c[0], h, sizeof(h));
	tcol(&c[1], t, sizeof(t));
	/* Velocity: more signups than the hourly limit from one hash. */
	if (hs_db_query(r->db, STMT_VELOCITY, p, 3, c, 2) != HS_OK)
		return -1;
	while (hs_db_fetch(r->db, STMT_VELOCITY, &have) == HS_OK && have) {
		(void)snprintf(key, sizeof(key), "%s %s", h, t);
		if (rc_map_put(r->w.velocity, key, present) != 0)
			break;
	}
	hs_db_end(r->db, STMT_VELOCITY);
	return rc_map_put(r->days, day, present);
}

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
	tcol(&c[0], k.id, sizeof(k.id)); icol(&c[1]); icol(&c[2]);
	icol(&c[3]); tcol(&c[4], k.client_hash, sizeof(k.client_hash));
	icol(&c[5]);
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
 * Read the signups with ids in (lo, hi] inside the time bounds, their
 * latest answers and their clicks, appending items to the chunk.
 * Returns 0 or -1.
 */
static int
load_signups(struct run *r, long long lo, long long hi)
{
	struct hs_dbparam	 p[5] = { HS_DBP_INT(lo), HS_DBP_INT(hi),
	    HS_DBP_TEXT(r->since), HS_DBP_TEXT(r->until),
	    HS_DBP_INT(r->look_s) };
	struct hs_dbcol		 c[16];
	struct rc_item		*it, *row = &r->row;
	struct rc_click		 k;
	char			 rclick[40];
	size_t			 base = r->n, a, b, m;
	long long		 last = 0, sid;
	int			 have;

	if (r->n >= r->cap)
		return 0;
	/* Rows are fetched into row and copied field by field. */
	memset(row, 0, sizeof(*row));
	icol(&c[0]); tcol(&c[1], row->ref, sizeof(row->ref)); icol(&c[2]);
	tcol(&c[3], row->email_hash, sizeof(row->email_hash));
	tcol(&c[4], row->client_hash, sizeof(row->client_hash));
	icol(&c[5]); icol(&c[6]); icol(&c[7]);
	tcol(&c[8], row->options, sizeof(row->options));
	tcol(&c[9], row->other_text, sizeof(row->other_text));
	tcol(&c[10], row->referrer_text, sizeof(row->referrer_text));
	tcol(&c[11], row->followup_text, sizeof(row->followup_text));
	tcol(&c[12], row->code_text, sizeof(row->code_text));
	tcol(&c[13], row->resp_client_hash, sizeof(row->resp_client_hash));
	icol(&c[14]); tcol(&c[15], rclick, sizeof(rclick));
	if (hs_db_query(r->db, STMT_CHUNK_SIGNUPS, p, 5, c, 16) != HS_OK)
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

	p[0] = (struct hs_dbparam)HS_DBP_INT(RC_SHARED_MIN - 1);
	p[1] = (struct hs_dbparam)HS_DBP_INT(r->items[base].signup_id - 1);
	p[2] = (struct hs_dbparam)HS_DBP_INT(r->items[r->n - 1].signup_id);
	memset(&k, 0, sizeof(k));
	icol(&c[0]); tcol(&c[1], k.id, sizeof(k.id)); icol(&c[2]);
	icol(&c[3]); icol(&c[4]);
	tcol(&c[5], k.client_hash, sizeof(k.client_hash)); icol(&c[6]);
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
static int
load_responses(struct run *r, long long lo, long long hi, int resignup,
    long long upto)
{
	struct hs_dbparam	 p[6] = { HS_DBP_INT(lo), HS_DBP_INT(hi),
	    HS_DBP_TEXT(r->since), HS_DBP_TEXT(r->until),
	    HS_DBP_INT(resignup), HS_DBP_INT(r->look_r) };
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
	icol(&c[0]); tcol(&c[1], row->ref, sizeof(row->ref)); icol(&c[2]);
	icol(&c[3]); icol(&c[4]);
	tcol(&c[5], row->options, sizeof(row->options));
	tcol(&c[6], row->other_text, sizeof(row->other_text));
	tcol(&c[7], row->referrer_text, sizeof(row->referrer_text));
	tcol(&c[8], row->followup_text, sizeof(row->followup_text));
	tcol(&c[9], row->code_text, sizeof(row->code_text));
	tcol(&c[10], row->resp_client_hash, sizeof(row->resp_client_hash));
	icol(&c[11]); tcol(&c[12], rclick, sizeof(rclick));
	if (hs_db_query(r->db, STMT_CHUNK_RESPONSES, p, 6, c, 13) != HS_OK)
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
		if (load_signups(r, sids[i] - 1, sids[i]) != 0)
			break;
	r->look_s = look;
	if (i < nsid)
		goto out;
	rc = 0;
out:
	free(sids);
	return rc;
}

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
 * The chunk's transaction: renew the lease, upsert the rows, flag the
 * review queue as owed (review_all: refreshed at the end of the run,
 * whole after a run killed before that), widen the owed aggregate days,
 * move the watermark or cursor.  Replayed whole by hs_db_unit on a
 * transient error, so it only reads r.
 */
static enum hs_err
write_unit(struct hs_db *db, void *arg)
{
	struct run		*r = arg;
	struct hs_dbparam	 q[4];
	enum hs_err		 e;
	size_t			 i, j, n;
	const char		*lo, *hi;
	int			 l, owed;

	if ((l = rc_lease_renew(db, r->holder, r->o->lease_secs)) <= 0) {
		if (l == 0) {
			r->lost = 1;
			return HS_EINVAL;
		}
		return HS_EAGAIN;
	}
	for (i = 0; i < r->n; i += n) {
		n = r->n - i >= RC_BATCH ? RC_BATCH : 1;
		for (j = 0; j < n; j++)
			bind_attr(&r->attrs[i + j],
			    r->params + j * RC_ATTR_COLS, &r->rbufs[j]);
		if ((e = hs_db_exec(db, n == RC_BATCH ? STMT_ATTR_BATCH :
		    STMT_ATTR_ONE, r->params, n * RC_ATTR_COLS, NULL)) != HS_OK)
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

/* Progress on a terminal, at most once a second. */
static void
progress(struct run *r, const char *phase, long long at)
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
		if (rc_map_put(r->rqseen, key, present) != 0 ||
		    (r->rq[r->nrq].text = hs_xstrdup(a->free_text)) == NULL)
			return -1;
		r->rq[r->nrq++].kind = a->free_kind;
	}
	return 0;
}

/* Classify the chunk's items into its attributions.  0 or -1. */
static int
classify_chunk(struct run *r)
{
	size_t		 i;

	for (i = 0; i < r->n; i++) {
		if (need_day(r, r->items[i].signed_ms) != 0)
			return -1;
		rc_classify(&r->w, &r->items[i], &r->attrs[i]);
	}
	return 0;
}

/*
 * Write the chunk's attributions (unless dry), export them, count them,
 * then empty the chunk.  Returns an exit status: RC_EXIT_OK to go on.
 */
static int
write_chunk(struct run *r)
{
	size_t		 i;
	enum hs_err	 e;

	for (i = 0; i < r->n; i++) {
		r->classes[r->attrs[i].class]++;
		if (r->ex != NULL && rc_export_row(r->ex, &r->attrs[i]) != 0)
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
static int
flush_chunk(struct run *r)
{

	if (classify_chunk(r) != 0)
		return RC_EXIT_FAIL;
	return write_chunk(r);
}

/*
 * Read watermark name: *id and *ms (0 when absent or NULL).  Returns 0,
 * 1 when the row does not exist, -1 on error.
 */
static int
state_get(struct run *r, const char *name, long long *id, long long *ms)
{
	struct hs_dbparam	 p[1] = { HS_DBP_TEXT(name) };
	struct hs_dbcol		 c[3];
	int			 have = 0;

	*id = *ms = 0;
	icol(&c[0]); icol(&c[1]); icol(&c[2]);
	if (hs_db_query(r->db, STMT_STATE_GET, p, 1, c, 3) != HS_OK)
		return -1;
	if (hs_db_fetch(r->db, STMT_STATE_GET, &have) != HS_OK) {
		hs_db_end(r->db, STMT_STATE_GET);
		return -1;
	}
	if (have) {
		*id = c[0].i;
		*ms = c[2].i ? 0 : c[1].i;
	}
	hs_db_end(r->db, STMT_STATE_GET);
	return have ? 0 : 1;
}

/* Run a two-integer-column query with np params into a and b.  0 or -1. */
static int
two_ints(struct run *r, size_t id, const struct hs_dbparam *p, size_t np,
    long long *a, long long *b)
{
	struct hs_dbcol	 c[2];
	int		 have = 0;

	*a = *b = 0;
	icol(&c[0]); icol(&c[1]);
	if (hs_db_query(r->db, id, p, np, c, 2) != HS_OK)
		return -1;
	if (hs_db_fetch(r->db, id, &have) == HS_OK && have) {
		*a = c[0].i;
		*b = c[1].i;
	}
	hs_db_end(r->db, id);
	return 0;
}

/*
 * Phase 0: rows carrying a text that a rule newer than the last run
 * covers are reconciled again, so an analyst's decision reaches every
 * earlier answer too.  Returns an exit status.
 */
static int
phase_rules(struct run *r)
{
	struct hs_dbparam	 p[2];
	struct hs_dbcol		 c[7];
	struct hs_dbcol		 rc2[2];
	char			 kind[32], pat[RC_NORM_MAX], tk[16], ch[40];
	long long		 last, dummy, *sid = NULL, *rid = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 have, ex = RC_EXIT_FAIL;

	if (state_get(r, "rules", &last, &dummy) < 0)
		return RC_EXIT_FAIL;
	if (last >= r->rules_max)
		return RC_EXIT_OK;
	icol(&c[0]); icol(&c[1]); tcol(&c[2], kind, sizeof(kind));
	tcol(&c[3], pat, sizeof(pat)); tcol(&c[4], tk, sizeof(tk));
	icol(&c[5]); tcol(&c[6], ch, sizeof(ch));
	/* Collect the (signup, answer) pairs first: a result is open. */
	if (hs_db_query(r->db, STMT_RULES, NULL, 0, c, 7) != HS_OK)
		return RC_EXIT_FAIL;
	{
		struct rc_map	*texts = rc_map_new();
		char		 key[RC_NORM_MAX + 40];
		char		**list = NULL;
		size_t		 nl = 0, capl = 0;

		if (texts == NULL) {
			hs_db_end(r->db, STMT_RULES);
			return RC_EXIT_FAIL;
		}
		while (hs_db_fetch(r->db, STMT_RULES, &have) == HS_OK &&
		    have) {
			if (c[0].i <= last)
				continue;
			(void)snprintf(key, sizeof(key), "%s\037%s", kind, pat);
			if (rc_map_get(texts, key) != NULL)
				continue;
			if (rc_map_put(texts, key, present) != 0)
				break;
			if (nl == capl) {
				char **nlist = hs_xreallocarray(list,
				    capl ? capl * 2 : 16, sizeof(*nlist));
				if (nlist == NULL)
					break;
				list = nlist;
				capl = capl ? capl * 2 : 16;
			}
			if ((list[nl] = hs_xstrdup(key)) == NULL)
				break;
			nl++;
		}
		hs_db_end(r->db, STMT_RULES);
		rc_map_free(texts, NULL);
		for (i = 0; i < nl; i++) {
			char *sep = strchr(list[i], '\037');

			*sep = '\0';
			p[0] = (struct hs_dbparam)HS_DBP_TEXT(list[i]);
			p[1] = (struct hs_dbparam)HS_DBP_TEXT(sep + 1);
			icol(&rc2[0]); icol(&rc2[1]);
			if (hs_db_query(r->db, STMT_RULE_ROWS, p, 2, rc2, 2) !=
			    HS_OK)
				continue;
			while (hs_db_fetch(r->db, STMT_RULE_ROWS, &have) ==
			    HS_OK && have) {
				if (n == cap) {
					long long *ns, *nr;

					ns = hs_xreallocarray(sid, cap ? cap *
					    2 : 64, sizeof(*ns));
					if (ns != NULL)
						sid = ns;
					nr = hs_xreallocarray(rid, cap ? cap *
					    2 : 64, sizeof(*nr));
					if (nr != NULL)
						rid = nr;
					if (ns == NULL || nr == NULL)
						break;
					cap = cap ? cap * 2 : 64;
				}
				sid[n] = rc2[0].i;
				rid[n] = rc2[1].i;
				n++;
			}
			hs_db_end(r->db, STMT_RULE_ROWS);
		}
		for (i = 0; i < nl; i++)
			free(list[i]);
		free(list);
	}
	r->state_name = NULL;
	for (i = 0; i < n; i++) {
		if (sid[i] != 0) {
			if (load_signups(r, sid[i] - 1, sid[i]) != 0)
				goto out;
		} else if (load_responses(r, rid[i] - 1, rid[i], 0, 0) != 0)
			goto out;
		if (r->n + 1 >= r->cap || i + 1 == n) {
			/* The last chunk also moves the rules watermark. */
			if (i + 1 == n) {
				r->state_name = "rules";
				r->state_id = r->rules_max;
			}
			if ((ex = flush_chunk(r)) != RC_EXIT_OK)
				goto out;
		}
	}
	if (n == 0 && !r->o->dry_run) {
		/* Nothing to redo; still record the rule set seen. */
		r->state_name = "rules";
		r->state_id = r->rules_max;
		if ((ex = flush_chunk(r)) != RC_EXIT_OK)
			goto out;
	}
	ex = RC_EXIT_OK;
out:
	r->state_name = NULL;
	free(sid);
	free(rid);
	return ex;
}

/*
 * Phase 1 as a pipeline over two connections: a reader thread, with its
 * own connection and a copy of the run, reads and classifies chunk k + 1
 * while this thread writes chunk k, so the server works on both cores
 * (reading a chunk and writing one cost about the same).  The reader
 * only reads, and every write, the lease and the watermark stay here in
 * chunk order, so a kill, a lost lease or an error leaves the same
 * state as the sequential loop.  Nothing else touches what the reader
 * uses (the velocity set and the matchers' caches) until it is joined.
 */
#define PIPE_SLOTS	2

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
	long long	 at, to, k;
	int		 ok = 1, stop;

	for (at = pp->lo, k = 0; ok && at < pp->hi; at = to, k++) {
		to = at + rd->o->chunk < pp->hi ? at + rd->o->chunk : pp->hi;
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
		ok = load_signups(rd, at, to) == 0 && classify_chunk(rd) == 0;
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
 * Phase 1 through the pipeline.  Returns an exit status, or -1 when the
 * pipeline could not be set up (no memory, no second connection, no
 * thread) and nothing was done: the caller runs the sequential loop.
 */
static int
pipe_signups(struct run *r, long long lo, long long hi)
{
	struct pipe	*pp;
	struct slot	*sl;
	struct hs_db	*db2 = NULL;
	struct rc_attr	*attrs = r->attrs;
	pthread_t	 th;
	sigset_t	 all, old;
	long long	 k;
	size_t		 i;
	int		 ex = RC_EXIT_OK, full, failed;

	if ((pp = hs_xcalloc(1, sizeof(*pp))) == NULL)
		return -1;
	for (i = 0; i < PIPE_SLOTS; i++)
		if ((pp->s[i].items = hs_xcalloc(r->cap,
		    sizeof(*pp->s[i].items))) == NULL ||
		    (pp->s[i].attrs = hs_xcalloc(r->cap,
		    sizeof(*pp->s[i].attrs))) == NULL ||
		    (pp->s[i].rclicks = hs_xcalloc(r->cap,
		    sizeof(*pp->s[i].rclicks))) == NULL) {
			pipe_free(pp);
			return -1;
		}
	if (hs_db_open(&db2, r->conf, 0, rc_stmts, STMT__MAX) != HS_OK ||
	    hs_db_exec(db2, STMT_SESSION, NULL, 0, NULL) != HS_OK) {
		hs_log(HS_LOG_INFO, "no second connection: reading and "
		    "writing in turn");
		hs_db_close(db2);
		pipe_free(pp);
		return -1;
	}
	pp->rd = *r;
	pp->rd.db = db2;
	pp->rd.ex = NULL;
	pp->lo = lo;
	pp->hi = hi;
	(void)pthread_mutex_init(&pp->mu, NULL);
	(void)pthread_cond_init(&pp->cv, NULL);
	/* Signals stay with this thread, which checks rc_stop. */
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&th, NULL, pipe_reader, pp) != 0) {
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
		hs_db_close(db2);
		(void)pthread_cond_destroy(&pp->cv);
		(void)pthread_mutex_destroy(&pp->mu);
		pipe_free(pp);
		return -1;
	}
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);

	for (k = 0; ; k++) {
		sl = &pp->s[k % PIPE_SLOTS];
		(void)pthread_mutex_lock(&pp->mu);
		while (!sl->full && !pp->failed && !pp->done)
			(void)pthread_cond_wait(&pp->cv, &pp->mu);
		full = sl->full;
		failed = pp->failed;
		(void)pthread_mutex_unlock(&pp->mu);
		if (!full) {
			ex = failed ? RC_EXIT_FAIL : RC_EXIT_OK;
			break;
		}
		r->attrs = sl->attrs;
		r->n = sl->n;
		r->cur_signup = sl->to;
		/* A full run leaves the watermark where it ended. */
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "signups";
			r->state_id = sl->to;
		}
		ex = write_chunk(r);
		r->state_name = NULL;
		(void)pthread_mutex_lock(&pp->mu);
		sl->full = 0;
		(void)pthread_cond_broadcast(&pp->cv);
		(void)pthread_mutex_unlock(&pp->mu);
		if (ex != RC_EXIT_OK)
			break;
		progress(r, "signups", sl->to);
	}
	(void)pthread_mutex_lock(&pp->mu);
	pp->stop = 1;
	(void)pthread_cond_broadcast(&pp->cv);
	(void)pthread_mutex_unlock(&pp->mu);
	(void)pthread_join(th, NULL);
	r->attrs = attrs;
	r->n = 0;
	hs_db_close(db2);
	(void)pthread_cond_destroy(&pp->cv);
	(void)pthread_mutex_destroy(&pp->mu);
	pipe_free(pp);
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
	    (ex = pipe_signups(r, lo, hi)) != -1)
		return ex;
	for (at = lo; at < hi; at = to) {
		to = at + r->o->chunk < hi ? at + r->o->chunk : hi;
		if (load_signups(r, at, to) != 0)
			return RC_EXIT_FAIL;
		r->cur_signup = to;
		/* A full run leaves the watermark where it ended. */
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "signups";
			r->state_id = to;
		}
		ex = flush_chunk(r);
		r->state_name = NULL;
		if (ex != RC_EXIT_OK)
			return ex;
		progress(r, "signups", to);
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
		if (load_responses(r, at, to,
		    r->o->mode == RC_MODE_INCREMENTAL, upto) != 0)
			return RC_EXIT_FAIL;
		r->cur_response = to;
		if (r->o->mode != RC_MODE_WINDOW) {
			r->state_name = "responses";
			r->state_id = to;
		}
		ex = flush_chunk(r);
		r->state_name = NULL;
		if (ex != RC_EXIT_OK)
			return ex;
	}
	return RC_EXIT_OK;
}

/* Arguments of one finalising unit. */
struct fin {
	struct run	*r;
	int		 what;		/* FIN_* */
	char		 d0[11], d1[11];
	long long	 id;
};
#define FIN_DAYS	0	/* aggregates and matrix of [d0, d1] */
#define FIN_OUTSIDE	1	/* drop aggregates outside [d0, d1] */
#define FIN_INVITES	2	/* invites of [d0, d1] */
#define FIN_REVIEW	3	/* rebuild the review queue */
#define FIN_CLEAN	4	/* clear dirty days; move the marks */
#define FIN_TEXTS	5	/* refresh the run's texts from id on */


/* One finalising transaction; replayable.  HS_OK or an error. */
static enum hs_err
fin_unit(struct hs_db *db, void *arg)
{
	struct fin		*f = arg;
	struct hs_dbparam	 p[3] = { HS_DBP_TEXT(f->d0),
	    HS_DBP_TEXT(f->d1), HS_DBP_NULL };
	enum hs_err		 e;
	size_t			 i;
	int			 l;

	if ((l = rc_lease_renew(db, f->r->holder, f->r->o->lease_secs)) <= 0) {
		if (l == 0) {
			f->r->lost = 1;
			return HS_EINVAL;
		}
		return HS_EAGAIN;
	}
	switch (f->what) {
	case FIN_DAYS:
		if ((e = hs_db_exec(db, STMT_AGG_DELETE, p, 2, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_AGG_INSERT, p, 2, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_DELETE, p, 2, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_INSERT, p, 2, NULL)) != HS_OK)
			return e;
		return rc_rollups(db, p, 0);
	case FIN_OUTSIDE:
		p[2] = (struct hs_dbparam)HS_DBP_INT(f->r->o->keep_days);
		if ((e = hs_db_exec(db, STMT_AGG_DELETE_OUT, p, 3, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_MX_DELETE_OUT, p, 3, NULL)) != HS_OK)
			return e;
		return rc_rollups(db, p, 1);
	case FIN_INVITES:
		if ((e = hs_db_exec(db, STMT_INV_DELETE, p, 2, NULL)) != HS_OK ||
		    (e = hs_db_exec(db, STMT_INV_INSERT, p, 2, NULL)) != HS_OK)
			return e;
		return HS_OK;
	case FIN_REVIEW:
		if ((e = hs_db_exec(db, STMT_RQ_CLEAR, NULL, 0, NULL)) !=
		    HS_OK ||
		    (e = hs_db_exec(db, STMT_RQ_ALL, NULL, 0, NULL)) != HS_OK)
			return e;
		p[0] = (struct hs_dbparam)HS_DBP_TEXT("review_all");
		p[1] = (struct hs_dbparam)HS_DBP_INT(0);
		p[2] = (struct hs_dbparam)HS_DBP_INT(0);
		return hs_db_exec(db, STMT_STATE_SET, p, 3, NULL);
	case FIN_TEXTS:
		for (i = (size_t)f->id; i < f->r->nrq &&
		    i < (size_t)f->id + RQ_UNIT; i++) {
			p[0] = (struct hs_dbparam)
			    HS_DBP_TEXT(rc_textkinds[f->r->rq[i].kind]);
			p[1] = (struct hs_dbparam)HS_DBP_TEXT(f->r->rq[i].text);
			if ((e = hs_db_exec(db, STMT_RQ_DELETE, p, 2, NULL)) !=
			    HS_OK ||
			    (e = hs_db_exec(db, STMT_RQ_INSERT, p, 2, NULL)) !=
			    HS_OK)
				return e;
		}
		if (i < f->r->nrq)
			return HS_OK;
		/* The last unit: nothing is owed any more. */
		p[0] = (struct hs_dbparam)HS_DBP_TEXT("review_all");
		p[1] = (struct hs_dbparam)HS_DBP_INT(0);
		p[2] = (struct hs_dbparam)HS_DBP_INT(0);
		return hs_db_exec(db, STMT_STATE_SET, p, 3, NULL);
	case FIN_CLEAN:
		p[0] = (struct hs_dbparam)HS_DBP_INT(f->r->dirty_read[0]);
		p[1] = (struct hs_dbparam)HS_DBP_INT(f->r->dirty_read[1]);
		if ((e = hs_db_exec(db, STMT_DIRTY_CLEAR, p, 2, NULL)) != HS_OK)
			return e;
		if (f->id > 0) {
			p[0] = (struct hs_dbparam)HS_DBP_TEXT("clicks");
			p[1] = (struct hs_dbparam)HS_DBP_INT(0);
			p[2] = (struct hs_dbparam)HS_DBP_INT(f->id);
			if ((e = hs_db_exec(db, STMT_STATE_SET, p, 3, NULL)) !=
			    HS_OK)
				return e;
		}
		if (f->r->inv_mark > 0) {
			p[0] = (struct hs_dbparam)HS_DBP_TEXT("invites");
			p[1] = (struct hs_dbparam)HS_DBP_INT(0);
			p[2] = (struct hs_dbparam)HS_DBP_INT(f->r->inv_mark);
			if ((e = hs_db_exec(db, STMT_STATE_SET, p, 3, NULL)) !=
			    HS_OK)
				return e;
		}
		p[0] = (struct hs_dbparam)HS_DBP_TEXT("rules");
		p[1] = (struct hs_dbparam)HS_DBP_INT(f->r->rules_max);
		p[2] = (struct hs_dbparam)HS_DBP_INT(0);
		return hs_db_exec(db, STMT_STATE_SET, p, 3, NULL);
	default:
		return HS_EINVAL;
	}
}

/* Run one finalising unit; an exit status. */
static int
fin_run(struct run *r, int what, long long d0, long long d1, long long id)
{
	struct fin	 f;
	enum hs_err	 e;

	memset(&f, 0, sizeof(f));
	f.r = r;
	f.what = what;
	f.id = id;
	rc_fmt_day(d0, f.d0);
	rc_fmt_day(d1, f.d1);
	if ((e = hs_db_unit(r->db, fin_unit, &f)) == HS_OK)
		return RC_EXIT_OK;
	if (r->lost)
		return RC_EXIT_LOST;
	hs_log(HS_LOG_ERR, "finalising: %s", hs_strerror(e));
	return e == HS_EAGAIN ? RC_EXIT_UNAVAIL : RC_EXIT_FAIL;
}

/*
 * Rebuild per-day tables of [d0, d1] in slices, from the horizon on:
 * the days before it are history, whose rows retention erased (a late
 * row of such a day would otherwise replace the day's counts with its
 * own).  An exit status.
 */
static int
fin_days(struct run *r, int what, long long d0, long long d1)
{
	long long	 at, to;
	int		 ex;

	for (at = d0 > r->horizon ? d0 : r->horizon; at <= d1;
	    at = to + DAY_MS) {
		to = at + (SLICE_DAYS - 1) * DAY_MS;
		if (to > d1)
			to = d1;
		if ((ex = fin_run(r, what, at, to, 0)) != RC_EXIT_OK)
			return ex;
		if (rc_stop)
			return RC_EXIT_INTR;
	}
	return RC_EXIT_OK;
}

/* rc_touched's callback: rebuild the invites of [d0, d1] (ms). */
static int
inv_days(void *arg, long long d0, long long d1)
{

	return fin_days(arg, FIN_INVITES, d0, d1);
}

/*
 * Invites of the days before *from (ms) that clicks recorded late touch:
 * a journal replayed after an outage brings clicks with an old
 * clicked_at that the rebuild from *from on does not reach.  Their days
 * are those of the clicks recorded since the "invites" mark (the clock
 * before the last full or incremental run's invites, less RC_SLACK_SECS
 * for late commits), each run of consecutive days rebuilt in bounded
 * units.  With no mark (the first run) or RC_BACKLOG_MAX clicks or more
 * recorded since, every day is rebuilt instead: *from becomes cmin.  A
 * full run, which rebuilds every day anyway, only reads the clock.  Sets
 * r->inv_mark, which FIN_CLEAN records.  An exit status.
 *
 * Not the survey rollups' mark: a window run moves that one without
 * rebuilding the invites outside its window.
 */
static int
late_invites(struct run *r, long long *from, long long cmin)
{
	struct hs_dbparam	 p[4];
	long long		 mark, since, n, id;
	char			 before[11];
	int			 incr;

	incr = r->o->mode == RC_MODE_INCREMENTAL;
	mark = 0;
	if (incr && state_get(r, "invites", &id, &mark) < 0)
		return RC_EXIT_FAIL;
	since = mark - RC_SLACK_SECS * 1000LL;
	p[0] = (struct hs_dbparam)HS_DBP_INT(since);
	p[1] = (struct hs_dbparam)HS_DBP_INT(incr && mark != 0 ?
	    RC_BACKLOG_MAX : 0);
	if (two_ints(r, STMT_INV_BACKLOG, p, 2, &n, &r->inv_mark) != 0 ||
	    r->inv_mark == 0)
		return RC_EXIT_FAIL;
	if (!incr)
		return RC_EXIT_OK;
	if (mark == 0 || n >= RC_BACKLOG_MAX) {
		*from = cmin;
		return RC_EXIT_OK;
	}
	if (*from <= cmin)
		return RC_EXIT_OK;
	rc_fmt_day(*from, before);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(before);
	return rc_touched(r->db, STMT_INV_TOUCHED, p, 4, inv_days, r);
}

/* Parse "YYYY-MM-DD[ HH:MM[:SS]]" (UTC) to ms.  0 or -1. */
static int
parse_time(const char *s, long long *ms)
{
	struct tm	 tm;
	int		 n, y, mo, d, h = 0, mi = 0, se = 0;

	n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se);
	if (n != 3 && n != 5 && n != 6)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*ms = (long long)timegm(&tm) * 1000;
	return 0;
}

/*
 * Delete attributions whose signup and answer no longer exist (erased
 * with hearsay-admin forget).  Each is one autocommitted single-row
 * delete: erasures are rare.  Returns 0 or -1.
 */
static int
drop_orphans(struct run *r)
{
	struct hs_dbparam	 p[1];
	struct hs_dbcol		 oc;
	char			 ref[129], last[129] = "";
	char			(*refs)[129] = NULL;
	size_t			 n, i;
	int			 have, rc = -1;

	if ((refs = hs_xcalloc(1000, sizeof(*refs))) == NULL)
		return -1;
	for (;;) {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(last);
		tcol(&oc, ref, sizeof(ref));
		if (hs_db_query(r->db, STMT_ORPHANS, p, 1, &oc, 1) != HS_OK)
			goto out;
		n = 0;
		while (n < 1000 && hs_db_fetch(r->db, STMT_ORPHANS, &have) ==
		    HS_OK && have)
			(void)snprintf(refs[n++], sizeof(refs[0]), "%s", ref);
		hs_db_end(r->db, STMT_ORPHANS);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			p[0] = (struct hs_dbparam)HS_DBP_TEXT(refs[i]);
			if (hs_db_exec(r->db, STMT_ATTR_DELETE, p, 1, NULL) !=
			    HS_OK)
				goto out;
		}
		(void)snprintf(last, sizeof(last), "%s", refs[n - 1]);
	}
	rc = 0;
out:
	free(refs);
	return rc;
}

/*
 * Finalise: orphans (full), aggregates of the owed days, invites, the
 * review queue (full), then clear the marks.  An exit status.
 */
static int
finalise(struct run *r)
{
	struct hs_dbcol		 c[3];
	struct hs_dbparam	 p[1];
	long long		 d0, d1, n, id, cmin, cmax, from, dirty[2];
	size_t			 i;
	int			 ex, have;

	dirty[0] = dirty[1] = 0;
	p[0] = (struct hs_dbparam)HS_DBP_INT(r->o->keep_days);
	if (two_ints(r, STMT_HORIZON, p, 1, &r->horizon, &n) != 0 ||
	    r->horizon == 0)
		return RC_EXIT_FAIL;
	/*
	 * Read first, in every mode: a forget that widens the range after
	 * this (and after the days it names were rebuilt) must find it
	 * still there next run, so FIN_CLEAN clears only what was read.
	 */
	if (state_get(r, "dirty_from", &id, &d0) < 0 ||
	    state_get(r, "dirty_to", &id, &d1) < 0)
		return RC_EXIT_FAIL;
	r->dirty_read[0] = d0;
	r->dirty_read[1] = d1;
	if (r->o->mode == RC_MODE_FULL) {
		/* Rows whose signup and answer were erased go too. */
		if (drop_orphans(r) != 0)
			return RC_EXIT_FAIL;
		icol(&c[0]); icol(&c[1]); icol(&c[2]);
		if (hs_db_query(r->db, STMT_ATTR_DAYS, NULL, 0, c, 3) !=
		    HS_OK)
			return RC_EXIT_FAIL;
		d0 = d1 = n = 0;
		if (hs_db_fetch(r->db, STMT_ATTR_DAYS, &have) == HS_OK &&
		    have) {
			d0 = c[0].i;
			d1 = c[1].i;
			n = c[2].i;
		}
		hs_db_end(r->db, STMT_ATTR_DAYS);
		if (n == 0)
			d0 = d1 = 0;
		if ((ex = fin_run(r, FIN_OUTSIDE, d0, d1, 0)) != RC_EXIT_OK)
			return ex;
		if (n > 0 && (ex = fin_days(r, FIN_DAYS, d0, d1)) != RC_EXIT_OK)
			return ex;
	} else {
		if (d0 != 0 && d1 != 0) {
			if ((ex = fin_days(r, FIN_DAYS, d0, d1)) != RC_EXIT_OK)
				return ex;
			/* The survey rollups' too: erased answers (forget). */
			dirty[0] = d0;
			dirty[1] = d1;
		}
	}
	if (two_ints(r, STMT_CLICK_SPAN, NULL, 0, &cmin, &cmax) != 0)
		return RC_EXIT_FAIL;
	if (r->o->mode == RC_MODE_WINDOW) {
		if (parse_time(r->since, &from) != 0 || from < cmin)
			from = cmin;
		if (parse_time(r->until, &d1) == 0 && d1 - 1 < cmax)
			cmax = d1 - 1;
	} else if (r->o->mode == RC_MODE_INCREMENTAL) {
		if (state_get(r, "clicks", &id, &from) < 0)
			return RC_EXIT_FAIL;
		/* A day back: late clicks (journal replays) of yesterday. */
		from = from != 0 ? from - DAY_MS : cmin;
		if ((ex = late_invites(r, &from, cmin)) != RC_EXIT_OK)
			return ex;
	} else {
		from = cmin;
		if ((ex = late_invites(r, &from, cmin)) != RC_EXIT_OK)
			return ex;
	}
	if (cmax != 0 && from <= cmax &&
	    (ex = fin_days(r, FIN_INVITES, from, cmax)) != RC_EXIT_OK)
		return ex;
	if (state_get(r, "review_all", &id, &d0) < 0)
		return RC_EXIT_FAIL;
	if (id == 1) {
		/*
		 * Whole after a full run, or when an earlier run was killed
		 * owing texts nobody noted; else the texts this run wrote.
		 */
		if (r->o->mode == RC_MODE_FULL || r->rq_prior ||
		    r->rq_overflow || r->nrq == 0)
			ex = fin_run(r, FIN_REVIEW, 0, 0, 0);
		else
			for (i = 0, ex = RC_EXIT_OK; ex == RC_EXIT_OK &&
			    i < r->nrq; i += RQ_UNIT)
				ex = fin_run(r, FIN_TEXTS, 0, 0, (long long)i);
		if (ex != RC_EXIT_OK)
			return ex;
	}
	/*
	 * The survey and scan rollups (042), by days of rows recorded and
	 * the dirty days, before FIN_CLEAN clears them.
	 */
	if ((ex = rc_survey_rollups(r->db, r->holder, r->o, r->horizon,
	    dirty[0], dirty[1])) != RC_EXIT_OK)
		return ex;
	return fin_run(r, FIN_CLEAN, 0, 0,
	    r->o->mode == RC_MODE_WINDOW ? 0 : cmax);
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
	icol(&c[0]); tcol(&c[1], st, sizeof(st)); tcol(&c[2], mode,
	    sizeof(mode)); tcol(&c[3], s0, sizeof(s0));
	tcol(&c[4], s1, sizeof(s1)); icol(&c[5]); icol(&c[6]);
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
 * The whole run.  Returns the process exit status (RC_EXIT_*).
 */
int
rc_run(struct hs_db *db, const struct hs_conf *conf, const struct rc_opts *o)
{
	struct run	*r;
	struct hs_dbparam p[3];
	long long	 wm_s = 0, wm_r = 0, ms, lo_s, lo_r, hi_s, hi_r, x, y;
	int		 ex = RC_EXIT_FAIL, l, leased = 0;
	size_t		 i;

	if ((r = hs_xcalloc(1, sizeof(*r))) == NULL)
		return RC_EXIT_FAIL;
	r->db = db;
	r->conf = conf;
	r->o = o;
	r->cap = (size_t)o->chunk;
	r->started = time(NULL);
	r->since = o->since != NULL ? o->since : MIN_TIME;
	r->until = o->until != NULL ? o->until : MAX_TIME;
	r->velocity_limit = conf->velocity_limit > 0 ? conf->velocity_limit :
	    10;
	if ((r->items = hs_xcalloc(r->cap, sizeof(*r->items))) == NULL ||
	    (r->attrs = hs_xcalloc(r->cap, sizeof(*r->attrs))) == NULL ||
	    (r->rclicks = hs_xcalloc(r->cap, sizeof(*r->rclicks))) == NULL ||
	    (r->params = hs_xcalloc(RC_BATCH * RC_ATTR_COLS,
	    sizeof(*r->params))) == NULL ||
	    (r->rbufs = hs_xcalloc(RC_BATCH, sizeof(*r->rbufs))) == NULL)
		goto out;
	make_holder(r);

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
	if (world_load(r, conf) != 0)
		goto out;
	if (!o->dry_run && run_start(r) != 0)
		goto out;
	/* Texts owed by a killed run are not known: then rebuild whole. */
	if (state_get(r, "review_all", &x, &ms) < 0)
		goto out;
	r->rq_prior = x == 1;
	if (o->export != RC_FMT_NONE &&
	    (r->ex = rc_export_open(o->export, o->out)) == NULL)
		goto out;

	/* Where to start: the watermarks less one chunk, or a cursor. */
	if (o->mode == RC_MODE_INCREMENTAL) {
		if (state_get(r, "signups", &wm_s, &ms) < 0 ||
		    state_get(r, "responses", &wm_r, &ms) < 0)
			goto out;
		/*
		 * Ids are taken at insert but become visible at commit, so
		 * a row may appear below the mark; one chunk of look-back
		 * catches it (re-reconciling a row gives the same row).
		 */
		lo_s = wm_s > o->chunk ? wm_s - o->chunk : 0;
		lo_r = wm_r > o->chunk ? wm_r - o->chunk : 0;
		if ((ex = phase_rules(r)) != RC_EXIT_OK)
			goto out;
		ex = RC_EXIT_FAIL;
		r->look_s = wm_s;
		r->look_r = wm_r;
	} else {
		lo_s = r->cur_signup;
		lo_r = r->cur_response;
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(lo_s);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(r->since);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(r->until);
	if (two_ints(r, STMT_SIGNUP_SPAN, p, 3, &x, &hi_s) != 0)
		goto out;
	r->span_lo = lo_s;
	r->span_hi = hi_s;
	if (hi_s > lo_s && (ex = phase_signups(r, lo_s, hi_s)) != RC_EXIT_OK)
		goto out;
	p[0] = (struct hs_dbparam)HS_DBP_INT(lo_r);
	if (two_ints(r, STMT_RESPONSE_IDS, p, 3, &y, &hi_r) != 0) {
		ex = RC_EXIT_FAIL;
		goto out;
	}
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
		goto out;
	ex = o->dry_run ? RC_EXIT_OK : finalise(r);
	/* The cohort tables (cohorts.c), from the attributions just made. */
	if (ex == RC_EXIT_OK && !o->dry_run && rc_cohorts(conf, NULL) != 0)
		ex = RC_EXIT_FAIL;
out:
	if (r->o->progress && r->rows > 0)
		fputc('\n', stderr);
	if (r->ex != NULL && rc_export_close(r->ex) != 0 && ex == RC_EXIT_OK)
		ex = RC_EXIT_FAIL;
	if (!o->dry_run)
		run_end(r, ex);
	if (leased)
		rc_lease_drop(db, r->holder);
	if (!o->quiet) {
		fprintf(stderr, "hearsay-reconcile: %s%s: %lld rows in %lld "
		    "chunks, %lld s:", rc_modes[o->mode], o->dry_run ?
		    " (dry run)" : "", r->rows, r->chunks,
		    (long long)(time(NULL) - r->started));
		for (i = 0; i < HS_CLASS__MAX; i++)
			fprintf(stderr, " %s=%lld", hs_classes[i],
			    r->classes[i]);
		fprintf(stderr, " exit=%d\n", ex);
	}
	world_free(&r->w);
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
	return ex;
}
