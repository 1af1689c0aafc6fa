"""The Settings form of a published event with registrations: a change of time is confirmed first,
telling who will be emailed, and then either emails everyone or, if asked, no one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event
from podium.mail.models import Message
from podium.registrations.models import Registration
from tests.staff.test_setup_pages import event_post

pytestmark = pytest.mark.django_db
KARACHI = ZoneInfo("Asia/Karachi")


@pytest.fixture
def event(make_event, organisation):
    day = (timezone.now() + timedelta(days=30)).date()
    start = datetime(day.year, day.month, day.day, 15, 0, tzinfo=KARACHI)
    event = make_event(
        title="Pakistan and Central Asia: Connectivity", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    for n, status in enumerate(["confirmed", "confirmed", "waitlisted", "cancelled", "declined"]):
        Registration.objects.create(
            event=event,
            name=f"Guest {n}",
            email=f"guest{n}@example.org",
            status=status,
            status_changed_at=timezone.now(),
        )
    return event


def post_for(event, **overrides):
    return event_post(date=event.starts_at.astimezone(KARACHI).date().isoformat(), **overrides)


def test_a_new_time_is_confirmed_first_with_who_will_be_emailed(admin_client, event):
    url = reverse("staff:event_edit", args=[event.pk])
    response = admin_client.post(url, post_for(event, starts="16:00", ends="17:30"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 people registered will be emailed the new time" in page
    assert "16:00–17:30 PKT" in page
    assert 'name="dont_email"' in page and "checked" not in page.split('name="dont_email"')[1].split(">")[0]
    event.refresh_from_db()
    assert event.starts_at.astimezone(KARACHI).hour == 15  # nothing saved yet
    assert not Message.objects.filter(kind="event_rescheduled").exists()

    response = admin_client.post(url, {**post_for(event, starts="16:00", ends="17:30"), "reschedule": "confirm"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at.astimezone(KARACHI).hour == 16
    assert Message.objects.filter(kind="event_rescheduled").count() == 3
    assert "3 people will be emailed the new time" in admin_client.get(url).content.decode()


def test_dont_email_saves_the_new_time_and_emails_nobody(admin_client, event):
    url = reverse("staff:event_edit", args=[event.pk])
    data = {**post_for(event, starts="16:00", ends="17:30"), "reschedule": "confirm", "dont_email": "on"}
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.starts_at.astimezone(KARACHI).hour == 16
    assert not Message.objects.filter(kind="event_rescheduled").exists()
    assert "Nobody was emailed" in admin_client.get(url).content.decode()


def test_other_changes_and_drafts_save_at_once(admin_client, event):
    url = reverse("staff:event_edit", args=[event.pk])
    response = admin_client.post(url, post_for(event, title="A better title"))
    assert response.status_code == 302
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    response = admin_client.post(url, post_for(event, starts="18:00", ends="19:00"))
    assert response.status_code == 302
    assert not Message.objects.filter(kind="event_rescheduled").exists()


def test_speakers_alone_are_reason_enough_to_ask(admin_client, make_event, organisation, add_speaker):
    day = (timezone.now() + timedelta(days=30)).date()
    start = datetime(day.year, day.month, day.day, 15, 0, tzinfo=KARACHI)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2))
    add_speaker(event, email="kozin@example.org")
    url = reverse("staff:event_edit", args=[event.pk])
    page = admin_client.post(url, post_for(event, starts="16:00", ends="17:30")).content.decode()
    assert "1 speaker will be emailed the new time" in page
    assert (
        admin_client.post(url, {**post_for(event, starts="16:00", ends="17:30"), "reschedule": "confirm"}).status_code
        == 302
    )
    assert Message.objects.filter(kind="speaker_rescheduled").count() == 1
