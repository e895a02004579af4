/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * dbconn.c: opening a database handle and (re)connecting it: the node
 * list of db_nodes, the session every connection must run with, the
 * readiness of a Galera node, and preparing the program's statement
 * table.  Why connections are reopened by hand and how nodes are chosen
 * is told at the top of db.c.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "hearsay.h"
#include "db.h"

/*
 * Timeouts in seconds.  Connecting takes milliseconds on a unix socket
 * or a LAN, and our statements are short (reports p95 <= 2 s, reconcile
 * chunks <= 1 s); a server that does not answer within these is treated
 * as gone (HS_EAGAIN, reconnect), so a frozen server holds a worker for
 * seconds, not forever.  The read timeout also cuts a lock wait longer
 * than itself, which then ends as a lost connection and is replayed.
 */
#define DB_CONNECT_TIMEOUT	3	/* seconds to connect */
#define DB_READ_TIMEOUT		10	/* seconds waiting for a reply */
/*
 * A batch program's handle (HS_DB_BATCH: hearsay-reconcile, the admin
 * commands) waits longer: one of its statements (a slice of days of a
 * full run, a retention purge) may take more than DB_READ_TIMEOUT on a
 * busy server, and cut there it is replayed while the server still runs
 * the first one, which then holds the locks the replay waits for (seen:
 * a slice of a 1M full run's invites on a machine busy with a test run,
 * lost connections then deadlocks, five times over).  Nobody waits on a
 * batch but its lease, and InnoDB's lock wait timeout still ends a lock
 * wait.
 */
#define DB_BATCH_READ_TIMEOUT	600	/* seconds, HS_DB_BATCH */
#define DB_WRITE_TIMEOUT	10	/* seconds sending a command */

/*
 * After a failed connect (or session setup, or prepare) that took
 * DB_HOLDOFF_COST_MS or more, hs_db_ensure answers HS_EAGAIN without
 * trying again for DB_HOLDOFF_MS: with the server's host unreachable
 * every attempt costs DB_CONNECT_TIMEOUT, and a request must not pay it
 * each time.  A cheap failure (a refused local socket while the server
 * restarts) holds nothing off, so the first request after the server is
 * back reconnects.
 */
#define DB_HOLDOFF_MS		500
#define DB_HOLDOFF_COST_MS	50

/* Nodes in db_nodes. */
#define DB_MAXNODES		16

/* Connect failures are logged at most once per this many seconds. */
#define DB_LOGQUIET_SECS	10

/* The session settings every connection must run with. */
#define DB_SQL_MODE	"STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE," \
			"ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
static const char db_session_sql[] =
    "SET SESSION sql_mode='" DB_SQL_MODE "', time_zone='+00:00', "
    "autocommit=1";
static const char db_check_sql[] =
    "SELECT @@SESSION.sql_mode, @@SESSION.character_set_connection";
static const char db_readonly_sql[] = "SET SESSION TRANSACTION READ ONLY";
/*
 * A Galera node is usable when it is ready, in the Primary component and
 * Synced (not a joiner, not a donor blocked by a state transfer).  A
 * server without wsrep reports wsrep_on 0 and is taken as it is.
 */
static const char db_ready_sql[] =
    "SELECT @@GLOBAL.wsrep_on, "
    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
    "WHERE VARIABLE_NAME = 'WSREP_READY'), "
    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
    "WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATUS'), "
    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
    "WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT')";

/*
 * Whether the comma-separated sql_mode list has the given mode as a
 * whole word.  Returns 0 or 1.
 */
