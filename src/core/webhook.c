/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * webhook.c: the rules of a webhook that hearsay-admin (which adds
 * them) and hearsay-webhook (which sends) share: which URLs may be one,
 * and the signing secret derived from a webhook's stored nonce.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "hearsay.h"

/*
 * Whether url may be a webhook: an http or https URL that passes
 * hs_url_check within HS_WEBHOOK_URL_MAX bytes (so no CR, LF, space or
 * other control byte can reach a request line or a log, and no
 * user:password shows in "webhook list" and in logs).  Returns 1 or 0.
 */
int
hs_webhook_url_ok(const char *url)
{
	const char	*host, *why;
	size_t		 hlen;

	return hs_url_check(url, HS_WEBHOOK_URL_MAX, &host, &hlen, &why);
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
