"""Reads of series, events and agendas, each with the joins and prefetches its page needs."""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from podium.events.models import ROLE_PLURALS, Attachment, Event, Participation, Role, Series
from podium.people.models import Designation, Person
from podium.registrations.models import Registration
from podium.reports.models import Report
from podium.video.selectors import video_available

SPEAKING_ROLES = (Role.MODERATOR, Role.MAIN_SPEAKER, Role.DISCUSSANT, Role.CLOSING_REMARKS, Role.HOST)

# A recording names every voice: it belongs only to events held on the record. Under the Chatham House Rule
# or off the record, the public archive does not offer one even if staff attached it.
RECORDING_ATTRIBUTIONS = (Event.Attribution.ON_THE_RECORD,)


def _agenda_prefetch(to_attr: str = "agenda") -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("person")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .exclude(confirmation=Participation.Confirmation.DECLINED)
        .order_by("order", "pk"),
        to_attr=to_attr,
    )


def listed_events() -> QuerySet[Event]:
    """Events anyone may see in lists: public and announced or later."""
    return (
        Event.objects.filter(visibility=Event.Visibility.PUBLIC)
        .exclude(status=Event.Status.DRAFT)
        .select_related("series")
    )


def event_list_upcoming(*, series: Series | None = None, limit: int | None = None) -> list[Event]:
    events = listed_events().filter(ends_at__gt=timezone.now()).order_by("starts_at")
    if series is not None:
        events = events.filter(series=series)
    events = events.prefetch_related(_agenda_prefetch())
    return list(events[:limit] if limit else events)


def event_list_past(*, series: Series | None = None, limit: int | None = None) -> list[Event]:
    """Past listed events, newest first, each marked with has_press_release and has_recording for its card."""
    events = listed_events().filter(ends_at__lte=timezone.now()).order_by("-starts_at")
    if series is not None:
        events = events.filter(series=series)
    events = events.annotate(
        has_press_release=Exists(Report.objects.filter(event=OuterRef("pk"), published_version__isnull=False)),
        has_recording=Exists(
            Attachment.objects.filter(event=OuterRef("pk"), kind=Attachment.Kind.RECORDING,
                                      event__attribution__in=RECORDING_ATTRIBUTIONS)
        ),
    ).prefetch_related(_agenda_prefetch())
    return list(events[:limit] if limit else events)


def attachments_public(*, event: Event) -> tuple[list[Attachment], list[Attachment]]:
    """What the event page offers once the event has ended, in the staff's order, as (recordings,
    other materials); recordings only when on the record. Nothing before the end."""
    if not event.has_ended():
        return [], []
    attachments = Attachment.objects.filter(event=event).order_by("order", "pk")
    if event.attribution not in RECORDING_ATTRIBUTIONS:
        attachments = attachments.exclude(kind=Attachment.Kind.RECORDING)
    attachments = list(attachments)
    return ([a for a in attachments if a.kind == Attachment.Kind.RECORDING],
            [a for a in attachments if a.kind != Attachment.Kind.RECORDING])


def series_list() -> QuerySet[Series]:
    listed = Q(events__visibility=Event.Visibility.PUBLIC) & ~Q(events__status=Event.Status.DRAFT)
    return Series.objects.annotate(listed_event_count=Count("events", filter=listed))


def series_get(*, slug: str) -> Series:
    try:
        return Series.objects.get(slug=slug)
    except Series.DoesNotExist:
        raise Http404("No such series") from None


def event_get(*, slug: str) -> Event:
    """An event with its series and agenda; visibility is the caller's to check."""
    try:
        return Event.objects.select_related("series").prefetch_related(_agenda_prefetch(), "questions").get(slug=slug)
    except Event.DoesNotExist:
        raise Http404("No such event") from None


def event_visible_to(*, event: Event, user, invited_event_ids: set[int]) -> bool:
    """Drafts are for staff; invitation-only events for staff and holders of a valid invitation."""
    if user.is_authenticated and user.is_staff:
        return True
    if event.status == Event.Status.DRAFT:
        return False
    if event.visibility == Event.Visibility.INVITATION_ONLY:
        return event.pk in invited_event_ids
    return True


def event_get_visible(*, slug: str, user, invited_event_ids: set[int]) -> Event:
    """The event if this visitor may see it; 404 otherwise (never a hint that it exists)."""
    event = event_get(slug=slug)
    if not event_visible_to(event=event, user=user, invited_event_ids=invited_event_ids):
        raise Http404("No such event")
    return event


