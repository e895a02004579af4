/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * activity.c: POST /api/v1/activity (issue 20), what a signup did after
 * it signed up, reported by the host application with a key of the
 * "activity" scope:
 *
 *	{"items": [{"id": "...", "signup_ref": "...", "kind": "purchase",
 *	    "at": "2026-01-02T03:04:05Z", "value": 9.99,
 *	    "currency": "EUR"}, ...]}
 *
 * The whole batch is checked before anything is stored, then stored in
 * one transaction, or refused whole: a 4xx names the first bad item
 * (items[i]) and stores nothing, so an app can fix and resend the same
 * batch.  Each item's id is its idempotency key, mapped through an HMAC
 * with the key's id like an answer's (api.c): an id sent again stores
 * nothing and is counted as a duplicate, so a retried batch is counted
 * once.  A signup_ref hearsay does not know is 422: activity describes
 * a signup reported before (POST /api/v1/signups or a survey token).
 *
 * A checked request whose items fit joins the worker's batch instead (a
 * form answer's way, store.c): fcgimux.c calls the settle hook once the
 * requests that arrived together were served, and activity_settle
 * stores every deferred item in one INSERT and COMMIT, which stores
 * them all (each new, its signup known, the key still valid) or none.
 * Only then are the answers written; after a failure each deferring
 * request is served again, alone, and answers for itself.  The key
 * is checked again where the items are stored, so api.c may take it
 * from its memory without a query.
 *
 * When MariaDB cannot be reached the checked batch goes to the
 * "activity" journal (fsync'd before the 202), and the survey's helper
 * loads it later (activity_load): nothing acknowledged is lost.  The
 * unknown-signup check then happens at loading, where such an item (or
 * one of a signup erased by "hearsay-admin forget" after the item
 * happened) is skipped and counted in the log.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hearsay.h"
#include "survey.h"

#define ACT_MAX_ITEMS	250	/* items in one batch (64 KiB body too) */
#define ACT_MAX_ID	128	/* bytes in an item's id */
#define ACT_MAX_VALUE	1e12	/* |value|: more is a unit mistake */
#define ACT_JOURNAL	"activity" /* journal file prefix */
#define ACT_DOC_COLS	6	/* an item's fields in the batch's JSON rows */
/* The batch's JSON: each item at most ~1 KiB (a ref of 128 escaped). */
#define ACT_DOC_MAX	((size_t)SURVEY_ACT_BATCH * 1024)

/* One checked item, ready to store or journal. */
struct act {
	char		 aid[SURVEY_NONCE + 1];	/* activity_id */
	char		 ref[SURVEY_MAX_REF + 1];
	char		 kind[HS_KIND_MAX + 1];
	char		 at[32];
	char		 value[48];	/* "" when none */
	char		 currency[4];	/* "" when none */
	long long	 key;
};

/* A batch for act_unit. */
struct acts {
	struct act	*a;
	size_t		 n;
	size_t		 stored;	/* out */
	size_t		 unknown;	/* out: index of the unknown signup */
	int		 lenient;	/* loader: skip unknown signups */
	int		 badkey;	/* out: the key is revoked */
	size_t		 skipped;	/* out, lenient: skipped */
	const struct survey_ctx *c;
};

/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" into a DATETIME(3) literal (the
 * same form as api.c's signed_up_at).  0 or -1.
 */
static int
act_time(const char *s, char out[32])
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, mo, d, h, mi, sec, ms = 0, n = 0, i;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &sec, &n) != 6 || n != 19)
		return -1;
	s += n;
	if (*s == '.')
		for (i = 0, s++; i < 3; i++, s++) {
			if (*s < '0' || *s > '9')
				return -1;
			ms = ms * 10 + (*s - '0');
		}
	if (strcmp(s, "Z") != 0 || y < 2000 || y > 2100 || mo < 1 ||
	    mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec < 0 || sec > 59 || d > mdays[mo - 1] + (mo == 2 &&
	    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	n = snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
	    y, mo, d, h, mi, sec, ms);
	return n > 0 && n < 32 ? 0 : -1;
}

