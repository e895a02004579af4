/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * replay.c: a main() for the libFuzzer harnesses that runs every file of
 * a corpus through LLVMFuzzerTestOneInput once, so that `make check`
 * replays the committed corpus (every past crash included) with any
 * compiler, under ASan when configured with --enable-sanitizers.  The
 * arguments are files or directories; without any, the directory
 * compiled in as CORPUS_DIR.  An empty or missing corpus is a failure:
 * a replay that ran nothing must not pass.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define REPLAY_MAX	(1024 * 1024)	/* bytes read from one input */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Runs one file through the harness.  Returns 1 if it ran, 0 if it was
 * not a regular file (skipped); exits on a read error.
 */
static int
replay_file(const char *path)
{
	struct stat	 st;
	uint8_t		*p = NULL;
	size_t		 len = 0, cap;
	ssize_t		 n;
	int		 fd, rc = 0;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", path);
	if (!S_ISREG(st.st_mode))
		goto out;
	/* Sized exactly, so ASan catches a harness reading past the end. */
	cap = st.st_size < REPLAY_MAX ? (size_t)st.st_size : REPLAY_MAX;
	if ((p = malloc(cap > 0 ? cap : 1)) == NULL)
		err(1, NULL);
	while (len < cap && (n = read(fd, p + len, cap - len)) != 0) {
		if (n == -1)
			err(1, "%s", path);
		len += (size_t)n;
	}
	/* Named first, so that a crash's log says which input it was. */
	fprintf(stderr, "replay %s\n", path);
	(void)LLVMFuzzerTestOneInput(p, len);
	rc = 1;
out:
	free(p);
	close(fd);
	return rc;
}

/* Replays every file in dir (not recursing).  Returns how many ran. */
static size_t
replay_dir(const char *dir)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*e;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL)
		err(1, "%s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			errx(1, "%s/%s: path too long", dir, e->d_name);
		n += (size_t)replay_file(path);
	}
	closedir(d);
	return n;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	size_t		 n = 0;
	int		 i;

	if (argc < 2) {
#ifdef CORPUS_DIR
		n = replay_dir(CORPUS_DIR);
		printf("%s: %zu inputs\n", CORPUS_DIR, n);
#else
		errx(1, "usage: %s corpus-dir-or-file ...", argv[0]);
#endif
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1)
			err(1, "%s", argv[i]);
		n += S_ISDIR(st.st_mode) ? replay_dir(argv[i]) :
		    (size_t)replay_file(argv[i]);
	}
	if (n == 0)
		errx(1, "no inputs replayed");
	return 0;
}
