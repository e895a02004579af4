# hearsay-survey: the "How did you hear about us?" form (/s/), its
# submission, the thank-you page and the JSON API (/api/v1/).
sbin_PROGRAMS += src/survey/hearsay-survey
src_survey_hearsay_survey_SOURCES = src/survey/survey.h src/survey/main.c \
	src/survey/def.c src/survey/form.h src/survey/form.c \
	src/survey/form_page.c src/survey/form_token.c src/survey/form_post.c \
	src/survey/store.c src/survey/api.c \
	src/survey/velocity.c src/survey/suggest.c src/survey/activity.c
src_survey_hearsay_survey_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/survey
src_survey_hearsay_survey_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
src_survey_hearsay_survey_LDADD = $(HS_LIBS) $(JANSSON_LIBS)

man_MANS += man/hearsay-survey.8
EXTRA_DIST += man/hearsay-survey.8

# survey_browser.sh needs python3-selenium and chromium-driver.
TESTS += tests/it/survey_form.sh tests/it/survey_api.sh \
	tests/it/survey_fault.sh tests/it/survey_load.sh \
	tests/it/survey_browser.sh tests/it/survey_batch.sh \
	tests/it/survey_stale_token.sh tests/it/survey_idempotency.sh \
	tests/it/survey_suggest.sh tests/it/activity_api.sh
EXTRA_DIST += tests/it/survey_form.sh tests/it/survey_api.sh \
	tests/it/survey_fault.sh tests/it/survey_load.sh \
	tests/it/survey_browser.sh tests/it/survey_browser.py tests/it/hs_browser.py \
	tests/it/survey_batch.sh tests/it/survey_posts.py \
	tests/it/survey_stale_token.sh tests/it/survey_idempotency.sh \
	tests/it/survey_suggest.sh tests/it/activity_api.sh

BENCH_SCRIPTS += tests/bench/survey.sh

# Check unit of the shared velocity counts.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_velocity
TESTS += tests/unit/check_velocity
tests_unit_check_velocity_SOURCES = tests/unit/check_velocity.c \
	src/survey/velocity.c
tests_unit_check_velocity_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DHS_TESTING \
	-I$(top_srcdir)/src/survey
tests_unit_check_velocity_LDADD = $(HS_TEST_LIBS)
endif
