"""Setting up series and events: the services behind the staff pages (slugs, duplicates, publishing, agenda)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.events import services
from podium.events.models import Event, Participation, Role
from podium.people.selectors import people_search
from podium.people.services import DesignationInput, person_create

pytestmark = pytest.mark.django_db


def _start(days=20):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def test_series_slug_fills_itself_and_stays_unique(make_person):
    organiser = make_person(family_name="Yaqub")
    first = services.series_create(name="NIPS Lecture Series", default_organiser=organiser, default_capacity=80)
    second = services.series_create(name="NIPS Lecture Series")
    assert (first.slug, second.slug) == ("nips-lecture-series", "nips-lecture-series-2")
    updated = services.series_update(series=first, name="NIPS Lectures", intended_audience=" Diplomats ")
    assert (updated.slug, updated.intended_audience) == ("nips-lecture-series", "Diplomats")
    with pytest.raises(ApplicationError) as error:
        services.series_create(name="  ")
    assert error.value.field == "name"


def test_event_create_is_a_draft_with_a_unique_slug_and_the_organiser_as_host(series, make_person):
    series.default_organiser = make_person(family_name="Yaqub", honorific="Brig", retired=True)
    series.save()
    start = _start()
    kwargs = dict(series=series, starts_at=start, ends_at=start + timedelta(hours=2), time_zone="Asia/Karachi")
    event = services.event_create(title="Pakistan & Central Asia: Trade", **kwargs)
    again = services.event_create(title="Pakistan & Central Asia: Trade", **kwargs)
    assert event.slug == "pakistan-central-asia-trade" and again.slug == "pakistan-central-asia-trade-2"
    assert event.is_draft
    host = event.participations.get()
    assert host.role == Role.HOST and host.is_confirmed and host.person == series.default_organiser


def test_event_times_are_checked_with_the_field_named(series):
    start = _start()
    with pytest.raises(ApplicationError) as error:
        services.event_create(title="T", starts_at=start, ends_at=start, time_zone="UTC")
    assert error.value.field == "ends_at"
    with pytest.raises(ApplicationError) as error:
        services.event_create(title="", starts_at=start, ends_at=start + timedelta(hours=1), time_zone="UTC")
    assert error.value.field == "title"
    assert not Event.objects.exists()


def test_event_update_reports_changes_and_bumps_the_calendar_sequence(make_event):
    event = make_event()
    event, changed = services.event_update(event=event, title=event.title, capacity=40)
    assert changed == {"capacity"} and event.calendar_sequence == 0
    event, changed = services.event_update(
        event=event, starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at + timedelta(hours=1)
    )
    assert changed == {"starts_at", "ends_at"} and event.calendar_sequence == 1
    with pytest.raises(TypeError):
        services.event_update(event=event, status=Event.Status.LIVE)


def test_duplicate_repeats_the_moderator_and_closing_remarks_as_invited(make_event, add_speaker):
    event = make_event(capacity=50, attribution=Event.Attribution.CHATHAM_HOUSE)
    moderator = add_speaker(event, role=Role.MODERATOR, order=0)
    add_speaker(event, role=Role.MAIN_SPEAKER, order=1)
    closing = add_speaker(event, role=Role.CLOSING_REMARKS, order=2)
    start = event.starts_at + timedelta(days=30)
    copy = services.event_duplicate(event=event, starts_at=start)
    assert copy.pk != event.pk and copy.is_draft and copy.slug != event.slug
    assert (copy.starts_at, copy.ends_at - copy.starts_at) == (start, event.ends_at - event.starts_at)
    assert (copy.capacity, copy.attribution, copy.series_id) == (50, event.attribution, event.series_id)
    rows = list(copy.participations.order_by("order"))
    assert [(p.person_id, p.role, p.order) for p in rows] == [
        (moderator.person_id, Role.MODERATOR, 0),
        (closing.person_id, Role.CLOSING_REMARKS, 1),
    ]
    assert all(p.is_invited for p in rows)


def test_publish_and_unpublish(make_event):
    event = make_event(status=Event.Status.DRAFT)
    event = services.event_publish(event=event)
    assert event.status == Event.Status.ANNOUNCED
    with pytest.raises(ApplicationError):
        services.event_publish(event=event)
    event = services.event_unpublish(event=event)
    assert event.is_draft
    with pytest.raises(ApplicationError):
        services.event_unpublish(event=event)
    past = make_event(
        status=Event.Status.DRAFT,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )
    with pytest.raises(ApplicationError, match="over"):
        services.event_publish(event=past)


def test_agenda_add_move_remove(make_event, make_person):
    event = make_event()
    people = [make_person(family_name=f"P{i}") for i in range(4)]
    rows = [services.participation_add(event=event, person=p, role=Role.DISCUSSANT) for p in people]
    assert [r.order for r in rows] == [0, 1, 2, 3] and rows[0].is_invited
    with pytest.raises(ApplicationError, match="already on the agenda"):
        services.participation_add(event=event, person=people[0], role=Role.DISCUSSANT)
    with pytest.raises(ApplicationError):
        services.participation_add(event=event, person=people[0], role="emperor")

    def order():
        return [p.person.family_name for p in event.participations.order_by("order")]

    services.participation_move(participation=rows[2], offset=-1)
    assert order() == ["P0", "P2", "P1", "P3"]
    services.participation_move(participation=rows[0], offset=-1)  # already first: stays
    assert order() == ["P0", "P2", "P1", "P3"]
    services.participation_move(participation=rows[3], position=0)
    assert order() == ["P3", "P0", "P2", "P1"]
    services.participation_role_set(participation=rows[1], role=Role.MODERATOR)
    with pytest.raises(ApplicationError, match="Choose a role"):
        services.participation_role_set(participation=rows[1], role="emperor")
    services.participation_add(event=event, person=people[2], role=Role.MODERATOR)
    with pytest.raises(ApplicationError, match="already on the agenda as moderator"):
        services.participation_role_set(participation=rows[2], role=Role.MODERATOR)
    event.participations.filter(person=people[2], role=Role.MODERATOR).delete()
    services.participation_remove(participation=rows[0])
    assert order() == ["P3", "P2", "P1"]
    assert list(event.participations.order_by("order").values_list("order", flat=True)) == [0, 1, 2]
    confirmed = services.participation_add(event=event, person=people[0], role=Role.MODERATOR, confirmed=True)
    assert confirmed.is_confirmed and Participation.objects.public().filter(pk=confirmed.pk).exists()


def test_person_create_inline_and_search_shows_the_full_form():
    person = person_create(
        honorific="Brig",
        retired=True,
        given_names="Amir",
        family_name="Yaqub",
        pronoun="he",
        designations=[DesignationInput("Director", "NIPS", comma=False), DesignationInput("", "")],
    )
    assert person.first_mention == "Brig (Retd) Amir Yaqub, Director NIPS"
    for query in ("amir", "YAQ", "brig yaqub", "director nips"):
        assert list(people_search(query=query)) == [person], query
    assert list(people_search(query="amir kozin")) == []
    assert list(people_search(query="   ")) == []
    with pytest.raises(ApplicationError) as error:
        person_create(family_name=" ")
    assert error.value.field == "family_name"


def test_search_words_may_match_different_designations_and_the_directory_filter_agrees():
    from podium.audience.selectors import DirectoryFilter, people_filter

    person = person_create(
        given_names="Aisha",
        family_name="Kazmi",
        email="aisha.kazmi@example.org",
        designations=[DesignationInput("Senior Policy Analyst", "NIPS"), DesignationInput("Fellow", "ISSI")],
    )
    person_create(given_names="Ali", family_name="Shah", designations=[DesignationInput("Fellow", "NIPS")])
    # “analyst” is in one designation and “issi” in the other: both words still find her, once.
    assert list(people_search(query="analyst issi")) == [person]
    assert list(people_filter(directory_filter=DirectoryFilter(q="analyst issi"))) == [person]
    # Only the directory looks in email addresses.
    assert list(people_search(query="aisha.kazmi@")) == []
    assert list(people_filter(directory_filter=DirectoryFilter(q="aisha.kazmi@"))) == [person]


def test_talk_title_set_tidies_refuses_too_long_and_freezes_after_the_event(make_event, make_person):
    event = make_event()
    row = services.participation_add(event=event, person=make_person(family_name="Kozin"), role=Role.MAIN_SPEAKER)
    row = services.participation_talk_title_set(participation=row, talk_title="  Russia and  the region ")
    row.refresh_from_db()
    assert row.talk_title == "Russia and the region"
    with pytest.raises(ApplicationError, match="at most 300 characters") as refused:
        services.participation_talk_title_set(participation=row, talk_title="x" * 301)
    assert refused.value.field == "talk_title"
    services.participation_talk_title_set(participation=row, talk_title="")
    row.refresh_from_db()
    assert row.talk_title == ""
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1)
    )
    with pytest.raises(ApplicationError, match="has ended"):
        services.participation_talk_title_set(participation=row, talk_title="Late")


def test_a_new_speaker_goes_before_the_closing_remarks_and_rapporteurs(make_event, make_person, client):
    event = make_event()

    def add(name, role):
        return services.participation_add(
            event=event, person=make_person(given_names=name, family_name="Speaker"), role=role, confirmed=True
        )

    def order():
        return [(p.person.given_names, p.order) for p in event.participations.order_by("order", "pk")]

    add("Moderator", Role.MODERATOR)
    add("Main", Role.MAIN_SPEAKER)
    add("Closing", Role.CLOSING_REMARKS)
    add("Rapporteur", Role.RAPPORTEUR)
    add("Discussant", Role.DISCUSSANT)  # the tester's case: added last, it used to land after the closing remarks
    assert order() == [("Moderator", 0), ("Main", 1), ("Discussant", 2), ("Closing", 3), ("Rapporteur", 4)]
    add("Second closing", Role.CLOSING_REMARKS)  # a closing or rapporteur row itself goes at the end
    add("Second rapporteur", Role.RAPPORTEUR)
    add("Late discussant", Role.DISCUSSANT)
    names = [name for name, _ in order()]
    assert names == [
        "Moderator",
        "Main",
        "Discussant",
        "Late discussant",
        "Closing",
        "Rapporteur",
        "Second closing",
        "Second rapporteur",
    ]
    assert [position for _, position in order()] == list(range(8))
    # The public agenda reads in that order: the discussant before the closing remarks.
    page = client.get(reverse("public:event", args=[event.slug])).content.decode()
    assert page.index("Discussant Speaker") < page.index("Closing Speaker")
