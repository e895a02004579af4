/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_bots.c: the redirector's user-agent classes (src/link/bots.c):
 * link unfurlers and crawlers are bots with their reason, in any case;
 * people's browsers are desktop, mobile or tablet; no user agent is a
 * bot; a needle past a long prefix is still found.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "link.h"
#include "hs_check.h"

static const struct {
	const char	*ua;
	enum ua_class	 want;
	const char	*reason;	/* for bots */
} uas[] = {
	{ "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	    UA_BOT, "ua:slackbot" },
	{ "WhatsApp/2.23.20.0 A", UA_BOT, "ua:whatsapp" },
	{ "Twitterbot/1.0", UA_BOT, "ua:twitterbot" },
	{ "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_"
	    "uatext.php)", UA_BOT, "ua:facebook" },
	{ "FACEBOOKEXTERNALHIT/1.1", UA_BOT, "ua:facebook" },
	{ "Mastodon/4.2.0 (http.rb/5.1.1; +https://m.example/)", UA_BOT,
	    "ua:mastodon" },
	{ "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/"
	    "bot.html)", UA_BOT, "ua:googlebot" },
	{ "curl/7.88.1", UA_BOT, "ua:curl" },
	{ "python-requests/2.28", UA_BOT, "ua:python" },
	{ "SomeNewCrawler/0.1", UA_BOT, "ua:crawler" },
	{ "", UA_BOT, "ua:empty" },
	{ "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
	    "Firefox/128.0", UA_DESKTOP, NULL },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0 Safari/537.36", UA_DESKTOP, NULL },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
	    "Mobile/15E148 Safari/604.1", UA_MOBILE, NULL },
	{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
	    UA_MOBILE, NULL },
	{ "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0 Safari/537.36", UA_TABLET, NULL },
	{ "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X)", UA_TABLET, NULL },
	{ "SomethingElse/1.0", UA_OTHER, NULL },
};

START_TEST(classes)
{
	const char	*reason;
	enum ua_class	 c;

	c = link_ua_class(uas[_i].ua, &reason);
	ck_assert_msg(c == uas[_i].want, "%s: class %s, want %s", uas[_i].ua,
	    ua_names[c], ua_names[uas[_i].want]);
	if (uas[_i].reason == NULL)
		ck_assert_ptr_null(reason);
	else
		ck_assert_str_eq(reason, uas[_i].reason);
}
END_TEST

START_TEST(null_and_long)
{
	char		 ua[4096];
	const char	*reason;

	ck_assert_int_eq(link_ua_class(NULL, &reason), UA_BOT);
	ck_assert_str_eq(reason, "ua:empty");
	/* A bot's name after a long, harmless prefix. */
	memset(ua, 'x', sizeof(ua));
	(void)snprintf(ua + sizeof(ua) - 16, 16, "%s", " Twitterbot/1.0");
	ck_assert_int_eq(link_ua_class(ua, &reason), UA_BOT);
	ck_assert_str_eq(reason, "ua:twitterbot");
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("bots");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, classes, 0, sizeof(uas) / sizeof(uas[0]));
	tcase_add_test(tc, null_and_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
