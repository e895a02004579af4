#!/usr/bin/env bash
# tests/it/survey_api.sh: the survey's JSON API (keys, definition,
# idempotent answers, signup reports), the keys' scopes (issue 22), the
# admin commands around it, and erasure with "hearsay-admin forget
# --signup".
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
like "$($ADMIN survey list)" 'welcome +[0-9]+ +11 +no' "survey list"
$ADMIN survey show welcome >"$HS_TMP/shown.json"
like "$(cat "$HS_TMP/shown.json")" '"key": "dont-remember"' "survey show prints the definition"
ok $ADMIN survey import "$HS_TMP/shown.json"

KEY=$($ADMIN apikey create it-app --scope read,answers,signups 2>/dev/null)
like "$KEY" '^hsk_[0-9a-f]{48}$' "apikey create prints the key once"
is "$(hs_sql "SELECT COUNT(*) FROM api_keys WHERE key_hash = SHA2('$KEY', 256)")" 1 \
    "only its SHA-256 is stored"
like "$($ADMIN apikey list)" 'it-app +no .* read,answers,signups +\*' "apikey list"
AUTH=(-H "Authorization: Bearer $KEY")
JSON=(-H "Content-Type: application/json")
count() { hs_sql "SELECT COUNT(*) FROM responses"; }

# --- keys
is "$(http_status GET /api/v1/surveys/welcome)" 401 "no key: 401"
is "$(http_status GET /api/v1/surveys/welcome -H 'Authorization: Bearer hsk_nope')" 401 \
    "unknown key: 401"
http_fetch GET /api/v1/surveys/welcome "${AUTH[@]}"
is "$HTTP_STATUS" 200 "definition: 200"
like "$(cat "$HTTP_BODY")" '"slug":"welcome"' "definition: JSON"
like "$(cat "$HTTP_HEADERS")" 'Content-Type: application/json' "definition: content type"
is "$(http_status GET /api/v1/surveys/nope "${AUTH[@]}")" 404 "unknown survey: 404"
is "$(http_status DELETE /api/v1/surveys/welcome "${AUTH[@]}")" 405 "DELETE: 405"
# Core's gates (hs_route_err), answered in JSON: 405 with Allow, 404 for
# a path no route takes, OPTIONS 204 with the route's Allow.
json_error() { # status, Allow or '', what
	is "$HTTP_STATUS" "$1" "$3: $1"
	like "$(cat "$HTTP_HEADERS")" 'Content-Type: application/json' "$3: JSON"
	like "$(cat "$HTTP_BODY")" '^\{"error":"[^"]+"\}$' "$3: a JSON error"
	[ -z "$2" ] || ok grep -qxF "Allow: $2" <(tr -d '\r' <"$HTTP_HEADERS")
}
http_fetch DELETE /api/v1/surveys/welcome "${AUTH[@]}"
json_error 405 "GET, HEAD, OPTIONS" "DELETE a definition"
http_fetch GET /api/v1/surveys/welcome/responses "${AUTH[@]}"
json_error 405 "POST, OPTIONS" "GET responses"
http_fetch GET /api/v1/signups "${AUTH[@]}"
json_error 405 "POST, OPTIONS" "GET signups"
for p in /api/v1/nope /api/v1/surveys/ /api/v1/surveys/welcome/other /api/v2/signups \
    /api/v1/surveys/Bad_Slug; do
	http_fetch GET "$p" "${AUTH[@]}"
	json_error 404 "" "GET $p"
done
http_fetch OPTIONS /api/v1/surveys/welcome/responses
is "$HTTP_STATUS" 204 "OPTIONS responses: 204"
ok grep -qxF "Allow: POST, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")
http_fetch OPTIONS /api/v1/surveys/welcome
is "$HTTP_STATUS" 204 "OPTIONS a definition: 204"
ok grep -qxF "Allow: GET, HEAD, OPTIONS" <(tr -d '\r' <"$HTTP_HEADERS")

# --- answers
body='{"signup_ref":"app-7","options":["friend"],"referrer_text":"<b>Zoë</b>","consent":true}'
http_fetch POST /api/v1/surveys/welcome/responses "${AUTH[@]}" "${JSON[@]}" \
    -H 'Idempotency-Key: k-1' --data-raw "$body"
is "$HTTP_STATUS" 200 "answer: 200"
like "$(cat "$HTTP_BODY")" '"status":"stored"' "answer: stored"
is "$(http_status POST /api/v1/surveys/welcome/responses "${AUTH[@]}" "${JSON[@]}" \
    -H 'Idempotency-Key: k-1' --data-raw "$body")" 200 "same key again: 200"
