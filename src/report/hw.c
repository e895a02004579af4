/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * hw.c: the report's face of core's HTML writer (markup.c), which
 * quotes by construction.  What this layer adds is that the first
 * error sticks (w->e) and turns every later call into nothing, so a
 * page is a straight run of calls and one check at its end.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "hearsay.h"
#include "report.h"
#include "pages.h"

void
hw_init(struct hw *w, const struct hs_out *o)
{

	w->o = o;
	w->e = HS_OK;
}

static void
hw_vopen(struct hw *w, const char *tag, va_list ap)
{

	if (w->e == HS_OK)
		w->e = hs_html_vopen(w->o, tag, ap);
}

void
hw_open(struct hw *w, const char *tag, ...)
{
	va_list	 ap;

	va_start(ap, tag);
	hw_vopen(w, tag, ap);
	va_end(ap);
}

void
hw_close(struct hw *w, const char *tag)
{

	if (w->e == HS_OK)
		w->e = hs_html_close(w->o, tag);
}

/*
 * Markup that is a constant of the program (a string literal with no
 * value in it: values go through hw_text and the attributes of
 * hw_open), written as it is.
 */
void
hw_raw(struct hw *w, const char *s)
{

	if (w->e == HS_OK)
		w->e = hs_html_raw(w->o, s);
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
	hw_vopen(w, tag, ap);
	va_end(ap);
	hw_text(w, text);
	hw_close(w, tag);
}

/* A hidden field of a form. */
void
hw_hidden(struct hw *w, const char *name, const char *value)
{

	hw_void(w, "input", "type", "hidden", "name", name, "value", value,
	    (char *)NULL);
}

/* The hidden CSRF field every form of a session carries. */
void
hw_csrf(struct hw *w, const struct sess *s)
{

	hw_hidden(w, "csrf", s->csrf);
}

/*
 * The hidden key of a queue text or a rule in a form: the CSRF field,
 * its kind, and name (text, pattern) holding value.
 */
void
hw_key(struct hw *w, const struct sess *s, const char *kind,
    const char *name, const char *value)
{

	hw_csrf(w, s);
	hw_hidden(w, "kind", kind);
	hw_hidden(w, name, value);
}
