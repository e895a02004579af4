/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * crypto.c: randomness, HMAC-SHA-256 and signed, expiring tokens, all
 * from libsodium, because hand-written crypto is where good C programs
 * go wrong.  A token is b64url(payload) "." expiry "." b64url(mac) where
 * the MAC covers a purpose string too, so a token minted for one use
 * (a survey signup reference) cannot be replayed as another (a CSRF
 * form token).
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hearsay.h"

#define TOKEN_MAXPAYLOAD	256	/* bytes of payload in a token */
#define TOKEN_MAC		crypto_auth_hmacsha256_BYTES
#define REF_HASH_PURPOSE	"signup-erasure" /* hs_ref_hash's own MAC */
#define EMAIL_MAXLEN		320	/* bytes of an address hashed */
#define EMAIL_KEY_LABEL		"email"	/* HMAC domain, NUL-terminated */

void
hs_crypto_init(void)
{

	if (sodium_init() < 0)
		errx(1, "libsodium failed to initialise");
}

void
hs_rand_bytes(void *p, size_t sz)
{

	randombytes_buf(p, sz);
}

/*
 * Fills out[0 .. sz - 2] with random lowercase hex digits and out[sz - 1]
 * with a NUL: exactly sz bytes, for any sz, odd or even, however large.
 * Each random byte gives two digits; an odd digit count leaves half of
 * the last byte unused rather than writing past out.
 */
void
hs_rand_hex(char *out, size_t sz)
{
	static const char	 d[] = "0123456789abcdef";
	unsigned char		 b[32];
	size_t			 i, j = 2 * sizeof(b);

	if (sz == 0)
		return;
	for (i = 0; i + 1 < sz; i++, j++) {
		if (j == 2 * sizeof(b)) {
			randombytes_buf(b, sizeof(b));
			j = 0;
		}
		out[i] = d[j % 2 == 0 ? b[j / 2] >> 4 : b[j / 2] & 0xf];
	}
	out[i] = '\0';
	sodium_memzero(b, sizeof(b));
}

/* Writes 2 * n lowercase hex digits and a NUL into out. */
void
hs_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	 d[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Decodes exactly 2 * n hex digits.  Returns HS_EINVAL otherwise. */
enum hs_err
hs_unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t	 bin;

	if (strlen(hex) != 2 * n ||
	    sodium_hex2bin(out, n, hex, 2 * n, NULL, &bin, NULL) != 0 ||
	    bin != n)
		return HS_EINVAL;
	return HS_OK;
}

/* HMAC-SHA-256 of data under a 32-byte key. */
void
hs_hmac(const unsigned char *key, const void *data, size_t sz,
    unsigned char mac[32])
{
	crypto_auth_hmacsha256_state	 st;

	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, data, sz);
	crypto_auth_hmacsha256_final(&st, mac);
}

/*
 * Writes the hex keyed hash of a signup reference, as an erasure
 * tombstone keeps it (sql/100): HMAC-SHA-256 under the secrets file's
 * hmac_key, over a purpose string of its own and the reference, so it
 * matches no token's or other use's MAC, and a stolen table cannot be
 * turned back into references without the key.
 */
void
hs_ref_hash(const unsigned char *key, const char *ref, char out[65])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st,
	    (const unsigned char *)REF_HASH_PURPOSE,
	    sizeof(REF_HASH_PURPOSE));	/* with its NUL, as tokenmac */
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ref,
	    strlen(ref));
	crypto_auth_hmacsha256_final(&st, mac);
	hs_hex(mac, sizeof(mac), out);
	sodium_memzero(&st, sizeof(st));
}

/*
 * Writes the lowercase hex SHA-256 of an e-mail address as the survey
 * API takes it (hearsay-survey(8)): leading and trailing white space
 * dropped, ASCII letters lower-cased.  Addresses longer than
 * EMAIL_MAXLEN are cut there (none is valid: RFC 5321 allows 254).
 */
void
hs_email_sha256(const char *email, char out[65])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 low[EMAIL_MAXLEN];
	size_t		 i, n = 0;

	while (isspace((unsigned char)*email))
		email++;
	for (i = 0; email[i] != '\0' && n < sizeof(low); i++)
		low[n++] = (char)tolower((unsigned char)email[i]);
	while (n > 0 && isspace((unsigned char)low[n - 1]))
		n--;
	crypto_hash_sha256(h, (const unsigned char *)low, n);
	hs_hex(h, sizeof(h), out);
	sodium_memzero(low, sizeof(low));
}

/*
 * The e-mail key stored in advocates and signups (issue 22): the hex
 * HMAC-SHA-256 under hmac_key of "email" NUL and the lowercase hex
 * SHA-256 of the address.  A plain SHA-256 lets anyone holding a dump
 * confirm a guessed address; without hmac_key this cannot.  Apps still
 * send the plain SHA-256, and a stored plain hash is exactly the input,
 * so old rows can be keyed (hearsay-admin migrate).  sha256hex is 64
 * hex digits of either case (upper-case is folded: the column compared
 * case-insensitively before).  Returns HS_EINVAL for anything else.
 */
enum hs_err
hs_email_key(const unsigned char key[32], const char *sha256hex,
    char out[65])
{
	char		 in[sizeof(EMAIL_KEY_LABEL) + 64];
	unsigned char	 mac[crypto_auth_hmacsha256_BYTES];
	size_t		 i;

	if (strlen(sha256hex) != 64 ||
	    strspn(sha256hex, "0123456789abcdefABCDEF") != 64)
		return HS_EINVAL;
	memcpy(in, EMAIL_KEY_LABEL, sizeof(EMAIL_KEY_LABEL));
	for (i = 0; i < 64; i++)
		in[sizeof(EMAIL_KEY_LABEL) + i] =
		    (char)tolower((unsigned char)sha256hex[i]);
	hs_hmac(key, in, sizeof(in), mac);
	hs_hex(mac, sizeof(mac), out);
	return HS_OK;
}

