/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * api.c: the JSON API for apps that draw their own form and for the host
 * application's signup reports.  Every call carries "Authorization:
 * Bearer <key>"; keys are stored as SHA-256 hex (hearsay-admin apikey),
 * so a copy of the database does not hand out working keys.
 *
 * A key has a scope (sql/095): "read" (survey definitions), "answers"
 * (file answers; reads definitions too), both on its surveys or on all,
 * and "signups" (report signups).  A call out of scope is 403 with a
 * JSON error, before anything is read or stored.  A signup belongs to
 * the key whose report first wrote it: another key's report is 409 and
 * changes nothing (its fields, its click ids).
 *
 *	GET  /api/v1/surveys/<slug>		the definition
 *	POST /api/v1/surveys/<slug>/responses	an answer (idempotent)
 *	POST /api/v1/signups			a signup and its click ids
 *	POST /api/v1/activity			what signups did (activity.c)
 *
 * An answer's idempotency key (the Idempotency-Key header, else the
 * body's submission_id) is mapped to the 32-hex submission_id through an
 * HMAC with the API key's id, so two apps can never collide and a retry
 * of one app always stores one row.  Answers are journalled when MariaDB
 * is down, like the form's; signups answer 503 and the app retries.
 * Output is built with jansson, which escapes every control character.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "hearsay.h"
#include "survey.h"

#define API_MAX_IDEM	128	/* bytes in an idempotency key */
#define API_MAX_CLICKS	32	/* click ids in one signup report */
#define API_KEYS_KEPT	8	/* keys a worker remembers (activity) */
#define API_KEY_STALE	600	/* seconds a remembered key is trusted */

/* Queues a header; a failure is logged (hs_http_header says why). */
static void
hdr(struct hs_req *r, const char *name, const char *value)
{

	if (hs_http_header(r, name, value) != HS_OK)
		hs_log(HS_LOG_WARN, "api: header %s not sent", name);
}

