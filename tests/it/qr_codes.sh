#!/usr/bin/env bash
# tests/it/qr_codes.sh: GET /qr/<code>.png|.svg through nginx.  Every code
# drawn here is read back by a real decoder (zbarimg; SVGs rendered by
# headless Chromium first) and must give exactly base_url/i/CODE?qr=1,
# across ECC levels, sizes, margins, colours and both formats.  Bad
# parameters, unknown codes and path tricks get a 4xx page, never an
# image; HEAD, 405, ETag/304 and the SVG's size against qrencode's.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

ADMIN=$top_builddir/src/admin/hearsay-admin

hs_stack_start
admin() { "$ADMIN" -f "$HS_CONF" "$@"; }

hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('qrc', 'QR test', 'example.org', 'https://example.org/')"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('hq', 'Host Q')"
out=$(admin event create --name "QR test" --campaign qrc --host hq --tables 8)
like "$out" '^event [0-9]+ ' "event create prints the event"
read -r -a codes <<<"$(sed 's/.*code //' <<<"$out")"
is "${#codes[@]}" 9 "the event has its own code and 8 table codes"
C=${codes[0]}
url() { echo "$HS_URL/i/$1?qr=1"; }

decode() {
	zbarimg -q --raw "$1" 2>/dev/null || true
}

# --- PNG: every ECC level, several sizes, margins and colours decode
n=0
for v in "ecc=L&s=3" "ecc=M" "ecc=Q&s=5&m=8" "ecc=H&s=12" "s=20&fg=navy&bg=ivory" \
    "fg=maroon&m=4&ecc=H" "fg=darkgreen&s=2"; do
	http_fetch GET "/qr/$C.png?$v"
	is "$HTTP_STATUS" 200 "PNG $v: 200"
	like "$(cat "$HTTP_HEADERS")" $'Content-Type: image/png\r' "PNG $v: image/png"
	cp "$HTTP_BODY" "$HS_TMP/p$n.png"
	is "$(decode "$HS_TMP/p$n.png")" "$(url "$C")" "PNG $v decodes to the link"
	n=$((n + 1))
done
# The size parameter is pixels per module: s=3 vs s=12 at the same ECC.
w3=$(file "$HS_TMP/p0.png" | sed -n 's/.* \([0-9]*\) x [0-9]*.*/\1/p')
is "$((w3 % 3))" 0 "s=3: the image side is a multiple of 3"

# --- SVG: one code per variant, all drawn on one page by Chromium
variants=("ecc=L" "ecc=M" "ecc=Q" "ecc=H" "s=4" "s=12&m=6" "fg=navy&bg=ivory" "ecc=H&fg=maroon")
page=$HS_TMP/svgs.html
echo '<!doctype html><html><body style="margin:0;background:#fff">' >"$page"
want=()
for i in "${!variants[@]}"; do
	c=${codes[$((i + 1))]}
	http_fetch GET "/qr/$c.svg?${variants[$i]}"
	is "$HTTP_STATUS" 200 "SVG ${variants[$i]}: 200"
	like "$(cat "$HTTP_HEADERS")" $'Content-Type: image/svg\\+xml; charset=utf-8\r' \
	    "SVG: image/svg+xml"
	like "$(cat "$HTTP_HEADERS")" $'Content-Security-Policy: default-src \'none\'; frame-ancestors \'none\'\r' \
	    "SVG: a CSP that lets it do nothing"
	cp "$HTTP_BODY" "$HS_TMP/s$i.svg"
	# Shown at 5 px per module whatever s is, so the page stays small.
	echo "<img src=\"s$i.svg\" width=\"220\" height=\"220\" style=\"margin:20px\">" >>"$page"
	want+=("$(url "$c")")
done
echo '</body></html>' >>"$page"
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$HS_TMP/chrome" --hide-scrollbars \
    --window-size=1100,600 --screenshot="$HS_TMP/svgs.png" \
    "file://$page" >/dev/null 2>&1 || true
got=$(decode "$HS_TMP/svgs.png" | sort)
is "$got" "$(printf '%s\n' "${want[@]}" | sort)" \
    "all 8 SVG variants, rendered by Chromium, decode to their links"

# --- compact SVG: at most a fifth of qrencode -t SVG for the same content
http_fetch GET "/qr/$C.svg"
mine=$(wc -c <"$HTTP_BODY")
theirs=$(qrencode -t SVG -o - "$(url "$C")" | wc -c)
ok test $((mine * 5)) -le "$theirs"
diag "SVG bytes: hearsay $mine, qrencode $theirs"
like "$(cat "$HTTP_BODY")" 'shape-rendering="crispEdges"' "SVG: crispEdges"
is "$(grep -o '<path' "$HTTP_BODY" | wc -l)" 2 "SVG: a background and one path, no rects"

# --- caching: strong ETag, 304, a year's immutable cache
http_fetch GET "/qr/$C.png"
etag=$(sed -n 's/^ETag: \(".*"\)\r$/\1/p' "$HTTP_HEADERS")
like "$etag" '^"[0-9a-f]{32}"$' "a strong ETag"
like "$(cat "$HTTP_HEADERS")" $'Cache-Control: public, max-age=31536000, immutable\r' \
    "cached for a year, immutable"
