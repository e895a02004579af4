# tests/it/lib.sh: sourced by the integration tests (bash).  It starts
# private stacks through tests/stack/hs-stack and offers a small TAP-ish
# assertion kit.  A test that needs the stack starts one: a stack that
# does not come up is a failure with the reason, never a skip.
#
#   hs_stack_start [hs-stack start options]   sets HS_DIR HS_PORT HS_URL
#                                             HS_CONF HS_DBSOCK HS_DBPORT
#   hs_stack_use DIR        make an already started stack the current one
#   hs_stack_stop [DIR]     stop one stack, or (no DIR) every stack started;
#                           each stop is an assertion: it fails when the
#                           stack's check fails (hs-stack: a sanitizer
#                           report in a log, a child killed by a signal
#                           the test did not send, a master that crashed
#                           or needed SIGKILL).  done_testing stops them.
#   hs_stack_stop_output DIR  for tests of that check: stops the stack,
#                           prints what the stop said, returns its status
#                           (asserting nothing) and forgets the stack
#   hs_kill SIG PID...      kill -SIG, declared to the check of every stack
#                           of this test (a SIGKILLed worker is expected)
#   hs_expect_signal SIG [PID...]  declares without sending: PID killed by
#                           SIG (no PID: any process of the stack) is
#                           expected, e.g. when the test's load makes a
#                           master kill its own children
#   hs_sql "QUERY"          mariadb -N -B against database hearsay (root)
#   hs_db_stop | hs_db_start | hs_db_kill     fault injection (current stack)
#   hs_restart NAME         stop one program (drained) and start it again
#   hs_pid NAME             pid of a program (health link survey qr report),
#                           nginx or mariadbd in the current stack
#   ok CMD...               passes when CMD exits 0
#   is GOT WANT [DESC]      passes when GOT = WANT
#   isnt GOT UNWANTED [DESC]
#   like GOT REGEX [DESC]   passes when GOT matches the (bash) REGEX
#   unlike GOT REGEX [DESC]
#   pass DESC | fail DESC   record a result directly
#   diag MSG...             a note on stderr
#   hs_skip WHAT WHY        a part of the test not run, said on stderr as
#                           "HS-SKIP: test: WHAT: WHY" (test-all.sh counts
#                           these lines, and CI fails on them)
#   http_status METHOD PATH [curl args]   prints the status (000: no answer)
#   http_fetch METHOD PATH [curl args]    sets HTTP_STATUS, HTTP_HEADERS
#                                         and HTTP_BODY (file paths)
#   done_testing            prints "N passed, M failed, K skipped"; exits
#                           1 on any failure or when nothing was asserted
#   hs_browser_setup NAME   before hs_stack_start in a browser test: the
#                           stack serves marked templates (HS_HTML_DIR),
#                           axe-core is installed (HS_AXE_JS) and the
#                           pages the test audits go to HS_PAGES_SEEN
#                           (see hs_browser.py and pages_list.sh)
#
# Also: HS_TMP, a scratch directory removed at exit; HS_STACK, the path of
# hs-stack (for its other subcommands: logs, pid, ...).  lib.sh owns the
# EXIT trap (it stops the stacks): a test that needs its own cleanup
# calls hs_on_exit at the end of its trap instead of replacing it.
#
# Rate limits: in a test stack 127.0.0.1 is exempt (benchmarks); a
# request from any other loopback address (curl --interface 127.0.0.2)
# meets the production limits.
#
# Environment: top_srcdir and top_builddir (exported by make check);
# without them they are derived from this file's location, the build
# tree being the source tree.  HS_KEEP=1 keeps the stack directories.

# The sourcing script is expected to run with set -euo pipefail; the kit
# itself never lets a failing check end the script early.

if [[ -z ${top_srcdir:-} ]]; then
	top_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir

HS_STACK=$top_srcdir/tests/stack/hs-stack
HS_STACKS=()		# directories of the stacks this test started
HS_PASSED=0
HS_FAILED=0
HS_TESTNUM=0
HS_SKIPPED=0

# ------------------------------------------------------------ assertions

diag() {
	local l
	for l in "$@"; do
		echo "# $l" >&2
	done
}

