/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_click.c: the click journal record (src/link/click.c).  Every
 * click a worker encodes decodes to the same click (the round trip, over
 * a table that covers every optional field present and absent); a
 * record written by the format string the workers used before click.c
 * still loads (journals on disk survive an upgrade); and what the
 * encoder refuses (a field that would break the line or read back as
 * another value) the decoder refuses too.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "link.h"
#include "hs_check.h"

#define ID	"0123456789abcdef0123456789abcdef"
#define HASH	"00112233445566778899aabbccddeeff" \
		"00112233445566778899aabbccddeeff"

static const struct link_click trips[] = {
	{ ID, 1700000000123LL, 7, "link", HASH, "desktop", "chat.example",
	    0, NULL },
	{ ID, 1, 1, "qr", NULL, "mobile", NULL, 0, NULL },
	{ ID, 1700000000000LL, 9007199254740993LL, "link", NULL, "bot",
	    "t.co", 1, "ua:slackbot" },
	{ ID, 1700000000000LL, 3, "qr", HASH, "bot", NULL, 1, "prefetch" },
	{ ID, 42, 2, "link", NULL, "tablet", "a-b.example", 0, NULL },
};

static int
same(const char *a, const char *b)
{

	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

START_TEST(round_trip)
{
	const struct link_click	*c = &trips[_i];
	struct link_click	 d;
	char			 rec[CLICK_REC_MAX];
	int			 n;

	n = link_click_encode(c, rec, sizeof(rec));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq((size_t)n, strlen(rec));
	ck_assert_ptr_null(strchr(rec, '\n'));
	ck_assert_int_eq(link_click_decode(rec, &d), 0);
	ck_assert_str_eq(d.id, c->id);
	ck_assert_int_eq(d.ms, c->ms);
	ck_assert_int_eq(d.link, c->link);
	ck_assert_str_eq(d.trigger, c->trigger);
	ck_assert(same(d.hash, c->hash));
	ck_assert_str_eq(d.ua, c->ua);
	ck_assert(same(d.referer, c->referer));
	ck_assert_int_eq(d.bot, c->bot);
	ck_assert(same(d.reason, c->reason));
}
END_TEST

/* The bytes handle.c's format string wrote before click.c existed. */
START_TEST(old_records_load)
{
	char			 rec[] = "c1\t" ID "\t1700000000123\t7\tqr\t-\t"
	    "mobile\t-\t1\tprefetch";
	struct link_click	 d, c = { ID, 1700000000123LL, 7, "qr", NULL,
	    "mobile", NULL, 1, "prefetch" };
	char			 again[CLICK_REC_MAX];

	ck_assert_int_eq(link_click_encode(&c, again, sizeof(again)),
	    (int)strlen(rec));
	ck_assert_str_eq(again, rec);
	ck_assert_int_eq(link_click_decode(rec, &d), 0);
	ck_assert_ptr_null(d.hash);
	ck_assert_ptr_null(d.referer);
	ck_assert_str_eq(d.reason, "prefetch");
}
END_TEST

/* Clicks no record may carry: the encoder refuses them. */
static const struct link_click bad[] = {
	{ "0123", 1, 1, "link", NULL, "desktop", NULL, 0, NULL },
	{ "0123456789ABCDEF0123456789ABCDEF", 1, 1, "link", NULL, "desktop",
	    NULL, 0, NULL },
	{ ID, 0, 1, "link", NULL, "desktop", NULL, 0, NULL },
	{ ID, 1, 0, "link", NULL, "desktop", NULL, 0, NULL },
	{ ID, 1, 1, "email", NULL, "desktop", NULL, 0, NULL },
	{ ID, 1, 1, "link", "abc", "desktop", NULL, 0, NULL },
	{ ID, 1, 1, "link", NULL, "fridge", NULL, 0, NULL },
	{ ID, 1, 1, "link", NULL, "desktop", "a\tb", 0, NULL },
	{ ID, 1, 1, "link", NULL, "desktop", "a\nb", 0, NULL },
	{ ID, 1, 1, "link", NULL, "desktop", "-", 0, NULL },
	{ ID, 1, 1, "link", NULL, "desktop", "", 0, NULL },
	{ ID, 1, 1, "link", NULL, "bot", NULL, 2, NULL },
	{ ID, 1, 1, "link", NULL, "bot", NULL, 1, "-" },
};

START_TEST(encoder_refuses)
{
	char	 rec[CLICK_REC_MAX];

	ck_assert_int_eq(link_click_encode(&bad[_i], rec, sizeof(rec)), -1);
}
END_TEST

START_TEST(encoder_too_small)
{
	char	 rec[16];

	ck_assert_int_eq(link_click_encode(&trips[0], rec, sizeof(rec)), -1);
}
END_TEST

/* Records the decoder refuses. */
static const char *const unreadable[] = {
	"",
	"c2\t" ID "\t1\t1\tlink\t-\tdesktop\t-\t0\t-",
	"c1\t" ID "\t1\t1\tlink\t-\tdesktop\t-\t0",
	"c1\t" ID "\t1\t1\tlink\t-\tdesktop\t-\t0\t-\textra",
	"c1\t" ID "\t1x\t1\tlink\t-\tdesktop\t-\t0\t-",
	"c1\t" ID "\t\t1\tlink\t-\tdesktop\t-\t0\t-",
	"c1\t" ID "\t1\t-5\tlink\t-\tdesktop\t-\t0\t-",
	"c1\t" ID "\t1\t1\tlink\t-\tdesktop\t-\tyes\t-",
	"c1\t" ID "\t1\t1\tlink\tnothex\tdesktop\t-\t0\t-",
	"c1\t" ID "\t1\t1\tlink\t-\tfridge\t-\t0\t-",
	"c1\t" ID "\t1\t1\tlink\t-\tdesktop\t\t0\t-",
};

START_TEST(decoder_refuses)
{
	char			 rec[CLICK_REC_MAX];
	struct link_click	 d;

	ck_assert_uint_lt(strlen(unreadable[_i]), sizeof(rec));
	(void)snprintf(rec, sizeof(rec), "%s", unreadable[_i]);
	ck_assert_int_eq(link_click_decode(rec, &d), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("click");
	TCase	*tc = tcase_create("record");

	tcase_add_loop_test(tc, round_trip, 0,
	    sizeof(trips) / sizeof(trips[0]));
	tcase_add_test(tc, old_records_load);
	tcase_add_loop_test(tc, encoder_refuses, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, encoder_too_small);
	tcase_add_loop_test(tc, decoder_refuses, 0,
	    sizeof(unreadable) / sizeof(unreadable[0]));
	suite_add_tcase(s, tc);
	return hs_check_run(s);
}
