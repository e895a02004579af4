/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_journal.c: the local spool (journal.c): records round-trip in
 * order, a torn tail is waited for and loaded once complete, a corrupt
 * record sets its file aside, a failing loader advances nothing, a
 * second replay loads nothing, files of gone writers are deleted, and a
 * full disk (a real tiny tmpfs when we may mount one, /dev/full always)
 * or a failing fsync gives HS_EFULL/HS_EIO and abandons the descriptor.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

/* HS_STATIC in journal.c. */
uint32_t	 journal_crc32c(uint32_t, const void *, size_t);
void		 journal_testfd(struct hs_journal *, int);
int		 journal_fd(const struct hs_journal *);

#define PREFIX		"test"
#define MAXKEEP		20000	/* records a collector keeps */

static char	 dir[PATH_MAX];	/* per test */
static char	 tmpfs_dir[PATH_MAX]; /* the tmpfs TCase's mount point */
static int	 tmpfs_ok;	/* it is mounted */
static int	 tmpfs_errno;	/* why it is not */

/* What a loader saw, and how it should behave. */
struct coll {
	size_t	 n;		/* records loaded */
	size_t	 calls;		/* loader calls */
	size_t	 maxbatch;	/* largest batch seen */
	size_t	 failat;	/* fail on this call (1-based), 0: never */
	char	*recs[MAXKEEP];
	size_t	 sizes[MAXKEEP];
};

static enum hs_err
collect(const char *const *recs, const size_t *sizes, size_t n, void *arg)
{
	struct coll	*c = arg;
	size_t		 i;

	c->calls++;
	if (c->failat != 0 && c->calls == c->failat)
		return HS_EAGAIN;
	if (n > c->maxbatch)
		c->maxbatch = n;
	for (i = 0; i < n; i++) {
		ck_assert_uint_lt(c->n, MAXKEEP);
		c->recs[c->n] = malloc(sizes[i]);
		ck_assert_ptr_nonnull(c->recs[c->n]);
		memcpy(c->recs[c->n], recs[i], sizes[i]);
		c->sizes[c->n] = sizes[i];
		c->n++;
	}
	return HS_OK;
}

static void
coll_free(struct coll *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->recs[i]);
	free(c);
}

static struct coll *
coll_new(void)
{
	struct coll	*c;

	c = calloc(1, sizeof(*c));
	ck_assert_ptr_nonnull(c);
	return c;
}

/* Record i: its size and bytes are a function of i, so order shows. */
static size_t
rec_make(size_t i, unsigned char *buf, size_t cap)
{
	size_t	 n, k;

	n = 1 + (i * 37) % 1500;
	ck_assert_uint_le(n, cap);
	for (k = 0; k < n; k++)
		buf[k] = (unsigned char)(i * 131 + k);
	return n;
}

static void
rec_check(const struct coll *c, size_t at, size_t i)
{
	unsigned char	 buf[2048];
	size_t		 n;

	n = rec_make(i, buf, sizeof(buf));
	ck_assert_uint_eq(c->sizes[at], n);
	ck_assert_mem_eq(c->recs[at], buf, n);
}

/* Append records first..first+n-1 to a journal. */
static void
append_n(struct hs_journal *j, size_t first, size_t n)
{
	unsigned char	 buf[2048];
	size_t		 i, len;

	for (i = first; i < first + n; i++) {
		len = rec_make(i, buf, sizeof(buf));
		ck_assert_int_eq(hs_journal_append(j, buf, len), HS_OK);
	}
}

/* Files in dir whose name ends with suffix; the last one to *name. */
static size_t
count_files(const char *d, const char *suffix, char *name, size_t namesz)
{
	struct dirent	*de;
	DIR		*dp;
	size_t		 n = 0, l, sl = strlen(suffix);

	dp = opendir(d);
	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL) {
		l = strlen(de->d_name);
		if (l < sl || strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		n++;
		if (name != NULL)
			(void)snprintf(name, namesz, "%s/%s", d, de->d_name);
	}
	closedir(dp);
	return n;
}

