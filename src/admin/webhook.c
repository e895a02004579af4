/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * webhook.c: the webhooks on new survey answers (issue 4), as the
 * operator manages them; hearsay-webhook (src/webhook/) delivers.
 *
 *	webhook add URL [--survey SLUG]	prints the signing secret once
 *	webhook rotate ID [--grace HOURS]
 *					prints a new secret once; the old
 *					one also signs for HOURS (24)
 *	webhook list | remove ID | enable ID | disable ID
 *
 * http and https only, and no internal address (loopback, private,
 * link-local: privacy.c's hs_addr_internal) unless
 * webhook_allow_private is set: "add" refuses a URL whose host is or
 * resolves to one (the sender checks again on every connection).  The
 * secret is never stored: the row keeps a random nonce and the secret
 * is derived from it with the secrets file's hmac_key
 * (hs_webhook_secret), so a database dump cannot sign.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netdb.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "hearsay.h"
#include "admin.h"

#define WEBHOOK_ERROR_MAX	255	/* the last_error column */
#define WEBHOOK_GRACE_HOURS	24	/* the old secret signs too, after rotate */
#define WEBHOOK_GRACE_MAX	(30 * 24) /* hours: a month to switch at most */

enum wstmt {
	W_SURVEY_ID,
	W_ADD,
	W_LIST,
	W_REMOVE,
	W_ENABLE,
	W_EXISTS,
	W_ROTATE,
	W__MAX
};

static const char *const sqls[W__MAX] = {
	/* W_SURVEY_ID */
	"SELECT id FROM surveys WHERE slug = ?",
	/*
	 * W_ADD: a new webhook gets the answers that come after it; the
	 * horizon starts now, like the watermark.
	 */
	"INSERT INTO webhooks (url, key_nonce, survey_id, watermark, "
	    "horizon_id, horizon_at, erasure_watermark) SELECT ?, ?, ?, "
	    "COALESCE(MAX(id), 0), COALESCE(MAX(id), 0), UTC_TIMESTAMP(3), "
	    "(SELECT COALESCE(MAX(id), 0) FROM webhook_erasures) "
	    "FROM responses",
	/* W_LIST */
	"SELECT w.id, w.url, COALESCE(s.slug, '*'), w.enabled, w.watermark, "
	    "w.delivered, w.attempts, COALESCE(DATE_FORMAT(w.next_attempt_at, "
	    "'%Y-%m-%dT%H:%i:%sZ'), '-'), COALESCE(w.last_status, -1), "
	    "COALESCE(w.last_error, ''), IF(w.old_key_until > "
	    "UTC_TIMESTAMP(3), DATE_FORMAT(w.old_key_until, "
	    "'%Y-%m-%dT%H:%i:%sZ'), '') FROM webhooks w "
	    "LEFT JOIN surveys s ON s.id = w.survey_id ORDER BY w.id",
	/* W_REMOVE: its deliveries go with it (ON DELETE CASCADE). */
	"DELETE FROM webhooks WHERE id = ?",
	/* W_ENABLE: enabling again also forgets the backoff. */
	"UPDATE webhooks SET enabled = ?, attempts = 0, "
	    "next_attempt_at = NULL WHERE id = ?",
	/* W_EXISTS: an UPDATE changing nothing counts 0 rows. */
	"SELECT COUNT(*) FROM webhooks WHERE id = ?",
	/*
	 * W_ROTATE: the assignments run left to right, so old_key_nonce
	 * takes the nonce being replaced.
	 */
	"UPDATE webhooks SET old_key_nonce = key_nonce, old_key_until = "
	    "UTC_TIMESTAMP(3) + INTERVAL ? HOUR, key_nonce = ? WHERE id = ?",
};

/*
 * Whether url's host is, or resolves to, an internal address.  A name
 * that does not resolve now is let through with a warning (the receiver
 * may not be up yet): the sender checks again on every connection.
 * Returns 1 or 0.
 */
static int
url_internal(const char *url)
{
	CURLU		*u;
	struct addrinfo	 hints, *res = NULL, *ai;
	char		*host = NULL, *h;
	size_t		 n;
	int		 internal = 1, e;

	if ((u = curl_url()) == NULL)
		return 1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	h = host;
	n = strlen(h);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {	/* [::1] */
		h[n - 1] = '\0';
		h++;
	}
	if ((e = hs_addr_internal_str(h)) >= 0) {
		internal = e;
		goto out;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(h, NULL, &hints, &res)) != 0) {
		warnx("warning: %s does not resolve now (%s); the sender "
		    "will check its addresses", h, gai_strerror(e));
		internal = 0;
		goto out;
	}
	internal = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (hs_addr_internal(ai->ai_addr))
			internal = 1;
	freeaddrinfo(res);
out:
	curl_free(host);
	curl_url_cleanup(u);
	return internal;
}

