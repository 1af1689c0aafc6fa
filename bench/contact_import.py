#!/usr/bin/env python
"""Importing 10,000 contacts from a CSV file, against a bare csv-module + bulk_create loop.

The parent writes a realistic 10,000-row CSV (the columns of an old mailing tool's export: title,
names, designation, organisation, email, country, category, tags, consent, plus a phone column
that is ignored) and, for each database (SQLite, then PostgreSQL `podium_bench_import` when
127.0.0.1:5432 answers), runs every measurement in a child process on a FRESH database (a copy of
a migrated SQLite file; CREATE DATABASE ... TEMPLATE on PostgreSQL):

* import   – the full path the staff page and `podium import-contacts` take, in the foreground:
             spreadsheet_read (decode, sniff, parse) -> contact_import_create (rows stored) ->
             contact_import_map (the dry run: every row cleaned, duplicates, directory lookup) ->
             contact_import_start -> contact_import_run (checks again, then 20 chunks of 500 rows:
             people, designations, tags and their links, each chunk its own transaction).
* reimport – the same people again (same names and emails, other titles, designations, countries,
             categories, tags and consent) on the database the import just filled: all 10,000 are
             matched by email and updated (timed in the same child, after `import`).
* baseline – a bare loop: csv.DictReader over the same file and Person.objects.bulk_create of
             bare Person rows (names, email, country, a made-up unique slug), batches of 500,
             one transaction: no validation, no designations, no tags.

Runs alternate baseline / import per repeat (--repeats, default 3) and the figures are medians.
The import must stay under 20 s (exit status 1 otherwise); the ratio import / baseline is the
figure to compare between machines.

--xlsx (a few seconds, no database) times only the reading of an ordinary 5,000-row Excel workbook:
spreadsheet_read (the zip's sizes and ratio, every XML part streamed through expat for cell lengths
and rows, then openpyxl read-only and the rows of text) against bare openpyxl read-only over the same
file (load_workbook, iter_rows(values_only=True) into a list). Run it with PYTHONPATH pointing at an
older checkout to time that one's spreadsheet_read ("before").

    .venv/bin/python bench/contact_import.py
    .venv/bin/python bench/contact_import.py --rows 2000 --repeats 1 --no-postgres
    .venv/bin/python bench/contact_import.py --xlsx
"""

import argparse
import csv
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

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "podium_bench_import"
LIMIT_SECONDS = 20.0

GIVEN = [
    "Amir",
    "Tariq",
    "Imran",
    "Faisal",
    "Kamran",
    "Asad",
    "Bilal",
    "Hamza",
    "Usman",
    "Zubair",
    "Atia",
    "Sana",
    "Ayesha",
    "Fatima",
    "Maryam",
    "Hina",
    "Sadia",
    "Nadia",
    "Rabia",
    "Saima",
    "Dmitri",
    "Elena",
    "Wei",
    "Lin",
    "Nurlan",
    "Aigerim",
    "Ayşe",
    "Mehmet",
    "Thomas",
    "Eleanor",
]
FAMILY = [
    "Khan",
    "Qureshi",
    "Malik",
    "Chaudhry",
    "Butt",
    "Sheikh",
    "Siddiqui",
    "Abbasi",
    "Rana",
    "Awan",
    "Kazmi",
    "Bukhari",
    "Gillani",
    "Hashmi",
    "Rizvi",
    "Naqvi",
    "Mirza",
    "Baig",
    "Durrani",
    "Afridi",
    "Voronov",
    "Zhang",
    "Abenov",
    "Yılmaz",
    "Müller",
    "Whitfield",
]
TITLES = ["Dr.", "Prof.", "Mr.", "Ms.", "Brig (Retd)", "Lt Gen", "Air Cdre", "Ambassador", "H.E.", "Engr", ""]
POSITIONS = [
    "Senior Policy Analyst",
    "Director General",
    "Associate Professor",
    "Chief Executive Officer",
    "Senior Correspondent",
    "Research Fellow",
    "Consul General",
    "MPhil Scholar",
    "Adviser",
]
ORGANISATIONS = [
    "NUST Institute of Policy Studies",
    "Ministry of Foreign Affairs",
    "Quaid-i-Azam University",
    "National Defence University",
    "Margalla Capital",
    "Daily Capital Times",
    "Embassy of Kazakhstan, Islamabad",
    "Sustainable Development Policy Institute",
]
COUNTRIES = ["Pakistan"] * 8 + ["Russia", "China", "Kazakhstan", "Türkiye", "United Kingdom"]
CATEGORIES = [
    "Statesman or official",
    "Serving defence official",
    "Former defence official",
    "Diplomat",
    "Business leader",
    "Expert",
    "Scholar",
    "Academic",
    "Student",
    "Media",
    "Journalist",
]
TAGS = ["CPEC working group", "Moscow alumni", "Central Asia network", "Energy roundtable", "Climate and water"]
HEADINGS = [
    "Title",
    "First Name",
    "Last Name",
    "Designation",
    "Organization",
    "Email Address",
    "Country",
    "Category",
    "Tags",
    "Consent",
    "Phone",
]


