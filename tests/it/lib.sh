# tests/it/lib.sh: sourced by the integration tests (bash).  It starts
# private stacks through tests/stack/hs-stack and offers a small TAP-ish
# assertion kit.  A test that needs the stack starts one: a stack that
# does not come up is a failure with the reason, never a skip.
#
#   hs_stack_start [hs-stack start options]   sets HS_DIR HS_PORT HS_URL
#                                             HS_CONF HS_DBSOCK HS_DBPORT
#   hs_stack_use DIR        make an already started stack the current one
#   hs_stack_stop [DIR]     stop one stack, or (no DIR) every stack started
#   hs_sql "QUERY"          mariadb -N -B against database hearsay (root)
#   hs_db_stop | hs_db_start | hs_db_kill     fault injection (current stack)
#   hs_pid NAME             pid of a program (health link survey qr report),
#                           nginx or mariadbd in the current stack
#   ok CMD...               passes when CMD exits 0
#   is GOT WANT [DESC]      passes when GOT = WANT
#   isnt GOT UNWANTED [DESC]
#   like GOT REGEX [DESC]   passes when GOT matches the (bash) REGEX
#   unlike GOT REGEX [DESC]
#   pass DESC | fail DESC   record a result directly
#   diag MSG...             a note on stderr
#   http_status METHOD PATH [curl args]   prints the status (000: no answer)
#   http_fetch METHOD PATH [curl args]    sets HTTP_STATUS, HTTP_HEADERS
#                                         and HTTP_BODY (file paths)
#   done_testing            prints "N passed, M failed"; exits 1 on any
#                           failure or when nothing was asserted
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
	echo "1..$HS_TESTNUM"
	echo "$HS_PASSED passed, $HS_FAILED failed"
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
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
	    "$(hs_curl_method "$method")" "$@" "$HS_URL$path" || true
}

http_fetch() {
	local method=$1 path=$2
	shift 2
	HTTP_HEADERS=$HS_TMP/headers.$$
	HTTP_BODY=$HS_TMP/body.$$
	: >"$HTTP_HEADERS"
	: >"$HTTP_BODY"
	HTTP_STATUS=$(curl -s -D "$HTTP_HEADERS" -o "$HTTP_BODY" \
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
		if ((HS_FAILED > 0)); then
			diag "logs of the stack in $d:"
			"$HS_STACK" logs --dir "$d" 40 2>&1 | sed 's/^/# /' >&2 || true
		fi
		"$HS_STACK" stop --dir "$d" || diag "stopping the stack in $d failed"
		if [[ ${HS_KEEP:-0} == 1 ]]; then
			diag "kept $d"
		else
			rm -rf "$d"
		fi
	done
	for d in "${HS_STACKS[@]}"; do
		[[ " ${dirs[*]} " == *" $d "* ]] || rest+=("$d")
	done
	HS_STACKS=("${rest[@]}")
}

# Stops what this test started however it ends (failure, set -e, ^C).
hs_on_exit() {
	local rc=$?
	trap - EXIT
	hs_stack_stop
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

hs_sql() {
	"$HS_STACK" sql --dir "$HS_DIR" "$@"
}

hs_db_stop() { "$HS_STACK" db-stop --dir "$HS_DIR"; }
hs_db_start() { "$HS_STACK" db-start --dir "$HS_DIR"; }
hs_db_kill() { "$HS_STACK" db-kill --dir "$HS_DIR"; }
hs_pid() { "$HS_STACK" pid --dir "$HS_DIR" "$1"; }

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
