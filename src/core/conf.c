/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * conf.c: hearsay.conf and its secrets file.  Lines are "key = value"
 * with "#" comments.  Keys come from one table (name, type, place in
 * struct hs_conf, default, bounds); an unknown key, a bad number or a
 * repeated key is an error that names the file and line, because a
 * typo in a config silently ignored is a production outage later.
 *
 * Secrets (database passwords, the HMAC key) live in a second file that
 * must not be readable or writable by group or others: it is refused,
 * not merely warned about, so a careless deploy fails closed.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "hearsay.h"

enum ctype {
	CT_STR,		/* char *, strdup'd */
	CT_INT,		/* int within [min, max] */
	CT_CIDRS,	/* char *: addresses or CIDRs, space or comma separated */
};

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;	/* offsetof in struct hs_conf */
	const char	*def;	/* default, or NULL */
	long		 min;
	long		 max;
};

#define S(f, d)		{ #f, CT_STR, offsetof(struct hs_conf, f), d, 0, 0 }
#define I(f, d, lo, hi)	{ #f, CT_INT, offsetof(struct hs_conf, f), d, lo, hi }
#define C(f)		{ #f, CT_CIDRS, offsetof(struct hs_conf, f), NULL, 0, 0 }

static const struct ckey keys[] = {
	S(db_socket, NULL),
	S(db_host, "127.0.0.1"),
	I(db_port, "3306", 1, 65535),
	S(db_name, "hearsay"),
	S(db_user, "hearsay"),
	S(db_ro_user, NULL),
	S(db_nodes, NULL),
	I(db_sync_wait, "1", 0, 15),
	S(secrets_file, HS_SYSCONFDIR "/secrets"),
	S(run_dir, "/run/hearsay"),
	S(spool_dir, HS_LOCALSTATEDIR "/spool/hearsay"),
	S(html_dir, HS_DATADIR "/html"),
	S(locale_dir, HS_LOCALEDIR),
	S(sql_dir, HS_DATADIR "/sql"),
	S(base_url, "http://127.0.0.1:8080"),
	I(workers, "2", 1, 256),
	S(click_param, "hs_click"),
	S(cookie_name, "hs_click"),
	S(cookie_domain, NULL),
	I(cookie_days, "90", 0, 400),
	C(trusted_proxies),
	C(staff_cidrs),
	S(staff_param, NULL),
	I(link_cache_secs, "30", 0, 3600),
	I(attribution_days, "30", 1, 365),
	I(retention_days, "395", 1, 3650),
	S(consent_text, N_("We use your answer only to learn how people find "
	    "us.")),
	I(token_max_age, "604800", 60, 31536000),
	I(answer_change_hours, "24", 0, 8760),
	I(velocity_limit, "10", 1, 100000),
	I(webhook_allow_private, "0", 0, 1),
	I(advocate_min_count, "3", 1, 1000),
	I(leaderboard, "0", 0, 1),
	S(activity_kinds, "active activated purchase churned"),
	S(activity_retained, "active"),
	S(activity_activated, "activated"),
	S(activity_currency, "USD"),
	I(cohort_interval_hours, "24", 0, 8760),
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

#define SECRET_HEXKEY	64	/* hex chars of hmac_key */

/* Trims leading and trailing white space in place. */
static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Returns 1 if every entry of list is an IPv4 or IPv6 address with an
 * optional /prefix in range, else 0 with the bad entry named in err.  A
 * typo in a trust list must stop the program, not silently trust less
 * (or, worse, someone else).
 */
static int
cidrs_valid(const char *list, const char *name, char *err, size_t errsz)
{
	char		 ent[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned char	 a[sizeof(struct in6_addr)];
	size_t		 n;
	long		 bits, max;

	while (*(list += strspn(list, " \t,")) != '\0') {
		n = strcspn(list, " \t,");
		if (n >= sizeof(ent))
			goto bad;
		memcpy(ent, list, n);
		ent[n] = '\0';
		if ((slash = strchr(ent, '/')) != NULL)
			*slash = '\0';
		if (inet_pton(AF_INET, ent, a) == 1)
			max = 32;
		else if (inet_pton(AF_INET6, ent, a) == 1)
			max = 128;
		else
			goto bad;
		if (slash != NULL) {
			errno = 0;
			bits = strtol(slash + 1, &end, 10);
			if (slash[1] == '\0' || *end != '\0' || errno != 0 ||
			    bits < 0 || bits > max)
				goto bad;
		}
		list += n;
	}
	return 1;
bad:
	(void)snprintf(err, errsz, "%s: \"%.*s\" is not an address or CIDR",
	    name, (int)(strcspn(list, " \t,") > 48 ? 48 :
	    strcspn(list, " \t,")), list);
	return 0;
}

/*
 * Sets one key from its text.  Returns HS_EINVAL with a message in err
 * for a bad value.
 */
static enum hs_err
setkey(struct hs_conf *c, const struct ckey *k, const char *v,
    char *err, size_t errsz)
{
	char		**sp;
	int		 *ip;
	long		  n;
	char		 *end;

	switch (k->type) {
	case CT_CIDRS:
		if (!cidrs_valid(v, k->name, err, errsz))
			return HS_EINVAL;
		/* FALLTHROUGH */
	case CT_STR:
		sp = (char **)((char *)c + k->off);
		free(*sp);
		*sp = NULL;
		if (*v == '\0')
			return HS_OK;	/* "key =" unsets */
		if ((*sp = hs_xstrdup(v)) == NULL)
			return HS_ENOMEM;
		return HS_OK;
	case CT_INT:
		ip = (int *)((char *)c + k->off);
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    n < k->min || n > k->max) {
			(void)snprintf(err, errsz, "%s: not a number in "
			    "%ld..%ld", k->name, k->min, k->max);
			return HS_EINVAL;
		}
		*ip = (int)n;
		return HS_OK;
	}
	abort();
}

/* Zeroes the struct and applies every default. */
void
hs_conf_defaults(struct hs_conf *c)
{
	size_t	 i;
	char	 err[128];

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NKEYS; i++)
		if (keys[i].def != NULL &&
		    setkey(c, &keys[i], keys[i].def, err, sizeof(err)) !=
		    HS_OK)
			abort();	/* a bad default is a bug */
}

