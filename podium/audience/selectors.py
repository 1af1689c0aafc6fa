"""Reads of the audience directory: filter people, their history, and resolve an audience to recipients."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from podium.audience.models import SavedAudience
from podium.events.models import Event
from podium.people.models import Person, Segment, Tag
from podium.people.selectors import people_matching
from podium.registrations.models import Invitation, Registration

HISTORY_CHOICES = [
    ("", "Any history"),
    ("invited", "Invited"),
    ("not_invited", "Never invited"),
    ("registered", "Registered"),
    ("not_registered", "Never registered"),
    ("attended", "Attended"),
    ("not_attended", "Never attended"),
]
HISTORY_VALUES = {value for value, _ in HISTORY_CHOICES}


@dataclass
class DirectoryFilter:
    """The directory's filter; also what a saved audience stores."""

    q: str = ""
    segment: str = ""
    tag: str = ""
    country: str = ""
    history: str = ""
    event: int | None = None  # narrows history to one event
    contactable: bool = False  # only people a campaign may email

    @classmethod
    def from_query(cls, query) -> "DirectoryFilter":
        """From request.GET or a saved audience's dict; anything unknown is dropped, not trusted."""

        def text(name: str, limit: int = 100) -> str:
            return str(query.get(name) or "").strip()[:limit]

        segment = text("segment")
        history = text("history")
        try:
            event = int(query.get("event")) if query.get("event") else None
        except (TypeError, ValueError):
            event = None
        return cls(
            q=text("q"),
            segment=segment if segment in Segment.values else "",
            tag=text("tag", 80),
            country=text("country"),
            history=history if history in HISTORY_VALUES else "",
            event=event,
            contactable=str(query.get("contactable") or "") in ("1", "true", "on", "True"),
        )

    def as_query(self) -> dict:
        query = {
            "q": self.q,
            "segment": self.segment,
            "tag": self.tag,
            "country": self.country,
            "history": self.history,
            "event": self.event,
            "contactable": "1" if self.contactable else "",
        }
        return {key: value for key, value in query.items() if value not in ("", None)}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def _history_condition(history: str, event_id: int | None) -> Q:
    invitations = Invitation.objects.filter(person=OuterRef("pk"))
    registrations = Registration.objects.filter(person=OuterRef("pk")).exclude(
        status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED]
    )
    if event_id:
        invitations = invitations.filter(event_id=event_id)
        registrations = registrations.filter(event_id=event_id)
    attended = registrations.filter(joined_at__isnull=False)
    base, positive = history.removeprefix("not_"), not history.startswith("not_")
    subquery = {"invited": invitations, "registered": registrations, "attended": attended}[base]
    condition = Q(Exists(subquery))
    return condition if positive else ~condition


def people_filter(*, directory_filter: DirectoryFilter) -> QuerySet[Person]:
    f = directory_filter
    people = Person.objects.all()
    condition = people_matching(f.q, with_email=True)
    if condition is not None:
        people = people.filter(condition)
    if f.segment:
        people = people.filter(segment=f.segment)
    if f.tag:
        people = people.filter(tags__name__iexact=f.tag)
    if f.country:
        people = people.filter(country__iexact=f.country)
    if f.history:
        people = people.filter(_history_condition(f.history, f.event))
    if f.contactable:
        people = people.exclude(email="").filter(unsubscribed_at__isnull=True)
    return people


def directory_page_queryset(*, directory_filter: DirectoryFilter) -> QuerySet[Person]:
    """People for the directory table: what each row shows, fetched in a fixed number of queries."""
    return (
        people_filter(directory_filter=directory_filter)
        .prefetch_related("designations", "tags")
        .annotate(
            invited_count=Count("invitations", distinct=True),
            registered_count=Count(
                "registrations",
                distinct=True,
                filter=~Q(registrations__status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED]),
            ),
            attended_count=Count("registrations", distinct=True, filter=Q(registrations__joined_at__isnull=False)),
        )
        .order_by("family_name", "given_names", "pk")
    )


def directory_choices() -> dict:
    """What the filter's menus offer: tags and countries in use, and recent events."""
    return {
        "segments": Segment.choices,
        "tags": list(Tag.objects.order_by("name").values_list("name", flat=True)),
        "countries": list(
            Person.objects.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        ),
        "events": list(Event.objects.order_by("-starts_at").only("pk", "title", "starts_at")[:50]),
        "history": HISTORY_CHOICES,
    }


@dataclass
class PersonHistoryRow:
    event: Event
    invited: Invitation | None = None
    registration: Registration | None = None
    roles: list[str] = field(default_factory=list)


def person_history(*, person: Person) -> list[PersonHistoryRow]:
    """Every event the person was invited to, registered for or spoke at, newest first."""
    rows: dict[int, PersonHistoryRow] = {}

    def row(event: Event) -> PersonHistoryRow:
        return rows.setdefault(event.pk, PersonHistoryRow(event=event))

    for invitation in Invitation.objects.filter(person=person).select_related("event"):
        row(invitation.event).invited = invitation
    for registration in Registration.objects.filter(person=person).select_related("event"):
        row(registration.event).registration = registration
    for participation in person.participations.select_related("event"):
        row(participation.event).roles.append(participation.get_role_display())
    return sorted(rows.values(), key=lambda r: r.event.starts_at, reverse=True)


def _selection(
    segments: Sequence[str], tags: Sequence[Tag], audiences: Sequence[SavedAudience], people: Sequence[Person]
) -> Q:
    condition = Q(pk__in=[])
    if segments:
        condition |= Q(segment__in=list(segments))
    if tags:
        condition |= Q(pk__in=Person.tags.through.objects.filter(tag__in=list(tags)).values("person_id"))
    for audience in audiences:
        saved = people_filter(directory_filter=DirectoryFilter.from_query(audience.query))
        condition |= Q(pk__in=saved.values("pk"))
    if people:
        condition |= Q(pk__in=[p.pk for p in people])
    return condition


def audience_people(
    *,
    segments: Sequence[str] = (),
    tags: Sequence[Tag] = (),
    audiences: Sequence[SavedAudience] = (),
    people: Sequence[Person] = (),
) -> QuerySet[Person]:
    """Everyone a campaign with this selection reaches: the union of all parts, each person once,
    only people with an email address who have not unsubscribed."""
    return (
        Person.objects.filter(_selection(segments, tags, audiences, people))
        .exclude(email="")
        .filter(unsubscribed_at__isnull=True)
        .order_by("pk")
    )


def audience_excluded_count(
    *,
    segments: Sequence[str] = (),
    tags: Sequence[Tag] = (),
    audiences: Sequence[SavedAudience] = (),
    people: Sequence[Person] = (),
) -> int:
    """People the selection names who will not be emailed (no address, or unsubscribed)."""
    return (
        Person.objects.filter(_selection(segments, tags, audiences, people))
        .filter(Q(email="") | Q(unsubscribed_at__isnull=False))
        .count()
    )


def audience_left_out(
    *,
    segments: Sequence[str] = (),
    tags: Sequence[Tag] = (),
    audiences: Sequence[SavedAudience] = (),
    people: Sequence[Person] = (),
) -> dict[str, int]:
    """People the selection names who will not be emailed, by reason: {"no_email": …, "unsubscribed": …}.
    Someone with no address counts there only, whether or not they also unsubscribed."""
    return Person.objects.filter(_selection(segments, tags, audiences, people)).aggregate(
        no_email=Count("pk", filter=Q(email="")),
        unsubscribed=Count("pk", filter=~Q(email="") & Q(unsubscribed_at__isnull=False)),
    )
