#!/usr/bin/env bash
# tests/it/survey_idempotency.sh: the edges of the API's idempotent
# answers (POST /api/v1/surveys/<slug>/responses): a key used again for
# a different answer is refused with 422 and changes nothing; the same
# key sent by many clients at once stores one row, and every one of them
# hears "stored"; the body's submission_id is the same key as the header.
# A new key for a signup that answered is a change, as on the form:
# "replaced" within answer_change_hours (the earlier answer kept in
# response_history), 409 after it; a retry of the replaced answer brings
# nothing back.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
KEY=$($ADMIN apikey create idem-app 2>/dev/null)
AUTH=(-H "Authorization: Bearer $KEY")
JSON=(-H "Content-Type: application/json")
URL=/api/v1/surveys/welcome/responses
rows() { hs_sql "SELECT COUNT(*) FROM responses"; }
stored() {
	hs_sql "SELECT CONCAT_WS('|', signup_ref, options, COALESCE(referrer_text, '-'),
	    consent) FROM responses WHERE signup_ref = '$1'"
}
post() {	# KEY BODY: prints the status; the body is in $HS_TMP/out
	curl -s -o "$HS_TMP/out" -w '%{http_code}' --max-time 20 -X POST \
	    "${AUTH[@]}" "${JSON[@]}" -H "Idempotency-Key: $1" \
	    --data-raw "$2" "$HS_URL$URL" || true
}

# --- the same key with another body
b1='{"signup_ref":"idem-1","options":["friend"],"referrer_text":"Zoë","consent":true}'
is "$(post k-1 "$b1")" 200 "first answer: 200"
is "$(post k-1 "$b1")" 200 "the same answer again: 200"
like "$(cat "$HS_TMP/out")" '"status":"stored"' "... and stored, as the first"
is "$(rows)" 1 "one row"
for b2 in '{"signup_ref":"idem-1","options":["search"],"referrer_text":"Zoë","consent":true}' \
    '{"signup_ref":"idem-1","options":["friend"],"referrer_text":"zoë","consent":true}' \
    '{"signup_ref":"idem-1","options":["friend"],"referrer_text":"Zoe","consent":true}' \
    '{"signup_ref":"idem-1","options":["friend"],"consent":true}' \
    '{"signup_ref":"idem-1","options":["friend"],"referrer_text":"Zoë","consent":false}' \
    '{"signup_ref":"idem-2","options":["friend"],"referrer_text":"Zoë","consent":true}' \
    '{"signup_ref":"idem-1","options":["friend"],"referrer_text":"Zoë","consent":true,"other_text":"x"}'; do
	is "$(post k-1 "$b2")" 422 "same key, other answer $b2: 422"
	like "$(cat "$HS_TMP/out")" '"error":"[^"]*different answer' "... saying why"
done
is "$(rows)" 1 "still one row"
is "$(stored idem-1)" "idem-1|friend|Zoë|1" "the first answer is unchanged"
is "$(stored idem-2)" "" "the other signup was not stored"
# The body's submission_id is the same key: the header's twin.
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X POST "${AUTH[@]}" \
    "${JSON[@]}" --data-raw '{"submission_id":"k-1","signup_ref":"idem-1","options":["search"]}' \
    "$HS_URL$URL")" 422 "submission_id in the body, other answer: 422"
# Another app's key of the same name is another answer (keys are per app).
KEY2=$($ADMIN apikey create idem-app-2 2>/dev/null)
is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X POST \
    -H "Authorization: Bearer $KEY2" "${JSON[@]}" -H 'Idempotency-Key: k-1' \
    --data-raw '{"signup_ref":"idem-3","options":["search"]}' "$HS_URL$URL")" 200 \
    "the same key from another app: its own answer"
is "$(rows)" 2 "two rows"

# --- the same key from twelve clients at once
b3='{"signup_ref":"idem-par","options":["friend"]}'
pids=()
for i in $(seq 1 12); do
	curl -s -o "$HS_TMP/par.$i" -w '%{http_code}\n' --max-time 20 -X POST \
	    "${AUTH[@]}" "${JSON[@]}" -H 'Idempotency-Key: k-par' --data-raw "$b3" \
	    "$HS_URL$URL" >"$HS_TMP/code.$i" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || true
