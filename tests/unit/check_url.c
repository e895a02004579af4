/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_url.c: the percent-decoder, the URL encoder, the urlencoded form
 * parser and the Cookie parser, with the malformed-encoding and UTF-8
 * rows of TESTING.md 3a (1, 2, 3, 4, 8, 9, 12) as tables.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define S(x)		x, sizeof(x) - 1

/*
 * A junk pointer the parsers must overwrite with NULL on error, so that
 * a caller never sees half a result.
 */
static struct hs_kv	 junk_kv;
static char		 junk_str[] = "junk";
#define JUNK_KV		(&junk_kv)

/* Returns a malloc'd string of n copies of the pattern pat. */
static char *
repeat(const char *pat, size_t n)
{
	size_t	 plen = strlen(pat), i;
	char	*s;

	s = malloc(plen * n + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * plen, pat, plen);
	s[plen * n] = '\0';
	return s;
}

/* hs_url_decode: good input. */
static const struct {
	const char	*in;
	const char	*out;
	size_t		 outsz;
} dec_good[] = {
	{ "", S("") },
	{ "abc", S("abc") },
	{ "a+b", S("a b") },
	{ "a%20b", S("a b") },
	{ "%2B", S("+") },
	{ "%25", S("%") },
	{ "%41%42", S("AB") },
	{ "%e2%82%ac", S("\xe2\x82\xac") },		/* lower-case hex */
	{ "%E2%82%AC", S("\xe2\x82\xac") },
	{ "%F0%9F%98%80", S("\xf0\x9f\x98\x80") },	/* emoji intact */
	{ "caf\xc3\xa9", S("caf\xc3\xa9") },		/* raw UTF-8 */
	{ "a%0D%0Ab", S("a\r\nb") },	/* the header writer refuses it */
	{ "ABC%0d%0aSet-Cookie:%20x=1", S("ABC\r\nSet-Cookie: x=1") },
	{ "%E5%98%8A%E5%98%8D", S("\xe5\x98\x8a\xe5\x98\x8d") },
	{ "%27%20OR%201=1--%20", S("' OR 1=1-- ") },	/* byte-exact */
	{ "%5C%27", S("\\'") },
	{ "..%2f..%2f", S("../../") },
	{ "%3Cscript%3E", S("<script>") },
	{ "%09tab", S("\ttab") },
};

/* hs_url_decode: bad input and the error it must give. */
static const struct {
	const char	*in;
	size_t		 len;
	enum hs_err	 err;
} dec_bad[] = {
	{ S("%"), HS_EENCODING },
	{ S("%G1"), HS_EENCODING },
	{ S("%1G"), HS_EENCODING },
	{ S("%4"), HS_EENCODING },		/* trailing */
	{ S("abc%4"), HS_EENCODING },
	{ S("%%"), HS_EENCODING },
	{ S("%%41"), HS_EENCODING },
	{ S("100%"), HS_EENCODING },
	{ S("% 41"), HS_EENCODING },
	{ S("%+1"), HS_EENCODING },
	{ S("%-1"), HS_EENCODING },
	{ S("%0x"), HS_EENCODING },
	{ S("a%00b"), HS_EUTF8 },
	{ S("a\0b"), HS_EUTF8 },			/* raw NUL */
	{ S("%C0%AF"), HS_EUTF8 },			/* overlong */
	{ S("%ED%A0%80"), HS_EUTF8 },			/* surrogate */
	{ S("%FF"), HS_EUTF8 },
	{ S("%E2%82"), HS_EUTF8 },			/* truncated */
	{ S("a%EF%BB%BFb"), HS_EUTF8 },		/* BOM inside */
	{ S("%EF%BB%BF"), HS_EUTF8 },
	{ S("%01"), HS_EUTF8 },
	{ S("%7F"), HS_EUTF8 },
	{ S("%1B[2J"), HS_EUTF8 },
	{ S("\xff"), HS_EUTF8 },
	{ S("%F4%90%80%80"), HS_EUTF8 },		/* past U+10FFFF */
};

