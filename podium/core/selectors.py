"""Reads of the organisation settings, cached per process for the length of a request burst."""

from django.core.cache import cache

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
