/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_conf.c: the config reader: defaults, every kind of bad line
 * (with its line number), and the secrets file's permission check.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"
#include "hs_check.h"

static char	dir[] = "/tmp/hs-conf-XXXXXX";
static char	conf[256], secrets[256];

static void
setup(void)
{

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/hearsay.conf", dir);
	snprintf(secrets, sizeof(secrets), "%s/secrets", dir);
}

static void
teardown(void)
{

	unlink(conf);
	unlink(secrets);
	rmdir(dir);
}

static void
put(const char *path, const char *text, mode_t mode)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Writes conf with a secrets_file line prepended. */
static void
putconf(const char *text)
{
	char	 buf[2048];

	snprintf(buf, sizeof(buf), "secrets_file = %s\n%s", secrets, text);
	put(conf, buf, 0644);
}

#define KEY64 "00112233445566778899aabbccddeeff" \
	      "00112233445566778899aabbccddeeff"

START_TEST(conf_defaults_and_values)
{
	struct hs_conf	 c;
	char		 err[256];

	put(secrets, "db_password = s3cret\nhmac_key = " KEY64 "\n", 0600);
	putconf("# comment\n\n  workers = 4  \ndb_name=hs_test\n"
	    "cookie_domain = \nbase_url = https://go.example\n"
	    "trusted_proxies = 10.0.0.0/8, 192.0.2.7 2001:db8::/32\n");
	ck_assert_int_eq(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	ck_assert_int_eq(c.workers, 4);
	ck_assert_str_eq(c.db_name, "hs_test");
	ck_assert_str_eq(c.base_url, "https://go.example");
	ck_assert_ptr_null(c.cookie_domain);
	ck_assert_str_eq(c.trusted_proxies, "10.0.0.0/8, 192.0.2.7 2001:db8::/32");
	ck_assert_str_eq(c.click_param, "hs_click");	/* default */
	ck_assert_int_eq(c.cookie_days, 90);
	ck_assert_str_eq(c.db_password, "s3cret");
	ck_assert_int_eq(c.have_hmac_key, 1);
	ck_assert_int_eq(c.hmac_key[1], 0x11);
	hs_conf_free(&c);
}
END_TEST

static const struct {
	const char	*text;
	const char	*want;	/* substring of the error */
} bad[] = {
	{ "workers = 4\nbogus = 1\n", ":3: unknown key \"bogus\"" },
	{ "workers = many\n", ":2: workers: not a number" },
	{ "workers = 0\n", ":2: workers: not a number in 1..256" },
	{ "workers = 4x\n", ":2: workers" },
	{ "db_port = 70000\n", ":2: db_port" },
	{ "just words\n", ":2: expected \"key = value\"" },
	{ "trusted_proxies = 10.0.0.0/8, 10.0.0.0/33\n",
	  ":2: trusted_proxies: \"10.0.0.0/33\" is not an address" },
	{ "staff_cidrs = 192.168.1.0/24 office\n",
	  ":2: staff_cidrs: \"office\" is not an address" },
	{ "trusted_proxies = 10.0.0.0/\n", ":2: trusted_proxies" },
	{ "trusted_proxies = ::1/129\n", ":2: trusted_proxies" },
};

START_TEST(conf_bad_lines_name_the_line)
{
	struct hs_conf	 c;
	char		 err[256];
	size_t		 i;

	put(secrets, "db_password = x\n", 0600);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		putconf(bad[i].text);
		ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)),
		    HS_OK);
		ck_assert_msg(strstr(err, bad[i].want) != NULL,
		    "row %zu: got \"%s\"", i, err);
		hs_conf_free(&c);
	}
}
END_TEST

START_TEST(conf_long_line_refused)
{
	struct hs_conf	 c;
	char		 err[256], *big;

	big = malloc(HS_MAX_CONFLINE + 64);
	memset(big, 'x', HS_MAX_CONFLINE + 62);
	memcpy(big, "base_url = ", 11);
	big[HS_MAX_CONFLINE + 62] = '\0';
	put(secrets, "", 0600);
	putconf(big);
	ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	ck_assert_ptr_nonnull(strstr(err, "line too long"));
	hs_conf_free(&c);
	free(big);
}
END_TEST

START_TEST(secrets_mode_refused)
{
	struct hs_conf	 c;
	char		 err[256];
	static const mode_t modes[] = { 0640, 0604, 0660, 0644, 0620 };
	size_t		 i;

	putconf("");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		put(secrets, "db_password = x\n", modes[i]);
		ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)),
		    HS_OK);
		ck_assert_msg(strstr(err, "readable by group or others") !=
		    NULL, "mode %o: %s", (unsigned)modes[i], err);
		hs_conf_free(&c);
	}
	put(secrets, "db_password = x\n", 0400);
	ck_assert_int_eq(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	hs_conf_free(&c);
}
END_TEST

START_TEST(secrets_bad_values)
{
	struct hs_conf	 c;
	char		 err[256];

	putconf("");
	put(secrets, "hmac_key = 1234\n", 0600);
	ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	ck_assert_ptr_nonnull(strstr(err, ":1: hmac_key"));
	hs_conf_free(&c);
	put(secrets, "api = x\n", 0600);
	ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	ck_assert_ptr_nonnull(strstr(err, "unknown secret"));
	hs_conf_free(&c);
	unlink(secrets);
	ck_assert_int_ne(hs_conf_load(&c, conf, err, sizeof(err)), HS_OK);
	hs_conf_free(&c);
}
END_TEST

START_TEST(conf_path_from_argv)
{
	char	*argv[] = { "prog", "-f", "/x/y.conf", NULL };

	ck_assert_str_eq(hs_conf_path(3, argv), "/x/y.conf");
	setenv("HEARSAY_CONF", "/env.conf", 1);
	ck_assert_str_eq(hs_conf_path(1, argv), "/env.conf");
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("conf");
	TCase	*core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, conf_defaults_and_values);
	tcase_add_test(core, conf_path_from_argv);
	tcase_add_test(errors, conf_bad_lines_name_the_line);
	tcase_add_test(errors, conf_long_line_refused);
	tcase_add_test(errors, secrets_mode_refused);
	tcase_add_test(errors, secrets_bad_values);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