/* Write n records from a child process that then exits (writer gone). */
static void
append_in_child(size_t first, size_t n)
{
	struct hs_journal *j;
	pid_t		 pid;
	int		 st;

	if ((pid = fork()) == 0) {
		if (hs_journal_open(&j, dir, PREFIX, 0) != HS_OK)
			_exit(2);
		append_n(j, first, n);
		hs_journal_close(j);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void
rm_rf(const char *d)
{
	struct dirent	*de;
	DIR		*dp;
	char		 p[PATH_MAX + 300];

	if ((dp = opendir(d)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(p, sizeof(p), "%s/%s", d, de->d_name);
		(void)unlink(p);
	}
	closedir(dp);
	(void)rmdir(d);
}

static void
setup(void)
{

	(void)snprintf(dir, sizeof(dir), "/tmp/check_journal.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{

	rm_rf(dir);
}

START_TEST(crc32c_known_answer)
{

	/* The standard check value of CRC-32C (iSCSI). */
	ck_assert_uint_eq(journal_crc32c(0, "123456789", 9), 0xe3069283U);
	ck_assert_uint_eq(journal_crc32c(journal_crc32c(0, "1234", 4),
	    "56789", 5), 0xe3069283U);
	ck_assert_uint_eq(journal_crc32c(0, "", 0), 0);
}
END_TEST

START_TEST(round_trip_in_order)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	size_t		 i, loaded;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 3000);
	ck_assert_int_eq(hs_journal_sync(j), HS_OK);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 7, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 3000);
	ck_assert_uint_eq(c->n, 3000);
	ck_assert_uint_eq(c->maxbatch, 7);
	for (i = 0; i < 3000; i++)
		rec_check(c, i, i);

	/* Nothing twice; then only what was appended since. */
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 7, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 0);
	append_n(j, 3000, 5);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 5);
	for (i = 3000; i < 3005; i++)
		rec_check(c, i, i);
	/* Our writer is alive: its file stays, with its offset. */
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 1);
	ck_assert_uint_eq(count_files(dir, ".off", NULL, 0), 1);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

START_TEST(other_prefix_ignored)
{
	struct hs_journal *j, *k;
	struct coll	*c = coll_new();
	size_t		 loaded;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	ck_assert_int_eq(hs_journal_open(&k, dir, PREFIX ".other", 0), HS_OK);
	append_n(j, 0, 3);
	append_n(k, 0, 4);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 3);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX ".other", 10, collect,
	    c, &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 4);
	hs_journal_close(j);
	hs_journal_close(k);
	coll_free(c);
}
END_TEST

START_TEST(record_limits)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	unsigned char	*big;
	size_t		 loaded;

	big = malloc(HS_JOURNAL_MAXREC + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', HS_JOURNAL_MAXREC + 1);
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	ck_assert_int_eq(hs_journal_append(j, big, HS_JOURNAL_MAXREC + 1),
	    HS_ETOOBIG);
	ck_assert_int_eq(hs_journal_append(j, big, 0), HS_EINVAL);
	ck_assert_int_eq(hs_journal_append(j, big, HS_JOURNAL_MAXREC), HS_OK);
	ck_assert_int_eq(hs_journal_append(j, "a", 1), HS_OK);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 1, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 2);
	ck_assert_uint_eq(c->sizes[0], HS_JOURNAL_MAXREC);
	ck_assert_mem_eq(c->recs[0], big, HS_JOURNAL_MAXREC);
	ck_assert_uint_eq(c->sizes[1], 1);
	hs_journal_close(j);
	free(big);
	coll_free(c);
}
END_TEST

START_TEST(bad_arguments)
{
	struct hs_journal *j;
	size_t		 loaded = 99;

	ck_assert_int_eq(hs_journal_open(&j, dir, "a/b", 0), HS_EINVAL);
	ck_assert_ptr_null(j);
	ck_assert_int_eq(hs_journal_open(&j, dir, "", 0), HS_EINVAL);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 0, collect, NULL,
	    &loaded), HS_EINVAL);
	ck_assert_uint_eq(loaded, 0);
	/* No spool directory yet: nothing to do. */
	ck_assert_int_eq(hs_journal_replay("/nonexistent/spool", PREFIX, 5,
	    collect, NULL, &loaded), HS_OK);
	hs_journal_close(NULL);
}
END_TEST

