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

extern const char *const link_tkeys[];
#define LINK_TKEYS	2	/* markers in link-notfound.html */

static struct linkd	 ld;

/* A worker: its own journal (opened at the first click) and snapshot. */
static void
worker(int fd, void *arg)
{
	struct linkd	*l = arg;

	if ((l->cache = link_cache_new()) == NULL)
		return;
	(void)link_cache_refresh(l->cache, l->snap);
	hs_fcgi_mux(fd, &l->conf, link_handle, NULL, l);
	hs_journal_close(l->journal);
	link_cache_free(l->cache);
}

/* SIGHUP: re-read the config; the master then replaces the children. */
static int
reload(void *arg)
{
	struct linkd	*l = arg;
	struct hs_conf	 c;
	char		 errbuf[256];

	if (hs_conf_load(&c, l->confpath, errbuf, sizeof(errbuf)) != HS_OK) {
		hs_log(HS_LOG_ERR, "reload: %s", errbuf);
		hs_conf_free(&c);
		return -1;
	}
	hs_conf_free(&l->conf);
	l->conf = c;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct hs_prefork	 pf;
	char			 errbuf[256], sock[512];
	void			*shared;

	hs_crypto_init();
	hs_log_init("hearsay-link", HS_LOG_INFO);
	ld.confpath = hs_conf_path(argc, argv);
	if (hs_conf_load(&ld.conf, ld.confpath, errbuf, sizeof(errbuf)) !=
	    HS_OK)
		errx(1, "%s", errbuf);
	if (hs_tmpl_load(&ld.notfound, ld.conf.html_dir, "link-notfound.html",
	    link_tkeys, LINK_TKEYS) != HS_OK)
		errx(1, "%s/link-notfound.html: cannot load",
		    ld.conf.html_dir);
	if (snprintf(ld.snap, sizeof(ld.snap), "%s/%s", ld.conf.spool_dir,
	    LINK_SNAP_NAME) >= (int)sizeof(ld.snap))
		errx(1, "spool_dir too long");
	if (hs_fcgi_is_cgi()) {
		if ((ld.cache = link_cache_new()) == NULL)
			return 1;
		return hs_cgi_once(&ld.conf, link_handle, &ld);
	}
	/*
	 * clicks_unrecorded lives in memory shared by the master and its
	 * children: on a full disk a file counter could not grow either,
	 * and the master outlives any worker or helper restart.
	 */
	if ((shared = mmap(NULL, sizeof(unsigned long), PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		err(1, "mmap");
	ld.unrecorded = shared;
	if (snprintf(sock, sizeof(sock), "%s/link.sock", ld.conf.run_dir) >=
	    (int)sizeof(sock))
		errx(1, "run_dir too long");
	memset(&pf, 0, sizeof(pf));
	pf.name = "link";
	pf.sock = sock;
	pf.workers = ld.conf.workers;
	pf.worker = worker;
	pf.helper = link_helper;
	pf.reload = reload;
	pf.arg = &ld;
	return hs_prefork_run(&pf);
}
