"""The live events, declared: one class per kind, the payload each audience receives, and its builders.

A payload is a frozen dataclass; what is stored (LiveEvent.payload) and sent (the SSE frame's data)
is its `asdict`, so the stored catch-up and the live frame are the same JSON. A kind is a subclass
of `LiveMessage` that names, per audience, the payload types that audience may receive: the
moderators' question carries the asker's name, the attendees' one may not, and building a message
with the wrong one for its audience fails at once. `services._emit` takes only a `LiveMessage`;
tests/live/test_event_types.py emits every kind through the services and checks each stored
payload against its declaration, and checks that the live page's script handles every kind.
"""

import json
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from podium.core.templatetags.podium import zone_label
from podium.events.models import Event, Participation
from podium.live.hub import ATTENDEES_ONLY, Frame
from podium.live.models import LiveEvent, Note, Poll, PollVote, Question

ALL, MODERATORS = LiveEvent.Audience.ALL.value, LiveEvent.Audience.MODERATORS.value


# Payloads -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionForAttendees:
    """A question on the attendees' board."""

    id: int
    text: str
    status: str
    pinned: bool
    upvotes: int
    asker: str | None  # None: anonymous, by the asker's choice or under the Chatham House Rule
    to: str | None  # the speaker it is addressed to

    # The templates ask these rather than compare the status with a string.
    @property
    def is_pending(self) -> bool:
        return self.status == Question.Status.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == Question.Status.APPROVED

    @property
    def is_answered(self) -> bool:
        return self.status == Question.Status.ANSWERED


@dataclass(frozen=True, slots=True)
class QuestionForModerators(QuestionForAttendees):
    """A question on the console: always with the asker's name and organisation."""

    asker: str
    organisation: str
    anonymous: bool  # the asker chose not to be named
    hidden: bool  # the audience sees no name: the asker's choice, or the event's attribution rule
    created_at: str


@dataclass(frozen=True, slots=True)
class PollState:
    """A poll without its counts: what attendees see until the moderator shows the results."""

    has_results: ClassVar[bool] = False

    id: int
    question: str
    options: list[str]
    status: str
    results_shown: bool

    @property
    def is_open(self) -> bool:
        return self.status == Poll.Status.OPEN

    # The console offers only the actions that fit the poll's state.
    @property
    def can_open(self) -> bool:
        return self.status != Poll.Status.OPEN

    @property
    def can_close(self) -> bool:
        return self.status == Poll.Status.OPEN

    @property
    def can_show(self) -> bool:
        return self.status != Poll.Status.DRAFT and not self.results_shown

    @property
    def can_hide(self) -> bool:
        return self.results_shown

    @property
    def answers(self) -> list[tuple[str, int]]:
        """(answer, votes) in order; without results, every count is 0 (the page hides them)."""
        return [(option, 0) for option in self.options]


@dataclass(frozen=True, slots=True)
class PollWithResults(PollState):
    has_results: ClassVar[bool] = True

    counts: list[int]  # votes per answer, in the order of `options`
    total: int

    @property
    def answers(self) -> list[tuple[str, int]]:
        return list(zip(self.options, self.counts, strict=True))


@dataclass(frozen=True, slots=True)
class AgendaPosition:
    """Who is speaking now; all None when nobody is."""

    participation: int | None
    name: str | None
    role: str | None


@dataclass(frozen=True, slots=True)
class AnnouncementText:
    text: str
    at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class RapporteurNote:
    id: int
    text: str
    speaker: str | None  # whoever was speaking when the note was taken
    at: str  # ISO 8601, UTC
    time: str  # "14:05 PKT (UTC+05:00)": the time in the event's time zone, as the console shows it


@dataclass(frozen=True, slots=True)
class QAModeState:
    mode: str  # a LiveSession.QAMode value


@dataclass(frozen=True, slots=True)
class SessionEndState:
    at: str  # ISO 8601, UTC


# Kinds ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """One live event to emit: its kind (the subclass), who receives it, and what they receive."""

    kind: ClassVar[str]
    # audience -> the payload types that audience may receive (exactly these types: a moderators'
    # question is a subclass of the attendees' one, and must never reach attendees)
    payloads: ClassVar[dict[str, tuple[type, ...]]]

    audience: str
    payload: Any

    def __post_init__(self) -> None:
        if type(self.payload) not in self.payloads.get(self.audience, ()):
            raise TypeError(f"{self.kind} for {self.audience!r} cannot carry a {type(self.payload).__name__}")

    def data(self) -> dict:
        return asdict(self.payload)


class QuestionSubmitted(LiveMessage):
    """A question waiting for approval (pre-moderated Q&A): only the moderators see it."""

    __slots__ = ()
    kind = "question_submitted"
    payloads = {MODERATORS: (QuestionForModerators,)}


class QuestionApproved(LiveMessage):
    """A question on the board: approved by a moderator, or asked while the Q&A is open."""

    __slots__ = ()
    kind = "question_approved"
    payloads = {MODERATORS: (QuestionForModerators,), ALL: (QuestionForAttendees,)}


class QuestionUpdated(LiveMessage):
    """Edited, pinned or unpinned, answered, dismissed, upvoted or an upvote withdrawn (the count in the
    payload is the new total either way). Attendees are told only about
    questions they may see (not pending ones)."""

    __slots__ = ()
    kind = "question_updated"
    payloads = {MODERATORS: (QuestionForModerators,), ALL: (QuestionForAttendees,)}


