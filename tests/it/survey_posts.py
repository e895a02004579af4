#!/usr/bin/python3
# survey_posts.py: concurrent form submissions, for survey_batch.sh.
#
#   survey_posts.py forms URL SLUG N [SIGNED]	prints N forms' tokens
#   survey_posts.py post URL SLUG CLIENTS ROUNDS MODE [PAUSE] <tokens
#   survey_posts.py stream URL SLUG form CLIENTS STOP MAX
#   survey_posts.py stream URL SLUG api CLIENTS STOP MAX KEY PREFIX
#   survey_posts.py stream URL REF activity CLIENTS STOP MAX KEY PREFIX
#
# "forms" fetches real tokens from the form page (with SIGNED, a file of
# signup tokens, each form is the page of the next: ?t=...).  "post" reads
# CLIENTS x ROUNDS of them; CLIENTS threads submit them at once, ROUNDS
# each, every thread on its own kept HTTP connection.  MODE "unique"
# sends each token once; "same" makes every client send the first token
# (double submits landing in one batch); "half" makes the odd clients
# send one token and the even ones their own.  PAUSE: seconds each
# client waits between two submissions (a stream, not a burst).  Prints
# "status nonce" per submission.  "stream" runs CLIENTS clients until
# the file STOP exists (at most MAX rounds each), printing a line as each
# request ends: "form" fetches a form and sends it ("status nonce", or
# "gSTATUS -" when no form came); "api" sends answers through the JSON
# API with the bearer KEY, each its own signup_ref and Idempotency-Key
# PREFIX-client-round ("status ref"); "activity" sends two activity
# items of signup REF per request (POST /api/v1/activity), ids
# PREFIX-N and PREFIX-N+1 for N = 2 (1000 client + round), "at" N and
# N + 1 seconds after 2026-03-01 00:00Z, so that a row names its item
# ("status N R", R "+" when the answer has a Retry-After, else "-").
# Status 000: no answer.
import base64
import http.client
import os
import re
import sys
import threading
import time
import urllib.parse

cmd, url, slug = sys.argv[1:4]
u = urllib.parse.urlsplit(url)
path = "/s/" + slug


def conn():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def nonce(ft):
    p = ft.split(".")[0]
    return base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))[:32].decode()


if cmd == "forms":
    c = conn()
    signed = open(sys.argv[5]).read().split() if len(sys.argv) > 5 else []
    for i in range(int(sys.argv[4])):
        c.request("GET", path + ("?t=" + signed[i] if signed else ""))
        page = c.getresponse().read().decode()
        print(re.search(r'name="ft" value="([^"]*)"', page).group(1))
    c.close()
    sys.exit(0)


def send(h, method, target, body, headers):
    """One request on the kept connection h; (status, body, h, retry):
    retry is the answer's Retry-After or None.  A kept connection the
    server closed before answering is opened again and the request sent
    once more, as browsers do; any other failure is 0."""
    for attempt in (0, 1):
        try:
            h.request(method, target, body, headers)
            resp = h.getresponse()
            return (resp.status, resp.read(), h,
                    resp.getheader("Retry-After"))
        except (http.client.RemoteDisconnected, BrokenPipeError,
                ConnectionResetError) as e:
            h.close()
            h = conn()
            if attempt == 1:
                return 0, b"", h, None
        except (OSError, http.client.HTTPException):
            h.close()
            return 0, b"", conn(), None


def stream():
    """Until STOP exists (or MAX rounds): forms and answers, or API
    answers, one line each, written as they come."""
    kind, clients, stop = sys.argv[4], int(sys.argv[5]), sys.argv[6]
    maxrounds = int(sys.argv[7])
    key, prefix = (sys.argv[8], sys.argv[9]) if kind != "form" else ("", "")
    lock = threading.Lock()

    def emit(line):
        with lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def client(k):
        h = conn()
        for r in range(maxrounds):
            if os.path.exists(stop):
                break
            if kind == "api":
                ref = "%s-%d-%d" % (prefix, k, r)
                st, _, h, _ = send(h, "POST", "/api/v1/surveys/%s/responses"
                                   % slug,
                                   '{"signup_ref":"%s","options":["search"]}'
                                   % ref,
                                   {"Content-Type": "application/json",
                                    "Authorization": "Bearer " + key,
                                    "Idempotency-Key": ref})
                emit("%03d %s" % (st, ref))
            elif kind == "activity":
                if r >= 1000:   # N names client and round
                    break
                n = 2 * (1000 * k + r)
                items = ",".join(
                    '{"id":"%s-%d","signup_ref":"%s","kind":"active",'
                    '"at":"2026-03-01T%02d:%02d:%02dZ"}'
                    % (prefix, i, slug, i // 3600, i // 60 % 60, i % 60)
                    for i in (n, n + 1))
                st, _, h, ra = send(h, "POST", "/api/v1/activity",
                                    '{"items":[%s]}' % items,
                                    {"Content-Type": "application/json",
                                     "Authorization": "Bearer " + key})
                emit("%03d %d %s" % (st, n, "+" if ra else "-"))
            else:
                st, page, h, _ = send(h, "GET", path, None, {})
                m = re.search(rb'name="ft" value="([^"]*)"', page)
                if st != 200 or m is None:
                    emit("g%03d -" % st)
                    time.sleep(0.05)
                    continue
                ft = m.group(1).decode()
                body = urllib.parse.urlencode({"ft": ft, "o": "search"})
                st, _, h, _ = send(h, "POST", path, body, {
                    "Content-Type": "application/x-www-form-urlencoded"})
                emit("%03d %s" % (st, nonce(ft)))
            time.sleep(0.01)
        h.close()

    ts = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    sys.exit(0)


if cmd == "stream":
    stream()
clients, rounds, mode = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
pause = float(sys.argv[7]) if len(sys.argv) > 7 else 0
tokens = sys.stdin.read().split()
assert len(tokens) >= clients * rounds, "too few tokens"

results = []
lock = threading.Lock()
start = threading.Barrier(clients)


def client(k):
    h = conn()
    start.wait()
    for r in range(rounds):
        own = tokens[k * rounds + r]
        # "half": the shared form is client 1's, which never sends its own.
        ft = {"unique": own, "same": tokens[0],
              "half": tokens[rounds] if k % 2 else own}[mode]
        body = urllib.parse.urlencode({"ft": ft, "o": "search"})
        try:
            h.request("POST", path, body, {
                "Content-Type": "application/x-www-form-urlencoded"})
            resp = h.getresponse()
            resp.read()
            st = resp.status
        except (OSError, http.client.HTTPException):
            # A kept connection closed under us (an nginx reload): no
            # answer, "000"; the next submission on a new connection.
            h.close()
            h = conn()
            st = 0
        with lock:
            results.append("%03d %s" % (st, nonce(ft)))
        time.sleep(pause)
    h.close()


threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\n".join(results))
