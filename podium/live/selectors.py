"""Reads of the live session: what a page shows when it opens, catch-up for streams, live counts."""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from podium.events.models import Event, Role
from podium.live import event_types as types
from podium.live.models import LiveEvent, LiveSession, Note, Poll, PollVote, Presence, Question, StreamServer, Upvote
from podium.people.models import Segment
from podium.registrations.models import Registration

QStatus = Question.Status


def live_page_state(*, event: Event, moderator: bool = False, registration: Registration | None = None) -> dict:
    """The page as it stands: numbered up to `seq`, so the stream continues from there. The questions,
    polls and announcements are the payloads the stream sends (podium.live.event_types), so the page
    and its script show the same thing. For an attendee (`registration`), also their own state, so a
    reload keeps it: the questions they upvoted, their answer to each poll, their questions and where
    each stands."""
    session = LiveSession.objects.filter(event=event).first() or LiveSession(event=event)
    # Attendees see the public agenda; moderators everyone still on it, invited speakers included.
    participations = event.participations.on_agenda() if moderator else event.participations.public()
    agenda = list(
        participations.select_related("person").prefetch_related("person__designations").order_by("order", "pk")
    )
    shown = [QStatus.APPROVED, QStatus.ANSWERED] + ([QStatus.PENDING] if moderator else [])
    questions = list(
        Question.objects.filter(event=event, status__in=shown)
        .select_related("addressed_to__person")
        .order_by("-pinned", "-upvotes", "created_at")
    )
    encode = types.question_for_moderators if moderator else types.question_for_attendees
    polls = Poll.objects.filter(event=event)
    if not moderator:
        polls = polls.exclude(status=Poll.Status.DRAFT)
    announcements = LiveEvent.objects.filter(event=event, kind=types.AnnouncementMade.kind).order_by("-seq")[:3]
    return {
        "session": session,
        "seq": session.last_seq,
        "agenda": agenda,
        # whom a question can be addressed to: the speakers, not the rapporteur
        "addressable": [p for p in agenda if p.role != Role.RAPPORTEUR],
        "current_id": session.current_id,
        "questions": [encode(q, event) for q in questions],
        "polls": [types.poll_with_results(p) if moderator else types.poll_for_attendees(p) for p in polls],
        "announcements": [types.AnnouncementText(**a.payload) for a in announcements],
        "notes": list(Note.objects.filter(event=event).select_related("speaker__person")) if moderator else [],
        "ended": session.has_ended,
        **attendee_own_state(event=event, registration=registration),
    }


def attendee_own_state(*, event: Event, registration: Registration | None) -> dict:
    """What only this attendee sees: ids of the questions they upvoted and of their own, their answer
    (the option's text) per poll, and their questions, newest first, whatever their status."""
    if registration is None:
        return {"upvoted": set(), "mine": set(), "voted": {}, "my_questions": []}
    polls = {p.pk: p for p in Poll.objects.filter(event=event)}
    voted = {
        poll_id: polls[poll_id].options[option]
        for poll_id, option in PollVote.objects.filter(poll__event=event, registration=registration).values_list(
            "poll_id", "option"
        )
        if option < len(polls[poll_id].options)
    }
    my_questions = list(Question.objects.filter(event=event, registration=registration).order_by("-created_at", "-pk"))
    return {
        "upvoted": set(
            Upvote.objects.filter(question__event=event, registration=registration).values_list(
                "question_id", flat=True
            )
        ),
        "mine": {q.pk for q in my_questions},
        "voted": voted,
        "my_questions": my_questions,
    }


def events_ended_early(*, events: list[Event], now=None) -> set[int]:
    """Of these events, the ids of those started and not over by the clock or marked ended, whose live
    session a moderator has ended all the same: over early."""
    now = now or timezone.now()
    started = [e.pk for e in events if e.starts_at <= now and not e.has_ended(now)]
    if not started:
        return set()
    return set(LiveSession.objects.filter(event__in=started, ended_at__isnull=False).values_list("event_id", flat=True))


def live_state_annotations() -> dict:
    """For an Event queryset: `live_ended_at`, when a moderator ended its live session (None if not), in
    the same query; for the staff dashboard and overview, which then say the event is over."""
    return {"live_ended_at": Subquery(LiveSession.objects.filter(event=OuterRef("pk")).values("ended_at")[:1])}


def session_ended(*, event: Event) -> bool:
    """Whether a moderator ended this event's live session: from the annotation when the event has it."""
    if hasattr(event, "live_ended_at"):
        return event.live_ended_at is not None
    return LiveSession.objects.filter(event=event, ended_at__isnull=False).exists()


def events_live_now(*, events: list[Event], now=None, ended_early: set[int] | None = None) -> list[Event]:
    """Of these events, those on now: started, not over by the clock or marked ended, and whose live
    session a moderator has not ended (`ended_early`, when the caller has asked already)."""
    now = now or timezone.now()
    if ended_early is None:
        ended_early = events_ended_early(events=events, now=now)
    return [e for e in events if e.starts_at <= now and not e.has_ended(now) and e.pk not in ended_early]


def frames_after(*, event_id: int, seq: int, moderator: bool, limit: int = 1000) -> list[LiveEvent]:
    events = LiveEvent.objects.filter(event_id=event_id, seq__gt=seq).order_by("seq")
    if not moderator:
        events = events.filter(audience=LiveEvent.Audience.ALL)
    return list(events[:limit])


def stream_servers_alive(*, now=None):
    """The origins of server processes that said they were alive lately."""
    since = (now or timezone.now()) - timedelta(seconds=StreamServer.TIMEOUT_SECONDS)
    return StreamServer.objects.filter(seen_at__gte=since).values("origin")


def live_counts(*, event: Event) -> dict:
    """Connected now (on a server process that is alive), joined so far, and joined by segment."""
    connected = (
        Presence.objects.filter(event=event, disconnected_at__isnull=True, server__in=stream_servers_alive())
        .values("registration")
        .distinct()
    )
    joined = Registration.objects.filter(event=event, joined_at__isnull=False)
    by_segment = dict(joined.values_list("segment").annotate(n=Count("pk")).order_by())
    labels = dict(Segment.choices)
    return {
        "connected": connected.count(),
        "joined": joined.count(),
        "by_segment": [
            {"segment": labels.get(k, k), "count": v} for k, v in sorted(by_segment.items(), key=lambda kv: -kv[1])
        ],
        "pending": Question.objects.filter(event=event, status=QStatus.PENDING).count(),
    }


def question_counts(*, event: Event) -> dict[str, int]:
    return Question.objects.filter(event=event).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in QStatus.values}
    )
