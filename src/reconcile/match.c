/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * match.c: a name as typed ("who referred you?", "which event?") to one
 * advocate or event.  The steps, most certain first, stop at the first
 * that decides:
 *   1. handle (with or without @), alias, full name in either order,
 *      first name plus initial ("anna k") -- exact after normalisation;
 *   2. a first name only one advocate has;
 *   3. fuzzy: candidates that share a one-deletion variant with the text
 *      (SymSpell's trick, so a typo costs a few hash lookups rather than
 *      a scan of every name), scored by Jaro-Winkler, accepted at
 *      RC_FUZZY_MIN with Damerau-Levenshtein at most 2;
 *   4. the same phonetic key (rc_phonetic).
 * A step that finds two different advocates decides "no match": an
 * ambiguous name is never resolved by luck.  Results are cached per
 * text, since the same names come back all night.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "reconcile.h"

#define NAME_MAX_FUZZY	40	/* longer keys are matched exactly only */
#define DL_MAX		2	/* edits a fuzzy match may be away */

/* Confidence per step. */
static const double how_conf[RC_HOW__MAX] = {
	0.0,	/* RC_HOW_NONE */
	1.0,	/* RC_HOW_HANDLE */
	0.95,	/* RC_HOW_ALIAS */
	0.95,	/* RC_HOW_NAME */
	0.85,	/* RC_HOW_FIRST_INITIAL */
	0.6,	/* RC_HOW_FIRST_NAME */
	0.8,	/* RC_HOW_FUZZY, scaled by the similarity */
	0.7,	/* RC_HOW_PHONETIC */
};

static const char *const how_names[RC_HOW__MAX] = {
	"none",		/* RC_HOW_NONE */
	"handle",	/* RC_HOW_HANDLE */
	"alias",	/* RC_HOW_ALIAS */
	"name",		/* RC_HOW_NAME */
	"first_initial", /* RC_HOW_FIRST_INITIAL */
	"first_name",	/* RC_HOW_FIRST_NAME */
	"fuzzy",	/* RC_HOW_FUZZY */
	"phonetic",	/* RC_HOW_PHONETIC */
};

/* An exact key's owner; two owners make it ambiguous. */
struct owner {
	long long	 id;
	int		 ambiguous;
};

/* A name the fuzzy step compares against. */
struct cand {
	char		*key;
	long long	 id;
};

/* The candidates sharing one deletion variant. */
struct clist {
	size_t		*ix;
	size_t		 n, cap;
};

struct rc_names {
	int		 events;	/* no first-name keys */
	struct rc_map	*exact[RC_HOW__MAX]; /* per step: key -> owner */
	struct cand	*cands;
	size_t		 ncand, capcand;
	struct rc_map	*dels;		/* variant -> clist */
	struct rc_map	*cache;		/* text -> rc_match */
};

/* The step's name as stored in attributions.rule. */
const char *
rc_how_name(enum rc_how how)
{

	return how < RC_HOW__MAX ? how_names[how] : "none";
}

