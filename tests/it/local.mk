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

# hs-stack keeps one initialised MariaDB datadir per build tree here;
# removing it keeps distcheck's distcleancheck happy.
clean-local: clean-local-it
clean-local-it:
	-rm -rf tests/.cache
.PHONY: clean-local-it

# Survey answer webhooks (hearsay-admin webhook; issue 4), against a
# python3 http.server receiver.
TESTS += tests/it/survey_webhook.sh
EXTRA_DIST += tests/it/survey_webhook.sh tests/it/webhook_receiver.py

# What nginx writes down and sends (issue 22): no capability token, ?t=
# token or client address in any log; security headers on nginx's own
# answers, one of each on the programs'.
TESTS += tests/it/nginx_security.sh
EXTRA_DIST += tests/it/nginx_security.sh

# SIGHUP re-reads the configuration and the templates in every FastCGI
# program, and a reload that cannot succeed keeps the old ones (issue 14).
TESTS += tests/it/reload.sh
EXTRA_DIST += tests/it/reload.sh
