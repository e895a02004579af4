# hearsay-gen: synthetic data with a known truth for the tests and the
# benchmark (not installed; tests/it/reconcile_lib.sh, tests/stack/hs-stack
# and the benchmarks run it from the build tree).
noinst_PROGRAMS += tests/gen/hearsay-gen
tests_gen_hearsay_gen_SOURCES = tests/gen/gen.c tests/gen/gen_activity.c
tests_gen_hearsay_gen_LDADD = $(HS_LIBS)
