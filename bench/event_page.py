#!/usr/bin/env python
"""Server time of the public event page with 10 and 100 participants, in process.

Django runs in this process (DJANGO_SETTINGS_MODULE=podium.settings, a temporary
PODIUM_DATA_DIR, migrated with call_command) and django.test.Client renders:

* ping       – a tiny view added for the benchmark (HttpResponse("ok")) behind the site's
               whole middleware stack: the baseline every figure is divided by;
* 404        – the site's own 404 page (base template, no database work);
* event-10   – /events/<slug>/ with 10 agenda entries;
* event-100  – the same with 100 agenda entries;
* event-10+c – event-10 on a new database connection, as the real server (CONN_MAX_AGE=0)
               serves every request; the test client otherwise keeps one connection.

Each agenda entry is a Person with one or two Designations. Requests are interleaved
(ping, 404, event-10, event-100, ping, ...) so the machine's noise spreads over all pages
alike. The SQL queries of one request are counted with CaptureQueriesContext.

SQLite always; PostgreSQL (database podium_bench2) when 127.0.0.1:5432 answers.

    .venv/bin/python bench/event_page.py
    .venv/bin/python bench/event_page.py --requests 50 --no-postgres
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "podium_bench2"
PAGES = ["ping", "404", "event-10", "event-100", "event-10+c"]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


# The child: one database, Django in process -----------------------------------------------------


def build_event(slug: str, participants: int):
    from datetime import timedelta

    from django.utils import timezone

    from podium.events.models import Event, Participation, Role, Series
    from podium.people.models import Designation, Person

    series, _ = Series.objects.get_or_create(
        slug="bench-series",
        defaults=dict(name="Bench Lecture Series", description="Experts on topics of high contemporary relevance."),
    )
    now = timezone.now()
    event = Event.objects.create(
        series=series,
        slug=slug,
        title=f"Benchmark event with {participants} participants",
        abstract="A webinar on connectivity, trade and security.\n\nSecond paragraph of the abstract.",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=2),
        status=Event.Status.ANNOUNCED,
        visibility=Event.Visibility.PUBLIC,
        capacity=100,
        registration_mode=Event.RegistrationMode.OPEN,
        registration_opens_at=now - timedelta(days=1),
    )
    honorifics = ["Dr.", "Brig", "Ambassador", "Prof.", "Ms.", "Mr."]
    for n in range(participants):
        role = (
            Role.MODERATOR
            if n == 0
            else Role.CLOSING_REMARKS
            if n == participants - 1
            else Role.MAIN_SPEAKER
            if n < 3
            else Role.DISCUSSANT
        )
        person = Person.objects.create(
            honorific=honorifics[n % len(honorifics)],
            retired=n % 5 == 1,
            given_names=f"Given{n}",
            family_name=f"{slug.title()}{n}",
            time_zone="Europe/Moscow" if n % 3 == 0 else "Asia/Karachi",
        )
        Designation.objects.create(person=person, position="Senior Fellow", organisation="NIPS", order=0)
        if n % 2:
            Designation.objects.create(
                person=person, position="Adviser", organisation="Ministry of Planning", comma=False, order=1
            )
        Participation.objects.create(
            event=event, person=person, role=role, order=n, confirmation=Participation.Confirmation.CONFIRMED
        )
    return event


def child(database: str, requests: int, warmup: int) -> dict:
    import types

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    from podium.core.models import Organisation

    call_command("migrate", interactive=False, verbosity=0)
    Organisation.objects.update_or_create(
        pk=1,
        defaults=dict(name="NUST Institute of Policy Studies", short_name="NIPS", default_time_zone="Asia/Karachi"),
    )
    small, large = build_event("event-ten", 10), build_event("event-hundred", 100)

    def ping(request):
        return HttpResponse("ok", content_type="text/plain")

    urls = types.ModuleType("bench_event_page_urls")
    urls.urlpatterns = [path("bench/ping/", ping), path("", include("podium.urls"))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__

    client = Client(HTTP_HOST="127.0.0.1")  # in ALLOWED_HOSTS; "testserver" is not
    pages = {  # name: (url, status, open a new database connection first)
        "ping": ("/bench/ping/", 200, False),
        "404": ("/bench/no-such-page/", 404, False),
        "event-10": (f"/events/{small.slug}/", 200, False),
        "event-100": (f"/events/{large.slug}/", 200, False),
        "event-10+c": (f"/events/{small.slug}/", 200, True),
    }
    sizes, queries, agenda_entries = {}, {}, {}
    for name, (url, expected, _) in pages.items():
        for _ in range(warmup):
            response = client.get(url)
            assert response.status_code == expected, (name, response.status_code)
        sizes[name] = len(response.content)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[name] = len(ctx)
        agenda_entries[name] = response.content.count(b'class="agenda-person"')

    timings = {name: [] for name in pages}
    for _ in range(requests):
        for name, (url, expected, reconnect) in pages.items():
            if reconnect:
                connection.close()
            start = time.perf_counter()
            response = client.get(url)
            timings[name].append((time.perf_counter() - start) * 1000)
            if response.status_code != expected:
                raise SystemExit(f"{name}: status {response.status_code}")

    # What the real server adds per request: CONN_MAX_AGE=0 opens a connection for each one.
    connects = []
    for _ in range(50):
        connection.close()
        start = time.perf_counter()
        connection.ensure_connection()
        connects.append((time.perf_counter() - start) * 1000)

    return {
        "database": database,
        "vendor": connection.vendor,
        "server_version": connection.pg_version if connection.vendor == "postgresql" else None,
        "pages": {
            name: {
                "median": statistics.median(t),
                "p90": percentile(t, 0.9),
                "queries": queries[name],
                "bytes": sizes[name],
                "agenda_entries": agenda_entries[name],
            }
            for name, t in timings.items()
        },
        "connect_ms": statistics.median(connects),
    }


# The parent: one child per database, then the table -------------------------------------------


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception as error:
        print(f"NOTE: PostgreSQL at {PG_ADMIN_URL} is unreachable ({type(error).__name__}: {error}); skipping it.")
        return False


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def run_child(database: str, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"podium-bench-page-{database}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_") or k == "PODIUM_TASKS_BACKEND"}
    env.update(
        DJANGO_SETTINGS_MODULE="podium.settings",
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_LOG_LEVEL="WARNING",
        PODIUM_RATE_LIMIT_ENABLED="false",
    )
    if database == "postgresql":
        env["PODIUM_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_DB}")
    out = data_dir / "result.json"
    try:
        subprocess.run(
            [
                PYTHON,
                __file__,
                "--child",
                database,
                "--out",
                str(out),
                "--requests",
                str(args.requests),
                "--warmup",
                str(args.warmup),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if database == "postgresql" and not args.keep:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(child(args.child, args.requests, args.warmup)))
        return

    import sqlite3

    import django

    print(
        f"Podium event page – {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(f"{args.requests} timed requests per page after {args.warmup} warm-up, interleaved; times in ms")
    databases = ["sqlite"]
    if args.no_postgres:
        print("NOTE: PostgreSQL skipped (--no-postgres).")
    elif postgres_reachable():
        databases.append("postgresql")

    started, results, problems = time.monotonic(), [], []
    for database in databases:
        results.append(run_child(database, args))

    for result in results:
        pages = result["pages"]
        ping = pages["ping"]["median"]
        print(
            f"\n== {result['database']}" + (f" (server {result['server_version']})" if result["server_version"] else "")
        )
        print(f"{'page':<10} {'entries':>7} {'median':>7} {'p90':>7} {'x ping':>7} {'queries':>7} {'KiB':>6}")
        for name in PAGES:
            page = pages[name]
            print(
                f"{name:<10} {page['agenda_entries']:>7} {page['median']:>7.2f} {page['p90']:>7.2f} "
                f"{page['median'] / ping:>7.1f} {page['queries']:>7} {page['bytes'] / 1024:>6.1f}"
            )
        per_entry = (pages["event-100"]["median"] - pages["event-10"]["median"]) / 90
        print(
            f"each further agenda entry: {per_entry:.3f} ms; event-100 / event-10: "
            f"{pages['event-100']['median'] / pages['event-10']['median']:.2f}x; "
            f"opening a database connection: {result['connect_ms']:.2f} ms (event-10+c - event-10: "
            f"{pages['event-10+c']['median'] - pages['event-10']['median']:.2f} ms)"
        )
        if pages["event-100"]["queries"] != pages["event-10"]["queries"]:
            problems.append(
                f"{result['database']}: queries grow with participants "
                f"({pages['event-10']['queries']} -> {pages['event-100']['queries']})"
            )
        for name, entries in (("event-10", 10), ("event-100", 100)):
            if pages[name]["agenda_entries"] != entries:
                problems.append(f"{result['database']}: {name} shows {pages[name]['agenda_entries']} agenda entries")
    for line in problems:
        print(f"FAIL {line}")

    parts = [
        f"{r['database']} {r['pages']['event-10']['median']:.1f}/{r['pages']['event-100']['median']:.1f} ms "
        f"({r['pages']['event-10']['median'] / r['pages']['ping']['median']:.1f}x/"
        f"{r['pages']['event-100']['median'] / r['pages']['ping']['median']:.1f}x ping, "
        f"{r['pages']['event-10']['queries']}/{r['pages']['event-100']['queries']} queries)"
        for r in results
    ]
    print(
        f"\nSUMMARY: event page with 10/100 participants: {'; '.join(parts)}; "
        f"{'OK' if not problems else f'{len(problems)} FAIL'} ({time.monotonic() - started:.0f} s)"
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
