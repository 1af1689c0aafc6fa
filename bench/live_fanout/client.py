#!/usr/bin/env python
"""The load generator of bench/live_fanout.py: one process holding thousands of SSE connections.

Raw non-blocking sockets on one epoll loop (no asyncio, no HTTP library), so that a connection
costs the client a socket and a few small objects, and a delivered event costs it one recv().
Started by the orchestrator with a JSON spec file:

    {"targets": [[host, port, path], ...],   # one per connection: Podium's URLs are personal
     "sources": ["127.0.0.1", ...],          # local addresses, round robin (beyond ~28k per port)
     "events": 20,                           # how many marked events each connection must get
     "kind": "question_approved",            # the SSE `event:` that carries a marker
     "ramp": 128,                            # connection attempts in flight at once
     "max_failures": 500}                    # stop opening connections past this many failures

It connects (at most `ramp` attempts waiting for their response headers at once), checks for
`HTTP/1.1 200` and text/event-stream, then decodes the body (chunked or plain) into SSE frames.
Each frame of the given kind whose data contains `"text":"bench <i>` is marker i; the time of
the recv() that completed the frame (time.time_ns(), the clock every process on the machine
shares) is kept once per (connection, marker). Heartbeats (`: ping`) and other kinds are parsed
and ignored.

Control: one JSON line on stdout when every connection is either streaming or failed
(`{"ready": ...}`), then commands on stdin, one per line, each answered by one JSON line:
`status`, `report PATH` (writes the receive times per marker to PATH), `close`.
"""

import errno
import json
import os
import re
import resource
import select
import socket
import sys
import time

IP_BIND_ADDRESS_NO_PORT = 24  # Linux: let connect() pick the port, so source addresses can share ports
MARKER = re.compile(rb'"text":\s*"bench (\d+)')
READ = select.EPOLLIN | select.EPOLLRDHUP
WRITE = select.EPOLLOUT

CONNECTING, HEADERS, STREAMING, CLOSED = range(4)


