#!/usr/bin/env bash
# tests/it/adv_page.sh: advocates' own pages (issue 17).  `hearsay-admin
# advocate page` prints a capability URL whose token is stored only
# hashed, and a new one revokes the old, which then gets a clear page
# (410), not a 403; forged, truncated or odd tokens get a clear 404.
# The page shows the advocate's link, its QR code and downloads, the
# owner's share texts (escaped, {link} and {name} filled in, mailto:),
# and counts per month -- never a referred person's name, reference,
# hash or signup time, and 1 or 2 as "fewer than 3".  Share texts that
# start like a formula or hold control characters are refused and
# nothing is stored; the opt-in form needs its signed token and our
# origin.  The host page button gives a new host page address and
# revokes the advocate's ones before.  Then adv_browser.py, in Chromium: the QR code decodes to the
# link, a click, a signup, an answer naming the advocate and a
# reconciliation show as counts, the opt-ins change what the survey
# suggests and the leaderboard shows, and the old URL of a rotated page
# gets the clear page; every page is audited (axe-core, phone width).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

ADMIN=$top_builddir/src/admin/hearsay-admin
RECONCILE=$top_builddir/src/reconcile/hearsay-reconcile
hs_browser_setup adv_page
hs_stack_start
admin() { "$ADMIN" -f "$HS_CONF" "$@"; }
page() { http_fetch GET "$P"; cat "$HTTP_BODY"; }
# A browser's User-Agent: the redirector counts curl as a bot.
UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'

hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('advp', 'Spring <launch>', 'example.org', 'https://example.org/')"
admin advocate create --handle ada --name "Ada Lovelace" >/dev/null
admin advocate create --handle zed --name "Zed Other" >/dev/null
admin link create --campaign advp --advocate ada --code ADAX-2026 >/dev/null
admin link create --campaign advp --advocate zed --code ZEDY-2026 >/dev/null
C=ADAX2026
LINK="$HS_URL/i/$C"

