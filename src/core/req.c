/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * req.c: struct hs_req, built from the FastCGI parameters (or, in CGI
 * mode, the environment).  Every string is copied, because libfcgi's
 * parameter strings die at the next accept, and hs_req_free releases it
 * all (kcgi's khttp_free).  Nothing here trusts the client: the path and
 * query are decoded strictly, CONTENT_LENGTH is parsed as digits only and
 * capped before a byte is read, the body must arrive in full, and
 * X-Forwarded-For counts only when it comes from a configured proxy.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hearsay.h"

/*
 * The largest Content-Length taken seriously: 2^53 keeps the value exact
 * as a JSON number or a double, and is far past any cap anyway.
 */
#define CL_MAX		(1LL << 53)

/* Room for one CIDR list entry: an IPv6 address, '/' and a prefix. */
#define CIDR_ENTRY	(INET6_ADDRSTRLEN + 5)

#define FORM_TYPE	"application/x-www-form-urlencoded"

/*
 * Finds NAME=value in a NULL-terminated array such as FCGX_Request.envp
 * or environ.  Returns a pointer to the value, owned by the array, or
 * NULL if the name is absent (or envp or name is NULL).
 */
const char *
hs_req_param(char **envp, const char *name)
{
	size_t	 len;

	if (envp == NULL || name == NULL)
		return NULL;
	len = strlen(name);
	for (; *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

/*
 * nginx's $request_id and $msec for the request (fastcgi_params.hearsay):
 * exactly 32 lower-case hex digits, and seconds "." three digits of
 * milliseconds.  They come from the server's configuration, never from
 * the client; anything else leaves them unset.
 */
static void
ngx_ids(struct hs_req *req, char **envp)
{
	const char	*id, *ms, *p;
	long long	 v = 0;
	size_t		 n;

	id = hs_req_param(envp, "HS_REQUEST_ID");
	ms = hs_req_param(envp, "HS_REQUEST_MSEC");
	if (id == NULL || ms == NULL || strlen(id) != HS_NGXID_LEN ||
	    strspn(id, "0123456789abcdef") != HS_NGXID_LEN)
		return;
	n = strspn(ms, "0123456789");
	if (n == 0 || n > 12 || ms[n] != '.' ||
	    strspn(ms + n + 1, "0123456789") != 3 || ms[n + 4] != '\0')
		return;
	for (p = ms; *p != '\0'; p++)
		if (*p != '.')
			v = v * 10 + (*p - '0');
	memcpy(req->ngx_id, id, HS_NGXID_LEN + 1);
	req->ngx_ms = v;
}

/*
 * Records the first error of a parse that carries on past bad input, so
 * that the request is as complete as it can be when the caller answers
 * 4xx with it.  Returns 1 when parsing must stop (out of memory).
 */
static int
note(enum hs_err *rc, enum hs_err e)
{

	if (e != HS_OK && *rc == HS_OK)
		*rc = e;
	return e == HS_ENOMEM;
}

/* Copies the named parameter into *dst.  Returns HS_OK or HS_ENOMEM. */
static enum hs_err
dup_param(char **dst, char **envp, const char *name)
{
	const char	*v;

	if ((v = hs_req_param(envp, name)) == NULL)
		return HS_OK;
	return (*dst = hs_xstrdup(v)) == NULL ? HS_ENOMEM : HS_OK;
}

/* Maps REQUEST_METHOD; anything unknown (or absent) is HS_METHOD_OTHER. */
static enum hs_method
method_of(const char *m)
{
	static const char *const names[HS_METHOD__MAX] = {
		"GET",		/* HS_METHOD_GET */
		"HEAD",		/* HS_METHOD_HEAD */
		"POST",		/* HS_METHOD_POST */
		"OPTIONS",	/* HS_METHOD_OPTIONS */
		NULL,		/* HS_METHOD_OTHER */
	};
	size_t	 i;

	if (m == NULL)
		return HS_METHOD_OTHER;
	/* Methods are case-sensitive (RFC 9110 section 9.1). */
	for (i = 0; i < HS_METHOD_OTHER; i++)
		if (strcmp(m, names[i]) == 0)
			return (enum hs_method)i;
	return HS_METHOD_OTHER;
}

/*
 * Sets req->path from DOCUMENT_URI (nginx: decoded and normalised), else
 * SCRIPT_NAME followed by PATH_INFO (CGI, already decoded), else the part
 * of REQUEST_URI before '?', percent-decoded here; "/" when none is set.
 * Returns HS_OK; HS_EINVAL if the path is over HS_MAX_PATH, badly
 * escaped or not valid UTF-8 (req->path stays NULL); HS_ENOMEM.
 */
static enum hs_err
req_path(struct hs_req *req, char **envp)
{
	const char	*v, *sn, *pi;
	size_t		 snlen, pilen;
	enum hs_err	 rc = HS_OK;

	sn = hs_req_param(envp, "SCRIPT_NAME");
	pi = hs_req_param(envp, "PATH_INFO");
	if ((v = hs_req_param(envp, "DOCUMENT_URI")) != NULL) {
		if (strlen(v) > HS_MAX_PATH) {
			rc = HS_EINVAL;
			goto out;
		}
		req->path = hs_xstrdup(v);
	} else if (sn != NULL || pi != NULL) {
		snlen = sn != NULL ? strlen(sn) : 0;
		pilen = pi != NULL ? strlen(pi) : 0;
		if (snlen > HS_MAX_PATH || pilen > HS_MAX_PATH - snlen) {
			rc = HS_EINVAL;
			goto out;
		}
		if ((req->path = hs_xmalloc(snlen + pilen + 1)) != NULL) {
			memcpy(req->path, sn != NULL ? sn : "", snlen);
			memcpy(req->path + snlen, pi != NULL ? pi : "", pilen);
			req->path[snlen + pilen] = '\0';
		}
	} else if ((v = hs_req_param(envp, "REQUEST_URI")) != NULL) {
		rc = hs_path_decode(v, strcspn(v, "?"), &req->path, NULL);
		if (rc != HS_OK && rc != HS_ENOMEM)
			rc = HS_EINVAL;
		goto out;	/* hs_path_decode checked UTF-8 */
	} else
		req->path = hs_xstrdup("/");
	if (req->path == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	if (!hs_utf8_valid(req->path, strlen(req->path))) {
		free(req->path);
		req->path = NULL;
		rc = HS_EINVAL;
	}
out:
	return rc;
}

/*
 * Parses CONTENT_LENGTH strictly: digits only, no sign, no space, at most
 * CL_MAX.  nginx passes an empty value when there is no body, so empty
 * and absent both mean -1.  Returns HS_OK or HS_EINVAL (*cl stays -1).
 */
static enum hs_err
parse_cl(const char *s, long long *cl)
{
	long long	 v = 0;

	*cl = -1;
	if (s == NULL || *s == '\0')
		return HS_OK;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return HS_EINVAL;
		v = v * 10 + (*s - '0');	/* v <= CL_MAX: cannot wrap */
		if (v > CL_MAX)
			return HS_EINVAL;
	}
	*cl = v;
	return HS_OK;
}

/*
 * Parses an IPv4 or IPv6 address into 16 bytes, IPv4 as ::ffff:a.b.c.d,
 * so that one comparison serves both families and an IPv4-mapped peer
 * matches an IPv4 network.  Returns 1 with *v4 set, or 0 if s is not an
 * address (names are never resolved).
 */
static int
parse_addr(const char *s, unsigned char a[16], int *v4)
{
	struct in_addr	 in4;

	if (inet_pton(AF_INET, s, &in4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &in4, 4);
		*v4 = 1;
		return 1;
	}
	*v4 = 0;
	return inet_pton(AF_INET6, s, a) == 1;
}

/* Returns 1 if the first bits bits of a and net are equal. */
static int
prefix_equal(const unsigned char a[16], const unsigned char net[16],
    unsigned int bits)
{
	unsigned int	 full = bits / 8, rest = bits % 8;
	unsigned char	 mask;

	if (memcmp(a, net, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (net[full] & mask);
}

/*
 * Parses one CIDR list entry, "addr" or "addr/len", into net and bits
 * (counted in the 16-byte form).  Returns 1, or 0 if it is malformed.
 */
static int
parse_cidr(const char *p, size_t len, unsigned char net[16],
    unsigned int *bits)
{
	char		 e[CIDR_ENTRY];
	char		*slash, *d;
	unsigned int	 b = 0, max;
	int		 v4;

	if (len >= sizeof(e))
		return 0;
	memcpy(e, p, len);
	e[len] = '\0';
	if ((slash = strchr(e, '/')) != NULL)
		*slash++ = '\0';
	if (!parse_addr(e, net, &v4))
		return 0;
	max = v4 ? 32 : 128;
	if (slash == NULL)
		b = max;
	else {
		if (*slash == '\0' || strlen(slash) > 3)
			return 0;
		for (d = slash; *d != '\0'; d++) {
			if (*d < '0' || *d > '9')
				return 0;
			b = b * 10 + (unsigned int)(*d - '0');
		}
		if (b > max)
			return 0;
	}
	*bits = v4 ? b + 96 : b;
	return 1;
}

/*
 * Returns 1 if addr, an IPv4 or IPv6 address, is inside any entry of
 * list, a comma- or space-separated list of CIDRs or bare addresses;
 * 0 otherwise, for a malformed addr, or when either is NULL.  Malformed
 * entries never match (conf.c reports them at load time).
 */
int
hs_cidr_match(const char *addr, const char *list)
{
	unsigned char	 a[16], net[16];
	unsigned int	 bits;
	size_t		 len;
	int		 v4;

	if (addr == NULL || list == NULL || !parse_addr(addr, a, &v4))
		return 0;
	for (;;) {
		list += strspn(list, ", \t");
		if ((len = strcspn(list, ", \t")) == 0)
			return 0;
		if (parse_cidr(list, len, net, &bits) &&
		    prefix_equal(a, net, bits))
			return 1;
		list += len;
	}
}

/*
 * Sets req->remote_addr.  The peer is REMOTE_ADDR unless that is one of
 * conf->trusted_proxies; then X-Forwarded-For is walked from the right,
 * skipping trusted proxies, and the first address that is not one is the
 * client, as nginx's realip module does with real_ip_recursive.  Entries
 * left of it were written by the client and are never believed.  If an
 * entry is not an address, the walk stops at the last good one.
 * Returns HS_OK (remote_addr NULL when REMOTE_ADDR is absent) or
 * HS_ENOMEM.
 */
static enum hs_err
req_addr(struct hs_req *req, char **envp)
{
	const char	*trusted, *xff, *b, *e, *best;
	char		 ip[INET6_ADDRSTRLEN];
	unsigned char	 a[16];
	size_t		 bestlen;
	int		 v4;

	if ((best = hs_req_param(envp, "REMOTE_ADDR")) == NULL)
		return HS_OK;
	bestlen = strlen(best);
	trusted = req->conf != NULL ? req->conf->trusted_proxies : NULL;
	if (trusted != NULL && hs_cidr_match(best, trusted) &&
	    (xff = hs_req_param(envp, "HTTP_X_FORWARDED_FOR")) != NULL) {
		for (e = xff + strlen(xff); e > xff; e = b) {
			while (e > xff && strchr(", \t", e[-1]) != NULL)
				e--;
			for (b = e; b > xff && strchr(", \t", b[-1]) == NULL;)
				b--;
			if (b == e || (size_t)(e - b) >= sizeof(ip))
				break;
			memcpy(ip, b, e - b);
			ip[e - b] = '\0';
			if (!parse_addr(ip, a, &v4))
				break;
			best = b;
			bestlen = e - b;
			if (!hs_cidr_match(ip, trusted))
				break;
		}
	}
	req->remote_addr = hs_xstrndup(best, bestlen);
	return req->remote_addr == NULL ? HS_ENOMEM : HS_OK;
}

/*
 * Fills req from the parameters in envp.  The struct is zeroed first, so
 * callers set req->read, req->readarg and req->out after this call.  The
 * request id, the log tag, conf and the header buffer are set before
 * anything can fail, and parsing carries on past bad input, so that on
 * any return req can answer an error and must be released with
 * hs_req_free.  conf may be NULL (no trusted proxies).
 * Returns HS_OK; HS_EINVAL for a bad path or CONTENT_LENGTH; the
 * hs_form_parse error for a malformed query (req->query is still set,
 * req->qv is NULL); HS_ENOMEM.  The first error found is returned.
 */
enum hs_err
hs_req_init(struct hs_req *req, char **envp, const struct hs_conf *conf)
{
	const char	*v;
	enum hs_err	 rc = HS_OK;

	memset(req, 0, sizeof(*req));
	req->conf = conf;
	req->content_length = -1;
	hs_buf_init(&req->hdrs, HS_MAX_HEADERS);
	hs_rand_hex(req->id, sizeof(req->id));
	hs_log_setreq(req->id);
	ngx_ids(req, envp);

	req->method = method_of(hs_req_param(envp, "REQUEST_METHOD"));
	if (note(&rc, req_path(req, envp)))
		goto out;
	if (note(&rc, dup_param(&req->query, envp, "QUERY_STRING")))
		goto out;
	if (req->query != NULL && note(&rc, hs_form_parse(req->query,
	    strlen(req->query), &req->qv, &req->qvsz)))
		goto out;
	(void)note(&rc, parse_cl(hs_req_param(envp, "CONTENT_LENGTH"),
	    &req->content_length));

	if (note(&rc, dup_param(&req->user_agent, envp, "HTTP_USER_AGENT")) ||
	    note(&rc, dup_param(&req->referer, envp, "HTTP_REFERER")) ||
	    note(&rc, dup_param(&req->host, envp, "HTTP_HOST")) ||
	    note(&rc, dup_param(&req->origin, envp, "HTTP_ORIGIN")) ||
	    note(&rc, dup_param(&req->content_type, envp, "CONTENT_TYPE")) ||
	    note(&rc, dup_param(&req->sec_fetch_site, envp,
	    "HTTP_SEC_FETCH_SITE")) ||
	    note(&rc, dup_param(&req->if_none_match, envp,
	    "HTTP_IF_NONE_MATCH")) ||
	    note(&rc, dup_param(&req->authorization, envp,
	    "HTTP_AUTHORIZATION")) ||
	    note(&rc, dup_param(&req->idempotency_key, envp,
	    "HTTP_IDEMPOTENCY_KEY")))
		goto out;
	/* Chrome sends Sec-Purpose; older browsers and Firefox Purpose. */
	if (note(&rc, dup_param(&req->sec_purpose, envp,
	    hs_req_param(envp, "HTTP_SEC_PURPOSE") != NULL ?
	    "HTTP_SEC_PURPOSE" : "HTTP_PURPOSE")))
		goto out;

	req->gpc = ((v = hs_req_param(envp, "HTTP_SEC_GPC")) != NULL &&
	    strcmp(v, "1") == 0) ||
	    ((v = hs_req_param(envp, "HTTP_DNT")) != NULL &&
	    strcmp(v, "1") == 0);
	req->https = (v = hs_req_param(envp, "HTTPS")) != NULL &&
	    strcasecmp(v, "on") == 0;

	if (note(&rc, hs_cookie_parse(hs_req_param(envp, "HTTP_COOKIE"),
	    &req->cookies, &req->cookiesz)))
		goto out;
	(void)note(&rc, req_addr(req, envp));
out:
	return rc;
}

/*
 * Reads the body, exactly content_length bytes, through req->read into
 * req->body (NUL-terminated, so it can be logged or parsed as a string)
 * and req->bodysz.  A second call returns the body already read.
 * Returns HS_OK; HS_EINVAL for a POST without Content-Length (411) or no
 * reader; HS_ETOOBIG, before reading a byte, when Content-Length is over
 * max (413); HS_ESHORT when the stream ends early, which means the client
 * went away and nothing may be stored; HS_EIO for a read error;
 * HS_ENOMEM.  A request with no Content-Length that is not a POST has an
 * empty body.
 */
enum hs_err
hs_req_body(struct hs_req *req, size_t max)
{
	char		*b = NULL;
	size_t		 got = 0, want;
	ssize_t		 n;
	enum hs_err	 rc = HS_OK;

	if (req->body != NULL)
		goto out;
	if (req->content_length < 0 && req->method == HS_METHOD_POST) {
		rc = HS_EINVAL;
		goto out;
	}
	if (req->content_length > 0 && (unsigned long long)
	    req->content_length > (unsigned long long)max) {
		rc = HS_ETOOBIG;
		goto out;
	}
	want = req->content_length > 0 ? (size_t)req->content_length : 0;
	if (want > 0 && req->read == NULL) {
		hs_log(HS_LOG_ERR, "request body without a reader");
		rc = HS_EINVAL;
		goto out;
	}
	if ((b = hs_xmalloc(want + 1)) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	while (got < want) {
		/* libfcgi's signal handlers do not restart reads. */
		if ((n = req->read(b + got, want - got, req->readarg)) < 0 &&
		    errno == EINTR)
			continue;
		if (n < 0 || (size_t)n > want - got) {
			hs_logerr("reading the request body");
			rc = HS_EIO;
			goto out;
		}
		if (n == 0) {
			rc = HS_ESHORT;
			goto out;
		}
		got += (size_t)n;
	}
	b[got] = '\0';
	req->body = b;
	req->bodysz = got;
	b = NULL;
out:
	free(b);
	return rc;
}

/*
 * Returns 1 if the Content-Type is application/x-www-form-urlencoded
 * (any case) with, at most, a charset=utf-8 parameter (quoted or not):
 * a form sent in another charset would be stored as mojibake.
 */
static int
form_type(const char *ct)
{
	const char	*p;
	size_t		 len = sizeof(FORM_TYPE) - 1;

	if (ct == NULL || strncasecmp(ct, FORM_TYPE, len) != 0)
		return 0;
	p = ct + len;
	p += strspn(p, " \t");
	if (*p == '\0')
		return 1;
	if (*p++ != ';')
		return 0;
	p += strspn(p, " \t");
	if (strncasecmp(p, "charset=", 8) != 0)
		return 0;
	p += 8;
	if (strncasecmp(p, "utf-8", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
		p += 7;
	else
		return 0;
	p += strspn(p, " \t");
	return *p == '\0';
}

/*
 * Reads and parses an urlencoded body into req->form and req->formsz.
 * Returns HS_OK; HS_EMEDIA for any other Content-Type (415); an
 * hs_req_body error; an hs_form_parse error (400).
 */
enum hs_err
hs_req_form(struct hs_req *req)
{
	enum hs_err	 rc;

	if (!form_type(req->content_type)) {
		rc = HS_EMEDIA;
		goto out;
	}
	if ((rc = hs_req_body(req, HS_MAX_BODY)) != HS_OK)
		goto out;
	hs_kv_free(req->form, req->formsz);
	req->form = NULL;
	req->formsz = 0;
	rc = hs_form_parse(req->body, req->bodysz, &req->form, &req->formsz);
out:
	return rc;
}

/*
 * Returns 1 if a state-changing request comes from a page of our own
 * origin (the scheme://host[:port] of base_url), else 0.  This is the one
 * rule for every form hearsay serves; each form also carries its own
 * signed token, which stays the real defence for clients that send none
 * of these headers (curl, scripts: no other site can drive them).
 *  - Sec-Fetch-Site, when sent, must be "same-origin" or "none" (typed
 *    or bookmarked by the person).
 *  - Origin, when sent, must be our origin, except "null": a page sent
 *    with Referrer-Policy: no-referrer (the capability pages, whose
 *    token is in the path) makes browsers send "Origin: null" on its own
 *    POSTs.  "null" is accepted only when Sec-Fetch-Site vouches for
 *    same-origin, because a sandboxed frame on another site also sends
 *    "null" (and then "cross-site").
 */
int
hs_req_same_origin(const struct hs_req *req, const char *base_url)
{
	const char	*sfs = req->sec_fetch_site, *p;
	size_t		 n;

	if (sfs != NULL && strcmp(sfs, "same-origin") != 0 &&
	    strcmp(sfs, "none") != 0)
		return 0;
	if (req->origin == NULL)
		return 1;
	if (strcmp(req->origin, "null") == 0)
		return sfs != NULL && strcmp(sfs, "same-origin") == 0;
	if (base_url == NULL || (p = strstr(base_url, "://")) == NULL)
		return 0;
	n = (size_t)(p + 3 - base_url) + strcspn(p + 3, "/?#");
	return strlen(req->origin) == n &&
	    strncmp(req->origin, base_url, n) == 0;
}

/*
 * Returns the value of the named cookie if the header carries it exactly
 * once, else NULL: two cookies of one name come from different paths or
 * domains and we cannot tell which is ours.
 */
const char *
hs_req_cookie(const struct hs_req *req, const char *name)
{
	const char	*v;

	if (hs_kv_get(req->cookies, req->cookiesz, name, &v) != HS_OK)
		return NULL;
	return v;
}

/*
 * Releases everything req owns (not conf) and zeroes it, so a second
 * call is harmless.  Accepts a zeroed struct.
 */
void
hs_req_free(struct hs_req *req)
{

	if (req == NULL)
		return;
	free(req->path);
	free(req->query);
	hs_kv_free(req->qv, req->qvsz);
	hs_kv_free(req->form, req->formsz);
	hs_kv_free(req->cookies, req->cookiesz);
	free(req->body);
	free(req->remote_addr);
	free(req->user_agent);
	free(req->referer);
	free(req->host);
	free(req->origin);
	free(req->content_type);
	free(req->sec_fetch_site);
	free(req->sec_purpose);
	free(req->if_none_match);
	free(req->authorization);
	free(req->idempotency_key);
	hs_buf_free(&req->hdrs);
	memset(req, 0, sizeof(*req));
	hs_log_setreq(NULL);
}
