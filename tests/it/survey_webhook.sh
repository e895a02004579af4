#!/usr/bin/env bash
# tests/it/survey_webhook.sh: signed webhooks on new answers (issue 4),
# "hearsay-admin webhook add|rotate|list|remove|enable|disable" and hearsay-webhook, against a
# real receiver (tests/it/webhook_receiver.py, python3's http.server on a
# free port) that checks every signature the way the README says.
#
# Healthy: every answer arrives exactly once, signed; a survey filter;
# a receiver holding the wrong secret sees signatures that do not verify;
# a receiver answering 500 is retried later with a doubling backoff and
# nothing is skipped; an unreachable URL, a hanging one and a URL with
# CR/LF forced into the table record their error and do not hold up the
# others; an answer with a lower id committed after a higher one, and
# answers journalled while MariaDB was down, are delivered too; MariaDB
# SIGKILLed in the middle of a batch loses nothing and resends exactly
# that batch (the documented at-least-once); the
# watermark passes settled ids and the delivery log shrinks behind it;
# an answer erased by forget reaches the receivers that got it as a
# signed erasure notice, once; a rotated secret signs beside the old one
# for the grace period, then alone.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
# The receiver is on 127.0.0.1, which webhooks refuse unless allowed
# (tests/it/webhook_private.sh tests the refusal).
echo "webhook_allow_private = 1" >>"$HS_CONF"
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
SENDER="$top_builddir/src/webhook/hearsay-webhook -f $HS_CONF"
RX=$HS_TMP/rx			# the receiver's directory
LOAD_WAIT=60			# seconds the journal loader may take

cat >"$HS_TMP/other.json" <<'EOF'
{ "slug": "it-other", "question": "How did you hear about us?",
  "allow_unsigned": true, "shuffle": "none",
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other", "pinned": true,
      "followup": "other" } ] }
EOF
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json" "$HS_TMP/other.json"
KEY=$($ADMIN apikey create it-webhook 2>/dev/null)

# The receiver; lib.sh's trap stops the stack, ours the receiver too.
mkdir -p "$RX"
/usr/bin/python3 "$top_srcdir/tests/it/webhook_receiver.py" "$RX" &
RXPID=$!
# hs_on_exit reads the exit status from $?: hand it on (without set -e,
# which would end the trap at the "(exit 1)" and leave the stack up).
rx_stop() {
	local rc=$?
	set +e
	kill "$RXPID" 2>/dev/null
	(exit "$rc")
	hs_on_exit
}
trap rx_stop EXIT
for _ in $(seq 1 50); do
	[[ -s $RX/port ]] && break
	sleep 0.1
done
RXURL=http://127.0.0.1:$(cat "$RX/port")
touch "$RX/log"

# A port nothing listens on: bind one, note it, close it.
DEAD=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# answer SURVEY N: N answers through the JSON API (each its own signup).
SEQ=0
answer() {
	local i
	for ((i = 0; i < $2; i++)); do
		SEQ=$((SEQ + 1))
		curl -q -s -o /dev/null --max-time 10 -H "Authorization: Bearer $KEY" \
		    -H 'Content-Type: application/json' -H "Idempotency-Key: wh-$SEQ" \
		    --data-raw "{\"signup_ref\":\"wh-$SEQ\",\"options\":[\"$3\"],\"other_text\":\"<b>n°$SEQ</b>\"}" \
		    "$HS_URL/api/v1/surveys/$1/responses"
	done
}
# rx PATH: the receiver's lines for PATH as "delivery status sig_ok
# method webhook"
rx() {
	/usr/bin/python3 - "$RX/log" "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"] == sys.argv[2]:
        print(r["delivery"], r["status"], "good" if r["sig_ok"] else "bad",
              r["method"], r["webhook"])