START_TEST(test_decode_good)
{
	char	*out = junk_str;
	size_t	 outsz = 99;

	ck_assert_int_eq(hs_url_decode(dec_good[_i].in,
	    strlen(dec_good[_i].in), &out, &outsz), HS_OK);
	ck_assert_uint_eq(outsz, dec_good[_i].outsz);
	ck_assert_mem_eq(out, dec_good[_i].out, outsz + 1);
	free(out);
}
END_TEST

START_TEST(test_decode_bad)
{
	char	*out = junk_str;
	size_t	 outsz = 99;

	ck_assert_int_eq(hs_url_decode(dec_bad[_i].in, dec_bad[_i].len,
	    &out, &outsz), dec_bad[_i].err);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(outsz, 0);
}
END_TEST

/* The length bounds the input, not a NUL; outsz may be NULL. */
START_TEST(test_decode_len)
{
	char	*out;

	ck_assert_int_eq(hs_url_decode("ab%41", 2, &out, NULL), HS_OK);
	ck_assert_str_eq(out, "ab");
	free(out);
	/* "%4" of "%41" cut short is malformed, not read past. */
	ck_assert_int_eq(hs_url_decode("%41", 2, &out, NULL), HS_EENCODING);
	ck_assert_ptr_null(out);
}
END_TEST

/* Paths: '+' is itself, escapes decode, the cap is HS_MAX_PATH. */
START_TEST(test_path_decode)
{
	char	*out, *s;
	size_t	 sz;

	ck_assert_int_eq(hs_path_decode(S("/a+b/c%20d"), &out, &sz), HS_OK);
	ck_assert_str_eq(out, "/a+b/c d");
	ck_assert_uint_eq(sz, 8);
	free(out);
	ck_assert_int_eq(hs_path_decode(S("/qr/..%2fx.png"), &out, NULL),
	    HS_OK);
	ck_assert_str_eq(out, "/qr/../x.png");
	free(out);
	ck_assert_int_eq(hs_path_decode(S("/%"), &out, NULL), HS_EENCODING);
	ck_assert_int_eq(hs_path_decode(S("/%00"), &out, NULL), HS_EUTF8);
	s = repeat("a", HS_MAX_PATH);
	ck_assert_int_eq(hs_path_decode(s, HS_MAX_PATH, &out, NULL), HS_OK);
	free(out);
	free(s);
	s = repeat("a", HS_MAX_PATH + 1);
	ck_assert_int_eq(hs_path_decode(s, HS_MAX_PATH + 1, &out, NULL),
	    HS_ETOOBIG);
	ck_assert_ptr_null(out);
	free(s);
}
END_TEST

START_TEST(test_decode_cap)
{
	char	*s, *out;
	size_t	 sz;

	s = repeat("x", HS_MAX_FIELD);
	ck_assert_int_eq(hs_url_decode(s, strlen(s), &out, &sz), HS_OK);
	ck_assert_uint_eq(sz, HS_MAX_FIELD);
	free(out);
	free(s);

	/* One byte over, however it is written. */
	s = repeat("x", HS_MAX_FIELD + 1);
	ck_assert_int_eq(hs_url_decode(s, strlen(s), &out, &sz), HS_ETOOBIG);
	ck_assert_ptr_null(out);
	free(s);
	s = repeat("%41", HS_MAX_FIELD);
	ck_assert_int_eq(hs_url_decode(s, strlen(s), &out, &sz), HS_OK);
	ck_assert_uint_eq(sz, HS_MAX_FIELD);
	free(out);
	free(s);
	s = repeat("%41", HS_MAX_FIELD + 1);
	ck_assert_int_eq(hs_url_decode(s, strlen(s), &out, &sz), HS_ETOOBIG);
	free(s);

	/* 1 MB field. */
	s = repeat("y", 1024 * 1024);
	ck_assert_int_eq(hs_url_decode(s, strlen(s), &out, &sz), HS_ETOOBIG);
	free(s);
}
END_TEST

