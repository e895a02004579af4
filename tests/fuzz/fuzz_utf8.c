/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_utf8.c: differential harness for hs_utf8_valid.  The reference
 * below works another way: it decodes loosely (any lead, any length),
 * re-encodes each code point canonically and compares bytes, which
 * catches overlongs without a table of lead-byte ranges, then applies
 * the code point rules.  The two must agree on every input; a valid
 * string must also survive URL-encoding and decoding unchanged.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Writes the shortest encoding of cp to b; returns its length. */
static size_t
encode(uint32_t cp, uint8_t b[4])
{

	if (cp < 0x80) {
		b[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	b[0] = 0xf0 | cp >> 18;
	b[1] = 0x80 | ((cp >> 12) & 0x3f);
	b[2] = 0x80 | ((cp >> 6) & 0x3f);
	b[3] = 0x80 | (cp & 0x3f);
	return 4;
}

static int
reference(const uint8_t *p, size_t len)
{
	uint8_t		 b[4];
	uint32_t	 cp;
	size_t		 i = 0, n, k;

	while (i < len) {
		/* Loose: the count of leading one bits is the length. */
		for (n = 0; n < 8 && (p[i] & (0x80 >> n)); n++)
			continue;
		if (n == 1 || n > 4)
			return 0;
		cp = n == 0 ? p[i] : p[i] & (0xff >> (n + 1));
		if (n == 0)
			n = 1;
		if (i + n > len)
			return 0;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp == 0xfeff || cp == 0x7f ||
		    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r'))
			return 0;
		if (encode(cp, b) != n || memcmp(b, p + i, n) != 0)
			return 0;	/* overlong */
		i += n;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_buf	 b;
	char		*s, *out;
	size_t		 sz;
	int		 valid;

	valid = hs_utf8_valid((const char *)data, size);
	INVARIANT(valid == reference(data, size));
	if (!valid || size > HS_MAX_FIELD)
		return 0;

	/* Valid means NUL-free, so it is a C string once terminated. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	INVARIANT(strlen(s) == size);
	hs_buf_init(&b, 3 * HS_MAX_FIELD);
	INVARIANT(hs_url_encode(&b, s) == HS_OK);
	INVARIANT(hs_url_decode(b.ptr != NULL ? b.ptr : "", b.len, &out,
	    &sz) == HS_OK);
	INVARIANT(sz == size && memcmp(out, s, size) == 0);
	free(out);
	hs_buf_free(&b);
	free(s);
	return 0;
}
