/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_route.c: routes as a table (route.c).  An unknown path is 404
 * with the program's message, OPTIONS is 204 with Allow, a method the
 * route does not list is 405 with Allow, a body over the route's limit
 * is 413, and in none of these cases does a handler run; a prefix route
 * takes every path under it, and the first matching route wins.  A "*"
 * segment takes one non-empty segment (hs_path_seg reads it back), the
 * handler learns its route in r->route, and hs_route_err writes every
 * gate's error with the program's function.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

static struct hs_buf	 b;
static struct hs_req	 r;
static char		 path[64];
static const char	*called;	/* the handler that ran, or NULL */

static void
h_exact(struct hs_req *req, void *arg)
{

	called = "exact";
	if (hs_http_open(req, 200, "text/plain") != HS_OK)
		called = "failed";
}

static void
h_prefix(struct hs_req *req, void *arg)
{

	called = "prefix";
	if (hs_http_open(req, 200, "text/plain") != HS_OK)
		called = "failed";
}

static const struct hs_route routes[] = {
	{ "/a", 0, HS_M_READ, 0, h_exact, NULL, NULL },
	{ "/p/x", 0, HS_M(HS_METHOD_POST), 100, h_exact, NULL, NULL },
	{ "/p/", 1, HS_M_READ | HS_M(HS_METHOD_POST), 10, h_prefix, NULL,
	    NULL },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static void
setup(void)
{

	memset(&r, 0, sizeof(r));
	hs_buf_init(&b, 65536);
	hs_buf_init(&r.hdrs, HS_MAX_HEADERS);
	hs_out_buf(&r.out, &b);
	r.method = HS_METHOD_GET;
	r.content_length = -1;
	r.path = path;
	called = NULL;
}

static void
teardown(void)
{

	hs_buf_free(&b);
	hs_buf_free(&r.hdrs);
}

/* Routes a request; returns the response as written. */
static const char *
route(enum hs_method m, const char *p, long long len)
{

	r.method = m;
	(void)snprintf(path, sizeof(path), "%s", p);
	r.content_length = len;
	hs_route(&r, routes, NROUTES, "Nothing at all here.", NULL);
	return hs_buf_str(&b);
}

START_TEST(route_found)
{

	ck_assert_ptr_nonnull(strstr(route(HS_METHOD_GET, "/a", -1),
	    "Status: 200 "));
	ck_assert_str_eq(called, "exact");
}
END_TEST

START_TEST(route_head)
{

	ck_assert_ptr_nonnull(strstr(route(HS_METHOD_HEAD, "/a", -1),
	    "Status: 200 "));
	ck_assert_str_eq(called, "exact");
}
END_TEST

START_TEST(route_unknown_404)
{
	const char	*s;

	s = route(HS_METHOD_GET, "/ab", -1);
	ck_assert_ptr_nonnull(strstr(s, "Status: 404 "));
	ck_assert_ptr_nonnull(strstr(s, "Nothing at all here."));
	ck_assert_ptr_null(called);
}
END_TEST

START_TEST(route_options_204)
{
	const char	*s;

	s = route(HS_METHOD_OPTIONS, "/a", -1);
	ck_assert_ptr_nonnull(strstr(s, "Status: 204 "));
	ck_assert_ptr_nonnull(strstr(s, "Allow: GET, HEAD, OPTIONS\r\n"));
	ck_assert_ptr_null(called);
}
END_TEST

START_TEST(route_method_405)
{
	const char	*s;

	s = route(HS_METHOD_POST, "/a", 3);
	ck_assert_ptr_nonnull(strstr(s, "Status: 405 "));
	ck_assert_ptr_nonnull(strstr(s, "Allow: GET, HEAD, OPTIONS\r\n"));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	s = route(HS_METHOD_OTHER, "/p/x", -1);
	ck_assert_ptr_nonnull(strstr(s, "Status: 405 "));
	ck_assert_ptr_nonnull(strstr(s, "Allow: POST, OPTIONS\r\n"));
	ck_assert_ptr_null(called);
}
END_TEST

START_TEST(route_body_413)
{
	const char	*s;

	s = route(HS_METHOD_GET, "/a", 1);
	ck_assert_ptr_nonnull(strstr(s, "Status: 413 "));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	s = route(HS_METHOD_POST, "/p/x", 101);
	ck_assert_ptr_nonnull(strstr(s, "Status: 413 "));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	route(HS_METHOD_POST, "/p/x", 100);
	ck_assert_str_eq(called, "exact");
}
END_TEST

/* A route's own 405 and 413 words; a NULL path takes the rest ungated. */
static const struct hs_route own[] = {
	{ "/q/", 1, HS_M_READ, 0, h_exact, "Only fetched.", NULL },
	{ "/f", 0, HS_M(HS_METHOD_POST), 5, h_exact, NULL, "Too long." },
	{ NULL, 0, 0, 0, h_prefix, NULL, NULL },
};

START_TEST(route_own_messages_and_rest)
{
	const char	*s;

	r.method = HS_METHOD_POST;
	(void)snprintf(path, sizeof(path), "/q/x");
	hs_route(&r, own, 3, "unused", NULL);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 405 "));
	ck_assert_ptr_nonnull(strstr(s, "Only fetched."));
	ck_assert_ptr_nonnull(strstr(s, "Allow: GET, HEAD, OPTIONS\r\n"));
	teardown();
	setup();
	r.method = HS_METHOD_POST;
	r.content_length = 6;
	(void)snprintf(path, sizeof(path), "/f");
	hs_route(&r, own, 3, "unused", NULL);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 413 "));
	ck_assert_ptr_nonnull(strstr(s, "Too long."));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	/* Any method, any body, on any other path: the program's page. */
	r.method = HS_METHOD_OTHER;
	r.content_length = 1000;
	(void)snprintf(path, sizeof(path), "/elsewhere");
	hs_route(&r, own, 3, "unused", NULL);
	ck_assert_str_eq(called, "prefix");
	ck_assert_ptr_null(strstr(hs_buf_str(&b), "unused"));
}
END_TEST

START_TEST(route_prefix_first_match)
{

	/* /p/x is listed before the prefix: it wins, with its own limit. */
	route(HS_METHOD_POST, "/p/x", 50);
	ck_assert_str_eq(called, "exact");
	teardown();
	setup();
	route(HS_METHOD_GET, "/p/anything/else", -1);
	ck_assert_str_eq(called, "prefix");
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route(HS_METHOD_POST, "/p/y", 11),
	    "Status: 413 "));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	/* A prefix needs its slash: /p alone is not under /p/. */
	ck_assert_ptr_nonnull(strstr(route(HS_METHOD_GET, "/p", -1),
	    "Status: 404 "));
}
END_TEST

