# Check units for the lead's core modules (buf/alloc/out, html/tmpl,
# conf, code/crypto/privacy, http, the program skeleton's reload, routes).
HS_CHECK_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
HS_CORE_CHECKS = tests/unit/check_buf tests/unit/check_html \
	tests/unit/check_conf tests/unit/check_code tests/unit/check_http \
	tests/unit/check_fcgiproto tests/unit/check_program \
	tests/unit/check_route tests/unit/check_webhook tests/unit/check_markup
check_PROGRAMS += $(HS_CORE_CHECKS)
TESTS += $(HS_CORE_CHECKS)
tests_unit_check_buf_SOURCES = tests/unit/check_buf.c tests/unit/hs_check.h
tests_unit_check_buf_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_buf_LDADD = $(HS_TEST_LIBS)
tests_unit_check_html_SOURCES = tests/unit/check_html.c \
	tests/unit/hs_check_out.h
tests_unit_check_html_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_html_LDADD = $(HS_TEST_LIBS)
tests_unit_check_markup_SOURCES = tests/unit/check_markup.c \
	tests/unit/hs_check_out.h
tests_unit_check_markup_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_markup_LDADD = $(HS_TEST_LIBS)
tests_unit_check_conf_SOURCES = tests/unit/check_conf.c
tests_unit_check_conf_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_conf_LDADD = $(HS_TEST_LIBS)
tests_unit_check_code_SOURCES = tests/unit/check_code.c
tests_unit_check_code_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_code_LDADD = $(HS_TEST_LIBS)
tests_unit_check_http_SOURCES = tests/unit/check_http.c
tests_unit_check_http_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_http_LDADD = $(HS_TEST_LIBS)
tests_unit_check_fcgiproto_SOURCES = tests/unit/check_fcgiproto.c
tests_unit_check_fcgiproto_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_fcgiproto_LDADD = $(HS_TEST_LIBS)
tests_unit_check_program_SOURCES = tests/unit/check_program.c
tests_unit_check_program_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_program_LDADD = $(HS_TEST_LIBS)
tests_unit_check_route_SOURCES = tests/unit/check_route.c
tests_unit_check_route_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_route_LDADD = $(HS_TEST_LIBS)

# The agreement statistics (metrics.c) with their edge cases.
check_PROGRAMS += tests/unit/check_metrics
TESTS += tests/unit/check_metrics
tests_unit_check_metrics_SOURCES = tests/unit/check_metrics.c \
	tests/unit/hs_check.h
tests_unit_check_metrics_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_metrics_LDADD = $(HS_TEST_LIBS) -lm

# Whole-file replacement and FNV-1a (file.c).
check_PROGRAMS += tests/unit/check_file
TESTS += tests/unit/check_file
tests_unit_check_file_SOURCES = tests/unit/check_file.c tests/unit/hs_check.h
tests_unit_check_file_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_file_LDADD = $(HS_TEST_LIBS)
tests_unit_check_webhook_SOURCES = tests/unit/check_webhook.c
tests_unit_check_webhook_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_webhook_LDADD = $(HS_TEST_LIBS)
