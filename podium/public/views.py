"""The public site: home, series, event and speaker pages. Each page puts together what several apps
know (the agenda, the seats left, an invitation held, the published press release), asking each app
through its own selectors; no app below needs to know about the ones above it."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from podium.events import selectors as events
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event
from podium.events.structured import event_json_ld, json_ld_script
from podium.live import selectors as live
from podium.registrations import selectors as registrations
from podium.registrations.services import seats_left
from podium.reports import archive

HOME_PAST_EVENTS = 12


def _visible_event(request, slug: str) -> Event:
    event = registrations.event_get_for_visitor(slug=slug, user=request.user, session=request.session)
    if event is None:
        raise Http404("No such event")
    return event


@require_GET
def home(request):
    # An event on now is shown as "Live now", not under upcoming; one whose session a moderator ended
    # early is neither.
    listed = events.event_list_upcoming()
    now = timezone.now()
    return render(
        request,
        "public/home.html",
        {
            "live_now": live.events_live_now(events=listed, now=now),
            "upcoming": [event for event in listed if event.starts_at > now],
            "past": list(archive.events_with_press_release(events.events_past())[:HOME_PAST_EVENTS]),
            "series_list": [s for s in events.series_list() if s.listed_event_count],
        },
    )


@require_GET
def series_detail(request, slug: str):
    series = events.series_get(slug=slug)
    if series is None:
        raise Http404("No such series")
    return render(
        request,
        "public/series.html",
        {
            "series": series,
            "upcoming": events.event_list_upcoming(series=series),
            "past": list(archive.events_with_press_release(events.events_past(series=series))),
        },
    )


@require_GET
def event_detail(request, slug: str):
    event = _visible_event(request, slug)
    # After the event the page becomes its archive: the press release, the recording and the materials.
    # A published press release shows whenever staff published it, even if the clock says "not over yet".
    recordings, materials = events.attachments_public(event=event)
    return render(
        request,
        "public/event.html",
        {
            "event": event,
            "agenda": events.agenda_groups(event=event),
            "seats_left": seats_left(event=event),
            "registration_open": event.registration_is_open(),
            "invitation": registrations.invitation_for_event(session=request.session, event=event),
            "over": event.has_ended(),
            "report": archive.report_published_get(event=event),
            "recordings": recordings,
            "materials": materials,
            "json_ld": json_ld_script(event_json_ld(event=event, request=request)),
        },
    )


@require_GET
def event_ics(request, slug: str):
    event = _visible_event(request, slug)
    response = HttpResponse(event_calendar(event=event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(event)}"'
    return response


@require_GET
def person_detail(request, slug: str):
    found = events.person_public_get(slug=slug)
    if found is None:
        raise Http404("No such speaker")
    person, participations = found
    return render(request, "public/person.html", {"person": person, "participations": participations})
