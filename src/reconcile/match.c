/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * match.c: a name as typed ("who referred you?", "which event?") to one
 * advocate or event.  The steps, most certain first, stop at the first
 * that decides:
 *   0. when the text carries accents, the exact keys below with accents
 *      kept ("Zoé Martin" is not "Zoe Martin"), on the whole text and
 *      then on runs of its words;
 *   1. handle (with or without @), alias, full name in either order
 *      (and the orders of a multi-part name), a first name plus any
 *      initial the person may use ("José Luis G.", "Marco D." for
 *      D'Angelo, "Minh N." for Nguyễn Thị Minh), a first name only one
 *      advocate has -- exact after normalisation;
 *   2. inside a longer text ("my colleague Ana Lima told me"): runs of
 *      two words or more that are a handle, alias, full name or first
 *      name plus initial, an @handle, or a CJK name as a substring (no
 *      spaces there); every run found must name the same owner, the
 *      longest run deciding over the shorter ones inside it;
 *   3. fuzzy: candidates that share a one-deletion variant with the text
 *      (SymSpell's trick, so a typo costs a few hash lookups rather than
 *      a scan of every name), scored by Jaro-Winkler, accepted at
 *      RC_FUZZY_MIN with Damerau-Levenshtein at most 2;
 *   4. the same phonetic key (rc_phonetic), and each word as similar as
 *      RC_PHONETIC_MIN to the name's, so that a shared key alone never
 *      decides.
 * A step that finds two different advocates decides "no match": an
 * ambiguous name is never resolved by luck, and a wrong match is worse
 * than none.  Results are cached per text, since the same names come
 * back all night.
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
	0.95,	/* RC_HOW_ACCENT */
	0.85,	/* RC_HOW_IN_TEXT */
};

/* Sets *m to owner id matched by step how, at that step's confidence: 1. */
static int
found(struct rc_match *m, long long id, enum rc_how how)
{

	m->id = id;
	m->how = how;
	m->conf = how_conf[how];
	return 1;
}

static const char *const how_names[RC_HOW__MAX] = {
	"none",		/* RC_HOW_NONE */
	"handle",	/* RC_HOW_HANDLE */
	"alias",	/* RC_HOW_ALIAS */
	"name",		/* RC_HOW_NAME */
	"first_initial", /* RC_HOW_FIRST_INITIAL */
	"first_name",	/* RC_HOW_FIRST_NAME */
	"fuzzy",	/* RC_HOW_FUZZY */
	"phonetic",	/* RC_HOW_PHONETIC */
	"accented",	/* RC_HOW_ACCENT */
	"in_text",	/* RC_HOW_IN_TEXT */
};

/* An exact key's owner; two owners make it ambiguous. */
struct owner {
	long long	 id;
	int		 ambiguous;
	char		*src;	/* phonetic keys: the folded name */
	enum rc_how	 kind;	/* accented keys: the step folded */
};

/* A name the fuzzy step compares against. */
struct cand {
	char		*key;
	long long	 id;
};

