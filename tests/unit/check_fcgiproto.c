/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_fcgiproto.c: the FastCGI records of fcgiproto.c, built here by
 * hand as nginx sends them: whole, split at every byte, pipelined, and
 * broken in each way the parser must refuse or answer itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "hearsay.h"
#include "hs_check.h"

#define T_BEGIN		1
#define T_ABORT		2
#define T_END		3
#define T_PARAMS	4
#define T_STDIN		5
#define T_STDOUT	6
#define T_VALUES	9
#define T_VALUES_RES	10
#define T_UNKNOWN	11

static struct hs_buf	 wire, reply;
static struct hs_fcgi_in in;

static void
setup(void)
{

	hs_buf_init(&wire, 1024 * 1024);
	hs_buf_init(&reply, 1024 * 1024);
	hs_fcgi_in_init(&in);
}

static void
teardown(void)
{

	hs_buf_free(&wire);
	hs_buf_free(&reply);
	hs_fcgi_in_free(&in);
}

static void
rec(struct hs_buf *b, int type, unsigned id, const void *p, size_t n,
    size_t pad)
{
	unsigned char	 h[8] = { 1, (unsigned char)type,
	    (unsigned char)(id >> 8), (unsigned char)id,
	    (unsigned char)(n >> 8), (unsigned char)n, (unsigned char)pad, 0 };
	static const char zeros[255];

	ck_assert_int_eq(hs_buf_add(b, h, 8), HS_OK);
	ck_assert_int_eq(hs_buf_add(b, p, n), HS_OK);
	ck_assert_int_eq(hs_buf_add(b, zeros, pad), HS_OK);
}

static void
begin(struct hs_buf *b, unsigned id, int role, int keep)
{
	unsigned char	 body[8] = { 0, (unsigned char)role,
	    (unsigned char)keep, 0, 0, 0, 0, 0 };

	rec(b, T_BEGIN, id, body, sizeof(body), 0);
}

/* Appends one name-value pair, with 4-byte lengths past 127. */
static void
nv(struct hs_buf *b, const char *name, const char *val)
{
	size_t		 l[2] = { strlen(name), strlen(val) };
	unsigned char	 e[4];
	int		 i;

	for (i = 0; i < 2; i++) {
		if (l[i] < 128) {
			e[0] = (unsigned char)l[i];
			ck_assert_int_eq(hs_buf_add(b, e, 1), HS_OK);
		} else {
			e[0] = (unsigned char)(0x80 | l[i] >> 24);
			e[1] = (unsigned char)(l[i] >> 16);
			e[2] = (unsigned char)(l[i] >> 8);
			e[3] = (unsigned char)l[i];
			ck_assert_int_eq(hs_buf_add(b, e, 4), HS_OK);
		}
	}
	ck_assert_int_eq(hs_buf_puts(b, name), HS_OK);
	ck_assert_int_eq(hs_buf_puts(b, val), HS_OK);
}

static char	 longval[300];

/* A GET as nginx sends it: params in two records, then empty stdin. */
static void
request(struct hs_buf *b, unsigned id, int keep, const char *body)
{
	struct hs_buf	 p;

	memset(longval, 'v', sizeof(longval) - 1);
	hs_buf_init(&p, 4096);
	nv(&p, "SCRIPT_NAME", "/i/7K2M-9QXA");
	nv(&p, "HTTP_USER_AGENT", longval);
	nv(&p, "EMPTY", "");
	begin(b, id, 1, keep);
	rec(b, T_PARAMS, id, p.ptr, 20, 4);
	rec(b, T_PARAMS, id, p.ptr + 20, p.len - 20, 0);
	rec(b, T_PARAMS, id, NULL, 0, 0);
	if (body != NULL)
		rec(b, T_STDIN, id, body, strlen(body), 3);
	rec(b, T_STDIN, id, NULL, 0, 0);
	hs_buf_free(&p);
}

static void
check_env(void)
{
	char	*env[8], *space;

	space = malloc(in.params.len);
	ck_assert_ptr_nonnull(space);
	ck_assert_int_eq(hs_fcgi_env(&in.params, env, 8, space), HS_OK);
	ck_assert_str_eq(env[0], "SCRIPT_NAME=/i/7K2M-9QXA");
	ck_assert_str_eq(env[1] + strlen("HTTP_USER_AGENT="), longval);
	ck_assert_str_eq(env[2], "EMPTY=");
	ck_assert_ptr_null(env[3]);
	ck_assert_str_eq(hs_req_param(env, "HTTP_USER_AGENT"), longval);
	free(space);
}

