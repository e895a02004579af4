#!/usr/bin/env bash
# tests/it/survey_api.sh: the survey's JSON API (keys, definition,
# idempotent answers, signup reports), the admin commands around it, and
# erasure with "hearsay-admin forget --signup".
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
ok $ADMIN survey import "$top_srcdir/sql/demo/survey.json"
like "$($ADMIN survey list)" 'welcome +[0-9]+ +11 +no' "survey list"
$ADMIN survey show welcome >"$HS_TMP/shown.json"
like "$(cat "$HS_TMP/shown.json")" '"key": "dont-remember"' "survey show prints the definition"
ok $ADMIN survey import "$HS_TMP/shown.json"

KEY=$($ADMIN apikey create it-app 2>/dev/null)
like "$KEY" '^hsk_[0-9a-f]{48}$' "apikey create prints the key once"
is "$(hs_sql "SELECT COUNT(*) FROM api_keys WHERE key_hash = SHA2('$KEY', 256)")" 1 \
    "only its SHA-256 is stored"
like "$($ADMIN apikey list)" 'it-app +no' "apikey list"
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