/* Records of HS_JOURNAL_MAXREC bytes that fill a little over 4 MiB. */
#define ROTATE_RECS	((4 * 1024 * 1024) / HS_JOURNAL_MAXREC + 3)

/*
 * The ROTATE_RECS records, record i HS_JOURNAL_MAXREC bytes of i, went
 * to two files and all load, in order.
 */
static void
check_rotated(struct coll *c)
{
	size_t	 i, loaded;

	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 2);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 16, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, ROTATE_RECS);
	for (i = 0; i < ROTATE_RECS; i++)
		ck_assert_uint_eq((unsigned char)c->recs[i][0],
		    (unsigned char)i);
}

START_TEST(rotation_and_cleanup)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	unsigned char	*rec;
	size_t		 i;

	rec = malloc(HS_JOURNAL_MAXREC);
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	for (i = 0; i < ROTATE_RECS; i++) {
		memset(rec, (int)i, HS_JOURNAL_MAXREC);
		ck_assert_int_eq(hs_journal_append(j, rec, HS_JOURNAL_MAXREC),
		    HS_OK);
	}
	check_rotated(c);
	/* The rotated file is finished and loaded: gone, offset too. */
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 1);
	ck_assert_uint_eq(count_files(dir, ".off", NULL, 0), 1);
	hs_journal_close(j);
	free(rec);
	coll_free(c);
}
END_TEST

/*
 * Several records in one call (a survey batch while MariaDB is down):
 * all of them, in order; an unfit one anywhere in the call and nothing
 * is written.
 */
START_TEST(appendv_batch)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	unsigned char	 buf[5][2048];
	const void	*recs[5];
	size_t		 lens[5], i, loaded, zero = 0;

	for (i = 0; i < 5; i++) {
		lens[i] = rec_make(i, buf[i], sizeof(buf[i]));
		recs[i] = buf[i];
	}
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, 5), HS_OK);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 16, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 5);
	for (i = 0; i < 5; i++)
		rec_check(c, i, i);

	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, 0), HS_EINVAL);
	lens[3] = 0;
	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, 5), HS_EINVAL);
	lens[3] = HS_JOURNAL_MAXREC + 1;
	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, 5), HS_ETOOBIG);
	recs[3] = NULL;
	lens[3] = 1;
	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, 5), HS_EINVAL);
	ck_assert_int_eq(hs_journal_appendv(j, recs, &zero, 1), HS_EINVAL);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 16, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 0);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

/*
 * One call that crosses HS_JOURNAL_ROTATE moves to the next file
 * between its records, so no file outgrows what the loader reads.
 */
START_TEST(appendv_rotates_within_a_call)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	unsigned char	*rec;
	const void	*recs[ROTATE_RECS];
	size_t		 lens[ROTATE_RECS], i;

	rec = malloc(ROTATE_RECS * HS_JOURNAL_MAXREC);
	ck_assert_ptr_nonnull(rec);
	for (i = 0; i < ROTATE_RECS; i++) {
		memset(rec + i * HS_JOURNAL_MAXREC, (int)i, HS_JOURNAL_MAXREC);
		recs[i] = rec + i * HS_JOURNAL_MAXREC;
		lens[i] = HS_JOURNAL_MAXREC;
	}
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	ck_assert_int_eq(hs_journal_appendv(j, recs, lens, ROTATE_RECS),
	    HS_OK);
	check_rotated(c);
	hs_journal_close(j);
	free(rec);
	coll_free(c);
}
END_TEST