/*
 * Checks item x of the batch into *a.  Returns NULL, or the reason it
 * is refused (a static string).
 */
static const char *
act_check(const struct survey_ctx *c, long long key, json_t *x,
    struct act *a)
{
	json_t		*v;
	const char	*k, *s;
	char		 buf[ACT_MAX_ID + 48];
	unsigned char	 mac[32];
	double		 d;

	memset(a, 0, sizeof(*a));
	a->key = key;
	if (!json_is_object(x))
		return "not an object";
	json_object_foreach(x, k, v)
		if (strcmp(k, "id") != 0 && strcmp(k, "signup_ref") != 0 &&
		    strcmp(k, "kind") != 0 && strcmp(k, "at") != 0 &&
		    strcmp(k, "value") != 0 && strcmp(k, "currency") != 0)
			return "unknown member";
	v = json_object_get(x, "id");
	if (!json_is_string(v) || (s = json_string_value(v))[0] == '\0' ||
	    strlen(s) > ACT_MAX_ID || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") != strlen(s))
		return "id: 1-128 of [A-Za-z0-9_.:-]";
	(void)snprintf(buf, sizeof(buf), "%lld:act:%s", key, s);
	hs_hmac(c->conf.hmac_key, buf, strlen(buf), mac);
	hs_hex(mac, SURVEY_NONCE / 2, a->aid);
	v = json_object_get(x, "signup_ref");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > SURVEY_MAX_REF)
		return "signup_ref: a string of 1-128 bytes";
	memcpy(a->ref, json_string_value(v), json_string_length(v) + 1);
	v = json_object_get(x, "kind");
	if (!json_is_string(v) || !hs_conf_word(c->conf.activity_kinds,
	    json_string_value(v), json_string_length(v)))
		return "kind: not one of this deployment's activity_kinds";
	memcpy(a->kind, json_string_value(v), json_string_length(v) + 1);
	v = json_object_get(x, "at");
	if (!json_is_string(v) || act_time(json_string_value(v), a->at) != 0)
		return "at: YYYY-MM-DDTHH:MM:SS[.fff]Z";
	v = json_object_get(x, "value");
	if (v != NULL && !json_is_null(v)) {
		/* NaN fails both comparisons; jansson makes no infinities. */
		if (!json_is_number(v) || !((d = json_number_value(v)) <=
		    ACT_MAX_VALUE && d >= -ACT_MAX_VALUE))
			return "value: a number, at most 1e12";
		(void)snprintf(a->value, sizeof(a->value), "%.4f", d);
	}
	v = json_object_get(x, "currency");
	if (v != NULL && !json_is_null(v)) {
		/* One currency per deployment: sums are never converted. */
		if (!json_is_string(v) || strcmp(json_string_value(v),
		    c->conf.activity_currency) != 0)
			return "currency: not this deployment's "
			    "activity_currency";
		memcpy(a->currency, json_string_value(v), 4);
	} else if (a->value[0] != '\0')
		memcpy(a->currency, c->conf.activity_currency, 4);
	return NULL;
}

#define ACT_NPARAM	7	/* parameters of an item's row (STMT_ACT_PUT) */

/* Binds item a of signup sig to STMT_ACT_PUT's row, in column order. */
static void
act_params(const struct act *a, long long sig, struct hs_dbparam *p)
{
	const struct hs_dbparam	 v[ACT_NPARAM] = {
		HS_DBP_TEXT(a->aid),
		HS_DBP_INT(sig),
		HS_DBP_TEXT(a->kind),
		HS_DBP_TEXT(a->at),
		HS_DBP_TEXT(a->value),
		HS_DBP_TEXT(a->currency),
		HS_DBP_INT(a->key),
	};

	memcpy(p, v, sizeof(v));
	/* No value, no currency: NULL. */
	if (a->value[0] == '\0')
		p[4] = (struct hs_dbparam)HS_DBP_NULL;
	if (a->currency[0] == '\0')
		p[5] = (struct hs_dbparam)HS_DBP_NULL;
}

