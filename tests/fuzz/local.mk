# tests/fuzz: libFuzzer harnesses for the parsers (STYLE.md section 12).
#
# `make check` always builds tests/fuzz/replay_<harness>, which runs the
# committed corpus tests/fuzz/corpus/<harness>/ through the harness once,
# with any compiler (and under ASan with --enable-sanitizers).
#
# ./configure --enable-fuzz CC=clang also builds the real fuzzers,
# tests/fuzz/fuzz_<harness>.  The parser sources are compiled into them
# with -fsanitize=fuzzer so that libFuzzer sees their coverage; the rest
# comes from libhearsay.  `make fuzz-short` runs each for FUZZ_SECONDS,
# writing new inputs to a scratch directory, never to the source tree.
# To grow the committed corpus, run a fuzzer and then minimise into it,
# by edge coverage only so that it stays small (well under 200 files):
#   tests/fuzz/fuzz_form -merge=1 -use_counters=0 \
#       $(srcdir)/tests/fuzz/corpus/form tests/fuzz/new-form/corpus
# Hand-written seeds are named seed-*; keep them, they document the
# TESTING.md 3a rows.  Every crash found becomes a Check test too.

check_PROGRAMS += tests/fuzz/replay_form tests/fuzz/replay_cookie \
	tests/fuzz/replay_utf8 tests/fuzz/replay_code tests/fuzz/replay_dest \
	tests/fuzz/replay_fcgi
TESTS += tests/fuzz/replay_form tests/fuzz/replay_cookie \
	tests/fuzz/replay_utf8 tests/fuzz/replay_code tests/fuzz/replay_dest \
	tests/fuzz/replay_fcgi

tests_fuzz_replay_form_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_form.c
tests_fuzz_replay_form_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/form"'
tests_fuzz_replay_form_LDADD = $(HS_LIBS)

tests_fuzz_replay_cookie_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz_cookie.c
tests_fuzz_replay_cookie_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/cookie"'
tests_fuzz_replay_cookie_LDADD = $(HS_LIBS)

tests_fuzz_replay_utf8_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_utf8.c
tests_fuzz_replay_utf8_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/utf8"'
tests_fuzz_replay_utf8_LDADD = $(HS_LIBS)

# The invite-code canonicaliser and the redirect destination validator
# (TESTING.md 3a rows 10, 11 and 21).
tests_fuzz_replay_code_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_code.c
tests_fuzz_replay_code_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/code"'
tests_fuzz_replay_code_LDADD = $(HS_LIBS)

tests_fuzz_replay_dest_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_dest.c
tests_fuzz_replay_dest_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/dest"'
tests_fuzz_replay_dest_LDADD = $(HS_LIBS)

# The FastCGI records the redirector reads from nginx (fcgiproto.c).
tests_fuzz_replay_fcgi_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_fcgi.c
tests_fuzz_replay_fcgi_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_DIR='"$(srcdir)/tests/fuzz/corpus/fcgi"'
tests_fuzz_replay_fcgi_LDADD = $(HS_LIBS)

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/form.dict

if ENABLE_FUZZ
HS_FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
HS_FUZZ_PARSERS = src/core/url.c src/core/utf8.c

noinst_PROGRAMS += tests/fuzz/fuzz_form tests/fuzz/fuzz_cookie \
	tests/fuzz/fuzz_utf8 tests/fuzz/fuzz_code tests/fuzz/fuzz_dest \
	tests/fuzz/fuzz_fcgi

tests_fuzz_fuzz_form_SOURCES = tests/fuzz/fuzz_form.c $(HS_FUZZ_PARSERS)
tests_fuzz_fuzz_form_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_form_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_form_LDADD = $(HS_LIBS)

# req.c holds hs_cidr_match, which the cookie harness also drives.
tests_fuzz_fuzz_cookie_SOURCES = tests/fuzz/fuzz_cookie.c \
	$(HS_FUZZ_PARSERS) src/core/req.c
tests_fuzz_fuzz_cookie_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_cookie_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_cookie_LDADD = $(HS_LIBS)

tests_fuzz_fuzz_utf8_SOURCES = tests/fuzz/fuzz_utf8.c $(HS_FUZZ_PARSERS)
tests_fuzz_fuzz_utf8_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_utf8_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_utf8_LDADD = $(HS_LIBS)

tests_fuzz_fuzz_code_SOURCES = tests/fuzz/fuzz_code.c src/core/code.c
tests_fuzz_fuzz_code_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_code_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_code_LDADD = $(HS_LIBS)

tests_fuzz_fuzz_dest_SOURCES = tests/fuzz/fuzz_dest.c src/core/dest.c
tests_fuzz_fuzz_dest_CPPFLAGS = $(AM_CPPFLAGS)
tests_fuzz_fuzz_dest_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_dest_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_dest_LDADD = $(HS_LIBS)

tests_fuzz_fuzz_fcgi_SOURCES = tests/fuzz/fuzz_fcgi.c src/core/fcgiproto.c
tests_fuzz_fuzz_fcgi_CFLAGS = $(AM_CFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_fcgi_LDFLAGS = $(AM_LDFLAGS) $(HS_FUZZ_FLAGS)
tests_fuzz_fuzz_fcgi_LDADD = $(HS_LIBS)

# The test command (tests/stack/test-all.sh) runs fuzz-short with
# FUZZ_SECONDS=30: a crash, a leak or a slow input (over FUZZ_TIMEOUT s)
# stops the harness with an error, which fails the run; the input that
# did it is kept as tests/fuzz/new-<harness>/crash-* (or leak-, timeout-).
FUZZ_SECONDS = 60
FUZZ_TIMEOUT = 10
FUZZ_HARNESSES = form cookie utf8 code dest fcgi
fuzz-short: tests/fuzz/fuzz_form tests/fuzz/fuzz_cookie tests/fuzz/fuzz_utf8 \
    tests/fuzz/fuzz_code tests/fuzz/fuzz_dest tests/fuzz/fuzz_fcgi
	@set -e; for h in $(FUZZ_HARNESSES); do \
	    rm -rf tests/fuzz/new-$$h; mkdir -p tests/fuzz/new-$$h/corpus; \
	    echo "== fuzz_$$h for $(FUZZ_SECONDS) s"; \
	    ./tests/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=$(FUZZ_TIMEOUT) \
	        -artifact_prefix=tests/fuzz/new-$$h/ \
	        -dict=$(srcdir)/tests/fuzz/form.dict -print_final_stats=1 \
	        tests/fuzz/new-$$h/corpus $(srcdir)/tests/fuzz/corpus/$$h || \
	        { echo "fuzz_$$h failed: see tests/fuzz/new-$$h/" >&2; exit 1; }; \
	done
else
fuzz-short:
	@echo "fuzz-short: configure with --enable-fuzz CC=clang" >&2; exit 1
endif
.PHONY: fuzz-short