is "$(count)" 1 "same idempotency key: one answer"
is "$(hs_sql "SELECT CONCAT_WS('|', signup_ref, verified, options, referrer_text, consent, source)
    FROM responses")" "app-7|1|friend|<b>Zoë</b>|1|api" "stored as sent"
before=$(count)
for bad in '{"options":["nope"],"signup_ref":"x"}' '{"options":["friend","search"],"signup_ref":"x"}' \
    '{"options":["friend"]}' '{"options":["friend"],"signup_ref":"x","zzz":1}' \
    '{"options":["friend"],"signup_ref":"x","signup_ref":"y"}' '[1]' 'not json' \
    '{"options":["friend"],"signup_ref":"x","other_text":"a\u0000b"}'; do
	is "$(http_status POST /api/v1/surveys/welcome/responses "${AUTH[@]}" "${JSON[@]}" \
	    -H 'Idempotency-Key: k-bad' --data-raw "$bad")" 400 "bad answer $bad: 400"
done
is "$(http_status POST /api/v1/surveys/welcome/responses "${AUTH[@]}" \
    -H 'Content-Type: text/plain' -H 'Idempotency-Key: k-2' --data-raw "$body")" 415 \
    "text/plain: 415"
is "$(http_status POST /api/v1/surveys/welcome/responses "${AUTH[@]}" "${JSON[@]}" \
    --data-raw "$body")" 400 "no idempotency key: 400"
is "$(count)" "$before" "bad answers: nothing stored"

# --- signups
cid=fedcba9876543210fedcba9876543210
http_fetch POST /api/v1/signups "${AUTH[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"app-7\",\"click_ids\":[\"$cid\"],\"signed_up_at\":\"2026-01-02T03:04:05Z\",\"email_hash\":\"$(printf '%064d' 0)\"}"
is "$HTTP_STATUS" 200 "signup report: 200"
is "$(http_status POST /api/v1/signups "${AUTH[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"app-7\",\"click_ids\":[\"$cid\"],\"signed_up_at\":\"2026-01-02T03:04:05Z\"}")" \
    200 "the same signup reported again: 200"
is "$(hs_sql "SELECT CONCAT_WS('|', s.signed_up_at, COUNT(c.click_id)) FROM signups s
    JOIN signup_clicks c ON c.signup_id = s.id WHERE s.signup_ref = 'app-7' GROUP BY s.id")" \
    "2026-01-02 03:04:05.000|1" "signup and click stored once"
for bad in '{"signup_ref":""}' '{"signup_ref":"a","click_ids":["xyz"]}' \
    '{"signup_ref":"a","signed_up_at":"yesterday"}' '{"signup_ref":"a","signed_up_at":"2026-02-30T00:00:00Z"}' '{"signup_ref":"a","email_hash":"a@b"}'; do
	is "$(http_status POST /api/v1/signups "${AUTH[@]}" "${JSON[@]}" --data-raw "$bad")" \
	    400 "bad signup $bad: 400"
done

# --- scopes (issue 22): a key does what it was made for, on its surveys,
# and a signup's fields are rewritten only by the key that reported it.
cat >"$HS_TMP/b.json" <<'EOF'
{ "slug": "it-b", "question": "How did you hear about us?",
  "allow_unsigned": true, "shuffle": "none",
  "options": [ { "key": "search", "label": "Search", "channel": "search" },
    { "key": "other", "label": "Other", "channel": "other", "pinned": true,
      "followup": "other" } ] }
EOF
ok $ADMIN survey import "$HS_TMP/b.json"
KA=$($ADMIN apikey create it-a --survey welcome 2>/dev/null)
KS=$($ADMIN apikey create it-s1 --scope signups 2>/dev/null)
KS2=$($ADMIN apikey create it-s2 --scope signups 2>/dev/null)
list=$($ADMIN apikey list)
like "$list" 'it-a +no .* read,answers +welcome' "default scope: read,answers; --survey confines"
like "$list" 'it-s1 +no .* signups +\*' "--scope signups"
is "$($ADMIN apikey create it-bad --scope answers,delete >/dev/null 2>&1; echo $?)" 2 \
    "an unknown scope: usage error"
is "$($ADMIN apikey create it-bad --survey no-such >/dev/null 2>&1; echo $?)" 1 \
    "an unknown survey: refused"
is "$(hs_sql "SELECT COUNT(*) FROM api_keys WHERE name = 'it-bad'")" 0 \
    "a refused key is not stored"
A=(-H "Authorization: Bearer $KA")
S1=(-H "Authorization: Bearer $KS")
S2=(-H "Authorization: Bearer $KS2")
refs() { hs_sql "SELECT COUNT(*) FROM responses WHERE signup_ref = '$1'"; }
sig() {
	hs_sql "SELECT CONCAT_WS('|', s.signed_up_at, COALESCE(s.email_hash, '-'),
	    COUNT(c.click_id)) FROM signups s LEFT JOIN signup_clicks c
	    ON c.signup_id = s.id WHERE s.signup_ref = '$1' GROUP BY s.id"
}

