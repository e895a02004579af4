# hearsay-reconcile: the nightly reconciliation (issue 6), a batch job.
sbin_PROGRAMS += src/reconcile/hearsay-reconcile
RECONCILE_CORE = src/reconcile/reconcile.h src/reconcile/normalise.c \
	src/reconcile/map.c src/reconcile/match.c src/reconcile/rules.c \
	src/reconcile/classify.c src/reconcile/aggregate.c
src_reconcile_hearsay_reconcile_SOURCES = src/reconcile/main.c \
	$(RECONCILE_CORE) src/reconcile/sql.c src/reconcile/lease.c \
	src/reconcile/run.h src/reconcile/run.c src/reconcile/world.c \
	src/reconcile/input.c src/reconcile/unit.c src/reconcile/pipe.c \
	src/reconcile/side.h src/reconcile/side.c src/reconcile/finalise.c \
	src/reconcile/summary.c src/reconcile/export.c \
	src/reconcile/survey_rollup.c src/reconcile/cohorts.c
src_reconcile_hearsay_reconcile_CFLAGS = $(AM_CFLAGS) $(UTF8PROC_CFLAGS) \
	$(JANSSON_CFLAGS) -pthread
src_reconcile_hearsay_reconcile_LDADD = $(HS_LIBS) $(JANSSON_LIBS) -lm
# Threads beside the run's own (side.c): phase 1's reader, the invites.
src_reconcile_hearsay_reconcile_LDFLAGS = -pthread
man_MANS += man/hearsay-reconcile.8
EXTRA_DIST += man/hearsay-reconcile.8

# Check unit tests of the pure parts (normalise, match, rules,
# classify).
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_reconcile
TESTS += tests/unit/check_reconcile
tests_unit_check_reconcile_SOURCES = tests/unit/check_reconcile.c \
	$(RECONCILE_CORE)
tests_unit_check_reconcile_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(UTF8PROC_CFLAGS) -DHS_TESTING -I$(top_srcdir)/src/reconcile
tests_unit_check_reconcile_LDADD = $(HS_TEST_LIBS) -lm
endif

# Integration tests against a private stack (tests/it/lib.sh).
TESTS += tests/it/reconcile_accuracy.sh tests/it/reconcile_resume.sh \
	tests/it/reconcile_retention.sh tests/it/reconcile_verified.sh \
	tests/it/reconcile_stream.sh tests/it/reconcile_cohorts.sh \
	tests/it/cohorts_uplift.sh
EXTRA_DIST += tests/it/reconcile_accuracy.sh tests/it/reconcile_resume.sh \
	tests/it/reconcile_lib.sh tests/it/reconcile_retention.sh \
	tests/it/reconcile_verified.sh tests/it/reconcile_stream.sh \
	tests/it/reconcile_cohorts.sh tests/it/cohorts_uplift.sh

# make bench: generation, full run, 1% night, accuracy vs gen_truth.
BENCH_SCRIPTS += tests/bench/reconcile.sh
BENCH_SCRIPTS += tests/bench/cohorts.sh