/*
 * Whether the batch's key (every item's is the same) is still valid for
 * activity: api.c may have taken it from its memory of keys.  HS_OK, or
 * HS_ENOTFOUND with b->badkey set.
 */
static enum hs_err
act_key(struct hs_db *db, struct acts *b)
{
	struct hs_dbparam	 p[1] = { HS_DBP_INT(b->a[0].key) };
	struct hs_dbcol		 n = HS_DBC_INT;
	enum hs_err		 e;
	int			 have = 0;

	if ((e = hs_db_row(db, STMT_ACT_KEY, p, 1, &n, 1, &have)) != HS_OK)
		return e;
	if (!have || n.i == 0) {
		b->badkey = 1;
		return HS_ENOTFOUND;
	}
	return HS_OK;
}

/*
 * Stores the batch: its key checked (not the loader's: journalled items
 * were taken with a valid key; a revoked one fails the unit with
 * HS_ENOTFOUND, b->badkey set), each item's signup looked up with a
 * locking read (a concurrent forget waits, or has already deleted it),
 * then the row, keyed on activity_id.  An unknown signup fails the unit
 * (HS_ENOTFOUND, b->unknown set), unless b->lenient: then it is skipped
 * and counted.
 */
static enum hs_err
act_unit(struct hs_db *db, void *arg)
{
	struct acts		*b = arg;
	struct act		*a;
	struct hs_dbparam	 q[1], p[ACT_NPARAM];
	struct hs_dbparam	 t[4];
	struct hs_dbcol		 id = HS_DBC_INT, tc[2] = { HS_DBC_INT,
				    HS_DBC_INT };
	unsigned long long	 n;
	char			 h[65];
	enum hs_err		 e;
	size_t			 i;
	int			 have;

	b->stored = b->skipped = 0;	/* a replayed unit counts again */
	if (!b->lenient && (e = act_key(db, b)) != HS_OK)
		return e;
	for (i = 0; i < b->n; i++) {
		a = &b->a[i];
		if (b->lenient) {
			/* The erasure tombstone of sql/100, as for answers. */
			hs_ref_hash(b->c->conf.hmac_key, a->ref, h);
			t[0] = (struct hs_dbparam)HS_DBP_TEXT(a->at);
			t[1] = (struct hs_dbparam)HS_DBP_INT(
			    b->c->conf.retention_days);
			t[2] = (struct hs_dbparam)HS_DBP_TEXT(h);
			t[3] = (struct hs_dbparam)HS_DBP_TEXT(a->at);
			have = 0;
			if ((e = hs_db_row(db, STMT_LOAD_CHECK, t, 4, tc, 2,
			    &have)) != HS_OK)
				return e;
			if (have && (tc[0].i > 0 || tc[1].i != 0)) {
				b->skipped++;
				continue;
			}
		}
		q[0] = (struct hs_dbparam)HS_DBP_TEXT(a->ref);
		have = 0;
		if ((e = hs_db_row(db, STMT_ACT_SIGNUP, q, 1, &id, 1, &have)) !=
		    HS_OK)
			return e;
		if (!have || id.isnull) {
			if (b->lenient) {
				b->skipped++;
				continue;
			}
			b->unknown = i;
			return HS_ENOTFOUND;
		}
		act_params(a, id.i, p);
		if ((e = hs_db_exec(db, STMT_ACT_PUT, p, ACT_NPARAM, &n)) !=
		    HS_OK)
			return e;
		b->stored += n == 1;
	}
	return HS_OK;
}

/* The worker's batch of deferred items, stored by activity_settle. */
static struct act	pend[SURVEY_ACT_BATCH];
static size_t		npend;

/*
 * Takes the n checked items a[] into the worker's batch, when r's
 * server settles batches and the batch has room for all of them: the
 * caller then answers as if each were stored, new.  Returns 1 if taken,
 * else 0 (store them now, in act_unit).
 */
static int
act_defer(struct hs_req *r, const struct act *a, size_t n)
{

	/* One key per batch: its INSERT checks it (STMT_ACTS). */
	if (!r->may_defer || n > SURVEY_ACT_BATCH - npend ||
	    (npend > 0 && pend[0].key != a[0].key))
		return 0;
	memcpy(&pend[npend], a, n * sizeof(*a));
	npend += n;
	r->deferred = 1;
	return 1;
}

