/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_req.c: struct hs_req from FastCGI parameters: method, path and
 * query, strict Content-Length, the body reader (short, oversized,
 * interrupted), the form content-type gate, cookies, and the client
 * address behind trusted proxies.  TESTING.md 3a rows 1, 5, 6, 8, 16, 20.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define ENV_MAX		32	/* parameters in one test request */

/* A fake FastCGI stream: hands out data in chunks, can fail or stall. */
struct stream {
	const char	*data;
	size_t		 len;	/* bytes available before EOF */
	size_t		 pos;
	size_t		 chunk;	/* at most this per read; 0: all */
	int		 eintr;	/* fail this many reads with EINTR */
	int		 eio;	/* fail the next read with EIO */
	int		 reads;	/* calls seen */
};

static ssize_t
stream_read(char *buf, size_t sz, void *arg)
{
	struct stream	*s = arg;
	size_t		 n;

	s->reads++;
	if (s->eintr > 0) {
		s->eintr--;
		errno = EINTR;
		return -1;
	}
	if (s->eio) {
		errno = EIO;
		return -1;
	}
	n = s->len - s->pos;
	if (n > sz)
		n = sz;
	if (s->chunk != 0 && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/*
 * Builds a NULL-terminated envp from NULL-terminated "NAME=value"
 * arguments into env (ENV_MAX + 1 slots).
 */
static char **
mkenv(char **env, ...)
{
	va_list		 ap;
	const char	*s;
	size_t		 n = 0;

	va_start(ap, env);
	while ((s = va_arg(ap, const char *)) != NULL) {
		ck_assert_uint_lt(n, ENV_MAX);
		env[n++] = (char *)s;
	}
	va_end(ap);
	env[n] = NULL;
	return env;
}

static void
setup(void)
{

	hs_crypto_init();
	hs_log_init("check_req", HS_LOG_DEBUG);
}

START_TEST(test_param)
{
	char	*env[ENV_MAX + 1];

	mkenv(env, "HTTP_X_Y=1", "HTTP_X=2", "EMPTY=", "EQ==x", NULL);
	ck_assert_str_eq(hs_req_param(env, "HTTP_X"), "2");
	ck_assert_str_eq(hs_req_param(env, "HTTP_X_Y"), "1");
	ck_assert_str_eq(hs_req_param(env, "EMPTY"), "");
	ck_assert_str_eq(hs_req_param(env, "EQ"), "=x");
	ck_assert_ptr_null(hs_req_param(env, "HTTP"));
	ck_assert_ptr_null(hs_req_param(env, "NOPE"));
	ck_assert_ptr_null(hs_req_param(NULL, "HTTP_X"));
	ck_assert_ptr_null(hs_req_param(env, NULL));
}
END_TEST

START_TEST(test_init)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];
	char		 first[HS_REQID_LEN + 1];
	const char	*v;
	size_t		 i;

	mkenv(env, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s/welcome",
	    "QUERY_STRING=a=1&b=%C3%A9", "CONTENT_LENGTH=12",
	    "CONTENT_TYPE=application/x-www-form-urlencoded",
	    "HTTP_USER_AGENT=Mozilla/5.0", "HTTP_REFERER=https://r.example/",
	    "HTTP_HOST=go.example", "HTTP_ORIGIN=https://go.example",
	    "HTTP_SEC_FETCH_SITE=same-origin", "HTTP_SEC_PURPOSE=prefetch",
	    "HTTP_PURPOSE=ignored", "HTTPS=on", "REMOTE_ADDR=192.0.2.1",
	    "HTTP_COOKIE=hs_click=abc; other=1", "HTTP_IF_NONE_MATCH=\"e1\"",
	    "HTTP_AUTHORIZATION=Bearer k", "HTTP_IDEMPOTENCY_KEY=i-1", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_int_eq(r.method, HS_METHOD_POST);
	ck_assert_str_eq(r.path, "/s/welcome");
	ck_assert_str_eq(r.query, "a=1&b=%C3%A9");
	ck_assert_uint_eq(r.qvsz, 2);
	ck_assert_int_eq(hs_kv_get(r.qv, r.qvsz, "b", &v), HS_OK);
	ck_assert_str_eq(v, "\xc3\xa9");
	ck_assert_int_eq(r.content_length, 12);
	ck_assert_str_eq(r.content_type, "application/x-www-form-urlencoded");
	ck_assert_str_eq(r.user_agent, "Mozilla/5.0");
	ck_assert_str_eq(r.referer, "https://r.example/");
	ck_assert_str_eq(r.host, "go.example");
	ck_assert_str_eq(r.origin, "https://go.example");
	ck_assert_str_eq(r.sec_fetch_site, "same-origin");
	ck_assert_str_eq(r.sec_purpose, "prefetch");
	ck_assert_int_eq(r.https, 1);
	ck_assert_int_eq(r.gpc, 0);
	ck_assert_str_eq(r.remote_addr, "192.0.2.1");
	ck_assert_str_eq(hs_req_cookie(&r, "hs_click"), "abc");
	ck_assert_str_eq(r.if_none_match, "\"e1\"");
	ck_assert_str_eq(r.authorization, "Bearer k");
	ck_assert_str_eq(r.idempotency_key, "i-1");
	ck_assert_ptr_null(r.body);
	ck_assert_ptr_null(r.form);
	ck_assert_uint_eq(r.hdrs.max, HS_MAX_HEADERS);
	ck_assert_uint_eq(r.hdrs.len, 0);
	ck_assert_ptr_eq(r.conf, NULL);

	/* A fresh random id of HS_REQID_LEN lower-case hex digits. */
	ck_assert_uint_eq(strlen(r.id), HS_REQID_LEN);
	for (i = 0; i < HS_REQID_LEN; i++)
		ck_assert_ptr_nonnull(strchr("0123456789abcdef", r.id[i]));
	memcpy(first, r.id, sizeof(first));
	hs_req_free(&r);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_str_ne(r.id, first);
	hs_req_free(&r);
}
END_TEST

/* Nothing set: everything absent, and still a usable request. */
START_TEST(test_init_empty)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_int_eq(r.method, HS_METHOD_OTHER);
	ck_assert_str_eq(r.path, "/");
	ck_assert_ptr_null(r.query);
	ck_assert_ptr_null(r.qv);
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_ptr_null(r.user_agent);
	ck_assert_ptr_null(r.authorization);
	ck_assert_ptr_null(r.remote_addr);
	ck_assert_ptr_null(r.cookies);
	ck_assert_ptr_null(hs_req_cookie(&r, "hs_click"));
	ck_assert_int_eq(r.https, 0);
	ck_assert_uint_eq(strlen(r.id), HS_REQID_LEN);
	hs_req_free(&r);
	ck_assert_int_eq(hs_req_init(&r, NULL, NULL), HS_OK);
	hs_req_free(&r);
}
END_TEST

