"""The join rules: who may enter an event's live page and video room now, through which personal link.

Registrants: only confirmed ones, from `join_opens_minutes` before the start to the end. Speakers:
anyone on the agenda who has not declined, from the technical check to the end. The join links,
the live page, its stream and its actions all ask here.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from podium.events.models import Event, Participation
from podium.events.selectors import participation_get_by_token
from podium.registrations.models import Registration
from podium.video.selectors import video_available

# Where a whole page cannot be shown (a stream, the page's script): the refusal in one sentence.
REFUSED = "This link does not admit you to the live session now."


class JoinOutcome(enum.StrEnum):
    ENTER = "enter"  # into the room now
    NO_ROOM = "no_room"  # the time has come but the event has no video link yet
    EARLY = "early"  # before the link opens
    ENDED = "ended"  # after the end
    REFUSED = "refused"  # not (or no longer) admitted: never the room


@dataclass(frozen=True)
class JoinDecision:
    outcome: JoinOutcome
    event: Event
    opens_at: datetime
    speaker: bool = False
    status: str = ""  # the registration or participation status behind a refusal

    @property
    def enter(self) -> bool:
        return self.outcome == JoinOutcome.ENTER

    @property
    def admits(self) -> bool:
        """Onto the live page: the room is open, or the time has come and the page waits for the room."""
        return self.outcome in (JoinOutcome.ENTER, JoinOutcome.NO_ROOM)

    # What the join page says, one property per case, so that the template asks rather than compares.
    @property
    def is_early(self) -> bool:
        return self.outcome == JoinOutcome.EARLY

    @property
    def is_no_room(self) -> bool:
        return self.outcome == JoinOutcome.NO_ROOM

    @property
    def is_ended(self) -> bool:
        return self.outcome == JoinOutcome.ENDED

    @property
    def is_refused(self) -> bool:
        return self.outcome == JoinOutcome.REFUSED

    @property
    def awaits_approval(self) -> bool:
        return self.status == Registration.Status.PENDING

    @property
    def waitlisted(self) -> bool:
        return self.status == Registration.Status.WAITLISTED

    @property
    def cancelled(self) -> bool:
        return self.status == Registration.Status.CANCELLED

    @property
    def declined(self) -> bool:
        """Not accepted by the organisers, or (for a speaker) declined by the speaker."""
        return self.status in (Registration.Status.DECLINED, Participation.Confirmation.DECLINED)


class LiveRefused(Exception):
    """The link is real but does not admit its holder now (cancelled, too early, over)."""

    def __init__(self, decision: JoinDecision):
        super().__init__(decision.outcome)
        self.decision = decision


def join_decide(
    *,
    event: Event,
    now: datetime,
    registration: Registration | None = None,
    participation: Participation | None = None,
) -> JoinDecision:
    """May this registrant (or speaker) enter the event's room now?"""
    speaker = participation is not None
    opens_at = event.speakers_join_at if speaker else event.join_opens_at

    def decision(outcome: JoinOutcome, status: str = "") -> JoinDecision:
        return JoinDecision(outcome=outcome, event=event, opens_at=opens_at, speaker=speaker, status=status)

    if participation is not None:
        if participation.confirmation == Participation.Confirmation.DECLINED:
            return decision(JoinOutcome.REFUSED, participation.confirmation)
    elif registration is None or registration.status != Registration.Status.CONFIRMED:
        return decision(JoinOutcome.REFUSED, registration.status if registration else "")
    if event.is_draft:
        return decision(JoinOutcome.REFUSED, Event.Status.DRAFT)
    if event.has_ended(now):
        return decision(JoinOutcome.ENDED)
    if now < opens_at:
        return decision(JoinOutcome.EARLY)
    if not video_available(event=event):
        return decision(JoinOutcome.NO_ROOM)
    return decision(JoinOutcome.ENTER)


def registration_get_by_join_token(*, token: str) -> Registration | None:
    """The registration behind a personal join link, with what the live page shows of its event."""
    return (
        Registration.objects.select_related("event", "event__series", "event__video_room").filter(token=token).first()
    )


def attendee_admitted(*, token: str) -> Registration | None:
    """The registrant behind a join token if the join rules let them in now; None for an unknown token.

    Raises LiveRefused when the link is real but does not admit its holder now."""
    registration = registration_get_by_join_token(token=token)
    if registration is not None:
        attendee_check(registration=registration, now=timezone.now())
    return registration


def attendee_check(*, registration: Registration, now: datetime) -> None:
    decision = join_decide(event=registration.event, registration=registration, now=now)
    if not decision.admits:
        raise LiveRefused(decision)


def speaker_admitted(*, token: str) -> Participation | None:
    """A speaker on the agenda, from the technical check (their green room) to the end; None for an
    unknown token. Raises LiveRefused when the link does not admit them now."""
    participation = participation_get_by_token(token=token)
    if participation is not None:
        decision = join_decide(event=participation.event, participation=participation, now=timezone.now())
        if not decision.admits:
            raise LiveRefused(decision)
    return participation
