"""RFC 5545 calendar files for events: a stable UID per event, the event's own time zone."""

from datetime import UTC, datetime
from functools import lru_cache

import icalendar
from django.conf import settings
from django.urls import reverse

from podium.events.models import Event

PRODID = "-//Podium//Lecture series webinars//EN"


def event_uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "podium"
    return f"event-{event.uid}@{host}"


def event_calendar(*, event: Event, manage_url: str = "", join_hint: str = "") -> bytes:
    """One VEVENT for the event, with VTIMEZONE, ready to attach or download."""
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
    if manage_url:
        description.append(f"Your registration: {manage_url}")
    if join_hint:
        description.append(join_hint)
    vevent.add("description", "\n".join(description).strip())
    if event.location:
        vevent.add("location", event.location)
    elif event.format == Event.Format.WEBINAR:
        vevent.add("location", "Online")
    vevent.add("status", "CONFIRMED")
    calendar.add_component(vevent)
    _add_timezones(calendar)
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    # Working out a zone's transitions takes ~20 ms; a reminder round writes one file per registrant.
    return icalendar.Timezone.from_tzid(tzid).to_ical()


def _add_timezones(calendar: icalendar.Calendar) -> None:
    """calendar.add_missing_timezones(), with each zone's VTIMEZONE computed once per process."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        try:
            vtimezone = icalendar.Timezone.from_ical(_vtimezone(tzid))
        except ValueError:  # a zone icalendar does not know: left out, as add_missing_timezones does
            continue
        calendar.subcomponents.insert(position, vtimezone)


def calendar_filename(event: Event) -> str:
    return f"{event.slug}.ics"
