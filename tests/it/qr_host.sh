#!/usr/bin/env bash
# tests/it/qr_host.sh: the event hosts' pages.  A granted token opens the
# page, a revoked one a 410 saying it was replaced (in the campaign's
# language), a wrong one a 404; the page shows counts, never names; the
# form needs its signed token and our origin, and a form sent
# twice makes one event; another host's event is a 404; the poster is
# rendered by headless Chromium and the code on it decodes to the link;
# and a host creates an event in Chromium by clicking the form
# (host_browser.py, which also audits every page of the kit).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

ADMIN=$top_builddir/src/admin/hearsay-admin
hs_browser_setup qr_host
hs_stack_start
admin() { "$ADMIN" -f "$HS_CONF" "$@"; }

hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('qrh', 'Host test', 'example.org', 'https://example.org/')"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES
    ('hosta', 'Alice Host'), ('hostb', 'Bob Other'), ('visitor', 'Vera Secret')"
out=$(admin event create --name "Alice's <Meetup>" --campaign qrh --host hosta \
    --venue "Hall 1" --starts "2026-06-01 18:00" --tables 3)
EV=$(sed 's/^event \([0-9]*\) .*/\1/' <<<"$out")
read -r -a codes <<<"$(sed 's/.*code //' <<<"$out")"
C=${codes[0]}
outb=$(admin event create --name "Bob's event" --campaign qrh --host hostb)
EVB=$(sed 's/^event \([0-9]*\) .*/\1/' <<<"$outb")

U=$(admin host grant --advocate hosta --campaign qrh)
like "$U" "^$HS_URL/host/[0-9a-f]{64}/\$" "host grant prints a 64-hex capability URL"
P=${U#"$HS_URL"}
tok=${P#/host/}
tok=${tok%/}
is "$(hs_sql "SELECT COUNT(*) FROM host_tokens WHERE token_hash = SHA2('$tok', 256)")" 1 \
    "only the SHA-256 of the token is stored"
is "$(hs_sql "SELECT COUNT(*) FROM host_tokens WHERE token_hash = '$tok'")" 0 \
    "the token itself is not"

# --- counts: two QR scans (one bot), a tracked signup, a named visitor
lid=$(hs_sql "SELECT id FROM links WHERE code = '$C'")
l2=$(hs_sql "SELECT id FROM links WHERE code = '${codes[2]}'")
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot) VALUES
    ('c1000000000000000000000000000001', NOW(), $lid, 'qr', 0),
    ('c1000000000000000000000000000002', NOW(), $l2, 'qr', 0),
    ('c1000000000000000000000000000003', NOW(), $lid, 'qr', 1),
    ('c1000000000000000000000000000004', NOW(), $lid, 'link', 0)"
hs_sql "INSERT INTO signups (signup_ref, signed_up_at) VALUES ('s-vera', NOW())"
sid=$(hs_sql "SELECT id FROM signups WHERE signup_ref = 's-vera'")
hs_sql "INSERT INTO signup_clicks VALUES ($sid, 'c1000000000000000000000000000002'),
    ($sid, 'c1000000000000000000000000000004')"

http_fetch GET "$P"
is "$HTTP_STATUS" 200 "the host page opens"
body=$(cat "$HTTP_BODY")
like "$(cat "$HTTP_HEADERS")" $'Referrer-Policy: no-referrer\r' "no-referrer: the token never leaks"
like "$(cat "$HTTP_HEADERS")" $'Cache-Control: no-store\r' "never cached"
like "$body" 'Alice Host' "the host's own name"
like "$body" 'Alice&#39;s &lt;Meetup&gt;|Alice&#x27;s &lt;Meetup&gt;' "event name escaped"
like "$body" 'qr-scans">2<' "scans: 2 human QR visits (bot and plain link not counted)"
like "$body" 'qr-signups">1<' "signups tracked to the event: 1"
# Alice's event was on 2026-06-01, long over, and no reconciliation
# has run: nothing promises "tonight" for it (issue 13).
unlike "$body" "after tonight" "an event long over: no 'after tonight's reconciliation'"
like "$body" 'qr-reported">not counted yet<' "an event long over, not reconciled: not counted yet"
unlike "$body" 'Vera|s-vera|Bob' "no visitor's or other advocate's name"
unlike "$body" "Bob's event" "another host's event is not listed"

# One coming up tomorrow is counted after tonight's reconciliation; and
# once a run has finished after an event, its count is shown.
soon=$(date -u -d '+1 day' '+%Y-%m-%d 19:00')
outs=$(admin event create --name "Soon party" --campaign qrh --host hosta \
    --starts "$soon")
EVS=$(sed 's/^event \([0-9]*\) .*/\1/' <<<"$outs")
hs_sql "INSERT INTO reconcile_runs (holder, started_at, finished_at, mode, status)
    VALUES ('t', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 'full', 'ok')"
hs_sql "INSERT INTO attributions (signup_ref, day, class, reported_event_id,
    channel, rule, confidence, computed_at) VALUES
    ('s-vera', CURDATE(), 'reported_only', $EV, 'event', 'event', 1, NOW(3)),
    ('s-x', CURDATE(), 'reported_only', $EV, 'event', 'event', 1, NOW(3))"
