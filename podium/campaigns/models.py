"""Invitation campaigns: a template, an event, an audience, and what happened to each recipient."""

from django.conf import settings
from django.db import models

from podium.audience.models import SavedAudience
from podium.events.models import Event
from podium.mail.models import Message
from podium.people.models import Person, Segment, Tag
from podium.registrations.models import Invitation


class InvitationTemplate(models.Model):
    """A reusable invitation text with declared placeholders ({{ recipient_name }}); see placeholders.py."""

    name = models.CharField(max_length=150, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, related_name="campaigns", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # The audience: the union of these, each person once.
    segments = models.JSONField(default=list, blank=True, help_text='Segment values, e.g. ["diplomat"].')
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    audiences = models.ManyToManyField(SavedAudience, blank=True, related_name="+")
    people = models.ManyToManyField(Person, blank=True, related_name="+")
    restrict_to_email = models.BooleanField(
        "only the invited address may register",
        default=True,
        help_text="Someone forwarding the invitation cannot use it with another address.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Updated by the sending worker after every batch; a stale heartbeat means it died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def can_be_cancelled(self) -> bool:
        """Scheduled or sending: not finished, so its progress page follows it and staff may stop it."""
        return self.status in (self.Status.SCHEDULED, self.Status.SENDING)

    def segment_labels(self) -> list[str]:
        labels = dict(Segment.choices)
        return [labels.get(value, value) for value in self.segments]


class CampaignRecipient(models.Model):
    """One person a campaign invites: their invitation and the message that carries it."""

    campaign = models.ForeignKey(Campaign, related_name="recipients", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="campaign_recipients", on_delete=models.CASCADE)
    email = models.EmailField()
    invitation = models.ForeignKey(Invitation, related_name="campaign_recipients", on_delete=models.CASCADE)
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="campaign_recipient_once")]

    def __str__(self) -> str:
        return f"{self.email} in {self.campaign}"
