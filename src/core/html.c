/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * html.c: escaping for every byte that reaches a page, a JSON document
 * or a CSV file.  hs_html_puts encodes & < > " ' (kcgi khtml_putc, h2o
 * h2o_htmlescape), which is safe in element text and in quoted attribute
 * values.  hs_html_raw is the only unescaped writer: it is for template
 * text and constants, and review greps for it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"

/*
 * Writes sz bytes of s escaped for HTML; a NUL byte (which valid input
 * never has) becomes U+FFFD rather than ending the string silently.
 */
enum hs_err
hs_html_putsz(const struct hs_out *o, const char *s, size_t sz)
{
	size_t		 i, start = 0;
	const char	*rep;
	enum hs_err	 e;

	for (i = 0; i < sz; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			rep = "\xef\xbf\xbd";
			break;
		default:
			continue;
		}
		if ((e = hs_out_write(o, s + start, i - start)) != HS_OK ||
		    (e = hs_out_puts(o, rep)) != HS_OK)
			return e;
		start = i + 1;
	}
	return hs_out_write(o, s + start, sz - start);
}

enum hs_err
hs_html_puts(const struct hs_out *o, const char *s)
{

	if (s == NULL)
		return HS_OK;
	return hs_html_putsz(o, s, strlen(s));
}

/* hs_vformat's put for hs_html_printf: arg points to the writer. */
static enum hs_err
escape(const char *s, size_t len, void *arg)
{
	const struct hs_out *const *o = arg;

	return hs_html_putsz(*o, s, len);
}

/* Formats (at most HS_MAX_FIELD bytes), then escapes the whole result. */
enum hs_err
hs_html_printf(const struct hs_out *o, const char *fmt, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, fmt);
	e = hs_vformat(HS_MAX_FIELD, escape, &o, fmt, ap);
	va_end(ap);
	return e;
}

/* Unescaped: template text and compile-time constants only. */
enum hs_err
hs_html_raw(const struct hs_out *o, const char *s)
{

	return hs_out_puts(o, s);
}

/*
 * Writes s as a JSON string with its quotes.  Control characters are
 * \u-escaped (kcgi regress test-json-controlchars), and so are < > &
 * so the text is also inert if a browser ever sniffs it as HTML.
 */
enum hs_err
hs_json_puts(const struct hs_out *o, const char *s)
{
	char		 esc[8];
	size_t		 i, start = 0;
	unsigned char	 c;
	enum hs_err	 e;

	if (s == NULL)
		return hs_out_puts(o, "null");
	if ((e = hs_out_puts(o, "\"")) != HS_OK)
		return e;
	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&' && c != 0x7f)
			continue;
		if ((e = hs_out_write(o, s + start, i - start)) != HS_OK)
			return e;
		if (c == '"' || c == '\\')
			(void)snprintf(esc, sizeof(esc), "\\%c", c);
		else
			(void)snprintf(esc, sizeof(esc), "\\u%04x", c);
		if ((e = hs_out_puts(o, esc)) != HS_OK)
			return e;
		start = i + 1;
	}
	if ((e = hs_out_write(o, s + start, i - start)) != HS_OK)
		return e;
	return hs_out_puts(o, "\"");
}

/*
 * Writes s as one CSV cell (RFC 4180, always quoted).  A cell a
 * spreadsheet would run as a formula (= + - @, TAB, CR) gets a leading
 * apostrophe (OWASP CSV injection).
 */
enum hs_err
hs_csv_puts(const struct hs_out *o, const char *s)
{
	size_t		 i, start = 0;
	enum hs_err	 e;

	if (s == NULL)
		s = "";
	if ((e = hs_out_puts(o, "\"")) != HS_OK)
		return e;
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0' &&
	    (e = hs_out_puts(o, "'")) != HS_OK)
		return e;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] != '"')
			continue;
		if ((e = hs_out_write(o, s + start, i + 1 - start)) != HS_OK)
			return e;
		start = i;	/* the quote is written twice */
	}
	if ((e = hs_out_write(o, s + start, i - start)) != HS_OK)
		return e;
	return hs_out_puts(o, "\"");
}
