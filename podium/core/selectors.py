"""Reads of the organisation settings, cached per process for the length of a request burst, and the
subquery count the list selectors annotate with."""

from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from podium.core.models import Organisation

CACHE_KEY = "podium:organisation:v1"


def organisation_get() -> Organisation:
    """The organisation row; an unsaved placeholder before anyone has set it up."""
    organisation = cache.get(CACHE_KEY)
    if organisation is None:
        organisation = Organisation.objects.order_by("pk").first() or Organisation(name="Podium")
        if organisation.pk:
            cache.set(CACHE_KEY, organisation, 60)
    return organisation


def organisation_forget() -> None:
    cache.delete(CACHE_KEY)


def related_count(rows: QuerySet, *, to: str) -> Coalesce:
    """How many of `rows` point at the outer row through the foreign key `to`, as a subquery: several
    counts on one list then never multiply each other's joins, and the list stays one query."""
    counted = rows.filter(**{to: OuterRef("pk")}).order_by().values(to).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)
