#!/usr/bin/env bash
# tests/it/privacy_at_rest.sh: no raw IP address at rest (README,
# DESIGN.md, src/core/privacy.c).  A client with a distinctive address,
# 127.0.0.23, goes through every endpoint -- invite links, QR codes, the
# survey form and API, a host page, the report's sign-in -- once with
# MariaDB up and once with it down (so the journals hold its clicks and
# answers), then every column of every table, every file of the stack
# (spool and journals, logs of nginx, MariaDB and every program, the
# datadir) is searched for that address as text, as its 4 bytes, as
# hex and as the 32-bit number.  The sweep proves it can see: a planted
# canary in each form is found first.  Also the day's salt: its file is
# 0600, and yesterday's salt (file and row) is destroyed.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/report_lib.sh"

IP=127.0.0.23
IPHEX=7F000017		# its 4 bytes (inet_aton, INET6_ATON)
IPNUM=2130706455	# and as a 32-bit number (INET_ATON)
rc=0
curl -s -o /dev/null --max-time 5 --interface "$IP" http://127.0.0.1:9/ 2>/dev/null || rc=$?
if ((rc == 45)); then
	fail "cannot send from $IP (curl --interface): is lo 127.0.0.0/8 here?"
	done_testing
fi

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
C=(-s --max-time 20 --interface "$IP" -A 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0')
st() { curl "${C[@]}" -o /dev/null -w '%{http_code}' "$@" || true; }

# --- what the client will meet
hs_sql "INSERT INTO campaigns (slug, name, allowed_hosts, default_dest)
    VALUES ('priv', 'Privacy', 'example.org', 'https://example.org/')"
hs_sql "INSERT INTO advocates (handle, display_name) VALUES ('hostp', 'Pat Host')"
out=$($ADMIN event create --name "Privacy meetup" --campaign priv --host hostp --tables 1)
EV=$(sed 's/^event \([0-9]*\) .*/\1/' <<<"$out")
read -r -a codes <<<"$(sed 's/.*code //' <<<"$out")"
CODE=${codes[0]}
like "$CODE" '^[0-9A-Z]+$' "an event with its links"
HOSTURL=$($ADMIN host grant --advocate hostp --campaign priv)
HOSTP=${HOSTURL#"$HS_URL"}
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
KEY=$($ADMIN apikey create priv-app 2>/dev/null)
report_user alice
# The redirector serves a snapshot: a reload makes it take the new links.
# The first 302 is a click (from 127.0.0.1), the one before the traffic.
kill -HUP "$(hs_pid link)"
ok wait_for 30 302 "curl -s -o /dev/null -w '%{http_code}' $HS_URL/i/$CODE"

# traffic TAG: one visit of every endpoint from $IP; the clicks and
# answers it makes are counted by the callers.
traffic() {
	local tag=$1 ft tok sid csrf
	is "$(st "$HS_URL/i/$CODE")" 302 "$tag: invite link"
	is "$(st "$HS_URL/i/$CODE?qr=1")" 302 "$tag: invite link scanned"
	is "$(st "$HS_URL/qr/$CODE.svg")" 200 "$tag: QR code (SVG)"
	is "$(st "$HS_URL/qr/$CODE.png")" 200 "$tag: QR code (PNG)"
	is "$(st "$HS_URL/i/NOPE0000")" 404 "$tag: unknown link"
	# The survey form, signed for a signup, and its answer.
	tok=$($ADMIN survey token --signup "priv-$tag-form")
	ft=$(curl "${C[@]}" "$HS_URL/s/welcome?t=$tok" |
	    sed -n 's/.*name="ft" value="\([^"]*\)".*/\1/p')
	like "$ft" '^[A-Za-z0-9_.-]+$' "$tag: survey form"
	is "$(st -X POST "$HS_URL/s/welcome" --data-urlencode "ft=$ft" \
	    --data-urlencode o=friend --data-urlencode "f_friend=Pat" \
	    --data-urlencode consent=1)" 303 "$tag: survey answer (form)"
	is "$(st -X POST "$HS_URL/api/v1/surveys/welcome/responses" \
	    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
	    -H "Idempotency-Key: priv-$tag" \
	    --data-raw "{\"signup_ref\":\"priv-$tag-api\",\"options\":[\"search\"]}")" 200 \
	    "$tag: survey answer (API)"
	is "$(st "$HS_URL/api/v1/surveys/welcome" -H "Authorization: Bearer $KEY")" 200 \
	    "$tag: survey definition (API)"
	is "$(st "$HS_URL$HOSTP")" 200 "$tag: host page"
	is "$(st "$HS_URL${HOSTP}e/$EV/poster")" 200 "$tag: host poster"
}

# --- with MariaDB up
traffic up
# The report: a wrong password (recorded per client network), a right one.
tok=$(curl "${C[@]}" "$HS_URL/admin/login" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
is "$(st -X POST "$HS_URL/admin/login" --data-urlencode user=alice \
    --data-urlencode password=wrong-password --data-urlencode "token=$tok")" 401 \
    "report: a wrong password"
tok=$(curl "${C[@]}" "$HS_URL/admin/login" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
is "$(st -X POST "$HS_URL/admin/login" --data-urlencode user=nobody-here \
    --data-urlencode password=wrong-password --data-urlencode "token=$tok")" 401 \
    "report: an unknown name"
is "$(hs_sql "SELECT COUNT(*) FROM login_attempts")" 2 "the failed sign-ins are recorded"
tok=$(curl "${C[@]}" "$HS_URL/admin/login" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
sid=$(curl "${C[@]}" -D - -o /dev/null -X POST --data-urlencode user=alice \
    --data-urlencode "password=$REPORT_PW" --data-urlencode "token=$tok" \
    "$HS_URL/admin/login" | sed -n 's/^Set-Cookie: hs_session=\([0-9a-f]*\);.*/\1/p')
like "$sid" '^[0-9a-f]{64}$' "report: signed in"
is "$(st -H "Cookie: hs_session=$sid" "$HS_URL/admin/")" 200 "report: overview"
is "$(hs_sql "SELECT user_name FROM login_attempts")" nobody-here \
    "the unknown name's failure stays (alice's cleared by her sign-in)"
ok wait_for 30 3 "hs_sql \"SELECT COUNT(*) FROM clicks\""
is "$(hs_sql "SELECT COUNT(DISTINCT client_hash) FROM clicks")" 1 \
    "the clicks carry a client hash"

# --- with MariaDB down: clicks and answers go to the journals
tok=$($ADMIN survey token --signup priv-down-form)
ft=$(curl "${C[@]}" "$HS_URL/s/welcome?t=$tok" | sed -n 's/.*name="ft" value="\([^"]*\)".*/\1/p')
hs_db_stop
is "$(st "$HS_URL/i/$CODE")" 302 "db down: invite link still redirects"
is "$(st "$HS_URL/i/$CODE?qr=1")" 302 "db down: scanned link"
is "$(st -X POST "$HS_URL/s/welcome" --data-urlencode "ft=$ft" \
    --data-urlencode o=search --data-urlencode consent=1)" 303 \
    "db down: form answer journalled"
journals=$(find "$HS_DIR/spool" -type f ! -name 'salt-*' -size +0 | sort)
like "$journals" 'clicks' "db down: a click journal with records"
like "$journals" 'survey' "db down: an answer journal with records"

# sweep_files WHAT FILES...: no file holds the address (text, or its
# 4 bytes); prints the offenders.
sweep_files() {
	local what=$1 f hits=
	shift
	for f in "$@"; do
		[[ -f $f ]] || continue
		if grep -aqF "$IP" "$f" ||
		    LC_ALL=C grep -aqP '\x7f\x00\x00\x17' "$f"; then
			hits+="$f "
		fi
	done
	is "$hits" "" "$what: no $IP"
}
mapfile -t spool < <(find "$HS_DIR/spool" -type f)
sweep_files "spool and journals (db down)" "${spool[@]}"

hs_db_start
ok wait_for 60 5 "hs_sql \"SELECT COUNT(*) FROM clicks\""
ok wait_for 60 3 "hs_sql \"SELECT COUNT(*) FROM responses\""

# The datadir holds the tables, the redo log and any binary log: the
# address as text anywhere in it (the 4 bytes are too short to search
# megabytes of pages without chance hits).  Before the canaries below,
# which the redo log keeps after they are dropped.
is "$(grep -rlaF "$IP" "$HS_DIR/db" | tr '\n' ' ')" "" "no $IP in MariaDB's files"

# --- the sweep of the database, first shown that it can see
# One query per column of every table of the schema, generated from
# information_schema: the address as text (any column cast to bytes), as
# its 4 bytes, as hex text, as the number.
sweep_sql() {
	hs_sql "SELECT GROUP_CONCAT(CONCAT('SELECT ''', table_name, '.', column_name,
	    ''' FROM \`', table_name, '\` WHERE CAST(\`', column_name, '\` AS BINARY) LIKE ''%$IP%''',
	    ' OR LOCATE(UNHEX(''$IPHEX''), CAST(\`', column_name, '\` AS BINARY)) > 0',
	    ' OR CAST(\`', column_name, '\` AS CHAR CHARACTER SET latin1) LIKE ''%$IPHEX%''',
	    ' OR CAST(\`', column_name, '\` AS BINARY) LIKE ''%$IPNUM%''')
	    SEPARATOR ' UNION ') FROM information_schema.columns
	    WHERE table_schema = 'hearsay'" | sed 's/$/;/'
}
hs_sql "SET GLOBAL group_concat_max_len = 4194304"
sweep_db() { sweep_sql | hs_sql | sort -u | tr '\n' ' '; }
hs_sql "CREATE TABLE canary (t VARCHAR(40), b VARBINARY(16), n BIGINT, h CHAR(8))"
hs_sql "INSERT INTO canary VALUES ('from $IP', NULL, NULL, NULL),
    (NULL, INET6_ATON('$IP'), NULL, NULL), (NULL, INET6_ATON('::ffff:$IP'), NULL, NULL),
    (NULL, NULL, INET_ATON('$IP'), NULL), (NULL, NULL, NULL, LOWER('$IPHEX'))"
is "$(sweep_db)" "canary.b canary.h canary.n canary.t " \
    "the sweep finds the address as text, bytes, number and hex"
hs_sql "DROP TABLE canary"
tables=$(hs_sql "SELECT COUNT(DISTINCT table_name) FROM information_schema.columns
    WHERE table_schema = 'hearsay'")
ok test "$tables" -ge 20
is "$(sweep_db)" "" "no column of the $tables tables holds $IP in any form"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE client_hash IS NOT NULL")" 2 \
    "the form answers carry a client hash instead"

# --- the sweep of every file of the stack
printf 'x %s x\n' "$IP" >"$HS_DIR/log/canary.log"
printf '\x7f\x00\x00\x17' >"$HS_DIR/spool/canary"
mapfile -t files < <(find "$HS_DIR" -type f \( -path "$HS_DIR/log/*" -o -path "$HS_DIR/spool/*" \))
hits=
for f in "${files[@]}"; do
	if grep -aqF "$IP" "$f" || LC_ALL=C grep -aqP '\x7f\x00\x00\x17' "$f"; then
		hits+="${f#"$HS_DIR/"} "
	fi
done
is "$hits" "log/canary.log spool/canary " "the file sweep finds a planted address"
rm -f "$HS_DIR/log/canary.log" "$HS_DIR/spool/canary"
mapfile -t logs < <(find "$HS_DIR/log" -type f)
like "${logs[*]}" 'nginx-error.log' "nginx's error log is among them"
like "${logs[*]}" 'hearsay-access.log' "nginx's access log is among them"
like "${logs[*]}" 'survey.log' "the programs' logs are among them"
ok test "$(grep -c '"GET /i/' "$HS_DIR/log/hearsay-access.log")" -ge 4
sweep_files "every log (${#logs[@]} files)" "${logs[@]}"
mapfile -t spool < <(find "$HS_DIR/spool" -type f)
sweep_files "spool (db up)" "${spool[@]}"

# --- the day's salt
day=$(date -u +%F)
ok wait_for 30 1 "ls '$HS_DIR/spool/salt-$day' 2>/dev/null | wc -l"
is "$(stat -c %a "$HS_DIR/spool/salt-$day")" 600 "today's salt file is 0600"
is "$(stat -c %s "$HS_DIR/spool/salt-$day")" 32 "... 32 bytes"
is "$(hs_sql "SELECT COUNT(*) FROM salts WHERE day = UTC_DATE()")" 1 "today's salt row"
# Yesterday's salt, as a day ago left it: a file and a row.
yday=$(date -u -d '-1 day' +%F)
head -c 32 /dev/urandom >"$HS_DIR/spool/salt-$yday"
head -c 32 /dev/urandom >"$HS_DIR/spool/salt-2020-01-01"
hs_sql "INSERT INTO salts (day, salt) VALUES ('$yday', RANDOM_BYTES(32)),
    ('2020-01-01', RANDOM_BYTES(32))"
cp "$HS_DIR/spool/salt-$day" "$HS_TMP/today"
# A reload starts a new loader, which checks the salt at once (as at a
# new UTC day; otherwise once a minute).
kill -HUP "$(hs_pid link)"
ok wait_for 30 1 "ls '$HS_DIR/spool' | grep -c '^salt-'"
is "$(ls "$HS_DIR/spool" | grep '^salt-' | tr '\n' ' ')" "salt-$day " "yesterday's salt files destroyed"
is "$(hs_sql "SELECT COUNT(*) FROM salts WHERE day < UTC_DATE()")" 0 \
    "yesterday's salt rows destroyed"
ok cmp -s "$HS_TMP/today" "$HS_DIR/spool/salt-$day"
is "$(st "$HS_URL/i/$CODE")" 302 "clicks go on"
is "$(http_status GET /health)" 200 "health"

done_testing