/* A JSON answer: {"error": msg} with status code, or any object. */
static void
reply(struct hs_req *r, int code, json_t *o)
{
	char	*s;

	if (o == NULL || (s = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		if (hs_http_open(r, 500, "application/json") == HS_OK &&
		    hs_http_write(r, "{\"error\":\"internal\"}\n", 21) !=
		    HS_OK)
			hs_log(HS_LOG_INFO, "api: client went away");
		return;
	}
	json_decref(o);
	if (hs_http_open(r, code, "application/json") == HS_OK &&
	    (hs_http_write(r, s, strlen(s)) != HS_OK ||
	    hs_http_write(r, "\n", 1) != HS_OK))
		hs_log(HS_LOG_INFO, "api: client went away");
	free(s);
}

static void
fail(struct hs_req *r, int code, const char *msg)
{

	reply(r, code, json_pack("{s:s}", "error", msg));
}

/* A key that passed auth: its id and scope. */
struct apikey {
	long long	 id;
	int		 read;		/* survey definitions */
	int		 answers;	/* answers (and definitions) */
	int		 signups;	/* signup reports */
	int		 activity;	/* activity reports (sql/150) */
	int		 survey;	/* the call's survey is one of its */
};

/*
 * The keys this worker saw valid lately, for calls outside a survey:
 * while MariaDB is down, a key checked within API_KEY_STALE seconds is
 * trusted, so that activity can be journalled (activity.c) rather than
 * refused.  A key revoked meanwhile works that long at most, and only
 * while MariaDB is down.  A call that checks its key again where it
 * stores (activity: in the same transaction, activity.c) takes a key
 * from here without a query at all: a query per request was most of
 * the API's cost against the INSERT it makes.
 */
static struct {
	char		 hex[65];
	struct apikey	 k;
	time_t		 at;
} kept[API_KEYS_KEPT];

/* Remembers (keep) or recalls a key by its hash.  1 if recalled. */
static int
key_kept(const char *hex, struct apikey *k, int keep)
{
	time_t	 now = time(NULL);
	size_t	 i, old = 0;

	for (i = 0; i < API_KEYS_KEPT; i++) {
		if (strcmp(kept[i].hex, hex) == 0) {
			if (keep) {
				kept[i].k = *k;
				kept[i].at = now;
				return 1;
			}
			if (now - kept[i].at > API_KEY_STALE)
				return 0;
			*k = kept[i].k;
			return 1;
		}
		if (kept[i].at < kept[old].at)
			old = i;
	}
	if (keep) {
		(void)snprintf(kept[old].hex, sizeof(kept[old].hex), "%s", hex);
		kept[old].k = *k;
		kept[old].at = now;
	}
	return 0;
}

/*
 * Checks the bearer key and reads its scope into *k, with whether the
 * survey slug (NULL: none) is one of its.  Returns 0, or -1 after
 * answering 401 (no or unknown key) or 503 (database down).
 */
static int
auth(struct hs_req *r, struct survey_ctx *c, const char *slug,
    struct apikey *k, int recall)
{
	const char		*a = r->authorization;
	unsigned char		 h[crypto_hash_sha256_BYTES];
	char			 hex[2 * sizeof(h) + 1];
	struct hs_dbparam	 p[2] = { HS_DBP_TEXT(slug),
				    HS_DBP_TEXTN(hex, 2 * sizeof(h)) };
	struct hs_dbcol		 col[6] = { HS_DBC_INT, HS_DBC_INT,
				    HS_DBC_INT, HS_DBC_INT, HS_DBC_INT,
				    HS_DBC_INT };
	int			 have = 0;
	enum hs_err		 e;

	memset(k, 0, sizeof(*k));
	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0 || a[7] == '\0' ||
	    strlen(a + 7) > 256) {
		hdr(r, "WWW-Authenticate", "Bearer");
		fail(r, 401, "an API key is needed (Authorization: Bearer)");
		return -1;
	}
	crypto_hash_sha256(h, (const unsigned char *)a + 7, strlen(a + 7));
	hs_hex(h, sizeof(h), hex);
	if (recall && key_kept(hex, k, 0))
		return 0;
	if ((e = hs_db_row(c->db, STMT_APIKEY_GET, p, 2, col, 6, &have)) !=
	    HS_OK) {
		if (slug == NULL && key_kept(hex, k, 0))
			return 0;
		hdr(r, "Retry-After", SURVEY_RETRY_AFTER);
		fail(r, 503, "unavailable, try again later");
		return -1;
	}
	if (!have) {
		hdr(r, "WWW-Authenticate", "Bearer");
		fail(r, 401, "unknown or revoked API key");
		return -1;
	}
	k->id = col[0].i;
	k->read = col[1].i != 0;
	k->answers = col[2].i != 0;
	k->signups = col[3].i != 0;
	k->activity = col[4].i != 0;
	k->survey = col[5].i != 0;
	if (slug == NULL)
		(void)key_kept(hex, k, 1);
	return 0;
}

/* GET /api/v1/surveys/<slug>: the options in definition order. */
static void
api_survey(struct hs_req *r, const struct survey *s)
{
	json_t	*o, *opts, *x;
	size_t	 i;

	if ((opts = json_array()) == NULL) {
		fail(r, 500, "internal");
		return;
	}
	for (i = 0; i < s->nopts; i++) {
		const struct sopt *p = &s->opts[i];

		x = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s?}",
		    "key", p->key, "label", p->label, "channel", p->channel,
		    "pinned", p->pinned, "followup", followups[p->fu],
		    "followup_label", p->fulabel[0] != '\0' ? p->fulabel :
		    NULL);
		if (x == NULL || json_array_append_new(opts, x) != 0) {
			json_decref(opts);
			fail(r, 500, "internal");
			return;
		}
	}
	o = json_pack("{s:s, s:I, s:s, s:s?, s:b, s:s, s:b, s:b, s:s?, "
	    "s:o}",
	    "slug", s->slug, "version", (json_int_t)s->version,
	    "question", s->question, "help", s->help[0] != '\0' ? s->help :
	    NULL, "multi", s->multi, "shuffle", s->shuffle == SHUFFLE_NONE ?
	    "none" : s->shuffle == SHUFFLE_ALL ? "all" : "unpinned",
	    "ask_code", s->ask_code, "allow_unsigned", s->allow_unsigned,
	    "consent_text", s->consent_text[0] != '\0' ? s->consent_text :
	    NULL, "options", opts);
	reply(r, 200, o);
}

