"""Registrations for an event, and the invitations that admit people to invitation-only events."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from podium.events.models import Event
from podium.people.models import Person, Segment


def new_token() -> str:
    # 32 random bytes: 256 bits, URL-safe, never derived from anything guessable.
    return secrets.token_urlsafe(32)


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def pending(self):
        return self.filter(status=Registration.Status.PENDING)

    def active(self):
        return self.filter(status__in=Registration.ACTIVE_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, related_name="registrations", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="registrations", null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=300, blank=True)
    designation = models.CharField(max_length=200, blank=True)
    segment = models.CharField(max_length=20, choices=Segment.choices)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    # Two credentials, never the same: the join token opens the join link and the live page (it may be
    # forwarded with a calendar entry); the manage token opens the registration page, which shows the
    # email and details and can change or cancel them. Only the registrant's emails carry it.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    manage_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invitation = models.ForeignKey(
        "registrations.Invitation", related_name="registrations", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the registration took its current place: the waiting list is served in this order.
    status_changed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A decline by the organisers: the reason sent to the person (may be empty), and the place held
    # before it, so that staff can undo the decline while its email has not gone.
    decline_reason = models.TextField(blank=True)
    declined_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    declined_from_changed_at = models.DateTimeField(null=True, blank=True)
    # The first time the registrant opened their personal join link: they attended.
    joined_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                name="registration_one_per_email",
                violation_error_message="This email address is already registered for this event.",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> – {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    # One question per status, for templates (which ask rather than compare the status's value).
    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Invitation(models.Model):
    """A personal invitation to an event; its token opens an invitation-only event to its holder."""

    event = models.ForeignKey(Event, related_name="invitations", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="invitations", null=True, blank=True, on_delete=models.SET_NULL)
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Response(models.TextChoices):
        NONE = "", "No answer yet"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    restrict_to_email = models.BooleanField(
        default=True, help_text="Only this email address may register with the invitation."
    )
    response = models.CharField(max_length=10, choices=Response.choices, blank=True, default=Response.NONE)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="invitation_one_per_email"),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.event}"

    @property
    def is_accepted(self) -> bool:
        return self.response == self.Response.ACCEPTED

    @property
    def is_declined(self) -> bool:
        return self.response == self.Response.DECLINED
