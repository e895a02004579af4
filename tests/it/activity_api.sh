#!/usr/bin/env bash
# tests/it/activity_api.sh: POST /api/v1/activity (issue 20).  The
# activity scope; bad input refused whole with a clear 4xx and nothing
# stored (unknown signup, bad kind, bad time, wrong currency, huge
# batch, non-UTF-8, unknown member); a replayed id counted once;
# requests arriving together each answered for itself (a worker stores
# them in one INSERT); a key revoked after a worker took it refused;
# MariaDB stopped during a stream of batches loses nothing
# acknowledged (counted); forget and retention take activity with the
# signup; a deployment's kinds are checked when the config is read.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

N=40			# batches in the fault stream
PER=5			# items per batch
LOAD_WAIT=60		# seconds the loader may take after the restart

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
KEY=$($ADMIN apikey create it-act --scope signups,activity 2>/dev/null)
KR=$($ADMIN apikey create it-read --scope read 2>/dev/null)
like "$($ADMIN apikey list)" 'it-act +no .* signups,activity' "--scope activity"
AUTH=(-H "Authorization: Bearer $KEY")
JSON=(-H "Content-Type: application/json")
post() { http_fetch POST /api/v1/activity "${AUTH[@]}" "${JSON[@]}" --data-raw "$1"; }
rows() { hs_sql "SELECT COUNT(*) FROM activity"; }
# The server's INSERT and INSERT ... SELECT statements so far ("I S"): a
# worker's batch is one INSERT ... SELECT; an item stored alone (a
# request served again after its batch failed) one INSERT.
inserts() { hs_sql "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME
    SEPARATOR ' ') FROM information_schema.GLOBAL_STATUS
    WHERE VARIABLE_NAME IN ('COM_INSERT', 'COM_INSERT_SELECT')"; }
# one_batch BEFORE: "I INSERT, S batch", the statements since BEFORE
# (inserts' output then): "0 INSERT, 1 batch" when one batch stored all.
one_batch() {
	local now=($(inserts)) then=($1)
	echo "$((now[0] - then[0])) INSERT, $((now[1] - then[1])) batch"
}

for r in a-1 a-2; do
	is "$(http_status POST /api/v1/signups "${AUTH[@]}" "${JSON[@]}" --data-raw \
	    "{\"signup_ref\":\"$r\",\"signed_up_at\":\"2026-01-05T10:00:00Z\"}")" 200 \
	    "signup $r reported"
done

# --- scope and method
is "$(http_status POST /api/v1/activity "${JSON[@]}" --data-raw '{"items":[]}')" 401 "no key: 401"
http_fetch POST /api/v1/activity -H "Authorization: Bearer $KR" "${JSON[@]}" \
    --data-raw '{"items":[{"id":"x","signup_ref":"a-1","kind":"active","at":"2026-01-06T00:00:00Z"}]}'
is "$HTTP_STATUS" 403 "a key without the activity scope: 403"
like "$(cat "$HTTP_BODY")" 'activity scope' "403 names the scope"
is "$(http_status GET /api/v1/activity "${AUTH[@]}")" 405 "GET: 405"

# --- a good batch, then the same again
good='{"items":[
 {"id":"e-1","signup_ref":"a-1","kind":"active","at":"2026-01-06T00:00:00Z"},
 {"id":"e-2","signup_ref":"a-1","kind":"purchase","at":"2026-01-07T12:00:00.250Z","value":19.99,"currency":"USD"},
 {"id":"e-3","signup_ref":"a-2","kind":"activated","at":"2026-01-08T00:00:00Z","value":5}]}'
i0=$(inserts)
post "$good"
is "$HTTP_STATUS" 200 "a batch: 200"
is "$(one_batch "$i0")" "0 INSERT, 1 batch" "a batch: its items in one statement"
like "$(cat "$HTTP_BODY")" '"stored":3' "three stored"
post "$good"
is "$HTTP_STATUS" 200 "the same batch again: 200"
like "$(cat "$HTTP_BODY")" '"stored":0.*"duplicates":3|"duplicates":3.*"stored":0' \
    "replayed ids: nothing stored, three duplicates"
is "$(rows)" 3 "replayed ids counted once"
is "$(hs_sql "SELECT CONCAT_WS('|', s.signup_ref, a.kind, a.at, COALESCE(a.value, '-'),
    COALESCE(a.currency, '-')) FROM activity a JOIN signups s ON s.id = a.signup_id
    ORDER BY a.at" | paste -sd' ')" \
    "a-1|active|2026-01-06 00:00:00.000|-|- a-1|purchase|2026-01-07 12:00:00.250|19.9900|USD a-2|activated|2026-01-08 00:00:00.000|5.0000|USD" \
    "stored as sent (a value without currency is in activity_currency)"
