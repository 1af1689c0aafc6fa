"""Campaign pages for staff (templates, drafts, preview, sending, progress) and the public RSVP and
unsubscribe pages reached from the email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from podium.audience.selectors import audience_excluded_count
from podium.audience.services import person_from_unsubscribe_token, person_unsubscribe
from podium.campaigns import selectors, services
from podium.campaigns.forms import CampaignForm, InvitationTemplateForm, PreviewForm, ScheduleForm
from podium.campaigns.models import Campaign, InvitationTemplate
from podium.campaigns.placeholders import PLACEHOLDERS
from podium.core.errors import ApplicationError
from podium.core.http import private_page as _private
from podium.core.http import sandboxed_email
from podium.core.permissions import staff_permission
from podium.core.ratelimit import rate_limited
from podium.people.models import Person
from podium.registrations.models import Invitation

# Staff: templates ------------------------------------------------------------------------------


@staff_permission("campaigns.view_campaign")
def template_list(request):
    return render(request, "campaigns/template_list.html", {"templates": InvitationTemplate.objects.all()})


@staff_permission("campaigns.change_campaign")
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(InvitationTemplate, pk=pk) if pk else None
    form = InvitationTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Template “{form.instance.name}” saved.")
        return redirect("campaigns:templates")
    return render(
        request,
        "campaigns/template_form.html",
        {
            "form": form,
            "template": template,
            "placeholders": PLACEHOLDERS.values(),
        },
        status=400 if request.method == "POST" else 200,
    )


# Staff: campaigns ------------------------------------------------------------------------------


@staff_permission("campaigns.view_campaign")
def campaign_list(request):
    return render(request, "campaigns/campaign_list.html", {"campaigns": selectors.campaign_list()})


@staff_permission("campaigns.add_campaign")
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    if campaign is not None and campaign.status != Campaign.Status.DRAFT:
        messages.error(request, "This campaign has been scheduled or sent, so it cannot be changed.")
        return redirect("campaigns:detail", pk=campaign.pk)
    if campaign is not None:
        initial = CampaignForm.initial_from(campaign)
    else:
        initial = {"event": request.GET.get("event"), "restrict_to_email": True}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_save(
                campaign=campaign,
                event=data["event"],
                name=data["name"],
                subject=data["subject"],
                body=data["body"],
                segments=data["segments"],
                tags=data["tags"],
                audiences=data["audiences"],
                people=data["people"],
                restrict_to_email=data["restrict_to_email"],
                by=request.user,
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Draft saved. Preview it, then send.")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "placeholders": PLACEHOLDERS.values(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _selection(campaign: Campaign) -> dict:
    return dict(
        segments=campaign.segments,
        tags=list(campaign.tags.all()),
        audiences=list(campaign.audiences.all()),
        people=list(campaign.people.all()),
    )


@staff_permission("campaigns.view_campaign")
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("event", "event__series", "created_by"), pk=pk)
    context = {
        "campaign": campaign,
        "schedule_form": ScheduleForm(),
        "progress": selectors.campaign_progress(campaign=campaign),
    }
    if campaign.status == Campaign.Status.DRAFT:
        audience = selectors.campaign_audience(campaign=campaign)
        context["audience_count"] = audience.count()
        context["excluded_count"] = audience_excluded_count(**_selection(campaign))
        sample = list(audience.prefetch_related("designations")[:200])
        context["sample_people"] = sample
        chosen = PreviewForm(request.GET)
        preview_pk = chosen.cleaned_data["preview"] if chosen.is_valid() else None
        person = next((p for p in sample if p.pk == preview_pk), None)
        if person is None and preview_pk:  # anyone in the audience, beyond the first 200
            person = audience.filter(pk=preview_pk).first()
            if person is not None:
                sample.append(person)
        person = person or (sample[0] if sample else None)
        if person is not None:
            context["preview_person"] = person
            context["preview"] = selectors.campaign_preview(campaign=campaign, person=person)
    else:
        status = request.GET.get("status", "")
        page = Paginator(selectors.campaign_recipients(campaign=campaign, status=status), 100).get_page(
            request.GET.get("page")
        )
        context.update(
            page=page,
            status=status,
            registrations=selectors.recipient_registrations(campaign=campaign, recipients=list(page.object_list)),
        )
    return render(request, "campaigns/campaign_detail.html", context)


@staff_permission("campaigns.view_campaign")
def campaign_preview_body(request, pk: int, person_pk: int):
    """The HTML body on its own, framed by the detail page; sandboxed, nothing runs."""
    campaign = get_object_or_404(Campaign.objects.select_related("event"), pk=pk)
    person = get_object_or_404(Person, pk=person_pk)
    response = HttpResponse(selectors.campaign_preview(campaign=campaign, person=person)["body_html"])
    return sandboxed_email(response)


@staff_permission("campaigns.view_campaign")
def campaign_progress(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return JsonResponse(
        {
            "status": campaign.status,
            "status_label": campaign.get_status_display(),
            **selectors.campaign_progress(campaign=campaign),
        }
    )


@require_POST
@staff_permission("campaigns.change_campaign")
def campaign_send(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # Iterating an ErrorList yields its messages as str; the stubs say ValidationError | str.
                messages.error(request, error)  # type: ignore[arg-type]
        return redirect("campaigns:detail", pk=pk)
    try:
        campaign = services.campaign_schedule(campaign=campaign, send_at=form.cleaned_data["send_at"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if form.cleaned_data["send_at"]:
            messages.success(request, "Scheduled. The worker starts sending at the set time.")
        else:
            messages.success(request, "Sending has started. This page shows the progress.")
    return redirect("campaigns:detail", pk=pk)


@require_POST
@staff_permission("campaigns.change_campaign")
def campaign_cancel(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if services.campaign_cancel(campaign=campaign):
        messages.success(request, "Cancelled. Invitations already sent stay valid; the rest will not be sent.")
    else:
        messages.error(request, "Only a scheduled or sending campaign can be cancelled.")
    return redirect("campaigns:detail", pk=pk)


@require_POST
@staff_permission("campaigns.change_campaign")
def campaign_retry(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    retried = services.campaign_retry_failed(campaign=campaign)
    messages.success(request, f"{retried} failed message{'s' if retried != 1 else ''} queued again.")
    return redirect("campaigns:detail", pk=pk)


# Public: the answer to an invitation, and unsubscribing ------------------------------------------


def _invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("event", "person").filter(token=token).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("rsvp", limit_setting="PODIUM_RATE_LIMIT_REGISTRATIONS")
def accept(request, token: str):
    """GET shows the answer about to be given with a button; only the POST the button sends records it.
    Nothing on the page submits itself: mail scanners open links in browsers that run scripts, and must
    not take a seat for someone who never clicked."""
    invitation = _invitation(token)
    if request.method == "POST":
        try:
            outcome = services.invitation_accept(invitation=invitation)
        except ApplicationError as error:
            return _private(
                render(
                    request,
                    "campaigns/rsvp.html",
                    {
                        "invitation": invitation,
                        "event": invitation.event,
                        "answer": "accept",
                        "error": error.message,
                    },
                    status=error.status,
                )
            )
        messages.success(
            request,
            {
                "confirmed": "Thank you: your place is confirmed. We have emailed you the details.",
                "waitlisted": (
                    "Thank you. The event is full, so you are on the waiting list; "
                    "we will email you if a seat frees up."
                ),
                "pending": "Thank you. Your registration is waiting for approval; we will email you the decision.",
            }.get(outcome.registration.status, "Your answer is recorded."),
        )
        return redirect("registrations:manage", token=outcome.registration.manage_token)
    return _private(
        render(
            request,
            "campaigns/rsvp.html",
            {
                "invitation": invitation,
                "event": invitation.event,
                "answer": "accept",
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("rsvp", limit_setting="PODIUM_RATE_LIMIT_REGISTRATIONS")
def decline(request, token: str):
    invitation = _invitation(token)
    if request.method == "POST":
        services.invitation_decline(invitation=invitation)
        return _private(
            render(
                request,
                "campaigns/rsvp_done.html",
                {
                    "invitation": invitation,
                    "event": invitation.event,
                },
            )
        )
    return _private(
        render(
            request,
            "campaigns/rsvp.html",
            {
                "invitation": invitation,
                "event": invitation.event,
                "answer": "decline",
            },
        )
    )


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a CSRF token;
@never_cache  # the signed token in the address is the authority.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    person = person_from_unsubscribe_token(token=token)
    if person is None:
        return _private(render(request, "campaigns/unsubscribe.html", {"invalid": True}, status=404))
    if request.method == "POST":
        person_unsubscribe(person=person)
        return _private(render(request, "campaigns/unsubscribe.html", {"person": person, "done": True}))
    return _private(
        render(
            request,
            "campaigns/unsubscribe.html",
            {
                "person": person,
                "already": person.unsubscribed_at is not None,
            },
        )
    )
