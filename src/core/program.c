/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * program.c: the skeleton every FastCGI program shares.  A program
 * fills a struct hs_program (name, handler or routes, templates,
 * statements and a few hooks) and its main() is one call to
 * hs_program_main(), which:
 *
 *   - loads the configuration (-f or HEARSAY_CONF), refuses it without
 *     hmac_key when the program signs (hmac), lets the program refuse
 *     it (check), loads the templates from html_dir, and lets the
 *     program derive its state from them (configure); any failure here
 *     stops the program with the reason, as a start must;
 *   - runs the program's one-time set-up (start);
 *   - under a CGI server serves one request, else runs the prefork
 *     master (prefork.c) on run_dir/<name>.sock;
 *   - in each worker opens the database handles with the program's
 *     statements, runs worker_init, serves (hs_fcgi_loop, or hs_fcgi_mux
 *     for programs that keep connections), then worker_fini and closes;
 *   - on SIGHUP, in the master, loads the configuration and templates
 *     again the same way.  Only when all of it loads does it replace
 *     the running ones, and only then are the workers replaced (each
 *     finishing its request first): a typo in a reload logs its reason
 *     and leaves the service as it was, it never stops it.
 *
 * run_dir (the socket) and workers are read at start only: the socket
 * stays bound across reloads and the master keeps its children's slots.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

#define PROGRAM_NAME_MAX	64	/* "hearsay-" + program name */
#define PROGRAM_ERR_MAX		512	/* a reason for the log */

static char	 logname[PROGRAM_NAME_MAX];	/* hs_log keeps the pointer */

static void
tmpls_free(struct hs_tmpl **t, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		hs_tmpl_free(t[i]);
		t[i] = NULL;
	}
}

/*
 * Loads the configuration into c and the templates into t (ntmpls
 * slots), checked by the program.  Returns 0, or -1 with the reason in
 * err and nothing held.
 */
static int
load(const struct hs_program *p, struct hs_conf *c, struct hs_tmpl **t,
    char *err, size_t errsz)
{
	const struct hs_tmpldef	*d;
	enum hs_err		 e;
	size_t			 i;

	if (p->ntmpls > 0)
		memset(t, 0, p->ntmpls * sizeof(*t));
	if (hs_conf_load(c, p->confpath, err, errsz) != HS_OK)
		goto fail;
	if (p->hmac && !c->have_hmac_key) {
		(void)snprintf(err, errsz, "hmac_key is not set in the "
		    "secrets file, and hearsay-%s signs with it", p->name);
		goto fail;
	}
	if (p->check != NULL && p->check(c, err, errsz) != 0)
		goto fail;
	hs_i18n_init(c->locale_dir);
	for (i = 0; i < p->ntmpls; i++) {
		d = &p->tmpls[i];
		if ((e = hs_tmpl_load(&t[i], c->html_dir, d->file, d->keys,
		    d->nkeys)) != HS_OK) {
			(void)snprintf(err, errsz, "%s/%s: %s", c->html_dir,
			    d->file, hs_strerror(e));
			goto fail;
		}
	}
	return 0;
fail:
	tmpls_free(t, p->ntmpls);
	hs_conf_free(c);
	return -1;
}

/*
 * SIGHUP, in the master: the configuration and the templates again.
 * Returns 0 when the new ones are in place (the master then replaces
 * the workers, which inherit them), or -1 with the old ones kept.
 */
int
hs_program_reload(struct hs_program *p)
{
	struct hs_conf	 c;
	struct hs_tmpl	**t = NULL;
	char		 why[PROGRAM_ERR_MAX];
	size_t		 i;
	int		 rc = -1;

	if (p->ntmpls > 0 && (t = calloc(p->ntmpls, sizeof(*t))) == NULL) {
		hs_log(HS_LOG_ERR, "reload: out of memory; keeping the "
		    "running configuration");
		goto out;
	}
	if (load(p, &c, t, why, sizeof(why)) != 0) {
		hs_log(HS_LOG_ERR, "reload: %s; keeping the running "
		    "configuration", why);
		goto out;
	}
	if (strcmp(c.run_dir, p->conf->run_dir) != 0)
		hs_log(HS_LOG_WARN, "reload: run_dir changes at the next "
		    "start; the socket stays where it is");
	if (p->workers == 0 && c.workers != p->conf->workers)
		hs_log(HS_LOG_WARN, "reload: workers changes at the next "
		    "start; %d keep running", p->conf->workers);
	hs_conf_free(p->conf);
	*p->conf = c;
	for (i = 0; i < p->ntmpls; i++) {
		hs_tmpl_free(p->tmpl[i]);
		p->tmpl[i] = t[i];
	}
	if (p->configure != NULL)
		p->configure(p->arg);
	hs_log(HS_LOG_INFO, "reload: configuration read from %s",
	    p->confpath);
	rc = 0;
out:
	free(t);
	return rc;
}

