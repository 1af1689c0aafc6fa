"""Staff pages: the dashboard and each event's overview, series and events set up (form, agenda,
duplicate, publish), registrations (filter, export, approve, decline, in bulk, promote from the waiting
list) and the outbox."""

import re
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from podium.campaigns.selectors import event_campaigns
from podium.core.errors import ApplicationError, error_reply, error_to_form, form_error, wants_json
from podium.core.http import local_path, sandboxed_email
from podium.core.permissions import staff_permission
from podium.core.ratelimit import rate_limited
from podium.core.selectors import organisation_get
from podium.core.spreadsheets import csv_bytes, xlsx_bytes
from podium.events import services as event_services
from podium.events.models import Event, Participation, Role, Series
from podium.events.selectors import event_participations
from podium.mail import selectors as mail_selectors
from podium.mail.models import Message
from podium.mail.services import message_retry
from podium.people.selectors import people_search
from podium.people.services import person_create
from podium.registrations import selectors as registration_selectors
from podium.registrations import services as registration_services
from podium.registrations.models import Registration
from podium.reports.selectors import report_get
from podium.staff import selectors
from podium.staff.forms import (
    ROLE_CHOICES,
    ZONES,
    DecideForm,
    DeclineForm,
    DuplicateForm,
    EventForm,
    ParticipationAddForm,
    ParticipationMoveForm,
    ParticipationRoleForm,
    ParticipationTalkForm,
    PersonCreateForm,
    PersonSearchForm,
    RegistrationAddForm,
    RegistrationExportForm,
    RegistrationFilterForm,
    RescheduleForm,
    SeriesChoiceForm,
    SeriesForm,
)
from podium.video.services import video_room_engine_set


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
            "sections": selectors.dashboard_sections(),
            "outbox": mail_selectors.outbox_counts(),
        },
    )


@staff_permission("events.view_event")
def event_overview(request, pk: int):
    """The event workspace's first tab: where the event stands, what to do next, and its set-up links."""
    event = selectors.event_in_progress_get(pk=pk)
    if event is None:
        raise Http404("No such event.")
    participations = event_participations(event=event)
    return render(
        request,
        "staff/event_overview.html",
        {
            "event": event,
            "stage": selectors.STAGE_TITLES[selectors.event_stage(event)],
            "actions": selectors.event_next_actions(event),
            "participations": participations,
            "preview": selectors.agenda_preview(event=event, participations=participations),
            "campaigns": event_campaigns(event=event),
            "report": report_get(event=event),
            "seats_left": registration_services.seats_left(event=event),
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
            "undoable": registration_selectors.declines_undoable(event=event),
        },
        status=200 if form.is_valid() else 400,
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@staff_permission("registrations.view_registration")
def event_registrations_export(request, pk: int):
    """The registrations under the page's filter as CSV or XLSX, every cell inert (core.spreadsheets)."""
    event = get_object_or_404(Event, pk=pk)
    form = RegistrationExportForm(request.GET)
    if not form.is_valid():
        return error_reply(request, form_error(form), back=reverse("staff:registrations", kwargs={"pk": event.pk}))
    fmt = form.cleaned_data["format"]
    table = registration_selectors.registration_table(
        event=event, status=form.cleaned_data["status"], search=form.cleaned_data["q"].strip()
    )
    if fmt == "xlsx":
        body = xlsx_bytes(header=table.header, rows=table.rows, title="Registrations")
    else:
        body = csv_bytes(header=table.header, rows=table.rows)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    # Slugs are letters, digits and hyphens; anything else (a slug set outside the forms) is dropped
    # rather than quoted, so the header stays one plain token.
    name = re.sub(r"[^A-Za-z0-9_-]", "", event.slug) or f"event-{event.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-registrations.{fmt}"'
    return response


@require_POST
@staff_permission("registrations.change_registration")
def event_registration_promote(request, pk: int, registration_pk: int):
    event = get_object_or_404(Event, pk=pk)
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_pk, event=event)
    back = local_path(request, request.POST.get("next", "")) or reverse("staff:registrations", kwargs={"pk": event.pk})
    try:
        registration_services.registration_promote(registration=registration, by=request.user)
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    messages.success(request, f"{registration.name} has a seat now; they are being emailed their confirmation.")
    return redirect(back)