EOF
}
# got PATH: the answer ids PATH accepted (2xx), one per line, sorted, with
# any duplicate kept so it shows.
got() { rx "$1" | awk '$2 >= 200 && $2 < 300 { print $1 }' | sort -n; }
ids() { hs_sql "SELECT r.id FROM responses r JOIN surveys s ON s.id = r.survey_id
    WHERE ${1:-1} ORDER BY r.id"; }
col() { hs_sql "SELECT $2 FROM webhooks WHERE id = $1"; }
send() { $SENDER "$@" >>"$HS_TMP/send.log" 2>&1; }

# --- add: URLs refused, the secret shown once and never stored
for bad in 'ftp://127.0.0.1/x' 'javascript:alert(1)' 'http://' \
    "http://127.0.0.1/a$(printf '\r\n')X-Injected: 1" 'http://127.0.0.1/a b' \
    'https://user:pw@127.0.0.1/x' "http://127.0.0.1/$(printf 'x%.0s' $(seq 1 2001))" \
    'file:///etc/passwd' "http://127.0.0.1/é"; do
	if $ADMIN webhook add "$bad" >/dev/null 2>&1; then
		fail "URL refused: ${bad:0:60}"
	else
		pass "URL refused: ${bad:0:60}"
	fi
done
is "$(hs_sql "SELECT COUNT(*) FROM webhooks")" 0 "nothing added for refused URLs"
if $ADMIN webhook add "$RXURL/f" --survey nope >/dev/null 2>&1; then
	fail "unknown survey refused"
else
	pass "unknown survey refused"
fi

answer welcome 2 friend		# before any webhook: never sent
# Ids: U (unreachable) and H (hangs) come before A, so A's deliveries in
# the same run show that a failing webhook does not hold up the next.
U_SECRET=$($ADMIN webhook add "http://127.0.0.1:$DEAD/u" 2>/dev/null)
$ADMIN webhook add "$RXURL/h" >"$RX/secret.h" 2>/dev/null
A_SECRET=$($ADMIN webhook add "$RXURL/a" 2>"$HS_TMP/add.err")
like "$A_SECRET" '^whsec_[0-9a-f]{64}$' "add prints a secret"
like "$(cat "$HS_TMP/add.err")" 'shown only now' "add says the secret is shown once"
isnt "$A_SECRET" "$U_SECRET" "every webhook its own secret"
printf '%s\n' "$A_SECRET" >"$RX/secret.a"
$ADMIN webhook add "$RXURL/f" --survey it-other >"$RX/secret.f" 2>/dev/null
# B signs with its own secret, but its receiver was given A's.
$ADMIN webhook add "$RXURL/b" >/dev/null 2>&1
printf '%s\n' "$A_SECRET" >"$RX/secret.b"
U=1 H=2 A=3 F=4 B=5
is "$(hs_sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM webhooks")" "1,2,3,4,5" "five webhooks"
is "$(hs_sql "SELECT COUNT(*) FROM webhooks WHERE key_nonce LIKE 'whsec%' OR
    key_nonce = '${A_SECRET#whsec_}'")" 0 "no secret in the database"
unlike "$($ADMIN webhook list)" 'whsec_' "list never shows a secret"
echo hang >"$RX/mode.h"
ok $ADMIN webhook disable $H

# --- healthy: every answer once, signed, filtered
answer welcome 4 friend
answer it-other 2 other
ok send
is "$(got /a)" "$(ids "r.id > 2")" "A: every new answer exactly once"
is "$(got /f)" "$(ids "s.slug = 'it-other'")" "F: only its survey's answers"
is "$(rx /a | grep -vc " good POST $A\$" || true)" 0 "A: every signature verifies"
is "$(rx /b | wc -l)" 6 "B: every answer sent"
is "$(rx /b | grep -c " bad POST $B\$" || true)" 6 "B: with the wrong secret nothing verifies"
line=$(grep '"path": "/a"' "$RX/log" | head -1)
like "$line" '"content_type": "application/json; charset=utf-8"' "JSON content type"
like "$line" '"body": \{"type": "answer", "id": 3, "submission_id": "[0-9a-f]{32}", "survey": "welcome", "signup_ref": "wh-3", "verified": true, "source": "api", "options": \["friend"\], "followup_text": null, "other_text": "<b>n\\u00b0[0-9]+</b>", "referrer_text": null, "code_text": null, "answered_at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z"\}' \
    "the body: answer, ids, survey, keys, texts, verified, time"