class Conn:
    __slots__ = ("chunked", "count", "head", "left", "raw", "seen", "skip", "sock", "sse", "state")

    def __init__(self, sock, events):
        self.sock = sock
        self.state = CONNECTING
        self.head = b""
        self.chunked = False
        self.left = 0  # bytes of chunk data still to come
        self.skip = 0  # CRLF after a chunk still to skip
        self.raw = b""  # an incomplete chunk-size line
        self.sse = b""  # an incomplete SSE frame
        self.seen = bytearray(events)
        self.count = 0


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Client:
    def __init__(self, spec: dict):
        self.targets = spec["targets"]
        self.sources = spec.get("sources") or []
        self.events = spec["events"]
        self.kind = spec.get("kind", "question_approved").encode()
        self.ramp = spec.get("ramp", 128)
        self.max_failures = spec.get("max_failures", 500)
        self.abandoned = 0
        self.ep = select.epoll()
        self.conns: dict[int, Conn] = {}
        self.recv = [[] for _ in range(self.events)]
        self.next_target = 0
        self.in_flight = 0
        self.connected = 0
        self.failed: dict[str, int] = {}
        self.dropped = 0
        self.received = 0
        self.complete = 0
        self.other_frames = 0
        self.started = time.monotonic()
        self.ready_at = None

    # Connecting -----------------------------------------------------------------------------------

    def fail(self, conn: Conn | None, reason: str) -> None:
        self.failed[reason] = self.failed.get(reason, 0) + 1
        if conn is not None:
            self.in_flight -= 1
            self._close(conn)

    def _close(self, conn: Conn) -> None:
        fd = conn.sock.fileno()
        if fd >= 0:
            try:
                self.ep.unregister(fd)
            except OSError:
                pass
            self.conns.pop(fd, None)
            conn.sock.close()
        conn.state = CLOSED

    def open_more(self) -> None:
        if sum(self.failed.values()) > self.max_failures and self.next_target < len(self.targets):
            self.abandoned = len(self.targets) - self.next_target  # the server is refusing: do not insist
            self.next_target = len(self.targets)
        while self.in_flight < self.ramp and self.next_target < len(self.targets):
            i = self.next_target
            self.next_target += 1
            host, port, path = self.targets[i]
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.sources:
                sock.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
                sock.bind((self.sources[i % len(self.sources)], 0))
            code = sock.connect_ex((host, port))
            if code not in (0, errno.EINPROGRESS):
                sock.close()
                self.fail(None, errno.errorcode.get(code, str(code)))
                continue
            conn = Conn(sock, self.events)
            conn.head = (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
                f"Cache-Control: no-cache\r\nUser-Agent: podium-live-fanout\r\n\r\n"
            ).encode()
            self.conns[sock.fileno()] = conn
            self.ep.register(sock.fileno(), WRITE)
            self.in_flight += 1

    def on_writable(self, conn: Conn) -> None:
        code = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            return self.fail(conn, errno.errorcode.get(code, str(code)))
        try:
            conn.sock.sendall(conn.head)  # a few hundred bytes into an empty socket buffer
        except OSError as error:
            return self.fail(conn, errno.errorcode.get(error.errno, str(error.errno)))
        conn.head = b""
        conn.state = HEADERS
        self.ep.modify(conn.sock.fileno(), READ)

    # Reading --------------------------------------------------------------------------------------

    def on_readable(self, conn: Conn, now: int) -> None:
        try:
            data = conn.sock.recv(262144)
        except BlockingIOError:
            return
        except OSError as error:
            data, reason = b"", errno.errorcode.get(error.errno, str(error.errno))
        else:
            reason = "closed by server"
        if not data:
            if conn.state == HEADERS:
                return self.fail(conn, reason)
            self.dropped += 1
            return self._close(conn)
        if conn.state == HEADERS:
            head = conn.head + data
            end = head.find(b"\r\n\r\n")
            if end < 0:
                conn.head = head
                return
            status_line, _, rest = head[:end].partition(b"\r\n")
            fields = rest.lower()
            if b" 200" not in status_line[:13] or b"text/event-stream" not in fields:
                return self.fail(conn, status_line.decode(errors="replace")[:40])
            conn.chunked = b"transfer-encoding: chunked" in fields
            conn.head = b""
            conn.state = STREAMING
            self.in_flight -= 1
            self.connected += 1
            data = head[end + 4 :]
            if not data:
                return
        self.feed(conn, data, now)

    def feed(self, conn: Conn, data: bytes, now: int) -> None:
        if conn.chunked:
            if conn.raw:
                data, conn.raw = conn.raw + data, b""
            payload, pos, n = [], 0, len(data)
            while pos < n:
                if conn.left:
                    take = min(conn.left, n - pos)
                    payload.append(data[pos : pos + take])
                    conn.left -= take
                    pos += take
                    if not conn.left:
                        conn.skip = 2
                elif conn.skip:
                    take = min(conn.skip, n - pos)
                    conn.skip -= take
                    pos += take
                else:
                    end = data.find(b"\r\n", pos)
                    if end < 0:
                        conn.raw = data[pos:]
                        break
                    size = int(data[pos:end].split(b";", 1)[0], 16)
                    pos = end + 2
                    if size == 0:  # the server ended the response
                        break
                    conn.left = size
            data = b"".join(payload)
        buf = conn.sse + data if conn.sse else data
        start = 0
        while True:
            end = buf.find(b"\n\n", start)
            if end < 0:
                break
            self.frame(conn, buf[start:end], now)
            start = end + 2
        conn.sse = buf[start:]

    def frame(self, conn: Conn, frame: bytes, now: int) -> None:
        if frame.startswith(b":"):
            return  # a comment: heartbeat
        kind, data = b"message", b""
        for line in frame.split(b"\n"):
            if line.startswith(b"event:"):
                kind = line[6:].strip()
            elif line.startswith(b"data:"):
                data = line[5:]
        if kind != self.kind:
            self.other_frames += 1
            return
        match = MARKER.search(data)
        if match is None:
            self.other_frames += 1
            return
        i = int(match.group(1))
        if i < self.events and not conn.seen[i]:
            conn.seen[i] = 1
            conn.count += 1
            self.recv[i].append(now)
            self.received += 1
            if conn.count == self.events:
                self.complete += 1

    # The loop ---------------------------------------------------------------------------------------

    def status(self) -> dict:
        return {
            "connected": self.connected,
            "failed": self.failed,
            "dropped": self.dropped,
            "abandoned": self.abandoned,
            "open": sum(1 for c in self.conns.values() if c.state == STREAMING),
            "received": self.received,
            "complete": self.complete,
            "other_frames": self.other_frames,
            "connect_s": round((self.ready_at or time.monotonic()) - self.started, 3),
        }

    def command(self, line: str) -> bool:
        word, _, arg = line.strip().partition(" ")
        if word == "status":
            self.say(self.status())
        elif word == "report":
            with open(arg, "w") as out:
                json.dump({"status": self.status(), "recv": self.recv}, out)
            self.say({"reported": arg})
        elif word in ("close", ""):
            for conn in list(self.conns.values()):
                self._close(conn)
            self.say({"closed": True})
            return False
        return True

    @staticmethod
    def say(obj: dict) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def run(self) -> None:
        stdin = sys.stdin.fileno()
        os.set_blocking(stdin, False)
        self.ep.register(stdin, select.EPOLLIN)
        pending_input = b""
        self.open_more()
        while True:
            if self.ready_at is None and self.in_flight == 0 and self.next_target >= len(self.targets):
                self.ready_at = time.monotonic()
                self.say({"ready": self.status()})
            for fd, _mask in self.ep.poll(1.0, 4096):
                if fd == stdin:
                    chunk = os.read(stdin, 65536)
                    if not chunk:
                        self.command("close")
                        return
                    pending_input += chunk
                    while b"\n" in pending_input:
                        line, _, pending_input = pending_input.partition(b"\n")
                        if not self.command(line.decode()):
                            return
                    continue
                conn = self.conns.get(fd)
                if conn is None:
                    continue
                if conn.state == CONNECTING:
                    self.on_writable(conn)
                else:
                    self.on_readable(conn, time.time_ns())
            self.open_more()


def main() -> None:
    limit = raise_fd_limit()
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    if len(spec["targets"]) + 16 > limit:
        sys.exit(f"{len(spec['targets'])} connections need more than the file limit {limit}")
    Client(spec).run()


if __name__ == "__main__":
    main()
