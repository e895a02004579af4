/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_program.c: the skeleton's reload (program.c), without a stack.
 * A good configuration and its templates replace the running ones and
 * the program's configure hook runs; a bad line, a configuration the
 * program refuses (or, for one that signs, a secrets file without
 * hmac_key), or a template that does not load leaves the running
 * configuration and templates exactly as they were.  (tests/it/reload.sh
 * proves the same through SIGHUP and the real programs.)
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

#define KEY64 "00112233445566778899aabbccddeeff" \
	      "00112233445566778899aabbccddeeff"

static char	 dir[] = "/tmp/hs-program-XXXXXX";
static char	 conf[256], secrets[256], html[256], tpath[300];

static const char *const keys[] = { "k" };
static const struct hs_tmpldef tmpls[] = { { "t.html", keys, 1 } };

static struct hs_conf	 pconf;
static struct hs_tmpl	*ptmpl[1];
static int		 configured;

static void
configure(void *arg)
{

	configured++;
}

/* Refuses a consent_text of "refuse". */
static int
check(const struct hs_conf *c, char *err, size_t errsz)
{

	if (strcmp(c->consent_text, "refuse") == 0) {
		(void)snprintf(err, errsz, "refused");
		return -1;
	}
	return 0;
}

static struct hs_program prog = {
	.name = "test",
	.conf = &pconf,
	.tmpls = tmpls,
	.ntmpls = 1,
	.tmpl = ptmpl,
	.check = check,
	.configure = configure,
};

static void
put(const char *path, const char *text, mode_t mode)
{
	FILE	*fp;

	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Writes the config with its secrets and html lines, then extra. */
static void
putconf(const char *extra)
{
	char	 buf[2048];

	snprintf(buf, sizeof(buf), "secrets_file = %s\nhtml_dir = %s\n%s",
	    secrets, html, extra);
	put(conf, buf, 0644);
}

/* The rendering of the running template. */
static char *
rendered(void)
{
	struct hs_buf	 b;
	struct hs_out	 o;

	hs_buf_init(&b, 4096);
	hs_out_buf(&o, &b);
	ck_assert_int_eq(hs_tmpl_render(ptmpl[0], &o, NULL, NULL), HS_OK);
	return hs_buf_take(&b);
}

static void
setup(void)
{
	char	 err[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/hearsay.conf", dir);
	snprintf(secrets, sizeof(secrets), "%s/secrets", dir);
	snprintf(html, sizeof(html), "%s/html", dir);
	snprintf(tpath, sizeof(tpath), "%s/t.html", html);
	ck_assert_int_eq(mkdir(html, 0700), 0);
	put(secrets, "hmac_key = " KEY64 "\n", 0600);
	put(tpath, "one", 0644);
	putconf("consent_text = first\n");
	/* What hs_program_main does at start. */
	prog.confpath = conf;
	ck_assert_int_eq(hs_conf_load(&pconf, conf, err, sizeof(err)), HS_OK);
	ck_assert_int_eq(hs_tmpl_load(&ptmpl[0], html, "t.html", keys, 1),
	    HS_OK);
	configured = 0;
}

static void
teardown(void)
{

	hs_conf_free(&pconf);
	hs_tmpl_free(ptmpl[0]);
	ptmpl[0] = NULL;
	unlink(tpath);
	rmdir(html);
	unlink(conf);
	unlink(secrets);
	rmdir(dir);
}

/* The running configuration and template are still the first ones. */
static void
unchanged(void)
{
	char	*s;

	ck_assert_str_eq(pconf.consent_text, "first");
	ck_assert_str_eq(s = rendered(), "one");
	free(s);
	ck_assert_int_eq(configured, 0);
}

START_TEST(reload_good)
{
	char	*s;

	putconf("consent_text = second\n");
	put(tpath, "two", 0644);
	ck_assert_int_eq(hs_program_reload(&prog), 0);
	ck_assert_str_eq(pconf.consent_text, "second");
	ck_assert_str_eq(s = rendered(), "two");
	free(s);
	ck_assert_int_eq(configured, 1);
}
END_TEST

START_TEST(reload_bad_line)
{

	putconf("consent_text = second\nwokers = 3\n");
	put(tpath, "two", 0644);
	ck_assert_int_eq(hs_program_reload(&prog), -1);
	unchanged();
}
END_TEST

START_TEST(reload_refused)
{

	putconf("consent_text = refuse\n");
	put(tpath, "two", 0644);
	ck_assert_int_eq(hs_program_reload(&prog), -1);
	unchanged();
}
END_TEST

START_TEST(reload_bad_template)
{

	putconf("consent_text = second\n");
	put(tpath, "two @@nosuchmarker@@", 0644);
	ck_assert_int_eq(hs_program_reload(&prog), -1);
	unchanged();
	unlink(tpath);
	ck_assert_int_eq(hs_program_reload(&prog), -1);
	unchanged();
}
END_TEST

/* A program that signs is refused a secrets file without hmac_key. */
START_TEST(reload_no_hmac_key)
{
	char	*s;

	prog.hmac = 1;
	put(secrets, "db_password = x\n", 0600);
	putconf("consent_text = second\n");
	put(tpath, "two", 0644);
	ck_assert_int_eq(hs_program_reload(&prog), -1);
	unchanged();
	put(secrets, "hmac_key = " KEY64 "\n", 0600);
	ck_assert_int_eq(hs_program_reload(&prog), 0);
	ck_assert_str_eq(pconf.consent_text, "second");
	ck_assert_str_eq(s = rendered(), "two");
	free(s);
	prog.hmac = 0;
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("program");
	TCase	*tc = tcase_create("reload");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reload_good);
	tcase_add_test(tc, reload_bad_line);
	tcase_add_test(tc, reload_refused);
	tcase_add_test(tc, reload_bad_template);
	tcase_add_test(tc, reload_no_hmac_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	return hs_check_run(suite());
}