# --- the URL
U=$(admin advocate page ada)
like "$U" "^$HS_URL/a/[0-9a-f]{64}/\$" "advocate page prints a 64-hex capability URL"
P=${U#"$HS_URL"}
tok=${P#/a/}
tok=${tok%/}
is "$(hs_sql "SELECT COUNT(*) FROM advocate_tokens WHERE token_hash = SHA2('$tok', 256)
    AND revoked_at IS NULL")" 1 "only the SHA-256 of the token is stored"
is "$(hs_sql "SELECT COUNT(*) FROM advocate_tokens WHERE token_hash = '$tok'")" 0 \
    "the token itself is not"
aid=$(hs_sql "SELECT id FROM advocates WHERE handle = 'ada'")
like "$(admin advocate page "$aid" 2>&1 >/dev/null)" 'revoked 1 older' \
    "advocate page by id works too, and revokes the older URL"
U=$(admin advocate page ada 2>/dev/null)
P=${U#"$HS_URL"}
is "$(http_status GET "/a/$tok/")" 410 "the rotated URL: 410, not 403"
http_fetch GET "/a/$tok/"
like "$(cat "$HTTP_BODY")" 'replaced by a new one' "the rotated URL's page says why"
like "$(cat "$HTTP_BODY")" 'Open the newest link you were given' \
    "the rotated URL's page: the way on"
like "$(cat "$HTTP_BODY")" '<title>410 Gone</title>' "the rotated URL's page: the status said"
like "$(cat "$HTTP_HEADERS")" $'Referrer-Policy: no-referrer\r' \
    "the rotated URL's page: no-referrer"
like "$(cat "$HTTP_HEADERS")" $'Cache-Control: no-store\r' "the rotated URL's page: never cached"
is "$(http_status GET "/a/$(printf '%064d' 0)/")" 404 "an unknown token: 404"
tok=${P#/a/}
tok=${tok%/}
is "$(admin advocate page nobody >/dev/null 2>&1; echo $?)" 1 "advocate page: unknown advocate"

# --- share texts: hostile ones refused, nothing stored
for bad in '=HYPERLINK("http://evil.example","x")' '@SUM(A1)' '+1+2' '-2' \
    $'tab\there' $'cr\rhere' ''; do
	is "$(admin share set advp chat --text "$bad" >/dev/null 2>&1; echo $?)" 1 \
	    "share text $(printf %q "$bad"): refused"
done
is "$(admin share set advp email --subject '=1+1' --text 'ok' >/dev/null 2>&1; echo $?)" 1 \
    "a formula subject: refused"
is "$(admin share set advp chat --subject 'x' --text 'ok' >/dev/null 2>&1; echo $?)" 2 \
    "a subject for a chat: usage"
is "$(admin share set advp chat --text "$(head -c 2001 /dev/zero | tr '\0' x)" \
    >/dev/null 2>&1; echo $?)" 1 "a text of 2001 characters: refused"
is "$(admin share set advp fax --text 'x' >/dev/null 2>&1; echo $?)" 2 "kind fax: usage"
is "$(admin share set nope chat --text 'x' >/dev/null 2>&1; echo $?)" 1 "unknown campaign"
is "$(hs_sql "SELECT COUNT(*) FROM share_texts")" 0 "nothing stored by the refused texts"
ok admin share set advp email --subject 'Join me, from {name}' \
    --text $'Hi <b>friend</b> & co,\njoin here: {link}\n{name} {other}'
ok admin share set advp chat --text 'Look: {link} <script>alert(1)</script>'
like "$(admin share list advp)" 'advp email' "share list"

# --- the page
http_fetch GET "$P"
is "$HTTP_STATUS" 200 "the advocate's page opens"
body=$(cat "$HTTP_BODY")
hdrs=$(cat "$HTTP_HEADERS")
like "$hdrs" $'Referrer-Policy: no-referrer\r' "no-referrer: the token never leaks"
like "$hdrs" $'Cache-Control: no-store\r' "never cached"
like "$hdrs" "Content-Security-Policy: default-src 'none'; script-src 'self';" \
    "scripts from our origin only"
like "$body" 'Hello, Ada Lovelace' "the advocate's name"
like "$body" "value=\"$LINK\"" "the link, in a field to select"
like "$body" 'ADAX-2026' "the code grouped for typing"
like "$body" "src=\"/qr/$C.svg\"" "the QR code"
like "$body" "href=\"/qr/$C.png\\?s=20\" download" "a PNG for print"
like "$body" "href=\"/qr/$C.png\\?s=6\" download" "a PNG for screens"
like "$body" 'Spring &lt;launch&gt;' "the campaign's name escaped"
like "$body" 'Hi &lt;b&gt;friend&lt;/b&gt; &amp; co' "a share text's markup escaped"
like "$body" "join here: $LINK" "{link} filled in"
like "$body" 'Join me, from Ada Lovelace' "{name} filled in"
like "$body" '\{other\}' "an unknown placeholder stays as written"
unlike "$body" '<script>alert|<b>friend' "no markup from a share text"
like "$body" 'href="mailto:\?subject=Join%20me%2C%20from%20Ada%20Lovelace&amp;body=Hi%20%3Cb%3E' \
    "mailto: with the subject and text encoded"
like "$body" '<script src="/static/advocate.js" defer></script>' "the copy script, ours"
like "$body" 'data-copy="adv-link-0" hidden' "the copy button hidden without script"
unlike "$body" 'Zed Other|ZEDY' "no other advocate"
unlike "$body" 'Leaderboard' "no leaderboard unless the owner enables it"
like "$body" 'No clicks or signups yet' "no results yet"
unlike "$body" 'action="[^"]*/host"' "no host page button without a host page"
is "$(curl -q -s -o /dev/null -w '%{http_code} %{content_type}' \
    "$HS_URL/static/advocate.js")" "200 text/javascript" "the script is served"

# --- counts: two human clicks, one bot, a signup, an answer naming her
lid=$(hs_sql "SELECT id FROM links WHERE code = '$C'")
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot, client_hash) VALUES
    ('a1000000000000000000000000000001', '2026-03-14 15:09:26', $lid, 'qr', 0, '$(printf 'c%.0s' {1..64})'),
    ('a1000000000000000000000000000002', '2026-03-14 16:00:00', $lid, 'link', 0, NULL),
    ('a1000000000000000000000000000003', '2026-03-14 16:00:00', $lid, 'link', 1, NULL)"
EH=$(printf 'e%.0s' {1..64})
hs_sql "INSERT INTO signups (signup_ref, signed_up_at, email_hash, client_hash)
    VALUES ('s-secret-ref', '2026-03-14 15:10:27', '$EH', '$(printf 'c%.0s' {1..64})')"
sid=$(hs_sql "SELECT id FROM signups WHERE signup_ref = 's-secret-ref'")
hs_sql "INSERT INTO signup_clicks VALUES ($sid, 'a1000000000000000000000000000001')"
hs_sql "INSERT INTO attributions (signup_ref, signup_id, day, class, channel,
    advocate_id, reported_advocate_id, tracked_advocate_id, rule, confidence,
    free_kind, free_raw, computed_at) VALUES ('s-secret-ref', $sid, '2026-03-14',
    'agree', 'referral', $aid, $aid, $aid, 'name', 1, 'referrer_text',
    'Zelda Referred told me', '2026-03-14 15:10:27')"
body=$(page)
like "$body" '<h3>2026-03</h3>' "a month"
like "$body" 'adv-clicks">fewer than 3<' "2 human clicks: fewer than 3 (the bot not counted)"
like "$body" 'adv-signups">fewer than 3<' "1 signup: fewer than 3"
like "$body" 'adv-named">fewer than 3<' "1 answer naming her: fewer than 3"
like "$body" 'adv-agree">fewer than 3<' "1 agreeing: fewer than 3"
unlike "$body" 'adv-[a-z]*">[12]<' "no count of 1 or 2 shown"
unlike "$body" 's-secret-ref|Zelda|2026-03-14|15:09|15:10|cccccccc|eeeeeeee' \
    "no referred person's reference, name, hash or time of signup"
unlike "$body" 'SHA|[0-9a-f]{64}[^/]' "no hash at all (the token only in paths)"
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot) VALUES
    ('a1000000000000000000000000000004', '2026-03-20 10:00:00', $lid, 'link', 0)"
like "$(page)" 'adv-clicks">3<' "3 clicks: shown as 3"

# --- forged, truncated and odd tokens: a clear 404, the worker alive
for t in "$(printf '%064d' 0)" "${tok:0:63}" "${tok^^}" "${tok}0" "$tok/x" "x" ""; do
	is "$(http_status GET "/a/$t/")" 404 "token $(printf %.12s "$t")...: 404"
done
http_fetch GET "/a/$(printf '%064d' 0)/"
like "$(cat "$HTTP_BODY")" 'whole address was copied' "the 404 says what to check"
is "$(http_status GET "/a/$tok")" 404 "no trailing slash: 404"
is "$(http_status GET "${P}?x=1")" 400 "the page takes no options"
is "$(http_status PUT "$P")" 405 "PUT: 405"
is "$(http_status GET "${P}prefs")" 405 "GET on the form's target: 405"
http_fetch GET "${P}host"
is "$HTTP_STATUS" 405 "GET on the host form's target: 405"
like "$(cat "$HTTP_HEADERS")" $'Allow: POST\r' "... which takes POST"
http_fetch POST "$P" -d x=1
is "$HTTP_STATUS" 405 "POST on the read-only page: 405"
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD\r' "... which takes GET and HEAD"
like "$(cat "$HTTP_BODY")" 'read-only' "... and says so"
is "$(http_status POST "${P}nosuch" -d x=1)" 405 "POST on any other path: 405"
is "$(http_status GET "${P}nosuch")" 404 "GET on another path: 404"
is "$(http_status GET "$P")" 200 "the page still answers"

# --- the opt-in form
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$body" | head -n1)
like "$csrf" '^[A-Za-z0-9_-]+\.[0-9]+\.[A-Za-z0-9_-]+$' "the form carries a signed token"
post() { http_status POST "${P}prefs" "$@"; }
is "$(post --data-urlencode "suggest=on")" 403 "no token: 403"
is "$(post --data-urlencode "csrf=x$csrf" --data-urlencode "suggest=on")" 403 "forged token: 403"
is "$(post -H 'Sec-Fetch-Site: cross-site' --data-urlencode "csrf=$csrf" \
    --data-urlencode "suggest=on")" 403 "cross-site: 403"
is "$(post -H 'Origin: https://evil.example' --data-urlencode "csrf=$csrf" \
    --data-urlencode "suggest=on")" 403 "foreign Origin: 403"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "suggest=yes")" 400 "suggest=yes: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "suggest=on" \
    --data-urlencode "suggest=on")" 400 "a repeated field: 400"
