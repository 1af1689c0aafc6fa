"""Reads of campaigns: who a draft would reach, the email as a recipient would see it, progress counts and
recipients with their status."""

from django.db.models import Count, Q, QuerySet

from podium.audience.selectors import audience_people
from podium.campaigns.models import Campaign, CampaignRecipient
from podium.campaigns.rendering import CampaignRenderer
from podium.mail.models import Message
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration

ACTIVE = list(Registration.ACTIVE_STATUSES)


def campaign_audience(*, campaign: Campaign):
    return audience_people(
        segments=campaign.segments,
        tags=list(campaign.tags.all()),
        audiences=list(campaign.audiences.all()),
        people=list(campaign.people.all()),
    )


def campaign_preview(*, campaign: Campaign, person: Person) -> dict:
    """The email as this person would receive it; their invitation links are shown as samples
    unless they already have an invitation to the event."""
    invitation = Invitation.objects.filter(event=campaign.event, email__iexact=person.email).first()
    if invitation is None:
        invitation = Invitation(event=campaign.event, email=person.email, token="preview-not-a-real-link")
    return CampaignRenderer(campaign).render(person=person, invitation=invitation)


def campaign_progress(*, campaign: Campaign) -> dict[str, int]:
    """queued, sending, sent, failed, accepted, declined, registered: one query."""
    counts = CampaignRecipient.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(message__status=Message.Status.QUEUED)),
        sending=Count("pk", filter=Q(message__status=Message.Status.SENDING)),
        sent=Count("pk", filter=Q(message__status=Message.Status.SENT)),
        failed=Count("pk", filter=Q(message__status=Message.Status.FAILED)),
        accepted=Count("pk", filter=Q(invitation__response=Invitation.Response.ACCEPTED)),
        declined=Count("pk", filter=Q(invitation__response=Invitation.Response.DECLINED)),
    )
    # Registered by any route (the invitation, or the public form with the same address).
    counts["registered"] = Registration.objects.filter(
        event_id=campaign.event_id,
        status__in=ACTIVE,
        email__in=CampaignRecipient.objects.filter(campaign=campaign).values("email"),
    ).count()
    return counts


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("event").annotate(
        recipient_count=Count("recipients", distinct=True),
        sent_count=Count("recipients", distinct=True, filter=Q(recipients__message__status=Message.Status.SENT)),
        accepted_count=Count(
            "recipients", distinct=True, filter=Q(recipients__invitation__response=Invitation.Response.ACCEPTED)
        ),
    )


def campaign_recipients(*, campaign: Campaign, status: str = "") -> QuerySet[CampaignRecipient]:
    recipients = CampaignRecipient.objects.filter(campaign=campaign).select_related("person", "invitation", "message")
    if status in Message.Status.values:
        recipients = recipients.filter(message__status=status)
    elif status in (Invitation.Response.ACCEPTED, Invitation.Response.DECLINED):
        recipients = recipients.filter(invitation__response=status)
    return recipients.order_by("pk")


def recipient_registrations(*, campaign: Campaign, recipients: list[CampaignRecipient]) -> dict[str, Registration]:
    """Each recipient's registration for the campaign's event, by email: one query for a page."""
    emails = [r.email for r in recipients]
    return {
        registration.email: registration
        for registration in Registration.objects.filter(event_id=campaign.event_id, email__in=emails)
    }
