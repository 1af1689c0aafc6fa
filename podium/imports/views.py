"""Staff pages of the contact import: upload, column mapping with a preview, the dry run, the choice
(the valid rows or nothing) and the progress of the import."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from podium.core.errors import ApplicationError
from podium.core.permissions import staff_permission
from podium.imports import selectors, services
from podium.imports.columns import FIELDS
from podium.imports.forms import DecideForm, MappingForm, UploadForm
from podium.imports.models import ContactImport
from podium.imports.spreadsheet import size_check, spreadsheet_read

PERMISSIONS = ("people.add_person", "people.change_person")
Status = ContactImport.Status


def _stored(request, *, name: str, data: bytes):
    """Read the file, keep it with a guessed mapping and go to the mapping page; ApplicationError if unreadable."""
    sheet = spreadsheet_read(name=name, data=data)
    contact_import = services.contact_import_create(file_name=name, sheet=sheet, by=request.user)
    return redirect("imports:mapping", pk=contact_import.pk)


def _contact_import(pk: int, *, with_rows: bool = False) -> ContactImport:
    contact_import = selectors.contact_import_get(pk=pk, with_rows=with_rows)
    if contact_import is None:
        raise Http404("No such import")
    return contact_import


@staff_permission(*PERMISSIONS)
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            size_check(uploaded.size)  # before reading it into memory
            return _stored(request, name=uploaded.name, data=uploaded.read())
        except ApplicationError as error:
            form.add_error("file", error.message)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "imports": selectors.contact_import_list(),
            "demo_name": services.DEMO_FILE.name,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_permission(*PERMISSIONS)
def upload_demo(request):
    return _stored(request, name=services.DEMO_FILE.name, data=services.DEMO_FILE.read_bytes())


@staff_permission(*PERMISSIONS)
@require_http_methods(["GET", "POST"])
def mapping(request, pk: int):
    contact_import = _contact_import(pk, with_rows=request.method == "POST")
    if contact_import.status not in (Status.UPLOADED, Status.CHECKED):
        return redirect("imports:detail", pk=pk)
    form = MappingForm(request.POST or None, headers=contact_import.headers, mapping=contact_import.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_import_map(contact_import=contact_import, mapping=form.mapping())
        except ApplicationError as error:
            for message in error.lines:
                form.add_error(None, message)
        else:
            return redirect("imports:detail", pk=pk)
    mapping_now = form.mapping() if form.is_bound else contact_import.mapping
    return render(
        request,
        "imports/mapping.html",
        {
            "contact_import": contact_import,
            "form": form,
            "columns": list(zip(form.columns, _examples(contact_import), strict=False)),
            "preview_columns": list(
                zip(contact_import.headers, [FIELDS.get(key, "") for key in mapping_now], strict=False)
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def _examples(contact_import: ContactImport) -> list[str]:
    """The first non-empty value of each column in the preview rows."""
    return [
        next((row[i + 1] for row in contact_import.preview if row[i + 1]), "")
        for i in range(len(contact_import.headers))
    ]


@never_cache
@staff_permission(*PERMISSIONS)
def detail(request, pk: int):
    contact_import = _contact_import(pk)
    if contact_import.status == Status.UPLOADED:
        return redirect("imports:mapping", pk=pk)
    return render(
        request,
        "imports/detail.html",
        {
            "contact_import": contact_import,
            "stale": services.contact_import_is_stale(contact_import),
            "mapped": [
                (heading, FIELDS[key])
                for heading, key in zip(contact_import.headers, contact_import.mapping, strict=False)
                if key
            ],
            "problems_hidden": contact_import.problem_count - len(contact_import.problems),
        },
    )


@require_POST
@staff_permission(*PERMISSIONS)
def decide(request, pk: int):
    contact_import = _contact_import(pk)
    form = DecideForm(request.POST)
    choice = form.cleaned_data["choice"] if form.is_valid() else ""
    try:
        if choice == "valid":
            services.contact_import_start(contact_import=contact_import)
            messages.success(request, "The import has started. This page shows its progress.")
        elif choice == "nothing":
            services.contact_import_cancel(contact_import=contact_import)
            messages.success(request, "Cancelled. Nothing was imported and the file's rows were discarded.")
        else:
            messages.error(request, "Choose whether to import the valid rows or nothing.")
    except ApplicationError as error:
        messages.error(request, " ".join(error.lines))
    return redirect("imports:detail", pk=pk)


@require_POST
@staff_permission(*PERMISSIONS)
def resume(request, pk: int):
    contact_import = _contact_import(pk)
    try:
        services.contact_import_resume(contact_import=contact_import)
    except ApplicationError as error:
        messages.error(request, " ".join(error.lines))
    else:
        messages.success(request, "The import continues from the last rows it saved.")
    return redirect("imports:detail", pk=pk)


@never_cache
@staff_permission(*PERMISSIONS)
def progress(request, pk: int):
    progress = selectors.contact_import_progress(pk=pk)
    if progress is None:
        raise Http404("No such import")
    return JsonResponse(progress)