done
is "$(cat "$HS_TMP"/code.* | sort | uniq -c | tr -s ' ')" " 12 200" "twelve at once: every one 200"
is "$(cat "$HS_TMP"/par.* | grep -c '"status":"stored"')" 12 "... every one told stored"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'idem-par'")" 1 "... one row"

# --- different answers under one key at once: one stored, the rest 422
pids=()
for i in $(seq 1 6); do
	opt=friend
	((i % 2)) && opt=search
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -X POST \
	    "${AUTH[@]}" "${JSON[@]}" -H 'Idempotency-Key: k-race' \
	    --data-raw "{\"signup_ref\":\"idem-race\",\"options\":[\"$opt\"]}" \
	    "$HS_URL$URL" >"$HS_TMP/race.$i" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || true
done
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'idem-race'")" 1 \
    "racing answers under one key: one row"
won=$(hs_sql "SELECT options FROM responses WHERE signup_ref = 'idem-race'")
is "$(cat "$HS_TMP"/race.* | grep -c '^200$')" 3 "the three like the stored one ($won): 200"
is "$(cat "$HS_TMP"/race.* | grep -c '^422$')" 3 "the three unlike it: 422"

# --- a new key for a signup that answered: a change (hearsay-survey(8))
hist() { hs_sql "SELECT GROUP_CONCAT(options ORDER BY id) FROM response_history
    WHERE signup_ref = '$1'"; }
is "$(post k-1b '{"signup_ref":"idem-1","options":["search"]}')" 200 \
    "a new key for a signup that answered: 200"
like "$(cat "$HS_TMP/out")" '"status":"replaced"' "... told replaced, not stored"
is "$(stored idem-1)" "idem-1|search|-|0" "the change is the current answer"
is "$(hist idem-1)" "friend" "the first answer is kept as history"
is "$(hs_sql "SELECT GROUP_CONCAT(name ORDER BY name) FROM reconcile_state
    WHERE DATE(last_at) = (SELECT DATE(answered_at) FROM response_history
    WHERE signup_ref = 'idem-1')")" \
    "dirty_from,dirty_to,rollups_from,rollups_to" \
    "its day is owed to the aggregates and to the survey rollups"
is "$(post k-1 "$b1")" 200 "a retry of the replaced answer: 200"
is "$(stored idem-1)" "idem-1|search|-|0" "... and it does not come back"
is "$(hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = 'idem-1'")" 1 \
    "one current answer per signup"
# Past answer_change_hours (24) since the first answer: 409, unchanged.
hs_sql "UPDATE response_history SET answered_at = answered_at - INTERVAL 25 HOUR
    WHERE signup_ref = 'idem-1'"
is "$(post k-1c '{"signup_ref":"idem-1","options":["ad"]}')" 409 \
    "a change after answer_change_hours: 409"
like "$(cat "$HS_TMP/out")" '"error":"[^"]*no longer be changed' "... saying why"
is "$(stored idem-1)" "idem-1|search|-|0" "... the answer unchanged"
is "$(hist idem-1)" "friend" "... nothing added to history"

# --- a survey that asks for consent: an answer without it is unlinked
python3 - "$top_srcdir/sql/demo/survey.json" "$HS_TMP/consented.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["slug"] = "consented"
d["consent_text"] = "Link my answer to my account"
json.dump(d, open(sys.argv[2], "w"))
PY
ok $ADMIN survey import "$HS_TMP/consented.json"
like "$(curl -s --max-time 20 "${AUTH[@]}" "$HS_URL/api/v1/surveys/consented")" \
    '"consent_text":"Link my answer to my account"' "the definition names the consent asked"
CURL=/api/v1/surveys/consented/responses
for c in false true; do
	is "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -X POST "${AUTH[@]}" \
	    "${JSON[@]}" -H "Idempotency-Key: k-consent-$c" --data-raw \
	    "{\"signup_ref\":\"idem-c-$c\",\"options\":[\"search\"],\"consent\":$c}" \
	    "$HS_URL$CURL")" 200 "an answer with consent $c: 200"
done
is "$(hs_sql "SELECT CONCAT_WS('|', COALESCE(r.signup_ref, '-'), r.verified, r.consent)
    FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.slug = 'consented'
    ORDER BY r.consent")" $'-|0|0\nidem-c-true|1|1' \
    "without consent stored unlinked, with it linked"
is "$(http_status GET /health)" 200 "worker alive"

done_testing
