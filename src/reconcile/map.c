/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * map.c: a string-keyed hash map (open addressing, linear probing,
 * core's hs_fnv1a), for the lookups the reconciliation makes per
 * signup: links by id and code, advocates and events by id, names,
 * rules, the risk sets.  Everything is loaded once per run, so there is no delete.
 * Keys are copied; values belong to the caller (rc_map_free can free
 * them).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

#define MAP_MIN		64	/* initial slots, a power of two */

struct slot {
	char		*key;	/* NULL: empty */
	void		*val;
	uint32_t	 hash;
};

struct rc_map {
	struct slot	*slots;
	size_t		 cap;	/* power of two */
	size_t		 n;
};

/* A new empty map, or NULL (logged) without memory. */
struct rc_map *
rc_map_new(void)
{
	struct rc_map	*m;

	if ((m = hs_xcalloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->slots = hs_xcalloc(MAP_MIN, sizeof(*m->slots))) == NULL) {
		free(m);
		return NULL;
	}
	m->cap = MAP_MIN;
	return m;
}

/* Free the map and its keys, and each value with fn when not NULL. */
void
rc_map_free(struct rc_map *m, void (*fn)(void *))
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		if (fn != NULL && m->slots[i].key != NULL)
			fn(m->slots[i].val);
	}
	free(m->slots);
	free(m);
}

/* The slot for key: its own or the empty one where it would go. */
static struct slot *
find(const struct rc_map *m, const char *key, uint32_t h)
{
	size_t	 i;

	for (i = h & (m->cap - 1); ; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].key == NULL)
			return &m->slots[i];
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			return &m->slots[i];
	}
}

/* The value stored for key, or NULL. */
void *
rc_map_get(const struct rc_map *m, const char *key)
{
	struct slot	*s;

	s = find(m, key, hs_fnv1a(key));
	return s->key != NULL ? s->val : NULL;
}

/* Double the table.  Returns 0 or -1 without memory. */
static int
grow(struct rc_map *m)
{
	struct slot	*old = m->slots, *s;
	size_t		 oldcap = m->cap, i;

	if ((m->slots = hs_xcalloc(oldcap * 2, sizeof(*s))) == NULL) {
		m->slots = old;
		return -1;
	}
	m->cap = oldcap * 2;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = find(m, old[i].key, old[i].hash);
		*s = old[i];
	}
	free(old);
	return 0;
}

/*
 * Store val under key, replacing (not freeing) a previous value.
 * Returns 0, or -1 without memory.
 */
int
rc_map_put(struct rc_map *m, const char *key, void *val)
{
	struct slot	*s;
	uint32_t	 h = hs_fnv1a(key);

	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
		return -1;
	s = find(m, key, h);
	if (s->key == NULL) {
		if ((s->key = hs_xstrdup(key)) == NULL)
			return -1;
		s->hash = h;
		m->n++;
	}
	s->val = val;
	return 0;
}

/* How many keys. */
size_t
rc_map_count(const struct rc_map *m)
{

	return m->n;
}
