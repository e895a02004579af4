/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_code.c: invite codes (Crockford folding, homoglyphs refused),
 * signed tokens (forged, expired, wrong purpose), the client hash and
 * random hex of any size, internal addresses, the e-mail key.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"
#include "hs_check.h"

static const struct {
	const char	*in;
	const char	*want;	/* NULL: invalid */
} codes[] = {
	{ "7K2M9QXA", "7K2M9QXA" },
	{ "7k2m-9qxa", "7K2M9QXA" },
	{ " 7K2M 9QXA ", "7K2M9QXA" },
	{ "OIL0", "0110" },		/* O->0, I/L->1 */
	{ "oil0", "0110" },
	{ "DEMO-2024", "DEM02024" },
	{ "ABC", NULL },		/* too short */
	{ "", NULL },
	{ "----", NULL },
	{ "7K2U9QXA", NULL },		/* U is not Crockford */
	{ "ABC%0d%0aSet-Cookie", NULL },
	{ "ABC\r\nSet-Cookie: x=1", NULL },
	{ "\xd0\x90" "BCD", NULL },	/* Cyrillic A */
	{ "\xef\xbc\xa1" "BCD", NULL },	/* fullwidth A */
	{ "' OR 1=1-- ", NULL },
	{ "../../etc/passwd", NULL },
	{ "ABCD;DROP", NULL },
	{ "0123456789ABCDEFGHJKMNPQRSTVWXYZ0", NULL },	/* 33 > max */
	{ "0123456789ABCDEFGHJKMNPQRSTVWXYZ", "0123456789ABCDEFGHJKMNPQRSTVWXYZ" },
};

START_TEST(code_canon_table)
{
	char	 out[HS_CODE_MAX + 1];
	size_t	 i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		enum hs_err e = hs_code_canon(codes[i].in, out, sizeof(out));

		if (codes[i].want == NULL)
			ck_assert_msg(e != HS_OK, "row %zu accepted", i);
		else {
			ck_assert_msg(e == HS_OK, "row %zu refused", i);
			ck_assert_str_eq(out, codes[i].want);
		}
	}
}
END_TEST

START_TEST(code_new_is_canonical_and_random)
{
	char	 a[HS_CODE_LEN + 1], b[HS_CODE_LEN + 1], c[HS_CODE_MAX + 1];
	char	 g[HS_CODE_LEN + HS_CODE_LEN / 4 + 1];
	int	 i;

	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(hs_code_new(a, sizeof(a)), HS_OK);
		ck_assert_uint_eq(strlen(a), HS_CODE_LEN);
		ck_assert_int_eq(hs_code_canon(a, c, sizeof(c)), HS_OK);
		ck_assert_str_eq(a, c);
	}
	ck_assert_int_eq(hs_code_new(b, sizeof(b)), HS_OK);
	ck_assert_str_ne(a, b);		/* 2^-40 chance of a false fail */
	ck_assert_int_eq(hs_code_new(a, 5), HS_EINVAL);
	ck_assert_int_eq(hs_code_group("7K2M9QXA", g, sizeof(g)), HS_OK);
	ck_assert_str_eq(g, "7K2M-9QXA");
	ck_assert_int_eq(hs_code_canon(g, c, sizeof(c)), HS_OK);
	ck_assert_str_eq(c, "7K2M9QXA");
	ck_assert_int_eq(hs_code_group("7K2M9QXA", g, 9), HS_ETOOBIG);
}
END_TEST

static const unsigned char key[32] = { 1, 2, 3 };
static const unsigned char key2[32] = { 9 };