static const struct {
	const char	*env;
	enum hs_method	 m;
} methods[] = {
	{ "REQUEST_METHOD=GET", HS_METHOD_GET },
	{ "REQUEST_METHOD=HEAD", HS_METHOD_HEAD },
	{ "REQUEST_METHOD=POST", HS_METHOD_POST },
	{ "REQUEST_METHOD=OPTIONS", HS_METHOD_OPTIONS },
	{ "REQUEST_METHOD=PUT", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=DELETE", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=PATCH", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=TRACE", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=get", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=GETX", HS_METHOD_OTHER },
	{ "REQUEST_METHOD=", HS_METHOD_OTHER },
};

START_TEST(test_method)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, methods[_i].env, NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_int_eq(r.method, methods[_i].m);
	hs_req_free(&r);
}
END_TEST

/* Where the path comes from, in order of preference. */
static const struct {
	const char	*a, *b, *c;
	const char	*path;		/* NULL: HS_EINVAL */
} paths[] = {
	{ "DOCUMENT_URI=/i/7K2M", "SCRIPT_NAME=/x", "REQUEST_URI=/y",
	    "/i/7K2M" },
	{ "SCRIPT_NAME=/cgi/link", "PATH_INFO=/i/7K2M", "REQUEST_URI=/y",
	    "/cgi/link/i/7K2M" },
	{ "PATH_INFO=/i/7K2M", "REQUEST_URI=/y", NULL, "/i/7K2M" },
	{ "SCRIPT_NAME=/i/7K2M", "REQUEST_URI=/y", NULL, "/i/7K2M" },
	{ "REQUEST_URI=/i/a%20b+c?x=1", NULL, NULL, "/i/a b+c" },
	{ "REQUEST_URI=/i/%E2%82%AC", NULL, NULL, "/i/\xe2\x82\xac" },
	{ "REQUEST_URI=/i/ABC%0d%0aSet-Cookie:%20x=1", NULL, NULL,
	    "/i/ABC\r\nSet-Cookie: x=1" },	/* 404 later, not 400 */
	{ "DOCUMENT_URI=/i/\xd0\x90", NULL, NULL, "/i/\xd0\x90" },
	{ "REQUEST_URI=/i/%", NULL, NULL, NULL },
	{ "REQUEST_URI=/i/a%00b", NULL, NULL, NULL },
	{ "REQUEST_URI=/i/%C0%AF", NULL, NULL, NULL },
	{ "DOCUMENT_URI=/i/\xff", NULL, NULL, NULL },
	{ "DOCUMENT_URI=/i/\xed\xa0\x80", NULL, NULL, NULL },
	{ "DOCUMENT_URI=/i/\x1b", NULL, NULL, NULL },
	{ "PATH_INFO=/\xc0\xaf", NULL, NULL, NULL },
};