# A reference with quotes, a backslash and a non-ASCII letter: the
# batch's INSERT reads its items from a JSON document of their own.
odd='Zo\u00eb \"q\" \\ x'
is "$(http_status POST /api/v1/signups "${AUTH[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"$odd\",\"signed_up_at\":\"2026-01-05T10:00:00Z\"}")" 200 \
    "signup with quotes, a backslash and an accent reported"
i0=$(inserts)
post "{\"items\":[{\"id\":\"o-1\",\"signup_ref\":\"$odd\",\"kind\":\"active\",\"at\":\"2026-01-06T00:00:00Z\"}]}"
like "$HTTP_STATUS $(cat "$HTTP_BODY")" '^200 .*"stored":1' "its activity: stored"
is "$(one_batch "$i0")" "0 INSERT, 1 batch" "its activity: by the batch's statement"
is "$(hs_sql "SELECT s.signup_ref FROM activity a JOIN signups s ON s.id = a.signup_id
    WHERE a.at = '2026-01-06' AND s.signup_ref <> 'a-1'")" 'Zoë "q" \\ x' \
    "its activity names that signup (mariadb -B writes a backslash as two)"
hs_sql "DELETE FROM activity WHERE activity_id IN (SELECT activity_id FROM activity a
    JOIN signups s ON s.id = a.signup_id WHERE s.signup_ref LIKE 'Zo%')"
# A request of the most items a request may carry is one batch too.
full=$(python3 -c 'import json; print(json.dumps({"items": [{"id": "f-%d" % i,
    "signup_ref": "a-1", "kind": "active", "at": "2026-01-02T00:00:00Z"} for i in range(250)]}))')
i0=$(inserts)
post "$full"
like "$HTTP_STATUS $(cat "$HTTP_BODY")" '^200 .*"stored":250' "250 items: stored"
is "$(one_batch "$i0")" "0 INSERT, 1 batch" "250 items: in one statement"
hs_sql "DELETE FROM activity WHERE at = '2026-01-02'"

# --- bad input: a clear 4xx, nothing stored, the worker alive
item() { printf '{"id":"%s","signup_ref":"%s","kind":"%s","at":"%s"%s}' "$@"; }
ok_item=$(item b-ok a-1 active 2026-01-09T00:00:00Z '')
check_bad() {
	local want=$1 body=$2 what=$3 pat=${4:-}
	post "$body"
	is "$HTTP_STATUS" "$want" "$what: $want"
	[[ -z $pat ]] || like "$(cat "$HTTP_BODY")" "$pat" "$what: says why"
}
check_bad 422 "{\"items\":[$ok_item,$(item b-1 nobody active 2026-01-09T00:00:00Z '')]}" \
    "unknown signup" 'items\[1\]: unknown signup_ref'
check_bad 400 "{\"items\":[$ok_item,$(item b-2 a-1 teleported 2026-01-09T00:00:00Z '')]}" \
    "a kind not configured" 'items\[1\]: kind'
check_bad 400 "{\"items\":[$(item b-3 a-1 active yesterday '')]}" "a bad time" 'items\[0\]: at'
check_bad 400 "{\"items\":[$(item b-4 a-1 active 2026-02-30T00:00:00Z '')]}" "February 30th"
check_bad 400 "{\"items\":[$(item b-5 a-1 purchase 2026-01-09T00:00:00Z ',"value":1,"currency":"EUR"')]}" \
    "another currency" 'activity_currency'
check_bad 400 "{\"items\":[$(item b-6 a-1 purchase 2026-01-09T00:00:00Z ',"value":"12"')]}" "a value as text"
check_bad 400 "{\"items\":[$(item b-7 a-1 purchase 2026-01-09T00:00:00Z ',"value":1e300')]}" "a huge value"
check_bad 400 "{\"items\":[$(item 'b 8' a-1 active 2026-01-09T00:00:00Z '')]}" "an id with a space" 'items\[0\]: id'
check_bad 400 "{\"items\":[$(item b-9 a-1 active 2026-01-09T00:00:00Z ',"colour":"red"')]}" "an unknown member"
check_bad 400 '{"items":[]}' "an empty batch"
check_bad 400 '{"events":[]}' "no items"
check_bad 400 '[1]' "not an object"
big=$(python3 -c 'import json; print(json.dumps({"items": [{"id": "h-%d" % i,
    "signup_ref": "a-1", "kind": "active", "at": "2026-01-09T00:00:00Z"} for i in range(251)]}))')
check_bad 413 "$big" "251 items" 'at most 250'
printf '{"items":[{"id":"u-1","signup_ref":"a-\xff","kind":"active","at":"2026-01-09T00:00:00Z"}]}' \
    >"$HS_TMP/latin1.json"
