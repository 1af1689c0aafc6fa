"""Keeps the search index current however its sources are saved (services, admin, shell): refresh after commit."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from podium.events.models import Event, Participation, Series
from podium.people.models import Designation, Person
from podium.people.signals import people_changed_in_bulk
from podium.reports.models import Report, ReportVersion
from podium.search.models import SearchEntry
from podium.search.services import search_entries_refresh

Kind = SearchEntry.Kind


def _refresh_after_commit(*keys) -> None:
    # After commit, so the refresh reads what others will see (and nothing of a rolled-back save).
    # Robust: the save has already happened; a failed refresh is logged, and `podium search_rebuild`
    # repairs the index, rather than turning the saved change into an error page.
    transaction.on_commit(partial(search_entries_refresh, keys=frozenset(keys)), robust=True)


@receiver([post_save, post_delete], sender=Event)
def event_changed(instance, **kwargs) -> None:
    _refresh_after_commit((Kind.EVENT, instance.pk))


@receiver(post_save, sender=Series)
def series_changed(instance, created: bool, **kwargs) -> None:
    # Event entries carry their series' name; a new series has no events yet.
    if created:
        return
    event_ids = list(Event.objects.filter(series=instance).values_list("pk", flat=True))
    if event_ids:
        _refresh_after_commit(*[(Kind.EVENT, pk) for pk in event_ids])


@receiver([post_save, post_delete], sender=Person)
def person_changed(instance, **kwargs) -> None:
    _refresh_after_commit((Kind.PERSON, instance.pk))


@receiver([post_save, post_delete], sender=Designation)
def designation_changed(instance, **kwargs) -> None:
    _refresh_after_commit((Kind.PERSON, instance.person_id))


@receiver([post_save, post_delete], sender=Participation)
def participation_changed(instance, **kwargs) -> None:
    # Both sides: the event's entry names its speakers; the person is public only while they speak.
    _refresh_after_commit((Kind.EVENT, instance.event_id), (Kind.PERSON, instance.person_id))


@receiver([post_save, post_delete], sender=Report)
def report_changed(instance, **kwargs) -> None:
    _refresh_after_commit((Kind.REPORT, instance.pk))


@receiver([post_save, post_delete], sender=ReportVersion)
def report_version_changed(instance, **kwargs) -> None:
    # Deleting the published version empties Report.published_version by SET_NULL, which sends no signal.
    _refresh_after_commit((Kind.REPORT, instance.report_id))


@receiver(people_changed_in_bulk)
def people_changed(person_ids: list[int], **kwargs) -> None:
    """Sent after commit by bulk writers (the contact import). Only speakers have entries: a person is
    searchable through their participations, so the others need no refresh."""
    speakers = list(
        Participation.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True).distinct()
    )
    if speakers:
        search_entries_refresh(keys=[(Kind.PERSON, pk) for pk in speakers])
