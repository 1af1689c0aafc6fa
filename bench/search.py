#!/usr/bin/env python
"""Search over an archive of 10,000 events: full-text (FTS5 / PostgreSQL) against a plain LIKE search.

For each database a child process (Django in process, a temporary PODIUM_DATA_DIR, migrated
with call_command) builds the archive with bulk inserts, no signals: 25 series, 4,000 people
with one or two designations, 10,000 events (3–5 speakers each, drawn so that some people speak
often; 85 % listed, the rest drafts, unlisted or invitation-only) and a published press release
of 250–450 words for most past listed events (a few more left unpublished). Then
search_index_rebuild() indexes it, timed.

It then runs a few hundred queries of the kinds people type (family names, full names, the
first letters of a name, topic words, multi-word topics, word beginnings, and a few that find
nothing), interleaved, each one three ways:

* search    – what the results page asks of the index: search_results(limit=20), the 20 best
              hits with their snippets and the counts per kind, one SQL statement;
* page      – GET /search/?q=… through the whole stack (django.test.Client);
* baseline  – the same hits and counts by `icontains` over the same rows (every word in the
              title or body, title matches first): a LIKE scan, what one writes without an index.

It prints median, p95 and max in ms per backend, search/baseline as a ratio of medians, and
whether the target (search p95 < 50 ms) is met.

    .venv/bin/python bench/search.py                       # SQLite only, about 2 minutes; with PostgreSQL 8
    .venv/bin/python bench/search.py --postgres postgres://postgres@127.0.0.1:5432/podium_bench_search
    .venv/bin/python bench/search.py --events 2000 --rounds 1   # smoke run
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from event_page import percentile  # bench/ is the script's own folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
TARGET_P95_MS = 50.0
SEED = 20261129

GIVEN = [
    "Vladimir",
    "Ayesha",
    "Amir",
    "Shahid",
    "Atia",
    "Ali",
    "Sana",
    "Imran",
    "Farah",
    "Hassan",
    "Maria",
    "Olga",
    "Sergei",
    "Nadia",
    "Bilal",
    "Zainab",
    "Omar",
    "Fatima",
    "Kamran",
    "Rabia",
    "Dmitri",
    "Elena",
    "Tariq",
    "Hina",
    "Usman",
    "Saima",
    "Javed",
    "Mehreen",
    "Adnan",
    "Lubna",
    "Anatol",
    "Irina",
    "Faisal",
    "Nida",
    "Khalid",
    "Samina",
    "Yusuf",
    "Amna",
    "Rashid",
    "Sadia",
    "Pavel",
    "Tatiana",
    "Asad",
    "Mahnoor",
    "Haroon",
    "Sobia",
    "Iqbal",
    "Uzma",
    "Zafar",
    "Naila",
    "Ivan",
    "Ksenia",
    "Salman",
    "Erum",
    "Waqar",
    "Fouzia",
    "Arif",
    "Shazia",
    "Nasir",
    "Ghazala",
]
FAMILY = [
    "Kozin",
    "Siddiqa",
    "Yaqub",
    "Amin",
    "Kazmi",
    "Shah",
    "Malik",
    "Qureshi",
    "Hussain",
    "Rizvi",
    "Chaudhry",
    "Butt",
    "Sheikh",
    "Khan",
    "Abbasi",
    "Mirza",
    "Ivanov",
    "Petrova",
    "Sokolov",
    "Volkova",
    "Baig",
    "Haider",
    "Jafri",
    "Naqvi",
    "Bhatti",
    "Gillani",
    "Durrani",
    "Afridi",
    "Yousafzai",
    "Leghari",
    "Mazari",
    "Bugti",
    "Zehri",
    "Lodhi",
    "Tiwana",
    "Noon",
    "Kasuri",
    "Hayat",
    "Rehman",
    "Akhtar",
    "Karamat",
    "Mahmud",
    "Lavrov",
    "Trenin",
    "Kortunov",
    "Lukyanov",
    "Timofeev",
    "Karaganov",
    "Zaidi",
    "Hashmi",
    "Tirmizi",
    "Bukhari",
    "Gardezi",
    "Qizilbash",
    "Awan",
    "Janjua",
    "Minhas",
    "Warraich",
    "Cheema",
    "Gondal",
    "Ranjha",
    "Sial",
    "Bosan",
    "Khakwani",
    "Tareen",
    "Kakar",
    "Achakzai",
    "Mengal",
    "Marri",
    "Raisani",
    "Jamali",
    "Soomro",
    "Junejo",
    "Pirzada",
    "Memon",
    "Talpur",
    "Jatoi",
    "Mahar",
    "Shirazi",
    "Ansari",
]
HONORIFICS = [
    "Dr.",
    "Dr.",
    "Prof.",
    "Prof. Dr.",
    "Ambassador",
    "Brig",
    "Lt Gen",
    "Major General",
    "Mr.",
    "Ms.",
    "H.E.",
    "Air Marshal",
    "Vice Admiral",
    "",
]
POSITIONS = [
    "Senior Fellow",
    "Director",
    "Professor",
    "Research Associate",
    "Former Ambassador",
    "Adviser",
    "Senior Policy Analyst",
    "Head of Research",
    "Dean",
    "Visiting Scholar",
    "Chairman",
    "Editor",
]
ORGANISATIONS = [
    "NIPS",
    "MGIMO",
    "ISSI",
    "IPRI",
    "CISS",
    "Quaid-i-Azam University",
    "NUST",
    "LUMS",
    "Ministry of Foreign Affairs",
    "Valdai Discussion Club",
    "Russian International Affairs Council",
    "Institute of Regional Studies",
    "Centre for Aerospace and Security Studies",
    "SDPI",
    "Jinnah Institute",
    "Tabadlab",
    "Pakistan Institute of Development Economics",
    "Dawn",
    "Ministry of Planning",
    "National Defence University",
]
TOPICS = [
    ("Pakistan–Russia relations", "bilateral cooperation between Islamabad and Moscow"),
    ("Pakistan and Central Asia", "connectivity, trade corridors and energy links"),
    ("CPEC", "the China–Pakistan Economic Corridor and its second phase"),
    ("Water security", "the Indus Waters Treaty, glaciers and hydropolitics"),
    ("Climate finance", "adaptation funding, loss and damage and green bonds"),
    ("Maritime security", "the Arabian Sea, Gwadar and the Indian Ocean"),
    ("Nuclear deterrence", "strategic stability, arms control and missile defence"),
    ("Afghanistan", "stability, refugees and the border regions"),
    ("Cyber security", "critical infrastructure, norms and digital sovereignty"),
    ("Energy transition", "solar power, circular debt and the grid"),
    ("Food security", "wheat, irrigation and agricultural productivity"),
    ("Counter-terrorism", "extremism, policing and deradicalisation"),
    ("The Shanghai Cooperation Organisation", "regional security and economic integration"),
    ("Gulf relations", "remittances, investment and the Middle East"),
    ("Artificial intelligence", "governance, military applications and the economy"),
    ("Public health", "pandemic preparedness and health financing"),
    ("Higher education", "universities, research funding and brain drain"),
    ("Kashmir", "the Line of Control and diplomacy at the United Nations"),
    ("Space policy", "satellites, SUPARCO and outer space security"),
    ("Trade policy", "exports, tariffs and the IMF programme"),
    ("Urbanisation", "Karachi, housing and municipal governance"),
    ("Iran", "the gas pipeline, sanctions and the border"),
    ("India–Pakistan relations", "crisis stability and confidence-building measures"),
    ("United States policy", "Washington, aid and strategic partnership"),
    ("The European Union", "GSP Plus, migration and trade"),
    ("Multilateralism", "the United Nations, BRICS and a multipolar order"),
    ("Disinformation", "media, elections and information warfare"),
    ("Defence industry", "JF-17, exports and indigenisation"),
    ("Mineral resources", "Reko Diq, copper and investment"),
    ("Youth and employment", "skills, startups and the demographic dividend"),
]
ANGLES = [
    "Prospects of Bilateral Cooperation",
    "Challenges and Opportunities",
    "The Road Ahead",
    "Lessons of the Past Decade",
    "A Regional Perspective",
    "Policy Options for Pakistan",
    "Between Competition and Cooperation",
    "What Next?",
    "Risks and Responses",
    "Views from Moscow and Islamabad",
]
VERBS = ["argued", "stressed", "noted", "observed", "pointed out", "emphasised", "cautioned", "suggested"]
CLAIMS = [
    "that {topic} could not be separated from the wider question of {detail}",
    "that the past decade had changed how policymakers think about {detail}",
    "that {topic} demanded patient diplomacy rather than quick results",
    "that institutions, not personalities, would decide the future of {detail}",
    "that the private sector had a larger role to play in {detail} than was often assumed",
    "that public opinion on {topic} was more nuanced than the headlines suggested",
    "that regional partners should coordinate their positions on {detail}",
    "that data and research were missing from much of the debate on {topic}",
]
QUERY_TOPICS = [
    "security",
    "climate",
    "connectivity",
    "CPEC",
    "Afghanistan",
    "sanctions",
    "nuclear",
    "maritime",
    "Gwadar",
    "glaciers",
    "hydropolitics",
    "remittances",
    "BRICS",
    "disinformation",
    "Moscow",
    "Islamabad",
    "pipeline",
    "universities",
    "wheat",
    "solar",
    "extremism",
    "IMF",
    "Karachi",
    "Kashmir",
    "satellites",
    "multipolar",
    "deterrence",
    "refugees",
    "tariffs",
    "diplomacy",
]
QUERY_PHRASES = [
    "water security",
    "Pakistan Russia relations",
    "climate finance",
    "maritime security Indian Ocean",
    "energy transition grid",
    "food security wheat",
    "nuclear deterrence arms control",
    "Central Asia trade corridors",
    "cyber security norms",
    "Shanghai Cooperation Organisation",
    "public health financing",
    "India Pakistan crisis stability",
    "artificial intelligence governance",
    "Indus Waters Treaty",
    "Iran gas pipeline",
    "European Union GSP",
    "youth employment skills",
    "defence industry exports",
    "Reko Diq copper",
    "strategic partnership Washington",
]
QUERY_PREFIXES = [
    "hydro",
    "connect",
    "secur",
    "diplom",
    "sanct",
    "deter",
    "multil",
    "glac",
    "remit",
    "urban",
    "infra",
    "extrem",
    "satell",
    "pande",
    "indig",
]
QUERY_NOTHING = ["xylophone", "quantum chromodynamics", "zzzz", "Atlantis treaty", '"NEAR" OR *']


# The child: one database, Django in process -----------------------------------------------------


def build_archive(events_wanted: int, rng: random.Random) -> dict:
    """Bulk inserts, no signals: the index is built afterwards by search_index_rebuild()."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from podium.events.models import Event, Participation, Role, Series
    from podium.people.models import Designation, Person
    from podium.reports.models import Report, ReportVersion

    series = Series.objects.bulk_create(
        [
            Series(name=f"{name} Series", slug=f"series-{n}")
            for n, name in enumerate(
                [
                    "NIPS Lecture",
                    "Strategic Dialogue",
                    "Economy Roundtable",
                    "Climate Forum",
                    "Russia Desk",
                    "Central Asia Forum",
                    "China Studies",
                    "Maritime Affairs",
                    "Young Scholars",
                    "Ambassadors' Talks",
                    "Security Seminar",
                    "Water Forum",
                    "Energy Dialogue",
                    "Technology and Society",
                    "Health Policy",
                    "Education Forum",
                    "Gulf Studies",
                    "Europe Desk",
                    "Americas Desk",
                    "South Asia Forum",
                    "Defence Studies",
                    "Media Forum",
                    "Resources Forum",
                    "Youth Dialogue",
                    "Governance Forum",
                ]
            )
        ]
    )
    people = []
    pairs = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(pairs)
    for n, (given, family) in enumerate(pairs[:4000]):
        people.append(
            Person(
                honorific=rng.choice(HONORIFICS),
                retired=rng.random() < 0.15,
                given_names=given,
                family_name=family,
                slug=f"{given}-{family}-{n}".lower(),
                country="Pakistan",
                bio=f"{given} {family} works on {rng.choice(TOPICS)[1]}.",
            )
        )
    people = Person.objects.bulk_create(people, batch_size=500)
    designations = []
    for person in people:
        for order in range(1 + (rng.random() < 0.4)):
            designations.append(
                Designation(
                    person=person, position=rng.choice(POSITIONS), organisation=rng.choice(ORGANISATIONS), order=order
                )
            )
    Designation.objects.bulk_create(designations, batch_size=500)

    now = timezone.now()
    events, agendas = [], []
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(people))]  # some people speak often
    for n in range(events_wanted):
        topic, detail = rng.choice(TOPICS)
        start = now + timedelta(days=rng.randint(-3650, 120), hours=rng.randint(0, 23))
        past = start < now
        roll = rng.random()
        status = Event.Status.DRAFT if roll < 0.05 else (Event.Status.ENDED if past else Event.Status.ANNOUNCED)
        visibility = (
            Event.Visibility.UNLISTED
            if 0.05 <= roll < 0.10
            else Event.Visibility.INVITATION_ONLY
            if 0.10 <= roll < 0.15
            else Event.Visibility.PUBLIC
        )
        events.append(
            Event(
                series=rng.choice(series),
                title=f"{topic}: {rng.choice(ANGLES)}",
                slug=f"event-{n}",
                abstract=f"A webinar on {topic.lower()} and {detail}. Experts discuss where things stand and what "
                f"the next years may bring for {rng.choice(TOPICS)[1]}.",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                status=status,
                visibility=visibility,
            )
        )
        speakers = set()
        while len(speakers) < rng.randint(3, 5):
            speakers.add(rng.choices(range(len(people)), weights=weights)[0])
        agendas.append((topic, detail, [people[i] for i in speakers]))
    events = Event.objects.bulk_create(events, batch_size=500)
    roles = [Role.MODERATOR, Role.MAIN_SPEAKER, Role.DISCUSSANT, Role.DISCUSSANT, Role.CLOSING_REMARKS]
    participations = [
        Participation(
            event=event,
            person=person,
            role=roles[order],
            order=order,
            confirmation=Participation.Confirmation.CONFIRMED,
        )
        for event, (_, _, speakers) in zip(events, agendas, strict=True)
        for order, person in enumerate(speakers)
    ]
    Participation.objects.bulk_create(participations, batch_size=500)

    reported = [
        (event, agenda)
        for event, agenda in zip(events, agendas, strict=True)
        if event.status == Event.Status.ENDED and rng.random() < 0.75
    ]
    reports = Report.objects.bulk_create([Report(event=event) for event, _ in reported], batch_size=500)
    versions = []
    for report, (event, (topic, detail, speakers)) in zip(reports, reported, strict=True):
        paragraphs = [
            f"The NUST Institute of Policy Studies (NIPS) held a webinar on “{event.title}” to discuss {detail}."
        ]
        for person in speakers:
            mention = f"{person.honorific} {person.family_name}".strip()
            sentences = [
                f"{mention} {rng.choice(VERBS)} "
                + rng.choice(CLAIMS).format(topic=topic.lower(), detail=rng.choice([detail, rng.choice(TOPICS)[1]]))
                + "."
                for _ in range(rng.randint(3, 5))
            ]
            paragraphs.append(" ".join(sentences))
        versions.append(
            ReportVersion(
                report=report,
                number=1,
                headline=f"NIPS holds webinar on {topic}",
                body="\n\n".join(paragraphs),
                change="Written",
            )
        )
    versions = ReportVersion.objects.bulk_create(versions, batch_size=500)
    published = [
        (v.pk, v.pk if rng.random() < 0.95 else None, event.ends_at, report.pk)
        for v, report, (event, _) in zip(versions, reports, reported, strict=True)
    ]
    with connection.cursor() as cursor:  # one UPDATE per row in one executemany: bulk_update's CASE is slow
        cursor.executemany(
            f"UPDATE {Report._meta.db_table} SET current_version_id = %s, published_version_id = %s, "
            f"published_at = %s WHERE id = %s",
            published,
        )
    Report.objects.filter(published_version__isnull=False).update(status=Report.Status.PUBLISHED)
    words = sum(len(v.body.split()) for v in versions)
    return {
        "people": len(people),
        "events": len(events),
        "participations": len(participations),
        "reports": len(reports),
        "published": sum(1 for row in published if row[1]),
        "report_words_median": statistics.median(len(v.body.split()) for v in versions) if versions else 0,
        "report_words": words,
    }


