"""Reads of the directory: people found by any part of how their name is written."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from podium.people.models import Designation, Person

SEARCH_MAX_WORDS = 6


def people_matching(query: str, *, with_email: bool = False) -> Q | None:
    """The condition “every word typed appears in a rank, name or designation” (and the email when
    asked), or None when nothing was typed. Each word may match a different designation."""
    words = query.split()[:SEARCH_MAX_WORDS]
    if not words:
        return None
    condition = Q()
    for word in words:
        in_designation = Q(
            Exists(
                Designation.objects.filter(person=OuterRef("pk")).filter(
                    Q(position__icontains=word) | Q(organisation__icontains=word)
                )
            )
        )
        in_name = (
            Q(honorific__icontains=word)
            | Q(given_names__icontains=word)
            | Q(family_name__icontains=word)
            | Q(post_nominals__icontains=word)
        )
        if with_email:
            in_name |= Q(email__icontains=word)
        condition &= in_name | in_designation
    return condition


def people_search(*, query: str, limit: int = 10) -> QuerySet[Person]:
    """Everyone whose rank, names or designations contain every word typed (“amir nips”, “brig yaq”)."""
    condition = people_matching(query)
    if condition is None:
        return Person.objects.none()
    return (
        Person.objects.filter(condition)
        .prefetch_related(Prefetch("designations", queryset=Designation.objects.order_by("order", "pk")))
        .order_by("family_name", "given_names", "pk")[:limit]
    )
