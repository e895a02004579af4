/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * webhook.c: the rules of a webhook that hearsay-admin (which adds
 * them) and hearsay-webhook (which sends) share: which URLs may be one,
 * and the signing secret derived from a webhook's stored nonce.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "hearsay.h"

/*
 * Whether url may be a webhook: at most HS_WEBHOOK_URL_MAX printable
 * ASCII bytes (so no CR, LF, space or other control byte can reach a
 * request line or a log), http or https, a host, an optional numeric
 * port, and no user:password (it would show in "webhook list" and in
 * logs).  Returns 1 or 0.
 */
int
hs_webhook_url_ok(const char *url)
{
	const char	*auth, *end, *host_end, *p;
	size_t		 i, n = strlen(url);
	long		 port = 0;

	if (n == 0 || n > HS_WEBHOOK_URL_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 ||
		    (unsigned char)url[i] >= 0x7f)
			return 0;
	if (strncasecmp(url, "http://", 7) == 0)
		auth = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else
		return 0;
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return 0;
	if (*auth == '[') {		/* an IPv6 literal */
		if ((host_end = memchr(auth, ']', (size_t)(end - auth))) ==
		    NULL || host_end == auth + 1)
			return 0;
		host_end++;
	} else {
		host_end = memchr(auth, ':', (size_t)(end - auth));
		if (host_end == NULL)
			host_end = end;
		if (host_end == auth)
			return 0;
	}
	if (host_end == end)
		return 1;
	if (*host_end != ':' || host_end + 1 == end)
		return 0;
	for (p = host_end + 1; p < end; p++) {
		if (*p < '0' || *p > '9' || (port = port * 10 + (*p - '0')) >
		    65535)
			return 0;
	}
	return port > 0;
}

#define WEBHOOK_SECRET_PREFIX	"whsec_"
#define WEBHOOK_KDF_LABEL	"hearsay-webhook" /* + NUL + nonce */

/*
 * The signing secret of a webhook: "whsec_" and the hex of
 * HMAC-SHA-256(hmac_key, WEBHOOK_KDF_LABEL NUL nonce).  Receivers use
 * the whole string as their HMAC key.  No other MAC under hmac_key has
 * this input shape (tokens: purpose NUL payload NUL expiry, two NULs;
 * the report's CSRF MAC: "csrf" NUL; API submission ids: no NUL), so
 * nothing hearsay hands out elsewhere equals a webhook secret.
 * hearsay-admin prints it (webhook add, rotate); hearsay-webhook signs
 * with it.
 */
void
hs_webhook_secret(const unsigned char key[32], const char *nonce,
    char out[HS_WEBHOOK_SECRET_LEN + 1])
{
	unsigned char	 in[sizeof(WEBHOOK_KDF_LABEL) + HS_WEBHOOK_NONCE_HEX];
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	size_t		 n = strlen(nonce);

	if (n > HS_WEBHOOK_NONCE_HEX)
		n = HS_WEBHOOK_NONCE_HEX;
	memcpy(in, WEBHOOK_KDF_LABEL, sizeof(WEBHOOK_KDF_LABEL)); /* + NUL */
	memcpy(in + sizeof(WEBHOOK_KDF_LABEL), nonce, n);
	hs_hmac(key, in, sizeof(WEBHOOK_KDF_LABEL) + n, mac);
	memcpy(out, WEBHOOK_SECRET_PREFIX, sizeof(WEBHOOK_SECRET_PREFIX) - 1);
	hs_hex(mac, sizeof(mac), out + sizeof(WEBHOOK_SECRET_PREFIX) - 1);
	sodium_memzero(mac, sizeof(mac));
}