static int
mode_has(const char *modes, const char *want)
{
	size_t		 n, wl;
	const char	*p;

	wl = strlen(want);
	for (p = modes; *p != '\0'; ) {
		n = strcspn(p, ",");
		if (n == wl && strncmp(p, want, n) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * Set the session up and verify it: strict sql_mode (without it an
 * overlong string is silently truncated), UTC, autocommit, utf8mb4.  A
 * proxy, init_connect or an old server may override what we ask for, so
 * the values are read back rather than assumed.
 * Returns HS_OK, HS_EDB when the session is not what we need, or a
 * classified error.
 */
static enum hs_err HS_WUR
session_setup(struct hs_db *db)
{
	MYSQL_RES	*res = NULL;
	MYSQL_ROW	 row;
	enum hs_err	 rc;

	if ((rc = db_simple(db, db_session_sql, sizeof(db_session_sql) - 1))
	    != HS_OK)
		goto out;
	if (db->readonly && (rc = db_simple(db, db_readonly_sql,
	    sizeof(db_readonly_sql) - 1)) != HS_OK)
		goto out;
	if (mysql_real_query(db->my, db_check_sql,
	    sizeof(db_check_sql) - 1) != 0) {
		rc = db_conn_fail(db, "reading sql_mode");
		goto out;
	}
	if ((res = mysql_store_result(db->my)) == NULL) {
		rc = db_conn_fail(db, "reading sql_mode");
		goto out;
	}
	if ((row = mysql_fetch_row(res)) == NULL || row[0] == NULL ||
	    row[1] == NULL) {
		hs_log(HS_LOG_ERR, "db: no sql_mode in the session");
		rc = HS_EDB;
		goto out;
	}
	if (!mode_has(row[0], "STRICT_ALL_TABLES") &&
	    !mode_has(row[0], "STRICT_TRANS_TABLES")) {
		hs_log(HS_LOG_ERR, "db: refusing a session without strict "
		    "sql_mode (got \"%s\")", row[0]);
		rc = HS_EDB;
		goto out;
	}
	if (strcmp(row[1], "utf8mb4") != 0) {
		hs_log(HS_LOG_ERR, "db: refusing character_set_connection "
		    "\"%s\" (want utf8mb4)", row[1]);
		rc = HS_EDB;
		goto out;
	}
	rc = HS_OK;
out:
	if (res != NULL)
		mysql_free_result(res);
	return rc;
}

/* Whether e refuses a statement for lack of privilege.  0 or 1. */
static int
denied(unsigned int e)
{

	return e == ER_TABLEACCESS_DENIED_ERROR ||
	    e == ER_COLUMNACCESS_DENIED_ERROR ||
	    e == ER_SPECIFIC_ACCESS_DENIED_ERROR ||
	    e == ER_PROCACCESS_DENIED_ERROR;
}

/* Monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Log a connect failure, but not more than once per DB_LOGQUIET_SECS:
 * with the server down every request of every worker would log one.
 */
static void
connect_log(struct hs_db *db, unsigned int e, const char *msg)
{
	time_t	 now;

	now = time(NULL);
	if (db->lastlog != 0 && now - db->lastlog < DB_LOGQUIET_SECS) {
		db->quiet++;
		return;
	}
	hs_log(HS_LOG_WARN, "db: connect failed: error %u: %s "
	    "(%lu more not logged)", e, msg, db->quiet);
	db->lastlog = now;
	db->quiet = 0;
}

/*
 * On a cluster: whether the node just connected to is ready (see
 * db_ready_sql), and if so the session's wsrep_sync_wait.  A node that
 * is not ready answers the check itself with 1047, or reports its state.
 * Returns HS_OK, HS_EAGAIN (not ready: try another node) or a classified
 * error.
 */
static enum hs_err HS_WUR
node_ready(struct hs_db *db)
{
	MYSQL_RES	*res = NULL;
	MYSQL_ROW	 row;
	enum hs_err	 rc;
	char		 sql[64], why[160];

	if (mysql_real_query(db->my, db_ready_sql,
	    sizeof(db_ready_sql) - 1) != 0) {
		rc = db_conn_fail(db, "readiness check");
		goto out;
	}
	if ((res = mysql_store_result(db->my)) == NULL) {
		rc = db_conn_fail(db, "readiness check");
		goto out;
	}
	if ((row = mysql_fetch_row(res)) == NULL || row[0] == NULL) {
		hs_log(HS_LOG_ERR, "db: readiness check: no answer");
		rc = HS_EAGAIN;
		goto out;
	}
	if (strcmp(row[0], "0") == 0) {
		/* Not a Galera node: a plain server is always ready. */
		rc = HS_OK;
		goto out;
	}
	if (row[1] == NULL || strcmp(row[1], "ON") != 0 ||
	    row[2] == NULL || strcmp(row[2], "Primary") != 0 ||
	    row[3] == NULL || strcmp(row[3], "Synced") != 0) {
		(void)snprintf(why, sizeof(why), "node not ready "
		    "(wsrep_ready %s, %s, %s)", row[1] != NULL ? row[1] : "?",
		    row[2] != NULL ? row[2] : "?",
		    row[3] != NULL ? row[3] : "?");
		connect_log(db, ER_UNKNOWN_COM_ERROR, why);
		rc = HS_EAGAIN;
		goto out;
	}
	(void)snprintf(sql, sizeof(sql), "SET SESSION wsrep_sync_wait = %d",
	    db->conf->db_sync_wait);
	rc = db_simple(db, sql, strlen(sql));
out:
	if (res != NULL)
		mysql_free_result(res);
	return rc;
}

/*
 * Prepares every statement on the open connection.  Returns HS_OK;
 * HS_EAGAIN when the server went away; HS_EDB for a statement that does
 * not prepare; HS_ENOMEM.
 */
static enum hs_err
prepare_all(struct hs_db *db)
{
	unsigned int	 e;
	enum hs_err	 rc;
	size_t		 i;

	for (i = 0; i < db->nsql; i++) {
		/* A statement the handle never runs (hs_db_open). */
		if (db->sqls[i] == NULL) {
			db->stmts[i].st = NULL;
			continue;
		}
		if ((db->stmts[i].st = mysql_stmt_init(db->my)) == NULL) {
			hs_log(HS_LOG_ERR, "db: mysql_stmt_init: out of memory");
			return HS_ENOMEM;
		}
		if (mysql_stmt_prepare(db->stmts[i].st, db->sqls[i],
		    strlen(db->sqls[i])) == 0)
			continue;
		e = mysql_stmt_errno(db->stmts[i].st);
		if (db->readonly && denied(e)) {
			/*
			 * A program may share one table between its
			 * handles: the read-only user simply does not get
			 * the statements it may not run.
			 */
			(void)mysql_stmt_close(db->stmts[i].st);
			db->stmts[i].st = NULL;
			continue;
		}
		/* The text is ours and constant: safe to log. */
		rc = db_classify(db, e);
		hs_log(HS_LOG_ERR, "db: statement %zu does not prepare: "
		    "error %u: %s", i, e, mysql_stmt_error(db->stmts[i].st));
		return rc == HS_EAGAIN ? HS_EAGAIN : HS_EDB;
	}
	return HS_OK;
}

/*
 * Open the connection to node n, set the session up and prepare every
 * statement.  On failure the connection is closed again, so that "open"
 * always means "ready".
 * Returns HS_OK; HS_EAGAIN when the server cannot be reached or is not
 * ready (try again later, or another node); HS_EDB for a refused login,
 * a bad session or a statement that does not prepare; HS_ENOMEM.
 */
static enum hs_err
connect_node(struct hs_db *db, const struct db_node *n)
{
	const struct hs_conf *c = db->conf;
	const char	*user, *pass;
	unsigned int	 ct = DB_CONNECT_TIMEOUT, rt = DB_READ_TIMEOUT;
	unsigned int	 wt = DB_WRITE_TIMEOUT, zero = 0, e;
	my_bool		 off = 0;
	enum hs_err	 rc;

	if ((db->my = mysql_init(NULL)) == NULL) {
		hs_log(HS_LOG_ERR, "db: mysql_init: out of memory");
		rc = HS_ENOMEM;
		goto out;
	}
	/*
	 * Never MYSQL_OPT_RECONNECT (see the top of db.c); never
	 * LOAD DATA LOCAL, which lets a rogue server read our files.
	 */
	if (db->batch)
		rt = DB_BATCH_READ_TIMEOUT;
	if (mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
	    mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &rt) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &wt) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_RECONNECT, &off) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_LOCAL_INFILE, &zero) != 0) {
		hs_log(HS_LOG_ERR, "db: cannot set connection options");
		rc = HS_EDB;
		goto out;
	}
	user = c->db_user;
	pass = c->db_password;
	if (db->readonly && c->db_ro_user != NULL) {
		user = c->db_ro_user;
		pass = c->db_ro_password;
	}
	if (mysql_real_connect(db->my, n->sock[0] != '\0' ? NULL : n->host,
	    user, pass, c->db_name, n->sock[0] != '\0' ? 0 : n->port,
	    n->sock[0] != '\0' ? n->sock : NULL, 0) == NULL) {
		e = mysql_errno(db->my);
		connect_log(db, e, mysql_error(db->my));
		switch (e) {
		case ER_ACCESS_DENIED_ERROR:
		case ER_DBACCESS_DENIED_ERROR:
		case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
		case ER_BAD_DB_ERROR:
		case CR_AUTH_PLUGIN_CANNOT_LOAD:
			/* Configuration, not weather: retrying will not fix. */
			rc = HS_EDB;
			break;
		default:
			rc = HS_EAGAIN;
			break;
		}
		goto out;
	}
	if (db->lastlog != 0) {
		hs_log(HS_LOG_INFO, "db: connected again (%lu failures not "
		    "logged)", db->quiet);
		db->lastlog = 0;
		db->quiet = 0;
	}
	if ((rc = session_setup(db)) != HS_OK)
		goto out;
	if (db->cluster && (rc = node_ready(db)) != HS_OK)
		goto out;
	rc = prepare_all(db);
