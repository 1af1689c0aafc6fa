"""The outbox delivers through a real SMTP server on loopback; outages and crashes delay mail, never drop it."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from podium.events.calendar import event_uid
from podium.mail.models import Message
from podium.mail.services import (
    OutboxEmail,
    message_build,
    message_bytes,
    message_deliver,
    message_queue,
    messages_deliver_batch,
    messages_queue_bulk,
    outbox_sweep,
)
from podium.registrations import services
from tests.support.smtp_sink import Inbox


def register(event, n):
    return services.registration_submit(
        event=event, name=f"Guest {n}", email=f"guest{n}@example.org", segment="diplomat"
    ).registration


def make_due():
    Message.objects.filter(status=Message.Status.QUEUED).update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_confirmation_arrives_with_calendar_and_manage_link(smtp, organisation, make_event):
    event = make_event(title="Pakistan–Russia Relations", capacity=10)
    registration = register(event, 1)
    assert outbox_sweep() == 1
    [received] = smtp.inbox.messages
    stored = Message.objects.get()
    assert received["To"] == "Guest 1 <guest1@example.org>"
    assert received["Subject"].strip() == "Your place is confirmed: Pakistan–Russia Relations"
    assert received["Message-ID"] == stored.message_id
    assert received["From"] == "NUST Institute of Policy Studies <events@podium.localhost>"
    parts = {part.get_content_type(): part for part in received.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= set(parts)
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert f"http://testserver/r/{registration.manage_token}/" in text
    assert f"http://testserver/j/{registration.token}/" in text
    assert "NUST Institute of Policy Studies" in parts["text/html"].get_payload(decode=True).decode()
    # Each parameter once (Django used to repeat the charset), and RFC 5322's numeric zone in Date.
    assert str(parts["text/calendar"]["Content-Type"]) == 'text/calendar; method="PUBLISH"; charset="utf-8"'
    [raw] = smtp.inbox.raw
    assert raw.count(b"charset") == 3  # text, HTML, calendar
    assert re.search(rb"^Date: .* \+0000\r$", raw, flags=re.M)
    calendar = icalendar.Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == event_uid(event)
    assert str(vevent["DTSTART"].params["TZID"]) == "Asia/Karachi"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert f"/j/{registration.token}/" in str(vevent["DESCRIPTION"])
    assert registration.manage_token not in str(vevent["DESCRIPTION"])
    assert stored.status == Message.Status.SENT and stored.attempts == 1


@pytest.mark.django_db
def test_smtp_outage_delays_mail_without_losing_or_doubling_it(smtp, settings, make_event):
    settings.PODIUM_MAIL_MAX_ATTEMPTS = 2
    event = make_event(capacity=10)
    smtp.stop()
    for n in range(3):
        register(event, n)
    # The delivery task of each message runs and finds the server down: retry later, with back-off.
    for message in Message.objects.all():
        assert message_deliver(message_id=message.pk) == Message.Status.QUEUED
    waiting = list(Message.objects.all())
    assert all(m.status == Message.Status.QUEUED and m.attempts == 1 for m in waiting)
    assert all("Connection refused" in m.last_error or "Errno" in m.last_error for m in waiting)
    assert all(m.next_attempt_at > timezone.now() for m in waiting)  # backing off, not hammering
    assert outbox_sweep() == 0  # nothing is due yet
    for _ in range(3):  # a long outage: more failed attempts than the limit for refused mail
        make_due()
        for message in waiting:
            message_deliver(message_id=message.pk)
    assert Message.objects.filter(status=Message.Status.QUEUED, attempts=4).count() == 3  # never given up
    make_due()
    assert outbox_sweep() == 0  # the sweep sees the server down and spends no attempt
    assert Message.objects.filter(attempts=4).count() == 3

    smtp.start()
    make_due()  # the back-off delay has passed
    assert outbox_sweep() == 3
    assert outbox_sweep() == 0
    assert sorted(m["To"] for m in smtp.inbox.messages) == [f"Guest {n} <guest{n}@example.org>" for n in range(3)]
    assert Message.objects.filter(status=Message.Status.SENT, attempts=5).count() == 3


@pytest.mark.django_db
def test_worker_killed_mid_send_is_recovered_once(smtp, make_event):
    event = make_event(capacity=10)
    register(event, 1)
    register(event, 2)
    stuck, fresh = Message.objects.order_by("pk")
    # One worker died 11 minutes ago holding `stuck`; another is sending `fresh` right now.
    Message.objects.filter(pk=stuck.pk).update(
        status=Message.Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=11)
    )
    Message.objects.filter(pk=fresh.pk).update(status=Message.Status.SENDING, attempts=1, claimed_at=timezone.now())
    assert outbox_sweep() == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["Guest 1 <guest1@example.org>"]
    fresh.refresh_from_db()
    assert fresh.status == Message.Status.SENDING  # still the live worker's


class RefusingInbox(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox here"


@pytest.mark.django_db
def test_refused_mail_is_marked_failed_after_the_last_attempt(smtp, settings, make_event):
    settings.PODIUM_MAIL_MAX_ATTEMPTS = 2
    smtp.stop()
    smtp.inbox = RefusingInbox()
    smtp.start()
    register(make_event(), 1)
    assert outbox_sweep() == 0
    message = Message.objects.get()
    assert message.status == Message.Status.QUEUED and "550" in message.last_error
    make_due()
    outbox_sweep()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 2
    make_due()
    assert outbox_sweep() == 0
    assert smtp.inbox.messages == []


@pytest.mark.django_db
def test_same_email_is_never_queued_twice(make_event):
    event = make_event()
    registration = register(event, 1)
    context = {"registration": registration, "event": event, "manage_url": "x", "join_url": "y"}
    again = message_queue(
        to_email="guest1@example.org",
        kind="registration_confirmed",
        context=context,
        dedupe_key=Message.objects.get().dedupe_key,
    )
    assert again is None
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_concurrent_claims_send_once(make_event):
    register(make_event(), 1)
    message = Message.objects.get()
    from podium.mail.services import message_claim

    assert message_claim(message_id=message.pk) is True
    assert message_claim(message_id=message.pk) is False


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_what_a_registration_queued_after_commit(make_event):
    event = make_event()
    register(event, 1)  # commits: on_commit enqueued a delivery task in the database queue
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    call_command("worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["Guest 1 <guest1@example.org>"]]
    assert Message.objects.get().status == Message.Status.SENT


def same_shape(data: bytes) -> bytes:
    """The bytes with what must differ between two sends of one message (Date, boundaries) made equal."""
    data = re.sub(rb"^Date: .*$", b"Date: (now)\r", data, flags=re.M)
    boundaries = list(dict.fromkeys(re.findall(rb"=_podium_[0-9a-f]{32}", data)))
    for n, boundary in enumerate(boundaries):
        data = data.replace(boundary, b"boundary-%d" % n)
    return data


@pytest.mark.django_db
def test_both_delivery_paths_and_the_other_backends_send_the_same_bytes(smtp, make_event, settings):
    """The task that sends one message and the batch that sends a campaign build with podium.mail.mime."""
    event = make_event(title="Pakistan–Russia Relations", capacity=10)
    register(event, 1)  # confirmed: text, HTML and a calendar file
    messages_queue_bulk(
        messages=[
            message_build(
                kind="campaign_invitation",
                to_email="amin@example.org",
                to_name="Ambassador (Retd) Shahid M Amin",
                subject="Invitation: Pakistan–Russia Relations",
                body_text="Dear Ambassador Amin,\n",
                body_html="<p>Dear Ambassador Amin,</p>",
                headers={"List-Unsubscribe": "<http://testserver/u/1/>"},
                dedupe_key="campaign:1:person:1",
            )
        ]
    )
    messages = list(Message.objects.order_by("pk"))
    for message in messages:
        assert message_deliver(message_id=message.pk) == Message.Status.SENT
    Message.objects.update(status=Message.Status.QUEUED, next_attempt_at=timezone.now())
    counts = messages_deliver_batch(message_ids=[message.pk for message in messages])
    assert counts == {"sent": 2, "retrying": 0, "failed": 0}
    one_by_one, in_a_batch = smtp.inbox.raw[:2], smtp.inbox.raw[2:]
    assert [same_shape(raw) for raw in one_by_one] == [same_shape(raw) for raw in in_a_batch]
    structures = [[part.get_content_type() for part in received.walk()] for received in smtp.inbox.messages[:2]]
    assert structures == [
        ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"],
        ["multipart/alternative", "text/plain", "text/html"],
    ]
    for message, raw in zip(messages, one_by_one, strict=True):
        built = message_bytes(message)
        assert same_shape(built) == same_shape(raw)
        # Django's other backends (locmem in tests, files in development) write these bytes too, with LF.
        written = OutboxEmail.from_message(message, data=built).message().as_bytes()
        assert written == built.replace(b"\r\n", b"\n")
