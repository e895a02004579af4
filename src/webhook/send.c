/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * send.c: one run of hearsay-webhook, delivering signed webhooks on new
 * survey answers (issue 4) and erasure notices.  hearsay-admin adds,
 * rotates and lists the webhooks (src/admin/webhook.c); a timer runs
 * this every minute.
 *
 * The answer insert is not touched: hearsay-survey's POST path is
 * benchmarked against a bare INSERT loop and pays nothing for webhooks.
 * The sender reads answers by id instead.  Each webhook keeps a
 * watermark (every answer id at or below it is delivered or settled as
 * never coming), the ids delivered above it (webhook_deliveries) and a
 * horizon; sql/060_webhooks.sql explains why ids can commit out of order
 * and how the horizon lets the watermark move anyway.  An answer is
 * sent when its id is above the watermark and not in the deliveries, so
 * a lower id committed late (or an answer journalled while MariaDB was
 * down and loaded later) is still sent, once.
 *
 * Delivery is at least once: deliveries are recorded in one commit per
 * batch, and a crash between a receiver's 2xx and that commit sends the
 * answer again, with the same Hearsay-Delivery header (the answer id)
 * for the receiver to dedupe.
 *
 * Each request: POST of a JSON body with
 *	Hearsay-Signature: t=UNIX,v1=HEX(HMAC-SHA-256(secret, t "." body))
 *	Hearsay-Delivery: ANSWER_ID
 * and, for the grace period after a rotation, a second v1 made with the
 * old secret after the new one's (sql/080): a receiver checks every v1,
 * so it can switch secrets whenever it likes within the grace period.
 * A run signs with the secrets it read when it began (at most
 * WEBHOOK_RUN_SECS), each derived from its row's nonce with the secrets
 * file's hmac_key (core's hs_webhook_secret).
 *
 * After a webhook's answers come its erasure notices (sql/070): each
 * answer "forget" erased, as {"type": "answer.erased", "id": ANSWER_ID,
 * ...} with Hearsay-Delivery: erasure-NOTICE_ID, signed the same way,
 * in notice id order above the webhook's erasure_watermark, which moves
 * past each notice a receiver took.  Only notices older than the settle
 * time are sent, so none with a lower id can commit later.
 *
 * http and https only, no redirects followed, bounded connect and total
 * times, no proxy from the environment, and no internal address
 * (loopback, private, link-local: privacy.c's hs_addr_internal) unless
 * webhook_allow_private is set: every address connected to is checked,
 * after DNS, so a name that resolves elsewhere later is caught too.  A
 * failure stops that webhook's run and schedules a retry with
 * exponential backoff; the other webhooks go on.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "hearsay.h"
#include "webhook.h"

#define WEBHOOK_BATCH		100	/* answers read per query */
#define WEBHOOK_RUN_SECS	45	/* one webhook's share of a run */
#define WEBHOOK_LEASE_SECS	120	/* > run + one request + margin */
/*
 * How long a transaction may live between taking an AUTO_INCREMENT id
 * and committing: hearsay-survey's units are milliseconds (lock waits
 * end at the DB read timeout, retries are bounded), the journal loader
 * commits in bounded chunks, and Galera applies within seconds.  Only
 * after this does the watermark pass a gap.
 */
#define WEBHOOK_SETTLE_SECS	300
#define WEBHOOK_CONNECT_MS	5000L	/* connect, TLS included */
#define WEBHOOK_BACKOFF_FIRST	60	/* seconds after the first failure */
#define WEBHOOK_BACKOFF_MAX	21600	/* 6 h */
#define WEBHOOK_ERROR_MAX	255	/* the last_error column */
#define WEBHOOK_PARALLEL	4	/* webhooks sent to at once */
#define WEBHOOK_PRUNE_CHUNK	10000	/* delivery rows deleted at once */

enum wstmt {
	W_DUE,
	W_CLAIM,
	W_GET,
	W_ANSWERS,
	W_DELIVERED,
	W_FIRST_GAP,
	W_ADVANCE,
	W_PRUNE,
	W_SUCCESS,
	W_FAILURE,
	W_RELEASE,
	W_ERASURES,
	W_ERASED,
	W__MAX
};

static const char *const sqls[W__MAX] = {
	/* W_DUE */
	"SELECT id FROM webhooks WHERE enabled = 1 AND (? = 1 OR "
	    "next_attempt_at IS NULL OR next_attempt_at <= UTC_TIMESTAMP(3)) "
	    "AND (? = 0 OR id = ?) ORDER BY id",
	/* W_CLAIM: one sender per webhook at a time; a dead one's expires. */
	"UPDATE webhooks SET lease_owner = ?, lease_until = "
	    "UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ? AND enabled = 1 "
	    "AND (lease_until IS NULL OR lease_until < UTC_TIMESTAMP(3)) "
	    "AND (? = 1 OR next_attempt_at IS NULL OR "
	    "next_attempt_at <= UTC_TIMESTAMP(3))",
	/*
	 * W_GET: the last column is the horizon to come, read before any
	 * answer is: every id up to it was taken by now.
	 */
	"SELECT url, key_nonce, COALESCE(survey_id, 0), watermark, "
	    "horizon_id, horizon_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND, "
	    "attempts, (SELECT COALESCE(MAX(id), 0) FROM responses), "
	    "erasure_watermark, IF(old_key_until > UTC_TIMESTAMP(3), "
	    "old_key_nonce, '') FROM webhooks WHERE id = ? AND "
	    "lease_owner = ?",
	/*
	 * W_ANSWERS: never the client hash, the click id or the IP.
	 * STRAIGHT_JOIN walks responses by primary key from the cursor and
	 * stops at the LIMIT; left to itself the optimiser started from
	 * surveys and sorted every answer of the survey (0.23 s at 200k
	 * answers, growing, against 0.02 s).
	 */
	"SELECT STRAIGHT_JOIN r.id, r.submission_id, s.slug, r.signup_ref, "
	    "r.verified, r.source, CONCAT(LEFT(DATE_FORMAT(r.answered_at, "
	    "'%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z'), "
	    "r.options, r.followup_text, r.other_text, r.referrer_text, "
	    "r.code_text FROM responses r LEFT JOIN webhook_deliveries d ON "
	    "d.webhook_id = ? AND d.response_id = r.id "
	    "JOIN surveys s ON s.id = r.survey_id "
	    "WHERE r.id > ? AND (? = 0 OR r.survey_id = ?) AND "
	    "d.response_id IS NULL ORDER BY r.id LIMIT ?",
	/* W_DELIVERED */
	"INSERT INTO webhook_deliveries (webhook_id, response_id, status) "
	    "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE status = VALUES(status)",
	/* W_FIRST_GAP: the lowest answer up to the horizon still owed. */
	"SELECT STRAIGHT_JOIN r.id FROM responses r LEFT JOIN "
	    "webhook_deliveries d ON d.webhook_id = ? AND d.response_id = r.id "
	    "WHERE r.id > ? AND r.id <= ? AND (? = 0 OR r.survey_id = ?) AND "
	    "d.response_id IS NULL ORDER BY r.id LIMIT 1",
	/* W_ADVANCE */
	"UPDATE webhooks SET watermark = GREATEST(watermark, ?), "
	    "horizon_id = ?, horizon_at = UTC_TIMESTAMP(3) WHERE id = ? AND "
	    "lease_owner = ?",
	/*
	 * W_PRUNE: below the watermark the deliveries are not needed.  In
	 * chunks: after a backlog there can be many, and a big delete is
	 * one big write set on Galera.
	 */
	"DELETE FROM webhook_deliveries WHERE webhook_id = ? AND "
	    "response_id <= ? LIMIT ?",
	/* W_SUCCESS */
	"UPDATE webhooks SET delivered = delivered + ?, attempts = 0, "
	    "next_attempt_at = NULL, last_status = ?, last_error = NULL, "
	    "last_attempt_at = UTC_TIMESTAMP(3), "
	    "last_success_at = UTC_TIMESTAMP(3), lease_owner = NULL, "
	    "lease_until = NULL WHERE id = ? AND lease_owner = ?",
	/* W_FAILURE */
	"UPDATE webhooks SET delivered = delivered + ?, "
	    "attempts = attempts + 1, next_attempt_at = UTC_TIMESTAMP(3) + "
	    "INTERVAL ? SECOND, last_status = ?, last_error = ?, "
	    "last_attempt_at = UTC_TIMESTAMP(3), lease_owner = NULL, "
	    "lease_until = NULL WHERE id = ? AND lease_owner = ?",
	/* W_RELEASE: nothing was owed. */
	"UPDATE webhooks SET lease_owner = NULL, lease_until = NULL "
	    "WHERE id = ? AND lease_owner = ?",
	/*
	 * W_ERASURES: settled notices above the watermark, in id order (a
	 * forget commits within the settle time of taking its ids).
	 */
	"SELECT id, response_id, CONCAT(LEFT(DATE_FORMAT(erased_at, "
	    "'%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z') FROM webhook_erasures "
	    "WHERE id > ? AND (? = 0 OR survey_id = ?) AND "
	    "erased_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND "
	    "ORDER BY id LIMIT ?",
	/* W_ERASED */
	"UPDATE webhooks SET erasure_watermark = GREATEST(erasure_watermark, "
	    "?) WHERE id = ? AND lease_owner = ?",
};

/* One answer or erasure notice, ready to send. */
struct delivery {
	long long	 id;		/* responses.id: Hearsay-Delivery */
	long long	 erasure;	/* webhook_erasures.id, or 0 */
	char		*body;		/* JSON, NUL-terminated */
};

/* One sender run over every due webhook. */
struct sender {
	const struct hs_conf *conf;
	struct hs_db	*db;
	CURL		*curl;		/* one handle: keeps connections */
	char		 owner[HS_WEBHOOK_NONCE_HEX + 1]; /* lease owner */
	long		 timeout_ms;	/* whole request */
	int		 force;		/* ignore next_attempt_at */
	long long	 only;		/* one webhook, or 0 */
	int		 refused;	/* an internal address was refused */
};

/* One webhook during a run. */
struct hook {
	long long	 id;
	char		 url[HS_WEBHOOK_URL_MAX + 1];
	char		 nonce[HS_WEBHOOK_NONCE_HEX + 1];
	char		 secret[HS_WEBHOOK_SECRET_LEN + 1];
	char		 old_nonce[HS_WEBHOOK_NONCE_HEX + 1]; /* "": none */
	char		 old_secret[HS_WEBHOOK_SECRET_LEN + 1]; /* "": none */
	long long	 survey;	/* survey filter, 0 for all */
	long long	 watermark;
	long long	 horizon;	/* horizon_id */
	long long	 settled;	/* the horizon is old enough */
	long long	 attempts;	/* failures in a row so far */
	long long	 next_horizon;	/* MAX(responses.id) at claim time */
	long long	 erasure_watermark;
	int		 url_cut;	/* the stored URL was too long */
	long long	 sent;		/* delivered in this run */
	long long	 erased;	/* erasure notices sent in this run */
	long		 status;	/* last HTTP status, 0 for none */
	char		 error[WEBHOOK_ERROR_MAX + 1]; /* why it failed */
};

/*
 * Opens a connection with the sender's statements, or exits: a run is
 * a start-up context (STYLE.md section 3), and a child's failure is
 * its exit status.
 */
static struct hs_db *
db_open(const struct hs_conf *conf)
{
	struct hs_db	*db = NULL;
	enum hs_err	 e;

	if ((e = hs_db_open(&db, conf, 0, sqls, W__MAX)) != HS_OK)
		errx(EXIT_FAILURE, "database: %s", hs_strerror(e));
	return db;
}

/*
 * HEX of HMAC-SHA-256 keyed with the secret string over T "." body, the
 * v1 of body sent at t.  Signing the time lets receivers refuse old
 * replays.
 */
static void
sign(const char *secret, long long t, const char *body, size_t len,
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	char				 ts[32];

	(void)snprintf(ts, sizeof(ts), "%lld.", t);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	hs_hex(mac, sizeof(mac), hex);
	sodium_memzero(&st, sizeof(st));
}

/* Receivers' bodies are not read: only the status matters. */
static size_t
discard(char *p, size_t sz, size_t n, void *arg)
{

	return sz * n;
}

/*
 * libcurl's socket opener: refuses an internal address unless
 * webhook_allow_private is set.  It runs for every address curl tries,
 * after its own DNS lookup, so what is checked is what is connected to
 * (a name cannot pass "add" with a public address and point inward
 * later).  Returns a socket, or CURL_SOCKET_BAD (curl then tries the
 * next address, or fails with "couldn't connect").
 */
static curl_socket_t
opensock(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct sender	*s = arg;

	if (!s->conf->webhook_allow_private &&
	    hs_addr_internal(&addr->addr)) {
		s->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

/*
 * Sets the options every request of a run shares.  Redirects are never
 * followed (a 3xx is a failure: the receiver's URL is what an operator
 * typed, and a redirect could point the signed answer anywhere); only
 * http and https, also for any redirect curl might be asked to follow.
 * Returns 0 or -1.
 */
static int
curl_setup(struct sender *s)
{
	CURL	*c;

	if ((c = curl_easy_init()) == NULL)
		return -1;
	s->curl = c;
	if (curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    WEBHOOK_CONNECT_MS) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s->timeout_ms) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, opensock) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, s) != CURLE_OK ||
	    /* A proxy would connect for us, past opensock's check. */
	    curl_easy_setopt(c, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT,
	    "hearsay-webhook/" PACKAGE_VERSION) != CURLE_OK)
		return -1;
	return 0;
}