unlike "$line" 'client_hash|click_id|remote|"ip"' "no client hash, click id or address"
is "$(col $U "CONCAT_WS('|', attempts, last_status, last_error IS NOT NULL,
    TIMESTAMPDIFF(SECOND, last_attempt_at, next_attempt_at))")" "1|0|1|60" \
    "U (unreachable): error recorded, retry in 60 s"
like "$(col $U last_error)" '[Cc]onnect' "U: the error says why"
is "$(col $A "CONCAT_WS('|', attempts, last_status, delivered)")" "0|200|6" "A: state"
# "Not before its time" without a clock race: the next try an hour off.
later() {
	hs_sql "UPDATE webhooks SET next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR
	    WHERE id = $1"
}
later $U
before=$(wc -l <"$RX/log")
ok send
is "$(wc -l <"$RX/log")" "$before" "nothing new: nothing sent"
is "$(col $U attempts)" 1 "U not retried before its time"
like "$($ADMIN webhook list)" "http://127.0.0.1:$DEAD/u" "list shows the URL"
like "$($ADMIN webhook list)" 'last error: .*[Cc]onnect' "list shows the last error"

# --- a receiver answering 500: retried later, doubling, nothing skipped
echo 500 >"$RX/mode.a"
answer welcome 3 search
ok send
is "$(rx /a | awk '$2 == 500' | wc -l)" 1 "A: one try, answered 500, then stop"
is "$(col $A "CONCAT_WS('|', attempts, last_status,
    TIMESTAMPDIFF(SECOND, last_attempt_at, next_attempt_at))")" "1|500|60" \
    "A: failure 1, retry in 60 s"
is "$(got /f | wc -l)" 2 "F (other survey) unaffected"
is "$(rx /b | wc -l)" 9 "B still served in the same run"
later $A
ok send
is "$(rx /a | awk '$2 == 500' | wc -l)" 1 "A: not retried before next_attempt_at"
hs_sql "UPDATE webhooks SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = $A"
ok send
is "$(col $A "CONCAT_WS('|', attempts, TIMESTAMPDIFF(SECOND, last_attempt_at, next_attempt_at))")" \
    "2|120" "A: failure 2, retry in 120 s (doubling)"
hs_sql "UPDATE webhooks SET attempts = 12, next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = $A"
ok send
is "$(col $A "TIMESTAMPDIFF(SECOND, last_attempt_at, next_attempt_at)")" 21600 \
    "backoff capped at 6 h"
echo 200 >"$RX/mode.a"
ok send --force
is "$(col $A "CONCAT_WS('|', attempts, last_status, last_error IS NULL, next_attempt_at IS NULL)")" \
    "0|200|1|1" "A: recovered, backoff cleared"
is "$(got /a)" "$(ids "r.id > 2")" "A: after the 500s every answer exactly once"
is "$(rx /a | awk '$2 == 500 { print $1 }' | sort -u | wc -l)" 1 \
    "A: the 500s were all for the same (first owed) answer"

# --- a hanging receiver and a URL forced with CR/LF do not block others
ok $ADMIN webhook enable $H
hs_sql "UPDATE webhooks SET url = CONCAT('http://127.0.0.1:$DEAD/u', CHAR(13), CHAR(10),
    'X-Injected: 1'), next_attempt_at = NULL WHERE id = $U"
