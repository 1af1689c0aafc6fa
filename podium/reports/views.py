"""The report workspace for staff (transcript, speaker mapping, points, the draft and its versions,
approval, publishing) and the public downloads of a published press release."""

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from podium.core.errors import ApplicationError, form_error
from podium.core.permissions import staff_permission
from podium.core.selectors import organisation_get
from podium.core.uploads import upload_read
from podium.events.models import Event
from podium.live.models import Note
from podium.registrations.selectors import event_get_for_visitor
from podium.reports import archive, exports, selectors, services, transcripts
from podium.reports.forms import (
    NoteUseForm,
    PointForm,
    PointTextForm,
    ReportEditForm,
    TranscriptMappingForm,
    TranscriptTextForm,
    VersionForm,
    WithdrawForm,
)
from podium.reports.models import Point, ReportVersion, Transcript

SAMPLE_TRANSCRIPT = Path(__file__).parent / "demo" / "zoom-transcript-pakistan-central-asia.vtt"


def _event(pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("series"), pk=pk)


def _download(release, fmt: str) -> HttpResponse:
    if fmt not in exports.EXPORTS:
        raise Http404("No such format")
    render_export, content_type, _ = exports.EXPORTS[fmt]
    try:
        data = render_export(release=release)
    except exports.ExportUnavailable as error:
        return HttpResponse(error.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=content_type)
    if fmt == "html":
        # The export carries its own inline stylesheet (a file that stands alone when downloaded).
        response["Content-Security-Policy"] = exports.HTML_CONTENT_SECURITY_POLICY
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.export_filename(release=release, fmt=fmt)}"'
    return response


@require_GET
def public_export(request, slug: str, fmt: str):
    """The published press release of a visible event, as HTML, Markdown, DOCX or PDF."""
    event = event_get_for_visitor(slug=slug, user=request.user, session=request.session)
    if event is None:
        raise Http404("No such event")
    report = archive.report_published_get(event=event)
    if report is None:
        raise Http404("No press release has been published for this event")
    version = archive.published_version(report)
    return _download(selectors.press_release_for(event=event, version=version, draft=False), fmt)


# The workspace ---------------------------------------------------------------------------------------------


def _preview(event: Event, report, current: ReportVersion | None, editor: dict | None) -> exports.Parts | None:
    """The press release as it prints, beside the editor: the text just typed when previewing it, else the
    current version (marked a draft unless it is the published one)."""
    if editor and editor.get("previewing"):
        release = selectors.press_release_draft(event=event, headline=editor["headline"], body=editor["body"])
    elif current is not None:
        draft = current.pk != report.published_version_id
        release = selectors.press_release_for(event=event, version=current, draft=draft)
    else:
        return None
    return exports.release_parts(release=release)


def _workspace(request, event: Event, *, editor: dict | None = None, status: int = 200):
    report = selectors.report_get(event=event)
    current = report.current_version if report else None
    speakers = selectors.points_by_speaker(event=event)
    left_out = selectors.points_left_out(speakers=speakers)
    return render(
        request,
        "reports/workspace.html",
        {
            "event": event,
            "tab": "report",
            "report": report,
            "current": current,
            "speakers": speakers,
            "left_out": left_out,
            # The browser stops a point at the length the service takes, so nothing typed is lost on refusal.
            "max_point": services.MAX_POINT,
            "notes": selectors.notes_unused(event=event),
            "versions": selectors.report_versions(report=report)[:50] if report else [],
            "editor": editor
            or {
                "headline": current.headline if current else "",
                "body": current.body if current else "",
                "base": current.number if current else "",
            },
            "problems": services.publication_problems(event=event, version=current) if current else [],
            "preview": _preview(event, report, current, editor),
            "approval_required": organisation_get().report_approval_required,
            "can_approve": request.user.has_perm("reports.approve_report"),
            "can_publish": request.user.has_perm("reports.publish_report"),
            "formats": [("html", "Web page"), ("md", "Markdown"), ("docx", "Word"), ("pdf", "PDF")],
        },
        status=status,
    )


@staff_permission("reports.change_report")
def workspace(request, pk: int):
    return _workspace(request, _event(pk))


