#!/usr/bin/env bash
# tests/it/manage_browser.sh: the program managed in the browser (issue
# 18).  Starts a stack whose redirector snapshots links only every hour
# (link_cache_secs = 3600), so that a link answering at once can only be
# links_version's doing; runs manage_browser.py (headless Chromium: an
# analyst refused, an admin creating, editing, changing the password),
# then sends what a browser would not (forged CSRF tokens, hostile and
# oversized values, a form sent twice) with curl and checks in MariaDB
# that nothing was stored but what should be.  Needs Debian's
# python3-selenium and chromium-driver, and npm for axe-core
# (tests/stack/deps.sh).
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

hs_browser_setup manage_browser
hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
echo "link_cache_secs = 3600" >>"$HS_CONF"
kill -HUP "$(hs_pid link)"
report_user dana
report_user ada --role admin
is "$(hs_sql "SELECT GROUP_CONCAT(name, ':', role ORDER BY name) FROM users")" \
    "ada:admin,dana:analyst" "user add: --role admin, analyst by default"

NEWPW=another-long-password-42
out=$HS_TMP/browser
mkdir -p "$out"
if /usr/bin/python3 "$top_srcdir/tests/it/manage_browser.py" "$HS_URL" \
    dana ada "$REPORT_PW" "$NEWPW" "$out"; then
	pass "browser session (manage_browser.py)"
else
	fail "browser session (manage_browser.py)"
fi
is "$(hs_sql "SELECT CONCAT_WS('|', c.slug, a.handle, l.destination, l.utm_source)
    FROM links l JOIN campaigns c ON c.id = l.campaign_id
    JOIN advocates a ON a.id = l.advocate_id WHERE l.code = 'WEBA2345'")" \
    "web|mira|$HS_URL/health?v=2|web" "the browser's link is stored"
is "$(hs_sql "SELECT CONCAT_WS('|', display_name, aliases, suggest)
    FROM advocates WHERE handle = 'mira'")" 'Mira Okafor|Mira O.\nMO|1' \
    "the browser's advocate is stored (aliases one per line, opted in)"
is "$(hs_sql "SELECT CONCAT_WS('|', e.name, e.venue, e.starts_at, c.slug,
    a.handle, e.disabled, (SELECT GROUP_CONCAT(COALESCE(l.label, '-'), ':',
    l.disabled, ':', l.advocate_id = a.id ORDER BY l.id) FROM links l
    WHERE l.event_id = e.id)) FROM events e JOIN campaigns c ON
    c.id = e.campaign_id JOIN advocates a ON a.id = e.host_advocate_id
    WHERE e.slug = 'web-party'")" \
    "Web party II|The garden|2026-12-24 18:00:00|web|mira|0|-:0:1,Table 1:0:1,Table 2:0:1" \
    "the browser's event: edited, re-enabled, its three links the host's"
is "$(hs_sql "SELECT COUNT(*) FROM host_tokens t JOIN advocates a ON
    a.id = t.advocate_id WHERE a.handle = 'mira' AND t.revoked_at IS NULL")" 1 \
    "the host page granted on the web is stored (its hash)"
is "$(hs_sql "SELECT after_text LIKE '%host pages: 1%' FROM audit_log
    WHERE action = 'event.grant'")" 1 "... and audited"
is "$(hs_sql "SELECT COUNT(*) FROM campaigns WHERE slug = 'bad'")" 0 \
    "the refused campaign is not stored"
is "$(hs_sql "SELECT GROUP_CONCAT(handle, ':', display_name, ':', suggest
    ORDER BY handle) FROM advocates WHERE handle LIKE 'csv%'")" \
    "csv1:First Row:1,csv2:Second Row:0,csv3:Third:0" \
    "the corrected import stored its three rows, once"
is "$(hs_sql "SELECT GROUP_CONCAT(handle) FROM advocates WHERE handle LIKE '%row'")" \
    okrow "the import of the good rows (the box ticked) stored the good one only"
