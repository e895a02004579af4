/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * main.c: hearsay-link, the invite-link redirector behind nginx's /i/.
 * A prefork master on run_dir/link.sock with `workers` workers, which
 * answer from the link snapshot and append clicks to their journals, and
 * one helper (loader.c), which alone talks to MariaDB.  Run by a CGI
 * server (GATEWAY_INTERFACE set) it serves one request from the
 * snapshot, which is how the golden tests drive it.
 */
#include "config.h"

#include <sys/mman.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "link.h"

static struct linkd	 ld;

/* A worker: its own snapshot (and journal, opened at the first click). */
static int
worker_init(void *arg)
{
	struct linkd	*l = arg;

	if ((l->cache = link_cache_new()) == NULL)
		return -1;
	(void)link_cache_refresh(l->cache, l->snap);
	return 0;
}

static void
worker_fini(void *arg)
{
	struct linkd	*l = arg;

	hs_journal_close(l->journal);
	l->journal = NULL;
	link_cache_free(l->cache);
	l->cache = NULL;
}

/* Refuses a spool_dir too long for the snapshot's path. */
static int
check(const struct hs_conf *c, char *err, size_t errsz)
{

	if (strlen(c->spool_dir) + 1 + strlen(LINK_SNAP_NAME) >=
	    sizeof(ld.snap)) {
		(void)snprintf(err, errsz, "spool_dir too long");
		return -1;
	}
	return 0;
}

static void
configure(void *arg)
{
	struct linkd	*l = arg;

	(void)snprintf(l->snap, sizeof(l->snap), "%s/%s", l->conf.spool_dir,
	    LINK_SNAP_NAME);
}

/*
 * clicks_unrecorded lives in memory shared by the master and its
 * children: on a full disk a file counter could not grow either, and
 * the master outlives any worker or helper restart.  (Under a CGI
 * server there is no master: a lost click is only logged.)
 */
static void
start(void *arg)
{
	struct linkd	*l = arg;
	void		*shared;

	if (hs_fcgi_is_cgi())
		return;
	if ((shared = mmap(NULL, sizeof(unsigned long), PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		err(1, "mmap");
	l->unrecorded = shared;
}

/*
 * /i/<code> is the redirect (handle.c); any other path is the 404 page
 * with its form, whatever the method.  Core answers the gates.
 */
static const struct hs_route routes[] = {
	{ "/i/", 1, HS_M_READ, 0, link_handle,
	    "Invite links are only followed with GET.", NULL },
	{ NULL, 0, 0, 0, link_nothere, NULL, NULL },
};

static struct hs_program prog = {
	.name = "link",
	.conf = &ld.conf,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.mux = 1,
	.tmpls = link_tmpls,
	.ntmpls = LINK_NTMPLS,
	.tmpl = &ld.notfound,
	.check = check,
	.configure = configure,
	.start = start,
	.worker_init = worker_init,
	.worker_fini = worker_fini,
	.helper = link_helper,	/* the loader: alone talks to MariaDB */
	.arg = &ld,
};

int
main(int argc, char *argv[])
{

	return hs_program_main(&prog, argc, argv);
}
