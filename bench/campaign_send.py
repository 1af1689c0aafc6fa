#!/usr/bin/env python
"""A 10,000-recipient invitation campaign, rendered and delivered, against a bare smtplib loop.

An SMTP sink runs in its own process (aiosmtpd's Sink handler on loopback: it accepts and
discards). For each database (SQLite, then PostgreSQL `podium_bench_campaign` when 127.0.0.1:5432
answers), in a child process with Django set up on a fresh database:

* campaign – 10,000 people in the directory, two segments selected; the clock runs from
             campaign_schedule() to the campaign's status "sent": choosing the audience,
             creating 10,000 invitations, rendering 10,000 personal emails (text and HTML,
             recipient's time zone, agenda, RSVP and unsubscribe links, List-Unsubscribe
             headers), persisting them to the outbox and delivering them in batches over one
             SMTP connection per batch, each marked sent as the server accepts it.
             PODIUM_CAMPAIGN_BATCH_PAUSE=0 (throttling off: we measure the work, not the pause).
* baseline – a bare loop: the same 10,000 messages (subject, text, HTML, headers taken from the
             outbox rows the campaign made), built and serialised BEFORE the clock starts, then
             sent with smtplib.sendmail over ONE connection: the transport alone, no database,
             no rendering, no MIME building.

Runs alternate baseline, campaign, baseline, campaign... (--repeats, default 1) and the figures
are medians. The ratio campaign / baseline is the figure to compare: target ≤ 2.

    .venv/bin/python bench/campaign_send.py
    .venv/bin/python bench/campaign_send.py --recipients 2000 --no-postgres
"""

import argparse
import email.policy
import json
import os
import platform
import shutil
import socket
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
PG_DB = "podium_bench_campaign"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The child: Django in process on one fresh database -------------------------------------------------


def populate(recipients: int):
    from datetime import timedelta

    from django.utils import timezone

    from podium.core.models import Organisation
    from podium.events.models import Event, Participation, Role, Series
    from podium.people.models import Designation, Person

    Organisation.objects.create(
        name="NUST Institute of Policy Studies", short_name="NIPS", parent_name="NUST", default_time_zone="Asia/Karachi"
    )
    series = Series.objects.create(name="NIPS Lecture Series", slug="nips")
    start = timezone.now() + timedelta(days=14)
    event = Event.objects.create(
        series=series,
        slug="bench",
        title="Pakistan–Russia Relations: Prospects and Challenges",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=Event.Status.ANNOUNCED,
        registration_mode=Event.RegistrationMode.OPEN,
    )
    for order, (role, name) in enumerate(
        [
            (Role.MODERATOR, "Yaqub"),
            (Role.MAIN_SPEAKER, "Kozin"),
            (Role.DISCUSSANT, "Amin"),
            (Role.CLOSING_REMARKS, "Director"),
        ]
    ):
        person = Person.objects.create(honorific="Dr.", given_names="Speaker", family_name=name)
        Designation.objects.create(person=person, position="Director", organisation="NIPS", comma=False)
        Participation.objects.create(event=event, person=person, role=role, order=order)
    honorifics = ["Dr.", "Brig", "Ambassador", "Prof.", "H.E.", ""]
    zones = ["Asia/Karachi", "Europe/Moscow", "", "Europe/London"]
    Person.objects.bulk_create(
        [
            Person(
                honorific=honorifics[n % 6],
                retired=n % 7 == 1,
                given_names=f"Given{n}",
                family_name=f"Family{n}",
                slug=f"p-{n}",
                email=f"person{n}@example.org",
                segment="diplomat" if n % 2 else "expert",
                time_zone=zones[n % 4],
            )
            for n in range(recipients)
        ],
        batch_size=1000,
    )
    return event


def run_campaign(event, recipients: int) -> float:
    from podium.campaigns import delivery, services
    from podium.campaigns.models import Campaign

    body = (
        "Dear {{ recipient_name }},\n\n{{ organisation_name }} has the honour to invite you to a webinar, "
        "“{{ event_title }}”, on {{ event_date }}.\n\n{{ agenda }}\n\n"
        "Please let us know whether you can attend:\nAccept: {{ rsvp_link }}\nDecline: {{ decline_link }}\n\n"
        "With regards,\nEvents team"
    )
    campaign = services.campaign_save(
        event=event,
        name=f"Bench {time.time()}",
        subject="Invitation: {{ event_title }}",
        body=body,
        segments=["diplomat", "expert"],
    )
    started = time.perf_counter()
    services.campaign_schedule(campaign=campaign)
    result = delivery.campaign_run(campaign_id=campaign.pk)
    elapsed = time.perf_counter() - started
    campaign.refresh_from_db()
    sent = campaign.recipients.filter(message__status="sent").count()
    if result != "sent" or campaign.status != Campaign.Status.SENT or sent != recipients:
        raise SystemExit(f"campaign did not finish: {result}, {campaign.status}, {sent} of {recipients} sent")
    return elapsed


