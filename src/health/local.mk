# hearsay-health: GET /health, the whole path to MariaDB in one page.
sbin_PROGRAMS += src/health/hearsay-health
src_health_hearsay_health_SOURCES = src/health/health.c
src_health_hearsay_health_LDADD = $(HS_LIBS)

# The foundation end to end: migrations, config errors, prefork
# supervision, database outage and recovery.
TESTS += tests/it/core.sh
EXTRA_DIST += tests/it/core.sh