START_TEST(test_path)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, paths[_i].a, paths[_i].b, paths[_i].c, NULL);
	if (paths[_i].path != NULL) {
		ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
		ck_assert_str_eq(r.path, paths[_i].path);
	} else {
		ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_EINVAL);
		ck_assert_ptr_null(r.path);
	}
	hs_req_free(&r);
}
END_TEST

START_TEST(test_path_cap)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];
	char		 p[sizeof("DOCUMENT_URI=") + HS_MAX_PATH + 1];
	char		 sn[sizeof("SCRIPT_NAME=") + HS_MAX_PATH];
	size_t		 off = sizeof("DOCUMENT_URI=") - 1;

	memcpy(p, "DOCUMENT_URI=", off);
	memset(p + off, 'a', HS_MAX_PATH);
	p[off + HS_MAX_PATH] = '\0';
	ck_assert_int_eq(hs_req_init(&r, mkenv(env, p, NULL), NULL), HS_OK);
	ck_assert_uint_eq(strlen(r.path), HS_MAX_PATH);
	hs_req_free(&r);
	p[off + HS_MAX_PATH] = 'a';
	p[off + HS_MAX_PATH + 1] = '\0';
	ck_assert_int_eq(hs_req_init(&r, mkenv(env, p, NULL), NULL),
	    HS_EINVAL);
	ck_assert_ptr_null(r.path);
	hs_req_free(&r);

	/* The cap is on SCRIPT_NAME and PATH_INFO together. */
	off = sizeof("SCRIPT_NAME=") - 1;
	memcpy(sn, "SCRIPT_NAME=", off);
	memset(sn + off, 'a', HS_MAX_PATH - 1);
	sn[off + HS_MAX_PATH - 1] = '\0';
	ck_assert_int_eq(hs_req_init(&r, mkenv(env, sn, "PATH_INFO=/",
	    NULL), NULL), HS_OK);
	hs_req_free(&r);
	ck_assert_int_eq(hs_req_init(&r, mkenv(env, sn, "PATH_INFO=/x",
	    NULL), NULL), HS_EINVAL);
	hs_req_free(&r);
}
END_TEST

/* A malformed query fails init, but the request stays usable for a 400. */
static const struct {
	const char	*q;
	enum hs_err	 err;
} queries[] = {
	{ "QUERY_STRING=", HS_OK },
	{ "QUERY_STRING=a=1&&b", HS_OK },
	{ "QUERY_STRING=q1=a&q1=b", HS_OK },	/* hs_kv_get says EDUP */
	{ "QUERY_STRING=%", HS_EENCODING },
	{ "QUERY_STRING=a=%G1", HS_EENCODING },
	{ "QUERY_STRING=a=%4", HS_EENCODING },
	{ "QUERY_STRING=a=%%", HS_EENCODING },
	{ "QUERY_STRING=a=a%00b", HS_EUTF8 },
	{ "QUERY_STRING=a=%FF", HS_EUTF8 },
	{ "QUERY_STRING==1", HS_EINVAL },
};

START_TEST(test_query)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "REQUEST_METHOD=GET", "DOCUMENT_URI=/qr/x.svg",
	    queries[_i].q, "REMOTE_ADDR=192.0.2.7", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), queries[_i].err);
	ck_assert_str_eq(r.query, strchr(queries[_i].q, '=') + 1);
	if (queries[_i].err != HS_OK) {
		ck_assert_ptr_null(r.qv);
		ck_assert_uint_eq(r.qvsz, 0);
	}
	/* The rest was parsed anyway. */
	ck_assert_int_eq(r.method, HS_METHOD_GET);
	ck_assert_str_eq(r.path, "/qr/x.svg");
	ck_assert_str_eq(r.remote_addr, "192.0.2.7");
	hs_req_free(&r);
}
END_TEST

/* CONTENT_LENGTH: digits only, no sign or space, at most 2^53. */
static const struct {
	const char	*cl;		/* NULL: absent */
	enum hs_err	 err;
	long long	 val;
} lengths[] = {
	{ NULL, HS_OK, -1 },
	{ "CONTENT_LENGTH=", HS_OK, -1 },	/* nginx: no body */
	{ "CONTENT_LENGTH=0", HS_OK, 0 },
	{ "CONTENT_LENGTH=12", HS_OK, 12 },
	{ "CONTENT_LENGTH=007", HS_OK, 7 },
	{ "CONTENT_LENGTH=10485760", HS_OK, 10485760 },
	{ "CONTENT_LENGTH=9007199254740992", HS_OK, 9007199254740992LL },
	{ "CONTENT_LENGTH=9007199254740993", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=99999999999999999999999999", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=+5", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=-1", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH= 5", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=5 ", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=0x10", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=1e3", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=5,5", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=5.0", HS_EINVAL, -1 },
	{ "CONTENT_LENGTH=\xd9\xa5", HS_EINVAL, -1 },	/* Arabic 5 */
};

START_TEST(test_content_length)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "REQUEST_METHOD=POST", lengths[_i].cl, NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), lengths[_i].err);
	ck_assert_int_eq(r.content_length, lengths[_i].val);
	hs_req_free(&r);
}
END_TEST

