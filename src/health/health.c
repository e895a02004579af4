/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * health.c: hearsay-health, the smallest complete hearsay program.  It
 * answers GET /health with 200 when a prepared statement round-trips to
 * MariaDB and 503 otherwise, proving the whole path nginx -> socket ->
 * program -> database.  Load balancers and the test harness poll it.
 * Anyone can, so the body says ok or unavailable and nothing else (it
 * used to tell the migration count, i.e. the release, to strangers);
 * the status code is what a load balancer reads.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <string.h>

#include "hearsay.h"

enum stmt {
	STMT_PING,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* STMT_PING: also proves the schema was migrated. */
	"SELECT COUNT(*) FROM schema_migrations",
};

struct health {
	struct hs_conf	 conf;
	struct hs_db	*db;	/* per worker, opened after fork */
};

/*
 * The probe as a unit, so a connection that died while idle (server
 * restarted, wait_timeout) is reopened and the probe replayed at once:
 * the first request after a restart already answers 200.
 */
static enum hs_err
probe(struct hs_db *db, void *arg)
{
	struct hs_dbcol	*col = arg;
	enum hs_err	 e;
	int		 have = 0;

	e = hs_db_row(db, STMT_PING, NULL, 0, col, 1, &have);
	return e == HS_OK && !have ? HS_EDB : e;
}

/*
 * GET or HEAD /health: 200 {"status":"ok"}, or 503
 * {"status":"unavailable"} with Retry-After when the database does not
 * answer.  Anything else is 404 or 405.
 */
static void
handle(struct hs_req *r, void *arg)
{
	struct health	*h = arg;
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	const char	*body;
	int		 code;

	if (strcmp(r->path, "/health") != 0) {
		(void)hs_http_error(r, 404, "There is nothing here.");
		return;
	}
	if (r->method != HS_METHOD_GET && r->method != HS_METHOD_HEAD) {
		(void)hs_http_error(r, 405, "Only GET and HEAD are allowed.");
		return;
	}
	if (hs_db_unit(h->db, probe, &col) == HS_OK) {
		code = 200;
		body = "{\"status\":\"ok\"}\n";
	} else {
		code = 503;
		body = "{\"status\":\"unavailable\"}\n";
		if (hs_http_header(r, "Retry-After", "5") != HS_OK)
			return;
	}
	if (hs_http_open(r, code, "application/json") != HS_OK ||
	    hs_http_write(r, body, strlen(body)) != HS_OK)
		hs_log(HS_LOG_INFO, "health: client went away");
}

/* A worker: its own connection (opened lazily if MariaDB is down). */
static void
worker(int fd, void *arg)
{
	struct health	*h = arg;

	if (hs_db_open(&h->db, &h->conf, 1, stmts, STMT__MAX) != HS_OK)
		hs_log(HS_LOG_WARN, "database not reachable yet");
	if (h->db == NULL)
		return;
	hs_fcgi_loop(fd, &h->conf, handle, h);
	hs_db_close(h->db);
}

int
main(int argc, char *argv[])
{
	static struct health	 h;
	struct hs_prefork	 pf;
	char			 errbuf[256], sock[512];

	hs_crypto_init();
	hs_log_init("hearsay-health", HS_LOG_INFO);
	if (hs_conf_load(&h.conf, hs_conf_path(argc, argv), errbuf,
	    sizeof(errbuf)) != HS_OK)
		errx(1, "%s", errbuf);
	if (hs_fcgi_is_cgi()) {
		if (hs_db_open(&h.db, &h.conf, 1, stmts, STMT__MAX) != HS_OK)
			hs_log(HS_LOG_WARN, "database not reachable");
		if (h.db == NULL)
			return 1;
		return hs_cgi_once(&h.conf, handle, &h);
	}
	if (snprintf(sock, sizeof(sock), "%s/health.sock", h.conf.run_dir) >=
	    (int)sizeof(sock))
		errx(1, "run_dir too long");
	memset(&pf, 0, sizeof(pf));
	pf.name = "health";
	pf.sock = sock;
	pf.workers = 1;
	pf.worker = worker;
	pf.arg = &h;
	return hs_prefork_run(&pf);
}
