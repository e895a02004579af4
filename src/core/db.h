/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * db.h: what the three files of the database layer share, and nothing
 * outside them sees: the handle and the calls between them.  db.c
 * classifies errors and runs units and plain SQL; dbconn.c connects,
 * sets sessions up and prepares; dbstmt.c binds, executes and fetches.
 * The design is described at the top of db.c.
 */
#ifndef HS_DB_H
#define HS_DB_H

/* The length of one entry of db_nodes. */
#define DB_NODELEN		256

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
	int			 batch;	/* HS_DB_BATCH: the longer read timeout */
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

/* db.c */
enum hs_err	 db_classify(struct hs_db *, unsigned int);
enum hs_err	 db_stmt_fail(struct hs_db *, size_t, MYSQL_STMT *,
		    const char *);
enum hs_err	 db_conn_fail(struct hs_db *, const char *);
enum hs_err	 db_simple(struct hs_db *, const char *, size_t) HS_WUR;
enum hs_err	 db_seen(struct hs_db *, enum hs_err);

/* dbconn.c */
void		 db_disconnect(struct hs_db *);

#endif /* HS_DB_H */
