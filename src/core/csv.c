/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * csv.c: reading RFC 4180 CSV, one record at a time, from a file
 * (hearsay-admin's "advocate import" and "link import") or from memory
 * (hearsay-report's import page): one parser, so a file the command line
 * takes is taken on the web alike.  Writing is hs_csv_puts (html.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hearsay.h"

/* Reads from a file. */
void
hs_csv_file(struct hs_csvin *in, void *fp)
{

	memset(in, 0, sizeof(*in));
	in->fp = fp;
}

/* Reads sz bytes at p (which must outlive the reading). */
void
hs_csv_mem(struct hs_csvin *in, const char *p, size_t sz)
{

	memset(in, 0, sizeof(*in));
	in->p = p;
	in->end = p + sz;
}

static int
get(struct hs_csvin *in)
{

	if (in->fp != NULL)
		return getc(in->fp);
	return in->p < in->end ? (unsigned char)*in->p++ : EOF;
}

static void
unget(struct hs_csvin *in, int ch)
{

	if (ch == EOF)
		return;
	if (in->fp != NULL)
		(void)ungetc(ch, in->fp);
	else
		in->p--;
}

/*
 * Reads one record into cells (pointers into buf).  Returns the number
 * of cells, 0 at the end, -1 if malformed (an open quote at the end, more
 * than max cells, more than sz bytes).  A leading apostrophe before
 * = + - @ tab or CR (added by hs_csv_puts against formula injection) is
 * removed, so export and import round-trip.
 */
int
hs_csv_record(struct hs_csvin *in, char *buf, size_t sz, char **cells,
    int max)
{
	int	 ch, n = 0, quoted = 0, started = 0;
	size_t	 len = 0, cellstart = 0;

	for (;;) {
		ch = get(in);
		if (ch == EOF) {
			if (quoted)
				return -1;
			if (!started)
				return 0;
			break;
		}
		started = 1;
		if (quoted) {
			if (ch == '"') {
				if ((ch = get(in)) != '"') {
					quoted = 0;
					unget(in, ch);
					continue;
				}
			}
		} else if (ch == '"' && len == cellstart) {
			quoted = 1;
			continue;
		} else if (ch == ',' || ch == '\n' || ch == '\r') {
			if (ch == '\r' && (ch = get(in)) != '\n') {
				unget(in, ch);
				ch = '\n';
			}
			if (n >= max || len + 1 > sz)
				return -1;
			buf[len++] = '\0';
			cells[n++] = buf + cellstart;
			cellstart = len;
			if (ch == '\n')
				goto done;
			continue;
		}
		if (len + 2 > sz)
			return -1;
		buf[len++] = (char)ch;
	}
	if (n >= max || len + 1 > sz)
		return -1;
	buf[len++] = '\0';
	cells[n++] = buf + cellstart;
done:
	for (ch = 0; ch < n; ch++)
		if (cells[ch][0] == '\'' && cells[ch][1] != '\0' &&
		    strchr("=+-@\t\r", cells[ch][1]) != NULL)
			cells[ch]++;
	return n;
}
