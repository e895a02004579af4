/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fcgi.c: the worker's request loop over libfcgi, and CGI mode.  The
 * loop is the one from fcgi2's threaded.c, single-threaded: accept,
 * parse into struct hs_req (which copies every parameter, since libfcgi
 * frees them at the next accept), dispatch, free, finish.  SIGTERM is
 * blocked while a request runs, so a graceful stop never cuts one in
 * half, and is let in only around the blocking accept.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "hearsay.h"

#define FCGI_ACCEPT_BACKOFF_MS	100	/* after a failed accept (EMFILE) */
#define FCGI_DRAIN_MAX		(4 * HS_MAX_BODY) /* body read to close early */

extern char **environ;

static enum hs_err
fcgxwrite(const char *p, size_t sz, void *arg)
{

	if (FCGX_PutStr(p, (int)sz, arg) != (int)sz)
		return HS_EWRITE;
	return HS_OK;
}

/* Returns bytes read, 0 at the end of the body, -1 on a stream error. */
static ssize_t
fcgxread(char *p, size_t sz, void *arg)
{
	int	 n;

	n = FCGX_GetStr(p, (int)sz, arg);
	if (n == 0 && FCGX_GetError(arg) != 0)
		return -1;
	return n;
}

/*
 * Reads what is left of the request body (at most FCGI_DRAIN_MAX bytes;
 * nginx has buffered it all and caps it).  Returns 1 when the end of the
 * body was reached: nginx then sends nothing more on this connection,
 * so it can be closed at once.  Otherwise libfcgi's lingering close
 * (shutdown, then wait up to 2 s for nginx to close) stays, which costs
 * a round trip through nginx on every request while the worker idles.
 */
static int
drained(FCGX_Stream *in)
{
	char	 buf[1024];
	size_t	 total = 0;
	int	 n;

	while (total < FCGI_DRAIN_MAX &&
	    (n = FCGX_GetStr(buf, sizeof(buf), in)) > 0)
		total += (size_t)n;
	return FCGX_GetError(in) == 0 && FCGX_HasSeenEOF(in) == EOF;
}

static ssize_t
fdread(char *p, size_t sz, void *arg)
{

	return read(*(int *)arg, p, sz);
}

#ifdef HS_TEST_HOOKS
#define FCGI_TEST_FAULT_QUERY	"hs-test-fault="
/*
 * Test builds only (configure --enable-test-hooks, on by default with
 * --enable-sanitizers): when the program runs with HS_TEST_FAULT=1 in its
 * environment, a request whose query string is "hs-test-fault=KIND" makes
 * the worker commit that fault (abort, asan, ubsan, hang), so that a test
 * proves the harness fails on it (tests/it/stack_check.sh).
 */
static void
testfault(const struct hs_req *r)
{
	const char	*kind;
	volatile char	*p;
	volatile size_t	 past = 8;
	volatile int	 n = INT_MAX;

	if ((kind = getenv("HS_TEST_FAULT")) == NULL ||
	    strcmp(kind, "1") != 0 || r->query == NULL ||
	    strncmp(r->query, FCGI_TEST_FAULT_QUERY,
	    strlen(FCGI_TEST_FAULT_QUERY)) != 0)
		return;
	kind = r->query + strlen(FCGI_TEST_FAULT_QUERY);
	hs_log(HS_LOG_WARN, "test hook: fault \"%s\"", kind);
	if (strcmp(kind, "abort") == 0)
		abort();
	if (strcmp(kind, "asan") == 0 && (p = malloc(past)) != NULL) {
		p[past] = 1;		/* one past the end: heap overflow */
		free((void *)p);
	}
	if (strcmp(kind, "ubsan") == 0)
		n = n + 1;		/* signed overflow */
	if (strcmp(kind, "hang") == 0)
		for (;;)		/* SIGTERM is blocked in a request */
			(void)pause();
}
#endif