# A key confined to welcome cannot take an answer slot on it-b.
http_fetch POST /api/v1/surveys/it-b/responses "${A[@]}" "${JSON[@]}" \
    -H 'Idempotency-Key: sc-1' --data-raw '{"signup_ref":"victim-1","options":["search"]}'
is "$HTTP_STATUS" 403 "answer to a survey out of the key's scope: 403"
like "$(cat "$HTTP_BODY")" '^\{"error":"[^"]*survey[^"]*"\}$' "403: a JSON error"
is "$(refs victim-1)" 0 "out-of-scope answer: no row"
is "$(http_status GET /api/v1/surveys/it-b "${A[@]}")" 403 \
    "definition of a survey out of scope: 403"
is "$(http_status GET /api/v1/surveys/no-such "${A[@]}")" 403 \
    "a confined key learns nothing of other slugs: 403, not 404"
# In scope it works as before.
is "$(http_status GET /api/v1/surveys/welcome "${A[@]}")" 200 "definition in scope: 200"
is "$(http_status POST /api/v1/surveys/welcome/responses "${A[@]}" "${JSON[@]}" \
    -H 'Idempotency-Key: sc-2' --data-raw '{"signup_ref":"claim-1","options":["friend"]}')" \
    200 "answer in scope: 200"
is "$(refs claim-1)" 1 "answer in scope: stored"
# No signups scope: no signup report.
http_fetch POST /api/v1/signups "${A[@]}" "${JSON[@]}" --data-raw '{"signup_ref":"sc-a"}'
is "$HTTP_STATUS" 403 "signup report without the signups scope: 403"
like "$(cat "$HTTP_BODY")" '^\{"error":"[^"]*signups[^"]*"\}$' "403: says which scope"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE signup_ref = 'sc-a'")" 0 \
    "refused signup report: no row"
# A signups-only key files no answers and reads no definitions.
is "$(http_status POST /api/v1/surveys/welcome/responses "${S1[@]}" "${JSON[@]}" \
    -H 'Idempotency-Key: sc-3' --data-raw '{"signup_ref":"victim-2","options":["friend"]}')" \
    403 "answer without the answers scope: 403"
is "$(refs victim-2)" 0 "refused answer: no row"
is "$(http_status GET /api/v1/surveys/welcome "${S1[@]}")" 403 \
    "definition without the read scope: 403"

