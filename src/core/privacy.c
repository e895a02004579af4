/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * privacy.c: the pseudonymous client hash.  A raw address is never
 * stored: it is cut to its network (IPv4 /24, IPv6 /48, enough to tell
 * a venue's Wi-Fi from a bot farm) and put through HMAC-SHA-256 with a
 * salt that lives for one UTC day and is then destroyed, so the same
 * visitor is unlinkable across days and the hash cannot be reversed by
 * enumerating the address space once the salt is gone.
 *
 * It also says which addresses are internal, so that a request hearsay
 * makes itself (a webhook) cannot be pointed at the host's own services
 * or its private network (the cloud metadata service at 169.254.169.254,
 * a database's HTTP port, an admin page on the LAN).
 */
#include "config.h"

#include <sys/socket.h>

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

/*
 * Whether the IPv4 address a (network byte order, 4 bytes) is internal:
 * "this network" 0/8, private 10/8, 172.16/12 and 192.168/16, shared
 * (carrier NAT) 100.64/10, loopback 127/8, link-local 169.254/16, the
 * IETF protocol block 192.0.0/24, benchmarking 198.18/15, multicast
 * 224/4 and reserved 240/4 with broadcast.  Returns 1 or 0.
 */
static int
v4_internal(const unsigned char *a)
{

	return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64) ||
	    (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
	    (a[0] == 192 && a[1] == 168) ||
	    (a[0] == 198 && (a[1] & 0xfe) == 18) ||
	    a[0] >= 224;
}

/* Whether the IPv6 address a (16 bytes) is internal: see below. */
static int
v6_internal(const unsigned char *a)
{
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
					    0, 0, 0xff, 0xff };
	static const unsigned char	 zero[12];
	static const unsigned char	 nat64[12] = { 0, 0x64, 0xff, 0x9b };

	if (memcmp(a, mapped, 12) == 0 || memcmp(a, zero, 12) == 0 ||
	    memcmp(a, nat64, 12) == 0)
		return v4_internal(a + 12);	/* ::, ::1 are 0/8 here */
	return (a[0] == 0xfe && (a[1] & 0x80) == 0x80) ||	/* fe80, fec0 */
	    (a[0] & 0xfe) == 0xfc || a[0] == 0xff;
}

/*
 * Whether sa is an internal address (above; for IPv6: unspecified,
 * loopback, link-local fe80::/10, site-local fec0::/10, unique local
 * fc00::/7, multicast ff00::/8, and an IPv4 address in IPv4-mapped
 * ::ffff:0:0/96, IPv4-compatible ::/96 or NAT64 64:ff9b::/96 form
 * judged as IPv4).  Anything that is not IPv4 or IPv6 counts as
 * internal.  The address is copied out with memcpy, never read through
 * a cast of another struct type: an optimised build (-O2, strict
 * aliasing) judged addresses made by hs_addr_internal_str wrongly.
 * Returns 1 or 0.
 */
int
hs_addr_internal(const struct sockaddr *sa)
{
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;

	if (sa == NULL)
		return 1;
	if (sa->sa_family == AF_INET) {
		memcpy(&s4, sa, sizeof(s4));
		return v4_internal((const unsigned char *)&s4.sin_addr);
	}
	if (sa->sa_family != AF_INET6)
		return 1;
	memcpy(&s6, sa, sizeof(s6));
	return v6_internal(s6.sin6_addr.s6_addr);
}

/*
 * The same for an address as text.  Returns 1 or 0, or -1 when s is not
 * an IPv4 or IPv6 address (a host name, say).
 */
int
hs_addr_internal_str(const char *s)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (inet_pton(AF_INET, s, &a4) == 1)
		return v4_internal((const unsigned char *)&a4);
	if (inet_pton(AF_INET6, s, &a6) == 1)
		return v6_internal(a6.s6_addr);
	return -1;
}
