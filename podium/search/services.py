"""Writes to the search index: one public thing's entry recomputed from its source, or the whole index rebuilt."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse

from podium.events.models import Event, Participation
from podium.events.selectors import listed_events, participations_public
from podium.people.models import Designation, Person
from podium.reports.archive import published_version, reports_public
from podium.reports.models import Report
from podium.search.models import SearchEntry


class _SearchAgenda(TypedDict):
    search_agenda: list[Participation]  # prefetched by _public_events: the agenda an event's entry names


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # installed with django-stubs (the test extra) only

    PublicEvent: TypeAlias = WithAnnotations[Event, _SearchAgenda]

Kind = SearchEntry.Kind
Key = tuple[str, int]

# The selectors mark matches with \x02 and \x03 inside snippets, so the indexed text must never hold them.
# The key of the PostgreSQL advisory lock that puts refreshes in a row ("podium search", as a number).
REFRESH_LOCK = 0x706F6469756D5352
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(*parts: str) -> str:
    """The parts, each on one line with its own whitespace collapsed: a snippet shows a line break as “ · ”."""
    lines = (" ".join(_CONTROL.sub(" ", part).split()) for part in parts if part)
    return "\n".join(line for line in lines if line)


# Which things are public: the same rules as the pages the hits link to --------------------------


def _public_events() -> "QuerySet[PublicEvent]":
    agenda = (
        Participation.objects.public()
        .select_related("person")
        .prefetch_related(Prefetch("person__designations", queryset=Designation.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    return listed_events().prefetch_related(Prefetch("participations", queryset=agenda, to_attr="search_agenda"))


def _public_people() -> QuerySet[Person]:
    speaking = participations_public().filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(speaking)).prefetch_related(
        Prefetch("designations", queryset=Designation.objects.order_by("order", "pk"))
    )


def _public_reports() -> QuerySet[Report]:
    return reports_public().select_related("event")


# What each kind of entry says ------------------------------------------------------------------


def _event_document(event: "PublicEvent") -> dict:
    speakers = []
    for participation in event.search_agenda:
        person = participation.person
        speakers.append(", ".join(t for t in (person.styled_name, person.designation_text) if t))
        speakers.append(participation.talk_title)
    return dict(
        title=_text(event.title),
        body=_text(event.abstract, event.series.name if event.series else "", *speakers),
        url=reverse("public:event", args=[event.slug]),
        date=event.starts_at,
        time_zone=event.time_zone,
    )


def _person_document(person: Person) -> dict:
    return dict(
        title=_text(person.styled_name),
        body=_text(person.designation_text, person.country, person.bio),
        url=reverse("public:person", args=[person.slug]),
        date=None,
        time_zone="",
    )


def _report_document(report: Report) -> dict:
    version = published_version(report)
    return dict(
        title=_text(version.headline),
        body=_text(version.body),
        url=reverse("public:event", args=[report.event.slug]) + "#report",
        date=report.published_at,
        time_zone=report.event.time_zone,
    )


# Each kind: its public things, and the entry's fields for one of them.
SOURCES: dict[Kind, tuple[Callable[[], QuerySet[Any]], Callable[[Any], dict]]] = {
    Kind.EVENT: (_public_events, _event_document),
    Kind.PERSON: (_public_people, _person_document),
    Kind.REPORT: (_public_reports, _report_document),
}


# Refreshing entries -----------------------------------------------------------------------------


def _with_dependents(keys: Iterable[Key]) -> dict[Kind, set[int]]:
    """The entries whose text depends on these things: an event's page names its speakers, and its
    report and speakers are public only while it is listed; a speaker's name is in their events.

    One step only (a speaker's events, not those events' other speakers), so a refresh stays small.
    """
    ids: dict[Kind, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        ids[Kind(kind)].add(int(object_id))
    events, people, reports = set(ids[Kind.EVENT]), set(ids[Kind.PERSON]), set(ids[Kind.REPORT])
    if reports:
        events |= set(Report.objects.filter(pk__in=reports).values_list("event_id", flat=True))
    if events:
        reports |= set(Report.objects.filter(event_id__in=events).values_list("pk", flat=True))
        people |= set(Participation.objects.filter(event_id__in=events).values_list("person_id", flat=True))
    if ids[Kind.PERSON]:
        events |= set(Participation.objects.filter(person_id__in=ids[Kind.PERSON]).values_list("event_id", flat=True))
    return {Kind.EVENT: events, Kind.PERSON: people, Kind.REPORT: reports}


def search_entries_refresh(*, keys: Iterable[Key]) -> None:
    """Recompute the entries of these (kind, object_id) pairs and of what depends on them, in one transaction.

    An entry is written only when its text changed, and deleted when the thing is gone or no longer public.
    """
    wanted = {kind: object_ids for kind, object_ids in _with_dependents(keys).items() if object_ids}
    with transaction.atomic():
        # Refreshes run one at a time and read what they index inside their own transaction, so a
        # refresh that read older state (a publish) can never write over a later one (a withdrawal).
        # SQLite's IMMEDIATE transactions are already one at a time; PostgreSQL takes a lock for it.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
        documents = {}
        for kind, object_ids in wanted.items():
            public, document = SOURCES[kind]
            documents[kind] = {obj.pk: document(obj) for obj in public().filter(pk__in=object_ids)}
        for kind, object_ids in wanted.items():
            existing = {
                entry.object_id: entry
                for entry in SearchEntry.objects.select_for_update()
                .filter(kind=kind, object_id__in=object_ids)
                .order_by("object_id")  # one lock order: no deadlock
            }
            gone = [object_id for object_id in existing if object_id not in documents[kind]]
            if gone:
                SearchEntry.objects.filter(kind=kind, object_id__in=gone).delete()
            new = []
            for object_id, fields in documents[kind].items():
                entry = existing.get(object_id)
                if entry is None:
                    new.append(SearchEntry(kind=kind, object_id=object_id, **fields))
                    continue
                changed = [name for name, value in fields.items() if getattr(entry, name) != value]
                if changed:
                    for name in changed:
                        setattr(entry, name, fields[name])
                    entry.save(update_fields=changed)
            # Two refreshes of one new thing may race; both write the state committed before them.
            SearchEntry.objects.bulk_create(new, ignore_conflicts=True)


def search_entry_refresh(*, kind: str, object_id: int) -> None:
    """Recompute one entry (and those that depend on it), or delete it when the thing is no longer public."""
    search_entries_refresh(keys=[(kind, object_id)])


def search_index_rebuild() -> dict[str, int]:
    """Build the whole index again from the public events, speakers and press releases.

    One transaction: searches meanwhile see the old index, never a half-built one.
    """
    entries: list[SearchEntry] = []
    counts: dict[str, int] = {}
    for kind, (public, document) in SOURCES.items():
        before = len(entries)
        for obj in public().order_by("pk").iterator(chunk_size=1000):
            entries.append(SearchEntry(kind=kind, object_id=obj.pk, **document(obj)))
        counts[kind.value] = len(entries) - before
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
    return counts