START_TEST(test_encode)
{
	struct hs_buf	 b;

	hs_buf_init(&b, 1024);
	ck_assert_int_eq(hs_url_encode(&b, "AZaz09-._~"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "AZaz09-._~");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_url_encode(&b, "a b&c=d/\xc3\xa9+%?#\r\n"),
	    HS_OK);
	ck_assert_str_eq(hs_buf_str(&b),
	    "a%20b%26c%3Dd%2F%C3%A9%2B%25%3F%23%0D%0A");
	hs_buf_reset(&b);
	/* Appends to what is there; an empty string appends nothing. */
	ck_assert_int_eq(hs_buf_puts(&b, "x="), HS_OK);
	ck_assert_int_eq(hs_url_encode(&b, ""), HS_OK);
	ck_assert_int_eq(hs_url_encode(&b, "\xf0\x9f\x98\x80"), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "x=%F0%9F%98%80");
	hs_buf_free(&b);
}
END_TEST

/* Over the cap: refused and the buffer left as it was. */
START_TEST(test_encode_cap)
{
	struct hs_buf	 b;

	hs_buf_init(&b, 8);
	ck_assert_int_eq(hs_buf_puts(&b, "a="), HS_OK);
	ck_assert_int_eq(hs_url_encode(&b, "   "), HS_ETOOBIG);
	ck_assert_str_eq(hs_buf_str(&b), "a=");
	ck_assert_int_eq(hs_url_encode(&b, "  "), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b), "a=%20%20");
	hs_buf_free(&b);
}
END_TEST

/* decode(encode(x)) == x for valid x. */
START_TEST(test_roundtrip)
{
	static const char *const in[] = {
		"", "plain", "a b+c", "100% & more", "\xe2\x82\xac 5",
		"\xf0\x9f\x98\x80\xf0\x9f\x91\x8d", "line\r\nbreak\t",
		"<script>alert(1)</script>", "' OR 1=1-- ", "=HYPERLINK(1)",
	};
	struct hs_buf	 b;
	char		*out;
	size_t		 i, sz;

	for (i = 0; i < NELEM(in); i++) {
		hs_buf_init(&b, HS_MAX_PAGE);
		ck_assert_int_eq(hs_url_encode(&b, in[i]), HS_OK);
		ck_assert_int_eq(hs_url_decode(b.ptr != NULL ? b.ptr : "",
		    b.len, &out, &sz), HS_OK);
		ck_assert_str_eq(out, in[i]);
		ck_assert_uint_eq(sz, strlen(in[i]));
		free(out);
		hs_buf_free(&b);
	}
}
END_TEST