/* Sec-GPC: 1 or DNT: 1, exactly. */
static const struct {
	const char	*a, *b;
	int		 gpc;
} gpcs[] = {
	{ "HTTP_SEC_GPC=1", NULL, 1 },
	{ "HTTP_DNT=1", NULL, 1 },
	{ "HTTP_SEC_GPC=0", "HTTP_DNT=1", 1 },
	{ "HTTP_SEC_GPC=1", "HTTP_DNT=0", 1 },
	{ "HTTP_SEC_GPC=0", "HTTP_DNT=0", 0 },
	{ "HTTP_SEC_GPC=true", NULL, 0 },
	{ "HTTP_SEC_GPC=11", NULL, 0 },
	{ "HTTP_DNT=", NULL, 0 },
	{ NULL, NULL, 0 },
};

START_TEST(test_gpc)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "HTTPS=off", gpcs[_i].a, gpcs[_i].b, NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_int_eq(r.gpc, gpcs[_i].gpc);
	ck_assert_int_eq(r.https, 0);
	hs_req_free(&r);
}
END_TEST

START_TEST(test_purpose)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "HTTP_PURPOSE=prefetch", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_str_eq(r.sec_purpose, "prefetch");
	hs_req_free(&r);
	mkenv(env, "HTTP_SEC_PURPOSE=prefetch;prerender", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_str_eq(r.sec_purpose, "prefetch;prerender");
	hs_req_free(&r);
}
END_TEST

/* nginx's $request_id and $msec: taken only when exactly well formed. */
static const struct {
	const char	*id, *ms;
	const char	*want;		/* ngx_id, "" when refused */
	long long	 wantms;
} ngxs[] = {
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=1765000000.123",
	    "0123456789abcdef0123456789abcdef", 1765000000123LL },
	{ "HS_REQUEST_ID=0123456789ABCDEF0123456789abcdef",
	    "HS_REQUEST_MSEC=1765000000.123", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcde",
	    "HS_REQUEST_MSEC=1765000000.123", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef0",
	    "HS_REQUEST_MSEC=1765000000.123", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=1765000000", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=1765000000.12", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=1765000000.1234", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=-1.000", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef",
	    "HS_REQUEST_MSEC=9999999999999.000", "", 0 },
	{ "HS_REQUEST_ID=0123456789abcdef0123456789abcdef", NULL, "", 0 },
	{ NULL, "HS_REQUEST_MSEC=1765000000.123", "", 0 },
};

START_TEST(test_ngx_ids)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "REQUEST_METHOD=GET", ngxs[_i].id, ngxs[_i].ms, NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_str_eq(r.ngx_id, ngxs[_i].want);
	ck_assert_int_eq(r.ngx_ms, ngxs[_i].wantms);
	hs_req_free(&r);
}
END_TEST

/* A cookie counts only when the header carries it exactly once. */
START_TEST(test_cookie)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	mkenv(env, "HTTP_COOKIE=a=1; b=\"2\"; a=3; junk; c=x y; d=", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	ck_assert_ptr_null(hs_req_cookie(&r, "a"));
	ck_assert_str_eq(hs_req_cookie(&r, "b"), "2");
	ck_assert_ptr_null(hs_req_cookie(&r, "c"));
	ck_assert_str_eq(hs_req_cookie(&r, "d"), "");
	ck_assert_ptr_null(hs_req_cookie(&r, "junk"));
	ck_assert_ptr_null(hs_req_cookie(&r, "e"));
	hs_req_free(&r);
}
END_TEST