def write_csv(path: Path, rows: int, variant: int = 0) -> None:
    """The same people (names, emails) in every variant; their other values differ between variants."""
    names, rnd = random.Random(10_000), random.Random(10_000 + variant)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADINGS)
        for n in range(rows):
            given, family = names.choice(GIVEN), names.choice(FAMILY)
            local = f"{given}.{family}".lower().translate(str.maketrans({"ş": "s", "ı": "i", "ü": "u"}))
            writer.writerow(
                [
                    rnd.choice(TITLES),
                    given,
                    family,
                    rnd.choice(POSITIONS),
                    rnd.choice(ORGANISATIONS),
                    f"{local}.{n}@example.org",
                    rnd.choice(COUNTRIES),
                    rnd.choice(CATEGORIES),
                    "; ".join(rnd.sample(TAGS, rnd.choice([0, 1, 1, 2]))),
                    rnd.choice(["Yes", "Yes", "No", ""]),
                    f"+92 300 {rnd.randint(1000000, 9999999)}",
                ]
            )


# The child: Django in process on one fresh database -------------------------------------------------


def _query_counter():
    counted = {"n": 0}

    def count(execute, sql, params, many, context):
        counted["n"] += 1
        return execute(sql, params, many, context)

    return counted, count


def child_import(path: Path) -> dict:
    import django

    django.setup()
    from django.db import connection

    from podium.imports import services
    from podium.imports.spreadsheet import spreadsheet_read
    from podium.people.models import Designation, Person

    counted, count = _query_counter()
    phases = {}
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        sheet = spreadsheet_read(name=path.name, data=path.read_bytes())
        phases["parse"] = time.perf_counter() - start
        contact_import = services.contact_import_create(file_name=path.name, sheet=sheet)
        mark = time.perf_counter()
        check = services.contact_import_map(contact_import=contact_import, mapping=contact_import.mapping)
        phases["dry run"] = time.perf_counter() - mark
        mark = time.perf_counter()
        services.contact_import_start(contact_import=contact_import, enqueue=False)
        services.contact_import_run(import_id=contact_import.pk)
        phases["run"] = time.perf_counter() - mark
        seconds = time.perf_counter() - start
        queries = counted["n"]

        contact_import.refresh_from_db()
        result = {
            "seconds": seconds,
            "phases": phases,
            "queries": queries,
            "problems": check.problem_rows,
            "created": contact_import.created_count,
            "people": Person.objects.count(),
            "designations": Designation.objects.count(),
            "tag_links": Person.tags.through.objects.count(),
        }
        # Again, onto the directory it just filled: every row matches someone and updates them.
        counted["n"] = 0
        start = time.perf_counter()
        changed = path.with_name("contacts-changed.csv")
        again = services.contact_import_create(
            file_name=changed.name, sheet=spreadsheet_read(name=changed.name, data=changed.read_bytes())
        )
        services.contact_import_map(contact_import=again, mapping=again.mapping)
        services.contact_import_start(contact_import=again, enqueue=False)
        services.contact_import_run(import_id=again.pk)
        result["reimport_seconds"] = time.perf_counter() - start
        result["reimport_queries"] = counted["n"]
    again.refresh_from_db()
    result["reimport_updated"] = again.updated_count
    result["people_after_reimport"] = Person.objects.count()
    return result


