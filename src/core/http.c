/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * http.c: the response.  Handlers add headers, then hs_http_open writes
 * the status, Content-Type, the security headers every page gets by
 * default (nosniff, frame denial, a strict CSP, no-store unless the
 * handler chose a cache policy) and the blank line, like kcgi-framework's
 * http_open.  A header value carrying CR, LF or any control byte is
 * refused before it can split a response.  HEAD gets headers only.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "hearsay.h"

/* The default policy: no script at all, styles and images from us. */
#define HS_CSP	"default-src 'none'; style-src 'self'; img-src 'self' data:; " \
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" },
	{ 201, "Created" },
	{ 202, "Accepted" },
	{ 204, "No Content" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 400, N_("Bad Request") },
	{ 401, N_("Unauthorized") },
	{ 403, N_("Forbidden") },
	{ 404, N_("Not Found") },
	{ 405, N_("Method Not Allowed") },
	{ 409, N_("Conflict") },
	{ 410, N_("Gone") },
	{ 411, N_("Length Required") },
	{ 413, N_("Content Too Large") },
	{ 415, N_("Unsupported Media Type") },
	{ 422, N_("Unprocessable Content") },
	{ 429, N_("Too Many Requests") },
	{ 500, N_("Internal Server Error") },
	{ 503, N_("Service Unavailable") },
};

const char *
hs_http_reason(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return "Unknown";
}

/* The one mapping from library errors to HTTP (STYLE.md section 3). */
int
hs_http_status_of(enum hs_err e)
{

	switch (e) {
	case HS_OK:
		return 200;
	case HS_EINVAL:
	case HS_EENCODING:
	case HS_EUTF8:
	case HS_EDUP:
	case HS_ESHORT:
	case HS_EHEADER:
		return 400;
	case HS_ENOTFOUND:
		return 404;
	case HS_ETOOBIG:
		return 413;
	case HS_EMEDIA:
		return 415;
	case HS_EAGAIN:
	case HS_EFULL:
		return 503;
	default:
		return 500;
	}
}

