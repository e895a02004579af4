/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * click.c: the click journal record, its encoder (the workers, handle.c)
 * and its decoder (the loader, loader.c) side by side, so the format has
 * one description.  A record is one line of ten tab-separated fields:
 *
 *	c1 ID MS LINK TRIGGER HASH UA REFERER BOT REASON
 *
 * c1 names the version; ID the click id (CLICK_ID_LEN lower-case hex);
 * MS the time in ms since the epoch; LINK links.id; TRIGGER "qr" or
 * "link"; HASH the client hash (64 lower-case hex); UA a ua_names entry;
 * REFERER the referring host; BOT 0 or 1; REASON why it is a bot.  "-"
 * stands for an absent HASH, REFERER or REASON (SQL NULL).  Both sides
 * apply the same check (click_ok), so whatever is encoded decodes to the
 * same click, and a record the encoder would refuse is never loaded.
 * The journal (core's journal.c) frames and checksums each record.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "link.h"

#define CLICK_FIELDS	10	/* fields of a record */
#define CLICK_HASH_LEN	64	/* hex characters of a client hash */
#define CLICK_NONE	"-"	/* an absent field */

/* Returns 1 if s is n lower-case hex digits. */
static int
ishex(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/* Returns 1 if an optional text field can be written and read back. */
static int
text_ok(const char *s)
{

	return s == NULL || (*s != '\0' && strcmp(s, CLICK_NONE) != 0 &&
	    strpbrk(s, "\t\n") == NULL);
}

/* Returns 1 if every field of c is one a record may carry. */
static int
click_ok(const struct link_click *c)
{
	size_t	 i;

	if (c->id == NULL || !ishex(c->id, CLICK_ID_LEN) || c->ms <= 0 ||
	    c->link <= 0 || (c->bot != 0 && c->bot != 1) ||
	    c->trigger == NULL || (strcmp(c->trigger, "qr") != 0 &&
	    strcmp(c->trigger, "link") != 0) ||
	    (c->hash != NULL && !ishex(c->hash, CLICK_HASH_LEN)) ||
	    c->ua == NULL || !text_ok(c->referer) || !text_ok(c->reason))
		return 0;
	for (i = 0; i < UA__MAX; i++)
		if (strcmp(c->ua, ua_names[i]) == 0)
			return 1;
	return 0;
}

/*
 * Writes the record of c into buf (sz bytes, NUL-terminated; the NUL is
 * not part of the record).  Returns its length, or -1 when a field is
 * not one a record may carry or buf is too small.
 */
int
link_click_encode(const struct link_click *c, char *buf, size_t sz)
{
	int	 n;

	if (!click_ok(c))
		return -1;
	n = snprintf(buf, sz, "c1\t%s\t%lld\t%lld\t%s\t%s\t%s\t%s\t%d\t%s",
	    c->id, c->ms, c->link, c->trigger,
	    c->hash != NULL ? c->hash : CLICK_NONE, c->ua,
	    c->referer != NULL ? c->referer : CLICK_NONE, c->bot,
	    c->reason != NULL ? c->reason : CLICK_NONE);
	if (n < 0 || (size_t)n >= sz)
		return -1;
	return n;
}

/* A decimal number filling s, or 0 (refused by click_ok). */
static long long
number(const char *s)
{
	char		*end;
	long long	 v;

	v = strtoll(s, &end, 10);
	return *s == '\0' || *end != '\0' ? 0 : v;
}

/*
 * Parses the NUL-terminated record rec in place into *c, whose strings
 * then point into rec.  Returns 0, or -1 for a record that cannot be
 * loaded.
 */
int
link_click_decode(char *rec, struct link_click *c)
{
	char	*f[CLICK_FIELDS], *p = rec;
	size_t	 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CLICK_FIELDS && p != NULL; i++)
		f[i] = strsep(&p, "\t");
	if (i != CLICK_FIELDS || p != NULL || strcmp(f[0], "c1") != 0)
		return -1;
	c->id = f[1];
	c->ms = number(f[2]);
	c->link = number(f[3]);
	c->trigger = f[4];
	c->hash = strcmp(f[5], CLICK_NONE) == 0 ? NULL : f[5];
	c->ua = f[6];
	c->referer = strcmp(f[7], CLICK_NONE) == 0 ? NULL : f[7];
	c->bot = strcmp(f[8], "1") == 0 ? 1 : strcmp(f[8], "0") == 0 ? 0 : -1;
	c->reason = strcmp(f[9], CLICK_NONE) == 0 ? NULL : f[9];
	return click_ok(c) ? 0 : -1;
}
