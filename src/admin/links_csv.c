/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links_csv.c: RFC 4180 CSV files for the advocate and link commands:
 * export of a query's rows, import of a file whose first line names the
 * columns, one callback per row.
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"
#include "admin.h"
#include "links.h"

#define CSV_LINE_MAX	(64 * 1024)	/* bytes of one CSV record */
#define CSV_COLS	24	/* columns of a CSV file */


/* One RFC 4180 record of fp: hs_csv_record, the web import's parser. */
static int
csv_record(FILE *fp, char *buf, size_t sz, char **cells, int max)
{
	struct hs_csvin	 in;

	hs_csv_file(&in, fp);
	return hs_csv_record(&in, buf, sz, cells, max);
}

/* Index of column name in the header, or -1. */
static int
col_of(char **head, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(head[i], name) == 0)
			return i;
	return -1;
}

/* Cell name of a row, or NULL when the file has no such column. */
static const char *
cell(char **head, int nh, char **row, int nr, const char *name)
{
	int	 i = col_of(head, nh, name);

	return i >= 0 && i < nr ? row[i] : NULL;
}

/*
 * Writes the rows of a query (nc columns) as CSV under a header line,
 * keeping the first nshow columns (internal ids stay out of exports).
 */
int
lk_csv_export(struct hs_db *db, size_t stmt, const struct hs_dbparam *p,
    size_t np, size_t nc, size_t nshow, const char *const *heads)
{
	struct hs_out	 out;
	struct hs_dbcol	 col[LINK_NCOLS];
	static char	 buf[LINK_NCOLS][FIELD_MAX];
	int		 fd = STDOUT_FILENO, have, rc = ADM_FAIL;
	size_t		 i;

	hs_out_fd(&out, &fd);
	for (i = 0; i < nc; i++)
		col[i] = (struct hs_dbcol){ HS_DB_TEXT, 0, buf[i],
		    sizeof(buf[i]), 0, 0, 0 };
	for (i = 0; i < nshow; i++)
		if (hs_csv_puts(&out, heads[i]) != HS_OK ||
		    hs_out_puts(&out, i + 1 < nshow ? "," : "\r\n") != HS_OK)
			return ADM_FAIL;
	if (hs_db_query(db, stmt, p, np, col, nc) != HS_OK)
		return ADM_FAIL;
	while (hs_db_fetch(db, stmt, &have) == HS_OK && have)
		for (i = 0; i < nshow; i++)
			if (hs_csv_puts(&out, buf[i]) != HS_OK ||
			    hs_out_puts(&out, i + 1 < nshow ? "," : "\r\n") !=
			    HS_OK)
				goto out;
	rc = ADM_OK;
out:
	hs_db_end(db, stmt);
	return rc;
}


/* The cell under the named column, or NULL. */
const char *
lk_rcell(const struct csvrow *r, const char *name)
{

	return cell(r->head, r->nh, r->row, r->nr, name);
}

/*
 * "import FILE.csv": reads path as RFC 4180 CSV whose first line names
 * the columns (one of them must be need) and calls fn with a handle of
 * the area's statements for each data row; blank lines are skipped.
 * Prints "N what imported".  Returns ADM_OK, or ADM_FAIL if the file
 * could not be read, a line was malformed or a row failed.
 */
int
lk_csv_import(struct adm *a, const char *path, const char *need,
    const char *columns, const char *what, lk_row_fn fn)
{
	struct hs_db	*db;
	FILE		*fp;
	char		*head[CSV_COLS], *row[CSV_COLS], hbuf[4096];
	static char	 rbuf[CSV_LINE_MAX];
	struct csvrow	 r;
	int		 nh, nr, line = 1, rc = ADM_OK, made = 0;

	db = adm_open(a, lk_sqls, STMT__MAX);
	if ((fp = fopen(path, "r")) == NULL) {
		warn("%s", path);
		hs_db_close(db);
		return ADM_FAIL;
	}
	if ((nh = csv_record(fp, hbuf, sizeof(hbuf), head, CSV_COLS)) <= 0 ||
	    col_of(head, nh, need) < 0) {
		warnx("%s: the first line must name the columns (%s)", path,
		    columns);
		fclose(fp);
		hs_db_close(db);
		return ADM_FAIL;
	}
	while ((nr = csv_record(fp, rbuf, sizeof(rbuf), row, CSV_COLS)) != 0) {
		line++;
		if (nr < 0) {
			warnx("%s:%d: malformed CSV", path, line);
			rc = ADM_FAIL;
			break;
		}
		if (nr == 1 && row[0][0] == '\0')
			continue;
		r.head = head;
		r.nh = nh;
		r.row = row;
		r.nr = nr;
		if (fn(a, db, &r) != ADM_OK) {
			warnx("%s:%d: not imported", path, line);
			rc = ADM_FAIL;
		} else
			made++;
	}
	fclose(fp);
	hs_db_close(db);
	printf("%d %s imported\n", made, what);
	return rc;
}

