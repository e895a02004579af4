#!/usr/bin/python3
# survey_posts.py: concurrent form submissions, for survey_batch.sh.
#
#   survey_posts.py forms URL SLUG N [SIGNED]	prints N forms' tokens
#   survey_posts.py post URL SLUG CLIENTS ROUNDS MODE [PAUSE] <tokens
#
# "forms" fetches real tokens from the form page (with SIGNED, a file of
# signup tokens, each form is the page of the next: ?t=...).  "post" reads
# CLIENTS x ROUNDS of them; CLIENTS threads submit them at once, ROUNDS
# each, every thread on its own kept HTTP connection.  MODE "unique"
# sends each token once; "same" makes every client send the first token
# (double submits landing in one batch); "half" makes the odd clients
# send one token and the even ones their own.  PAUSE: seconds each
# client waits between two submissions (a stream, not a burst).  Prints
# "status nonce" per submission.
import base64
import http.client
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
        h.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded"})
        resp = h.getresponse()
        resp.read()
        with lock:
            results.append("%d %s" % (resp.status, nonce(ft)))
        time.sleep(pause)
    h.close()


threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\n".join(results))
