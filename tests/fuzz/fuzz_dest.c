/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_dest.c: harness for hs_dest_valid, the check every redirect
 * destination passes when stored and again when sent.  The input's
 * first line is the campaign's host allowlist, the rest the URL.
 * Invariants for an accepted URL: http or https only, no byte that
 * could split a header or hide in one (controls, space, DEL, non-ASCII,
 * backslash, quotes, angle brackets), no userinfo, and a host on the
 * allowlist; a refused URL always says why.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hearsay.h"

#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)
#define FUZZ_MAXIN	4096	/* past HS_LOC_MAX already */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 buf[FUZZ_MAXIN + 1], *url, *auth;
	const char	*why = NULL, *p;
	size_t		 n, alen, hlen;

	n = size < FUZZ_MAXIN ? size : FUZZ_MAXIN;
	memcpy(buf, data, n);
	buf[n] = '\0';
	if ((url = strchr(buf, '\n')) == NULL)
		return 0;
	*url++ = '\0';
	if (!hs_dest_valid(url, buf, &why)) {
		INVARIANT(why != NULL);
		return 0;
	}
	for (p = url; *p != '\0'; p++)
		INVARIANT((unsigned char)*p > 0x20 &&
		    (unsigned char)*p < 0x7f && *p != '\\' && *p != '"' &&
		    *p != '<' && *p != '>');
	if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else {
		INVARIANT(strncasecmp(url, "http://", 7) == 0);
		auth = url + 7;
	}
	alen = strcspn(auth, "/?#");
	INVARIANT(memchr(auth, '@', alen) == NULL);
	hlen = *auth == '[' ? (size_t)(strchr(auth, ']') - auth) + 1 :
	    strcspn(auth, ":/?#");
	INVARIANT(hlen > 0 && hlen <= alen);
	INVARIANT(hs_host_allowed(auth, hlen, buf));
	return 0;
}
