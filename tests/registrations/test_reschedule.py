"""Moving an event people registered for: one email per active registration after commit, with the
calendar entry updated in place (same UID, higher SEQUENCE), and reminders that follow the new time."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from podium.events.calendar import event_uid
from podium.events.models import Participation, Role
from podium.mail.models import Message
from podium.registrations import services
from podium.registrations.models import Registration
from podium.reminders import selectors as reminder_selectors
from podium.reminders.services import reminders_sweep

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(event, name, status):
    return Registration.objects.create(
        event=event,
        name=name,
        email=f"{name.lower()}@example.org",
        segment="scholar",
        status=status,
        status_changed_at=timezone.now() - timedelta(days=5),
    )


def calendar_of(message):
    [attachment] = message.attachments
    [vevent] = icalendar.Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return vevent


def test_moving_the_event_emails_every_active_registration_after_commit(
    make_event, organisation, django_capture_on_commit_callbacks
):
    event = make_event(capacity=10)
    people = {status: register(event, status.capitalize(), status) for status in S.values}
    original = services.calendar_attachment(event=event)
    original_event = icalendar.Calendar.from_ical(original["content"]).walk("VEVENT")[0]
    Message.objects.all().delete()
    new_start = event.starts_at + timedelta(days=1, hours=2)

    with django_capture_on_commit_callbacks() as callbacks:
        event, changed, queued = services.event_reschedule(
            event=event, starts_at=new_start, ends_at=new_start + timedelta(hours=1, minutes=30)
        )
    assert {"starts_at", "ends_at"} <= changed
    sent = Message.objects.filter(kind="event_rescheduled")
    deliveries = [callback for callback in callbacks if "message_queue" in getattr(callback, "__qualname__", "")]
    assert queued == 3 == sent.count() == len(deliveries)  # each delivery is enqueued after commit
    assert {message.registration_id for message in sent} == {
        people[S.CONFIRMED].pk,
        people[S.PENDING].pk,
        people[S.WAITLISTED].pk,
    }
    confirmed = sent.get(registration=people[S.CONFIRMED])
    vevent = calendar_of(confirmed)
    assert str(vevent["uid"]) == str(original_event["uid"]) == event_uid(event)
    assert int(vevent["sequence"]) > int(original_event["sequence"])
    assert vevent.decoded("dtstart") == new_start
    assert "New time" in confirmed.subject
    assert people[S.CONFIRMED].token in confirmed.body_text  # the join link, for the confirmed place
    # People without a seat are told, but get no calendar entry or join link.
    waitlisted = sent.get(registration=people[S.WAITLISTED])
    assert waitlisted.attachments == []
    assert "waiting list" in waitlisted.body_text
    assert people[S.WAITLISTED].token not in waitlisted.body_text


def test_a_save_that_does_not_move_the_event_or_asks_for_no_email_queues_nothing(make_event, organisation):
    event = make_event(capacity=10)
    register(event, "Confirmed", S.CONFIRMED)
    Message.objects.all().delete()
    event, changed, queued = services.event_reschedule(event=event, title="A better title")
    assert (changed, queued) == ({"title"}, 0)
    later = event.starts_at + timedelta(hours=3)
    event, changed, queued = services.event_reschedule(
        event=event, notify=False, starts_at=later, ends_at=later + timedelta(hours=2)
    )
    assert queued == 0 and "starts_at" in changed
    event.refresh_from_db()
    assert event.starts_at == later  # saved all the same
    assert not Message.objects.filter(kind="event_rescheduled").exists()


def test_a_draft_is_moved_silently(make_event, organisation):
    event = make_event(status="draft")
    register(event, "Early", S.CONFIRMED)
    later = event.starts_at + timedelta(days=2)
    _, _, queued = services.event_reschedule(event=event, starts_at=later, ends_at=later + timedelta(hours=2))
    assert queued == 0


def test_reminders_follow_the_new_time(make_event, organisation):
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), reminder_offsets=[1440, 60])
    registration = register(event, "Guest", S.CONFIRMED)
    Registration.objects.filter(pk=registration.pk).update(status_changed_at=start - timedelta(days=5))
    # The day-before reminder goes out at its time ...
    assert reminders_sweep(now=start - timedelta(hours=23)) == 1
    # ... then the event moves a week later: nothing is due at the old reminder times any more,
    later = start + timedelta(days=7)
    event, _, _ = services.event_reschedule(
        event=event, notify=False, starts_at=later, ends_at=later + timedelta(hours=2)
    )
    assert reminder_selectors.reminder_due(event=event, now=start - timedelta(minutes=30)) is None
    # and the day-before reminder goes out again, a day before the new start.
    assert reminder_selectors.reminder_due(event=event, now=later - timedelta(hours=23)) == 1440
    assert reminders_sweep(now=later - timedelta(hours=23)) == 1
    assert Message.objects.filter(kind="event_reminder", registration=registration).count() == 2


def test_speakers_on_the_agenda_are_told_too_and_their_slots_move(make_event, organisation, add_speaker):
    event = make_event()
    speaker = add_speaker(event, role=Role.MAIN_SPEAKER, email="kozin@example.org")
    Participation.objects.filter(pk=speaker.pk).update(
        starts_at=event.starts_at + timedelta(minutes=10), ends_at=event.starts_at + timedelta(minutes=40)
    )
    declined = add_speaker(event, role=Role.DISCUSSANT, email="no@example.org", order=1)
    Participation.objects.filter(pk=declined.pk).update(confirmation=Participation.Confirmation.DECLINED)
    add_speaker(event, role=Role.DISCUSSANT, order=2)  # no email address: nobody to tell
    later = event.starts_at + timedelta(days=1)
    event, _, queued = services.event_reschedule(event=event, starts_at=later, ends_at=later + timedelta(hours=2))
    [message] = Message.objects.filter(kind="speaker_rescheduled")
    assert queued == 1 and message.to_email == "kozin@example.org"
    vevent = calendar_of(message)
    assert str(vevent["uid"]) == event_uid(event) and int(vevent["sequence"]) == event.calendar_sequence >= 1
    assert speaker.token in vevent["description"]  # their own join link, as in the briefing
    speaker.refresh_from_db()
    assert speaker.starts_at == later + timedelta(minutes=10) and speaker.ends_at == later + timedelta(minutes=40)
    assert "New time" in message.subject and "it was" in message.body_text