is "$(hs_sql "SELECT GROUP_CONCAT(action ORDER BY id) FROM audit_log")" \
    "campaign.create,advocate.create,link.create,link.edit,event.create,event.grant,event.edit,event.disable,event.enable,advocate.import,advocate.create,advocate.create,advocate.create,advocate.import,advocate.create,user.password,user.signout" \
    "every change is in the audit trail"
is "$(hs_sql "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.name = 'ada'")" 1 "signed out everywhere: only the new sign-in's session"

# What a browser would not send.  An admin session, its CSRF token and
# a fresh nonce for each form.
sid=$(report_login ada "$NEWPW")
[[ -n $sid ]] || fail "admin signs in with the new password"
csrf=$(report_csrf "$sid")
ck="Cookie: hs_session=$sid"
once() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
BODY=$HS_TMP/post.body
post() { # post PATH FIELD=VALUE...: the status; the body in $BODY
	local path=$1 a=()
	shift
	for f; do a+=(--data-urlencode "$f"); done
	curl -q -s -o "$BODY" -w '%{http_code}' --max-time 20 -H "$ck" \
	    "${a[@]}" "$HS_URL$path" || true
}
n0=$(hs_sql "SELECT COUNT(*) FROM audit_log")
is "$(post /admin/manage/save csrf=forged-token "once=$(once)" kind=campaign \
    op=save edit=0 slug=forged name=F hosts=127.0.0.1 \
    "dest=$HS_URL/health")" 403 "a forged CSRF token: 403"
is "$(post /admin/manage/save "once=$(once)" kind=campaign op=save edit=0 \
    slug=nocsrf name=F hosts=127.0.0.1 "dest=$HS_URL/health")" 403 \
    "no CSRF token: 403"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=link op=save \
    edit=0 campaign=web "dest=https://evil.example/")" 400 \
    "a link outside the campaign's hosts: 400"
like "$(cat "$BODY")" "host not on the campaign&#39;s allowlist|host not on the campaign's allowlist" \
    "... says why"
like "$(cat "$BODY")" 'value="https://evil.example/"' "... keeps the typed destination"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=0 slug=hostile "name=$(printf 'bell\a')" hosts=127.0.0.1 \
    "dest=$HS_URL/health")" 400 "a control byte in a name: 400"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=save edit=0 "handle=<b>x</b>" name=X status=active)" 400 \
    "a hostile handle: 400"
like "$(cat "$BODY")" 'value="&lt;b&gt;x&lt;/b&gt;"' "... kept, escaped"
big=$(head -c 3000 /dev/zero | tr '\0' a)
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=save edit=0 handle=big "name=$big" status=active)" 400 \
    "an oversized name: 400"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=save edit=0 handle=mira name=Again status=active)" 409 \
    "a handle that exists: 409"
rows=$(printf 'handle,display_name\n'; for i in $(seq 201); do printf 'big%d,Big\n' "$i"; done)
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=import "csv=$rows")" 413 "an import of 201 rows: 413"
like "$(cat "$BODY")" "at most 200" "... says the limit"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=link \
    op=import "csv=$(printf 'campaign,code,destination\nweb,GOOD-2345,%s/health\nweb,EVIL-2345,https://evil.example/\n' "$HS_URL")")" \
    400 "a link import with a destination outside the hosts: 400"
like "$(cat "$BODY")" "<td>3</td>.*allowlist" "... names line 3 and says why"
# The posted fields through field tables: a bad hidden one is a page to
# reload, a field sent twice is named.
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=user op=save)" 400 \
    "an unknown kind of object: 400"
like "$(cat "$BODY")" 'Unknown kind of change' "... says so"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign op=grant \
    slug=web)" 400 "a host page of a campaign: 400"
is "$(post /admin/manage/save "csrf=$csrf" once=0123 kind=campaign op=save)" 400 \
    "a nonce that is no nonce: 400"
like "$(cat "$BODY")" 'reload the page' "... to be reloaded"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate op=save \
    edit=0 handle=twice name=A name=B status=active)" 400 "a field sent twice: 400"
like "$(cat "$BODY")" 'Display name.* was sent twice' "... naming it"
is "$(post /admin/account/save "csrf=$csrf" "once=$(once)" op=delete)" 400 \
    "an unknown change of the account: 400"