http_fetch GET "$P"
body=$(cat "$HTTP_BODY")
like "$body" 'qr-reported">2<' "reconciled since the event: the 2 signups that named it"
like "$body" "after tonight's reconciliation|after tonight&#39;s reconciliation" \
    "tomorrow's event: after tonight's reconciliation"
is "$(grep -c '<h1' "$HTTP_BODY")" 1 "the host page: one <h1>"
like "$body" '<option value="de">Deutsch</option>' "the form offers German"

# --- the kit: a line for strangers, "Scan, or type" on every card, the
# way back, a Print button for script only, the date in words, one <h1>.
http_fetch GET "${P}e/$EV/poster"
poster=$(cat "$HTTP_BODY")
like "$poster" '<p class="qr-join">Scan to join Host test</p>' \
    "poster: 'Scan to join' and the campaign"
like "$poster" 'Monday, June 1, 2026, 18:00' "poster: the date in words"
like "$poster" "<a href=\"$P\">Back to your events</a>" "poster: the way back"
like "$poster" '<button type="button" class="qr-printbtn" hidden>Print</button>' \
    "poster: the Print button, hidden until its script shows it"
like "$(cat "$HTTP_HEADERS")" "script-src $HS_URL/static/qr-print.js;" \
    "poster: the one script allowed, by its full URL"
for pg in poster slide cards; do
	http_fetch GET "${P}e/$EV/$pg"
	is "$(grep -c '<h1' "$HTTP_BODY")" 1 "$pg: one <h1>"
done
http_fetch GET "${P}e/$EV/cards"
is "$(grep -c 'class="qr-scan">Scan, or type<' "$HTTP_BODY")" 4 \
    "cards: 'Scan, or type' on each of the 4"
is "$(grep -c 'class="qr-join">Scan to join Host test<' "$HTTP_BODY")" 4 \
    "cards: the line for strangers on each"
is "$(grep -c 'class="qr-card-label">[^<]' "$HTTP_BODY")" 4 \
    "cards: every card labelled, the event's own too (they line up)"
hs_sql "UPDATE campaigns SET join_text = 'Say hello at {event}!' WHERE slug = 'qrh'"
http_fetch GET "${P}e/$EV/poster"
like "$(cat "$HTTP_BODY")" '<p class="qr-join">Say hello at Alice&#39;s &lt;Meetup&gt;!</p>' \
    "the campaign's own line, with the event's name, escaped"
hs_sql "UPDATE campaigns SET join_text = NULL WHERE slug = 'qrh'"

# --- the kit in German (events.lang): every fixed string translated,
# the date in German; i18n_check.py fails on any English msgid left.
MO=$top_builddir/po/locale/de/LC_MESSAGES/hearsay.mo
hs_sql "UPDATE events SET lang = 'de' WHERE id = $EV"
for pg in poster slide cards; do
	http_fetch GET "${P}e/$EV/$pg"
	cp "$HTTP_BODY" "$HS_TMP/de-$pg.html"
done
like "$(cat "$HS_TMP/de-poster.html")" 'Montag, 1\. Juni 2026, 18:00 Uhr' \
    "German poster: the date in German"
like "$(cat "$HS_TMP/de-poster.html")" 'Scannen und bei Host test mitmachen' \
    "German poster: the line for strangers"
hs_sql "UPDATE events SET lang = NULL WHERE id = $EV"
hs_sql "UPDATE events SET lang = 'de' WHERE id = $EVS"
hs_sql "UPDATE campaigns SET lang = 'de' WHERE slug = 'qrh'"
http_fetch GET "$P"
cp "$HTTP_BODY" "$HS_TMP/de-host.html"
hs_sql "UPDATE campaigns SET lang = 'en' WHERE slug = 'qrh'"
# A German survey: its own texts in German, the fixed ones from the
# catalogue; the form, the thank-you page and an expired link's page.
cat >"$HS_TMP/de.json" <<'JSON'
{ "slug": "willkommen", "question": "Wie haben Sie von uns erfahren?",
  "lang": "de",
  "ask_code": true, "allow_unsigned": true,
  "options": [
    { "key": "friend", "label": "Durch Freunde", "channel": "friend",
      "followup": "referrer", "followup_label": "Wer hat es Ihnen erzählt?" },
    { "key": "event", "label": "Bei einer Veranstaltung", "channel": "event",
      "followup": "text" },
    { "key": "other", "label": "Anders", "channel": "other", "pinned": true,
      "followup": "other", "followup_label": "Wo?" } ] }