/* Who the client is, given the peer, X-Forwarded-For and the proxies. */
#define PROXIES	"10.0.0.0/8, 192.168.1.1 2001:db8:1::/48"
static const struct {
	const char	*peer;		/* REMOTE_ADDR=... */
	const char	*xff;		/* HTTP_X_FORWARDED_FOR=, NULL */
	const char	*proxies;	/* NULL: no conf */
	const char	*addr;
} xffs[] = {
	/* Spoofed from an untrusted peer: ignored. */
	{ "REMOTE_ADDR=203.0.113.9", "HTTP_X_FORWARDED_FOR=1.2.3.4",
	    PROXIES, "203.0.113.9" },
	{ "REMOTE_ADDR=203.0.113.9", "HTTP_X_FORWARDED_FOR=10.0.0.1",
	    PROXIES, "203.0.113.9" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=1.2.3.4",
	    NULL, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=1.2.3.4",
	    "", "10.0.0.2" },
	/* From a trusted proxy: honoured, right-most untrusted entry. */
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=1.2.3.4",
	    PROXIES, "1.2.3.4" },
	{ "REMOTE_ADDR=10.0.0.2",
	    "HTTP_X_FORWARDED_FOR=6.6.6.6, 1.2.3.4", PROXIES, "1.2.3.4" },
	{ "REMOTE_ADDR=10.0.0.2",
	    "HTTP_X_FORWARDED_FOR=6.6.6.6, 1.2.3.4, 10.9.9.9, 192.168.1.1",
	    PROXIES, "1.2.3.4" },
	{ "REMOTE_ADDR=192.168.1.1", "HTTP_X_FORWARDED_FOR= 1.2.3.4 ,",
	    PROXIES, "1.2.3.4" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=2001:db8::5",
	    PROXIES, "2001:db8::5" },
	{ "REMOTE_ADDR=2001:db8:1::9",
	    "HTTP_X_FORWARDED_FOR=2001:db8::5,2001:db8:1:ffff::1", PROXIES,
	    "2001:db8::5" },
	{ "REMOTE_ADDR=::ffff:10.0.0.2", "HTTP_X_FORWARDED_FOR=1.2.3.4",
	    PROXIES, "1.2.3.4" },
	/* Every hop trusted: the left-most one. */
	{ "REMOTE_ADDR=10.0.0.2",
	    "HTTP_X_FORWARDED_FOR=10.1.1.1, 10.2.2.2", PROXIES, "10.1.1.1" },
	/* Junk stops the walk at the last good address. */
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=unknown",
	    PROXIES, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=evil, 10.3.3.3",
	    PROXIES, "10.3.3.3" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=1.2.3.4:80",
	    PROXIES, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR=",
	    PROXIES, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2", "HTTP_X_FORWARDED_FOR= , ,",
	    PROXIES, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2", NULL, PROXIES, "10.0.0.2" },
	{ "REMOTE_ADDR=10.0.0.2",
	    "HTTP_X_FORWARDED_FOR=1111:2222:3333:4444:5555:6666:7777:8888:9999",
	    PROXIES, "10.0.0.2" },
};

START_TEST(test_xff)
{
	struct hs_conf	 conf;
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	memset(&conf, 0, sizeof(conf));
	conf.trusted_proxies = (char *)xffs[_i].proxies;
	mkenv(env, xffs[_i].peer, xffs[_i].xff, NULL);
	ck_assert_int_eq(hs_req_init(&r, env,
	    xffs[_i].proxies != NULL ? &conf : NULL), HS_OK);
	ck_assert_str_eq(r.remote_addr, xffs[_i].addr);
	hs_req_free(&r);
}
END_TEST

static const struct {
	const char	*addr;
	const char	*list;
	int		 match;
} cidrs[] = {
	{ "10.1.2.3", "10.0.0.0/8", 1 },
	{ "11.0.0.0", "10.0.0.0/8", 0 },
	{ "9.255.255.255", "10.0.0.0/8", 0 },
	{ "10.255.255.255", "10.0.0.0/8", 1 },
	{ "192.168.1.1", "192.168.1.1", 1 },
	{ "192.168.1.2", "192.168.1.1", 0 },
	{ "192.168.1.2", "192.168.1.1/32", 0 },
	{ "192.168.1.2", "192.168.1.0/31", 0 },
	{ "192.168.1.1", "192.168.1.0/31", 1 },
	{ "172.16.5.4", "172.16.0.0/12", 1 },
	{ "172.32.0.1", "172.16.0.0/12", 0 },
	{ "10.0.0.1", "10.0.0.99/8", 1 },	/* host bits ignored */
	{ "1.2.3.4", "0.0.0.0/0", 1 },
	{ "10.0.0.1", "a.example, 10.0.0.1", 1 },	/* bad entry skipped */
	{ "10.0.0.1", "192.0.2.0/24,10.0.0.0/8", 1 },
	{ "10.0.0.1", "192.0.2.0/24\t10.0.0.0/8", 1 },
	{ "10.0.0.1", " , 10.0.0.0/8 , ", 1 },
	{ "10.0.0.1", "10.0.0.0/33", 0 },
	{ "10.0.0.1", "10.0.0.0/", 0 },
	{ "10.0.0.1", "10.0.0.0/8x", 0 },
	{ "10.0.0.1", "10.0.0.0/-8", 0 },
	{ "10.0.0.1", "10.0.0.0/0008", 0 },
	{ "10.0.0.1", "10.0.0", 0 },
	{ "10.0.0.1", "", 0 },
	{ "::1", "::1", 1 },
	{ "::1", "::1/128", 1 },
	{ "::2", "::1/128", 0 },
	{ "2001:db8::1", "2001:db8::/32", 1 },
	{ "2001:db9::1", "2001:db8::/32", 0 },
	{ "2001:db8:1:2::1", "2001:db8:1::/48", 1 },
	{ "2001:db8:1:2::1", "2001:db8::/129", 0 },
	{ "fe80::1", "fe80::/10", 1 },
	{ "febf::1", "fe80::/10", 1 },
	{ "fec0::1", "fe80::/10", 0 },
	{ "::ffff:10.0.0.1", "10.0.0.0/8", 1 },	/* mapped peer */
	{ "10.0.0.1", "::ffff:10.0.0.0/104", 1 },
	{ "10.0.0.1", "::/0", 1 },
	{ "2001:db8::1", "0.0.0.0/0", 0 },
	{ "10.0.0.1", "2001:db8::/32", 0 },
	{ "localhost", "127.0.0.0/8", 0 },	/* never resolved */
	{ "10.0.0.1 ", "10.0.0.0/8", 0 },
	{ "", "10.0.0.0/8", 0 },
	{ "fe80::1%eth0", "fe80::/10", 0 },
};