def _back(event: Event, anchor: str = "") -> HttpResponse:
    return redirect(reverse("reports:workspace", args=[event.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@staff_permission("reports.change_report")
def point_add(request, pk: int):
    event = _event(pk)
    form = PointForm(request.POST, event=event)
    participation = None
    if form.is_valid():
        participation = form.cleaned_data["participation"]
        try:
            if form.cleaned_data["source"] == Point.Source.TRANSCRIPT:
                # Words as spoken: the service prints them in reported speech and keeps them beside it.
                point = services.point_from_spoken(
                    event=event, participation=participation, spoken=form.cleaned_data["text"], user=request.user
                )
            else:
                point = services.point_add(
                    event=event,
                    participation=participation,
                    text=form.cleaned_data["text"],
                    source=form.cleaned_data["source"],
                    user=request.user,
                )
            participation = point.participation  # a point that names its speaker (“Dr. Kazmi: …”) is theirs
        except ApplicationError as error:
            messages.error(request, error.message)
            participation = None
        else:
            messages.success(request, f"Point added for {participation.person.styled_name}.")
    else:
        messages.error(request, form_error(form).message)
    if request.POST.get("next") == "transcript":
        return redirect(reverse("reports:transcript", args=[event.pk]) + "#suggestions")
    return _back(event, f"speaker-{participation.pk}" if participation else "points")


@require_POST
@staff_permission("reports.change_report")
def point_change(request, pk: int, point_pk: int, action: str):
    event = _event(pk)
    point = get_object_or_404(Point, pk=point_pk, event=event)
    anchor = f"speaker-{point.participation_id}"
    form = PointTextForm(request.POST)
    try:
        if action == "edit":
            if not form.is_valid():
                raise form_error(form)
            services.point_update(point=point, text=form.cleaned_data["text"])
            messages.success(request, "Point saved.")
        elif action == "delete":
            services.point_delete(point=point)
            messages.success(request, "Point deleted.")
        elif action in ("up", "down"):
            services.point_move(point=point, up=action == "up")
        else:
            raise Http404("No such action")
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(event, anchor)


@require_POST
@staff_permission("reports.change_report")
def note_use(request, pk: int, note_pk: int):
    event = _event(pk)
    note = get_object_or_404(Note.objects.select_related("speaker__person"), pk=note_pk, event=event)
    form = NoteUseForm(request.POST, event=event)
    try:
        if not form.is_valid():
            raise form_error(form)
        point = services.note_to_point(note=note, participation=form.cleaned_data["participation"], user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(event, "notes")
    messages.success(request, "The note is now a point.")
    return _back(event, f"speaker-{point.participation_id}")


@require_POST
@staff_permission("reports.change_report")
def compose(request, pk: int):
    event = _event(pk)
    version = services.report_compose(event=event, user=request.user)
    messages.success(request, f"Version {version.number} composed from the points. Read it through and edit below.")
    return _back(event, "draft")


@require_POST
@staff_permission("reports.change_report")
def edit(request, pk: int):
    event = _event(pk)
    form = ReportEditForm(request.POST)
    headline, body = request.POST.get("headline", ""), request.POST.get("body", "")
    try:
        if not form.is_valid():
            raise form_error(form)
        headline, body = form.cleaned_data["headline"], form.cleaned_data["body"]
        if form.cleaned_data["preview"]:
            # Nothing is saved: the same text comes back in the editor, and beside it as it prints.
            base = form.cleaned_data["base"]
            return _workspace(
                request,
                event,
                editor={"headline": headline, "body": body, "base": base or "", "previewing": True},
            )
        version = services.report_edit(
            event=event, headline=headline, body=body, base_number=form.cleaned_data["base"], user=request.user
        )
    except ApplicationError as error:
        return _workspace(
            request,
            event,
            status=error.status,
            editor={
                "headline": headline,
                "body": body,
                "base": request.POST.get("base", ""),
                "error": error.message,
                "field": error.field,
            },
        )
    messages.success(request, f"Saved as version {version.number}: {version.change}.")
    return _back(event, "draft")


@staff_permission("reports.change_report")
def version_detail(request, pk: int, number: int):
    event = _event(pk)
    report = selectors.report_get(event=event)
    if report is None:
        raise Http404("No press release yet")
    version = selectors.report_version_get(report=report, number=number)
    if version is None:
        raise Http404("No such version")
    previous, diff = selectors.version_changes(version=version)
    return render(
        request,
        "reports/version.html",
        {
            "event": event,
            "tab": "report",
            "report": report,
            "version": version,
            "previous": previous,
            "diff": diff,
        },
    )


@require_POST
@staff_permission("reports.change_report")
def version_restore(request, pk: int, number: int):
    event = _event(pk)
    try:
        version = services.report_restore(event=event, number=number, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Version {number} restored as version {version.number}.")
    return _back(event, "draft")


ACTIONS = {
    "submit": (
        "reports.change_report",
        services.report_submit,
        "Approval requested. Another staff member can approve it now.",
    ),
    "approve": ("reports.approve_report", services.report_approve, "Approved. It can be published now."),
    "publish": (
        "reports.publish_report",
        services.report_publish,
        "Published: the press release is on the event's page, in the feed and in search.",
    ),
    "withdraw": ("reports.publish_report", services.report_withdraw, "Withdrawn from the public archive."),
}


@require_POST
@staff_permission("reports.change_report")
def report_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("No such action")
    permission, service, done = ACTIONS[action]
    if not request.user.has_perm(permission):
        messages.error(request, "You do not have permission to do that.")
        return _back(_event(pk))
    event = _event(pk)
    kwargs = {}
    if action == "withdraw":
        withdraw = WithdrawForm(request.POST)
        if not (withdraw.is_valid() and withdraw.cleaned_data["confirmed"]):
            return _withdraw_confirmation(request, event)
    else:
        # The version the person read: nothing saved since is approved or published unread.
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_error(form).message)
            return _back(event)
        kwargs["number"] = form.cleaned_data["number"]
        if action == "publish" and not form.cleaned_data["confirmed"]:
            return _publish_confirmation(request, event, number=form.cleaned_data["number"])
    try:
        service(event=event, user=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(event)


def _publish_confirmation(request, event: Event, *, number: int):
    """Before publishing: what becomes public, and where. Only this page's own button publishes."""
    report = selectors.report_get(event=event)
    current = report.current_version if report else None
    refusal = ""
    if report is None or current is None:
        refusal = "Compose or write the press release first."
    elif current.number != number:
        refusal = f"Version {current.number} was saved after you opened version {number}. Read the new version first."
    elif report.published_version_id == current.pk:
        refusal = "This version is already published."
    elif organisation_get().report_approval_required and not report.is_approved:
        refusal = "This institute publishes a press release once a second staff member has approved it."
    else:
        refusal = " ".join(services.publication_problems(event=event, version=current))
    if refusal:
        messages.error(request, refusal)
        return _back(event)
    assert report is not None and current is not None  # refused above otherwise
    release = selectors.press_release_draft(event=event, headline=current.headline, body=current.body, draft=False)
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "event": event,
            "tab": "report",
            "report": report,
            "current": current,
            "parts": exports.release_parts(release=release),
            "reach": selectors.publication_reach(event=event),
            "formats": [("html", "Web page"), ("md", "Markdown"), ("docx", "Word"), ("pdf", "PDF")],
        },
    )


def _withdraw_confirmation(request, event: Event):
    """Before withdrawing: what disappears from the public site. Only this page's own button withdraws."""
    report = selectors.report_get(event=event)
    if report is None or report.published_version is None:
        messages.error(request, "The press release is not published.")
        return _back(event)
    return render(
        request,
        "reports/withdraw_confirm.html",
        {"event": event, "tab": "report", "report": report, "gone": selectors.withdrawal_reach(event=event)},
    )


@staff_permission("reports.change_report")
def staff_export(request, pk: int, fmt: str):
    """The current version (or an earlier one, ?version=N), marked as a draft unless it is the published one."""
    event = _event(pk)
    report = selectors.report_get(event=event)
    if report is None or report.current_version is None:
        raise Http404("No press release yet")
    version: ReportVersion | None = report.current_version
    if "version" in request.GET:
        form = VersionForm({"number": request.GET["version"]})
        found = form.is_valid() and selectors.report_version_get(report=report, number=form.cleaned_data["number"])
        version = found or None
    if version is None:
        raise Http404("No such version")
    draft = version.pk != report.published_version_id
    return _download(selectors.press_release_for(event=event, version=version, draft=draft), fmt)


# Transcripts -----------------------------------------------------------------------------------------------


def _transcript_page(request, event: Event, *, error: str = "", status: int = 200):
    transcript = selectors.transcript_latest(event=event)
    agenda = selectors.agenda_for_report(event=event)
    return render(
        request,
        "reports/transcript.html",
        {
            "event": event,
            "tab": "transcript",
            "transcript": transcript,
            "agenda": agenda,
            "names": {p.pk: p for p in agenda},
            "suggestions": selectors.transcript_suggestions(transcript=transcript) if transcript else {},
            "unconfirmed": transcript and any(not s.confirmed for s in transcript.speakers.all()),
            "error": error,
        },
        status=status,
    )


@staff_permission("reports.change_report")
def transcript(request, pk: int):
    event = _event(pk)
    if request.method != "POST":
        return _transcript_page(request, event)
    upload = request.FILES.get("file")
    if upload is None:
        pasted = TranscriptTextForm(request.POST)
        if not pasted.is_valid():
            return _transcript_page(request, event, error=form_error(pasted).message, status=400)
        if pasted.cleaned_data["text"].strip():
            return _import(request, event, filename="Pasted text", data=pasted.cleaned_data["text"].encode())
        return _transcript_page(
            request, event, error="Choose a transcript file to import, or paste its text.", status=400
        )
    try:
        data = upload_read(
            upload,
            max_bytes=transcripts.MAX_BYTES,
            limit_words="transcripts may be at most 5 MB (a two-hour one is well under 1 MB).",
        )
    except ApplicationError as error:
        return _transcript_page(request, event, error=f"{upload.name}: {error.message}", status=400)
    return _import(request, event, filename=upload.name, data=data)


def _import(request, event: Event, *, filename: str, data: bytes):
    try:
        imported = services.transcript_import(event=event, filename=filename, data=data, user=request.user)
    except ApplicationError as error:
        return _transcript_page(request, event, error=f"{filename}: {error.message}", status=400)
    mapped = sum(1 for s in imported.speakers.all() if s.participation_id)
    messages.success(
        request,
        f"Imported {imported.word_count:,} words by {imported.speakers.count()} speakers. "
        f"Podium recognised {mapped}; confirm who each one is below.",
    )
    return redirect(reverse("reports:transcript", args=[event.pk]) + "#mapping")


@require_POST
@staff_permission("reports.change_report")
def transcript_sample(request, pk: int):
    return _import(request, _event(pk), filename=SAMPLE_TRANSCRIPT.name, data=SAMPLE_TRANSCRIPT.read_bytes())


@staff_permission("reports.change_report")
def transcript_sample_download(request, pk: int):
    _event(pk)
    return FileResponse(
        SAMPLE_TRANSCRIPT.open("rb"),
        as_attachment=True,
        filename=SAMPLE_TRANSCRIPT.name,
        content_type="text/vtt; charset=utf-8",
    )


@require_POST
@staff_permission("reports.change_report")
def transcript_accept(request, pk: int, transcript_pk: int):
    event = _event(pk)
    transcript = get_object_or_404(Transcript, pk=transcript_pk, event=event)
    made = services.transcript_accept_suggestions(transcript=transcript, user=request.user)
    if made:
        messages.success(
            request,
            ngettext("%(n)d suggestion is now a point.", "%(n)d suggestions are now points.", len(made))
            % {"n": len(made)},
        )
    else:
        messages.info(request, "No suggestions left to make points of.")
    return _back(event, "points")


@require_POST
@staff_permission("reports.change_report")
def transcript_mapping(request, pk: int, transcript_pk: int):
    event = _event(pk)
    imported = get_object_or_404(Transcript.objects.select_related("event"), pk=transcript_pk, event=event)
    form = TranscriptMappingForm(request.POST, transcript=imported)
    if not form.is_valid():
        return _transcript_page(request, event, error=form_error(form).message, status=400)
    try:
        services.transcript_mapping_confirm(transcript=imported, assignments=form.assignments())
    except ApplicationError as error:
        return _transcript_page(request, event, error=error.message, status=400)
    messages.success(request, "Speakers confirmed. Suggested points are below.")
    return redirect(reverse("reports:transcript", args=[event.pk]) + "#suggestions")


@require_POST
@staff_permission("reports.change_report")
def transcript_delete(request, pk: int, transcript_pk: int):
    event = _event(pk)
    services.transcript_delete(transcript=get_object_or_404(Transcript, pk=transcript_pk, event=event))
    messages.success(request, "Transcript removed. Points made from it stay.")
    return redirect("reports:transcript", pk=event.pk)
