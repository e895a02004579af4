/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * buf.c: struct hs_buf, a growable, always NUL-terminated byte buffer
 * with a hard cap chosen at init (curl's dynbuf).  A failed append
 * leaves the buffer as it was, so callers can report and carry on.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define BUF_MINALLOC	64	/* first allocation, bytes */

void
hs_buf_init(struct hs_buf *b, size_t max)
{

	b->ptr = NULL;
	b->len = b->alloc = 0;
	b->max = max;
}

void
hs_buf_free(struct hs_buf *b)
{

	if (b == NULL)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->alloc = 0;
}

/* Keeps the allocation, forgets the contents. */
void
hs_buf_reset(struct hs_buf *b)
{

	b->len = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

/*
 * Appends sz bytes.  Returns HS_ETOOBIG past the cap, HS_ENOMEM when
 * growing fails, else HS_OK.  Growth doubles, clamped to cap + 1.
 */
enum hs_err
hs_buf_add(struct hs_buf *b, const void *p, size_t sz)
{
	size_t	 need, na;
	char	*np;

	if (sz > b->max || b->len > b->max - sz)
		return HS_ETOOBIG;
	need = b->len + sz + 1;
	if (need > b->alloc) {
		na = b->alloc < BUF_MINALLOC ? BUF_MINALLOC : b->alloc;
		while (na < need)
			na = na > SIZE_MAX / 2 ? need : na * 2;
		if (na > b->max + 1)
			na = b->max + 1;
		if ((np = hs_xreallocarray(b->ptr, 1, na)) == NULL)
			return HS_ENOMEM;
		b->ptr = np;
		b->alloc = na;
	}
	if (sz > 0)
		memcpy(b->ptr + b->len, p, sz);
	b->len += sz;
	b->ptr[b->len] = '\0';
	return HS_OK;
}

enum hs_err
hs_buf_puts(struct hs_buf *b, const char *s)
{

	return hs_buf_add(b, s, strlen(s));
}

enum hs_err
hs_buf_putc(struct hs_buf *b, char c)
{

	return hs_buf_add(b, &c, 1);
}

/*
 * Appends formatted text.  Returns as hs_buf_add, or HS_EINVAL when the
 * format itself fails.
 */
enum hs_err
hs_buf_vprintf(struct hs_buf *b, const char *fmt, va_list ap)
{
	char		 small[256], *big = NULL;
	int		 n;
	va_list		 ap2;
	enum hs_err	 e;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		e = HS_EINVAL;
		goto out;
	}
	if ((size_t)n < sizeof(small)) {
		e = hs_buf_add(b, small, (size_t)n);
		goto out;
	}
	if ((size_t)n > b->max) {
		e = HS_ETOOBIG;
		goto out;
	}
	if ((big = hs_xmalloc((size_t)n + 1)) == NULL) {
		e = HS_ENOMEM;
		goto out;
	}
	(void)vsnprintf(big, (size_t)n + 1, fmt, ap2);
	e = hs_buf_add(b, big, (size_t)n);
out:
	free(big);
	va_end(ap2);
	return e;
}

enum hs_err
hs_buf_printf(struct hs_buf *b, const char *fmt, ...)
{
	va_list		 ap;
	enum hs_err	 e;

	va_start(ap, fmt);
	e = hs_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

/* Returns the contents, "" when nothing was ever added. */
const char *
hs_buf_str(const struct hs_buf *b)
{

	return b->ptr != NULL ? b->ptr : "";
}

/*
 * Hands the allocation to the caller (who frees it) and leaves the
 * buffer empty.  Returns NULL when nothing was ever added.
 */
char *
hs_buf_take(struct hs_buf *b)
{
	char	*p = b->ptr;

	b->ptr = NULL;
	b->len = b->alloc = 0;
	return p;
}