START_TEST(torn_tail_waits_then_loads)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	char		 path[PATH_MAX + 300];
	struct stat	 st;
	unsigned char	*whole, buf[2048];
	size_t		 i, loaded, last;
	int		 fd;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 10);
	ck_assert_uint_eq(count_files(dir, ".jnl", path, sizeof(path)), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	whole = malloc((size_t)st.st_size);
	ck_assert_ptr_nonnull(whole);
	fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, whole, (size_t)st.st_size), st.st_size);

	/* Cut the last record short, as if it were still being written. */
	ck_assert_int_eq(ftruncate(fd, st.st_size - 5), 0);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 3, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 9);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 3, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 0);
	/* Only three bytes of its magic there. */
	last = rec_make(9, buf, sizeof(buf)) + 12;
	ck_assert_int_eq(ftruncate(fd, st.st_size - (off_t)last + 3), 0);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 3, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 0);
	ck_assert_uint_eq(count_files(dir, ".bad", NULL, 0), 0);

	/* The rest of the record arrives. */
	ck_assert_int_eq(pwrite(fd, whole, (size_t)st.st_size, 0),
	    st.st_size);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 3, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	ck_assert_uint_eq(c->n, 10);
	for (i = 0; i < 10; i++)
		rec_check(c, i, i);
	close(fd);
	free(whole);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

START_TEST(bad_crc_sets_file_aside)
{
	struct coll	*c = coll_new();
	char		 path[PATH_MAX + 300];
	unsigned char	 b;
	size_t		 i, loaded;
	off_t		 at;
	int		 fd;

	append_in_child(0, 10);
	ck_assert_uint_eq(count_files(dir, ".jnl", path, sizeof(path)), 1);
	/* Flip a payload byte of record 5 (0-based). */
	for (at = 0, i = 0; i < 5; i++) {
		unsigned char buf[2048];

		at += (off_t)rec_make(i, buf, sizeof(buf)) + 12;
	}
	at += 8;
	fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &b, 1, at), 1);
	b ^= 0x40;
	ck_assert_int_eq(pwrite(fd, &b, 1, at), 1);
	close(fd);

	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 5);
	for (i = 0; i < 5; i++)
		rec_check(c, i, i);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 0);
	ck_assert_uint_eq(count_files(dir, ".jnl.bad", NULL, 0), 1);
	ck_assert_uint_eq(count_files(dir, ".jnl.bad.off", NULL, 0), 1);
	/* Set aside, not retried and not dropped. */
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 0);
	ck_assert_uint_eq(count_files(dir, ".jnl.bad", NULL, 0), 1);
	coll_free(c);
}
END_TEST

START_TEST(bad_magic_in_live_file_waits)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	char		 path[PATH_MAX + 300];
	size_t		 loaded;
	int		 fd;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 2);
	ck_assert_uint_eq(count_files(dir, ".jnl", path, sizeof(path)), 1);
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "JUNKJUNKJUNK", 12), 12);
	close(fd);
	/* Its writer (we) is alive: load what is good, move nothing. */
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 2);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 1);
	ck_assert_uint_eq(count_files(dir, ".bad", NULL, 0), 0);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

START_TEST(failing_loader_advances_nothing)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	size_t		 i, loaded;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 20);
	c->failat = 1;
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 5, collect, c,
	    &loaded), HS_EAGAIN);
	ck_assert_uint_eq(loaded, 0);
	ck_assert_uint_eq(c->n, 0);

	/* Fails on the third batch: two batches stay loaded. */
	c->calls = 0;
	c->failat = 3;
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 5, collect, c,
	    &loaded), HS_EAGAIN);
	ck_assert_uint_eq(loaded, 10);

	c->failat = 0;
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 5, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 10);
	ck_assert_uint_eq(c->n, 20);
	for (i = 0; i < 20; i++)
		rec_check(c, i, i);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

START_TEST(gone_writer_file_deleted)
{
	struct coll	*c = coll_new();
	char		 path[PATH_MAX + 300];
	struct stat	 st;
	size_t		 loaded;

	append_in_child(0, 3);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 3);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 0);
	ck_assert_uint_eq(count_files(dir, ".off", NULL, 0), 0);

	/* A gone writer's torn tail (never acknowledged) is dropped. */
	append_in_child(10, 3);
	ck_assert_uint_eq(count_files(dir, ".jnl", path, sizeof(path)), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(truncate(path, st.st_size - 3), 0);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 2);
	rec_check(c, 3, 10);
	rec_check(c, 4, 11);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 0);
	coll_free(c);
}
END_TEST

