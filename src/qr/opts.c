/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * opts.c: the parameters of a QR image, validated before anything is
 * looked up or drawn.  Every parameter is bounded (so a request cannot
 * make a worker draw a 100000-pixel image), given at most once, and
 * unknown ones are an error rather than ignored: a typo such as ?sz=20
 * or ?fmt=svg then says so instead of quietly serving something else.
 * Colours come by name from a fixed set whose every dark/light pair
 * has a contrast ratio of at least 10:1, so no parameter can make a
 * code that phones fail to read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "hearsay.h"
#include "qr.h"

#define QR_MAX_PARAMS	5	/* s, ecc, m, fg, bg */

/* Dark colours first: each is at least 10:1 against every light one. */
static const struct qr_colour fgs[] = {
	{ "black",	"#000000", { 0x00, 0x00, 0x00 } },
	{ "navy",	"#000080", { 0x00, 0x00, 0x80 } },
	{ "darkgreen",	"#004d00", { 0x00, 0x4d, 0x00 } },
	{ "maroon",	"#800000", { 0x80, 0x00, 0x00 } },
};
static const struct qr_colour bgs[] = {
	{ "white",	"#ffffff", { 0xff, 0xff, 0xff } },
	{ "ivory",	"#fffff0", { 0xff, 0xff, 0xf0 } },
};

static const char levels[] = "LMQH";	/* index = QRecLevel */

void
qr_opts_default(struct qr_opts *o)
{

	o->scale = QR_SCALE_DEF;
	o->level = QR_ECLEVEL_M;
	o->margin = QR_MARGIN_DEF;
	o->fg = &fgs[0];
	o->bg = &bgs[0];
}

/* Returns 'L', 'M', 'Q' or 'H' for a QRecLevel. */
char
qr_level_name(int level)
{

	return level >= 0 && level < 4 ? levels[level] : '?';
}

/*
 * Parses a decimal integer of at most 3 digits (no sign, no space) in
 * min..max into *v.  Returns 1, or 0 when it is anything else.
 */
static int
smallint(const char *s, int min, int max, int *v)
{
	int	 n = 0;
	size_t	 i;

	if (s[0] == '\0' || strlen(s) > 3)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		n = n * 10 + (s[i] - '0');
	}
	if (n < min || n > max)
		return 0;
	*v = n;
	return 1;
}

static const struct qr_colour *
colour(const struct qr_colour *set, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(set[i].name, name) == 0)
			return &set[i];
	return NULL;
}

/*
 * Fills o from the query kv[0..n), starting from the defaults.  Returns
 * HS_OK, or HS_EINVAL with *why set to a human message for an unknown
 * or repeated parameter or a value out of its set or range.
 */
enum hs_err
qr_opts_parse(struct qr_opts *o, const struct hs_kv *kv, size_t n,
    const char **why)
{
	static const char *const names[QR_MAX_PARAMS] = {
		"s", "ecc", "m", "fg", "bg"
	};
	unsigned int	 seen = 0;
	const char	*v, *p;
	size_t		 i, k;

	qr_opts_default(o);
	*why = NULL;
	for (i = 0; i < n; i++) {
		for (k = 0; k < QR_MAX_PARAMS; k++)
			if (strcmp(kv[i].key, names[k]) == 0)
				break;
		if (k == QR_MAX_PARAMS) {
			*why = "Unknown parameter: only s, ecc, m, fg and bg "
			    "are accepted.";
			return HS_EINVAL;
		}
		if (seen & (1U << k)) {
			*why = "A parameter was given twice.";
			return HS_EINVAL;
		}
		seen |= 1U << k;
		v = kv[i].val;
		if (strlen(v) != kv[i].valsz) {
			*why = "A parameter holds a NUL byte.";
			return HS_EINVAL;
		}
		switch (k) {
		case 0:
			if (!smallint(v, QR_SCALE_MIN, QR_SCALE_MAX,
			    &o->scale)) {
				*why = "s (pixels per module) must be a whole "
				    "number from 1 to 40.";
				return HS_EINVAL;
			}
			break;
		case 1:
			if (v[0] == '\0' || v[1] != '\0' ||
			    (p = strchr(levels, v[0])) == NULL) {
				*why = "ecc must be L, M, Q or H.";
				return HS_EINVAL;
			}
			o->level = (int)(p - levels);
			break;
		case 2:
			if (!smallint(v, QR_MARGIN_MIN, QR_MARGIN_MAX,
			    &o->margin)) {
				*why = "m (margin in modules) must be a whole "
				    "number from 0 to 16.";
				return HS_EINVAL;
			}
			break;
		case 3:
			if ((o->fg = colour(fgs, sizeof(fgs) / sizeof(fgs[0]),
			    v)) == NULL) {
				*why = "fg must be black, navy, darkgreen or "
				    "maroon.";
				return HS_EINVAL;
			}
			break;
		case 4:
			if ((o->bg = colour(bgs, sizeof(bgs) / sizeof(bgs[0]),
			    v)) == NULL) {
				*why = "bg must be white or ivory.";
				return HS_EINVAL;
			}
			break;
		default:
			abort();
		}
	}
	return HS_OK;
}
