#!/usr/bin/env bash
# test-all.sh: the whole test run, as CI does it (.ci/run calls this).
#   1. install the Debian packages (tests/stack/deps.sh; quick when present)
#   2. sanitizer build (ASan+UBSan, -Werror) in ./build-san and make check:
#      unit tests and the integration tests against private stacks; then
#      make check-cluster: a Galera cluster and two app hosts under faults
#   3. the libFuzzer harnesses (clang) in ./build-fuzz, each for
#      FUZZ_SECONDS (default 10; the committed corpora are replayed by
#      make check too): a crash fails the run
#   4. plain build in ./build and make distcheck: the tarball builds, the
#      unit tests and a set of integration tests (PLAIN_IT in Makefile.am)
#      pass from a read-only source tree, and it cleans up after itself
# Build directories are kept between runs, so a second run is incremental.
#
# The closing line counts passes, failures and skips: a whole test that
# skipped (exit 77) and a part of one that did (an "HS-SKIP:" line in its
# log, as tests/it/lib.sh hs_skip writes it).  Not root, the parts that
# mount a small tmpfs skip: said at the start, listed at the end.  Under
# CI (CI=true, as .ci/run runs it) any skip fails the run.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
JOBS=${JOBS:-2}
# The integration tests mostly wait (on MariaDB, nginx, Chromium), so one
# more at a time than cores shortens the run; they wait for conditions,
# never for fixed times, so a busier machine only makes them slower.
CHECK_JOBS=${CHECK_JOBS:-3}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
T0=$SECONDS

step() { printf '\n==== %s (%ds)\n' "$*" $((SECONDS - T0)); }

# On a failed `make check` the summary alone says nothing: show the logs of
# the failed tests (test-suite.log holds each failed test's log).
show_failures() {
	local f
	for f in "$@"; do
		[[ -s $f ]] || continue
		echo "---- $f"
		cat "$f"
	done
}

# A sanitizer report is only useful with its stack (configure already
# makes every UBSan finding fatal).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

if (($(id -u) != 0)); then
	echo "test-all.sh: not root (uid $(id -u)): what mounts a small tmpfs is skipped, in:" \
	    $(grep -l 'HS-SKIP' tests/it/*.sh tests/unit/*.c | grep -v lib.sh |
	    sed 's|.*/||') >&2
	[[ ${CI:-} != true ]] || echo "test-all.sh: CI=true: those skips will fail the run" >&2
fi

step "dependencies"
tests/stack/deps.sh

step "autoreconf"
autoreconf -fi

step "sanitizer build (build-san)"
mkdir -p build-san
(
	cd build-san
	../configure --enable-sanitizers --enable-werror >configure.out ||
	    { tail -n 50 config.log; exit 1; }
	make -j"$JOBS"
	step "make check (build-san)"
	touch .check-start	# the summary reads the logs written after it
	if ! make -j"$CHECK_JOBS" check; then
		show_failures test-suite.log
		exit 1
	fi
	# The Galera cluster with two app hosts under faults (issue 19),
	# on the same sanitizer build; its own log, tests/cluster/*.log.
	step "make check-cluster (build-san)"
	if ! make -j"$JOBS" check-cluster; then
		show_failures tests/cluster/test-suite.log
		exit 1
	fi
)

step "fuzzers, ${FUZZ_SECONDS} s each (build-fuzz)"
mkdir -p build-fuzz
(
	cd build-fuzz
	../configure --enable-fuzz CC=clang >configure.out ||
	    { tail -n 50 config.log; exit 1; }
	make -j"$JOBS" fuzz-short FUZZ_SECONDS="$FUZZ_SECONDS"
)

step "plain build and distcheck (build)"
mkdir -p build
(
	cd build
	../configure >configure.out || { tail -n 50 config.log; exit 1; }
	make -j"$JOBS"
	# Command-line variables reach distcheck's inner make (MAKEFLAGS).
	if ! make -j"$JOBS" distcheck TESTS="$(make -s print-distcheck-tests | tr "\n" " ")"; then
		show_failures hearsay-*/_build/sub/test-suite.log
		exit 1
	fi
)

step "summary"
# One closing line in the plain form CI readers understand, counted from
# the sanitizer run (distcheck repeats the same tests): the tests that
# skipped whole, and the parts of tests that did, are named.
mapfile -t parts < <(find build-san/tests -name '*.log' -newer build-san/.check-start \
    -exec grep -h '^HS-SKIP: ' {} + |
    sed 's/^HS-SKIP: //' | sort -u)
mapfile -t whole < <(sed -n 's/^SKIP: //p' build-san/test-suite.log | sort -u)
for x in "${whole[@]}" "${parts[@]}"; do
	echo "skipped: $x"
done
read -r passed failed skipped < <(awk -v parts="${#parts[@]}" \
    '/^# PASS:/ { p = $3 } /^# (FAIL|ERROR|XPASS):/ { f += $3 }
    /^# SKIP:/ { s = $3 } END { print p + 0, f + 0, s + parts }' \
    build-san/test-suite.log)
echo "$passed passed, $failed failed, $skipped skipped"
if [[ ${CI:-} == true ]] && ((skipped > 0)); then
	echo "test-all.sh: CI=true: $skipped skipped; CI runs everything (as root)" >&2
	exit 1
fi