out:
	if (rc != HS_OK)
		db_disconnect(db);
	return rc;
}

/*
 * Connect to the node in use or, when it failed (moveon) or cannot be
 * reached or is not ready, to the next ones in turn, each once.  A
 * refused login or a bad statement is configuration, the same on every
 * node: it ends the search.
 * Returns what connect_node returns for the last node tried.
 */
static enum hs_err
db_connect(struct hs_db *db)
{
	enum hs_err	 rc = HS_EAGAIN;
	size_t		 k, n;
	long long	 t0 = now_ms();

	if (db->moveon && db->nnodes > 1)
		db->node = (db->node + 1) % db->nnodes;
	db->moveon = 0;
	for (k = 0; k < db->nnodes; k++) {
		n = (db->node + k) % db->nnodes;
		if ((rc = connect_node(db, &db->nodes[n])) == HS_OK) {
			if (n != db->node)
				hs_log(HS_LOG_INFO, "db: now using node %zu "
				    "of db_nodes", n + 1);
			db->node = n;
			break;
		}
		if (rc != HS_EAGAIN)
			break;
	}
	db->moveon = 0;
	if (rc == HS_OK) {
		db->dead = 0;
		db->holdoff = 0;
	} else if (now_ms() - t0 >= DB_HOLDOFF_COST_MS)
		db->holdoff = now_ms() + DB_HOLDOFF_MS;
	return rc;
}

