"""The video room of an event: which engine carries it (Jitsi Meet, BigBlueButton or a plain link) and its settings."""

import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models

from podium.events.models import Event

# Jitsi room names and BigBlueButton meeting ids: ASCII letters, digits, dashes and underscores only, which
# both engines take in a URL unchanged (BigBlueButton's documentation asks for exactly this set).
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
validate_safe_name = RegexValidator(SAFE_NAME, "Use only letters, digits, dashes and underscores (at most 100).")
validate_server_url = URLValidator(schemes=["https", "http"])

# What a per-registrant link may contain; each value is URL-encoded when the link is made.
LINK_PLACEHOLDERS = ("name", "email", "registration_id")


def validate_link_template(value: str) -> None:
    """A URL, optionally with {name}, {email} or {registration_id}; any other {placeholder} is refused."""
    try:
        fields = [field for _, field, spec, conversion in string.Formatter().parse(value) if field is not None]
    except ValueError:
        raise ValidationError("Braces must come in pairs, as in {name}.") from None
    unknown = sorted({field for field in fields if field not in LINK_PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            "Unknown placeholder %(names)s: use {name}, {email} or {registration_id}.",
            params={"names": ", ".join(f"{{{name}}}" for name in unknown)},
        )
    sample = value.format(**dict.fromkeys(LINK_PLACEHOLDERS, "x"))
    validate_server_url(sample)


class VideoRoom(models.Model):
    """One per event. An event without one but with a video link (Event.join_url) is treated as a "link" room."""

    class Engine(models.TextChoices):
        JITSI = "jitsi", "Jitsi Meet"
        BIGBLUEBUTTON = "bigbluebutton", "BigBlueButton"
        LINK = "link", "Link (Zoom or any other service)"

    class ChecksumAlgorithm(models.TextChoices):
        SHA256 = "sha256", "SHA-256"
        SHA1 = "sha1", "SHA-1 (older servers)"
        SHA512 = "sha512", "SHA-512"

    event = models.OneToOneField(Event, related_name="video_room", on_delete=models.CASCADE)
    engine = models.CharField(max_length=20, choices=Engine.choices, default=Engine.JITSI)

    # Jitsi Meet
    jitsi_server = models.URLField(
        "Jitsi server",
        max_length=300,
        blank=True,
        validators=[validate_server_url],
        help_text="For example https://meet.example.org, or https://8x8.vc/<tenant>. "
        "Empty: PODIUM_JITSI_URL (https://meet.jit.si unless set).",
    )
    room_name = models.CharField(
        "room name",
        max_length=100,
        blank=True,
        validators=[validate_safe_name],
        help_text="Empty: made from the event's address and a random part, so it cannot be guessed.",
    )
    embed = models.BooleanField(
        "show the video in the live page",
        default=True,
        help_text="Jitsi only. Otherwise the room opens in a new tab.",
    )
    jitsi_jwt = models.BooleanField(
        "token authentication (JWT)",
        default=False,
        help_text="For a Jitsi server with token authentication (jitsi-meet-tokens). Speakers and staff join as "
        "moderators.",
    )
    jitsi_app_id = models.CharField(
        "application id (iss)",
        max_length=200,
        blank=True,
        help_text="The server's app_id. Empty: PODIUM_JITSI_APP_ID.",
    )
    jitsi_audience = models.CharField(
        "audience (aud)",
        max_length=200,
        blank=True,
        help_text="Empty: PODIUM_JITSI_AUDIENCE (“jitsi” unless set).",
    )
    # Kept on the server only: never shown in a page, a list or a form (the admin form sets it, write-only).
    jitsi_jwt_secret = models.CharField(max_length=300, blank=True, editable=False)

    # BigBlueButton
    bbb_api_url = models.URLField(
        "BigBlueButton API URL",
        max_length=300,
        blank=True,
        validators=[validate_server_url],
        help_text="For example https://bbb.example.org/bigbluebutton/api/. Empty: PODIUM_BBB_URL.",
    )
    bbb_checksum_algorithm = models.CharField(
        "checksum",
        max_length=10,
        choices=ChecksumAlgorithm.choices,
        default=ChecksumAlgorithm.SHA256,
        help_text="SHA-256 unless the server accepts only SHA-1 (BigBlueButton before 2.5).",
    )
    meeting_id = models.CharField(
        "meeting id",
        max_length=100,
        blank=True,
        validators=[validate_safe_name],
        help_text="Empty: made from the event's identifier.",
    )
    welcome = models.TextField(
        "welcome message", blank=True, max_length=1000, help_text="Shown to everyone in the meeting's chat."
    )
    moderator_message = models.TextField(
        "message to moderators", blank=True, max_length=1000, help_text="Shown to moderators only."
    )
    bbb_secret = models.CharField(max_length=300, blank=True, editable=False)  # as jitsi_jwt_secret
    prepared_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When BigBlueButton last confirmed the meeting exists."
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When BigBlueButton reported that the meeting ended."
    )

    # Link (Zoom or any other service)
    link_url = models.CharField(
        "link",
        max_length=500,
        blank=True,
        validators=[validate_link_template],
        help_text="Empty: the event's video link. May contain {name}, {email} or {registration_id}, "
        "filled in (URL-encoded) for each person when they join.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "video room"

    def __str__(self) -> str:
        return f"{self.get_engine_display()} – {self.event}"

    @property
    def is_link(self) -> bool:
        """A plain link to another service (Zoom or the like) rather than a room Podium opens."""
        return self.engine == self.Engine.LINK

    def clean(self) -> None:
        if self.engine == self.Engine.BIGBLUEBUTTON and not (self.bbb_api_url or settings.PODIUM_BBB_URL):
            raise ValidationError({"bbb_api_url": "Give the server's API URL (PODIUM_BBB_URL is not set)."})
        if (
            self.engine == self.Engine.JITSI
            and self.jitsi_jwt
            and not (self.jitsi_app_id or settings.PODIUM_JITSI_APP_ID)
        ):
            raise ValidationError(
                {
                    "jitsi_app_id": "Token authentication needs the server's application id "
                    "(PODIUM_JITSI_APP_ID is not set)."
                }
            )
        if self.engine == self.Engine.LINK and not self.link_url and self.event_id and not self.event.join_url:
            raise ValidationError({"link_url": "Give the link (the event has no video link either)."})