def child_baseline(path: Path) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction

    from podium.people.models import Person

    counted, count = _query_counter()
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        with path.open(encoding="utf-8", newline="") as source, transaction.atomic():
            people = [
                Person(
                    given_names=row["First Name"],
                    family_name=row["Last Name"],
                    email=row["Email Address"],
                    country=row["Country"],
                    slug=f"bench-{n}",
                )
                for n, row in enumerate(csv.DictReader(source))
            ]
            Person.objects.bulk_create(people, batch_size=500)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "queries": counted["n"], "people": Person.objects.count()}


def child_migrate() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    info = {"vendor": connection.vendor}
    if connection.vendor == "postgresql":
        info["server"] = connection.pg_version
    connection.close()
    return info


# Reading an .xlsx, without a database ----------------------------------------------------------------


def write_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    csv_path = path.with_suffix(".csv")
    write_csv(csv_path, rows)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    with csv_path.open(encoding="utf-8", newline="") as source:
        for record in csv.reader(source):
            sheet.append(record)
    workbook.save(path)


def xlsx_read(rows: int, repeats: int) -> None:
    import io
    import warnings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-bench-xlsx-")
    import django
    import openpyxl

    django.setup()
    from podium.imports import spreadsheet

    work = Path(tempfile.mkdtemp(prefix="podium-bench-xlsx-file-"))
    try:
        path = work / "contacts.xlsx"
        write_xlsx(path, rows)
        data = path.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def bare():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            values = list(workbook.worksheets[0].iter_rows(values_only=True))
            workbook.close()
        return len(values)

    def podium():
        return len(spreadsheet.spreadsheet_read(name="contacts.xlsx", data=data).rows) + 1

    check = getattr(spreadsheet, "_xlsx_check", None)
    kinds = {"bare openpyxl": bare, "spreadsheet_read": podium}
    if check:
        kinds["the checks alone"] = lambda: check(data)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(repeats):
        for kind, run in kinds.items():
            start = time.perf_counter()
            run()
            times[kind].append(time.perf_counter() - start)
    assert bare() == podium() == rows + 1, "both must read every row"
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    source = Path(spreadsheet.__file__).resolve().parent.parent.parent
    print(f"Reading a {rows:,}-row .xlsx ({len(data) / 1024:.0f} KB), podium from {source}; medians of {repeats}:")
    for kind, seconds in medians.items():
        print(f"  {kind:<18} {seconds:.3f} s  {seconds / medians['bare openpyxl']:.2f}x bare")
    print(f"SUMMARY: spreadsheet_read / bare openpyxl = {medians['spreadsheet_read'] / medians['bare openpyxl']:.2f}")


# The parent ---------------------------------------------------------------------------------------


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


def run_child(kind: str, env: dict, csv_path: Path, out: Path) -> dict:
    subprocess.run(
        [PYTHON, __file__, "--child", kind, "--csv", str(csv_path), "--out", str(out)], env=env, cwd=ROOT, check=True
    )
    return json.loads(out.read_text())


