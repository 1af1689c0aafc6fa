"""Who may be on an event's live page now: the join rules, applied to attendee and speaker links."""

from django.http import Http404
from django.utils import timezone

from podium.events import selectors as event_selectors
from podium.events.models import Participation
from podium.registrations.models import Registration

ADMITTED = (event_selectors.JoinOutcome.ENTER, event_selectors.JoinOutcome.NO_ROOM)
# Where a whole page cannot be shown (a stream, the page's script): the refusal in one sentence.
REFUSED = "This link does not admit you to the live session now."


class LiveRefused(Exception):
    """The link is real but does not admit its holder now (cancelled, too early, over)."""

    def __init__(self, decision):
        super().__init__(decision.outcome)
        self.decision = decision


def attendee_admitted(*, token: str) -> Registration:
    """The registrant behind a join token, if the join rules let them in now."""
    registration = Registration.objects.select_related("event", "event__series", "event__video_room").filter(
        token=token).first()
    if registration is None:
        raise Http404("No such link")
    attendee_check(registration=registration, now=timezone.now())
    return registration


def attendee_check(*, registration: Registration, now) -> None:
    decision = event_selectors.join_decide(event=registration.event, registration=registration, now=now)
    if decision.outcome not in ADMITTED:
        raise LiveRefused(decision)


def speaker_admitted(*, token: str) -> Participation:
    """A speaker on the agenda, from the technical check (their green room) to the end."""
    participation = event_selectors.participation_get_by_token(token=token)
    if participation is None:
        raise Http404("No such link")
    decision = event_selectors.join_decide(event=participation.event, participation=participation,
                                           now=timezone.now())
    if decision.outcome not in ADMITTED:
        raise LiveRefused(decision)
    return participation