is "$(post --data-urlencode "csrf=$csrf" --data-urlencode "status=removed")" 400 \
    "an unknown field: 400"
http_fetch POST "${P}prefs" --data-urlencode "csrf=$csrf" \
    --data-urlencode "leaderboard=1"
like "$HTTP_STATUS $(cat "$HTTP_BODY")" '^400 .*ticked or not' \
    "leaderboard=1: 400 saying what a choice takes"
# Another advocate's page's token does not fit this page.
Z=$(admin advocate page zed)
http_fetch GET "${Z#"$HS_URL"}"
zcsrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$HTTP_BODY" | head -n1)
is "$(post --data-urlencode "csrf=$zcsrf" --data-urlencode "suggest=on")" 403 \
    "another page's token: 403"
is "$(hs_sql "SELECT CONCAT(suggest, leaderboard, status) FROM advocates
    WHERE handle = 'ada'")" "00active" "nothing stored by the refused forms"

# --- the host page button: only with a host page, and it opens one
admin host grant --advocate ada --campaign advp >/dev/null
body=$(page)
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$body" | head -n1)
like "$body" "action=\"/a/$tok/host\"" "a host's page has the host page button"
http_fetch POST "${P}host" --data-urlencode "csrf=$csrf"
is "$HTTP_STATUS" 303 "the button: 303"
loc=$(sed -n 's/^Location: \([^\r]*\)\r$/\1/p' "$HTTP_HEADERS")
like "$loc" '^/host/[0-9a-f]{64}/$' "to a new host page"
is "$(http_status GET "$loc")" 200 "which opens"
like "$body" 'new address and the addresses it had before work no more' \
    "the page says a click replaces the host page's address"
