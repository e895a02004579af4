/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * route.c: a program's routes as a table, in the spirit of kcgi's
 * pages[] (STYLE.md section 5).  Each route names a path (exact, or a
 * prefix), the methods it takes, the largest body it reads and its
 * handler; hs_route() applies the gates every program needs, in one
 * place and one order, before any handler runs:
 *
 *   unknown path		404 with the program's message
 *   OPTIONS			204 with Allow
 *   a method not listed	405 with Allow
 *   Content-Length > limit	413
 *
 * A handler is then called only with a path, method and body size it
 * declared.  Routes are tried in order: the first that matches wins.
 * A route may name its own 405 and 413 messages (refused, toolarge);
 * one whose path is NULL, last, takes every other path without gates,
 * for a program whose 404 is a page of its own (hearsay-link).  A "*"
 * in a route's path stands for one segment (hearsay-survey's slugs),
 * which the handler reads with hs_path_seg; r->route tells it which
 * route it serves.  hs_route_err writes the errors with a function of
 * the program's (the survey API's JSON).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"

#define ROUTE_ALLOW_MAX	64	/* "GET, HEAD, POST, OPTIONS" and room */

static const char *const mnames[HS_METHOD__MAX] = {
	"GET",		/* HS_METHOD_GET */
	"HEAD",		/* HS_METHOD_HEAD */
	"POST",		/* HS_METHOD_POST */
	"OPTIONS",	/* HS_METHOD_OPTIONS */
	NULL,		/* HS_METHOD_OTHER */
};

/*
 * Whether path is rt's: the same, or under it for a prefix route.  A
 * "*" in the route's path takes any one non-empty segment of path.
 */
static int
matches(const struct hs_route *rt, const char *path)
{
	const char	*p = rt->path;
	size_t		 n;

	if (p == NULL)
		return 1;
	while (*p != '\0') {
		if (*p == '*') {
			if ((n = strcspn(path, "/")) == 0)
				return 0;
			path += n;
			p++;
		} else if (*p++ != *path++)
			return 0;
	}
	return rt->prefix || *path == '\0';
}

/* The Allow header of a route: its methods, then OPTIONS. */
static void
allow(const struct hs_route *rt, char *buf, size_t sz)
{
	size_t	 m, len = 0;

	buf[0] = '\0';
	for (m = 0; m < HS_METHOD__MAX; m++) {
		if (mnames[m] == NULL || m == HS_METHOD_OPTIONS ||
		    !(rt->methods & HS_M(m)))
			continue;
		len += (size_t)snprintf(buf + len, sz - len, "%s, ",
		    mnames[m]);
	}
	(void)snprintf(buf + len, sz - len, "OPTIONS");
}

/*
 * Finds the route of r among n, applies the gates and calls its handler
 * with arg.  notfound is the 404's message, for people; every error is
 * written by errfn (hs_http_error, or an API's JSON).
 */
void
hs_route_err(struct hs_req *r, const struct hs_route *routes, size_t n,
    const char *notfound, hs_errfn errfn, void *arg)
{
	const struct hs_route	*rt = NULL;
	char			 methods[ROUTE_ALLOW_MAX];
	size_t			 i;

	for (i = 0; i < n && rt == NULL; i++)
		if (matches(&routes[i], r->path))
			rt = &routes[i];
	if (rt == NULL) {
		(void)errfn(r, 404, notfound);
		return;
	}
	r->route = rt;
	if (rt->path == NULL) {
		rt->handle(r, arg);
		return;
	}
	allow(rt, methods, sizeof(methods));
	if (r->method == HS_METHOD_OPTIONS) {
		if (hs_http_header(r, "Allow", methods) == HS_OK &&
		    hs_http_open(r, 204, NULL) != HS_OK)
			hs_log(HS_LOG_INFO, "route: client went away");
		return;
	}
	if (!(rt->methods & HS_M(r->method))) {
		if (hs_http_header(r, "Allow", methods) == HS_OK)
			(void)errfn(r, 405, rt->refused != NULL ?
			    rt->refused : "That method is not allowed here.");
		return;
	}
	if (r->content_length > (long long)rt->body_max) {
		(void)errfn(r, 413, rt->toolarge != NULL ?
		    rt->toolarge : "That request is too large.");
		return;
	}
	rt->handle(r, arg);
}

void
hs_route(struct hs_req *r, const struct hs_route *routes, size_t n,
    const char *notfound, void *arg)
{

	hs_route_err(r, routes, n, notfound, hs_http_error, arg);
}

/*
 * Copies segment i (from 0) of path into buf: "/s/abc/thanks" has "s",
 * "abc" and "thanks".  Returns its length, or -1 when path has no such
 * segment or it does not fit in sz.
 */
int
hs_path_seg(const char *path, size_t i, char *buf, size_t sz)
{
	size_t	 n;

	for (;;) {
		if (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (i-- == 0)
			break;
		if (path[n] == '\0')
			return -1;
		path += n;
	}
	if (n >= sz)
		return -1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return (int)n;
}
