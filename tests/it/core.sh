#!/usr/bin/env bash
# core.sh: the foundation end to end, through the real nginx and MariaDB.
# Migrations are idempotent and recorded; a bad config or a readable
# secrets file stops a program at start with the line named; the prefork
# master respawns a SIGKILLed worker, reloads on SIGHUP without dropping
# the socket, drains on SIGTERM; a worker survives a MariaDB outage and
# reconnects by itself (explicit reconnect, never MYSQL_OPT_RECONNECT).
set -euo pipefail
. "${top_srcdir:-$(dirname "$0")/../..}/tests/it/lib.sh"

ADMIN=$top_builddir/src/admin/hearsay-admin
HEALTH=$top_builddir/src/health/hearsay-health

hs_stack_start

# --- migrations
nfiles=$(ls "$top_srcdir"/sql/[0-9][0-9][0-9]_*.sql | wc -l)
is "$(hs_sql 'SELECT COUNT(*) FROM schema_migrations')" "$nfiles" \
    "every migration file recorded once"
out=$("$ADMIN" -f "$HS_CONF" migrate)
like "$out" "\(0 applied, $nfiles known\)" "a second migrate applies nothing"
is "$(hs_sql "SELECT COUNT(*) FROM information_schema.tables
    WHERE table_schema = 'hearsay' AND (engine <> 'InnoDB' OR
    table_collation NOT LIKE 'utf8mb4%')")" 0 "every table InnoDB + utf8mb4"
is "$(hs_sql "SELECT COUNT(*) FROM information_schema.tables t
    WHERE t.table_schema = 'hearsay' AND t.table_type = 'BASE TABLE' AND
    NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c
    WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
    AND c.constraint_type = 'PRIMARY KEY')")" 0 \
    "every table has a primary key (Galera)"

# --- the whole path
is "$(http_status GET /health)" 200 "GET /health through nginx"
is "$(http_status HEAD /health)" 200 "HEAD /health"
is "$(http_status POST /health -d x=1)" 405 "POST /health is 405"
# The gates of health's route table (core's route.c).
http_fetch POST /health -d x=1
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD, OPTIONS\r' "405 names what is allowed"
http_fetch OPTIONS /health
is "$HTTP_STATUS" 204 "OPTIONS /health is 204"
like "$(cat "$HTTP_HEADERS")" $'Allow: GET, HEAD, OPTIONS\r' "with Allow"
is "$(http_status GET /health/x)" 404 "a path under /health is 404"
http_fetch GET /health
like "$(cat "$HTTP_BODY")" '"db":"ok"' "health reports the database"
like "$(cat "$HTTP_HEADERS")" $'X-Content-Type-Options: nosniff' \
    "security headers by default"
like "$(cat "$HTTP_HEADERS")" $'Cache-Control: no-store' "no-store by default"
is "$(http_status GET '/health?%G1')" 400 "malformed query is 400"

# --- configuration errors stop a program at start, naming the line
bad=$HS_DIR/bad.conf
{ grep -v '^#' "$HS_CONF"; echo "wokers = 3"; } >"$bad"
n=$(grep -c '' "$bad")
if err=$("$HEALTH" -f "$bad" 2>&1); then fail "unknown key accepted"
else like "$err" "bad.conf:$n: unknown key \"wokers\"" "unknown key names its line"; fi
sec=$(sed -n 's/^secrets_file *= *//p' "$HS_CONF")
cp "$sec" "$HS_DIR/loose-secrets"
chmod 0644 "$HS_DIR/loose-secrets"
sed "s|^secrets_file *=.*|secrets_file = $HS_DIR/loose-secrets|" "$HS_CONF" >"$bad"
if err=$("$HEALTH" -f "$bad" 2>&1); then fail "world-readable secrets accepted"
else like "$err" "readable by group or others" "readable secrets refused"; fi

# --- prefork supervision
master=$(hs_pid health)
worker=$(pgrep -P "$master" | head -n1)
ok test -n "$worker"
kill -9 "$worker"
for _ in $(seq 50); do
	new=$(pgrep -P "$master" | head -n1 || true)
	[[ -n $new && $new != "$worker" ]] && break
	sleep 0.1
done
isnt "${new:-}" "$worker" "a SIGKILLed worker is replaced"
is "$(http_status GET /health)" 200 "served after the respawn"
kill -HUP "$master"
sleep 0.5
ok kill -0 "$master"
is "$(http_status GET /health)" 200 "served after SIGHUP reload"

# --- MariaDB away and back: 503 with Retry-After, then recovery
hs_db_stop
http_fetch GET /health
is "$HTTP_STATUS" 503 "database down: 503"
like "$(cat "$HTTP_HEADERS")" 'Retry-After: ' "with Retry-After"
ok kill -0 "$master"
hs_db_start
is "$(http_status GET /health)" 200 \
    "the first request after the restart reconnects and succeeds"
# Idle past wait_timeout: the server drops the connection; the next
# request reopens it explicitly (TESTING.md 3b row 3).
# A respawned worker opens a new session, which takes the global value.
hs_sql "SET GLOBAL wait_timeout = 2"
kill -9 "$(pgrep -P "$master" | head -n1)"
sleep 1.2
is "$(http_status GET /health)" 200 "respawned worker connects"
# Other programs' read-only sessions predate the new default and stay.
ro_sessions() {
	hs_sql "SELECT COUNT(*) FROM information_schema.processlist
	    WHERE db = 'hearsay' AND user = 'hearsay_ro'"
}
before=$(ro_sessions)
sleep 3
is "$((before - $(ro_sessions)))" 1 "the server dropped it after wait_timeout"
is "$(http_status GET /health)" 200 "first request after wait_timeout succeeds"
hs_sql "SET GLOBAL wait_timeout = 28800"

# --- systemd socket activation: the master takes fd 3 (LISTEN_FDS) instead
# of binding; emulated with the same protocol systemd uses (exec keeps the
# pid, so LISTEN_PID matches).
asock=$HS_DIR/run/activated.sock
/usr/bin/python3 - "$asock" "$HEALTH" "$HS_CONF" >"$HS_DIR/log/activated.log" 2>&1 <<'PY' &
import os, socket, sys
path, prog, conf = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(16)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(prog, [prog, "-f", conf])
PY
apid=$!
for _ in $(seq 50); do grep -q 'systemd socket' "$HS_DIR/log/activated.log" && break; sleep 0.1; done
out=$(env -i REQUEST_METHOD=GET DOCUMENT_URI=/health SCRIPT_NAME=/health \
    QUERY_STRING= REMOTE_ADDR=127.0.0.1 cgi-fcgi -bind -connect "$asock" 2>&1 || true)
like "$out" 'Status: 200 OK' "socket-activated master serves FastCGI on fd 3"
kill -TERM "$apid"; wait "$apid" 2>/dev/null || true

# --- graceful stop: the master drains, removes its socket and exits
sock=$HS_DIR/run/health.sock
ok test -S "$sock"
kill -TERM "$master"
for _ in $(seq 100); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$master" 2>/dev/null; then fail "master still running after SIGTERM"
else pass "master exits on SIGTERM"; fi
if [[ -e $sock ]]; then fail "socket left behind"; else pass "socket removed"; fi

done_testing
