# tests/unit/parse.mk: Check units for the parsers (utf8.c, url.c, req.c,
# field.c).
# Included from tests/unit/local.mk inside "if HAVE_CHECK", after core.mk
# (which defines HS_CHECK_CFLAGS).
HS_PARSE_CHECKS = tests/unit/check_utf8 tests/unit/check_url \
	tests/unit/check_req tests/unit/check_field
check_PROGRAMS += $(HS_PARSE_CHECKS)
TESTS += $(HS_PARSE_CHECKS)

tests_unit_check_utf8_SOURCES = tests/unit/check_utf8.c tests/unit/hs_check.h
tests_unit_check_utf8_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_utf8_LDADD = $(HS_TEST_LIBS)

tests_unit_check_url_SOURCES = tests/unit/check_url.c tests/unit/hs_check.h
tests_unit_check_url_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_url_LDADD = $(HS_TEST_LIBS)

tests_unit_check_req_SOURCES = tests/unit/check_req.c tests/unit/hs_check.h
tests_unit_check_req_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_req_LDADD = $(HS_TEST_LIBS)

tests_unit_check_field_SOURCES = tests/unit/check_field.c tests/unit/hs_check.h
tests_unit_check_field_CFLAGS = $(HS_CHECK_CFLAGS)
tests_unit_check_field_LDADD = $(HS_TEST_LIBS)
