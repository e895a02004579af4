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
 * for a program whose 404 is a page of its own (hearsay-link).
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

static int
matches(const struct hs_route *rt, const char *path)
{

	if (rt->path == NULL)
		return 1;
	if (rt->prefix)
		return strncmp(path, rt->path, strlen(rt->path)) == 0;
	return strcmp(path, rt->path) == 0;
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
 * with arg.  notfound is the 404's message, for people.
 */
void
hs_route(struct hs_req *r, const struct hs_route *routes, size_t n,
    const char *notfound, void *arg)
{
	const struct hs_route	*rt = NULL;
	char			 methods[ROUTE_ALLOW_MAX];
	size_t			 i;

	for (i = 0; i < n && rt == NULL; i++)
		if (matches(&routes[i], r->path))
			rt = &routes[i];
	if (rt == NULL) {
		(void)hs_http_error(r, 404, notfound);
		return;
	}
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
			(void)hs_http_error(r, 405, rt->refused != NULL ?
			    rt->refused : "That method is not allowed here.");
		return;
	}
	if (r->content_length > (long long)rt->body_max) {
		(void)hs_http_error(r, 413, rt->toolarge != NULL ?
		    rt->toolarge : "That request is too large.");
		return;
	}
	rt->handle(r, arg);
}
