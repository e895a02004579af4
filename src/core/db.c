/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * db.c: MariaDB through MariaDB Connector/C prepared statements.
 *
 * Each program hands hs_db_open its own constant table of SQL statements
 * (kcaldav's sqls[]) and refers to them by index afterwards.  Every value
 * travels as a bound parameter; SQL is never built from strings.
 *
 * Connections are never reconnected behind our back: MYSQL_OPT_RECONNECT
 * would silently drop the open transaction and every prepared statement.
 * Instead an error that means "the connection is gone" marks the handle
 * dead; the next hs_db_ensure (or the next statement outside a unit)
 * opens a new connection and prepares the whole table again, and
 * hs_db_unit replays the whole transaction.  Transient errors (deadlock,
 * lock wait timeout, Galera certification failure, lost connection) are
 * HS_EAGAIN; a duplicate key is HS_EDUP; anything else is HS_EDB.
 *
 * A Galera cluster is named as a list of nodes (db_nodes): a handle
 * talks to one node at a time, so that its own writes never conflict
 * with each other in certification, and moves to the next node in the
 * list when its connection is lost or its node says it is not ready
 * (ER_UNKNOWN_COM_ERROR, 1047: not Primary, or not yet synced).  A node
 * is checked on connect: it must report wsrep_ready ON, a Primary
 * component and the Synced state, or the next one is tried.  Sessions on
 * a cluster set wsrep_sync_wait (db_sync_wait), so that a read sees what
 * any node committed before it: a retried request may land on another
 * host whose handle uses another node.
 *
 * Server error messages can quote the values of a statement (a duplicate
 * key, an incorrect string), and values may be personal data or secrets,
 * so execution errors are logged by number and SQLSTATE only.
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
#define DB_WRITE_TIMEOUT	10	/* seconds sending a command */

/* Retries of a unit: a deadlock or a lost connection, then give up. */
#define HS_DB_MAXTRIES		5	/* tries of a whole unit */
#define DB_MAXCONNFAIL		2	/* failed connects within one unit */
#define DB_BACKOFF_MS		4	/* first backoff, doubled per try */
#define DB_BACKOFF_MAX_MS	250	/* cap on one backoff */

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

/* Nodes in db_nodes, and the length of one entry. */
#define DB_MAXNODES		16
#define DB_NODELEN		256

/* Connect failures are logged at most once per this many seconds. */
#define DB_LOGQUIET_SECS	10

/*
 * MariaDB 10.5+ sends this before closing an idle connection
 * (wait_timeout); older headers do not name it.
 */
#define DB_ER_CLIENT_INTERACTION_TIMEOUT 4031

/* The session settings every connection must run with. */
#define DB_SQL_MODE	"STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE," \
			"ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
static const char db_session_sql[] =
    "SET SESSION sql_mode='" DB_SQL_MODE "', time_zone='+00:00', "
    "autocommit=1";
static const char db_check_sql[] =
    "SELECT @@SESSION.sql_mode, @@SESSION.character_set_connection";
static const char db_readonly_sql[] = "SET SESSION TRANSACTION READ ONLY";
static const char db_begin_sql[] = "START TRANSACTION";
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

/* One database server: a unix socket, or a TCP host and port. */
struct db_node {
	char		 sock[DB_NODELEN]; /* path, or "" for TCP */
	char		 host[DB_NODELEN]; /* TCP host */
	unsigned int	 port;		/* TCP port */
};

struct db_stmt {
	MYSQL_STMT	*st;		/* prepared, or NULL when closed */
	struct hs_dbcol	*cols;		/* caller's columns of a query */
	size_t		 ncols;		/* their count */
};

struct hs_db {
	MYSQL			*my;	/* connection, NULL when closed */
	struct db_stmt		*stmts;	/* [nsql], prepared on connect */
	const char *const	*sqls;	/* the caller's statement table */
	size_t			 nsql;	/* statements in it */
	const struct hs_conf	*conf;	/* connection settings */
	int			 readonly; /* use the read-only user */
	int			 dead;	/* connection lost: reopen first */
	int			 intx;	/* inside hs_db_unit */
	int			 poisoned; /* transient error inside a unit */
	MYSQL_BIND		*binds;	/* scratch for bind_param/_result */
	size_t			 nbinds; /* its size */
	long long		 holdoff; /* no connect before (ms) */
	time_t			 lastlog; /* last connect failure logged */
	unsigned long		 quiet;	/* connect failures not logged */
	unsigned int		 rnd;	/* backoff jitter state */
	struct db_node		*nodes;	/* [nnodes]: the servers */
	size_t			 nnodes; /* 1 without db_nodes */
	size_t			 node;	/* in use, or tried next */
	int			 cluster; /* db_nodes was configured */
	int			 moveon; /* its node failed: try the next */
};

static void	disconnect(struct hs_db *);
static enum hs_err connect_db(struct hs_db *) HS_WUR;

/*
 * Map a server or client error number to our classes.  Errors meaning
 * that the connection is unusable also mark the handle dead, so that it
 * is closed and reopened before the next statement: this includes
 * "commands out of sync", which otherwise repeats forever.
 * Returns HS_EAGAIN (transient), HS_EDUP (duplicate key) or HS_EDB.
 */
static enum hs_err
classify(struct hs_db *db, unsigned int e)
{

	switch (e) {
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case CR_ERR_NET_READ:
	case CR_ERR_NET_WRITE:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_NET_PACKETS_OUT_OF_ORDER:
	case ER_NET_READ_ERROR:
	case ER_NET_READ_INTERRUPTED:
	case ER_NET_ERROR_ON_WRITE:
	case ER_NET_WRITE_INTERRUPTED:
	case DB_ER_CLIENT_INTERACTION_TIMEOUT:
		db->dead = 1;
		db->moveon = 1;
		return HS_EAGAIN;
	case ER_UNKNOWN_COM_ERROR:
		/*
		 * Galera: "WSREP has not yet prepared node for application
		 * use" (not Primary, or not synced).  The next connect
		 * tries the next node of db_nodes; behind a proxy or a
		 * load balancer, reconnecting lets it pick another node.
		 */
		db->dead = 1;
		db->moveon = 1;
		return HS_EAGAIN;
	case ER_LOCK_DEADLOCK:		/* also Galera certification */
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_CHECKREAD:		/* snapshot isolation conflict */
	case ER_ERROR_DURING_COMMIT:
	case ER_XA_RBDEADLOCK:
	case ER_QUERY_INTERRUPTED:	/* KILL QUERY */
	case ER_STATEMENT_TIMEOUT:
	case ER_LOCK_ABORTED:
		return HS_EAGAIN;
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		return HS_EDUP;
	default:
		return HS_EDB;
	}
}

/*
 * Log a failure of statement id (or of a session command when id is
 * (size_t)-1) and classify it.  Client-side errors (2xxx, 5xxx) carry
 * no values and are logged with their text; server errors only by
 * number and SQLSTATE, since their text can quote a value.
 * Returns what classify returns.
 */
static enum hs_err
fail(struct hs_db *db, size_t id, const char *what, unsigned int e,
    const char *state, const char *msg)
{
	enum hs_err	 rc;
	enum hs_loglevel lvl;
	char		 where[32];

	rc = classify(db, e);
	lvl = rc == HS_EDB ? HS_LOG_ERR :
	    rc == HS_EAGAIN ? HS_LOG_WARN : HS_LOG_INFO;
	if (id == (size_t)-1)
		(void)snprintf(where, sizeof(where), "session");
	else
		(void)snprintf(where, sizeof(where), "statement %zu", id);
	if ((e >= CR_MIN_ERROR && e <= CR_MAX_ERROR) ||
	    (e >= CER_MIN_ERROR && e <= CER_MAX_ERROR))
		hs_log(lvl, "db: %s: %s: error %u: %s", where, what, e,
		    msg != NULL ? msg : "");
	else
		hs_log(lvl, "db: %s: %s: error %u (SQLSTATE %s)", where, what,
		    e, state != NULL ? state : "?");
	return rc;
}

/* fail() for a failed mysql_stmt_* call on statement id. */
static enum hs_err
stmt_fail(struct hs_db *db, size_t id, MYSQL_STMT *st, const char *what)
{
	unsigned int	 e;

	if ((e = mysql_stmt_errno(st)) != 0)
		return fail(db, id, what, e, mysql_stmt_sqlstate(st),
		    mysql_stmt_error(st));
	if (db->my != NULL && (e = mysql_errno(db->my)) != 0)
		return fail(db, id, what, e, mysql_sqlstate(db->my),
		    mysql_error(db->my));
	/* No error number at all: trust nothing about the connection. */
	db->dead = 1;
	hs_log(HS_LOG_ERR, "db: statement %zu: %s failed without an error",
	    id, what);
	return HS_EAGAIN;
}

/* fail() for a failed mysql_* call on the connection. */
static enum hs_err
conn_fail(struct hs_db *db, const char *what)
{
	unsigned int	 e;

	if (db->my == NULL || (e = mysql_errno(db->my)) == 0) {
		db->dead = 1;
		hs_log(HS_LOG_ERR, "db: %s failed without an error", what);
		return HS_EAGAIN;
	}
	return fail(db, (size_t)-1, what, e, mysql_sqlstate(db->my),
	    mysql_error(db->my));
}

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
 * Run a constant command that returns no rows on the connection.
 * Returns HS_OK or a classified error.
 */
static enum hs_err HS_WUR
simple(struct hs_db *db, const char *sql, size_t len)
{

	if (mysql_real_query(db->my, sql, len) != 0)
		return conn_fail(db, sql);
	return HS_OK;
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

	if ((rc = simple(db, db_session_sql, sizeof(db_session_sql) - 1))
	    != HS_OK)
		goto out;
	if (db->readonly && (rc = simple(db, db_readonly_sql,
	    sizeof(db_readonly_sql) - 1)) != HS_OK)
		goto out;
	if (mysql_real_query(db->my, db_check_sql,
	    sizeof(db_check_sql) - 1) != 0) {
		rc = conn_fail(db, "reading sql_mode");
		goto out;
	}
	if ((res = mysql_store_result(db->my)) == NULL) {
		rc = conn_fail(db, "reading sql_mode");
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
		rc = conn_fail(db, "readiness check");
		goto out;
	}
	if ((res = mysql_store_result(db->my)) == NULL) {
		rc = conn_fail(db, "readiness check");
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
	rc = simple(db, sql, strlen(sql));
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
		rc = classify(db, e);
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
	 * Never MYSQL_OPT_RECONNECT (see the top of this file); never
	 * LOAD DATA LOCAL, which lets a rogue server read our files.
	 */
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
		disconnect(db);
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
connect_db(struct hs_db *db)
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
static void
disconnect(struct hs_db *db)
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
 * the handle, as must conf) and connect, as the read-only user when
 * readonly is set and one is configured.  A read-only handle leaves
 * unprepared the statements its user has no privilege for, so one table
 * can serve both handles of a program; running one is HS_EDB.
 *
 * The handle is returned in *dbp even when the server cannot be reached
 * (HS_EAGAIN) or the session is refused (HS_EDB), so that a long-running
 * worker can start anyway and connect later through hs_db_ensure (or
 * any statement outside a unit); the caller closes it with hs_db_close.
 * *dbp is NULL only with HS_EINVAL or HS_ENOMEM.
 * Returns HS_OK, HS_EAGAIN, HS_EDB, HS_EINVAL or HS_ENOMEM.
 */
enum hs_err
hs_db_open(struct hs_db **dbp, const struct hs_conf *conf, int readonly,
    const char *const *sqls, size_t nsql)
{
	struct hs_db	*db = NULL;
	enum hs_err	 rc;
	size_t		 i;

	*dbp = NULL;
	if (conf == NULL || (sqls == NULL && nsql > 0) ||
	    (conf->db_socket == NULL && conf->db_host == NULL &&
	    conf->db_nodes == NULL)) {
		hs_log(HS_LOG_ERR, "db: open: no socket or host configured");
		rc = HS_EINVAL;
		goto out;
	}
	for (i = 0; i < nsql; i++)
		if (sqls[i] == NULL) {
			hs_log(HS_LOG_ERR, "db: statement %zu is NULL", i);
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
	db->readonly = readonly;
	db->dead = 1;
	db->rnd = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	if (readonly && conf->db_ro_user == NULL)
		hs_log(HS_LOG_WARN, "db: no db_ro_user configured: the "
		    "read-only handle uses db_user (read only by session)");
	*dbp = db;
	rc = connect_db(db);
out:
	return rc;
}

/* Close the connection and free the handle; NULL is fine. */
void
hs_db_close(struct hs_db *db)
{

	if (db == NULL)
		return;
	disconnect(db);
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
	disconnect(db);
	return connect_db(db);
}

/*
 * The statement id, ready to run: reconnects first if needed and
 * allowed (see hs_db_ensure), and refuses to run on inside a unit that
 * already failed transiently (after a deadlock InnoDB has rolled the
 * transaction back, and what followed would run in autocommit).
 * Returns HS_OK, HS_EINVAL for a bad id, or what hs_db_ensure returns.
 */
static enum hs_err HS_WUR
stmt_get(struct hs_db *db, size_t id, MYSQL_STMT **stp)
{
	enum hs_err	 rc;

	if (id >= db->nsql) {
		hs_log(HS_LOG_ERR, "db: no statement %zu", id);
		return HS_EINVAL;
	}
	if (db->intx && db->poisoned)
		return HS_EAGAIN;
	if ((rc = hs_db_ensure(db)) != HS_OK)
		return rc;
	if ((*stp = db->stmts[id].st) == NULL) {
		hs_log(HS_LOG_ERR, "db: statement %zu is not allowed to the "
		    "read-only user", id);
		return HS_EDB;
	}
	return HS_OK;
}

/* Grow the scratch bind array to n entries, zeroed.  HS_OK or ENOMEM. */
static enum hs_err HS_WUR
binds_get(struct hs_db *db, size_t n)
{
	MYSQL_BIND	*b;

	if (n > db->nbinds) {
		if ((b = hs_xreallocarray(db->binds, n, sizeof(*b))) == NULL)
			return HS_ENOMEM;
		db->binds = b;
		db->nbinds = n;
	}
	if (n > 0)
		memset(db->binds, 0, n * sizeof(*db->binds));
	return HS_OK;
}

/*
 * Bind the np parameters p to statement id.  A TEXT or BLOB parameter
 * with a NULL pointer is SQL NULL.  The connector copies the bind array
 * but not the values, which must stay valid until execution.
 * Returns HS_OK, HS_EINVAL (count or type mismatch), HS_ENOMEM or a
 * classified error.
 */
static enum hs_err HS_WUR
bind_params(struct hs_db *db, size_t id, MYSQL_STMT *st,
    const struct hs_dbparam *p, size_t np)
{
	MYSQL_BIND	*b;
	enum hs_err	 rc;
	size_t		 i;

	if (mysql_stmt_param_count(st) != np) {
		hs_log(HS_LOG_ERR, "db: statement %zu takes %lu parameters, "
		    "got %zu", id, mysql_stmt_param_count(st), np);
		return HS_EINVAL;
	}
	if (np == 0)
		return HS_OK;
	if ((rc = binds_get(db, np)) != HS_OK)
		return rc;
	for (i = 0; i < np; i++) {
		b = &db->binds[i];
		switch (p[i].type) {
		case HS_DB_NULL:
			b->buffer_type = MYSQL_TYPE_NULL;
			break;
		case HS_DB_INT:
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = (void *)&p[i].i;
			break;
		case HS_DB_TEXT:
		case HS_DB_BLOB:
			if (p[i].s == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			b->buffer_type = p[i].type == HS_DB_TEXT ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b->buffer = (void *)p[i].s;
			b->buffer_length = p[i].sz;
			break;
		default:
			hs_log(HS_LOG_ERR, "db: statement %zu: parameter %zu "
			    "has no type", id, i);
			return HS_EINVAL;
		}
	}
	if (mysql_stmt_bind_param(st, db->binds) != 0)
		return stmt_fail(db, id, st, "bind_param");
	return HS_OK;
}

/* Inside a unit, remember a transient failure (see stmt_get). */
static enum hs_err
seen(struct hs_db *db, enum hs_err rc)
{

	if (db->intx && rc == HS_EAGAIN)
		db->poisoned = 1;
	return rc;
}

/*
 * Execute statement id, which returns no rows, with np parameters;
 * the affected row count goes to *affected when that is not NULL.
 * Outside a unit a dead connection is reopened first; a statement that
 * fails because the connection went away is not retried here (it may
 * have run): run it in hs_db_unit to have it replayed.
 * Returns HS_OK, HS_EDUP, HS_EAGAIN, HS_EDB, HS_EINVAL or HS_ENOMEM.
 */
enum hs_err
hs_db_exec(struct hs_db *db, size_t id, const struct hs_dbparam *p,
    size_t np, unsigned long long *affected)
{
	MYSQL_STMT	*st;
	enum hs_err	 rc;

	if (affected != NULL)
		*affected = 0;
	if ((rc = stmt_get(db, id, &st)) != HS_OK)
		goto out;
	if (mysql_stmt_field_count(st) != 0) {
		hs_log(HS_LOG_ERR, "db: statement %zu returns rows: use "
		    "hs_db_query", id);
		rc = HS_EINVAL;
		goto out;
	}
	if ((rc = bind_params(db, id, st, p, np)) != HS_OK)
		goto out;
	if (mysql_stmt_execute(st) != 0) {
		rc = stmt_fail(db, id, st, "execute");
		goto out;
	}
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	rc = HS_OK;
out:
	return seen(db, rc);
}

/*
 * Execute query id with np parameters and buffer its whole result, so
 * the connection is free again and rows can be fetched one by one with
 * hs_db_fetch into the caller's nc columns (whose count must match the
 * statement's).  cols must stay valid until hs_db_end, which must follow
 * every successful hs_db_query.  Reconnecting is as for hs_db_exec.
 * Returns HS_OK, HS_EAGAIN, HS_EDB, HS_EINVAL or HS_ENOMEM.
 */
enum hs_err
hs_db_query(struct hs_db *db, size_t id, const struct hs_dbparam *p,
    size_t np, struct hs_dbcol *cols, size_t nc)
{
	MYSQL_STMT	*st;
	MYSQL_BIND	*b;
	enum hs_err	 rc;
	size_t		 i;

	if ((rc = stmt_get(db, id, &st)) != HS_OK)
		goto out;
	if (mysql_stmt_field_count(st) != nc || nc == 0) {
		hs_log(HS_LOG_ERR, "db: statement %zu returns %u columns, "
		    "got %zu", id, mysql_stmt_field_count(st), nc);
		rc = HS_EINVAL;
		goto out;
	}
	if ((rc = bind_params(db, id, st, p, np)) != HS_OK)
		goto out;
	if ((rc = binds_get(db, nc)) != HS_OK)
		goto out;
	for (i = 0; i < nc; i++) {
		b = &db->binds[i];
		b->is_null = (my_bool *)&cols[i].isnull;
		b->length = &cols[i].len;
		b->error = (my_bool *)&cols[i].truncated;
		switch (cols[i].type) {
		case HS_DB_INT:
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &cols[i].i;
			break;
		case HS_DB_TEXT:
		case HS_DB_BLOB:
			if (cols[i].s == NULL || cols[i].cap == 0) {
				hs_log(HS_LOG_ERR, "db: statement %zu: column "
				    "%zu has no buffer", id, i);
				rc = HS_EINVAL;
				goto out;
			}
			b->buffer_type = cols[i].type == HS_DB_TEXT ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b->buffer = cols[i].s;
			/* One byte is kept for the NUL hs_db_fetch adds. */
			b->buffer_length = cols[i].cap - 1;
			break;
		default:
			hs_log(HS_LOG_ERR, "db: statement %zu: column %zu "
			    "has no type", id, i);
			rc = HS_EINVAL;
			goto out;
		}
	}
	if (mysql_stmt_bind_result(st, db->binds) != 0) {
		rc = stmt_fail(db, id, st, "bind_result");
		goto out;
	}
	if (mysql_stmt_execute(st) != 0) {
		rc = stmt_fail(db, id, st, "execute");
		goto out;
	}
	if (mysql_stmt_store_result(st) != 0) {
		rc = stmt_fail(db, id, st, "store_result");
		(void)mysql_stmt_free_result(st);
		goto out;
	}
	db->stmts[id].cols = cols;
	db->stmts[id].ncols = nc;
	rc = HS_OK;
out:
	return seen(db, rc);
}

/*
 * Fetch the next row of query id into its columns: *have is 1 with a
 * row, 0 after the last.  Text and blobs are NUL-terminated; a value
 * longer than cap - 1 bytes is cut there and its column marked
 * truncated, with len still the full length.  NULL sets isnull and
 * leaves an empty string.
 * Returns HS_OK, HS_EINVAL (no query open) or a classified error.
 */
enum hs_err
hs_db_fetch(struct hs_db *db, size_t id, int *have)
{
	struct hs_dbcol	*c;
	MYSQL_STMT	*st;
	enum hs_err	 rc;
	size_t		 i;
	int		 r;

	*have = 0;
	if (id >= db->nsql || db->stmts[id].st == NULL ||
	    db->stmts[id].cols == NULL) {
		hs_log(HS_LOG_ERR, "db: fetch: statement %zu has no result",
		    id);
		rc = HS_EINVAL;
		goto out;
	}
	st = db->stmts[id].st;
	for (i = 0; i < db->stmts[id].ncols; i++)
		db->stmts[id].cols[i].truncated = 0;
	r = mysql_stmt_fetch(st);
	if (r == MYSQL_NO_DATA) {
		rc = HS_OK;
		goto out;
	}
	if (r != 0 && r != MYSQL_DATA_TRUNCATED) {
		rc = stmt_fail(db, id, st, "fetch");
		goto out;
	}
	for (i = 0; i < db->stmts[id].ncols; i++) {
		c = &db->stmts[id].cols[i];
		if (c->type == HS_DB_INT) {
			if (c->isnull)
				c->i = 0;
			continue;
		}
		if (c->isnull) {
			c->s[0] = '\0';
			c->len = 0;
			continue;
		}
		if (c->len >= c->cap) {
			c->truncated = 1;
			c->s[c->cap - 1] = '\0';
		} else {
			c->truncated = 0;
			c->s[c->len] = '\0';
		}
	}
	*have = 1;
	rc = HS_OK;
out:
	return seen(db, rc);
}

/*
 * Finish query id: free its buffered result.  No mysql_stmt_reset: it
 * costs a round trip and only matters for cursors and long data, which
 * we never use.
 */
void
hs_db_end(struct hs_db *db, size_t id)
{

	if (id >= db->nsql || db->stmts[id].st == NULL)
		return;
	(void)mysql_stmt_free_result(db->stmts[id].st);
	db->stmts[id].cols = NULL;
	db->stmts[id].ncols = 0;
}

/*
 * A lookup of one row: runs query id, fetches its first row into cols
 * (*have is 1 if there was one) and ends the query.
 * Returns as hs_db_query, then hs_db_fetch.
 */
enum hs_err
hs_db_row(struct hs_db *db, size_t id, const struct hs_dbparam *p,
    size_t np, struct hs_dbcol *cols, size_t nc, int *have)
{
	enum hs_err	 e;

	*have = 0;
	if ((e = hs_db_query(db, id, p, np, cols, nc)) != HS_OK)
		return e;
	e = hs_db_fetch(db, id, have);
	hs_db_end(db, id);
	return e;
}

/* The AUTO_INCREMENT value of the last execution of id, or 0. */
unsigned long long
hs_db_insert_id(struct hs_db *db, size_t id)
{

	if (id >= db->nsql || db->stmts[id].st == NULL)
		return 0;
	return mysql_stmt_insert_id(db->stmts[id].st);
}

/*
 * Sleep before try number try (1-based): DB_BACKOFF_MS doubled per try,
 * capped, and jittered down to half so that workers that collided in a
 * deadlock do not collide again in step.  An interrupted sleep is not
 * resumed; waking early is harmless.
 */
static void
backoff(struct hs_db *db, int try)
{
	struct timespec	 ts;
	unsigned long	 ms;
	int		 i;

	ms = DB_BACKOFF_MS;
	for (i = 1; i < try && ms < DB_BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > DB_BACKOFF_MAX_MS)
		ms = DB_BACKOFF_MAX_MS;
	/* xorshift32: jitter needs no cryptographic strength. */
	db->rnd ^= db->rnd << 13;
	db->rnd ^= db->rnd >> 17;
	db->rnd ^= db->rnd << 5;
	ms = ms / 2 + db->rnd % (ms / 2 + 1);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	(void)nanosleep(&ts, NULL);
}

/*
 * Roll the open transaction back.  A failure means we no longer know
 * the state of the connection, so it is closed and reopened before it is
 * used again.  A connection already given up on (lost, or a Galera node
 * that left the Primary component) is closed here too, not at its next
 * use: the server keeps the session of a silent client, and with it the
 * transaction's row locks, for as long as our socket stays open, and a
 * worker may wait minutes for its next request while a loader waits on
 * those locks.  Closing ends the session, which rolls back.
 */
static void
rollback(struct hs_db *db)
{

	if (db->my == NULL)
		return;
	if (!db->dead && mysql_rollback(db->my) == 0)
		return;
	if (!db->dead)
		(void)conn_fail(db, "ROLLBACK");
	disconnect(db);
}

/*
 * Run fn(db, arg) as one transaction and commit it.  When fn or the
 * COMMIT fails transiently (HS_EAGAIN: deadlock, lock wait timeout,
 * Galera certification failure reported at COMMIT, lost connection) the
 * transaction is rolled back, the connection reopened if it was lost,
 * and the whole unit replayed after a short jittered backoff, up to
 * HS_DB_MAXTRIES times; a server that cannot be reached is given up on
 * sooner (DB_MAXCONNFAIL), so the caller can journal instead of waiting.
 * Any other error rolls back and is returned as is.
 *
 * fn must therefore be idempotent: it may run several times, and a COMMIT
 * whose answer was lost may have committed although we replay.  Give
 * every written row a client-generated unique id (made before the unit,
 * not inside fn) and insert with INSERT IGNORE or ON DUPLICATE KEY, so a
 * replay cannot duplicate.  fn must not keep state across tries except
 * through arg, and must pass on any HS_EAGAIN it sees (after one, the
 * unit's statements are refused anyway).  Units do not nest.
 * Returns HS_OK, HS_EAGAIN after the last try, or fn's or the commit's
 * error.
 */
enum hs_err
hs_db_unit(struct hs_db *db, hs_db_unit_fn fn, void *arg)
{
	enum hs_err	 rc = HS_EAGAIN;
	int		 try, connfail = 0;

	if (db->intx) {
		hs_log(HS_LOG_ERR, "db: units do not nest");
		return HS_EINVAL;
	}
	for (try = 0; try < HS_DB_MAXTRIES; try++) {
		if (try > 0) {
			/* Said, so that a retry shows in the log. */
			hs_log(HS_LOG_WARN, "db: replaying the unit (try %d "
			    "of %d)", try + 1, HS_DB_MAXTRIES);
			backoff(db, try);
		}
		if ((rc = hs_db_ensure(db)) != HS_OK) {
			if (rc != HS_EAGAIN)
				goto out;
			if (++connfail >= DB_MAXCONNFAIL)
				break;
			continue;
		}
		if ((rc = simple(db, db_begin_sql, sizeof(db_begin_sql) - 1))
		    != HS_OK) {
			if (rc != HS_EAGAIN)
				goto out;
			continue;
		}
		db->intx = 1;
		db->poisoned = 0;
		rc = fn(db, arg);
		if (rc == HS_OK && db->poisoned) {
			hs_log(HS_LOG_ERR, "db: a unit ignored a transient "
			    "error; replaying it");
			rc = HS_EAGAIN;
		}
		db->intx = 0;
		db->poisoned = 0;
		if (rc == HS_OK) {
			if (mysql_commit(db->my) == 0)
				goto out;
			rc = conn_fail(db, "COMMIT");
		}
		rollback(db);
		if (rc != HS_EAGAIN)
			goto out;
	}
	hs_log(HS_LOG_WARN, "db: unit gave up after %d tries", try);
	rc = HS_EAGAIN;
out:
	return rc;
}

/*
 * Run a constant SQL string with no parameters: for migrations and
 * administration only, never with anything from input.  It may hold
 * several statements; multi-statement mode is switched on for this call
 * alone, and every result is drained so the connection stays in sync.
 * Returns HS_OK, HS_EDUP, HS_EAGAIN, HS_EDB or HS_EINVAL.
 */
enum hs_err
hs_db_sql(struct hs_db *db, const char *sql)
{
	MYSQL_RES	*res;
	enum hs_err	 rc;
	int		 more, multi = 0;

	if (sql == NULL) {
		rc = HS_EINVAL;
		goto out;
	}
	if ((rc = hs_db_ensure(db)) != HS_OK)
		goto out;
	if (mysql_set_server_option(db->my,
	    MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
		rc = conn_fail(db, "multi-statements on");
		goto out;
	}
	multi = 1;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0) {
		rc = conn_fail(db, "query");
		goto out;
	}
	do {
		if ((res = mysql_store_result(db->my)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(db->my) != 0) {
			rc = conn_fail(db, "store_result");
			goto out;
		}
		if ((more = mysql_next_result(db->my)) > 0) {
			rc = conn_fail(db, "query");
			goto out;
		}
	} while (more == 0);
	rc = HS_OK;
out:
	if (multi && !db->dead && mysql_set_server_option(db->my,
	    MYSQL_OPTION_MULTI_STATEMENTS_OFF) != 0) {
		(void)conn_fail(db, "multi-statements off");
		db->dead = 1;
	}
	return seen(db, rc);
}