START_TEST(child_after_fork_gets_own_file)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	size_t		 loaded;
	pid_t		 pid;
	int		 st;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 1);
	if ((pid = fork()) == 0) {
		append_n(j, 1, 1);
		hs_journal_close(j);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	append_n(j, 2, 1);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 2);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 100, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 3);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

/*
 * A journal reopened in the same process (as the link program does after
 * an error) must never create a file below one of its pid that still
 * exists: the loader would take the live file as finished and delete it.
 */
START_TEST(reopen_never_goes_below)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	size_t		 loaded;
	int		 fd;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 0, 1);			/* seq 0 */
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	journal_testfd(j, fd);
	ck_assert_int_eq(hs_journal_append(j, "x", 1), HS_EFULL);
	append_n(j, 1, 1);			/* seq 1 */
	hs_journal_close(j);
	/* seq 0 is finished (seq 1 exists): loaded and deleted. */
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 2);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 1);

	/* A new journal of ours starts above seq 1, not at a free 0. */
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 0), HS_OK);
	append_n(j, 2, 1);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	/* Still live and still there: what follows is not lost. */
	append_n(j, 3, 1);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	ck_assert_uint_eq(c->n, 4);
	rec_check(c, 0, 0);
	rec_check(c, 1, 1);
	rec_check(c, 2, 2);
	rec_check(c, 3, 3);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

/*
 * The write fails with ENOSPC: HS_EFULL, the descriptor is closed and
 * forgotten, and the next append goes to a new file.
 */
static void
full_on_devfull(void)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	size_t		 loaded;
	int		 fd;

	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	journal_testfd(j, fd);
	ck_assert_int_eq(journal_fd(j), fd);
	ck_assert_int_eq(hs_journal_append(j, "click", 5), HS_EFULL);
	ck_assert_int_eq(journal_fd(j), -1);
	errno = 0;
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(hs_journal_append(j, "click", 5), HS_OK);
	ck_assert_int_ge(journal_fd(j), 0);
	ck_assert_uint_eq(count_files(dir, ".jnl", NULL, 0), 1);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	hs_journal_close(j);
	coll_free(c);
}

START_TEST(enospc_devfull)
{

	full_on_devfull();
}
END_TEST

