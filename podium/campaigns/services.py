"""Writes of invitation campaigns: templates, drafts, scheduling, cancelling, the sweep that resumes
them, and the invitee's answer. Rendering is podium.campaigns.rendering; sending is
podium.campaigns.delivery, run by the task worker."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from podium.campaigns.models import Campaign, CampaignRecipient, InvitationTemplate
from podium.campaigns.placeholders import template_errors
from podium.campaigns.selectors import campaign_audience
from podium.core.errors import ApplicationError
from podium.events.models import Event
from podium.mail.models import Message
from podium.people.models import Segment
from podium.registrations import services as registration_services
from podium.registrations.models import Invitation, Registration

logger = logging.getLogger("podium.campaigns")


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


def campaign_schedule(
    *,
    campaign: Campaign,
    send_at: datetime | None = None,
    expected_count: int | None = None,
    now: datetime | None = None,
) -> Campaign:
    """Send now (send_at None) or at a set time. The worker starts it when it is due.

    `expected_count`: how many recipients the person confirmed; if the audience has changed since (someone
    unsubscribed, a tag was added), nothing is scheduled and they are shown the new number."""
    now = now or timezone.now()
    if send_at is not None and send_at < now - timedelta(minutes=1):
        raise ApplicationError("That time has passed. Choose a time in the future, or send now.", field="send_at")
    recipients = campaign_audience(campaign=campaign).count()
    if not recipients:
        raise ApplicationError("Nobody in this audience can be emailed (no address, or unsubscribed).")
    if expected_count is not None and recipients != expected_count:
        raise ApplicationError(
            f"The audience changed since you checked: it is now {recipients:,} "
            f"{'person' if recipients == 1 else 'people'}, not {expected_count:,}. Nothing was sent; "
            "check the numbers below and confirm again.",
            field="expected",
            status=409,
        )
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.SCHEDULED, send_at=send_at or now
        )
        if not updated:
            raise ApplicationError("This campaign has already been scheduled or sent.")
        campaign.refresh_from_db()
        assert campaign.send_at is not None  # the update above set it
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


def campaigns_sweep(*, now: datetime | None = None) -> int:
    """Periodic job: queue a run for each due scheduled campaign and each sending one nobody is running
    (its sender died, or it waits for retries). The runs happen in the task worker, not here, so a long
    campaign never holds up the other periodic jobs (reminders, the outbox). Returns how many it queued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PODIUM_CAMPAIGN_STALE_SECONDS)
    candidates = list(
        Campaign.objects.filter(
            Q(status=Campaign.Status.SCHEDULED, send_at__lte=now)
            | Q(status=Campaign.Status.SENDING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale))
        ).values_list("pk", flat=True)
    )
    for campaign_id in candidates:
        _enqueue_run(campaign_id, None)
    return len(candidates)


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