is "$(hs_sql "SELECT COUNT(*) FROM audit_log")" "$n0" "nothing refused was stored"
is "$(hs_sql "SELECT COUNT(*) FROM links WHERE code IN ('GOOD2345', 'EVIL2345')")
$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle LIKE 'big%'")" $'0\n0' \
    "... not even the good rows of a refused import"
is "$(hs_sql "SELECT COUNT(*) FROM campaigns WHERE slug IN ('forged', 'nocsrf', 'hostile')")
$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle IN ('big', '<b>x</b>')")" $'0\n0' \
    "... no campaign, no advocate"

# One link's and one advocate's clicks over time: people through the
# link, people through a QR scan, bots, per day (rows as the hourly load
# stores them).
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id, trigger_kind, is_bot)
    SELECT MD5(CONCAT('mc', seq)), IF(seq = 7, '2026-11-01 09:00:00',
    '2026-11-02 10:00:00'), l.id, IF(seq <= 3 OR seq = 7, 'link', 'qr'), seq = 6
    FROM seq_1_to_7 JOIN links l ON l.code = 'WEBA2345'"
day2='<td>2026-11-02</td><td class="num">3</td><td class="num">2</td><td class="num">1</td>'
day1='<td>2026-11-01</td><td class="num">1</td><td class="num">0</td><td class="num">0</td>'
curl -q -s -o "$BODY" --max-time 20 -H "$ck" "$HS_URL/admin/manage?link=WEBA-2345"
like "$(tr -d '\n' <"$BODY")" "$day2.*$day1" \
    "a link's page: people by link and by QR scan, and bots, per day, newest first"
curl -q -s -o "$BODY" --max-time 20 -H "$ck" "$HS_URL/admin/manage?advocate=mira"
like "$(tr -d '\n' <"$BODY")" "$day2.*$day1" "an advocate's page: the same over their links"

# Share texts on the campaign's form: core's rule (hs_share_bad, as
# hearsay-admin share set), an empty text removes one, audited.
hosts=$(hs_sql "SELECT allowed_hosts FROM campaigns WHERE slug = 'web'")
is "$(hs_sql "SELECT GROUP_CONCAT(kind, ':', COALESCE(subject, '-'), ':',
    REPLACE(body, '\n', '/') ORDER BY kind) FROM share_texts s JOIN campaigns c
    ON c.id = s.campaign_id WHERE c.slug = 'web'")" \
    "email:Join me:Hi {name},/use {link},chat:-:Join: {link}" \
    "the browser's campaign has its share texts"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=$hosts" \
    "dest=$HS_URL/health" "share_social=@everyone =cmd" \
    "share_email=Hi")" 400 "a share text like a formula: 400"
like "$(cat "$BODY")" "spreadsheet formula" "... says why"
like "$(cat "$BODY")" '>@everyone =cmd</textarea>' "... keeps the typed text"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=$hosts" \
    "dest=$HS_URL/health" "share_subject=Subject only")" 400 \
    "a share subject without an e-mail text: 400"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=$hosts" \
    "dest=$HS_URL/health" "share_email=Hi again {link}" \
    "share_social=Follow {link}")" 303 "share texts changed: 303"
is "$($ADMIN share list web | grep -c chat || true)" 0 \
    "hearsay-admin share list: no chat text (removed on the web)"
is "$(hs_sql "SELECT GROUP_CONCAT(kind, ':', COALESCE(subject, '-'), ':', body
    ORDER BY kind) FROM share_texts s JOIN campaigns c ON c.id = s.campaign_id
    WHERE c.slug = 'web'")" "email:-:Hi again {link},social:-:Follow {link}" \
    "... set, changed and removed as typed"
is "$(hs_sql "SELECT CONCAT(before_text LIKE '%share chat: Join: {link}%',
    after_text LIKE '%share chat: \n%', after_text LIKE '%share social: Follow {link}%')
    FROM audit_log WHERE action = 'campaign.edit' ORDER BY id DESC LIMIT 1")" 111 \
    "... audited with before and after"