@staff_permission("registrations.add_registration")
def event_registration_add(request, pk: int):
    """Add someone by hand, typed in or picked from the directory (?find= searches it, ?person= fills
    the form from a record)."""
    event = get_object_or_404(Event, pk=pk)
    back = reverse("staff:registrations", kwargs={"pk": event.pk})
    search = PersonSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    initial: dict = {}
    if request.method == "GET" and request.GET.get("person"):
        try:
            person = RegistrationAddForm.base_fields["person"].clean(request.GET["person"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if person is not None:
                initial = RegistrationAddForm.initial_from(person)
    form = RegistrationAddForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = registration_services.registration_add(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    segment=data["segment"],
                    organisation=data["organisation"],
                    designation=data["designation"],
                    person=data["person"],
                    send_email=not data["no_email"],
                    by=request.user,
                )
            except ApplicationError as error:
                error_to_form(form, error)
                status = error.status
            else:
                place = "has a seat" if registration.is_confirmed else "is on the waiting list: every seat is taken"
                emailed = "no email was sent" if data["no_email"] else "their email is on its way"
                messages.success(request, f"{registration.name} {place}; {emailed}.")
                return redirect(back)
        else:
            status = 400
    return render(
        request,
        "staff/registration_add.html",
        {
            "event": event,
            "form": form,
            "query": query,
            "results": list(people_search(query=query)) if query else [],
            "seats_left": registration_services.seats_left(event=event),
        },
        status=status,
    )


@staff_permission("registrations.change_registration")
def event_registration_decline(request, pk: int, registration_pk: int):
    """Decline one registration after a confirmation that shows the email the person will receive."""
    event = get_object_or_404(Event, pk=pk)
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_pk, event=event)
    back = reverse("staff:registrations", kwargs={"pk": event.pk})
    if not registration.is_active:
        messages.error(
            request,
            f"{registration.name}'s registration is {registration.get_status_display().lower()}, "
            "so it cannot be declined.",
        )
        return redirect(back)
    form = DeclineForm(request.POST or None)
    reason, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            if form.cleaned_data["action"] == "decline":
                try:
                    registration_services.registration_decline(
                        registration=registration, by=request.user, reason=reason
                    )
                except ApplicationError as error:
                    return error_reply(request, error, back=back)
                messages.success(request, f"Declined {registration.name}.")
                return redirect(back)
        else:
            status = 400
    return render(
        request,
        "staff/registration_decline.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "preview": registration_services.registration_decline_preview(registration=registration, reason=reason),
            "undo_minutes": registration_services.decline_hold().total_seconds() / 60,
        },
        status=status,
    )


@require_POST
@staff_permission("registrations.change_registration")
def event_registration_decline_undo(request, pk: int, registration_pk: int):
    event = get_object_or_404(Event, pk=pk)
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_pk, event=event)
    back = local_path(request, request.POST.get("next", "")) or reverse("staff:registrations", kwargs={"pk": event.pk})
    try:
        registration = registration_services.registration_decline_undo(registration=registration, by=request.user)
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    messages.success(
        request,
        f"The decline is undone: {registration.name} is {registration.get_status_display().lower()} again, "
        "and the email telling them of it will not be sent.",
    )
    return redirect(back)


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


# Setting up series and events -----------------------------------------------------------------


def _fetch_ok(request, back: str):
    """After an action: JSON for the agenda page's script, otherwise back to the page."""
    if wants_json(request):
        return JsonResponse({"ok": True})
    return redirect(back)


@staff_permission("events.view_series")
def series_list(request):
    return render(request, "staff/series_list.html", {"series_list": selectors.series_list_with_counts()})


@staff_permission("events.add_series")
def series_new(request):
    return _series_form(request, None)


@staff_permission("events.change_series")
def series_edit(request, pk: int):
    return _series_form(request, get_object_or_404(Series, pk=pk))


def _series_form(request, series: Series | None):
    if request.method == "POST":
        form = SeriesForm(request.POST)
        if form.is_valid():
            try:
                if series is None:
                    series = event_services.series_create(**form.cleaned_data)
                    messages.success(request, f"The series “{series.name}” is created. Add its first event.")
                else:
                    series = event_services.series_update(series=series, **form.cleaned_data)
                    messages.success(request, "The series is saved.")
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                return redirect("staff:series")
    else:
        initial: dict = {"default_registration_mode": Event.RegistrationMode.OPEN}
        if series is not None:
            initial = {name: getattr(series, name) for name in SeriesForm.base_fields}
            initial["default_organiser"] = series.default_organiser_id
        form = SeriesForm(initial=initial)
    return render(
        request, "staff/series_form.html", {"form": form, "series": series}, status=400 if form.errors else 200
    )


@staff_permission("events.add_event")
def event_new(request):
    series = None
    choice = SeriesChoiceForm(request.GET)
    if choice.is_valid():
        series = choice.cleaned_data["series"]
    return _event_form(request, None, series=series)


@staff_permission("events.change_event")
def event_edit(request, pk: int):
    return _event_form(request, get_object_or_404(Event.objects.select_related("series", "video_room"), pk=pk))