/* A CJK name or alias, looked for as a substring of a text. */
struct cjk {
	char			*key;
	const struct owner	*o;
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
	struct cjk	*cjk;		/* names written without spaces */
	size_t		 ncjk, capcjk;
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
owner_free(void *p)
{
	struct owner	*o = p;

	if (o != NULL)
		free(o->src);
	free(o);
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
		rc_map_free(n->exact[i], owner_free);
	for (i = 0; i < n->ncjk; i++)
		free(n->cjk[i].key);
	free(n->cjk);
	for (i = 0; i < n->ncand; i++)
		free(n->cands[i].key);
	free(n->cands);
	rc_map_free(n->dels, clist_free);
	rc_map_free(n->cache, free);
	free(n);
}

/* Bytes of the UTF-8 character starting with byte c. */
static size_t
u8len(unsigned char c)
{

	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * Whether s holds a character of a script written without spaces
 * between words (CJK ideographs, kana), and how many characters it has.
 */
static int
has_cjk(const char *s, size_t *nchar)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 cp;
	size_t			 l, nc = 0;
	int			 found = 0;

	for (; *p != '\0'; p += l, nc++) {
		l = u8len(*p);
		if (l < 3)
			continue;
		cp = l == 3 ? (long)(p[0] & 0x0f) << 12 |
		    (long)(p[1] & 0x3f) << 6 | (p[2] & 0x3f) :
		    (long)(p[0] & 0x07) << 18 | (long)(p[1] & 0x3f) << 12 |
		    (long)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		if ((cp >= 0x2e80 && cp <= 0x9fff) ||
		    (cp >= 0xf900 && cp <= 0xfaff) ||
		    (cp >= 0x20000 && cp <= 0x3ffff))
			found = 1;
	}
	if (nchar != NULL)
		*nchar = nc;
	return found;
}

/*
 * Record id as an owner of key at step how; src, when not NULL, is what
 * the key was made from (the phonetic step compares with it).  0 or -1
 * (memory).
 */
static int
add_owner(struct rc_names *n, enum rc_how how, const char *key, long long id,
    const char *src, enum rc_how kind)
{
	struct owner	*o;
	struct cjk	*nc;
	size_t		 i, nchar;

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
	o->kind = kind;
	if ((src != NULL && (o->src = hs_xstrdup(src)) == NULL) ||
	    rc_map_put(n->exact[how], key, o) != 0) {
		owner_free(o);
		return -1;
	}
	/* A CJK name of two characters or more, for the substring step. */
	if ((how != RC_HOW_NAME && how != RC_HOW_ALIAS) ||
	    !has_cjk(key, &nchar) || nchar < 2)
		return 0;
	for (i = 0; i < n->ncjk; i++)
		if (n->cjk[i].o == o)
			return 0;
	if (n->ncjk == n->capcjk) {
		nc = hs_xreallocarray(n->cjk, n->capcjk ? n->capcjk * 2 : 8,
		    sizeof(*nc));
		if (nc == NULL)
			return -1;
		n->cjk = nc;
		n->capcjk = n->capcjk ? n->capcjk * 2 : 8;
	}
	if ((n->cjk[n->ncjk].key = hs_xstrdup(key)) == NULL)
		return -1;
	n->cjk[n->ncjk++].o = o;
	return 0;
}

/* Record id as an owner of key at step how.  0 or -1 (memory). */
static int
add_exact(struct rc_names *n, enum rc_how how, const char *key, long long id)
{

	return add_owner(n, how, key, id, NULL, how);
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
	return add_owner(n, RC_HOW_PHONETIC, ph, id, norm, RC_HOW_PHONETIC);
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
	char		 line[RC_NORM_MAX], k[RC_NORM_MAX], kk[RC_NORM_MAX];
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
		if (rc_norm_name_keep(line, kk, sizeof(kk)) == 0 &&
		    add_owner(n, RC_HOW_ACCENT, kk, id, NULL, RC_HOW_ALIAS) !=
		    0)
			return -1;
	}
	return 0;
}

/* Split s in place into at most max words; returns their number. */
static size_t
split(char *s, char **w, size_t max)
{
	size_t	 nw = 0;

	while (*s != '\0' && nw < max) {
		while (*s == ' ')
			*s++ = '\0';
		if (*s == '\0')
			break;
		w[nw++] = s;
		while (*s != '\0' && *s != ' ')
			s++;
	}
	return nw;
}

/* Words w[from..to) joined by spaces into out[RC_NORM_MAX]. */
static void
join(char *out, char *const *w, size_t from, size_t to)
{
	size_t	 o = 0, l, i;

	out[0] = '\0';
	for (i = from; i < to; i++) {
		l = strlen(w[i]);
		if (o + l + 2 > RC_NORM_MAX)
			break;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, w[i], l);
		o += l;
		out[o] = '\0';
	}
}

