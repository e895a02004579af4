/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * fcgimux.c: a worker that serves many FastCGI connections at once
 * (epoll), so that nginx can keep them open between requests
 * (fastcgi_keep_conn on, an upstream with keepalive).  Handlers run one
 * at a time, to completion, through hs_fcgi_serve.  The redirector
 * answers from memory and a local journal; the survey waits on MariaDB
 * once per batch (below).  qr and report keep fcgi.c's libfcgi loop.
 *
 * Why not libfcgi here: its worker serves one connection at a time, so
 * nginx must open one per request (socket, connect, accept, close on
 * both sides: most of a redirect's CPU), and a connection nginx keeps
 * idle pins the worker that accepted it while requests queue behind it
 * (we measured a p99 of a second).  Here a kept connection costs a file
 * descriptor and a few buffers.  The protocol itself is fcgiproto.c.
 *
 * Batches: the requests one epoll_wait brings are all served before any
 * answer is written, then the program's settle hook runs once.  That is
 * where the survey commits every answer of the batch in one statement:
 * a request that arrives while a COMMIT waits on the disk joins the next
 * batch instead of queueing behind it.  A handler that deferred its
 * work (r->deferred) answered as if it would succeed; if the hook says
 * it did not, those requests are served again, without deferring, and
 * only their second answers are written.
 *
 * Stopping (SIGTERM, a reload): no more accepts; what was already sent
 * is served and its answers written (for up to MUX_DRAIN_MS); then every
 * connection is closed.  A request nginx sends on an idle connection
 * just as it closes fails there, and nginx retries it on a new one
 * (fastcgi_next_upstream: see nginx/hearsay.conf).
 */
#define _GNU_SOURCE	/* accept4(2): a non-blocking socket in one call */

#include "config.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"

#define MUX_CONNS_MAX	512	/* connections per worker */
#define MUX_EVENTS	64	/* events taken per epoll_wait */
#define MUX_ACCEPT_BURST 16	/* accepts per wake-up, then serve */
#define MUX_READ_CHUNK	(16 * 1024)	/* bytes per read */
#define MUX_IN_MAX	(2 * (8 + 65535 + 255))	/* two whole records */
#define MUX_STAGE_MAX	(HS_MAX_PAGE + HS_MAX_HEADERS)	/* one response */
#define MUX_OUT_MAX	(MUX_STAGE_MAX + 64 * 1024)	/* + its framing */
#define MUX_STALL_SECS	10	/* a half-sent request, an unread answer */
#define MUX_TICK_MS	1000	/* stall checks while connections are open */
#define MUX_BACKOFF_MS	100	/* accepts paused after EMFILE and the like */
#define MUX_DRAIN_MS	1000	/* on stop, to write what was answered */

static const char mux_bad[] = "Status: 400 Bad Request\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "The request could not be read.\n";

struct conn {
	int			 fd;	/* -1: slot free */
	struct hs_buf		 in;	/* bytes read, not yet parsed */
	struct hs_buf		 out;	/* records not yet written */
	size_t			 outoff; /* of out, written */
	struct hs_fcgi_in	 req;
	int			 closing; /* close once out is written */
	int			 held;	/* answered; written once settled */
	int			 deferred; /* its handler deferred work */
	size_t			 resp_off; /* of out, where its answer starts */
	int			 writing; /* waiting for EPOLLOUT */
	long long		 last;	/* ms of the last progress */
};

struct mux {
	int			 ep, lfd;
	int			 listening; /* lfd in the epoll set */
	long long		 paused_until; /* ms; accepts paused */
	long long		 swept;	/* ms of the last sweep */
	size_t			 nconns;
	size_t			 nheld;	/* connections held */
	struct conn		 conns[MUX_CONNS_MAX];
	struct hs_buf		 stage;	/* the handler's output */
	const struct hs_conf	*conf;
	hs_handler		 h;
	hs_settle_fn		 settle;
	void			*arg;
};

/* The body reader handed to the handler. */
struct body {
	const char	*p;
	size_t		 n, off;
};

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static ssize_t
bodyread(char *p, size_t sz, void *arg)
{
	struct body	*b = arg;

	if (sz > b->n - b->off)
		sz = b->n - b->off;
	memcpy(p, b->p + b->off, sz);
	b->off += sz;
	return (ssize_t)sz;
}

static enum hs_err
stagewrite(const char *p, size_t sz, void *arg)
{

	return hs_buf_add(arg, p, sz);
}

static void
conn_close(struct mux *m, struct conn *c)
{

	(void)epoll_ctl(m->ep, EPOLL_CTL_DEL, c->fd, NULL);
	(void)close(c->fd);
	c->fd = -1;
	if (c->held)
		m->nheld--;
	c->held = 0;
	hs_buf_free(&c->in);
	hs_buf_free(&c->out);
	hs_fcgi_in_free(&c->req);
	m->nconns--;
}

/* Watch c for input, or for room to write while an answer is pending. */
static int
conn_watch(struct mux *m, struct conn *c, int writing)
{
	struct epoll_event	 ev;

	if (c->writing == writing)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = writing ? EPOLLOUT : EPOLLIN;
	ev.data.ptr = c;
	if (epoll_ctl(m->ep, EPOLL_CTL_MOD, c->fd, &ev) == -1) {
		hs_logerr("epoll_ctl");
		return -1;
	}
	c->writing = writing;
	return 0;
}

/*
 * Writes what is pending.  Returns 0, or -1 when c was closed (an
 * error, or the last answer of a connection nginx does not keep).
 */
static int
conn_flush(struct mux *m, struct conn *c)
{
	ssize_t	 w;

	while (c->outoff < c->out.len) {
		w = write(c->fd, c->out.ptr + c->outoff,
		    c->out.len - c->outoff);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (conn_watch(m, c, 1) == -1)
				break;
			return 0;
		}
		if (w <= 0)
			break;
		c->outoff += (size_t)w;
		c->last = now_ms();
	}
	if (c->outoff == c->out.len && !c->closing &&
	    conn_watch(m, c, 0) == 0) {
		hs_buf_reset(&c->out);
		c->outoff = 0;
		return 0;
	}
	conn_close(m, c);
	return -1;
}

