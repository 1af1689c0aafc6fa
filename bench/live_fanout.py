#!/usr/bin/env python
"""Live fan-out: N concurrent live-page streams, the moderator approves questions, how fast does
every attendee see them, and what does a connection cost? Podium against a floor and Channels.

Five rows, measured one after the other in the same run with the same client:

* floor: bench/live_fanout/floor.py, a minimal asyncio SSE broadcaster with no framework that
  encodes each event once and writes it straight to every socket: the best this machine and
  Python can do;
* channels: bench/live_fanout/channels_app.py, a Django Channels AsyncHttpConsumer per stream,
  broadcast with group_send over channels_redis.core.RedisChannelLayer, served by uvicorn: what a
  Django team would build by default (the target compares Podium with this row);
* channels-pubsub: the same consumer over channels_redis.pubsub.RedisPubSubChannelLayer, for
  information;
* podium: `python -m uvicorn podium.asgi:application`, one process, SQLite in a temporary
  PODIUM_DATA_DIR; every stream is a personal /live/<token>/stream/ of a confirmed registration,
  and the trigger is the moderator approving a question (POST /staff/live/<event>/questions/<q>/
  approve/, signed in, CSRF), which Podium broadcasts as `question_approved`. The questions
  ("bench <i>") are asked beforehand by one more attendee through POST /live/<token>/ask/
  (fields text and key, CSRF), before the streams connect;
* podium x2: two uvicorn processes on two ports, PostgreSQL (database podium_bench_live, created
  and dropped here) and PODIUM_REDIS_URL, half the streams on each, the moderator on the first:
  the second process gets every event through Redis. 2x the connections by default.

The client (bench/live_fanout/client.py) is a few processes, each holding thousands of raw
non-blocking sockets on one epoll loop. The trigger takes time.time_ns() just before it sends
its HTTP request; the client takes time.time_ns() at the recv() that completes the frame; so
latency covers the trigger's request, the server's broadcast and the socket, per (client, event).
Events are sent one every --interval seconds. Memory per connection is the server processes'
VmRSS after the events minus VmRSS before the clients connected (after a warm-up stream and a
warm-up event), divided by the connections. Server CPU is utime+stime over the events phase.

    .venv/bin/python bench/live_fanout.py                        # 10,000 (Podium x2: 20,000), ~10 min
    .venv/bin/python bench/live_fanout.py --quick                # 1,000 connections, ~3 min
    .venv/bin/python bench/live_fanout.py --only floor,channels  # the references alone
    .venv/bin/python bench/live_fanout.py --only floor,podium1   # Podium in one process and its floor

Targets (Podium, 1 process): every client gets every event; p99 within 1.5x the floor's and
memory per connection within 2x the floor's, in the same run; both better than Channels.
Podium x2: every client of both processes gets every event. Missed targets exit 1.
Needs the `bench` extra (channels, channels-redis) for the Channels row, Redis on 127.0.0.1:6379
for Channels and Podium x2, and PostgreSQL on 127.0.0.1:5432 for Podium x2; a missing piece skips
its row with a note.
"""

import argparse
import json
import os
import platform
import resource
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "live_fanout"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "podium_bench_live"
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "127.0.0.1"
PER_SOURCE = 20000  # connections per (source address, server port); the ephemeral range has ~28k


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def proc_status(pid: int) -> tuple[int, float, int]:
    """(VmRSS in KB, CPU seconds used: utime + stime, threads)."""
    rss = threads = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("Threads:"):
            threads = int(line.split()[1])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu, threads


# Servers -------------------------------------------------------------------------------------------


class Server:
    """A server process of the bench, on its own port, with its log in the run's directory."""

    def __init__(self, name: str, argv: list[str], env: dict, port: int, log_dir: Path):
        self.name, self.port = name, port
        self.url = f"http://{HOST}:{port}"
        self.log_path = log_dir / f"{name}-{port}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=raise_fd_limit,
        )

    def wait_listening(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start; log:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.1)

    def status(self) -> tuple[int, float, int]:
        return proc_status(self.proc.pid)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.log.close()
        return self.log_path.read_text()


def uvicorn_argv(app: str, port: int, *extra: str) -> list[str]:
    return [
        PYTHON,
        "-m",
        "uvicorn",
        *extra,
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
        "--timeout-graceful-shutdown",
        "3",
    ]


