#!/usr/bin/env bash
# test-all.sh: the whole test run, as CI does it (.ci/run calls this).
#   1. install the Debian packages (tests/stack/deps.sh; quick when present)
#   2. sanitizer build (ASan+UBSan, -Werror) in ./build-san and make check:
#      unit tests and the integration tests against private stacks
#   3. plain build in ./build and make distcheck: the tarball builds, its
#      tests pass from a read-only source tree, and it cleans up after
#      itself
# Build directories are kept between runs, so a second run is incremental.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
JOBS=${JOBS:-2}
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
	if ! make -j"$JOBS" check; then
		show_failures test-suite.log
		exit 1
	fi
)

step "plain build and distcheck (build)"
mkdir -p build
(
	cd build
	../configure >configure.out || { tail -n 50 config.log; exit 1; }
	make -j"$JOBS"
	if ! make -j"$JOBS" distcheck; then
		show_failures hearsay-*/_build/sub/test-suite.log
		exit 1
	fi
)

step "all tests passed"
# One closing line in the plain form CI readers understand, counted from
# the sanitizer run's summary (distcheck repeats the same tests).
awk '/^# PASS:/ { p = $3 } /^# (FAIL|ERROR|XPASS):/ { f += $3 }
    END { printf "%d passed, %d failed\n", p, f }' build-san/test-suite.log
