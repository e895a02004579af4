/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fcgiproto.c: the FastCGI protocol of the responder role (FastCGI
 * specification 1.0, sections 3 to 6) as pure functions over bytes, for
 * fcgimux.c, which owns the sockets.  No I/O here, so the parser is
 * fuzzed and unit-tested on its own (tests/fuzz/fuzz_fcgi.c).
 *
 * What is accepted is what a web server sends: records of version 1; one
 * request at a time per connection (FCGI_MPXS_CONNS is 0, and a second
 * FCGI_BEGIN_REQUEST is refused with FCGI_CANT_MPX_CONN); the responder
 * role only; parameters, then standard input, each ended by an empty
 * record.  Records of other request ids are skipped.  Anything else that
 * breaks the protocol closes the connection: nothing a web server could
 * mean is lost by that, and nothing half-read is ever served.
 */
#include "config.h"

#include <string.h>

#include "hearsay.h"

#define FCGI_HEADER_LEN		8
#define FCGI_VERSION_1		1
#define FCGI_BEGIN_REQUEST	1
#define FCGI_ABORT_REQUEST	2
#define FCGI_END_REQUEST	3
#define FCGI_PARAMS		4
#define FCGI_STDIN		5
#define FCGI_STDOUT		6
#define FCGI_GET_VALUES		9
#define FCGI_GET_VALUES_RESULT	10
#define FCGI_UNKNOWN_TYPE	11
#define FCGI_RESPONDER		1
#define FCGI_KEEP_CONN		1
#define FCGI_REQUEST_COMPLETE	0
#define FCGI_CANT_MPX_CONN	1
#define FCGI_UNKNOWN_ROLE	3
#define FCGI_STDOUT_CHUNK	32768	/* content bytes per STDOUT record */

/* Appends a record header. */
static enum hs_err
header(struct hs_buf *b, int type, unsigned id, size_t len, size_t pad)
{
	unsigned char	 h[FCGI_HEADER_LEN];

	h[0] = FCGI_VERSION_1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = (unsigned char)pad;
	h[7] = 0;
	return hs_buf_add(b, h, sizeof(h));
}