void
hs_conf_free(struct hs_conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		if (keys[i].type != CT_INT)
			free(*(char **)((char *)c + keys[i].off));
	free(c->db_password);
	free(c->db_ro_password);
	sodium_memzero(c, sizeof(*c));
}

/*
 * Reads "key = value" lines from fp, calling fn for each.  Returns
 * HS_EINVAL with "path:line: reason" in err on a malformed line.
 */
static enum hs_err
readlines(FILE *fp, const char *path, enum hs_err (*fn)(struct hs_conf *,
    const char *, const char *, char *, size_t), struct hs_conf *c,
    char *err, size_t errsz)
{
	char		 line[HS_MAX_CONFLINE + 2], msg[160], *p, *eq, *k, *v;
	size_t		 lineno = 0, len;
	enum hs_err	 e = HS_OK;

	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > HS_MAX_CONFLINE) {
			(void)snprintf(err, errsz, "%s:%zu: line too long",
			    path, lineno);
			return HS_EINVAL;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			(void)snprintf(err, errsz, "%s:%zu: expected "
			    "\"key = value\"", path, lineno);
			return HS_EINVAL;
		}
		*eq = '\0';
		k = trim(p);
		v = trim(eq + 1);
		msg[0] = '\0';
		if ((e = fn(c, k, v, msg, sizeof(msg))) != HS_OK) {
			(void)snprintf(err, errsz, "%s:%zu: %s", path, lineno,
			    msg[0] != '\0' ? msg : hs_strerror(e));
			return e;
		}
	}
	if (ferror(fp)) {
		(void)snprintf(err, errsz, "%s: read error", path);
		return HS_EIO;
	}
	return HS_OK;
}

/* One line of hearsay.conf. */
static enum hs_err
confline(struct hs_conf *c, const char *k, const char *v, char *err,
    size_t errsz)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, k) == 0)
			return setkey(c, &keys[i], v, err, errsz);
	(void)snprintf(err, errsz, "unknown key \"%.64s\"", k);
	return HS_EINVAL;
}

/* One line of the secrets file. */
static enum hs_err
secretline(struct hs_conf *c, const char *k, const char *v, char *err,
    size_t errsz)
{
	char	**sp;

	if (strcmp(k, "hmac_key") == 0) {
		if (strlen(v) != SECRET_HEXKEY ||
		    hs_unhex(v, c->hmac_key, sizeof(c->hmac_key)) != HS_OK) {
			(void)snprintf(err, errsz, "hmac_key: want %d hex "
			    "characters", SECRET_HEXKEY);
			return HS_EINVAL;
		}
		c->have_hmac_key = 1;
		return HS_OK;
	}
	if (strcmp(k, "db_password") == 0)
		sp = &c->db_password;
	else if (strcmp(k, "db_ro_password") == 0)
		sp = &c->db_ro_password;
	else {
		(void)snprintf(err, errsz, "unknown secret \"%.64s\"", k);
		return HS_EINVAL;
	}
	free(*sp);
	if ((*sp = hs_xstrdup(v)) == NULL)
		return HS_ENOMEM;
	return HS_OK;
}

