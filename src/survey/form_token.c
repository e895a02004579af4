/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * form_token.c: the order the options are shown in and the signed form
 * token that carries it.  The form carries a token of purpose "form" over
 *	<nonce>.<survey id>.<version>.<verified>.<order>.<signup ref>
 * where nonce (32 hex) becomes the answer's submission_id, so a double
 * submit or a retry stores one answer, and order is the shown order of
 * the options, one base-36 digit per option index, so the order stored
 * is the order the person saw and only shown options can be chosen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hearsay.h"
#include "survey.h"
#include "form.h"

static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* Fisher-Yates over idx[lo..hi). */
static void
shuffle(size_t *idx, size_t lo, size_t hi)
{
	size_t	 i, j, t;

	for (i = hi; i > lo + 1; i--) {
		j = lo + randombytes_uniform((uint32_t)(i - lo));
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/* Sets v->order by the survey's shuffle mode. */
void
form_order(struct view *v)
{
	const struct survey	*s = v->s;
	size_t			 i, n = 0;

	if (s->shuffle == SHUFFLE_UNPINNED) {
		for (i = 0; i < s->nopts; i++)
			if (!s->opts[i].pinned)
				v->order[n++] = i;
		shuffle(v->order, 0, n);
		for (i = 0; i < s->nopts; i++)
			if (s->opts[i].pinned)
				v->order[n++] = i;
	} else {
		for (i = 0; i < s->nopts; i++)
			v->order[n++] = i;
		if (s->shuffle == SHUFFLE_ALL)
			shuffle(v->order, 0, n);
	}
	v->norder = n;
}

/*
 * Signs a new form token for v (fresh nonce, v->order) into tok.
 * Returns HS_OK or an hs_buf/hs_token_sign error.
 */
enum hs_err
form_sign(struct view *v, const char *ref, int verified, struct hs_buf *tok)
{
	char	 nonce[SURVEY_NONCE + 1], payload[512];
	char	 ord[SURVEY_MAX_OPTIONS + 1];
	size_t	 i;

	hs_rand_hex(nonce, sizeof(nonce));
	for (i = 0; i < v->norder; i++)
		ord[i] = b36[v->order[i]];
	ord[i] = '\0';
	if (snprintf(payload, sizeof(payload), "%s.%lld.%lld.%d.%s.%s", nonce,
	    v->s->id, v->s->version, verified, ord, ref != NULL ? ref : "") >=
	    (int)sizeof(payload))
		return HS_ETOOBIG;
	return hs_token_sign(v->c->conf.hmac_key, "form", payload,
	    (long long)time(NULL) + v->c->conf.token_max_age, tok);
}

/*
 * Checks the form token ft against survey s and fills v->order, *ver,
 * nonce and ref from it.  Every output is set on every path: empty (or 0)
 * first, then what the token proves once its MAC verified.  Returns 0;
 * -1 when the token is genuine but the survey changed since it was
 * signed (then *ver and ref are the token's own, to be signed into a
 * fresh form, and v->order and nonce are not to be used); or the HTTP
 * status already answered (403).
 */
int
form_token_check(struct hs_req *r, struct view *v, const char *ft, int *ver,
    char nonce[SURVEY_NONCE + 1], char ref[SURVEY_MAX_REF + 1])
{
	char		 payload[512], *f[6], *p, *ep;
	size_t		 i, j, n;
	enum hs_err	 e;

	/*
	 * The caller's buffers live on a worker's stack, reused request
	 * after request: a path that returned without setting them once
	 * signed the previous poster's signup reference into this
	 * person's fresh form.
	 */
	*ver = 0;
	nonce[0] = '\0';
	ref[0] = '\0';
	v->norder = 0;
	e = hs_token_verify(v->c->conf.hmac_key, "form", ft,
	    (long long)time(NULL), payload, sizeof(payload));
	if (e == HS_ENOTFOUND) {
		(void)hs_http_error(r, 403, "This form has expired. Please "
		    "reload the page and answer again.");
		return 403;
	}
	if (e != HS_OK)
		goto forged;
	/* The signup ref is last: it may hold dots. */
	for (p = payload, i = 0; i < 5; i++) {
		f[i] = p;
		if ((p = strchr(p, '.')) == NULL)
			goto forged;
		*p++ = '\0';
	}
	f[5] = p;
	if (!survey_hex_ok(f[0], SURVEY_NONCE) ||
	    strtoll(f[1], &ep, 10) != v->s->id || *ep != '\0' ||
	    strlen(f[5]) > SURVEY_MAX_REF ||
	    (strcmp(f[3], "0") != 0 && strcmp(f[3], "1") != 0))
		goto forged;
	/* What the MAC proves, whatever the survey's version now is. */
	*ver = strcmp(f[3], "1") == 0;
	(void)snprintf(ref, SURVEY_MAX_REF + 1, "%s", f[5]);
	if (strtoll(f[2], &ep, 10) != v->s->version || *ep != '\0')
		return -1;	/* the survey changed: a fresh form */
	if ((n = strlen(f[4])) > v->s->nopts)
		return -1;
	for (i = 0; i < n; i++) {
		if ((p = strchr(b36, f[4][i])) == NULL ||
		    (size_t)(p - b36) >= v->s->nopts)
			return -1;
		v->order[i] = (size_t)(p - b36);
		for (j = 0; j < i; j++)
			if (v->order[j] == v->order[i])
				goto forged;
	}
	v->norder = n;
	memcpy(nonce, f[0], SURVEY_NONCE + 1);
	return 0;
forged:
	(void)hs_http_error(r, 403, "This form's security check failed. "
	    "Please reload the page and answer again.");
	return 403;
}
