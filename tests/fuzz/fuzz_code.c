/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_code.c: harness for hs_code_canon, the forgiving reader of codes
 * typed from a slide.  Invariants: an accepted code is canonical (only
 * Crockford characters, 4..HS_CODE_MAX of them, and canonicalising it
 * again changes nothing); its grouped form reads back to it; and no
 * input with a byte outside ASCII is ever accepted, so a look-alike
 * (Cyrillic, fullwidth) can never resolve to a real code.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)
#define FUZZ_MAXIN	256	/* longer inputs add nothing */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char			 in[FUZZ_MAXIN + 1], out[HS_CODE_MAX + 1];
	char			 again[HS_CODE_MAX + 1];
	char			 grouped[HS_CODE_MAX + HS_CODE_MAX / 4 + 1];
	size_t			 i, n;

	n = size < FUZZ_MAXIN ? size : FUZZ_MAXIN;
	memcpy(in, data, n);
	in[n] = '\0';
	if (hs_code_canon(in, out, sizeof(out)) != HS_OK)
		return 0;
	n = strlen(out);
	INVARIANT(n >= 4 && n <= HS_CODE_MAX);
	for (i = 0; i < n; i++)
		INVARIANT(out[i] != '\0' && strchr(alphabet, out[i]) != NULL);
	for (i = 0; in[i] != '\0'; i++)
		INVARIANT((unsigned char)in[i] < 0x80);
	INVARIANT(hs_code_canon(out, again, sizeof(again)) == HS_OK);
	INVARIANT(strcmp(out, again) == 0);
	INVARIANT(hs_code_group(out, grouped, sizeof(grouped)) == HS_OK);
	INVARIANT(hs_code_canon(grouped, again, sizeof(again)) == HS_OK);
	INVARIANT(strcmp(out, again) == 0);
	return 0;
}
