/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cap.c: what the two capability pages share, the host's (host.c, under
 * /host/T/) and the advocate's (advocate.c, under /a/T/): the token in
 * the path and its row (each kind of page described by a struct
 * qr_cap), the methods of a page with one form, the form's signed
 * token, a database error as people see it, and the short link as
 * people type it.  Each kind keeps its own words for a bad token and
 * for a revoked one.
 *
 * A token that was revoked (replaced by a newer one, or closed by the
 * organisers) gets a 410 saying so and what to do instead; one that
 * never existed, or is malformed, the same 404 as any missing page.
 * Only whoever holds a once-valid token learns that it was replaced,
 * and they had it anyway: the 410 tells nobody whether a guess exists.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "qr.h"

/*
 * Splits "T/..." (the path after the page's prefix) into its token,
 * copied into tok, and returns the rest from its '/'; NULL when the
 * token is not HS_CAP_HEX bytes followed by a '/'.
 */
static const char *
split(const char *rest, char tok[HS_CAP_HEX + 1])
{
	const char	*slash;

	if ((slash = strchr(rest, '/')) == NULL ||
	    (size_t)(slash - rest) != HS_CAP_HEX)
		return NULL;
	memcpy(tok, rest, HS_CAP_HEX);
	tok[HS_CAP_HEX] = '\0';
	return slash;
}

/*
 * Answers the well-formed token tok of a page of kind k that k's find
 * did not know: k's gone (410), in the language its page spoke, when
 * k's gonestmt finds it revoked, else k's notfound (404).  Returns
 * HS_OK once answered, or a DB error (nothing sent).
 */
static enum hs_err
unknown(struct hs_req *r, struct hs_db *db, const struct qr_cap *k,
    const char *tok)
{
	char		 lang[HS_LANG_MAX + 1];
	struct hs_dbcol	 c[1] = { HS_DBC_TEXT(lang) };
	enum hs_err	 e;

	e = qr_cap_row(db, k->gonestmt, tok, c, 1);
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 404, k->notfound);
		return HS_OK;
	}
	if (e != HS_OK)
		return e;
	(void)hs_lang_set(lang);
	(void)hs_http_error(r, 410, k->gone);
	return HS_OK;
}

/*
 * The token of a page of kind k in r's path, into tok, and its row by
 * k's find into arg.  Returns the rest of the path from its '/', or
 * NULL once answered: k's notfound (404) for a malformed or unknown
 * token, k's gone (410) for a revoked one, else the DB error.  Every
 * answer, these too, says Referrer-Policy: no-referrer: the capability
 * is in the path, and a page's requests (its style sheet, its images)
 * would carry it on.
 */
const char *
qr_cap_open(struct hs_req *r, struct hs_db *db, const struct qr_cap *k,
    char tok[HS_CAP_HEX + 1], void *arg)
{
	const char	*rest;
	enum hs_err	 e;

	if (hs_http_header(r, "Referrer-Policy", "no-referrer") != HS_OK)
		return NULL;
	if ((rest = split(r->path + strlen(k->prefix), tok)) == NULL) {
		(void)hs_http_error(r, 404, k->notfound);
		return NULL;
	}
	if ((e = k->find(tok, arg)) == HS_ENOTFOUND &&
	    (e = unknown(r, db, k, tok)) == HS_OK)
		return NULL;
	if (e != HS_OK) {
		qr_dberror(r, k->who, e);
		return NULL;
	}
	return rest;
}

/*
 * The row of token tok by statement stmt, which takes its SHA-256 (the
 * only form stored) as its one parameter, into the n columns c.
 * Returns HS_OK, HS_ENOTFOUND (malformed or no such row), or a DB error.
 */
enum hs_err
qr_cap_row(struct hs_db *db, size_t stmt, const char *tok, struct hs_dbcol *c,
    size_t n)
{
	char		 hex[65];
	struct hs_dbparam prm[1];
	enum hs_err	 e;
	int		 have = 0;

	if ((e = hs_cap_hash(tok, hex)) != HS_OK)
		return e;
	prm[0] = (struct hs_dbparam)HS_DBP_TEXT(hex);
	if ((e = hs_db_row(db, stmt, prm, 1, c, n, &have)) != HS_OK)
		return e;
	return have ? HS_OK : HS_ENOTFOUND;
}

/*
 * The methods of a page: a form's path (form) takes POST only, and
 * says formmsg to anything else; every other path is read-only.
 * Returns 1 when the request may go on, else 0 once the 405 is sent.
 */
int
qr_cap_method(struct hs_req *r, int form, const char *formmsg)
{
	int	 post = r->method == HS_METHOD_POST;

	if (form && !post) {
		if (hs_http_header(r, "Allow", "POST") == HS_OK)
			(void)hs_http_error(r, 405, formmsg);
		return 0;
	}
	if (!form && post) {
		if (hs_http_header(r, "Allow", "GET, HEAD") == HS_OK)
			(void)hs_http_error(r, 405, "That page is read-only.");
		return 0;
	}
	return 1;
}

/*
 * Signs a page's form token for purpose over payload, valid for secs,
 * into csrf.  Returns 0, or -1 once the 500 is sent.
 */
int
qr_cap_sign(struct hs_req *r, const char *purpose, const char *payload,
    long long secs, struct hs_buf *csrf)
{

	if (hs_token_sign(r->conf->hmac_key, purpose, payload,
	    (long long)time(NULL) + secs, csrf) != HS_OK) {
		(void)hs_http_error(r, 500, "Something went wrong on our "
		    "side.");
		return -1;
	}
	return 0;
}

/*
 * A DB error as the page a person sees: 503 for transient, else 500.
 * who names the page in the log.
 */
void
qr_dberror(struct hs_req *r, const char *who, enum hs_err e)
{

	hs_log(HS_LOG_ERR, "%s: %s", who, hs_strerror(e));
	if (e == HS_EAGAIN) {
		if (hs_http_header(r, "Retry-After", "5") == HS_OK)
			(void)hs_http_error(r, 503, "The service is busy; "
			    "please try again in a moment.");
	} else
		(void)hs_http_error(r, 500, "Something went wrong on our "
		    "side.");
}

/* The link as people type it: base_url without its scheme. */
const char *
qr_short_base(const struct hs_conf *conf)
{
	const char	*b = conf->base_url;

	if (strncmp(b, "https://", 8) == 0)
		return b + 8;
	if (strncmp(b, "http://", 7) == 0)
		return b + 7;
	return b;
}

/* Writes a link's code grouped for people, or as it is. */
enum hs_err
qr_put_grouped(const struct hs_out *out, const char *code)
{
	char	 grouped[HS_CODE_MAX * 2];

	if (hs_code_group(code, grouped, sizeof(grouped)) != HS_OK)
		return hs_html_puts(out, code);
	return hs_html_puts(out, grouped);
}
