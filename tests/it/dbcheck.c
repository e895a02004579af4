/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * dbcheck.c: db.c against a real MariaDB (the private one of the test
 * stack; tests/it/db.sh runs this).  It covers TESTING.md 3b rows 1-4
 * from the library's side: a session that is strict, UTC and utf8mb4;
 * units that commit once; a connection killed between units and inside
 * one; a connection dropped for idleness; a deadlock and a lock wait
 * timeout that are replayed; the server stopped (bounded HS_EAGAIN,
 * never a hang) and started again (the same handles recover); duplicate
 * keys as HS_EDUP.  Rows carry client-generated ids, and the row count
 * at the end must be exact.
 *
 * usage: dbcheck conf stop-command start-command
 * Prints TAP-like lines and "N passed, M failed"; exits 1 on a failure.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hearsay.h"

/* Rows this program inserts into dbcheck_t; db.sh checks it too. */
#define EXPECT_ROWS	8
/* A unit with the server down must give up within this (seconds). */
#define DOWN_BOUND	15
/* Rows a heavy transaction writes, so InnoDB picks the other victim. */
#define HEAVY_ROWS	300

enum stmt {
	STMT_INSERT,
	STMT_COUNT,
	STMT_COUNT_CID,
	STMT_GET,
	STMT_CONNID,
	STMT_LOCK,
	STMT_HEAVY,
	STMT_ECHO,
	STMT_SESSION,
	STMT_SLEEP,
	STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	/* STMT_INSERT */
	"INSERT INTO dbcheck_t (cid, note) VALUES (?, ?)",
	/* STMT_COUNT */
	"SELECT COUNT(*) FROM dbcheck_t",
	/* STMT_COUNT_CID */
	"SELECT COUNT(*) FROM dbcheck_t WHERE cid = ?",
	/* STMT_GET */
	"SELECT id, note FROM dbcheck_t WHERE cid = ?",
	/* STMT_CONNID */
	"SELECT CONNECTION_ID()",
	/* STMT_LOCK */
	"UPDATE dbcheck_lock SET v = v + 1 WHERE k = ?",
	/* STMT_HEAVY */
	"INSERT INTO dbcheck_heavy (n) VALUES (?)",
	/* STMT_ECHO */
	"SELECT ?",
	/* STMT_SESSION */
	"SELECT @@SESSION.sql_mode, @@SESSION.time_zone, "
	    "@@SESSION.autocommit, @@SESSION.character_set_connection",
	/* STMT_SLEEP */
	"SELECT SLEEP(?)",
};

/* For the read-only user. */
enum rostmt {
	ROSTMT_COUNT_CID,
	ROSTMT_READONLY,
	ROSTMT__MAX
};

static const char *const rostmts[ROSTMT__MAX] = {
	/* ROSTMT_COUNT_CID */
	"SELECT COUNT(*) FROM dbcheck_t WHERE cid = ?",
	/* ROSTMT_READONLY */
	"SELECT @@SESSION.tx_read_only",
};

/* The read-only table with a statement left out (NULL): not prepared. */
static const char *const partstmts[ROSTMT__MAX] = {
	/* ROSTMT_COUNT_CID */
	"SELECT COUNT(*) FROM dbcheck_t WHERE cid = ?",
	/* ROSTMT_READONLY: left out */
	NULL,
};

static const char setup_sql[] =
    "DROP TABLE IF EXISTS dbcheck_t, dbcheck_lock, dbcheck_heavy;"
    "CREATE TABLE dbcheck_t ("
    " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
    " cid VARCHAR(32) NOT NULL,"
    " note VARCHAR(8) NOT NULL DEFAULT '',"
    " UNIQUE KEY dbcheck_cid (cid)) ENGINE=InnoDB;"
    "CREATE TABLE dbcheck_lock (k INT NOT NULL PRIMARY KEY,"
    " v INT NOT NULL) ENGINE=InnoDB;"
    "INSERT INTO dbcheck_lock VALUES (1, 0), (2, 0);"
    "CREATE TABLE dbcheck_heavy (n INT NOT NULL PRIMARY KEY) ENGINE=InnoDB";

