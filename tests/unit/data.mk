# tests/unit/data.mk: the data layer (journal.c, db.c).  Included from
# tests/unit/local.mk inside "if HAVE_CHECK".
#
# check_journal is a Check unit and needs no database.  tests/it/dbcheck
# is a plain C program that tests/it/db.sh runs against the private
# MariaDB of the test stack (tests/it/lib.sh); the .sh log compiler is
# set up in tests/it/local.mk.
check_PROGRAMS += tests/unit/check_journal tests/it/dbcheck
TESTS += tests/unit/check_journal tests/it/db.sh
EXTRA_DIST += tests/it/db.sh

tests_unit_check_journal_SOURCES = tests/unit/check_journal.c
tests_unit_check_journal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
tests_unit_check_journal_LDADD = $(HS_TEST_LIBS)

tests_it_dbcheck_SOURCES = tests/it/dbcheck.c
tests_it_dbcheck_CFLAGS = $(AM_CFLAGS) -DHS_TESTING
tests_it_dbcheck_LDADD = $(HS_TEST_LIBS)
