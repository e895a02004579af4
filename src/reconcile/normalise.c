/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * normalise.c: the one way free text is folded before it is compared
 * with anything: NFKC compatibility forms (fullwidth letters, ligatures),
 * Unicode case folding, accents removed (decomposed, combining marks
 * dropped), a few letters that have no decomposition spelt out (ø, ł,
 * æ, ß...), punctuation to spaces, spaces collapsed.  Analysts' rules
 * store this form, so changing it changes which rules match: it is
 * deliberately small and stable.  Also a phonetic key for Latin names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "hearsay.h"
#include "reconcile.h"

/* Letters NFKD leaves alone but people type without the stroke. */
static const struct {
	utf8proc_int32_t	 cp;
	const char		*ascii;
} spelt[] = {
	{ 0x00f8, "o" },	/* ø */
	{ 0x0142, "l" },	/* ł */
	{ 0x0111, "d" },	/* đ */
	{ 0x00f0, "d" },	/* ð */
	{ 0x00e6, "ae" },	/* æ */
	{ 0x0153, "oe" },	/* œ */
	{ 0x00fe, "th" },	/* þ */
	{ 0x0131, "i" },	/* dotless i */
	{ 0x0127, "h" },	/* ħ */
	{ 0x00df, "ss" },	/* ß, should case folding keep it */
};

/*
 * Words that surround a name in "who referred you?" answers and carry
 * no identity ("my friend Anna from work").  Removed only when some
 * other word remains.
 */
static const char *const fillers[] = {
	"a", "an", "at", "by", "colleague", "coworker", "friend", "friends",
	"from", "i", "in", "it", "mate", "me", "my", "of", "on", "our",
	"the", "think", "via", "was", "who", "work", "with",
};

/* rc_norm (strip set) or rc_norm_keep (strip clear). */
static int
fold(const char *in, char *out, size_t outsz, int strip)
{
	utf8proc_uint8_t	*m = NULL;
	utf8proc_ssize_t	 n, i, k;
	utf8proc_int32_t	 cp;
	utf8proc_uint8_t	 enc[4];
	const char		*rep;
	size_t			 o = 0, j, l;
	int			 space = 0, rc = -1, cat;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	n = utf8proc_map((const utf8proc_uint8_t *)in, 0, &m,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
	    UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
	    (strip ? UTF8PROC_STRIPMARK : 0) |
	    UTF8PROC_IGNORE | UTF8PROC_LUMP | UTF8PROC_STRIPCC);
	if (n < 0)
		goto out;
	for (i = 0; i < n; i += k) {
		k = utf8proc_iterate(m + i, n - i, &cp);
		if (k <= 0)
			goto out;
		rep = NULL;
		for (j = 0; strip && j < sizeof(spelt) / sizeof(spelt[0]);
		    j++)
			if (spelt[j].cp == cp)
				rep = spelt[j].ascii;
		cat = utf8proc_category(cp);
		/* Kept accents that did not compose stay in their word. */
		if (!strip && o > 0 && !space &&
		    cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
			cat = UTF8PROC_CATEGORY_LO;
		if (rep == NULL && !(cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) &&
		    !(cat >= UTF8PROC_CATEGORY_ND &&
		    cat <= UTF8PROC_CATEGORY_NO)) {
			/* Punctuation, symbols, spaces: a word break. */
			space = o > 0;
			continue;
		}
		if (rep == NULL) {
			l = (size_t)utf8proc_encode_char(cp, enc);
			rep = (const char *)enc;
		} else
			l = strlen(rep);
		if (o + (space ? 1 : 0) + l + 1 > outsz)
			break;
		if (space)
			out[o++] = ' ';
		space = 0;
		memcpy(out + o, rep, l);
		o += l;
	}
	out[o] = '\0';
	rc = 0;
out:
	free(m);
	if (rc != 0)
		out[0] = '\0';
	return rc;
}

/*
 * Fold the NUL-terminated UTF-8 text in into out (outsz bytes, NUL
 * included), as described above; output longer than outsz - 1 is cut at
 * a character boundary.  Returns 0, or -1 for invalid UTF-8 or no
 * memory (out is then empty).
 */
int
rc_norm(const char *in, char *out, size_t outsz)
{

	return fold(in, out, outsz, 1);
}

/*
 * As rc_norm but keeping accents and the letters rc_norm spells out
 * ("Zoé" -> "zoé", not "zoe"): the form in which two advocates whose
 * names differ only by an accent can still be told apart.
 */
int
rc_norm_keep(const char *in, char *out, size_t outsz)
{

	return fold(in, out, outsz, 0);
}

/* Whether the word w (wl bytes) is one of the fillers.  0 or 1. */
static int
is_filler(const char *w, size_t wl)
{
	size_t	 i;

	for (i = 0; i < sizeof(fillers) / sizeof(fillers[0]); i++)
		if (strlen(fillers[i]) == wl && memcmp(fillers[i], w, wl) == 0)
			return 1;
	return 0;
}

/*
 * Whether the filler word at w (wl bytes, in the NUL-terminated folded
 * text) can be an initial instead: a single letter ("a", "i") right
 * after a word that is kept, and not followed by "think" ("Joaquín A."
 * keeps its initial; "from a friend" and "Anna I think" do not).
 */
static int
initial(const char *w, size_t wl, int prevkept)
{
	const char	*nx = w + wl;

	if (wl != 1 || !prevkept)
		return 0;
	while (*nx == ' ')
		nx++;
	return strncmp(nx, "think", 5) != 0 || (nx[5] != '\0' &&
	    nx[5] != ' ');
}

/* Drop the fillers of the folded text tmp into out.  Returns 0 or -1. */
static int
unfill(const char *tmp, char *out, size_t outsz)
{
	const char	*p, *w;
	size_t		 o = 0, wl;
	int		 prevkept = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (p = tmp; *p != '\0'; ) {
		w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		if (*p == ' ')
			p++;
		if ((is_filler(w, wl) && !initial(w, wl, prevkept)) ||
		    o + wl + 2 > outsz) {
			prevkept = 0;
			continue;
		}
		prevkept = 1;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, w, wl);
		o += wl;
		out[o] = '\0';
	}
	if (o == 0)
		(void)snprintf(out, outsz, "%s", tmp);
	return 0;
}