/* A slug in mid-path, and the handler told which route it serves. */
static const struct hs_route segs[] = {
	{ "/s/*", 0, HS_M_READ | HS_M(HS_METHOD_POST), 10, h_exact, NULL,
	    NULL },
	{ "/s/*/thanks", 0, HS_M_READ, 0, h_prefix, NULL, NULL },
};

static const char *
route_segs(enum hs_method m, const char *p)
{

	r.method = m;
	(void)snprintf(path, sizeof(path), "%s", p);
	hs_route(&r, segs, 2, "No survey.", NULL);
	return hs_buf_str(&b);
}

START_TEST(route_star_segment)
{
	const char	*s;
	char		 seg[8];

	route_segs(HS_METHOD_POST, "/s/abc");
	ck_assert_str_eq(called, "exact");
	ck_assert_ptr_eq(r.route, &segs[0]);
	teardown();
	setup();
	route_segs(HS_METHOD_GET, "/s/abc/thanks");
	ck_assert_str_eq(called, "prefix");
	ck_assert_ptr_eq(r.route, &segs[1]);
	teardown();
	setup();
	/* The route's own methods, not the form's, for its OPTIONS. */
	s = route_segs(HS_METHOD_OPTIONS, "/s/abc/thanks");
	ck_assert_ptr_nonnull(strstr(s, "Allow: GET, HEAD, OPTIONS\r\n"));
	ck_assert_ptr_null(called);
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_POST,
	    "/s/abc/thanks"), "Status: 405 "));
	teardown();
	setup();
	/* An empty segment, one too many, or another word: 404. */
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_GET, "/s/"),
	    "Status: 404 "));
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_GET, "/s//thanks"),
	    "Status: 404 "));
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_GET, "/s/abc/"),
	    "Status: 404 "));
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_GET,
	    "/s/abc/thanks/x"), "Status: 404 "));
	teardown();
	setup();
	ck_assert_ptr_nonnull(strstr(route_segs(HS_METHOD_GET,
	    "/s/abc/thank"), "Status: 404 "));
	ck_assert_ptr_null(called);
	ck_assert_int_eq(hs_path_seg("/s/abc/thanks", 1, seg, sizeof(seg)),
	    3);
	ck_assert_str_eq(seg, "abc");
	ck_assert_int_eq(hs_path_seg("/s/abc/thanks", 2, seg, sizeof(seg)),
	    6);
	ck_assert_str_eq(seg, "thanks");
	ck_assert_int_eq(hs_path_seg("/s/abc", 2, seg, sizeof(seg)), -1);
	ck_assert_int_eq(hs_path_seg("/s/abcdefgh", 1, seg, sizeof(seg)),
	    -1);
	ck_assert_int_eq(hs_path_seg("/s/", 1, seg, sizeof(seg)), 0);
}
END_TEST

