"""Counts read as English: "1 question waiting", "2 questions waiting"; "1 minute", "1 word", "1 turn"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.live.models import Question
from podium.registrations import services as registration_services
from podium.registrations.models import Registration
from podium.reports.models import Transcript

pytestmark = pytest.mark.django_db


def ask(event, n: int, status=Question.Status.PENDING):
    registration = Registration.objects.create(
        event=event, name=f"Asker {n}", email=f"asker{n}@example.org", segment="diplomat",
        status=Registration.Status.CONFIRMED, status_changed_at=timezone.now(),
    )  # fmt: skip
    return Question.objects.create(
        event=event,
        registration=registration,
        asker_name=registration.name,
        text=f"Question {n}?",
        status=status,
        client_key=f"key-{n}",
    )


@pytest.mark.parametrize(("pending", "words"), [(0, "questions"), (1, "question"), (2, "questions")])
def test_the_console_counts_questions_waiting_in_english(admin_client, make_event, pending, words):
    event = make_event()
    for n in range(pending):
        ask(event, n)
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    assert (
        f'<span data-count="pending">{pending}</span> <span data-count-noun="pending" data-one="question" '
        f'data-many="questions">{words}</span> waiting' in html
    )


def test_the_join_page_says_one_minute_not_one_minutes(client, make_event):
    start = timezone.now() + timedelta(hours=2)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=1), join_url="https://meet.jit.si/x")
    event.join_opens_minutes = 1
    event.save()
    registration = registration_services.registration_submit(
        event=event, name="Guest", email="guest@example.org", segment="scholar"
    ).registration
    html = client.get(reverse("live:join", args=[registration.token])).content.decode()
    assert "1 minute before the start" in html and "1 minutes" not in html


def test_the_transcript_page_says_one_word_in_one_turn(admin_client, make_event):
    event = make_event()
    Transcript.objects.create(event=event, filename="short.vtt", word_count=1)
    html = admin_client.get(reverse("reports:transcript", args=[event.pk])).content.decode()
    assert "1 word in 0 turns" in html
