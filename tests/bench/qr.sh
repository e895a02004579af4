#!/usr/bin/env bash
# tests/bench/qr.sh: QR images per second through nginx, SVG and PNG,
# beside a bare libfcgi loop answering a fixed 200 behind the same nginx
# in the same run (target: at least 0.5 of it); then the
# in-process cost beside libqrencode's own encode time.  The rates that
# count are uncached: nginx does not cache FastCGI here and hearsay-qr
# runs with HEARSAY_QR_CACHE=0, so every request is looked up, encoded
# and drawn (only the few-second "this code exists" memo stays on, as
# in production).  hearsay-qr is then restarted with its image cache on
# for the cached rate.  Prints numbers, asserts nothing.
set -euo pipefail
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir
STACK=$top_srcdir/tests/stack/hs-stack
DUR=${QR_BENCH_SECS:-10}
DIR=$(mktemp -d /tmp/hs-qrbench.XXXXXX)
BARE_PID=
QR_PID=
cleanup() {
	[[ -n $BARE_PID ]] && kill -TERM -- "-$BARE_PID" 2>/dev/null || true
	[[ -n $QR_PID ]] && kill -TERM -- "-$QR_PID" 2>/dev/null || true
	"$STACK" stop --dir "$DIR/stack" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT

WORKERS=2
HEARSAY_QR_CACHE=0 "$STACK" start --dir "$DIR/stack" --workers "$WORKERS" >/dev/null
eval "$("$STACK" env --dir "$DIR/stack")"
"$STACK" sql --dir "$DIR/stack" "INSERT INTO campaigns (slug, name,
    allowed_hosts, default_dest) VALUES ('b', 'b', 'example.org',
    'https://example.org/'); INSERT INTO links (code, campaign_id,
    destination) VALUES ('7K2M9QXA', LAST_INSERT_ID(), 'https://example.org/')"

# The reference: a bare libfcgi loop (as many processes as hearsay-qr
# has workers) behind the same nginx server, in a location like /qr/
# (nginx/bench.conf): the ratio is then the program's alone.
setsid "$top_builddir/tests/bench/qr_bare" "$HS_DIR/run/bench-bare.sock" \
    "$WORKERS" </dev/null &
BARE_PID=$!
for ((i = 0; i < 50; i++)); do
	[[ -S $HS_DIR/run/bench-bare.sock ]] && break
	sleep 0.1
done

rps() {
	wrk -t1 -c8 -d"${DUR}s" --timeout 10s "$1" | awk '/Requests\/sec/ { print $2 }'
}
bare=$(rps "$HS_URL/__bench/fcgi")
svg=$(rps "$HS_URL/qr/7K2M9QXA.svg")
png=$(rps "$HS_URL/qr/7K2M9QXA.png")

# The same again with the image cache on: hearsay-qr alone restarted.
pid=$("$STACK" pid --dir "$DIR/stack" qr)
kill -TERM -- "-$pid"
for ((i = 0; i < 50; i++)); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
rm -f "$HS_DIR/run/qr.sock"
HEARSAY_CONF=$HS_CONF setsid "$top_builddir/src/qr/hearsay-qr" -f "$HS_CONF" \
    </dev/null >>"$HS_DIR/log/qr.log" 2>&1 &
QR_PID=$!
for ((i = 0; i < 50; i++)); do
	[[ -S $HS_DIR/run/qr.sock ]] && break
	sleep 0.1
done
csvg=$(rps "$HS_URL/qr/7K2M9QXA.svg")
cpng=$(rps "$HS_URL/qr/7K2M9QXA.png")

echo "bare libfcgi 200: $bare req/s"
awk -v s="$svg" -v p="$png" -v cs="$csvg" -v cp="$cpng" -v b="$bare" 'BEGIN {
	printf "QR SVG uncached: %s req/s (%.2f of bare)\n", s, s / b
	printf "QR PNG uncached: %s req/s (%.2f of bare)\n", p, p / b
	printf "QR SVG cached:   %s req/s (%.2f of bare)\n", cs, cs / b
	printf "QR PNG cached:   %s req/s (%.2f of bare)\n", cp, cp / b }'
"$top_builddir/tests/bench/qr_inproc"