/*
 * rc_norm, then drop filler words around a name ("my friend anna k" ->
 * "anna k") unless nothing else would remain; a filler that can be an
 * initial after a name ("joaquin a") stays.  Returns as rc_norm.
 */
int
rc_norm_name(const char *in, char *out, size_t outsz)
{
	char	 tmp[RC_NORM_MAX];

	if (rc_norm(in, tmp, sizeof(tmp)) != 0) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return unfill(tmp, out, outsz);
}

/* rc_norm_name in rc_norm_keep's form (accents kept). */
int
rc_norm_name_keep(const char *in, char *out, size_t outsz)
{
	char	 tmp[RC_NORM_MAX];

	if (rc_norm_keep(in, tmp, sizeof(tmp)) != 0) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return unfill(tmp, out, outsz);
}

/* The consonant class of an ASCII letter; 0 for vowels, -1 for h w y. */
static int
pclass(char c)
{

	switch (c) {
	case 'b': case 'f': case 'p': case 'v':
		return '1';
	case 'c': case 'g': case 'j': case 'k': case 'q': case 's':
	case 'x': case 'z':
		return '2';
	case 'd': case 't':
		return '3';
	case 'l':
		return '4';
	case 'm': case 'n':
		return '5';
	case 'r':
		return '6';
	case 'h': case 'w': case 'y':
		return -1;
	default:
		return 0;
	}
}

/*
 * A phonetic key of a normalised name, Soundex-like but over the whole
 * word and with the first letter coded too, so "Katrin", "Catrin" and
 * "Kathrin" share "2365" and "Jon"/"John" share "25".  A word starting
 * with a vowel starts with 'A'.  Non-ASCII words are kept as they are.
 * Words are separated by one space.  out is always NUL-terminated.
 */
void
rc_phonetic(const char *norm, char *out, size_t outsz)
{
	const char	*p;
	size_t		 o = 0;
	int		 c, last, start, ascii;
	const char	*w;

	if (outsz == 0)
		return;
	for (p = norm; *p != '\0'; ) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = p;
		ascii = 1;
		while (*p != '\0' && *p != ' ') {
			if ((unsigned char)*p >= 0x80)
				ascii = 0;
			p++;
		}
		if (o > 0 && o + 1 < outsz)
			out[o++] = ' ';
		if (!ascii) {
			for (; w < p && o + 1 < outsz; w++)
				out[o++] = *w;
			continue;
		}
		last = 0;
		for (start = 1; w < p && o + 1 < outsz; w++, start = 0) {
			c = pclass(*w);
			if (c == 0 && start) {
				out[o++] = 'A';
				last = 0;
			} else if (c == 0)
				last = 0;
			else if (c > 0 && c != last) {
				out[o++] = (char)c;
				last = c;
			}
		}
	}
	out[o] = '\0';
}