/*
 * Opens path for reading; with secret set, refuses a file that group or
 * others may read or write, or that is not a regular file.
 */
static FILE *
openconf(const char *path, int secret, char *err, size_t errsz)
{
	struct stat	 st;
	int		 fd;
	FILE		*fp;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		(void)snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		(void)snprintf(err, errsz, "%s: readable by group or others "
		    "(mode %03o); chmod 600 it", path,
		    (unsigned int)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		(void)snprintf(err, errsz, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
}

/*
 * Whether w (n bytes) is one of the words of the space-separated list.
 */
int
hs_conf_word(const char *list, const char *w, size_t n)
{
	size_t	 k;

	while (*(list += strspn(list, " \t")) != '\0') {
		k = strcspn(list, " \t");
		if (k == n && n > 0 && strncmp(list, w, n) == 0)
			return 1;
		list += k;
	}
	return 0;
}

/*
 * The activity settings (issue 20): kinds are 1-32 of [a-z0-9_-], the
 * retained and activated kinds are among them, the currency is three
 * capital letters.  A deployment whose "retained" names no kind would
 * show every cohort at 0% retention, silently: refuse it instead.
 */
static enum hs_err
activity_valid(const struct hs_conf *c, const char *path, char *err,
    size_t errsz)
{
	const char	*p = c->activity_kinds;
	size_t		 n, nk = 0;

	while (*(p += strspn(p, " \t")) != '\0') {
		n = strcspn(p, " \t");
		if (n > HS_KIND_MAX || strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_-") < n)
			goto bad;
		nk++;
		p += n;
	}
	if (nk == 0 || !hs_conf_word(c->activity_kinds, c->activity_retained,
	    strlen(c->activity_retained)) || !hs_conf_word(c->activity_kinds,
	    c->activity_activated, strlen(c->activity_activated)))
		goto bad;
	if (strlen(c->activity_currency) != 3 ||
	    strspn(c->activity_currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		(void)snprintf(err, errsz, "%s: activity_currency: three "
		    "capital letters (ISO 4217)", path);
		return HS_EINVAL;
	}
	return HS_OK;
bad:
	(void)snprintf(err, errsz, "%s: activity_kinds: words of 1-%d of "
	    "a-z, 0-9, _ and -, including activity_retained and "
	    "activity_activated", path, HS_KIND_MAX);
	return HS_EINVAL;
}

/*
 * Loads defaults, then path, then the secrets file it names (if that
 * exists; a missing secrets file is an error only when path names one
 * explicitly).  Returns HS_OK, or an error with a message in err.
 */
enum hs_err
hs_conf_load(struct hs_conf *c, const char *path, char *err, size_t errsz)
{
	FILE		*fp = NULL;
	enum hs_err	 e;

	hs_conf_defaults(c);
	err[0] = '\0';
	if ((fp = openconf(path, 0, err, errsz)) == NULL) {
		e = HS_EIO;
		goto out;
	}
	if ((e = readlines(fp, path, confline, c, err, errsz)) != HS_OK)
		goto out;
	fclose(fp);
	fp = NULL;
	if (c->secrets_file != NULL) {
		if ((fp = openconf(c->secrets_file, 1, err, errsz)) == NULL) {
			e = HS_EIO;
			goto out;
		}
		if ((e = readlines(fp, c->secrets_file, secretline, c, err,
		    errsz)) != HS_OK)
			goto out;
	}
	e = activity_valid(c, path, err, errsz);
out:
	if (fp != NULL)
		fclose(fp);
	return e;
}

/*
 * The config path from "-f path" in argv, else $HEARSAY_CONF, else the
 * installed default.
 */
const char *
hs_conf_path(int argc, char *const *argv)
{
	const char	*p;
	int		 i;

	for (i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "-f") == 0)
			return argv[i + 1];
	if ((p = getenv("HEARSAY_CONF")) != NULL && *p != '\0')
		return p;
	return HS_SYSCONFDIR "/hearsay.conf";
}