/* webhook add URL [--survey SLUG]: prints the secret, only now. */
static int
webhook_add(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[3];
	struct hs_dbcol		 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	const char		*url = args->pos[0];
	const char		*slug = adm_arg(args, "survey");
	char			 nonce[HS_WEBHOOK_NONCE_HEX + 1];
	char			 secret[HS_WEBHOOK_SECRET_LEN + 1];
	int			 have = 0, rc = ADM_FAIL;

	if (!hs_webhook_url_ok(url)) {
		warnx("refused: the URL must be http:// or https://, at most "
		    "%d bytes of printable ASCII (no spaces, CR or LF), with "
		    "a host and no user:password", HS_WEBHOOK_URL_MAX);
		return ADM_FAIL;
	}
	if (!a->conf.webhook_allow_private && url_internal(url)) {
		warnx("refused: the URL's host is or resolves to an internal "
		    "address (loopback, private or link-local); set "
		    "webhook_allow_private = 1 in %s to allow it",
		    a->confpath);
		return ADM_FAIL;
	}
	if (!a->conf.have_hmac_key)
		errx(ADM_FAIL, "hmac_key missing from the secrets file");
	db = adm_open(a, sqls, W__MAX);
	p[2] = (struct hs_dbparam)HS_DBP_NULL;
	if (slug != NULL) {
		p[0] = (struct hs_dbparam)HS_DBP_TEXT(slug);
		if (hs_db_query(db, W_SURVEY_ID, p, 1, &col, 1) != HS_OK ||
		    hs_db_fetch(db, W_SURVEY_ID, &have) != HS_OK)
			goto out;
		hs_db_end(db, W_SURVEY_ID);
		if (!have) {
			warnx("no survey %s", slug);
			goto out;
		}
		p[2] = (struct hs_dbparam)HS_DBP_INT(col.i);
	}
	hs_rand_hex(nonce, sizeof(nonce));
	p[0] = (struct hs_dbparam)HS_DBP_TEXT(url);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(nonce);
	if (hs_db_exec(db, W_ADD, p, 3, NULL) != HS_OK)
		goto out;
	hs_webhook_secret(a->conf.hmac_key, nonce, secret);
	printf("%s\n", secret);
	sodium_memzero(secret, sizeof(secret));
	fprintf(stderr, "webhook %llu added; its signing secret (above) is "
	    "shown only now\n", hs_db_insert_id(db, W_ADD));
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

/* webhook list: one line each, the last error in the last column. */
static int
webhook_list(struct adm *a, const struct adm_args *args)
{
	struct hs_db	*db = adm_open(a, sqls, W__MAX);
	static char	 url[HS_WEBHOOK_URL_MAX + 1], slug[65], next[32];
	static char	 error[WEBHOOK_ERROR_MAX * 4 + 1], old[32];
	struct hs_dbcol	 col[11];
	int		 i, have, rc = ADM_FAIL;

	memset(col, 0, sizeof(col));
	for (i = 0; i < 11; i++)
		col[i].type = HS_DB_INT;
	col[1] = (struct hs_dbcol){ HS_DB_TEXT, 0, url, sizeof(url), 0, 0, 0 };
	col[2] = (struct hs_dbcol){ HS_DB_TEXT, 0, slug, sizeof(slug), 0, 0,
	    0 };
	col[7] = (struct hs_dbcol){ HS_DB_TEXT, 0, next, sizeof(next), 0, 0,
	    0 };
	col[9] = (struct hs_dbcol){ HS_DB_TEXT, 0, error, sizeof(error), 0, 0,
	    0 };
	col[10] = (struct hs_dbcol)HS_DBC_TEXT(old);
	if (hs_db_query(db, W_LIST, NULL, 0, col, 11) != HS_OK)
		goto out;
	printf("%-4s %-8s %-7s %-10s %-9s %-8s %-20s %-6s %s\n", "ID", "SURVEY",
	    "ENABLED", "WATERMARK", "DELIVERED", "FAILURES", "NEXT_TRY",
	    "STATUS", "URL / LAST ERROR");
	while (hs_db_fetch(db, W_LIST, &have) == HS_OK && have) {
		printf("%-4lld %-8s %-7s %-10lld %-9lld %-8lld %-20s %-6lld "
		    "%s\n", col[0].i, slug, col[3].i ? "yes" : "no", col[4].i,
		    col[5].i, col[6].i, next, col[8].i, url);
		if (*error != '\0')
			printf("     last error: %s\n", error);
		if (*old != '\0')
			printf("     the old secret also signs until %s\n", old);
	}
	hs_db_end(db, W_LIST);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

/* webhook remove|enable|disable ID */
static int
webhook_set(struct adm *a, const char *verb, const char *arg)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[2];
	struct hs_dbcol		 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	unsigned long long	 n = 0;
	long long		 id;
	int			 have = 0, rc = ADM_FAIL;

	if ((id = adm_id(arg)) == 0)
		return ADM_SHOW_USAGE;
	db = adm_open(a, sqls, W__MAX);
	if (strcmp(verb, "remove") == 0) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(id);
		if (hs_db_exec(db, W_REMOVE, p, 1, &n) != HS_OK)
			goto out;
	} else {
		p[0] = (struct hs_dbparam)HS_DBP_INT(id);
		if (hs_db_query(db, W_EXISTS, p, 1, &col, 1) != HS_OK ||
		    hs_db_fetch(db, W_EXISTS, &have) != HS_OK)
			goto out;
		hs_db_end(db, W_EXISTS);
		n = have ? (unsigned long long)col.i : 0;
		p[0] = (struct hs_dbparam)HS_DBP_INT(strcmp(verb, "enable") ==
		    0);
		p[1] = (struct hs_dbparam)HS_DBP_INT(id);
		if (n > 0 && hs_db_exec(db, W_ENABLE, p, 2, NULL) != HS_OK)
			goto out;
	}
	if (n == 0) {
		warnx("no webhook %lld", id);
		goto out;
	}
	printf("webhook %lld %sd\n", id, verb);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

/*
 * webhook rotate ID [--grace HOURS]: a new secret, printed only now; the
 * old one signs beside it for HOURS (0: not at all, it leaked).
 */
static int
webhook_rotate(struct adm *a, const struct adm_args *args)
{
	struct hs_db		*db;
	struct hs_dbparam	 p[3];
	unsigned long long	 n = 0;
	long long		 id, grace = WEBHOOK_GRACE_HOURS;
	char			 nonce[HS_WEBHOOK_NONCE_HEX + 1];
	char			 secret[HS_WEBHOOK_SECRET_LEN + 1];
	const char		*g = adm_arg(args, "grace");
	char			*ep;
	int			 rc = ADM_FAIL;

	if ((id = adm_id(args->pos[0])) == 0)
		return ADM_SHOW_USAGE;
	if (g != NULL) {
		grace = strtoll(g, &ep, 10);
		if (*g == '\0' || *ep != '\0' || grace < 0 ||
		    grace > WEBHOOK_GRACE_MAX) {
			warnx("--grace: whole hours, 0 to %d", WEBHOOK_GRACE_MAX);
			return ADM_SHOW_USAGE;
		}
	}
	if (!a->conf.have_hmac_key)
		errx(ADM_FAIL, "hmac_key missing from the secrets file");
	db = adm_open(a, sqls, W__MAX);
	hs_rand_hex(nonce, sizeof(nonce));
	p[0] = (struct hs_dbparam)HS_DBP_INT(grace);
	p[1] = (struct hs_dbparam)HS_DBP_TEXT(nonce);
	p[2] = (struct hs_dbparam)HS_DBP_INT(id);
	if (hs_db_exec(db, W_ROTATE, p, 3, &n) != HS_OK)
		goto out;
	if (n == 0) {
		warnx("no webhook %lld", id);
		goto out;
	}
	hs_webhook_secret(a->conf.hmac_key, nonce, secret);
	printf("%s\n", secret);
	sodium_memzero(secret, sizeof(secret));
	if (grace > 0)
		fprintf(stderr, "webhook %lld: its new signing secret (above) "
		    "is shown only now; the old one also signs for %lld "
		    "hours\n", id, grace);
	else
		fprintf(stderr, "webhook %lld: its new signing secret (above) "
		    "is shown only now; the old one no longer signs\n", id);
	rc = ADM_OK;
out:
	hs_db_close(db);
	return rc;
}

static int
webhook_remove(struct adm *a, const struct adm_args *args)
{

	return webhook_set(a, "remove", args->pos[0]);
}

static int
webhook_enable(struct adm *a, const struct adm_args *args)
{

	return webhook_set(a, "enable", args->pos[0]);
}

static int
webhook_disable(struct adm *a, const struct adm_args *args)
{

	return webhook_set(a, "disable", args->pos[0]);
}

static const struct adm_opt webhook_add_opts[] = {
	{ "survey", 0 }, { NULL, 0 }
};
static const struct adm_opt webhook_rotate_opts[] = {
	{ "grace", 0 }, { NULL, 0 }
};

const struct adm_sub adm_webhook_subs[] = {
	{ "add", webhook_add, 1, 1, webhook_add_opts,
	    "add URL [--survey SLUG]" },
	{ "rotate", webhook_rotate, 1, 1, webhook_rotate_opts,
	    "rotate ID [--grace HOURS]" },
	{ "list", webhook_list, 0, 0, NULL, "list" },
	{ "remove", webhook_remove, 1, 1, NULL, "remove ID" },
	{ "enable", webhook_enable, 1, 1, NULL, "enable ID" },
	{ "disable", webhook_disable, 1, 1, NULL, "disable ID" },
	{ NULL, NULL, 0, 0, NULL, NULL }
};
