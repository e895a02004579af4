# hearsay-report: the analysts' pages under /admin/ (login, overview,
# review queue, CSV/JSON downloads).
sbin_PROGRAMS += src/report/hearsay-report
src_report_hearsay_report_SOURCES = src/report/report.h src/report/main.c \
	src/report/auth.c src/report/pages.h src/report/page_util.c \
	src/report/page_overview.c src/report/page_queue.c src/report/table.c \
	src/report/hw.c src/report/page_flags.c src/report/page_rules.c \
	src/report/page_signups.c \
	src/report/svg.c src/report/cohorts.c src/report/manage.h \
	src/report/manage.c src/report/manage_sql.c \
	src/report/manage_account.c src/report/manage_import.c \
	src/report/manage_event.c src/report/manage_link.c \
	src/report/manage_campaign.c src/report/manage_change.c \
	src/report/manage_form.c
src_report_hearsay_report_LDADD = $(HS_LIBS) -lm

# Charts and the table renderers, into an hs_buf.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_report
tests_unit_check_report_SOURCES = tests/unit/check_report.c \
	src/report/table.c src/report/svg.c src/report/report.h
tests_unit_check_report_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING \
	-I$(top_srcdir)/src/report
tests_unit_check_report_LDADD = $(HS_TEST_LIBS) -lm
TESTS += tests/unit/check_report
endif

# Against the real stack; report_browser.sh drives headless Chromium
# through Debian's python3-selenium and chromium-driver (deps.sh).
TESTS += tests/it/report_auth.sh tests/it/report_pages.sh \
	tests/it/report_browser.sh tests/it/report_rollups.sh \
	tests/it/report_lockout.sh tests/it/report_sessions.sh \
	tests/it/cohorts_browser.sh tests/it/manage_browser.sh
EXTRA_DIST += tests/it/report_auth.sh tests/it/report_pages.sh \
	tests/it/report_lockout.sh tests/it/report_sessions.sh \
	tests/it/report_rollups.sh \
	tests/it/report_lib.sh tests/it/report_fixtures.sql \
	tests/it/cohorts_lib.sh \
	tests/it/report_browser.sh tests/it/report_browser.py \
	tests/it/cohorts_browser.sh tests/it/cohorts_browser.py \
	tests/it/manage_browser.sh tests/it/manage_browser.py

# The overview's tables, loaders and page, beside page_overview.c.
src_report_hearsay_report_SOURCES += src/report/overview.h \
	src/report/overview_tables.c src/report/overview_data.c \
	src/report/overview_html.c

# The cohorts page's figures and costs form, beside cohorts.c.
src_report_hearsay_report_SOURCES += src/report/cohorts.h \
	src/report/cohorts_data.c src/report/cohorts_cost.c

# The cohorts page for an analyst limited to one campaign (issue 20).
TESTS += tests/it/cohorts_scope.sh
EXTRA_DIST += tests/it/cohorts_scope.sh

# `make bench`: the overview over a year of aggregates (~1M signups).
BENCH_SCRIPTS += tests/bench/report.sh
EXTRA_DIST += tests/bench/report.sh

man_MANS += man/hearsay-report.8
EXTRA_DIST += man/hearsay-report.8
