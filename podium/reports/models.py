"""After the event: imported transcripts, the points made by each speaker, and the press release with its versions."""

from django.conf import settings
from django.db import models

from podium.events.models import Event, Participation


class Transcript(models.Model):
    """One imported transcript file, read whole into speaker turns."""

    event = models.ForeignKey(Event, related_name="transcripts", on_delete=models.CASCADE)
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    word_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class TranscriptSpeaker(models.Model):
    """A speaker label as the transcript writes it, and who on the agenda it is."""

    transcript = models.ForeignKey(Transcript, related_name="speakers", on_delete=models.CASCADE)
    label = models.CharField(max_length=200)
    participation = models.ForeignKey(Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Podium's guess until staff confirm (or correct) it.
    confirmed = models.BooleanField(default=False)
    word_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["transcript", "pk"]
        constraints = [models.UniqueConstraint(fields=["transcript", "label"], name="transcript_speaker_label")]

    def __str__(self) -> str:
        return self.label


class TranscriptTurn(models.Model):
    """What one speaker said without interruption, with where it starts in the recording and the file."""

    transcript = models.ForeignKey(Transcript, related_name="turns", on_delete=models.CASCADE)
    speaker = models.ForeignKey(TranscriptSpeaker, related_name="turns", on_delete=models.CASCADE)
    text = models.TextField()
    start = models.FloatField(null=True, blank=True, help_text="Seconds from the start of the recording.")
    line = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["transcript", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Point(models.Model):
    """Something a speaker said, in a form the press release can report: “that relations were …”."""

    class Source(models.TextChoices):
        NOTE = "note", "Rapporteur's note"
        TRANSCRIPT = "transcript", "Transcript"
        STAFF = "staff", "Entered after the event"

    event = models.ForeignKey(Event, related_name="points", on_delete=models.CASCADE)
    participation = models.ForeignKey(Participation, related_name="points", on_delete=models.CASCADE)
    text = models.TextField(help_text="As the press release prints it: the clause after “said that”, or a quotation.")
    # The words as spoken, when the point came from a transcript; shown beside the printed text.
    spoken = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    # The rapporteur's live note this point was made from: a note becomes a point once.
    note = models.ForeignKey("live.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="points")
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participation__order", "participation_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Report(models.Model):
    """The event's press release: its draft versions, approval and what the public archive shows."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    event = models.OneToOneField(Event, related_name="report", on_delete=models.CASCADE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the public archive shows; edits after publishing make a new draft until it is published again.
    published_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("approve_report", "Can approve a press release written by someone else"),
            ("publish_report", "Can publish a press release"),
        ]

    def __str__(self) -> str:
        return f"Press release: {self.event}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def awaits_approval(self) -> bool:
        return self.status == self.Status.AWAITING_APPROVAL

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_published(self) -> bool:
        """The current version is the published one (an edit after publishing makes a draft again)."""
        return self.status == self.Status.PUBLISHED


class ReportVersion(models.Model):
    """One saved state of the press release; versions are never changed, only added."""

    report = models.ForeignKey(Report, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    headline = models.CharField(max_length=300)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    change = models.CharField(max_length=300, help_text="What this version changed, in words.")

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs_of(self.body)


def paragraphs_of(body: str) -> list[str]:
    """Paragraphs of a body: blank lines separate them, single line breaks inside one are spaces."""
    blocks = body.replace("\r\n", "\n").split("\n\n")
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]
