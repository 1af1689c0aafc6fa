"""RFC 5545 calendar files for events: a stable UID per event, the event's own time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfoNotFoundError

import icalendar
from django.conf import settings
from django.urls import reverse

from podium.events.models import Event
from podium.events.timezones import vtimezone_ical

PRODID = "-//Podium//Lecture series webinars//EN"


def event_uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "podium"
    return f"event-{event.uid}@{host}"


def event_calendar(*, event: Event, join_hint: str = "") -> bytes:
    """One VEVENT for the event, with VTIMEZONE, ready to attach or download. `join_hint` is a line
    with the holder's join link; a calendar never carries a link that manages a registration."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")

    zone = event.zone
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.calendar_sequence)
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    event_url = settings.SITE_URL + reverse("public:event", kwargs={"slug": event.slug})
    vevent.add("url", event_url)
    description = [event.abstract.strip(), "", f"Event page: {event_url}"]
    if join_hint:
        description.append(join_hint)
    vevent.add("description", "\n".join(description).strip())
    if event.location:
        vevent.add("location", event.location)
    elif event.online_only:
        vevent.add("location", "Online")
    vevent.add("status", "CONFIRMED")
    calendar.add_component(vevent)
    _add_timezones(calendar, year=event.starts_at.astimezone(zone).year)
    return calendar.to_ical()


def _add_timezones(calendar: icalendar.Calendar, *, year: int) -> None:
    """A rule-based VTIMEZONE (podium.events.timezones) for each zone the calendar's times use."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        try:
            vtimezone = icalendar.Timezone.from_ical(vtimezone_ical(tzid, year))
        except (ValueError, ZoneInfoNotFoundError):  # a zone we do not know: left out, as icalendar does
            continue
        calendar.subcomponents.insert(position, vtimezone)


def calendar_filename(event: Event) -> str:
    return f"{event.slug}.ics"
