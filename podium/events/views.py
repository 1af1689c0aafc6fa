"""Public pages of series, events and speakers."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from podium.events import selectors
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event
from podium.registrations.selectors import invitation_for_event, invitations_from_session
from podium.registrations.services import seats_left


def _visible_event(request, slug: str) -> Event:
    event = selectors.event_get(slug=slug)
    invited = {i.event_id for i in invitations_from_session(request.session)}
    if not selectors.event_visible_to(event=event, user=request.user, invited_event_ids=invited):
        raise Http404("No such event")
    return event


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
    event = _visible_event(request, slug)
    return render(request, "events/event_detail.html", {
        "event": event,
        "agenda": selectors.agenda_groups(event=event),
        "seats_left": seats_left(event=event),
        "registration_open": event.registration_is_open(),
        "invitation": invitation_for_event(session=request.session, event=event),
    })


@require_GET
def event_ics(request, slug: str):
    event = _visible_event(request, slug)
    response = HttpResponse(event_calendar(event=event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(event)}"'
    return response


@require_GET
def person_detail(request, slug: str):
    person, participations = selectors.person_public_get(slug=slug)
    return render(request, "events/person_detail.html", {"person": person, "participations": participations})
