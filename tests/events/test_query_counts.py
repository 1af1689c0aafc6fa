"""List pages keep a constant number of queries however many events and speakers they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.events.models import Role

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    client.get(url)  # warm caches that are per-process, not per-request (organisation)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def populate(make_event, add_speaker, events: int, speakers: int, past: bool = False):
    from datetime import timedelta

    from django.utils import timezone

    made = []
    for _ in range(events):
        kwargs = {}
        if past:
            start = timezone.now() - timedelta(days=30)
            kwargs = dict(starts_at=start, ends_at=start + timedelta(hours=2))
        event = make_event(**kwargs)
        add_speaker(event, Role.MODERATOR, order=0)
        for n in range(speakers):
            add_speaker(
                event,
                Role.DISCUSSANT,
                order=n + 1,
                designations=[("Fellow", "NIPS", True), ("Adviser", "Ministry", True)],
            )
        made.append(event)
    return made


def test_home_queries_do_not_grow_with_events_and_speakers(client, organisation, make_event, add_speaker):
    populate(make_event, add_speaker, events=1, speakers=1)
    populate(make_event, add_speaker, events=1, speakers=1, past=True)
    few = queries(client, "/")
    populate(make_event, add_speaker, events=8, speakers=6)
    populate(make_event, add_speaker, events=8, speakers=6, past=True)
    assert queries(client, "/") == few


def test_series_page_queries_do_not_grow(client, organisation, series, make_event, add_speaker):
    url = reverse("public:series", args=[series.slug])
    populate(make_event, add_speaker, events=1, speakers=1)
    populate(make_event, add_speaker, events=1, speakers=1, past=True)
    few = queries(client, url)
    populate(make_event, add_speaker, events=10, speakers=5)
    populate(make_event, add_speaker, events=5, speakers=5, past=True)
    assert queries(client, url) == few


def test_event_page_queries_do_not_grow_with_speakers(client, organisation, make_event, add_speaker):
    small, large = make_event(capacity=10), make_event(capacity=10)
    add_speaker(small, Role.MAIN_SPEAKER)
    for n in range(100):
        add_speaker(
            large,
            Role.DISCUSSANT,
            order=n,
            time_zone="Europe/Moscow",
            designations=[("Fellow", "NIPS", True), ("Adviser", "Ministry", False)],
        )
    assert queries(client, reverse("public:event", args=[large.slug])) == queries(
        client, reverse("public:event", args=[small.slug])
    )


def test_staff_registrations_page_queries_do_not_grow(admin_client, organisation, make_event):
    from podium.registrations.services import registration_submit

    event = make_event(capacity=5)
    url = reverse("staff:registrations", args=[event.pk])
    registration_submit(event=event, name="A", email="a@example.org", segment="other")
    few = queries(admin_client, url)
    for n in range(30):
        registration_submit(event=event, name=f"P{n}", email=f"p{n}@example.org", segment="other")
    assert queries(admin_client, url) == few


def test_staff_dashboard_and_outbox_queries_do_not_grow(admin_client, organisation, make_event):
    from podium.registrations.services import registration_submit

    event = make_event()
    registration_submit(event=event, name="A", email="a@example.org", segment="other")
    dashboard, outbox = (
        queries(admin_client, reverse("staff:dashboard")),
        queries(admin_client, reverse("staff:outbox")),
    )
    for n in range(10):
        registration_submit(event=make_event(), name=f"P{n}", email=f"p{n}@example.org", segment="other")
    assert queries(admin_client, reverse("staff:dashboard")) == dashboard
    assert queries(admin_client, reverse("staff:outbox")) == outbox
