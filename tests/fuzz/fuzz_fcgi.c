/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fuzz_fcgi.c: libFuzzer harness for fcgiproto.c, the FastCGI records a
 * redirector worker reads from nginx.  The input is fed the way
 * fcgimux.c feeds it: in reads of a size taken from the first byte,
 * buffered, parsed, the parsed bytes dropped.  Each whole request is
 * decoded into an environment and answered.  Invariants: the parser
 * never claims bytes it was not given, stops only at an incomplete
 * record, keeps within its limits, and the environment and the answer
 * hold exactly what they should.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define INVARIANT(x)	do { if (!(x)) abort(); } while (0)
#define FUZZ_ENV_MAX	16

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Decodes and answers the request in in; checks both. */
static void
served(struct hs_fcgi_in *in)
{
	char		*env[FUZZ_ENV_MAX], *space;
	struct hs_buf	 out;
	const unsigned char *p;
	size_t		 i, total = 0, off = 0, len, got = 0;

	INVARIANT(in->id != 0 && in->params_done);
	INVARIANT(in->params.len <= HS_FCGI_PARAMS_MAX);
	INVARIANT(in->body.len <= HS_FCGI_BODY_MAX);
	if ((space = malloc(in->params.len + 1)) == NULL)
		return;
	if (hs_fcgi_env(&in->params, env, FUZZ_ENV_MAX, space) == HS_OK) {
		for (i = 0; env[i] != NULL; i++) {
			INVARIANT(i < FUZZ_ENV_MAX - 1);
			INVARIANT(env[i] >= space &&
			    env[i] < space + in->params.len);
			INVARIANT(strchr(env[i], '=') > env[i]);
			total += strlen(env[i]) + 1;
		}
		INVARIANT(total <= in->params.len);
	}
	free(space);

	/* The body echoed back must come out whole, in records. */
	hs_buf_init(&out, 2 * HS_FCGI_BODY_MAX);
	INVARIANT(hs_fcgi_respond(&out, in->id, in->body.ptr, in->body.len) ==
	    HS_OK);
	for (;;) {
		INVARIANT(out.len - off >= 8);
		p = (unsigned char *)out.ptr + off;
		len = (size_t)p[4] << 8 | p[5];
		INVARIANT(((unsigned)p[2] << 8 | p[3]) == in->id);
		if (p[1] != 6)
			break;
		INVARIANT(len == 0 || memcmp(p + 8, in->body.ptr + got, len) ==
		    0);
		got += len;
		off += 8 + len + p[6];
	}
	INVARIANT(got == in->body.len && p[1] == 3 && off + 16 == out.len);
	hs_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_fcgi_in	 in;
	struct hs_buf		 buf, reply;
	enum hs_fcgi_ev		 ev = HS_FCGI_MORE;
	size_t			 chunk, pos = 1, used, off, rec;
	const unsigned char	*p;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] * 7 + 1;	/* bytes per "read" */
	hs_fcgi_in_init(&in);
	hs_buf_init(&buf, 2 * (8 + 65535 + 255));
	hs_buf_init(&reply, 1024 * 1024);
	while (pos < size && ev != HS_FCGI_ERROR) {
		if (chunk > size - pos)
			chunk = size - pos;
		if (hs_buf_add(&buf, data + pos, chunk) != HS_OK)
			break;
		pos += chunk;
		off = 0;
		for (;;) {
			ev = hs_fcgi_parse(&in, (unsigned char *)buf.ptr + off,
			    buf.len - off, &used, &reply);
			INVARIANT(used <= buf.len - off);
			off += used;
			if (ev != HS_FCGI_REQUEST)
				break;
			served(&in);
			hs_fcgi_in_reset(&in);
		}
		if (ev == HS_FCGI_MORE && buf.len - off >= 8) {
			/* Stopped only because the record is incomplete. */
			p = (unsigned char *)buf.ptr + off;
			rec = 8 + ((size_t)p[4] << 8 | p[5]) + p[6];
			INVARIANT(rec > buf.len - off);
		}
		memmove(buf.ptr, buf.ptr + off, buf.len - off);
		buf.len -= off;
	}
	hs_buf_free(&buf);
	hs_buf_free(&reply);
	hs_fcgi_in_free(&in);
	return 0;
}