JSON
sed 's/"lang": "de"/"lang": "fr"/' "$HS_TMP/de.json" >"$HS_TMP/fr.json"
if admin survey import "$HS_TMP/fr.json" 2>/dev/null; then
	fail "a survey in a language without a catalogue is refused"
else
	pass "a survey in a language without a catalogue is refused"
fi
is "$(hs_sql "SELECT COUNT(*) FROM surveys WHERE slug = 'willkommen'")" 0 \
    "and nothing is stored"
ok admin survey import "$HS_TMP/de.json"
like "$(admin survey show willkommen)" '"lang": "de"' "survey show prints its lang"
su=$(admin survey token --signup de-1 willkommen)
http_fetch GET "${su#"$HS_URL"}"
is "$HTTP_STATUS" 200 "the German survey opens"
cp "$HTTP_BODY" "$HS_TMP/de-survey.html"
like "$(cat "$HS_TMP/de-survey.html")" 'Antwort senden' "German survey: its button"
http_fetch GET "/s/willkommen/thanks"
cp "$HTTP_BODY" "$HS_TMP/de-thanks.html"
su=$(admin survey token --signup de-2 --ttl -60 willkommen)
http_fetch GET "${su#"$HS_URL"}"
is "$HTTP_STATUS" 403 "an expired German link: 403"
cp "$HTTP_BODY" "$HS_TMP/de-expired.html"
if out=$(/usr/bin/python3 "$top_srcdir/tests/it/i18n_check.py" "$MO" de \
    "$HS_TMP"/de-*.html); then
	pass "German pages (poster, slide, cards, host page, survey, thanks, expired link): no English fixed string"
else
	fail "German pages: no English fixed string: $out"
fi

# --- wrong, malformed and revoked tokens
is "$(http_status GET "/host/$(printf '%064d' 0)/")" 404 "unknown token: 404"
is "$(http_status GET "/host/${tok:0:63}/")" 404 "short token: 404"
is "$(http_status GET "/host/${tok^^}/")" 404 "upper-case token: 404"
is "$(http_status GET "/host/$tok")" 404 "no trailing slash: 404"
is "$(http_status GET "${P}?x=1")" 400 "the page takes no options"

# --- printables
for pg in poster "poster?paper=letter" slide cards "cards?paper=letter"; do
	is "$(http_status GET "${P}e/$EV/$pg")" 200 "$pg: 200"
done
is "$(http_status GET "${P}e/$EV/poster?paper=a3")" 400 "paper=a3: 400"
is "$(http_status GET "${P}e/$EVB/poster")" 404 "another host's event: 404"
is "$(http_status GET "${P}e/999999/poster")" 404 "no such event: 404"
is "$(http_status GET "${P}e/0$EV/poster")" 404 "a leading zero: 404"
http_fetch GET "${P}e/$EV/cards"
is "$(grep -o 'class="qr-card"' "$HTTP_BODY" | wc -l)" 4 "cards: one per link"
for c in "${codes[@]}"; do
	like "$(cat "$HTTP_BODY")" "/qr/$c.svg" "cards: a card for $c"
done
http_fetch GET "${P}e/$EV/poster"
like "$(cat "$HTTP_BODY")" "<img class=\"qr-big\" src=\"/qr/$C.svg\"" "poster: the big QR code"
like "$(cat "$HTTP_BODY")" "${C:0:4}-${C:4}" "poster: the code grouped for typing"
like "$(cat "$HTTP_BODY")" "127.0.0.1:$HS_PORT/i/$C" "poster: the short URL"
like "$(cat "$HTTP_BODY")" "Hosted by Alice Host" "poster: the host's name"

# The poster as printed: Chromium renders it and the code must decode.
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$HS_TMP/chrome" --hide-scrollbars \
    --window-size=900,1300 --screenshot="$HS_TMP/poster.png" \
    "$HS_URL${P}e/$EV/poster" >/dev/null 2>&1 || true
