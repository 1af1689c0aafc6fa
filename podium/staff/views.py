"""Staff pages: events and their registrations (approve, decline, in bulk) and the outbox."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from podium.core.errors import ApplicationError, error_reply, form_error
from podium.core.http import local_path, sandboxed_email
from podium.core.permissions import staff_permission
from podium.core.ratelimit import rate_limited
from podium.events.models import Event
from podium.mail import selectors as mail_selectors
from podium.mail.models import Message
from podium.mail.services import message_retry
from podium.registrations import selectors as registration_selectors
from podium.registrations import services as registration_services
from podium.registrations.models import Registration
from podium.staff import selectors
from podium.staff.forms import DecideForm, RegistrationFilterForm


@method_decorator(rate_limited("login", limit_setting="PODIUM_RATE_LIMIT_LOGIN"), name="dispatch")
class LoginView(auth_views.LoginView):
    """Staff sign-in. Wrong passwords lock the account and address out (django-axes, settings.AXES_*);
    every sign-in sent also counts towards the address's rate limit."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True


@staff_permission("registrations.view_registration")
def dashboard(request):
    return render(
        request,
        "staff/dashboard.html",
        {
            "events": selectors.event_list_with_counts(),
            "outbox": mail_selectors.outbox_counts(),
        },
    )


@staff_permission("registrations.view_registration")
def event_registrations(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    form = RegistrationFilterForm(request.GET)
    status, search = "", ""
    if form.is_valid():
        status, search = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    else:
        messages.error(request, form_error(form).message)
    page = Paginator(
        registration_selectors.event_registrations(event=event, status=status, search=search), 100
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/event_registrations.html",
        {
            "event": event,
            "page": page,
            "status": status,
            "search": search,
            "statuses": Registration.Status.choices,
            "counts": registration_selectors.registration_counts(event=event),
            "seats_left": registration_services.seats_left(event=event),
        },
        status=200 if form.is_valid() else 400,
    )


@require_POST
@staff_permission("registrations.change_registration")
def event_registrations_decide(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    data = request.POST.copy()
    data["only"] = request.GET.get("only", "")  # a row's own button names its row in the URL
    form = DecideForm(data)
    back = local_path(request, request.POST.get("next", "")) or reverse("staff:registrations", kwargs={"pk": event.pk})
    if not form.is_valid():
        return error_reply(request, form_error(form), back=back)
    ids, approve = form.cleaned_data["ids"], form.cleaned_data["decision"] == "approve"
    try:
        changed = registration_services.registrations_decide(
            event=event, registration_ids=ids, approve=approve, by=request.user
        )
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    verb = "Approved" if approve else "Declined"
    skipped = len(ids) - changed
    note = f" {skipped} could not be changed in their current state." if skipped else ""
    messages.success(request, f"{verb} {changed} registration{'s' if changed != 1 else ''}.{note}")
    return redirect(back)


@staff_permission("mail.view_message")
def outbox(request):
    status = request.GET.get("status", "")
    if status not in Message.Status.values:
        status = ""
    page = Paginator(mail_selectors.message_list(status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/outbox.html",
        {
            "page": page,
            "status": status,
            "statuses": Message.Status.choices,
            "counts": mail_selectors.outbox_counts(),
        },
    )


@staff_permission("mail.view_message")
def outbox_message(request, pk: int):
    message = get_object_or_404(Message.objects.select_related("event", "registration"), pk=pk)
    return render(request, "staff/outbox_message.html", {"message": message})


@staff_permission("mail.view_message")
def outbox_message_html(request, pk: int):
    """The HTML body on its own, framed by the message page; sandboxed, nothing runs."""
    message = get_object_or_404(Message, pk=pk)
    response = render(request, "staff/outbox_message_body.html", {"message": message})
    return sandboxed_email(response)


@require_POST
@staff_permission("mail.change_message")
def outbox_message_retry(request, pk: int):
    message = get_object_or_404(Message, pk=pk)
    message_retry(message=message)
    messages.success(request, "The message is queued to be sent again.")
    return redirect("staff:message", pk=pk)
