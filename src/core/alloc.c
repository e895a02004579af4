/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * alloc.c: the two allocator tiers of kcgi's wrappers.c.  The hs_x*
 * family logs and returns NULL, for request paths that must answer 500
 * and keep serving; the plain hs_* family exits, for start-up only.
 * Zero sizes are refused and multiplication is overflow-checked.
 *
 * HS_FAILMALLOC=n in the environment makes the n-th hs_x* allocation
 * (and every one after it) fail, so tests can walk the ENOMEM cleanup
 * paths (curl's torture mode).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

static long	failat = -1;	/* HS_FAILMALLOC countdown, -1: off */

/*
 * Reads HS_FAILMALLOC once; test builds call it from main().
 */
void
hs_failmalloc_init(void)
{
	const char	*s;

	if ((s = getenv("HS_FAILMALLOC")) != NULL)
		failat = strtol(s, NULL, 10);
}

/* Returns 1 when the torture countdown says this allocation fails. */
static int
failnow(void)
{

	if (failat < 0)
		return 0;
	if (failat == 0)
		return 1;
	failat--;
	return failat == 0;
}

void *
hs_xreallocarray(void *p, size_t nm, size_t sz)
{
	void	*q;

	if (nm == 0 || sz == 0 || nm > SIZE_MAX / sz) {
		hs_log(HS_LOG_ERR, "allocation of %zu x %zu refused", nm, sz);
		return NULL;
	}
	if (failnow() || (q = realloc(p, nm * sz)) == NULL) {
		hs_log(HS_LOG_ERR, "out of memory (%zu bytes)", nm * sz);
		return NULL;
	}
	return q;
}

void *
hs_xmalloc(size_t sz)
{

	return hs_xreallocarray(NULL, 1, sz);
}

void *
hs_xcalloc(size_t nm, size_t sz)
{
	void	*p;

	if ((p = hs_xreallocarray(NULL, nm, sz)) != NULL)
		memset(p, 0, nm * sz);
	return p;
}

char *
hs_xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = hs_xmalloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
hs_xstrdup(const char *s)
{

	return hs_xstrndup(s, strlen(s));
}

void *
hs_calloc(size_t nm, size_t sz)
{
	void	*p;

	if (nm == 0 || sz == 0 || (p = calloc(nm, sz)) == NULL)
		err(1, "calloc(%zu, %zu)", nm, sz);
	return p;
}

char *
hs_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		err(1, "strdup");
	return p;
}