/*
 * Reads the JSON body into *op.  Returns 0, or the status already
 * answered (415, 413, 400).
 */
static int
read_json(struct hs_req *r, json_t **op)
{
	json_error_t	 err;
	enum hs_err	 e;
	const char	*ct = r->content_type;

	*op = NULL;
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';')) {
		fail(r, 415, "send application/json");
		return 415;
	}
	if ((e = hs_req_body(r, HS_MAX_JSON)) != HS_OK) {
		fail(r, e == HS_ETOOBIG ? 413 : 400, e == HS_ETOOBIG ?
		    "body too large" : "body could not be read");
		return e == HS_ETOOBIG ? 413 : 400;
	}
	/* jansson checks UTF-8 and, without JSON_ALLOW_NUL, refuses \u0000. */
	if ((*op = json_loadb(r->body, r->bodysz, JSON_REJECT_DUPLICATES,
	    &err)) == NULL || !json_is_object(*op)) {
		json_decref(*op);
		*op = NULL;
		fail(r, 400, "body is not a JSON object (or has a duplicate "
		    "key)");
		return 400;
	}
	return 0;
}

/*
 * A string member of at most cap characters into *dst (NULL when absent
 * or null).  Returns 0, or -1 for a wrong type, a value too long, or out
 * of memory.
 */
static int
str_member(json_t *o, const char *key, size_t cap, char **dst)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	size_t		 n;

	*dst = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if ((n = hs_utf8_chars(s)) > cap)
		return -1;
	if (n == 0)
		return 0;
	return (*dst = hs_xstrdup(s)) == NULL ? -1 : 0;
}

/* Whether every byte of s is in [A-Za-z0-9_.:-] and it is 1-cap long. */
static int
idem_ok(const char *s, size_t cap)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= cap && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") == n;
}

/* NULL for an empty optional string, as store.c stores it. */
static const char *
nul_empty(const char *s)
{

	return s != NULL && *s != '\0' ? s : NULL;
}

/*
 * Whether the answer MariaDB holds under a's submission_id is a, as
 * sent (its time aside): 1 if so, 0 if the idempotency key was used
 * for another answer, -1 when there is no such row (the duplicate was
 * the signup's earlier answer) or the database cannot tell.
 */
static int
same_answer(struct survey_ctx *c, const struct answer *a)
{
	struct hs_dbparam p[11] = {
		HS_DBP_INT(a->survey_id),
		HS_DBP_TEXT(a->signup_ref),
		HS_DBP_TEXT(a->options),
		HS_DBP_TEXT(a->shown),
		HS_DBP_TEXT(nul_empty(a->followup)),
		HS_DBP_TEXT(nul_empty(a->other)),
		HS_DBP_TEXT(nul_empty(a->referrer)),
		HS_DBP_TEXT(nul_empty(a->code)),
		HS_DBP_TEXT(nul_empty(a->click)),
		HS_DBP_INT(a->consent),
		HS_DBP_TEXT(a->submission),
	};
	struct hs_dbcol	 col = HS_DBC_INT;
	int		 have = 0;

	if (hs_db_query(c->db, STMT_RESPONSE_SAME, p, 11, &col, 1) != HS_OK)
		return -1;
	if (hs_db_fetch(c->db, STMT_RESPONSE_SAME, &have) != HS_OK)
		have = -1;
	hs_db_end(c->db, STMT_RESPONSE_SAME);
	if (have != 1 || col.isnull)
		return -1;
	return col.i != 0;
}

/* Appends key to list, space separated. */
static void
keys_add(char *list, size_t sz, const char *key)
{
	size_t	 len = strlen(list);

	(void)snprintf(list + len, sz - len, "%s%s", len > 0 ? " " : "", key);
}

/*
 * The chosen options and the order shown, from o into a.  Returns NULL,
 * or why o is refused (a 400).
 */