/* "a b" of bl bytes of b into out[RC_NORM_MAX], cut if too long. */
static void
pair(char *out, const char *a, const char *b, size_t bl)
{
	size_t	 al = strlen(a);

	if (al > RC_NORM_MAX - 2)
		al = RC_NORM_MAX - 2;
	if (al + 1 + bl > RC_NORM_MAX - 1)
		bl = RC_NORM_MAX - 2 - al;
	memcpy(out, a, al);
	out[al] = ' ';
	memcpy(out + al + 1, b, bl);
	out[al + 1 + bl] = '\0';
}

/* Key "given initial" from given and the first character of word. */
static void
with_initial(char *out, const char *given, const char *word)
{

	pair(out, given, word, u8len((unsigned char)*word));
}

#define NAME_WORDS	16	/* words of a name keyed, at most */

/*
 * The keys of a folded name of nw words w (words 0..k-1 a given name,
 * k..nw-1 a family name, for every k, since "José Luis García" and
 * "Anneke van der Berg" both have three or more): the full name in
 * the orders people write it, and for advocates the given name with the
 * initial of each word of the family name ("jose luis g", "jose l",
 * "marco d" and "marco a" for D'Angelo), the family name's last word
 * with the first initial ("minh n" for Nguyễn Thị Minh), and the given
 * names.  With accent set, every key goes to the accented step and
 * there are no given names alone.  0 or -1 (memory).
 */
static int
name_keys(struct rc_names *n, long long id, char *const *w, size_t nw,
    int accent)
{
	char		 a[RC_NORM_MAX], b[RC_NORM_MAX], r[RC_NORM_MAX];
	enum rc_how	 hn = accent ? RC_HOW_ACCENT : RC_HOW_NAME;
	enum rc_how	 hi = accent ? RC_HOW_ACCENT : RC_HOW_FIRST_INITIAL;
	enum rc_how	 kn = RC_HOW_NAME, ki = RC_HOW_FIRST_INITIAL;
	size_t		 k, j;

	if (nw < 2)
		return 0;
	/* "last first", and for longer names every rotation. */
	for (k = 1; k < nw && (nw == 2 || !n->events); k++) {
		join(a, w, k, nw);
		join(b, w, 0, k);
		pair(r, a, b, strlen(b));
		if (add_owner(n, hn, r, id, NULL, kn) != 0)
			return -1;
		if (nw == 2)
			break;
	}
	if (n->events)
		return 0;
	if (nw > 2) {
		pair(r, w[0], w[nw - 1], strlen(w[nw - 1]));
		if (add_owner(n, hn, r, id, NULL, kn) != 0)
			return -1;
		pair(r, w[nw - 1], w[0], strlen(w[0]));
		if (add_owner(n, hn, r, id, NULL, kn) != 0)
			return -1;
	}
	for (k = 1; k < nw; k++) {
		join(b, w, 0, k);
		for (j = k; j < nw; j++) {
			with_initial(r, b, w[j]);
			if (add_owner(n, hi, r, id, NULL, ki) != 0)
				return -1;
			with_initial(r, w[0], w[j]);
			if (add_owner(n, hi, r, id, NULL, ki) != 0)
				return -1;
		}
		if (!accent && k > 1 && add_exact(n, RC_HOW_FIRST_NAME, b, id)
		    != 0)
			return -1;
	}
	with_initial(r, w[nw - 1], w[0]);
	if (add_owner(n, hi, r, id, NULL, ki) != 0)
		return -1;
	if (!accent && add_exact(n, RC_HOW_FIRST_NAME, w[0], id) != 0)
		return -1;
	return 0;
}

/*
 * The nw words w with each one-letter word joined to the next ("o
 * brien" from O'Brien -> "obrien", as people type it too), into
 * out[RC_NORM_MAX].  Returns 1 when a word was joined, else 0.
 */