START_TEST(test_form)
{
	struct hs_kv	*kv;
	const char	*v;
	size_t		 n;

	ck_assert_int_eq(hs_form_parse(S("a=1&b=two+words&c=%C3%A9"), &kv,
	    &n), HS_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(kv[0].key, "a");
	ck_assert_str_eq(kv[0].val, "1");
	ck_assert_uint_eq(kv[0].valsz, 1);
	ck_assert_str_eq(kv[1].val, "two words");
	ck_assert_str_eq(kv[2].val, "\xc3\xa9");
	ck_assert_int_eq(hs_kv_get(kv, n, "b", &v), HS_OK);
	ck_assert_str_eq(v, "two words");
	ck_assert_int_eq(hs_kv_get(kv, n, "z", &v), HS_ENOTFOUND);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(hs_kv_get(kv, n, "a", NULL), HS_OK);
	hs_kv_free(kv, n);

	/* Empty pieces skipped; bare keys and "k=" give empty values. */
	ck_assert_int_eq(hs_form_parse(S("&&a&b=&&c=x=y&"), &kv, &n), HS_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(kv[0].key, "a");
	ck_assert_str_eq(kv[0].val, "");
	ck_assert_uint_eq(kv[0].valsz, 0);
	ck_assert_str_eq(kv[1].key, "b");
	ck_assert_str_eq(kv[1].val, "");
	ck_assert_str_eq(kv[2].key, "c");
	ck_assert_str_eq(kv[2].val, "x=y");
	hs_kv_free(kv, n);

	/* Keys are decoded too. */
	ck_assert_int_eq(hs_form_parse(S("q%5B%5D=1&a+b=2"), &kv, &n), HS_OK);
	ck_assert_str_eq(kv[0].key, "q[]");
	ck_assert_str_eq(kv[1].key, "a b");
	hs_kv_free(kv, n);

	/* Nothing at all. */
	kv = JUNK_KV;
	ck_assert_int_eq(hs_form_parse(S(""), &kv, &n), HS_OK);
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(hs_form_parse(S("&&&"), &kv, &n), HS_OK);
	ck_assert_ptr_null(kv);
	ck_assert_int_eq(hs_form_parse(NULL, 0, &kv, &n), HS_OK);
	ck_assert_ptr_null(kv);
	ck_assert_int_eq(hs_kv_get(NULL, 0, "a", &v), HS_ENOTFOUND);
	hs_kv_free(NULL, 0);
}
END_TEST

/* CR LF in a value parses: only the header writer refuses it. */
START_TEST(test_form_crlf)
{
	struct hs_kv	*kv;
	size_t		 n;

	ck_assert_int_eq(hs_form_parse(S("d=a%0D%0ALocation:%20x"), &kv, &n),
	    HS_OK);
	ck_assert_str_eq(kv[0].val, "a\r\nLocation: x");
	hs_kv_free(kv, n);
}
END_TEST

/* A repeated single-valued parameter is an error, not first or last. */
START_TEST(test_form_dup)
{
	struct hs_kv	*kv;
	const char	*v = "junk";
	size_t		 n;

	ck_assert_int_eq(hs_form_parse(S("q1=a&q2=x&q1=b"), &kv, &n), HS_OK);
	ck_assert_int_eq(hs_kv_get(kv, n, "q1", &v), HS_EDUP);
	ck_assert_ptr_null(v);
	ck_assert_uint_eq(hs_kv_count(kv, n, "q1"), 2);
	ck_assert_uint_eq(hs_kv_count(kv, n, "q2"), 1);
	ck_assert_uint_eq(hs_kv_count(kv, n, "q3"), 0);
	hs_kv_free(kv, n);
	/* Even with the same value twice. */
	ck_assert_int_eq(hs_form_parse(S("q1=a&q1=a"), &kv, &n), HS_OK);
	ck_assert_int_eq(hs_kv_get(kv, n, "q1", &v), HS_EDUP);
	hs_kv_free(kv, n);
}
END_TEST

/* Forms that must fail as a whole, with the error they must give. */
static const struct {
	const char	*in;
	size_t		 len;
	enum hs_err	 err;
} form_bad[] = {
	{ S("a=%"), HS_EENCODING },
	{ S("a=%G1"), HS_EENCODING },
	{ S("a=1&b=%4"), HS_EENCODING },
	{ S("a=%%"), HS_EENCODING },
	{ S("%=1"), HS_EENCODING },
	{ S("a=a%00b"), HS_EUTF8 },
	{ S("a%00=1"), HS_EUTF8 },
	{ S("a=%C0%AF"), HS_EUTF8 },
	{ S("a=%ED%A0%80"), HS_EUTF8 },
	{ S("a=%FF"), HS_EUTF8 },
	{ S("a=%E2%82"), HS_EUTF8 },
	{ S("a=x%EF%BB%BFy"), HS_EUTF8 },
	{ S("ok=1&a=\xc0\xaf"), HS_EUTF8 },
	{ S("=1"), HS_EINVAL },
	{ S("a=1&=2"), HS_EINVAL },
	{ S("="), HS_EINVAL },
};

START_TEST(test_form_bad)
{
	struct hs_kv	*kv = JUNK_KV;
	size_t		 n = 99;

	ck_assert_int_eq(hs_form_parse(form_bad[_i].in, form_bad[_i].len,
	    &kv, &n), form_bad[_i].err);
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_form_limits)
{
	struct hs_kv	*kv = JUNK_KV;
	struct hs_buf	 b;
	char		*k, *v;
	size_t		 n, i;

	/* Key: HS_MAX_KEY bytes fit, one more is refused. */
	hs_buf_init(&b, HS_MAX_PAGE);
	k = repeat("k", HS_MAX_KEY);
	ck_assert_int_eq(hs_buf_printf(&b, "%s=1", k), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_OK);
	ck_assert_uint_eq(strlen(kv[0].key), HS_MAX_KEY);
	hs_kv_free(kv, n);
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_buf_printf(&b, "%sk=1", k), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_EINVAL);
	ck_assert_ptr_null(kv);
	free(k);

	/* Value: HS_MAX_FIELD bytes fit, one more is refused. */
	hs_buf_reset(&b);
	v = repeat("v", HS_MAX_FIELD);
	ck_assert_int_eq(hs_buf_printf(&b, "a=%s", v), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_OK);
	ck_assert_uint_eq(kv[0].valsz, HS_MAX_FIELD);
	hs_kv_free(kv, n);
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_buf_printf(&b, "a=%sv&b=1", v), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_ETOOBIG);
	ck_assert_ptr_null(kv);
	free(v);

	/* Fields: HS_MAX_FIELDS fit, one more is refused. */
	hs_buf_reset(&b);
	for (i = 0; i < HS_MAX_FIELDS; i++)
		ck_assert_int_eq(hs_buf_printf(&b, "f%zu=%zu&", i, i), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_OK);
	ck_assert_uint_eq(n, HS_MAX_FIELDS);
	hs_kv_free(kv, n);
	ck_assert_int_eq(hs_buf_puts(&b, "x=1"), HS_OK);
	ck_assert_int_eq(hs_form_parse(b.ptr, b.len, &kv, &n), HS_ETOOBIG);
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 0);
	hs_buf_free(&b);
}
END_TEST

