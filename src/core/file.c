/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * file.c: small files replaced whole (the journal's offsets, hearsay-
 * link's snapshot and salt), and the hash of short keys.
 *
 * A file is replaced by writing a temporary beside it, fsync, rename over
 * the old name, then fsync the directory: a reader sees the old file or
 * the new one, never half of either, and after a power loss the rename
 * itself is on disk too (the data's fsync alone does not make the new
 * name durable; ext4 and XFS need the directory's).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

#define FILE_TMPSUFFIX	".tmp"
#define FILE_PATHMAX	(PATH_MAX + 8)	/* a path and our suffix */

/* The error for a failed write or sync: HS_EFULL or HS_EIO. */
enum hs_err
hs_io_err(int e)
{

	return (e == ENOSPC || e == EDQUOT) ? HS_EFULL : HS_EIO;
}

/*
 * Write all n bytes.  A short write is continued (a signal can cut one);
 * the error that ends it is what the caller sees.  Returns 0 or errno.
 */
int
hs_write_all(int fd, const void *p, size_t n)
{
	const unsigned char	*s = p;
	ssize_t			 w;

	while (n > 0) {
		if ((w = write(fd, s, n)) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (w == 0)
			return EIO;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * fsync the directory dir, so that a name made or renamed in it survives
 * a power loss as well as the file's data.  Returns HS_OK, HS_EIO or
 * HS_EFULL (logged).
 */
enum hs_err
hs_dir_sync(const char *dir)
{
	enum hs_err	 rc = HS_OK;
	int		 fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		hs_logerr("%s", dir);
		return HS_EIO;
	}
	if (fsync(fd) == -1) {
		hs_logerr("fsync %s", dir);
		rc = hs_io_err(errno);
	}
	(void)close(fd);
	return rc;
}

/* The directory of path, into dir[sz]: "." when it names none. */
static int
dir_of(const char *path, char *dir, size_t sz)
{
	const char	*slash = strrchr(path, '/');
	int		 n;

	if (slash == NULL)
		n = snprintf(dir, sz, ".");
	else if (slash == path)
		n = snprintf(dir, sz, "/");
	else
		n = snprintf(dir, sz, "%.*s", (int)(slash - path), path);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/*
 * Replace the file at path with sz bytes at p, created with mode:
 * temporary, fsync, rename, fsync of the directory.  On failure the old
 * file stays and the temporary is removed.  Returns HS_OK, HS_EINVAL (a
 * path too long), HS_EIO or HS_EFULL (logged).
 */
enum hs_err
hs_file_replace(const char *path, const void *p, size_t sz, mode_t mode)
{
	char		 tmp[FILE_PATHMAX], dir[FILE_PATHMAX];
	enum hs_err	 rc = HS_EIO;
	int		 fd = -1, e, n;

	n = snprintf(tmp, sizeof(tmp), "%s%s", path, FILE_TMPSUFFIX);
	if (n < 0 || (size_t)n >= sizeof(tmp) ||
	    dir_of(path, dir, sizeof(dir)) == -1) {
		hs_log(HS_LOG_ERR, "%s: path too long", path);
		return HS_EINVAL;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1) {
		e = errno;
		hs_logerr("%s", tmp);
		rc = hs_io_err(e);
		goto out;
	}
	if ((e = hs_write_all(fd, p, sz)) == 0 && fsync(fd) == -1)
		e = errno;
	if (e != 0) {
		errno = e;
		hs_logerr("%s", tmp);
		rc = hs_io_err(e);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		hs_logerr("%s", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		hs_logerr("rename %s", tmp);
		goto out;
	}
	/* Renamed: the new file is in place, the temporary gone. */
	return hs_dir_sync(dir);
out:
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp);
	return rc;
}

/*
 * FNV-1a (32 bits) of a string, for the open-addressing tables of short
 * keys we choose ourselves (link codes, map keys): fast, and no keyed
 * hash is needed where no stranger picks the keys.
 */
uint32_t
hs_fnv1a(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}
