"""The speakers' personal pages: their invitation, their answer and their profile."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from podium.core.errors import ApplicationError, form_error
from podium.core.http import link_invalid
from podium.core.http import private_page as _private
from podium.events import selectors, services
from podium.events.forms import SpeakerAnswerForm, SpeakerProfileForm


@never_cache
@require_http_methods(["GET", "POST"])
def speaker(request, token: str):
    """A speaker's personal page: the invitation, their answer and, once they accept, their profile."""
    participation = selectors.participation_get_by_token(token=token)
    if participation is None:
        return link_invalid(request)
    person = participation.person
    form = SpeakerProfileForm(
        request.POST or None, request.FILES or None, initial=SpeakerProfileForm.initial_for(person)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.speaker_profile_update(
                    participation=participation,
                    position=form.cleaned_data["position"],
                    organisation=form.cleaned_data["organisation"],
                    bio=form.cleaned_data["bio"],
                    photo=form.cleaned_data["photo"],
                    remove_photo=form.cleaned_data["remove_photo"],
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Thank you. Your profile is saved.")
            return redirect("events:speaker", token=token)
        status = 400
    return _private(
        render(
            request,
            "events/speaker.html",
            {
                "participation": participation,
                "event": participation.event,
                "person": person,
                "form": form,
                "ended": participation.event.is_past,
                "join_url": services.speaker_join_link(participation),
            },
            status=status,
        )
    )


@never_cache
@require_POST
def speaker_respond(request, token: str):
    participation = selectors.participation_get_by_token(token=token)
    if participation is None:
        return link_invalid(request)
    form = SpeakerAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error(form).message)
        return redirect("events:speaker", token=token)
    decision = form.cleaned_data["decision"]
    try:
        services.participation_respond(participation=participation, accept=decision == "accept")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if decision == "accept":
            messages.success(request, "Thank you for accepting. The organisers can see your answer now.")
        else:
            messages.success(
                request, "Your answer is recorded: you will not speak at this event. The organisers can see it now."
            )
    return redirect("events:speaker", token=token)