# A click again: a new address, and the one before stops working (a 410
# that says so), so clicks do not leave addresses valid for ever (the
# granted one went with the first click); other advocates' host pages
# stay.
admin host grant --advocate zed --campaign advp >/dev/null
http_fetch POST "${P}host" --data-urlencode "csrf=$csrf"
is "$HTTP_STATUS" 303 "the button again: 303"
loc2=$(sed -n 's/^Location: \([^\r]*\)\r$/\1/p' "$HTTP_HEADERS")
like "$loc2" '^/host/[0-9a-f]{64}/$' "to a host page"
isnt "$loc2" "$loc" "... at a new address"
is "$(http_status GET "$loc2")" 200 "which opens"
http_fetch GET "$loc"
is "$HTTP_STATUS" 410 "the address before works no more: 410"
like "$(cat "$HTTP_BODY")" 'This host page has a newer address' \
    "... saying it has a newer one"
is "$(hs_sql "SELECT COUNT(*) FROM host_tokens t JOIN advocates a ON
    a.id = t.advocate_id WHERE a.handle = 'ada' AND t.revoked_at IS NULL")" \
    1 "one host page address of the advocate stays valid"
is "$(hs_sql "SELECT COUNT(*) FROM host_tokens t JOIN advocates a ON
    a.id = t.advocate_id WHERE a.handle = 'zed' AND t.revoked_at IS NULL")" \
    1 "another host's page is left alone"

