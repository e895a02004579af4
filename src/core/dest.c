/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * dest.c: the destination validator.  An invite link may only send a
 * person to an http or https URL on a host its campaign allows, with no
 * userinfo (https://good.example@evil.example), no backslash (browsers
 * read it as a slash), no space, control byte or non-ASCII byte
 * (internationalised hosts are stored in their punycode form).  The same
 * function checks a destination when hearsay-admin stores it and again,
 * with the parameters appended, right before hearsay-link answers 302, so
 * a row forced into the database by hand cannot split a header or open a
 * redirect to an arbitrary site.  It lives in core because both programs
 * need it and programs meet only in core and in the database.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "hearsay.h"

#define HOST_MAX	253	/* bytes in a DNS name */

/*
 * Returns 1 if host (hlen bytes, lower case) matches an entry of the
 * space-separated allowlist hosts: an exact name, or "*.example.org",
 * which matches any subdomain of example.org but not example.org itself.
 */
int
hs_host_allowed(const char *host, size_t hlen, const char *hosts)
{
	const char	*p = hosts;
	size_t		 len;

	if (hosts == NULL)
		return 0;
	for (;;) {
		p += strspn(p, " \t,");
		if ((len = strcspn(p, " \t,")) == 0)
			return 0;
		if (len == hlen && strncasecmp(p, host, len) == 0)
			return 1;
		if (len > 2 && p[0] == '*' && p[1] == '.' && hlen > len - 1 &&
		    strncasecmp(p + 1, host + hlen - (len - 1), len - 1) == 0)
			return 1;
		p += len;
	}
}

/*
 * Returns 1 if url is a destination a link of a campaign with the given
 * allowlist may redirect to, else 0 with a reason in *why (a constant,
 * when why is not NULL).
 */
int
hs_dest_valid(const char *url, const char *hosts, const char **why)
{
	const char	*p, *auth, *host, *end;
	size_t		 alen, hlen, i;
	const char	*reason = NULL;
	long		 port;

	if (url == NULL || *url == '\0') {
		reason = "empty";
		goto out;
	}
	if (strlen(url) > HS_LOC_MAX) {
		reason = "too long";
		goto out;
	}
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '\\' || *p == '"' || *p == '<' || *p == '>') {
			reason = "space, control, quote, backslash or "
			    "non-ASCII byte";
			goto out;
		}
	if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		auth = url + 7;
	else {
		reason = "not an http or https URL";
		goto out;
	}
	alen = strcspn(auth, "/?#");
	if (memchr(auth, '@', alen) != NULL) {
		reason = "user information in the URL";
		goto out;
	}
	host = auth;
	if (*host == '[') {
		/* An IPv6 literal: hex, colons and dots only. */
		if ((end = memchr(host, ']', alen)) == NULL) {
			reason = "bad IPv6 literal";
			goto out;
		}
		end++;
		for (i = 1; host + i < end - 1; i++)
			if (strchr("0123456789abcdefABCDEF:.", host[i]) ==
			    NULL) {
				reason = "bad IPv6 literal";
				goto out;
			}
	} else {
		end = host;
		while (end < auth + alen && *end != ':')
			end++;
	}
	hlen = (size_t)(end - host);
	if (hlen == 0 || hlen > HOST_MAX) {
		reason = "no host";
		goto out;
	}
	if (*host != '[')
		for (i = 0; i < hlen; i++)
			if (!((host[i] >= 'a' && host[i] <= 'z') ||
			    (host[i] >= 'A' && host[i] <= 'Z') ||
			    (host[i] >= '0' && host[i] <= '9') ||
			    host[i] == '-' || host[i] == '.')) {
				reason = "bad character in the host";
				goto out;
			}
	if (end < auth + alen) {
		if (*end != ':' || end + 1 == auth + alen ||
		    auth + alen - (end + 1) > 5) {
			reason = "bad port";
			goto out;
		}
		port = 0;
		for (p = end + 1; p < auth + alen; p++) {
			if (*p < '0' || *p > '9') {
				reason = "bad port";
				goto out;
			}
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535) {
			reason = "bad port";
			goto out;
		}
	}
	if (!hs_host_allowed(host, hlen, hosts)) {
		reason = "host not on the campaign's allowlist";
		goto out;
	}
out:
	if (why != NULL)
		*why = reason;
	return reason == NULL;
}