/* A matcher for advocates (events = 0) or events (1); NULL without memory. */
struct rc_names *
rc_names_new(int events)
{
	struct rc_names	*n;
	size_t		 i;

	if ((n = hs_xcalloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->events = events;
	for (i = 0; i < RC_HOW__MAX; i++)
		if ((n->exact[i] = rc_map_new()) == NULL)
			goto fail;
	if ((n->dels = rc_map_new()) == NULL ||
	    (n->cache = rc_map_new()) == NULL)
		goto fail;
	return n;
fail:
	rc_names_free(n);
	return NULL;
}

static void
clist_free(void *p)
{
	struct clist	*c = p;

	free(c->ix);
	free(c);
}

/* Free the matcher; NULL is fine. */
void
rc_names_free(struct rc_names *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < RC_HOW__MAX; i++)
		rc_map_free(n->exact[i], free);
	for (i = 0; i < n->ncand; i++)
		free(n->cands[i].key);
	free(n->cands);
	rc_map_free(n->dels, clist_free);
	rc_map_free(n->cache, free);
	free(n);
}

/* Record id as an owner of key at step how.  0 or -1 (memory). */
static int
add_exact(struct rc_names *n, enum rc_how how, const char *key, long long id)
{
	struct owner	*o;

	if (*key == '\0')
		return 0;
	if ((o = rc_map_get(n->exact[how], key)) != NULL) {
		if (o->id != id)
			o->ambiguous = 1;
		return 0;
	}
	if ((o = hs_xcalloc(1, sizeof(*o))) == NULL)
		return -1;
	o->id = id;
	if (rc_map_put(n->exact[how], key, o) != 0) {
		free(o);
		return -1;
	}
	return 0;
}

/* Add candidate index ix under variant v.  0 or -1. */
static int
add_del(struct rc_names *n, const char *v, size_t ix)
{
	struct clist	*c;
	size_t		*nx;

	if ((c = rc_map_get(n->dels, v)) == NULL) {
		if ((c = hs_xcalloc(1, sizeof(*c))) == NULL)
			return -1;
		if (rc_map_put(n->dels, v, c) != 0) {
			free(c);
			return -1;
		}
	}
	if (c->n > 0 && c->ix[c->n - 1] == ix)
		return 0;
	if (c->n == c->cap) {
		nx = hs_xreallocarray(c->ix, c->cap ? c->cap * 2 : 4,
		    sizeof(*nx));
		if (nx == NULL)
			return -1;
		c->ix = nx;
		c->cap = c->cap ? c->cap * 2 : 4;
	}
	c->ix[c->n++] = ix;
	return 0;
}

/* Add key as a fuzzy candidate of id, with its deletion variants. */
static int
add_cand(struct rc_names *n, const char *key, long long id)
{
	struct cand	*nc;
	char		 v[NAME_MAX_FUZZY + 1];
	size_t		 len = strlen(key), i;

	if (len == 0 || len > NAME_MAX_FUZZY)
		return 0;
	if (n->ncand == n->capcand) {
		nc = hs_xreallocarray(n->cands, n->capcand ? n->capcand * 2 :
		    64, sizeof(*nc));
		if (nc == NULL)
			return -1;
		n->cands = nc;
		n->capcand = n->capcand ? n->capcand * 2 : 64;
	}
	if ((n->cands[n->ncand].key = hs_xstrdup(key)) == NULL)
		return -1;
	n->cands[n->ncand].id = id;
	n->ncand++;
	if (add_del(n, key, n->ncand - 1) != 0)
		return -1;
	for (i = 0; i < len; i++) {
		memcpy(v, key, i);
		memcpy(v + i, key + i + 1, len - i);
		if (add_del(n, v, n->ncand - 1) != 0)
			return -1;
	}
	return 0;
}

/* Add a normalised name's phonetic key for id.  0 or -1. */
static int
add_phonetic(struct rc_names *n, const char *norm, long long id)
{
	char	 ph[RC_NORM_MAX];

	rc_phonetic(norm, ph, sizeof(ph));
	return add_exact(n, RC_HOW_PHONETIC, ph, id);
}

/* An advocate's handle, or an event's slug.  0 or -1 (memory). */
int
rc_names_add_handle(struct rc_names *n, long long id, const char *handle)
{
	char	 k[RC_NORM_MAX];

	if (rc_norm(handle, k, sizeof(k)) != 0 || *k == '\0')
		return 0;
	if (add_exact(n, RC_HOW_HANDLE, k, id) != 0 ||
	    add_cand(n, k, id) != 0)
		return -1;
	return 0;
}

/* Aliases, one per line.  0 or -1 (memory). */
int
rc_names_add_alias(struct rc_names *n, long long id, const char *aliases)
{
	char		 line[RC_NORM_MAX], k[RC_NORM_MAX];
	const char	*p, *e;
	size_t		 l;

	for (p = aliases; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		l = (size_t)(e - p);
		if (l == 0 || l >= sizeof(line))
			continue;
		memcpy(line, p, l);
		line[l] = '\0';
		if (rc_norm_name(line, k, sizeof(k)) != 0 || *k == '\0')
			continue;
		if (add_exact(n, RC_HOW_ALIAS, k, id) != 0 ||
		    add_cand(n, k, id) != 0 || add_phonetic(n, k, id) != 0)
			return -1;
	}
	return 0;
}

/*
 * A display name (or event name): the full name, its words reversed
 * ("kowalska anna"), and for advocates "first initial" and the first
 * name.  0 or -1 (memory).
 */
int
rc_names_add_name(struct rc_names *n, long long id, const char *name)
{
	char	 k[RC_NORM_MAX], r[RC_NORM_MAX], *sp, *lsp;
	size_t	 fl;

	if (rc_norm_name(name, k, sizeof(k)) != 0 || *k == '\0')
		return 0;
	if (add_exact(n, RC_HOW_NAME, k, id) != 0 || add_cand(n, k, id) != 0 ||
	    add_phonetic(n, k, id) != 0)
		return -1;
	if ((sp = strchr(k, ' ')) == NULL) {
		if (!n->events && add_exact(n, RC_HOW_FIRST_NAME, k, id) != 0)
			return -1;
		return 0;
	}
	lsp = strrchr(k, ' ');
	fl = (size_t)(sp - k);
	/* "last first" for two-word names, as some people write them. */
	if (sp == lsp) {
		(void)snprintf(r, sizeof(r), "%s %.*s", sp + 1, (int)fl, k);
		if (add_exact(n, RC_HOW_NAME, r, id) != 0)
			return -1;
	}
	if (n->events)
		return 0;
	(void)snprintf(r, sizeof(r), "%.*s %c", (int)fl, k, lsp[1]);
	if (add_exact(n, RC_HOW_FIRST_INITIAL, r, id) != 0 ||
	    add_cand(n, r, id) != 0)
		return -1;
	(void)snprintf(r, sizeof(r), "%.*s", (int)fl, k);
	if (add_exact(n, RC_HOW_FIRST_NAME, r, id) != 0)
		return -1;
	return 0;
}

/*
 * Jaro-Winkler similarity of two byte strings, 0..1 (1: equal), with
 * the usual prefix scale 0.1 over at most 4 bytes.
 */
double
rc_jaro_winkler(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b), i, j, k, lo, hi, win;
	size_t		 m = 0, t = 0, l;
	unsigned char	 ma[64], mb[64];
	double		 jaro;

	if (la == 0 && lb == 0)
		return 1.0;
	if (la == 0 || lb == 0 || la > sizeof(ma) || lb > sizeof(mb))
		return strcmp(a, b) == 0 ? 1.0 : 0.0;
	memset(ma, 0, la);
	memset(mb, 0, lb);
	win = (la > lb ? la : lb) / 2;
	win = win > 0 ? win - 1 : 0;
	for (i = 0; i < la; i++) {
		lo = i > win ? i - win : 0;
		hi = i + win + 1 < lb ? i + win + 1 : lb;
		for (j = lo; j < hi; j++) {
			if (mb[j] || a[i] != b[j])
				continue;
			ma[i] = mb[j] = 1;
			m++;
			break;
		}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / la + (double)m / lb +
	    ((double)m - t / 2.0) / m) / 3.0;
	for (l = 0; l < 4 && l < la && l < lb && a[l] == b[l]; l++)
		continue;
	return jaro + l * 0.1 * (1.0 - jaro);
}

