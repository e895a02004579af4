/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * dbstmt.c: running the prepared statements of a handle: binding the
 * caller's parameters and columns, executing, buffering and fetching
 * results.  Every value travels as a bound parameter (see db.c).
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
		hs_log(HS_LOG_ERR, "db: statement %zu is not prepared on this "
		    "handle (the read-only user's, or left out)", id);
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
		return db_stmt_fail(db, id, st, "bind_param");
	return HS_OK;
}

/*
 * Bind the caller's nc columns cols as the result of statement id:
 * integers in place, text and blobs into their buffers, keeping one byte
 * for the NUL that hs_db_fetch adds.
 * Returns HS_OK, HS_EINVAL (a column without type or buffer), HS_ENOMEM
 * or a classified error.
 */
static enum hs_err HS_WUR
bind_cols(struct hs_db *db, size_t id, MYSQL_STMT *st, struct hs_dbcol *cols,
    size_t nc)
{
	MYSQL_BIND	*b;
	enum hs_err	 rc;
	size_t		 i;

	if ((rc = binds_get(db, nc)) != HS_OK)
		return rc;
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
				return HS_EINVAL;
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
			return HS_EINVAL;
		}
	}
	if (mysql_stmt_bind_result(st, db->binds) != 0)
		return db_stmt_fail(db, id, st, "bind_result");
	return HS_OK;
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
		rc = db_stmt_fail(db, id, st, "execute");
		goto out;
	}
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	rc = HS_OK;
out:
	return db_seen(db, rc);
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
	enum hs_err	 rc;

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
	if ((rc = bind_cols(db, id, st, cols, nc)) != HS_OK)
		goto out;
	if (mysql_stmt_execute(st) != 0) {
		rc = db_stmt_fail(db, id, st, "execute");
		goto out;
	}
	if (mysql_stmt_store_result(st) != 0) {
		rc = db_stmt_fail(db, id, st, "store_result");
		(void)mysql_stmt_free_result(st);
		goto out;
	}
	db->stmts[id].cols = cols;
	db->stmts[id].ncols = nc;
	rc = HS_OK;
out:
	return db_seen(db, rc);
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
		rc = db_stmt_fail(db, id, st, "fetch");
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
	return db_seen(db, rc);
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
