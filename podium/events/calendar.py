"""RFC 5545 calendar files for events: a stable UID per event, the event's own time zone."""

from datetime import datetime, timezone as dt_timezone

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
    vevent.add("dtstamp", datetime.now(dt_timezone.utc))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    event_url = settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug})
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
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_filename(event: Event) -> str:
    return f"{event.slug}.ics"
