"""Writes of invitation campaigns: save, schedule, send in throttled batches, resume, and the RSVP.

Sending is two idempotent steps that a worker can die in the middle of and run again:
1. materialise: for each recipient, in chunks, one transaction creates their Invitation, their
   outbox Message (dedupe_key "campaign:<id>:person:<id>") and the CampaignRecipient row; a re-run
   skips whoever already has one, so nobody gets two invitations;
2. deliver: due messages of the campaign go out in batches over one SMTP connection, each one
   marked sent the moment the server accepts it.
Only one worker runs a campaign at a time: it takes the campaign by setting its heartbeat, and
another may take over only once the heartbeat is older than PODIUM_CAMPAIGN_STALE_SECONDS.
"""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from podium.audience.selectors import audience_people
from podium.audience.services import unsubscribe_token
from podium.campaigns.models import Campaign, CampaignRecipient, InvitationTemplate
from podium.campaigns.placeholders import HtmlBody, render_text, template_errors
from podium.core.errors import ApplicationError
from podium.core.selectors import organisation_get
from podium.core.templatetags.podium import when
from podium.events.models import Event
from podium.events.selectors import agenda_groups
from podium.mail.models import Message
from podium.mail.services import (
    MailServerUnavailable,
    message_build,
    messages_deliver_batch,
    messages_queue_bulk,
)
from podium.people.models import Person, Segment
from podium.registrations import services as registration_services
from podium.registrations.models import Invitation, Registration

logger = logging.getLogger("podium.campaigns")

MATERIALISE_CHUNK = 500


# Templates and drafts -------------------------------------------------------------------------


def _check_texts(subject: str, body: str) -> None:
    for field, text in (("subject", subject), ("body", body)):
        errors = template_errors(text)
        if errors:
            raise ApplicationError(" ".join(errors), field=field)


def invitation_template_save(
    *, template: InvitationTemplate | None = None, name: str, subject: str, body: str
) -> InvitationTemplate:
    _check_texts(subject, body)
    template = template or InvitationTemplate()
    template.name, template.subject, template.body = name.strip(), subject.strip(), body
    template.save()
    return template


def campaign_save(
    *,
    campaign: Campaign | None = None,
    event: Event,
    name: str,
    subject: str,
    body: str,
    segments: list[str],
    tags=(),
    audiences=(),
    people=(),
    restrict_to_email: bool = True,
    by=None,
) -> Campaign:
    """Create or change a draft campaign; a campaign that has started cannot be changed."""
    _check_texts(subject, body)
    unknown = [s for s in segments if s not in Segment.values]
    if unknown:
        raise ApplicationError(f"Unknown segment: {', '.join(unknown)}.", field="segments")
    if not (segments or tags or audiences or people):
        raise ApplicationError("Choose who to invite: at least one segment, tag, saved audience or person.")
    with transaction.atomic():
        if campaign is None:
            campaign = Campaign(created_by=by)
        elif Campaign.objects.select_for_update().get(pk=campaign.pk).status != Campaign.Status.DRAFT:
            raise ApplicationError("This campaign has already been scheduled or sent, so it cannot be changed.")
        campaign.event, campaign.name, campaign.subject, campaign.body = event, name.strip(), subject.strip(), body
        campaign.segments = list(dict.fromkeys(segments))
        campaign.restrict_to_email = restrict_to_email
        campaign.save()
        campaign.tags.set(tags)
        campaign.audiences.set(audiences)
        campaign.people.set(people)
    return campaign


def campaign_audience(*, campaign: Campaign):
    return audience_people(
        segments=campaign.segments,
        tags=list(campaign.tags.all()),
        audiences=list(campaign.audiences.all()),
        people=list(campaign.people.all()),
    )


def campaign_schedule(*, campaign: Campaign, send_at: datetime | None = None, now: datetime | None = None) -> Campaign:
    """Send now (send_at None) or at a set time. The worker starts it when it is due."""
    now = now or timezone.now()
    if send_at is not None and send_at < now - timedelta(minutes=1):
        raise ApplicationError("That time has passed. Choose a time in the future, or send now.", field="send_at")
    if not campaign_audience(campaign=campaign).exists():
        raise ApplicationError("Nobody in this audience can be emailed (no address, or unsubscribed).")
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.SCHEDULED, send_at=send_at or now
        )
        if not updated:
            raise ApplicationError("This campaign has already been scheduled or sent.")
        campaign.refresh_from_db()
        run_after = campaign.send_at if campaign.send_at > now else None
        transaction.on_commit(lambda: _enqueue_run(campaign.pk, run_after))
    return campaign