START_TEST(test_cidr)
{

	ck_assert_msg(hs_cidr_match(cidrs[_i].addr, cidrs[_i].list) ==
	    cidrs[_i].match, "%s in %s", cidrs[_i].addr, cidrs[_i].list);
}
END_TEST

START_TEST(test_cidr_null)
{

	ck_assert_int_eq(hs_cidr_match(NULL, "10.0.0.0/8"), 0);
	ck_assert_int_eq(hs_cidr_match("10.0.0.1", NULL), 0);
}
END_TEST

/* Sets up a POST of body, announcing cl bytes, through a stream. */
static void
post(struct hs_req *r, struct stream *s, const char *cl, const char *ct,
    const char *body)
{
	char	*env[ENV_MAX + 1];

	/* cl or ct may be NULL (absent), so mkenv's terminator won't do. */
	mkenv(env, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s/x", NULL);
	env[2] = (char *)(cl != NULL ? cl : ct);
	env[3] = (char *)(cl != NULL ? ct : NULL);
	env[4] = NULL;
	ck_assert_int_eq(hs_req_init(r, env, NULL), HS_OK);
	memset(s, 0, sizeof(*s));
	s->data = body;
	s->len = strlen(body);
	r->read = stream_read;
	r->readarg = s;
}

START_TEST(test_body)
{
	struct hs_req	 r;
	struct stream	 s;

	post(&r, &s, "CONTENT_LENGTH=11", NULL, "hello world and more");
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_OK);
	ck_assert_uint_eq(r.bodysz, 11);
	ck_assert_str_eq(r.body, "hello world");
	/* Read once: a second call gives the same body, no more reads. */
	ck_assert_int_eq(s.reads, 1);
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_OK);
	ck_assert_int_eq(s.reads, 1);
	hs_req_free(&r);

	/* In dribbles, interrupted twice on the way. */
	post(&r, &s, "CONTENT_LENGTH=11", NULL, "hello world");
	s.chunk = 2;
	s.eintr = 2;
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_OK);
	ck_assert_str_eq(r.body, "hello world");
	ck_assert_int_eq(s.reads, 2 + 6);
	hs_req_free(&r);

	/* Exactly at the cap. */
	post(&r, &s, "CONTENT_LENGTH=5", NULL, "12345");
	ck_assert_int_eq(hs_req_body(&r, 5), HS_OK);
	hs_req_free(&r);

	/* Empty: CONTENT_LENGTH 0, or no body on a GET. */
	post(&r, &s, "CONTENT_LENGTH=0", NULL, "junk");
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_OK);
	ck_assert_str_eq(r.body, "");
	ck_assert_uint_eq(r.bodysz, 0);
	ck_assert_int_eq(s.reads, 0);
	hs_req_free(&r);
	post(&r, &s, NULL, NULL, "junk");
	r.method = HS_METHOD_GET;
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_OK);
	ck_assert_uint_eq(r.bodysz, 0);
	ck_assert_int_eq(s.reads, 0);
	hs_req_free(&r);
}
END_TEST

START_TEST(test_body_errors)
{
	struct hs_req	 r;
	struct stream	 s;

	/* Content-Length larger than the body, then EOF: nothing kept. */
	post(&r, &s, "CONTENT_LENGTH=12", NULL, "hello world");
	s.chunk = 4;
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_ESHORT);
	ck_assert_ptr_null(r.body);
	ck_assert_uint_eq(r.bodysz, 0);
	hs_req_free(&r);

	/* 10 MB announced: refused before reading a byte. */
	post(&r, &s, "CONTENT_LENGTH=10485760", NULL, "x");
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_ETOOBIG);
	ck_assert_int_eq(s.reads, 0);
	ck_assert_ptr_null(r.body);
	hs_req_free(&r);
	post(&r, &s, "CONTENT_LENGTH=6", NULL, "123456");
	ck_assert_int_eq(hs_req_body(&r, 5), HS_ETOOBIG);
	ck_assert_int_eq(s.reads, 0);
	hs_req_free(&r);

	/* POST without Content-Length (411), or with a bad one. */
	post(&r, &s, NULL, NULL, "a=1");
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_EINVAL);
	ck_assert_int_eq(s.reads, 0);
	hs_req_free(&r);

	/* A read error is an I/O error, not a short body. */
	post(&r, &s, "CONTENT_LENGTH=3", NULL, "a=1");
	s.eio = 1;
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_EIO);
	ck_assert_ptr_null(r.body);
	hs_req_free(&r);

	/* A body but no reader set. */
	post(&r, &s, "CONTENT_LENGTH=3", NULL, "a=1");
	r.read = NULL;
	ck_assert_int_eq(hs_req_body(&r, HS_MAX_BODY), HS_EINVAL);
	hs_req_free(&r);
}
END_TEST