static int
join_initials(char *const *w, size_t nw, char *out)
{
	size_t	 i, o = 0, l;
	int	 joined = 0;

	out[0] = '\0';
	for (i = 0; i < nw; i++) {
		l = strlen(w[i]);
		if (o + l + 2 > RC_NORM_MAX)
			break;
		if (o > 0 && u8len((unsigned char)*w[i - 1]) ==
		    strlen(w[i - 1]))
			joined = 1;
		else if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, w[i], l);
		o += l;
		out[o] = '\0';
	}
	return joined;
}

/*
 * A display name (or event name): the keys of name_keys, folded and
 * with accents kept, and for advocates folded again with one-letter
 * words joined to the next ("Andreas OBrien").  0 or -1 (memory).
 */
int
rc_names_add_name(struct rc_names *n, long long id, const char *name)
{
	char	 k[RC_NORM_MAX], c[RC_NORM_MAX], j[RC_NORM_MAX];
	char	*w[NAME_WORDS];
	size_t	 nw;

	if (rc_norm_name(name, k, sizeof(k)) != 0 || *k == '\0')
		return 0;
	if (add_exact(n, RC_HOW_NAME, k, id) != 0 || add_cand(n, k, id) != 0 ||
	    add_phonetic(n, k, id) != 0)
		return -1;
	(void)snprintf(c, sizeof(c), "%s", k);
	if ((nw = split(c, w, NAME_WORDS)) == 1) {
		if (!n->events && add_exact(n, RC_HOW_FIRST_NAME, k, id) != 0)
			return -1;
	} else if (nw > 1 && name_keys(n, id, w, nw, 0) != 0)
		return -1;
	if (nw > 1 && !n->events && join_initials(w, nw, j)) {
		if (add_exact(n, RC_HOW_NAME, j, id) != 0 ||
		    add_cand(n, j, id) != 0)
			return -1;
		if ((nw = split(j, w, NAME_WORDS)) > 1 &&
		    name_keys(n, id, w, nw, 0) != 0)
			return -1;
	}
	if (rc_norm_name_keep(name, k, sizeof(k)) != 0 || *k == '\0')
		return 0;
	if (add_owner(n, RC_HOW_ACCENT, k, id, NULL, RC_HOW_NAME) != 0)
		return -1;
	nw = split(k, w, NAME_WORDS);
	return name_keys(n, id, w, nw, 1);
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
	return found(m, o->id, how);
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

/*
 * Runs of two words or more of the folded text at the steps hows,
 * longest first; a run inside (or across) one already found is not
 * looked at.  Returns 1 with *m set when every run found names the same
 * owner, -1 when two owners (or an ambiguous key) are named, else 0.
 */
static int
runs(const struct rc_names *n, const char *text, const enum rc_how *hows,
    size_t nh, enum rc_how how, struct rc_match *m)
{
	char			 c[RC_NORM_MAX], k[RC_NORM_MAX];
	char			*w[RC_NORM_MAX / 2];
	unsigned char		 used[RC_NORM_MAX / 2];
	const struct owner	*o;
	size_t			 nw, l, s, i, h;
	long long		 id = 0;

	(void)snprintf(c, sizeof(c), "%s", text);
	if ((nw = split(c, w, RC_NORM_MAX / 2)) < 2)
		return 0;
	memset(used, 0, nw);
	for (l = nw < RC_RUN_MAX ? nw : RC_RUN_MAX; l >= 2; l--)
		for (s = 0; s + l <= nw; s++) {
			for (i = s; i < s + l && !used[i]; i++)
				continue;
			if (i < s + l)
				continue;
			join(k, w, s, s + l);
			for (h = 0, o = NULL; h < nh && o == NULL; h++)
				o = rc_map_get(n->exact[hows[h]], k);
			if (o == NULL)
				continue;
			/* "it was anna i think": not an initial. */
			if (strcmp(w[s + l - 1], "i") == 0 && s + l < nw &&
			    strcmp(w[s + l], "think") == 0)
				continue;
			if (o->ambiguous || (id != 0 && o->id != id))
				return -1;
			id = o->id;
			memset(used + s, 1, l);
		}
	if (id == 0)
		return 0;
	return found(m, id, how);
}

/*
 * Handles written "@handle" anywhere in the raw text: 1 with *m set for
 * one owner, -1 for two, 0 for none.
 */
static int
at_handles(const struct rc_names *n, const char *raw, struct rc_match *m)
{
	char			 tok[RC_NORM_MAX], k[RC_NORM_MAX];
	const struct owner	*o;
	const char		*p, *e;
	long long		 id = 0;

	for (p = strchr(raw, '@'); p != NULL; p = strchr(p, '@')) {
		for (e = ++p; *e != '\0' && *e != ' ' && *e != ',' &&
		    *e != ')' && *e != '@' && (size_t)(e - p) + 1 <
		    sizeof(tok); e++)
			continue;
		(void)snprintf(tok, sizeof(tok), "%.*s", (int)(e - p), p);
		if (rc_norm(tok, k, sizeof(k)) != 0 ||
		    (o = rc_map_get(n->exact[RC_HOW_HANDLE], k)) == NULL)
			continue;
		if (o->ambiguous || (id != 0 && o->id != id))
			return -1;
		id = o->id;
	}
	if (id == 0)
		return 0;
	return found(m, id, RC_HOW_IN_TEXT);
}

/*
 * CJK names inside a text, as substrings (those scripts put no spaces
 * between words; spaces typed are ignored).  A name inside a longer
 * name found too is not counted.  1, -1 or 0 as runs().
 */
static int
cjk(const struct rc_names *n, const char *norm, struct rc_match *m)
{
	char		 t[RC_NORM_MAX];
	const char	*p;
	size_t		 i, j, o = 0;
	long long	 id = 0;

	if (n->ncjk == 0 || !has_cjk(norm, NULL))
		return 0;
	for (p = norm; *p != '\0' && o + 1 < sizeof(t); p++)
		if (*p != ' ')
			t[o++] = *p;
	t[o] = '\0';
	for (i = 0; i < n->ncjk; i++) {
		if (strstr(t, n->cjk[i].key) == NULL)
			continue;
		for (j = 0; j < n->ncjk; j++)
			if (j != i && strlen(n->cjk[j].key) >
			    strlen(n->cjk[i].key) &&
			    strstr(t, n->cjk[j].key) != NULL &&
			    strstr(n->cjk[j].key, n->cjk[i].key) != NULL)
				break;
		if (j < n->ncjk)
			continue;
		if (n->cjk[i].o->ambiguous ||
		    (id != 0 && n->cjk[i].o->id != id))
			return -1;
		id = n->cjk[i].o->id;
	}
	if (id == 0)
		return 0;
	return found(m, id, RC_HOW_IN_TEXT);
}

/*
 * The phonetic step: the same key as one owner's name, and each word as
 * similar as RC_PHONETIC_MIN to that name's ("Katrin Schmitt" for
 * Kathrin Schmidt; not "Anna Tapas" for Anna Dubois, whose key is the
 * same).  1 with *m set, else 0.
 */
static int
phonetic(const struct rc_names *n, const char *t, struct rc_match *m)
{
	char			 ph[RC_NORM_MAX], a[RC_NORM_MAX];
	char			 b[RC_NORM_MAX];
	char			*wa[NAME_WORDS], *wb[NAME_WORDS];
	const struct owner	*o;
	size_t			 na, nb, i;

	rc_phonetic(t, ph, sizeof(ph));
	if (*ph == '\0' ||
	    (o = rc_map_get(n->exact[RC_HOW_PHONETIC], ph)) == NULL ||
	    o->ambiguous || o->src == NULL)
		return 0;
	(void)snprintf(a, sizeof(a), "%s", t);
	(void)snprintf(b, sizeof(b), "%s", o->src);
	na = split(a, wa, NAME_WORDS);
	nb = split(b, wb, NAME_WORDS);
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (rc_jaro_winkler(wa[i], wb[i]) < RC_PHONETIC_MIN)
			return 0;
	return found(m, o->id, RC_HOW_PHONETIC);
}

/*
 * An accented key kt matched *m: named by the step its folded form t
 * would have matched at, unless that finds someone else or no one
 * (the accent decided).
 */
static void
accented(const struct rc_names *n, const char *kt, const char *t,
    struct rc_match *m)
{
	const struct owner	*o;
	struct rc_match		 f;

	if ((o = rc_map_get(n->exact[RC_HOW_ACCENT], kt)) == NULL ||
	    exact(n, o->kind, t, &f) <= 0 || f.id != m->id)
		return;
	*m = f;
}

/* The steps, uncached, on the text as typed.  1 with *m set, else 0. */
static int
match(const struct rc_names *n, const char *raw, struct rc_match *m)
{
	static const enum rc_how exacts[] = { RC_HOW_HANDLE, RC_HOW_ALIAS,
	    RC_HOW_NAME, RC_HOW_FIRST_INITIAL, RC_HOW_FIRST_NAME };
	static const enum rc_how inner[] = { RC_HOW_HANDLE, RC_HOW_ALIAS,
	    RC_HOW_NAME, RC_HOW_FIRST_INITIAL };
	static const enum rc_how accent[] = { RC_HOW_ACCENT };
	char		 norm[RC_NORM_MAX], t[RC_NORM_MAX], kn[RC_NORM_MAX];
	char		 kt[RC_NORM_MAX];
	size_t		 i;
	int		 r;

	if (rc_norm(raw, norm, sizeof(norm)) != 0 || *norm == '\0' ||
	    rc_norm_name(raw, t, sizeof(t)) != 0 || *t == '\0')
		return 0;
	/* Accents typed tell apart names that differ only by them. */
	if (rc_norm_keep(raw, kn, sizeof(kn)) == 0 && strcmp(kn, norm) != 0 &&
	    rc_norm_name_keep(raw, kt, sizeof(kt)) == 0) {
		if ((r = exact(n, RC_HOW_ACCENT, kt, m)) != 0) {
			if (r > 0)
				accented(n, kt, t, m);
			return r > 0;
		}
		if ((r = runs(n, kn, accent, 1, RC_HOW_IN_TEXT, m)) != 0)
			return r > 0;
	}
	/* A handle is matched on the whole text too ("friend" can be one). */
	if ((r = exact(n, RC_HOW_HANDLE, norm, m)) != 0)
		return r > 0;
	for (i = 0; i < sizeof(exacts) / sizeof(exacts[0]); i++)
		if ((r = exact(n, exacts[i], t, m)) != 0)
			return r > 0;
	if ((r = runs(n, norm, inner, sizeof(inner) / sizeof(inner[0]),
	    RC_HOW_IN_TEXT, m)) != 0 || (r = at_handles(n, raw, m)) != 0 ||
	    (r = cjk(n, norm, m)) != 0)
		return r > 0;
	if ((r = fuzzy(n, t, m)) != 0)
		return r > 0;
	return phonetic(n, t, m);
}

/*
 * Match a text as typed (or already folded by rc_norm) to one owner.
 * Returns 1 with *m set, 0 (and m->id 0) for no match or an ambiguous
 * one.
 */
int
rc_names_match(struct rc_names *n, const char *text, struct rc_match *m)
{
	struct rc_match	*c;

	memset(m, 0, sizeof(*m));
	if ((c = rc_map_get(n->cache, text)) != NULL) {
		*m = *c;
		return m->id != 0;
	}
	if (!match(n, text, m))
		memset(m, 0, sizeof(*m));
	if ((c = hs_xmalloc(sizeof(*c))) != NULL) {
		*c = *m;
		if (rc_map_put(n->cache, text, c) != 0)
			free(c);
	}
	return m->id != 0;
}
