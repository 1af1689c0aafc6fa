"""Reads of the directory: people found by any part of how their name is written."""

from django.db.models import Prefetch, Q, QuerySet

from podium.people.models import Designation, Person

SEARCH_MAX_WORDS = 6


def people_search(*, query: str, limit: int = 10) -> QuerySet[Person]:
    """Everyone whose rank, names or designations contain every word typed (“amir nips”, “brig yaq”)."""
    words = query.split()[:SEARCH_MAX_WORDS]
    if not words:
        return Person.objects.none()
    condition = Q()
    for word in words:
        condition &= (
            Q(honorific__icontains=word)
            | Q(given_names__icontains=word)
            | Q(family_name__icontains=word)
            | Q(post_nominals__icontains=word)
            | Q(designations__position__icontains=word)
            | Q(designations__organisation__icontains=word)
        )
    ids = Person.objects.filter(condition).values("pk")
    return (
        Person.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("designations", queryset=Designation.objects.order_by("order", "pk")))
        .order_by("family_name", "given_names", "pk")[:limit]
    )
