#!/usr/bin/env bash
# link_diskfull.sh: the click journal on a full disk (issue 3): the
# person is still redirected to the link's destination, each lost click
# is counted in counters.clicks_unrecorded and logged, and once there is
# room again clicks are journalled and loaded as before.  The disk is
# real: a 64 KiB tmpfs mounted over the stack's own spool directory (so
# this test needs root, as the README's test command has) and filled with
# dd until the kernel answers ENOSPC.  Every step runs on that disk, so
# without root the whole test is skipped (exit 77), and says so: the
# test command counts the skip, and CI fails on it.
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"
. "$top_srcdir/tests/it/link_common.sh"

if [[ $(id -u) != 0 ]]; then
	echo "HS-SKIP: ${0##*/}: the whole test: mounting a small tmpfs needs root" >&2
	exit 77
fi

N_FULL=200	# clicks sent while the disk is full (more than its last blocks hold)

link_setup
SPOOL=$HS_DIR/spool
MNT=
# The mount goes before the stack does; lazily, as the link workers
# still hold their journal open in it.  set +e: under set -e, (exit $rc)
# would end the trap before the stack is stopped.
trap 'rc=$?; set +e; [[ -n $MNT ]] && umount -l "$MNT"; (exit $rc); hs_on_exit' EXIT

unrecorded() {
	hs_sql "SELECT value FROM counters WHERE name = 'clicks_unrecorded'"
}
# human_clicks N CODE: N clicks as a person; prints each "status location".
human_clicks() {
	local i
	for ((i = 0; i < $1; i++)); do
		curl -q -s -o /dev/null -A "$UA_HUMAN" \
		    -w '%{http_code} %{redirect_url}\n' "$HS_URL/i/$2"
	done
}

# Settle: what link_setup's probes clicked is loaded first.
sleep 2
before=$(db_count TEST-0004)
u0=$(unrecorded)

mount -t tmpfs -o size=64k,mode=0700 hearsay-it-full "$SPOOL"
MNT=$SPOOL
# New workers open their journal in the new (small) spool.
kill -HUP "$(hs_pid link)"
sleep 1
wait_for 20 302 'http_status GET /i/MASS-0001' || fail "served after the reload"

# Room on the small disk: clicks are journalled and loaded.
human_clicks 5 TEST-0004 >"$HS_TMP/room"
is "$(grep -c '^302 https://example.org/signup' "$HS_TMP/room")" 5 \
    "with room: five 302s to the destination"
ok wait_for 30 $((before + 5)) "db_count TEST-0004"

# Fill it: dd stops at ENOSPC.
dd if=/dev/zero of="$SPOOL/fill" bs=4k 2>/dev/null || true
is "$(df --output=avail "$SPOOL" | tail -n1 | tr -d ' ')" 0 "the spool's disk is full"

# A click goes to the journal while the page its file ends in has room
# (a disk is full by blocks); after that, none can be written.  Every
# 302 is then either loaded or counted as lost: exactly one of the two.
human_clicks "$N_FULL" TEST-0004 >"$HS_TMP/full"
is "$(grep -c '^302 https://example.org/signup' "$HS_TMP/full")" "$N_FULL" \
    "disk full: every person is still redirected to the destination"
# Each worker's first failed write is certain: N_FULL records are more
# than the last pages of two journal files hold.  After it, the loader
# deletes the abandoned file, which gives room back: some later clicks
# are journalled again.
accounted() {
	echo $(($(unrecorded) - u0 + $(db_count TEST-0004) - before - 5))
}
ok wait_for 30 "$N_FULL" accounted
lost=$(($(unrecorded) - u0))
loaded=$(($(db_count TEST-0004) - before - 5))
diag "disk full: $loaded clicks journalled, $lost lost"
ok test "$lost" -gt 0
is "$((lost + loaded))" "$N_FULL" \
    "disk full: each 302 either loaded or counted as lost, once"
like "$(cat "$HS_DIR/log/link.log")" 'click journal not writable' \
    "disk full: logged"

# Room again: the journal is reopened and clicks are recorded.
rm -f "$SPOOL/fill"
human_clicks 5 TEST-0004 >"$HS_TMP/again"
is "$(grep -c '^302 ' "$HS_TMP/again")" 5 "room again: 302s"
ok wait_for 30 $((before + 10 + loaded)) "db_count TEST-0004"
is "$(unrecorded)" $((u0 + lost)) "room again: no click counted as lost"
ok kill -0 "$(hs_pid link)"

done_testing
