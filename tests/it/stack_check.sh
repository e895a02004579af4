#!/usr/bin/env bash
# stack_check.sh: the check that hs-stack runs at every stop (and that
# lib.sh turns into an assertion) fails on what happens inside the
# daemons, which no HTTP answer shows: a worker killed by a signal the
# test did not send (a crash nginx hides by resending), a program's or
# nginx's worker crashing, a master gone before the stop, a master that
# needed SIGKILL, and -- through the test hooks (configure
# --enable-test-hooks, on in the sanitizer build) -- a worker that aborts,
# overflows a heap buffer (ASan) or a signed integer (UBSan), or hangs.
# A signal the test declares (hs_kill) passes.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hooks=0 san=0
grep -q '^#define HS_TEST_HOOKS 1' "$top_builddir/config.h" && hooks=1
grep -q -- '-fsanitize=address' "$top_builddir/Makefile" && san=1
# Stated, not skipped: which faults this build can commit.
diag "test hooks: $hooks, sanitizers: $san (faults without them are" \
    "committed from outside the worker)"

# The programs read HS_TEST_FAULT=1 at start: only then do the hooks act.
HS_TEST_FAULT=1 hs_stack_start --workers 1
log=$HS_DIR/log/health.log
check() { "$HS_STACK" check --dir "$HS_DIR" 2>&1; }

# Waits until the program log holds a line matching the ERE.
wait_log() {
	local f=$1 re=$2 i
	for ((i = 0; i < 300; i++)); do
		grep -qE -- "$re" "$f" && return 0
		sleep 0.1
	done
	diag "no line /$re/ in $f after 30s"
	return 1
}

# The health program's one worker, once the master has one.
worker_of() {
	local master i w
	master=$(hs_pid "$1")
	for ((i = 0; i < 100; i++)); do
		w=$(pgrep -P "$master" | head -n1 || true)
		[[ -n $w && $w != "${2:-}" ]] && { echo "$w"; return 0; }
		sleep 0.1
	done
	return 1
}

ok check

# --- a declared SIGKILL is expected: the check passes
w=$(worker_of health)
hs_kill KILL "$w"
ok wait_log "$log" "child $w killed by signal 9"
if out=$(check); then pass "a worker SIGKILLed through hs_kill passes the check"
else fail "a worker SIGKILLed through hs_kill passes the check"; diag "$out"; fi

# --- a signal nobody declared (the worker crashed) fails it.  (SIGUSR2:
# libfcgi catches SIGUSR1 as its own shutdown request.)
w=$(worker_of health "$w")
kill -USR2 "$w"
ok wait_log "$log" "child $w killed by signal 12"
if out=$(check); then fail "an undeclared worker death fails the check"
else like "$out" "health.log: process $w killed by signal 12 \(USR2\), which the test did not send" \
    "an undeclared worker death fails the check, naming it"; fi

# --- nginx's own workers: one killed behind nginx's back
nw=$(pgrep -P "$(hs_pid nginx)" | head -n1)
kill -KILL "$nw"
ok wait_log "$HS_DIR/log/nginx-error.log" "process $nw exited on signal 9"
like "$(check || true)" "nginx-error.log: process $nw killed by signal 9" \
    "a crashed nginx worker fails the check"

# --- faults inside a worker (test hooks)
if ((hooks)); then
	http_status GET '/health?hs-test-fault=abort' --max-time 5 >/dev/null
	ok wait_log "$log" 'test hook: fault "abort"'
	ok wait_log "$log" "killed by signal 6"
	like "$(check || true)" "health.log: process [0-9]+ killed by signal 6 \(ABRT\)" \
	    "a worker that aborts fails the check"
	ok wait_for 20 200 'http_status GET /health'
else
	diag "no test hooks in this build: a worker's abort() is not committed"
fi
if ((hooks && san)); then
	http_status GET '/health?hs-test-fault=asan' --max-time 5 >/dev/null
	ok wait_log "$log" 'AddressSanitizer'
	like "$(check || true)" "health.log: sanitizer: .*AddressSanitizer: heap-buffer-overflow" \
	    "a heap overflow in a worker (ASan report) fails the check"
	http_status GET '/health?hs-test-fault=ubsan' --max-time 5 >/dev/null
	ok wait_log "$log" 'runtime error'
	like "$(check || true)" "health.log: sanitizer: .*runtime error: signed integer overflow" \
	    "a signed overflow in a worker (UBSan report) fails the check"
else
	diag "not a sanitizer build with test hooks: no ASan or UBSan report to" \
	    "provoke (the sanitizer build runs those cases)"
fi

# --- masters: one crashed before the stop, one that ignores SIGTERM
qrm=$(hs_pid qr)
kill -USR2 "$qrm"
for ((i = 0; i < 100; i++)); do kill -0 "$qrm" 2>/dev/null || break; sleep 0.1; done
kill -STOP "$(hs_pid survey)"
if ((hooks)); then
	# Holds SIGTERM blocked forever inside a request: the master's
	# drain cannot end.
	http_status GET '/health?hs-test-fault=hang' --max-time 2 >/dev/null
	ok wait_log "$log" 'test hook: fault "hang"'
fi
dir=$HS_DIR
if out=$(hs_stack_stop_output "$dir"); then
	fail "the stop fails the test"
	diag "$out"
else
	pass "the stop fails the test"
	like "$out" "hearsay-qr: its master \($qrm\) was gone before the stop" \
	    "a master that died before the stop is named"
	like "$out" "hearsay-survey: its master \([0-9]+\) did not exit within [0-9]+s of SIGTERM and needed SIGKILL" \
	    "a master that needed SIGKILL is named"
	if ((hooks)); then
		like "$out" "hearsay-health: its master \([0-9]+\) did not exit .* needed SIGKILL" \
		    "a worker hung in a request makes its master need SIGKILL"
	fi
	like "$out" "process $w killed by signal 12" \
	    "the stop repeats the log findings"
fi
ok test ! -e "$dir"

done_testing