START_TEST(token_round_trip_and_forgery)
{
	struct hs_buf	 b;
	char		 out[64], *t;

	hs_buf_init(&b, 1024);
	ck_assert_int_eq(hs_token_sign(key, "signup", "user-42", 2000, &b),
	    HS_OK);
	t = hs_buf_take(&b);
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 1000, out,
	    sizeof(out)), HS_OK);
	ck_assert_str_eq(out, "user-42");
	/* Expired, wrong purpose, wrong key. */
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 2001, out,
	    sizeof(out)), HS_ENOTFOUND);
	ck_assert_int_eq(hs_token_verify(key, "form", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	ck_assert_int_eq(hs_token_verify(key2, "signup", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	/* Tampered payload, expiry and MAC. */
	t[0] ^= 1;
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	t[0] ^= 1;
	*strchr(t, '.') = ',';
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	*strchr(t, ',') = '.';
	t[strlen(t) - 1] = t[strlen(t) - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	free(t);
	/* Expiry pushed forward by hand keeps the old MAC: refused. */
	ck_assert_int_eq(hs_token_sign(key, "signup", "u", 2000, &b), HS_OK);
	t = hs_buf_take(&b);
	memcpy(strchr(t, '.') + 1, "9", 1);
	ck_assert_int_eq(hs_token_verify(key, "signup", t, 1000, out,
	    sizeof(out)), HS_EINVAL);
	free(t);
	static const char *const junk[] = { "", ".", "..", "a.b.c", "a.1.",
	    "!!.1.xx", "YQ.-1.x" };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		ck_assert_int_eq(hs_token_verify(key, "signup", junk[i], 0,
		    out, sizeof(out)), HS_EINVAL);
	hs_buf_free(&b);
}
END_TEST

START_TEST(token_limits)
{
	struct hs_buf	 b;
	char		 big[300], out[4];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	hs_buf_init(&b, 4096);
	ck_assert_int_eq(hs_token_sign(key, "p", big, 10, &b), HS_ETOOBIG);
	ck_assert_int_eq(hs_token_sign(key, "p", "hello", 10, &b), HS_OK);
	ck_assert_int_eq(hs_token_verify(key, "p", hs_buf_str(&b), 0, out,
	    sizeof(out)), HS_ETOOBIG);
	hs_buf_free(&b);
}
END_TEST

START_TEST(client_prefix_and_hash)
{
	char		 p[64], h1[65], h2[65], h3[65];
	unsigned char	 s1[32] = { 1 }, s2[32] = { 2 };

	ck_assert_int_eq(hs_client_prefix("203.0.113.77", p, sizeof(p)),
	    HS_OK);
	ck_assert_str_eq(p, "203.0.113.0/24");
	ck_assert_int_eq(hs_client_prefix("2001:db8:1:2:3::4", p, sizeof(p)),
	    HS_OK);
	ck_assert_str_eq(p, "2001:db8:1::/48");
	ck_assert_int_eq(hs_client_prefix("evil", p, sizeof(p)), HS_EINVAL);
	ck_assert_int_eq(hs_client_prefix("", p, sizeof(p)), HS_EINVAL);
	hs_client_hash(s1, "203.0.113.0/24", h1);
	hs_client_hash(s1, "203.0.113.0/24", h2);
	hs_client_hash(s2, "203.0.113.0/24", h3);
	ck_assert_uint_eq(strlen(h1), 64);
	ck_assert_str_eq(h1, h2);	/* same day: linkable */
	ck_assert_str_ne(h1, h3);	/* next day's salt: not */
	ck_assert_ptr_null(strstr(h1, "203"));
}
END_TEST

/*
 * The e-mail key (issue 22): HMAC-SHA-256(key, "email" NUL sha256hex),
 * checked against values computed independently with Python's hashlib
 * and hmac (key bytes 0..31, address jose@example.org):
 *   sha = hashlib.sha256(b"jose@example.org").hexdigest()
 *   hmac.new(bytes(range(32)), b"email\0" + sha.encode(),
 *       hashlib.sha256).hexdigest()
 * The address is normalised (trimmed, lower-cased) before hashing, an
 * upper-case SHA-256 keys like its lower-case form, and anything but
 * 64 hex digits is refused.  The key is neither the address nor its
 * plain SHA-256, and another hmac_key gives another value.
 */
START_TEST(email_key_vector)
{
	static const char sha[] =
	    "b46326a7db110f1eb2b8c1a2ee203eeeeb53840061f60056fb02b4361dff2164";
	static const char want[] =
	    "7d98cda3817d799deb94745fcf98d36f745a3e4be9ab987c46d7ff89680b16ad";
	unsigned char	 k[32], k2[32];
	char		 h[65], out[65], up[65], other[65];
	size_t		 i;

	for (i = 0; i < sizeof(k); i++)
		k[i] = (unsigned char)i;
	memcpy(k2, k, sizeof(k2));
	k2[0] ^= 1;
	hs_email_sha256("jose@example.org", h);
	ck_assert_str_eq(h, sha);
	hs_email_sha256("  Jose@Example.ORG\n", h);
	ck_assert_str_eq(h, sha);
	ck_assert_int_eq(hs_email_key(k, sha, out), HS_OK);
	ck_assert_str_eq(out, want);
	ck_assert_str_ne(out, sha);
	for (i = 0; i < 64; i++)
		up[i] = sha[i] >= 'a' ? (char)(sha[i] - 'a' + 'A') : sha[i];
	up[64] = '\0';
	ck_assert_int_eq(hs_email_key(k, up, h), HS_OK);
	ck_assert_str_eq(h, want);
	ck_assert_int_eq(hs_email_key(k2, sha, other), HS_OK);
	ck_assert_str_ne(other, want);
	ck_assert_int_eq(hs_email_key(k, "jose@example.org", h), HS_EINVAL);
	ck_assert_int_eq(hs_email_key(k, "", h), HS_EINVAL);
	ck_assert_int_eq(hs_email_key(k, sha + 1, h), HS_EINVAL);
	(void)snprintf(up, sizeof(up), "%.63sg", sha);
	ck_assert_int_eq(hs_email_key(k, up, h), HS_EINVAL);
}
END_TEST

START_TEST(hex_and_ct_equal)
{
	unsigned char	 b[2];
	char		 r[9];

	ck_assert_int_eq(hs_unhex("0aff", b, 2), HS_OK);
	ck_assert_int_eq(b[1], 0xff);
	ck_assert_int_eq(hs_unhex("0af", b, 2), HS_EINVAL);
	ck_assert_int_eq(hs_unhex("0afg", b, 2), HS_EINVAL);
	ck_assert_int_eq(hs_ct_equal("abc", "abc"), 1);
	ck_assert_int_eq(hs_ct_equal("abc", "abd"), 0);
	ck_assert_int_eq(hs_ct_equal("abc", "ab"), 0);
	hs_rand_hex(r, sizeof(r));
	ck_assert_uint_eq(strlen(r), 8);
	ck_assert_uint_eq(strspn(r, "0123456789abcdef"), 8);
}
END_TEST

/*
 * hs_rand_hex writes exactly sz bytes: sz - 1 hex digits and a NUL, for
 * odd and even sizes and sizes past its internal buffer.  Each buffer is
 * malloc'd at exactly sz bytes, so under ASan one byte past it aborts
 * the test; the old code wrote sz + 1 bytes for an even sz and left
 * digits unwritten past 129.
 */
START_TEST(rand_hex_any_size)
{
	char	*a, *b;
	size_t	 sz, i;

	hs_rand_hex(NULL, 0);	/* nothing to write, nothing written */
	for (sz = 1; sz <= 300; sz++) {
		ck_assert_ptr_nonnull(a = malloc(sz));
		ck_assert_ptr_nonnull(b = malloc(sz));
		hs_rand_hex(a, sz);
		hs_rand_hex(b, sz);
		ck_assert_uint_eq(strlen(a), sz - 1);
		for (i = 0; i + 1 < sz; i++)
			ck_assert_msg(a[i] != '\0' &&
			    strchr("0123456789abcdef", a[i]) != NULL,
			    "size %zu: byte %zu is %#x", sz, i,
			    (unsigned)(unsigned char)a[i]);
		if (sz > 17)	/* 64 random bits or more: never equal */
			ck_assert_str_ne(a, b);
		free(a);
		free(b);
	}
}
END_TEST

/* Internal addresses, which webhooks refuse unless allowed. */
static const struct {
	const char	*addr;
	int		 want;	/* 1 internal, 0 public, -1 not an address */
} addrs[] = {
	{ "127.0.0.1", 1 }, { "127.1.2.3", 1 }, { "10.0.0.1", 1 },
	{ "172.16.0.1", 1 }, { "172.31.255.255", 1 }, { "172.32.0.1", 0 },
	{ "172.15.255.255", 0 }, { "192.168.1.1", 1 }, { "169.254.169.254", 1 },
	{ "100.64.0.1", 1 }, { "100.127.255.255", 1 }, { "100.128.0.1", 0 },
	{ "0.0.0.0", 1 }, { "192.0.0.8", 1 }, { "198.18.0.1", 1 },
	{ "198.20.0.1", 0 }, { "224.0.0.1", 1 }, { "255.255.255.255", 1 },
	{ "8.8.8.8", 0 }, { "93.184.216.34", 0 }, { "192.0.2.1", 0 },
	{ "::1", 1 }, { "::", 1 }, { "fe80::1", 1 }, { "febf::1", 1 },
	{ "fec0::1", 1 }, { "fc00::1", 1 }, { "fd12:3456::1", 1 },
	{ "ff02::1", 1 }, { "::ffff:127.0.0.1", 1 }, { "::ffff:10.1.2.3", 1 },
	{ "::ffff:8.8.8.8", 0 }, { "64:ff9b::169.254.169.254", 1 },
	{ "64:ff9b::8.8.8.8", 0 }, { "2001:db8::1", 0 },
	{ "2606:4700:4700::1111", 0 },
	{ "localhost", -1 }, { "example.org", -1 }, { "", -1 },
	{ "127.0.0.1/8", -1 },
};

START_TEST(addr_internal_table)
{
	size_t	 i;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		ck_assert_msg(hs_addr_internal_str(addrs[i].addr) ==
		    addrs[i].want, "%s: want %d", addrs[i].addr, addrs[i].want);
	ck_assert_int_eq(hs_addr_internal(NULL), 1);
}
END_TEST

/*
 * Capability tokens: a new one is HS_CAP_HEX lowercase hex and its hash
 * is what hs_cap_hash gives for it; anything not exactly that shape is
 * "no such page".
 */
START_TEST(cap_tokens)
{
	char	 tok[HS_CAP_HEX + 1], h1[65], h2[65], bad[HS_CAP_HEX + 2];

	hs_cap_new(tok, h1);
	ck_assert_uint_eq(strlen(tok), HS_CAP_HEX);
	ck_assert_uint_eq(strspn(tok, "0123456789abcdef"), HS_CAP_HEX);
	ck_assert_int_eq(hs_cap_hash(tok, h2), HS_OK);
	ck_assert_str_eq(h1, h2);
	ck_assert_str_ne(h1, tok);
	memcpy(bad, tok, sizeof(tok));
	bad[0] = 'A';
	ck_assert_int_eq(hs_cap_hash(bad, h2), HS_ENOTFOUND);
	bad[0] = 'g';
	ck_assert_int_eq(hs_cap_hash(bad, h2), HS_ENOTFOUND);
	bad[HS_CAP_HEX - 1] = '\0';
	ck_assert_int_eq(hs_cap_hash(bad, h2), HS_ENOTFOUND);
	memcpy(bad, tok, HS_CAP_HEX);
	bad[HS_CAP_HEX] = 'a';
	bad[HS_CAP_HEX + 1] = '\0';
	ck_assert_int_eq(hs_cap_hash(bad, h2), HS_ENOTFOUND);
	ck_assert_int_eq(hs_cap_hash("", h2), HS_ENOTFOUND);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("code");
	TCase	*core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, code_canon_table);
	tcase_add_test(core, code_new_is_canonical_and_random);
	tcase_add_test(core, client_prefix_and_hash);
	tcase_add_test(core, hex_and_ct_equal);
	tcase_add_test(core, cap_tokens);
	tcase_add_test(core, email_key_vector);
	tcase_add_test(core, rand_hex_any_size);
	tcase_add_test(core, addr_internal_table);
	tcase_add_test(errors, token_round_trip_and_forgery);
	tcase_add_test(errors, token_limits);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{

	hs_crypto_init();
	return hs_check_run(suite());
}