static const char *
answer_opts(const struct survey *s, json_t *o, struct answer *a)
{
	json_t		*opts, *v, *e;
	const struct sopt *p;
	size_t		 i, j;

	opts = json_object_get(o, "options");
	if (!json_is_array(opts) || json_array_size(opts) == 0 ||
	    (!s->multi && json_array_size(opts) != 1))
		return s->multi ? "options: an array of option keys" :
		    "options: an array of exactly one option key";
	json_array_foreach(opts, i, v) {
		if (!json_is_string(v) ||
		    (p = survey_opt(s, json_string_value(v))) == NULL)
			return "options: unknown option key";
		for (j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(opts, j)),
			    p->key) == 0)
				return "options: a key given twice";
		keys_add(a->options, sizeof(a->options), p->key);
	}
	/* The app's own order, if it says, else the definition's. */
	if ((v = json_object_get(o, "shown_order")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_array(v))
			return "shown_order: an array of option keys";
		json_array_foreach(v, i, e) {
			if (!json_is_string(e) || (p = survey_opt(s,
			    json_string_value(e))) == NULL)
				return "shown_order: unknown option key";
			keys_add(a->shown, sizeof(a->shown), p->key);
		}
	} else
		for (i = 0; i < s->nopts; i++)
			keys_add(a->shown, sizeof(a->shown), s->opts[i].key);
	return NULL;
}

/*
 * The answer's other members, from o into a; every member must be
 * known: a typo must not drop an answer.  Returns NULL, or why o is
 * refused (a 400).
 */
static const char *
answer_members(const struct survey *s, json_t *o, struct answer *a)
{
	static const char *const known[] = { "submission_id", "options",
	    "shown_order", "signup_ref", "followup_text", "other_text",
	    "referrer_text", "code_text", "click_id", "consent" };
	json_t		*v;
	const char	*k;
	char		*click = NULL;
	size_t		 i;
	int		 ok;

	if (str_member(o, "signup_ref", SURVEY_MAX_REF, &a->signup_ref) != 0 ||
	    str_member(o, "followup_text", SURVEY_MAX_FOLLOWUP,
	    &a->followup) != 0 ||
	    str_member(o, "other_text", SURVEY_MAX_OTHER, &a->other) != 0 ||
	    str_member(o, "referrer_text", SURVEY_MAX_REFERRER,
	    &a->referrer) != 0 ||
	    str_member(o, "code_text", SURVEY_MAX_CODE, &a->code) != 0 ||
	    str_member(o, "click_id", SURVEY_CLICKID, &click) != 0)
		return "a text field has the wrong type or is too long";
	if (click != NULL) {
		if ((ok = survey_hex_ok(click, SURVEY_CLICKID)))
			memcpy(a->click, click, sizeof(a->click));
		free(click);
		if (!ok)
			return "click_id: 32 lowercase hex digits";
	}
	if (a->signup_ref == NULL && !s->allow_unsigned)
		return "signup_ref is needed for this survey";
	if ((v = json_object_get(o, "consent")) != NULL && !json_is_boolean(v))
		return "consent: true or false";
	json_object_foreach(o, k, v) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(k, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			return "unknown member";
	}
	return NULL;
}

/* Stores a and answers the app. */
static void
answer_reply(struct hs_req *r, struct survey_ctx *c, struct answer *a)
{
	enum stored	 how = STORED_NEW;

	switch (answer_store(c, a, &how)) {
	case HS_OK:
		/*
		 * A retry stores nothing and is answered as the first; a
		 * key used again for another answer is the app's bug,
		 * which a 200 would hide (the first answer stays).  A new
		 * key for a signup that answered is a change, as on the
		 * form: "replaced" within answer_change_hours, else 409
		 * (never a 200 for an answer not kept).
		 */
		if (how == STORED_DUP && same_answer(c, a) == 0) {
			fail(r, 422, "this Idempotency-Key or submission_id "
			    "was used for a different answer");
			break;
		}
		if (how == STORED_LOCKED) {
			fail(r, 409, "this signup's answer can no longer be "
			    "changed (answer_change_hours)");
			break;
		}
		reply(r, 200, json_pack("{s:s, s:s}", "status",
		    how == STORED_CHANGED ? "replaced" : "stored",
		    "submission_id", a->submission));
		break;
	case HS_EFULL:
	case HS_EIO:
		hdr(r, "Retry-After", SURVEY_RETRY_AFTER);
		fail(r, 503, "unavailable, try again later");
		break;
	default:
		fail(r, 500, "internal");
		break;
	}
}