pass() {
	HS_TESTNUM=$((HS_TESTNUM + 1))
	HS_PASSED=$((HS_PASSED + 1))
	echo "ok $HS_TESTNUM - $1"
}

fail() {
	HS_TESTNUM=$((HS_TESTNUM + 1))
	HS_FAILED=$((HS_FAILED + 1))
	echo "not ok $HS_TESTNUM - $1"
	# Where in the test script: the caller of the assertion.
	local i
	for ((i = 1; i < ${#FUNCNAME[@]}; i++)); do
		case ${FUNCNAME[$i]} in
		fail | ok | is | isnt | like | unlike) continue ;;
		esac
		diag "at ${BASH_SOURCE[$i]}:${BASH_LINENO[$((i - 1))]}"
		break
	done
}

hs_skip() {
	HS_SKIPPED=$((HS_SKIPPED + 1))
	echo "HS-SKIP: ${0##*/}: $1: $2" >&2
}

ok() {
	if "$@"; then
		pass "$*"
	else
		fail "$* (exit $?)"
	fi
}

is() {
	local got=$1 want=$2 desc=${3:-"'$1' = '$2'"}
	if [[ $got == "$want" ]]; then
		pass "$desc"
	else
		fail "$desc"
		diag "     got: '$got'" "expected: '$want'"
	fi
}

isnt() {
	local got=$1 bad=$2 desc=${3:-"'$1' != '$2'"}
	if [[ $got != "$bad" ]]; then
		pass "$desc"
	else
		fail "$desc"
		diag "     got: '$got'" "expected anything else"
	fi
}

like() {
	local got=$1 re=$2 desc=${3:-"'$1' =~ /$2/"}
	if [[ $got =~ $re ]]; then
		pass "$desc"
	else
		fail "$desc"
		diag "     got: '${got:0:500}'" "expected to match: /$re/"
	fi
}

unlike() {
	local got=$1 re=$2 desc=${3:-"'$1' !~ /$2/"}
	if ! [[ $got =~ $re ]]; then
		pass "$desc"
	else
		fail "$desc"
		diag "     got: '${got:0:500}'" "expected not to match: /$re/"
	fi
}

done_testing() {
	# The stops are assertions too: what went wrong inside the daemons
	# fails the test, before the count is made.
	hs_stack_stop
	echo "1..$HS_TESTNUM"
	echo "$HS_PASSED passed, $HS_FAILED failed, $HS_SKIPPED skipped"
	if ((HS_TESTNUM == 0)); then
		diag "no assertion ran"
		exit 1
	fi
	((HS_FAILED == 0)) || exit 1
	exit 0
}

# ------------------------------------------------------------ HTTP

# curl against the current stack.  HEAD needs -I (with -X HEAD curl waits
# for a body that never comes); a bounded time so a hung server fails the
# test instead of the suite's timeout.
hs_curl_method() {
	case $1 in
	HEAD) echo -I ;;
	*) echo "-X$1" ;;
	esac
}

http_status() {
	local method=$1 path=$2
	shift 2
	curl -q -s -o /dev/null -w '%{http_code}' --max-time 20 \
	    "$(hs_curl_method "$method")" "$@" "$HS_URL$path" || true
}

http_fetch() {
	local method=$1 path=$2
	shift 2
	HTTP_HEADERS=$HS_TMP/headers.$$
	HTTP_BODY=$HS_TMP/body.$$
	: >"$HTTP_HEADERS"
	: >"$HTTP_BODY"
	HTTP_STATUS=$(curl -q -s -D "$HTTP_HEADERS" -o "$HTTP_BODY" \
	    -w '%{http_code}' --max-time 20 "$(hs_curl_method "$method")" \
	    "$@" "$HS_URL$path" || true)
}

# ------------------------------------------------------------ stacks

hs_stack_use() {
	local env
	env=$("$HS_STACK" env --dir "$1") || return 1
	eval "$env"
	export HS_DIR HS_PORT HS_URL HS_CONF HS_DBSOCK HS_DBPORT
}