START_TEST(whole_request)
{
	size_t	 used;

	request(&wire, 7, 1, "a=1&b=2");
	ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr,
	    wire.len, &used, &reply), HS_FCGI_REQUEST);
	ck_assert_uint_eq(used, wire.len);
	ck_assert_uint_eq(in.id, 7);
	ck_assert_int_eq(in.keep, 1);
	ck_assert_str_eq(in.body.ptr, "a=1&b=2");
	ck_assert_uint_eq(reply.len, 0);
	check_env();
}
END_TEST

/* Every split point: nothing before the last byte, then the request. */
START_TEST(split_everywhere)
{
	size_t	 cut, used, off;

	request(&wire, 1, 0, NULL);
	for (cut = 0; cut < wire.len; cut++) {
		hs_fcgi_in_reset(&in);
		off = 0;
		ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr,
		    cut, &used, &reply), HS_FCGI_MORE);
		off = used;
		ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr +
		    off, wire.len - off, &used, &reply), HS_FCGI_REQUEST);
		ck_assert_uint_eq(off + used, wire.len);
		ck_assert_int_eq(in.keep, 0);
		ck_assert_uint_eq(in.body.len, 0);
		check_env();
	}
	ck_assert_uint_eq(reply.len, 0);
}
END_TEST

START_TEST(pipelined)
{
	size_t	 used, first;

	request(&wire, 1, 1, "x");
	first = wire.len;
	request(&wire, 2, 1, NULL);
	ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr,
	    wire.len, &used, &reply), HS_FCGI_REQUEST);
	ck_assert_uint_eq(used, first);
	ck_assert_str_eq(in.body.ptr, "x");
	hs_fcgi_in_reset(&in);
	ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr + first,
	    wire.len - first, &used, &reply), HS_FCGI_REQUEST);
	ck_assert_uint_eq(in.id, 2);
	ck_assert_uint_eq(in.body.len, 0);
}
END_TEST

static enum hs_fcgi_ev
parse_all(void)
{
	size_t	 used;

	return hs_fcgi_parse(&in, (unsigned char *)wire.ptr, wire.len, &used,
	    &reply);
}

START_TEST(refused_as_broken)
{
	unsigned char	 big[60000];

	memset(big, 'x', sizeof(big));
	/* Not version 1. */
	request(&wire, 1, 1, NULL);
	wire.ptr[0] = 2;
	ck_assert_int_eq(parse_all(), HS_FCGI_ERROR);
	/* Standard input before the parameters ended. */
	hs_buf_reset(&wire);
	hs_fcgi_in_reset(&in);
	begin(&wire, 1, 1, 1);
	rec(&wire, T_STDIN, 1, "x", 1, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_ERROR);
	/* A BEGIN_REQUEST body that is not 8 bytes. */
	hs_buf_reset(&wire);
	hs_fcgi_in_reset(&in);
	rec(&wire, T_BEGIN, 1, "\0\1\1", 3, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_ERROR);
	/* Parameters past HS_FCGI_PARAMS_MAX. */
	hs_buf_reset(&wire);
	hs_fcgi_in_reset(&in);
	begin(&wire, 1, 1, 1);
	rec(&wire, T_PARAMS, 1, big, sizeof(big), 0);
	rec(&wire, T_PARAMS, 1, big, sizeof(big), 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_ERROR);
	/* Parameters again after their end. */
	hs_buf_reset(&wire);
	hs_fcgi_in_reset(&in);
	begin(&wire, 1, 1, 1);
	rec(&wire, T_PARAMS, 1, NULL, 0, 0);
	rec(&wire, T_PARAMS, 1, "\1\1ab", 4, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_ERROR);
}
END_TEST

/* The 8 bytes of an END_REQUEST at reply + off. */
static void
check_end(size_t off, unsigned id, int status)
{
	const unsigned char	*p = (unsigned char *)reply.ptr + off;

	ck_assert_uint_ge(reply.len, off + 16);
	ck_assert_int_eq(p[1], T_END);
	ck_assert_uint_eq((unsigned)p[2] << 8 | p[3], id);
	ck_assert_int_eq(p[5], 8);
	ck_assert_int_eq(p[8 + 4], status);
}

