#!/usr/bin/env bash
# tests/it/email_key.sh: e-mail hashes are stored keyed (issue 22).  An
# app reports a signup with the plain SHA-256 of an address, an advocate
# is imported with the address itself; the database holds neither the
# address nor its SHA-256, only HMAC-SHA-256(hmac_key, "email" NUL
# sha256hex) (computed here with Python's hmac, independently of the C),
# and the reconciliation still flags the signup as a self-referral.  The
# CSV export of advocates imports again without keying twice, and an old
# CSV's plain email_hash column is keyed once.  A database from before
# sql/101 (plain hashes, no email_keyed column) is keyed by hearsay-admin
# migrate exactly once: a second migrate changes nothing, and rows left
# plain by a run cut short, or written plain by a program that does not
# key, are keyed by the next one.
set -euo pipefail
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/it/lib.sh"
. "$top_srcdir/tests/it/reconcile_lib.sh"

hs_stack_start
ADMIN="$top_builddir/src/admin/hearsay-admin -f $HS_CONF"
HK=$(sed -n 's/^hmac_key = //p' "$HS_DIR/secrets")
like "$HK" '^[0-9a-f]{64}$' "the stack's hmac_key"
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
ekey() {
	python3 -c 'import hashlib, hmac, sys
print(hmac.new(bytes.fromhex(sys.argv[1]), b"email\0" + sys.argv[2].encode(),
    hashlib.sha256).hexdigest())' "$HK" "$1"
}
JOSE=$(sha jose@example.org)
KJOSE=$(ekey "$JOSE")
OTHER=$(sha someone@example.org)
isnt "$KJOSE" "$JOSE" "the key differs from the plain SHA-256"

# --- an advocate with an address, a link, a click on it
ok $ADMIN campaign create --slug ek --name "E-mail key" --hosts example.org \
    --dest https://example.org/
cat >"$HS_TMP/adv.csv" <<'CSV'
handle,display_name,aliases,tier,email
jose,José Álvarez,,member,"  Jose@Example.ORG "
CSV
ok $ADMIN advocate import "$HS_TMP/adv.csv"
ok $ADMIN link create --campaign ek --advocate jose --channel referral --code EKJO-0001
adv() { hs_sql "SELECT CONCAT_WS('|', email_hash, email_keyed) FROM advocates WHERE handle = '$1'"; }
is "$(adv jose)" "$KJOSE|1" "advocate: the normalised address is stored keyed"
like "$($ADMIN advocate show jose)" "$KJOSE" "advocate show prints the key"
C1=00000000000000000000000000000e01
C2=00000000000000000000000000000e02
hs_sql "INSERT INTO clicks (click_id, clicked_at, link_id) SELECT '$C1',
    UTC_TIMESTAMP(3) - INTERVAL 3 HOUR, id FROM links WHERE code = 'EKJ00001'
    UNION ALL SELECT '$C2', UTC_TIMESTAMP(3) - INTERVAL 3 HOUR, id FROM links
    WHERE code = 'EKJ00001'"
is "$(hs_sql "SELECT COUNT(*) FROM clicks WHERE click_id IN ('$C1', '$C2')")" 2 \
    "two clicks on the advocate's link"

# --- the app reports two signups with plain SHA-256s
KEY=$($ADMIN apikey create ek-app --scope signups 2>/dev/null)
report() {
	http_status POST /api/v1/signups -H "Authorization: Bearer $KEY" \
	    -H 'Content-Type: application/json' --data-raw \
	    "{\"signup_ref\":\"$1\",\"click_ids\":[\"$2\"],\"email_hash\":\"$3\"}"
}
is "$(report ek-self "$C1" "$JOSE")" 200 "signup with the advocate's own SHA-256: 200"
is "$(report ek-other "$C2" "$OTHER")" 200 "signup with someone else's: 200"
sig() { hs_sql "SELECT CONCAT_WS('|', email_hash, email_keyed) FROM signups WHERE signup_ref = '$1'"; }
is "$(sig ek-self)" "$KJOSE|1" "signup: only the key is stored"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE email_hash IN ('$JOSE', '$OTHER')
    OR email_hash LIKE '%@%'")" 0 "no plain SHA-256 or address in signups"
is "$(hs_sql "SELECT COUNT(*) FROM advocates WHERE email_hash IN ('$JOSE', '$OTHER')
    OR email_hash LIKE '%@%'")" 0 "no plain SHA-256 or address in advocates"
# A report without email_hash keeps the stored key.
is "$(http_status POST /api/v1/signups -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' --data-raw '{"signup_ref":"ek-self"}')" 200 \
    "the signup reported again without email_hash: 200"
is "$(sig ek-self)" "$KJOSE|1" "the key is kept"

flags() { hs_sql "SELECT risk_flags FROM attributions WHERE signup_ref = '$1'"; }
ok rc_run --full
like "$(flags ek-self)" 'self_referral' "the advocate's own signup is a self-referral"
unlike "$(flags ek-other)" 'self_referral' "someone else's is not"

