#!/usr/bin/env python
"""Registration throughput under concurrent clients, against a real uvicorn server.

For each database (SQLite, then PostgreSQL when reachable) the script makes a fresh
database, migrates it, creates the events it needs and starts
`python -m uvicorn podium.asgi:application --workers N` (no background worker) with the
per-IP rate limit off. Then, for each number of concurrent clients (keep-alive httpx
clients, threads in up to two processes), it alternates two measurements, several times:

* baseline: GET of the event page /events/<slug>/ (a read, no write);
* registration: POST of the registration form, every request a new email address,
  on a fresh event with a limited capacity, so both confirmed and waitlisted
  registrations are made.

It reports requests/second, p50 and p99 latency (medians over the repeats) and the
ratio registration/baseline throughput (median of the ratios of each repeat's pair).
Afterwards it checks in the database that no event has more confirmed registrations
than seats and that confirmed + waitlisted equals the requests sent.

    .venv/bin/python bench/registration_throughput.py                 # 1 worker, about 3 minutes
    .venv/bin/python bench/registration_throughput.py --workers 2     # 2 uvicorn workers
    .venv/bin/python bench/registration_throughput.py --workers 2 --new-connections
    .venv/bin/python bench/registration_throughput.py --quick         # smoke run, 30 s

With --workers 2, uvicorn's supervisor binds the listening socket itself and accepted
connections do not get TCP_NODELAY (uvicorn issue #3149): a keep-alive request whose
response is written in two parts waits ~40 ms for the client's delayed ACK.
--new-connections (Connection: close) avoids that and shows the servers' own speed.
"""

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "podium_bench"
PAGE_SLUG = "bench-page"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Helpers run in a subprocess with Django set up ---------------------------------------------