is "$(http_status POST /api/v1/activity "${AUTH[@]}" "${JSON[@]}" \
    --data-binary @"$HS_TMP/latin1.json")" 400 "non-UTF-8: 400"
is "$(http_status POST /api/v1/activity "${AUTH[@]}" -H 'Content-Type: text/plain' \
    --data-raw "$good")" 415 "text/plain: 415"
is "$(rows)" 3 "refused batches stored nothing (not even their good items)"
post "{\"items\":[$ok_item]}"
is "$HTTP_STATUS" 200 "the worker still answers"

# --- requests that arrive together: a worker stores the items of the
# requests one wake-up brings in one INSERT, all of them or none; when
# one cannot be stored, each request is served again alone.  Whether
# they land together is up to the scheduler, so every request is
# checked for its own answer: new items, replays of stored ones,
# unknown signups and one id sent by two requests, all at once.
together() {
	local i args=()
	mkdir -p "$HS_TMP/par"
	for ((i = 0; i < ${#PAR[@]}; i++)); do
		args+=(${args[0]:+--next} -o "$HS_TMP/par/$i" -w '%{filename_effective} %{http_code}\n'
		    --max-time 20 "${AUTH[@]}" "${JSON[@]}"
		    --data-raw "{\"items\":[${PAR[i]}]}" "$HS_URL/api/v1/activity")
	done
	# One curl, every request sent at once (its own connection each).
	curl -q -s --parallel --parallel-immediate --parallel-max 64 "${args[@]}" |
	    while read -r f code; do echo "$code" >"$f.code"; done
}
# answer I: the status and counts of request I ("422" alone for a 422).
answer() {
	local f=$HS_TMP/par/$1
	printf '%s' "$(cat "$f.code")"
	[[ $(cat "$f.code") != 200 ]] ||
	    sed 's/.*"stored": *\([0-9]*\).*"duplicates": *\([0-9]*\).*/ \1 \2/;
		s/.*"duplicates": *\([0-9]*\).*"stored": *\([0-9]*\).*/ \2 \1/' "$f"
}
# Round 1: new items, replays of stored ones, one id sent twice;
# round 2: new items and unknown signups (a batch fails at its INSERT).
PAR=()
for i in $(seq 1 10); do PAR+=("$(item "t-$i" a-1 active 2026-01-09T00:00:00Z '')"); done
PAR+=("$(item e-1 a-1 active 2026-01-06T00:00:00Z '')" "$(item e-3 a-2 activated 2026-01-08T00:00:00Z '')")
PAR+=("$(item twin a-2 active 2026-01-09T00:00:00Z '')" "$(item twin a-2 active 2026-01-09T00:00:00Z '')")
before=$(rows) i0=$(inserts)
together
diag "$(one_batch "$i0") statements for ${#PAR[@]} requests arriving together"
got=
for i in $(seq 0 9); do got+="$(answer "$i"),"; done
is "$got" "$(printf '200 1 0,%.0s' $(seq 1 10))" "together: each new item stored, counted as stored"
is "$(answer 10),$(answer 11)" "200 0 1,200 0 1" "together: replayed ids counted as duplicates"
is "$(printf '%s\n' "$(answer 12)" "$(answer 13)" | sort | paste -sd,)" "200 0 1,200 1 0" \
    "together: one id twice, stored once, the other a duplicate"
is "$(rows)" "$((before + 11))" "together: what was acknowledged as stored, and nothing else"
PAR=()
for i in $(seq 11 20); do PAR+=("$(item "t-$i" a-1 active 2026-01-09T00:00:00Z '')"); done
PAR+=("$(item u-1 nobody active 2026-01-09T00:00:00Z '')" "$(item u-2 nobody-2 active 2026-01-09T00:00:00Z '')")
before=$(rows) i0=$(inserts)
together
diag "$(one_batch "$i0") statements for ${#PAR[@]} requests arriving together"
got=
for i in $(seq 0 9); do got+="$(answer "$i"),"; done
is "$got" "$(printf '200 1 0,%.0s' $(seq 1 10))" "together, unknown signups among them: new items stored"
is "$(answer 10),$(answer 11)" "422,422" "together: unknown signups 422"
is "$(rows)" "$((before + 10))" "together: the 422s stored nothing"

# --- a key revoked after a worker took it: the store checks it again
# (in the batch's INSERT, then alone as each request is served again)
KEY2=$($ADMIN apikey create it-act2 --scope activity 2>/dev/null)
kid2=$(hs_sql "SELECT id FROM api_keys WHERE name = 'it-act2'")
AUTH2=(-H "Authorization: Bearer $KEY2")
for i in 1 2 3 4; do	# both workers take it (nginx round robin)
	is "$(http_status POST /api/v1/activity "${AUTH2[@]}" "${JSON[@]}" --data-raw \
	    "{\"items\":[$(item "k-$i" a-1 active 2026-01-09T00:00:00Z '')]}")" 200 "key 2: 200"
done
ok $ADMIN apikey revoke "$kid2"
many=$(python3 -c 'import json; print(json.dumps({"items": [{"id": "kr-%d" % i,
    "signup_ref": "a-1", "kind": "active", "at": "2026-01-09T00:00:00Z"} for i in range(17)]}))')