# Key 1's signup; key 2 cannot rewrite it, nor add click ids.
cid2=00112233445566778899aabbccddeeff
is "$(http_status POST /api/v1/signups "${S1[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"own-1\",\"signed_up_at\":\"2026-03-04T05:06:07Z\",\"email_hash\":\"$(printf '%064d' 1)\"}")" \
    200 "key 1 reports a signup: 200"
mine=$(sig own-1)
# Stored keyed under hmac_key (issue 22; tests/it/email_key.sh).
HK=$(sed -n 's/^hmac_key = //p' "$HS_DIR/secrets")
K1=$(python3 -c 'import hashlib, hmac, sys
print(hmac.new(bytes.fromhex(sys.argv[1]), b"email\0" + sys.argv[2].encode(),
    hashlib.sha256).hexdigest())' "$HK" "$(printf '%064d' 1)")
is "$mine" "2026-03-04 05:06:07.000|$K1|0" "key 1's signup stored"
http_fetch POST /api/v1/signups "${S2[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"own-1\",\"signed_up_at\":\"2020-01-01T00:00:00Z\",\"email_hash\":\"$(printf '%064d' 2)\",\"click_ids\":[\"$cid2\"]}"
is "$HTTP_STATUS" 409 "key 2 rewriting key 1's signup: 409"
like "$(cat "$HTTP_BODY")" '^\{"error":"[^"]*another API key[^"]*"\}$' "409: a JSON error"
is "$(sig own-1)" "$mine" "key 1's signup unchanged, no click id added"
is "$(http_status POST /api/v1/signups "${S1[@]}" "${JSON[@]}" --data-raw \
    "{\"signup_ref\":\"own-1\",\"signed_up_at\":\"2026-03-04T05:06:08Z\",\"click_ids\":[\"$cid2\"]}")" \
    200 "key 1 updates its own signup: 200"
is "$(sig own-1)" "2026-03-04 05:06:08.000|$K1|1" "key 1's update stored"
# A signup an answer named (no report yet) is claimed by the first report.
is "$(hs_sql "SELECT COALESCE(api_key_id, 'none') FROM signups WHERE signup_ref = 'claim-1'")" \
    none "a signup named by an answer belongs to no key"
is "$(http_status POST /api/v1/signups "${S2[@]}" "${JSON[@]}" --data-raw \
    '{"signup_ref":"claim-1","signed_up_at":"2026-03-05T00:00:00Z"}')" 200 \
    "the first report claims it: 200"
is "$(http_status POST /api/v1/signups "${S1[@]}" "${JSON[@]}" --data-raw \
    '{"signup_ref":"claim-1","signed_up_at":"2020-01-01T00:00:00Z"}')" 409 \
    "then another key's report: 409"
is "$(sig claim-1)" "2026-03-05 00:00:00.000|-|0" "the claimed signup unchanged"

# The migration is re-runnable and widens no scoped key; a key made
# before it keeps every scope on every survey (drop the columns, as
# before sql/095, and run it over such a row).
hs_sql <"$top_srcdir/sql/095_apikey_scope.sql"
is "$(hs_sql "SELECT CONCAT_WS('|', scopes, all_surveys) FROM api_keys WHERE name = 'it-a'")" \
    "read,answers|0" "the re-run migration widens no scoped key"
hs_sql "ALTER TABLE api_keys DROP COLUMN scopes, DROP COLUMN all_surveys"
hs_sql "INSERT INTO api_keys (name, key_hash) VALUES ('it-old', SHA2('hsk_old', 256))"
hs_sql <"$top_srcdir/sql/095_apikey_scope.sql"
is "$(hs_sql "SELECT CONCAT_WS('|', scopes, all_surveys) FROM api_keys WHERE name = 'it-old'")" \
    "read,answers,signups|1" "a key from before the migration keeps its full scope"
is "$(http_status POST /api/v1/signups -H 'Authorization: Bearer hsk_old' "${JSON[@]}" \
    --data-raw '{"signup_ref":"old-1"}')" 200 "and works as before"

# --- revoked keys stop working
id=$(hs_sql "SELECT id FROM api_keys WHERE name = 'it-app'")
ok $ADMIN apikey revoke "$id"
is "$(http_status GET /api/v1/surveys/welcome "${AUTH[@]}")" 401 "revoked key: 401"

# --- forget: derived rows too.  app-7 alone wrote "only mine"; it and
# app-x both wrote "secret gym", whose queued sample is app-7's spelling.
hs_sql "INSERT INTO attributions (signup_ref, day, class, channel, rule,
    confidence, computed_at, free_kind, free_text, free_raw) VALUES
    ('app-7', '2026-11-01', 'reported_only', 'other', 'none', 0, NOW(3),
     'other_text', 'secret gym', 'Secret Gym!!'),
    ('app-x', '2026-11-01', 'reported_only', 'other', 'none', 0, NOW(3),
     'other_text', 'secret gym', 'secret gym')"
hs_sql "INSERT INTO review_queue (kind, norm_text, sample_text, n, first_seen,
    last_seen) VALUES
    ('other_text', 'secret gym', 'Secret Gym!!', 2, '2026-11-01', '2026-11-01')"
hs_sql "INSERT INTO attributions (signup_ref, day, class, channel, rule,
    confidence, computed_at, free_kind, free_text, free_raw) VALUES
    ('app-7b', '2026-11-01', 'reported_only', 'other', 'none', 0, NOW(3),
     'other_text', 'only mine', 'Only Mine')"
hs_sql "INSERT INTO review_queue (kind, norm_text, sample_text, n, first_seen,
    last_seen) VALUES
    ('other_text', 'only mine', 'Only Mine', 1, '2026-11-01', '2026-11-01')"
like "$($ADMIN forget --signup app-7b)" '1 attributions' "forget a derived-only signup"
is "$(hs_sql "SELECT COUNT(*) FROM review_queue WHERE norm_text = 'only mine'")" 0 \
    "a queued text only they wrote is gone"
like "$($ADMIN forget --signup app-7)" 'erased: 1 answers, 1 signups' "forget --signup"
is "$(hs_sql "SELECT (SELECT COUNT(*) FROM responses WHERE signup_ref = 'app-7') +
    (SELECT COUNT(*) FROM signups WHERE signup_ref = 'app-7') +
    (SELECT COUNT(*) FROM signup_clicks WHERE click_id = '$cid')")" 0 \
    "the answer, the signup and its clicks are gone"
is "$(hs_sql "SELECT n, sample_text FROM review_queue WHERE norm_text = 'secret gym'")" \
    $'1\tsecret gym' "a shared queued text stays, one fewer, sample scrubbed"
is "$(hs_sql "SELECT COUNT(*) FROM attributions WHERE signup_ref = 'app-7'")" 0 \
    "their attribution is gone"

done_testing
