/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * journal.c: a durable local spool.  When the database is down, or must
 * not be waited for (an invite redirect), a program appends the record
 * here instead, and a loader replays it into MariaDB later, exactly once
 * because the loader's inserts are idempotent on a client-generated id.
 *
 * Each writing process has its own files, <prefix>.<pid>.<seq>.jnl in
 * the spool directory, so there is never more than one writer per file
 * and no locking.  A writer moves to the next seq when a file passes
 * HS_JOURNAL_ROTATE bytes, and also after ANY write or fsync error: after
 * a failed fsync Linux may already have dropped the dirty pages and
 * marked them clean, so a second fsync on the same descriptor can
 * "succeed" without the data ever reaching the disk (the PostgreSQL
 * "fsyncgate" of 2018).  The torn tail such a file may keep is found by
 * the checksum and never loaded.
 *
 * A record on disk is
 *	magic "HSJ1" | length, 4 bytes LE | payload | CRC32C, 4 bytes LE
 * where the CRC covers the length and the payload.  A reader can thus
 * tell a record still being written (too few bytes: wait) from a corrupt
 * one (all bytes there, wrong magic, length or CRC).
 *
 * The loader keeps, beside each file, <file>.off: how many bytes of it
 * are loaded, replaced atomically by hs_file_replace (file.c: a
 * temporary, fsync, rename, fsync of the directory).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

#define HS_JOURNAL_ROTATE	(4 * 1024 * 1024) /* bytes before a new file */
#define JOURNAL_MAGIC		"HSJ1"	/* 4 bytes at each record */
#define JOURNAL_HDR		8	/* magic + length */
#define JOURNAL_FRAME		(JOURNAL_HDR + 4) /* + the CRC */
#define JOURNAL_SUFFIX		".jnl"
#define JOURNAL_OFFSUFFIX	".off"
#define JOURNAL_BADSUFFIX	".bad"
#define JOURNAL_MAXNAMES	100000	/* seqs tried before giving up */
#define JOURNAL_OFFMAX		32	/* bytes in an offset file */
#define JOURNAL_SIDEMAX		(PATH_MAX + 32)	/* a path + our suffixes */
/* One read of a file: always holds at least one whole record. */
#define JOURNAL_READMAX		(HS_JOURNAL_ROTATE + HS_JOURNAL_MAXREC + \
				    JOURNAL_FRAME)

struct hs_journal {
	char		*dir;		/* spool directory */
	char		*prefix;	/* file name prefix, no '/' */
	int		 sync_each;	/* fdatasync after every record */
	int		 fd;		/* current file, or -1 */
	pid_t		 pid;		/* the pid in the current name */
	unsigned long	 seq;		/* the seq in the current name */
	off_t		 size;		/* bytes in the current file */
	int		 dirty;		/* appended since the last sync */
	unsigned char	*frame;		/* one framed record being built */
};

/* A journal file found by the loader. */
struct jfile {
	char		*name;		/* in the spool directory */
	unsigned long	 pid;		/* its writer */
	unsigned long	 seq;
};

HS_STATIC uint32_t journal_crc32c(uint32_t, const void *, size_t);
#ifdef HS_TESTING
HS_STATIC void	 journal_testfd(struct hs_journal *, int);
HS_STATIC int	 journal_fd(const struct hs_journal *);
#endif

/*
 * CRC32C (Castagnoli), reflected, table-driven: better error detection
 * than CRC32 for the same cost, and self-contained.  Pass 0 to start;
 * feed the result back in to continue.  Returns the CRC so far.
 */
