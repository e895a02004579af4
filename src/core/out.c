/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * out.c: struct hs_out, the one writer interface every handler and
 * template writes through (kcgi's kcgi_writer).  Backends: an hs_buf
 * (tests, pages assembled before sending), a file descriptor (CGI mode
 * and command-line tools); fcgi.c adds the FastCGI stream.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

enum hs_err
hs_out_write(const struct hs_out *o, const void *p, size_t sz)
{

	if (sz == 0)
		return HS_OK;
	return o->write(p, sz, o->arg);
}

enum hs_err
hs_out_puts(const struct hs_out *o, const char *s)
{

	return hs_out_write(o, s, strlen(s));
}

/*
 * Formats fmt with ap into a buffer of at most max bytes, then hands
 * the whole result to put (s NUL-terminated, len bytes, and arg) in
 * one call, so that a writer escapes or stores it as a whole: the
 * printf of hs_out_printf, hs_html_printf and the report's table cells.
 * Returns HS_ETOOBIG past max bytes of output, else as put.
 */
enum hs_err
hs_vformat(size_t max, hs_put_fn put, void *arg, const char *fmt,
    va_list ap)
{
	struct hs_buf	 b;
	enum hs_err	 e;

	hs_buf_init(&b, max);
	if ((e = hs_buf_vprintf(&b, fmt, ap)) == HS_OK)
		e = put(hs_buf_str(&b), b.len, arg);
	hs_buf_free(&b);
	return e;
}

/* hs_vformat's put for hs_out_printf: arg points to the writer. */
static enum hs_err
output(const char *s, size_t len, void *arg)
{
	const struct hs_out *const *o = arg;

	return hs_out_write(*o, s, len);
}

/*
 * Formats into a bounded buffer, then writes.  Returns HS_ETOOBIG past
 * HS_MAX_PAGE bytes of output, else as the backend.
 */
enum hs_err
hs_out_printf(const struct hs_out *o, const char *fmt, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, fmt);
	e = hs_vformat(HS_MAX_PAGE, output, &o, fmt, ap);
	va_end(ap);
	return e;
}

static enum hs_err
bufwrite(const char *p, size_t sz, void *arg)
{

	return hs_buf_add(arg, p, sz);
}

void
hs_out_buf(struct hs_out *o, struct hs_buf *b)
{

	o->write = bufwrite;
	o->arg = b;
}

/* Writes all bytes, retrying short writes and EINTR. */
static enum hs_err
fdwrite(const char *p, size_t sz, void *arg)
{
	int	 fd = *(int *)arg;
	ssize_t	 n;

	while (sz > 0) {
		if ((n = write(fd, p, sz)) < 0) {
			if (errno == EINTR)
				continue;
			return HS_EWRITE;
		}
		p += n;
		sz -= (size_t)n;
	}
	return HS_OK;
}

/* The fd is read through the pointer, so it must outlive the writer. */
void
hs_out_fd(struct hs_out *o, int *fd)
{

	o->write = fdwrite;
	o->arg = fd;
}
