#!/usr/bin/env bash
# tests/it/webhook_private.sh: webhooks to internal addresses (issue 22).
# By default "hearsay-admin webhook add" refuses a URL whose host is or
# resolves to a loopback, private, link-local (cloud metadata) or other
# internal address, and hearsay-webhook refuses to connect to one after
# its own DNS lookup, so a row added while allowed (or a name that
# points inward later) sends nothing; webhook_allow_private = 1 allows
# both.  The receiver is tests/it/webhook_receiver.py on 127.0.0.1.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start --no-programs
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
SENDER="$top_builddir/src/webhook/hearsay-webhook -f $HS_CONF"
RX=$HS_TMP/rx
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"

mkdir -p "$RX"
python3 "$top_srcdir/tests/it/webhook_receiver.py" "$RX" &
RXPID=$!
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
PORT=$(cat "$RX/port")
touch "$RX/log"
allow() { sed -i '/^webhook_allow_private/d' "$HS_CONF"; echo "webhook_allow_private = $1" >>"$HS_CONF"; }
SEQ=0
answer() {
	SEQ=$((SEQ + 1))
	hs_sql "INSERT INTO responses (submission_id, survey_id, signup_ref,
	    answered_at, options, shown_order) SELECT MD5('wp-$SEQ'), id, 'wp-$SEQ',
	    UTC_TIMESTAMP(3), 'friend', 'friend' FROM surveys WHERE slug = 'welcome'"
}

# --- add: internal hosts refused by default, naming the key
for bad in "http://127.0.0.1:$PORT/a" "http://localhost:$PORT/a" 'http://[::1]/a' \
    'http://169.254.169.254/latest/meta-data/' 'http://10.1.2.3/a' \
    'https://192.168.0.1/a' 'http://172.20.0.1/a' 'http://[fd00::1]/a' \
    'http://[fe80::1]/a' 'http://[::ffff:127.0.0.1]/a' 'http://0.0.0.0/a' \
    'http://0x7f000001/a' 'http://2130706433/a'; do
	if $ADMIN webhook add "$bad" >/dev/null 2>"$HS_TMP/err"; then
		fail "internal URL refused: $bad"
	else
		pass "internal URL refused: $bad"
	fi
done
like "$(cat "$HS_TMP/err")" 'internal address.*webhook_allow_private = 1' \
    "the refusal names the key that allows it"
is "$(hs_sql "SELECT COUNT(*) FROM webhooks")" 0 "nothing added"
ok $ADMIN webhook add 'http://192.0.2.10/public'
is "$(hs_sql "SELECT COUNT(*) FROM webhooks")" 1 "a public address is accepted"
ok $ADMIN webhook remove 1

# --- allowed: added; then disallowed again, the sender refuses to connect
allow 1
$ADMIN webhook add "http://localhost:$PORT/a" >"$RX/secret.a" 2>/dev/null
is "$(hs_sql "SELECT COUNT(*) FROM webhooks WHERE enabled = 1")" 1 \
    "webhook_allow_private = 1: localhost added"
allow 0
answer
$SENDER --force >"$HS_TMP/send.log" 2>&1 || true
is "$(wc -l <"$RX/log")" 0 "the sender refused the address localhost resolves to"
like "$(hs_sql "SELECT last_error FROM webhooks WHERE id = 2")" \
    'internal address, refused: see webhook_allow_private' "... and says why"

# --- allowed again: the same answer arrives
allow 1
ok $SENDER --force
is "$(python3 -c 'import json, sys
print(" ".join(str(json.loads(l)["status"]) for l in open(sys.argv[1])))' "$RX/log")" \
    200 "webhook_allow_private = 1: delivered"
is "$(hs_sql "SELECT COALESCE(last_error, '') FROM webhooks WHERE id = 2")" "" \
    "no error left"

done_testing