HS_STATIC uint32_t
journal_crc32c(uint32_t crc, const void *p, size_t n)
{
	static uint32_t	 table[256];
	static int	 ready;
	const unsigned char *s = p;
	uint32_t	 c;
	int		 i, k;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = (c & 1) ? (c >> 1) ^ 0x82f63b78U : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	crc = ~crc;
	while (n-- > 0)
		crc = table[(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void
put32(unsigned char *p, uint32_t v)
{

	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static uint32_t
get32(const unsigned char *p)
{

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Give the current file up after an error, without another fsync (see
 * the top of this file); the next append starts the next seq.
 */
static void
abandon(struct hs_journal *j)
{

	if (j->fd != -1)
		(void)close(j->fd);
	j->fd = -1;
	j->seq++;
	j->dirty = 0;
}

/*
 * Parse a decimal number of at most 19 digits ending at *end (or at
 * the NUL).  Returns 1 with *v set, else 0.
 */
static int
parse_num(const char *s, const char *end, unsigned long *v)
{
	unsigned long	 n = 0;
	const char	*p;

	if (s == end || end - s > 19)
		return 0;
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	*v = n;
	return 1;
}

/*
 * Whether name is <prefix>.<pid>.<seq>.jnl; sets pid and seq.  The
 * prefix may itself contain dots, so the name is parsed from the end.
 * Returns 0 or 1.
 */
static int
parse_name(const char *prefix, const char *name, unsigned long *pid,
    unsigned long *seq)
{
	size_t		 pl = strlen(prefix), nl = strlen(name);
	size_t		 sl = sizeof(JOURNAL_SUFFIX) - 1;
	const char	*end, *dot;

	if (nl <= pl + 1 + sl || strncmp(name, prefix, pl) != 0 ||
	    name[pl] != '.' || strcmp(name + nl - sl, JOURNAL_SUFFIX) != 0)
		return 0;
	end = name + nl - sl;
	for (dot = end - 1; dot > name + pl && *dot != '.'; dot--)
		continue;
	if (dot <= name + pl || !parse_num(dot + 1, end, seq))
		return 0;
	return parse_num(name + pl + 1, dot, pid);
}

/*
 * The seq after the highest this pid has in dir, counting files set
 * aside as .bad; 0 when it has none.  A new file must always be the
 * newest of its pid: the loader takes a file with a newer sibling as
 * finished, and would delete a live one created below an old one.
 */
static unsigned long
next_seq(const struct hs_journal *j)
{
	char		 name[NAME_MAX + 1];
	struct dirent	*de;
	DIR		*d;
	unsigned long	 pid, seq, next = 0;
	size_t		 l, bl = sizeof(JOURNAL_BADSUFFIX) - 1;

	if ((d = opendir(j->dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		(void)snprintf(name, sizeof(name), "%s", de->d_name);
		l = strlen(name);
		if (l > bl && strcmp(name + l - bl, JOURNAL_BADSUFFIX) == 0)
			name[l - bl] = '\0';
		if (parse_name(j->prefix, name, &pid, &seq) &&
		    pid == (unsigned long)j->pid && seq >= next)
			next = seq + 1;
	}
	(void)closedir(d);
	return next;
}

/*
 * Create this process's next file, above every seq its pid has (see
 * next_seq).  O_EXCL, not plain O_CREAT, all the same: appending after
 * a dead writer's torn tail would hide our records behind it.  A stale
 * offset file of that name is removed for the same reason.
 * Returns HS_OK, HS_EFULL, HS_EIO or HS_EINVAL.
 */
static enum hs_err HS_WUR
open_next(struct hs_journal *j)
{
	char		 path[PATH_MAX], off[JOURNAL_SIDEMAX];
	enum hs_err	 rc;
	unsigned long	 seq;
	pid_t		 pid;
	int		 fd = -1, n, tries;

	if ((pid = getpid()) != j->pid) {
		j->pid = pid;
		j->seq = 0;
	}
	if ((seq = next_seq(j)) > j->seq)
		j->seq = seq;
	for (tries = 0; tries < JOURNAL_MAXNAMES; tries++, j->seq++) {
		n = snprintf(path, sizeof(path), "%s/%s.%ld.%lu%s", j->dir,
		    j->prefix, (long)j->pid, j->seq, JOURNAL_SUFFIX);
		if (n < 0 || (size_t)n >= sizeof(path) - 8) {
			hs_log(HS_LOG_ERR, "journal: path too long");
			return HS_EINVAL;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC, 0600);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		hs_logerr("journal: create %s", path);
		return errno == EEXIST ? HS_EIO : hs_io_err(errno);
	}
	(void)snprintf(off, sizeof(off), "%s%s", path, JOURNAL_OFFSUFFIX);
	(void)unlink(off);
	j->fd = fd;
	j->size = 0;
	j->dirty = 0;
	if (j->sync_each && (rc = hs_dir_sync(j->dir)) != HS_OK) {
		abandon(j);
		return rc;
	}
	return HS_OK;
}

/*
 * Open a journal writing into dir (created 0700 if missing) under
 * prefix.  With sync_each, every append is on disk when it returns (the
 * survey: a thanked answer must survive a power loss).  Without, an
 * append is one write(2) into the page cache: it survives the process
 * crashing but not the machine losing power before the kernel writes it
 * back (about 30 s) or hs_journal_sync is called; that is the price of
 * a redirect that never waits (invite clicks).  Files are created on
 * the first append, under the pid of the appending process.
 * Returns HS_OK, HS_EINVAL (bad prefix or dir), HS_EIO or HS_ENOMEM;
 * *jp is set only on HS_OK.
 */
enum hs_err
hs_journal_open(struct hs_journal **jp, const char *dir, const char *prefix,
    int sync_each)
{
	struct hs_journal *j = NULL;
	enum hs_err	 rc;
	struct stat	 st;

	*jp = NULL;
	if (dir == NULL || *dir == '\0' || prefix == NULL ||
	    *prefix == '\0' || strchr(prefix, '/') != NULL ||
	    strlen(dir) + strlen(prefix) > PATH_MAX / 2) {
		hs_log(HS_LOG_ERR, "journal: bad directory or prefix");
		rc = HS_EINVAL;
		goto out;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		hs_logerr("journal: mkdir %s", dir);
		rc = HS_EIO;
		goto out;
	}
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK | X_OK) == -1) {
		hs_logerr("journal: %s is not a writable directory", dir);
		rc = HS_EINVAL;
		goto out;
	}
	if ((j = hs_xcalloc(1, sizeof(*j))) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	j->fd = -1;
	if ((j->dir = hs_xstrdup(dir)) == NULL ||
	    (j->prefix = hs_xstrdup(prefix)) == NULL ||
	    (j->frame = hs_xmalloc(HS_JOURNAL_MAXREC + JOURNAL_FRAME))
	    == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	j->sync_each = sync_each;
	j->pid = getpid();
	*jp = j;
	j = NULL;
	rc = HS_OK;
out:
	hs_journal_close(j);
	return rc;
}

/*
 * fdatasync the current file if it has unsynced records.  On failure
 * the file is abandoned.  Returns HS_OK, HS_EIO or HS_EFULL.
 */
static enum hs_err HS_WUR
sync_cur(struct hs_journal *j)
{
	int	 e;

	if (j->fd == -1 || !j->dirty)
		return HS_OK;
	while (fdatasync(j->fd) == -1) {
		if (errno == EINTR)
			continue;
		e = errno;
		hs_logerr("journal: fdatasync %s.%ld.%lu", j->prefix,
		    (long)j->pid, j->seq);
		abandon(j);
		return hs_io_err(e);
	}
	j->dirty = 0;
	return HS_OK;
}

/*
 * A fork copies the journal: the child must not write into the parent's
 * file (its name carries the parent's pid), so it forgets the descriptor
 * and starts files of its own.
 */
static void
check_fork(struct hs_journal *j)
{

	if (j->fd != -1 && j->pid != getpid()) {
		(void)close(j->fd);
		j->fd = -1;
		j->dirty = 0;
	}
}

/*
 * Append n records, recs[i] of lens[i] bytes (1 to HS_JOURNAL_MAXREC),
 * each framed and written with a single write(2), and with sync_each
 * made durable together, by one fdatasync, before returning (a batch of
 * survey answers while MariaDB is down: the fsync is the cost).  Any
 * write or sync error abandons the file: fsync is never retried on the
 * same descriptor, and the next append opens the next file.  Records
 * are opaque bytes to the journal.
 * Returns HS_OK; HS_EFULL (ENOSPC, EDQUOT); HS_EIO; HS_ETOOBIG; HS_EINVAL.
 * After an error every record of the call must be treated as not
 * written (some may be loaded all the same: the loader is idempotent).
 */
enum hs_err
hs_journal_appendv(struct hs_journal *j, const void *const *recs,
    const size_t *lens, size_t n)
{
	unsigned char	*f = j->frame;
	enum hs_err	 rc;
	uint32_t	 crc;
	size_t		 i, len;
	int		 e;

	if (n == 0)
		return HS_EINVAL;
	for (i = 0; i < n; i++) {
		if (recs[i] == NULL || lens[i] == 0)
			return HS_EINVAL;
		if (lens[i] > HS_JOURNAL_MAXREC)
			return HS_ETOOBIG;
	}
	check_fork(j);
	for (i = 0; i < n; i++) {
		if (j->fd == -1 && (rc = open_next(j)) != HS_OK)
			return rc;
		len = lens[i];
		memcpy(f, JOURNAL_MAGIC, 4);
		put32(f + 4, (uint32_t)len);
		memcpy(f + JOURNAL_HDR, recs[i], len);
		crc = journal_crc32c(0, f + 4, 4 + len);
		put32(f + JOURNAL_HDR + len, crc);
		if ((e = hs_write_all(j->fd, f, len + JOURNAL_FRAME)) != 0) {
			errno = e;
			hs_logerr("journal: write %s.%ld.%lu", j->prefix,
			    (long)j->pid, j->seq);
			abandon(j);
			return hs_io_err(e);
		}
		j->size += (off_t)(len + JOURNAL_FRAME);
		j->dirty = 1;
		if (j->size < HS_JOURNAL_ROTATE)
			continue;
		/*
		 * Sync before moving on, so hs_journal_sync keeps meaning
		 * "everything appended so far".  Without sync_each the
		 * record itself was written, so a failure here only loses
		 * the promise for unsynced records, which the caller never
		 * had; with it, the records of this call are not durable.
		 */
		if ((rc = sync_cur(j)) != HS_OK) {
			if (j->sync_each)
				return rc;
			continue;	/* abandoned: the next opens a file */
		}
		(void)close(j->fd);
		j->fd = -1;
		j->seq++;
	}
	return j->sync_each ? sync_cur(j) : HS_OK;
}

/* One record: hs_journal_appendv of one. */
enum hs_err
hs_journal_append(struct hs_journal *j, const void *rec, size_t len)
{

	return hs_journal_appendv(j, &rec, &len, 1);
}

/*
 * Make every record appended so far durable (fdatasync).  A failure
 * abandons the file, as for hs_journal_append; the records appended
 * since the last successful sync may then be lost to a power failure.
 * Returns HS_OK, HS_EIO or HS_EFULL.
 */
enum hs_err
hs_journal_sync(struct hs_journal *j)
{

	check_fork(j);
	return sync_cur(j);
}

/* Sync what is pending (logging a failure), close and free; NULL is ok. */
void
hs_journal_close(struct hs_journal *j)
{

	if (j == NULL)
		return;
	check_fork(j);
	if (j->fd != -1) {
		if (sync_cur(j) == HS_OK)
			(void)close(j->fd);
	}
	free(j->frame);
	free(j->prefix);
	free(j->dir);
	free(j);
}

#ifdef HS_TESTING
/* Tests: make fd the current file (e.g. /dev/full), closing the old. */
HS_STATIC void
journal_testfd(struct hs_journal *j, int fd)
{

	if (j->fd != -1)
		(void)close(j->fd);
	j->fd = fd;
	j->pid = getpid();
	j->size = 0;
	j->dirty = 0;
}

/* Tests: the current descriptor, -1 when none is open. */
HS_STATIC int
journal_fd(const struct hs_journal *j)
{

	return j->fd;
}
#endif

static int
jfile_cmp(const void *a, const void *b)
{
	const struct jfile *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/*
 * Whether the process pid is gone.  EPERM means it exists (another
 * user's); a recycled pid makes us wait longer, never load less.
 */
static int
pid_gone(unsigned long pid)
{

	if (pid == 0 || pid > INT_MAX)
		return 1;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/*
 * Read the loaded offset of a file from path.  A missing file is 0; an
 * unreadable one is logged and also 0: replaying from the start is safe
 * because loading is idempotent.  Returns the offset.
 */
static off_t
read_off(const char *path)
{
	char		 buf[JOURNAL_OFFMAX + 1], *ep;
	unsigned long long v;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			hs_logerr("journal: %s", path);
		return 0;
	}
	n = read(fd, buf, JOURNAL_OFFMAX);
	(void)close(fd);
	if (n <= 0)
		goto bad;
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &ep, 10);
	if (errno != 0 || ep == buf || (*ep != '\n' && *ep != '\0') ||
	    buf[0] == '-' || v > (unsigned long long)INT64_MAX)
		goto bad;
	return (off_t)v;
bad:
	hs_log(HS_LOG_WARN, "journal: %s: bad offset; loading from the "
	    "start", path);
	return 0;
}

/*
 * Replace the offset file at path atomically (hs_file_replace: the
 * temporary, fsync, rename and the directory's fsync).  Returns HS_OK,
 * HS_EINVAL, HS_EIO or HS_EFULL.
 */
static enum hs_err HS_WUR
write_off(const char *path, off_t off)
{
	char	 buf[JOURNAL_OFFMAX];
	int	 n;

	n = snprintf(buf, sizeof(buf), "%lld\n", (long long)off);
	return hs_file_replace(path, buf, (size_t)n, 0600);
}

/*
 * Read n bytes at off, or fewer at end of file.  Returns the bytes
 * read, or -1 with errno.
 */
static ssize_t
pread_all(int fd, unsigned char *p, size_t n, off_t off)
{
	size_t	 got = 0;
	ssize_t	 r;

	while (got < n) {
		r = pread(fd, p + got, n - got, off + (off_t)got);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

enum rec {
	REC_OK,		/* a whole, valid record */
	REC_SHORT,	/* not all of it there (yet) */
	REC_BAD		/* all there, but wrong */
};

/*
 * Look at the record at p (n bytes available): on REC_OK its payload is
 * at p + JOURNAL_HDR, *len bytes, and the whole frame is *len +
 * JOURNAL_FRAME bytes.
 */
static enum rec
parse_rec(const unsigned char *p, size_t n, size_t *len)
{
	uint32_t	 l;

	if (n < JOURNAL_HDR)
		return n > 0 && memcmp(p, JOURNAL_MAGIC, n < 4 ? n : 4) != 0 ?
		    REC_BAD : REC_SHORT;
	if (memcmp(p, JOURNAL_MAGIC, 4) != 0)
		return REC_BAD;
	l = get32(p + 4);
	if (l == 0 || l > HS_JOURNAL_MAXREC)
		return REC_BAD;
	if (n < l + JOURNAL_FRAME)
		return REC_SHORT;
	if (journal_crc32c(0, p + 4, 4 + l) != get32(p + JOURNAL_HDR + l))
		return REC_BAD;
	*len = l;
	return REC_OK;
}

/*
 * Move a corrupt file and its offset aside as .bad for inspection;
 * nothing in it is dropped silently.
 */
static void
set_aside(const char *path, const char *offpath, off_t at)
{
	char	 bad[JOURNAL_SIDEMAX];

	hs_log(HS_LOG_ERR, "journal: %s: corrupt record at byte %lld; "
	    "moved to %s for inspection", path, (long long)at,
	    JOURNAL_BADSUFFIX);
	(void)snprintf(bad, sizeof(bad), "%s%s%s", path, JOURNAL_BADSUFFIX,
	    JOURNAL_OFFSUFFIX);
	if (rename(offpath, bad) == -1 && errno != ENOENT)
		hs_logerr("journal: rename %s", offpath);
	(void)snprintf(bad, sizeof(bad), "%s%s", path, JOURNAL_BADSUFFIX);
	if (rename(path, bad) == -1)
		hs_logerr("journal: rename %s", path);
}

/* What replay_file works with. */
struct replay {
	hs_journal_load_fn	 fn;
	void			*arg;
	size_t			 batch;
	const char		**recs;	/* [batch] */
	size_t			*sizes;	/* [batch] */
	unsigned char		*buf;	/* file contents read */
	size_t			 bufsz;	/* its size, <= JOURNAL_READMAX */
	size_t			 loaded; /* records loaded */
	int			 fnfailed; /* fn failed: stop */
};

/*
 * Loads the records in r->buf[0..got), read at off, in batches of
 * r->batch, saving the offset after each batch.  Sets *used to the
 * bytes of the records loaded and *what to why it stopped.  Returns
 * HS_OK, or the loader's error or the offset's (unless finished).
 */
static enum hs_err
replay_buf(struct replay *r, const char *offpath, off_t off, size_t got,
    int finished, size_t *used, enum rec *what)
{
	size_t		 p = 0, len, nrec = 0;
	enum hs_err	 rc = HS_OK;

	for (;;) {
		*what = parse_rec(r->buf + p, got - p, &len);
		if (*what == REC_OK) {
			r->recs[nrec] = (const char *)r->buf + p + JOURNAL_HDR;
			r->sizes[nrec] = len;
			p += len + JOURNAL_FRAME;
			if (++nrec < r->batch && p < got)
				continue;
		}
		/* A batch is loaded: only now may we move past it. */
		if (nrec > 0) {
			if ((rc = r->fn(r->recs, r->sizes, nrec, r->arg)) !=
			    HS_OK) {
				r->fnfailed = 1;
				break;
			}
			r->loaded += nrec;
			nrec = 0;
			/*
			 * A finished file is deleted once loaded, so a full
			 * spool (the offset cannot be saved) must not stop
			 * that: it is what frees the space.  A crash first
			 * merely replays.
			 */
			if ((rc = write_off(offpath, off + (off_t)p)) !=
			    HS_OK && !finished)
				break;
			rc = HS_OK;
		}
		if (*what != REC_OK || p >= got)
			break;
	}
	*used = p;
	return rc;
}

/*
 * A finished file, loaded up to off of its size: warns of a torn tail
 * and deletes the offset file, then the journal.  Returns HS_OK or
 * HS_EIO.
 */
static enum hs_err
replay_finish(const char *path, const char *offpath, off_t off, off_t size)
{

	if (off < size)
		hs_log(HS_LOG_WARN, "journal: %s: dropping a torn tail of "
		    "%lld bytes (a write that never completed)", path,
		    (long long)(size - off));
	if (unlink(offpath) == -1 && errno != ENOENT) {
		hs_logerr("journal: unlink %s", offpath);
		return HS_EIO;
	}
	if (unlink(path) == -1) {
		hs_logerr("journal: unlink %s", path);
		return HS_EIO;
	}
	return HS_OK;
}

/*
 * Replay one file from its saved offset.  finished says its writer is
 * gone, so it will never grow: then a corrupt record sets it aside, and
 * once loaded it is deleted (offset file first: an offset file left
 * without its journal could later skip records of a new file of the same
 * name; a journal left without its offset is merely loaded again).
 * Returns HS_OK, the loader's error (stop replaying), HS_EIO or
 * HS_EFULL.
 */
static enum hs_err
replay_file(struct replay *r, const char *dir, const char *name,
    int finished)
{
	char		 path[PATH_MAX], offpath[JOURNAL_SIDEMAX];
	struct stat	 st;
	enum hs_err	 rc = HS_OK;
	enum rec	 what = REC_OK;
	off_t		 off, size;
	size_t		 want, p;
	ssize_t		 got;
	int		 fd = -1, n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path) - 16)
		return HS_EIO;
	(void)snprintf(offpath, sizeof(offpath), "%s%s", path,
	    JOURNAL_OFFSUFFIX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			goto out;
		hs_logerr("journal: %s", path);
		rc = HS_EIO;
		goto out;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		hs_log(HS_LOG_ERR, "journal: %s: not a regular file", path);
		rc = HS_EIO;
		goto out;
	}
	size = st.st_size;
	if ((off = read_off(offpath)) > size) {
		hs_log(HS_LOG_WARN, "journal: %s: offset past the end; "
		    "loading from the start", path);
		off = 0;
	}
	while (off < size) {
		want = (size_t)(size - off) < JOURNAL_READMAX ?
		    (size_t)(size - off) : JOURNAL_READMAX;
		if (want > r->bufsz) {
			free(r->buf);
			r->bufsz = 0;
			if ((r->buf = hs_xmalloc(want)) == NULL) {
				rc = HS_ENOMEM;
				goto out;
			}
			r->bufsz = want;
		}
		if ((got = pread_all(fd, r->buf, want, off)) == -1) {
			hs_logerr("journal: read %s", path);
			rc = HS_EIO;
			goto out;
		}
		if ((rc = replay_buf(r, offpath, off, (size_t)got, finished,
		    &p, &what)) != HS_OK)
			goto out;
		off += (off_t)p;
		if (what == REC_BAD) {
			if (finished)
				set_aside(path, offpath, off);
			else
				hs_log(HS_LOG_ERR, "journal: %s: corrupt "
				    "record at byte %lld; its writer is "
				    "alive, so waiting", path,
				    (long long)off);
			goto out;
		}
		if (p == 0)
			break;	/* an incomplete record: wait for it */
	}
	if (finished)
		rc = replay_finish(path, offpath, off, size);
out:
	if (fd != -1)
		(void)close(fd);
	return rc;
}

/*
 * The journal files of prefix in dir, into *files (*nfiles of them,
 * unsorted; the caller frees them, also on error).  A missing dir has
 * none.  Returns HS_OK, HS_EIO or HS_ENOMEM.
 */
static enum hs_err
list_files(const char *dir, const char *prefix, struct jfile **files,
    size_t *nfiles)
{
	struct jfile	*nf;
	struct dirent	*de;
	DIR		*d;
	unsigned long	 pid, seq;
	size_t		 cap = 0;
	enum hs_err	 rc = HS_OK;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return HS_OK;	/* nothing was ever journalled */
		hs_logerr("journal: %s", dir);
		return HS_EIO;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (!parse_name(prefix, de->d_name, &pid, &seq))
			continue;
		if (*nfiles == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nf = hs_xreallocarray(*files, cap,
			    sizeof(**files))) == NULL) {
				rc = HS_ENOMEM;
				goto out;
			}
			*files = nf;
		}
		nf = &(*files)[*nfiles];
		if ((nf->name = hs_xstrdup(de->d_name)) == NULL) {
			rc = HS_ENOMEM;
			goto out;
		}
		nf->pid = pid;
		nf->seq = seq;
		(*nfiles)++;
	}
	if (errno != 0) {
		hs_logerr("journal: readdir %s", dir);
		rc = HS_EIO;
	}
out:
	(void)closedir(d);
	return rc;
}

/*
 * Load every record journalled in dir under prefix, in batches of up to
 * batch records: fn gets arrays of pointers and sizes (binary, not
 * NUL-terminated, valid only during the call) and returns HS_OK only
 * once the batch is durably loaded (committed).  Only then is the file's
 * offset advanced.  A record still being written is waited for, never
 * skipped; files whose writer is gone (its pid is dead, or it has moved
 * on to a newer seq) are deleted once loaded; a corrupt record in such
 * a file sets the file aside as .bad, logged.  The number of records
 * loaded goes to *loaded (when not NULL), also on error.
 *
 * Exactly once rests on the loader: a crash between its COMMIT and the
 * offset write replays that batch, so fn must insert idempotently, keyed
 * on a client-generated unique id inside the record (INSERT IGNORE or
 * ON DUPLICATE KEY UPDATE), and the duplicates are ignored.
 * Run one replayer per directory and prefix at a time.
 * Returns HS_OK; fn's error (replay stops; run again later); HS_EIO or
 * HS_EFULL for the spool; HS_EINVAL; HS_ENOMEM.
 */
enum hs_err
hs_journal_replay(const char *dir, const char *prefix, size_t batch,
    hs_journal_load_fn fn, void *arg, size_t *loaded)
{
	struct replay	 r;
	struct jfile	*files = NULL;
	enum hs_err	 rc, frc;
	size_t		 nfiles = 0, i;
	int		 finished;

	memset(&r, 0, sizeof(r));
	if (loaded != NULL)
		*loaded = 0;
	if (dir == NULL || prefix == NULL || *prefix == '\0' ||
	    strchr(prefix, '/') != NULL || batch == 0 || fn == NULL) {
		rc = HS_EINVAL;
		goto out;
	}
	if ((rc = list_files(dir, prefix, &files, &nfiles)) != HS_OK)
		goto out;
	if (nfiles == 0) {
		rc = HS_OK;
		goto out;
	}
	qsort(files, nfiles, sizeof(*files), jfile_cmp);
	r.fn = fn;
	r.arg = arg;
	r.batch = batch;
	if ((r.recs = hs_xreallocarray(NULL, batch, sizeof(*r.recs)))
	    == NULL ||
	    (r.sizes = hs_xreallocarray(NULL, batch, sizeof(*r.sizes)))
	    == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	rc = HS_OK;
	for (i = 0; i < nfiles; i++) {
		/* Sorted: a newer seq of the same writer follows. */
		finished = (i + 1 < nfiles && files[i + 1].pid ==
		    files[i].pid) || pid_gone(files[i].pid);
		frc = replay_file(&r, dir, files[i].name, finished);
		if (r.fnfailed || frc == HS_ENOMEM) {
			rc = frc;
			goto out;
		}
		/* Other files may still load; report the error at the end. */
		if (frc != HS_OK && rc == HS_OK)
			rc = frc;
	}
out:
	if (loaded != NULL)
		*loaded = r.loaded;
	for (i = 0; i < nfiles; i++)
		free(files[i].name);
	free(files);
	free(r.buf);
	free(r.sizes);
	free(r.recs);
	return rc;
}