is "$(zbarimg -q --raw "$HS_TMP/poster.png" 2>/dev/null || true)" "$HS_URL/i/$C?qr=1" \
    "the poster rendered by Chromium decodes to the link"

# Printed: Chromium's PDF of each paper size is one page of that size,
# and the code on it, rasterised by poppler, decodes to the link.
for paper in a4 letter; do
	case $paper in
	a4)	want='59[45][.0-9]* x 84[12][.0-9]* pts' ;;
	letter)	want='612 x 792 pts' ;;
	esac
	rm -f "$HS_TMP/poster.pdf" "$HS_TMP/poster-pdf.png"
	chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$HS_TMP/chrome" --no-pdf-header-footer \
	    --print-to-pdf="$HS_TMP/poster.pdf" \
	    "$HS_URL${P}e/$EV/poster?paper=$paper" >/dev/null 2>&1 || true
	info=$(pdfinfo "$HS_TMP/poster.pdf" 2>&1 || true)
	like "$info" 'Pages: +1[[:space:]]' "PDF poster ($paper): one page"
	like "$info" "Page size: +$want" "PDF poster ($paper): the paper size"
	pdftoppm -r 100 -png -singlefile "$HS_TMP/poster.pdf" "$HS_TMP/poster-pdf" \
	    2>/dev/null || true
	is "$(zbarimg -q --raw "$HS_TMP/poster-pdf.png" 2>/dev/null || true)" \
	    "$HS_URL/i/$C?qr=1" "PDF poster ($paper): the printed code decodes to the link"
done

# --- the form
http_fetch GET "$P"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$HTTP_BODY")
like "$csrf" '^[A-Za-z0-9_-]+\.[0-9]+\.[A-Za-z0-9_-]+$' "the form carries a signed token"
post() { http_status POST "${P}events" "$@"; }
is "$(post --data-urlencode "name=Nope")" 403 "no token: 403"
is "$(post --data-urlencode "csrf=x${csrf}" --data-urlencode "name=Nope")" 403 "forged token: 403"
is "$(post -H 'Sec-Fetch-Site: cross-site' --data-urlencode "csrf=$csrf" \
    --data-urlencode "name=Nope")" 403 "cross-site: 403"
is "$(post -H 'Origin: https://evil.example' --data-urlencode "csrf=$csrf" \
    --data-urlencode "name=Nope")" 403 "foreign Origin: 403"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=")" 400 "empty name: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=X" \
    --data-urlencode "starts=2026-02-30T10:00")" 400 "30 February: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=X" \
    --data-urlencode "tables=25")" 400 "25 tables: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=X" \
    --data-urlencode "website=http://spam")" 400 "honeypot filled: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=X" \
    --data-urlencode "name=Y")" 400 "a repeated field: 400"
# The 400s name the field (field.c): out of range, too long, unknown.
http_fetch POST "${P}events" --data-urlencode "csrf=$csrf" \
    --data-urlencode "name=X" --data-urlencode "tables=-1"
is "$HTTP_STATUS" 400 "-1 tables: 400"
like "$(cat "$HTTP_BODY")" 'Table cards: a number from 0 to 24' "-1 tables: says which field"
http_fetch POST "${P}events" --data-urlencode "csrf=$csrf" \
    --data-urlencode "name=$(printf 'é%.0s' $(seq 201))"
is "$HTTP_STATUS" 400 "a 201-character name: 400"
like "$(cat "$HTTP_BODY")" 'needs a name' "a 201-character name: says which field"
http_fetch POST "${P}events" --data-urlencode "csrf=$csrf" \
    --data-urlencode "name=X" --data-urlencode "colour=red"
like "$HTTP_STATUS $(cat "$HTTP_BODY")" '^400 .*field named &quot;colour&quot;' \
    "an unknown field: 400 naming it"
is "$(hs_sql "SELECT COUNT(*) FROM events WHERE name IN ('Nope', 'X', '')")" 0 \
    "nothing stored by the refused forms"
# A script (no Origin, no Sec-Fetch-*: curl's own headers only) with the
# page's token; the browser's way is host_browser.py below.
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=Quiz night 🎉" \
    --data-urlencode "venue=Pub" --data-urlencode "starts=2026-09-01T19:30" \
    --data-urlencode "tables=2")" 303 "a good form: 303"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "name=Quiz night 🎉" \
    --data-urlencode "tables=2")" 303 "the same form again: 303"
# Compared as hex: the SQL client's own charset is not the point here.
is "$(hs_sql "SELECT COUNT(*) FROM events WHERE venue = 'Pub'")" 1 \
    "one event from a form sent twice"
