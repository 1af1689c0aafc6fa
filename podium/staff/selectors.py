"""Reads for the staff pages: events with their registration counts, series, the agenda preview, and who
hears of publishing."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from podium.events.models import Event, Participation, Series
from podium.events.selectors import AgendaGroup, agenda_groups
from podium.registrations.models import Registration

S = Registration.Status


def event_list_with_counts() -> QuerySet[Event]:
    return (
        Event.objects.select_related("series")
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=S.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=S.WAITLISTED)),
            pending_count=Count("registrations", filter=Q(registrations__status=S.PENDING)),
        )
        .order_by("-starts_at")
    )


def series_list_with_counts() -> QuerySet[Series]:
    return (
        Series.objects.select_related("default_organiser")
        .annotate(event_count=Count("events", distinct=True))
        .order_by("name")
    )


def agenda_preview(*, event: Event, participations: list[Participation]) -> list[AgendaGroup]:
    """The public agenda as it will read once everyone planned has accepted: declined people left out."""
    event.agenda = [p for p in participations if not p.is_declined]  # type: ignore[attr-defined]
    return agenda_groups(event=event)


@dataclass(frozen=True)
class Notified:
    """Who hears of publishing or unpublishing an event, for the confirmation page."""

    registrants: int
    speakers_uninvited: int
    reminders: bool


def publish_notified(*, event: Event) -> Notified:
    counts = event.registrations.aggregate(n=Count("pk", filter=Q(status__in=[S.CONFIRMED, S.WAITLISTED, S.PENDING])))
    uninvited = (
        event.participations.on_agenda()
        .filter(invited_at__isnull=True, confirmation=Participation.Confirmation.INVITED)
        .count()
    )
    return Notified(registrants=counts["n"], speakers_uninvited=uninvited, reminders=bool(event.reminder_offsets))