/* An API's errors: its own writer for 404, 405 and 413, not the page. */
static enum hs_err
json_err(struct hs_req *req, int code, const char *msg)
{
	enum hs_err	 e;

	if ((e = hs_http_open(req, code, "application/json")) != HS_OK)
		return e;
	return hs_out_printf(&req->out, "{\"error\":\"%s\"}", msg);
}

START_TEST(route_err_writer)
{
	const char	*s;

	r.method = HS_METHOD_GET;
	(void)snprintf(path, sizeof(path), "/nope");
	hs_route_err(&r, routes, NROUTES, "no such API", json_err, NULL);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 404 "));
	ck_assert_ptr_nonnull(strstr(s, "{\"error\":\"no such API\"}"));
	teardown();
	setup();
	r.method = HS_METHOD_GET;
	(void)snprintf(path, sizeof(path), "/p/x");
	hs_route_err(&r, routes, NROUTES, "no such API", json_err, NULL);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 405 "));
	ck_assert_ptr_nonnull(strstr(s, "Allow: POST, OPTIONS\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "application/json"));
	teardown();
	setup();
	r.method = HS_METHOD_POST;
	r.content_length = 101;
	(void)snprintf(path, sizeof(path), "/p/x");
	hs_route_err(&r, routes, NROUTES, "no such API", json_err, NULL);
	s = hs_buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Status: 413 "));
	ck_assert_ptr_nonnull(strstr(s, "{\"error\":"));
	ck_assert_ptr_null(strstr(s, "<html"));
	ck_assert_ptr_null(called);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("route");
	TCase	*tc = tcase_create("gates");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, route_found);
	tcase_add_test(tc, route_head);
	tcase_add_test(tc, route_unknown_404);
	tcase_add_test(tc, route_options_204);
	tcase_add_test(tc, route_method_405);
	tcase_add_test(tc, route_body_413);
	tcase_add_test(tc, route_prefix_first_match);
	tcase_add_test(tc, route_own_messages_and_rest);
	tcase_add_test(tc, route_star_segment);
	tcase_add_test(tc, route_err_writer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