def warm_stream(port: int, path: str) -> str:
    """One stream opened and closed before the measurement: imports and first-use costs are paid."""
    with socket.create_connection((HOST, port), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            more = s.recv(65536)
            if not more:
                break
            data += more
        time.sleep(0.2)
    return data.split(b"\r\n", 1)[0].decode(errors="replace")


# Clients -------------------------------------------------------------------------------------------


class Clients:
    """`processes` client processes; connection i goes to the process i % processes."""

    def __init__(
        self, targets: list[tuple[str, int, str]], events: int, processes: int, work: Path, ramp: int, max_failures: int
    ):
        self.work = work
        self.procs = []
        per_port: dict[int, int] = {}
        for _, port, _ in targets:
            per_port[port] = per_port.get(port, 0) + 1
        n_sources = max(1, -(-max(per_port.values()) // PER_SOURCE))
        sources = [f"127.0.0.{k + 1}" for k in range(n_sources)] if n_sources > 1 else []
        for k in range(processes):
            spec = {
                "targets": targets[k::processes],
                "events": events,
                "kind": "question_approved",
                "ramp": ramp,
                "sources": sources,
                "max_failures": max_failures,
            }
            spec_path = work / f"client-{k}.json"
            spec_path.write_text(json.dumps(spec))
            self.procs.append(
                subprocess.Popen(
                    [PYTHON, str(HERE / "client.py"), str(spec_path)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    bufsize=1,
                    preexec_fn=raise_fd_limit,
                )
            )

    def _answer(self, proc, timeout: float) -> dict:
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("client process did not answer")
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"client process ended (exit {proc.wait()})")
        return json.loads(line)

    def wait_ready(self, timeout: float) -> list[dict]:
        deadline = time.monotonic() + timeout
        return [self._answer(p, max(0.1, deadline - time.monotonic()))["ready"] for p in self.procs]

    def ask(self, command: str, timeout: float = 60) -> list[dict]:
        for p in self.procs:
            p.stdin.write(command + "\n")
            p.stdin.flush()
        return [self._answer(p, timeout) for p in self.procs]

    def report(self) -> tuple[list[dict], list[list[int]]]:
        paths = [self.work / f"report-{k}.json" for k in range(len(self.procs))]
        for p, path in zip(self.procs, paths, strict=True):
            p.stdin.write(f"report {path}\n")
            p.stdin.flush()
        statuses, recv = [], None
        for p, path in zip(self.procs, paths, strict=True):
            self._answer(p, 120)
            data = json.loads(path.read_text())
            statuses.append(data["status"])
            recv = data["recv"] if recv is None else [a + b for a, b in zip(recv, data["recv"], strict=True)]
        return statuses, recv

    def close(self) -> None:
        for p in self.procs:
            try:
                p.stdin.write("close\n")
                p.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def total(statuses: list[dict], key: str) -> int:
    return sum(s[key] for s in statuses)


def measure(name: str, servers: list[Server], targets, trigger, args, work: Path) -> dict:
    """Connect every client, send the events through `trigger(i)`, collect the receive times."""
    n, events = len(targets), args.events
    rss_before = sum(s.status()[0] for s in servers)
    started = time.monotonic()
    clients = Clients(
        targets, events, args.client_processes, work, args.ramp, max(100, n // 20 // args.client_processes)
    )
    try:
        ready = clients.wait_ready(timeout=max(300.0, n / 20))
        connect_s = time.monotonic() - started
        connected = total(ready, "connected")
        failed: dict[str, int] = {}
        for r in ready:
            for reason, count in r["failed"].items():
                failed[reason] = failed.get(reason, 0) + count
        abandoned = total(ready, "abandoned")
        print(
            f"  {name}: {connected}/{n} connected in {connect_s:.1f} s"
            + (f", failed {failed}" if failed else "")
            + (f", {abandoned} not tried after too many failures" if abandoned else ""),
            flush=True,
        )
        time.sleep(args.settle)
        rss_connected = sum(s.status()[0] for s in servers)
        cpu_before = sum(s.status()[1] for s in servers)
        client_cpu_before = sum(proc_status(p.pid)[1] for p in clients.procs)
        threads = sum(s.status()[2] for s in servers)

        sends, trigger_ms, trigger_errors = [], [], []
        start = time.monotonic()
        for i in range(events):
            if len(trigger_errors) >= 3 and len(trigger_errors) == i:
                trigger_errors.append(f"events {i}..{events - 1}: not sent after 3 failed triggers in a row")
                break
            delay = start + i * args.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t0 = time.time_ns()
            try:
                trigger(i)
            except Exception as error:
                first_line = str(error).splitlines()[0] if str(error) else ""
                trigger_errors.append(f"event {i}: {type(error).__name__}: {first_line[:160]}")
            trigger_ms.append((time.time_ns() - t0) / 1e6)
            sends.append(t0)

        delivered_events = len(sends) - sum(1 for t in trigger_errors if t.startswith("event "))
        expected = connected * delivered_events
        last_change, seen = time.monotonic(), -1
        while True:
            received = total(clients.ask("status"), "received")
            if received >= expected:
                break
            if received != seen:
                seen, last_change = received, time.monotonic()
            elif time.monotonic() - last_change > args.wait:
                print(f"  {name}: gave up waiting, {received}/{expected} events received", flush=True)
                break
            time.sleep(0.2)
        cpu_after = sum(s.status()[1] for s in servers)
        client_cpu_after = sum(proc_status(p.pid)[1] for p in clients.procs)
        rss_after = sum(s.status()[0] for s in servers)
        statuses, recv = clients.report()
    finally:
        clients.close()

    latencies = [(t - sends[i]) / 1e6 for i, times in enumerate(recv) for t in times]
    held = total(statuses, "open")
    return {
        "name": name,
        "n": n,
        "connected": connected,
        "failed": failed,
        "held": held,
        "dropped": total(statuses, "dropped"),
        "complete": total(statuses, "complete"),
        "events": events,
        "received": len(latencies),
        "expected": expected,
        "processes": len(servers),
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies) if latencies else float("nan"),
        "rss_before_mb": rss_before / 1024,
        "rss_connected_mb": rss_connected / 1024,
        "rss_after_mb": rss_after / 1024,
        "kb_per_conn": (rss_after - rss_before) / max(connected, 1),
        "kb_per_conn_connected": (rss_connected - rss_before) / max(connected, 1),
        "cpu_ms_per_event": (cpu_after - cpu_before) * 1000 / events,
        "client_cpu_ms_per_event": (client_cpu_after - client_cpu_before) * 1000 / events,
        "connect_s": connect_s,
        "trigger_ms": statistics.median(trigger_ms),
        "trigger_errors": trigger_errors,
        "threads": threads,
        "abandoned": abandoned,
        "other_frames": total(statuses, "other_frames"),
    }


def check_log(name: str, log: str) -> list[str]:
    bad = [
        line
        for line in log.splitlines()
        if ("Traceback" in line or "ERROR" in line or "Exception" in line) and "graceful shutdown exceeded" not in line
    ]
    return [f"NOTE {name}: {len(bad)} error lines in the server log, e.g. {bad[0]!r}"] if bad else []


# The rows --------------------------------------------------------------------------------------------


def http_client(base_url: str):
    """Keep-alive httpx client with TCP_NODELAY: httpx writes a request's headers and body in two
    send() calls, and with Nagle the body would wait for the server's delayed ACK (up to 40 ms)."""
    import httpx

    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    return httpx.Client(base_url=base_url, timeout=30, follow_redirects=False, transport=transport)


def run_floor(args, work: Path) -> tuple[dict, list[str]]:
    port = free_port()
    server = Server("floor", [PYTHON, str(HERE / "floor.py"), str(port)], dict(os.environ), port, work)
    try:
        server.wait_listening()
        warm_stream(port, "/live/warm/stream/")
        with http_client(server.url) as trigger_client:

            def trigger(i: int) -> None:
                trigger_client.post("/publish", json={"text": f"bench {i}"}).raise_for_status()

            trigger_client.post("/publish", json={"text": "warm-up"}).raise_for_status()
            targets = [(HOST, port, f"/live/t{i}/stream/") for i in range(args.connections)]
            result = measure("floor", [server], targets, trigger, args, work)
    finally:
        log = server.stop()
    return result, check_log("floor", log)


def run_channels(args, work: Path, layer: str = "core") -> tuple[dict | None, list[str]]:
    label = "channels" if layer == "core" else f"channels-{layer}"
    try:
        import channels  # noqa: F401
        import channels_redis  # noqa: F401
        import redis
    except ImportError as error:
        return None, [f"NOTE {label}: skipped, {error} (install: .venv/bin/pip install -e '.[bench]')"]
    prefix = f"bench-fanout-{uuid.uuid4().hex[:8]}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as error:
        return None, [f"NOTE {label}: skipped, Redis at {REDIS_URL} unreachable ({error})"]
    port = free_port()
    env = dict(
        os.environ,
        BENCH_CHANNELS_PREFIX=prefix,
        BENCH_REDIS_URL=REDIS_URL,
        BENCH_CHANNELS_LAYER=layer,
        BENCH_CHANNELS_DB=str(work / "channels.sqlite3"),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = Server(label, uvicorn_argv("channels_app:application", port, "--app-dir", str(HERE)), env, port, work)
    try:
        server.wait_listening()
        status = warm_stream(port, "/live/warm/stream/")
        if " 200" not in status:
            raise RuntimeError(f"{label} stream answered {status!r}")
        with http_client(server.url) as trigger_client:

            def trigger(i: int) -> None:
                trigger_client.post("/publish", json={"text": f"bench {i}"}).raise_for_status()

            trigger_client.post("/publish", json={"text": "warm-up"}).raise_for_status()
            targets = [(HOST, port, f"/live/t{i}/stream/") for i in range(args.connections)]
            result = measure(label, [server], targets, trigger, args, work)
    finally:
        log = server.stop()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    return result, check_log(label, log)


def podium_env(data_dir: Path, database_url: str | None, redis_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="podium.settings",
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_RATE_LIMIT_ENABLED="false",
        PODIUM_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["PODIUM_DATABASE_URL"] = database_url
    if redis_url:
        env["PODIUM_REDIS_URL"] = redis_url
    return env


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


class Moderator:
    """An attendee who asks the questions and a moderator who approves them, over HTTP, like the pages do."""

    def __init__(self, base_url: str, setup: dict):
        import re

        self.event = setup["event"]
        self.asker = setup["asker"]
        self.staff = http_client(base_url)
        page = self.staff.get("/staff/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        done = self.staff.post(
            "/staff/login/",
            data={"username": setup["username"], "password": setup["password"], "csrfmiddlewaretoken": token},
        )
        if done.status_code != 302:
            raise RuntimeError(f"moderator login answered {done.status_code}")
        self.staff.get(f"/staff/live/{self.event}/").raise_for_status()  # the console; refreshes the cookie
        self.attendee = http_client(base_url)
        self.attendee.get(f"/live/{self.asker}/").raise_for_status()

    def ask(self, text: str) -> int:
        response = self.attendee.post(
            f"/live/{self.asker}/ask/",
            data={"text": text, "key": uuid.uuid4().hex},
            headers={"X-CSRFToken": self.attendee.cookies["csrftoken"], "X-Requested-With": "fetch"},
        )
        response.raise_for_status()
        return response.json()["id"]

    def approve(self, question: int) -> None:
        response = self.staff.post(
            f"/staff/live/{self.event}/questions/{question}/approve/",
            headers={"X-CSRFToken": self.staff.cookies["csrftoken"], "X-Requested-With": "fetch"},
        )
        response.raise_for_status()
        if response.json() != {"ok": True}:
            raise RuntimeError(f"approve answered {response.text[:200]}")

    def close(self) -> None:
        self.staff.close()
        self.attendee.close()


def run_podium(args, work: Path, processes: int, n: int) -> tuple[dict | None, list[str]]:
    label = "podium" if processes == 1 else f"podium x{processes}"
    if not (ROOT / "podium" / "live" / "urls.py").exists():
        return None, [f"NOTE {label}: Podium live stream not available yet (no podium/live/urls.py); skipped"]
    database_url = redis_url = None
    if processes > 1:
        try:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {PG_DB}")
        except Exception as error:
            return None, [f"NOTE {label}: skipped, PostgreSQL at {PG_ADMIN_URL} unreachable ({error})"]
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
        except Exception as error:
            return None, [f"NOTE {label}: skipped, Redis at {REDIS_URL} unreachable ({error})"]
        database_url, redis_url = f"postgres://postgres@127.0.0.1:5432/{PG_DB}", REDIS_URL
    data_dir = work / f"podium-data-{processes}"
    data_dir.mkdir()
    env = podium_env(data_dir, database_url, redis_url)
    servers, notes, moderator = [], [], None
    try:
        subprocess.run([PYTHON, "-m", "podium", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
        setup_path = work / f"podium-setup-{processes}.json"
        subprocess.run(
            [PYTHON, str(HERE / "podium_setup.py"), "setup", str(n), str(setup_path)], env=env, cwd=ROOT, check=True
        )
        setup = json.loads(setup_path.read_text())
        for k in range(processes):
            port = free_port()
            servers.append(Server(f"podium{k + 1}", uvicorn_argv("podium.asgi:application", port), env, port, work))
        for server in servers:
            server.wait_listening()
            status = warm_stream(server.port, f"/live/{setup['asker']}/stream/")
            if " 200" not in status:
                raise RuntimeError(f"{label}: the stream answered {status!r}")
        moderator = Moderator(servers[0].url, setup)
        moderator.approve(moderator.ask("warm-up question"))  # the publish path (and Redis) warm
        questions = [moderator.ask(f"bench {i}") for i in range(args.events)]
        time.sleep(0.5)
        targets = [
            (HOST, servers[i % processes].port, f"/live/{token}/stream/") for i, token in enumerate(setup["tokens"])
        ]
        result = measure(label, servers, targets, lambda i: moderator.approve(questions[i]), args, work)
        time.sleep(1)
        counts = subprocess.run(
            [PYTHON, str(HERE / "podium_setup.py"), "count", str(setup["event"])],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if counts.returncode == 0:
            result["db"] = json.loads(counts.stdout)
    finally:
        if moderator is not None:
            moderator.close()
        for server in servers:
            notes += check_log(server.name, server.stop())
        if processes > 1 and not args.keep:
            try:
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except Exception:
                pass
    return result, notes


# Report ----------------------------------------------------------------------------------------------


def print_table(rows: list[dict], floor: dict | None) -> None:
    print(
        f"\n{'row':<15} {'conns':>6} {'ok':>6} {'held/proc':>9} {'events':>6} {'all ev.':>7} | "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} | {'KB/conn':>7} | {'p99 xF':>6} {'mem xF':>6} | "
        f"{'CPU ms/ev':>9} {'client':>6} {'connect s':>9}"
    )
    for r in rows:
        p99x = r["p99"] / floor["p99"] if floor else float("nan")
        memx = r["kb_per_conn"] / floor["kb_per_conn"] if floor else float("nan")
        kb = f"{r['kb_per_conn']:>7.1f}"
        if r["connected"] < r["n"] // 2:  # a few connections: the memory per connection means nothing
            kb, memx = f"{'-':>7}", float("nan")
        print(
            f"{r['name']:<15} {r['n']:>6} {r['connected']:>6} {r['held'] // r['processes']:>9} {r['events']:>6} "
            f"{r['complete']:>7} | {r['p50']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f} | {kb} | "
            f"{p99x:>6.2f} {memx:>6.2f} | {r['cpu_ms_per_event']:>9.0f} {r['client_cpu_ms_per_event']:>6.0f} "
            f"{r['connect_s']:>9.1f}"
        )
    print(
        "\nall ev. = clients that received every event; held/proc = connections still open at the end, per "
        "server process; KB/conn = (VmRSS after the events - before connecting) / connections; xF = ratio to "
        "the floor; CPU ms/ev = server CPU time over the events phase / events; client = the same for the client "
        "processes."
    )
    for r in rows:
        extra = f", database {r['db']}" if "db" in r else ""
        print(
            f"  {r['name']}: {r['threads']} server threads while connected; "
            f"RSS {r['rss_before_mb']:.0f} -> {r['rss_connected_mb']:.0f} MB connected "
            f"({r['kb_per_conn_connected']:.1f} KB/conn) -> {r['rss_after_mb']:.0f} MB after events; "
            f"trigger request median {r['trigger_ms']:.1f} ms; {r['received']}/{r['expected']} (client, event) "
            f"pairs; dropped {r['dropped']}; other frames {r['other_frames']}{extra}"
        )
        for error in r["trigger_errors"][:3]:
            print(f"    trigger failed: {error}")


def verdicts(rows: dict, args) -> tuple[list[str], list[str]]:
    """(summary parts, MISSED lines)."""
    parts, missed = [], []
    floor, channels, podium, podium2 = (rows.get(k) for k in ("floor", "channels", "podium", "podium x2"))
    pubsub = rows.get("channels-pubsub")

    def ok(flag: bool) -> str:
        return "OK" if flag else "MISSED"

    for r in rows.values():
        if r["trigger_errors"]:
            word = "MISSED" if r["name"].startswith("podium") else "NOTE"
            missed.append(
                f"{word} {r['name']}: {len(r['trigger_errors'])} of {r['events']} triggers failed, "
                f"e.g. {r['trigger_errors'][0]}"
            )
        if r["complete"] != r["n"]:
            word = "MISSED" if r["name"].startswith("podium") else "NOTE"
            missed.append(f"{word} {r['name']}: {r['complete']}/{r['n']} clients received every event")
    if floor:
        parts.append(f"floor p99 {floor['p99']:.0f} ms, {floor['kb_per_conn']:.1f} KB/conn")
    if channels:
        parts.append(f"channels p99 {channels['p99']:.0f} ms, {channels['kb_per_conn']:.1f} KB/conn")
    if pubsub:
        parts.append(f"channels-pubsub p99 {pubsub['p99']:.0f} ms, {pubsub['kb_per_conn']:.1f} KB/conn")
    if podium:
        held = podium["complete"] == podium["n"] == podium["held"]
        parts.append(f"podium {podium['n']} in 1 process all delivered {ok(held)}")
        if floor:
            p99x, memx = podium["p99"] / floor["p99"], podium["kb_per_conn"] / floor["kb_per_conn"]
            parts.append(f"p99 {podium['p99']:.0f} ms = {p99x:.2f}x floor (<= 1.5x {ok(p99x <= 1.5)})")
            parts.append(f"{podium['kb_per_conn']:.1f} KB/conn = {memx:.2f}x floor (<= 2x {ok(memx <= 2)})")
            if p99x > 1.5:
                missed.append(f"MISSED podium p99 {p99x:.2f}x the floor's (target <= 1.5x)")
            if memx > 2:
                missed.append(f"MISSED podium memory per connection {memx:.2f}x the floor's (target <= 2x)")
        if channels:
            ahead = podium["p99"] < channels["p99"] and podium["kb_per_conn"] < channels["kb_per_conn"]
            parts.append(f"ahead of channels {ok(ahead)}")
        if pubsub:  # for information: the target names the default layer
            ahead = podium["p99"] < pubsub["p99"] and podium["kb_per_conn"] < pubsub["kb_per_conn"]
            parts.append(f"(ahead of channels-pubsub: {'yes' if ahead else 'no'})")
            if not ahead:
                missed.append(
                    f"MISSED podium not ahead of channels on both: p99 {podium['p99']:.0f} vs "
                    f"{channels['p99']:.0f} ms, {podium['kb_per_conn']:.1f} vs "
                    f"{channels['kb_per_conn']:.1f} KB/conn"
                )
        if not floor:
            parts.append("(no floor row in this run: the ratios are not judged)")
        if podium["n"] < args.target_connections:
            parts.append(f"(only {podium['n']} connections: the 10,000 target is not judged)")
    if podium2:
        held2 = podium2["complete"] == podium2["n"] == podium2["held"]
        figures = (
            f" (p99 {podium2['p99']:.0f} ms, {podium2['kb_per_conn']:.1f} KB/conn)"
            if podium2["received"]
            else f" ({podium2['connected']} connected)"
        )
        parts.append(f"podium x2 {podium2['n']} across 2 processes + Redis all delivered {ok(held2)}{figures}")
    return parts, missed


def main() -> None:
    raise_fd_limit()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=10000, help="streams per row (default 10000)")
    parser.add_argument(
        "--connections-x2",
        type=int,
        default=None,
        help="streams for Podium x2, across its two processes (default 2 x --connections)",
    )
    parser.add_argument("--events", type=int, default=20, help="approvals per row (default 20)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between events (default 0.5)")
    parser.add_argument(
        "--only",
        default="floor,channels,podium",
        help="rows to run, comma separated: floor, channels (both layers), channels-core, "
        "channels-pubsub, podium (both Podium rows), podium1, podium-x2",
    )
    parser.add_argument("--client-processes", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--ramp", type=int, default=128, help="connection attempts in flight per client process")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds between connecting and the first event")
    parser.add_argument(
        "--wait",
        type=float,
        default=20.0,
        help="give up when no event arrived for this long after the last one was sent",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database and the run's directory")
    parser.add_argument("--quick", action="store_true", help="1,000 connections (Podium x2: 2,000)")
    args = parser.parse_args()
    if args.quick:
        args.connections = 1000
    if args.connections_x2 is None:
        args.connections_x2 = 2 * args.connections
    args.target_connections = 10000
    names = {
        "floor": {"floor"},
        "channels": {"channels", "channels-pubsub"},
        "channels-core": {"channels"},
        "channels-pubsub": {"channels-pubsub"},
        "podium": {"podium", "podium-x2"},
        "podium1": {"podium"},
        "podium-x2": {"podium-x2"},
    }
    only = set()
    for name in args.only.split(","):
        if name.strip() not in names:
            parser.error(f"unknown row {name!r}; choose from {', '.join(names)}")
        only |= names[name.strip()]

    import django
    import uvicorn

    try:
        from importlib.metadata import version

        channels_version = f"channels {version('channels')}, channels-redis {version('channels-redis')}"
    except Exception:
        channels_version = "channels not installed"
    loop = "uvloop" if _installed("uvloop") else "asyncio"
    http = "httptools" if _installed("httptools") else "h11"
    print(
        f"Podium live fan-out – {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {django.get_version()}, uvicorn {uvicorn.__version__} "
        f"({loop} loop, {http}), {channels_version}"
    )
    print(
        f"{args.connections} connections per row (Podium x2: {args.connections_x2}), {args.events} events one every "
        f"{args.interval} s, {args.client_processes} client processes (epoll, raw sockets), file limit "
        f"{resource.getrlimit(resource.RLIMIT_NOFILE)[0]}; rows: {', '.join(sorted(only))}",
        flush=True,
    )

    work = Path(tempfile.mkdtemp(prefix="podium-bench-live-"))
    started = time.monotonic()
    rows, notes = {}, []
    try:
        plan = [
            ("floor", lambda: run_floor(args, work)),
            ("channels", lambda: run_channels(args, work)),
            ("channels-pubsub", lambda: run_channels(args, work, "pubsub")),
            ("podium", lambda: run_podium(args, work, 1, args.connections)),
            ("podium-x2", lambda: run_podium(args, work, 2, args.connections_x2)),
        ]
        for name, run in plan:
            if name not in only:
                continue
            print(f"\n-- {name}", flush=True)
            try:
                result, row_notes = run()
            except Exception as error:
                import traceback

                traceback.print_exc()
                result, row_notes = None, [f"MISSED {name}: the row failed: {type(error).__name__}: {str(error)[:300]}"]
            for note in row_notes:
                print(note, flush=True)
            notes += row_notes
            if result is not None:
                rows[result["name"]] = result
                print(
                    f"  {result['name']}: p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, max "
                    f"{result['max']:.1f} ms, {result['complete']}/{result['n']} got every event, "
                    f"{result['kb_per_conn']:.1f} KB/conn",
                    flush=True,
                )
    finally:
        if args.keep:
            print(f"run directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print_table(list(rows.values()), rows.get("floor"))
    parts, lines = verdicts(rows, args)
    missed = [line for line in notes + lines if line.startswith("MISSED")]
    for line in notes + lines:
        print(line)
    print(
        f"\nSUMMARY: {args.connections} connections, {args.events} events: {'; '.join(parts) or 'nothing measured'}; "
        f"{'all targets OK' if not missed else f'{len(missed)} MISSED'} ({time.monotonic() - started:.0f} s)"
    )
    sys.exit(1 if missed else 0)


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    main()