# On failure the stack's logs go to the test's log, so a CI failure can
# be read without the (deleted) directory.  HS_KEEP=1 keeps directories.
hs_stack_stop() {
	local dirs=("$@") d rest=()
	if ((${#dirs[@]} == 0)); then
		dirs=("${HS_STACKS[@]}")
	fi
	for d in "${dirs[@]}"; do
		[[ -n $d && -d $d ]] || continue
		if "$HS_STACK" stop --dir "$d"; then
			pass "the stack in $d stopped cleanly: no sanitizer report, no unexpected signal, no SIGKILL"
		else
			fail "the stack in $d: the check at stop failed (see above)"
		fi
		# After the stop, so that what the programs wrote at exit
		# (a leak report) is there too.
		if ((HS_FAILED > 0)); then
			diag "logs of the stack in $d:"
			"$HS_STACK" logs --dir "$d" 60 2>&1 | sed 's/^/# /' >&2 || true
		fi
		if [[ ${HS_KEEP:-0} == 1 ]]; then
			diag "kept $d"
		else
			hs_umount_below "$d"
			rm -rf "$d" || diag "could not remove $d"
		fi
	done
	for d in "${HS_STACKS[@]}"; do
		[[ " ${dirs[*]} " == *" $d "* ]] || rest+=("$d")
	done
	HS_STACKS=("${rest[@]}")
}

# A test may have mounted a small tmpfs in the stack (its spool); the
# stack is stopped now, so nothing holds it: unmount before removing.
hs_umount_below() {
	local m
	while read -r _ m _; do
		[[ $m == "$1"/* ]] && umount -l "$m"
	done < <(cat /proc/mounts)
	return 0
}

# For the tests of the stop check itself (see the top).
hs_stack_stop_output() {
	local d=$1 rc=0 rest=() x
	"$HS_STACK" stop --dir "$d" 2>&1 || rc=$?
	for x in "${HS_STACKS[@]}"; do
		[[ $x == "$d" ]] || rest+=("$x")
	done
	HS_STACKS=("${rest[@]}")
	if [[ ${HS_KEEP:-0} == 1 ]]; then
		diag "kept $d"
	else
		hs_umount_below "$d"
		rm -rf "$d" || diag "could not remove $d"
	fi
	return "$rc"
}

# Signals, as numbers, for D/expected-signals.
hs_signum() {
	case $1 in
	[0-9]*) echo "$1" ;;
	*) kill -l "${1#SIG}" ;;
	esac
}

hs_expect_signal() {
	local sig d p
	sig=$(hs_signum "$1") || return 1
	shift
	for d in "${HS_STACKS[@]}"; do
		[[ -d $d ]] || continue
		if (($#)); then
			for p in "$@"; do
				echo "$p $sig" >>"$d/expected-signals"
			done
		else
			echo "* $sig" >>"$d/expected-signals"
		fi
	done
}

hs_kill() {
	local sig=$1
	shift
	(($#)) || return 1
	hs_expect_signal "$sig" "$@"
	kill "-$sig" "$@"
}

# Stops what this test started however it ends (failure, set -e, ^C).
# A test that ended early still fails when the check of a stop fails.
hs_on_exit() {
	local rc=$? failed=$HS_FAILED
	trap - EXIT
	hs_stack_stop
	((HS_FAILED == failed || rc != 0)) || rc=1
	rm -rf "$HS_TMP"
	exit "$rc"
}

hs_stack_start() {
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/hs-it.XXXXXX")
	HS_STACKS+=("$dir")
	if ! "$HS_STACK" start --dir "$dir" "$@"; then
		fail "stack start ($*) in $dir"
		diag "the stack did not start: see the messages above"
		echo "Bail out! stack did not start"
		hs_stack_stop "$dir"
		done_testing
	fi
	hs_stack_use "$dir"
}

# A long statement (an IN list of thousands of ids) goes through stdin:
# one argument is limited to 128 KiB (E2BIG).
hs_sql() {
	if (($# == 1)) && ((${#1} > 65536)); then
		printf '%s\n' "$1" | "$HS_STACK" sql --dir "$HS_DIR"
	else
		"$HS_STACK" sql --dir "$HS_DIR" "$@"
	fi
}

# hs_sums "T1, T2, ...": one line, each table's row count and the XOR of
# a CRC32 per row over its stored columns.  Not CHECKSUM TABLE: it reads
# generated columns (attributions.flagged, clicks.clicked_day) from
# whatever the row buffer last held, and two equal tables can differ.
hs_sums() {
	local t list= q
	for t in ${1//,/ }; do
		list+="${list:+,}'$t'"
	done
	q=$(hs_sql "SET SESSION group_concat_max_len = 1000000;
	    SELECT CONCAT('SELECT ''', TABLE_NAME, ''', COUNT(*), ',
	    'COALESCE(BIT_XOR(CRC32(CONCAT_WS(0x1f, ', GROUP_CONCAT(CONCAT(
	    'COALESCE(HEX(\`', COLUMN_NAME, '\`), ''-'')') ORDER BY
	    ORDINAL_POSITION), '))), 0) FROM \`', TABLE_NAME, '\`;')
	    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
	    AND TABLE_NAME IN ($list) AND IS_GENERATED = 'NEVER'
	    GROUP BY TABLE_NAME ORDER BY TABLE_NAME")
	hs_sql "$q" | awk '{ printf "%s=%s:%s ", $1, $2, $3 }'
}

hs_db_stop() { "$HS_STACK" db-stop --dir "$HS_DIR"; }
hs_db_start() { "$HS_STACK" db-start --dir "$HS_DIR"; }
hs_db_kill() { "$HS_STACK" db-kill --dir "$HS_DIR"; }
hs_pid() { "$HS_STACK" pid --dir "$HS_DIR" "$1"; }
hs_restart() { "$HS_STACK" restart --dir "$HS_DIR" "$1"; }

# Polls CMD (a shell string) until it prints WANT, up to SECS seconds.
wait_for() {
	local secs=$1 want=$2 cmd=$3 i got=
	for ((i = 0; i < secs * 10; i++)); do
		got=$(eval "$cmd" 2>/dev/null || true)
		[[ $got == "$want" ]] && return 0
		sleep 0.1
	done
	diag "waited ${secs}s for '$cmd' = '$want'; last: '$got'"
	return 1
}

# ------------------------------------------------------------ browser tests

# Installs axe-core, pinned by tests/browser/package-lock.json, with npm ci
# into the build tree's cache (once per build tree and lock file; parallel
# tests wait on a lock) and sets HS_AXE_JS to its axe.min.js.
hs_axe_install() {
	local src=$top_srcdir/tests/browser dir=$top_builddir/tests/.cache/browser
	mkdir -p "$dir"
	if ! (
		flock 9
		if cmp -s "$src/package-lock.json" "$dir/package-lock.json" &&
		    [[ -s $dir/node_modules/axe-core/axe.min.js ]]; then
			exit 0
		fi
		rm -rf "$dir/new" "$dir/node_modules" "$dir/package-lock.json"
		mkdir "$dir/new"
		cp "$src/package.json" "$src/package-lock.json" "$dir/new/"
		(cd "$dir/new" && npm ci --ignore-scripts --no-audit --no-fund \
		    --loglevel=error) >&2 || exit 1
		mv "$dir/new/node_modules" "$dir/node_modules"
		mv "$dir/new/package-lock.json" "$dir/package-lock.json"
		rm -rf "$dir/new"
	) 9>"$dir.lock"; then
		fail "npm ci of axe-core (tests/browser/package-lock.json)"
		echo "Bail out! axe-core could not be installed"
		done_testing
	fi
	HS_AXE_JS=$dir/node_modules/axe-core/axe.min.js
	export HS_AXE_JS
}

# A copy of html/ in which every template ends with a comment naming its
# file, so that the browser tests see which templates made each page they
# audit: a template that no listed page renders fails pages_list.sh.
hs_html_marked() {
	local f
	HS_HTML_DIR=$HS_TMP/html
	rm -rf "$HS_HTML_DIR"
	cp -R "$top_srcdir/html" "$HS_HTML_DIR"
	for f in "$HS_HTML_DIR"/*.html; do
		printf '<!--hs-template:%s-->\n' "${f##*/}" >>"$f"
	done
	export HS_HTML_DIR
}

hs_browser_setup() {
	hs_axe_install
	hs_html_marked
	HS_PAGES_SEEN=$top_builddir/tests/it/$1.pages
	mkdir -p "${HS_PAGES_SEEN%/*}"
	: >"$HS_PAGES_SEEN"
	export HS_PAGES_SEEN
}

HS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hs-it-tmp.XXXXXX")
trap hs_on_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
