/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * store.c: an answer goes to MariaDB in one transaction, or, when MariaDB
 * cannot be reached, into the local journal (fsync'd before the person
 * is thanked), from which the helper process loads it later.  Both paths
 * insert keyed on the answer's submission_id, a random nonce made when
 * the form was shown (or the API's idempotency key): a double submit, a
 * retry, or a journal record loaded twice all store one row.
 *
 * A journal record is the answer as a JSON object: readable with any
 * tool when an operator has to look at a spool, and binary-safe for
 * every string a person can type.
 *
 * A form answer is not stored by its own request: it joins the worker's
 * batch (answer_defer) and fcgimux.c calls answer_settle once the
 * requests that arrived together were served, before any of them is
 * answered.  The batch is one multi-row INSERT and so one COMMIT: on
 * MariaDB that costs 40% of single-row INSERTs' CPU per answer at four
 * rows, and it is what lets nginx, FastCGI and the checks cost less
 * than the INSERT loop they are measured against.  A batch that fails
 * as a whole (a double submit in it, MariaDB gone) is stored answer by
 * answer, each the way it would have been alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "hearsay.h"
#include "survey.h"

#define STORE_SINGLE_TRIES	2	/* autocommit INSERT before the unit */

/* NULL for an empty optional string, so SQL stores NULL. */
static const char *
opt_str(const char *s)
{

	return s != NULL && *s != '\0' ? s : NULL;
}

#define ANSWER_NPARAM	16	/* parameters of one row of STMT_RESPONSES */

/* Binds an answer to STMT_RESPONSE_PUT's parameters, in column order. */
static void
answer_params(const struct answer *a, struct hs_dbparam *p)
{
	const struct hs_dbparam	 v[ANSWER_NPARAM] = {
		HS_DBP_TEXT(a->submission),
		HS_DBP_INT(a->survey_id),
		HS_DBP_TEXT(a->signup_ref),
		HS_DBP_INT(a->verified),
		HS_DBP_TEXT(a->answered_at),
		HS_DBP_TEXT(a->options),
		HS_DBP_TEXT(a->shown),
		HS_DBP_TEXT(opt_str(a->followup)),
		HS_DBP_TEXT(opt_str(a->other)),
		HS_DBP_TEXT(opt_str(a->referrer)),
		HS_DBP_TEXT(opt_str(a->code)),
		HS_DBP_TEXT(opt_str(a->click)),
		HS_DBP_INT(a->consent),
		HS_DBP_TEXT(opt_str(a->client)),
		HS_DBP_INT(a->velocity),
		HS_DBP_TEXT(a->source),
	};

	memcpy(p, v, sizeof(v));
}

/* 1 if storing a also writes its signup: several tables, a unit. */
static int
names_signup(const struct answer *a)
{

	return a->verified && a->signup_ref != NULL;
}

/* Writes the signup a names, and its click id; within a unit. */
static enum hs_err
signup_put(struct hs_db *db, const struct answer *a)
{
	struct hs_dbparam	 s[2] = { HS_DBP_TEXT(a->signup_ref),
				    HS_DBP_TEXT(a->answered_at) };
	struct hs_dbparam	 k[2] = { HS_DBP_TEXT(a->click),
				    HS_DBP_TEXT(a->signup_ref) };
	enum hs_err		 e;

	if ((e = hs_db_exec(db, STMT_SIGNUP_PUT, s, 2, NULL)) == HS_OK &&
	    a->click[0] != '\0')
		e = hs_db_exec(db, STMT_SIGNUP_CLICK_PUT, k, 2, NULL);
	return e;
}

/*
 * Reads signup ref's current answer to survey sid into *pr, with the
 * end of its window to change it (hours after the first answer) and
 * whether time at (a DATETIME(3) literal) is still inside it; stmt is
 * STMT_ANSWER_GET, or STMT_ANSWER_LOCK inside a storing unit.
 */
static enum hs_err
prior_read(struct hs_db *db, enum stmt stmt, int hours, long long sid,
    const char *ref, const char *at, struct prior *pr)
{
	struct hs_dbparam	 p[3] = { HS_DBP_INT(hours), HS_DBP_INT(sid),
				    HS_DBP_TEXT(ref) };
	struct hs_dbcol		 col[9];
	char			*dst[8] = { pr->submission, pr->options,
				    pr->followup, pr->other, pr->referrer,
				    pr->code, pr->until, pr->day };
	size_t			 cap[8] = { sizeof(pr->submission),
				    sizeof(pr->options), sizeof(pr->followup),
				    sizeof(pr->other), sizeof(pr->referrer),
				    sizeof(pr->code), sizeof(pr->until),
				    sizeof(pr->day) };
	size_t			 i;
	enum hs_err		 e;

	memset(pr, 0, sizeof(*pr));
	memset(col, 0, sizeof(col));
	col[0].type = HS_DB_INT;
	for (i = 0; i < 8; i++) {
		col[i + 1].type = HS_DB_TEXT;
		col[i + 1].s = dst[i];
		col[i + 1].cap = cap[i];
	}
	if ((e = hs_db_row(db, stmt, p, 3, col, 9, &pr->have)) != HS_OK)
		return e;
	if (!pr->have)
		return HS_OK;
	pr->id = col[0].i;
	/* Both are UTC literals of one format: text order is time order. */
	pr->changeable = hours > 0 && strcmp(at, pr->until) < 0;
	return HS_OK;
}

/*
 * The answer a duplicate key refused was the signup's (not a retry of
 * its own submission_id): within the window, the signup's current
 * answer moves to response_history and a takes its place as a new row
 * (a new id, so that the next reconciliation takes it up); past it,
 * nothing changes.  Inside the storing unit; *how says which.
 */
static enum hs_err
replace_one(struct hs_db *db, int hours, const struct answer *a,
    enum stored *how)
{
	struct hs_dbparam	 p[ANSWER_NPARAM];
	struct hs_dbparam	 q[2] = { HS_DBP_TEXT(a->submission),
				    HS_DBP_TEXT(a->submission) };
	struct hs_dbparam	 d[1];
	struct hs_dbcol		 col = HS_DBC_INT;
	struct prior		 pr;
	enum hs_err		 e;
	int			 have = 0;

	*how = STORED_DUP;
	if ((e = prior_read(db, STMT_ANSWER_LOCK, hours, a->survey_id,
	    a->signup_ref, a->answered_at, &pr)) != HS_OK)
		return e;
	/*
	 * Not a change but a submission_id stored already: its own retry,
	 * another signup's (the API's key used again), or one since
	 * replaced, which a retry must not bring back.
	 */
	if (pr.have && strcmp(pr.submission, a->submission) == 0)
		return HS_OK;
	if ((e = hs_db_row(db, STMT_HISTORY_HAS, q, 2, &col, 1, &have)) !=
	    HS_OK || !have || col.i > 0 || !pr.have)
		return e;
	if (!pr.changeable) {
		*how = STORED_LOCKED;
		return HS_OK;
	}
	q[0] = (struct hs_dbparam)HS_DBP_INT(pr.id);
	answer_params(a, p);
	d[0] = (struct hs_dbparam)HS_DBP_TEXT(pr.day);
	if ((e = hs_db_exec(db, STMT_HISTORY_PUT, q, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, STMT_RESPONSE_DEL, q, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, STMT_RESPONSE_PUT, p, ANSWER_NPARAM,
	    NULL)) != HS_OK ||
	    (e = hs_db_exec(db, STMT_DIRTY_FROM, d, 1, NULL)) != HS_OK ||
	    (e = hs_db_exec(db, STMT_DIRTY_TO, d, 1, NULL)) != HS_OK)
		return e == HS_EDUP ? HS_EDB : e;
	*how = STORED_CHANGED;
	return signup_put(db, a);
}

/*
 * Stores one answer (and, for a verified signup, the signup and its
 * click id), inside a unit.  A duplicate submission_id means the answer
 * is already stored: success, so the person sees the same thank-you
 * page.  A second answer for the same signup replaces the first while
 * hours allow it (replace_one).  *how says what happened.
 */
static enum hs_err
store_one(struct hs_db *db, int hours, const struct answer *a,
    enum stored *how)
{
	struct hs_dbparam	 p[ANSWER_NPARAM];
	enum hs_err		 e;

	*how = STORED_NEW;
	answer_params(a, p);
	if ((e = hs_db_exec(db, STMT_RESPONSE_PUT, p, ANSWER_NPARAM, NULL)) !=
	    HS_OK) {
		if (e != HS_EDUP)
			return e;
		if (a->signup_ref != NULL)
			return replace_one(db, hours, a, how);
		*how = STORED_DUP;
		return HS_OK;
	}
	return names_signup(a) ? signup_put(db, a) : HS_OK;
}

/* store_one as a unit: an answer, and what storing it did. */
struct one {
	const struct answer	*a;
	int			 hours;
	enum stored		 how;
};

static enum hs_err
store_unit(struct hs_db *db, void *arg)
{
	struct one	*o = arg;

	o->how = STORED_NEW;	/* a replayed unit starts again */
	return store_one(db, o->hours, o->a, &o->how);
}

/*
 * The common case, answers that are one row each (no verified signup):
 * one autocommit INSERT of the n rows, as durable as a unit's COMMIT,
 * without the unit's START TRANSACTION and COMMIT round trips.  A
 * connection lost under it is retried (hs_db_exec reconnects first):
 * the unique submission_id makes a replay of a committed INSERT a
 * duplicate.  Returns HS_OK, HS_EDUP (one of the rows was stored
 * already: all of them when n is 1), HS_EAGAIN when the unit (and then
 * the journal) must take over, or the statement's error.
 */
static enum hs_err
store_rows(struct hs_db *db, const struct answer *a, size_t n)
{
	struct hs_dbparam	 p[SURVEY_BATCH_MAX * ANSWER_NPARAM];
	enum hs_err		 e = HS_EAGAIN;
	size_t			 i;
	int			 try;

	for (i = 0; i < n; i++) {
		if (names_signup(&a[i]))
			return HS_EAGAIN;
		answer_params(&a[i], &p[i * ANSWER_NPARAM]);
	}
	for (try = 0; try < STORE_SINGLE_TRIES && e == HS_EAGAIN; try++)
		e = hs_db_exec(db, STMT_RESPONSES(n), p, n * ANSWER_NPARAM,
		    NULL);
	return e;
}

/* A batch for batch_unit. */
struct rows {
	const struct answer	*a;
	size_t			 n;
};

/*
 * The unit of a batch that names signups: the answers' rows in one
 * INSERT, then each named signup and its click id.  A duplicate fails
 * the unit (answer_settle then stores answer by answer).
 */
static enum hs_err
batch_unit(struct hs_db *db, void *arg)
{
	const struct rows	*b = arg;
	struct hs_dbparam	 p[SURVEY_BATCH_MAX * ANSWER_NPARAM];
	enum hs_err		 e;
	size_t			 i;

	for (i = 0; i < b->n; i++)
		answer_params(&b->a[i], &p[i * ANSWER_NPARAM]);
	e = hs_db_exec(db, STMT_RESPONSES(b->n), p, b->n * ANSWER_NPARAM,
	    NULL);
	for (i = 0; i < b->n && e == HS_OK; i++)
		if (names_signup(&b->a[i]))
			e = signup_put(db, &b->a[i]);
	return e;
}

/* Sets key to s in o, or to null.  Returns 0, or -1 out of memory. */
static int
jset(json_t *o, const char *key, const char *s)
{

	return json_object_set_new(o, key, s != NULL ?
	    json_stringn(s, strlen(s)) : json_null());
}

/*
 * Serialises a into a journal record (JSON, malloc'd, to be freed).
 * Returns NULL out of memory.
 */
static char *
record_of(const struct answer *a)
{
	json_t	*o;
	char	*r = NULL;

	if ((o = json_object()) == NULL)
		return NULL;
	if (jset(o, "submission_id", a->submission) == 0 &&
	    json_object_set_new(o, "survey_id",
	    json_integer(a->survey_id)) == 0 &&
	    jset(o, "signup_ref", a->signup_ref) == 0 &&
	    json_object_set_new(o, "verified",
	    json_integer(a->verified)) == 0 &&
	    jset(o, "answered_at", a->answered_at) == 0 &&
	    jset(o, "options", a->options) == 0 &&
	    jset(o, "shown_order", a->shown) == 0 &&
	    jset(o, "followup_text", a->followup) == 0 &&
	    jset(o, "other_text", a->other) == 0 &&
	    jset(o, "referrer_text", a->referrer) == 0 &&
	    jset(o, "code_text", a->code) == 0 &&
	    jset(o, "click_id", a->click) == 0 &&
	    json_object_set_new(o, "consent", json_integer(a->consent)) == 0 &&
	    jset(o, "client_hash", a->client) == 0 &&
	    json_object_set_new(o, "velocity_flag",
	    json_integer(a->velocity)) == 0 &&
	    jset(o, "source", a->source) == 0)
		r = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return r;
}

/*
 * Appends the n answers a[] (1 to SURVEY_BATCH_MAX) to the journal and
 * fsyncs them, once for all: MariaDB cannot be reached.  Returns HS_OK,
 * HS_EFULL, HS_EIO or HS_ENOMEM (then none of them counts as
 * journalled).
 */
static enum hs_err
journal(struct survey_ctx *c, const struct answer *a, size_t n)
{
	char		*rec[SURVEY_BATCH_MAX];
	size_t		 len[SURVEY_BATCH_MAX], i, made;
	enum hs_err	 e = HS_OK;

	if (n == 0 || n > SURVEY_BATCH_MAX)
		return HS_EIO;
	for (made = 0; made < n; made++) {
		if ((rec[made] = record_of(&a[made])) == NULL) {
			e = HS_ENOMEM;
			goto out;
		}
		len[made] = strlen(rec[made]);
	}
	if (c->jnl == NULL && (e = hs_journal_open(&c->jnl,
	    c->conf.spool_dir, SURVEY_JOURNAL, 1)) != HS_OK) {
		hs_log(HS_LOG_ERR, "journal: %s", hs_strerror(e));
		e = HS_EIO;
		goto out;
	}
	if ((e = hs_journal_appendv(c->jnl, (const void *const *)rec, len,
	    n)) != HS_OK) {
		hs_log(HS_LOG_ERR, "journal: %s", hs_strerror(e));
		if (e != HS_EFULL)
			e = HS_EIO;
		goto out;
	}
	hs_log(HS_LOG_WARN, "database unavailable: %zu answer%s journalled",
	    n, n == 1 ? "" : "s");
out:
	for (i = 0; i < made; i++)
		free(rec[i]);
	return e;
}

/*
 * Stores a: in MariaDB, or when MariaDB cannot be reached (HS_EAGAIN
 * after the unit's retries) appended to the journal and fsync'd (and
 * judged, when loaded, by the time it was given).  Returns HS_OK when
 * the answer is durable one way or the other, or when it was refused
 * as a change past answer_change_hours (*how STORED_LOCKED: never
 * thank for it); HS_EFULL or HS_EIO when even the journal failed
 * (answer 503, never a thank-you); HS_EDB or HS_ENOMEM (500).  If how
 * is not NULL, *how says what was done (STORED_NEW when journalled).
 */
enum hs_err
answer_store(struct survey_ctx *c, const struct answer *a, enum stored *how)
{
	struct one	 o = { a, c->conf.answer_change_hours, STORED_NEW };
	enum hs_err	 e;

	if ((e = store_rows(c->db, a, 1)) == HS_EDUP) {
		e = HS_OK;	/* a double submit, a retry: stored */
		o.how = STORED_DUP;
	}
	if (e == HS_EAGAIN)
		e = hs_db_unit(c->db, store_unit, &o);
	if (e == HS_EAGAIN) {
		o.how = STORED_NEW;
		e = journal(c, a, 1);
	}
	if (how != NULL)
		*how = o.how;
	return e;
}

/*
 * The current answer of signup ref to survey sid into *pr (pr->have 0
 * when none), and whether it may still be changed at time at.
 */
enum hs_err
answer_current(struct survey_ctx *c, long long sid, const char *ref,
    const char *at, struct prior *pr)
{

	return prior_read(c->db, STMT_ANSWER_GET, c->conf.answer_change_hours,
	    sid, ref, at, pr);
}

/*
 * Takes a (and the strings it owns: a is cleared) into the worker's
 * batch, when r's server settles batches and the batch has room; the
 * caller then answers as if a were stored.  Returns 1 if taken, else 0
 * (store it now, with answer_store).
 */
int
answer_defer(struct hs_req *r, struct survey_ctx *c, struct answer *a)
{

	if (!r->may_defer || c->nbatch == SURVEY_BATCH_MAX)
		return 0;
	c->batch[c->nbatch++] = *a;
	memset(a, 0, sizeof(*a));
	r->deferred = 1;
	return 1;
}

/*
 * fcgimux.c's settle hook: stores the batch in one statement (or one
 * unit when it names signups); when MariaDB cannot be reached, into the
 * journal with one fsync; after another failure (a duplicate in the
 * batch), answer by answer with answer_store.  Returns 0 when every
 * answer is durable, or -1: then the deferring requests are served
 * again and each learns its own outcome from answer_store (one stored
 * meanwhile is a duplicate then, and thanked).
 */
int
answer_settle(void *arg)
{
	struct survey_ctx	*c = arg;
	struct rows		 b = { c->batch, c->nbatch };
	enum hs_err		 e;
	enum stored		 how;
	size_t			 i;
	int			 rc = 0;

	if (c->nbatch == 0)
		return 0;
	if ((e = store_rows(c->db, c->batch, c->nbatch)) == HS_EAGAIN)
		e = hs_db_unit(c->db, batch_unit, &b);
	if (e == HS_EAGAIN && journal(c, c->batch, c->nbatch) != HS_OK)
		rc = -1;
	for (i = 0; i < c->nbatch; i++) {
		/*
		 * A change refused (past its window) was thanked as
		 * deferred: serving the requests again shows it refused.
		 */
		if (e != HS_OK && e != HS_EAGAIN &&
		    (answer_store(c, &c->batch[i], &how) != HS_OK ||
		    how == STORED_LOCKED))
			rc = -1;
		answer_free(&c->batch[i]);
	}
	c->nbatch = 0;
	return rc;
}

/*
 * Returns 1 if this answer makes client hash h's answers in this clock
 * hour more than velocity_limit (the answer is then flagged, never
 * refused: a venue's Wi-Fi is one network), else 0.  Counted in shared
 * memory on this host (velocity.c); hearsay-reconcile recounts exactly.
 */
int
answer_velocity(struct survey_ctx *c, const char *h)
{

	return velocity_hit(c->vel, h, time(NULL)) >
	    (unsigned int)c->conf.velocity_limit;
}

/* Frees the strings a owns (not a). */
void
answer_free(struct answer *a)
{

	free(a->signup_ref);
	free(a->followup);
	free(a->other);
	free(a->referrer);
	free(a->code);
	a->signup_ref = a->followup = a->other = a->referrer = a->code = NULL;
}

/* Copies a JSON string member into a fixed field; 0, or -1 if unfit. */
static int
jcopy(json_t *o, const char *key, char *dst, size_t sz)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v)) {
		dst[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) >= sz)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* Duplicates a JSON string member into *dst (NULL when absent). */
