"""The live session: its state, questions, polls, notes, attendance, and the stored stream of live events."""

from django.conf import settings
from django.db import models

from podium.events.models import Event, Participation
from podium.registrations.models import Registration


class LiveSession(models.Model):
    """What the moderator controls: the agenda position, the Q&A mode, the question being answered."""

    class QAMode(models.TextChoices):
        PREMODERATED = "premoderated", "Pre-moderated: questions appear once approved"
        OPEN = "open", "Open: questions appear at once"

    event = models.OneToOneField(Event, related_name="live", on_delete=models.CASCADE)
    current = models.ForeignKey(Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    qa_mode = models.CharField(max_length=20, choices=QAMode.choices, default=QAMode.PREMODERATED)
    now_answering = models.ForeignKey(
        "live.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last live event's number: events are numbered 1, 2, 3... per event, under this row's lock,
    # so they commit in the order of their numbers and a gap means something was missed.
    last_seq = models.PositiveBigIntegerField(default=0)
    # Set when a moderator ends the session: polls are closed, attendees can no longer ask, upvote or vote.
    ended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Live session of {self.event}"

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None


class LiveEvent(models.Model):
    """Everything the live pages must see, stored in order: a browser that reconnects asks for
    what came after the last id it saw."""

    class Audience(models.TextChoices):
        ALL = "all", "Everyone"
        MODERATORS = "moderators", "Moderators only"

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(Event, related_name="live_events", on_delete=models.CASCADE)
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.ALL)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "seq"]
        constraints = [models.UniqueConstraint(fields=["event", "seq"], name="live_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        ANSWERED = "answered", "Answered"
        DISMISSED = "dismissed", "Dismissed"

    MAX_LENGTH = 500

    event = models.ForeignKey(Event, related_name="live_questions", on_delete=models.CASCADE)
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    asker_name = models.CharField(max_length=200)
    asker_organisation = models.CharField(max_length=300, blank=True)
    anonymous = models.BooleanField(default=False, help_text="Shown to other attendees without the name.")
    addressed_to = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    text = models.TextField(max_length=MAX_LENGTH)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    pinned = models.BooleanField(default=False)
    upvotes = models.PositiveIntegerField(default=0)
    # The browser's id for this submission: a double click or a retry sends the same key.
    client_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "client_key"], name="question_once_per_key")]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return self.text[:60]

    # What the asker reads in their own list of questions (the page's script says the same).
    FOR_ASKER = {
        Status.PENDING: "Waiting for approval",
        Status.APPROVED: "On the board",
        Status.ANSWERED: "Answered",
        Status.DISMISSED: "Not taken up",
    }

    @property
    def status_for_asker(self) -> str:
        return self.FOR_ASKER[Question.Status(self.status)]


class Upvote(models.Model):
    question = models.ForeignKey(Question, related_name="votes", on_delete=models.CASCADE)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "registration"], name="upvote_once")]

    def __str__(self) -> str:
        return f"upvote of question {self.question_id} by registration {self.registration_id}"


class Poll(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Prepared"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    MIN_OPTIONS, MAX_OPTIONS = 2, 8

    event = models.ForeignKey(Event, related_name="polls", on_delete=models.CASCADE)
    question = models.CharField(max_length=300)
    options = models.JSONField(help_text="The answers, in order.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    results_shown = models.BooleanField(default=False, help_text="Attendees see the results.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.question


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, related_name="votes", on_delete=models.CASCADE)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "registration"], name="poll_vote_once")]

    def __str__(self) -> str:
        return f"vote for answer {self.option} of poll {self.poll_id}"


class Note(models.Model):
    """The rapporteur's notes, stamped with the time and the speaker at the moment, kept for the report."""

    event = models.ForeignKey(Event, related_name="live_notes", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker = models.ForeignKey(Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Presence(models.Model):
    """One live-page connection of a registrant: attendance from connect to disconnect."""

    event = models.ForeignKey(Event, related_name="presences", on_delete=models.CASCADE)
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="presences"
    )
    connected_at = models.DateTimeField()
    disconnected_at = models.DateTimeField(null=True, blank=True)
    # The server process holding the connection (StreamServer.origin): if it dies, its open rows are
    # no longer counted as connected, and the worker's sweep closes them.
    server = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["event", "disconnected_at"])]

    def __str__(self) -> str:
        return f"registration {self.registration_id} connected at {self.connected_at:%Y-%m-%d %H:%M:%S}"


class StreamServer(models.Model):
    """A server process holding live streams, and when it last said it was alive."""

    # A process says so every 15 s (podium.live.streams); after this long without a word it is dead.
    TIMEOUT_SECONDS = 60

    origin = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Stream server {self.origin}"
