"""Staff pages of the audience directory: search and filter people, their history, saved audiences."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from podium.audience import selectors, services
from podium.audience.forms import DirectoryFilterForm, SavedAudienceForm
from podium.audience.models import SavedAudience
from podium.core.errors import ApplicationError, form_error
from podium.core.permissions import staff_permission
from podium.people.models import Person


@staff_permission("people.view_person")
def people(request):
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, form_error(form).message)
    directory_filter = form.directory_filter()
    queryset = selectors.directory_page_queryset(directory_filter=directory_filter)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audience/people.html",
        {
            "page": page,
            "filter": directory_filter,
            "query": urlencode(directory_filter.as_query()),
            "choices": selectors.directory_choices(),
            "saved": SavedAudience.objects.all(),
        },
        status=200 if form.is_valid() else 400,
    )


@staff_permission("people.view_person")
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.prefetch_related("designations", "tags"), pk=pk)
    return render(
        request,
        "audience/person.html",
        {
            "person": person,
            "history": selectors.person_history(person=person),
        },
    )


@dataclass(frozen=True)
class AudienceRow:
    """A saved audience as the list shows it: with its directory link and how many people it finds now."""

    pk: int
    name: str
    created_at: datetime
    created_by: User | None
    link: str
    size: int


@staff_permission("people.view_person")
def audiences(request):
    rows = []
    for audience in SavedAudience.objects.select_related("created_by"):
        directory_filter = selectors.DirectoryFilter.from_query(audience.query)
        rows.append(
            AudienceRow(
                pk=audience.pk,
                name=audience.name,
                created_at=audience.created_at,
                created_by=audience.created_by,
                link=reverse("audience:people") + "?" + urlencode(directory_filter.as_query()),
                size=selectors.people_filter(directory_filter=directory_filter).count(),
            )
        )
    return render(request, "audience/audiences.html", {"audiences": rows})


@require_POST
@staff_permission("audience.add_savedaudience")
def audience_save(request):
    form = SavedAudienceForm(request.POST)
    valid = form.is_valid()
    directory_filter = form.directory_filter()
    try:
        if not valid:
            raise form_error(form)
        audience = services.saved_audience_create(
            name=form.cleaned_data["name"], directory_filter=directory_filter, by=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Saved as “{audience.name}”. Choose it when you write a campaign.")
    return redirect(reverse("audience:people") + "?" + urlencode(directory_filter.as_query()))


@require_POST
@staff_permission("audience.delete_savedaudience")
def audience_delete(request, pk: int):
    audience = get_object_or_404(SavedAudience, pk=pk)
    audience.delete()
    messages.success(request, f"Deleted the audience “{audience.name}”. Nobody in it was changed.")
    return redirect("audience:audiences")