static int
jdup(json_t *o, const char *key, char **dst)
{
	json_t	*v = json_object_get(o, key);

	*dst = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	return (*dst = hs_xstrdup(json_string_value(v))) == NULL ? -1 : 0;
}

/*
 * Parses a journal record back into a.  Returns 0, or -1 for a record
 * this version cannot read (logged by the caller; never loaded).
 */
static int
record_parse(const char *rec, size_t len, struct answer *a)
{
	json_t		*o;
	json_error_t	 err;
	int		 rc = -1;

	memset(a, 0, sizeof(*a));
	if ((o = json_loadb(rec, len, JSON_REJECT_DUPLICATES, &err)) == NULL)
		return -1;
	if (jcopy(o, "submission_id", a->submission,
	    sizeof(a->submission)) != 0 ||
	    !survey_hex_ok(a->submission, SURVEY_NONCE) ||
	    jcopy(o, "answered_at", a->answered_at,
	    sizeof(a->answered_at)) != 0 ||
	    jcopy(o, "options", a->options, sizeof(a->options)) != 0 ||
	    jcopy(o, "shown_order", a->shown, sizeof(a->shown)) != 0 ||
	    jcopy(o, "click_id", a->click, sizeof(a->click)) != 0 ||
	    jcopy(o, "client_hash", a->client, sizeof(a->client)) != 0 ||
	    jdup(o, "signup_ref", &a->signup_ref) != 0 ||
	    jdup(o, "followup_text", &a->followup) != 0 ||
	    jdup(o, "other_text", &a->other) != 0 ||
	    jdup(o, "referrer_text", &a->referrer) != 0 ||
	    jdup(o, "code_text", &a->code) != 0)
		goto out;
	a->survey_id = json_integer_value(json_object_get(o, "survey_id"));
	a->verified = (int)json_integer_value(json_object_get(o, "verified"));
	a->consent = (int)json_integer_value(json_object_get(o, "consent"));
	a->velocity = (int)json_integer_value(json_object_get(o,
	    "velocity_flag"));
	a->source = json_is_string(json_object_get(o, "source")) &&
	    strcmp(json_string_value(json_object_get(o, "source")), "api") ==
	    0 ? "api" : "form";
	if (a->survey_id <= 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		answer_free(a);
	json_decref(o);
	return rc;
}

struct batch {
	const struct survey_ctx	*c;
	const char *const	*recs;
	const size_t		*lens;
	size_t			 n;
	size_t			 erased;	/* out: skipped, erased */
	size_t			 old;		/* out: skipped, too old */
};

/*
 * Whether journalled answer a may be stored: not when "hearsay-admin
 * forget" erased its signup reference at or after it was given (the
 * tombstone of sql/100), nor when it is older than retention_days (the
 * next "retention" would erase it; and tombstones are dropped at that
 * age, so it could be an erased answer).  Sets *skip to 1 and counts
 * it in b then, else 0.  Within the loading unit: the check's locking
 * read orders it against a concurrent forget.
 */
static enum hs_err
load_check(struct hs_db *db, struct batch *b, const struct answer *a,
    int *skip)
{
	char			 h[65];
	struct hs_dbparam	 p[4] = { HS_DBP_TEXT(a->answered_at),
				    HS_DBP_INT(b->c->conf.retention_days),
				    HS_DBP_NULL, HS_DBP_TEXT(a->answered_at) };
	struct hs_dbcol		 col[2] = { HS_DBC_INT, HS_DBC_INT };
	enum hs_err		 e;
	int			 have = 0;

	*skip = 0;
	if (a->signup_ref != NULL) {
		hs_ref_hash(b->c->conf.hmac_key, a->signup_ref, h);
		p[2] = (struct hs_dbparam)HS_DBP_TEXT(h);
	}
	if ((e = hs_db_row(db, STMT_LOAD_CHECK, p, 4, col, 2, &have)) !=
	    HS_OK)
		return e;
	if (have && col[0].i > 0) {
		b->erased++;
		*skip = 1;
	} else if (have && col[1].i != 0) {
		b->old++;
		*skip = 1;
	}
	return HS_OK;
}

/*
 * Loads a batch of journal records in one transaction, but for those
 * load_check refuses (counted, never logged with their values).
 */
static enum hs_err
load_unit(struct hs_db *db, void *arg)
{
	struct batch		*b = arg;
	struct answer		 a;
	enum hs_err		 e = HS_OK;
	enum stored		 how;
	size_t			 i;
	int			 skip;

	b->erased = b->old = 0;	/* a replayed unit counts again */
	for (i = 0; i < b->n && e == HS_OK; i++) {
		if (record_parse(b->recs[i], b->lens[i], &a) != 0) {
			/*
			 * A record that cannot be read would block the
			 * spool for good; it is logged and left out.
			 */
			hs_log(HS_LOG_ERR, "journal: unreadable record "
			    "skipped");
			continue;
		}
		if ((e = load_check(db, b, &a, &skip)) == HS_OK && !skip)
			e = store_one(db, b->c->conf.answer_change_hours, &a,
			    &how);
		answer_free(&a);
	}
	return e;
}

/* hs_journal_replay's callback: HS_OK once the batch is committed. */
static enum hs_err
load_batch(const char *const *recs, const size_t *lens, size_t n, void *arg)
{
	struct survey_ctx	*c = arg;
	struct batch		 b = { c, recs, lens, n, 0, 0 };
	enum hs_err		 e;

	if ((e = hs_db_unit(c->db, load_unit, &b)) != HS_OK)
		return e;
	if (b.erased > 0)
		hs_log(HS_LOG_WARN, "loader: %zu journalled answer%s of "
		    "erased signups skipped", b.erased,
		    b.erased == 1 ? "" : "s");
	if (b.old > 0)
		hs_log(HS_LOG_WARN, "loader: %zu journalled answer%s older "
		    "than retention_days skipped", b.old,
		    b.old == 1 ? "" : "s");
	return HS_OK;
}

/*
 * The helper's loop: replays every survey journal in the spool into
 * MariaDB, then sleeps a little, until the master says stop.
 */
void
loader_run(struct survey_ctx *c)
{
	size_t		 n;
	enum hs_err	 e;

	while (!hs_stopping) {
		n = 0;
		e = hs_journal_replay(c->conf.spool_dir, SURVEY_JOURNAL,
		    SURVEY_LOADER_BATCH, load_batch, c, &n);
		if (n > 0)
			hs_log(HS_LOG_INFO, "loader: %zu journalled answers "
			    "loaded", n);
		if (e != HS_OK && e != HS_EAGAIN)
			hs_log(HS_LOG_WARN, "loader: %s", hs_strerror(e));
		activity_load(c);	/* and the activity journal */
		if (!hs_stopping)
			(void)sleep(SURVEY_LOADER_SECS);
	}
}
