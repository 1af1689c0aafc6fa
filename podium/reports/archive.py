"""The public archive's reads: an event's published press release and the feed of press releases."""

from django.db.models import Exists, OuterRef, QuerySet

from podium.events.models import Event
from podium.events.selectors import listed_events
from podium.reports.models import Report, ReportVersion

FEED_LIMIT = 50


def _published() -> QuerySet[Report]:
    # Published means a published version exists: edits after publishing are drafts the public never sees.
    return Report.objects.filter(published_version__isnull=False).select_related("published_version")


def reports_public() -> QuerySet[Report]:
    """Published press releases of listed events: what the feed and the search show."""
    return _published().filter(event__in=listed_events())


def published_version(report: Report) -> ReportVersion:
    """The version the public sees of a report these reads returned (they return published reports only)."""
    version = report.published_version
    assert version is not None, "not a published report"
    return version


def report_published_get(*, event: Event) -> Report | None:
    """The event's press release as published (report.published_version), or None; visibility is the caller's."""
    return _published().filter(event=event).first()


def reports_for_feed(*, limit: int = FEED_LIMIT) -> list[Report]:
    """Published press releases of listed events (public, not draft), newest published first."""
    return list(
        reports_public()
        .filter(published_at__isnull=False)
        .select_related("event__series")
        .order_by("-published_at", "-pk")[:limit]
    )


def events_with_press_release(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events, each marked with has_press_release for its card (one EXISTS in the same query)."""
    return events.annotate(has_press_release=Exists(_published().filter(event=OuterRef("pk"))))
