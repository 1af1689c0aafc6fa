"""Campaigns against a real SMTP server on loopback: an outage in the middle and a worker killed in the
middle of a batch delay invitations, but none is lost, and only what was in flight can go twice."""

import asyncio
import email
import email.policy
import threading
import time
from collections import Counter

import pytest
from django.utils import timezone

from podium.campaigns import delivery, services
from podium.campaigns.delivery import RunOutcome
from podium.campaigns.models import Campaign
from podium.mail.models import Message
from podium.people.models import Person
from tests.support.processes import start_worker, wait_for
from tests.support.smtp_sink import Inbox, SMTPServer
from tests.support.worker import run_queued_tasks

BODY = "Dear {{ recipient_name }}, please join us: {{ rsvp_link }}"


def invite_many(make_event, make_person, n: int) -> tuple[Campaign, set[str]]:
    event = make_event(title="Pakistan–Russia Relations")
    emails = set()
    for i in range(n):
        person = make_person(
            given_names=f"Guest{i}",
            family_name="Diplomat",
            email=f"d{i}@example.org",
            segment="diplomat" if i % 2 else "expert",
        )
        emails.add(person.email)
    campaign = services.campaign_save(
        event=event, name="All", subject="Invitation: {{ event_title }}", body=BODY, segments=["diplomat", "expert"]
    )
    return campaign, emails


@pytest.mark.django_db(transaction=True)  # the task worker commits and reads its queue
def test_smtp_down_for_part_of_a_campaign_delays_but_never_loses_or_doubles(
    smtp, settings, organisation, make_event, make_person
):
    settings.PODIUM_CAMPAIGN_BATCH_SIZE, settings.PODIUM_CAMPAIGN_BATCH_PAUSE = 10, 0
    campaign, emails = invite_many(make_event, make_person, 30)

    class StopsAfter15(Inbox):
        """Accepts 15 invitations, then the mail server goes down."""

    smtp.stop()
    smtp.inbox = StopsAfter15()
    smtp.start()
    fifteen = threading.Event()
    original = smtp.inbox.handle_DATA

    async def counting(server, session, envelope):
        answer = await original(server, session, envelope)
        if len(smtp.inbox.messages) == 15:
            fifteen.set()
        return answer

    smtp.inbox.handle_DATA = counting
    stopper = threading.Thread(target=lambda: fifteen.wait(30) and smtp.stop())
    stopper.start()

    services.campaign_schedule(campaign=campaign)
    assert delivery.campaign_run(campaign_id=campaign.pk) == RunOutcome.PAUSED
    stopper.join()
    received = smtp.inbox.recipients()
    assert 15 <= len(received) < 30
    statuses = set(Message.objects.exclude(to_email__in=received).values_list("status", flat=True))
    assert statuses == {Message.Status.QUEUED}  # waiting, none failed, none lost
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING and campaign.heartbeat_at is None

    # Still down: the sweep tries, nothing changes, no attempt is spent on the waiting ones.
    assert services.campaigns_sweep() == 1
    run_queued_tasks()
    assert Message.objects.filter(status=Message.Status.SENT).count() == len(received)

    smtp.start()  # back, on the same port
    Message.objects.filter(status=Message.Status.QUEUED).update(next_attempt_at=timezone.now())
    services.campaigns_sweep()
    run_queued_tasks()
    final = smtp.inbox.recipients()
    assert sorted(final) == sorted(emails)  # every one, exactly once
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def _worker(smtp: SMTPServer, tmp_path):
    return start_worker(
        tmp_path / "worker-data",
        PODIUM_SMTP_HOST="127.0.0.1",
        PODIUM_SMTP_PORT=smtp.port,
        PODIUM_SMTP_STARTTLS="false",
        PODIUM_CAMPAIGN_BATCH_SIZE=10,
        PODIUM_CAMPAIGN_BATCH_PAUSE=0,
        PODIUM_CAMPAIGN_CONNECTIONS=2,
        PODIUM_CAMPAIGN_STALE_SECONDS=1,
        PODIUM_MAIL_STUCK_SECONDS=1,
    )


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_carries_on_after_restart_without_duplicates(
    smtp, organisation, make_event, make_person, tmp_path
):
    campaign, emails = invite_many(make_event, make_person, 40)
    # From the 15th invitation on, the server keeps every connection waiting for its answer:
    # the worker is killed with messages in flight on both of its connections.
    smtp.inbox.hold_from = 15
    services.campaign_schedule(campaign=campaign)

    worker = _worker(smtp, tmp_path)
    try:
        assert smtp.inbox.holding.wait(60), "the worker never reached the 15th invitation"
        # The second connection stops too, unless it already finished its share of the batch
        # and waits for the first: either way no connection is between a "250" and its mark.
        wait_for(lambda: smtp.inbox.held == 2, timeout=3)
        worker.kill()
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(smtp.inbox.recipients()) == 14
    smtp.inbox.hold_from = None
    smtp.inbox.release.set()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert Message.objects.filter(status=Message.Status.SENDING).exists()  # claimed by the dead worker

    worker = _worker(smtp, tmp_path)
    try:
        finished = wait_for(lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT)
    finally:
        worker.terminate()
        worker.wait(10)
    assert finished, "the restarted worker did not finish the campaign"
    received = smtp.inbox.recipients()
    assert len(received) == len(set(received)) == 40  # none sent twice
    assert set(received) == emails  # none lost
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


