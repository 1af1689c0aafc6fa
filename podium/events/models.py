"""Series, events, their agenda (participations) and the questions an event asks its registrants."""

import secrets
import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from podium.core.models import validate_time_zone
from podium.core.uploads import document_validate
from podium.events.attribution import Attribution, AttributionPolicy, attribution_policy
from podium.people.models import Person

# Reminders go out at most this long before the start: a schedule is about the days before an event.
MAX_REMINDER_OFFSET_MINUTES = 30 * 24 * 60
MAX_REMINDERS = 8


def default_reminder_offsets() -> list[int]:
    return [1440, 60]  # one day and one hour before the start


def validate_reminder_offsets(value) -> None:
    """Minutes before the start: whole positive numbers, each once, at most 30 days."""
    if not isinstance(value, list):
        raise ValidationError("The reminder schedule must be a list of minutes before the start.")
    if len(value) > MAX_REMINDERS:
        raise ValidationError("Give at most %(max)s reminders.", params={"max": MAX_REMINDERS})
    for minutes in value:
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise ValidationError("Each reminder must be a whole number of minutes before the start, more than 0.")
        if minutes > MAX_REMINDER_OFFSET_MINUTES:
            raise ValidationError("Reminders can be sent at most 30 days before the start.")
    if len(set(value)) != len(value):
        raise ValidationError("Each reminder time may appear only once.")


def new_participation_token() -> str:
    # 32 random bytes, like registration tokens: the speaker's personal link is the credential.
    return secrets.token_urlsafe(32)


class RegistrationMode(models.TextChoices):
    OPEN = "open", "Open"
    APPROVAL = "approval", "Approval required"
    INVITATION = "invitation", "Invitation only"


REGISTRATION_MODES = RegistrationMode.choices