/*
 * Parse db_nodes into db->nodes: entries separated by commas or white
 * space, each a unix socket path (starting with "/"), "host:port",
 * "[ipv6]:port" or a bare host (port db_port).
 * Returns HS_OK, HS_EINVAL (logged, naming the entry) or HS_ENOMEM.
 */
static enum hs_err
nodes_parse(struct hs_db *db, const char *list)
{
	struct db_node	*nd;
	const char	*p, *hs, *colon;
	char		 ent[DB_NODELEN], *end;
	size_t		 len, hl;
	long		 port;

	if ((db->nodes = hs_xcalloc(DB_MAXNODES, sizeof(*db->nodes))) == NULL)
		return HS_ENOMEM;
	for (p = list; *(p += strspn(p, " \t,")) != '\0'; p += len) {
		len = strcspn(p, " \t,");
		if (len >= sizeof(ent) || db->nnodes == DB_MAXNODES) {
			hs_log(HS_LOG_ERR, "db_nodes: more than %d nodes or "
			    "an entry longer than %d bytes", DB_MAXNODES,
			    DB_NODELEN - 1);
			return HS_EINVAL;
		}
		memcpy(ent, p, len);
		ent[len] = '\0';
		nd = &db->nodes[db->nnodes];
		if (ent[0] == '/') {
			memcpy(nd->sock, ent, len + 1);
			db->nnodes++;
			continue;
		}
		port = db->conf->db_port;
		hs = ent;
		if (ent[0] == '[') {
			hs = ent + 1;
			if ((end = strchr(ent, ']')) == NULL)
				goto bad;
			*end = '\0';
			colon = end[1] == ':' ? end + 1 :
			    end[1] == '\0' ? NULL : end;
			if (colon == end)
				goto bad;
		} else if ((colon = strrchr(ent, ':')) != NULL)
			ent[colon - ent] = '\0';
		if (colon != NULL) {
			errno = 0;
			port = strtol(colon + 1, &end, 10);
			if (colon[1] == '\0' || *end != '\0' || errno != 0 ||
			    port < 1 || port > 65535)
				goto bad;
		}
		if ((hl = strlen(hs)) == 0)
			goto bad;
		memcpy(nd->host, hs, hl + 1);
		nd->port = (unsigned int)port;
		db->nnodes++;
	}
	if (db->nnodes == 0) {
		hs_log(HS_LOG_ERR, "db_nodes: no node listed");
		return HS_EINVAL;
	}
	return HS_OK;
bad:
	hs_log(HS_LOG_ERR, "db_nodes: bad entry \"%.*s\" (want /socket, "
	    "host, host:port or [ipv6]:port)", (int)len, p);
	return HS_EINVAL;
}

