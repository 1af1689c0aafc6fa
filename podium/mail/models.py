"""The outbox: every email Podium sends is first a row here, delivered by the worker with retries."""

from django.db import models


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # Taken back before it went (staff undid the decline it announced): never sent.
        WITHDRAWN = "withdrawn", "Withdrawn"

    kind = models.CharField(max_length=60, help_text="Which template made it, e.g. registration_confirmed.")
    to_email = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    from_email = models.CharField(max_length=300)
    reply_to = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename", "mimetype", "content"}]; content is text (calendar files).
    attachments = models.JSONField(default=list, blank=True)
    # The same Message-ID on every attempt, so a receiving server can spot a repeat.
    message_id = models.CharField(max_length=300, unique=True)
    # Makes queueing idempotent: a second request for the same email is refused by the database.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    registration = models.ForeignKey(
        "registrations.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # Queued in bulk by a sender that delivers it itself, at its own pace (a campaign): the outbox sweep
    # leaves it to that sender, so that only the sender's connections carry it (podium.mail.claims).
    bulk = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email} ({self.get_status_display()})"

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