def _event_form(request, event: Event | None, *, series: Series | None = None):
    zone = event.time_zone if event else organisation_get().default_time_zone
    created = event is None
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                fields = form.event_fields()
                reschedule = RescheduleForm(request.POST)
                if event is not None and not reschedule.is_valid():
                    asking = _reschedule_confirmation(request, event, fields)
                    if asking is not None:
                        return asking
                notify = not (reschedule.is_valid() and reschedule.cleaned_data["dont_email"])
                queued = 0
                with transaction.atomic():
                    if event is None:
                        event = event_services.event_create(**fields)
                        changed: set[str] = set()
                    else:
                        event, changed, queued = registration_services.event_reschedule(
                            event=event, notify=notify, **fields
                        )
                    video_room_engine_set(event=event, engine=form.cleaned_data["video_engine"])
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                if "capacity" in changed:
                    promoted = registration_services.event_seats_changed(event=event)
                    if promoted:
                        messages.info(request, f"{len(promoted)} people moved from the waiting list to confirmed.")
                if created:
                    messages.success(request, "The event is created as a draft. Now set its agenda.")
                    return redirect("staff:agenda", pk=event.pk)
                if queued:
                    messages.success(request, f"The event is saved. {_people(queued)} will be emailed the new time.")
                elif changed & set(event_services.TIME_FIELDS) and not notify:
                    messages.success(request, "The event is saved. Nobody was emailed about the new time.")
                else:
                    messages.success(request, "The event is saved.")
                return redirect("staff:event_edit", pk=event.pk)
    else:
        form = EventForm(initial=EventForm.initial_for(event, series=series, zone=zone))
    return render(
        request,
        "staff/event_form.html",
        {"form": form, "event": event, "zones": ZONES},
        status=400 if form.errors else 200,
    )


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _reschedule_confirmation(request, event: Event, fields: dict):
    """A save that moves a published event people expect is confirmed first: who will be emailed what.
    None when there is nothing to confirm (a draft, no move, nobody registered)."""
    if event.is_draft or not event_services.event_time_moves(event=event, fields=fields):
        return None
    audience = registration_services.reschedule_audience(event=event).count()
    speakers = event_services.reschedule_speakers(event=event).count()
    if not audience and not speakers:
        return None
    resubmit = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "reschedule", "dont_email")
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "staff/event_reschedule.html",
        {
            "event": event,
            "new": fields,
            "audience": audience,
            "people": _people(audience),
            "speakers": speakers,
            "resubmit": resubmit,
            "confirm_form": RescheduleForm(initial={"reschedule": "confirm"}),
        },
    )


def _agenda_context(event: Event) -> dict:
    participations = event_participations(event=event)
    return {
        "event": event,
        "participations": participations,
        "preview": selectors.agenda_preview(event=event, participations=participations),
        "add_form": ParticipationAddForm(),
        "roles": ROLE_CHOICES,
        "default_role": Role.DISCUSSANT,
    }