/* The one node of a configuration without db_nodes. */
static enum hs_err
node_single(struct hs_db *db)
{
	const struct hs_conf *c = db->conf;

	if ((db->nodes = hs_xcalloc(1, sizeof(*db->nodes))) == NULL)
		return HS_ENOMEM;
	db->nnodes = 1;
	if (c->db_socket != NULL) {
		if (strlen(c->db_socket) >= sizeof(db->nodes->sock)) {
			hs_log(HS_LOG_ERR, "db_socket: path too long");
			return HS_EINVAL;
		}
		memcpy(db->nodes->sock, c->db_socket,
		    strlen(c->db_socket) + 1);
		return HS_OK;
	}
	if (strlen(c->db_host) >= sizeof(db->nodes->host)) {
		hs_log(HS_LOG_ERR, "db_host: too long");
		return HS_EINVAL;
	}
	memcpy(db->nodes->host, c->db_host, strlen(c->db_host) + 1);
	db->nodes->port = (unsigned int)c->db_port;
	return HS_OK;
}

/*
 * Close the connection and every statement.  mysql_close first: it
 * detaches the statements, so closing them sends nothing to a server
 * that may be gone.
 */
void
db_disconnect(struct hs_db *db)
{
	size_t	 i;

	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
	for (i = 0; i < db->nsql; i++) {
		if (db->stmts[i].st != NULL)
			(void)mysql_stmt_close(db->stmts[i].st);
		db->stmts[i].st = NULL;
		db->stmts[i].cols = NULL;
		db->stmts[i].ncols = 0;
	}
	db->dead = 1;
}