/* Appends a header line to *l.  Returns 0, or -1 (the list is kept). */
static int
append(struct curl_slist **l, const char *line)
{
	struct curl_slist	*n;

	if ((n = curl_slist_append(*l, line)) == NULL)
		return -1;
	*l = n;
	return 0;
}

/*
 * POSTs one delivery.  Returns 0 on a 2xx; otherwise -1 with h->status
 * (0 when no response came) and h->error set.
 */
static int
post(struct sender *s, struct hook *h, const struct delivery *d)
{
	struct curl_slist	*hl = NULL;
	char			 v1[2 * crypto_auth_hmacsha256_BYTES + 1];
	char			 v1old[sizeof(v1)], line[3][256];
	size_t			 len = strlen(d->body);
	long long		 t = (long long)time(NULL);
	long			 code = 0;
	CURLcode		 cc;
	int			 rc = -1;

	/* The new secret's v1 first, then the old one's (a rotation). */
	sign(h->secret, t, d->body, len, v1);
	if (h->old_secret[0] != '\0') {
		sign(h->old_secret, t, d->body, len, v1old);
		(void)snprintf(line[0], sizeof(line[0]),
		    "Hearsay-Signature: t=%lld,v1=%s,v1=%s", t, v1, v1old);
	} else
		(void)snprintf(line[0], sizeof(line[0]),
		    "Hearsay-Signature: t=%lld,v1=%s", t, v1);
	/*
	 * "Expect:" off: curl would wait for a 100 Continue on bodies over
	 * 1 KB, a round trip (or a second) per answer for nothing.
	 */
	if (d->erasure > 0)
		(void)snprintf(line[1], sizeof(line[1]),
		    "Hearsay-Delivery: erasure-%lld", d->erasure);
	else
		(void)snprintf(line[1], sizeof(line[1]),
		    "Hearsay-Delivery: %lld", d->id);
	(void)snprintf(line[2], sizeof(line[2]), "Hearsay-Webhook: %lld",
	    h->id);
	if (append(&hl, "Content-Type: application/json; charset=utf-8") ||
	    append(&hl, "Expect:") || append(&hl, line[0]) ||
	    append(&hl, line[1]) || append(&hl, line[2]))
		goto nomem;
	if (curl_easy_setopt(s->curl, CURLOPT_URL, h->url) != CURLE_OK ||
	    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, hl) != CURLE_OK ||
	    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)len) !=
	    CURLE_OK ||
	    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, d->body) !=
	    CURLE_OK) {
		(void)snprintf(h->error, sizeof(h->error), "curl setup");
		goto out;
	}
	s->refused = 0;
	cc = curl_easy_perform(s->curl);
	if (cc != CURLE_OK) {
		h->status = 0;
		(void)snprintf(h->error, sizeof(h->error), "%s%s",
		    curl_easy_strerror(cc), s->refused ? " (an internal "
		    "address, refused: see webhook_allow_private)" : "");
		goto out;
	}
	(void)curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	h->status = code;
	if (code < 200 || code > 299) {
		(void)snprintf(h->error, sizeof(h->error), "HTTP %ld", code);
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	(void)snprintf(h->error, sizeof(h->error), "out of memory");
out:
	/* The list must not outlive the handle's pointer to it. */
	(void)curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	return rc;
}

