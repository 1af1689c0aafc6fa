"""Public registration pages: the form, the confirmation, the personal manage page and invitation links."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from podium.core.errors import ApplicationError, error_to_form
from podium.core.http import private_page as _private
from podium.core.ratelimit import rate_limited
from podium.events.calendar import calendar_filename, event_calendar
from podium.registrations import selectors, services
from podium.registrations.forms import RegistrationForm
from podium.registrations.models import Registration

SESSION_LAST = "podium_last_registration"


def _registration(token: str) -> Registration:
    """The registration a manage link opens (never its join token: podium.live opens those)."""
    registration = selectors.registration_get_by_manage_token(token=token)
    if registration is None:
        raise Http404("No such registration")
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("register", limit_setting="PODIUM_RATE_LIMIT_REGISTRATIONS")
def register(request, slug: str):
    event = selectors.event_get_for_visitor(slug=slug, user=request.user, session=request.session)
    if event is None:
        raise Http404("No such event")
    invitation = selectors.invitation_for_event(session=request.session, event=event)
    questions = list(event.questions.all())
    initial = {"email": invitation.email, "name": invitation.name} if invitation else {}
    form = RegistrationForm(request.POST or None, questions=questions, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                designation=form.cleaned_data["designation"],
                segment=form.cleaned_data["segment"],
                answers=form.answers(),
                invitation=invitation,
                directory_consent=form.cleaned_data["directory_consent"],
            )
        except ApplicationError as error:
            error_to_form(form, error)
            status = error.status
        else:
            # Only what was typed: the thank-you page is the same whether the address was registered
            # already or not (services.registration_submit), and shows no link.
            request.session[SESSION_LAST] = {"event": event.pk, "email": form.cleaned_data["email"]}
            return redirect("registrations:registered", slug=event.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "registrations/register.html",
        {
            "event": event,
            "form": form,
            "invitation": invitation,
            "offer": services.registration_offer(event=event),
        },
        status=status,
    )


@never_cache
def registered(request, slug: str):
    last: dict[str, Any] = request.session.get(SESSION_LAST) or {}  # what register() stored
    event = selectors.event_get_for_visitor(slug=slug, user=request.user, session=request.session)
    if event is None or last.get("event") != event.pk or not last.get("email"):
        return redirect("public:event", slug=slug)
    return _private(render(request, "registrations/registered.html", {"event": event, "email": last["email"]}))


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    registration = _registration(token)
    event = registration.event
    questions = list(event.questions.all())
    form = RegistrationForm(
        request.POST or None,
        questions=questions,
        with_email=False,
        initial=RegistrationForm.initial_from(registration),
    )
    if request.method == "POST":
        if not registration.is_active:
            messages.error(request, "This registration is no longer active, so it cannot be changed.")
            return redirect("registrations:manage", token=token)
        if form.is_valid():
            services.registration_update(
                registration=registration,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                designation=form.cleaned_data["designation"],
                segment=form.cleaned_data["segment"],
                answers=form.answers(),
            )
            messages.success(request, "Your details are saved.")
            return redirect("registrations:manage", token=token)
    return _private(
        render(
            request,
            "registrations/manage.html",
            {
                "registration": registration,
                "event": event,
                "form": form,
                "position": selectors.waitlist_position(registration=registration),
                "join_url": services.join_link(registration),
            },
            status=400 if request.method == "POST" else 200,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    registration = _registration(token)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, "Your registration is cancelled. We have sent you a confirmation by email.")
        return redirect("registrations:manage", token=token)
    return _private(
        render(
            request,
            "registrations/cancel.html",
            {
                "registration": registration,
                "event": registration.event,
            },
        )
    )


def manage_ics(request, token: str):
    registration = _registration(token)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404("Only confirmed registrations have a calendar entry")
    event = registration.event
    # Only the join link: a calendar entry is shared and synced; the manage link stays in the email.
    body = event_calendar(event=event, join_hint=f"Join the event: {services.join_link(registration)}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(event)}"'
    return _private(response)


@never_cache
def invitation_open(request, token: str):
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation is None:
        return _private(render(request, "registrations/invitation_invalid.html", status=404))
    tokens = [t for t in request.session.get(selectors.SESSION_INVITATIONS, []) if t != token]
    request.session[selectors.SESSION_INVITATIONS] = [token, *tokens][:20]
    return redirect(reverse("public:event", kwargs={"slug": invitation.event.slug}))