static int	 npass, nfail;
static struct hs_conf conf;

static void HS_PRINTF(2, 3)
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", npass + nfail);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
msleep(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* One integer from a query without parameters or with one text. */
static long long
qint(struct hs_db *db, size_t s, const char *text)
{
	struct hs_dbparam p[1] = { HS_DBP_TEXT(text) };
	struct hs_dbcol	 c[1];
	long long	 v = -1;
	int		 have = 0;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_INT;
	if (hs_db_query(db, s, p, text != NULL ? 1 : 0, c, 1) != HS_OK)
		return -1;
	if (hs_db_fetch(db, s, &have) == HS_OK && have)
		v = c[0].i;
	hs_db_end(db, s);
	return v;
}

static long long
connid(struct hs_db *db)
{

	return qint(db, STMT_CONNID, NULL);
}

static long long
count_cid(struct hs_db *db, const char *cid)
{

	return qint(db, STMT_COUNT_CID, cid);
}

/* A unit inserting one row; it can also meddle with its own first try. */
struct ins {
	const char	*cid;		/* client-generated id */
	const char	*note;
	int		 tries;		/* times the unit ran */
	struct hs_db	*killer;	/* kill our connection mid-unit */
	long long	 victim;	/* ... this connection id */
	int		 lock1, lock2;	/* rows of dbcheck_lock to take */
	int		 go;		/* pipe: tell the other side */
};

static enum hs_err
unit_insert(struct hs_db *db, void *arg)
{
	struct ins	*a = arg;
	struct hs_dbparam p[2] = { HS_DBP_TEXT(a->cid), HS_DBP_TEXT(a->note) };
	struct hs_dbparam k[1];
	char		 sql[64];
	enum hs_err	 rc;

	a->tries++;
	if (a->lock1 != 0) {
		k[0] = (struct hs_dbparam)HS_DBP_INT(a->lock1);
		if ((rc = hs_db_exec(db, STMT_LOCK, k, 1, NULL)) != HS_OK)
			return rc;
		if (a->go != -1 && a->tries == 1) {
			if (write(a->go, "g", 1) != 1)
				return HS_EIO;
			msleep(300);	/* the other side now waits for us */
		}
	}
	if (a->lock2 != 0) {
		k[0] = (struct hs_dbparam)HS_DBP_INT(a->lock2);
		if ((rc = hs_db_exec(db, STMT_LOCK, k, 1, NULL)) != HS_OK)
			return rc;
	}
	if ((rc = hs_db_exec(db, STMT_INSERT, p, 2, NULL)) != HS_OK)
		return rc;
	if (a->killer != NULL && a->tries == 1) {
		/* Our own connection dies before COMMIT. */
		(void)snprintf(sql, sizeof(sql), "KILL CONNECTION %lld",
		    a->victim);
		if (hs_db_sql(a->killer, sql) != HS_OK)
			return HS_EDB;
		msleep(100);
		rc = hs_db_exec(db, STMT_INSERT, p, 2, NULL);
		return rc == HS_EAGAIN ? rc : HS_EDB;
	}
	return HS_OK;
}

static enum hs_err
insert(struct hs_db *db, const char *cid, int *tries)
{
	struct ins	 a;
	enum hs_err	 rc;

	memset(&a, 0, sizeof(a));
	a.cid = cid;
	a.note = "n";
	a.go = -1;
	rc = hs_db_unit(db, unit_insert, &a);
	if (tries != NULL)
		*tries = a.tries;
	return rc;
}

/*
 * A batch program's handle (HS_DB_BATCH) waits out a statement longer
 * than a worker's read timeout (dbconn.c, DB_READ_TIMEOUT, 10 s): cut
 * there, a long statement of hearsay-reconcile was replayed while the
 * server still ran it, and the two deadlocked.
 */
static void
check_batch(void)
{
	struct hs_db	*b = NULL;
	double		 t0 = now();
	long long	 v = -1;

	if (hs_db_open(&b, &conf, HS_DB_BATCH, stmts, STMT__MAX) == HS_OK)
		v = qint(b, STMT_SLEEP, "11");
	ok(v == 0, "a batch handle waits out a statement of 11 s (%lld, "
	    "%.1f s)", v, now() - t0);
	hs_db_close(b);
}

static struct hs_db *
open_db(int ro)
{
	struct hs_db	*db;
	enum hs_err	 rc;

	if ((rc = hs_db_open(&db, &conf, ro, stmts, STMT__MAX)) != HS_OK) {
		fprintf(stderr, "dbcheck: hs_db_open: %s\n", hs_strerror(rc));
		hs_db_close(db);
		return NULL;
	}
	return db;
}

/*
 * db_nodes on a plain server (wsrep_on 0: always ready): a dead node
 * listed first is passed over for the next; a bad entry is refused.
 */
static void
check_nodes(void)
{
	struct hs_conf	 c;
	struct hs_db	*n = NULL;
	char		 list[512];
	enum hs_err	 rc;

	c = conf;
	if (conf.db_socket == NULL) {
		ok(0, "db_nodes: the stack names a db_socket");
		return;
	}
	(void)snprintf(list, sizeof(list), "/nonexistent/dead.sock, %s",
	    conf.db_socket);
	c.db_nodes = list;
	rc = hs_db_open(&n, &c, 0, stmts, STMT__MAX);
	ok(rc == HS_OK && qint(n, STMT_COUNT_CID, "unit-1") == 1,
	    "db_nodes: a dead first node is passed over for the next (%s)",
	    hs_strerror(rc));
	hs_db_close(n);
	n = NULL;
	c.db_nodes = "db1.lan:3306 db2.lan:99999";
	rc = hs_db_open(&n, &c, 0, stmts, STMT__MAX);
	ok(rc == HS_EINVAL && n == NULL,
	    "db_nodes: a port out of range is refused (%s)", hs_strerror(rc));
	hs_db_close(n);
	n = NULL;
	c.db_nodes = " , ";
	rc = hs_db_open(&n, &c, 0, stmts, STMT__MAX);
	ok(rc == HS_EINVAL && n == NULL, "db_nodes: an empty list is refused");
	hs_db_close(n);
}

static void
check_session(struct hs_db *db)
{
	struct hs_dbcol	 c[4];
	char		 mode[512], tz[16], cs[32];
	int		 have = 0;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_TEXT, c[0].s = mode, c[0].cap = sizeof(mode);
	c[1].type = HS_DB_TEXT, c[1].s = tz, c[1].cap = sizeof(tz);
	c[2].type = HS_DB_INT;
	c[3].type = HS_DB_TEXT, c[3].s = cs, c[3].cap = sizeof(cs);
	ok(hs_db_query(db, STMT_SESSION, NULL, 0, c, 4) == HS_OK &&
	    hs_db_fetch(db, STMT_SESSION, &have) == HS_OK && have,
	    "session variables readable");
	hs_db_end(db, STMT_SESSION);
	ok(have && strstr(mode, "STRICT_ALL_TABLES") != NULL,
	    "sql_mode is strict (%s)", mode);
	ok(have && strcmp(tz, "+00:00") == 0, "time_zone is UTC (%s)", tz);
	ok(have && c[2].i == 1, "autocommit is on");
	ok(have && strcmp(cs, "utf8mb4") == 0, "connection is utf8mb4");
}

static void
check_types(struct hs_db *db)
{
	const char	*emoji = "caf\xc3\xa9 \xf0\x9f\x91\x8b";
	struct hs_dbparam p[1] = { HS_DBP_TEXT(emoji) };
	struct hs_dbparam q[1] = { HS_DBP_TEXT("abcdefg") };
	struct hs_dbparam n[1] = { HS_DBP_NULL };
	struct hs_dbparam two[2] = { HS_DBP_TEXT("x"), HS_DBP_TEXT("y") };
	struct hs_dbcol	 c[1];
	char		 buf[64], small[4];
	int		 have = 0;

	memset(c, 0, sizeof(c));
	c[0].type = HS_DB_TEXT, c[0].s = buf, c[0].cap = sizeof(buf);
	ok(hs_db_query(db, STMT_ECHO, p, 1, c, 1) == HS_OK &&
	    hs_db_fetch(db, STMT_ECHO, &have) == HS_OK && have &&
	    c[0].len == strlen(emoji) && strcmp(buf, emoji) == 0 &&
	    !c[0].truncated, "4-byte UTF-8 round-trips intact");
	ok(hs_db_fetch(db, STMT_ECHO, &have) == HS_OK && !have,
	    "one row, then the end");
	hs_db_end(db, STMT_ECHO);

	c[0].s = small, c[0].cap = sizeof(small);
	ok(hs_db_query(db, STMT_ECHO, q, 1, c, 1) == HS_OK &&
	    hs_db_fetch(db, STMT_ECHO, &have) == HS_OK && have &&
	    c[0].truncated && c[0].len == 7 && strcmp(small, "abc") == 0,
	    "a long value is cut at cap - 1, NUL-terminated, flagged");
	hs_db_end(db, STMT_ECHO);

	ok(hs_db_query(db, STMT_ECHO, n, 1, c, 1) == HS_OK &&
	    hs_db_fetch(db, STMT_ECHO, &have) == HS_OK && have &&
	    c[0].isnull && small[0] == '\0', "NULL is isnull, empty text");
	hs_db_end(db, STMT_ECHO);

	ok(hs_db_query(db, STMT_ECHO, two, 2, c, 1) == HS_EINVAL,
	    "wrong parameter count: HS_EINVAL");
	ok(hs_db_exec(db, STMT_ECHO, p, 1, NULL) == HS_EINVAL,
	    "exec of a statement with rows: HS_EINVAL");
	ok(hs_db_exec(db, STMT__MAX, NULL, 0, NULL) == HS_EINVAL,
	    "unknown statement: HS_EINVAL");
	ok(hs_db_fetch(db, STMT_ECHO, &have) == HS_EINVAL,
	    "fetch without a query: HS_EINVAL");
}

/* Runs in a child: hold row k of dbcheck_lock in a heavy transaction. */
static void
child_lock(int k, int heavy, int ready, int wait, int then, long hold)
{
	struct hs_dbparam p[1];
	struct hs_db	*db;
	char		 c;
	int		 i;

	if ((db = open_db(0)) == NULL ||
	    hs_db_sql(db, "START TRANSACTION") != HS_OK)
		_exit(2);
	for (i = 0; i < heavy; i++) {
		p[0] = (struct hs_dbparam)HS_DBP_INT(i);
		if (hs_db_exec(db, STMT_HEAVY, p, 1, NULL) != HS_OK)
			_exit(3);
	}
	p[0] = (struct hs_dbparam)HS_DBP_INT(k);
	if (hs_db_exec(db, STMT_LOCK, p, 1, NULL) != HS_OK)
		_exit(4);
	if (write(ready, "r", 1) != 1)
		_exit(5);
	if (wait != -1) {
		if (read(wait, &c, 1) != 1)
			_exit(6);
		p[0] = (struct hs_dbparam)HS_DBP_INT(then);
		/* Blocks on the parent: a deadlock, and we are heavier. */
		if (hs_db_exec(db, STMT_LOCK, p, 1, NULL) != HS_OK)
			_exit(7);
	}
	msleep(hold);
	/* Roll back: the heavy rows must not stay. */
	if (hs_db_sql(db, "ROLLBACK") != HS_OK)
		_exit(8);
	hs_db_close(db);
	_exit(0);
}

static int
reap(pid_t pid)
{
	int	 st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void
check_deadlock(struct hs_db *db)
{
	struct ins	 a;
	enum hs_err	 rc;
	pid_t		 pid;
	int		 ready[2], go[2], st;
	char		 c;

	if (pipe(ready) == -1 || pipe(go) == -1) {
		ok(0, "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0)
		child_lock(2, HEAVY_ROWS, ready[1], go[0], 1, 0);
	ok(read(ready[0], &c, 1) == 1, "deadlock: the other side holds row 2");
	memset(&a, 0, sizeof(a));
	a.cid = "deadlock-1";
	a.note = "d";
	a.lock1 = 1;
	a.lock2 = 2;
	a.go = go[1];
	rc = hs_db_unit(db, unit_insert, &a);
	st = reap(pid);
	ok(rc == HS_OK, "deadlock: the unit succeeds (%s)", hs_strerror(rc));
	ok(a.tries == 2, "deadlock: replayed once as the victim (%d tries)",
	    a.tries);
	ok(st == 0, "deadlock: the other side went on (exit %d)", st);
	ok(count_cid(db, "deadlock-1") == 1, "deadlock: one row");
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

static void
check_lockwait(struct hs_db *db)
{
	struct ins	 a;
	enum hs_err	 rc;
	pid_t		 pid;
	int		 ready[2], st;
	char		 c;

	ok(hs_db_sql(db, "SET SESSION innodb_lock_wait_timeout = 1") == HS_OK,
	    "lock wait: innodb_lock_wait_timeout = 1");
	if (pipe(ready) == -1) {
		ok(0, "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0)
		child_lock(1, 0, ready[1], -1, 0, 1500);
	ok(read(ready[0], &c, 1) == 1, "lock wait: the other side holds row 1");
	memset(&a, 0, sizeof(a));
	a.cid = "lockwait-1";
	a.note = "w";
	a.lock1 = 1;
	a.go = -1;
	rc = hs_db_unit(db, unit_insert, &a);
	st = reap(pid);
	ok(rc == HS_OK, "lock wait: the unit succeeds (%s)", hs_strerror(rc));
	ok(a.tries >= 2, "lock wait: timed out, rolled back, replayed "
	    "(%d tries)", a.tries);
	ok(st == 0, "lock wait: the other side exited cleanly (%d)", st);
	ok(count_cid(db, "lockwait-1") == 1, "lock wait: one row");
	close(ready[0]), close(ready[1]);
}

int
main(int argc, char *argv[])
{
	struct hs_dbparam p[2];
	struct hs_db	*db = NULL, *ro = NULL, *adm = NULL, *down = NULL;
	struct hs_db	*boot = NULL, *part = NULL;
	struct ins	 a;
	char		 err[256], sql[64];
	long long	 id1, id2, id3;
	unsigned long long aff;
	enum hs_err	 rc;
	double		 t0, t;
	int		 tries;

	if (argc != 4) {
		fprintf(stderr, "usage: dbcheck conf stop-command "
		    "start-command\n");
		return 2;
	}
	hs_log_init("dbcheck", HS_LOG_INFO);
	if (hs_conf_load(&conf, argv[1], err, sizeof(err)) != HS_OK) {
		fprintf(stderr, "dbcheck: %s\n", err);
		return 2;
	}

	/* --- the tables, through a handle without statements */
	rc = hs_db_open(&boot, &conf, 0, NULL, 0);
	ok(rc == HS_OK, "open a handle without statements (%s)",
	    hs_strerror(rc));
	ok(rc == HS_OK && hs_db_sql(boot, setup_sql) == HS_OK,
	    "multi-statement setup SQL runs and drains");
	hs_db_close(boot);

	/* --- opening: strict, UTC, utf8mb4 sessions */
	db = open_db(0);
	adm = open_db(0);
	ok(db != NULL && adm != NULL, "open two read-write handles");
	if (db == NULL || adm == NULL)
		goto out;
	ok(hs_db_sql(adm, "SELECT 1; SELECT 2; DO 3") == HS_OK &&
	    connid(adm) > 0, "results of a multi-statement string drained: "
	    "the connection stays in sync");
	ok(hs_db_sql(adm, "SELECT 1; SELECT * FROM no_such_table") == HS_EDB &&
	    connid(adm) > 0, "an error inside a multi-statement string: "
	    "HS_EDB, connection still usable");
	check_session(db);
	check_types(db);

	/* --- a unit commits once; strictness; duplicates */
	ok(insert(db, "unit-1", &tries) == HS_OK && tries == 1,
	    "a unit inserting with a client id commits");
	ok(count_cid(db, "unit-1") == 1, "... one row");
	ok(insert(db, "unit-1", &tries) == HS_EDUP && tries == 1,
	    "the same client id again: HS_EDUP, not replayed");
	p[0] = (struct hs_dbparam)HS_DBP_TEXT("unit-2");
	p[1] = (struct hs_dbparam)HS_DBP_TEXT("123456789");
	ok(hs_db_exec(db, STMT_INSERT, p, 2, &aff) == HS_EDB,
	    "strict mode: a 9-byte note in VARCHAR(8) is refused, "
	    "never truncated");
	p[1] = (struct hs_dbparam)HS_DBP_TEXT("12345678");
	ok(hs_db_exec(db, STMT_INSERT, p, 2, &aff) == HS_OK && aff == 1 &&
	    hs_db_insert_id(db, STMT_INSERT) > 0,
	    "autocommit exec: one affected row, an insert id");
	ok(hs_db_exec(db, STMT_INSERT, p, 1, NULL) == HS_EINVAL,
	    "exec with too few parameters: HS_EINVAL");

	/* --- the read-only user: no INSERT even prepares; reads work */
	rc = hs_db_open(&ro, &conf, HS_DB_READONLY, stmts, STMT__MAX);
	ok(rc == HS_OK, "read-only user: the program's whole table opens "
	    "(%s)", hs_strerror(rc));
	p[0] = (struct hs_dbparam)HS_DBP_TEXT("ro-1");
	p[1] = (struct hs_dbparam)HS_DBP_TEXT("r");
	ok(rc == HS_OK && qint(ro, STMT_COUNT_CID, "unit-1") == 1 &&
	    hs_db_exec(ro, STMT_INSERT, p, 2, NULL) == HS_EDB,
	    "... its SELECTs run, its INSERT is refused (HS_EDB)");
	hs_db_close(ro);
	ro = NULL;
	rc = hs_db_open(&ro, &conf, HS_DB_READONLY, rostmts, ROSTMT__MAX);
	ok(rc == HS_OK, "read-only user: a read-only table opens (%s)",
	    hs_strerror(rc));
	ok(rc == HS_OK && qint(ro, ROSTMT_COUNT_CID, "unit-1") == 1,
	    "read-only handle reads");
	ok(rc == HS_OK && qint(ro, ROSTMT_READONLY, NULL) == 1,
	    "read-only handle: the session is READ ONLY too");
	rc = hs_db_open(&part, &conf, 0, partstmts, ROSTMT__MAX);
	ok(rc == HS_OK && qint(part, ROSTMT_COUNT_CID, "unit-1") == 1 &&
	    hs_db_exec(part, ROSTMT_READONLY, NULL, 0, NULL) == HS_EDB,
	    "a table with a statement left out (NULL) opens, runs the "
	    "others and refuses that one (HS_EDB) (%s)", hs_strerror(rc));
	hs_db_close(part);

	/* --- KILL CONNECTION between units */
	id1 = connid(db);
	(void)snprintf(sql, sizeof(sql), "KILL CONNECTION %lld", id1);
	ok(id1 > 0 && hs_db_sql(adm, sql) == HS_OK,
	    "kill the connection (%lld) from another session", id1);
	rc = insert(db, "kill-1", &tries);
	ok(rc == HS_OK, "next unit: reconnects, re-prepares, succeeds (%s)",
	    hs_strerror(rc));
	id2 = connid(db);
	ok(id2 > 0 && id2 != id1, "on a new connection (%lld)", id2);
	ok(count_cid(db, "kill-1") == 1, "... exactly one row");

	/* --- KILL CONNECTION inside a unit, before its COMMIT */
	memset(&a, 0, sizeof(a));
	a.cid = "kill-2";
	a.note = "k";
	a.killer = adm;
	a.victim = id2;
	a.go = -1;
	rc = hs_db_unit(db, unit_insert, &a);
	ok(rc == HS_OK && a.tries == 2, "killed mid-unit: the whole unit is "
	    "replayed once (%s, %d tries)", hs_strerror(rc), a.tries);
	ok(count_cid(db, "kill-2") == 1, "... exactly one row");

	/* --- idle past wait_timeout */
	ok(hs_db_sql(db, "SET SESSION wait_timeout = 2") == HS_OK,
	    "wait_timeout = 2");
	id1 = connid(db);
	msleep(3500);
	rc = insert(db, "idle-1", &tries);
	ok(rc == HS_OK, "after 3.5 s idle the next unit succeeds (%s, %d "
	    "tries)", hs_strerror(rc), tries);
	ok(connid(db) != id1, "... on a new connection");
	ok(count_cid(db, "idle-1") == 1, "... exactly one row");
	/* Outside a unit: one HS_EAGAIN, then the handle recovers. */
	ok(hs_db_sql(db, "SET SESSION wait_timeout = 2") == HS_OK,
	    "wait_timeout = 2 again");
	msleep(3500);
	id3 = connid(db);
	ok(id3 == -1, "a bare statement on the dropped connection fails");
	ok(connid(db) > 0, "the next bare statement reconnects by itself");

	/* --- deadlock and lock wait: replayed */
	check_deadlock(db);
	check_lockwait(db);
	check_batch();

	/* --- the server stops */
	fflush(stdout);
	ok(system(argv[2]) == 0, "server stopped");
	t0 = now();
	rc = insert(db, "down-1", &tries);
	t = now() - t0;
	ok(rc == HS_EAGAIN, "server down: the unit gives HS_EAGAIN (%s)",
	    hs_strerror(rc));
	ok(t < DOWN_BOUND, "... after bounded tries (%.2f s, %d tries)", t,
	    tries);
	t0 = now();
	ok(hs_db_exec(db, STMT_INSERT, p, 2, NULL) == HS_EAGAIN &&
	    now() - t0 < DOWN_BOUND, "server down: exec gives HS_EAGAIN");
	rc = hs_db_open(&down, &conf, 0, stmts, STMT__MAX);
	ok(rc == HS_EAGAIN && down != NULL, "server down: open returns a "
	    "handle and HS_EAGAIN (%s)", hs_strerror(rc));
	ok(down != NULL && hs_db_ensure(down) == HS_EAGAIN,
	    "server down: ensure gives HS_EAGAIN");
	ok(system(argv[3]) == 0, "server started");
	/*
	 * No wait: a refused local socket is a cheap failure, which holds
	 * off no reconnect (dbconn.c, DB_HOLDOFF_COST_MS).
	 */
	rc = insert(db, "up-1", &tries);
	ok(rc == HS_OK, "server back: the same handle works (%s, %d tries)",
	    hs_strerror(rc), tries);
	ok(down != NULL && hs_db_ensure(down) == HS_OK &&
	    count_cid(down, "up-1") == 1,
	    "server back: the handle opened while down connects");
	ok(count_cid(db, "down-1") == 0, "nothing written while down");

	check_nodes();

	/* --- exactly the rows we expect, no duplicates */
	id1 = qint(db, STMT_COUNT, NULL);
	ok(id1 == EXPECT_ROWS, "dbcheck_t holds exactly %d rows (%lld)",
	    EXPECT_ROWS, id1);
	printf("rows %lld\n", id1);
out:
	hs_db_close(down);
	hs_db_close(ro);
	hs_db_close(adm);
	hs_db_close(db);
	hs_conf_free(&conf);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail == 0 && npass > 0 ? 0 : 1;
}
