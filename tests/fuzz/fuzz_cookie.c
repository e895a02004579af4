/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_cookie.c: libFuzzer harness for the Cookie header parser, and for
 * the CIDR matcher that decides whether X-Forwarded-For is believed
 * (the input's first line is the address, the rest the list).  The
 * cookie parser must never fail on junk, only skip it, and whatever it
 * keeps must be a token name and cookie-octet value within the caps.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
tchar(unsigned char c)
{

	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_kv	*kv = NULL;
	char		*h, *nl;
	size_t		 n = 0, i, j;
	enum hs_err	 rc;

	if (size > 64 * 1024)		/* nginx refuses bigger headers */
		return 0;
	/* A header is a C string: it ends at the first NUL, if any. */
	if ((h = malloc(size + 1)) == NULL)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';

	rc = hs_cookie_parse(h, &kv, &n);
	INVARIANT(rc == HS_OK || rc == HS_ENOMEM);
	INVARIANT(n <= HS_MAX_COOKIES);
	INVARIANT((n == 0) == (kv == NULL));
	for (i = 0; i < n; i++) {
		INVARIANT(strlen(kv[i].key) >= 1);
		INVARIANT(strlen(kv[i].key) <= HS_MAX_KEY);
		for (j = 0; kv[i].key[j] != '\0'; j++)
			INVARIANT(tchar((unsigned char)kv[i].key[j]));
		INVARIANT(strlen(kv[i].val) == kv[i].valsz);
		INVARIANT(kv[i].valsz <= HS_MAX_FIELD);
		for (j = 0; j < kv[i].valsz; j++)
			INVARIANT(kv[i].val[j] >= 0x21 &&
			    kv[i].val[j] <= 0x7e &&
			    strchr("\",;\\", kv[i].val[j]) == NULL);
	}
	hs_kv_free(kv, n);

	if ((nl = strchr(h, '\n')) != NULL) {
		*nl = '\0';
		(void)hs_cidr_match(h, nl + 1);
		/* An address is always inside a list holding only itself. */
		if (hs_cidr_match(h, "::/0") || hs_cidr_match(h, "0.0.0.0/0"))
			INVARIANT(hs_cidr_match(h, h));
	}
	free(h);
	return 0;
}
