/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * prefork.c: the master process of every FastCGI program.  It binds the
 * unix socket (or takes the one systemd passes with LISTEN_FDS), forks
 * the workers and an optional helper (the journal loader), and then only
 * supervises: a dead child is respawned at once, SIGHUP re-reads the
 * config and replaces the children one by one (each finishes its request
 * first), SIGTERM or SIGINT drains them and exits.  The master holds no
 * database connection and parses no input, so it cannot be crashed by a
 * request.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"

#define PREFORK_BACKLOG		1024	/* queued connections (nginx bursts) */
#define PREFORK_DRAIN_SECS	10	/* SIGTERM to SIGKILL on shutdown */
#define PREFORK_FAST_DEATH_MS	1000	/* a child dying sooner is crashing */
#define PREFORK_RESPAWN_PAUSE_MS 200	/* then pause before the next */
#define SD_LISTEN_FDS_START	3	/* sd_listen_fds(3) */

volatile sig_atomic_t	 hs_stopping;	/* a child was told to stop */

static volatile sig_atomic_t gotterm, gothup, gotchld;

struct child {
	pid_t		 pid;		/* 0: slot empty */
	struct timespec	 born;		/* when it was forked */
	int		 helper;	/* the loader, not a worker */
};

static void
onsig(int sig)
{

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		gotterm = 1;
		break;
	case SIGHUP:
		gothup = 1;
		break;
	case SIGCHLD:
		gotchld = 1;
		break;
	}
}

static void
onchildterm(int sig)
{

	hs_stopping = 1;
}

static long
msecs_since(const struct timespec *t)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/*
 * Returns the systemd-passed socket, or -1 if none was passed to us.
 */
static int
sdsocket(void)
{
	const char	*pid, *fds;

	if ((pid = getenv("LISTEN_PID")) == NULL ||
	    (fds = getenv("LISTEN_FDS")) == NULL)
		return -1;
	if (strtol(pid, NULL, 10) != (long)getpid() ||
	    strtol(fds, NULL, 10) < 1)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	return SD_LISTEN_FDS_START;
}

/*
 * Binds and listens on path.  A stale socket left by a killed master is
 * removed, but only if nothing answers on it: two masters must never
 * share a path.  Exits on failure (start-up).
 */
static int
bindsocket(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, probe;
	mode_t			 old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		errx(1, "%s: socket path too long", path);
	memcpy(sun.sun_path, path, strlen(path));
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		errx(1, "%s: another process is listening", path);
	close(probe);
	if (unlink(path) == -1 && errno != ENOENT)
		err(1, "unlink %s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	/* nginx connects as another user in the same group. */
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "bind %s", path);
	umask(old);
	if (listen(fd, PREFORK_BACKLOG) == -1)
		err(1, "listen %s", path);
	return fd;
}

/* Forks one child into slot c.  Returns 0, or -1 if fork failed. */
static int
spawn(const struct hs_prefork *p, struct child *c, int fd)
{
	struct sigaction	 sa;
	sigset_t		 none;
	pid_t			 pid;

	if ((pid = fork()) == -1) {
		hs_logerr("fork");
		return -1;
	}
	if (pid > 0) {
		c->pid = pid;
		clock_gettime(CLOCK_MONOTONIC, &c->born);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	(void)sigaction(SIGCHLD, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	/*
	 * No SA_RESTART: SIGTERM must interrupt a blocked accept.  SIGUSR1
	 * is libfcgi's "finish and exit" (and would otherwise kill a mux
	 * worker outright): the same graceful stop; the master respawns.
	 */
	sa.sa_handler = onchildterm;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (c->helper)
		p->helper(p->arg);
	else
		p->worker(fd, p->arg);
	_exit(0);
}

/* Signals every live child. */
static void
killall(struct child *cs, size_t n, int sig)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (cs[i].pid > 0)
			(void)kill(cs[i].pid, sig);
}

/* Reaps dead children; returns how many are still alive. */
static size_t
reap(struct child *cs, size_t n, int respawn, const struct hs_prefork *p,
    int fd)
{
	pid_t	 pid;
	int	 st;
	size_t	 i, alive = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < n; i++)
			if (cs[i].pid == pid)
				break;
		if (i == n)
			continue;
		cs[i].pid = 0;
		if (WIFSIGNALED(st) && WTERMSIG(st) != SIGTERM)
			hs_log(HS_LOG_WARN, "child %ld killed by signal %d",
			    (long)pid, WTERMSIG(st));
		else if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			hs_log(HS_LOG_WARN, "child %ld exited %d", (long)pid,
			    WEXITSTATUS(st));
		if (!respawn)
			continue;
		/* A child that keeps dying at birth must not spin a core. */
		if (msecs_since(&cs[i].born) < PREFORK_FAST_DEATH_MS)
			(void)nanosleep(&(struct timespec){ 0,
			    PREFORK_RESPAWN_PAUSE_MS * 1000000L }, NULL);
		(void)spawn(p, &cs[i], fd);
	}
	for (i = 0; i < n; i++)
		if (cs[i].pid > 0)
			alive++;
	return alive;
}

/*
 * Runs the master until SIGTERM.  Returns the process exit status.
 */
int
hs_prefork_run(const struct hs_prefork *p)
{
	struct sigaction	 sa;
	sigset_t		 block, none;
	struct child		*cs;
	size_t			 n, i;
	int			 fd, ours = 0;
	struct timespec		 start;

	if ((fd = sdsocket()) == -1) {
		fd = bindsocket(p->sock);
		ours = 1;
	}
	n = (size_t)p->workers + (p->helper != NULL ? 1 : 0);
	cs = hs_calloc(n, sizeof(*cs));
	if (p->helper != NULL)
		cs[n - 1].helper = 1;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = onsig;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	(void)sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);

	for (i = 0; i < n; i++)
		(void)spawn(p, &cs[i], fd);
	hs_log(HS_LOG_INFO, "%s: %d workers on %s", p->name, p->workers,
	    ours ? p->sock : "systemd socket");

	while (!gotterm) {
		(void)sigsuspend(&none);
		if (gotchld) {
			gotchld = 0;
			(void)reap(cs, n, 1, p, fd);
		}
		if (gothup && !gotterm) {
			gothup = 0;
			if (p->reload != NULL && p->reload(p->arg) != 0) {
				hs_log(HS_LOG_ERR, "reload failed; keeping "
				    "the running children");
				continue;
			}
			hs_log(HS_LOG_INFO, "reloading: replacing children");
			/* Each finishes its request; reap() respawns it. */
			killall(cs, n, SIGTERM);
		}
	}

	hs_log(HS_LOG_INFO, "%s: draining", p->name);
	killall(cs, n, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (reap(cs, n, 0, p, fd) > 0) {
		if (msecs_since(&start) > PREFORK_DRAIN_SECS * 1000) {
			hs_log(HS_LOG_WARN, "drain timed out; killing");
			killall(cs, n, SIGKILL);
		}
		(void)nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
	}
	if (ours)
		(void)unlink(p->sock);
	close(fd);
	free(cs);
	return 0;
}
