/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * markup.c: the one writer of HTML elements (issue 14, in the spirit
 * of kcgi's khtml).  A start tag is written from NULL-ended name, value
 * pairs: every value goes through hs_html_puts inside double quotes, so
 * the quoting of an attribute is right by construction and no caller
 * glues one by hand.  Element and attribute names are the program's
 * constants; one that is not a plain lower-case name is refused
 * (HS_EINVAL) before a byte of it is written, so a name can never
 * carry markup either.  Text goes through hs_html_puts; the only raw
 * writer stays hs_html_raw (html.c), for template text and constants.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "hearsay.h"

#define MARKUP_NAME_MAX	32	/* bytes of an element or attribute name */

/* An attribute value that writes the name alone (checked, defer). */
const char	 hs_html_bare[] = "";

/* 1 if s may be written as a name as is: [a-z][a-z0-9-]*, short. */
static int
name_ok(const char *s)
{
	size_t	 n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	return n > 0 && n <= MARKUP_NAME_MAX && s[0] >= 'a' && s[0] <= 'z' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/*
 * <el name="value" ...>.  A NULL value leaves its attribute out;
 * hs_html_bare writes the name alone.
 */
enum hs_err
hs_html_vopen(const struct hs_out *o, const char *el, va_list ap)
{
	const char	*name, *val;
	enum hs_err	 e;

	if (!name_ok(el))
		return HS_EINVAL;
	if ((e = hs_out_puts(o, "<")) != HS_OK ||
	    (e = hs_out_puts(o, el)) != HS_OK)
		return e;
	while ((name = va_arg(ap, const char *)) != NULL) {
		if ((val = va_arg(ap, const char *)) == NULL)
			continue;
		if (!name_ok(name))
			return HS_EINVAL;
		if ((e = hs_out_puts(o, " ")) != HS_OK ||
		    (e = hs_out_puts(o, name)) != HS_OK)
			return e;
		if (val == hs_html_bare)
			continue;
		if ((e = hs_out_puts(o, "=\"")) != HS_OK ||
		    (e = hs_html_puts(o, val)) != HS_OK ||
		    (e = hs_out_puts(o, "\"")) != HS_OK)
			return e;
	}
	return hs_out_puts(o, ">");
}

enum hs_err
hs_html_open(const struct hs_out *o, const char *el, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, el);
	e = hs_html_vopen(o, el, ap);
	va_end(ap);
	return e;
}

/* </el> */
enum hs_err
hs_html_close(const struct hs_out *o, const char *el)
{
	enum hs_err	 e;

	if (!name_ok(el))
		return HS_EINVAL;
	if ((e = hs_out_puts(o, "</")) != HS_OK ||
	    (e = hs_out_puts(o, el)) != HS_OK)
		return e;
	return hs_out_puts(o, ">");
}

/* <el attributes>text</el> in one call; text NULL: none. */
enum hs_err
hs_html_elem(const struct hs_out *o, const char *el, const char *text, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, text);
	e = hs_html_vopen(o, el, ap);
	va_end(ap);
	if (e != HS_OK || (e = hs_html_puts(o, text)) != HS_OK)
		return e;
	return hs_html_close(o, el);
}