def campaign_cancel(*, campaign: Campaign) -> bool:
    """Stop a scheduled campaign, or one in the middle of sending: messages not yet sent are dropped."""
    with transaction.atomic():
        cancelled = Campaign.objects.filter(
            pk=campaign.pk, status__in=[Campaign.Status.SCHEDULED, Campaign.Status.SENDING]
        ).update(status=Campaign.Status.CANCELLED, heartbeat_at=None, finished_at=timezone.now())
        if cancelled:
            Message.objects.filter(
                pk__in=CampaignRecipient.objects.filter(campaign=campaign).values("message_id"),
                status=Message.Status.QUEUED,
            ).update(status=Message.Status.FAILED, last_error="Campaign cancelled before this was sent.")
    return bool(cancelled)


def campaign_retry_failed(*, campaign: Campaign) -> int:
    """Queue the campaign's failed messages again and wake its sender."""
    with transaction.atomic():
        retried = Message.objects.filter(
            pk__in=CampaignRecipient.objects.filter(campaign=campaign).values("message_id"),
            status=Message.Status.FAILED,
        ).update(status=Message.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error="")
        if retried:
            Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENT).update(
                status=Campaign.Status.SENDING, finished_at=None, heartbeat_at=None
            )
            transaction.on_commit(lambda: _enqueue_run(campaign.pk, None))
    return retried


def _enqueue_run(campaign_id: int, run_after) -> None:
    from podium.campaigns.tasks import run_campaign

    task = run_campaign.using(run_after=run_after) if run_after else run_campaign
    try:
        task.enqueue(campaign_id=campaign_id)
    except Exception:  # the sweep starts it instead
        logger.exception("Could not enqueue campaign %s; the periodic sweep will start it", campaign_id)


# Rendering ------------------------------------------------------------------------------------

TOKEN = "--token--"


def _link_patterns() -> dict[str, str]:
    """Each personal link with a stand-in token: reverse() once per campaign, not per recipient."""
    return {
        "rsvp_link": settings.SITE_URL + reverse("campaigns:accept", kwargs={"token": TOKEN}),
        "decline_link": settings.SITE_URL + reverse("campaigns:decline", kwargs={"token": TOKEN}),
        "event_link": settings.SITE_URL + reverse("registrations:invitation", kwargs={"token": TOKEN}),
        "unsubscribe_link": settings.SITE_URL + reverse("campaigns:unsubscribe", kwargs={"token": TOKEN}),
    }


def invitation_links(invitation: Invitation, patterns: dict[str, str] | None = None) -> dict[str, str]:
    patterns = patterns or _link_patterns()
    return {
        name: patterns[name].replace(TOKEN, invitation.token) for name in ("rsvp_link", "decline_link", "event_link")
    }


def unsubscribe_link(person: Person, patterns: dict[str, str] | None = None) -> str:
    patterns = patterns or _link_patterns()
    return patterns["unsubscribe_link"].replace(TOKEN, unsubscribe_token(person=person))


def agenda_text(event: Event) -> str:
    lines = []
    for group in agenda_groups(event=event):
        names = "; ".join(p.person.first_mention for p in group.participations)
        lines.append(f"{group.label}: {names}")
    return "\n".join(lines)


