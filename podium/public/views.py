"""The public site: home, series, event and speaker pages. Each page puts together what several apps
know (the agenda, the seats left, an invitation held, the published press release), asking each app
through its own selectors; no app below needs to know about the ones above it."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET

from podium.core.selectors import organisation_get
from podium.events import selectors as events
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event
from podium.events.structured import event_json_ld, json_ld_script
from podium.live import selectors as live
from podium.public.share import share_card, share_image
from podium.registrations import selectors as registrations
from podium.registrations.services import registration_offer
from podium.reports import archive

HOME_PAST_EVENTS = 12


def _visible_event(request, slug: str) -> Event:
    event = registrations.event_get_for_visitor(slug=slug, user=request.user, session=request.session)
    if event is None:
        raise Http404("No such event")
    return event


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says: the static icon."""
    return HttpResponsePermanentRedirect(static("podium/favicon.ico"))


@require_GET
def home(request):
    # An event on now is shown as "Live now", not under upcoming; one whose session a moderator ended
    # early is past.
    listed = events.event_list_upcoming()
    now = timezone.now()
    ended_early = live.events_ended_early(events=listed, now=now)
    past = events.events_past(ended_early=ended_early)
    return render(
        request,
        "public/home.html",
        {
            "live_now": live.events_live_now(events=listed, now=now, ended_early=ended_early),
            "upcoming": [event for event in listed if event.starts_at > now],
            "past": list(archive.events_with_press_release(past)[:HOME_PAST_EVENTS]),
            "series_list": [s for s in events.series_list() if s.listed_event_count],
        },
    )


@require_GET
def series_detail(request, slug: str):
    series = events.series_get(slug=slug)
    if series is None:
        raise Http404("No such series")
    listed = events.event_list_upcoming(series=series)
    ended_early = live.events_ended_early(events=listed)
    return render(
        request,
        "public/series.html",
        {
            "series": series,
            "upcoming": [event for event in listed if event.pk not in ended_early],
            "past": list(archive.events_with_press_release(events.events_past(series=series, ended_early=ended_early))),
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
            "offer": registration_offer(event=event),
            "invitation": registrations.invitation_for_event(session=request.session, event=event),
            "over": event.has_ended(),
            "report": archive.report_published_get(event=event),
            "recordings": recordings,
            "materials": materials,
            "json_ld": json_ld_script(event_json_ld(event=event, request=request)),
        },
    )


@require_GET
def event_share_image(request, slug: str):
    """The picture link previews show. Only for pages anyone may open: never a draft's or an
    invitation-only event's, whoever asks (a shared picture travels beyond the one who asked)."""
    event = events.event_get(slug=slug)
    if event is None or not event.has_public_page:
        raise Http404("No such event")
    card = share_card(event=event, organisation=organisation_get())
    etag = f'"{card.etag}"'
    response = get_conditional_response(request, etag=etag)  # 304 when the visitor has this card already
    if response is None:
        response = HttpResponse(share_image(card=card), content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=3600)
    return response


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