@staff_permission("events.change_event")
def event_agenda(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    search = PersonSearchForm(request.GET)
    query, results = "", []
    if search.is_valid():
        query = search.cleaned_data["q"].strip()
        results = list(people_search(query=query)) if query else []
    context = _agenda_context(event)
    context.update(
        search=search,
        query=query,
        results=results,
        person_form=PersonCreateForm(),
    )
    return render(request, "staff/event_agenda.html", context, status=200 if search.is_valid() else 400)


@staff_permission("events.change_event")
def agenda_people(request, pk: int):
    """Directory matches for the type-ahead: the same result rows the page renders without script."""
    event = get_object_or_404(Event, pk=pk)
    search = PersonSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = list(people_search(query=query)) if query else []
    return render(
        request,
        "staff/_agenda_results.html",
        {"event": event, "query": query, "results": results, "roles": ROLE_CHOICES, "default_role": Role.DISCUSSANT},
    )


@require_POST
@staff_permission("events.change_event")
def agenda_add(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    back = reverse("staff:agenda", kwargs={"pk": event.pk})
    form = ParticipationAddForm(request.POST)
    if not form.is_valid():
        return error_reply(request, form_error(form), back=back)
    try:
        participation = event_services.participation_add(event=event, **form.cleaned_data)
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    messages.success(
        request, f"{participation.person.styled_name} is on the agenda as {participation.get_role_display().lower()}."
    )
    return _fetch_ok(request, back)


@require_POST
@staff_permission("events.change_event")
def agenda_person_new(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    form = PersonCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = person_create(
                    honorific=data["honorific"],
                    retired=data["retired"],
                    given_names=data["given_names"],
                    family_name=data["family_name"],
                    pronoun=data["pronoun"],
                    email=data["email"],
                    designations=form.designations(),
                )
                event_services.participation_add(
                    event=event, person=person, role=data["role"], confirmed=data["confirmed"]
                )
        except ApplicationError as error:
            error_to_form(form, error)
        else:
            messages.success(request, f"{person.first_mention} is in the directory and on the agenda.")
            return redirect("staff:agenda", pk=event.pk)
    context = _agenda_context(event)
    context.update(search=PersonSearchForm(), query="", results=[], person_form=form, person_open=True)
    return render(request, "staff/event_agenda.html", context, status=400)


@require_POST
@staff_permission("events.change_event")
def agenda_move(request, pk: int, participation_pk: int):
    participation = get_object_or_404(Participation, pk=participation_pk, event_id=pk)
    back = reverse("staff:agenda", kwargs={"pk": pk}) + f"#p{participation.pk}"
    form = ParticipationMoveForm(request.POST)
    if not form.is_valid():
        return error_reply(request, form_error(form), back=back)
    direction, position = form.cleaned_data["direction"], form.cleaned_data["position"]
    try:
        if position is not None:
            event_services.participation_move(participation=participation, position=position)
        else:
            event_services.participation_move(participation=participation, offset=-1 if direction == "up" else 1)
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    return _fetch_ok(request, back)


@require_POST
@staff_permission("events.change_event")
def agenda_role(request, pk: int, participation_pk: int):
    participation = get_object_or_404(Participation, pk=participation_pk, event_id=pk)
    back = reverse("staff:agenda", kwargs={"pk": pk}) + f"#p{participation.pk}"
    form = ParticipationRoleForm(request.POST)
    if not form.is_valid():
        return error_reply(request, form_error(form), back=back)
    try:
        participation = event_services.participation_role_set(
            participation=participation, role=form.cleaned_data["role"]
        )
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    messages.success(request, f"{participation.person.styled_name} is now {participation.get_role_display().lower()}.")
    return _fetch_ok(request, back)


@require_POST
@staff_permission("events.change_event")
def agenda_talk(request, pk: int, participation_pk: int):
    participation = get_object_or_404(Participation, pk=participation_pk, event_id=pk)
    back = reverse("staff:agenda", kwargs={"pk": pk}) + f"#p{participation.pk}"
    form = ParticipationTalkForm(request.POST)
    if not form.is_valid():
        return error_reply(request, form_error(form), back=back)
    try:
        participation = event_services.participation_talk_title_set(
            participation=participation, talk_title=form.cleaned_data["talk_title"]
        )
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    name = participation.person.styled_name
    if participation.talk_title:
        messages.success(request, f"The talk of {name} is “{participation.talk_title}”.")
    else:
        messages.success(request, f"No talk title is shown for {name}.")
    return _fetch_ok(request, back)


@require_POST
@staff_permission("events.change_event")
def agenda_remove(request, pk: int, participation_pk: int):
    participation = get_object_or_404(Participation.objects.select_related("person"), pk=participation_pk, event_id=pk)
    back = reverse("staff:agenda", kwargs={"pk": pk})
    try:
        event_services.participation_remove(participation=participation)
    except ApplicationError as error:
        return error_reply(request, error, back=back)
    messages.success(request, f"{participation.person.styled_name} is off the agenda.")
    return _fetch_ok(request, back)


@staff_permission("events.add_event")
def event_duplicate(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    if request.method == "POST":
        form = DuplicateForm(request.POST)
        if form.is_valid():
            try:
                copy = event_services.event_duplicate(
                    event=event, starts_at=form.starts_at(event), title=form.cleaned_data["title"]
                )
            except ApplicationError as error:
                error_to_form(form, error)
            else:
                messages.success(
                    request,
                    "The copy is a draft. The host, moderator and closing remarks are on its agenda, invited "
                    "again; add the speakers.",
                )
                return redirect("staff:agenda", pk=copy.pk)
    else:
        local = event.starts_at.astimezone(event.zone)
        form = DuplicateForm(
            initial={"title": event.title, "date": (local + timedelta(days=28)).date(), "starts": local.time()}
        )
    return render(
        request, "staff/event_duplicate.html", {"event": event, "form": form}, status=400 if form.errors else 200
    )


@staff_permission("events.change_event")
def event_publish(request, pk: int):
    return _publishing(request, pk, publish=True)


@staff_permission("events.change_event")
def event_unpublish(request, pk: int):
    return _publishing(request, pk, publish=False)


def _publishing(request, pk: int, *, publish: bool):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    if request.method == "POST":
        try:
            if publish:
                event = event_services.event_publish(event=event)
            else:
                event = event_services.event_unpublish(event=event)
        except ApplicationError as error:
            return error_reply(request, error, back=reverse("staff:event_edit", kwargs={"pk": event.pk}))
        messages.success(request, "The event is published." if publish else "The event is a draft again.")
        # back where publishing is offered and where its stage and next actions now show
        return redirect("staff:event", pk=event.pk)
    return render(
        request,
        "staff/event_publish.html",
        {"event": event, "publish": publish, "notified": selectors.publish_notified(event=event)},
    )