class QAModeChanged(LiveMessage):
    __slots__ = ()
    kind = "qa_mode"
    payloads = {ALL: (QAModeState,)}


class AgendaCurrent(LiveMessage):
    __slots__ = ()
    kind = "agenda_current"
    payloads = {ALL: (AgendaPosition,)}


class AnnouncementMade(LiveMessage):
    __slots__ = ()
    kind = "announcement"
    payloads = {ALL: (AnnouncementText,)}


class PollPrepared(LiveMessage):
    """A new poll, still a draft: only the moderators see it."""

    __slots__ = ()
    kind = "poll_prepared"
    payloads = {MODERATORS: (PollWithResults,)}


class PollOpened(LiveMessage):
    __slots__ = ()
    kind = "poll_opened"
    payloads = {MODERATORS: (PollWithResults,), ALL: (PollState, PollWithResults)}


class PollClosed(LiveMessage):
    __slots__ = ()
    kind = "poll_closed"
    payloads = {MODERATORS: (PollWithResults,), ALL: (PollState, PollWithResults)}


class PollResults(LiveMessage):
    """New counts (a vote), or the results shown or hidden. Attendees get counts only while shown."""

    __slots__ = ()
    kind = "poll_results"
    payloads = {MODERATORS: (PollWithResults,), ALL: (PollState, PollWithResults)}


class NoteAdded(LiveMessage):
    __slots__ = ()
    kind = "note_added"
    payloads = {MODERATORS: (RapporteurNote,)}


class SessionEnded(LiveMessage):
    """The moderator ended the session: polls are closed, no more questions, upvotes or votes."""

    __slots__ = ()
    kind = "session_ended"
    payloads = {ALL: (SessionEndState,)}


KINDS: dict[str, type[LiveMessage]] = {
    cls.kind: cls
    for cls in (
        QuestionSubmitted,
        QuestionApproved,
        QuestionUpdated,
        QAModeChanged,
        AgendaCurrent,
        AnnouncementMade,
        PollPrepared,
        PollOpened,
        PollClosed,
        PollResults,
        NoteAdded,
        SessionEnded,
    )
}


def kinds_for(audience: str) -> set[str]:
    """The kinds a page of this audience can receive: the attendees' page gets `all`, the console every kind."""
    return {kind for kind, cls in KINDS.items() if audience == MODERATORS or audience in cls.payloads}


# Builders -------------------------------------------------------------------------------------------------


def question_for_attendees(question: Question, event: Event) -> QuestionForAttendees:
    """No name when the asker chose anonymity or the event's attribution rule does not name askers."""
    hide = question.anonymous or not event.policy.names_askers
    return QuestionForAttendees(
        id=question.pk,
        text=question.text,
        status=str(question.status),
        pinned=question.pinned,
        upvotes=question.upvotes,
        asker=None if hide else question.asker_name,
        to=question.addressed_to.person.styled_name if question.addressed_to else None,
    )


def question_for_moderators(question: Question, event: Event) -> QuestionForModerators:
    public = question_for_attendees(question, event)
    return QuestionForModerators(
        id=public.id,
        text=public.text,
        status=public.status,
        pinned=public.pinned,
        upvotes=public.upvotes,
        asker=question.asker_name,
        to=public.to,
        organisation=question.asker_organisation,
        anonymous=question.anonymous,
        hidden=public.asker is None,
        created_at=question.created_at.isoformat(),
    )


def poll_state(poll: Poll) -> PollState:
    return PollState(
        id=poll.pk,
        question=poll.question,
        options=list(poll.options),
        status=str(poll.status),
        results_shown=poll.results_shown,
    )


def poll_with_results(poll: Poll) -> PollWithResults:
    counts = [0] * len(poll.options)
    for option in PollVote.objects.filter(poll=poll).values_list("option", flat=True):
        counts[option] += 1
    state = poll_state(poll)
    return PollWithResults(
        id=state.id,
        question=state.question,
        options=state.options,
        status=state.status,
        results_shown=state.results_shown,
        counts=counts,
        total=sum(counts),
    )


def poll_for_attendees(poll: Poll) -> PollState:
    """With the counts only while the moderator shows the results."""
    return poll_with_results(poll) if poll.results_shown else poll_state(poll)


def agenda_position(participation: Participation | None) -> AgendaPosition:
    if participation is None:
        return AgendaPosition(participation=None, name=None, role=None)
    return AgendaPosition(
        participation=participation.pk,
        name=participation.person.styled_name,
        role=participation.get_role_display(),
    )


def rapporteur_note(note: Note) -> RapporteurNote:
    return RapporteurNote(
        id=note.pk,
        text=note.text,
        speaker=note.speaker.person.styled_name if note.speaker else None,
        at=note.created_at.isoformat(),
        time=f"{note.created_at.astimezone(note.event.zone):%H:%M} {zone_label(note.created_at, note.event.time_zone)}",
    )


# The wire -------------------------------------------------------------------------------------------------


def frame_encode(*, event_id: int, seq: int, kind: str, audience: str, payload: dict) -> Frame:
    """One live event as its SSE text, encoded once for every stream: when emitted, and when a
    stream catches up from the stored events. An attendees' frame of a kind that gives the moderators
    their own payload goes to attendees only: the console has the moderators' one."""
    kind_class = KINDS.get(kind)
    if audience == ALL and kind_class is not None and MODERATORS in kind_class.payloads:
        audience = ATTENDEES_ONLY
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Frame(event_id, seq, audience, f"id: {seq}\nevent: {kind}\ndata: {data}\n\n".encode())
