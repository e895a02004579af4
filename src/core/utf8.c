/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * utf8.c: the one UTF-8 validator every decoded field, path and key goes
 * through before the rest of hearsay sees it.  It is strict on purpose:
 * MariaDB's utf8mb4 stores whatever bytes it is given once they look like
 * UTF-8, so anything ambiguous is refused here, at the edge.  Overlong
 * forms (C0 AF is a classic "/" smuggler), surrogates (which no UTF-8
 * encoder emits), code points past U+10FFFF and lead bytes F5-FF are
 * refused as the Unicode standard (table 3-7) requires; beyond that, NUL
 * (C strings would truncate it, kcgi's valsz != strlen test), the other
 * C0 controls and DEL (they forge log lines and headers), and U+FEFF (a
 * byte order mark inside a field is never meant and breaks comparisons)
 * are refused too.  TAB, LF and CR stay allowed: multi-line answers are
 * legitimate, and the response writer refuses them in headers.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "hearsay.h"

#define UNI_MAX		0x10ffffU	/* last Unicode code point */
#define UNI_BOM		0xfeffU		/* byte order mark */
#define SURR_FIRST	0xd800U		/* UTF-16 surrogates: never */
#define SURR_LAST	0xdfffU		/* encoded in UTF-8 */

/* Returns 1 for the ASCII bytes a field may hold: no controls but TAB/LF/CR. */
static int
ascii_ok(unsigned char c)
{

	if (c == '\t' || c == '\n' || c == '\r')
		return 1;
	return c >= 0x20 && c != 0x7f;
}

/*
 * Returns 1 if the len bytes at s are strictly valid UTF-8 as described
 * above, 0 otherwise.  An empty string is valid; NULL is valid only with
 * len 0.
 */
int
hs_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, k, n;
	uint32_t		 cp, min;

	if (p == NULL)
		return len == 0;
	for (i = 0; i < len; i += n + 1) {
		if (p[i] < 0x80) {
			if (!ascii_ok(p[i]))
				return 0;
			n = 0;
			continue;
		}
		/*
		 * The lead byte gives the length and the smallest code point
		 * that length may carry; C0, C1 (always overlong), stray
		 * continuation bytes and F5-FF (past U+10FFFF) have none.
		 */
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 1;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;	/* truncated at the end */
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > UNI_MAX || cp == UNI_BOM ||
		    (cp >= SURR_FIRST && cp <= SURR_LAST))
			return 0;
	}
	return 1;
}

/*
 * The characters of s, valid UTF-8 (hs_utf8_valid passed it): the bytes
 * that do not continue one.  The limits people read ("at most 200
 * characters") count these, not bytes.
 */
size_t
hs_utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}
