"""The `podium` command: the demo, `podium run` serving it from an empty data directory, and `podium run` and
`podium worker` with Redis set but down."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from podium.demo.loader import demo_load
from podium.events.models import Event
from podium.events.selectors import agenda_groups, event_get
from podium.mail.models import Message
from podium.registrations.models import Registration
from tests.support.processes import database_url, wait_for

EXPECTED_AGENDA = [
    ("moderator", "Brig (Retd) Amir Yaqub, Director NIPS"),
    (
        "main_speaker",
        "Dr. Vladimir Kozin, Leading Expert, Center for Military-Political Studies, Moscow State "
        "Institute of International Relations (MGIMO) of the Ministry of Foreign Affairs of the "
        "Russian Federation",
    ),
    ("discussant", "Ambassador (Retd) Shahid M Amin, veteran diplomat and author"),
    ("discussant", "Major General (Retd) Inam ul Haque"),
    ("discussant", "Dr. Atia Ali Kazmi, Senior Policy Analyst, NIPS"),
    ("discussant", "Mr. Ali Shah, Head of Research, NIPS"),
    (
        "closing_remarks",
        "Dr. Ashfaque Hasan Khan, Principal, NUST School of Social Sciences & Humanities, and Director-General NIPS",
    ),
]


@pytest.mark.django_db
def test_demo_has_the_pakistan_russia_webinar_exactly_as_written():
    assert "password:" in demo_load()
    staff = get_user_model().objects.get(username="staff")
    assert "password:" not in demo_load()  # running it again updates in place, and keeps the password
    assert get_user_model().objects.get(username="staff").password == staff.password
    event = event_get(slug="pakistan-russia-relations")
    agenda = [(p.role, p.person.first_mention) for group in agenda_groups(event=event) for p in group.participations]
    assert agenda == EXPECTED_AGENDA
    assert [p.person.time_zone for p in event.agenda if p.role == "main_speaker"] == ["Europe/Moscow"]
    upcoming = Event.objects.get(slug="pakistan-central-asia-connectivity")
    assert upcoming.registration_is_open() and upcoming.capacity == 5
    assert upcoming.registrations.count() == 3
    assert Event.objects.get(slug="cpec-second-phase-roundtable").registrations.filter(status="pending").count() == 4


@pytest.mark.django_db
def test_demo_live_now_keeps_the_staff_password():
    """Issue 13, item 9: after `podium demo --live-now` the password printed by the first start still signs in."""
    import io

    from django.core.management import call_command

    password = re.search(r"password: (\S+)", demo_load()).group(1)
    out = io.StringIO()
    call_command("demo", live_now=True, stdout=out)
    assert password not in out.getvalue() and "password:" not in out.getvalue()
    assert "user: staff" in out.getvalue()  # it says which account, and that the password is unchanged
    assert get_user_model().objects.get(username="staff").check_password(password)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def podium_run(tmp_path, **env) -> tuple[subprocess.Popen, str]:
    """`podium run` on an empty data directory of its own; its address once it answers."""
    environment = {**os.environ, "PODIUM_DATA_DIR": str(tmp_path / "var"), "PODIUM_DATABASE_URL": "", **env}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "podium", "run", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            httpx.get(base + "/", timeout=5)
            return server, base
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"podium run did not start:\n{server.communicate(timeout=20)[0]}")
            time.sleep(0.3)


def test_podium_run_serves_the_demo_from_an_empty_data_directory(tmp_path):
    server, base = podium_run(tmp_path)
    try:
        home = httpx.get(base + "/", timeout=10)
        assert home.status_code == 200
        assert "NIPS Lecture Series" in home.text
        page = httpx.get(base + "/events/pakistan-russia-relations/", timeout=10).text
        names = [first.split(",")[0] for _, first in EXPECTED_AGENDA]
        positions = [page.index(name) for name in names]
        assert positions == sorted(positions)
        assert "Director NIPS" in page and "Head of Research, NIPS" in page
        assert httpx.get(base + "/static/podium/podium.css", timeout=5).status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "Background worker started" in output
    # The sign-in line points at this server's own port, not the default 8000.
    assert re.search(rf"Staff login: {re.escape(base)}/staff/  user: staff  password: \S+", output), output
    assert not (tmp_path / "var" / "staff-login.txt").exists()  # the password is written nowhere


def test_podium_run_prints_the_demo_password_only_when_it_creates_the_account(tmp_path):
    """Issue 12, item 5: a later start printed the same password again, for anyone who sees the log."""
    first, _ = podium_run(tmp_path)
    first.terminate()
    created = first.communicate(timeout=20)[0]
    password = re.search(r"password: (\S+)", created).group(1)
    again, base = podium_run(tmp_path)
    try:
        login = httpx.get(base + "/staff/login/", timeout=10)
        assert login.status_code == 200
    finally:
        again.terminate()
        output = again.communicate(timeout=20)[0]
    assert password not in output and "password:" not in output


def test_podium_run_and_its_worker_carry_on_with_redis_set_but_down(tmp_path):
    """PODIUM_REDIS_URL names a Redis that is not there: the demo loads (saving the organisation forgets
    its cached copy), the site answers, and the worker delivers the demo's emails."""
    server, base = podium_run(tmp_path, PODIUM_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    try:
        assert httpx.get(base + "/", timeout=10).status_code == 200
        assert httpx.get(base + "/events/pakistan-russia-relations/", timeout=10).status_code == 200
        mail = tmp_path / "var" / "mail"
        assert wait_for(lambda: mail.is_dir() and any(mail.iterdir()), timeout=60)
        assert server.poll() is None
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "Background worker started" in output and "Redis cannot be reached" in output


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_and_sends_email_with_redis_set_but_down(tmp_path, make_event, organisation):
    """The periodic jobs render emails with the organisation (read through the cache): with Redis
    away they read it from the database, and the worker finishes its run."""
    start = timezone.now() + timedelta(minutes=30)  # the one-hour reminder is due
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2))
    Registration.objects.create(
        event=event,
        name="Attendee",
        email="a@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now() - timedelta(days=1),
    )
    env = {
        **os.environ,
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_DATABASE_URL": database_url(),
        "PODIUM_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "podium", "worker", "--batch"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    reminder = Message.objects.get(kind="event_reminder", to_email="a@example.org")
    assert organisation.name in reminder.from_email
    assert "Periodic job" not in result.stderr and "Redis cannot be reached" in result.stderr


def test_check_deploy_with_https_warns_only_about_hsts_preload(tmp_path):
    """docs/deploy.md, section 4: with PODIUM_HTTPS=true the deploy checks pass but for security.W021."""
    environment = {
        **os.environ,
        "PODIUM_DATA_DIR": str(tmp_path / "var"),
        "PODIUM_DATABASE_URL": "",
        "PODIUM_HTTPS": "true",
        "PODIUM_DEBUG": "",
        "PODIUM_ALLOWED_HOSTS": "events.example.org",
    }
    environment.pop("PODIUM_HSTS_PRELOAD", None)
    result = subprocess.run(
        [sys.executable, "-m", "podium", "check", "--deploy"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert re.findall(r"\(([a-z_.]+\.[WE]\d+)\)", output) == ["security.W021"], output
    assert "System check identified 1 issue (0 silenced)." in output