answer welcome 1 friend
ok send --timeout 2
like "$(col $H last_error)" '[Tt]ime' "H (hangs): timed out, recorded"
like "$(col $U last_error)" 'URL refused' "U (CR/LF forced in): refused, never sent"
is "$(got /a)" "$(ids "r.id > 2")" "A: served in the same run"
ok $ADMIN webhook disable $H
ok $ADMIN webhook disable $U

# --- a redirect is a failure, never followed; --id runs one webhook
R=$($ADMIN webhook add "$RXURL/r" 2>&1 >/dev/null | grep -o 'webhook [0-9]*' | cut -d' ' -f2)
echo 302 >"$RX/mode.r"
answer welcome 1 friend
before=$(rx /a | wc -l)
ok send --id "$R"
is "$(col "$R" "CONCAT_WS('|', attempts, last_status, last_error)")" "1|302|HTTP 302" \
    "R: a 302 is a failure"
is "$(rx /a | wc -l)" "$before" "R: the redirect to /a not followed; --id ran R alone"
ok $ADMIN webhook remove "$R"
ok send

# --- ids committed out of order; the watermark and the log behind it
max=$(hs_sql "SELECT MAX(id) FROM responses")
sid=$(hs_sql "SELECT id FROM surveys WHERE slug = 'welcome'")
late() {
	hs_sql "INSERT INTO responses (id, submission_id, survey_id, answered_at, options,
	    shown_order) VALUES ($1, MD5('late-$1'), $sid, UTC_TIMESTAMP(3), 'friend', 'friend')"
}
late $((max + 10))
ok send
late $((max + 5))	# a lower id, committed after the higher was sent
ok send
is "$(got /a)" "$(ids "r.id > 2")" "A: the late lower id delivered too, each once"
is "$(rx /a | awk '$2 == 200 { print $1 }' | tail -2 | paste -sd' ')" \
    "$((max + 10)) $((max + 5))" \
    "in the order they became visible"
# Settle the horizon by hand (the sender waits 5 minutes): the watermark
# moves to the horizon and the deliveries at or below it are forgotten.
settle() {
	hs_sql "UPDATE webhooks SET horizon_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR"
	send --force
}
settle
settle
is "$(col $A watermark)" "$((max + 10))" "A: watermark at the settled horizon"
is "$(hs_sql "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $A")" 0 \
    "A: delivery log empty behind the watermark"
is "$(col $F watermark)" "$((max + 10))" "F: watermark moves past other surveys' answers"
answer welcome 2 friend
ok send
is "$(got /a)" "$(ids "r.id > 2")" "A: after the watermark moved, still each once"
# A failure below a settled horizon holds the watermark just under the
# answer still owed (past it, that answer would never be sent).
echo 500 >"$RX/mode.a"
answer welcome 2 search
settle			# fails; the horizon now covers both answers
settle			# fails again; the horizon has settled
first=$(got /a | tail -1)
first=$(ids "r.id > $first" | head -1)
is "$(col $A "CONCAT_WS('|', attempts, watermark)")" "2|$((first - 1))" \
    "A: watermark stops below the answer still owed"
echo 200 >"$RX/mode.a"
ok send --force
is "$(got /a)" "$(ids "r.id > 2")" "A: then every answer, each once"

# --- answers journalled while MariaDB was down
: >"$HS_TMP/forms"
for i in $(seq 1 8); do	# enough for every worker to cache the survey
	curl -q -s --max-time 10 "$HS_URL/s/it-other" |
	    grep -o 'name="ft" value="[^"]*"' | sed 's/.*value="//; s/"$//' >>"$HS_TMP/forms"
done
hs_db_stop
thanked=0
while read -r ft; do
	st=$(curl -q -s -o /dev/null -w '%{http_code}' --max-time 30 \
	    --data-urlencode "ft=$ft" --data-urlencode o=search "$HS_URL/s/it-other" || true)
	[[ $st == 303 ]] && thanked=$((thanked + 1))