/* Cookie headers and what must come out of them. */
static const struct {
	const char	*in;
	const char	*out;	/* "k=v|k=v" after parsing */
} cookies[] = {
	{ "a=1", "a=1" },
	{ "a=1; b=2", "a=1|b=2" },
	{ "a=1;b=2", "a=1|b=2" },
	{ "  a = 1 ;\tb=2  ", "a=1|b=2" },
	{ "a=\"quoted\"", "a=quoted" },
	{ "a=\"\"", "a=" },
	{ "a=", "a=" },
	{ "a=%41", "a=%41" },				/* not decoded */
	{ "a=x=y", "a=x=y" },
	{ "$Version=1; a=1", "$Version=1|a=1" },
	{ "junk; a=1", "a=1" },				/* no '=' */
	{ "=x; a=1", "a=1" },				/* empty name */
	{ "a b=1; c=2", "c=2" },			/* space in name */
	{ "a(=1; c=2", "c=2" },				/* separator */
	{ "a=b c; d=1", "d=1" },			/* space in value */
	{ "a=b,c; d=1", "d=1" },
	{ "a=b\\c; d=1", "d=1" },
	{ "a=\"b; d=1", "d=1" },			/* lone quote */
	{ "a=b\"; d=1", "d=1" },
	{ "a=\"b\"c\"; d=1", "d=1" },
	{ "a=caf\xc3\xa9; d=1", "d=1" },		/* not ASCII */
	{ "a=\x01; d=1", "d=1" },
	{ "a=1\r\nSet-Cookie: x; d=1", "d=1" },
	{ ";;; ; ", "" },
	{ "", "" },
	{ "a=1; a=2", "a=1|a=2" },
};