/*
 * Open a handle for the statement table sqls[nsql] (which must outlive
 * the handle, as must conf) and connect; flags: HS_DB_READONLY, as the
 * read-only user when one is configured; HS_DB_BATCH, a batch program's
 * longer read timeout (DB_BATCH_READ_TIMEOUT).  A read-only handle leaves
 * unprepared the statements its user has no privilege for, so one table
 * can serve both handles of a program; running one is HS_EDB.  So is
 * running a NULL entry of sqls, which is not prepared: a handle that
 * runs a few statements of a long table need not prepare them all.
 *
 * The handle is returned in *dbp even when the server cannot be reached
 * (HS_EAGAIN) or the session is refused (HS_EDB), so that a long-running
 * worker can start anyway and connect later through hs_db_ensure (or
 * any statement outside a unit); the caller closes it with hs_db_close.
 * *dbp is NULL only with HS_EINVAL or HS_ENOMEM.
 * Returns HS_OK, HS_EAGAIN, HS_EDB, HS_EINVAL or HS_ENOMEM.
 */
enum hs_err
hs_db_open(struct hs_db **dbp, const struct hs_conf *conf, int flags,
    const char *const *sqls, size_t nsql)
{
	struct hs_db	*db = NULL;
	enum hs_err	 rc;

	*dbp = NULL;
	if (conf == NULL || (sqls == NULL && nsql > 0) ||
	    (conf->db_socket == NULL && conf->db_host == NULL &&
	    conf->db_nodes == NULL)) {
		hs_log(HS_LOG_ERR, "db: open: no socket or host configured");
		rc = HS_EINVAL;
		goto out;
	}
	if ((db = hs_xcalloc(1, sizeof(*db))) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	if (nsql > 0 &&
	    (db->stmts = hs_xcalloc(nsql, sizeof(*db->stmts))) == NULL) {
		free(db);
		db = NULL;
		rc = HS_ENOMEM;
		goto out;
	}
	db->sqls = sqls;
	db->nsql = nsql;
	db->conf = conf;
	db->cluster = conf->db_nodes != NULL;
	if ((rc = db->cluster ? nodes_parse(db, conf->db_nodes) :
	    node_single(db)) != HS_OK) {
		free(db->nodes);
		free(db->stmts);
		free(db);
		db = NULL;
		goto out;
	}
	db->readonly = (flags & HS_DB_READONLY) != 0;
	db->batch = (flags & HS_DB_BATCH) != 0;
	db->dead = 1;
	db->rnd = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	if (db->readonly && conf->db_ro_user == NULL)
		hs_log(HS_LOG_WARN, "db: no db_ro_user configured: the "
		    "read-only handle uses db_user (read only by session)");
	*dbp = db;
	rc = db_connect(db);
out:
	return rc;
}

/* Close the connection and free the handle; NULL is fine. */
void
hs_db_close(struct hs_db *db)
{

	if (db == NULL)
		return;
	db_disconnect(db);
	free(db->nodes);
	free(db->stmts);
	free(db->binds);
	free(db);
}

/*
 * Make sure the handle is connected and every statement prepared,
 * reconnecting when it was never connected or an error marked it dead.
 * Cheap when connected: no ping, since a server that went away is found
 * by the next statement anyway and a ping would only narrow the window.
 * For DB_HOLDOFF_MS after a costly failed connect it fails without trying.
 * Inside a unit a lost connection is not reopened: the transaction is
 * gone and the unit must be replayed from the start.
 * Returns HS_OK, HS_EAGAIN, HS_EDB or HS_ENOMEM.
 */
enum hs_err
hs_db_ensure(struct hs_db *db)
{

	if (db->my != NULL && !db->dead)
		return HS_OK;
	if (db->intx)
		return HS_EAGAIN;
	if (db->holdoff != 0 && now_ms() < db->holdoff)
		return HS_EAGAIN;
	db_disconnect(db);
	return db_connect(db);
}
