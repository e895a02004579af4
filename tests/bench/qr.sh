#!/usr/bin/env bash
# tests/bench/qr.sh: QR images per second through nginx (uncached: nginx
# does not cache FastCGI here), SVG and PNG, beside a bare libfcgi loop
# answering a fixed 200 behind a second, minimal nginx in the same run
# (target: at least 0.5 of it); then the in-process cost beside
# libqrencode's own encode time.  Prints numbers, asserts nothing.
set -euo pipefail
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export top_srcdir top_builddir
STACK=$top_srcdir/tests/stack/hs-stack
DUR=${QR_BENCH_SECS:-10}
DIR=$(mktemp -d /tmp/hs-qrbench.XXXXXX)
BARE_PID=
cleanup() {
	[[ -n $BARE_PID ]] && kill "$BARE_PID" 2>/dev/null || true
	[[ -s $DIR/bare/nginx.pid ]] && kill -QUIT "$(cat "$DIR/bare/nginx.pid")" 2>/dev/null || true
	"$STACK" stop --dir "$DIR/stack" >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT

"$STACK" start --dir "$DIR/stack" --workers 2 >/dev/null
eval "$("$STACK" env --dir "$DIR/stack")"
"$STACK" sql --dir "$DIR/stack" "INSERT INTO campaigns (slug, name,
    allowed_hosts, default_dest) VALUES ('b', 'b', 'example.org',
    'https://example.org/'); INSERT INTO links (code, campaign_id,
    destination) VALUES ('7K2M9QXA', LAST_INSERT_ID(), 'https://example.org/')"

# The reference: a bare libfcgi loop behind its own minimal nginx.
mkdir -p "$DIR/bare/tmp"
"$top_builddir/tests/bench/qr_bare" "$DIR/bare/bare.sock" &
BARE_PID=$!
PORT=$((33000 + RANDOM % 2000))
cat >"$DIR/bare/nginx.conf" <<-CONF
worker_processes 2;
pid $DIR/bare/nginx.pid;
error_log $DIR/bare/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $DIR/bare/tmp; fastcgi_temp_path $DIR/bare/tmp;
	proxy_temp_path $DIR/bare/tmp; scgi_temp_path $DIR/bare/tmp;
	uwsgi_temp_path $DIR/bare/tmp;
	server {
		listen 127.0.0.1:$PORT;
		location / { fastcgi_keep_conn off; fastcgi_pass unix:$DIR/bare/bare.sock; }
	}
}
CONF
sleep 0.5
nginx -p "$DIR/bare" -c "$DIR/bare/nginx.conf" -g 'daemon on;'
sleep 0.5

rps() {
	wrk -t1 -c8 -d"${DUR}s" --timeout 10s "$1" | awk '/Requests\/sec/ { print $2 }'
}
bare=$(rps "http://127.0.0.1:$PORT/x")
svg=$(rps "$HS_URL/qr/7K2M9QXA.svg")
png=$(rps "$HS_URL/qr/7K2M9QXA.png")
echo "bare libfcgi 200: $bare req/s"
awk -v s="$svg" -v p="$png" -v b="$bare" 'BEGIN {
	printf "QR SVG: %s req/s (%.2f of bare)\n", s, s / b
	printf "QR PNG: %s req/s (%.2f of bare)\n", p, p / b }'
"$top_builddir/tests/bench/qr_inproc"
