"""schema.org Event data (JSON-LD) for an event page, so search engines can list the event correctly."""

import json
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from podium.core.selectors import organisation_get
from podium.events.models import Event, Participation, Role
from podium.events.selectors import agenda_groups

SCHEMA = "https://schema.org/"

ATTENDANCE_MODES: dict[str, str] = {
    Event.Format.WEBINAR: SCHEMA + "OnlineEventAttendanceMode",
    Event.Format.ROUNDTABLE: SCHEMA + "OnlineEventAttendanceMode",
    Event.Format.HYBRID: SCHEMA + "MixedEventAttendanceMode",
    Event.Format.IN_PERSON: SCHEMA + "OfflineEventAttendanceMode",
}

# Inside <script> the HTML parser ends the block at "</script>" and "<!--" changes its state; JSON lets
# these characters be written as \u escapes, so a title can never close the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def event_json_ld(*, event: Event, request) -> dict:
    """The schema.org Event for the event page. Only what the page itself shows: never the video link."""
    page_url = request.build_absolute_uri(reverse("public:event", args=[event.slug]))
    organisation = organisation_get()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.abstract,
        "startDate": event.starts_at.astimezone(event.zone).isoformat(),
        "endDate": event.ends_at.astimezone(event.zone).isoformat(),
        "eventStatus": SCHEMA + "EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES[event.format],
        "organizer": {
            "@type": "Organization",
            "name": organisation.name,
            "url": organisation.website or request.build_absolute_uri(reverse("public:home")),
        },
        "performer": [
            _performer(p)
            for group in agenda_groups(event=event)
            for p in group.participations
            if p.role != Role.RAPPORTEUR
        ],
        "isAccessibleForFree": True,
        "url": page_url,
    }
    locations = _locations(event=event, page_url=page_url)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if not event.abstract.strip():
        del data["description"]
    if event.series:
        data["superEvent"] = {
            "@type": "EventSeries",
            "name": event.series.name,
            "url": request.build_absolute_uri(reverse("public:series", args=[event.series.slug])),
        }
    return data


def json_ld_script(data: dict) -> SafeString:
    """The JSON for a <script type="application/ld+json"> element, safe to place between its tags."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))


def _locations(*, event: Event, page_url: str) -> list[dict]:
    locations = []
    if event.joins_online:
        # The event page is where people register and find their way in; the join link is private.
        locations.append({"@type": "VirtualLocation", "url": page_url})
    if not event.online_only and event.location:
        locations.append({"@type": "Place", "name": event.location, "address": event.location})
    return locations


def _performer(participation: Participation) -> dict:
    person = participation.person
    designations = list(person.designations.all())
    performer: dict[str, Any] = {"@type": "Person", "name": person.full_name}
    if person.honorific.strip():
        performer["honorificPrefix"] = person.honorific.strip()
    positions = [d.position.strip() for d in designations if d.position.strip()]
    if positions:
        performer["jobTitle"] = positions[0] if len(positions) == 1 else positions
    affiliations = list(dict.fromkeys(d.organisation.strip() for d in designations if d.organisation.strip()))
    if affiliations:
        performer["affiliation"] = [{"@type": "Organization", "name": name} for name in affiliations]
    return performer
