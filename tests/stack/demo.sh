#!/usr/bin/env bash
# demo.sh: build hearsay and run a demo stack on http://127.0.0.1:8080/
# with demo data, until Ctrl-C.
#
#   tests/stack/demo.sh [--port P] [--detach]
#
# --detach leaves the stack running and prints how to stop it.  The stack
# lives in ./build/demo-stack (MariaDB data, logs, rendered nginx config).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
PORT=8080 DETACH=0
while (($#)); do
	case $1 in
	--port) PORT=${2:?--port needs a value}; shift 2 ;;
	--detach) DETACH=1; shift ;;
	-h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "demo.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

tests/stack/deps.sh
[[ -x configure ]] || autoreconf -fi
mkdir -p build
(
	cd build
	[[ -f Makefile ]] || ../configure
	make -j"${JOBS:-2}"
)

export top_srcdir=$top top_builddir=$top/build
DIR=$top/build/demo-stack
HS=$top/tests/stack/hs-stack
# A fresh demo each time: the previous one's data is not kept.
"$HS" stop --dir "$DIR" 2>/dev/null || true
rm -rf "$DIR"
"$HS" start --dir "$DIR" --port "$PORT" --demo

if ((DETACH)); then
	echo
	echo "The demo stack keeps running.  Stop it with:"
	echo "  $HS stop --dir $DIR"
	exit 0
fi
trap '"$HS" stop --dir "$DIR"; exit 0' INT TERM
echo
echo "Press Ctrl-C to stop."
# sleep in the background so the trap runs at once on Ctrl-C.
while :; do
	sleep 3600 &
	wait $! || true
done