def internal_setup(spec: dict) -> None:
    """Create the organisation, the event whose page is the baseline and the registration events."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from podium.core.models import Organisation
    from podium.events.models import Event, Participation, Role, Series
    from podium.people.models import Designation, Person

    Organisation.objects.update_or_create(
        pk=1,
        defaults=dict(name="Bench Institute of Policy Studies", short_name="BIPS", default_time_zone="Asia/Karachi"),
    )
    series = Series.objects.create(
        name="Bench Lecture Series",
        slug="bench-series",
        description="Experts on topics of high contemporary relevance.",
    )
    now = timezone.now()

    def event(slug: str, capacity: int | None) -> Event:
        return Event.objects.create(
            series=series,
            slug=slug,
            title=f"Benchmark event {slug}",
            abstract="A webinar for the benchmark.",
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=30, hours=2),
            status=Event.Status.ANNOUNCED,
            visibility=Event.Visibility.PUBLIC,
            registration_mode=Event.RegistrationMode.OPEN,
            registration_opens_at=now - timedelta(days=1),
            capacity=capacity,
        )

    page = event(PAGE_SLUG, spec["capacity"])
    roles = [Role.MODERATOR, Role.MAIN_SPEAKER, Role.DISCUSSANT, Role.CLOSING_REMARKS]
    for n, role in enumerate(roles):
        person = Person.objects.create(
            honorific="Dr.",
            given_names=f"Speaker{n}",
            family_name="Bench",
            time_zone="Europe/Moscow" if n % 2 else "Asia/Karachi",
        )
        Designation.objects.create(person=person, position="Senior Fellow", organisation="BIPS", order=0)
        Participation.objects.create(
            event=page, person=person, role=role, order=n, confirmation=Participation.Confirmation.CONFIRMED
        )
    for slug in spec["slugs"]:
        event(slug, spec["capacity"])


def internal_count(slugs: list[str]) -> None:
    """Print {slug: {status: count}} as JSON."""
    import django

    django.setup()
    from django.db.models import Count

    from podium.registrations.models import Registration

    out = {slug: {} for slug in slugs}
    rows = (
        Registration.objects.filter(event__slug__in=slugs)
        .values_list("event__slug", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for slug, status, n in rows:
        out[slug][status] = n
    print(json.dumps(out))


def django_run(env: dict, *args: str) -> str:
    done = subprocess.run([PYTHON, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"helper {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# Load generator -------------------------------------------------------------------------------


def _client_process(base_url, mode, path, threads, counter, total, tag, new_connections, ready, go, results):
    import httpx

    collected, lock = [], threading.Lock()
    all_ready = threading.Barrier(threads + 1)

    def client_thread() -> None:
        local = []
        # Connection: close makes every request open a new TCP connection (--new-connections).
        headers = {"Connection": "close"} if new_connections else {}
        with httpx.Client(base_url=base_url, timeout=120, follow_redirects=False, headers=headers) as client:
            page = client.get(path)  # opens the connection; for registration, the csrf cookie and token
            token = TOKEN_RE.search(page.text).group(1) if mode == "register" else None
            all_ready.wait()
            go.wait()
            while True:
                with counter.get_lock():
                    i = counter.value
                    if i >= total:
                        break
                    counter.value = i + 1
                start = time.monotonic()
                try:
                    if mode == "register":
                        response = client.post(
                            path,
                            data={
                                "csrfmiddlewaretoken": token,
                                "name": f"Guest {i}",
                                "email": f"{tag}-{i}@bench.example.org",
                                "organisation": "Bench Institute",
                                "designation": "Fellow",
                                "segment": "expert",
                            },
                        )
                        client.cookies.delete("sessionid")  # the next request is a new visitor
                    else:
                        response = client.get(path)
                    status = response.status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                end = time.monotonic()
                local.append((end - start, end, status))
        with lock:
            collected.extend(local)

    pool = [threading.Thread(target=client_thread) for _ in range(threads)]
    for thread in pool:
        thread.start()
    all_ready.wait()
    ready.put(1)
    for thread in pool:
        thread.join()
    results.put(collected)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def drive(base_url: str, mode: str, path: str, clients: int, total: int, tag: str, new_connections: bool) -> dict:
    """`clients` concurrent keep-alive clients (threads in up to 2 processes) make `total` requests."""
    ctx = mp.get_context("fork")
    processes = 1 if clients == 1 else 2
    split = [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]
    counter, go = ctx.Value("q", 0), ctx.Event()
    ready, results = ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(
            target=_client_process,
            args=(base_url, mode, path, threads, counter, total, tag, new_connections, ready, go, results),
        )
        for threads in split
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    start = time.monotonic()
    go.set()
    samples = []
    for _ in procs:
        samples.extend(results.get(timeout=600))
    for proc in procs:
        proc.join()
    latencies = [s[0] for s in samples]
    wall = max(s[1] for s in samples) - start
    return {
        "n": len(samples),
        "rps": len(samples) / wall,
        "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "max": max(latencies) * 1000,
        "statuses": dict(Counter(str(s[2]) for s in samples)),
    }


# Server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict, workers: int, log_path: Path):
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "uvicorn",
                "podium.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-access-log",
                "--log-level",
                "warning",
                "--lifespan",
                "off",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/events/{PAGE_SLUG}/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"server did not start; log:\n{log_path.read_text()}")
            time.sleep(0.2)

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


# The benchmark ------------------------------------------------------------------------------


def postgres_reachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as error:
        print(f"NOTE: PostgreSQL at {PG_ADMIN_URL} is unreachable ({type(error).__name__}: {error}); skipping it.")
        return None


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def base_env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_") or k == "PODIUM_TASKS_BACKEND"}
    env.update(
        DJANGO_SETTINGS_MODULE="podium.settings",
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_RATE_LIMIT_ENABLED="false",
        PODIUM_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["PODIUM_DATABASE_URL"] = database_url
    return env


def bench_database(name: str, database_url: str | None, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"podium-bench-{name}-"))
    env = base_env(data_dir, database_url)
    runs = [(w, c, r) for w in args.workers for c in args.clients for r in range(args.repeats)]
    slug_of = {run: f"reg-w{run[0]}-c{run[1]}-r{run[2]}" for run in runs}
    warm_slugs = [f"warm-w{w}" for w in args.workers]
    try:
        if name == "postgresql":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {PG_DB}")
        subprocess.run([PYTHON, "-m", "podium", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
        spec = {"capacity": args.capacity, "slugs": [*warm_slugs, *slug_of.values()]}
        django_run(env, "--internal-setup", json.dumps(spec))

        results, server_problems = {}, []
        for workers in args.workers:
            server = Server(env, workers, data_dir / f"uvicorn-w{workers}.log")
            try:
                page, register = f"/events/{PAGE_SLUG}/", f"/events/warm-w{workers}/register/"
                fresh = args.new_connections
                drive(server.url, "get", page, 8, 200, "warm", fresh)  # warm every worker process
                drive(server.url, "register", register, 8, args.warmup, f"warm-w{workers}", fresh)
                for clients in args.clients:
                    for rep in range(args.repeats):
                        slug = slug_of[(workers, clients, rep)]
                        base = drive(server.url, "get", page, clients, args.requests, "page", fresh)
                        reg = drive(
                            server.url, "register", f"/events/{slug}/register/", clients, args.requests, slug, fresh
                        )
                        results[(workers, clients, rep)] = (base, reg)
                        print(
                            f"  {name:10} workers={workers} clients={clients:<3} rep={rep + 1}: "
                            f"page {base['rps']:7.1f}/s  register {reg['rps']:7.1f}/s  "
                            f"ratio {reg['rps'] / base['rps']:.2f}  register max {reg['max']:.0f} ms  "
                            f"statuses {reg['statuses']}",
                            flush=True,
                        )
            finally:
                log = server.stop()
            problems = [
                line for line in log.splitlines() if "Traceback" in line or "ERROR" in line or "Exception" in line
            ]
            if problems:
                server_problems.append((workers, len(problems), problems[:5]))

        counts = json.loads(django_run(env, "--internal-count", json.dumps([*warm_slugs, *slug_of.values()])))
        return {
            "results": results,
            "counts": counts,
            "slug_of": slug_of,
            "problems": server_problems,
            "warm_slugs": warm_slugs,
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if name == "postgresql" and not args.keep:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def report(name: str, data: dict, args) -> tuple[list[str], dict]:
    """Print the table and the checks of one database; returns FAIL lines and headline figures."""
    fails, headline = [], {}
    print(
        f"\n== {name}: capacity {args.capacity}, {args.requests} requests per run, medians of "
        f"{args.repeats} repeats (latencies in ms; max = worst registration of all repeats)"
        + ("; a new TCP connection per request" if args.new_connections else "; keep-alive connections")
    )
    print(
        f"{'workers':>7} {'clients':>7} | {'page req/s':>10} {'p50':>6} {'p99':>7} | "
        f"{'reg/s':>7} {'p50':>6} {'p99':>7} {'max':>7} | {'reg/page':>8} | {'non-302':>7}"
    )
    for workers in args.workers:
        for clients in args.clients:
            pairs = [data["results"][(workers, clients, rep)] for rep in range(args.repeats)]
            base, reg = [p[0] for p in pairs], [p[1] for p in pairs]

            def med(rows, key):
                return statistics.median(r[key] for r in rows)

            ratio = statistics.median(r["rps"] / b["rps"] for b, r in pairs)
            bad = sum(n for r in reg for status, n in r["statuses"].items() if status != "302")
            bad_get = sum(n for b in base for status, n in b["statuses"].items() if status != "200")
            print(
                f"{workers:>7} {clients:>7} | {med(base, 'rps'):>10.1f} {med(base, 'p50'):>6.1f} "
                f"{med(base, 'p99'):>7.1f} | {med(reg, 'rps'):>7.1f} {med(reg, 'p50'):>6.1f} "
                f"{med(reg, 'p99'):>7.1f} {max(r['max'] for r in reg):>7.0f} | {ratio:>8.2f} | {bad:>7}"
            )
            headline[(workers, clients)] = (med(reg, "rps"), ratio)
            if bad:
                statuses = Counter()
                for r in reg:
                    statuses.update({k: v for k, v in r["statuses"].items() if k != "302"})
                fails.append(
                    f"FAIL {name} workers={workers} clients={clients}: {bad} registration requests "
                    f"did not get the 302 redirect: {dict(statuses)}"
                )
            if bad_get:
                fails.append(f"FAIL {name} workers={workers} clients={clients}: {bad_get} event page GETs not 200")

    checked = 0
    for run, slug in data["slug_of"].items():
        counts = data["counts"][slug]
        confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
        ok_responses = data["results"][run][1]["statuses"].get("302", 0)
        checked += 1
        if confirmed > args.capacity:
            fails.append(f"FAIL {name} {slug}: {confirmed} confirmed > capacity {args.capacity}")
        if confirmed + waitlisted != args.requests:
            fails.append(
                f"FAIL {name} {slug}: confirmed {confirmed} + waitlisted {waitlisted} != "
                f"{args.requests} requests (302 responses: {ok_responses}, all statuses {counts})"
            )
        elif confirmed != min(args.capacity, args.requests):
            fails.append(f"FAIL {name} {slug}: only {confirmed} confirmed with seats free")
    for workers, n, sample in data["problems"]:
        fails.append(f"FAIL {name} workers={workers}: {n} error lines in the server log, e.g. {sample[0]!r}")
    print(
        f"checks: {checked} events, confirmed <= {args.capacity} and confirmed + waitlisted == "
        f"{args.requests}: {'OK' if not fails else 'see FAIL lines'}"
    )
    for line in fails:
        print(line)
    return fails, headline


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--internal-setup":
        return internal_setup(json.loads(sys.argv[2]))
    if len(sys.argv) > 2 and sys.argv[1] == "--internal-count":
        return internal_count(json.loads(sys.argv[2]))

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    parser.add_argument(
        "--workers",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1],
        help="uvicorn worker processes, comma separated (default 1; try 2 or 1,2)",
    )
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="send Connection: close, so every request opens a new TCP connection",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement (default 200)")
    parser.add_argument("--capacity", type=int, default=150, help="seats of each event (default 150)")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up registrations per server")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--quick", action="store_true", help="1 repeat, 60 requests, capacity 40")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.requests, args.capacity, args.warmup = 1, 60, 40, 10

    import sqlite3

    import django

    print(
        f"Podium registration throughput – {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"clients {args.clients}, uvicorn workers {args.workers}, {args.repeats} repeats of "
        f"{args.requests} requests, capacity {args.capacity}, "
        f"{'a new connection per request' if args.new_connections else 'keep-alive'}; "
        f"tasks backend {os.environ.get('PODIUM_TASKS_BACKEND', 'django_tasks_db (default)')}"
    )
    databases = [("sqlite", None)]
    if not args.no_postgres:
        version = postgres_reachable()
        if version:
            print(f"PostgreSQL {version}")
            databases.append(("postgresql", f"postgres://postgres@127.0.0.1:5432/{PG_DB}"))
    else:
        print("NOTE: PostgreSQL skipped (--no-postgres).")

    started = time.monotonic()
    all_fails, headlines = [], {}
    collected = {}
    for name, url in databases:
        print(f"\n-- {name}")
        collected[name] = bench_database(name, url, args)
    for name, data in collected.items():
        fails, headline = report(name, data, args)
        all_fails += fails
        headlines[name] = headline

    clients = max(c for c in args.clients if c <= 8) if any(c <= 8 for c in args.clients) else args.clients[0]
    parts = [
        f"{name} {h[(args.workers[0], clients)][0]:.0f} reg/s ({h[(args.workers[0], clients)][1]:.2f}x page)"
        for name, h in headlines.items()
    ]
    verdict = "all checks OK" if not all_fails else f"{len(all_fails)} FAIL"
    workers = f"{args.workers[0]} worker{'s' if args.workers[0] > 1 else ''}"
    print(
        f"\nSUMMARY: {clients} clients, {workers}: {'; '.join(parts)}; {verdict} ({time.monotonic() - started:.0f} s)"
    )
    sys.exit(1 if all_fails else 0)


if __name__ == "__main__":
    main()
