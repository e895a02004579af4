/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * privacy.c: the pseudonymous client hash.  A raw address is never
 * stored: it is cut to its network (IPv4 /24, IPv6 /48, enough to tell
 * a venue's Wi-Fi from a bot farm) and put through HMAC-SHA-256 with a
 * salt that lives for one UTC day and is then destroyed, so the same
 * visitor is unlinkable across days and the hash cannot be reversed by
 * enumerating the address space once the salt is gone.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "hearsay.h"

/*
 * Writes the network prefix of addr ("203.0.113.0/24", "2001:db8:1::/48").
 * Returns HS_EINVAL for anything that is not an IP address.
 */
enum hs_err
hs_client_prefix(const char *addr, char *out, size_t sz)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 s[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET, addr, &a4) == 1) {
		((unsigned char *)&a4)[3] = 0;
		if (inet_ntop(AF_INET, &a4, s, sizeof(s)) == NULL)
			return HS_EINVAL;
		return snprintf(out, sz, "%s/24", s) < (int)sz ?
		    HS_OK : HS_ETOOBIG;
	}
	if (inet_pton(AF_INET6, addr, &a6) == 1) {
		memset(&a6.s6_addr[6], 0, 10);
		if (inet_ntop(AF_INET6, &a6, s, sizeof(s)) == NULL)
			return HS_EINVAL;
		return snprintf(out, sz, "%s/48", s) < (int)sz ?
		    HS_OK : HS_ETOOBIG;
	}
	return HS_EINVAL;
}

/* Writes the hex HMAC of prefix under the day's 32-byte salt. */
void
hs_client_hash(const unsigned char salt[32], const char *prefix,
    char out[65])
{
	unsigned char	 mac[32];

	hs_hmac(salt, prefix, strlen(prefix), mac);
	hs_hex(mac, sizeof(mac), out);
}