class Series(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    intended_audience = models.TextField(
        blank=True, help_text="Who the series is for, as the press release describes it."
    )
    # What a new event of the series starts from; staff change them per event.
    default_organiser = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Put on each new event's agenda as its host.",
    )
    # One of podium.video's engines; the video app (above this one) gives the choices and makes the room.
    default_video_engine = models.CharField(max_length=20, blank=True)
    default_registration_mode = models.CharField(max_length=20, choices=REGISTRATION_MODES, default="open")
    default_capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats; empty for no limit.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    class Format(models.TextChoices):
        WEBINAR = "webinar", "Webinar"
        ROUNDTABLE = "roundtable", "Roundtable"
        HYBRID = "hybrid", "Hybrid"
        IN_PERSON = "in_person", "In person"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ANNOUNCED = "announced", "Announced"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"
        REPORT_PUBLISHED = "report_published", "Report published"

    class Visibility(models.TextChoices):
        # Said the way staff say it, once: status lines and the admin show these labels, and forms add
        # VISIBILITY_MEANINGS. The stored value "public" stays; what it means is "listed".
        PUBLIC = "public", "Listed"
        UNLISTED = "unlisted", "Unlisted"
        INVITATION_ONLY = "invitation_only", "Invitation only"

    Attribution = Attribution  # the rule and what it decides live in podium.events.attribution

    RegistrationMode = RegistrationMode

    series = models.ForeignKey(Series, related_name="events", on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    abstract = models.TextField(blank=True)
    purpose = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the event is held, as the press release's lead goes on: “to discuss the prospects of …”.",
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.WEBINAR)
    location = models.CharField(max_length=300, blank=True, help_text="Venue, for hybrid and in-person events.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Asia/Karachi", validators=[validate_time_zone])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    attribution = models.CharField(max_length=20, choices=Attribution.choices, default=Attribution.ON_THE_RECORD)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats; leave empty for no limit.")
    registration_mode = models.CharField(max_length=20, choices=RegistrationMode.choices, default=RegistrationMode.OPEN)
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to close registration when the event starts."
    )
    join_url = models.URLField(
        "video link",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="Zoom, Jitsi or any link. Registrants reach it through their personal join link, which "
        "leads here once the event opens.",
    )
    join_opens_minutes = models.PositiveSmallIntegerField(
        "join link opens", default=15, help_text="Minutes before the start when registrants can join."
    )
    reminder_offsets = models.JSONField(
        "reminders",
        default=default_reminder_offsets,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text="Minutes before the start when confirmed registrants get a reminder with their join link.",
    )
    tech_check_minutes = models.PositiveSmallIntegerField(
        "technical check",
        default=30,
        help_text="Minutes before the start when speakers join for a technical check.",
    )
    # Stable identity for calendar files: the same UID every time, SEQUENCE bumped on changes.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["visibility", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="The event must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event must end after it starts."})
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            raise ValidationError({"registration_closes_at": "Registration must close after it opens."})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def has_ended(self, now=None) -> bool:
        """Over by the clock, or marked ended by staff (who may close an event early)."""
        return (now or timezone.now()) > self.ends_at or self.status in (
            self.Status.ENDED,
            self.Status.REPORT_PUBLISHED,
        )

    @property
    def is_listed(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC and self.status != self.Status.DRAFT

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_unlisted(self) -> bool:
        return self.visibility == self.Visibility.UNLISTED

    @property
    def has_public_page(self) -> bool:
        """Can anyone with the address open the event's page (listed or unlisted, not a draft)?"""
        return not self.is_draft and self.visibility != self.Visibility.INVITATION_ONLY

    @property
    def format_noun(self) -> str:
        """What the event is called in running text (“held a roundtable on …”, “The webinar was …”)."""
        return FORMAT_NOUNS[self.format]

    @property
    def online_only(self) -> bool:
        """Webinars and roundtables are held online only; hybrid events also have a room."""
        return self.format in (self.Format.WEBINAR, self.Format.ROUNDTABLE)

    @property
    def joins_online(self) -> bool:
        """Webinars and hybrid events: people join through a video link."""
        return self.format != self.Format.IN_PERSON

    @property
    def needs_approval(self) -> bool:
        return self.registration_mode == self.RegistrationMode.APPROVAL

    @property
    def by_invitation(self) -> bool:
        return self.registration_mode == self.RegistrationMode.INVITATION

    @property
    def policy(self) -> AttributionPolicy:
        """What the event's attribution rule allows: ask it, never compare the rule's value."""
        return attribution_policy(self.attribution)

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    @property
    def join_opens_at(self) -> datetime:
        return self.starts_at - timedelta(minutes=self.join_opens_minutes)

    @property
    def tech_check_at(self) -> datetime:
        return self.starts_at - timedelta(minutes=self.tech_check_minutes)

    @property
    def speakers_join_at(self) -> datetime:
        """Speakers may come in for the technical check, and never later than the audience."""
        return min(self.tech_check_at, self.join_opens_at)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status not in (self.Status.ANNOUNCED, self.Status.LIVE):
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_closes


class Role(models.TextChoices):
    HOST = "host", "Host"
    MODERATOR = "moderator", "Moderator"
    MAIN_SPEAKER = "main_speaker", "Main speaker"
    DISCUSSANT = "discussant", "Discussant"
    CLOSING_REMARKS = "closing_remarks", "Closing remarks"
    RAPPORTEUR = "rapporteur", "Rapporteur"


# What each visibility means, in the words a form shows beside its choice.
VISIBILITY_MEANINGS = {
    "public": "on the home page, in its series and in search",
    "unlisted": "anyone with the link, never listed",
    "invitation_only": "only people invited can see it and register",
}

# What each format is called in running text (press releases: “NIPS held a roundtable on …”), in one place.
FORMAT_NOUNS: dict[str, str] = {
    Event.Format.WEBINAR: "webinar",
    Event.Format.ROUNDTABLE: "roundtable",
    Event.Format.HYBRID: "hybrid seminar",
    Event.Format.IN_PERSON: "seminar",
}


ROLE_PLURALS = {
    Role.HOST: "Hosts",
    Role.MODERATOR: "Moderators",
    Role.MAIN_SPEAKER: "Main speakers",
    Role.DISCUSSANT: "Discussants",
    Role.CLOSING_REMARKS: "Closing remarks",
    Role.RAPPORTEUR: "Rapporteurs",
}


# How an invitation names the role: “NIPS invites you to moderate …”.
ROLE_INVITATIONS: dict[str, str] = {
    Role.HOST: "to host",
    Role.MODERATOR: "to moderate",
    Role.MAIN_SPEAKER: "to speak as the main speaker at",
    Role.DISCUSSANT: "to speak as a discussant at",
    Role.CLOSING_REMARKS: "to give the closing remarks at",
    Role.RAPPORTEUR: "to serve as rapporteur at",
}


class ParticipationQuerySet(models.QuerySet["Participation"]):
    """Who is shown where: the one place that decides it (issue 12). Pages, feeds, search, structured
    data and emails to people outside the institute ask `public()`; staff pages and the people who run
    the event ask `on_agenda()`."""

    def public(self) -> "ParticipationQuerySet":
        """Named in public: confirmed participants only. An invited speaker has not said yes, and may say
        no; naming them would announce what they never agreed to."""
        return self.filter(confirmation=Participation.Confirmation.CONFIRMED)

    def on_agenda(self) -> "ParticipationQuerySet":
        """Planned with by staff, briefed and shown to moderators: everyone who has not declined."""
        return self.exclude(confirmation=Participation.Confirmation.DECLINED)


class Participation(models.Model):
    class Confirmation(models.TextChoices):
        INVITED = "invited", "Invited"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    event = models.ForeignKey(Event, related_name="participations", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="participations", on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the agenda.")
    talk_title = models.CharField(max_length=300, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    confirmation = models.CharField(max_length=20, choices=Confirmation.choices, default=Confirmation.INVITED)
    # The speaker's personal link (/speak/<token>/ and /j/s/<token>/); no login needed.
    token = models.CharField(max_length=64, unique=True, default=new_participation_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True, help_text="When the invitation email was last sent.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True, help_text="When the speaker accepted or declined.")
    briefing_note = models.TextField(
        blank=True, help_text="For the speaker only: sent with their invitation and briefings, never published."
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person", "role"],
                name="participation_unique_role",
                violation_error_message="This person already has this role in the event.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.event}"

    @property
    def invitation_phrase(self) -> str:
        return ROLE_INVITATIONS[self.role]

    @property
    def leads_event(self) -> bool:
        """The moderator and the main speaker: the names an event's card shows."""
        return self.role in (Role.MODERATOR, Role.MAIN_SPEAKER)

    @property
    def is_invited(self) -> bool:
        return self.confirmation == self.Confirmation.INVITED

    @property
    def is_public(self) -> bool:
        """The same rule as ParticipationQuerySet.public(), for one row already loaded."""
        return self.is_confirmed

    @property
    def is_confirmed(self) -> bool:
        return self.confirmation == self.Confirmation.CONFIRMED

    @property
    def is_declined(self) -> bool:
        return self.confirmation == self.Confirmation.DECLINED

    @property
    def speaker_zone(self) -> str:
        """The zone the speaker lives in, for times written to them; the event's when unknown."""
        return self.person.time_zone or self.event.time_zone


class Question(models.Model):
    """A custom question an event asks on its registration form."""

    class Kind(models.TextChoices):
        TEXT = "text", "Short answer"
        LONG_TEXT = "long_text", "Paragraph"
        CHOICE = "choice", "One of a list"
        CHECKBOX = "checkbox", "Yes or no"

    event = models.ForeignKey(Event, related_name="questions", on_delete=models.CASCADE)
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(blank=True, help_text="For “one of a list”: one option per line.")
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": "Give at least two options, one per line."})


class Attachment(models.Model):
    """Something the public archive offers with a past event: the recording, slides, a paper or a link."""

    class Kind(models.TextChoices):
        RECORDING = "recording", "Recording"
        SLIDES = "slides", "Slides"
        DOCUMENT = "document", "Document"
        LINK = "link", "Link"

    event = models.ForeignKey(Event, related_name="attachments", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True, validators=[URLValidator(schemes=["https", "http"])])
    file = models.FileField(upload_to="attachments/", blank=True, validators=[document_validate])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="", file=""),
                name="attachment_link_or_file",
                violation_error_message="Give a link or upload a file.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url