/* Returns 1 if s holds a byte that must never be in a header. */
static int
badbytes(const char *s)
{

	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Returns 1 if a header of this name was already added. */
static int
hashdr(const struct hs_req *r, const char *name)
{
	const char	*p = hs_buf_str(&r->hdrs);
	size_t		 n = strlen(name);

	while (*p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return 1;
		if ((p = strstr(p, "\r\n")) == NULL)
			break;
		p += 2;
	}
	return 0;
}

/*
 * Queues "name: value".  Returns HS_EHEADER (logged, nothing queued) for
 * a name that is not a token or a value with control bytes, HS_EINVAL
 * once headers are sent, else as hs_buf_printf.
 */
enum hs_err
hs_http_header(struct hs_req *r, const char *name, const char *value)
{
	const char	*p;

	if (r->hdrs_sent)
		return HS_EINVAL;
	for (p = name; *p != '\0'; p++)
		if (!(*p == '-' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			break;
	if (*name == '\0' || *p != '\0' || badbytes(value)) {
		hs_log(HS_LOG_ERR, "refused header %.40s: control byte or "
		    "bad name", name);
		return HS_EHEADER;
	}
	return hs_buf_printf(&r->hdrs, "%s: %s\r\n", name, value);
}

/*
 * Writes status, Content-Type (with charset for text types), the queued
 * headers and the defaults not overridden, then the blank line.  mime
 * may be NULL for a response without a body.
 */
enum hs_err
hs_http_open(struct hs_req *r, int code, const char *mime)
{
	struct hs_buf	 b;
	enum hs_err	 e;

	if (r->hdrs_sent)
		return HS_EINVAL;
	hs_buf_init(&b, HS_MAX_HEADERS * 2);
	r->status = code;
	if ((e = hs_buf_printf(&b, "Status: %d %s\r\n", code,
	    hs_http_reason(code))) != HS_OK)
		goto out;
	if (mime != NULL && (e = hs_buf_printf(&b, "Content-Type: %s%s\r\n",
	    mime, strncmp(mime, "text/", 5) == 0 ||
	    strcmp(mime, "application/json") == 0 ||
	    strcmp(mime, "image/svg+xml") == 0 ?
	    "; charset=utf-8" : "")) != HS_OK)
		goto out;
	if ((e = hs_buf_puts(&b, "X-Content-Type-Options: nosniff\r\n"))
	    != HS_OK)
		goto out;
	if (!hashdr(r, "X-Frame-Options") &&
	    (e = hs_buf_puts(&b, "X-Frame-Options: DENY\r\n")) != HS_OK)
		goto out;
	if (!hashdr(r, "Content-Security-Policy") &&
	    (e = hs_buf_puts(&b, "Content-Security-Policy: " HS_CSP "\r\n"))
	    != HS_OK)
		goto out;
	if (!hashdr(r, "Referrer-Policy") && (e = hs_buf_puts(&b,
	    "Referrer-Policy: strict-origin-when-cross-origin\r\n")) != HS_OK)
		goto out;
	if (!hashdr(r, "Cache-Control") &&
	    (e = hs_buf_puts(&b, "Cache-Control: no-store\r\n")) != HS_OK)
		goto out;
	if ((e = hs_buf_add(&b, hs_buf_str(&r->hdrs), r->hdrs.len)) != HS_OK ||
	    (e = hs_buf_puts(&b, "\r\n")) != HS_OK)
		goto out;
	r->hdrs_sent = 1;
	e = hs_out_write(&r->out, b.ptr, b.len);
out:
	hs_buf_free(&b);
	return e;
}

/* Body bytes; dropped for HEAD, whose answer is headers only. */
enum hs_err
hs_http_write(struct hs_req *r, const void *p, size_t sz)
{

	if (!r->hdrs_sent)
		return HS_EINVAL;
	if (r->method == HS_METHOD_HEAD)
		return HS_OK;
	return hs_out_write(&r->out, p, sz);
}

/*
 * Answers a redirect to loc, which the caller built from stored data
 * only.  Refused (HS_EHEADER, nothing written) if loc has control
 * bytes; redirects are never cached, or a repeat visit goes uncounted.
 */
enum hs_err
hs_http_redirect(struct hs_req *r, int code, const char *loc)
{
	enum hs_err	 e;

	if ((e = hs_http_header(r, "Location", loc)) != HS_OK)
		return e;
	return hs_http_open(r, code, NULL);
}

/*
 * A small HTML error page with a human message (escaped).  Safe to call
 * at any point: once headers are out it only logs.
 */
enum hs_err
hs_http_error(struct hs_req *r, int code, const char *msg)
{
	enum hs_err	 e;

	if (r->hdrs_sent) {
		hs_log(HS_LOG_WARN, "error %d after headers: %s", code, msg);
		return HS_EINVAL;
	}
	if (code == 405 && !hashdr(r, "Allow") &&
	    (e = hs_http_header(r, "Allow", "GET, HEAD")) != HS_OK)
		return e;
	if ((e = hs_http_open(r, code, "text/html")) != HS_OK)
		return e;
	if (r->method == HS_METHOD_HEAD)
		return HS_OK;
	/* In the request's language (i18n.c); the status line stays. */
	if ((e = hs_out_printf(&r->out, "<!doctype html>\n<html lang=\"%s\">"
	    "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content="
	    "\"width=device-width,initial-scale=1\"><title>%d ", hs_lang(),
	    code)) != HS_OK ||
	    (e = hs_html_puts(&r->out, _(hs_http_reason(code)))) != HS_OK ||
	    (e = hs_out_puts(&r->out, "</title><link rel=\"stylesheet\" "
	    "href=\"/static/hearsay.css\"></head><body><main class=\"error\">"
	    "<h1>")) != HS_OK ||
	    (e = hs_html_puts(&r->out, _(hs_http_reason(code)))) != HS_OK ||
	    (e = hs_out_puts(&r->out, "</h1><p>")) != HS_OK ||
	    (e = hs_html_puts(&r->out, _(msg))) != HS_OK)
		return e;
	return hs_out_puts(&r->out, "</p></main></body></html>\n");
}