def run_baseline(port: int) -> float:
    import smtplib
    from email.message import EmailMessage

    from podium.mail.models import Message

    rows = list(
        Message.objects.filter(kind="campaign_invitation")
        .order_by("pk")
        .values("from_email", "to_email", "to_name", "subject", "body_text", "body_html", "headers", "message_id")[
            :args_recipients
        ]
    )
    # Built and serialised before the clock starts: the baseline is the transport alone.
    prepared = []
    for row in rows:
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = row["subject"], row["from_email"], row["to_email"]
        message["Message-ID"] = row["message_id"]
        for name, value in row["headers"].items():
            message[name] = value
        message.set_content(row["body_text"])
        message.add_alternative(row["body_html"], subtype="html")
        prepared.append((row["from_email"], row["to_email"], message.as_bytes(policy=email.policy.SMTP)))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, recipient, data in prepared:
            smtp.sendmail(sender, [recipient], data)
    return time.perf_counter() - started


args_recipients = 0


def child(database_url: str, port: int, recipients: int, repeats: int) -> None:
    global args_recipients
    args_recipients = recipients
    data_dir = tempfile.mkdtemp(prefix="podium-bench-campaign-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "podium.settings",
            "PODIUM_DATA_DIR": data_dir,
            "PODIUM_DATABASE_URL": database_url,
            "PODIUM_SMTP_HOST": "127.0.0.1",
            "PODIUM_SMTP_PORT": str(port),
            "PODIUM_SMTP_STARTTLS": "false",
            "PODIUM_CAMPAIGN_BATCH_PAUSE": "0",
            "PODIUM_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    event = populate(recipients)
    campaign_times, baseline_times = [], []
    for _ in range(repeats):
        baseline_times.append(run_baseline(port) if campaign_times else None)
        campaign_times.append(run_campaign(event, recipients))
        baseline_times[-1] = baseline_times[-1] or run_baseline(port)
    print(json.dumps({"vendor": connection.vendor, "campaign": campaign_times, "baseline": baseline_times}))
    shutil.rmtree(data_dir, ignore_errors=True)


# The parent: sink, databases, table ------------------------------------------------------------------


def postgres_ready() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        return True
    except Exception as error:
        print(f"PostgreSQL skipped: {error}")
        return False


def postgres_drop() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DATABASE_URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.recipients, args.repeats)
        return 0

    port = free_port()
    sink = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        databases = [("sqlite", "")]
        if not args.no_postgres and postgres_ready():
            databases.append(("postgresql", f"postgres://postgres@127.0.0.1:5432/{PG_DB}"))
        print(
            f"{args.recipients} recipients, {args.repeats} repeat(s); Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs"
        )
        results, ok = [], True
        for name, url in databases:
            out = subprocess.run(
                [
                    PYTHON,
                    __file__,
                    "--child",
                    url,
                    str(port),
                    "--recipients",
                    str(args.recipients),
                    "--repeats",
                    str(args.repeats),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if out.returncode:
                print(f"{name}: FAILED\n{out.stdout}{out.stderr[-3000:]}")
                ok = False
                continue
            data = json.loads(out.stdout.strip().splitlines()[-1])
            campaign, baseline = statistics.median(data["campaign"]), statistics.median(data["baseline"])
            ratio = statistics.median(c / b for c, b in zip(data["campaign"], data["baseline"], strict=True))
            results.append((name, campaign, baseline, ratio))
            if name == "postgresql":
                postgres_drop()
        print(f"\n{'database':<11} | {'campaign s':>10} | {'msg/s':>7} | {'baseline s':>10} | {'msg/s':>7} | ratio")
        for name, campaign, baseline, ratio in results:
            print(
                f"{name:<11} | {campaign:>10.2f} | {args.recipients / campaign:>7.0f} | {baseline:>10.2f} | "
                f"{args.recipients / baseline:>7.0f} | {ratio:.2f}"
            )
        summary = "; ".join(f"{n} {c:.1f} s vs smtplib {b:.1f} s = {r:.2f}x" for n, c, b, r in results)
        verdict = all(r <= 2 for *_, r in results) and ok
        print(f"\nSUMMARY: {args.recipients} invitations: {summary}; target ≤ 2x: {'OK' if verdict else 'MISSED'}")
        return 0 if verdict else 1
    finally:
        sink.terminate()
        sink.wait(5)


if __name__ == "__main__":
    sys.exit(main())