/* Content types: only urlencoded, at most with charset=utf-8. */
static const struct {
	const char	*ct;		/* CONTENT_TYPE=..., or NULL */
	enum hs_err	 err;
} types[] = {
	{ "CONTENT_TYPE=application/x-www-form-urlencoded", HS_OK },
	{ "CONTENT_TYPE=Application/X-WWW-Form-URLEncoded", HS_OK },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded;charset=utf-8",
	    HS_OK },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; charset=UTF-8",
	    HS_OK },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded ; charset=\"utf-8\"",
	    HS_OK },
	{ "CONTENT_TYPE=application/json", HS_EMEDIA },
	{ "CONTENT_TYPE=multipart/form-data; boundary=x", HS_EMEDIA },
	{ "CONTENT_TYPE=text/plain", HS_EMEDIA },
	{ NULL, HS_EMEDIA },
	{ "CONTENT_TYPE=", HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; charset=latin1",
	    HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; "
	    "charset=iso-8859-1", HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; charset=utf-8x",
	    HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; "
	    "charset=utf-8; charset=latin1", HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded; foo=bar",
	    HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencodedx", HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form", HS_EMEDIA },
	{ "CONTENT_TYPE=application/x-www-form-urlencoded;", HS_EMEDIA },
};

START_TEST(test_form_types)
{
	struct hs_req	 r;
	struct stream	 s;

	post(&r, &s, "CONTENT_LENGTH=3", types[_i].ct, "a=1");
	ck_assert_int_eq(hs_req_form(&r), types[_i].err);
	if (types[_i].err == HS_OK) {
		ck_assert_uint_eq(r.formsz, 1);
		ck_assert_str_eq(r.form[0].val, "1");
	} else {
		/* Refused before the body was read. */
		ck_assert_int_eq(s.reads, 0);
		ck_assert_ptr_null(r.form);
	}
	hs_req_free(&r);
}
END_TEST

#define FORM_CT	"CONTENT_TYPE=application/x-www-form-urlencoded"

START_TEST(test_form)
{
	struct hs_req	 r;
	struct stream	 s;
	const char	*v;

	post(&r, &s, "CONTENT_LENGTH=38", FORM_CT,
	    "q1=%F0%9F%98%80&t=abc&other=x+y&q2=%27");
	ck_assert_int_eq(hs_req_form(&r), HS_OK);
	ck_assert_uint_eq(r.formsz, 4);
	ck_assert_int_eq(hs_kv_get(r.form, r.formsz, "q1", &v), HS_OK);
	ck_assert_str_eq(v, "\xf0\x9f\x98\x80");	/* emoji intact */
	ck_assert_int_eq(hs_kv_get(r.form, r.formsz, "q2", &v), HS_OK);
	ck_assert_str_eq(v, "'");
	/* Parsing twice gives the same, without reading again. */
	ck_assert_int_eq(hs_req_form(&r), HS_OK);
	ck_assert_uint_eq(r.formsz, 4);
	ck_assert_int_eq(s.reads, 1);
	hs_req_free(&r);

	post(&r, &s, "CONTENT_LENGTH=9", FORM_CT, "q1=a&q1=b");
	ck_assert_int_eq(hs_req_form(&r), HS_OK);
	ck_assert_int_eq(hs_kv_get(r.form, r.formsz, "q1", &v), HS_EDUP);
	hs_req_free(&r);
}
END_TEST

static const struct {
	const char	*cl;
	const char	*body;
	enum hs_err	 err;
} form_bad[] = {
	{ "CONTENT_LENGTH=4", "a=%4", HS_EENCODING },
	{ "CONTENT_LENGTH=5", "a=%G1", HS_EENCODING },
	{ "CONTENT_LENGTH=7", "a=a%00b", HS_EUTF8 },
	{ "CONTENT_LENGTH=8", "a=%C0%AF", HS_EUTF8 },
	{ "CONTENT_LENGTH=10", "a=1", HS_ESHORT },
	{ "CONTENT_LENGTH=10485760", "a=1", HS_ETOOBIG },
	{ "CONTENT_LENGTH=16385", "a=1", HS_ETOOBIG },	/* cap + 1 */
	{ NULL, "a=1", HS_EINVAL },
};