START_TEST(answered_by_the_parser)
{
	size_t	 used;

	/* A second request while one runs: FCGI_CANT_MPX_CONN, skipped. */
	begin(&wire, 1, 1, 1);
	begin(&wire, 2, 1, 1);
	rec(&wire, T_PARAMS, 2, "\1\1ab", 4, 0);
	rec(&wire, T_PARAMS, 1, "\1\1ab", 4, 0);
	rec(&wire, T_PARAMS, 1, NULL, 0, 0);
	rec(&wire, T_STDIN, 1, NULL, 0, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_REQUEST);
	ck_assert_uint_eq(in.id, 1);
	ck_assert_str_eq(in.params.ptr, "\1\1ab");
	ck_assert_uint_eq(reply.len, 16);
	check_end(0, 2, 1);
	/* Another role: FCGI_UNKNOWN_ROLE, and no request begun. */
	hs_buf_reset(&wire);
	hs_buf_reset(&reply);
	hs_fcgi_in_reset(&in);
	begin(&wire, 3, 2, 0);
	ck_assert_int_eq(hs_fcgi_parse(&in, (unsigned char *)wire.ptr,
	    wire.len, &used, &reply), HS_FCGI_MORE);
	ck_assert_uint_eq(used, wire.len);
	ck_assert_uint_eq(in.id, 0);
	check_end(0, 3, 3);
	/* Management records: GET_VALUES, and an unknown type. */
	hs_buf_reset(&wire);
	hs_buf_reset(&reply);
	rec(&wire, T_VALUES, 0, "\x0e\0FCGI_MAX_CONNS", 16, 0);
	rec(&wire, 42, 0, NULL, 0, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_MORE);
	ck_assert_uint_eq(reply.len, 8 + 16);
	ck_assert_int_eq((unsigned char)reply.ptr[1], T_VALUES_RES);
	ck_assert_int_eq((unsigned char)reply.ptr[8 + 1], T_UNKNOWN);
	ck_assert_int_eq((unsigned char)reply.ptr[16], 42);
	/* An abort ends the request unanswered. */
	hs_buf_reset(&wire);
	hs_buf_reset(&reply);
	begin(&wire, 5, 1, 1);
	rec(&wire, T_ABORT, 5, NULL, 0, 0);
	ck_assert_int_eq(parse_all(), HS_FCGI_MORE);
	ck_assert_uint_eq(in.id, 0);
	check_end(0, 5, 0);
}
END_TEST

START_TEST(env_refusals)
{
	char		*env[3], space[64];
	struct hs_buf	 p;

	hs_buf_init(&p, 64);
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_OK);
	ck_assert_ptr_null(env[0]);
	nv(&p, "A=B", "c");		/* '=' in a name */
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_EINVAL);
	hs_buf_reset(&p);
	ck_assert_int_eq(hs_buf_add(&p, "\1\3ab\0c", 6), HS_OK); /* NUL */
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_EINVAL);
	hs_buf_reset(&p);
	ck_assert_int_eq(hs_buf_add(&p, "\1\x80\0\0", 4), HS_OK); /* cut */
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_EINVAL);
	hs_buf_reset(&p);
	ck_assert_int_eq(hs_buf_add(&p, "\0\1x", 3), HS_OK); /* no name */
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_EINVAL);
	hs_buf_reset(&p);
	nv(&p, "A", "1");
	nv(&p, "B", "2");
	nv(&p, "C", "3");		/* one more than env holds */
	ck_assert_int_eq(hs_fcgi_env(&p, env, 3, space), HS_ETOOBIG);
	hs_buf_free(&p);
}
END_TEST

START_TEST(response_framing)
{
	static char	 page[70000];
	struct hs_buf	 got;
	const unsigned char *p;
	size_t		 off = 0, len, records = 0;

	memset(page, 'p', sizeof(page));
	page[0] = 'S';
	page[sizeof(page) - 1] = 'E';
	hs_buf_init(&got, sizeof(page));
	ck_assert_int_eq(hs_fcgi_respond(&reply, 9, page, sizeof(page)),
	    HS_OK);
	for (;;) {
		p = (unsigned char *)reply.ptr + off;
		ck_assert_int_eq(p[0], 1);
		ck_assert_uint_eq((unsigned)p[2] << 8 | p[3], 9);
		len = (size_t)p[4] << 8 | p[5];
		ck_assert_int_eq((8 + len + p[6]) % 8, 0);
		if (p[1] != T_STDOUT)
			break;
		ck_assert_int_eq(hs_buf_add(&got, p + 8, len), HS_OK);
		off += 8 + len + p[6];
		records++;
	}
	/* Three STDOUT records with content, the empty one, the end. */
	ck_assert_uint_eq(records, 4);
	ck_assert_uint_eq(got.len, sizeof(page));
	ck_assert(memcmp(got.ptr, page, sizeof(page)) == 0);
	check_end(off, 9, 0);
	ck_assert_uint_eq(reply.len, off + 16);
	hs_buf_free(&got);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("fcgiproto");
	TCase	*t = tcase_create("records");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, whole_request);
	tcase_add_test(t, split_everywhere);
	tcase_add_test(t, pipelined);
	tcase_add_test(t, refused_as_broken);
	tcase_add_test(t, answered_by_the_parser);
	tcase_add_test(t, env_refusals);
	tcase_add_test(t, response_framing);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
