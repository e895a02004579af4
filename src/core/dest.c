/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * dest.c: the destination validator.  An invite link may only send a
 * person to an http or https URL on a host its campaign allows, with no
 * userinfo (https://good.example@evil.example), no backslash (browsers
 * read it as a slash), no space, control byte or non-ASCII byte
 * (internationalised hosts are stored in their punycode form): url.c's
 * hs_url_check, then the allowlist.  The same
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
	const char	*host, *reason = NULL;
	size_t		 hlen;

	if (!hs_url_check(url, HS_LOC_MAX, &host, &hlen, &reason))
		goto out;
	if (!hs_host_allowed(host, hlen, hosts))
		reason = "host not on the campaign's allowlist";
out:
	if (why != NULL)
		*why = reason;
	return reason == NULL;
}