/*
 * Serves the whole request in c->req; its answer goes to c->out, from
 * c->resp_off on.  The handler may defer work when may_defer is set.
 */
static enum hs_err
dispatch(struct mux *m, struct conn *c, int may_defer)
{
	char		*env[HS_FCGI_ENV_MAX], *space;
	struct body	 b;
	struct hs_out	 out;
	enum hs_err	 e;

	if ((space = hs_xmalloc(c->req.params.len + 1)) == NULL)
		return HS_ENOMEM;
	hs_buf_reset(&m->stage);
	c->out.len = c->resp_off;	/* a request served again */
	c->deferred = 0;
	if (hs_fcgi_env(&c->req.params, env, HS_FCGI_ENV_MAX, space) !=
	    HS_OK) {
		hs_log(HS_LOG_INFO, "bad request: FastCGI parameters");
		e = hs_buf_add(&m->stage, mux_bad, sizeof(mux_bad) - 1);
	} else {
		b.p = c->req.body.ptr;
		b.n = c->req.body.len;
		b.off = 0;
		out.write = stagewrite;
		out.arg = &m->stage;
		c->deferred = hs_fcgi_serve(env, m->conf, bodyread, &b, &out,
		    may_defer && m->settle != NULL, m->h, m->arg);
		e = HS_OK;
	}
	free(space);
	if (e == HS_OK)
		e = hs_fcgi_respond(&c->out, c->req.id, m->stage.ptr,
		    m->stage.len);
	c->closing = !c->req.keep;
	return e;
}

/*
 * Parses what c has read up to the first whole request and serves it;
 * its answer is then held until the batch is settled (answer_held).
 * Otherwise writes what is pending (management records answered by the
 * parser).  Returns 0, or -1 when c was closed.
 */
