/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * hw.c: an HTML writer that quotes by construction.  Element and
 * attribute names are constants of this program, checked to be plain
 * lower-case names; every attribute value and every text goes through
 * hs_html_putsz, so no caller writes a raw fragment.  The first error
 * sticks (w->e) and turns every later call into nothing, so a page is a
 * straight run of calls and one check at its end.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

#define HW_NAME_MAX	16	/* bytes of an element or attribute name */

void
hw_init(struct hw *w, const struct hs_out *o)
{

	w->o = o;
	w->e = HS_OK;
}

/* 1 if s is a name we may write as is: [a-z][a-z0-9-]*, short. */
static int
name_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= HW_NAME_MAX && s[0] >= 'a' && s[0] <= 'z' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static void
raw(struct hw *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_raw(w->o, s);
}

/* Writes <tag a="v" ...> from NULL-ended name, value pairs; a NULL
 * value leaves that attribute out. */
static void
vopen(struct hw *w, const char *tag, va_list ap)
{
	const char	*k, *v;

	if (w->e != HS_OK)
		return;
	if (!name_ok(tag)) {
		w->e = HS_EINVAL;
		return;
	}
	raw(w, "<");
	raw(w, tag);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v == NULL)
			continue;
		if (!name_ok(k)) {
			w->e = HS_EINVAL;
			return;
		}
		raw(w, " ");
		raw(w, k);
		raw(w, "=\"");
		if (w->e == HS_OK)
			w->e = hs_html_puts(w->o, v);
		raw(w, "\"");
	}
	raw(w, ">");
}

void
hw_open(struct hw *w, const char *tag, ...)
{
	va_list	 ap;

	va_start(ap, tag);
	vopen(w, tag, ap);
	va_end(ap);
}

void
hw_close(struct hw *w, const char *tag)
{

	if (w->e == HS_OK && !name_ok(tag))
		w->e = HS_EINVAL;
	raw(w, "</");
	raw(w, tag);
	raw(w, ">");
}

void
hw_text(struct hw *w, const char *s)
{

	if (w->e == HS_OK && s != NULL)
		w->e = hs_html_puts(w->o, s);
}

void
hw_textf(struct hw *w, const char *fmt, ...)
{
	char	 b[512];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	hw_text(w, b);
}

/* <tag attrs>text</tag> in one call. */
void
hw_elem(struct hw *w, const char *tag, const char *text, ...)
{
	va_list	 ap;

	va_start(ap, text);
	vopen(w, tag, ap);
	va_end(ap);
	hw_text(w, text);
	hw_close(w, tag);
}

/* A void element (input, br): no text, no end tag. */
void
hw_void(struct hw *w, const char *tag, ...)
{
	va_list	 ap;

	va_start(ap, tag);
	vopen(w, tag, ap);
	va_end(ap);
}

/* The hidden CSRF field every form of a session carries. */
void
hw_csrf(struct hw *w, const struct sess *s)
{

	hw_void(w, "input", "type", "hidden", "name", "csrf", "value",
	    s->csrf, (char *)NULL);
}