# Narrowing a campaign's hosts while its links point outside them: refused,
# the links named, the typed hosts kept, nothing stored.
n0=$(hs_sql "SELECT COUNT(*) FROM audit_log")
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=example.org" \
    "dest=https://example.org/" "share_email=Hi again {link}")" 400 \
    "hosts that leave links outside: 400"
like "$(cat "$BODY")" "links would point outside these hosts: [^<]*WEBA2345" \
    "... names the links"
like "$(cat "$BODY")" 'name="hosts"[^>]*aria-invalid="true"[^>]*value="example.org"' \
    "... beside the hosts, as typed"
is "$(hs_sql "SELECT allowed_hosts FROM campaigns WHERE slug = 'web'")|$(hs_sql \
    "SELECT COUNT(*) FROM audit_log")" "$hosts|$n0" "... nothing stored"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=$hosts example.org" \
    "dest=$HS_URL/health" "share_email=Hi again {link}" \
    "share_social=Follow {link}")" 303 "hosts widened: 303"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=campaign \
    op=save edit=1 slug=web "name=Web campaign" "hosts=$hosts" \
    "dest=$HS_URL/health" "share_email=Hi again {link}" \
    "share_social=Follow {link}")" 303 "... and narrowed back, no link outside: 303"

# Events: the same checks as the form's, nothing stored when refused.
n0=$(hs_sql "SELECT COUNT(*) FROM audit_log")
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=event op=save \
    edit=0 slug=ev-bad name=Bad campaign=web host=nobody tables=1)" 400 \
    "an event with an unknown host: 400"
like "$(cat "$BODY")" 'no advocate with this handle' "... says why"
like "$(cat "$BODY")" 'value="nobody"' "... keeps the typed host"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=event op=save \
    edit=0 slug=ev-bad name=Bad campaign=web tables=61)" 400 \
    "an event with 61 table cards: 400"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=event op=save \
    edit=0 slug=web-party name=Again campaign=web)" 409 \
    "an event slug that exists: 409"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=event op=save \
    edit=0 slug=ev-bad name=Bad campaign=web starts=tomorrow)" 400 \
    "an event with a start that is not a date: 400"
is "$(hs_sql "SELECT COUNT(*) FROM events WHERE slug = 'ev-bad'")
$(hs_sql "SELECT COUNT(*) FROM audit_log")" "0
$n0" "... no event, no audit row"
o=$(once)
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=event op=save \
    edit=0 slug=ev-twice name=Twice campaign=web tables=1)" 303 "an event: 303"
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=event op=save \
    edit=0 slug=ev-twice name=Twice campaign=web tables=1)" 303 \
    "the same event form again: 303"
is "$(hs_sql "SELECT COUNT(*) FROM links l JOIN events e ON e.id = l.event_id
    WHERE e.slug = 'ev-twice'")|$(hs_sql "SELECT COUNT(*) FROM audit_log
    WHERE object = 'ev-twice'")" "2|1" "... made once, audited once"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=event \
    op=grant slug=ev-twice)" 409 "a host page for an event without a host: 409"

# The same form sent twice (a double click): one change.
o=$(once)
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=advocate op=save \
    edit=0 handle=twice name=Twice status=active)" 303 "a form: 303"
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=advocate op=save \
    edit=0 handle=twice name=Twice status=active)" 303 "the same form again: 303"
is "$(hs_sql "SELECT COUNT(*) FROM audit_log WHERE object = 'twice'")" 1 \
    "... changed once"

# CSV import of the good rows only, when asked (the box ticked): the bad
# rows are listed and not stored, their audit rows neither.
csv=$(printf 'handle,display_name\ngood1,Good One\nbad1,=cmd()\ngood2,Good Two\n')
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=preview goodonly=on "csv=$csv")" 400 "preview of the good rows only: 400"
like "$(cat "$BODY")" "stores the other 2" "... says what importing would store"
like "$(cat "$BODY")" 'id="import-goodonly" name="goodonly" value="on" checked' \
    "... keeps the box ticked"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle IN ('good1', 'good2')")" 0 \
    "... stores nothing"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=import "csv=$csv")" 400 "the same import without the box: 400"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle LIKE 'good%'")" 0 \
    "... stores nothing"
o=$(once)
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=advocate \
    op=import goodonly=on "csv=$csv")" 200 "with the box: 200"