/* A text column as a JSON string, or null. */
static json_t *
jtext(const struct hs_dbcol *c)
{

	return c->isnull ? json_null() : json_string(c->s);
}

/*
 * Reads up to WEBHOOK_BATCH owed answers above *cursor into d (which has
 * room for that many) and moves *cursor to the last.  Returns how many,
 * or -1 on a database error.  Each body is a JSON object (compact, keys
 * in a fixed order) the caller frees.
 */
static int
read_batch(struct sender *s, struct hook *h, long long *cursor,
    struct delivery *d)
{
	static char		 b[12][2048];
	struct hs_dbparam	 p[5] = { HS_DBP_INT(h->id),
				    HS_DBP_INT(*cursor), HS_DBP_INT(h->survey),
				    HS_DBP_INT(h->survey),
				    HS_DBP_INT(WEBHOOK_BATCH) };
	struct hs_dbcol		 col[12];
	json_t			*o, *opts;
	char			*tok, *save;
	size_t			 i;
	int			 have, n = 0;

	for (i = 0; i < 12; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, b[i], sizeof(b[i]),
		    0, 0, 0 };
	col[0].type = col[4].type = HS_DB_INT;
	if (hs_db_query(s->db, W_ANSWERS, p, 5, col, 12) != HS_OK)
		return -1;
	while (n < WEBHOOK_BATCH) {
		if (hs_db_fetch(s->db, W_ANSWERS, &have) != HS_OK) {
			n = -1;
			break;
		}
		if (!have)
			break;
		*cursor = col[0].i;
		if ((opts = json_array()) == NULL)
			goto nomem;
		for (tok = strtok_r(b[7], " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save))
			(void)json_array_append_new(opts, json_string(tok));
		o = json_pack("{s:s, s:I, s:s, s:s, s:o, s:b, s:s, s:o, "
		    "s:o, s:o, s:o, s:o, s:s}",
		    "type", "answer",
		    "id", (json_int_t)col[0].i,
		    "submission_id", b[1],
		    "survey", b[2],
		    "signup_ref", jtext(&col[3]),
		    "verified", (int)col[4].i,
		    "source", b[5],
		    "options", opts,
		    "followup_text", jtext(&col[8]),
		    "other_text", jtext(&col[9]),
		    "referrer_text", jtext(&col[10]),
		    "code_text", jtext(&col[11]),
		    "answered_at", b[6]);
		if (o == NULL)
			goto nomem;
		d[n].id = col[0].i;
		d[n].erasure = 0;
		d[n].body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (d[n].body == NULL)
			goto nomem;
		n++;
	}
	hs_db_end(s->db, W_ANSWERS);
	return n;
nomem:
	warnx("webhook %lld: cannot encode answer %lld (memory)", h->id,
	    col[0].i);
	hs_db_end(s->db, W_ANSWERS);
	while (n > 0)
		free(d[--n].body);
	return -1;
}

/*
 * Moves the watermark once the horizon has settled: up to the horizon,
 * or to just below the first answer under it still owed (a failure
 * left it, or it is still to come in this webhook's order).  Then the
 * horizon restarts from the MAX(id) read at claim time, and deliveries
 * at or below the watermark are forgotten.  Returns 0 or -1.
 */
static int
advance(struct sender *s, struct hook *h)
{
	struct hs_dbparam	 p[5] = { HS_DBP_INT(h->id),
				    HS_DBP_INT(h->watermark),
				    HS_DBP_INT(h->horizon), HS_DBP_INT(h->survey),
				    HS_DBP_INT(h->survey) };
	struct hs_dbparam	 q[4];
	struct hs_dbcol		 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	unsigned long long	 n;
	long long		 w = h->horizon;
	int			 have = 0;

	if (!h->settled)
		return 0;
	if (h->horizon > h->watermark) {
		if (hs_db_query(s->db, W_FIRST_GAP, p, 5, &col, 1) != HS_OK ||
		    hs_db_fetch(s->db, W_FIRST_GAP, &have) != HS_OK)
			return -1;
		hs_db_end(s->db, W_FIRST_GAP);
		if (have && col.i > 0)
			w = col.i - 1;
	} else
		w = h->watermark;
	q[0] = (struct hs_dbparam)HS_DBP_INT(w);
	q[1] = (struct hs_dbparam)HS_DBP_INT(h->next_horizon);
	q[2] = (struct hs_dbparam)HS_DBP_INT(h->id);
	q[3] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
	if (hs_db_exec(s->db, W_ADVANCE, q, 4, NULL) != HS_OK)
		return -1;
	q[1] = q[0];
	q[0] = (struct hs_dbparam)HS_DBP_INT(h->id);
	q[2] = (struct hs_dbparam)HS_DBP_INT(WEBHOOK_PRUNE_CHUNK);
	do {
		if (hs_db_exec(s->db, W_PRUNE, q, 3, &n) != HS_OK)
			return -1;
	} while (n == WEBHOOK_PRUNE_CHUNK);
	h->watermark = w;
	return 0;
}

/*
 * Sends h's settled erasure notices above its erasure watermark, in id
 * order, until until, moving the watermark past each one a receiver
 * took (one commit each: erasures are rare, and a notice sent twice
 * only when a crash comes between its 2xx and that commit).  The body
 * names the erased answer and nothing else about it.  Returns 0, 1 when
 * the receiver failed (h->status and h->error say how), or -1 on a
 * database error.
 */
static int
send_erasures(struct sender *s, struct hook *h, time_t until)
{
	static char		 at[32];
	struct delivery		 d[WEBHOOK_BATCH];
	struct hs_dbparam	 p[5];
	struct hs_dbcol		 col[3];
	json_t			*o;
	int			 have, i, n = 0, rc = -1;

	memset(col, 0, sizeof(col));
	col[0].type = col[1].type = HS_DB_INT;
	col[2] = (struct hs_dbcol){ HS_DB_TEXT, 0, at, sizeof(at), 0, 0, 0 };
	for (;;) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(h->erasure_watermark);
		p[1] = (struct hs_dbparam)HS_DBP_INT(h->survey);
		p[2] = (struct hs_dbparam)HS_DBP_INT(h->survey);
		p[3] = (struct hs_dbparam)HS_DBP_INT(WEBHOOK_SETTLE_SECS);
		p[4] = (struct hs_dbparam)HS_DBP_INT(WEBHOOK_BATCH);
		if (hs_db_query(s->db, W_ERASURES, p, 5, col, 3) != HS_OK)
			goto out;
		while (n < WEBHOOK_BATCH) {
			if (hs_db_fetch(s->db, W_ERASURES, &have) != HS_OK)
				goto out;
			if (!have)
				break;
			o = json_pack("{s:s, s:I, s:s}", "type", "answer.erased",
			    "id", (json_int_t)col[1].i, "erased_at", at);
			d[n].id = col[1].i;
			d[n].erasure = col[0].i;
			d[n].body = o == NULL ? NULL : json_dumps(o,
			    JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(o);
			if (d[n].body == NULL) {
				warnx("webhook %lld: cannot encode erasure "
				    "%lld (memory)", h->id, col[0].i);
				goto out;
			}
			n++;
		}
		hs_db_end(s->db, W_ERASURES);
		for (i = 0; i < n; i++) {
			if (post(s, h, &d[i]) != 0) {
				rc = 1;
				goto out;
			}
			p[0] = (struct hs_dbparam)HS_DBP_INT(d[i].erasure);
			p[1] = (struct hs_dbparam)HS_DBP_INT(h->id);
			p[2] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
			if (hs_db_exec(s->db, W_ERASED, p, 3, NULL) != HS_OK)
				goto out;
			h->erasure_watermark = d[i].erasure;
			h->erased++;
			if (time(NULL) >= until) {
				rc = 0;
				goto out;
			}
		}
		if (n < WEBHOOK_BATCH) {
			rc = 0;
			goto out;
		}
		for (i = 0; i < n; i++)
			free(d[i].body);
		n = 0;
	}
out:
	hs_db_end(s->db, W_ERASURES);
	for (i = 0; i < n; i++)
		free(d[i].body);
	return rc;
}

/* What a batch delivered, to record in one transaction. */
struct recorded {
	struct hook	*h;
	long long	 ids[WEBHOOK_BATCH];	/* answer ids */
	long		 status[WEBHOOK_BATCH];	/* their 2xx */
	int		 n;
};

/* The unit recording a batch's deliveries (replayed whole on deadlock). */
static enum hs_err
record(struct hs_db *db, void *arg)
{
	struct recorded		*r = arg;
	struct hs_dbparam	 p[3];
	enum hs_err		 e;
	int			 i;

	for (i = 0; i < r->n; i++) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(r->h->id);
		p[1] = (struct hs_dbparam)HS_DBP_INT(r->ids[i]);
		p[2] = (struct hs_dbparam)HS_DBP_INT(r->status[i]);
		if ((e = hs_db_exec(db, W_DELIVERED, p, 3, NULL)) != HS_OK)
			return e;
	}
	return HS_OK;
}

/* Seconds to wait after the given number of failures in a row. */
static long long
backoff(long long failures)
{
	long long	 d = WEBHOOK_BACKOFF_FIRST;

	while (--failures > 0 && d < WEBHOOK_BACKOFF_MAX)
		d *= 2;
	return d < WEBHOOK_BACKOFF_MAX ? d : WEBHOOK_BACKOFF_MAX;
}

/*
 * Claims webhook h->id for this run and reads it.  Returns 1 when it is
 * this run's, 0 when another sender has it (or it changed), -1 on a
 * database error.
 */
static int
claim(struct sender *s, struct hook *h)
{
	struct hs_dbparam	 p[4];
	struct hs_dbcol		 col[10];
	unsigned long long	 n = 0;
	int			 have = 0, i;

	p[0] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
	p[1] = (struct hs_dbparam)HS_DBP_INT(WEBHOOK_LEASE_SECS);
	p[2] = (struct hs_dbparam)HS_DBP_INT(h->id);
	p[3] = (struct hs_dbparam)HS_DBP_INT(s->force);
	if (hs_db_exec(s->db, W_CLAIM, p, 4, &n) != HS_OK)
		return -1;
	if (n == 0)
		return 0;
	memset(col, 0, sizeof(col));
	col[0] = (struct hs_dbcol){ HS_DB_TEXT, 0, h->url, sizeof(h->url),
	    0, 0, 0 };
	col[1] = (struct hs_dbcol){ HS_DB_TEXT, 0, h->nonce, sizeof(h->nonce),
	    0, 0, 0 };
	for (i = 2; i < 9; i++)
		col[i].type = HS_DB_INT;
	col[9] = (struct hs_dbcol)HS_DBC_TEXT(h->old_nonce);
	p[0] = (struct hs_dbparam)HS_DBP_INT(WEBHOOK_SETTLE_SECS);
	p[1] = (struct hs_dbparam)HS_DBP_INT(h->id);
	p[2] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
	if (hs_db_query(s->db, W_GET, p, 3, col, 10) != HS_OK ||
	    hs_db_fetch(s->db, W_GET, &have) != HS_OK)
		return -1;
	hs_db_end(s->db, W_GET);
	if (!have)
		return 0;
	h->survey = col[2].i;
	h->watermark = col[3].i;
	h->horizon = col[4].i;
	h->settled = col[5].i;
	h->attempts = col[6].i;
	h->next_horizon = col[7].i;
	h->erasure_watermark = col[8].i;
	h->url_cut = col[0].truncated;
	hs_webhook_secret(s->conf->hmac_key, h->nonce, h->secret);
	if (h->old_nonce[0] != '\0')
		hs_webhook_secret(s->conf->hmac_key, h->old_nonce,
		    h->old_secret);
	return 1;
}

/*
 * Sends h's answers above its watermark, in batches, until one fails or
 * the run's time is up.  Returns 0 (*failed set when a receiver
 * failed), or -1 on a database error.
 */
static int
send_answers(struct sender *s, struct hook *h, time_t until, int *failed)
{
	struct delivery		 d[WEBHOOK_BATCH];
	struct recorded		 rec;
	long long		 cursor = h->watermark;
	int			 i, nd;

	while (!*failed && time(NULL) < until) {
		if ((nd = read_batch(s, h, &cursor, d)) < 0)
			return -1;
		if (nd == 0)
			break;
		rec.h = h;
		rec.n = 0;
		for (i = 0; i < nd; i++) {
			if (post(s, h, &d[i]) != 0) {
				*failed = 1;
				break;
			}
			rec.ids[rec.n] = d[i].id;
			rec.status[rec.n++] = h->status;
			if (time(NULL) >= until)
				break;
		}
		for (i = 0; i < nd; i++)
			free(d[i].body);
		/*
		 * One commit for the batch's deliveries, not one each: while a
		 * backlog drains, a commit per answer would compete with the
		 * survey's own commits for the redo log's fsyncs.  A crash
		 * before it sends them again (at least once, deduped by
		 * receivers on Hearsay-Delivery).
		 */
		if (rec.n > 0 && hs_db_unit(s->db, record, &rec) != HS_OK)
			return -1;
		h->sent += rec.n;
	}
	return 0;
}

/*
 * Ends h's run: records a failure with its backoff, or a success, or
 * just releases the lease when nothing was owed.  Returns 0 or -1.
 */
static int
settle(struct sender *s, struct hook *h, int failed)
{
	struct hs_dbparam	 p[6];
	unsigned long long	 n = 0;

	p[0] = (struct hs_dbparam)HS_DBP_INT(h->sent);
	if (failed) {
		p[1] = (struct hs_dbparam)HS_DBP_INT(backoff(h->attempts + 1));
		p[2] = (struct hs_dbparam)HS_DBP_INT(h->status);
		p[3] = (struct hs_dbparam)HS_DBP_TEXT(h->error);
		p[4] = (struct hs_dbparam)HS_DBP_INT(h->id);
		p[5] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
		if (hs_db_exec(s->db, W_FAILURE, p, 6, &n) != HS_OK)
			return -1;
		printf("webhook %lld: %lld delivered, then failed: %s "
		    "(failure %lld, next try in %lld s)\n", h->id, h->sent,
		    h->error, h->attempts + 1, backoff(h->attempts + 1));
	} else if (h->sent > 0 || h->erased > 0) {
		p[1] = (struct hs_dbparam)HS_DBP_INT(h->status);
		p[2] = (struct hs_dbparam)HS_DBP_INT(h->id);
		p[3] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
		if (hs_db_exec(s->db, W_SUCCESS, p, 4, &n) != HS_OK)
			return -1;
		if (h->erased > 0)
			printf("webhook %lld: %lld delivered, %lld erasure "
			    "notices\n", h->id, h->sent, h->erased);
		else
			printf("webhook %lld: %lld delivered\n", h->id,
			    h->sent);
	} else {
		p[0] = (struct hs_dbparam)HS_DBP_INT(h->id);
		p[1] = (struct hs_dbparam)HS_DBP_TEXT(s->owner);
		if (hs_db_exec(s->db, W_RELEASE, p, 2, &n) != HS_OK)
			return -1;
	}
	if (n == 0)
		warnx("webhook %lld: lease lost during the run (over %d s?)",
		    h->id, WEBHOOK_LEASE_SECS);
	return 0;
}

/*
 * Claims webhook id and delivers what it is owed, for at most
 * WEBHOOK_RUN_SECS.  Returns 0 when the webhook was handled (delivered,
 * had nothing, was claimed by another sender, or failed at the receiver:
 * that is recorded, not an error of this run), -1 on a database error.
 */
static int
run_one(struct sender *s, long long id)
{
	struct hook	*h;
	time_t		 until = time(NULL) + WEBHOOK_RUN_SECS;
	int		 failed = 0, e, rc = -1;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		err(EXIT_FAILURE, NULL);
	h->id = id;
	if ((e = claim(s, h)) <= 0) {
		rc = e;
		goto out;
	}
	/* A row forced into the table is checked again before any send. */
	if (h->url_cut || !hs_webhook_url_ok(h->url)) {
		(void)snprintf(h->error, sizeof(h->error), "URL refused "
		    "(http or https, printable ASCII, no user:password)");
		failed = 1;
	}
	if (send_answers(s, h, until, &failed) != 0)
		goto out;
	/* Answers first: a notice never comes before what it erases. */
	if (!failed && time(NULL) < until) {
		if ((e = send_erasures(s, h, until)) < 0)
			goto out;
		failed = e > 0;
	}
	if (advance(s, h) != 0 || settle(s, h, failed) != 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(h->secret, sizeof(h->secret));
	sodium_memzero(h->old_secret, sizeof(h->old_secret));
	free(h);
	return rc;
}

/*
 * One webhook's run in a child process, with its own connection and
 * curl handle.  Returns the child's exit status.
 */
static int
child(struct sender *s, long long id)
{
	int	 rc = EXIT_FAILURE;

	if (curl_setup(s) != 0)
		warnx("libcurl: cannot set up a handle");
	else {
		s->db = db_open(s->conf);
		if (run_one(s, id) == 0)
			rc = EXIT_SUCCESS;
		else
			warnx("webhook %lld: database error (see above)", id);
		hs_db_close(s->db);
	}
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	curl_global_cleanup();
	return rc;
}

/*
 * One run over every enabled webhook that is due, up to
 * WEBHOOK_PARALLEL at a time, each in a child process: a receiver that
 * hangs until the timeout holds up only its own webhook, never the
 * others' deliveries.  Returns EXIT_FAILURE only for the sender's own
 * failures (database, memory, fork); a receiver's failure is recorded
 * on its webhook (see "hearsay-admin webhook list") and retried later.
 */
int
hw_send(const struct hs_conf *conf, const struct hw_opts *o)
{
	struct sender		 s;
	struct hs_dbparam	 p[3];
	struct hs_dbcol		 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	long long		*ids = NULL;
	size_t			 nids = 0, i, running = 0;
	pid_t			 pid;
	int			 have, st, rc = EXIT_FAILURE;

	memset(&s, 0, sizeof(s));
	s.conf = conf;
	s.force = o->force;
	s.only = o->only;
	s.timeout_ms = (long)o->timeout * 1000;
	if (!conf->have_hmac_key)
		errx(EXIT_FAILURE, "hmac_key missing from the secrets file");
	hs_rand_hex(s.owner, sizeof(s.owner));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		errx(EXIT_FAILURE, "libcurl failed to initialise");
	s.db = db_open(conf);
	p[0] = (struct hs_dbparam)HS_DBP_INT(s.force);
	p[1] = (struct hs_dbparam)HS_DBP_INT(s.only);
	p[2] = (struct hs_dbparam)HS_DBP_INT(s.only);
	if (hs_db_query(s.db, W_DUE, p, 3, &col, 1) != HS_OK)
		goto out;
	while (hs_db_fetch(s.db, W_DUE, &have) == HS_OK && have) {
		long long *x;

		if ((x = hs_xreallocarray(ids, nids + 1, sizeof(*ids))) ==
		    NULL) {
			hs_db_end(s.db, W_DUE);
			goto out;
		}
		ids = x;
		ids[nids++] = col.i;
	}
	hs_db_end(s.db, W_DUE);
	/* The children must not share this connection. */
	hs_db_close(s.db);
	s.db = NULL;
	rc = EXIT_SUCCESS;
	for (i = 0; i < nids || running > 0;) {
		if (i < nids && running < WEBHOOK_PARALLEL) {
			(void)fflush(stdout);
			(void)fflush(stderr);
			if ((pid = fork()) == -1) {
				warn("fork");
				rc = EXIT_FAILURE;
				nids = i;	/* wait for the running */
				continue;
			}
			if (pid == 0) {
				st = child(&s, ids[i]);
				free(ids);
				exit(st);
			}
			running++;
			i++;
			continue;
		}
		if (waitpid(-1, &st, 0) == -1) {
			if (errno == EINTR)
				continue;
			warn("waitpid");
			rc = EXIT_FAILURE;
			break;
		}
		running--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = EXIT_FAILURE;
	}
out:
	free(ids);
	hs_db_close(s.db);
	curl_global_cleanup();
	return rc;
}