class AcceptsThenWaits(Inbox):
    """From the `hold_from`-th message on, keeps the message (its recipient has it) and then waits
    for `release` before answering "250": a worker killed meanwhile never learns it was delivered.
    Those messages were in flight; they are the only ones that may arrive twice."""

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            hold = self.hold_from is not None and self.seen >= self.hold_from
            self.raw.append(envelope.original_content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            if hold:
                self.held += 1
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_campaign_recovers_within_a_minute_and_repeats_only_what_was_in_flight(
    smtp, organisation, make_event, tmp_path
):
    """3,000 invitations, the default timeouts: kill the worker while its connections wait for the
    server's "250" on messages the server has already kept, start another. Every invitation arrives;
    only the messages in flight at the kill (at most one per connection) arrive twice; the campaign
    finishes within a minute of the kill."""
    event = make_event(title="Pakistan–Russia Relations")
    Person.objects.bulk_create(
        Person(
            given_names=f"Guest{i}",
            family_name="Diplomat",
            slug=f"guest-{i}",
            email=f"d{i}@example.org",
            segment="diplomat",
        )
        for i in range(3000)
    )
    campaign = services.campaign_save(
        event=event, name="All", subject="Invitation: {{ event_title }}", body=BODY, segments=["diplomat"]
    )
    smtp.stop()
    smtp.inbox = AcceptsThenWaits()
    smtp.inbox.hold_from = 1200
    smtp.start()
    services.campaign_schedule(campaign=campaign)
    environment = dict(
        PODIUM_SMTP_HOST="127.0.0.1",
        PODIUM_SMTP_PORT=smtp.port,
        PODIUM_SMTP_STARTTLS="false",
        PODIUM_CAMPAIGN_BATCH_PAUSE=0,
        PODIUM_CAMPAIGN_CONNECTIONS=2,
    )  # and nothing else: the stale and stuck timeouts are the defaults
    worker = start_worker(tmp_path / "worker-data", **environment)
    try:
        assert smtp.inbox.holding.wait(120), "the worker never reached the 1,200th invitation"
        wait_for(lambda: smtp.inbox.held == 2, timeout=3)  # both connections, unless one had finished
        in_flight = set(Message.objects.filter(status=Message.Status.SENDING).values_list("to_email", flat=True))
        worker.kill()
        killed_at = time.monotonic()
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    smtp.inbox.hold_from = None
    smtp.inbox.release.set()

    worker = start_worker(tmp_path / "worker-data", **environment)
    try:
        finished = wait_for(
            lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT,
            timeout=max(60 - (time.monotonic() - killed_at), 1),
        )
    finally:
        worker.terminate()
        worker.wait(10)
    assert finished, "the campaign did not finish within a minute of the kill"
    received = Counter(smtp.inbox.recipients())
    assert set(received) == {f"d{i}@example.org" for i in range(3000)}  # none lost
    twice = {address for address, times in received.items() if times > 1}
    assert len(twice) <= 2 and twice <= in_flight, (twice, in_flight)  # only what was in flight
    assert max(received.values()) <= 2
