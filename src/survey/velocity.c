/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * velocity.c: how many answers a client hash gave in the current UTC
 * clock hour, counted in memory shared by the master and its workers,
 * the way nginx's limit_req zones count: the flag costs no round trip
 * to MariaDB on the answer's path (a SELECT per answer took a third of
 * the POST's time).  The count is per host; hearsay-reconcile computes
 * the same flag exactly, over every host, from the stored rows (the
 * same clock hours), so this one is the early, cheap signal.
 *
 * The table is VELOCITY_SLOTS 64-bit words in an anonymous MAP_SHARED
 * mapping made before the workers fork.  A word packs a tag from the
 * hash, the hour and the count, and changes by compare-and-swap only:
 * no lock, so a worker killed mid-update leaves nothing held.  A slot
 * is found by open addressing over VELOCITY_PROBES words; when all are
 * taken by other hashes of this hour the first is reused, so a flood of
 * distinct hashes can only make counts smaller, never flag an innocent.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearsay.h"
#include "survey.h"

#define VELOCITY_SLOTS	65536	/* words: 512 KiB shared */
#define VELOCITY_PROBES	8	/* words tried per hash */
#define VELOCITY_TRIES	16	/* CAS races before giving up */

/* A word: tag (32 bits) | hour (20 bits) | count (12 bits). */
#define W_TAG(w)	((uint32_t)((w) >> 32))
#define W_HOUR(w)	((uint32_t)((w) >> 12) & 0xfffffu)
#define W_COUNT(w)	((uint32_t)(w) & 0xfffu)
#define W_MAKE(t, h, c)	((uint64_t)(t) << 32 | (uint64_t)((h) & 0xfffffu) \
			    << 12 | (uint64_t)(c))
#define W_COUNT_MAX	0xfffu

struct velocity {
	uint64_t	 w[VELOCITY_SLOTS];
};

/*
 * The shared table, zeroed (no hash, hour 0).  Call before forking.
 * Returns NULL when the mapping fails.
 */
struct velocity *
velocity_new(void)
{
	void	*p;

	p = mmap(NULL, sizeof(struct velocity), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void
velocity_free(struct velocity *v)
{

	if (v != NULL)
		(void)munmap(v, sizeof(*v));
}

/* The first 16 hex digits of h as a number; 0 if h is not hex. */
static uint64_t
hexprefix(const char *h)
{
	uint64_t	 x = 0;
	int		 i, d;

	for (i = 0; i < 16; i++) {
		if (h[i] >= '0' && h[i] <= '9')
			d = h[i] - '0';
		else if (h[i] >= 'a' && h[i] <= 'f')
			d = h[i] - 'a' + 10;
		else
			return 0;
		x = x << 4 | (uint64_t)d;
	}
	return x;
}

/*
 * Counts one answer of client hash h (hex) at time now and returns how
 * many h gave in now's clock hour, this one included; 0 when h is empty
 * (Sec-GPC: no hash) or not hex, or the table was too contended.
 */
unsigned int
velocity_hit(struct velocity *v, const char *h, time_t now)
{
	uint64_t	 k, w, old, nw;
	uint32_t	 tag, hour;
	size_t		 i, at, pick;
	int		 try;

	if (v == NULL || (k = hexprefix(h)) == 0)
		return 0;
	tag = (uint32_t)(k >> 32);
	hour = (uint32_t)(now / 3600) & 0xfffffu;
	for (try = 0; try < VELOCITY_TRIES; try++) {
		/* This hash's word, else the first stale one, else evict. */
		pick = SIZE_MAX;
		old = 0;
		for (i = 0; i < VELOCITY_PROBES; i++) {
			at = (size_t)((k + i) % VELOCITY_SLOTS);
			w = __atomic_load_n(&v->w[at], __ATOMIC_ACQUIRE);
			if (W_TAG(w) == tag && W_HOUR(w) == hour) {
				pick = at;
				old = w;
				break;
			}
			if (pick == SIZE_MAX && W_HOUR(w) != hour) {
				pick = at;
				old = w;
			}
		}
		if (pick == SIZE_MAX) {
			pick = (size_t)(k % VELOCITY_SLOTS);
			old = __atomic_load_n(&v->w[pick], __ATOMIC_ACQUIRE);
		}
		if (W_TAG(old) == tag && W_HOUR(old) == hour)
			nw = W_COUNT(old) < W_COUNT_MAX ? old + 1 : old;
		else
			nw = W_MAKE(tag, hour, 1);
		/* Lost a race: another worker changed the word; look again. */
		if (__atomic_compare_exchange_n(&v->w[pick], &old, nw, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return W_COUNT(nw);
	}
	return 0;
}