# --- in Chromium: exact counts (threshold 1) and the leaderboard on
printf 'advocate_min_count = 1\nleaderboard = 1\n' >>"$HS_CONF"
kill -HUP "$(hs_pid qr)"
wait_for 30 1 "curl -q -s '$HS_URL$P' | grep -c 'adv-clicks\">3<' >/dev/null && \
    curl -q -s '$HS_URL$P' | grep -c '<h2 id=\"adv-board-h\">'"
kill -HUP "$(hs_pid link)"		# the new link, at once

cat >"$HS_TMP/sug.json" <<'JSON'
{ "slug": "adv-sug", "question": "How did you hear about us?",
  "shuffle": "none", "allow_unsigned": true,
  "options": [
    { "key": "friend", "label": "A friend", "channel": "friend",
      "followup": "referrer", "followup_label": "Who told you?" },
    { "key": "search", "label": "Search", "channel": "search" } ] }
JSON
admin survey import "$HS_TMP/sug.json" >/dev/null
KEY=$(admin apikey create adv-app --scope read,answers,signups 2>/dev/null)
# The steps adv_browser.py asks for between its clicks.
cat >"$HS_TMP/hook" <<EOF
#!/usr/bin/env bash
set -euo pipefail
sql() { "$HS_STACK" sql --dir "$HS_DIR" "\$@"; }
case \$1 in
signup)	# the signup the browser's click led to, and its answer
	for ((i = 0; i < 300; i++)); do
		cid=\$(sql "SELECT c.click_id FROM clicks c JOIN links l ON
		    l.id = c.link_id WHERE l.code = 'ADAX2026' AND c.is_bot = 0
		    AND c.clicked_at > NOW() - INTERVAL 1 HOUR LIMIT 1")
		[[ -n \$cid ]] && break
		sleep 0.1
	done
	[[ -n \$cid ]] || { echo "no click" >&2; exit 1; }
	# To the millisecond: a click earlier in this very second would
	# come after a signup time cut to whole seconds (not credited).
	now=\$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
	curl -q -sf -o /dev/null -H 'Authorization: Bearer $KEY' \
	    -H 'Content-Type: application/json' --data-raw \
	    "{\"signup_ref\":\"b-ref-1\",\"click_ids\":[\"\$cid\"],\"signed_up_at\":\"\$now\"}" \
	    "$HS_URL/api/v1/signups"
	curl -q -sf -o /dev/null -H 'Authorization: Bearer $KEY' \
	    -H 'Content-Type: application/json' -H 'Idempotency-Key: b-1' \
	    --data-raw '{"signup_ref":"b-ref-1","options":["friend"],"referrer_text":"Ada Lovelace","consent":true}' \
	    "$HS_URL/api/v1/surveys/adv-sug/responses"
	"$RECONCILE" -f "$HS_CONF" -q
	sql "SELECT COUNT(*) FROM clicks c JOIN links l ON l.id = c.link_id
	    WHERE l.code = 'ADAX2026' AND c.is_bot = 0 AND
	    DATE_FORMAT(c.clicked_at, '%Y-%m') = DATE_FORMAT(NOW(), '%Y-%m')"
	;;
suggests)	# the names the survey suggests for "Ada"
	curl -q -s "$HS_URL/s/adv-sug/suggest?q=Ada"
	;;
rotate)
	"$ADMIN" -f "$HS_CONF" advocate page ada >/dev/null 2>&1
	;;
esac
EOF
chmod +x "$HS_TMP/hook"
if /usr/bin/python3 "$top_srcdir/tests/it/adv_browser.py" "$U" "$LINK" \
    "$HS_TMP/hook" "$HS_TMP/profile" "$HS_TMP"; then
	pass "browser session (adv_browser.py)"
else
	fail "browser session (adv_browser.py)"
fi
# nginx's access log: /a/REDACTED/, never a page's token.
log=$(cat "$HS_DIR/log/hearsay-access.log")
like "$log" '"GET /a/REDACTED/" 200' "the access log has the page, redacted"
unlike "$log" "$tok|/a/[0-9a-f]{64}" "and no token"
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref = 'b-ref-1'
    AND reported_advocate_id = $aid AND class = 'agree'")" 1 \
    "the reconciliation credited the answer to her, agreeing with the link"
done_testing