/*
 * Parses the request and calls the handler, or answers the parse error
 * itself.  The request is freed before returning.  fcgimux.c serves
 * through it too, and only there may a handler defer work (may_defer).
 * Returns 1 if the handler deferred work, else 0.
 */
int
hs_fcgi_serve(char **envp, const struct hs_conf *conf, hs_read_fn rd,
    void *rdarg, const struct hs_out *out, int may_defer, hs_handler h,
    void *arg)
{
	struct hs_req	 r;
	enum hs_err	 e;
	int		 deferred;

	e = hs_req_init(&r, envp, conf);
	r.read = rd;
	r.readarg = rdarg;
	r.out = *out;
	r.may_defer = may_defer;
	if (r.hdrs.max == 0)
		hs_buf_init(&r.hdrs, HS_MAX_HEADERS);
#ifdef HS_TEST_HOOKS
	if (e == HS_OK)
		testfault(&r);
#endif
	if (e == HS_OK)
		h(&r, arg);
	else {
		hs_log(HS_LOG_INFO, "bad request: %s", hs_strerror(e));
		(void)hs_http_error(&r, hs_http_status_of(e),
		    e == HS_EENCODING ? "The address has malformed "
		    "percent-encoding." : e == HS_EUTF8 ? "The address is "
		    "not valid UTF-8." : "The request could not be read.");
	}
	deferred = r.may_defer && r.deferred;
	hs_req_free(&r);
	hs_log_setreq(NULL);
	return deferred;
}

/*
 * The worker: serves requests on fd until hs_stopping is set.
 */
void
hs_fcgi_loop(int fd, const struct hs_conf *conf, hs_handler h, void *arg)
{
	FCGX_Request	 fr;
	struct hs_out	 out;
	struct sigaction usr1;
	sigset_t	 term;
	int		 rc;

	/*
	 * FCGX_Init installs libfcgi's own SIGUSR1 handler, after which
	 * every FCGX_Accept_r fails at once with EINTR: a worker sent
	 * SIGUSR1 spun at full CPU and served nothing.  Keep the worker's
	 * handler (prefork.c: a graceful stop, like SIGTERM).
	 */
	(void)sigaction(SIGUSR1, NULL, &usr1);
	rc = FCGX_Init();
	(void)sigaction(SIGUSR1, &usr1, NULL);
	if (rc != 0) {
		hs_log(HS_LOG_ERR, "FCGX_Init failed");
		return;
	}
	if (FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		hs_log(HS_LOG_ERR, "FCGX_InitRequest failed");
		return;
	}
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGUSR1);
	(void)sigprocmask(SIG_BLOCK, &term, NULL);
	for (;;) {
		(void)sigprocmask(SIG_UNBLOCK, &term, NULL);
		if (hs_stopping)
			break;
		rc = FCGX_Accept_r(&fr);
		(void)sigprocmask(SIG_BLOCK, &term, NULL);
		if (rc < 0) {
			if (hs_stopping)
				break;
			if (errno != EINTR) {
				hs_logerr("accept");
				(void)nanosleep(&(struct timespec){ 0,
				    FCGI_ACCEPT_BACKOFF_MS * 1000000L }, NULL);
			}
			continue;
		}
		out.write = fcgxwrite;
		out.arg = fr.out;
		(void)hs_fcgi_serve(fr.envp, conf, fcgxread, fr.in, &out, 0, h,
		    arg);
		if (drained(fr.in))
			(void)FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 0);
}

/* CGI mode when run by a CGI server (or a test) instead of nginx. */
int
hs_fcgi_is_cgi(void)
{

	return getenv("GATEWAY_INTERFACE") != NULL;
}

/*
 * Serves one request from the environment and stdin to stdout.
 * Returns 0.
 */
int
hs_cgi_once(const struct hs_conf *conf, hs_handler h, void *arg)
{
	struct hs_out	 out;
	int		 in = STDIN_FILENO, ofd = STDOUT_FILENO;

	hs_out_fd(&out, &ofd);
	(void)hs_fcgi_serve(environ, conf, fdread, &in, &out, 0, h, arg);
	return 0;
}
