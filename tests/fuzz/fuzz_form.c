/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_form.c: libFuzzer harness for the urlencoded parser and the
 * percent-decoders (h2o fuzz/driver_url.cc style).  Beyond "no crash, no
 * leak", it asserts what callers rely on: a successful parse gives at
 * most HS_MAX_FIELDS pairs whose keys and values are NUL-free strict
 * UTF-8 within their caps; a failed one returns nothing; hs_kv_get
 * agrees with hs_kv_count; and re-encoding the pairs and parsing again
 * gives the same pairs, so decode(encode(x)) == x.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

/* An invariant that must hold in any build: abort, libFuzzer reports. */
#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Checks one decoded string of len bytes, at most max. */
static void
check_str(const char *s, size_t len, size_t max)
{

	INVARIANT(s != NULL);
	INVARIANT(strlen(s) == len);
	INVARIANT(len <= max);
	INVARIANT(hs_utf8_valid(s, len));
}

/* A decoder's result: valid on success, nothing on failure. */
static void
check_decode(const char *in, size_t len, int path)
{
	struct hs_buf	 b;
	char		*out, *again;
	size_t		 sz, asz;
	enum hs_err	 rc;

	rc = path ? hs_path_decode(in, len, &out, &sz) :
	    hs_url_decode(in, len, &out, &sz);
	if (rc != HS_OK) {
		INVARIANT(out == NULL && sz == 0);
		INVARIANT(rc == HS_EENCODING || rc == HS_EUTF8 ||
		    rc == HS_ETOOBIG || rc == HS_ENOMEM);
		return;
	}
	check_str(out, sz, path ? HS_MAX_PATH : HS_MAX_FIELD);
	INVARIANT(sz <= len);
	hs_buf_init(&b, 3 * HS_MAX_FIELD);
	if (hs_url_encode(&b, out) == HS_OK) {
		INVARIANT(hs_url_decode(b.ptr != NULL ? b.ptr : "", b.len,
		    &again, &asz) == HS_OK);
		INVARIANT(asz == sz && memcmp(again, out, sz) == 0);
		free(again);
	}
	hs_buf_free(&b);
	free(out);
}

/* Re-encodes the pairs as a form; parsing it must give them back. */
static void
check_roundtrip(const struct hs_kv *kv, size_t n)
{
	struct hs_buf	 b;
	struct hs_kv	*kv2;
	size_t		 n2, i;

	hs_buf_init(&b, HS_MAX_PAGE);
	for (i = 0; i < n; i++)
		if ((i > 0 && hs_buf_putc(&b, '&') != HS_OK) ||
		    hs_url_encode(&b, kv[i].key) != HS_OK ||
		    hs_buf_putc(&b, '=') != HS_OK ||
		    hs_url_encode(&b, kv[i].val) != HS_OK)
			goto out;
	INVARIANT(hs_form_parse(b.ptr != NULL ? b.ptr : "", b.len, &kv2,
	    &n2) == HS_OK);
	INVARIANT(n2 == n);
	for (i = 0; i < n; i++) {
		INVARIANT(strcmp(kv2[i].key, kv[i].key) == 0);
		INVARIANT(kv2[i].valsz == kv[i].valsz);
		INVARIANT(memcmp(kv2[i].val, kv[i].val, kv[i].valsz) == 0);
	}
	hs_kv_free(kv2, n2);
out:
	hs_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *v;
	struct hs_kv	*kv = NULL;
	size_t		 n = 0, i, c;
	enum hs_err	 rc;

	if (size > 2 * HS_MAX_BODY)	/* beyond what any caller passes */
		return 0;
	check_decode(s, size, 0);
	check_decode(s, size, 1);

	if ((rc = hs_form_parse(s, size, &kv, &n)) != HS_OK) {
		INVARIANT(kv == NULL && n == 0);
		INVARIANT(rc == HS_EENCODING || rc == HS_EUTF8 ||
		    rc == HS_EINVAL || rc == HS_ETOOBIG || rc == HS_ENOMEM);
		return 0;
	}
	INVARIANT(n <= HS_MAX_FIELDS);
	INVARIANT((n == 0) == (kv == NULL));
	for (i = 0; i < n; i++) {
		INVARIANT(kv[i].key[0] != '\0');
		check_str(kv[i].key, strlen(kv[i].key), HS_MAX_KEY);
		check_str(kv[i].val, kv[i].valsz, HS_MAX_FIELD);
		c = hs_kv_count(kv, n, kv[i].key);
		rc = hs_kv_get(kv, n, kv[i].key, &v);
		INVARIANT(c >= 1);
		INVARIANT(c == 1 ? rc == HS_OK && v != NULL :
		    rc == HS_EDUP && v == NULL);
	}
	check_roundtrip(kv, n);
	hs_kv_free(kv, n);
	return 0;
}
