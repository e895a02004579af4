#!/usr/bin/python3
# fcgi_client.py: a raw FastCGI client for link_mux.sh, to talk to a
# program's socket the way nginx does, and the ways nginx never does.
#
#   fcgi_client.py get SOCK PATH N  N requests on one kept connection;
#                                   prints each answer's Status
#   fcgi_client.py values SOCK      FCGI_GET_VALUES; prints the reply type
#   fcgi_client.py badversion SOCK  a record of version 2; prints "closed"
#                                   if the program hangs up
#   fcgi_client.py stall SOCK SECS  3 bytes of a header, then waits up to
#                                   SECS for the program to hang up;
#                                   prints "closed" or "open"
import socket
import struct
import sys
import time


def rec(t, rid, content=b""):
    return struct.pack(">BBHHBB", 1, t, rid, len(content), 0, 0) + content


def nv(n, v):
    return bytes([len(n), len(v)]) + n + v


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


def read_record(s):
    h = b""
    while len(h) < 8:
        d = s.recv(8 - len(h))
        if not d:
            return None, None
        h += d
    _, t, _, n, pad, _ = struct.unpack(">BBHHBB", h)
    body = b""
    while len(body) < n + pad:
        d = s.recv(n + pad - len(body))
        if not d:
            return None, None
        body += d
    return t, body[:n]


def get(path, uri, n):
    s = connect(path)
    params = (nv(b"REQUEST_METHOD", b"GET") + nv(b"SCRIPT_NAME", uri) +
              nv(b"REQUEST_URI", uri) + nv(b"QUERY_STRING", b"") +
              nv(b"REMOTE_ADDR", b"192.0.2.1") +
              nv(b"SERVER_PROTOCOL", b"HTTP/1.1"))
    for i in range(n):
        rid = i + 1
        s.sendall(rec(1, rid, struct.pack(">HB5x", 1, 1)) +
                  rec(4, rid, params) + rec(4, rid) + rec(5, rid))
        out = b""
        while True:
            t, body = read_record(s)
            if t is None:
                print("closed")
                return
            if t == 6:
                out += body
            elif t == 3:
                break
        status = out.split(b"\r\n", 1)[0].decode()
        print(status)


def values(path):
    s = connect(path)
    s.sendall(rec(9, 0, nv(b"FCGI_MPXS_CONNS", b"")))
    t, _ = read_record(s)
    print(t)


def badversion(path):
    s = connect(path)
    s.sendall(b"\x02" + rec(1, 1, struct.pack(">HB5x", 1, 1))[1:])
    try:
        d = s.recv(100)
    except socket.timeout:
        d = b"timeout"
    print("closed" if d == b"" else "open")


def stall(path, secs):
    s = connect(path)
    s.sendall(b"\x01\x01\x00")
    s.settimeout(secs)
    t0 = time.time()
    try:
        d = s.recv(100)
    except socket.timeout:
        d = b"timeout"
    print("closed" if d == b"" else "open", file=sys.stdout)
    print("after %.0f s" % (time.time() - t0), file=sys.stderr)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "get":
        get(path, sys.argv[3].encode(), int(sys.argv[4]))
    elif cmd == "values":
        values(path)
    elif cmd == "badversion":
        badversion(path)
    elif cmd == "stall":
        stall(path, float(sys.argv[3]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
