/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * cache.c: the link snapshot.  The helper process writes every link, with
 * what a redirect needs, to spool_dir/links.snapshot (a temporary file
 * renamed over the old one, so a reader sees a whole file or the previous
 * one); each worker reads it into a hash table and reads it again when
 * the file changes.  Redirects therefore never wait on MariaDB, keep
 * working while it is down and after a worker restart, and a link
 * disabled in the database stops redirecting within link_cache_secs.
 *
 * Format, one record per line, fields separated by tabs:
 *	hearsay-links 1
 *	code id disabled valid_from valid_until dest utm fallback hosts
 *	...
 *	end N
 * The helper never writes a field with a tab, newline or control byte
 * (see link_snap_field_ok); a file without the end line is refused.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"
#include "link.h"

#define SNAP_MAX	(256 * 1024 * 1024)	/* bytes in a snapshot */
#define SNAP_FIELDS	9			/* per record */
#define SNAP_MAGIC	"hearsay-links 1\n"

struct link_cache {
	char		*text;		/* the file; links point into it */
	struct link	*links;		/* [nlinks] */
	size_t		 nlinks;
	size_t		*slots;		/* [nslots]: index + 1, 0 empty */
	size_t		 nslots;	/* a power of two */
	dev_t		 dev;		/* identity of the file read */
	ino_t		 ino;
	struct timespec	 mtim;
	int		 loaded;	/* a snapshot was read */
};

/* Returns 1 if s may be written as a snapshot field. */
int
link_snap_field_ok(const char *s)
{

	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

struct link_cache *
link_cache_new(void)
{

	return hs_xcalloc(1, sizeof(struct link_cache));
}

static void
clear(struct link_cache *c)
{

	free(c->text);
	free(c->links);
	free(c->slots);
	c->text = NULL;
	c->links = NULL;
	c->slots = NULL;
	c->nlinks = c->nslots = 0;
}

void
link_cache_free(struct link_cache *c)
{

	if (c == NULL)
		return;
	clear(c);
	free(c);
}

size_t
link_cache_count(const struct link_cache *c)
{

	return c != NULL ? c->nlinks : 0;
}

/* Parses a decimal field; returns 0 and sets *v, or -1. */
static int
num(const char *s, long long *v)
{
	char	*end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s == '\0' || *end != '\0' || errno != 0 ? -1 : 0;
}

/*
 * Parses text (owned by the caller until success) into c.  Returns 0,
 * or -1 (logged) for a malformed snapshot, leaving c as it was.
 */
static int
parse(struct link_cache *c, char *text, size_t len)
{
	struct link	*links = NULL, *l;
	size_t		*slots = NULL, nslots, n = 0, cap = 0, i, j, f;
	char		*line, *next, *fld[SNAP_FIELDS], *p;
	long long	 v, count = -1;
	int		 rc = -1;

	if (len < sizeof(SNAP_MAGIC) - 1 ||
	    memcmp(text, SNAP_MAGIC, sizeof(SNAP_MAGIC) - 1) != 0) {
		hs_log(HS_LOG_ERR, "link snapshot: bad header");
		goto out;
	}
	for (p = text; p < text + len; p++)
		if (*p == '\n')
			cap++;
	if ((links = hs_xcalloc(cap + 1, sizeof(*links))) == NULL)
		goto out;
	for (line = text + sizeof(SNAP_MAGIC) - 1; line < text + len;
	    line = next) {
		if ((next = memchr(line, '\n', text + len - line)) == NULL)
			break;		/* no end line: refused below */
		*next++ = '\0';
		if (strncmp(line, "end\t", 4) == 0) {
			if (num(line + 4, &count) == -1)
				count = -1;
			break;
		}
		for (f = 0, p = line; f < SNAP_FIELDS && p != NULL; f++)
			fld[f] = strsep(&p, "\t");
		if (f != SNAP_FIELDS || p != NULL) {
			hs_log(HS_LOG_ERR, "link snapshot: bad record");
			goto out;
		}
		l = &links[n];
		l->code = fld[0];
		if (num(fld[1], &l->id) == -1 || num(fld[2], &v) == -1 ||
		    num(fld[3], &l->valid_from) == -1 ||
		    num(fld[4], &l->valid_until) == -1) {
			hs_log(HS_LOG_ERR, "link snapshot: bad number");
			goto out;
		}
		l->disabled = v != 0;
		l->dest = fld[5];
		l->utm = fld[6];
		l->fallback = fld[7];
		l->hosts = fld[8];
		n++;
	}
	if (count < 0 || (size_t)count != n) {
		hs_log(HS_LOG_ERR, "link snapshot: truncated (%zu records)",
		    n);
		goto out;
	}
	for (nslots = 16; nslots < 2 * n; nslots *= 2)
		continue;
	if ((slots = hs_xcalloc(nslots, sizeof(*slots))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = hs_fnv1a(links[i].code) & (nslots - 1); slots[j] != 0;
		    j = (j + 1) & (nslots - 1))
			continue;
		slots[j] = i + 1;
	}
	clear(c);
	c->text = text;
	c->links = links;
	c->nlinks = n;
	c->slots = slots;
	c->nslots = nslots;
	links = NULL;
	slots = NULL;
	rc = 0;
out:
	free(links);
	free(slots);
	return rc;
}

/*
 * Reads the snapshot at path if it changed since the last call (another
 * inode after the rename, or another modification time).  Returns 1 if
 * a snapshot is loaded (now or before), 0 if none could ever be read.
 * A snapshot that cannot be read keeps the previous one in use.
 */
int
link_cache_refresh(struct link_cache *c, const char *path)
{
	struct stat	 st;
	char		*text = NULL;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto out;
	if (fstat(fd, &st) == -1)
		goto out;
	if (c->loaded && st.st_dev == c->dev && st.st_ino == c->ino &&
	    st.st_mtim.tv_sec == c->mtim.tv_sec &&
	    st.st_mtim.tv_nsec == c->mtim.tv_nsec)
		goto out;
	if (st.st_size <= 0 || st.st_size > SNAP_MAX) {
		hs_log(HS_LOG_ERR, "link snapshot: bad size");
		goto out;
	}
	if ((text = hs_xmalloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	while (got < (size_t)st.st_size) {
		n = read(fd, text + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			hs_logerr("link snapshot: read");
			goto out;
		}
		got += (size_t)n;
	}
	text[got] = '\0';
	if (parse(c, text, got) == -1)
		goto out;
	text = NULL;	/* owned by c now */
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->mtim = st.st_mtim;
	c->loaded = 1;
out:
	free(text);
	if (fd != -1)
		close(fd);
	return c->loaded;
}

/* Returns the link of canonical code, or NULL. */
const struct link *
link_cache_get(const struct link_cache *c, const char *code)
{
	size_t	 j;

	if (c == NULL || c->nslots == 0)
		return NULL;
	for (j = hs_fnv1a(code) & (c->nslots - 1); c->slots[j] != 0;
	    j = (j + 1) & (c->nslots - 1))
		if (strcmp(c->links[c->slots[j] - 1].code, code) == 0)
			return &c->links[c->slots[j] - 1];
	return NULL;
}
