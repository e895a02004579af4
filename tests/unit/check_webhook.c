/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_webhook.c: the webhook rules hearsay-admin and hearsay-webhook
 * share (core's webhook.c): which URLs may be a webhook, and that the
 * signing secret depends on the key and the nonce only.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

static const struct {
	const char	*url;
	int		 ok;
} urls[] = {
	{ "http://127.0.0.1/hook", 1 },
	{ "https://app.example.org/hooks/hearsay?x=1", 1 },
	{ "HTTPS://app.example.org", 1 },
	{ "http://app.example.org:8080/h", 1 },
	{ "http://[::1]:8080/h", 1 },
	{ "http://[::1]/h", 1 },
	{ "ftp://127.0.0.1/x", 0 },
	{ "javascript:alert(1)", 0 },
	{ "http://", 0 },
	{ "http:///x", 0 },
	{ "http://:80/x", 0 },
	{ "http://h:/x", 0 },
	{ "http://h:0/x", 0 },
	{ "http://h:65536/x", 0 },
	{ "http://h:8o/x", 0 },
	{ "http://[]/x", 0 },
	{ "http://[::1/x", 0 },
	{ "http://[::1]x/", 0 },
	{ "https://user:pw@127.0.0.1/x", 0 },
	{ "https://user@127.0.0.1/x", 0 },
	{ "http://127.0.0.1/a\r\nX-Injected: 1", 0 },
	{ "http://127.0.0.1/a b", 0 },
	{ "http://127.0.0.1/\xc3\xa9", 0 },
	{ "", 0 },
};

START_TEST(url_table)
{

	ck_assert_msg(hs_webhook_url_ok(urls[_i].url) == urls[_i].ok,
	    "%s: want %d", urls[_i].url, urls[_i].ok);
}
END_TEST

START_TEST(url_too_long)
{
	char	 u[HS_WEBHOOK_URL_MAX + 2];

	memset(u, 'x', sizeof(u) - 1);
	u[sizeof(u) - 1] = '\0';
	memcpy(u, "http://h/", 9);
	ck_assert_int_eq(hs_webhook_url_ok(u), 0);
	u[HS_WEBHOOK_URL_MAX] = '\0';
	ck_assert_int_eq(hs_webhook_url_ok(u), 1);
}
END_TEST

START_TEST(secret)
{
	unsigned char	 k1[32], k2[32];
	char		 a[HS_WEBHOOK_SECRET_LEN + 1], b[HS_WEBHOOK_SECRET_LEN + 1];

	memset(k1, 1, sizeof(k1));
	memset(k2, 2, sizeof(k2));
	hs_webhook_secret(k1, "00112233445566778899aabbccddeeff", a);
	ck_assert_uint_eq(strlen(a), HS_WEBHOOK_SECRET_LEN);
	ck_assert(strncmp(a, "whsec_", 6) == 0);
	hs_webhook_secret(k1, "00112233445566778899aabbccddeeff", b);
	ck_assert_str_eq(a, b);
	hs_webhook_secret(k2, "00112233445566778899aabbccddeeff", b);
	ck_assert_str_ne(a, b);
	hs_webhook_secret(k1, "00112233445566778899aabbccddeef0", b);
	ck_assert_str_ne(a, b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("webhook");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, url_table, 0, sizeof(urls) / sizeof(urls[0]));
	tcase_add_test(tc, url_too_long);
	tcase_add_test(tc, secret);
	suite_add_tcase(s, tc);
	return hs_check_run(s);
}