done <"$HS_TMP/forms"
hs_db_start
ok test "$thanked" -gt 0
for _ in $(seq 1 "$LOAD_WAIT"); do
	n=$(hs_sql "SELECT COUNT(*) FROM responses r JOIN surveys s ON s.id = r.survey_id
	    WHERE s.slug = 'it-other' AND r.source = 'form'" 2>/dev/null || echo 0)
	((n >= thanked)) && break
	sleep 1
done
is "$n" "$thanked" "journalled answers loaded"
ok send
is "$(got /a)" "$(ids "r.id > 2")" "A: journalled answers delivered, each once"
is "$(got /f)" "$(ids "s.slug = 'it-other'")" "F: journalled answers delivered, each once"

# --- disable, enable, remove
ok $ADMIN webhook disable $A
answer welcome 1 friend
ok send
isnt "$(got /a | tail -1)" "$(ids "r.id > 2" | tail -1)" "disabled: not sent"
ok $ADMIN webhook enable $A
ok send
is "$(got /a)" "$(ids "r.id > 2")" "enabled again: the backlog sent, each once"
# Two senders at once (a timer and a hand): each webhook is leased to one.
answer welcome 20 friend
answer it-other 5 other
send &
spid=$!
ok send
if wait "$spid"; then pass "second sender ok"; else fail "second sender"; fi
is "$(got /a)" "$(ids "r.id > 2")" "two senders at once: A still gets each answer once"
is "$(got /f)" "$(ids "s.slug = 'it-other'")" "two senders at once: F too"
ok $ADMIN webhook remove $F
is "$(hs_sql "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $F")" 0 \
    "remove takes its delivery log"
if $ADMIN webhook remove $F 2>/dev/null; then fail "remove twice fails"; else pass "remove twice fails"; fi
unlike "$($ADMIN webhook list)" "$RXURL/f" "removed from the list"
is "$(hs_sql "SELECT COUNT(*) FROM webhooks WHERE lease_owner IS NOT NULL")" 0 \
    "every run released its leases"
# --- forget: receivers that got an answer are told it was erased
answer welcome 1 friend
ok send
gone=$(ids "r.signup_ref = 'wh-$SEQ'")
is "$(got /a | tail -1)" "$gone" "A: the answer to erase was delivered"
ok $ADMIN forget --signup "wh-$SEQ"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE id = $gone")" 0 "forget erased it"
notice=$(hs_sql "SELECT id FROM webhook_erasures WHERE response_id = $gone")
like "$notice" '^[0-9]+$' "forget left one erasure notice"
before=$(wc -l <"$RX/log")
ok send
is "$(wc -l <"$RX/log")" "$before" "a notice waits for the settle time"
# Added after the forget: it never got the answer, so no notice either.
$ADMIN webhook add "$RXURL/l" >"$RX/secret.l" 2>/dev/null
# Settle the notice by hand (the sender waits 5 minutes, as for ids).
hs_sql "UPDATE webhook_erasures SET erased_at = erased_at - INTERVAL 1 HOUR"
echo 500 >"$RX/mode.a"
ok send
is "$(rx /a | awk -v d="erasure-$notice" '$1 == d && $2 == 500' | wc -l)" 1 \
    "A: the notice answered 500"
is "$(col $A "CONCAT_WS('|', attempts, erasure_watermark < $notice)")" "1|1" \
    "A: failure recorded, the notice still owed"
echo 200 >"$RX/mode.a"
ok send --force
is "$(rx /a | grep "^erasure-" | awk '$2 == 200')" "erasure-$notice 200 good POST $A" \
    "A: the notice delivered once, signed, its own Hearsay-Delivery"
line=$(grep '"path": "/a"' "$RX/log" | grep '"delivery": "erasure-' | tail -1)
like "$line" "\"body\": \\{\"type\": \"answer.erased\", \"id\": $gone, \"erased_at\": \"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z\"\\}" \
    "the notice's body: type, the answer id, the time, nothing else"
is "$(col $A "CONCAT_WS('|', attempts, erasure_watermark)")" "0|$notice" \
    "A: erasure watermark past the notice"
is "$(rx /b | grep -c "^erasure-$notice " || true)" 1 "B: the notice too"
is "$(rx /l | wc -l)" 0 "a webhook added after the forget gets no notice"
before=$(wc -l <"$RX/log")
ok send --force
is "$(wc -l <"$RX/log")" "$before" "sent again: nothing new"

# --- rotate: a new secret, shown once; the old one signs beside it for
#     the grace period (two v1), then not at all
# sigs PATH: the last request to PATH as "good|bad V1S".
sigs() {
	/usr/bin/python3 - "$RX/log" "$1" <<'EOF'
import json, sys
last = None
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"] == sys.argv[2]:
        last = "%s %d" % ("good" if r["sig_ok"] else "bad", r["v1s"])
print(last)
EOF
}
K_S1=$($ADMIN webhook add "$RXURL/k" 2>/dev/null)
K=$(hs_sql "SELECT MAX(id) FROM webhooks")
printf '%s\n' "$K_S1" >"$RX/secret.k"
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 1" "K: one signature, with its secret"
K_S2=$($ADMIN webhook rotate "$K" 2>"$HS_TMP/rotate.err")
like "$K_S2" '^whsec_[0-9a-f]{64}$' "rotate prints a secret"
isnt "$K_S2" "$K_S1" "a new one"
like "$(cat "$HS_TMP/rotate.err")" 'shown only now.*24 hours' \
    "rotate says it is shown once, and the old one's grace"
like "$($ADMIN webhook list)" 'old secret also signs until [0-9T:-]+Z' \
    "list shows the grace period"
is "$(hs_sql "SELECT COUNT(*) FROM webhooks WHERE key_nonce = '${K_S2#whsec_}'
    OR old_key_nonce = '${K_S1#whsec_}'")" 0 "no secret in the database"
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 2" "grace: two signatures, the old secret still verifies"
printf '%s\n' "$K_S2" >"$RX/secret.k"
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 2" "grace: the new secret verifies too"
for bad in "999999" "$K --grace -1" "$K --grace 721" "$K --grace x" \
    "$K --grace" "x"; do
	# shellcheck disable=SC2086 # the words are the arguments
	if $ADMIN webhook rotate $bad >/dev/null 2>&1; then
		fail "rotate refused: $bad"
	else
		pass "rotate refused: $bad"
	fi
done
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 2" "refused rotations changed nothing"
# The grace period over (moved back by hand): one signature again.
K_S3=$($ADMIN webhook rotate "$K" --grace 1 2>/dev/null)
hs_sql "UPDATE webhooks SET old_key_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND
    WHERE id = $K"
answer welcome 1 friend
ok send
is "$(sigs /k)" "bad 1" "grace over: the old secret no longer verifies"
unlike "$($ADMIN webhook list)" 'old secret also signs' "nor is it listed"
printf '%s\n' "$K_S3" >"$RX/secret.k"
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 1" "the new one does"
# --grace 0 (a leaked secret): the old one stops at once.
K_S4=$($ADMIN webhook rotate "$K" --grace 0 2>"$HS_TMP/rotate.err")
like "$(cat "$HS_TMP/rotate.err")" 'no longer signs' "--grace 0 says the old one stopped"
answer welcome 1 friend
ok send
is "$(sigs /k)" "bad 1" "--grace 0: one signature, not the old secret's"
printf '%s\n' "$K_S4" >"$RX/secret.k"
answer welcome 1 friend
ok send
is "$(sigs /k)" "good 1" "but the new one's"
is "$(rx /k | wc -l)" 8 "K: each of its 8 answers sent once through the rotations"

# --- MariaDB SIGKILLed while a sender delivers (crash recovery, not a
#     clean stop).  The man page promises at least once: deliveries are
#     recorded in one commit per batch of up to 100, and a crash before
#     that commit sends that batch again with the same Hearsay-Delivery.
#     So: every answer delivered; the batch in flight (answers 101-200 of
#     the run, its 151st POST held by the receiver until MariaDB is dead)
#     sent exactly twice, every other answer exactly once.
$ADMIN webhook add "$RXURL/w" >"$RX/secret.w" 2>"$HS_TMP/w.err"
W=$(grep -o 'webhook [0-9]*' "$HS_TMP/w.err" | cut -d' ' -f2)
like "$W" '^[0-9]+$' "W added"
KILL_N=250			# answers owed: batches of 100, 100 and 50
max=$(hs_sql "SELECT COALESCE(MAX(id), 0) FROM responses")
hs_sql "INSERT INTO responses (id, submission_id, survey_id, answered_at,
    options, shown_order) SELECT $max + seq, MD5(CONCAT('kill-', seq)), $sid,
    UTC_TIMESTAMP(3), 'friend', 'friend' FROM seq_1_to_$KILL_N"