for i in 1 2 3 4; do
	http_fetch POST /api/v1/activity "${AUTH2[@]}" "${JSON[@]}" --data-raw \
	    "{\"items\":[$(item "kv-$i" a-1 active 2026-01-09T00:00:00Z '')]}"
	is "$HTTP_STATUS" 401 "revoked key, one item: 401"
	http_fetch POST /api/v1/activity "${AUTH2[@]}" "${JSON[@]}" --data-raw "$many"
	is "$HTTP_STATUS" 401 "revoked key, 17 items: 401"
	like "$(cat "$HTTP_HEADERS")" 'WWW-Authenticate: Bearer' "revoked key: WWW-Authenticate"
done
is "$(hs_sql "SELECT COUNT(*) FROM activity WHERE api_key_id = $kid2")" 4 \
    "revoked key: nothing stored after the revocation"

# --- MariaDB stopped during a stream: nothing acknowledged is lost
stream() {
	local b i items st
	for b in $(seq 1 "$N"); do
		items=
		for i in $(seq 1 "$PER"); do
			items+="${items:+,}$(item "s-$b-$i" a-2 active 2026-01-10T00:00:00Z '')"
		done
		st=$(curl -q -s -o /dev/null -w '%{http_code}' --max-time 30 \
		    "${AUTH[@]}" "${JSON[@]}" --data-raw "{\"items\":[$items]}" \
		    "$HS_URL/api/v1/activity" || true)
		echo "$st $b"
		sleep 0.1
	done >"$HS_TMP/results"
}
before=$(rows)
stream &
spid=$!
sleep 1
hs_db_stop
diag "MariaDB stopped"
sleep 2
hs_db_start
diag "MariaDB started again"
wait "$spid"
is "$(grep -c . "$HS_TMP/results")" "$N" "every batch answered"
is "$(grep -vcE '^(200|202|503) ' "$HS_TMP/results" || true)" 0 "only 200, 202 or 503"
acked=$(($(grep -cE '^(200|202) ' "$HS_TMP/results" || true) * PER))
journalled=$(grep -c '^202 ' "$HS_TMP/results" || true)
ok test "$journalled" -gt 0
diag "$acked items acknowledged, $journalled batches journalled"
want=$((before + acked))
wait_for "$LOAD_WAIT" "$want" "hs_sql 'SELECT COUNT(*) FROM activity'" || true
is "$(rows)" "$want" "every acknowledged item stored, each once"
grep -E '^(200|202) ' "$HS_TMP/results" | cut -d' ' -f2 | sort -n >"$HS_TMP/acked"
is "$(hs_sql "SELECT COUNT(DISTINCT a.activity_id) FROM activity a JOIN signups s
    ON s.id = a.signup_id WHERE s.signup_ref = 'a-2' AND a.at = '2026-01-10'")" "$acked" \
    "the stream's items, no duplicates"

# --- forget takes the signup's activity; retention goes with the signup
a1=$(hs_sql "SELECT COUNT(*) FROM activity a JOIN signups s ON s.id = a.signup_id
    WHERE s.signup_ref = 'a-1'")
ok test "$a1" -gt 0
ok $ADMIN forget --signup a-1
is "$(rows)" "$((want - a1))" "forget: the signup's activity is gone"
post "{\"items\":[$ok_item]}"
is "$HTTP_STATUS" 422 "activity of a forgotten signup: 422"
sed -i 's/^retention_days = .*/retention_days = 395/' "$HS_CONF"	# the default
hs_sql "UPDATE signups SET signed_up_at = UTC_DATE() - INTERVAL 800 DAY WHERE signup_ref = 'a-2'"
ok $ADMIN retention
is "$(rows)" 0 "retention: an erased signup's activity is gone"

# --- the deployment's kinds are checked when the config is read
for bad in 'activity_retained = stayed' 'activity_kinds = Active' 'activity_currency = eu'; do
	{ cat "$HS_CONF"; echo "$bad"; } >"$HS_TMP/bad.conf"
	like "$("$top_builddir/src/admin/hearsay-admin" -f "$HS_TMP/bad.conf" survey list 2>&1 || true)" \
	    'activity_(kinds|currency)' "config '$bad' refused"
done

done_testing
