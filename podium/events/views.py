"""Public pages of series, events and speakers."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from podium.events import selectors
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event
from podium.registrations.selectors import invitation_for_event, invited_event_ids
from podium.registrations.services import seats_left


def visible_event(request, slug: str) -> Event:
    return selectors.event_get_visible(
        slug=slug, user=request.user, invited_event_ids=invited_event_ids(request.session)
    )


@require_GET
def home(request):
    return render(request, "events/home.html", {
        "upcoming": selectors.event_list_upcoming(),
        "past": selectors.event_list_past(limit=12),
        "series_list": [s for s in selectors.series_list() if s.listed_event_count],
    })


@require_GET
def series_detail(request, slug: str):
    series = selectors.series_get(slug=slug)
    return render(request, "events/series_detail.html", {
        "series": series,
        "upcoming": selectors.event_list_upcoming(series=series),
        "past": selectors.event_list_past(series=series),
    })


@require_GET
def event_detail(request, slug: str):
    event = visible_event(request, slug)
    return render(request, "events/event_detail.html", {
        "event": event,
        "agenda": selectors.agenda_groups(event=event),
        "seats_left": seats_left(event=event),
        "registration_open": event.registration_is_open(),
        "invitation": invitation_for_event(session=request.session, event=event),
    })


@require_GET
def event_ics(request, slug: str):
    event = visible_event(request, slug)
    response = HttpResponse(event_calendar(event=event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(event)}"'
    return response


@require_GET
def person_detail(request, slug: str):
    person, participations = selectors.person_public_get(slug=slug)
    return render(request, "events/person_detail.html", {"person": person, "participations": participations})
