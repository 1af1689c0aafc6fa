"""Sending a campaign, in two idempotent steps that a worker can die in the middle of and run again:

1. materialise: for each recipient, in chunks, one transaction creates their Invitation, their
   outbox Message (dedupe_key "campaign:<id>:person:<id>") and the CampaignRecipient row; a re-run
   skips whoever already has one, so nobody gets two invitations;
2. deliver: due messages of the campaign go out in batches over a few SMTP connections, each one
   marked sent the moment the server accepts it.

Only one worker runs a campaign at a time: it takes the campaign by setting its heartbeat, and
another may take over only once the heartbeat is older than PODIUM_CAMPAIGN_STALE_SECONDS.
"""

import enum
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from podium.campaigns.models import Campaign, CampaignRecipient
from podium.campaigns.rendering import CampaignRenderer
from podium.campaigns.selectors import campaign_audience
from podium.mail.models import Message
from podium.mail.services import MailServerUnavailable, message_build, messages_deliver_batch, messages_queue_bulk
from podium.people.models import Person
from podium.registrations.models import Invitation

logger = logging.getLogger("podium.campaigns")

MATERIALISE_CHUNK = 500


class RunOutcome(enum.StrEnum):
    """How a call of campaign_run ended."""

    NOT_TAKEN = "not taken"  # not due, or another worker is sending it
    SENT = "sent"  # every message delivered (or failed for good): the campaign is finished
    WAITING = "waiting"  # some messages wait for a retry later; the sweep resumes the campaign then
    PAUSED = "paused"  # the mail server is unreachable; nothing lost, the sweep tries again
    CANCELLED = "cancelled"  # staff cancelled it while it was sending
    ERROR = "error"  # preparing the recipients failed; the sweep runs it again


def _take(campaign_id: int, now: datetime) -> bool:
    """Become the campaign's only sender: due and scheduled, or sending with a stale heartbeat."""
    stale = now - timedelta(seconds=settings.PODIUM_CAMPAIGN_STALE_SECONDS)
    return (
        Campaign.objects.filter(
            Q(status=Campaign.Status.SCHEDULED, send_at__lte=now)
            | Q(status=Campaign.Status.SENDING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)),
            pk=campaign_id,
        ).update(status=Campaign.Status.SENDING, heartbeat_at=now)
        == 1
    )


def _beat(campaign_id: int) -> bool:
    """Refresh the heartbeat; false if the campaign was cancelled meanwhile."""
    return (
        Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(heartbeat_at=timezone.now()) == 1
    )


