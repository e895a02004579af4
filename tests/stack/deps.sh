#!/usr/bin/env bash
# deps.sh: installs what building and testing hearsay needs on Debian 12.
# Idempotent and quick when everything is there (no apt-get update then).
# Services that the packages bring (MariaDB, nginx) are neither started
# nor enabled: the test stacks run their own private servers.
set -euo pipefail

PKGS=(
	# build (gettext: msgfmt compiles the message catalogues, po/)
	build-essential autoconf automake libtool pkg-config
	libfcgi-dev libmariadb-dev libqrencode-dev libsodium-dev libpng-dev
	libutf8proc-dev libjansson-dev libcurl4-openssl-dev check gettext
	# the stack
	mariadb-server mariadb-client nginx-light libfcgi-bin
	# a Galera cluster for make check-cluster (mariadb-server depends on
	# it; named because the cluster suite uses it directly)
	galera-4
	# test tools: HTTP, sockets (ss), QR decoding (round trips), man page
	# lint, fuzzing and sanitizers with clang, load, a headless browser,
	# leaks, a throw-away TLS certificate
	curl openssl iproute2 qrencode zbar-tools poppler-utils mandoc clang libclang-rt-14-dev wrk
	chromium chromium-driver python3-selenium fonts-dejavu-core valgrind
	# and what the scripts call beside them: pgrep and ps (procps), xxd,
	# file (image sizes), bc (benchmark ratios), flock and taskset
	# (util-linux)
	procps xxd file bc util-linux
	# python3 runs the socket-activation shim and the browser tests; the
	# tests call it as /usr/bin/python3, the one python3-selenium serves
	python3
)
# npm installs axe-core for the browser tests (tests/it/lib.sh's
# hs_axe_install runs npm ci of tests/browser/package-lock.json).  A node
# from elsewhere (NodeSource's nodejs carries its own npm) is kept.
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing() {
	local p st
	for p in "${PKGS[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ $st == installed ]] || echo "$p"
	done
}

main() {
	local need sudo=() policy=/usr/sbin/policy-rc.d saved=
	mapfile -t need < <(missing)
	if ((${#need[@]} == 0)); then
		echo "deps.sh: all ${#PKGS[@]} packages present"
		return 0
	fi
	echo "deps.sh: installing ${need[*]}"
	if (($(id -u) != 0)); then
		command -v sudo >/dev/null ||
		    { echo "deps.sh: not root and no sudo; install: ${need[*]}" >&2; exit 1; }
		sudo=(sudo)
	fi

	# policy-rc.d exiting 101 tells invoke-rc.d and deb-systemd-invoke
	# "do not start": a postinst then leaves mariadb and nginx stopped.
	# An existing policy is kept aside and put back.
	if [[ -e $policy ]]; then
		saved=$(mktemp)
		"${sudo[@]}" cp -p "$policy" "$saved"
	fi
	# shellcheck disable=SC2064
	trap "restore_policy '$saved'" EXIT
	printf '#!/bin/sh\n# deps.sh: no service starts during install\nexit 101\n' |
	    "${sudo[@]}" tee "$policy" >/dev/null
	"${sudo[@]}" chmod 0755 "$policy"

	export DEBIAN_FRONTEND=noninteractive
	local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q
	    -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
	    -o Dpkg::Options::=--force-confold)
	"${apt[@]}" update
	"${apt[@]}" install -y --no-install-recommends "${need[@]}"

	mapfile -t need < <(missing)
	if ((${#need[@]})); then
		echo "deps.sh: still missing after install: ${need[*]}" >&2
		exit 1
	fi
	echo "deps.sh: done"
}

restore_policy() {
	local saved=$1 sudo=()
	(($(id -u) == 0)) || sudo=(sudo)
	if [[ -n $saved ]]; then
		"${sudo[@]}" cp -p "$saved" /usr/sbin/policy-rc.d
		rm -f "$saved"
	else
		"${sudo[@]}" rm -f /usr/sbin/policy-rc.d
	fi
}

main "$@"