/*
 * The settle hook's part for activity (main.c's settle, after the
 * answers'): stores the worker's batch when store is set, and empties
 * it, in one plain autocommit INSERT (STMT_ACTS, of the items as a JSON
 * array of rows) that checks as it stores: every item is stored, or
 * none when one of them was stored already (a duplicate key), names a
 * signup unknown or erased meanwhile, or the key was revoked (a NULL in
 * a NOT NULL column, or the foreign key).  Returns 0 when every item is
 * stored, or -1: then, as for answers (store.c), every deferring
 * request is served again without deferring and learns its own outcome
 * (a duplicate, an unknown signup, a revoked key, the journal while
 * MariaDB is away).  A failed batch stored nothing, so each request's
 * counts are its own.
 */
int
activity_settle(struct survey_ctx *c, int store)
{
	static struct hs_buf	 doc;	/* the JSON rows, kept for the next */
	struct hs_dbparam	 p[2];
	struct hs_out		 o;
	unsigned long long	 rows = 0;
	const char		*f[ACT_DOC_COLS];
	size_t			 i, j, n = npend;
	enum hs_err		 e = HS_OK;

	npend = 0;
	if (n == 0)
		return 0;
	if (!store)
		return -1;
	if (doc.max == 0)
		hs_buf_init(&doc, ACT_DOC_MAX);
	hs_buf_reset(&doc);
	hs_out_buf(&o, &doc);
	/* [[aid, ref, kind, at, value, currency], ...]; "" is null. */
	for (i = 0; i < n && e == HS_OK; i++) {
		f[0] = pend[i].aid;
		f[1] = pend[i].ref;
		f[2] = pend[i].kind;
		f[3] = pend[i].at;
		f[4] = pend[i].value[0] != '\0' ? pend[i].value : NULL;
		f[5] = pend[i].currency[0] != '\0' ? pend[i].currency : NULL;
		e = hs_out_puts(&o, i == 0 ? "[[" : "],[");
		for (j = 0; j < ACT_DOC_COLS && e == HS_OK; j++)
			if (j == 0 || (e = hs_out_puts(&o, ",")) == HS_OK)
				e = hs_json_puts(&o, f[j]);
	}
	if (e != HS_OK || hs_out_puts(&o, "]]") != HS_OK)
		return -1;
	p[0] = (struct hs_dbparam)HS_DBP_TEXTN(hs_buf_str(&doc), doc.len);
	p[1] = (struct hs_dbparam)HS_DBP_INT(pend[0].key);
	if (hs_db_exec(c->db, STMT_ACTS, p, 2, &rows) != HS_OK || rows != n)
		return -1;
	return 0;
}

/* Sets key to s (NULL for "") in o.  0, or -1 out of memory. */
static int
jput(json_t *o, const char *key, const char *s)
{

	return json_object_set_new(o, key, s != NULL && *s != '\0' ?
	    json_string(s) : json_null());
}

/*
 * Appends the batch to the activity journal, one fsync for all.
 * HS_OK, or HS_EFULL / HS_EIO / HS_ENOMEM (nothing counts as kept).
 */