START_TEST(test_form_bad)
{
	struct hs_req	 r;
	struct stream	 s;

	post(&r, &s, form_bad[_i].cl, FORM_CT, form_bad[_i].body);
	ck_assert_int_eq(hs_req_form(&r), form_bad[_i].err);
	ck_assert_ptr_null(r.form);
	ck_assert_uint_eq(r.formsz, 0);
	hs_req_free(&r);
}
END_TEST

/* hs_req_free takes a zeroed struct, and a second call is harmless. */
START_TEST(test_free)
{
	struct hs_req	 r;
	char		*env[ENV_MAX + 1];

	memset(&r, 0, sizeof(r));
	hs_req_free(&r);
	hs_req_free(NULL);
	mkenv(env, "QUERY_STRING=a=1", "HTTP_COOKIE=a=1", NULL);
	ck_assert_int_eq(hs_req_init(&r, env, NULL), HS_OK);
	hs_req_free(&r);
	hs_req_free(&r);
}
END_TEST

/*
 * HS_FAILMALLOC: fail the n-th allocation for every n until init and
 * the form need fewer.  Each failure is HS_ENOMEM, the request can still
 * be freed, and ASan sees no leak at exit.
 */
START_TEST(test_enomem)
{
	struct hs_conf	 conf;
	struct hs_req	 r;
	struct stream	 s;
	char		*env[ENV_MAX + 1];
	char		 num[16];
	enum hs_err	 rc;
	int		 i;

	memset(&conf, 0, sizeof(conf));
	conf.trusted_proxies = (char *)"10.0.0.0/8";
	mkenv(env, "REQUEST_METHOD=POST", "REQUEST_URI=/s/x%20y?a",
	    "QUERY_STRING=a=1&b=2", "CONTENT_LENGTH=7", FORM_CT,
	    "HTTP_USER_AGENT=ua", "HTTP_REFERER=r", "HTTP_HOST=h",
	    "HTTP_ORIGIN=o", "HTTP_SEC_FETCH_SITE=s", "HTTP_PURPOSE=p",
	    "HTTP_COOKIE=a=1; b=2", "REMOTE_ADDR=10.0.0.1",
	    "HTTP_IF_NONE_MATCH=e", "HTTP_AUTHORIZATION=a",
	    "HTTP_IDEMPOTENCY_KEY=k",
	    "HTTP_X_FORWARDED_FOR=1.2.3.4", NULL);
	for (i = 1; ; i++) {
		ck_assert_int_lt(i, 200);
		(void)snprintf(num, sizeof(num), "%d", i);
		ck_assert_int_eq(setenv("HS_FAILMALLOC", num, 1), 0);
		hs_failmalloc_init();
		if ((rc = hs_req_init(&r, env, &conf)) == HS_OK) {
			memset(&s, 0, sizeof(s));
			s.data = "c=3&d=4";
			s.len = 7;
			r.read = stream_read;
			r.readarg = &s;
			rc = hs_req_form(&r);
		}
		hs_req_free(&r);
		if (rc == HS_OK)
			break;
		ck_assert_int_eq(rc, HS_ENOMEM);
	}
	ck_assert_int_gt(i, 10);
	ck_assert_int_eq(setenv("HS_FAILMALLOC", "-1", 1), 0);
	hs_failmalloc_init();
}
END_TEST

static Suite *
req_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("req");

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_param);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_init_empty);
	tcase_add_loop_test(tc, test_method, 0, NELEM(methods));
	tcase_add_loop_test(tc, test_path, 0, NELEM(paths));
	tcase_add_loop_test(tc, test_gpc, 0, NELEM(gpcs));
	tcase_add_loop_test(tc, test_ngx_ids, 0, NELEM(ngxs));
	tcase_add_test(tc, test_purpose);
	tcase_add_test(tc, test_cookie);
	tcase_add_loop_test(tc, test_xff, 0, NELEM(xffs));
	tcase_add_loop_test(tc, test_cidr, 0, NELEM(cidrs));
	tcase_add_test(tc, test_body);
	tcase_add_test(tc, test_form);
	tcase_add_test(tc, test_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_path_cap);
	tcase_add_loop_test(tc, test_content_length, 0, NELEM(lengths));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_query, 0, NELEM(queries));
	tcase_add_test(tc, test_cidr_null);
	tcase_add_test(tc, test_body_errors);
	tcase_add_loop_test(tc, test_form_types, 0, NELEM(types));
	tcase_add_loop_test(tc, test_form_bad, 0, NELEM(form_bad));
	tcase_add_test(tc, test_enomem);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{

	return hs_check_run(req_suite());
}
