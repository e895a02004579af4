/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * open.c: what every hearsay-admin area uses to reach the database: a
 * connection with the area's statements, and trusted SQL files run
 * whole (migrations, demo data).  Apart from main.c, so that the areas
 * and the dispatcher do not depend on each other.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "hearsay.h"
#include "admin.h"

#define SQL_FILE_BYTES	(1024 * 1024)	/* bytes in one SQL file */

/*
 * Opens a database connection with the given statements, or exits: the
 * admin tool is a start-up context (STYLE.md section 3).
 */
struct hs_db *
adm_open(struct adm *a, const char *const *sqls, size_t n)
{
	struct hs_db	*db = NULL;
	enum hs_err	 e;

	if ((e = hs_db_open(&db, &a->conf, HS_DB_BATCH, sqls, n)) != HS_OK)
		errx(ADM_FAIL, "database: %s", hs_strerror(e));
	return db;
}

/*
 * Runs a trusted SQL file from the distribution (a migration or demo
 * data) through hs_db_sql, which allows several statements.  Never used
 * for input.  Returns 0 or -1 (reported).
 */
int
adm_run_sql_file(struct hs_db *db, const char *path)
{
	struct hs_buf	 b;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd = -1, rc = -1;

	hs_buf_init(&b, SQL_FILE_BYTES);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		warn("%s", path);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			warn("%s", path);
			goto out;
		}
		if (hs_buf_add(&b, chunk, (size_t)n) != HS_OK) {
			warnx("%s: too large", path);
			goto out;
		}
	}
	if (b.len > 0 && hs_db_sql(db, b.ptr) != HS_OK) {
		warnx("%s: failed (see the log line above)", path);
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	hs_buf_free(&b);
	return rc;
}