static enum hs_err
act_journal(struct survey_ctx *c, const struct act *a, size_t n)
{
	char		*rec[ACT_MAX_ITEMS];
	size_t		 len[ACT_MAX_ITEMS], i, made;
	json_t		*o;
	enum hs_err	 e = HS_OK;

	for (made = 0; made < n; made++) {
		rec[made] = NULL;
		if ((o = json_object()) != NULL &&
		    jput(o, "activity_id", a[made].aid) == 0 &&
		    jput(o, "signup_ref", a[made].ref) == 0 &&
		    jput(o, "kind", a[made].kind) == 0 &&
		    jput(o, "at", a[made].at) == 0 &&
		    jput(o, "value", a[made].value) == 0 &&
		    jput(o, "currency", a[made].currency) == 0 &&
		    json_object_set_new(o, "api_key_id",
		    json_integer(a[made].key)) == 0)
			rec[made] = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (rec[made] == NULL) {
			e = HS_ENOMEM;
			goto out;
		}
		len[made] = strlen(rec[made]);
	}
	if (c->ajnl == NULL && (e = hs_journal_open(&c->ajnl,
	    c->conf.spool_dir, ACT_JOURNAL, 1)) != HS_OK) {
		hs_log(HS_LOG_ERR, "activity journal: %s", hs_strerror(e));
		e = HS_EIO;
		goto out;
	}
	if ((e = hs_journal_appendv(c->ajnl, (const void *const *)rec, len,
	    n)) != HS_OK) {
		hs_log(HS_LOG_ERR, "activity journal: %s", hs_strerror(e));
		if (e != HS_EFULL)
			e = HS_EIO;
		goto out;
	}
	hs_log(HS_LOG_WARN, "database unavailable: %zu activity item%s "
	    "journalled", n, n == 1 ? "" : "s");
out:
	for (i = 0; i < made; i++)
		free(rec[i]);
	return e;
}

/*
 * Stores the n checked items a[] (deferred to the worker's batch when
 * they may be, journalled when MariaDB is away) and sets the answer.
 */
static void
act_store(struct hs_req *r, struct survey_ctx *c, struct act *a, size_t n,
    int *code, json_t **out, int *retry)
{
	struct acts	 b;
	char		 msg[160];
	enum hs_err	 e;

	memset(&b, 0, sizeof(b));
	b.a = a;
	b.n = n;
	b.c = c;
	if (act_defer(r, a, n)) {
		b.stored = n;	/* so answered; if not, served again */
		e = HS_OK;
	} else
		e = hs_db_unit(c->db, act_unit, &b);
	if (e == HS_OK) {
		*code = 200;
		*out = json_pack("{s:s, s:I, s:I, s:I}", "status", "stored",
		    "items", (json_int_t)n, "stored", (json_int_t)b.stored,
		    "duplicates", (json_int_t)(n - b.stored));
	} else if (e == HS_ENOTFOUND && b.badkey) {
		*code = 401;
		*out = json_pack("{s:s}", "error", "unknown or revoked API "
		    "key");
	} else if (e == HS_ENOTFOUND) {
		*code = 422;
		(void)snprintf(msg, sizeof(msg), "items[%zu]: unknown "
		    "signup_ref (report the signup first); nothing stored",
		    b.unknown);
		*out = json_pack("{s:s, s:I}", "error", msg, "index",
		    (json_int_t)b.unknown);
	} else if (e == HS_EAGAIN && act_journal(c, a, n) == HS_OK) {
		*code = 202;
		*out = json_pack("{s:s, s:I}", "status", "journalled",
		    "items", (json_int_t)n);
	} else if (e == HS_EAGAIN) {
		*code = 503;
		*retry = 1;
		*out = json_pack("{s:s}", "error", "unavailable, try again "
		    "later");
	} else {
		*code = 500;
		*out = json_pack("{s:s}", "error", "internal");
	}
}

/*
 * POST /api/v1/activity by key keyid, body o (a JSON object already
 * read).  Sets *code and *out to the answer; *retry when it is a 503.
 */
void
activity_post(struct hs_req *r, struct survey_ctx *c, long long keyid,
    json_t *o, int *code, json_t **out, int *retry)
{
	struct act	*a = NULL;
	json_t		*items, *x;
	const char	*k, *why;
	char		 msg[160];
	size_t		 i, n;

	*retry = 0;
	*out = NULL;
	json_object_foreach(o, k, x)
		if (strcmp(k, "items") != 0) {
			*code = 400;
			*out = json_pack("{s:s}", "error", "unknown member "
			    "(send {\"items\": [...]})");
			return;
		}
	items = json_object_get(o, "items");
	if (!json_is_array(items) || (n = json_array_size(items)) == 0) {
		*code = 400;
		*out = json_pack("{s:s}", "error", "items: a non-empty array");
		return;
	}
	if (n > ACT_MAX_ITEMS) {
		*code = 413;
		(void)snprintf(msg, sizeof(msg), "items: at most %d in one "
		    "batch; send several", ACT_MAX_ITEMS);
		*out = json_pack("{s:s}", "error", msg);
		return;
	}
	if ((a = calloc(n, sizeof(*a))) == NULL) {
		*code = 500;
		*out = json_pack("{s:s}", "error", "internal");
		return;
	}
	json_array_foreach(items, i, x)
		if ((why = act_check(c, keyid, x, &a[i])) != NULL) {
			*code = 400;
			(void)snprintf(msg, sizeof(msg), "items[%zu]: %s", i,
			    why);
			*out = json_pack("{s:s, s:I}", "error", msg, "index",
			    (json_int_t)i);
			goto out;
		}
	act_store(r, c, a, n, code, out, retry);
out:
	free(a);
}

