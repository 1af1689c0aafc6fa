"""Shared fixtures: an organisation, people and events built the way the demo builds them, and a browser."""

import os
from datetime import timedelta
from itertools import count

import pytest
from django.core import mail
from django.utils import timezone

from podium.core.models import Organisation
from podium.events.models import Event, Participation, Role, Series
from podium.mail.services import outbox_sweep
from podium.people.models import Designation, Person
from tests.support.browser import CHROMIUM, SHOTS

_serial = count(1)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected (not skipped) when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep = [item for item in items if "postgres" not in item.keywords]
    dropped = [item for item in items if "postgres" in item.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PODIUM_RATE_LIMIT_ENABLED = False
    settings.SITE_URL = "http://testserver"
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="NUST Institute of Policy Studies",
        short_name="NIPS",
        parent_name="National University of Sciences and Technology (NUST)",
        default_time_zone="Asia/Karachi",
        press_contact_email="media@nips.example.org",
    )


@pytest.fixture
def series(db):
    return Series.objects.create(
        name="NIPS Lecture Series",
        slug="nips-lecture-series",
        description="Experts on topics of high contemporary relevance.",
    )


@pytest.fixture
def make_event(db, series):
    def make(**fields) -> Event:
        n = next(_serial)
        start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
        defaults = dict(
            series=series,
            title=f"Event {n}",
            slug=f"event-{n}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone="Asia/Karachi",
            status=Event.Status.ANNOUNCED,
            visibility=Event.Visibility.PUBLIC,
            registration_mode=Event.RegistrationMode.OPEN,
        )
        defaults.update(fields)
        return Event.objects.create(**defaults)

    return make


@pytest.fixture
def make_person(db):
    def make(family_name="Person", designations=(), **fields) -> Person:
        person = Person.objects.create(family_name=family_name, **fields)
        for order, (position, organisation, comma) in enumerate(designations):
            Designation.objects.create(
                person=person, position=position, organisation=organisation, comma=comma, order=order
            )
        return person

    return make


@pytest.fixture
def add_speaker(make_person):
    def add(event, role=Role.DISCUSSANT, order=0, **person_fields) -> Participation:
        person_fields.setdefault("family_name", f"Speaker{next(_serial)}")
        person_fields.setdefault("designations", [("Senior Fellow", "NIPS", True)])
        person = make_person(**person_fields)
        return Participation.objects.create(
            event=event, person=person, role=role, order=order, confirmation=Participation.Confirmation.CONFIRMED
        )

    return add


@pytest.fixture
def deliver():
    """Run the outbox sweep the worker runs, and return what reached the (locmem) mail server."""

    def run():
        outbox_sweep()
        return list(mail.outbox)

    return run


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--disable-sync",
                ],
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo_site(live_server, settings, transactional_db):
    """The demo on a live server, the staff user's password known to the browser tests."""
    from django.contrib.auth import get_user_model

    from podium.demo.loader import demo_load

    settings.SITE_URL = live_server.url
    demo_load()
    user = get_user_model().objects.get(username="staff")
    user.set_password("browser-test-pw")
    user.save()
    SHOTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback (aiosmtpd) that Django sends to; tests may stop and start it."""
    from tests.support.smtp_sink import SMTPServer

    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.inbox.release.set()
    if server.controller:
        server.stop()