@dataclass
class AgendaGroup:
    role: str
    label: str
    participations: list[Participation]


def agenda_groups(*, event: Event) -> list[AgendaGroup]:
    """The agenda in order, consecutive people of one role grouped under the role's name."""
    agenda = getattr(event, "agenda", None)
    if agenda is None:
        agenda = list(_agenda_queryset(event))
    groups = []
    for role, items in groupby(agenda, key=lambda p: p.role):
        items = list(items)
        label = ROLE_PLURALS[role] if len(items) > 1 else Role(role).label
        groups.append(AgendaGroup(role=role, label=label, participations=items))
    return groups


def _agenda_queryset(event: Event):
    return (
        event.participations.select_related("person")
        .prefetch_related("person__designations")
        .exclude(confirmation=Participation.Confirmation.DECLINED)
        .order_by("order", "pk")
    )


def participations_public() -> QuerySet[Participation]:
    """Who is shown as speaking: at a listed event, not declined, not the rapporteur. The speaker page
    and the search index both follow it, so no search hit leads to a 404."""
    return (Participation.objects.filter(event__in=listed_events())
            .exclude(confirmation=Participation.Confirmation.DECLINED)
            .exclude(role=Role.RAPPORTEUR))


def person_public_get(*, slug: str) -> tuple[Person, list[Participation]]:
    """A speaker's public profile: only people who speak at a listed event have one."""
    participations = list(
        participations_public().filter(person__slug=slug)
        .select_related("event", "event__series", "person")
        .order_by("-event__starts_at")
    )
    if not participations:
        raise Http404("No such speaker")
    person = Person.objects.prefetch_related("designations").get(pk=participations[0].person_id)
    return person, participations


# Speakers' and registrants' personal links -----------------------------------------------------

def participation_get_by_token(*, token: str) -> Participation | None:
    """A speaker's participation from their personal link, with what their page shows."""
    return (
        Participation.objects.select_related("event", "event__series", "event__video_room", "person")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .filter(token=token).first()
    )


def registration_get_for_join(*, token: str) -> Registration | None:
    return Registration.objects.select_related("event").filter(token=token).first()


def event_participations(*, event: Event) -> list[Participation]:
    """Every participation of the event, declined ones too, as the staff speakers page lists them."""
    return list(
        event.participations.select_related("person", "invited_by")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )


class JoinOutcome:
    ENTER = "enter"          # into the room now
    NO_ROOM = "no_room"      # the time has come but the event has no video link yet
    EARLY = "early"          # before the link opens
    ENDED = "ended"          # after the end
    REFUSED = "refused"      # not (or no longer) admitted: never the room


@dataclass(frozen=True)
class JoinDecision:
    outcome: str
    event: Event
    opens_at: datetime
    speaker: bool = False
    status: str = ""  # the registration or participation status behind a refusal

    @property
    def enter(self) -> bool:
        return self.outcome == JoinOutcome.ENTER


def join_decide(*, event: Event, now: datetime, registration=None, participation: Participation | None = None
                ) -> JoinDecision:
    """May this registrant (or speaker) enter the event's room now? The rules of the join link.

    Registrants: only confirmed ones, from join_opens_minutes before the start to the end.
    Speakers: anyone on the agenda who has not declined, from the technical check to the end.
    """
    speaker = participation is not None
    opens_at = event.speakers_join_at if speaker else event.join_opens_at

    def decision(outcome: str, status: str = "") -> JoinDecision:
        return JoinDecision(outcome=outcome, event=event, opens_at=opens_at, speaker=speaker, status=status)

    if speaker:
        if participation.confirmation == Participation.Confirmation.DECLINED:
            return decision(JoinOutcome.REFUSED, participation.confirmation)
    elif registration.status != Registration.Status.CONFIRMED:
        return decision(JoinOutcome.REFUSED, registration.status)
    if event.status == Event.Status.DRAFT:
        return decision(JoinOutcome.REFUSED, "draft")
    if event.has_ended(now):
        return decision(JoinOutcome.ENDED)
    if now < opens_at:
        return decision(JoinOutcome.EARLY)
    if not video_available(event=event):
        return decision(JoinOutcome.NO_ROOM)
    return decision(JoinOutcome.ENTER)
