/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_http.c: the response writer: default security headers, header
 * values with CR/LF or control bytes refused, HEAD without a body,
 * redirects and the error page.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

static struct hs_buf	b;
static struct hs_req	r;

static void
setup(void)
{

	memset(&r, 0, sizeof(r));
	hs_buf_init(&b, 65536);
	hs_buf_init(&r.hdrs, HS_MAX_HEADERS);
	hs_out_buf(&r.out, &b);
	r.method = HS_METHOD_GET;
}

static void
teardown(void)
{

	hs_buf_free(&b);
	hs_buf_free(&r.hdrs);
}

START_TEST(open_writes_defaults)
{
	const char	*s;

	ck_assert_int_eq(hs_http_open(&r, 200, "text/html"), HS_OK);
	ck_assert_int_eq(hs_http_write(&r, "hi", 2), HS_OK);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 200 OK\r\n"));
	ck_assert_ptr_nonnull(strstr(s,
	    "Content-Type: text/html; charset=utf-8\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "X-Content-Type-Options: nosniff\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "X-Frame-Options: DENY\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "Cache-Control: no-store\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "Content-Security-Policy: "
	    "default-src 'none'"));
	ck_assert_ptr_nonnull(strstr(s, "\r\n\r\nhi"));
	/* Headers go out once. */
	ck_assert_int_eq(hs_http_open(&r, 200, "text/html"), HS_EINVAL);
	ck_assert_int_eq(hs_http_header(&r, "X-A", "b"), HS_EINVAL);
}
END_TEST

START_TEST(handler_overrides_defaults)
{
	const char	*s;

	ck_assert_int_eq(hs_http_header(&r, "Cache-Control",
	    "public, max-age=60"), HS_OK);
	ck_assert_int_eq(hs_http_open(&r, 200, "image/png"), HS_OK);
	s = hs_buf_str(&b);
	ck_assert_ptr_null(strstr(s, "no-store"));
	ck_assert_ptr_nonnull(strstr(s, "Cache-Control: public, max-age=60"));
	ck_assert_ptr_nonnull(strstr(s, "Content-Type: image/png\r\n"));
}
END_TEST

static const char *const badvals[] = {
	"a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "tab\tinside", "\x01",
	"del\x7f",
};

START_TEST(header_injection_refused)
{
	size_t	 i;

	for (i = 0; i < sizeof(badvals) / sizeof(badvals[0]); i++)
		ck_assert_int_eq(hs_http_header(&r, "X-Test", badvals[i]),
		    HS_EHEADER);
	ck_assert_int_eq(hs_http_header(&r, "Bad Name", "v"), HS_EHEADER);
	ck_assert_int_eq(hs_http_header(&r, "Bad:Name", "v"), HS_EHEADER);
	ck_assert_int_eq(hs_http_header(&r, "", "v"), HS_EHEADER);
	ck_assert_uint_eq(r.hdrs.len, 0);
	ck_assert_int_eq(hs_http_redirect(&r, 302, "https://x/\r\nSet-"
	    "Cookie: a=1"), HS_EHEADER);
	ck_assert_uint_eq(b.len, 0);		/* nothing was written */
}
END_TEST

START_TEST(redirect_and_head)
{
	const char	*s;

	r.method = HS_METHOD_HEAD;
	ck_assert_int_eq(hs_http_redirect(&r, 302, "https://example.org/a?b=c"),
	    HS_OK);
	ck_assert_int_eq(hs_http_write(&r, "body", 4), HS_OK);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 302 Found\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "Location: https://example.org/a?b=c"
	    "\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "Cache-Control: no-store\r\n"));
	ck_assert_ptr_null(strstr(s, "body"));
	ck_assert_ptr_null(strstr(s, "\r\nContent-Type:"));
}
END_TEST

START_TEST(error_page_escapes)
{
	const char	*s;

	ck_assert_int_eq(hs_http_error(&r, 405, "no <b>"), HS_OK);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 405 Method Not Allowed"));
	ck_assert_ptr_nonnull(strstr(s, "Allow: GET, HEAD\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "no &lt;b&gt;"));
	ck_assert_int_eq(hs_http_error(&r, 500, "late"), HS_EINVAL);
}
END_TEST

START_TEST(status_mapping)
{

	ck_assert_int_eq(hs_http_status_of(HS_EENCODING), 400);
	ck_assert_int_eq(hs_http_status_of(HS_EUTF8), 400);
	ck_assert_int_eq(hs_http_status_of(HS_EDUP), 400);
	ck_assert_int_eq(hs_http_status_of(HS_ESHORT), 400);
	ck_assert_int_eq(hs_http_status_of(HS_ETOOBIG), 413);
	ck_assert_int_eq(hs_http_status_of(HS_EMEDIA), 415);
	ck_assert_int_eq(hs_http_status_of(HS_ENOTFOUND), 404);
	ck_assert_int_eq(hs_http_status_of(HS_EDB), 500);
	ck_assert_int_eq(hs_http_status_of(HS_EAGAIN), 503);
	ck_assert_str_eq(hs_http_reason(413), "Content Too Large");
	/* The capability pages answer a revoked token so (qr cap.c). */
	ck_assert_str_eq(hs_http_reason(410), "Gone");
	ck_assert_str_eq(hs_strerror(HS_ERR__MAX), "unknown error");
	ck_assert_str_eq(hs_strerror(HS_EFULL), "no space left");
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, open_writes_defaults);
	tcase_add_test(core, handler_overrides_defaults);
	tcase_add_test(core, redirect_and_head);
	tcase_add_test(core, status_mapping);
	tcase_add_test(errors, header_injection_refused);
	tcase_add_test(errors, error_page_escapes);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