def measure(database: str, csv_path: Path, work: Path, repeats: int) -> dict:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    base_env.update(DJANGO_SETTINGS_MODULE="podium.settings", PODIUM_LOG_LEVEL="WARNING")
    template_dir = work / f"{database}-template"
    env = {**base_env, "PODIUM_DATA_DIR": str(template_dir), "PODIUM_DATABASE_URL": ""}
    template_db = f"{PG_DB}_template"
    if database == "postgresql":
        pg_admin(f"DROP DATABASE IF EXISTS {template_db} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {template_db}")
        env["PODIUM_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{template_db}"
    info = run_child("migrate", env, csv_path, work / "migrate.json")

    runs = {"import": [], "baseline": []}
    try:
        for repeat in range(repeats):
            order = ["baseline", "import"] if repeat % 2 == 0 else ["import", "baseline"]
            for kind in order:
                data_dir = work / f"{database}-{kind}-{repeat}"
                data_dir.mkdir()
                run_env = {**base_env, "PODIUM_DATA_DIR": str(data_dir), "PODIUM_DATABASE_URL": ""}
                if database == "sqlite":
                    shutil.copy(template_dir / "podium.sqlite3", data_dir / "podium.sqlite3")
                else:
                    pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                    pg_admin(f"CREATE DATABASE {PG_DB} TEMPLATE {template_db}")
                    run_env["PODIUM_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
                result = run_child(kind, run_env, csv_path, data_dir / "result.json")
                runs[kind].append(result)
                print(f"  {database} {kind} #{repeat + 1}: {result['seconds']:.2f} s", flush=True)
                shutil.rmtree(data_dir, ignore_errors=True)
    finally:
        if database == "postgresql":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            pg_admin(f"DROP DATABASE IF EXISTS {template_db} WITH (FORCE)")
    return {"database": database, "info": info, **runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the generated CSV (default 10,000)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh-database runs of each kind (default 3)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="time only reading a 5,000-row .xlsx (no database)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run = {"import": child_import, "baseline": child_baseline}.get(args.child)
        result = run(Path(args.csv)) if run else child_migrate()
        Path(args.out).write_text(json.dumps(result))
        return
    if args.xlsx:
        xlsx_read(rows=5_000 if args.rows == 10_000 else args.rows, repeats=max(args.repeats, 5))
        return

    import sqlite3

    import django

    print(
        f"Podium contact import – {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )
    databases = ["sqlite"]
    if args.no_postgres:
        print("NOTE: PostgreSQL skipped (--no-postgres).")
    elif postgres_reachable():
        databases.append("postgresql")

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="podium-bench-import-"))
    try:
        csv_path = work / "contacts.csv"
        write_csv(csv_path, args.rows)
        write_csv(csv_path.with_name("contacts-changed.csv"), args.rows, variant=1)
        print(
            f"{args.rows:,} rows, {csv_path.stat().st_size / 1024 / 1024:.1f} MB; {args.repeats} run(s) of each "
            "kind, each on a fresh database; medians in seconds"
        )
        results = [measure(database, csv_path, work, args.repeats) for database in databases]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    problems, parts = [], []
    print(
        f"\n{'database':<11} {'baseline':>9} {'import':>8} {'ratio':>6} {'parse':>6} {'dry run':>8} {'run':>6} "
        f"{'rows/s':>7} {'queries':>8} {'reimport':>9} {'queries':>8}"
    )
    for result in results:
        database, imports, baselines = result["database"], result["import"], result["baseline"]
        base = statistics.median(r["seconds"] for r in baselines)
        seconds = statistics.median(r["seconds"] for r in imports)
        reimport = statistics.median(r["reimport_seconds"] for r in imports)
        phase = {name: statistics.median(r["phases"][name] for r in imports) for name in ("parse", "dry run", "run")}
        print(
            f"{database:<11} {base:>9.2f} {seconds:>8.2f} {seconds / base:>5.1f}x {phase['parse']:>6.2f} "
            f"{phase['dry run']:>8.2f} {phase['run']:>6.2f} {args.rows / seconds:>7.0f} {imports[0]['queries']:>8} "
            f"{reimport:>9.2f} {imports[0]['reimport_queries']:>8}"
        )
        last = imports[-1]
        print(
            f"{'':<11} imported: {last['created']:,} people, {last['designations']:,} designations, "
            f"{last['tag_links']:,} tag links; reimport updated {last['reimport_updated']:,}, people after it "
            f"{last['people_after_reimport']:,}; baseline inserted {baselines[-1]['people']:,} in "
            f"{baselines[-1]['queries']} queries"
        )
        if seconds > LIMIT_SECONDS:
            problems.append(f"{database}: import took {seconds:.1f} s, over the {LIMIT_SECONDS:g} s target")
        for r in imports:
            if (
                r["created"] != args.rows
                or r["people_after_reimport"] != args.rows
                or r["reimport_updated"] != args.rows
            ):
                problems.append(
                    f"{database}: expected {args.rows} people created and updated, got {r['created']} / "
                    f"{r['people_after_reimport']} / {r['reimport_updated']}"
                )
                break
        parts.append(
            f"{database} {seconds:.1f} s vs baseline {base:.2f} s ({seconds / base:.1f}x), reimport {reimport:.1f} s"
        )
    for line in problems:
        print(f"FAIL {line}")
    print(
        f"\nSUMMARY: import of {args.rows:,} contacts: {'; '.join(parts)}; target < {LIMIT_SECONDS:g} s: "
        f"{'OK' if not problems else f'{len(problems)} FAIL'} ({time.monotonic() - started:.0f} s)"
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
