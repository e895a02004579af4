/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * err.c: human text for enum hs_err, one commented row per code (like
 * kcgi's kcgi_strerror).  These strings go to logs, never to clients.
 */
#include "config.h"

#include "hearsay.h"

static const char *const errs[HS_ERR__MAX] = {
	"success",				/* HS_OK */
	"out of memory",			/* HS_ENOMEM */
	"invalid argument or input",		/* HS_EINVAL */
	"over a size limit",			/* HS_ETOOBIG */
	"malformed percent-encoding",		/* HS_EENCODING */
	"invalid UTF-8 or embedded NUL",	/* HS_EUTF8 */
	"field given more than once",		/* HS_EDUP */
	"body shorter than Content-Length",	/* HS_ESHORT */
	"unsupported media type",		/* HS_EMEDIA */
	"not found",				/* HS_ENOTFOUND */
	"database error",			/* HS_EDB */
	"transient failure, try again",		/* HS_EAGAIN */
	"input/output error",			/* HS_EIO */
	"no space left",			/* HS_EFULL */
	"write to client failed",		/* HS_EWRITE */
	"control character in header",		/* HS_EHEADER */
};

/*
 * Returns a static string describing the error; never NULL.
 */
const char *
hs_strerror(enum hs_err e)
{

	if ((unsigned int)e >= HS_ERR__MAX)
		return "unknown error";
	return errs[e];
}
