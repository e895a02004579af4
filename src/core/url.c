/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * url.c: percent-decoding, the application/x-www-form-urlencoded parser
 * used for query strings and survey bodies, the URL encoder, the Cookie
 * header parser, and the check of an http(s) URL hearsay sends someone
 * or something to (hs_url_check).
 *
 * The form parser is strict where kcgi is forgiving: a malformed escape,
 * invalid UTF-8, an empty or oversized key, an oversized value or too
 * many fields fails the whole parse and returns nothing.  A survey answer
 * that was silently dropped or truncated would be a wrong row, so the
 * submission is refused (400) instead, like OpenBSD httpd's url_decode.
 * The Cookie parser is the opposite: browsers send whatever other sites
 * on the domain set, so junk pairs are skipped and the rest kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hearsay.h"

#define URL_HOST_MAX	253	/* bytes in a DNS name */

/* Returns the value of a hex digit, or -1 if c is not one. */
static int
hexval(unsigned char c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes len bytes of s into a new NUL-terminated string of at
 * most max bytes; plus says whether '+' means a space (forms) or itself
 * (paths).  The output is never longer than the input, so the buffer is
 * sized from the smaller of the two and never grows.
 * Returns HS_OK with *out (caller frees) and *outsz (if not NULL) set;
 * HS_EENCODING for '%' not followed by two hex digits; HS_ETOOBIG past
 * max; HS_EUTF8 if the result is not valid (see hs_utf8_valid); HS_ENOMEM.
 * On error *out is NULL and *outsz 0.
 */
static enum hs_err
pct_decode(const char *s, size_t len, int plus, size_t max, char **out,
    size_t *outsz)
{
	char		*d = NULL;
	size_t		 i, n = 0;
	int		 hi, lo;
	enum hs_err	 rc = HS_OK;

	*out = NULL;
	if (outsz != NULL)
		*outsz = 0;
	if ((d = hs_xmalloc((len < max ? len : max) + 1)) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	for (i = 0; i < len; i++) {
		if (n == max) {
			rc = HS_ETOOBIG;
			goto out;
		}
		if (s[i] == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0) {
				rc = HS_EENCODING;
				goto out;
			}
			d[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus)
			d[n++] = ' ';
		else
			d[n++] = s[i];
	}
	d[n] = '\0';
	if (!hs_utf8_valid(d, n)) {
		rc = HS_EUTF8;
		goto out;
	}
	*out = d;
	d = NULL;
	if (outsz != NULL)
		*outsz = n;
out:
	free(d);
	return rc;
}

/*
 * Decodes one form or query component: "+" is a space, the result is at
 * most HS_MAX_FIELD bytes of strict UTF-8.  Returns as pct_decode.
 */
enum hs_err
hs_url_decode(const char *s, size_t len, char **out, size_t *outsz)
{

	return pct_decode(s, len, 1, HS_MAX_FIELD, out, outsz);
}

/*
 * Decodes a request path as sent in REQUEST_URI: "+" stays itself, the
 * result is at most HS_MAX_PATH bytes of strict UTF-8.  Dot segments are
 * not resolved; routing compares whole segments.  Returns as pct_decode.
 */
enum hs_err
hs_path_decode(const char *s, size_t len, char **out, size_t *outsz)
{

	return pct_decode(s, len, 0, HS_MAX_PATH, out, outsz);
}

/* RFC 3986 section 2.3: the characters never escaped. */
static int
unreserved(unsigned char c)
{

	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * Appends s to buf with every byte but the unreserved ones written as
 * %XX (upper case, as RFC 3986 recommends).  The text is built first and
 * appended in one go, so on error buf is as it was.
 * Returns HS_OK; HS_ETOOBIG past the buffer's cap; HS_ENOMEM.
 */
enum hs_err
hs_url_encode(struct hs_buf *buf, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*t = NULL;
	size_t			 n = 0;
	enum hs_err		 rc = HS_OK;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		n += unreserved(*p) ? 1 : 3;
	if (n == 0)
		goto out;
	/* Refuse before allocating: the encoding can triple the size. */
	if (n > buf->max) {
		rc = HS_ETOOBIG;
		goto out;
	}
	if ((t = hs_xmalloc(n)) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}
	for (n = 0, p = (const unsigned char *)s; *p != '\0'; p++) {
		if (unreserved(*p))
			t[n++] = (char)*p;
		else {
			t[n++] = '%';
			t[n++] = hex[*p >> 4];
			t[n++] = hex[*p & 0x0f];
		}
	}
	rc = hs_buf_add(buf, t, n);
out:
	free(t);
	return rc;
}

/*
 * Parses a query string or an application/x-www-form-urlencoded body:
 * pieces split on '&' (empty ones skipped), each "key=value" or a bare
 * "key" with an empty value, both decoded by hs_url_decode.
 * Returns HS_OK with *kv (free with hs_kv_free; NULL when there are no
 * pieces) and *n; HS_EINVAL for an empty key or one over HS_MAX_KEY;
 * HS_ETOOBIG for more than HS_MAX_FIELDS pieces or a value over
 * HS_MAX_FIELD; HS_EENCODING, HS_EUTF8 from decoding; HS_ENOMEM.  On any
 * error nothing is returned: *kv is NULL and *n 0.
 */
enum hs_err
hs_form_parse(const char *s, size_t len, struct hs_kv **kvp, size_t *np)
{
	struct hs_kv	*kv = NULL;
	const char	*p, *end, *amp, *eq;
	size_t		 pieces = 0, n = 0;
	enum hs_err	 rc = HS_OK;

	*kvp = NULL;
	*np = 0;
	if (s == NULL || len == 0)
		goto out;

	/* Count first: the cap is checked before any decoding work. */
	for (p = s, end = s + len; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp > p)
			pieces++;
	}
	if (pieces == 0)
		goto out;
	if (pieces > HS_MAX_FIELDS) {
		rc = HS_ETOOBIG;
		goto out;
	}
	if ((kv = hs_xcalloc(pieces, sizeof(*kv))) == NULL) {
		rc = HS_ENOMEM;
		goto out;
	}

	for (p = s; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		if (eq == p) {
			rc = HS_EINVAL;
			goto out;
		}
		/* An escape decodes to one byte: a non-empty key stays so. */
		rc = pct_decode(p, eq - p, 1, HS_MAX_KEY, &kv[n].key, NULL);
		if (rc == HS_ETOOBIG)
			rc = HS_EINVAL;
		if (rc != HS_OK)
			goto out;
		if (eq < amp)
			eq++;
		rc = hs_url_decode(eq, amp - eq, &kv[n].val, &kv[n].valsz);
		if (rc != HS_OK)
			goto out;
		n++;
	}
	*kvp = kv;
	*np = n;
	kv = NULL;
out:
	/* kv came from calloc: entries never reached hold NULL. */
	hs_kv_free(kv, pieces);
	return rc;
}

/* Frees n pairs and the array; kv may be NULL. */
void
hs_kv_free(struct hs_kv *kv, size_t n)
{
	size_t	 i;

	if (kv == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

/* Returns how many of the n pairs have the given key. */
size_t
hs_kv_count(const struct hs_kv *kv, size_t n, const char *key)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			c++;
	return c;
}

/*
 * Looks up a single-valued key.  A key given twice is an error, never
 * "first wins" or "last wins": a parameter repeated in a survey body is
 * tampering or a bug, and either choice would store something the person
 * may not have meant.
 * Returns HS_OK with *val (owned by kv; val may be NULL to test only);
 * HS_ENOTFOUND; HS_EDUP.  *val is NULL unless HS_OK.
 */
enum hs_err
hs_kv_get(const struct hs_kv *kv, size_t n, const char *key,
    const char **val)
{
	const char	*v = NULL;
	size_t		 i, c = 0;
	enum hs_err	 rc = HS_OK;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0) {
			v = kv[i].val;
			c++;
		}
	if (c == 0)
		rc = HS_ENOTFOUND;
	else if (c > 1)
		rc = HS_EDUP;
	if (val != NULL)
		*val = rc == HS_OK ? v : NULL;
	return rc;
}

/* RFC 7230 tchar: the bytes a cookie name (a token) may hold. */
static int
tchar(unsigned char c)
{

	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 6265 cookie-octet: printable ASCII but DQUOTE, comma, ';' and '\'. */
static int
cookie_octet(unsigned char c)
{

	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

/* Returns 1 for the whitespace RFC 6265's parser trims (SP, HTAB). */
static int
ows(char c)
{

	return c == ' ' || c == '\t';
}

/*
 * Splits one cookie pair, the bytes [p, e), into a name and a value with
 * the surrounding whitespace and one pair of double quotes removed.
 * Returns 1 with *name, *nlen, *val, *vlen set if the pair is well formed
 * (see hs_cookie_parse), 0 if it is to be skipped.
 */
static int
cookie_pair(const char *p, const char *e, const char **name, size_t *nlen,
    const char **val, size_t *vlen)
{
	const char	*eq, *ne, *v;
	size_t		 i;

	while (p < e && ows(*p))
		p++;
	while (e > p && ows(e[-1]))
		e--;
	if ((eq = memchr(p, '=', e - p)) == NULL)
		return 0;
	for (ne = eq; ne > p && ows(ne[-1]); ne--)
		continue;
	for (v = eq + 1; v < e && ows(*v); v++)
		continue;
	*name = p;
	*nlen = ne - p;
	if (*nlen == 0 || *nlen > HS_MAX_KEY)
		return 0;
	for (i = 0; i < *nlen; i++)
		if (!tchar((unsigned char)p[i]))
			return 0;
	if (e - v >= 2 && v[0] == '"' && e[-1] == '"') {
		v++;
		e--;
	}
	*val = v;
	*vlen = e - v;
	if (*vlen > HS_MAX_FIELD)
		return 0;
	for (i = 0; i < *vlen; i++)
		if (!cookie_octet((unsigned char)v[i]))
			return 0;
	return 1;
}

/*
 * Parses a Cookie header, "a=1; b=2" (RFC 6265 section 4.2).  Values are
 * not percent-decoded (cookies are opaque and ours are plain tokens);
 * one pair of surrounding double quotes is removed.  A pair without '=',
 * with a name that is not a token or over HS_MAX_KEY, or with a value
 * that is not all cookie-octets or over HS_MAX_FIELD is skipped, not an
 * error: other applications on the domain set cookies we do not control.
 * After HS_MAX_COOKIES good pairs the rest is ignored.
 * Returns HS_OK with *kv (NULL if none; free with hs_kv_free) and *n;
 * HS_ENOMEM, with nothing returned.  A NULL header has no cookies.
 */
enum hs_err
hs_cookie_parse(const char *h, struct hs_kv **kvp, size_t *np)
{
	struct hs_kv	*kv = NULL;
	const char	*p, *e, *next, *name, *val;
	size_t		 n = 0, nlen, vlen;
	enum hs_err	 rc = HS_OK;

	*kvp = NULL;
	*np = 0;
	for (p = h; p != NULL && n < HS_MAX_COOKIES; p = next) {
		e = p + strcspn(p, ";");
		next = *e == ';' ? e + 1 : NULL;
		if (!cookie_pair(p, e, &name, &nlen, &val, &vlen))
			continue;
		if (kv == NULL &&
		    (kv = hs_xcalloc(HS_MAX_COOKIES, sizeof(*kv))) == NULL) {
			rc = HS_ENOMEM;
			goto out;
		}
		if ((kv[n].key = hs_xstrndup(name, nlen)) == NULL ||
		    (kv[n].val = hs_xstrndup(val, vlen)) == NULL) {
			rc = HS_ENOMEM;
			goto out;
		}
		kv[n++].valsz = vlen;
	}
	if (n > 0) {
		*kvp = kv;
		*np = n;
		kv = NULL;
	}
out:
	hs_kv_free(kv, HS_MAX_COOKIES);
	return rc;
}

/*
 * Whether url is an absolute http or https URL hearsay may send someone
 * or something to: at most max bytes, none of them a space, control,
 * quote, angle bracket, backslash (browsers read it as a slash) or
 * non-ASCII byte (internationalised hosts in their punycode form), no
 * userinfo (https://good.example@evil.example), a host of letters,
 * digits, dots and hyphens or an IPv6 literal, and an optional port from
 * 1 to 65535.  Returns 1 with the host (*host, *hlen bytes, inside url),
 * or 0 with a reason in *why (a constant).  Invite-link destinations
 * (dest.c) and webhook URLs (webhook.c) both pass through it.
 */
int
hs_url_check(const char *url, size_t max, const char **host, size_t *hlen,
    const char **why)
{
	const char	*p, *auth, *end;
	size_t		 alen, i;
	long		 port = 0;

	*why = NULL;
	if (url == NULL || *url == '\0')
		*why = "empty";
	else if (strlen(url) > max)
		*why = "too long";
	if (*why != NULL)
		return 0;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '\\' || *p == '"' || *p == '<' || *p == '>') {
			*why = "space, control, quote, backslash or "
			    "non-ASCII byte";
			return 0;
		}
	if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		auth = url + 7;
	else {
		*why = "not an http or https URL";
		return 0;
	}
	alen = strcspn(auth, "/?#");
	if (memchr(auth, '@', alen) != NULL) {
		*why = "user information in the URL";
		return 0;
	}
	if (*auth == '[') {
		/* An IPv6 literal: hex, colons and dots only. */
		if ((end = memchr(auth, ']', alen)) == NULL ||
		    end == auth + 1) {
			*why = "bad IPv6 literal";
			return 0;
		}
		for (p = auth + 1; p < end; p++)
			if (strchr("0123456789abcdefABCDEF:.", *p) == NULL) {
				*why = "bad IPv6 literal";
				return 0;
			}
		end++;
	} else {
		end = auth;
		while (end < auth + alen && *end != ':')
			end++;
		for (p = auth; p < end; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' ||
			    *p == '.')) {
				*why = "bad character in the host";
				return 0;
			}
	}
	*host = auth;
	*hlen = (size_t)(end - auth);
	if (*hlen == 0 || *hlen > URL_HOST_MAX) {
		*why = "no host";
		return 0;
	}
	if (end == auth + alen)
		return 1;
	/* ":" then 1 to 5 digits, 1 to 65535. */
	for (p = end + 1, i = 0; p < auth + alen; p++, i++)
		if (i >= 5 || *p < '0' || *p > '9')
			break;
		else
			port = port * 10 + (*p - '0');
	if (*end != ':' || p != auth + alen || port < 1 || port > 65535) {
		*why = "bad port";
		return 0;
	}
	return 1;
}
