"""Reads for the staff pages: events with their registration counts."""

from django.db.models import Count, Q, QuerySet

from podium.events.models import Event
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
