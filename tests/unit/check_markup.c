/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_markup.c: the HTML element writer (markup.c).  Hostile values
 * stay inside their quotes, hostile names are refused with nothing
 * written, NULL and bare attributes behave as the pages rely on.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"
#include "hs_check_out.h"

/* Values that try to leave their quotes, open a tag or an entity. */
static const struct {
	const char	*val;
	const char	*want;
} hostile[] = {
	{ "\"><script>alert(1)</script>",
	  "<a href=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">" },
	{ "x' onmouseover='y", "<a href=\"x&#39; onmouseover=&#39;y\">" },
	{ "&amp;&lt;", "<a href=\"&amp;amp;&amp;lt;\">" },
	{ "a\" b=\"c", "<a href=\"a&quot; b=&quot;c\">" },
	{ "line\nbreak`", "<a href=\"line\nbreak`\">" },
	/* Bytes are not decoded: invalid UTF-8 is passed on, inert. */
	{ "\xff\xfe<\xc3", "<a href=\"\xff\xfe&lt;\xc3\">" },
	{ "", "<a href=\"\">" },
};

START_TEST(values_escaped_in_quotes)
{
	size_t	 i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		hs_buf_reset(&b);
		ck_assert_int_eq(hs_html_open(&o, "a", "href", hostile[i].val,
		    (char *)NULL), HS_OK);
		ck_assert_msg(strcmp(hs_buf_str(&b), hostile[i].want) == 0,
		    "row %zu: %s", i, hs_buf_str(&b));
	}
}
END_TEST

START_TEST(null_and_bare)
{

	ck_assert_int_eq(hs_html_open(&o, "input", "type", "checkbox",
	    "title", (char *)NULL, "checked", hs_html_bare, "value", "",
	    (char *)NULL), HS_OK);
	SAYS("<input type=\"checkbox\" checked value=\"\">");
	hs_buf_reset(&b);
	/* An empty string that is not hs_html_bare is a value. */
	ck_assert_int_eq(hs_html_open(&o, "script", "defer", "",
	    (char *)NULL), HS_OK);
	SAYS("<script defer=\"\">");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_open(&o, "p", (char *)NULL), HS_OK);
	SAYS("<p>");
}
END_TEST

START_TEST(elem_text_escaped)
{

	ck_assert_int_eq(hs_html_elem(&o, "p", "<b>&\"'</b>", "class",
	    "error", "aria-describedby", "x", (char *)NULL), HS_OK);
	SAYS("<p class=\"error\" aria-describedby=\"x\">"
	    "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;</p>");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_elem(&o, "span", NULL, (char *)NULL), HS_OK);
	SAYS("<span></span>");
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_close(&o, "div"), HS_OK);
	SAYS("</div>");
}
END_TEST

/* Names are constants; one that could carry markup writes nothing. */
START_TEST(bad_names_refused)
{
	static const char *const bad[] = {
		"", "A", "1a", "a b", "a>", "a\"", "on=x", "-a",
		"script><img", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hs_buf_reset(&b);
		ck_assert_int_eq(hs_html_open(&o, bad[i], (char *)NULL),
		    HS_EINVAL);
		ck_assert_int_eq(hs_html_close(&o, bad[i]), HS_EINVAL);
		ck_assert_msg(b.len == 0, "element %zu wrote %s", i,
		    hs_buf_str(&b));
		/* A bad attribute name stops before its name. */
		ck_assert_int_eq(hs_html_open(&o, "a", bad[i], "v",
		    (char *)NULL), HS_EINVAL);
		ck_assert_msg(strcmp(hs_buf_str(&b), "<a") == 0,
		    "attribute %zu wrote %s", i, hs_buf_str(&b));
	}
	hs_buf_reset(&b);
	ck_assert_int_eq(hs_html_open(&o, NULL, (char *)NULL), HS_EINVAL);
	ck_assert_int_eq(hs_html_open(&o, "aria-describedby", (char *)NULL),
	    HS_OK);
}
END_TEST

static Suite *
markup_suite(void)
{
	Suite	*s = suite_create("markup");
	TCase	*tc = tcase_create("core");

	hs_check_out_fixture(tc);
	tcase_add_test(tc, values_escaped_in_quotes);
	tcase_add_test(tc, null_and_bare);
	tcase_add_test(tc, elem_text_escaped);
	tcase_add_test(tc, bad_names_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(markup_suite());
}
