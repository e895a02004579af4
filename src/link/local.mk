# hearsay-link: GET /i/<code>, the invite-link redirector (issue 3).
sbin_PROGRAMS += src/link/hearsay-link
src_link_hearsay_link_SOURCES = src/link/link.h src/link/main.c \
	src/link/handle.c src/link/cache.c src/link/loader.c \
	src/link/bots.c src/link/click.c
src_link_hearsay_link_LDADD = $(HS_LIBS)

# Check unit of the user-agent classes.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_bots
TESTS += tests/unit/check_bots
tests_unit_check_bots_SOURCES = tests/unit/check_bots.c src/link/bots.c
tests_unit_check_bots_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING \
	-I$(top_srcdir)/src/link
tests_unit_check_bots_LDADD = $(HS_TEST_LIBS)
endif

# The click journal record: encoder and decoder round trip.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_click
TESTS += tests/unit/check_click
tests_unit_check_click_SOURCES = tests/unit/check_click.c src/link/click.c \
	src/link/bots.c
tests_unit_check_click_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING \
	-I$(top_srcdir)/src/link
tests_unit_check_click_LDADD = $(HS_TEST_LIBS)
endif

man_MANS += man/hearsay-link.8
EXTRA_DIST += man/hearsay-link.8

# Integration tests against the real stack (tests/it/lib.sh).
TESTS += tests/it/link_inputs.sh tests/it/link_faults.sh \
	tests/it/link_diskfull.sh tests/it/link_mux.sh
EXTRA_DIST += tests/it/link_common.sh tests/it/link_inputs.sh \
	tests/it/link_faults.sh tests/it/link_diskfull.sh \
	tests/it/link_mux.sh tests/it/fcgi_client.py
BENCH_SCRIPTS += tests/bench/link.sh

# hearsay-admin's CSV import/export of advocates and links.
TESTS += tests/it/admin_csv.sh
EXTRA_DIST += tests/it/admin_csv.sh
