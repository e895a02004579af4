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
 * HS_EAGAIN; a duplicate key is HS_EDUP; a NULL for a NOT NULL column
 * (a row a subquery names is missing) HS_ENOTFOUND; anything else is
 * HS_EDB.
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
 *
 * This file classifies and logs errors and runs units and plain SQL;
 * dbconn.c connects and prepares, dbstmt.c binds and fetches (db.h).
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

/* Retries of a unit: a deadlock or a lost connection, then give up. */
#define HS_DB_MAXTRIES		5	/* tries of a whole unit */
#define DB_MAXCONNFAIL		2	/* failed connects within one unit */
#define DB_BACKOFF_MS		4	/* first backoff, doubled per try */
#define DB_BACKOFF_MAX_MS	250	/* cap on one backoff */

/*
 * MariaDB 10.5+ sends this before closing an idle connection
 * (wait_timeout); older headers do not name it.
 */
#define DB_ER_CLIENT_INTERACTION_TIMEOUT 4031

static const char db_begin_sql[] = "START TRANSACTION";

/*
 * Map a server or client error number to our classes.  Errors meaning
 * that the connection is unusable also mark the handle dead, so that it
 * is closed and reopened before the next statement: this includes
 * "commands out of sync", which otherwise repeats forever.
 * Returns HS_EAGAIN (transient), HS_EDUP (duplicate key), HS_ENOTFOUND
 * (a NULL for a NOT NULL column) or HS_EDB.
 */
enum hs_err
db_classify(struct hs_db *db, unsigned int e)
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
	case ER_BAD_NULL_ERROR:
		/*
		 * Every statement binds a value to each NOT NULL column,
		 * or a scalar subquery (survey's activity batch): NULL
		 * there is a row it names that does not exist.
		 */
		return HS_ENOTFOUND;
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

	rc = db_classify(db, e);
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
enum hs_err
db_stmt_fail(struct hs_db *db, size_t id, MYSQL_STMT *st, const char *what)
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
enum hs_err
db_conn_fail(struct hs_db *db, const char *what)
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
 * Run a constant command that returns no rows on the connection.
 * Returns HS_OK or a classified error.
 */
enum hs_err
db_simple(struct hs_db *db, const char *sql, size_t len)
{

	if (mysql_real_query(db->my, sql, len) != 0)
		return db_conn_fail(db, sql);
	return HS_OK;
}

/* Inside a unit, remember a transient failure (see stmt_get in dbstmt.c). */
enum hs_err
db_seen(struct hs_db *db, enum hs_err rc)
{

	if (db->intx && rc == HS_EAGAIN)
		db->poisoned = 1;
	return rc;
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
		(void)db_conn_fail(db, "ROLLBACK");
	db_disconnect(db);
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
		if ((rc = db_simple(db, db_begin_sql, sizeof(db_begin_sql) - 1))
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
			rc = db_conn_fail(db, "COMMIT");
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
		rc = db_conn_fail(db, "multi-statements on");
		goto out;
	}
	multi = 1;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0) {
		rc = db_conn_fail(db, "query");
		goto out;
	}
	do {
		if ((res = mysql_store_result(db->my)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(db->my) != 0) {
			rc = db_conn_fail(db, "store_result");
			goto out;
		}
		if ((more = mysql_next_result(db->my)) > 0) {
			rc = db_conn_fail(db, "query");
			goto out;
		}
	} while (more == 0);
	rc = HS_OK;
out:
	if (multi && !db->dead && mysql_set_server_option(db->my,
	    MYSQL_OPTION_MULTI_STATEMENTS_OFF) != 0) {
		(void)db_conn_fail(db, "multi-statements off");
		db->dead = 1;
	}
	return db_seen(db, rc);
}