static int
conn_process(struct mux *m, struct conn *c)
{
	enum hs_fcgi_ev	 ev;
	size_t		 used;

	if (c->closing)
		return conn_flush(m, c);
	ev = hs_fcgi_parse(&c->req, (unsigned char *)c->in.ptr, c->in.len,
	    &used, &c->out);
	if (used > 0) {
		memmove(c->in.ptr, c->in.ptr + used, c->in.len - used);
		c->in.len -= used;
		c->in.ptr[c->in.len] = '\0';
	}
	if (ev == HS_FCGI_MORE)
		return conn_flush(m, c);
	c->resp_off = c->out.len;
	if (ev == HS_FCGI_ERROR || dispatch(m, c, 1) != HS_OK) {
		hs_log(HS_LOG_WARN, "FastCGI connection closed: %s",
		    ev == HS_FCGI_ERROR ? "protocol error" :
		    "answer too large");
		conn_close(m, c);
		return -1;
	}
	c->held = 1;
	m->nheld++;
	return 0;
}

/*
 * Settles the batch and writes its answers.  A connection that had more
 * than one request waiting serves the next one here, which makes a new
 * batch; requests served again after a failed settle make one too, and
 * they cannot defer, so the loop ends.
 */
static void
answer_held(struct mux *m)
{
	struct conn	*c;
	size_t		 i;
	int		 failed;

	while (m->nheld > 0) {
		failed = m->settle != NULL && m->settle(m->arg) != 0;
		for (i = 0; i < MUX_CONNS_MAX; i++) {
			c = &m->conns[i];
			if (c->fd == -1 || !c->held)
				continue;
			if (failed && c->deferred) {
				if (dispatch(m, c, 0) != HS_OK)
					conn_close(m, c);
				continue;
			}
			c->held = 0;
			m->nheld--;
			hs_fcgi_in_reset(&c->req);
			(void)conn_process(m, c);
		}
	}
}

/* Reads what c has; returns 0, or -1 when c was closed. */
static int
conn_read(struct mux *m, struct conn *c)
{
	char	 buf[MUX_READ_CHUNK];
	ssize_t	 r;

	do
		r = read(c->fd, buf, sizeof(buf));
	while (r == -1 && errno == EINTR);
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (r <= 0 || hs_buf_add(&c->in, buf, (size_t)r) != HS_OK) {
		/* Closed by nginx (idle or not), reset, or over the limit. */
		conn_close(m, c);
		return -1;
	}
	c->last = now_ms();
	return conn_process(m, c);
}

static void
listen_set(struct mux *m, int on)
{
	struct epoll_event	 ev;

	if (m->listening == on)
		return;
	memset(&ev, 0, sizeof(ev));
	/* Exclusive: one idle worker woken per connection, not all. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.ptr = NULL;
	if (epoll_ctl(m->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, m->lfd,
	    &ev) == -1) {
		hs_logerr("epoll_ctl listen");
		return;
	}
	m->listening = on;
}

/* Accepts up to MUX_ACCEPT_BURST connections. */
static void
accept_some(struct mux *m)
{
	struct epoll_event	 ev;
	struct conn		*c;
	size_t			 i, k;
	int			 fd;

	for (k = 0; k < MUX_ACCEPT_BURST; k++) {
		if (m->nconns == MUX_CONNS_MAX) {
			listen_set(m, 0);	/* until one closes */
			return;
		}
		fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* EMFILE and the like: pause, not spin. */
				hs_logerr("accept");
				listen_set(m, 0);
				m->paused_until = now_ms() + MUX_BACKOFF_MS;
			}
			return;
		}
		for (i = 0; m->conns[i].fd != -1; i++)
			continue;	/* nconns < MUX_CONNS_MAX: one is free */
		c = &m->conns[i];
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		hs_buf_init(&c->in, MUX_IN_MAX);
		hs_buf_init(&c->out, MUX_OUT_MAX);
		hs_fcgi_in_init(&c->req);
		c->last = now_ms();
		m->nconns++;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(m->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
			hs_logerr("epoll_ctl add");
			conn_close(m, c);
		}
	}
}

