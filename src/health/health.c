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
 * answer.  The route table lets nothing else through.
 */
static void
handle(struct hs_req *r, void *arg)
{
	struct health	*h = arg;
	struct hs_dbcol	 col = { HS_DB_INT, 0, NULL, 0, 0, 0, 0 };
	const char	*body;
	int		 code;

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

static struct health	 h;

/* Core answers any other path 404, other methods 405, OPTIONS 204. */
static const struct hs_route routes[] = {
	{ "/health", 0, HS_M_READ, 0, handle, NULL, NULL },
};

static struct hs_program prog = {
	.name = "health",
	.conf = &h.conf,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.notfound = "There is nothing here.",
	.stmts = stmts,
	.nstmts = STMT__MAX,
	.db_ro = &h.db,		/* a probe reads only */
	.workers = 1,
	.arg = &h,
};

int
main(int argc, char *argv[])
{

	return hs_program_main(&prog, argc, argv);
}
