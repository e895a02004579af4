#!/usr/bin/python3
# tests/it/webhook_receiver.py: a webhook receiver for survey_webhook.sh.
#
#   webhook_receiver.py DIR
#
# Listens on 127.0.0.1, on a free port it writes to DIR/port.  A POST to
# /NAME is checked against the secret in DIR/secret.NAME the way the
# README tells receivers to (HMAC-SHA-256 keyed with the secret string
# over "T.BODY", constant-time compare, timestamp within 5 minutes) and
# logged as one JSON line in DIR/log:
#   {"path": "/NAME", "delivery": "42", "sig_ok": true, "v1s": 1,
#    "status": 200, "body": {...}}
# (v1s: the signatures in Hearsay-Signature, 2 after a rotation.)
# The answer is DIR/mode.NAME's content: a status ("200", "500"; a 3xx
# comes with "Location: /a"), or "hang" (no answer for 30 s).  No mode
# file: 200.  A GET is logged too (a followed redirect would show).
# DIR/hold.NAME holding a number N: the request to /NAME after N others
# creates DIR/held.NAME and waits, unanswered, until hold.NAME is removed
# (a test does something to the sender at a known point of its run).
# Files are read per request, so the test changes behaviour between
# sender runs.
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time

DIR = sys.argv[1]
TOLERANCE = 300		# seconds a signature's timestamp may be off
LOCK = threading.Lock()
SEEN = {}		# requests received per NAME, for hold.NAME


def read(name, default=None):
    try:
        with open(os.path.join(DIR, name), encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def verify(secret, header, body):
    """The receiver's check, as documented in the README: any v1."""
    try:
        parts = [p.split("=", 1) for p in header.split(",")]
        t = int(dict(parts)["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - t) > TOLERANCE:
        return False
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body,
                   hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(mac, v) for k, v in parts if k == "v1")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        name = self.path.strip("/")
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        mode = read("mode." + name, "200")
        secret = read("secret." + name, "")
        sig = self.headers.get("Hearsay-Signature", "")
        ok = verify(secret, sig, body)
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        with LOCK:
            SEEN[name] = SEEN.get(name, 0) + 1
            seen = SEEN[name]
        hold = read("hold." + name)
        if hold is not None and seen == int(hold) + 1:
            open(os.path.join(DIR, "held." + name), "w").close()
            while os.path.exists(os.path.join(DIR, "hold." + name)):
                time.sleep(0.05)
        if mode == "hang":
            time.sleep(30)
            return
        status = int(mode)
        with LOCK, open(os.path.join(DIR, "log"), "a",
                        encoding="utf-8") as f:
            f.write(json.dumps({
                "method": self.command, "path": self.path,
                "webhook": self.headers.get("Hearsay-Webhook"),
                "delivery": self.headers.get("Hearsay-Delivery"),
                "content_type": self.headers.get("Content-Type"),
                "sig_ok": ok, "v1s": sig.count("v1="),
                "status": status, "body": doc}) + "\n")
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "/a")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
tmp = os.path.join(DIR, "port.tmp")
with open(tmp, "w", encoding="utf-8") as f:
    f.write(str(srv.server_address[1]))
os.rename(tmp, os.path.join(DIR, "port"))
srv.serve_forever()
