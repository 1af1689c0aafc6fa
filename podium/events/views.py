"""Public pages of series, events and speakers, and the personal pages: join links and speaker invitations."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.core.http import private_page as _private
from podium.events import selectors, services
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.forms import SpeakerProfileForm
from podium.events.models import Event
from podium.events.structured import event_json_ld, json_ld_script
from podium.registrations.selectors import invitation_for_event, invited_event_ids
from podium.registrations.services import seats_left
from podium.reports.archive import report_published_get


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
    # After the event the page becomes its archive: the press release, the recording and the materials.
    # A published press release shows whenever staff published it, even if the clock says "not over yet".
    recordings, materials = selectors.attachments_public(event=event)
    return render(request, "events/event_detail.html", {
        "event": event,
        "agenda": selectors.agenda_groups(event=event),
        "seats_left": seats_left(event=event),
        "registration_open": event.registration_is_open(),
        "invitation": invitation_for_event(session=request.session, event=event),
        "over": event.has_ended(),
        "report": report_published_get(event=event),
        "recordings": recordings,
        "materials": materials,
        "json_ld": json_ld_script(event_json_ld(event=event, request=request)),
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


# Personal pages ---------------------------------------------------------------------------



def _link_invalid(request) -> HttpResponse:
    return _private(render(request, "events/link_invalid.html", status=404))


JOIN_PAGE_STATUS = {
    selectors.JoinOutcome.NO_ROOM: 200,
    selectors.JoinOutcome.EARLY: 200,
    selectors.JoinOutcome.ENDED: 410,
    selectors.JoinOutcome.REFUSED: 403,
}


def _join_page(request, decision: selectors.JoinDecision, **context) -> HttpResponse:
    return _private(render(request, "events/join.html", {
        "decision": decision, "event": decision.event, "outcome": decision.outcome, **context,
    }, status=JOIN_PAGE_STATUS[decision.outcome]))


@never_cache
@require_GET
def join(request, token: str):
    """A registrant's personal join link: into the room when the event is open, otherwise a page saying why not."""
    registration = selectors.registration_get_for_join(token=token)
    if registration is None:
        return _link_invalid(request)
    now = timezone.now()
    decision = selectors.join_decide(event=registration.event, registration=registration, now=now)
    if decision.enter or decision.outcome == selectors.JoinOutcome.NO_ROOM:
        # Into the live page: the video, the agenda, questions and polls in one place.
        services.registration_joined(registration=registration, now=now)
        return _private(redirect("live:page", token=registration.token))
    return _join_page(request, decision, registration=registration)


@never_cache
@require_GET
def speaker_join(request, token: str):
    """A speaker's join link: opens from the technical check."""
    participation = selectors.participation_get_by_token(token=token)
    if participation is None:
        return _link_invalid(request)
    decision = selectors.join_decide(event=participation.event, participation=participation, now=timezone.now())
    if decision.enter or decision.outcome == selectors.JoinOutcome.NO_ROOM:
        # The speaker's live page: their green room from the technical check, with the video button.
        return _private(redirect("live:speaker_page", token=participation.token))
    return _join_page(request, decision, participation=participation)


@never_cache
@require_http_methods(["GET", "POST"])
def speaker(request, token: str):
    """A speaker's personal page: the invitation, their answer and, once they accept, their profile."""
    participation = selectors.participation_get_by_token(token=token)
    if participation is None:
        return _link_invalid(request)
    person = participation.person
    form = SpeakerProfileForm(request.POST or None, request.FILES or None,
                              initial=SpeakerProfileForm.initial_for(person))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.speaker_profile_update(
                    participation=participation, position=form.cleaned_data["position"],
                    organisation=form.cleaned_data["organisation"], bio=form.cleaned_data["bio"],
                    photo=form.cleaned_data["photo"], remove_photo=form.cleaned_data["remove_photo"],
                )
            except services.SpeakerError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Thank you. Your profile is saved.")
            return redirect("events:speaker", token=token)
        status = 400
    return _private(render(request, "events/speaker.html", {
        "participation": participation, "event": participation.event, "person": person, "form": form,
        "ended": participation.event.is_past,
        "join_url": services.speaker_join_link(participation),
    }, status=status))


@never_cache
@require_POST
def speaker_respond(request, token: str):
    participation = selectors.participation_get_by_token(token=token)
    if participation is None:
        return _link_invalid(request)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, "Please choose whether you accept or decline.")
        return redirect("events:speaker", token=token)
    try:
        services.participation_respond(participation=participation, accept=decision == "accept")
    except services.SpeakerError as error:
        messages.error(request, error.message)
    else:
        if decision == "accept":
            messages.success(request, "Thank you for accepting. The organisers can see your answer now.")
        else:
            messages.success(request, "Your answer is recorded: you will not speak at this event. "
                                      "The organisers can see it now.")
    return redirect("events:speaker", token=token)