/* prefork's reload hook. */
static int
onreload(void *arg)
{

	return hs_program_reload(arg);
}

/* Closes whatever handles a worker opened. */
static void
worker_close(struct hs_program *p)
{

	if (p->db != NULL) {
		hs_db_close(*p->db);
		*p->db = NULL;
	}
	if (p->db_ro != NULL) {
		hs_db_close(*p->db_ro);
		*p->db_ro = NULL;
	}
}

/*
 * Opens a worker's database handles (lazily when MariaDB is down, as
 * hs_db_open does) and runs the program's worker_init.  Returns 0, or
 * -1 when the worker cannot serve; worker_close undoes either.
 */
static int
worker_open(struct hs_program *p)
{
	int	 ok = 1;

	if (p->db_ro != NULL && (hs_db_open(p->db_ro, p->conf,
	    HS_DB_READONLY, p->stmts, p->nstmts) != HS_OK || *p->db_ro == NULL))
		ok = 0;
	if (p->db != NULL && (hs_db_open(p->db, p->conf, 0, p->stmts,
	    p->nstmts) != HS_OK || *p->db == NULL))
		ok = 0;
	if (!ok)
		hs_log(HS_LOG_WARN, "database not reachable yet");
	if ((p->db_ro != NULL && *p->db_ro == NULL) ||
	    (p->db != NULL && *p->db == NULL))
		return -1;
	if (p->worker_init != NULL && p->worker_init(p->arg) != 0)
		return -1;
	return 0;
}

/* One request: the program's handler, or its routes' gates. */
static void
dispatch(struct hs_req *r, void *arg)
{
	struct hs_program	*p = arg;

	/* A request is in English until its survey or event says not. */
	(void)hs_lang_set(NULL);
	if (p->routes != NULL)
		hs_route(r, p->routes, p->nroutes, p->notfound, p->arg);
	else
		p->handle(r, p->arg);
}

static int
settle(void *arg)
{
	struct hs_program	*p = arg;

	return p->settle(p->arg);
}

/* A worker: serves until the master tells it to stop. */
static void
worker(int fd, void *arg)
{
	struct hs_program	*p = arg;

	if (worker_open(p) == 0) {
		if (p->mux)
			hs_fcgi_mux(fd, p->conf, dispatch, p->settle != NULL ?
			    settle : NULL, p);
		else
			hs_fcgi_loop(fd, p->conf, dispatch, p);
		if (p->worker_fini != NULL)
			p->worker_fini(p->arg);
	}
	worker_close(p);
}

static void
helper(void *arg)
{
	struct hs_program	*p = arg;

	p->helper(p->arg);
}

/*
 * The main() of a FastCGI program.  Returns its exit status; exits with
 * the reason when it cannot start.
 */
int
hs_program_main(struct hs_program *p, int argc, char *argv[])
{
	struct hs_prefork	 pf;
	char			 why[PROGRAM_ERR_MAX], sock[512];
	int			 rc;

	hs_crypto_init();
	if (snprintf(logname, sizeof(logname), "hearsay-%s", p->name) >=
	    (int)sizeof(logname))
		errx(1, "%s: program name too long", p->name);
	hs_log_init(logname, HS_LOG_INFO);
	p->confpath = hs_conf_path(argc, argv);
	if (load(p, p->conf, p->tmpl, why, sizeof(why)) != 0)
		errx(1, "%s", why);
	if (p->configure != NULL)
		p->configure(p->arg);
	if (p->start != NULL)
		p->start(p->arg);
	if (hs_fcgi_is_cgi()) {
		if (worker_open(p) != 0) {
			worker_close(p);
			return 1;
		}
		rc = hs_cgi_once(p->conf, dispatch, p);
		if (p->worker_fini != NULL)
			p->worker_fini(p->arg);
		worker_close(p);
		return rc;
	}
	if (snprintf(sock, sizeof(sock), "%s/%s.sock", p->conf->run_dir,
	    p->name) >= (int)sizeof(sock))
		errx(1, "run_dir too long");
	memset(&pf, 0, sizeof(pf));
	pf.name = p->name;
	pf.sock = sock;
	pf.workers = p->workers > 0 ? p->workers : p->conf->workers;
	pf.worker = worker;
	pf.helper = p->helper != NULL ? helper : NULL;
	pf.reload = onreload;
	pf.arg = p;
	return hs_prefork_run(&pf);
}