class CampaignRenderer:
    """Everything that is the same for every recipient is worked out once."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        event = campaign.event
        self.organisation = organisation_get()
        self.common = {
            "event_title": event.title,
            "event_date_local": when(event.starts_at, event.ends_at, event.time_zone),
            "agenda": agenda_text(event),
            "series_name": event.series.name if event.series_id else "",
            "organisation_name": self.organisation.name,
        }
        self._dates = {}
        self.links = _link_patterns()
        self.html = HtmlBody(campaign.body)
        # The letterhead wraps the body; rendered once with a marker the body replaces.
        marker = "\x00BODY\x00"
        self.layout = render_to_string(
            "campaigns/email.html",
            {
                "organisation": self.organisation,
                "body": marker,
                "unsubscribe_marker": "\x00UNSUB\x00",
            },
        ).split(marker)

    def _date_in(self, zone: str) -> str:
        if zone not in self._dates:
            event = self.campaign.event
            self._dates[zone] = when(event.starts_at, event.ends_at, zone)
        return self._dates[zone]

    def values(self, *, person: Person, invitation: Invitation | None) -> dict[str, str]:
        zone = person.time_zone or self.campaign.event.time_zone
        values = {
            **self.common,
            "recipient_name": person.styled_name,
            "recipient_later_name": person.later_mention,
            "event_date": self._date_in(zone),
            "unsubscribe_link": unsubscribe_link(person, self.links),
        }
        if invitation is not None:
            values.update(invitation_links(invitation, self.links))
        return values

    def render(self, *, person: Person, invitation: Invitation | None) -> dict:
        values = self.values(person=person, invitation=invitation)
        body_html = (self.layout[0] + self.html.render(values) + self.layout[1]).replace(
            "\x00UNSUB\x00", values["unsubscribe_link"]
        )
        body_text = render_text(self.campaign.body, values).rstrip() + (
            f"\n\n--\nYou receive this invitation from {self.organisation.name}. "
            f"To receive no more invitations: {values['unsubscribe_link']}\n"
        )
        return {
            "subject": " ".join(render_text(self.campaign.subject, values).split()),
            "body_text": body_text,
            "body_html": body_html,
            "headers": {
                # RFC 8058 one-click unsubscribe: the mail client POSTs to the link.
                "List-Unsubscribe": f"<{values['unsubscribe_link']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        }


def campaign_preview(*, campaign: Campaign, person: Person) -> dict:
    """The email as this person would receive it; their invitation links are shown as samples
    unless they already have an invitation to the event."""
    invitation = Invitation.objects.filter(event=campaign.event, email__iexact=person.email).first()
    if invitation is None:
        invitation = Invitation(event=campaign.event, email=person.email, token="preview-not-a-real-link")
    return CampaignRenderer(campaign).render(person=person, invitation=invitation)


# Sending ----------------------------------------------------------------------------------------


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


def campaign_run(*, campaign_id: int, now: datetime | None = None) -> str:
    """Materialise and deliver a campaign, as its only sender. Safe to call at any time, any number
    of times: it returns at once when the campaign is not due or another worker has it."""
    if not _take(campaign_id, now or timezone.now()):
        return "not taken"
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
            return "paused"
        if pause:
            time.sleep(pause)
    if materialiser.ident is not None:
        materialiser.join()
    if not Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists():
        return "cancelled"
    if materialiser.error is not None:
        # Some recipients may have no invitation yet: let go, and the sweep runs it again.
        Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=None)
        return "error"
    if _unfinished(campaign):
        # Retries are due later; release the campaign so the sweep resumes it when they are.
        Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=None)
        return "waiting"
    Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, finished_at=timezone.now(), heartbeat_at=None
    )
    return "sent"


def campaigns_sweep(*, now: datetime | None = None) -> int:
    """Periodic job: start due scheduled campaigns and resume sending ones nobody is running.
    Runs them here, one after another; returns how many it ran."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PODIUM_CAMPAIGN_STALE_SECONDS)
    candidates = list(
        Campaign.objects.filter(
            Q(status=Campaign.Status.SCHEDULED, send_at__lte=now)
            | Q(status=Campaign.Status.SENDING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale))
        ).values_list("pk", flat=True)
    )
    ran = 0
    for campaign_id in candidates:
        if campaign_run(campaign_id=campaign_id, now=now) != "not taken":
            ran += 1
    return ran


# The invitation's answer ---------------------------------------------------------------------------


def _registration_details(invitation: Invitation) -> dict:
    person = invitation.person
    if person is None:
        return {"name": invitation.name or invitation.email, "segment": Segment.OTHER}
    designation = person.designations.first()
    return {
        "name": person.styled_name,
        "segment": person.segment or Segment.OTHER,
        "organisation": designation.organisation if designation else "",
        "designation": designation.position if designation else "",
    }


def invitation_accept(*, invitation: Invitation) -> registration_services.RegistrationOutcome:
    """One click on “accept”: register under the event's rules (confirmed, waiting list or pending)."""
    with transaction.atomic():
        outcome = registration_services.registration_submit(
            event=invitation.event,
            email=invitation.email,
            invitation=invitation,
            **_registration_details(invitation),
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            response=Invitation.Response.ACCEPTED, responded_at=timezone.now()
        )
    return outcome


def invitation_decline(*, invitation: Invitation) -> None:
    """“Decline”: recorded; a registration made with the invitation is cancelled, freeing its seat."""
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(
            response=Invitation.Response.DECLINED, responded_at=timezone.now()
        )
        registration = Registration.objects.filter(
            event=invitation.event,
            email__iexact=invitation.email,
            status__in=Registration.ACTIVE_STATUSES,
        ).first()
    if registration is not None:
        registration_services.registration_cancel(registration=registration)