START_TEST(test_cookie)
{
	struct hs_kv	*kv;
	struct hs_buf	 b;
	size_t		 n, i;

	ck_assert_int_eq(hs_cookie_parse(cookies[_i].in, &kv, &n), HS_OK);
	hs_buf_init(&b, HS_MAX_PAGE);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(strlen(kv[i].val), kv[i].valsz);
		ck_assert_int_eq(hs_buf_printf(&b, "%s%s=%s", i > 0 ? "|" : "",
		    kv[i].key, kv[i].val), HS_OK);
	}
	ck_assert_str_eq(b.ptr != NULL ? b.ptr : "", cookies[_i].out);
	if (n == 0)
		ck_assert_ptr_null(kv);
	hs_buf_free(&b);
	hs_kv_free(kv, n);
}
END_TEST

START_TEST(test_cookie_limits)
{
	struct hs_kv	*kv = JUNK_KV;
	struct hs_buf	 b;
	char		*s;
	size_t		 n, i;

	ck_assert_int_eq(hs_cookie_parse(NULL, &kv, &n), HS_OK);
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 0);

	/* At most HS_MAX_COOKIES; junk does not count against it. */
	hs_buf_init(&b, HS_MAX_PAGE);
	for (i = 0; i < HS_MAX_COOKIES + 5; i++)
		ck_assert_int_eq(hs_buf_printf(&b, "junk; c%zu=%zu; ", i, i),
		    HS_OK);
	ck_assert_int_eq(hs_cookie_parse(b.ptr, &kv, &n), HS_OK);
	ck_assert_uint_eq(n, HS_MAX_COOKIES);
	ck_assert_str_eq(kv[HS_MAX_COOKIES - 1].key, "c31");
	hs_kv_free(kv, n);

	/* A value at the cap is kept, one over it skipped. */
	hs_buf_reset(&b);
	s = repeat("v", HS_MAX_FIELD);
	ck_assert_int_eq(hs_buf_printf(&b, "a=%s; b=%sv; c=1", s, s), HS_OK);
	ck_assert_int_eq(hs_cookie_parse(b.ptr, &kv, &n), HS_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv[0].key, "a");
	ck_assert_uint_eq(kv[0].valsz, HS_MAX_FIELD);
	ck_assert_str_eq(kv[1].key, "c");
	hs_kv_free(kv, n);
	free(s);

	/* A name over HS_MAX_KEY is skipped. */
	hs_buf_reset(&b);
	s = repeat("n", HS_MAX_KEY + 1);
	ck_assert_int_eq(hs_buf_printf(&b, "%s=1; c=1", s), HS_OK);
	ck_assert_int_eq(hs_cookie_parse(b.ptr, &kv, &n), HS_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(kv[0].key, "c");
	hs_kv_free(kv, n);
	free(s);
	hs_buf_free(&b);
}
END_TEST

/*
 * HS_FAILMALLOC: fail the n-th allocation for every n until the parse
 * needs fewer; each failure must be HS_ENOMEM with nothing returned (and
 * nothing leaked, which ASan checks at exit).
 */
START_TEST(test_enomem)
{
	struct hs_kv	*kv;
	char		*out, num[16];
	size_t		 n, sz;
	enum hs_err	 rc;
	int		 i, done;

	for (i = 1, done = 0; done != 7; i++) {
		ck_assert_int_lt(i, 100);
		(void)snprintf(num, sizeof(num), "%d", i);
		ck_assert_int_eq(setenv("HS_FAILMALLOC", num, 1), 0);
		hs_failmalloc_init();
		kv = JUNK_KV;
		rc = hs_form_parse(S("a=1&b=%41&c&d=x"), &kv, &n);
		if (rc == HS_OK) {
			done |= 1;
			hs_kv_free(kv, n);
		} else {
			ck_assert_int_eq(rc, HS_ENOMEM);
			ck_assert_ptr_null(kv);
		}
		hs_failmalloc_init();
		kv = JUNK_KV;
		rc = hs_cookie_parse("a=1; b=2; c=3", &kv, &n);
		if (rc == HS_OK) {
			done |= 2;
			hs_kv_free(kv, n);
		} else {
			ck_assert_int_eq(rc, HS_ENOMEM);
			ck_assert_ptr_null(kv);
		}
		hs_failmalloc_init();
		rc = hs_url_decode(S("x%20y"), &out, &sz);
		if (rc == HS_OK) {
			done |= 4;
			free(out);
		} else
			ck_assert_int_eq(rc, HS_ENOMEM);
	}
	ck_assert_int_eq(setenv("HS_FAILMALLOC", "-1", 1), 0);
	hs_failmalloc_init();
}
END_TEST