/* Copies string member key of o into dst (sz bytes); 0 or -1. */
static int
rcopy(json_t *o, const char *key, char *dst, size_t sz, int optional)
{
	json_t	*v = json_object_get(o, key);

	dst[0] = '\0';
	if (optional && (v == NULL || json_is_null(v)))
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= sz)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* hs_journal_replay's callback for the activity journal. */
static enum hs_err
act_load(const char *const *recs, const size_t *lens, size_t n, void *arg)
{
	struct survey_ctx	*c = arg;
	struct act		 a[SURVEY_LOADER_BATCH];
	json_t			*o[SURVEY_LOADER_BATCH];
	struct acts		 b;
	size_t			 i, m = 0;
	json_error_t		 err;
	enum hs_err		 e;

	for (i = 0; i < n && i < SURVEY_LOADER_BATCH; i++) {
		memset(&a[m], 0, sizeof(a[m]));
		if ((o[m] = json_loadb(recs[i], lens[i], 0, &err)) == NULL)
			goto bad;
		if (rcopy(o[m], "activity_id", a[m].aid, sizeof(a[m].aid),
		    0) != 0 || !survey_hex_ok(a[m].aid, SURVEY_NONCE) ||
		    rcopy(o[m], "signup_ref", a[m].ref, sizeof(a[m].ref),
		    0) != 0 || rcopy(o[m], "kind", a[m].kind,
		    sizeof(a[m].kind), 0) != 0 || rcopy(o[m], "at", a[m].at,
		    sizeof(a[m].at), 0) != 0 || rcopy(o[m], "value",
		    a[m].value, sizeof(a[m].value), 1) != 0 ||
		    rcopy(o[m], "currency", a[m].currency,
		    sizeof(a[m].currency), 1) != 0) {
			json_decref(o[m]);
			goto bad;
		}
		a[m].key = json_integer_value(json_object_get(o[m],
		    "api_key_id"));
		m++;
		continue;
bad:
		/* An unreadable record would block the spool for good. */
		hs_log(HS_LOG_ERR, "activity journal: unreadable record "
		    "skipped");
	}
	memset(&b, 0, sizeof(b));
	b.a = a;
	b.n = m;
	b.c = c;
	b.lenient = 1;
	e = m > 0 ? hs_db_unit(c->db, act_unit, &b) : HS_OK;
	if (e == HS_OK && b.skipped > 0)
		hs_log(HS_LOG_WARN, "loader: %zu journalled activity item%s of "
		    "unknown, erased or expired signups skipped", b.skipped,
		    b.skipped == 1 ? "" : "s");
	for (i = 0; i < m; i++)
		json_decref(o[i]);
	return e;
}

/* One pass of the helper over the activity journal. */
void
activity_load(struct survey_ctx *c)
{
	size_t		 n = 0;
	enum hs_err	 e;

	e = hs_journal_replay(c->conf.spool_dir, ACT_JOURNAL,
	    SURVEY_LOADER_BATCH, act_load, c, &n);
	if (n > 0)
		hs_log(HS_LOG_INFO, "loader: %zu journalled activity items "
		    "loaded", n);
	if (e != HS_OK && e != HS_EAGAIN)
		hs_log(HS_LOG_WARN, "activity loader: %s", hs_strerror(e));
}