is "$(hs_sql "SELECT HEX(name) FROM events WHERE venue = 'Pub'")" \
    "$(printf 'Quiz night \360\237\216\211' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
    "the name stored byte-exact, emoji intact"
is "$(hs_sql "SELECT COUNT(*) FROM links l JOIN events e ON e.id = l.event_id
    WHERE e.venue = 'Pub' AND l.advocate_id = (SELECT id FROM advocates
    WHERE handle = 'hosta')")" 3 "its own link and two table links, the host's"
is "$(hs_sql "SELECT starts_at FROM events WHERE venue = 'Pub'")" \
    "2026-09-01 19:30:00" "start time stored"
is "$(http_status GET "${P}events")" 405 "GET on the form target: 405"
http_fetch GET "${P}events"
like "$(cat "$HTTP_HEADERS")" $'Allow: POST\r' "... which takes POST"
http_fetch POST "$P" -d x=1
is "$HTTP_STATUS" 405 "POST on the read-only page: 405"
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD\r' "... which takes GET and HEAD"

# --- the form in a browser: Chromium sends Origin: null from this
# no-referrer page (issue 13's 403); nothing here sets a header.
if /usr/bin/python3 "$top_srcdir/tests/it/host_browser.py" "$U" "$EV" \
    "$HS_TMP/profile" "$EVS"; then
	pass "browser session (host_browser.py)"
else
	fail "browser session (host_browser.py)"
fi
is "$(hs_sql "SELECT CONCAT_WS('|', HEX(name), starts_at) FROM events
    WHERE venue = 'Community hall'")" \
    "$(printf 'Garden party \342\230\225 Zo\303\253' | od -An -tx1 | tr -d ' \n' |
    tr a-f A-F)|2026-10-03 15:30:00" "the event the browser created, as typed"
is "$(hs_sql "SELECT COUNT(*) FROM links l JOIN events e ON e.id = l.event_id
    WHERE e.venue = 'Community hall' AND l.advocate_id = (SELECT id FROM
    advocates WHERE handle = 'hosta')")" 3 "its link and two table links"
is "$(http_status PUT "$P")" 405 "PUT: 405"

# --- revoke
out=$(admin host revoke --advocate hosta)
like "$out" 'revoked 1' "host revoke"
# Its holder had it, so learns only that it was replaced, and the way on;
# a token never granted stays a 404 that tells nothing.
http_fetch GET "$P"
is "$HTTP_STATUS" 410 "revoked token: 410"
like "$(cat "$HTTP_BODY")" '<h1>Gone</h1>' "revoked token: the status said"
like "$(cat "$HTTP_BODY")" 'This host page has a newer address' \
    "revoked token: says it was replaced"
like "$(cat "$HTTP_BODY")" 'Open the newest link you were given' \
    "revoked token: the way on"
like "$(cat "$HTTP_HEADERS")" $'Cache-Control: no-store\r' "revoked token: never cached"
like "$(cat "$HTTP_HEADERS")" $'Referrer-Policy: no-referrer\r' \
    "revoked token: no-referrer (its style sheet's request carries no token)"
is "$(http_status GET "${P}e/$EV/poster")" 410 "revoked token, poster: 410"
is "$(http_status POST "${P}events" --data-urlencode csrf=x)" 410 "revoked token, the form: 410"
http_fetch GET "/host/$(printf '%064d' 0)/"
is "$HTTP_STATUS" 404 "unknown token: still 404"
unlike "$(cat "$HTTP_BODY")" 'newer address' "unknown token: nothing about addresses"
like "$(cat "$HTTP_HEADERS")" $'Referrer-Policy: no-referrer\r' "unknown token: no-referrer"
hs_sql "UPDATE campaigns SET lang = 'de' WHERE slug = 'qrh'"
http_fetch GET "$P"
is "$HTTP_STATUS" 410 "revoked token, German campaign: 410"
like "$(cat "$HTTP_BODY")" '<html lang="de">' "revoked token: in the campaign's language"
like "$(cat "$HTTP_BODY")" 'Diese Gastgeberseite hat eine neuere Adresse' \
    "revoked token: the German words"
cp "$HTTP_BODY" "$HS_TMP/de-gone.html"
if out=$(/usr/bin/python3 "$top_srcdir/tests/it/i18n_check.py" "$MO" de \
    "$HS_TMP/de-gone.html"); then
	pass "German 410: no English fixed string"
else
	fail "German 410: no English fixed string: $out"
fi
hs_sql "UPDATE campaigns SET lang = 'en' WHERE slug = 'qrh'"
done_testing
