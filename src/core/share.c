/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * share.c: the rule for a campaign's share texts (sql/110), one place
 * for hearsay-admin share set and hearsay-report's campaign form.  The
 * texts are the program owner's words, shown escaped to the advocates of
 * the campaign with {link} and {name} filled in.  A text is refused, and
 * nothing stored, when it is not UTF-8, has control characters other
 * than line breaks, is too long, or starts like a spreadsheet formula
 * (=, +, -, @), since texts travel through CSV exports and people's
 * spreadsheets.
 */
#include "config.h"

#include <string.h>

#include "hearsay.h"

/*
 * Returns NULL if s may be stored as a share text of at most max
 * characters, else why not (a phrase after "the text").
 */
const char *
hs_share_bad(const char *s, size_t max)
{
	const unsigned char *p;
	size_t		 n = 0;

	if (!hs_utf8_valid(s, strlen(s)))
		return "is not valid UTF-8";
	if (*s == '\0')
		return "is empty";
	/* A spreadsheet runs a cell that starts so as a formula. */
	if (strchr("=+-@", *s) != NULL)
		return "starts like a spreadsheet formula (=, +, - or @)";
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return "has a control character (only line breaks "
			    "may be in it)";
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	if (n > max)
		return "is too long";
	return NULL;
}