START_TEST(fsync_failure_abandons_fd)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	const void	*batch[2] = { "one", "two" };
	size_t		 blen[2] = { 3, 3 }, loaded;
	int		 p[2], q[2];

	/* fdatasync on a pipe fails (EINVAL) after the write succeeded. */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(hs_journal_open(&j, dir, PREFIX, 1), HS_OK);
	journal_testfd(j, p[1]);
	ck_assert_int_eq(hs_journal_append(j, "answer", 6), HS_EIO);
	ck_assert_int_eq(journal_fd(j), -1);
	errno = 0;
	ck_assert_int_eq(fcntl(p[1], F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(hs_journal_append(j, "answer", 6), HS_OK);
	ck_assert_int_eq(hs_journal_sync(j), HS_OK);
	/* A batch whose one fsync fails: the error, and the file given up. */
	ck_assert_int_eq(pipe(q), 0);
	journal_testfd(j, q[1]);
	ck_assert_int_eq(hs_journal_appendv(j, batch, blen, 2), HS_EIO);
	ck_assert_int_eq(journal_fd(j), -1);
	close(q[0]);
	ck_assert_int_eq(hs_journal_replay(dir, PREFIX, 10, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	close(p[0]);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

/*
 * A real full filesystem: a 64 KiB tmpfs.  Mounting needs root: without
 * it the case is not run and says so (an HS-SKIP line, which the test
 * command counts and CI fails on); /dev/full is enospc_devfull's, not a
 * stand-in for this.  As root, a mount that fails is a failure.
 */
START_TEST(enospc_tmpfs)
{
	struct hs_journal *j;
	struct coll	*c = coll_new();
	unsigned char	 rec[8000];
	size_t		 i, acked = 0, loaded;
	enum hs_err	 rc = HS_OK;

	if (!tmpfs_ok) {
		coll_free(c);
		if (geteuid() == 0)
			ck_abort_msg("root, but mounting a 64 KiB tmpfs on %s "
			    "failed: %s", tmpfs_dir, strerror(tmpfs_errno));
		fprintf(stderr, "HS-SKIP: check_journal: enospc_tmpfs, a "
		    "real full tmpfs: mounting one needs root\n");
		return;
	}
	ck_assert_int_eq(hs_journal_open(&j, tmpfs_dir, PREFIX, 1), HS_OK);
	for (i = 0; i < 100; i++) {
		memset(rec, (int)i, sizeof(rec));
		if ((rc = hs_journal_append(j, rec, sizeof(rec))) != HS_OK)
			break;
		acked++;
	}
	ck_assert_int_eq(rc, HS_EFULL);
	ck_assert_uint_gt(acked, 0);
	ck_assert_int_eq(journal_fd(j), -1);
	/* Still full: fails again, in yet another file. */
	ck_assert_int_eq(hs_journal_append(j, rec, sizeof(rec)), HS_EFULL);
	ck_assert_int_eq(journal_fd(j), -1);

	/* Everything acknowledged loads; loaded files free the space. */
	ck_assert_int_eq(hs_journal_replay(tmpfs_dir, PREFIX, 4, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, acked);
	for (i = 0; i < acked; i++) {
		ck_assert_uint_eq(c->sizes[i], sizeof(rec));
		ck_assert_uint_eq((unsigned char)c->recs[i][0],
		    (unsigned char)i);
	}
	memset(rec, 0xee, sizeof(rec));
	ck_assert_int_eq(hs_journal_append(j, rec, sizeof(rec)), HS_OK);
	ck_assert_int_eq(hs_journal_replay(tmpfs_dir, PREFIX, 4, collect, c,
	    &loaded), HS_OK);
	ck_assert_uint_eq(loaded, 1);
	ck_assert_uint_eq((unsigned char)c->recs[acked][0], 0xee);
	hs_journal_close(j);
	coll_free(c);
}
END_TEST

static void
tmpfs_setup(void)
{

	setup();
	(void)snprintf(tmpfs_dir, sizeof(tmpfs_dir), "%s", dir);
	tmpfs_ok = mount("tmpfs", tmpfs_dir, "tmpfs", 0,
	    "size=64k,mode=0700") == 0;
	tmpfs_errno = tmpfs_ok ? 0 : errno;
}

static void
tmpfs_teardown(void)
{

	if (tmpfs_ok)
		(void)umount2(tmpfs_dir, MNT_DETACH);
	tmpfs_ok = 0;
	teardown();
}

static Suite *
suite(void)
{
	Suite	*s = suite_create("journal");
	TCase	*core = tcase_create("core"), *limits = tcase_create("limits"),
		*errors = tcase_create("errors"), *full = tcase_create("full");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_unchecked_fixture(full, tmpfs_setup, tmpfs_teardown);
	tcase_set_timeout(core, 60);
	tcase_set_timeout(limits, 60);

	tcase_add_test(core, crc32c_known_answer);
	tcase_add_test(core, round_trip_in_order);
	tcase_add_test(core, other_prefix_ignored);
	tcase_add_test(core, gone_writer_file_deleted);
	tcase_add_test(core, child_after_fork_gets_own_file);
	tcase_add_test(core, reopen_never_goes_below);
	tcase_add_test(limits, record_limits);
	tcase_add_test(limits, rotation_and_cleanup);
	tcase_add_test(limits, appendv_batch);
	tcase_add_test(limits, appendv_rotates_within_a_call);
	tcase_add_test(limits, bad_arguments);
	tcase_add_test(errors, torn_tail_waits_then_loads);
	tcase_add_test(errors, bad_crc_sets_file_aside);
	tcase_add_test(errors, bad_magic_in_live_file_waits);
	tcase_add_test(errors, failing_loader_advances_nothing);
	tcase_add_test(errors, enospc_devfull);
	tcase_add_test(errors, fsync_failure_abandons_fd);
	tcase_add_test(full, enospc_tmpfs);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, full);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite());
	int	 failed;

	hs_log_init("check_journal", HS_LOG_WARN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
