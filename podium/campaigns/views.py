"""Campaign pages for staff (templates, drafts, preview, sending, progress) and the public RSVP and
unsubscribe pages reached from the email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from podium.audience.services import person_from_unsubscribe_token, person_unsubscribe
from podium.campaigns import selectors, services
from podium.campaigns.forms import CampaignForm, InvitationTemplateForm, ScheduleForm, TemplatePickForm
from podium.campaigns.models import Campaign, InvitationTemplate
from podium.campaigns.placeholders import PLACEHOLDERS
from podium.core.errors import ApplicationError
from podium.core.http import private_page as _private
from podium.core.http import sandboxed_email
from podium.core.permissions import staff_permission
from podium.core.ratelimit import rate_limited
from podium.events.models import Event
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


@staff_permission("campaigns.view_campaign")
def event_invitations(request, pk: int):
    """The event workspace's Invitations tab: the event's campaigns with their counts."""
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    return render(
        request,
        "campaigns/event_invitations.html",
        {"event": event, "campaigns": selectors.event_campaigns(event=event)},
    )


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
    note = ""
    if request.method == "POST" and "use_template" in request.POST:
        # Without script: fill the subject and text from the chosen template, save nothing.
        pick = TemplatePickForm(request.POST)
        template = pick.cleaned_data["template"] if pick.is_valid() else None
        form = CampaignForm(initial=CampaignForm.initial_from_post(request.POST, template=template))
        if template is None:
            note = str(next(iter(pick.errors.get("template", [])), "Choose a template first."))
        elif request.POST.get("subject", "").strip() and request.POST.get("body", "").strip():
            note = "Your subject and text are kept: empty them to use the template's."
        else:
            note = f"The subject and text are filled from “{template.name}” where they were empty. "
            note += "Nothing is saved yet."
    elif request.method == "POST" and form.is_valid():
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
            "template_texts": selectors.invitation_template_texts(),
            "template_note": note,
        },
        status=400 if request.method == "POST" and form.is_bound else 200,
    )


@staff_permission("campaigns.view_campaign")
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("event", "event__series", "created_by"), pk=pk)
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress(campaign=campaign),
        # The subject as sent, rendered for the sample person: a placeholder's braces never show.
        "preview": selectors.campaign_preview(campaign=campaign),
    }
    if campaign.status == Campaign.Status.DRAFT:
        context["summary"] = selectors.campaign_send_summary(campaign=campaign)
        context["schedule_form"] = ScheduleForm(zone=campaign.event.time_zone)
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
def campaign_preview_body(request, pk: int):
    """The HTML body as the sample person receives it, framed by the detail page; sandboxed, nothing runs,
    and its personal links point nowhere."""
    campaign = get_object_or_404(Campaign.objects.select_related("event"), pk=pk)
    response = HttpResponse(selectors.campaign_preview(campaign=campaign)["body_html"])
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


def _confirmation(request, campaign: Campaign, form: ScheduleForm, *, error: str = "", status: int = 200):
    """What sending will do, in numbers, with the one button that does it."""
    summary = selectors.campaign_send_summary(campaign=campaign)
    if not summary.recipients:
        messages.error(request, "Nobody in this audience can be emailed (no address, or unsubscribed).")
        return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_confirm.html",
        {
            "campaign": campaign,
            "form": form,
            "summary": summary,
            "preview": selectors.campaign_preview(campaign=campaign),
            "error": error,
        },
        status=status,
    )


@require_POST
@staff_permission("campaigns.change_campaign")
def campaign_send(request, pk: int):
    """The send form's POST shows the confirmation; only the confirmation's own POST (confirmed, with the
    number of recipients it showed) schedules the campaign."""
    campaign = get_object_or_404(Campaign.objects.select_related("event", "event__series"), pk=pk)
    form = ScheduleForm(request.POST, zone=campaign.event.time_zone)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # Iterating an ErrorList yields its messages as str; the stubs say ValidationError | str.
                messages.error(request, error)  # type: ignore[arg-type]
        return redirect("campaigns:detail", pk=pk)
    if not campaign.is_draft:
        messages.error(request, "This campaign has already been scheduled or sent.")
        return redirect("campaigns:detail", pk=pk)
    if not form.cleaned_data["confirmed"]:
        return _confirmation(request, campaign, form)
    try:
        campaign = services.campaign_schedule(
            campaign=campaign, send_at=form.cleaned_data["send_at"], expected_count=form.cleaned_data["expected"]
        )
    except ApplicationError as error:
        if error.field == "expected":
            return _confirmation(request, campaign, form, error=error.message, status=error.status)
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