/*
 * Damerau-Levenshtein distance (optimal string alignment: adjacent
 * transpositions count one) between two byte strings of at most 63
 * bytes; longer strings give a large distance.
 */
int
rc_damerau(const char *a, const char *b)
{
	int	 d[64][64], cost, v;
	size_t	 la = strlen(a), lb = strlen(b), i, j;

	if (la >= 64 || lb >= 64)
		return 1000;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/*
 * Look key up at one exact step.  Returns 1 with *m set for one owner,
 * -1 for an ambiguous key, 0 when absent.
 */
static int
exact(const struct rc_names *n, enum rc_how how, const char *key,
    struct rc_match *m)
{
	const struct owner *o;

	if ((o = rc_map_get(n->exact[how], key)) == NULL)
		return 0;
	if (o->ambiguous)
		return -1;
	m->id = o->id;
	m->how = how;
	m->conf = how_conf[how];
	return 1;
}

/* Score candidate list c against t into best/second (per owner). */
static void
score(const struct rc_names *n, const struct clist *c, const char *t,
    long long *bestid, double *best, double *second)
{
	const struct cand *cd;
	size_t		 i;
	double		 s;

	for (i = 0; i < c->n; i++) {
		cd = &n->cands[c->ix[i]];
		s = rc_jaro_winkler(t, cd->key);
		if (s < RC_FUZZY_MIN || rc_damerau(t, cd->key) > DL_MAX)
			continue;
		if (cd->id == *bestid) {
			if (s > *best)
				*best = s;
		} else if (s > *best) {
			if (*bestid != 0)
				*second = *best > *second ? *best : *second;
			*best = s;
			*bestid = cd->id;
		} else if (s > *second)
			*second = s;
	}
}

/* The fuzzy step: 1 matched, -1 ambiguous, 0 nothing close. */
static int
fuzzy(const struct rc_names *n, const char *t, struct rc_match *m)
{
	const struct clist *c;
	char		 v[NAME_MAX_FUZZY + 1];
	size_t		 len = strlen(t), i;
	long long	 bestid = 0;
	double		 best = 0.0, second = 0.0;

	if (len == 0 || len > NAME_MAX_FUZZY)
		return 0;
	if ((c = rc_map_get(n->dels, t)) != NULL)
		score(n, c, t, &bestid, &best, &second);
	for (i = 0; i < len; i++) {
		memcpy(v, t, i);
		memcpy(v + i, t + i + 1, len - i);
		if ((c = rc_map_get(n->dels, v)) != NULL)
			score(n, c, t, &bestid, &best, &second);
	}
	if (bestid == 0)
		return 0;
	if (second > best - RC_FUZZY_MARGIN)
		return -1;
	m->id = bestid;
	m->how = RC_HOW_FUZZY;
	m->conf = how_conf[RC_HOW_FUZZY] * best;
	return 1;
}

/* The steps, uncached.  Returns 1 with *m set, else 0. */
static int
match(const struct rc_names *n, const char *norm, struct rc_match *m)
{
	static const enum rc_how exacts[] = { RC_HOW_HANDLE, RC_HOW_ALIAS,
	    RC_HOW_NAME, RC_HOW_FIRST_INITIAL, RC_HOW_FIRST_NAME };
	char		 t[RC_NORM_MAX], ph[RC_NORM_MAX];
	size_t		 i;
	int		 r;

	if (rc_norm_name(norm, t, sizeof(t)) != 0 || *t == '\0')
		return 0;
	/* A handle is matched on the whole text too ("friend" can be one). */
	if ((r = exact(n, RC_HOW_HANDLE, norm, m)) != 0)
		return r > 0;
	for (i = 0; i < sizeof(exacts) / sizeof(exacts[0]); i++)
		if ((r = exact(n, exacts[i], t, m)) != 0)
			return r > 0;
	if ((r = fuzzy(n, t, m)) != 0)
		return r > 0;
	rc_phonetic(t, ph, sizeof(ph));
	if (*ph != '\0' && exact(n, RC_HOW_PHONETIC, ph, m) > 0)
		return 1;
	return 0;
}

/*
 * Match the normalised text norm (rc_norm form) to one owner.  Returns
 * 1 with *m set, 0 (and m->id 0) for no match or an ambiguous one.
 */
int
rc_names_match(struct rc_names *n, const char *norm, struct rc_match *m)
{
	struct rc_match	*c;

	memset(m, 0, sizeof(*m));
	if ((c = rc_map_get(n->cache, norm)) != NULL) {
		*m = *c;
		return m->id != 0;
	}
	if (!match(n, norm, m))
		memset(m, 0, sizeof(*m));
	if ((c = hs_xmalloc(sizeof(*c))) != NULL) {
		*c = *m;
		if (rc_map_put(n->cache, norm, c) != 0)
			free(c);
	}
	return m->id != 0;
}