def campaign_materialise(*, campaign: Campaign) -> int:
    """Create invitations, messages and recipient rows for everyone not yet done. Returns how many new."""
    renderer = CampaignRenderer(campaign)
    done = set(CampaignRecipient.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    people = [
        p
        for p in campaign_audience(campaign=campaign).only(
            "pk",
            "email",
            "honorific",
            "retired",
            "given_names",
            "family_name",
            "post_nominals",
            "later_mention_override",
            "time_zone",
        )
        if p.pk not in done
    ]
    created = 0
    for start in range(0, len(people), MATERIALISE_CHUNK):
        chunk = people[start : start + MATERIALISE_CHUNK]
        with transaction.atomic():
            created += _materialise_chunk(campaign, renderer, chunk)
        if not _beat(campaign.pk):
            break
    return created


def _materialise_chunk(campaign: Campaign, renderer: CampaignRenderer, people: list[Person]) -> int:
    event = campaign.event
    emails = [p.email.lower() for p in people]
    Invitation.objects.bulk_create(
        [
            Invitation(
                event=event,
                email=p.email.lower(),
                name=p.styled_name,
                person=p,
                restrict_to_email=campaign.restrict_to_email,
            )
            for p in people
        ],
        ignore_conflicts=True,
    )
    invitations = {i.email.lower(): i for i in Invitation.objects.filter(event=event, email__in=emails)}
    messages = []
    for person in people:
        invitation = invitations[person.email.lower()]
        rendered = renderer.render(person=person, invitation=invitation)
        messages.append(
            message_build(
                kind="campaign_invitation",
                to_email=person.email,
                to_name=person.styled_name,
                dedupe_key=f"campaign:{campaign.pk}:person:{person.pk}",
                event=event,
                **rendered,
            )
        )
    message_ids = messages_queue_bulk(messages=messages)
    recipients = [
        CampaignRecipient(
            campaign=campaign,
            person=person,
            email=person.email.lower(),
            invitation=invitations[person.email.lower()],
            message_id=message_ids[f"campaign:{campaign.pk}:person:{person.pk}"],
        )
        for person in people
    ]
    CampaignRecipient.objects.bulk_create(recipients, ignore_conflicts=True)
    return len(recipients)


def _due_message_ids(campaign: Campaign, limit: int) -> list[int]:
    return list(
        Message.objects.filter(
            pk__in=CampaignRecipient.objects.filter(campaign=campaign).values("message_id"),
            status=Message.Status.QUEUED,
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def _unfinished(campaign: Campaign) -> bool:
    return Message.objects.filter(
        pk__in=CampaignRecipient.objects.filter(campaign=campaign).values("message_id"),
        status__in=[Message.Status.QUEUED, Message.Status.SENDING],
    ).exists()


class _Materialiser(threading.Thread):
    def __init__(self, campaign: Campaign):
        super().__init__(name=f"campaign-{campaign.pk}-materialise", daemon=True)
        self.campaign = campaign
        self.error: Exception | None = None

    def run(self) -> None:
        threaded = threading.current_thread() is self
        try:
            campaign_materialise(campaign=self.campaign)
        except Exception as error:  # reported by campaign_run; the sweep runs the campaign again
            logger.exception("Could not prepare the recipients of campaign %s", self.campaign.pk)
            self.error = error
            if not threaded:
                raise
        finally:
            if threaded:
                db_connections.close_all()


def _deliver_lane(message_ids: list[int]) -> None:
    try:
        messages_deliver_batch(message_ids=message_ids)
    finally:
        db_connections.close_all()  # this thread's own database connection


def _deliver_in_lanes(message_ids: list[int], lanes: int) -> None:
    """Deliver over `lanes` SMTP connections at once, each in its own thread with its own database
    connection: while one waits for the mail server or the database, another works. Raises
    MailServerUnavailable if any lane found the server gone (the others finish their messages)."""
    # Other threads cannot see rows of a transaction still open here (as in a test case).
    if lanes == 1 or len(message_ids) < 2 or db_connections["default"].in_atomic_block:
        messages_deliver_batch(message_ids=message_ids)
        return
    size = -(-len(message_ids) // lanes)
    chunks = [message_ids[i : i + size] for i in range(0, len(message_ids), size)]
    with ThreadPoolExecutor(max_workers=len(chunks), thread_name_prefix="campaign-lane") as pool:
        futures = [pool.submit(_deliver_lane, chunk) for chunk in chunks]
    for future in futures:
        future.result()


def campaign_run(*, campaign_id: int, now: datetime | None = None) -> RunOutcome:
    """Materialise and deliver a campaign, as its only sender. Safe to call at any time, any number
    of times: it returns at once when the campaign is not due or another worker has it."""
    if not _take(campaign_id, now or timezone.now()):
        return RunOutcome.NOT_TAKEN
    campaign = Campaign.objects.select_related("event", "event__series").get(pk=campaign_id)
    if campaign.started_at is None:
        Campaign.objects.filter(pk=campaign_id).update(started_at=timezone.now())
    batch, pause = settings.PODIUM_CAMPAIGN_BATCH_SIZE, settings.PODIUM_CAMPAIGN_BATCH_PAUSE
    lanes = max(1, settings.PODIUM_CAMPAIGN_CONNECTIONS)
    materialiser = _Materialiser(campaign)
    if lanes == 1 or db_connections["default"].in_atomic_block:
        materialiser.run()
    else:
        # Sending starts with the first committed chunk while the rest are still being written.
        materialiser.start()
    while _beat(campaign_id):
        due = _due_message_ids(campaign, batch * lanes)
        if not due:
            if materialiser.is_alive():
                materialiser.join(0.1)
                continue
            break
        try:
            _deliver_in_lanes(due, lanes)
        except MailServerUnavailable as error:
            # Nothing lost: the messages stay queued. Let go, so the sweep tries again soon.
            logger.warning("Campaign %s paused, mail server unavailable: %s", campaign_id, error)
            Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(heartbeat_at=None)
            return RunOutcome.PAUSED
        if pause:
            time.sleep(pause)
    if materialiser.ident is not None:
        materialiser.join()
    if not Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists():
        return RunOutcome.CANCELLED
    if materialiser.error is not None:
        # Some recipients may have no invitation yet: let go, and the sweep runs it again.
        Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=None)
        return RunOutcome.ERROR
    if _unfinished(campaign):
        # Retries are due later; release the campaign so the sweep resumes it when they are.
        Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=None)
        return RunOutcome.WAITING
    Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, finished_at=timezone.now(), heartbeat_at=None
    )
    return RunOutcome.SENT