def make_queries(rng: random.Random, count: int) -> list[tuple[str, str]]:
    from podium.people.models import Person

    speakers = list(
        Person.objects.filter(participations__isnull=False).distinct().values_list("given_names", "family_name")[:2000]
    )
    rng.shuffle(speakers)
    kinds = {
        "name": [family for _, family in speakers],
        "full name": [f"{given} {family}" for given, family in speakers],
        "name prefix": [family[: rng.randint(3, 4)].lower() for _, family in speakers],
        "topic word": QUERY_TOPICS,
        "multi-word": QUERY_PHRASES,
        "prefix": QUERY_PREFIXES,
        "nothing": QUERY_NOTHING,
    }
    shares = {
        "name": 0.15,
        "full name": 0.12,
        "name prefix": 0.13,
        "topic word": 0.22,
        "multi-word": 0.2,
        "prefix": 0.13,
        "nothing": 0.05,
    }
    queries = []
    for kind, share in shares.items():
        pool = kinds[kind]
        queries += [(kind, pool[n % len(pool)]) for n in range(round(count * share))]
    rng.shuffle(queries)
    return queries


def baseline_search(query: str) -> tuple[list, dict]:
    """What one writes without an index: every word in the title or the body, title matches first."""
    from django.db.models import Case, Count, IntegerField, Q, Value, When

    from podium.search.models import SearchEntry
    from podium.search.selectors import query_terms

    terms = query_terms(query)
    if not terms:
        return [], {}
    condition, in_title = Q(), Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
        in_title |= Q(title__icontains=term)
    rows = SearchEntry.objects.filter(condition)
    hits = list(
        rows.annotate(
            title_first=Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("title_first", "id")[:20]
    )
    counts = dict(rows.values_list("kind").annotate(n=Count("id")).order_by())
    return hits, counts


def child(database: str, events_wanted: int, query_count: int, rounds: int) -> dict:
    import types

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    from podium.core.models import Organisation
    from podium.search.models import SearchEntry
    from podium.search.selectors import search_results
    from podium.search.services import search_index_rebuild

    rng = random.Random(SEED)
    call_command("migrate", interactive=False, verbosity=0)
    Organisation.objects.update_or_create(
        pk=1,
        defaults=dict(name="NUST Institute of Policy Studies", short_name="NIPS", default_time_zone="Asia/Karachi"),
    )
    started = time.perf_counter()
    archive = build_archive(events_wanted, rng)
    archive["build_s"] = time.perf_counter() - started
    started = time.perf_counter()
    indexed = search_index_rebuild()
    archive["rebuild_s"] = time.perf_counter() - started
    archive["indexed"] = indexed
    # What autovacuum does soon after a rebuild on a live site; without it PostgreSQL's first
    # queries pay for setting hint bits on 18,000 fresh rows.
    connection.cursor().execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE search_searchentry")

    urls = types.ModuleType("bench_search_urls")
    urls.urlpatterns = [path("", include("podium.urls"))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    client = Client(HTTP_HOST="127.0.0.1")

    queries = make_queries(rng, query_count)

    def run_search(query):
        results = search_results(query=query, limit=20)
        return results.hits, results.counts

    def run_page(query):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, response.status_code
        return response

    ways = {"search": run_search, "page": run_page, "baseline": baseline_search}
    for _, query in queries[:50]:  # warm-up: caches, the query planner, the page's templates
        for way in ways.values():
            way(query)
    timings = {name: [] for name in ways}
    by_kind = {name: {} for name in ways}
    matched = []
    for round_ in range(rounds):
        for n, (kind, query) in enumerate(queries):
            # The LIKE scan is slow and steady: once over the queries is enough for its median.
            order = [(name, way) for name, way in ways.items() if name != "baseline" or round_ == 0]
            if (n + round_) % 2:
                order.reverse()  # neither way always runs on a cache warmed by the other
            for name, way in order:
                start = time.perf_counter()
                result = way(query)
                elapsed = (time.perf_counter() - start) * 1000
                timings[name].append(elapsed)
                by_kind[name].setdefault(kind, []).append(elapsed)
                if name == "search" and round_ == 0:
                    matched.append(sum(result[1].values()))
    with CaptureQueriesContext(connection) as ctx:
        run_page("security")
    page_queries = len(ctx)

    size = None
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", ["search_searchentry%"])
                size = cursor.fetchone()[0]
            except Exception:
                size = None
        else:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            size = cursor.fetchone()[0]

    return {
        "database": database,
        "vendor": connection.vendor,
        "server_version": connection.pg_version if connection.vendor == "postgresql" else None,
        "archive": archive,
        "entries": SearchEntry.objects.count(),
        "index_bytes": size,
        "queries": len(queries),
        "rounds": rounds,
        "page_queries": page_queries,
        "matched_median": statistics.median(matched),
        "matched_p95": percentile(matched, 0.95),
        "ways": {
            name: {"median": statistics.median(t), "p95": percentile(t, 0.95), "max": max(t)}
            for name, t in timings.items()
        },
        "by_kind": {name: {kind: statistics.median(t) for kind, t in kinds.items()} for name, kinds in by_kind.items()},
    }


# The parent: one child per database, then the table -------------------------------------------


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(
        (
            parts.scheme.replace("postgres", "postgresql", 1) if parts.scheme == "postgres" else parts.scheme,
            parts.netloc,
            "/postgres",
            "",
            "",
        )
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def run_child(database: str, url: str | None, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"podium-bench-search-{database}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_") or k == "PODIUM_TASKS_BACKEND"}
    env.update(
        DJANGO_SETTINGS_MODULE="podium.settings",
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_LOG_LEVEL="WARNING",
        PODIUM_RATE_LIMIT_ENABLED="false",
    )
    name = None
    if url:
        name = urlsplit(url).path.lstrip("/")
        if not name.replace("_", "").isalnum():
            raise SystemExit(f"Refusing the database name {name!r}: letters, digits and _ only.")
        env["PODIUM_DATABASE_URL"] = url
        pg_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg_admin(url, f"CREATE DATABASE {name}")
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
                "--events",
                str(args.events),
                "--queries",
                str(args.queries),
                "--rounds",
                str(args.rounds),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if url and not args.keep:
            pg_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the archive (default 10,000)")
    parser.add_argument("--queries", type=int, default=300, help="distinct queries (default 300)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed passes over the queries (default 3; the baseline runs in the first only)",
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also run on PostgreSQL: this database is created, used and dropped"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(child(args.child, args.events, args.queries, args.rounds)))
        return

    import sqlite3

    import django

    print(
        f"Podium search – {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"{args.events:,} events; {args.queries} queries × {args.rounds} rounds (baseline: 1), interleaved; times in ms"
    )
    databases = [("sqlite", None)]
    if args.postgres:
        databases.append(("postgresql", args.postgres))
    else:
        print("NOTE: SQLite only; --postgres URL adds PostgreSQL.")

    started, results, verdicts = time.monotonic(), [], []
    for database, url in databases:
        results.append(run_child(database, url, args))

    for result in results:
        archive, ways = result["archive"], result["ways"]
        indexed = archive["indexed"]
        print(
            f"\n== {result['database']}" + (f" (server {result['server_version']})" if result["server_version"] else "")
        )
        print(
            f"archive: {archive['events']:,} events, {archive['people']:,} people, {archive['participations']:,} "
            f"participations, {archive['published']:,} published press releases (median "
            f"{archive['report_words_median']:.0f} words), built in {archive['build_s']:.1f} s"
        )
        print(
            f"index: {indexed['event']:,} events + {indexed['person']:,} speakers + {indexed['report']:,} press "
            f"releases = {result['entries']:,} entries, rebuilt in {archive['rebuild_s']:.1f} s"
            + (f", {result['index_bytes'] / 2**20:.0f} MiB with the table" if result["index_bytes"] else "")
        )
        print(
            f"hits per query: median {result['matched_median']:.0f}, p95 {result['matched_p95']:.0f}; "
            f"the results page makes {result['page_queries']} SQL "
            f"{'query' if result['page_queries'] == 1 else 'queries'}"
        )
        print(f"{'way':<9} {'median':>8} {'p95':>8} {'max':>8} {'x baseline':>11}")
        base = ways["baseline"]["median"]
        for name in ("search", "page", "baseline"):
            way = ways[name]
            print(
                f"{name:<9} {way['median']:>8.2f} {way['p95']:>8.2f} {way['max']:>8.1f} {way['median'] / base:>11.3f}"
            )
        kinds = list(result["by_kind"]["search"])
        print(
            "median by kind of query (search / baseline): "
            + "; ".join(
                f"{kind} {result['by_kind']['search'][kind]:.1f}/{result['by_kind']['baseline'][kind]:.0f}"
                for kind in kinds
            )
        )
        met = ways["search"]["p95"] < TARGET_P95_MS
        verdicts.append((result["database"], met, ways["search"]["p95"], ways["search"]["median"] / base))
        print(
            f"target search p95 < {TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'} "
            f"({ways['search']['p95']:.1f} ms)"
        )

    parts = [
        f"{name} p95 {p95:.1f} ms, {ratio:.3f}x baseline median, target {'met' if met else 'NOT met'}"
        for name, met, p95, ratio in verdicts
    ]
    ok = all(met for _, met, _, _ in verdicts)
    print(
        f"\nSUMMARY: search over {args.events:,} events: {'; '.join(parts)}; "
        f"{'OK' if ok else 'FAIL'} ({time.monotonic() - started:.0f} s)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