/* POST /api/v1/surveys/<slug>/responses */
static void
api_answer(struct hs_req *r, struct survey_ctx *c, const struct survey *s,
    long long keyid)
{
	json_t		*o = NULL;
	struct answer	 a;
	const char	*idem = r->idempotency_key, *why;
	char		 buf[API_MAX_IDEM + 32];
	unsigned char	 mac[32];

	memset(&a, 0, sizeof(a));
	if (read_json(r, &o) != 0)
		goto out;
	if (idem == NULL && json_is_string(json_object_get(o,
	    "submission_id")))
		idem = json_string_value(json_object_get(o, "submission_id"));
	if (idem == NULL || !idem_ok(idem, API_MAX_IDEM)) {
		fail(r, 400, "an Idempotency-Key header or submission_id "
		    "([A-Za-z0-9_.:-], 1-128) is needed");
		goto out;
	}
	(void)snprintf(buf, sizeof(buf), "%lld:%s", keyid, idem);
	hs_hmac(c->conf.hmac_key, buf, strlen(buf), mac);
	hs_hex(mac, SURVEY_NONCE / 2, a.submission);
	if ((why = answer_opts(s, o, &a)) != NULL ||
	    (why = answer_members(s, o, &a)) != NULL) {
		fail(r, 400, why);
		goto out;
	}
	a.consent = json_is_true(json_object_get(o, "consent"));
	if (s->consent_text[0] != '\0' && !a.consent) {
		/* As on the form: without the consent asked, unlinked. */
		free(a.signup_ref);
		a.signup_ref = NULL;
		a.click[0] = '\0';
	}
	/* The app is authenticated: its signup references are verified. */
	a.verified = a.signup_ref != NULL;
	a.survey_id = s->id;
	a.source = "api";
	survey_now(a.answered_at);
	answer_reply(r, c, &a);
out:
	answer_free(&a);
	json_decref(o);
}

/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" into a DATETIME(3) literal.
 * Returns 0, or -1 if it is not such a UTC time.
 */
static int
parse_time(const char *s, char out[32])
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, mo, d, h, mi, sec, ms = 0, n = 0, i;
	char	 z[2];

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &sec, &n) != 6 || n != 19)
		return -1;
	s += n;
	if (*s == '.') {
		for (i = 0, s++; i < 3; i++, s++) {
			if (*s < '0' || *s > '9')
				return -1;
			ms = ms * 10 + (*s - '0');
		}
	}
	if (sscanf(s, "%1[Z]", z) != 1 || s[1] != '\0' || y < 2000 ||
	    y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	/* A day the month lacks (Feb 30) would be a database error. */
	if (d > mdays[mo - 1] + (mo == 2 && y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0)))
		return -1;
	(void)snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
	    y, mo, d, h, mi, sec, ms);
	return 0;
}

struct signup {
	const char	*ref;
	char		 at[32];
	const char	*email;		/* e-mail key (64 hex), or NULL */
	const char	*clicks[API_MAX_CLICKS];
	size_t		 nclicks;
	long long	 key;		/* the reporting key's id */
	int		 foreign;	/* out: another key's signup */
};

/*
 * The unit of a signup report: the signup, then its click ids.  When
 * the row is another key's, the unit fails with HS_EINVAL and
 * s->foreign set, and hs_db_unit rolls back what the upsert changed.
 */
static enum hs_err
signup_unit(struct hs_db *db, void *arg)
{
	struct signup		*s = arg;
	struct hs_dbparam	 p[4] = { HS_DBP_TEXT(s->ref),
				    HS_DBP_TEXT(s->at),
				    HS_DBP_TEXT(s->email),
				    HS_DBP_INT(s->key) };
	struct hs_dbparam	 k[2] = { HS_DBP_NULL, HS_DBP_TEXT(s->ref) };
	struct hs_dbcol		 owner = HS_DBC_INT;
	enum hs_err		 e;
	size_t			 i;
	int			 have = 0;

	s->foreign = 0;
	if ((e = hs_db_exec(db, STMT_SIGNUP_REPORT, p, 4, NULL)) != HS_OK)
		return e;
	if ((e = hs_db_row(db, STMT_SIGNUP_OWNER, k + 1, 1, &owner, 1,
	    &have)) != HS_OK)
		return e;
	if (!have || owner.isnull || owner.i != s->key) {
		s->foreign = 1;
		return HS_EINVAL;
	}
	for (i = 0; i < s->nclicks; i++) {
		k[0] = (struct hs_dbparam)HS_DBP_TEXT(s->clicks[i]);
		if ((e = hs_db_exec(db, STMT_SIGNUP_CLICK_PUT, k, 2, NULL)) !=
		    HS_OK)
			return e;
	}
	return HS_OK;
}