/*
 * hs_url_check through its two users: invite-link destinations against
 * an allowlist (dest.c) and webhook URLs (webhook.c).
 */
static const struct {
	const char	*url;
	const char	*hosts;
	int		 ok;
} dests[] = {
	{ "https://a.example/x?y=1#z", "a.example", 1 },
	{ "HTTP://A.EXAMPLE", "a.example", 1 },
	{ "https://sub.a.example/", "*.a.example", 1 },
	{ "https://a.example/", "*.a.example", 0 },
	{ "https://b.example/", "a.example", 0 },
	{ "https://a.example:443/x", "a.example", 1 },
	{ "https://a.example:65535", "a.example", 1 },
	{ "https://a.example:0/", "a.example", 0 },
	{ "https://a.example:65536/", "a.example", 0 },
	{ "https://a.example:123456/", "a.example", 0 },
	{ "https://a.example:/", "a.example", 0 },
	{ "https://a.example:8o/", "a.example", 0 },
	{ "https://[::1]:8080/", "[::1]", 1 },
	{ "https://[::g]/", "[::g]", 0 },
	{ "https://[::1/", "[::1", 0 },
	{ "https://[::1]x/", "[::1]", 0 },
	{ "https://user@a.example/", "a.example", 0 },
	{ "https://a.example\\@b.example/", "a.example b.example", 0 },
	{ "https://a_b.example/", "a_b.example", 0 },
	{ "https://a.example/<x>", "a.example", 0 },
	{ "https://a.example/\r\nSet-Cookie: x", "a.example", 0 },
	{ "https://a.example/\xc3\xa9", "a.example", 0 },
	{ "javascript:alert(1)//a.example", "a.example", 0 },
	{ "//a.example/", "a.example", 0 },
	{ "https:///x", "a.example", 0 },
	{ "", "a.example", 0 },
};

START_TEST(test_dest)
{
	const char	*why = NULL;
	int		 ok;

	ok = hs_dest_valid(dests[_i].url, dests[_i].hosts, &why);
	ck_assert_msg(ok == dests[_i].ok, "%s: want %d", dests[_i].url,
	    dests[_i].ok);
	ck_assert(ok ? why == NULL : why != NULL);
	/* Without the allowlist, the URL rule alone: the webhooks'. */
	if (strncmp(dests[_i].hosts, "*.", 2) != 0 &&
	    strcmp(dests[_i].url, "https://b.example/") != 0)
		ck_assert_int_eq(hs_webhook_url_ok(dests[_i].url),
		    dests[_i].ok);
}
END_TEST

static Suite *
url_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("url");

	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_decode_good, 0, NELEM(dec_good));
	tcase_add_test(tc, test_decode_len);
	tcase_add_test(tc, test_path_decode);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_form);
	tcase_add_loop_test(tc, test_dest, 0, NELEM(dests));
	tcase_add_test(tc, test_form_crlf);
	tcase_add_loop_test(tc, test_cookie, 0, NELEM(cookies));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_decode_cap);
	tcase_add_test(tc, test_encode_cap);
	tcase_add_test(tc, test_form_limits);
	tcase_add_test(tc, test_cookie_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_decode_bad, 0, NELEM(dec_bad));
	tcase_add_test(tc, test_form_dup);
	tcase_add_loop_test(tc, test_form_bad, 0, NELEM(form_bad));
	tcase_add_test(tc, test_enomem);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{

	return hs_check_run(url_suite());
}
