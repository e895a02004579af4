# tests/it: integration tests against the real stack (a private MariaDB,
# nginx and the FastCGI programs, started by tests/stack/hs-stack through
# tests/it/lib.sh).  Each test is a bash script; paths are relative to the
# top of the tree (this fragment is included by the top Makefile.am).
TEST_EXTENSIONS = .sh
# A hung test fails on its own (TERM lets lib.sh stop its stacks) instead
# of eating the whole CI run.
SH_LOG_COMPILER = timeout --kill-after=30 900 bash

TESTS += tests/it/stack.sh tests/it/demo.sh
EXTRA_DIST += tests/it/lib.sh tests/it/stack.sh tests/it/demo.sh

# The check at every stop fails on crashes, sanitizer reports and
# SIGKILLed masters (issue 21), proven with the test hooks.
TESTS += tests/it/stack_check.sh
EXTRA_DIST += tests/it/stack_check.sh

# hs-stack keeps one initialised MariaDB datadir per build tree here;
# removing it keeps distcheck's distcleancheck happy.
clean-local: clean-local-it
clean-local-it:
	-rm -rf tests/.cache
.PHONY: clean-local-it

# Survey answer webhooks (hearsay-admin webhook; issue 4), against a
# python3 http.server receiver.
TESTS += tests/it/survey_webhook.sh tests/it/webhook_private.sh
EXTRA_DIST += tests/it/survey_webhook.sh tests/it/webhook_receiver.py \
	tests/it/webhook_private.sh

# What nginx writes down and sends (issue 22): no capability token, ?t=
# token or client address in any log; security headers on nginx's own
# answers, one of each on the programs'.
TESTS += tests/it/nginx_security.sh
EXTRA_DIST += tests/it/nginx_security.sh

# SIGHUP re-reads the configuration and the templates in every FastCGI
# program, and a reload that cannot succeed keeps the old ones (issue 14).
TESTS += tests/it/reload.sh
EXTRA_DIST += tests/it/reload.sh

# The report and the reconciliation print the same agreement metrics
# (core's metrics.c) on its edge cases.
TESTS += tests/it/metrics_agree.sh
EXTRA_DIST += tests/it/metrics_agree.sh

# No raw IP address at rest: traffic from 127.0.0.23 through every
# endpoint, then every table, journal and log searched for it; the salt.
TESTS += tests/it/privacy_at_rest.sh
EXTRA_DIST += tests/it/privacy_at_rest.sh

# Every page a person sees, audited in Chromium (axe-core, a phone's
# width) by the browser tests, which record what they audited in
# <test>.pages; pages_list.sh then checks those against tests/it/pages.list
# and html/*.html, so it runs after them.  axe-core is pinned by
# tests/browser/package-lock.json (npm ci, lib.sh's hs_axe_install).
TESTS += tests/it/pages_list.sh
EXTRA_DIST += tests/it/pages_list.sh tests/it/pages.list \
	tests/it/host_browser.py tests/it/i18n_check.py tests/browser/package.json \
	tests/browser/package-lock.json
tests/it/pages_list.log: tests/it/survey_browser.log tests/it/qr_host.log \
	tests/it/report_browser.log tests/it/cohorts_browser.log \
	tests/it/manage_browser.log
CLEANFILES += tests/it/survey_browser.pages tests/it/qr_host.pages \
	tests/it/report_browser.pages tests/it/cohorts_browser.pages \
	tests/it/manage_browser.pages

# E-mail hashes stored keyed under hmac_key (issue 22): the API and CSV
# paths, the self-referral flag, and the rehash of old rows by migrate.
TESTS += tests/it/email_key.sh
EXTRA_DIST += tests/it/email_key.sh

# Advocates' own pages (issue 17): the capability URL, counts only, share
# texts, opt-ins, and the page in Chromium (adv_browser.py), audited for
# pages_list.sh.
TESTS += tests/it/adv_page.sh
EXTRA_DIST += tests/it/adv_page.sh tests/it/adv_browser.py
tests/it/pages_list.log: tests/it/adv_page.log
CLEANFILES += tests/it/adv_page.pages
