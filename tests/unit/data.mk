# tests/unit/data.mk: the data layer (journal.c, db.c).  Included from
# tests/unit/local.mk inside "if HAVE_CHECK".
#
# check_journal is a Check unit and needs no database.
check_PROGRAMS += tests/unit/check_journal
TESTS += tests/unit/check_journal

tests_unit_check_journal_SOURCES = tests/unit/check_journal.c
tests_unit_check_journal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING
tests_unit_check_journal_LDADD = $(HS_TEST_LIBS)