/* Appends FCGI_END_REQUEST for id with the given protocol status. */
static enum hs_err
endrequest(struct hs_buf *b, unsigned id, int status)
{
	unsigned char	 body[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	enum hs_err	 e;

	body[4] = (unsigned char)status;
	if ((e = header(b, FCGI_END_REQUEST, id, sizeof(body), 0)) != HS_OK)
		return e;
	return hs_buf_add(b, body, sizeof(body));
}

void
hs_fcgi_in_init(struct hs_fcgi_in *in)
{

	memset(in, 0, sizeof(*in));
	hs_buf_init(&in->params, HS_FCGI_PARAMS_MAX);
	hs_buf_init(&in->body, HS_FCGI_BODY_MAX);
}

/* Forgets the request (after it was served), keeping the allocations. */
void
hs_fcgi_in_reset(struct hs_fcgi_in *in)
{

	in->id = 0;
	in->keep = 0;
	in->params_done = 0;
	hs_buf_reset(&in->params);
	hs_buf_reset(&in->body);
}

void
hs_fcgi_in_free(struct hs_fcgi_in *in)
{

	hs_buf_free(&in->params);
	hs_buf_free(&in->body);
}

/*
 * One record for the current request (or a new one); c is its content.
 * Returns HS_FCGI_MORE to go on, HS_FCGI_REQUEST when its input ended,
 * HS_FCGI_ERROR to close.
 */
static enum hs_fcgi_ev
record(struct hs_fcgi_in *in, int type, unsigned id, const unsigned char *c,
    size_t len, struct hs_buf *reply)
{
	unsigned char	 unk[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };

	if (id == 0) {
		/* Management records: answered at once, no request. */
		if (type == FCGI_GET_VALUES)
			/* Only the variables we understand: none. */
			return header(reply, FCGI_GET_VALUES_RESULT, 0, 0, 0) ==
			    HS_OK ? HS_FCGI_MORE : HS_FCGI_ERROR;
		unk[0] = (unsigned char)type;
		if (header(reply, FCGI_UNKNOWN_TYPE, 0, sizeof(unk), 0) !=
		    HS_OK || hs_buf_add(reply, unk, sizeof(unk)) != HS_OK)
			return HS_FCGI_ERROR;
		return HS_FCGI_MORE;
	}
	if (type == FCGI_BEGIN_REQUEST) {
		if (len != 8 || id == in->id)
			return HS_FCGI_ERROR;
		if (in->id != 0)
			return endrequest(reply, id, FCGI_CANT_MPX_CONN) ==
			    HS_OK ? HS_FCGI_MORE : HS_FCGI_ERROR;
		if ((c[0] << 8 | c[1]) != FCGI_RESPONDER)
			return endrequest(reply, id, FCGI_UNKNOWN_ROLE) ==
			    HS_OK ? HS_FCGI_MORE : HS_FCGI_ERROR;
		hs_fcgi_in_reset(in);
		in->id = id;
		in->keep = (c[2] & FCGI_KEEP_CONN) != 0;
		return HS_FCGI_MORE;
	}
	if (id != in->id)
		return HS_FCGI_MORE;	/* a refused or finished request's */
	switch (type) {
	case FCGI_ABORT_REQUEST:
		/* Nothing was started: end it unanswered. */
		if (endrequest(reply, id, FCGI_REQUEST_COMPLETE) != HS_OK)
			return HS_FCGI_ERROR;
		hs_fcgi_in_reset(in);
		return HS_FCGI_MORE;
	case FCGI_PARAMS:
		if (in->params_done)
			return HS_FCGI_ERROR;
		if (len == 0)
			in->params_done = 1;
		else if (hs_buf_add(&in->params, c, len) != HS_OK)
			return HS_FCGI_ERROR;
		return HS_FCGI_MORE;
	case FCGI_STDIN:
		if (!in->params_done)
			return HS_FCGI_ERROR;
		if (len == 0)
			return HS_FCGI_REQUEST;
		if (hs_buf_add(&in->body, c, len) != HS_OK)
			return HS_FCGI_ERROR;
		return HS_FCGI_MORE;
	default:
		return HS_FCGI_MORE;	/* FCGI_DATA: not a responder's */
	}
}

/*
 * Consumes the complete records at the start of p[0, n).  Replies that
 * need no handler (management records, refused requests) are appended
 * to reply.  Sets *used to the bytes consumed and returns
 * HS_FCGI_REQUEST when a request is whole (in->id, in->params,
 * in->body; reset it once served, then call again for the rest),
 * HS_FCGI_MORE when the next record is incomplete, HS_FCGI_ERROR on a
 * protocol violation or a request over the limits: close then.
 */
enum hs_fcgi_ev
hs_fcgi_parse(struct hs_fcgi_in *in, const unsigned char *p, size_t n,
    size_t *used, struct hs_buf *reply)
{
	enum hs_fcgi_ev	 ev = HS_FCGI_MORE;
	size_t		 off = 0, len, rec;
	unsigned	 id;

	while (n - off >= FCGI_HEADER_LEN) {
		if (p[off] != FCGI_VERSION_1) {
			ev = HS_FCGI_ERROR;
			break;
		}
		id = (unsigned)p[off + 2] << 8 | p[off + 3];
		len = (size_t)p[off + 4] << 8 | p[off + 5];
		rec = FCGI_HEADER_LEN + len + p[off + 6];
		if (n - off < rec)
			break;
		ev = record(in, p[off + 1], id, p + off + FCGI_HEADER_LEN,
		    len, reply);
		if (ev == HS_FCGI_ERROR)
			break;
		off += rec;
		if (ev == HS_FCGI_REQUEST)
			break;
	}
	*used = off;
	return ev;
}

/* Reads a name-value pair length (1 or 4 bytes); -1 if truncated. */
static long
nvlen(const unsigned char *p, size_t n, size_t *off)
{
	long	 v;

	if (*off >= n)
		return -1;
	if (!(p[*off] & 0x80))
		return p[(*off)++];
	if (n - *off < 4)
		return -1;
	v = (long)(p[*off] & 0x7f) << 24 | (long)p[*off + 1] << 16 |
	    (long)p[*off + 2] << 8 | (long)p[*off + 3];
	*off += 4;
	return v;
}

/*
 * Decodes the name-value pairs of params into env, a NULL-terminated
 * array of at most max - 1 "NAME=value" strings written into space,
 * which must hold params->len bytes: each pair's lengths take at least
 * the two bytes its '=' and NUL need.  Names with '=' or NUL and values
 * with NUL are refused: they could not be told apart in env.  Returns
 * HS_OK, HS_ETOOBIG (too many pairs) or HS_EINVAL.
 */
enum hs_err
hs_fcgi_env(const struct hs_buf *params, char **env, size_t max, char *space)
{
	const unsigned char	*p = (const unsigned char *)params->ptr;
	size_t			 n = params->len, off = 0, k = 0, w = 0;
	long			 nl, vl;

	if (max == 0)
		return HS_ETOOBIG;
	while (off < n) {
		if ((nl = nvlen(p, n, &off)) < 0 ||
		    (vl = nvlen(p, n, &off)) < 0 ||
		    (size_t)nl > n - off || (size_t)vl > n - off - (size_t)nl ||
		    nl == 0)
			return HS_EINVAL;
		if (memchr(p + off, '=', (size_t)nl) != NULL ||
		    memchr(p + off, '\0', (size_t)nl + (size_t)vl) != NULL)
			return HS_EINVAL;
		if (k == max - 1)
			return HS_ETOOBIG;
		env[k++] = space + w;
		memcpy(space + w, p + off, (size_t)nl);
		w += (size_t)nl;
		space[w++] = '=';
		memcpy(space + w, p + off + nl, (size_t)vl);
		w += (size_t)vl;
		space[w++] = '\0';
		off += (size_t)nl + (size_t)vl;
	}
	env[k] = NULL;
	return HS_OK;
}

/*
 * Appends the response of request id: p[0, n) as FCGI_STDOUT records,
 * the empty one that ends the stream, and FCGI_END_REQUEST.
 */
enum hs_err
hs_fcgi_respond(struct hs_buf *b, unsigned id, const char *p, size_t n)
{
	enum hs_err	 e;
	size_t		 k, pad;

	while (n > 0) {
		k = n < FCGI_STDOUT_CHUNK ? n : FCGI_STDOUT_CHUNK;
		/* Padding to 8 bytes keeps the next header aligned (3.3). */
		pad = (8 - k % 8) % 8;
		if ((e = header(b, FCGI_STDOUT, id, k, pad)) != HS_OK ||
		    (e = hs_buf_add(b, p, k)) != HS_OK ||
		    (e = hs_buf_add(b, "\0\0\0\0\0\0\0", pad)) != HS_OK)
			return e;
		p += k;
		n -= k;
	}
	if ((e = header(b, FCGI_STDOUT, id, 0, 0)) != HS_OK)
		return e;
	return endrequest(b, id, FCGI_REQUEST_COMPLETE);
}