echo 150 >"$RX/hold.w"
$SENDER --id "$W" >"$HS_TMP/kill.log" 2>&1 &
kpid=$!
for _ in $(seq 1 600); do
	[[ -e $RX/held.w ]] && break
	kill -0 "$kpid" 2>/dev/null || break
	sleep 0.1
done
ok test -e "$RX/held.w"
ok kill -0 "$kpid"		# the sender is inside its second batch
ok hs_db_kill
rm -f "$RX/hold.w"
krc=0
wait "$kpid" || krc=$?
is "$krc" 1 "the sender meeting the dead MariaDB exits 1 (a database error)"
like "$(cat "$HS_TMP/kill.log")" "webhook $W" "... and says which webhook"
ok hs_db_start
is "$(col "$W" "lease_owner IS NOT NULL")" 1 \
    "the killed run never committed its batch nor released its lease"
# The lease (120 s) would hold W for the next timer run; expire it by hand.
hs_sql "UPDATE webhooks SET lease_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND
    WHERE id = $W"
$SENDER --id "$W" >>"$HS_TMP/kill.log" 2>&1 && krc=0 || krc=$?
is "$krc" 0 "after crash recovery the sender runs clean"
want=$(ids "r.id > $max")
is "$(echo "$want" | wc -l)" "$KILL_N" "the answers owed to W"
is "$(got /w | uniq)" "$want" "W: every answer delivered after the crash (none lost)"
is "$(got /w | uniq -d)" "$(ids "r.id > $max + 100 AND r.id <= $max + 200")" \
    "W: duplicates exactly the batch whose commit the kill prevented"
is "$(got /w | uniq -c | awk '$1 > 2' | wc -l)" 0 "W: nothing sent more than twice"
is "$(rx /w | awk '$2 != 200 || $3 != "good"' | wc -l)" 0 "W: every POST 200, signed"
# The same Hearsay-Delivery on a resent answer: the header is its id.
is "$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1], encoding="utf-8")
          for r in [json.loads(l)]
          if r["path"] == "/w" and r["delivery"] != str(r["body"]["id"])))
' "$RX/log")" 0 "W: every delivery, resent or not, carries its answer id"
is "$(hs_sql "SELECT COUNT(*), COUNT(DISTINCT response_id) FROM webhook_deliveries
    WHERE webhook_id = $W")" "$KILL_N	$KILL_N" "W: the delivery log, one row per answer"
is "$(col "$W" "CONCAT_WS('|', attempts, lease_owner IS NULL)")" "0|1" \
    "W: no failure left recorded, lease released"

unlike "$(cat "$HS_TMP/send.log")" 'ERROR|AddressSanitizer|runtime error' "sender: no errors"

done_testing