# --- CSV: an export imports again without keying twice; an old file's
# plain email_hash column is keyed once.
$ADMIN advocate export >"$HS_TMP/out.csv"
like "$(head -1 "$HS_TMP/out.csv")" 'email_key' "export names the column email_key"
sed 's/,"jose",/,"jose2",/' "$HS_TMP/out.csv" >"$HS_TMP/again.csv"
ok $ADMIN advocate import "$HS_TMP/again.csv"
is "$(adv jose2)" "$KJOSE|1" "export then import: the same key, not keyed twice"
printf 'handle,display_name,email_hash\njose3,Jose Three,%s\n' "$JOSE" >"$HS_TMP/old.csv"
ok $ADMIN advocate import "$HS_TMP/old.csv"
is "$(adv jose3)" "$KJOSE|1" "an old export's plain email_hash is keyed once"
printf 'handle,display_name,email_key\njose4,Jose Four,nothex\n' >"$HS_TMP/bad.csv"
if $ADMIN advocate import "$HS_TMP/bad.csv" >/dev/null 2>&1; then
	fail "an email_key that is not 64 hex was imported"
else
	pass "an email_key that is not 64 hex is refused"
fi
ok $ADMIN advocate create --handle jose5 --name "Jose Five" --email "$JOSE"
is "$(adv jose5)" "$KJOSE|1" "advocate create --email SHA-256: keyed"

# --- a database from before sql/101: plain hashes, no mark
hs_sql "ALTER TABLE advocates DROP COLUMN email_keyed;
    ALTER TABLE signups DROP COLUMN email_keyed;
    DELETE FROM schema_migrations WHERE version = 101;
    UPDATE advocates SET email_hash = '$JOSE' WHERE email_hash IS NOT NULL;
    UPDATE signups SET email_hash = '$JOSE' WHERE signup_ref = 'ek-self';
    UPDATE signups SET email_hash = UPPER('$OTHER') WHERE signup_ref = 'ek-other';
    INSERT INTO signups (signup_ref, signed_up_at, email_hash) VALUES
        ('ek-junk', UTC_TIMESTAMP(3), 'not a hash');
    INSERT INTO signups (signup_ref, signed_up_at, email_hash)
        SELECT CONCAT('ek-bulk-', seq), UTC_TIMESTAMP(3),
        SHA2(CONCAT('p', seq, '@example.org'), 256) FROM seq_1_to_1234"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE email_hash LIKE 'ek%' OR
    signup_ref LIKE 'ek-bulk-%'")" 1234 "1234 old signups with plain hashes"
out=$($ADMIN migrate)
like "$out" 'applied 101_email_key\.sql' "migrate applies 101"
like "$out" 'advocates: 4 e-mail hashes keyed, 0 ' "and keys the advocates' hashes"
like "$out" 'signups: 1236 e-mail hashes keyed, 1 ' \
    "and the signups' (in chunks), dropping the one that is no SHA-256"
is "$(adv jose)" "$KJOSE|1" "an old advocate hash is keyed"
is "$(sig ek-self)" "$KJOSE|1" "an old signup hash is keyed"
is "$(sig ek-other)" "$(ekey "$OTHER")|1" "an upper-case one is keyed as lower-case"
is "$(hs_sql "SELECT CONCAT_WS('|', COALESCE(email_hash, 'NULL'), email_keyed)
    FROM signups WHERE signup_ref = 'ek-junk'")" "NULL|1" "a value that is no SHA-256 is dropped"
P7=$(sha p7@example.org)
is "$(sig ek-bulk-7)" "$(ekey "$P7")|1" "a bulk row is keyed"
is "$(hs_sql "SELECT COUNT(*) FROM signups WHERE signup_ref LIKE 'ek-bulk-%' AND
    (email_keyed = 0 OR email_hash = SHA2(CONCAT('p', SUBSTR(signup_ref, 9),
    '@example.org'), 256))")" 0 "every bulk row is keyed, none left plain"
hs_sql "CHECKSUM TABLE advocates, signups" >"$HS_TMP/sum1"
out=$($ADMIN migrate)
unlike "$out" 'keyed' "a second migrate keys nothing"
hs_sql "CHECKSUM TABLE advocates, signups" >"$HS_TMP/sum2"
is "$(cat "$HS_TMP/sum2")" "$(cat "$HS_TMP/sum1")" "and changes nothing"
ok rc_run --full
like "$(flags ek-self)" 'self_referral' "after migrating, still a self-referral"
unlike "$(flags ek-other)" 'self_referral' "and someone else's still not"

# A run cut short: some rows keyed with their mark, others still plain;
# and a writer that does not key (a hearsay-survey not yet restarted,
# SQL by hand) writes a plain hash after the migration, unmarked.
hs_sql "UPDATE signups SET email_hash = '$P7', email_keyed = 0
    WHERE signup_ref = 'ek-bulk-7';
    INSERT INTO signups (signup_ref, signed_up_at, email_hash) VALUES
        ('ek-late', UTC_TIMESTAMP(3), '$JOSE')"
out=$($ADMIN migrate)
like "$out" 'signups: 2 e-mail hashes keyed' "the next migrate keys only the rows left plain"
is "$(sig ek-bulk-7)" "$(ekey "$P7")|1" "the row a cut-short run left is keyed once"
is "$(sig ek-late)" "$KJOSE|1" "and the row an older writer left"
is "$(sig ek-self)" "$KJOSE|1" "rows already keyed are left alone"

done_testing