like "$(cat "$HTTP_HEADERS")" $'X-Content-Type-Options: nosniff\r' "nosniff"
is "$(http_status GET "/qr/$C.png" -H "If-None-Match: $etag")" 304 "If-None-Match: 304"
is "$(http_status GET "/qr/$C.png" -H "If-None-Match: W/$etag")" 304 "weak comparison: 304"
is "$(http_status GET "/qr/$C.png" -H 'If-None-Match: "0000"')" 200 "other tag: 200"
http_fetch GET "/qr/$C.png?ecc=H"
isnt "$(sed -n 's/^ETag: \(".*"\)\r$/\1/p' "$HTTP_HEADERS")" "$etag" \
    "another ECC level, another ETag"
is "$(http_status GET /qr/NOPE1234.png -H "If-None-Match: *")" 404 \
    "If-None-Match never hides an unknown code"

# --- codes as people type them
lower=$(tr 'A-Z' 'a-z' <<<"$C")
http_fetch GET "/qr/${lower:0:4}-${lower:4}.png"
is "$HTTP_STATUS" 200 "lower case with a hyphen: 200"
is "$(decode "$HTTP_BODY")" "$(url "$C")" "... and it encodes the canonical code"

# --- HEAD and other methods
http_fetch HEAD "/qr/$C.svg"
is "$HTTP_STATUS" 200 "HEAD: 200"
# curl -I writes the headers where the body would go: nothing else.
is "$(wc -c <"$HTTP_BODY")" "$(wc -c <"$HTTP_HEADERS")" "HEAD: no body"
like "$(cat "$HTTP_HEADERS")" 'ETag: "' "HEAD: the ETag"
http_fetch POST "/qr/$C.png" -d x=1
is "$HTTP_STATUS" 405 "POST: 405"
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD, OPTIONS\r' "405 names the allowed methods"
like "$(cat "$HTTP_BODY")" "QR codes can only be fetched." "405: the route's own words"
http_fetch OPTIONS "/qr/$C.png"
is "$HTTP_STATUS" 204 "OPTIONS: 204 (core's route gate)"
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD, OPTIONS\r' "OPTIONS: Allow"

# --- bad input: a 4xx page, never an image
bad() {
	local path=$1 want=$2 desc=$3
	http_fetch GET "$path" --path-as-is
	is "$HTTP_STATUS" "$want" "$desc: $want"
	unlike "$(cat "$HTTP_HEADERS")" 'Content-Type: image/' "$desc: no image"
}
bad "/qr/$C.png?s=0" 400 "s=0"
bad "/qr/$C.png?s=100000" 400 "s=100000"
bad "/qr/$C.svg?s=41" 400 "s=41"
bad "/qr/$C.png?s=-1" 400 "s=-1"
bad "/qr/$C.png?s=8&s=9" 400 "s twice"
bad "/qr/$C.png?ecc=X" 400 "ecc=X"
bad "/qr/$C.png?m=17" 400 "m=17"
bad "/qr/$C.png?fg=yellow" 400 "fg=yellow (not in the palette)"
bad "/qr/$C.png?bg=black" 400 "bg=black (not a light colour)"
bad "/qr/$C.png?fmt=svg" 400 "fmt=svg on .png"
bad "/qr/$C.png?text=http://evil.example" 400 "text= (never arbitrary text)"
bad "/qr/NOPE1234.png" 404 "unknown code"
bad "/qr/$C.gif" 404 "unknown format"
bad "/qr/$C" 404 "no format"
bad "/qr/.png" 404 "empty code"
bad "/qr/%D0%90BCD1234.png" 404 "Cyrillic look-alike"
bad "/qr/$C.png.svg" 404 "two extensions"
bad "/qr/..%2fx.png" 404 "..%2f"
# nginx itself refuses a path that climbs above the root.
bad "/qr/%2e%2e/%2e%2e/etc/passwd" 400 "%2e%2e"
bad "/qr/x/../../etc/passwd" 404 "../../etc/passwd"
bad "/qr/'%20OR%201=1--%20.png" 404 "SQL in the code"
# A disabled link gets no new posters.  A worker trusts a code it has
# seen for QR_SEEN_SECS (5 s, src/qr/main.c): a link never drawn 404s at
# once; one drawn a moment ago (codes[8], in the SVGs) 404s once that
# time has passed, on whichever worker answers.
out=$(admin event create --name "QR off" --campaign qrc --host hq --tables 1)
read -r -a off <<<"$(sed 's/.*code //' <<<"$out")"
hs_sql "UPDATE links SET disabled = 1
    WHERE code IN ('${off[1]}', '${codes[8]}')"
bad "/qr/${off[1]}.png" 404 "a disabled link never drawn"
sleep 6
bad "/qr/${codes[8]}.png" 404 "a disabled link drawn before"

# --- the worker is still alive and well
http_fetch GET "/qr/$C.png"
is "$HTTP_STATUS" 200 "still serving after the bad requests"
done_testing
