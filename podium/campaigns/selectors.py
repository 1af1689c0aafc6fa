"""Reads of campaigns: who a draft would reach and what sending it would do, the email as a sample person
would see it, progress counts and recipients with their status."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from podium.audience.selectors import audience_left_out, audience_people
from podium.campaigns.models import Campaign, CampaignRecipient, InvitationTemplate
from podium.campaigns.rendering import CampaignRenderer
from podium.core.selectors import related_count
from podium.core.templatetags.podium import short_datetime
from podium.events.models import Event, Participation
from podium.mail.kinds import mail_kind_get
from podium.mail.models import Message
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration
from podium.registrations.services import seats_left

ACTIVE = list(Registration.ACTIVE_STATUSES)


def _selected(campaign: Campaign) -> QuerySet[Person]:
    """Everyone the campaign's selection names who can be emailed, registered for its event or not."""
    return audience_people(
        segments=campaign.segments,
        tags=list(campaign.tags.all()),
        audiences=list(campaign.audiences.all()),
        people=list(campaign.people.all()),
    )


def _registered_for(event_id: int) -> Exists:
    """Has the person (by email) an active registration (pending, confirmed or waitlisted) for the event?"""
    return Exists(
        Registration.objects.filter(
            event_id=event_id, email__iexact=OuterRef("email"), status__in=Registration.ACTIVE_STATUSES
        )
    )


def _on_agenda_of(event_id: int) -> Exists:
    """Is the person on the event's own agenda (speaker, moderator, host …, whatever their answer)? They
    hear from the event as a speaker (their speaker invitation), not as an invited guest."""
    return Exists(Participation.objects.filter(event_id=event_id, person_id=OuterRef("pk")))


def campaign_audience(*, campaign: Campaign) -> QuerySet[Person]:
    """Who receive the invitation: the selection, less people on the event's own agenda and people already
    registered for it (an invitation to what they speak at, have a seat for, or are waiting or awaiting
    approval for, only confuses). Asked when the confirmation counts, when the campaign is scheduled and
    again when it is sent."""
    return _selected(campaign).filter(~_on_agenda_of(campaign.event_id), ~_registered_for(campaign.event_id))


def invitation_template_texts() -> dict[str, dict[str, str]]:
    """Each template's subject and text by id, for the campaign form's script to fill the fields with."""
    return {
        str(pk): {"subject": subject, "body": body}
        for pk, subject, body in InvitationTemplate.objects.order_by("pk").values_list("pk", "subject", "body")
    }


def campaign_sample_person() -> Person:
    """The made-up invitee of the declared campaign_invitation email (podium/campaigns/mails.py), unsaved.
    Without a time zone of their own, so their {{ event_date }} is in the event's zone, as the rest of the
    campaign's page."""
    person = mail_kind_get("campaign_invitation").sample()["person"]
    person.time_zone = ""
    return person


def campaign_preview(*, campaign: Campaign) -> dict:
    """The email as the sample person would receive it, every personal link a label pointing nowhere: no
    real person's data, and nothing in it accepts, declines or unsubscribes in anyone's name."""
    person = campaign_sample_person()
    invitation = Invitation(event=campaign.event, email=person.email, name=person.styled_name, token="sample")
    rendered = CampaignRenderer(campaign).render(person=person, invitation=invitation, sample_links=True)
    return {**rendered, "person": person}


def campaign_event_warnings(*, event: Event, recipients: int, now: datetime | None = None) -> list[str]:
    """What would embarrass an invitation to this event now: nobody could register, or the seats are gone.
    Written for the person about to send."""
    now = now or timezone.now()
    zone = event.time_zone
    if event.has_ended(now):
        return ["This event is over: anyone who accepts is told registration is closed."]
    warnings = []
    if event.is_draft:
        warnings.append(
            "The event is still a draft: its page is not public and registration is closed, so anyone who "
            "accepts is told registration is closed. Announce the event first."
        )
    elif event.registration_opens_at and now < event.registration_opens_at:
        warnings.append(
            f"Registration opens on {short_datetime(event.registration_opens_at, zone)}: anyone who accepts "
            "before then is told registration is closed."
        )
    elif now >= event.registration_closes:
        warnings.append(
            f"Registration closed on {short_datetime(event.registration_closes, zone)}: anyone who accepts is "
            "told registration is closed."
        )
    left = seats_left(event=event)
    if left == 0:
        then = "waits for approval with no seat free" if event.needs_approval else "joins the waiting list"
        warnings.append(f"The event is full: all {event.capacity:,} seats are taken. Anyone who accepts {then}.")
    elif left is not None and left < recipients and not event.needs_approval:
        warnings.append(
            f"Only {left:,} seat{'s' if left != 1 else ''} left for {recipients:,} invitations: once they are "
            "taken, whoever accepts joins the waiting list."
        )
    return warnings


@dataclass(frozen=True)
class SendSummary:
    """What sending a draft would do, in numbers, as the confirmation states it."""

    recipients: int  # who receive the invitation by email
    no_email: int  # selected, left out: no email address
    unsubscribed: int  # selected, left out: they asked for no more invitations
    registered: int  # selected, left out: already registered for the event (pending, confirmed or waitlisted)
    on_agenda: int  # selected, left out: on the event's agenda (not registered; they have a speaker invitation)
    invited: int  # of the recipients: invited to the event before (they get the same personal links)
    warnings: list[str] = field(default_factory=list)

    @property
    def selected(self) -> int:
        return self.recipients + self.left_out

    @property
    def left_out(self) -> int:
        return self.no_email + self.unsubscribed + self.registered + self.on_agenda


def campaign_send_summary(*, campaign: Campaign) -> SendSummary:
    """Who a draft would reach, who it leaves out and why, and what about the event would embarrass it."""
    event = campaign.event
    registered = Q(_registered_for(event.pk))
    on_agenda = Q(_on_agenda_of(event.pk))
    kept = ~registered & ~on_agenda
    counts = (
        _selected(campaign)
        .order_by()
        .aggregate(
            recipients=Count("pk", filter=kept),
            registered=Count("pk", filter=registered),
            on_agenda=Count("pk", filter=on_agenda & ~registered),
            invited=Count(
                "pk",
                filter=kept & Q(Exists(Invitation.objects.filter(event=event, email__iexact=OuterRef("email")))),
            ),
        )
    )
    left_out = audience_left_out(
        segments=campaign.segments,
        tags=list(campaign.tags.all()),
        audiences=list(campaign.audiences.all()),
        people=list(campaign.people.all()),
    )
    return SendSummary(
        **counts,
        **left_out,
        warnings=campaign_event_warnings(event=event, recipients=counts["recipients"]),
    )


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


def event_campaigns(*, event: Event) -> QuerySet[Campaign]:
    """The invitation campaigns of one event with their counts, newest first."""
    return campaign_list().filter(event=event).order_by("-created_at", "-pk")


# Scheduled counts as sent: the invitations will go without anyone doing more.
UNDER_WAY = (Campaign.Status.SCHEDULED, Campaign.Status.SENDING, Campaign.Status.SENT)


def campaign_count_annotations() -> dict:
    """Per event: campaigns under way or sent, and drafts not yet sent (cancelled ones count as neither)."""
    return {
        "campaigns_sent_count": related_count(Campaign.objects.filter(status__in=UNDER_WAY), to="event"),
        "campaigns_draft_count": related_count(Campaign.objects.filter(status=Campaign.Status.DRAFT), to="event"),
    }


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