/*
 * A signup's members, from o into s; ekey receives the e-mail key.
 * Returns NULL, or why o is refused (a 400).
 */
static const char *
signup_members(struct survey_ctx *c, json_t *o, struct signup *s,
    char ekey[65])
{
	json_t		*v, *x;
	const char	*k;
	size_t		 i;

	json_object_foreach(o, k, v)
		if (strcmp(k, "signup_ref") != 0 &&
		    strcmp(k, "click_ids") != 0 &&
		    strcmp(k, "signed_up_at") != 0 &&
		    strcmp(k, "email_hash") != 0)
			return "unknown member";
	v = json_object_get(o, "signup_ref");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > SURVEY_MAX_REF)
		return "signup_ref: a string of 1-128 bytes";
	s->ref = json_string_value(v);
	if ((v = json_object_get(o, "signed_up_at")) == NULL ||
	    json_is_null(v))
		survey_now(s->at);
	else if (!json_is_string(v) ||
	    parse_time(json_string_value(v), s->at) != 0)
		return "signed_up_at: YYYY-MM-DDTHH:MM:SS[.fff]Z";
	if ((v = json_object_get(o, "email_hash")) != NULL &&
	    !json_is_null(v)) {
		/*
		 * Apps send the plain SHA-256; only its key under hmac_key
		 * is stored (hs_email_key, issue 22).
		 */
		if (!json_is_string(v) ||
		    !survey_hex_ok(json_string_value(v), 64) ||
		    hs_email_key(c->conf.hmac_key, json_string_value(v),
		    ekey) != HS_OK)
			return "email_hash: SHA-256 as 64 lowercase hex digits";
		s->email = ekey;
	}
	if ((v = json_object_get(o, "click_ids")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > API_MAX_CLICKS)
			return "click_ids: an array of at most 32 ids";
		json_array_foreach(v, i, x) {
			if (!json_is_string(x) || !survey_hex_ok(
			    json_string_value(x), SURVEY_CLICKID))
				return "click_ids: 32 lowercase hex digits "
				    "each";
			s->clicks[s->nclicks++] = json_string_value(x);
		}
	}
	return NULL;
}

/* POST /api/v1/signups, by the key keyid */
static void
api_signup(struct hs_req *r, struct survey_ctx *c, long long keyid)
{
	json_t		*o = NULL;
	struct signup	 s;
	const char	*why;
	char		 ekey[65];
	enum hs_err	 e;

	memset(&s, 0, sizeof(s));
	s.key = keyid;
	if (read_json(r, &o) != 0)
		goto out;
	if ((why = signup_members(c, o, &s, ekey)) != NULL) {
		fail(r, 400, why);
		goto out;
	}
	if ((e = hs_db_unit(c->db, signup_unit, &s)) == HS_OK)
		reply(r, 200, json_pack("{s:s, s:s}", "status", "stored",
		    "signup_ref", s.ref));
	else if (s.foreign)
		fail(r, 409, "signup_ref was reported by another API key; "
		    "only that key may change it");
	else if (e == HS_EAGAIN) {
		hdr(r, "Retry-After", SURVEY_RETRY_AFTER);
		fail(r, 503, "unavailable, try again later");
	} else
		fail(r, 500, "internal");
out:
	json_decref(o);
}