/* The MAC over purpose, payload and expiry, NUL-separated. */
static void
tokenmac(const unsigned char *key, const char *purpose, const char *payload,
    long long expiry, unsigned char mac[TOKEN_MAC])
{
	crypto_auth_hmacsha256_state	 st;
	char				 exp[32];

	(void)snprintf(exp, sizeof(exp), "%lld", expiry);
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose,
	    strlen(purpose) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)payload,
	    strlen(payload) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)exp,
	    strlen(exp));
	crypto_auth_hmacsha256_final(&st, mac);
}

/*
 * Appends a token for payload, valid until expiry (Unix seconds), to b.
 * Returns HS_ETOOBIG for an oversized payload, else as hs_buf.
 */
enum hs_err
hs_token_sign(const unsigned char *key, const char *purpose,
    const char *payload, long long expiry, struct hs_buf *b)
{
	char		 p64[sodium_base64_ENCODED_LEN(TOKEN_MAXPAYLOAD,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char		 m64[sodium_base64_ENCODED_LEN(TOKEN_MAC,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	unsigned char	 mac[TOKEN_MAC];
	size_t		 len = strlen(payload);

	if (len > TOKEN_MAXPAYLOAD)
		return HS_ETOOBIG;
	tokenmac(key, purpose, payload, expiry, mac);
	sodium_bin2base64(p64, sizeof(p64), (const unsigned char *)payload,
	    len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(m64, sizeof(m64), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return hs_buf_printf(b, "%s.%lld.%s", p64, expiry, m64);
}

/*
 * Checks a token made by hs_token_sign for purpose and copies its
 * payload into out.  Returns HS_EINVAL for a malformed or forged token
 * (MACs compared in constant time), HS_ENOTFOUND when it expired before
 * now, HS_ETOOBIG if out is too small, else HS_OK.
 */
enum hs_err
hs_token_verify(const unsigned char *key, const char *purpose,
    const char *tok, long long now, char *out, size_t outsz)
{
	char		 payload[TOKEN_MAXPAYLOAD + 1];
	unsigned char	 mac[TOKEN_MAC], want[TOKEN_MAC];
	const char	*d1, *d2, *end;
	size_t		 plen, mlen;
	long long	 expiry;
	char		*ep;

	if ((d1 = strchr(tok, '.')) == NULL ||
	    (d2 = strchr(d1 + 1, '.')) == NULL || d2 == d1 + 1)
		return HS_EINVAL;
	if (sodium_base642bin((unsigned char *)payload, TOKEN_MAXPAYLOAD,
	    tok, (size_t)(d1 - tok), NULL, &plen, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != d1)
		return HS_EINVAL;
	payload[plen] = '\0';
	if (strlen(payload) != plen || !hs_utf8_valid(payload, plen))
		return HS_EINVAL;
	if (d1[1] < '0' || d1[1] > '9')
		return HS_EINVAL;
	expiry = strtoll(d1 + 1, &ep, 10);
	if (ep != d2)
		return HS_EINVAL;
	if (sodium_base642bin(mac, sizeof(mac), d2 + 1, strlen(d2 + 1), NULL,
	    &mlen, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    *end != '\0' || mlen != sizeof(mac))
		return HS_EINVAL;
	tokenmac(key, purpose, payload, expiry, want);
	if (sodium_memcmp(mac, want, sizeof(mac)) != 0)
		return HS_EINVAL;
	if (expiry < now)
		return HS_ENOTFOUND;
	if (plen >= outsz)
		return HS_ETOOBIG;
	memcpy(out, payload, plen + 1);
	return HS_OK;
}

/* Constant-time string equality (lengths may leak). */
int
hs_ct_equal(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/*
 * A new capability token for a page's URL, and the hex of its SHA-256,
 * which is all that is stored: a database dump opens no page.
 */
void
hs_cap_new(char tok[HS_CAP_HEX + 1], char hash[65])
{
	unsigned char	 raw[HS_CAP_BYTES];

	hs_rand_bytes(raw, sizeof(raw));
	hs_hex(raw, sizeof(raw), tok);
	sodium_memzero(raw, sizeof(raw));
	if (hs_cap_hash(tok, hash) != HS_OK)
		abort();	/* hs_hex writes lowercase hex */
}

/*
 * The stored form of a capability token from a URL: HS_ENOTFOUND when
 * tok is not exactly HS_CAP_HEX lowercase hex digits (a forged or cut
 * token is "no such page", without a query), else HS_OK and the hex of
 * its SHA-256 in hash.
 */
enum hs_err
hs_cap_hash(const char *tok, char hash[65])
{
	unsigned char	 sum[crypto_hash_sha256_BYTES];
	size_t		 i;

	if (strlen(tok) != HS_CAP_HEX)
		return HS_ENOTFOUND;
	for (i = 0; i < HS_CAP_HEX; i++)
		if (!((tok[i] >= '0' && tok[i] <= '9') ||
		    (tok[i] >= 'a' && tok[i] <= 'f')))
			return HS_ENOTFOUND;
	crypto_hash_sha256(sum, (const unsigned char *)tok, HS_CAP_HEX);
	hs_hex(sum, sizeof(sum), hash);
	return HS_OK;
}