like "$(cat "$BODY")" "2 rows imported. 1 rows are refused" "... says what it stored"
like "$(cat "$BODY")" "<td>3</td><td class=\"text\">bad1</td><td class=\"text\">column display_name: a spreadsheet formula" \
    "... names the refused row"
is "$(post /admin/manage/save "csrf=$csrf" "once=$o" kind=advocate \
    op=import goodonly=on "csv=$csv")" 303 "... sent again: 303, nothing more"
is "$(hs_sql "SELECT GROUP_CONCAT(handle ORDER BY handle) FROM advocates
    WHERE handle LIKE 'good%' OR handle LIKE 'bad%'")" "good1,good2" \
    "... the good rows stored, once; the bad not"
is "$(hs_sql "SELECT CONCAT_WS('|', (SELECT after_text FROM audit_log WHERE
    form_nonce = '$o'), (SELECT COUNT(*) FROM audit_log WHERE object = 'bad1'),
    (SELECT COUNT(*) FROM audit_log WHERE object IN ('good1', 'good2')))")" \
    "2 rows, 1 refused|0|2" "... audited: the import, and each good row"
is "$(post /admin/manage/save "csrf=$csrf" "once=$(once)" kind=advocate \
    op=import goodonly=on "csv=$(printf 'handle,display_name\nbad2,@x\n')")" \
    400 "with the box and no good row: 400, nothing stored"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE handle = 'bad2'")" 0 \
    "... nothing stored"

# An analyst cannot manage by posting either.
sid2=$(report_login dana)
csrf2=$(report_csrf "$sid2")
ck="Cookie: hs_session=$sid2"
is "$(post /admin/manage/save "csrf=$csrf2" "once=$(once)" kind=campaign \
    op=disable slug=web)" 403 "an analyst's change: 403"
like "$(cat "$BODY")" "Managing needs an admin" "... with the page that says why"
is "$(hs_sql "SELECT disabled FROM campaigns WHERE slug = 'web'")" 0 "... nothing changed"

# hearsay-admin link create is live at once too (link_cache_secs 3600).
ok $ADMIN link create --campaign web --code CLIA-2345 >/dev/null
wait_for 10 302 'http_status GET /i/CLIA-2345' ||
    fail "hearsay-admin link create: the link redirects at once"
ok $ADMIN link disable CLIA-2345 >/dev/null
wait_for 10 404 'http_status GET /i/CLIA-2345' ||
    fail "hearsay-admin link disable: no longer active at once"
# So are the links of a new event (core's hs_event_create, used by
# hearsay-admin event create and the host's page alike).
ok $ADMIN event create --name "Web Meetup" --campaign web \
    --slug web-meetup >/dev/null
ecode=$(hs_sql "SELECT l.code FROM links l JOIN events e ON e.id = \
    l.event_id WHERE e.slug = 'web-meetup' AND l.label IS NULL")
if wait_for 10 302 "http_status GET /i/$ecode"; then
	pass "hearsay-admin event create: its link redirects at once"
else
	fail "hearsay-admin event create: its link redirects at once"
fi
# hearsay-admin event disable|enable: the statements the pages use.
ok $ADMIN event disable web-meetup >/dev/null
if wait_for 10 404 "http_status GET /i/$ecode"; then
	pass "hearsay-admin event disable: its link stops at once"
else
	fail "hearsay-admin event disable: its link stops at once"
fi
is "$(hs_sql "SELECT CONCAT(e.disabled, MIN(l.disabled)) FROM events e JOIN
    links l ON l.event_id = e.id WHERE e.slug = 'web-meetup'")" 11 \
    "... the event and its links disabled"
ok $ADMIN event enable web-meetup >/dev/null
if wait_for 10 302 "http_status GET /i/$ecode"; then
	pass "hearsay-admin event enable: its link answers again at once"
else
	fail "hearsay-admin event enable: its link answers again at once"
fi
if $ADMIN event disable no-such-event >/dev/null 2>&1; then
	fail "hearsay-admin event disable of an unknown event: refused"
else
	pass "hearsay-admin event disable of an unknown event: refused"
fi

done_testing
