#!/usr/bin/env python
"""Podium's side of bench/live_fanout.py, run with Podium's settings and the bench's environment.

    python bench/live_fanout/podium_setup.py setup N OUT.json

makes a live event (started 10 minutes ago, ends in 4 hours, a video link: the join rules let
confirmed registrants in), N + 1 confirmed registrations through bulk_create (N for the streams,
one more who asks the questions) and a superuser moderator; writes
{"event": pk, "tokens": [...N], "asker": token, "username": ..., "password": ...} to OUT.json.

    python bench/live_fanout/podium_setup.py count EVENT_PK

prints the event's live figures as JSON (presences still open, live events stored).
"""

import json
import os
import sys
from datetime import timedelta

MODERATOR, PASSWORD = "bench-moderator", "bench-moderator-password"


def setup(n: int, out: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from podium.core.models import Organisation
    from podium.events.models import Event, Series
    from podium.registrations.models import Registration

    Organisation.objects.update_or_create(
        pk=1,
        defaults=dict(name="Bench Institute of Policy Studies", short_name="BIPS", default_time_zone="Asia/Karachi"),
    )
    series = Series.objects.create(
        name="Bench Lecture Series",
        slug="bench-live-series",
        description="Experts on topics of high contemporary relevance.",
    )
    now = timezone.now()
    event = Event.objects.create(
        series=series,
        slug="bench-live",
        title="Benchmark live session",
        abstract="A live session for the bench.",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=4),
        status=Event.Status.LIVE,
        visibility=Event.Visibility.PUBLIC,
        registration_mode=Event.RegistrationMode.OPEN,
        join_url="https://meet.example.org/bench-live",
    )
    rows = [
        Registration(
            event=event,
            name=f"Attendee {i}",
            email=f"attendee{i}@bench.example.org",
            organisation="Bench Institute",
            segment="diplomat",
            status=Registration.Status.CONFIRMED,
            status_changed_at=now,
        )
        for i in range(n + 1)
    ]
    Registration.objects.bulk_create(rows, batch_size=2000)
    tokens = list(Registration.objects.filter(event=event).order_by("pk").values_list("token", flat=True))
    user_model = get_user_model()
    if not user_model.objects.filter(username=MODERATOR).exists():
        user_model.objects.create_superuser(MODERATOR, "moderator@bench.example.org", PASSWORD)
    with open(out, "w") as f:
        json.dump(
            {"event": event.pk, "asker": tokens[0], "tokens": tokens[1:], "username": MODERATOR, "password": PASSWORD},
            f,
        )


def count(event_pk: int) -> None:
    import django

    django.setup()
    from podium.live.models import LiveEvent, Presence

    print(
        json.dumps(
            {
                "presences_open": Presence.objects.filter(event_id=event_pk, disconnected_at__isnull=True).count(),
                "presences": Presence.objects.filter(event_id=event_pk).count(),
                "live_events": LiveEvent.objects.filter(event_id=event_pk).count(),
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "count":
        count(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
