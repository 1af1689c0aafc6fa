"""Reads of series, events and agendas, each with the joins and prefetches its page needs."""

from collections.abc import Collection
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from podium.core.selectors import related_count
from podium.events.attribution import rules_allowing_recording
from podium.events.models import ROLE_PLURALS, Attachment, Event, Participation, Role, Series
from podium.people.models import Designation, Person

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # installed with django-stubs (the test extra) only

SPEAKING_ROLES = (Role.MODERATOR, Role.MAIN_SPEAKER, Role.DISCUSSANT, Role.CLOSING_REMARKS, Role.HOST)


def _agenda_prefetch(to_attr: str = "agenda") -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.public()
        .select_related("person")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
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


def _over(now) -> Q:
    """Over by the clock, or marked ended by staff (who may close an event early): `Event.has_ended` in SQL."""
    return Q(ends_at__lte=now) | Q(status__in=(Event.Status.ENDED, Event.Status.REPORT_PUBLISHED))


def event_list_upcoming(*, series: Series | None = None, limit: int | None = None) -> list[Event]:
    events = listed_events().exclude(_over(timezone.now())).order_by("starts_at")
    if series is not None:
        events = events.filter(series=series)
    events = events.prefetch_related(_agenda_prefetch())
    return list(events[:limit] if limit else events)


def events_past(*, series: Series | None = None, ended_early: Collection[int] = ()) -> QuerySet[Event]:
    """Past listed events, newest first, each marked with has_recording for its card (a recording only
    where the attribution rule allows one). The reports app adds whether each has a press release.
    `ended_early`: events whose live session the moderator ended before the scheduled end (the live app
    knows which); they are past too, not lost between "live now" and "past"."""
    events = listed_events().filter(_over(timezone.now()) | Q(pk__in=list(ended_early))).order_by("-starts_at")
    if series is not None:
        events = events.filter(series=series)
    return events.annotate(
        has_recording=Exists(
            Attachment.objects.filter(
                event=OuterRef("pk"),
                kind=Attachment.Kind.RECORDING,
                event__attribution__in=rules_allowing_recording(),
            )
        ),
    ).prefetch_related(_agenda_prefetch())


def attachments_public(*, event: Event) -> tuple[list[Attachment], list[Attachment]]:
    """What the event page offers once the event has ended, in the staff's order, as (recordings,
    other materials); recordings only when on the record. Nothing before the end."""
    if not event.has_ended():
        return [], []
    queryset = Attachment.objects.filter(event=event).order_by("order", "pk")
    if not event.policy.allows_recording:
        queryset = queryset.exclude(kind=Attachment.Kind.RECORDING)
    attachments = list(queryset)
    return (
        [a for a in attachments if a.kind == Attachment.Kind.RECORDING],
        [a for a in attachments if a.kind != Attachment.Kind.RECORDING],
    )


class SeriesCounts(TypedDict):
    listed_event_count: int  # public events that are not drafts


def series_list() -> "QuerySet[WithAnnotations[Series, SeriesCounts]]":
    listed = Q(events__visibility=Event.Visibility.PUBLIC) & ~Q(events__status=Event.Status.DRAFT)
    return Series.objects.annotate(listed_event_count=Count("events", filter=listed))


def series_get(*, slug: str) -> Series | None:
    return Series.objects.filter(slug=slug).first()


def event_get(*, slug: str) -> Event | None:
    """An event with its series and agenda; visibility is the caller's to check."""
    return (
        Event.objects.select_related("series")
        .prefetch_related(_agenda_prefetch(), "questions")
        .filter(slug=slug)
        .first()
    )


def event_visible_to(*, event: Event, user, invited_event_ids: set[int]) -> bool:
    """Drafts are for staff; invitation-only events for staff and holders of a valid invitation."""
    if user.is_authenticated and user.is_staff:
        return True
    if event.is_draft:
        return False
    if event.visibility == Event.Visibility.INVITATION_ONLY:
        return event.pk in invited_event_ids
    return True


def event_get_visible(*, slug: str, user, invited_event_ids: set[int]) -> Event | None:
    """The event if this visitor may see it; None otherwise, as for an event that does not exist."""
    event = event_get(slug=slug)
    if event is None or not event_visible_to(event=event, user=user, invited_event_ids=invited_event_ids):
        return None
    return event


@dataclass
class AgendaGroup:
    role: str
    label: str
    participations: list[Participation]


def agenda_groups(*, event: Event) -> list[AgendaGroup]:
    """The public agenda (confirmed participants only) in order, consecutive people of one role grouped
    under the role's name."""
    agenda: list[Participation] | None = getattr(event, "agenda", None)  # prefetched by the list selectors
    if agenda is None:
        agenda = list(_agenda_queryset(event))
    groups = []
    for role, group in groupby(agenda, key=lambda p: p.role):
        items = list(group)
        label = ROLE_PLURALS[role] if len(items) > 1 else Role(role).label
        groups.append(AgendaGroup(role=role, label=label, participations=items))
    return groups


def _agenda_queryset(event: Event):
    return (
        event.participations.public()
        .select_related("person")
        .prefetch_related("person__designations")
        .order_by("order", "pk")
    )


def participations_public() -> QuerySet[Participation]:
    """Who is shown as speaking: confirmed (`public()`), at a listed event, not the rapporteur. The speaker
    page and the search index both follow it, so no search hit leads to a 404."""
    return Participation.objects.public().filter(event__in=listed_events()).exclude(role=Role.RAPPORTEUR)


def person_public_get(*, slug: str) -> tuple[Person, list[Participation]] | None:
    """A speaker's public profile: only people who speak at a listed event have one (None for anyone else)."""
    participations = list(
        participations_public()
        .filter(person__slug=slug)
        .select_related("event", "event__series", "person")
        .order_by("-event__starts_at")
    )
    if not participations:
        return None
    person = Person.objects.prefetch_related("designations").get(pk=participations[0].person_id)
    return person, participations


# Speakers' and registrants' personal links -----------------------------------------------------


def participation_get_by_token(*, token: str) -> Participation | None:
    """A speaker's participation from their personal link, with what their page shows."""
    return (
        Participation.objects.select_related("event", "event__series", "event__video_room", "person")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .filter(token=token)
        .first()
    )


def event_participations(*, event: Event) -> list[Participation]:
    """Every participation of the event, declined ones too, as the staff speakers page lists them."""
    return list(
        event.participations.select_related("person", "invited_by")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )


# Who counts as a speaker for "the agenda has no speakers": the host, moderator and closing remarks a
# duplicate carries over do not.
TALKING_ROLES = (Role.MAIN_SPEAKER, Role.DISCUSSANT)


def agenda_count_annotations() -> dict:
    """Per event: speakers on the agenda, and people on it never sent their invitation."""
    on_agenda = Participation.objects.on_agenda()
    return {
        "speaker_count": related_count(on_agenda.filter(role__in=TALKING_ROLES), to="event"),
        "uninvited_count": related_count(
            on_agenda.filter(invited_at__isnull=True, confirmation=Participation.Confirmation.INVITED), to="event"
        ),
    }
