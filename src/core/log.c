/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * log.c: one line per event on stderr, which systemd's journal or the
 * test harness collects: "prog[pid]: level req=ID: message".  The
 * request id ties a line to the request that caused it.  Messages never
 * carry secrets or personal data; callers are responsible for that.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

#define LOG_LINE	1024	/* longer messages are cut */

static const char	*progname = "hearsay";
static enum hs_loglevel	 maxlevel = HS_LOG_INFO;
static char		 reqid[HS_REQID_LEN + 1];

static const char *const levels[] = {
	"error",	/* HS_LOG_ERR */
	"warning",	/* HS_LOG_WARN */
	"info",		/* HS_LOG_INFO */
	"debug",	/* HS_LOG_DEBUG */
};

void
hs_log_init(const char *name, enum hs_loglevel max)
{

	progname = name;
	maxlevel = max;
}

/* Tags later lines with a request id; NULL clears it. */
void
hs_log_setreq(const char *id)
{

	if (id == NULL)
		reqid[0] = '\0';
	else
		(void)snprintf(reqid, sizeof(reqid), "%s", id);
}

static void	vlog(enum hs_loglevel, const char *, const char *, va_list)
		    HS_PRINTF(3, 0);

static void
vlog(enum hs_loglevel lvl, const char *suffix, const char *fmt, va_list ap)
{
	char	 msg[LOG_LINE];
	size_t	 i;

	if (lvl > maxlevel)
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A log line is one line: control bytes would forge entries. */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	(void)fprintf(stderr, "%s[%ld]: %s%s%s: %s%s%s\n", progname,
	    (long)getpid(), levels[lvl], reqid[0] != '\0' ? " req=" : "",
	    reqid, msg, suffix != NULL ? ": " : "",
	    suffix != NULL ? suffix : "");
}

void
hs_log(enum hs_loglevel lvl, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(lvl, NULL, fmt, ap);
	va_end(ap);
}

/* An error line with strerror(errno) appended, like warn(3). */
void
hs_logerr(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog(HS_LOG_ERR, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}