/* POST /api/v1/activity, by the key keyid (activity.c). */
static void
api_activity(struct hs_req *r, struct survey_ctx *c, long long keyid)
{
	json_t	*o = NULL, *out = NULL;
	int	 code, retry;

	if (read_json(r, &o) != 0)
		return;
	activity_post(r, c, keyid, o, &code, &out, &retry);
	json_decref(o);
	if (retry)
		hdr(r, "Retry-After", SURVEY_RETRY_AFTER);
	if (code == 401)	/* revoked since this worker checked it */
		hdr(r, "WWW-Authenticate", "Bearer");
	reply(r, code, out);
}

/*
 * The reports a host app POSTs outside any survey: the path, the key's
 * scope it needs (a member of struct apikey), the 403's words, the call.
 */
static const struct {
	const char	*path;
	size_t		 scope;
	const char	*refused;
	void		(*handle)(struct hs_req *, struct survey_ctx *,
			    long long);
	int		 recall;	/* checks the key where it stores */
} reports[] = {
	{ "/api/v1/signups", offsetof(struct apikey, signups),
	    "this API key may not report signups (it lacks the signups "
	    "scope)", api_signup, 0 },
	{ "/api/v1/activity", offsetof(struct apikey, activity),
	    "this API key may not report activity (it lacks the activity "
	    "scope)", api_activity, 1 },
};

/*
 * Writes an error of the API as JSON, for core's gates (hs_route_err in
 * main.c: 404 for unknown paths, 405, 413 before any call is made).
 */
enum hs_err
api_error(struct hs_req *r, int code, const char *msg)
{

	fail(r, code, msg);
	return HS_OK;
}

/*
 * POST /api/v1/signups, /api/v1/activity (core checked the path, the
 * method and the body's size): 401 without a valid key, 403 out of the
 * key's scope, then the call.
 */
void
api_report(struct hs_req *r, void *arg)
{
	struct survey_ctx	*c = arg;
	struct apikey		 k;
	size_t			 i;

	for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strcmp(r->path, reports[i].path) == 0)
			break;
	if (i == sizeof(reports) / sizeof(reports[0])) {
		fail(r, 404, "no such API");
		return;
	}
	if (auth(r, c, NULL, &k, reports[i].recall) != 0)
		return;
	if (!*(const int *)((const char *)&k + reports[i].scope))
		fail(r, 403, reports[i].refused);
	else
		reports[i].handle(r, c, k.id);
}

/*
 * GET /api/v1/surveys/<slug> and POST .../<slug>/responses (answers):
 * 404 for a malformed slug, 401 without a valid key, 403 out of the
 * key's scope, then the call.  A key confined to some surveys gets 403
 * for any other slug, existing or not, so it learns nothing of the
 * others.
 */
static void
survey_call(struct hs_req *r, struct survey_ctx *c, int answers)
{
	const struct survey	*s;
	char			 slug[SURVEY_MAX_SLUG + 1];
	struct apikey		 k;
	enum hs_err		 e;

	/* /api/v1/surveys/<slug>: its segment 3. */
	if (hs_path_seg(r->path, 3, slug, sizeof(slug)) < 0 ||
	    !survey_slug_ok(slug, strlen(slug))) {
		fail(r, 404, "no such API");
		return;
	}
	if (auth(r, c, slug, &k, 0) != 0)
		return;
	if (answers ? !k.answers : !k.read && !k.answers) {
		fail(r, 403, answers ? "this API key may not file answers "
		    "(it lacks the answers scope)" : "this API key may not "
		    "read survey definitions (it lacks the read scope)");
		return;
	}
	if (!k.survey) {
		fail(r, 403, "this API key may not use this survey");
		return;
	}
	if ((e = survey_get(c, slug, &s)) != HS_OK) {
		if (e == HS_ENOTFOUND)
			fail(r, 404, "no such survey");
		else {
			hdr(r, "Retry-After",
			    SURVEY_RETRY_AFTER);
			fail(r, 503, "unavailable, try again later");
		}
		return;
	}
	if (answers)
		api_answer(r, c, s, k.id);
	else
		api_survey(r, s);
}

/* GET /api/v1/surveys/<slug>: the definition. */
void
api_definition(struct hs_req *r, void *arg)
{

	survey_call(r, arg, 0);
}

/* POST /api/v1/surveys/<slug>/responses: an answer. */
void
api_answers(struct hs_req *r, void *arg)
{

	survey_call(r, arg, 1);
}
