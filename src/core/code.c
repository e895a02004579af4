/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * code.c: invite codes in Crockford base32 (0-9 A-Z without I L O U), so
 * a code read off a slide can be typed back: case does not matter, O is
 * taken as 0, I and L as 1, and hyphens and spaces are ignored.  Nothing
 * else is folded: a Cyrillic or fullwidth look-alike is an invalid code,
 * never a different valid one.
 */
#include "config.h"

#include <string.h>

#include "hearsay.h"

#define CODE_MIN	4	/* shortest vanity code */
#define CODE_GROUP	4	/* characters between hyphens */

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/*
 * Writes a random code of sz - 1 characters (at least HS_CODE_LEN, so at
 * least 40 bits) and a NUL.  Returns HS_EINVAL for a short buffer.
 */
enum hs_err
hs_code_new(char *out, size_t sz)
{
	unsigned char	 r[HS_CODE_MAX];
	size_t		 i, n;

	if (sz < HS_CODE_LEN + 1 || sz > HS_CODE_MAX + 1)
		return HS_EINVAL;
	n = sz - 1;
	hs_rand_bytes(r, n);
	for (i = 0; i < n; i++)
		out[i] = alphabet[r[i] & 31];	/* 32 divides 256: unbiased */
	out[n] = '\0';
	return HS_OK;
}

/*
 * Canonicalises a code as typed into out.  Returns HS_EINVAL for a
 * character outside the alphabet (after the folds above) or a length
 * outside CODE_MIN..HS_CODE_MAX, HS_ETOOBIG if out is too small.
 */
enum hs_err
hs_code_canon(const char *in, char *out, size_t sz)
{
	size_t	 n = 0;
	char	 c;

	for (; *in != '\0'; in++) {
		c = *in;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(alphabet, c) == NULL || c == '\0')
			return HS_EINVAL;
		if (n >= HS_CODE_MAX)
			return HS_EINVAL;
		if (n + 1 >= sz)
			return HS_ETOOBIG;
		out[n++] = c;
	}
	if (n < CODE_MIN)
		return HS_EINVAL;
	out[n] = '\0';
	return HS_OK;
}

/* Writes a canonical code in groups of four: 7K2M9QXA -> 7K2M-9QXA. */
enum hs_err
hs_code_group(const char *code, char *out, size_t sz)
{
	size_t	 i, n = 0, len = strlen(code);

	if (len + len / CODE_GROUP + 1 > sz)
		return HS_ETOOBIG;
	for (i = 0; i < len; i++) {
		if (i > 0 && i % CODE_GROUP == 0)
			out[n++] = '-';
		out[n++] = code[i];
	}
	out[n] = '\0';
	return HS_OK;
}
