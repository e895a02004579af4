# tests/unit/parse.mk: Check units for the parsers (utf8.c, url.c, req.c).
# Included from tests/unit/local.mk inside "if HAVE_CHECK".
check_PROGRAMS += tests/unit/check_utf8 tests/unit/check_url \
	tests/unit/check_req
TESTS += tests/unit/check_utf8 tests/unit/check_url tests/unit/check_req

tests_unit_check_utf8_SOURCES = tests/unit/check_utf8.c
tests_unit_check_utf8_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
tests_unit_check_utf8_LDADD = $(HS_TEST_LIBS)

tests_unit_check_url_SOURCES = tests/unit/check_url.c
tests_unit_check_url_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
tests_unit_check_url_LDADD = $(HS_TEST_LIBS)

tests_unit_check_req_SOURCES = tests/unit/check_req.c
tests_unit_check_req_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
tests_unit_check_req_LDADD = $(HS_TEST_LIBS)