/*
 * Closes connections stalled halfway (a request partly sent, an answer
 * not read) and lets accepts resume after a pause.
 */
static void
sweep(struct mux *m, long long now)
{
	struct conn	*c;
	size_t		 i;

	if (now - m->swept < MUX_TICK_MS)
		return;
	m->swept = now;
	for (i = 0; i < MUX_CONNS_MAX; i++) {
		c = &m->conns[i];
		if (c->fd == -1 || now - c->last < MUX_STALL_SECS * 1000 ||
		    (c->in.len == 0 && c->req.id == 0 && !c->writing))
			continue;
		hs_log(HS_LOG_WARN, "FastCGI connection stalled: closed");
		conn_close(m, c);
	}
	if (!m->listening && m->nconns < MUX_CONNS_MAX &&
	    now >= m->paused_until)
		listen_set(m, 1);
}

/* One batch of events; wait is epoll's timeout. */
static void
turn(struct mux *m, int wait, const sigset_t *mask)
{
	struct epoll_event	 evs[MUX_EVENTS];
	struct conn		*c;
	int			 n, i;

	n = epoll_pwait(m->ep, evs, MUX_EVENTS, wait, mask);
	if (n == -1 && errno != EINTR)
		hs_logerr("epoll_wait");
	for (i = 0; i < n; i++) {
		if ((c = evs[i].data.ptr) == NULL) {
			if (!hs_stopping)
				accept_some(m);
		} else if (c->writing)
			(void)conn_flush(m, c);
		else
			(void)conn_read(m, c);
	}
	answer_held(m);
}

/* Stop: serve what was sent, write the answers, close everything. */
static void
drain(struct mux *m, const sigset_t *mask)
{
	long long	 end = now_ms() + MUX_DRAIN_MS;
	size_t		 i, busy;

	listen_set(m, 0);
	for (i = 0; i < MUX_CONNS_MAX; i++)
		if (m->conns[i].fd != -1 && !m->conns[i].writing)
			(void)conn_read(m, &m->conns[i]);
	answer_held(m);
	for (;;) {
		for (i = busy = 0; i < MUX_CONNS_MAX; i++)
			busy += m->conns[i].fd != -1 && m->conns[i].writing;
		if (busy == 0 || now_ms() >= end)
			break;
		turn(m, (int)(end - now_ms()), mask);
	}
	for (i = 0; i < MUX_CONNS_MAX; i++)
		if (m->conns[i].fd != -1)
			conn_close(m, &m->conns[i]);
}

/*
 * The worker: serves connections on the listening socket lfd until
 * hs_stopping is set.  SIGTERM is let in only while waiting for events,
 * so a handler always runs to its end.
 */
void
hs_fcgi_mux(int lfd, const struct hs_conf *conf, hs_handler h,
    hs_settle_fn settle, void *arg)
{
	struct mux	*m;
	sigset_t	 term, waitmask;
	size_t		 i;
	int		 fl;

	if ((m = hs_xcalloc(1, sizeof(*m))) == NULL)
		return;
	m->lfd = lfd;
	m->conf = conf;
	m->h = h;
	m->settle = settle;
	m->arg = arg;
	hs_buf_init(&m->stage, MUX_STAGE_MAX);
	for (i = 0; i < MUX_CONNS_MAX; i++)
		m->conns[i].fd = -1;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	(void)sigprocmask(SIG_BLOCK, &term, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	/* Shared by the workers: a lost race for a connection is EAGAIN. */
	if ((fl = fcntl(lfd, F_GETFL)) == -1 ||
	    fcntl(lfd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (m->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		hs_logerr("fcgi mux setup");
		goto out;
	}
	listen_set(m, 1);
	while (!hs_stopping) {
		turn(m, m->nconns > 0 || !m->listening ? MUX_TICK_MS : -1,
		    &waitmask);
		sweep(m, now_ms());
	}
	drain(m, &waitmask);
	(void)close(m->ep);
out:
	hs_buf_free(&m->stage);
	free(m);
}
